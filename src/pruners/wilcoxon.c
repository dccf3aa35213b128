/*
 * wilcoxon.c — Optuna's WilcoxonPruner (Optuna 3.6): for a study whose
 * trials evaluate a list of problem instances (data sets, folds, seeds,
 * input files) and report each as `report(value, step = instance id)`,
 * compare the running trial with the best COMPLETE trial on the instances
 * both have evaluated by the one-sided Wilcoxon signed-rank test
 * (src/math/signed_rank.c, zero_method "zsplit" as Optuna asks of SciPy)
 * and prune when the trial is significantly worse: p < p_threshold.  The
 * racing idea of irace (López-Ibáñez et al. 2016) for one trial at a time.
 *
 * As Optuna: no pruning before max(2, n_startup_steps) paired instances,
 * and none while the trial's mean over its instances is at least as good
 * as the best trial's mean over all of its instances (the test may say
 * "worse" on the pairs seen so far, but the trial may yet be the best).
 *
 * Deviations:
 *   1. NaN follows hpo's rule for every pruner, not Optuna's "never prune
 *      a trial holding NaN or inf": a NaN is no value at that instance
 *      (the pair is left out), and a trial with nothing but NaN after
 *      max(2, n_startup_steps) reports is judged the worst and pruned.
 *      ±inf are values (a diverged run's +inf is worse than any score).
 *   2. hpo takes steps in increasing order within a trial, so each trial
 *      evaluates the instances in the same order (irace's race does too);
 *      to randomize it, number the instances by their position in one
 *      shuffled list for the whole study.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "../math/signed_rank.h"
#include "pruner.h"

typedef struct wilcoxon {
    double p_threshold;
    int64_t n_startup;
} wilcoxon;

static const hpo_option wilcoxon_options[] = {
    {"p_threshold", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,
     "prune when the one-sided signed-rank test's p-value that the trial is "
     "worse than the best is below this",
     offsetof(wilcoxon, p_threshold), 0},
    {"n_startup_steps", HPO_OPTION_INT, "2", 0, INFINITY, NULL,
     "instances both trials evaluated before any pruning (at least 2)",
     offsetof(wilcoxon, n_startup), 0},
    {0},
};

static int by_step(const void *pa, const void *pb)
{
    const hpo__step_value *a = pa, *b = pb;
    return (a->step > b->step) - (a->step < b->step);
}

/* The mean of a trial's non-NaN values (NaN when it has none). */
static double mean_of(const hpo__trial_rec *t)
{
    double sum = 0;
    int n = 0;
    for (int i = 0; i < t->n_inter; i++)
        if (!isnan(t->inter[i].value)) {
            sum += t->inter[i].value;
            n++;
        }
    return n ? sum / n : NAN;
}

/* d[] = trial - best on the steps both have values at (inf - inf is
 * no difference either); returns how many. */
static int paired(hpo_plugin_ctx *ctx, const hpo__trial_rec *t,
                  const hpo__trial_rec *best, double *d)
{
    hpo__step_value *b =
        hpo_ctx_scratch(ctx, (size_t)best->n_inter * sizeof *b);
    if (!b)
        return -1;
    for (int i = 0; i < best->n_inter; i++)
        b[i] = best->inter[i];
    qsort(b, (size_t)best->n_inter, sizeof *b, by_step);
    int n = 0;
    for (int i = 0; i < t->n_inter; i++) {
        hpo__step_value *hit =
            bsearch(&t->inter[i], b, (size_t)best->n_inter, sizeof *b, by_step);
        double diff = hit ? t->inter[i].value - hit->value : NAN;
        if (!isnan(diff))
            d[n++] = diff;
    }
    return n;
}

static int wilcoxon_should_prune(void *state, hpo_plugin_ctx *ctx,
                                 hpo_verdict *verdict)
{
    const wilcoxon *p = state;
    const hpo__trial_rec *t = ctx->trial, *best;
    if (t->n_inter == 0)
        return HPO_OK;
    int rc = hpo_ctx_best(ctx, &best);
    if (rc == HPO_ENOTFOUND)
        return HPO_OK;
    if (rc != HPO_OK)
        return rc;
    double mean = mean_of(t), best_mean = mean_of(best);
    if (isnan(best_mean)) /* nothing to compare with */
        return HPO_OK;
    if (isnan(mean)) { /* only NaN so far: judged the worst */
        if (t->n_inter >= 2 && t->n_inter >= p->n_startup)
            *verdict = HPO_VERDICT_PRUNE;
        return HPO_OK;
    }
    double *d = hpo_ctx_scratch(ctx, (size_t)t->n_inter * sizeof *d);
    int n = d ? paired(ctx, t, best, d) : -1;
    if (n < 0)
        return hpo_ctx_fail(ctx, HPO_ENOMEM, "wilcoxon: out of memory");
    if (n < 2 || n < p->n_startup)
        return HPO_OK;
    hpo__signed_rank sr;
    rc = hpo__signed_rank_test(d, n, &hpo__signed_rank_scipy, &sr);
    if (rc != HPO_OK)
        return hpo_ctx_fail(ctx, rc, "wilcoxon: out of memory");
    int minimize = hpo_ctx_direction(ctx, 0) == HPO_MINIMIZE;
    double pv = minimize ? sr.p_greater : sr.p_less;
    int mean_is_best = minimize ? best_mean >= mean : best_mean <= mean;
    if (pv < p->p_threshold && !mean_is_best)
        *verdict = HPO_VERDICT_PRUNE;
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_wilcoxon = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "wilcoxon",
             .summary = "stop a trial that the signed-rank test finds worse "
                        "than the best trial on the instances (steps) both "
                        "evaluated",
             .options = wilcoxon_options,
             .state_size = sizeof(wilcoxon)},
    .should_prune = wilcoxon_should_prune,
};
