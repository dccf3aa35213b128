/*
 * blackbox.c — the same hypergradient problem tuned by black-box methods
 * at a given number of fits, for the side-by-side comparison (`hpo
 * hypergrad --compare`, bench/hypergrad_bench.c): every fit is one trial
 * over the same float-log parameters the outer loop stores, its value the
 * validation loss, its user attribute test_loss.
 *
 *   grid    deterministic, log-spaced: with one or two hyperparameters the
 *           full grid of k^n points (k = floor(fits^(1/n)), so it may use
 *           fewer fits); with more, one value shared by all of them (a
 *           per-feature grid at that budget would have fewer than two
 *           points per axis), which is what a user would grid
 *   other   any registered sampler ("random", "tpe", "gp", ...), asked
 *           through the study as usual
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/study.h"
#include "outer.h"

static void record_best(hpo__hg_problem *p, double val, hpo__hg_result *r)
{
    r->steps_done++;
    r->fits = p->fits;
    if (isfinite(val) && !(val >= r->best_val_loss)) {
        r->best_val_loss = val;
        r->best_test_loss = p->test_loss(p);
        r->best_val_metric = p->val_metric ? p->val_metric(p) : NAN;
    }
}

/* The k-point log grid's i-th value of hyperparameter j. */
static double grid_point(const hpo__hg_problem *p, int j, int i, int k)
{
    double lo, hi;
    p->hyper_bounds(p, j, &lo, &hi);
    double a = log(lo), b = log(hi);
    return k == 1 ? 0.5 * (a + b) : a + (b - a) * i / (k - 1);
}

static int run_grid(hpo__hg_problem *p, int fits, hpo_study *study,
                    double *h, hpo__hg_result *r, hpo__msg *m)
{
    int n = p->n_hyper, dims = n <= 2 ? n : 1;
    int k = (int)floor(pow(fits, 1.0 / dims) + 1e-9);
    int total = dims == 1 ? k : k * k;
    for (int t = 0; t < total; t++) {
        for (int j = 0; j < n; j++) {
            int axis = dims == 1 ? 0 : j;
            int i = axis == 0 ? t % k : t / k;
            h[j] = grid_point(p, j, i, k);
        }
        double val;
        int rc = p->value_grad(p, h, 0, &val, NULL, m);
        if (rc == HPO_OK && study)
            rc = hpo__hg_store_step(study, p, h, val, NAN, m);
        if (rc != HPO_OK)
            return rc;
        record_best(p, val, r);
    }
    return HPO_OK;
}

/* One fit at the sampler's point: the trial told with its value. */
static int sampled_fit(hpo__hg_problem *p, hpo_study *study, double *h,
                       hpo__hg_result *r, hpo__msg *m)
{
    hpo_trial *t = NULL;
    int rc = hpo_study_ask(study, &t);
    if (rc != HPO_OK)
        return hpo__fail(m, rc, "%s", hpo_study_errmsg(study));
    double val = NAN;
    rc = hpo__hg_trial_hypers(t, p, h);
    if (rc == HPO_OK && (rc = p->value_grad(p, h, 0, &val, NULL, m)) != HPO_OK)
        return hpo__hg_trial_finish(study, t, rc, val, m); /* m has why */
    if (rc == HPO_OK)
        rc = hpo__hg_trial_attrs(t, p, NAN);
    if (rc != HPO_OK)
        hpo__fail(m, rc, "%s", hpo_trial_errmsg(t));
    rc = hpo__hg_trial_finish(study, t, rc, val, m);
    if (rc == HPO_OK)
        record_best(p, val, r);
    return rc;
}

static int open_study(const char *sampler, uint64_t seed,
                      hpo_storage *storage, const char *name,
                      hpo_study **out, hpo__msg *m)
{
    hpo_study *s = hpo_study_new();
    *out = NULL;
    if (!s)
        return hpo__oom(m);
    int rc = storage ? hpo_study_set_storage(s, storage) : HPO_OK;
    if (rc == HPO_OK && strcmp(sampler, "grid") != 0)
        rc = hpo_study_set_sampler(s, sampler);
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, seed);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, name ? name : "hypergrad-blackbox",
                            HPO_OPEN_CREATE);
    if (rc != HPO_OK) {
        hpo__fail(m, rc, "%s: %s", sampler, hpo_study_errmsg(s));
        hpo_study_free(s);
        return rc;
    }
    *out = s;
    return HPO_OK;
}

int hpo__hg_blackbox(hpo__hg_problem *p, const char *sampler, int fits,
                     uint64_t seed, hpo_storage *storage,
                     const char *study_name, hpo__hg_result *res,
                     hpo__msg *m)
{
    if (fits < 1)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: fits must be >= 1");
    *res = (hpo__hg_result){0, INFINITY, NAN, NAN, p->fits, 0};
    hpo_study *study = NULL;
    int grid = strcmp(sampler, "grid") == 0;
    double *h = calloc((size_t)p->n_hyper, sizeof *h);
    int rc = h ? open_study(sampler, seed, storage, study_name, &study, m)
               : hpo__oom(m);
    if (rc == HPO_OK && grid)
        rc = run_grid(p, fits, study, h, res, m);
    for (int i = 0; rc == HPO_OK && !grid && i < fits; i++)
        rc = sampled_fit(p, study, h, res, m);
    free(h);
    hpo_study_free(study);
    return rc;
}
