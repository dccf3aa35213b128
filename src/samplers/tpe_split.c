/*
 * tpe_split.c — which trials TPE calls good ("below") and which bad
 * ("above") (Optuna 3.1's rules: _split_observation_pairs, default_gamma;
 * how much each counts is tpe_weights.c).
 *
 * Ranking, best first:
 *   1. feasible COMPLETE trials by value (minimised; maximised values are
 *      negated).  Several objectives (MOTPE, Ozaki et al., "Multiobjective
 *      Tree-Structured Parzen Estimator for Computationally Expensive
 *      Optimization Problems", GECCO 2020): by nondomination rank; the
 *      front that straddles the cut keeps the members with the largest
 *      hypervolume contribution (two objectives; with more, the smallest
 *      sum of range-normalised values — a deviation);
 *   2. feasible PRUNED trials by their last step (later is better), then
 *      the value reported there;
 *   3. RUNNING trials (constant liar: they are assumed to turn out worst);
 *   4. infeasible trials, by total violation: a trial whose system
 *      attribute "constraints" is a JSON list with a value > 0 (Optuna's
 *      constraints_func rule);
 *   5. FAIL trials (consider_failed, hpo's addition: always bad).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tpe.h"

int tpe_n_below(const tpe_opts *o, int n)
{
    int k = (int)ceil(o->gamma * n - 1e-12);
    return k < o->gamma_max ? k : o->gamma_max;
}

int tpe_trial_usable(const tpe_opts *o, const hpo_plugin_ctx *ctx,
                     const hpo__trial_rec *t)
{
    if (t->number == ctx->trial->number)
        return 0;
    if (t->state == HPO_COMPLETE)
        return t->n_values > 0;
    if (t->state == HPO_PRUNED_STATE)
        return 1;
    if (t->state == HPO_FAIL)
        return o->consider_failed && t->n_params > 0;
    return t->state == HPO_RUNNING && o->constant_liar;
}

typedef struct rank_key {
    double k[3];
    int index;
} rank_key;

static int by_key(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    for (int i = 0; i < 3; i++)
        if (x->k[i] != y->k[i])
            return x->k[i] < y->k[i] ? -1 : 1;
    return x->index - y->index;
}

static void pruned_key(const hpo__trial_rec *t, double sign, rank_key *key)
{
    key->k[0] = 1;
    key->k[1] = INFINITY;
    key->k[2] = 0;
    /* The value at the last step; a NaN there ranks last at that step. */
    int64_t step = INT64_MIN;
    for (int i = 0; i < t->n_inter; i++) {
        if (t->inter[i].step > step) {
            step = t->inter[i].step;
            double v = t->inter[i].value;
            key->k[1] = -(double)step;
            key->k[2] = isnan(v) ? INFINITY : sign * v;
        }
    }
}

static int key_less(const rank_key *a, const rank_key *b)
{
    return by_key(a, b) < 0;
}

/* The k best keys, in order, into best[0..k): one pass keeping a sorted
 * list of the best so far.  k <= gamma_max is small and most keys lose to
 * the current k-th at the first comparison, so this is O(n), not a sort of
 * the whole history. */
static int select_best(const rank_key *keys, int n, int k, rank_key *best)
{
    if (k > n)
        k = n;
    int have = 0;
    for (int i = 0; i < n; i++) {
        int j;
        if (have < k) {
            j = have++;
        } else if (k > 0 && key_less(&keys[i], &best[k - 1])) {
            j = k - 1;
        } else {
            continue;
        }
        for (; j > 0 && key_less(&keys[i], &best[j - 1]); j--)
            best[j] = best[j - 1];
        best[j] = keys[i];
    }
    return k;
}

/* ---- several objectives ------------------------------------------------ */

typedef struct mo_ctx {
    int m;
    const double *y; /* n x m, minimised */
} mo_ctx;

static int dominates(const double *a, const double *b, int m)
{
    int better = 0;
    for (int i = 0; i < m; i++) {
        if (a[i] > b[i])
            return 0;
        if (a[i] < b[i])
            better = 1;
    }
    return better;
}

/* Greedily drop the member with the smallest hypervolume contribution
 * (two objectives: the front sorted by y0 has each point's exclusive box
 * between its neighbours) until keep remain; keep[i] set on the kept. */
static void hv_select_2d(const double *y, const int *idx, int n, int keep,
                         unsigned char *kept)
{
    double ref0 = -INFINITY, ref1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        ref0 = fmax(ref0, y[2 * idx[i]]);
        ref1 = fmax(ref1, y[2 * idx[i] + 1]);
        kept[i] = 1;
    }
    ref0 += fabs(ref0) * 0.1 + 1e-9;
    ref1 += fabs(ref1) * 0.1 + 1e-9;
    for (int left = n; left > keep; left--) {
        int worst = -1;
        double worst_c = INFINITY;
        for (int i = 0; i < n; i++) {
            if (!kept[i])
                continue;
            /* neighbours among the kept, by y0 (ties by index) */
            double a0 = y[2 * idx[i]], a1 = y[2 * idx[i] + 1];
            double next0 = ref0, prev1 = ref1;
            for (int j = 0; j < n; j++) {
                if (!kept[j] || j == i)
                    continue;
                double b0 = y[2 * idx[j]], b1 = y[2 * idx[j] + 1];
                if (b0 > a0 || (b0 == a0 && j > i))
                    next0 = fmin(next0, b0);
                else
                    prev1 = fmin(prev1, b1);
            }
            double c = (next0 - a0) * (prev1 - a1);
            if (worst < 0 || c < worst_c) {
                worst_c = c;
                worst = i;
            }
        }
        kept[worst] = 0;
    }
}

static void sum_select(const double *y, int m, const int *idx, int n,
                       int keep, unsigned char *kept, double *lo, double *hi)
{
    rank_key *k = malloc(sizeof *k * (size_t)n);
    for (int i = 0; i < n; i++) {
        kept[i] = 0;
        double s = 0;
        for (int d = 0; d < m; d++) {
            double r = hi[d] - lo[d];
            s += r > 0 ? (y[(size_t)idx[i] * m + d] - lo[d]) / r : 0;
        }
        if (k)
            k[i] = (rank_key){{s, 0, 0}, i};
    }
    if (k)
        qsort(k, (size_t)n, sizeof *k, by_key);
    for (int i = 0; i < keep; i++)
        kept[k ? k[i].index : i] = 1;
    free(k);
}

/* Rank the n points (n x m) into keys: front number, with the straddling
 * front split by its selection; fronts are peeled only until `need` points
 * are ranked, so the cost is O(n * fronts * front size). */
static int rank_fronts(hpo_plugin_ctx *ctx, const double *y, int n, int m,
                       int need, double *rank)
{
    int *left = hpo__scratch(ctx, sizeof(int) * (size_t)n);
    int *front = hpo__scratch(ctx, sizeof(int) * (size_t)n);
    unsigned char *kept = hpo__scratch(ctx, (size_t)n);
    double *lo = hpo__scratch(ctx, sizeof(double) * (size_t)m);
    double *hi = hpo__scratch(ctx, sizeof(double) * (size_t)m);
    if (!left || !front || !kept || !lo || !hi)
        return hpo__oom(ctx->msg);
    int n_left = n, ranked = 0;
    for (int i = 0; i < n; i++) {
        left[i] = i;
        rank[i] = INFINITY;
    }
    for (int f = 0; n_left > 0 && ranked < need; f++) {
        int nf = 0, n_rest = 0;
        for (int a = 0; a < n_left; a++) {
            int dominated = 0;
            for (int b = 0; b < n_left && !dominated; b++)
                dominated = dominates(&y[(size_t)left[b] * m],
                                      &y[(size_t)left[a] * m], m);
            if (dominated)
                left[n_rest++] = left[a];
            else
                front[nf++] = left[a];
        }
        n_left = n_rest;
        if (ranked + nf <= need) {
            for (int i = 0; i < nf; i++)
                rank[front[i]] = f;
        } else {
            if (m == 2) {
                hv_select_2d(y, front, nf, need - ranked, kept);
            } else {
                for (int d = 0; d < m; d++) {
                    lo[d] = INFINITY;
                    hi[d] = -INFINITY;
                    for (int i = 0; i < nf; i++) {
                        lo[d] = fmin(lo[d], y[(size_t)front[i] * m + d]);
                        hi[d] = fmax(hi[d], y[(size_t)front[i] * m + d]);
                    }
                }
                sum_select(y, m, front, nf, need - ranked, kept, lo, hi);
            }
            for (int i = 0; i < nf; i++)
                rank[front[i]] = kept[i] ? f : f + 0.5;
        }
        ranked += nf;
    }
    return HPO_OK;
}

/* The several-objective ranks of the feasible COMPLETE trials. */
static int multi_objective_keys(hpo_plugin_ctx *ctx,
                                const hpo__trial_rec *const *trials,
                                rank_key *keys, int n, int m, int need)
{
    int nc = 0;
    for (int i = 0; i < n; i++)
        nc += keys[i].k[0] == 0;
    double *y = hpo__scratch(ctx, sizeof(double) * (size_t)(nc * m + 1));
    int *which = hpo__scratch(ctx, sizeof(int) * (size_t)(nc + 1));
    double *rank = hpo__scratch(ctx, sizeof(double) * (size_t)(nc + 1));
    if (!y || !which || !rank)
        return hpo__oom(ctx->msg);
    int c = 0;
    for (int i = 0; i < n; i++) {
        if (keys[i].k[0] != 0)
            continue;
        const hpo__trial_rec *t = trials[i];
        for (int d = 0; d < m; d++) {
            double v = d < t->n_values ? t->values[d] : INFINITY;
            int maximize = hpo_ctx_direction(ctx, d) == HPO_MAXIMIZE;
            y[(size_t)c * m + d] = maximize ? -v : v;
        }
        which[c++] = i;
    }
    int rc = rank_fronts(ctx, y, nc, m, need, rank);
    if (rc)
        return rc;
    for (int i = 0; i < nc; i++)
        keys[which[i]].k[1] = rank[i];
    return HPO_OK;
}

int tpe_split(hpo_plugin_ctx *ctx, const hpo__trial_rec *const *trials,
              int n, int n_below, unsigned char *below)
{
    rank_key *keys = hpo__scratch(ctx, sizeof *keys * (size_t)(n + 1));
    if (!keys)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "tpe: out of memory");
    int m = hpo_ctx_n_objectives(ctx);
    if (m < 1)
        m = 1;
    double sign = hpo_ctx_direction(ctx, 0) == HPO_MAXIMIZE ? -1 : 1;
    for (int i = 0; i < n; i++) {
        const hpo__trial_rec *t = trials[i];
        rank_key *key = &keys[i];
        key->index = i;
        double v = hpo__trial_violation(t);
        if (t->state == HPO_FAIL) {
            *key = (rank_key){{4, 0, 0}, i};
        } else if (v > 0) {
            *key = (rank_key){{3, v, 0}, i};
        } else if (t->state == HPO_COMPLETE) {
            double y = t->n_values > 0 ? sign * t->values[0] : INFINITY;
            *key = (rank_key){{0, isnan(y) ? INFINITY : y, 0}, i};
        } else if (t->state == HPO_PRUNED_STATE) {
            pruned_key(t, sign, key);
        } else {
            *key = (rank_key){{2, 0, 0}, i};
        }
    }
    if (m > 1 && multi_objective_keys(ctx, trials, keys, n, m, n_below))
        return hpo__fail(ctx->msg, HPO_ENOMEM, "tpe: out of memory");
    rank_key *best = hpo__scratch(ctx, sizeof *best * (size_t)(n_below + 1));
    if (!best)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "tpe: out of memory");
    int k = select_best(keys, n, n_below, best);
    for (int i = 0; i < n; i++)
        below[i] = 0;
    for (int i = 0; i < k; i++)
        below[best[i].index] = 1;
    return HPO_OK;
}
