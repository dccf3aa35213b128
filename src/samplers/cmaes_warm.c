/*
 * cmaes_warm.c — warm starting CMA-ES from earlier evaluations: M. Nomura,
 * S. Watanabe, Y. Akimoto, Y. Ozaki and M. Onishi, "Warm Starting CMA-ES
 * for Hyperparameter Optimization" (AAAI 2021), WS-CMA-ES.
 *
 * The promising region is estimated from the best gamma share of the
 * earlier points (the paper's default gamma = 0.1): a Gaussian whose mean
 * is their mean and whose covariance is their scatter plus alpha^2 I (the
 * paper's prior width, alpha = 0.1 of the unit cube), the moment-matched
 * single Gaussian of the paper's mixture of one Gaussian per top point.
 * It is split as sigma^2 C with det C = 1 (sigma = det(Sigma)^(1/2n)), so
 * the step size carries the region's scale and C its shape.
 *
 * Deviations:
 *  1. The source points are the same task's earlier trials (another
 *     sampler's, enqueued ones), not a similar task's: the paper's
 *     transfer is used as a hand-over.
 *  2. With a separable state only C's diagonal is kept.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"

int hpo__cmaes_warm_count(int count, double gamma)
{
    int k = (int)floor(gamma * count);
    return k < 1 ? 1 : k > count ? count : k;
}

/* The top points' mean into mean, their scatter plus alpha^2 I into S
 * (n*n). */
static void moments(int n, const double *pts, const hpo__value_index *r,
                    int k, double alpha, double *mean, double *S)
{
    for (int i = 0; i < n; i++)
        mean[i] = 0;
    for (int t = 0; t < k; t++)
        for (int i = 0; i < n; i++)
            mean[i] += pts[(size_t)r[t].index * n + i] / k;
    memset(S, 0, (size_t)n * n * sizeof(double));
    for (int t = 0; t < k; t++) {
        const double *x = pts + (size_t)r[t].index * n;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                S[(size_t)j * n + i] += (x[i] - mean[i]) * (x[j] - mean[j]) / k;
    }
    for (int i = 0; i < n; i++)
        S[(size_t)i * n + i] += alpha * alpha;
}

/* es holds S in C: split it into sigma^2 C with det C = 1. */
static int split_scale(hpo__cmaes *es, hpo__msg *m)
{
    int n = es->n, rc = hpo__cmaes_eigen(es, m);
    if (rc != HPO_OK)
        return rc;
    double logdet = 0; /* of S, halved: sum of log D */
    for (int i = 0; i < n; i++)
        logdet += log(es->D[i]);
    double sigma = exp(logdet / n);
    size_t cn = es->separable ? (size_t)n : (size_t)n * n;
    for (size_t i = 0; i < cn; i++)
        es->C[i] /= sigma * sigma;
    for (int i = 0; i < n; i++)
        es->D[i] /= sigma;
    es->sigma = es->sigma0 = sigma;
    es->tol_x = 1e-12 * sigma;
    return HPO_OK;
}

int hpo__cmaes_warm(hpo__cmaes *es, int n, const double *pts, const double *f,
                    int count, double gamma, double alpha, int lambda,
                    int separable, hpo__msg *m)
{
    if (count < 1)
        return hpo__fail(m, HPO_EINVAL, "cmaes: a warm start needs earlier points");
    hpo__value_index *r = malloc((size_t)count * sizeof *r);
    double *S = malloc((size_t)n * n * sizeof(double));
    double *mean = malloc((size_t)n * sizeof(double));
    int rc = r && S && mean ? HPO_OK : hpo__oom(m);
    for (int t = 0; rc == HPO_OK && t < count; t++)
        r[t] = (hpo__value_index){isnan(f[t]) ? HUGE_VAL : f[t], t};
    if (rc == HPO_OK) {
        hpo__sort_by_value(r, count);
        moments(n, pts, r, hpo__cmaes_warm_count(count, gamma), alpha, mean, S);
        rc = hpo__cmaes_init(es, n, mean, 1.0, lambda, separable, m);
    }
    if (rc == HPO_OK) {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                if (!separable)
                    es->C[(size_t)j * n + i] = S[(size_t)j * n + i];
                else if (i == j)
                    es->C[i] = S[(size_t)i * n + i];
        rc = split_scale(es, m);
    }
    free(r);
    free(S);
    free(mean);
    return rc;
}
