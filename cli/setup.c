/*
 * setup.c — checks and study settings before the first trial (setup.h).
 */
#include "setup.h"

#include <string.h>

#include "args.h"
#include "cli.h"
#include "placeholder.h"
#include "runner.h"

int setup_check_placeholders(const char *cmd, char *const *command,
                             const hpo_space *space)
{
    char err[256];
    for (int i = 0; command[i]; i++) {
        if (placeholder_check(command[i], space, err, sizeof err)) {
            cli_error(cmd, "argument '%.200s': %s", command[i], err);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

int setup_check_command(char *const *command, char *path, size_t size,
                        int *resolved)
{
    *resolved = 0;
    if (strchr(command[0], '{'))
        return 0;
    int err = runner_resolve(command[0], path, size);
    if (err) {
        cli_error(NULL, "cannot run '%s': %s", command[0], strerror(err));
        return CLI_EXIT_USAGE;
    }
    *resolved = 1;
    return 0;
}

/* "--sampler" for a flag, "the stored sampler" for a stored setting. */
static const char *what(int from_storage, const char *flag, const char *word)
{
    return from_storage ? word : flag;
}

static int configure_liveness(const char *cmd, hpo_study *s,
                              const study_config *c, int from_storage)
{
    if (hpo_study_set_heartbeat(s, c->heartbeat_s, c->grace_s) != HPO_OK) {
        cli_error(cmd, "%s: %s",
                  what(from_storage, "--heartbeat", "the stored heartbeat"),
                  hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    if (hpo_study_set_retry_failed(s, c->retry_failed) != HPO_OK) {
        cli_error(cmd, "%s: %s",
                  what(from_storage, "--retry-failed", "the stored retry_failed"),
                  hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int setup_configure_study(const char *cmd, hpo_study *s,
                          const study_config *c, const hpo_space *space,
                          int from_storage)
{
    for (int i = 0; i < c->n_directions; i++)
        if (hpo_study_add_direction(s, c->directions[i]) != HPO_OK) {
            cli_error(cmd, "%s: %s",
                      what(from_storage, "--direction", "the stored directions"),
                      hpo_study_errmsg(s));
            return CLI_EXIT_USAGE;
        }
    int rc;
    if (c->sampler && (rc = hpo_study_set_sampler(s, c->sampler)) != HPO_OK) {
        cli_error(cmd, "%s: %s",
                  what(from_storage, "--sampler", "the stored sampler"),
                  hpo_study_errmsg(s));
        return CLI_EXIT_REFUSED(rc);
    }
    if (c->pruner && (rc = hpo_study_set_pruner(s, c->pruner)) != HPO_OK) {
        cli_error(cmd, "%s: %s",
                  what(from_storage, "--pruner", "the stored pruner"),
                  hpo_study_errmsg(s));
        return CLI_EXIT_REFUSED(rc);
    }
    if ((rc = hpo_study_set_space(s, space)) != HPO_OK) {
        cli_error(cmd, "the search space: %s", hpo_study_errmsg(s));
        return CLI_EXIT_REFUSED(rc);
    }
    return configure_liveness(cmd, s, c, from_storage);
}

int setup_is_liveness_option(int id)
{
    return id >= SETUP_OPT_HEARTBEAT && id <= SETUP_OPT_RETRY_FAILED;
}

int setup_take_liveness(const char *cmd, int id, const char *value,
                        setup_liveness *l)
{
    int rc;
    if (id == SETUP_OPT_HEARTBEAT) {
        l->heartbeat_given = 1;
        rc = cli_parse_duration(cmd, "--heartbeat", value, &l->heartbeat_s);
    } else if (id == SETUP_OPT_GRACE) {
        l->grace_given = 1;
        rc = cli_parse_duration(cmd, "--grace", value, &l->grace_s);
    } else {
        l->retry_given = 1;
        rc = cli_parse_int(cmd, "--retry-failed", value, 0, 1000000,
                           &l->retry_failed);
    }
    return rc ? CLI_EXIT_USAGE : 0;
}

int setup_apply_liveness(const char *cmd, const setup_liveness *l,
                         study_config *c)
{
    if (l->heartbeat_given) {
        c->heartbeat_s = l->heartbeat_s;
        c->grace_s = 0;
    }
    if (l->grace_given)
        c->grace_s = l->grace_s;
    if (l->retry_given)
        c->retry_failed = (int)l->retry_failed;
    if (l->grace_given && c->heartbeat_s <= 0) {
        cli_error(cmd, "--grace needs --heartbeat");
        return CLI_EXIT_USAGE;
    }
    if (c->grace_s > 0 && c->grace_s <= c->heartbeat_s) {
        cli_error(cmd, "--grace: %g s is not longer than the heartbeat "
                  "interval (%g s): live trials would be failed",
                  c->grace_s, c->heartbeat_s);
        return CLI_EXIT_USAGE;
    }
    return 0;
}
