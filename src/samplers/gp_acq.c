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
#include "gp_ehvi.h"

#define LOG_SQRT_2PI 0.91893853320467274178
#define CF_DEPTH 60
#define DIRECT_LIMIT (-8.0)

static double norm_cdf(double z) { return 0.5 * erfc(-z / M_SQRT2); }

/* c with Mills' ratio R(t) = Phi(-t) / phi(t) = 1 / (t + c), from R's
 * continued fraction 1 / (t + 1 / (t + 2 / (t + ...))), for t > 8. */
static double mills_c(double t)
{
    double g = t;
    for (int k = CF_DEPTH; k >= 2; k--)
        g = t + k / g;
    return 1 / g;
}

double gp_log_h(double z, double *dz)
{
    if (z >= DIRECT_LIMIT) {
        double cdf = norm_cdf(z);
        double h = z * cdf + exp(-0.5 * z * z - LOG_SQRT_2PI);
        if (dz)
            *dz = cdf / h;
        return log(h);
    }
    double t = -z, c = mills_c(t);
    if (dz)
        *dz = 1 / c; /* Phi(z) / h = R (t + c) / c = 1 / c */
    return -0.5 * t * t - LOG_SQRT_2PI + log(c) - log(t + c);
}

double gp_log_cdf(double z, double *dz)
{
    if (z >= DIRECT_LIMIT) {
        double cdf = norm_cdf(z);
        if (dz)
            *dz = exp(-0.5 * z * z - LOG_SQRT_2PI) / cdf;
        return z > 0 ? log1p(-norm_cdf(-z)) : log(cdf);
    }
    double t = -z, c = mills_c(t);
    if (dz)
        *dz = t + c;
    return -0.5 * t * t - LOG_SQRT_2PI - log(t + c);
}

static int n_objective_models(const gp_acq *a)
{
    return a->kind == GP_LOG_EHVI ? 2 : a->kind == GP_FEASIBILITY ? 0 : 1;
}

int gp_acq_n_models(const gp_acq *a)
{
    return n_objective_models(a) + a->n_constraints;
}

static const gp_model *model_at(const gp_acq *a, int j)
{
    int n_obj = n_objective_models(a);
    if (j < n_obj)
        return j == 0 ? a->model : a->model2;
    return a->constraints[j - n_obj];
}

#define MAX_MODELS (2 + GP_ACQ_MAX_CONSTRAINTS)

/* The acquisition from each model's posterior mean and sd at one point,
 * and its partial derivatives in them (dmu, dsd). */
static double combine(const gp_acq *a, const double *mean, const double *sd,
                      double *dmu, double *dsd)
{
    double v = 0, dl;
    int j = n_objective_models(a);
    if (a->kind == GP_UCB) {
        v = -mean[0] + a->kappa * sd[0];
        dmu[0] = -1;
        dsd[0] = a->kappa;
    } else if (a->kind == GP_LOG_EI) {
        double z = (a->best - mean[0]) / sd[0];
        v = log(sd[0]) + gp_log_h(z, &dl);
        dmu[0] = -dl / sd[0];
        dsd[0] = (1 - z * dl) / sd[0];
    } else if (a->kind == GP_LOG_EHVI) {
        v = gp_log_ehvi2(a->front, mean, sd, dmu, dsd);
    }
    for (int k = 0; k < a->n_constraints; k++, j++) {
        double z = (a->thresholds[k] - mean[j]) / sd[j];
        v += gp_log_cdf(z, &dl);
        dmu[j] = -dl / sd[j];
        dsd[j] = -z * dl / sd[j];
    }
    return v;
}

double gp_acq_value(gp_acq *a, const double *x, double *grad)
{
    int d = a->model->d, n_models = gp_acq_n_models(a);
    double mean[MAX_MODELS] = {0}, sd[MAX_MODELS] = {0}, dmu[MAX_MODELS],
        dsd[MAX_MODELS];
    for (int j = 0; j < n_models; j++) {
        double var;
        gp_predict(model_at(a, j), x, &mean[j], &var,
                   grad ? a->dmean + (size_t)j * d : NULL,
                   grad ? a->dvar + (size_t)j * d : NULL, a->work);
        sd[j] = sqrt(var);
    }
    double value = combine(a, mean, sd, dmu, dsd);
    if (!grad)
        return value;
    for (int k = 0; k < d; k++)
        grad[k] = 0;
    for (int j = 0; j < n_models; j++) {
        const double *dm = a->dmean + (size_t)j * d;
        const double *dv = a->dvar + (size_t)j * d;
        for (int k = 0; k < d; k++)
            grad[k] += dmu[j] * dm[k] + dsd[j] * dv[k] / (2 * sd[j]);
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

/* Score every candidate through the batched posteriors. */
static int score_candidates(gp_acq *a, const double *cand, int count,
                            double *score)
{
    int d = a->model->d, n_models = gp_acq_n_models(a), n_max = 0;
    for (int j = 0; j < n_models; j++)
        n_max = model_at(a, j)->n > n_max ? model_at(a, j)->n : n_max;
    double *post = malloc(sizeof(double) * CHUNK * 2 * (n_models + 1));
    double *work = malloc(sizeof(double) * (size_t)CHUNK * (n_max + 1));
    if (!post || !work) {
        free(post);
        free(work);
        return -1;
    }
    for (int c0 = 0; c0 < count; c0 += CHUNK) {
        int len = count - c0 < CHUNK ? count - c0 : CHUNK;
        for (int j = 0; j < n_models; j++)
            gp_predict_many(model_at(a, j), cand + (size_t)c0 * d, len,
                            post + (size_t)2 * j * CHUNK,
                            post + (size_t)(2 * j + 1) * CHUNK, work);
        for (int c = 0; c < len; c++) {
            double mean[MAX_MODELS], sd[MAX_MODELS], dmu[MAX_MODELS],
                dsd[MAX_MODELS];
            for (int j = 0; j < n_models; j++) {
                mean[j] = post[(size_t)2 * j * CHUNK + c];
                sd[j] = sqrt(post[(size_t)(2 * j + 1) * CHUNK + c]);
            }
            double v = combine(a, mean, sd, dmu, dsd);
            score[c0 + c] = isfinite(v) ? v : -HUGE_VAL;
        }
    }
    free(post);
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
