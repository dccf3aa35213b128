/*
 * cmaes_core.c — CMA-ES ask and tell, after N. Hansen, "The CMA Evolution
 * Strategy: A Tutorial", arXiv:1604.00772 (2016): default strategy
 * parameters with active (negative) weights (Table 1), cumulation paths,
 * cumulative step-size adaptation, the covariance update with the h_sigma
 * stall rule, and a lazily refreshed eigendecomposition (LAPACKE_dsyev).
 * The separable variant follows R. Ros and N. Hansen, "A Simple
 * Modification in CMA-ES Achieving Linear Time and Space Complexity"
 * (PPSN 2008): C diagonal, learning rates c1 and cmu times (n+2)/3.
 *
 * Deviations:
 *  1. The space is [0,1]^n; a candidate outside is clipped onto the cube,
 *     and tell learns from the clipped point (y = (x - m)/sigma), so the
 *     update sees what was evaluated.  Clipping (not resampling) keeps ask
 *     a function of exactly lambda*n draws, which a stored generation and
 *     parallel workers need.
 *  2. The step-size change per generation is capped at a factor e (as
 *     common implementations do), so one lucky generation cannot blow up
 *     sigma.
 *  3. Separable mode uses positive weights only: negative weights on a
 *     diagonal with fast rates could drive a variance negative.
 *  4. A NaN or infinite value ranks last.
 *  5. With the margin (cmaes_margin.c) a candidate is m + sigma A y while
 *     the update learns from m + sigma y, as in Hamano et al. 2022; both
 *     clipped.
 */
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"
#include "math/linalg.h"

static void set_weights(hpo__cmaes *es)
{
    int lam = es->lambda, n = es->n;
    double *w = es->weights, pos = 0, pos2 = 0, neg = 0, neg2 = 0;
    es->mu = lam / 2;
    for (int i = 0; i < lam; i++) {
        w[i] = log((lam + 1) / 2.0) - log(i + 1.0);
        if (w[i] > 0) { pos += w[i]; pos2 += w[i] * w[i]; }
        else { neg -= w[i]; neg2 += w[i] * w[i]; }
    }
    es->mueff = pos * pos / pos2;
    double mueff_neg = neg2 > 0 ? neg * neg / neg2 : 0;
    double acov = 2.0;
    es->c1 = acov / ((n + 1.3) * (n + 1.3) + es->mueff);
    es->cmu = fmin(1 - es->c1, acov * (es->mueff - 2 + 1 / es->mueff)
                                   / ((n + 2.0) * (n + 2.0) + acov * es->mueff / 2));
    if (es->separable) {
        double f = (n + 2.0) / 3.0, s;
        es->c1 *= f;
        es->cmu *= f;
        s = es->c1 + es->cmu;
        if (s > 0.95) { es->c1 *= 0.95 / s; es->cmu *= 0.95 / s; }
    }
    double amu = 1 + es->c1 / es->cmu;
    double ameff = 1 + 2 * mueff_neg / (es->mueff + 2);
    double apos = (1 - es->c1 - es->cmu) / (n * es->cmu);
    double scale_neg = fmin(amu, fmin(ameff, apos));
    for (int i = 0; i < lam; i++)
        w[i] = w[i] > 0 ? w[i] / pos
             : es->separable || neg == 0 ? 0 : scale_neg * w[i] / neg;
    es->cs = (es->mueff + 2) / (n + es->mueff + 5);
    es->ds = 1 + 2 * fmax(0, sqrt((es->mueff - 1) / (n + 1)) - 1) + es->cs;
    es->cc = (4 + es->mueff / n) / (n + 4 + 2 * es->mueff / n);
    es->chi_n = sqrt((double)n) * (1 - 1 / (4.0 * n) + 1 / (21.0 * n * n));
}

void hpo__cmaes_free_run(hpo__cmaes *es)
{
    free(es->weights); free(es->mean); free(es->C); free(es->ps);
    free(es->pc); free(es->B); free(es->D); free(es->x); free(es->xr); free(es->A);
    free(es->mean_old); free(es->best_hist); free(es->median_hist);
    hpo__cmaes_lra_free(es);
    hpo__cmaes_psa_free(es);
    es->weights = es->mean = es->C = es->ps = es->pc = NULL;
    es->B = es->D = es->x = es->xr = es->A = es->mean_old = es->best_hist = es->median_hist = NULL;
}

void hpo__cmaes_free(hpo__cmaes *es)
{
    if (es)
        hpo__cmaes_free_run(es);
}

/* Allocate a run's arrays for es->n, es->lambda, es->separable and set the
 * strategy parameters; the distribution itself is left zeroed. */
int hpo__cmaes_alloc(hpo__cmaes *es, hpo__msg *m)
{
    size_t n = (size_t)es->n, lam = (size_t)es->lambda;
    size_t cn = es->separable ? n : n * n;
    es->weights = calloc(lam, sizeof(double));
    es->mean = calloc(n, sizeof(double));
    es->C = calloc(cn, sizeof(double));
    es->ps = calloc(n, sizeof(double));
    es->pc = calloc(n, sizeof(double));
    es->B = calloc(cn, sizeof(double));
    es->D = calloc(n, sizeof(double));
    es->x = calloc(lam * n, sizeof(double));
    es->mean_old = calloc(n, sizeof(double));
    es->xr = calloc(lam * n, sizeof(double));
    es->A = calloc(n, sizeof(double));
    if (!es->xr || !es->A || !es->mean_old || !es->weights || !es->mean || !es->C || !es->ps || !es->pc || !es->B
        || !es->D || !es->x || !hpo__cmaes_lra_alloc(es)
        || !hpo__cmaes_psa_alloc(es)) {
        hpo__cmaes_free_run(es);
        return hpo__oom(m);
    }
    set_weights(es);
    return HPO_OK;
}

int hpo__cmaes_start(hpo__cmaes *es, const double *mean, double sigma,
                     int lambda, hpo__msg *m)
{
    int n = es->n, rc;
    if (!(sigma > 0) || !isfinite(sigma))
        return hpo__fail(m, HPO_EINVAL, "cmaes: sigma must be positive, not %g", sigma);
    if (lambda == 0)
        lambda = 4 + (int)floor(3 * log((double)n));
    if (lambda < 2 || lambda > 1000000)
        return hpo__fail(m, HPO_EINVAL, "cmaes: population %d is not in [2, 1e6]", lambda);
    hpo__cmaes_free_run(es);
    es->lambda = lambda;
    if ((rc = hpo__cmaes_alloc(es, m)) != HPO_OK)
        return rc;
    for (int i = 0; i < n; i++) {
        double v = mean ? mean[i] : 0.5;
        es->mean[i] = v < 0 ? 0 : v > 1 ? 1 : v;
        es->D[i] = 1;
        es->A[i] = 1;
        if (es->separable) { es->C[i] = 1; es->B[i] = 1; }
        else { es->C[i * n + i] = 1; es->B[i * n + i] = 1; }
    }
    es->sigma = es->sigma0 = sigma;
    es->generation = es->evaluations = es->eigen_generation = 0;
    es->pending = 0;
    es->hist_len = es->hist_cap = 0;
    es->last_spread = 0;
    hpo__cmaes_lra_reset(es);
    hpo__cmaes_psa_reset(es);
    return HPO_OK;
}

int hpo__cmaes_set_lambda(hpo__cmaes *es, int lambda, hpo__msg *m)
{
    size_t len = (size_t)lambda * (size_t)es->n * sizeof(double);
    if (es->pending)
        return hpo__fail(m, HPO_EMISUSE, "cmaes: the population cannot change mid-generation");
    double *w = realloc(es->weights, (size_t)lambda * sizeof(double));
    if (w)
        es->weights = w;
    double *x = w ? realloc(es->x, len) : NULL;
    if (x)
        es->x = x;
    double *xr = x ? realloc(es->xr, len) : NULL;
    if (!xr)
        return hpo__oom(m);
    es->xr = xr;
    es->lambda = lambda;
    set_weights(es);
    return HPO_OK;
}

int hpo__cmaes_init(hpo__cmaes *es, int n, const double *mean, double sigma,
                    int lambda, int separable, hpo__msg *m)
{
    memset(es, 0, sizeof *es);
    if (n < 1 || n > 100000)
        return hpo__fail(m, HPO_EINVAL, "cmaes: dimension %d is not in [1, 1e5]", n);
    es->n = n;
    es->separable = separable ? 1 : 0;
    int rc = hpo__cmaes_start(es, mean, sigma, lambda, m);
    es->rs.lambda_default = es->lambda;
    es->tol_fun = 1e-12;
    es->tol_x = 1e-12 * sigma;
    es->rs.sigma_default = sigma;
    return rc;
}

int hpo__cmaes_eigen(hpo__cmaes *es, hpo__msg *m)
{
    int n = es->n;
    if (es->separable) {
        for (int i = 0; i < n; i++)
            es->D[i] = sqrt(fmax(es->C[i], 1e-300));
    } else {
        hpo__linalg_init();
        memcpy(es->B, es->C, (size_t)n * n * sizeof(double));
        int info = (int)LAPACKE_dsyev(LAPACK_COL_MAJOR, 'V', 'U', n, es->B, n, es->D);
        if (info != 0)
            return hpo__fail(m, HPO_EINVAL, "cmaes: eigendecomposition of C failed (info %d)", info);
        for (int i = 0; i < n; i++)
            es->D[i] = sqrt(fmax(es->D[i], 1e-300));
    }
    es->eigen_generation = es->generation;
    return HPO_OK;
}

/* y = B diag(D) z (or D z when separable). */
static void transform(const hpo__cmaes *es, const double *z, double *y)
{
    int n = es->n;
    if (es->separable) {
        for (int i = 0; i < n; i++)
            y[i] = es->D[i] * z[i];
        return;
    }
    for (int i = 0; i < n; i++)
        y[i] = 0;
    for (int j = 0; j < n; j++) {
        double dz = es->D[j] * z[j];
        const double *b = es->B + (size_t)j * n;
        for (int i = 0; i < n; i++)
            y[i] += b[i] * dz;
    }
}

void hpo__cmaes_sample(const hpo__cmaes *es, const double *z, double *x,
                       double *xr, double *y)
{
    transform(es, z, y);
    for (int i = 0; i < es->n; i++) {
        double v = es->mean[i] + es->sigma * y[i];
        double w = es->mean[i] + es->A[i] * es->sigma * y[i];
        xr[i] = v < 0 ? 0 : v > 1 ? 1 : v;
        x[i] = w < 0 ? 0 : w > 1 ? 1 : w;
    }
}

int hpo__cmaes_ask(hpo__cmaes *es, const double *z, hpo__rng *rng, hpo__msg *m)
{
    int n = es->n;
    if (es->pending)
        return hpo__fail(m, HPO_EMISUSE, "cmaes: generation %ld is already asked", es->generation);
    if (!z && !rng)
        return hpo__fail(m, HPO_EINVAL, "cmaes: ask needs draws or a random generator");
    double *zk = malloc((size_t)n * 2 * sizeof(double));
    if (!zk)
        return hpo__oom(m);
    for (int k = 0; k < es->lambda; k++) {
        for (int i = 0; i < n; i++)
            zk[i] = z ? z[(size_t)k * n + i] : hpo__rng_normal(rng);
        hpo__cmaes_sample(es, zk, es->x + (size_t)k * n, es->xr + (size_t)k * n,
                          zk + n);
    }
    free(zk);
    es->pending = 1;
    return HPO_OK;
}

/* Candidates ranked by value (hpo__sort_by_value): NaN and infinities
 * rank last (deviation 4); ties keep candidate order. */
typedef hpo__value_index ranked;

/* out = C^{-1/2} v = B diag(1/D) B^T v. */
static void inv_sqrt(const hpo__cmaes *es, const double *v, double *out, double *tmp)
{
    int n = es->n;
    if (es->separable) {
        for (int i = 0; i < n; i++)
            out[i] = v[i] / es->D[i];
        return;
    }
    for (int j = 0; j < n; j++) {
        const double *b = es->B + (size_t)j * n;
        double s = 0;
        for (int i = 0; i < n; i++)
            s += b[i] * v[i];
        tmp[j] = s / es->D[j];
    }
    for (int i = 0; i < n; i++)
        out[i] = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            out[i] += es->B[(size_t)j * n + i] * tmp[j];
}

static double norm(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

/* Keep the per-generation best and median, trimmed to the longest window
 * the stagnation test reads (Hansen 2009: 120 + 30n/lambda + 20% of the
 * generations; at most 2,000, cmaes_stop.c). */
static int record_history(hpo__cmaes *es, const ranked *r, hpo__msg *m)
{
    int lam = es->lambda;
    double best = r[0].value, med = r[lam / 2].value;
    double worst = r[lam - 1].value;
    es->last_spread = isfinite(worst) && isfinite(best) ? worst - best : HUGE_VAL;
    if (es->hist_len == es->hist_cap) {
        int cap = es->hist_cap ? 2 * es->hist_cap : 64;
        double *b = realloc(es->best_hist, (size_t)cap * sizeof(double));
        if (!b)
            return hpo__oom(m);
        es->best_hist = b;
        double *md = realloc(es->median_hist, (size_t)cap * sizeof(double));
        if (!md)
            return hpo__oom(m);
        es->median_hist = md;
        es->hist_cap = cap;
    }
    es->best_hist[es->hist_len] = isfinite(best) ? best : 1e308;
    es->median_hist[es->hist_len] = isfinite(med) ? med : 1e308;
    es->hist_len++;
    int keep = hpo__cmaes_stag_window(es);
    if (es->hist_len > keep) {
        int drop = es->hist_len - keep;
        memmove(es->best_hist, es->best_hist + drop, (size_t)keep * sizeof(double));
        memmove(es->median_hist, es->median_hist + drop, (size_t)keep * sizeof(double));
        es->hist_len = keep;
    }
    return HPO_OK;
}

/* C <- (1 - c1 - cmu sum w + c1 delta) C + c1 pc pc^T + cmu sum w°_i y_i y_i^T. */
static void update_cov(hpo__cmaes *es, const ranked *r, double hsig, double *tmp)
{
    int n = es->n, lam = es->lambda;
    double *yi = tmp, *ci = tmp + n, *t2 = tmp + 2 * n, sumw = 0;
    double delta = (1 - hsig) * es->cc * (2 - es->cc);
    for (int k = 0; k < lam; k++)
        sumw += es->weights[k];
    double decay = 1 + es->c1 * delta - es->c1 - es->cmu * sumw;
    if (es->separable) {
        for (int i = 0; i < n; i++)
            es->C[i] = decay * es->C[i] + es->c1 * es->pc[i] * es->pc[i];
    } else {
        for (size_t i = 0; i < (size_t)n * n; i++)
            es->C[i] *= decay;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                es->C[(size_t)j * n + i] += es->c1 * es->pc[i] * es->pc[j];
    }
    for (int k = 0; k < lam; k++) {
        double w = es->weights[k];
        if (w == 0)
            continue;
        const double *x = es->xr + (size_t)r[k].index * n;
        for (int i = 0; i < n; i++)
            yi[i] = (x[i] - es->mean_old[i]) / es->sigma;
        if (w < 0) {
            inv_sqrt(es, yi, ci, t2);
            double q = norm(ci, n);
            w *= q > 0 ? n / (q * q) : 0;
        }
        if (es->separable) {
            for (int i = 0; i < n; i++)
                es->C[i] += es->cmu * w * yi[i] * yi[i];
        } else {
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                    es->C[(size_t)j * n + i] += es->cmu * w * yi[i] * yi[j];
        }
    }
}

int hpo__cmaes_tell(hpo__cmaes *es, const double *f, hpo__msg *m)
{
    int n = es->n, lam = es->lambda, rc;
    if (!es->pending)
        return hpo__fail(m, HPO_EMISUSE, "cmaes: no generation is asked");
    ranked *r = malloc((size_t)lam * sizeof *r);
    double *tmp = malloc((size_t)n * 5 * sizeof(double));
    if (!r || !tmp) {
        free(r); free(tmp);
        return hpo__oom(m);
    }
    for (int k = 0; k < lam; k++) {
        r[k].value = isnan(f[k]) ? HUGE_VAL : f[k];
        r[k].index = k;
    }
    hpo__sort_by_value(r, lam);
    if ((rc = record_history(es, r, m)) != HPO_OK
        || ((es->lra.on || es->psa.on) && (rc = hpo__cmaes_lra_save(es, m)) != HPO_OK))
        goto out;
    double *yw = tmp + 3 * n, *cy = tmp + 4 * n;
    memcpy(es->mean_old, es->mean, (size_t)n * sizeof(double));
    for (int i = 0; i < n; i++)
        yw[i] = 0;
    for (int k = 0; k < es->mu; k++) {
        const double *x = es->xr + (size_t)r[k].index * n;
        for (int i = 0; i < n; i++)
            yw[i] += es->weights[k] * (x[i] - es->mean_old[i]) / es->sigma;
    }
    /* The mean of clipped points lies in the cube but for rounding
     * (-3e-17 seen): clamp, so a stored state always reads back. */
    for (int i = 0; i < n; i++)
        es->mean[i] = fmin(fmax(es->mean_old[i] + es->sigma * yw[i], 0), 1);
    inv_sqrt(es, yw, cy, tmp);
    double a = sqrt(es->cs * (2 - es->cs) * es->mueff);
    for (int i = 0; i < n; i++)
        es->ps[i] = (1 - es->cs) * es->ps[i] + a * cy[i];
    double psn = norm(es->ps, n);
    double corr = sqrt(1 - pow(1 - es->cs, 2.0 * (es->generation + 1)));
    double hsig = psn / corr < (1.4 + 2.0 / (n + 1)) * es->chi_n ? 1 : 0;
    double b = hsig * sqrt(es->cc * (2 - es->cc) * es->mueff);
    for (int i = 0; i < n; i++)
        es->pc[i] = (1 - es->cc) * es->pc[i] + b * yw[i];
    /* The negative weights are scaled by |C^{-1/2} y|, which keeps C
     * positive definite only with the current C's decomposition: a stale
     * one (the lazy refresh below) drove C indefinite on branin at
     * lambda 48 (a diagonal of -0.003), and the state could not be read
     * back.  Refresh it first whenever a weight is negative. */
    if (!es->separable && es->weights[lam - 1] < 0
        && es->eigen_generation != es->generation
        && (rc = hpo__cmaes_eigen(es, m)) != HPO_OK)
        goto out;
    update_cov(es, r, hsig, tmp);
    es->sigma *= exp(fmin(1.0, es->cs / es->ds * (psn / es->chi_n - 1)));
    es->generation++;
    es->evaluations += lam;
    es->pending = 0;
    /* PSA measures the ordinary step (before LRA damps it) and sets the
     * next generation's lambda. */
    if (es->psa.on && (rc = hpo__cmaes_psa_apply(es, hsig, m)) != HPO_OK)
        goto out;
    /* LRA's damped step ends with a fresh decomposition. */
    if (es->lra.on && (rc = hpo__cmaes_lra_apply(es, m)) != HPO_OK)
        goto out;
    /* The tutorial's lazy refresh: O(n^3) only every lambda/(c1+cmu)/n/10
     * generations, so the decomposition costs O(n^2) per candidate. */
    if (es->separable
        || (es->generation - es->eigen_generation) * (es->c1 + es->cmu) * n * 10 > lam)
        rc = hpo__cmaes_eigen(es, m);
out:
    free(r);
    free(tmp);
    return rc;
}
