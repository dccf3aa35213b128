/*
 * study_config.h — what `hpo tune` keeps with a study so that `hpo worker`
 * needs only the storage URL and the study's name.
 *
 * It is the study's system attribute "hpo:cli", a JSON object:
 *
 *   {"command": ["sh", "train.sh", "{lr}"],   the argument templates
 *    "space": {"lr": {...}},                  hpo_space_to_json's form
 *    "directions": ["minimize"],
 *    "sampler": "random", "pruner": "none",   the specs, as given
 *    "trial_timeout": 60 | null,              seconds
 *    "heartbeat": 10 | null, "grace": 20 | null,
 *    "retry_failed": 0,
 *    "target_complete": 120 | null,           COMPLETE trials the study is
 *                                             run to (tune's --trials)
 *    "target_resource": 14580 | null,         resource the study's trials
 *                                             may use in all (tune's
 *                                             --budget-resource)
 *    "max_resource": 243 | null}              what a COMPLETE trial without
 *                                             reports counts (--max-resource)
 *
 * Written by every `hpo tune` (the command and space must match what is
 * stored, unless --force), read by `hpo worker` and `hpo enqueue`.
 */
#ifndef HPO_CLI_STUDY_CONFIG_H
#define HPO_CLI_STUDY_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "hpo.h"

#define STUDY_CONFIG_ATTR "hpo:cli"

typedef struct study_config {
    char **command;   /* NULL-terminated, owned */
    char *space_json; /* hpo_space_to_json() text, owned */
    int n_directions;
    hpo_direction directions[HPO_MAX_OBJECTIVES];
    char *sampler, *pruner; /* owned specs; NULL = the library's default */
    double trial_timeout_s; /* 0 = none */
    double heartbeat_s;     /* 0 = off */
    double grace_s;         /* 0 = twice the heartbeat */
    int retry_failed;
    int64_t target_complete; /* 0 = none */
    int64_t target_resource; /* 0 = none */
    int64_t max_resource;    /* 0 = count 1 */
} study_config;

void study_config_free(study_config *c);

/* The attribute's JSON text (malloc'd), NULL if out of memory. */
char *study_config_to_json(const study_config *c);

/* Can the settings be stored as they are?  The command's arguments are
 * kept as JSON text, which holds only valid UTF-8.  0, or -1 with one line
 * in err; checked before the study is created, so nothing is left behind. */
int study_config_check(const study_config *c, char *err, size_t size);

/* Is name one the library takes for a study?  0, or -1 with "--study:
 * WHY" in err: checked before a storage is opened, so a refused name
 * creates no database file either. */
int study_name_check(const char *name, char *err, size_t size);

/* Parse the attribute's text into *c (zeroed first).  0, or -1 with why
 * in err. */
int study_config_parse(const char *json, study_config *c, char *err,
                       size_t size);

/* Do the command and the space of `stored` and `given` match?  0 if they
 * do; else -1 with one line in `what` naming the first difference. */
int study_config_compare(const study_config *stored,
                         const study_config *given, char *what, size_t size);

/* Do two spaces (hpo_space_to_json text; NULL is empty) match?  As
 * above, for the space alone. */
int study_config_compare_spaces(const char *stored, const char *given,
                                char *what, size_t size);

/* The command as one line of shell-like text, for messages; malloc'd. */
char *study_config_command_text(char *const *command);

#endif
