/*
 * dist.c — the tails of the chi-square, Student t and normal
 * distributions that racing's tests need (race_stats.h).
 *
 * The chi-square tail is the regularized upper incomplete gamma function
 * Q(df/2, x/2); Student's t tail is the regularized incomplete beta
 * function I_{df/(df+t^2)}(df/2, 1/2).  Both by the classical series and
 * continued fractions (Lentz's method), to about 1e-14 relative: far
 * finer than a test at 0.05 needs.
 */
#include "race_stats.h"

#include <float.h>
#include <math.h>

#define SF_EPS 1e-15
#define SF_TINY 1e-300
#define SF_MAX_ITER 1000

/* P(a, x) by its series; good for x < a + 1. */
static double gamma_p_series(double a, double x)
{
    double term = 1.0 / a, sum = term;
    for (int i = 1; i < SF_MAX_ITER; i++) {
        term *= x / (a + i);
        sum += term;
        if (fabs(term) < fabs(sum) * SF_EPS)
            break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Q(a, x) by its continued fraction; good for x >= a + 1. */
static double gamma_q_fraction(double a, double x)
{
    double b = x + 1.0 - a, c = 1.0 / SF_TINY, d = 1.0 / b, h = d;
    for (int i = 1; i < SF_MAX_ITER; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < SF_TINY)
            d = SF_TINY;
        c = b + an / c;
        if (fabs(c) < SF_TINY)
            c = SF_TINY;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < SF_EPS)
            break;
    }
    return exp(-x + a * log(x) - lgamma(a)) * h;
}

double hpo__chisq_sf(double x, double df)
{
    if (!(x > 0))
        return 1.0;
    double a = df / 2, h = x / 2;
    if (h < a + 1)
        return 1.0 - gamma_p_series(a, h);
    return gamma_q_fraction(a, h);
}

/* The continued fraction of the incomplete beta function. */
static double beta_fraction(double a, double b, double x)
{
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < SF_TINY)
        d = SF_TINY;
    d = 1 / d;
    double h = d;
    for (int m = 1; m < SF_MAX_ITER; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        d = fabs(d) < SF_TINY ? 1 / SF_TINY : 1 / d;
        c = 1 + aa / c;
        if (fabs(c) < SF_TINY)
            c = SF_TINY;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        d = fabs(d) < SF_TINY ? 1 / SF_TINY : 1 / d;
        c = 1 + aa / c;
        if (fabs(c) < SF_TINY)
            c = SF_TINY;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1) < SF_EPS)
            break;
    }
    return h;
}

/* The regularized incomplete beta function I_x(a, b). */
static double incomplete_beta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) +
                       a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double hpo__t_p2(double t, double df)
{
    if (isnan(t))
        return NAN;
    if (isinf(t))
        return 0;
    return incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

double hpo__t_quantile(double p, double df)
{
    /* P(T <= q) = p  <=>  two-sided p-value of q = 2 (1 - p); the
     * p-value falls as q grows, so bisect. */
    double target = 2 * (1 - p), lo = 0, hi = 1;
    while (hpo__t_p2(hi, df) > target && hi < 1e12)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
        double mid = (lo + hi) / 2;
        if (hpo__t_p2(mid, df) > target)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

