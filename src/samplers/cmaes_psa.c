/*
 * cmaes_psa.c — population size adaptation for CMA-ES (PSA-CMA-ES):
 * K. Nishida and Y. Akimoto, "PSA-CMA-ES: CMA-ES with Population Size
 * Adaptation", GECCO 2018, doi:10.1145/3205455.3205467.
 *
 * After the ordinary update, the parameter step (the mean's dm and the
 * covariance's dSigma, Sigma = sigma^2 C) is measured in the Fisher
 * metric of the old distribution (hpo__cmaes_local_steps) and divided by
 * the square root of its expected squared norm under random selection
 * (E below).  An evolution path accumulates the normalised steps:
 *
 *   p <- (1 - beta) p + sqrt(beta (2 - beta)) step / sqrt(E)
 *   gamma_theta <- (1 - beta)^2 gamma_theta + beta (2 - beta)
 *   lambda_r <- lambda_r exp(beta (gamma_theta - |p|^2 / alpha))
 *
 * |p|^2 is about gamma_theta when the steps are noise (random selection)
 * and larger when they agree: lambda grows while the updates look like
 * noise (a rugged or noisy landscape) and shrinks when they are
 * consistent, between lambda_min = 4 + floor(3 ln n) and 512 lambda_min.
 * The next generation's lambda is round(lambda_r); when it changes, sigma
 * is multiplied by sigma*(lambda_new) / sigma*(lambda_old), the ratio of
 * the normalised step sizes that are optimal on a sphere, sigma*(lambda)
 * = n mu_w r / (n - 1 + mu_w r^2), r = -sum_i w_i E[N_{i:lambda}] over
 * the positive weights (E[N_{i:lambda}], the expected i-th smallest of
 * lambda standard normals, by Blom's approximation).
 *
 * E (the paper's approximation; chi = E|N(0, I)|, c_m = 1):
 *   n / mu_w + 2 n (n - chi^2) / chi^2 gamma_s (cs/ds)^2
 *   + 1/2 (1 + 8 gamma_s (n - chi^2) / chi^2 (cs/ds)^2)
 *     ((n^2 + n) cmu^2 / mu_w + (n^2 + n) cc (2 - cc) c1 cmu mu_w sum w^3
 *      + c1^2 (gamma_c^2 n^2 + (1 - 2 gamma_c + 2 gamma_c^2) n)),
 * gamma_s <- (1 - cs)^2 gamma_s + cs (2 - cs), gamma_c <- (1 - cc)^2
 * gamma_c + hsig cc (2 - cc).  Constants alpha 1.4, beta 0.4 as in the
 * paper.
 *
 * Deviations:
 *  1. The separable variant measures the diagonal only; its expected
 *     norms are the diagonal's: 2n for n^2 + n, and n (3 gamma_c^2 -
 *     2 gamma_c + 1) for the rank-one term.
 *  2. The paper has no negative (active) weights; here they add their
 *     rank-mu noise to E: cmu^2 sum_neg w^2 (n^2 - n), the expected
 *     squared norm of (n / |z|^2) z z^T - I (the active update rescales
 *     each such z z^T to trace n).  Without it E was half the measured
 *     noise at large lambda and lambda stopped growing on pure noise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"

#define PSA_ALPHA 1.4
#define PSA_BETA 0.4
#define PSA_MAX_FACTOR 512

static size_t theta_len(const hpo__cmaes *es)
{
    return (size_t)es->n + (es->separable ? (size_t)es->n : (size_t)es->n * es->n);
}

int hpo__cmaes_psa_alloc(hpo__cmaes *es)
{
    es->psa.p_theta = calloc(theta_len(es), sizeof(double));
    return es->psa.p_theta != NULL;
}

void hpo__cmaes_psa_free(hpo__cmaes *es)
{
    free(es->psa.p_theta);
    es->psa.p_theta = NULL;
}

void hpo__cmaes_psa_reset(hpo__cmaes *es)
{
    hpo__cmaes_psa *p = &es->psa;
    p->lambda_r = es->lambda;
    p->gamma_theta = p->gamma_s = p->gamma_c = 0;
    if (p->p_theta)
        memset(p->p_theta, 0, theta_len(es) * sizeof(double));
}

void hpo__cmaes_psa_set(hpo__cmaes *es, int on)
{
    es->psa.on = on ? 1 : 0;
    hpo__cmaes_psa_reset(es);
}

/* The standard normal quantile by bisection on erfc (called only when
 * lambda changes; 1e-12 is far below what sigma's ratio needs). */
static double normal_quantile(double p)
{
    double lo = -40, hi = 40;
    while (hi - lo > 1e-12) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / sqrt(2.0)) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* sigma*(lambda): the optimal normalised step size on a sphere with the
 * default positive weights of lambda. */
static double sigma_star(int n, int lambda)
{
    int mu = lambda / 2;
    double sw = 0, sw2 = 0, r = 0;
    for (int i = 0; i < mu; i++)
        sw += log((lambda + 1) / 2.0) - log(i + 1.0);
    for (int i = 0; i < mu; i++) {
        double w = (log((lambda + 1) / 2.0) - log(i + 1.0)) / sw;
        sw2 += w * w;
        /* Blom: E[N_{i:lambda}] ~ quantile((i - 0.375) / (lambda + 0.25)),
         * i from 1, the smallest first: negative for the best. */
        r -= w * normal_quantile((i + 1 - 0.375) / (lambda + 0.25));
    }
    double mueff = 1 / sw2;
    return n * mueff * r / (n - 1 + mueff * r * r);
}

/* E[|step|^2] under random selection (the header's formula; the active
 * weights' rank-mu noise added, deviation 2). */
static double expected_sq(const hpo__cmaes *es)
{
    const hpo__cmaes_psa *p = &es->psa;
    double n = es->n, chi2 = es->chi_n * es->chi_n, w3 = 0, wneg2 = 0;
    for (int i = 0; i < es->lambda; i++) {
        double w = es->weights[i];
        if (w > 0)
            w3 += w * w * w;
        else
            wneg2 += w * w;
    }
    double rs = es->cs / es->ds, g = p->gamma_c;
    double pairs = es->separable ? 2 * n : n * n + n;
    double rank1 = es->separable ? n * (3 * g * g - 2 * g + 1)
                                 : g * g * n * n + (1 - 2 * g + 2 * g * g) * n;
    double sig = (n - chi2) / chi2 * p->gamma_s * rs * rs;
    double cov = es->cmu * es->cmu * (pairs / es->mueff + (n * n - n) * wneg2)
               + pairs * es->cc * (2 - es->cc) * es->c1 * es->cmu * es->mueff * w3
               + es->c1 * es->c1 * rank1;
    return n / es->mueff + 2 * n * sig + 0.5 * (1 + 8 * sig) * cov;
}

/* |p|^2 after adding this generation's step (scratch: LRA's). */
static double path_sq(hpo__cmaes *es)
{
    hpo__cmaes_psa *p = &es->psa;
    int n = es->n;
    size_t cn = theta_len(es) - (size_t)n, len = theta_len(es);
    double *dm = es->lra.scratch, *lm = dm + n, *dS = lm + n, *lS = dS + cn;
    double *W = lS + cn, *P = W + cn;
    double so2 = es->lra.sigma_old * es->lra.sigma_old, s2 = es->sigma * es->sigma;
    for (int i = 0; i < n; i++)
        dm[i] = es->mean[i] - es->mean_old[i];
    for (size_t i = 0; i < cn; i++)
        dS[i] = s2 * es->C[i] - so2 * es->lra.cov_old[i];
    hpo__cmaes_local_steps(es, dm, dS, lm, lS, W, P);
    double scale = sqrt(PSA_BETA * (2 - PSA_BETA) / expected_sq(es)), sq = 0;
    for (size_t i = 0; i < len; i++) {
        double v = i < (size_t)n ? lm[i] : lS[i - n];
        p->p_theta[i] = (1 - PSA_BETA) * p->p_theta[i] + scale * v;
        sq += p->p_theta[i] * p->p_theta[i];
    }
    return sq;
}

int hpo__cmaes_psa_apply(hpo__cmaes *es, double hsig, hpo__msg *m)
{
    hpo__cmaes_psa *p = &es->psa;
    p->gamma_s = (1 - es->cs) * (1 - es->cs) * p->gamma_s + es->cs * (2 - es->cs);
    p->gamma_c = (1 - es->cc) * (1 - es->cc) * p->gamma_c + hsig * es->cc * (2 - es->cc);
    double sq = path_sq(es);
    p->gamma_theta = (1 - PSA_BETA) * (1 - PSA_BETA) * p->gamma_theta
                   + PSA_BETA * (2 - PSA_BETA);
    double lmin = 4 + floor(3 * log((double)es->n));
    double lmax = fmin(PSA_MAX_FACTOR * lmin, 1000000);
    if (isfinite(sq))
        p->lambda_r *= exp(PSA_BETA * (p->gamma_theta - sq / PSA_ALPHA));
    p->lambda_r = fmin(fmax(p->lambda_r, lmin), lmax);
    int lambda = (int)lround(p->lambda_r);
    if (lambda == es->lambda)
        return HPO_OK;
    es->sigma *= sigma_star(es->n, lambda) / sigma_star(es->n, es->lambda);
    return hpo__cmaes_set_lambda(es, lambda, m);
}
