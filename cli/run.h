/*
 * run.h — the run loop `hpo tune` and `hpo worker` share: trials through
 * hpo_study_optimize (--jobs threads, each waiting on one child) until
 * this process's --trials or --timeout, the study's target of COMPLETE
 * trials (budget.h), the sampler's end or Ctrl-C; then the summary, the
 * best trial and the exit code.
 */
#ifndef HPO_CLI_RUN_H
#define HPO_CLI_RUN_H

#include <stdint.h>

#include "hpo.h"
#include "tune.h"

typedef struct run_limits {
    int64_t n_trials; /* trials this process runs at most; 0 = no limit */
    double timeout_s; /* start no trial after this; 0 = no limit */
    int64_t jobs;     /* children at once */
    double heartbeat_s; /* > 0: wait for other workers' running trials */
    int have_seed;      /* --seed: the children's seeds from it */
    uint64_t seed;
} run_limits;

/* Run ctx's study (open, configured) and return the exit code.
 * url_shown is the storage URL without its password. */
int run_study(const char *cmd, tune_ctx *ctx, const run_limits *lim,
              hpo_storage *storage, const char *url_shown);

#endif
