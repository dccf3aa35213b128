/*
 * patient.c — Optuna's PatientPruner: once a trial has not improved on its
 * earlier best (by more than min_delta) for `patience` steps, ask the
 * wrapped pruner — or, without one, prune.
 *
 * Options as Optuna's: patience (required, >= 0), min_delta (0), wrapped
 * (a pruner spec made through the core, e.g. wrapped=median; it cannot
 * carry options with commas, the separator of this spec's own options).
 * As in Optuna, the wrapped pruner's sampler view is not applied.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "pruner.h"

typedef struct patient {
    int64_t patience;
    double min_delta;
    const char *wrapped;
    hpo__plugin inner; /* made when wrapped is given */
} patient;

static const hpo_option patient_options[] = {
    {"patience", HPO_OPTION_INT, NULL, 0, INFINITY, NULL,
     "steps without improvement tolerated", offsetof(patient, patience),
     HPO_OPTION_REQUIRED},
    {"min_delta", HPO_OPTION_FLOAT, "0", 0, INFINITY, NULL,
     "an improvement must exceed this", offsetof(patient, min_delta), 0},
    {"wrapped", HPO_OPTION_STRING, NULL, 0, 0, NULL,
     "the pruner asked once patience runs out (none: prune)",
     offsetof(patient, wrapped), 0},
    {0},
};

static int patient_init(void *state, hpo_plugin_ctx *ctx)
{
    patient *p = state;
    if (!p->wrapped || !*p->wrapped)
        return HPO_OK;
    return hpo__plugin_make_pruner(&p->inner, p->wrapped, ctx->msg);
}

static void patient_destroy(void *state)
{
    hpo__plugin_free(&((patient *)state)->inner);
}

static int by_step(const void *a, const void *b)
{
    int64_t x = ((const hpo__step_value *)a)->step;
    int64_t y = ((const hpo__step_value *)b)->step;
    return (x > y) - (x < y);
}

/* The best non-NaN value of v[from..to) in direction d; NaN when none. */
static double best_of(const hpo__step_value *v, int from, int to,
                      hpo_direction d)
{
    double best = NAN;
    for (int i = from; i < to; i++)
        if (!isnan(v[i].value) && (isnan(best) || hpo__better(d, v[i].value,
                                                              best)))
            best = v[i].value;
    return best;
}

/* Optuna's test: the best of the steps before the last patience + 1 beats
 * the best of those last steps by more than min_delta. */
static int stalled(const patient *p, hpo_plugin_ctx *ctx, int *out)
{
    const hpo__trial_rec *t = ctx->trial;
    *out = 0;
    int n = t->n_inter;
    if (n <= p->patience + 1)
        return HPO_OK;
    hpo__step_value *v = hpo_ctx_scratch(ctx, (size_t)n * sizeof *v);
    if (!v)
        return hpo__oom(ctx->msg);
    for (int i = 0; i < n; i++)
        v[i] = t->inter[i];
    qsort(v, (size_t)n, sizeof *v, by_step);
    int split = n - (int)p->patience - 1;
    hpo_direction d = hpo_ctx_direction(ctx, 0);
    double before = best_of(v, 0, split, d), after = best_of(v, split, n, d);
    *out = d == HPO_MAXIMIZE ? before - p->min_delta > after
                             : before + p->min_delta < after;
    return HPO_OK;
}

static int patient_should_prune(void *state, hpo_plugin_ctx *ctx,
                                hpo_verdict *verdict)
{
    patient *p = state;
    int stop, rc = stalled(p, ctx, &stop);
    if (rc || !stop)
        return rc;
    if (!p->inner.pruner) {
        *verdict = HPO_VERDICT_PRUNE;
        return HPO_OK;
    }
    return hpo__pruner_should_prune(&p->inner, ctx, verdict);
}

static int patient_on_tell(void *state, hpo_plugin_ctx *ctx,
                           hpo_trial_state final_state, const double *values,
                           int n)
{
    patient *p = state;
    if (!p->inner.pruner)
        return HPO_OK;
    return hpo__pruner_on_tell(&p->inner, ctx, final_state, values, n);
}

const hpo_pruner_type hpo__pruner_patient = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "patient",
             .summary = "after `patience` steps without improvement, ask the "
                        "wrapped pruner (or prune)",
             .options = patient_options,
             .state_size = sizeof(patient),
             .init = patient_init,
             .destroy = patient_destroy},
    .should_prune = patient_should_prune,
    .on_tell = patient_on_tell,
};
