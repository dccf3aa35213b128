/*
 * study_cmd.h — what the small commands on one study (create-study, ask)
 * share: their option loop and the direction names.
 */
#ifndef HPO_CLI_STUDY_CMD_H
#define HPO_CLI_STUDY_CMD_H

#include <stdio.h>

#include "args.h"

typedef struct study_cmd {
    const char *name; /* "ask" */
    const cli_option *options;
    int help_id;
    int (*take)(void *data, int id, const char *value);
    void (*help)(FILE *out);
} study_cmd;

/* The options, none after them, and --study given (*study_name, read
 * after the loop).  -1 to go on, else an exit code (0 after --help). */
int study_cmd_parse(const study_cmd *c, int argc, char **argv, void *data,
                    const char *const *study_name);

/* "minimize"/"min" or "maximize"/"max": 0 with *out, else -1. */
int study_cmd_direction(const char *text, hpo_direction *out);

#endif
