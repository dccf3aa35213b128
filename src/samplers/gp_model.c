/*
 * gp_model.c — Gaussian-process regression for the `gp` sampler, after
 * Snoek, Larochelle & Adams (2012), "Practical Bayesian Optimization of
 * Machine Learning Algorithms", and Rasmussen & Williams (2006), ch. 2 and
 * 5 (the marginal likelihood and its gradient, eq. 5.9).
 *
 * Kernel: Matérn 5/2 with one length scale per input (ARD),
 *     k(a, b) = s2 (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r),
 *     r^2 = sum_k ((a_k - b_k) / l_k)^2,
 * plus noise g on the diagonal.
 *
 * Deviation from the paper, on purpose: Snoek et al. integrate the
 * hyperparameters out by slice sampling; we take a point estimate (the
 * posterior mode under weak priors, found by L-BFGS from a warm start and a
 * few restarts), which is what BoTorch and most practical systems do and
 * keeps a trial's cost to milliseconds.  The priors are densities on the
 * natural scale (Gamma(3, 6) on each length scale, Gamma(2, 0.15) on the
 * signal variance, Gamma(1.1, 0.05) on the noise: BoTorch's former
 * defaults), optimized in log coordinates.
 */
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>

#include "gp_model.h"
#include "math/linalg.h"

#define SQRT5 2.23606797749978969641

/* Priors: Gamma(shape, rate) on l, s2 and g. */
#define LS_SHAPE 3.0
#define LS_RATE 6.0
#define S2_SHAPE 2.0
#define S2_RATE 0.15
#define NOISE_SHAPE 1.1
#define NOISE_RATE 0.05

/* Bounds (natural scale) for outputs standardized to unit variance on the
 * unit cube. */
#define LS_MIN 5e-3
#define LS_MAX 50.0
#define S2_MIN 1e-2
#define S2_MAX 1e2
#define NOISE_MIN 1e-6
#define NOISE_MAX 1.0

int gp_model_init(gp_model *m, int d)
{
    memset(m, 0, sizeof *m);
    m->d = d;
    m->theta = malloc(sizeof(double) * GP_N_THETA(d));
    m->inv_ls = malloc(sizeof(double) * (size_t)(d + 1));
    if (!m->theta || !m->inv_ls)
        return -1;
    gp_theta_default(d, m->theta);
    gp_model_set_theta(m, m->theta);
    return 0;
}

void gp_model_free(gp_model *m)
{
    free(m->x);
    free(m->y);
    free(m->theta);
    free(m->inv_ls);
    free(m->l);
    free(m->alpha);
    memset(m, 0, sizeof *m);
}

int gp_model_reserve(gp_model *m, int cap)
{
    if (cap <= m->cap)
        return 0;
    double *x = realloc(m->x, sizeof(double) * (size_t)cap * m->d + 1);
    if (x)
        m->x = x;
    double *y = realloc(m->y, sizeof(double) * (size_t)cap);
    if (y)
        m->y = y;
    double *alpha = realloc(m->alpha, sizeof(double) * (size_t)cap);
    if (alpha)
        m->alpha = alpha;
    double *l = malloc(sizeof(double) * (size_t)cap * cap);
    if (!x || !y || !alpha || !l) {
        free(l);
        return -1;
    }
    /* Keep the factored rows: re-stride the old factor into the new one. */
    for (int j = 0; j < m->n_factored; j++)
        memcpy(l + (size_t)j * cap, m->l + (size_t)j * m->cap,
               sizeof(double) * (size_t)m->n_factored);
    free(m->l);
    m->l = l;
    m->cap = cap;
    return 0;
}

void gp_model_set_theta(gp_model *m, const double *theta)
{
    if (theta != m->theta)
        memcpy(m->theta, theta, sizeof(double) * GP_N_THETA(m->d));
    for (int k = 0; k < m->d; k++)
        m->inv_ls[k] = exp(-m->theta[k]);
    gp_model_invalidate(m);
}

void gp_model_invalidate(gp_model *m)
{
    m->n_factored = 0;
    m->jitter = 0;
}

/* The Matérn-5/2 profile at scaled distance r, and c(r) = -k'(r) / r, the
 * factor that turns distance derivatives into coordinate ones. */
static double matern(double s2, double r, double *c)
{
    double e = exp(-SQRT5 * r);
    if (c)
        *c = s2 * (5.0 / 3.0) * (1 + SQRT5 * r) * e;
    return s2 * (1 + SQRT5 * r + (5.0 / 3.0) * r * r) * e;
}

static double scaled_dist2(const gp_model *m, const double *a,
                           const double *b)
{
    double r2 = 0;
    for (int k = 0; k < m->d; k++) {
        double u = (a[k] - b[k]) * m->inv_ls[k];
        r2 += u * u;
    }
    return r2;
}

double gp_kernel(const gp_model *m, const double *a, const double *b)
{
    return matern(exp(m->theta[m->d]), sqrt(scaled_dist2(m, a, b)), NULL);
}

/* Rows first..n-1 of the lower triangle of K + (g + jitter) I. */
static void fill_rows(gp_model *m, int first)
{
    double diag = exp(m->theta[m->d + 1]) + m->jitter;
    for (int j = 0; j < m->n; j++)
        for (int i = j > first ? j : first; i < m->n; i++)
            m->l[(size_t)j * m->cap + i] =
                gp_kernel(m, m->x + (size_t)i * m->d, m->x + (size_t)j * m->d) +
                (i == j ? diag : 0);
}

int gp_model_factor(gp_model *m)
{
    int first = m->n_factored <= m->n ? m->n_factored : 0;
    fill_rows(m, first);
    int info = hpo__chol_append(m->l, first, m->n - first, m->cap);
    /* Not positive definite in floating point: refactor everything with
     * growing jitter. */
    double s2 = exp(m->theta[m->d]);
    for (double j = 1e-8; info != 0 && j <= 1e-2; j *= 10) {
        m->jitter = j * s2;
        fill_rows(m, 0);
        info = hpo__chol(m->l, m->n, m->cap);
    }
    if (info != 0) {
        gp_model_invalidate(m);
        return -1;
    }
    m->n_factored = m->n;
    memcpy(m->alpha, m->y, sizeof(double) * (size_t)m->n);
    hpo__chol_solve(m->l, m->n, m->cap, m->alpha, 1, m->n ? m->n : 1);
    return 0;
}

/* The log of a Gamma(shape, rate) density at exp(t), without its constant,
 * and its derivative in t. */
static double log_gamma_density(double t, double shape, double rate,
                                double *dt)
{
    double v = exp(t);
    if (dt)
        *dt = (shape - 1) - rate * v;
    return (shape - 1) * t - rate * v;
}

double gp_log_prior(int d, const double *theta, double *grad)
{
    double lp = 0;
    for (int k = 0; k < d; k++)
        lp += log_gamma_density(theta[k], LS_SHAPE, LS_RATE,
                                grad ? &grad[k] : NULL);
    lp += log_gamma_density(theta[d], S2_SHAPE, S2_RATE,
                            grad ? &grad[d] : NULL);
    lp += log_gamma_density(theta[d + 1], NOISE_SHAPE, NOISE_RATE,
                            grad ? &grad[d + 1] : NULL);
    return lp;
}

/* Rasmussen & Williams eq. 5.9: d lml / d theta_j = 1/2 tr(W dK/dtheta_j)
 * with W = alpha alpha^T - K^-1.  For the length scales,
 * dk/dlog l_k = c(r) u_k^2 with u_k the scaled coordinate difference. */
static int lml_gradient(gp_model *m, double *grad)
{
    int n = m->n, d = m->d;
    double *w = malloc(sizeof(double) * (size_t)n * n + 1);
    double *u = malloc(sizeof(double) * (size_t)d + 1);
    if (!w || !u || hpo__chol_inverse(m->l, n, m->cap, w) != 0) {
        free(w);
        free(u);
        return -1;
    }
    double s2 = exp(m->theta[d]), g = exp(m->theta[d + 1]);
    for (int k = 0; k < d + 2; k++)
        grad[k] = 0;
    double trace = 0;
    for (int i = 0; i < n; i++) {
        double wii = m->alpha[i] * m->alpha[i] - w[(size_t)i * n + i];
        trace += wii;
        for (int j = 0; j < i; j++) {
            double wij = m->alpha[i] * m->alpha[j] - w[(size_t)j * n + i];
            const double *a = m->x + (size_t)i * d, *b = m->x + (size_t)j * d;
            double r2 = 0;
            for (int k = 0; k < d; k++) {
                u[k] = (a[k] - b[k]) * m->inv_ls[k];
                r2 += u[k] * u[k];
            }
            double c, kij = matern(s2, sqrt(r2), &c);
            for (int k = 0; k < d; k++)
                grad[k] += wij * c * u[k] * u[k];
            grad[d] += wij * kij;
        }
    }
    grad[d] += 0.5 * trace * s2;
    grad[d + 1] = 0.5 * trace * g;
    free(w);
    free(u);
    return 0;
}

double gp_log_marginal(gp_model *m, const double *theta, double *grad)
{
    gp_model_set_theta(m, theta);
    if (gp_model_factor(m) != 0)
        return -HUGE_VAL;
    double lml = -0.5 * hpo__dot(m->y, m->alpha, m->n) -
                 0.5 * m->n * log(2 * M_PI);
    for (int i = 0; i < m->n; i++)
        lml -= log(m->l[(size_t)i * m->cap + i]);
    if (grad && lml_gradient(m, grad) != 0)
        return -HUGE_VAL;
    return lml;
}

void gp_theta_bounds(int d, double *lower, double *upper)
{
    for (int k = 0; k < d; k++) {
        lower[k] = log(LS_MIN);
        upper[k] = log(LS_MAX);
    }
    lower[d] = log(S2_MIN);
    upper[d] = log(S2_MAX);
    lower[d + 1] = log(NOISE_MIN);
    upper[d + 1] = log(NOISE_MAX);
}

void gp_theta_default(int d, double *theta)
{
    for (int k = 0; k < d; k++)
        theta[k] = log(0.5);
    theta[d] = 0;
    theta[d + 1] = log(1e-3);
}

/* A random start: length scales log-uniform in [0.05, 2], signal variance
 * in [0.3, 3], noise in [1e-6, 0.1]. */
static void theta_random(int d, double *theta, double (*urand)(void *),
                         void *data)
{
    for (int k = 0; k < d; k++)
        theta[k] = log(0.05) + urand(data) * (log(2.0) - log(0.05));
    theta[d] = log(0.3) + urand(data) * (log(3.0) - log(0.3));
    theta[d + 1] = log(1e-6) + urand(data) * (log(0.1) - log(1e-6));
}

typedef struct fit_state {
    gp_model *m;
    double *best_theta;
    double best; /* the highest log posterior seen */
    double *prior_grad;
} fit_state;

/* NLopt minimizes: the negative log posterior.  Every evaluation is a
 * candidate, so a run that stops on a round-off error still counts. */
static double neg_log_posterior(unsigned n, const double *theta, double *grad,
                                void *data)
{
    fit_state *fs = data;
    int d = fs->m->d;
    double lml = gp_log_marginal(fs->m, theta, grad);
    if (!isfinite(lml)) {
        if (grad)
            memset(grad, 0, sizeof(double) * n);
        return HUGE_VAL;
    }
    double lp = gp_log_prior(d, theta, grad ? fs->prior_grad : NULL);
    if (grad)
        for (unsigned k = 0; k < n; k++)
            grad[k] = -(grad[k] + fs->prior_grad[k]);
    if (lml + lp > fs->best) {
        fs->best = lml + lp;
        memcpy(fs->best_theta, theta, sizeof(double) * n);
    }
    return -(lml + lp);
}

static void clamp(double *v, const double *lo, const double *hi, int n)
{
    for (int k = 0; k < n; k++)
        v[k] = v[k] < lo[k] ? lo[k] : v[k] > hi[k] ? hi[k] : v[k];
}

int gp_model_fit(gp_model *m, int n_restarts, int max_eval,
                 double (*urand)(void *), void *urand_data)
{
    int nt = GP_N_THETA(m->d);
    double *buf = malloc(sizeof(double) * (size_t)nt * 5);
    nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, (unsigned)nt);
    if (!buf || !opt) {
        free(buf);
        nlopt_destroy(opt);
        return -1;
    }
    double *lo = buf, *hi = buf + nt, *start = buf + 2 * nt;
    fit_state fs = {m, buf + 3 * nt, -HUGE_VAL, buf + 4 * nt};
    gp_theta_bounds(m->d, lo, hi);
    nlopt_set_lower_bounds(opt, lo);
    nlopt_set_upper_bounds(opt, hi);
    nlopt_set_min_objective(opt, neg_log_posterior, &fs);
    nlopt_set_maxeval(opt, max_eval);
    nlopt_set_ftol_rel(opt, 1e-6);
    memcpy(fs.best_theta, m->theta, sizeof(double) * nt);
    for (int s = 0; s <= n_restarts; s++) {
        if (s == 0)
            memcpy(start, m->theta, sizeof(double) * nt);
        else if (s == 1)
            gp_theta_default(m->d, start);
        else
            theta_random(m->d, start, urand, urand_data);
        clamp(start, lo, hi, nt);
        double f;
        nlopt_optimize(opt, start, &f); /* the best is kept in fs */
    }
    nlopt_destroy(opt);
    int ok = fs.best > -HUGE_VAL;
    if (ok)
        gp_model_set_theta(m, fs.best_theta);
    else
        gp_model_set_theta(m, m->theta);
    free(buf);
    return ok && gp_model_factor(m) == 0 ? 0 : -1;
}

void gp_predict(const gp_model *m, const double *x, double *mean,
                double *var, double *dmean, double *dvar, double *work)
{
    int n = m->n, d = m->d;
    double s2 = exp(m->theta[d]);
    double *v = work, *beta = work + n;
    for (int i = 0; i < n; i++)
        v[i] = gp_kernel(m, x, m->x + (size_t)i * d);
    *mean = hpo__dot(v, m->alpha, n);
    hpo__tri_solve(m->l, n, m->cap, 0, v);
    double vv = s2 - hpo__dot(v, v, n);
    *var = vv > 1e-12 * s2 ? vv : 1e-12 * s2;
    if (!dmean)
        return;
    memcpy(beta, v, sizeof(double) * (size_t)n);
    hpo__tri_solve(m->l, n, m->cap, 1, beta); /* K^-1 k(x) */
    for (int k = 0; k < d; k++)
        dmean[k] = dvar[k] = 0;
    for (int i = 0; i < n; i++) {
        const double *xi = m->x + (size_t)i * d;
        double c;
        matern(s2, sqrt(scaled_dist2(m, x, xi)), &c);
        for (int k = 0; k < d; k++) {
            /* dk/dx_k = -c (x_k - xi_k) / l_k^2 */
            double dk = -c * (x[k] - xi[k]) * m->inv_ls[k] * m->inv_ls[k];
            dmean[k] += dk * m->alpha[i];
            dvar[k] -= 2 * dk * beta[i];
        }
    }
    if (vv <= 1e-12 * s2)
        for (int k = 0; k < d; k++)
            dvar[k] = 0;
}

void gp_predict_many(const gp_model *m, const double *xs, int count,
                     double *mean, double *var, double *work)
{
    int n = m->n, d = m->d;
    double s2 = exp(m->theta[d]);
    for (int c = 0; c < count; c++) {
        double *col = work + (size_t)c * n;
        for (int i = 0; i < n; i++)
            col[i] = gp_kernel(m, xs + (size_t)c * d, m->x + (size_t)i * d);
        mean[c] = hpo__dot(col, m->alpha, n);
    }
    hpo__tri_solve_many(m->l, n, m->cap, work, count, n ? n : 1);
    for (int c = 0; c < count; c++) {
        const double *col = work + (size_t)c * n;
        double vv = s2 - hpo__dot(col, col, n);
        var[c] = vv > 1e-12 * s2 ? vv : 1e-12 * s2;
    }
}
