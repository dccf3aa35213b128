/*
 * hypergrad_sgd.h — the options of `hpo hypergrad mlp|linear` (the models
 * trained by SGD: src/hypergrad/sgd.h), kept out of cli/hypergrad.c, which
 * lists them in its tables.
 */
#ifndef HPO_CLI_HYPERGRAD_SGD_H
#define HPO_CLI_HYPERGRAD_SGD_H

#include <stdio.h>

#include "hypergrad/session.h"

/* The options' entries of a cli_option table, ids first .. first + 5. */
#define CLI_HG_SGD_OPTIONS(first)                                         \
    {"epochs", 0, 1, (first)}, {"schedule", 0, 1, (first) + 1},           \
    {"truncate", 0, 1, (first) + 2}, {"batch", 0, 1, (first) + 3},        \
    {"tune", 0, 1, (first) + 4}, {"hidden", 0, 1, (first) + 5}

/* Take option number `which` (0 .. 5 in the order above) with its value
 * into o: 0, or CLI_EXIT_USAGE after saying why. */
int cli_hg_sgd_option(hpo_hypergrad_options *o, int which, const char *v);

/* A text option the library parses, checked while the flags are read so
 * that it is refused before the data are: rc is the library parser's
 * code; on an error say "--flag: why" (m's text) and return
 * CLI_EXIT_USAGE, else keep v in *out and return 0.  Frees m. */
int cli_hg_checked(const char *flag, const char *v, int rc, hpo__msg *m,
                   const char **out);

/* The options' help lines. */
void cli_hg_sgd_help(FILE *out);

#endif
