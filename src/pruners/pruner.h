/*
 * pruner.h — the pruner plug-in interface (Optuna's BasePruner, in C).
 *
 * A pruner is one const hpo__pruner_type; the core allocates its state and
 * calls `prune` from hpo_trial_should_prune() under the study's lock.  It
 * reads the running trial's intermediate values (ctx->trial->inter) and,
 * through hpo__study_history(), those of the other trials, and answers
 * 1 (stop the trial) or 0 (go on), or a negative code on error.
 */
#ifndef HPO_PRUNER_H
#define HPO_PRUNER_H

#include "../core/internal.h"

#define HPO__PRUNER_VERSION 1

typedef struct hpo__pruner_ctx {
    hpo_study *study;
    const hpo__trial_rec *trial;
    hpo__msg *msg;
} hpo__pruner_ctx;

typedef struct hpo__pruner_type {
    int version;
    const char *name;
    const char *summary;
    const char *options_help;
    size_t state_size;
    int (*init)(void *state, hpo__opts *opts, hpo__msg *msg);
    void (*destroy)(void *state);
    int (*prune)(void *state, hpo__pruner_ctx *ctx);
} hpo__pruner_type;

extern const hpo__pruner_type *const hpo__pruner_types[];
const hpo__pruner_type *hpo__pruner_find(const char *name);

extern const hpo__pruner_type hpo__pruner_none;
extern const hpo__pruner_type hpo__pruner_median;

#endif
