/*
 * progress_ml.h — where an in-process trial of tune-model or nested-cv
 * is inside its evaluation (src/ml's hpo__eval_progress, after each fold
 * or boosting round), shown through progress.h:
 *
 *   once the trial has run PROGRESS_DETAIL_AFTER_S, on the progress line:
 *       ...; trial 4 round 120/300 ~8s left
 *   at -v (debug), a record after each fold and each tenth of the rounds:
 *       [D 2026-12-07 15:40:01] trial 4 fold 2/5 0.41s, ~0.62s left
 *
 * After a second Ctrl-C it stops the evaluation (the trial fails as
 * "interrupted"), so hpo stops now instead of after the running trials.
 */
#ifndef HPO_CLI_PROGRESS_ML_H
#define HPO_CLI_PROGRESS_ML_H

#if HPO_HAVE_ML

#include "ml/learner.h"
#include "progress.h"

typedef struct progress_ml {
    progress *p;
    const char *prefix;    /* before "trial N": "" or "outer fold 2/5 " */
    const char *fold_name; /* "fold" or "inner fold" */
    const char *step_name; /* "round" (a learner's fidelity step) */
} progress_ml;

/* An hpo__progress_fn; data is a progress_ml. */
int progress_ml_step(const hpo__eval_progress *e, void *data);

#endif
#endif
