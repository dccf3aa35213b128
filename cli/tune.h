/*
 * tune.h — what `hpo tune` and `hpo worker` hand to each trial they run
 * (tune.c and worker.c set the study up; run.c runs trials until done;
 * tune_trial.c runs one trial as a child process).
 */
#ifndef HPO_CLI_TUNE_H
#define HPO_CLI_TUNE_H

#include <pthread.h>

#include "hpo.h"
#include "progress.h"
#include "trial_env.h"

typedef struct tune_ctx {
    hpo_study *study;
    const char *study_name;
    int n_objectives;
    char **command;        /* the argument templates, NULL-terminated */
    const char *exec_path; /* command[0] resolved, or NULL when it holds a
                              placeholder (then resolved per trial) */
    double trial_timeout_s;
    progress *progress;
    /* The study-wide number of COMPLETE trials to stop at (budget.h);
     * 0 for none. */
    int64_t target_complete;
    /* The study-wide resource budget (hpo_optimize_options.budget_resource;
     * 0 for none) and what a trial without reports counts. */
    int64_t target_resource, max_resource;
    /* The children's seeds and worker slots (trial_env.h). */
    uint64_t seed_base;
    slot_pool slots;

    /* Counted by run.c's callback, one call at a time. */
    int n_run;        /* trials this process finished */
    int budget_stop;  /* the callback stopped optimize for the budget */

    /* Set by the first trial whose command could not be executed: the
     * study is then stopped, since every other trial would fail alike. */
    pthread_mutex_t mu;
    int exec_failed;
    /* Set instead when hpo itself could not start a child (no descriptors,
     * processes or memory, even after waiting): exit 1, not 2. */
    int start_failed;
    char exec_message[512];
} tune_ctx;

/* The objective given to hpo_study_optimize(); data is a tune_ctx. */
int tune_run_trial(hpo_trial *trial, void *data, double *values);
/* One experiment of `hpo race` (race.c): the same run, with {instance}
 * (and HPO_INSTANCE) the instance and {seed} (HPO_SEED) its seed. */
int tune_run_experiment(tune_ctx *ctx, hpo_trial *trial, const char *instance,
                        uint32_t seed, double *values);

#endif
