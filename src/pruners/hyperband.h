/*
 * hyperband.h — Hyperband's state and methods (hyperband.c), shared with
 * BOHB (bohb.c), which is Hyperband with another sampler view.
 */
#ifndef HPO_HYPERBAND_H
#define HPO_HYPERBAND_H

#include "rung_index.h"

typedef struct hpo__hb_pruner {
    int64_t min_resource, max_resource, eta, bootstrap;
    double random_fraction; /* BOHB's only */
    hpo__hyperband hb; /* n_brackets 0 until max_resource is known */
    hpo__rung_index ix;
    const char *study_name; /* of the current call, for the bracket hash */
} hpo__hb_pruner;

/* random_fraction, then Hyperband's options. */
extern const hpo_option hpo__hyperband_options[];

int hpo__hb_init(void *state, hpo_plugin_ctx *ctx);
void hpo__hb_destroy(void *state);
int hpo__hb_should_prune(void *state, hpo_plugin_ctx *ctx,
                         hpo_verdict *verdict);
int hpo__hb_on_tell(void *state, hpo_plugin_ctx *ctx,
                    hpo_trial_state final_state, const double *values, int n);
/* The history, with the brackets known and the index up to date; *ready 0
 * while max_resource is not known. */
int hpo__hb_update(hpo__hb_pruner *p, hpo_plugin_ctx *ctx,
                   const hpo__trial_rec **h, int *n, int *ready);

#endif
