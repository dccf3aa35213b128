/*
 * gp_acq.c — log expected improvement and an upper confidence bound, and
 * their multi-start maximization (Snoek et al. 2012, section 2: EI and
 * GP-UCB; the log form of EI follows Ament et al. 2023, "Unexpected
 * Improvements to Expected Improvement for Bayesian Optimization", so that
 * far from the incumbent the acquisition keeps a useful gradient instead of
 * underflowing to zero).
 *
 * With z = (best - mean) / sd, EI = sd h(z), h(z) = z Phi(z) + phi(z).
 * For z >= -8 h is computed directly (it loses at most two digits to
 * cancellation there).  Below, with t = -z, h = phi(t) (1 - t R(t)) where
 * R is Mills' ratio Phi(-t) / phi(t); writing R = 1 / (t + c) with c from
 * R's continued fraction (Abramowitz & Stegun 26.2.14), 1 - t R = c / (t +
 * c) has no cancellation at all, and log h = log phi(t) + log c -
 * log(t + c) is finite for every finite t.
 */
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>

#include "gp_acq.h"

#define LOG_SQRT_2PI 0.91893853320467274178
#define CF_DEPTH 60
#define DIRECT_LIMIT (-8.0)

static double norm_cdf(double z) { return 0.5 * erfc(-z / M_SQRT2); }

double gp_log_h(double z, double *dz)
{
    if (z >= DIRECT_LIMIT) {
        double cdf = norm_cdf(z);
        double h = z * cdf + exp(-0.5 * z * z - LOG_SQRT_2PI);
        if (dz)
            *dz = cdf / h;
        return log(h);
    }
    double t = -z;
    /* c = 1 / (t + 2 / (t + 3 / (t + ...))), evaluated from the tail. */
    double g = t;
    for (int k = CF_DEPTH; k >= 2; k--)
        g = t + k / g;
    double c = 1 / g;
    if (dz)
        *dz = 1 / c; /* Phi(z) / h = R (t + c) / c = 1 / c */
    return -0.5 * t * t - LOG_SQRT_2PI + log(c) - log(t + c);
}

double gp_acq_value(gp_acq *a, const double *x, double *grad)
{
    const gp_model *m = a->model;
    double mean, var;
    gp_predict(m, x, &mean, &var, grad ? a->dmean : NULL,
               grad ? a->dvar : NULL, a->work);
    double sd = sqrt(var);
    if (a->kind == GP_UCB) {
        if (grad)
            for (int k = 0; k < m->d; k++)
                grad[k] = -a->dmean[k] + a->kappa * a->dvar[k] / (2 * sd);
        return -mean + a->kappa * sd;
    }
    double z = (a->best - mean) / sd, dlogh;
    double value = log(sd) + gp_log_h(z, grad ? &dlogh : NULL);
    if (grad)
        for (int k = 0; k < m->d; k++) {
            double dsd = a->dvar[k] / (2 * sd);
            double dzk = (-a->dmean[k] - z * dsd) / sd;
            grad[k] = dsd / sd + dlogh * dzk;
        }
    return value;
}

typedef struct search {
    gp_acq *a;
    double best;
    double *best_x;
} search;

/* NLopt minimizes; every evaluation is a candidate. */
static double neg_acq(unsigned n, const double *x, double *grad, void *data)
{
    search *s = data;
    double v = gp_acq_value(s->a, x, grad);
    if (!isfinite(v)) {
        if (grad)
            memset(grad, 0, sizeof(double) * n);
        return HUGE_VAL;
    }
    if (grad)
        for (unsigned k = 0; k < n; k++)
            grad[k] = -grad[k];
    if (v > s->best) {
        s->best = v;
        memcpy(s->best_x, x, sizeof(double) * n);
    }
    return -v;
}

/* Indices of the k highest scores, best first (k is small). */
static void top_k(const double *score, int count, int k, int *idx)
{
    for (int j = 0; j < k; j++) {
        int best = -1;
        for (int c = 0; c < count; c++) {
            int taken = 0;
            for (int q = 0; q < j; q++)
                taken |= idx[q] == c;
            if (!taken && (best < 0 || score[c] > score[best]))
                best = c;
        }
        idx[j] = best;
    }
}

#define CHUNK 128

/* Score every candidate through the batched posterior. */
static int score_candidates(gp_acq *a, const double *cand, int count,
                            double *score)
{
    const gp_model *m = a->model;
    double *mean = malloc(sizeof(double) * CHUNK * 2);
    double *work = malloc(sizeof(double) * (size_t)CHUNK * (m->n + 1));
    if (!mean || !work) {
        free(mean);
        free(work);
        return -1;
    }
    double *var = mean + CHUNK;
    for (int c0 = 0; c0 < count; c0 += CHUNK) {
        int len = count - c0 < CHUNK ? count - c0 : CHUNK;
        gp_predict_many(m, cand + (size_t)c0 * m->d, len, mean, var, work);
        for (int c = 0; c < len; c++) {
            double sd = sqrt(var[c]);
            score[c0 + c] = a->kind == GP_UCB
                                ? -mean[c] + a->kappa * sd
                                : log(sd) + gp_log_h((a->best - mean[c]) / sd,
                                                     NULL);
        }
    }
    free(mean);
    free(work);
    return 0;
}

/* One L-BFGS run from x, holding the fixed coordinates (NLopt fixes a
 * variable whose bounds are equal); the best point it visited, snapped,
 * goes to x and its score is returned. */
static double local_run(gp_acq *a, nlopt_opt opt, double *x, double *lo,
                        double *hi, double start_score, double *best_x)
{
    int d = a->model->d;
    for (int k = 0; k < d; k++) {
        int hold = a->fixed && a->fixed[k];
        lo[k] = hold ? x[k] : 0;
        hi[k] = hold ? x[k] : 1;
    }
    nlopt_set_lower_bounds(opt, lo);
    nlopt_set_upper_bounds(opt, hi);
    search s = {a, start_score, best_x};
    memcpy(best_x, x, sizeof(double) * d);
    nlopt_set_min_objective(opt, neg_acq, &s);
    double f;
    nlopt_optimize(opt, x, &f);
    memcpy(x, best_x, sizeof(double) * d);
    if (!a->snap)
        return s.best;
    a->snap(a->snap_data, x);
    double v = gp_acq_value(a, x, NULL);
    return isfinite(v) ? v : -HUGE_VAL;
}

int gp_acq_maximize(gp_acq *a, const double *candidates, int count,
                    int n_starts, int max_eval, double *out)
{
    int d = a->model->d;
    if (n_starts > count)
        n_starts = count;
    double *score = malloc(sizeof(double) * (size_t)count);
    int *idx = malloc(sizeof(int) * (size_t)(n_starts + 1));
    double *buf = malloc(sizeof(double) * (size_t)d * 4);
    nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, (unsigned)d);
    int rc = -1;
    if (!score || !idx || !buf || !opt ||
        score_candidates(a, candidates, count, score) != 0)
        goto done;
    top_k(score, count, n_starts, idx);
    double *lo = buf, *hi = buf + d, *x = buf + 2 * d, *run_best = buf + 3 * d;
    double best = score[idx[0]];
    memcpy(out, candidates + (size_t)idx[0] * d, sizeof(double) * d);
    nlopt_set_maxeval(opt, max_eval);
    nlopt_set_ftol_rel(opt, 1e-9);
    for (int j = 0; j < n_starts; j++) {
        memcpy(x, candidates + (size_t)idx[j] * d, sizeof(double) * d);
        double v = local_run(a, opt, x, lo, hi, score[idx[j]], run_best);
        if (v > best) {
            best = v;
            memcpy(out, x, sizeof(double) * d);
        }
    }
    rc = 0;
done:
    nlopt_destroy(opt);
    free(score);
    free(idx);
    free(buf);
    return rc;
}
