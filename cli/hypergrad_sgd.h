/*
 * hypergrad_sgd.h — the models of `hpo hypergrad` trained by SGD (mlp,
 * linear: src/hypergrad/sgd.h) and their options, kept out of
 * cli/hypergrad.c, which lists them in its tables.
 */
#ifndef HPO_CLI_HYPERGRAD_SGD_H
#define HPO_CLI_HYPERGRAD_SGD_H

#include <stdio.h>

#include "hypergrad/sgd.h"

/* The options' entries of a cli_option table, ids first .. first + 5. */
#define CLI_HG_SGD_OPTIONS(first)                                         \
    {"epochs", 0, 1, (first)}, {"schedule", 0, 1, (first) + 1},           \
    {"truncate", 0, 1, (first) + 2}, {"batch", 0, 1, (first) + 3},        \
    {"tune", 0, 1, (first) + 4}, {"hidden", 0, 1, (first) + 5}

/* Take option number `which` (0 .. 5 in the order above) with its value
 * into c: 0, or CLI_EXIT_USAGE after saying why. */
int cli_hg_sgd_option(hpo__sgd_config *c, int which, const char *v);

/* The defaults the options start from. */
void cli_hg_sgd_defaults(hpo__sgd_config *c);

/* The options' help lines. */
void cli_hg_sgd_help(FILE *out);

/* The problem on the 60/20/20 stratified split of d seeded by seed. */
int cli_hg_sgd_make(const char *model, const hpo__dataset *d, uint64_t seed,
                    const hpo__sgd_config *c, hpo__hg_problem **out,
                    hpo__msg *m);

#endif
