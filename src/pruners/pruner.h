/*
 * pruner.h — the built-in pruners (each one const hpo_pruner_type, the
 * interface of include/hpo_plugin.h; the core's side is core/plugin.h).
 *
 * A pruner's should_prune is called from hpo_trial_should_prune() under
 * the study's lock, with the running trial (ctx->trial, its intermediate
 * values in ctx->trial->inter) and, through hpo__ctx_history(), the other
 * trials; it answers with a verdict.
 */
#ifndef HPO_PRUNER_H
#define HPO_PRUNER_H

#include "../core/plugin.h"
#include "step_percentile.h"

extern const hpo_pruner_type hpo__pruner_none;
extern const hpo_pruner_type hpo__pruner_median;
extern const hpo_pruner_type hpo__pruner_percentile;
extern const hpo_pruner_type hpo__pruner_threshold;
extern const hpo_pruner_type hpo__pruner_patient;
extern const hpo_pruner_type hpo__pruner_successive_halving;
extern const hpo_pruner_type hpo__pruner_hyperband;
extern const hpo_pruner_type hpo__pruner_bohb;
extern const hpo_pruner_type hpo__pruner_auto;
extern const hpo_pruner_type hpo__pruner_wilcoxon;

/* A trial's steps (steps.c).  Its last step is the largest reported (0
 * when it has none, else 1 with *step and *value). */
int hpo__last_step(const hpo__trial_rec *t, int64_t *step, double *value);
/* 1 with *v when the trial reported at step (NaN included), else 0. */
int hpo__value_at_step(const hpo__trial_rec *t, int64_t step, double *v);
/* The best non-NaN value so far in direction d; NaN when none. */
double hpo__best_so_far(const hpo__trial_rec *t, hpo_direction d);
/* Is a trial that just reported at step judged now (Optuna's warm-up and
 * interval rule)? */
int hpo__judged_at(const hpo__trial_rec *t, int64_t step, int64_t warmup,
                   int64_t interval);

/* The history followed by a watermark (watermark.c): `finished` is called
 * once for each trial (at its position in the history) when it is
 * finished; running trials wait in `pending` (positions). */
typedef hpo_history_cursor hpo__watermark;
typedef int (*hpo__finished_fn)(void *arg, const hpo__trial_rec *t, int at);
int hpo__watermark_update(hpo__watermark *w, const hpo__trial_rec *h, int n,
                          hpo__finished_fn finished, void *arg, hpo__msg *m);
void hpo__watermark_free(hpo__watermark *w);

/* The percentile rule (percentile.c), shared with median (its 50th). */
typedef struct hpo__percentile {
    double percentile; /* 0..100, of the best-first ordering */
    int64_t n_startup, n_warmup, interval, n_min;
    /* The COMPLETE trials' percentile per step, kept up to date as they
     * finish (step_percentile.c): a decision is a lookup.  Made at the
     * first decision, when the direction is known. */
    hpo__step_percentile sp;
    int sp_ready;
} hpo__percentile;
void hpo__percentile_destroy(void *state);
extern const hpo_option hpo__percentile_options[];
int hpo__percentile_should_prune(void *state, hpo_plugin_ctx *ctx,
                                 hpo_verdict *verdict);

#endif
