/*
 * cmaes_lra.c — learning-rate adaptation for CMA-ES (LRA-CMA-ES):
 * M. Nomura, Y. Akimoto and I. Ono, "CMA-ES with Learning Rate
 * Adaptation: Can CMA-ES with Default Population Size Solve Multimodal and
 * Noisy Problems?", GECCO 2023 (arXiv:2304.03473).
 *
 * After the ordinary update has moved the mean by dm and the covariance
 * Sigma = sigma^2 C by dS, both steps are measured in the old
 * distribution's local coordinates (Sigma_old^{-1/2} dm, and
 * Sigma_old^{-1/2} dS Sigma_old^{-1/2} / sqrt 2).  Exponential moving
 * averages of each step (E) and of its squared norm (V) estimate the
 * signal-to-noise ratio of the update; its learning rate eta (in (0, 1])
 * grows when the ratio exceeds alpha eta and shrinks when it is below,
 * and only eta times the step is taken.  On a multimodal or noisy
 * function the steps point every which way, eta falls, and the
 * distribution moves slowly enough to average over the local optima —
 * the effect a large population has, with the default one.
 *
 * Constants as in the paper: alpha 1.4, beta_mean 0.1, beta_Sigma 0.03,
 * gamma 0.1.  After the step, Sigma is split into sigma = det(Sigma)^(1/2n)
 * and C = Sigma / sigma^2, and sigma is scaled by eta_mean's change (the
 * paper's step-size correction).
 *
 * Deviations:
 *  1. When the ratio's denominator V - |E|^2 is not positive (a step of
 *     exactly zero, e.g. every candidate clipped onto one corner) eta is
 *     kept: the paper's formula is 0/0 there.
 *  2. The separable variant adapts on the diagonal alone (dS is diagonal).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"

#define LRA_ALPHA 1.4
#define LRA_BETA_MEAN 0.1
#define LRA_BETA_COV 0.03
#define LRA_GAMMA 0.1

static size_t cov_len(const hpo__cmaes *es)
{
    return es->separable ? (size_t)es->n : (size_t)es->n * es->n;
}

int hpo__cmaes_lra_alloc(hpo__cmaes *es)
{
    size_t n = (size_t)es->n, cn = cov_len(es);
    hpo__cmaes_lra *l = &es->lra;
    l->e_mean = calloc(n, sizeof(double));
    l->e_cov = calloc(cn, sizeof(double));
    l->cov_old = calloc(cn, sizeof(double));
    /* dm, the local mean step, dS, the local cov step, C_old^{-1/2}, and a
     * product: n + n + 4 cn */
    l->scratch = calloc(2 * n + 4 * cn, sizeof(double));
    return l->e_mean && l->e_cov && l->cov_old && l->scratch;
}

void hpo__cmaes_lra_free(hpo__cmaes *es)
{
    hpo__cmaes_lra *l = &es->lra;
    free(l->e_mean); free(l->e_cov); free(l->cov_old); free(l->scratch);
    l->e_mean = l->e_cov = l->cov_old = l->scratch = NULL;
}

void hpo__cmaes_lra_reset(hpo__cmaes *es)
{
    hpo__cmaes_lra *l = &es->lra;
    l->eta_mean = l->eta_cov = 1;
    l->v_mean = l->v_cov = 0;
    if (l->e_mean)
        memset(l->e_mean, 0, (size_t)es->n * sizeof(double));
    if (l->e_cov)
        memset(l->e_cov, 0, cov_len(es) * sizeof(double));
}

void hpo__cmaes_lra_set(hpo__cmaes *es, int on)
{
    es->lra.on = on ? 1 : 0;
    hpo__cmaes_lra_reset(es);
}

int hpo__cmaes_lra_save(hpo__cmaes *es, hpo__msg *m)
{
    if (!es->separable && es->eigen_generation != es->generation) {
        int rc = hpo__cmaes_eigen(es, m);
        if (rc != HPO_OK)
            return rc;
    }
    es->lra.sigma_old = es->sigma;
    memcpy(es->lra.cov_old, es->C, cov_len(es) * sizeof(double));
    return HPO_OK;
}

/* The moving averages of a step v (len) with rate beta; the estimated
 * signal-to-noise ratio, NAN when it cannot be estimated (deviation 1). */
static double snr(double *e, double *vsq, const double *v, size_t len, double beta)
{
    double sq = 0, esq = 0;
    for (size_t i = 0; i < len; i++) {
        e[i] = (1 - beta) * e[i] + beta * v[i];
        sq += v[i] * v[i];
        esq += e[i] * e[i];
    }
    *vsq = (1 - beta) * *vsq + beta * sq;
    double den = *vsq - esq;
    return den > 0 && isfinite(den) ? (esq - beta / (2 - beta) * *vsq) / den : NAN;
}

/* eta <- eta exp(min(gamma eta, beta) clip(snr / (alpha eta) - 1, -1, 1)),
 * at most 1. */
static double next_eta(double eta, double ratio, double beta)
{
    if (isnan(ratio))
        return eta;
    double rel = fmin(fmax(ratio / (LRA_ALPHA * eta) - 1, -1), 1);
    return fmin(1.0, eta * exp(fmin(LRA_GAMMA * eta, beta) * rel));
}

/* W = C_old^{-1/2} = B diag(1/D) B^T from the old decomposition. */
static void old_inv_sqrt(const hpo__cmaes *es, double *W)
{
    int n = es->n;
    for (int j = 0; j < n; j++)
        for (int i = 0; i <= j; i++) {
            double s = 0;
            for (int k = 0; k < n; k++)
                s += es->B[(size_t)k * n + i] * es->B[(size_t)k * n + j] / es->D[k];
            W[(size_t)j * n + i] = W[(size_t)i * n + j] = s;
        }
}

/* loc = W dS W / (sigma_old^2 sqrt 2), all n x n (P scratch). */
static void local_cov_step(const hpo__cmaes *es, const double *W, const double *dS,
                           double *P, double *loc)
{
    int n = es->n;
    double s = 1 / (es->lra.sigma_old * es->lra.sigma_old * sqrt(2.0));
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double a = 0;
            for (int k = 0; k < n; k++)
                a += dS[(size_t)k * n + i] * W[(size_t)j * n + k];
            P[(size_t)j * n + i] = a; /* dS W */
        }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double a = 0;
            for (int k = 0; k < n; k++)
                a += W[(size_t)k * n + i] * P[(size_t)j * n + k];
            loc[(size_t)j * n + i] = a * s;
        }
}

void hpo__cmaes_local_steps(const hpo__cmaes *es, const double *dm,
                            const double *dS, double *lm, double *lS,
                            double *W, double *P)
{
    int n = es->n;
    double so = es->lra.sigma_old;
    if (es->separable) {
        for (int i = 0; i < n; i++) {
            double c = es->lra.cov_old[i];
            lm[i] = dm[i] / (so * sqrt(c));
            lS[i] = dS[i] / (so * so * c * sqrt(2.0));
        }
        return;
    }
    old_inv_sqrt(es, W);
    for (int i = 0; i < n; i++) {
        double a = 0;
        for (int k = 0; k < n; k++)
            a += W[(size_t)k * n + i] * dm[k];
        lm[i] = a / so;
    }
    local_cov_step(es, W, dS, P, lS);
}

int hpo__cmaes_lra_apply(hpo__cmaes *es, hpo__msg *m)
{
    hpo__cmaes_lra *l = &es->lra;
    int n = es->n;
    size_t cn = cov_len(es);
    double *dm = l->scratch, *lm = dm + n, *dS = lm + n, *lS = dS + cn;
    double *W = lS + cn, *P = W + cn;
    double so2 = l->sigma_old * l->sigma_old, s2 = es->sigma * es->sigma;
    for (int i = 0; i < n; i++)
        dm[i] = es->mean[i] - es->mean_old[i];
    for (size_t i = 0; i < cn; i++)
        dS[i] = s2 * es->C[i] - so2 * l->cov_old[i];
    hpo__cmaes_local_steps(es, dm, dS, lm, lS, W, P);
    double eta_before = l->eta_mean;
    l->eta_mean = next_eta(l->eta_mean, snr(l->e_mean, &l->v_mean, lm, (size_t)n,
                                            LRA_BETA_MEAN), LRA_BETA_MEAN);
    l->eta_cov = next_eta(l->eta_cov, snr(l->e_cov, &l->v_cov, lS, cn, LRA_BETA_COV),
                          LRA_BETA_COV);
    /* The damped step: both are convex combinations of the old and the new
     * (a mean in the cube, a positive definite Sigma). */
    for (int i = 0; i < n; i++)
        es->mean[i] = fmin(fmax(es->mean_old[i] + l->eta_mean * dm[i], 0), 1);
    for (size_t i = 0; i < cn; i++)
        es->C[i] = so2 * l->cov_old[i] + l->eta_cov * dS[i];
    /* Sigma = sigma^2 C with det C = 1: the eigenvalues give both. */
    int rc = hpo__cmaes_eigen(es, m);
    if (rc != HPO_OK)
        return rc;
    double logdet = 0;
    for (int i = 0; i < n; i++)
        logdet += log(es->D[i]);
    double sigma = exp(logdet / n);
    for (size_t i = 0; i < cn; i++)
        es->C[i] /= sigma * sigma;
    for (int i = 0; i < n; i++)
        es->D[i] /= sigma;
    es->sigma = sigma * eta_before / l->eta_mean;
    return HPO_OK;
}
