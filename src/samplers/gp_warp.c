/*
 * gp_warp.c — output warping for the `gp` sampler: standardize, then a
 * Yeo–Johnson power transform (Yeo & Johnson 2000, "A new family of power
 * transformations to improve normality or symmetry") with its exponent
 * fitted by maximum likelihood, then standardize again.
 *
 * Why: objectives such as Rosenbrock's span orders of magnitude; a GP fitted
 * to the raw values spends its flexibility on the worst points and sees the
 * region near the optimum as flat.  The transform is monotone, so the
 * ordering of trials (and the incumbent) is kept, and it is the identity
 * (exponent 1) for data that is already Gaussian-looking.  HEBO (Cowen-Rivers
 * et al. 2022) found the same transform the most useful of its changes.
 */
#include <math.h>

#include "gp_model.h"

#define LAMBDA_LO (-2.0)
#define LAMBDA_HI 3.0
#define GOLDEN_STEPS 40

static double yeo_johnson(double y, double lambda)
{
    if (y >= 0)
        return fabs(lambda) < 1e-9 ? log1p(y)
                                   : (pow(y + 1, lambda) - 1) / lambda;
    return fabs(lambda - 2) < 1e-9 ? -log1p(-y)
                                   : -(pow(1 - y, 2 - lambda) - 1) / (2 - lambda);
}

/* The profile log-likelihood of lambda under a normal model of the
 * transformed values. */
static double log_likelihood(const double *y, int n, double lambda)
{
    double mean = 0, var = 0, jac = 0;
    for (int i = 0; i < n; i++)
        mean += yeo_johnson(y[i], lambda);
    mean /= n;
    for (int i = 0; i < n; i++) {
        double t = yeo_johnson(y[i], lambda) - mean;
        var += t * t;
        jac += copysign(log1p(fabs(y[i])), y[i]);
    }
    var /= n;
    if (!(var > 0) || !isfinite(var))
        return -HUGE_VAL;
    return -0.5 * n * log(var) + (lambda - 1) * jac;
}

void gp_standardize(double *y, int n)
{
    double mean = 0, var = 0;
    for (int i = 0; i < n; i++)
        mean += y[i];
    mean /= n;
    for (int i = 0; i < n; i++)
        var += (y[i] - mean) * (y[i] - mean);
    double sd = n > 1 ? sqrt(var / (n - 1)) : 0;
    if (!(sd > 1e-12) || !isfinite(sd))
        sd = 1;
    for (int i = 0; i < n; i++) {
        y[i] = (y[i] - mean) / sd;
        if (!isfinite(y[i]))
            y[i] = 0;
    }
}

void gp_warp_outputs(double *y, int n)
{
    gp_standardize(y, n);
    if (n < 3)
        return;
    /* Golden-section search: the likelihood is unimodal in lambda for all
     * but contrived data, and a near-maximum is all that is needed. */
    const double g = 0.6180339887498949;
    double a = LAMBDA_LO, b = LAMBDA_HI;
    double c = b - g * (b - a), d = a + g * (b - a);
    double fc = log_likelihood(y, n, c), fd = log_likelihood(y, n, d);
    for (int k = 0; k < GOLDEN_STEPS; k++) {
        if (fc >= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = log_likelihood(y, n, c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = log_likelihood(y, n, d);
        }
    }
    double lambda = 0.5 * (a + b);
    if (!isfinite(log_likelihood(y, n, lambda)))
        return;
    for (int i = 0; i < n; i++)
        y[i] = yeo_johnson(y[i], lambda);
    gp_standardize(y, n);
}
