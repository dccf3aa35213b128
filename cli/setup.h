/*
 * setup.h — the checks and settings before the first trial, shared by
 * `hpo tune` (settings from its flags) and `hpo worker` (settings stored
 * with the study): each problem is one line and exit code 2.
 */
#ifndef HPO_CLI_SETUP_H
#define HPO_CLI_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "hpo.h"
#include "study_config.h"

/* Every {placeholder} of the command names a parameter or "trial". */
int setup_check_placeholders(const char *cmd, char *const *command,
                             const hpo_space *space);

/* The command can be executed (unless its name is a placeholder, which
 * is then resolved per trial): *resolved says whether `path` holds it. */
int setup_check_command(char *const *command, char *path, size_t size,
                        int *resolved);

/* Directions, sampler, pruner, space, heartbeat and retries: all before
 * the study is opened.  from_storage words the errors for settings read
 * from the study rather than given as flags. */
int setup_configure_study(const char *cmd, hpo_study *study,
                          const study_config *c, const hpo_space *space,
                          int from_storage);

/* --heartbeat, --grace and --retry-failed, as tune and worker take them. */
typedef struct setup_liveness {
    double heartbeat_s, grace_s;
    int64_t retry_failed;
    int heartbeat_given, grace_given, retry_given;
} setup_liveness;

/* Their option ids (above the run options' of args.h) and table entries. */
enum { SETUP_OPT_HEARTBEAT = 300, SETUP_OPT_GRACE, SETUP_OPT_RETRY_FAILED };
#define SETUP_LIVENESS_OPTIONS                                             \
    {"heartbeat", 0, 1, SETUP_OPT_HEARTBEAT},                              \
    {"grace", 0, 1, SETUP_OPT_GRACE},                                      \
    {"retry-failed", 0, 1, SETUP_OPT_RETRY_FAILED}

/* Is id one of the three? */
int setup_is_liveness_option(int id);
/* Take one of them: 0, or CLI_EXIT_USAGE after printing why. */
int setup_take_liveness(const char *cmd, int id, const char *value,
                        setup_liveness *l);
/* Put the flags given into c (a worker's flags override what tune
 * stored; a new --heartbeat without --grace gets the default grace), then
 * check the result: --grace needs a heartbeat and must be longer than
 * its interval.  0, or CLI_EXIT_USAGE after printing why. */
int setup_apply_liveness(const char *cmd, const setup_liveness *l,
                         study_config *c);

#endif
