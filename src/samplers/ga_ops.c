/*
 * ga_ops.c — crossover and mutation for the genetic algorithm.
 *
 * Implements
 *   - simulated binary crossover (SBX): K. Deb and R. B. Agrawal,
 *     "Simulated Binary Crossover for Continuous Search Space", Complex
 *     Systems 9 (1995) 115-148, in the bounded form of Deb's NSGA-II code
 *     (the spread factor of each child is drawn from the polynomial
 *     distribution cut at the bound on its side);
 *   - polynomial mutation: K. Deb and M. Goyal, "A Combined Genetic
 *     Adaptive Search (GeneAS) for Engineering Design", Computer Science
 *     and Informatics 26 (1996) 30-45, bounded form as in NSGA-II's code;
 *   - Gaussian mutation with a fixed sigma in the unit cube;
 *   - uniform crossover and resampling of categoricals.
 *
 * Deviations:
 *   1. Genes live in [0, 1] (see ga_ops.h), so the bounds are 0 and 1.
 *   2. Genes on a grid (ints, steps) are snapped after variation, and a
 *      mutation that lands back on the same grid point moves one step in
 *      the direction it was pushed (random when it was not pushed): with
 *      a coarse grid and a large eta_m the perturbation alone would almost
 *      never leave the point, and mutation would do nothing.
 *   3. A mutated categorical takes one of its other choices uniformly, for
 *      the same reason (resampling all of them keeps it 1/n of the time).
 *   4. Gaussian steps outside [0, 1] are reflected back in rather than
 *      clamped, so the bounds do not collect probability mass.
 */
#include <math.h>

#include "ga_ops.h"

void hpo__ga_ops_default(hpo__ga_ops *ops)
{
    ops->cross = HPO__GA_SBX;
    ops->p_cross = 0.9;
    ops->eta_c = 20;
    ops->mut = HPO__GA_POLYNOMIAL;
    ops->p_mut = 0; /* 1 / genes */
    ops->eta_m = 20;
    ops->sigma = 0.1;
}

int hpo__ga_ops_check(const hpo__ga_ops *ops, hpo__msg *m)
{
    if (ops->cross != HPO__GA_UNIFORM && ops->cross != HPO__GA_SBX)
        return hpo__fail(m, HPO_EINVAL, "ga: unknown crossover %d",
                         (int)ops->cross);
    if (ops->mut != HPO__GA_POLYNOMIAL && ops->mut != HPO__GA_GAUSSIAN)
        return hpo__fail(m, HPO_EINVAL, "ga: unknown mutation %d",
                         (int)ops->mut);
    if (!(ops->p_cross >= 0 && ops->p_cross <= 1))
        return hpo__fail(m, HPO_EINVAL, "ga: p_cross must be in [0, 1] (got %g)",
                         ops->p_cross);
    if (!(ops->p_mut <= 1)) /* <= 0 is the default, 1 / genes */
        return hpo__fail(m, HPO_EINVAL, "ga: p_mut must be at most 1 (got %g)",
                         ops->p_mut);
    if (!(ops->eta_c >= 0 && isfinite(ops->eta_c)))
        return hpo__fail(m, HPO_EINVAL, "ga: eta_c must be >= 0 (got %g)",
                         ops->eta_c);
    if (!(ops->eta_m >= 0 && isfinite(ops->eta_m)))
        return hpo__fail(m, HPO_EINVAL, "ga: eta_m must be >= 0 (got %g)",
                         ops->eta_m);
    if (!(ops->sigma > 0 && isfinite(ops->sigma)))
        return hpo__fail(m, HPO_EINVAL, "ga: sigma must be > 0 (got %g)",
                         ops->sigma);
    return HPO_OK;
}

static double clamp01(double u)
{
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

/*
 * The spread factor beta_q of SBX, its density cut where the child would
 * pass the bound: beta is how far (in units of half the parents' distance)
 * the bound lies from the parents' midpoint side, alpha the normaliser.
 */
static double sbx_betaq(double beta, double eta_c, double u)
{
    double alpha = 2 - pow(beta, -(eta_c + 1));
    if (u <= 1 / alpha)
        return pow(u * alpha, 1 / (eta_c + 1));
    return pow(1 / (2 - u * alpha), 1 / (eta_c + 1));
}

void hpo__ga_sbx(double y1, double y2, double eta_c, double u, double *c1,
                 double *c2)
{
    double lo = fmin(y1, y2), hi = fmax(y1, y2);
    if (hi - lo < 1e-14) { /* equal parents: nothing to spread */
        *c1 = y1;
        *c2 = y2;
        return;
    }
    double d = hi - lo, mid = 0.5 * (lo + hi);
    double bq1 = sbx_betaq(1 + 2 * lo / d, eta_c, u);
    double bq2 = sbx_betaq(1 + 2 * (1 - hi) / d, eta_c, u);
    *c1 = clamp01(mid - 0.5 * bq1 * d);
    *c2 = clamp01(mid + 0.5 * bq2 * d);
}

double hpo__ga_poly(double y, double eta_m, double u)
{
    double p = 1 / (eta_m + 1), dq;
    if (u <= 0.5) {
        double xy = 1 - y; /* y - 0 over the range */
        double v = 2 * u + (1 - 2 * u) * pow(xy, eta_m + 1);
        dq = pow(v, p) - 1;
    } else {
        double xy = y; /* 1 - (1 - y) */
        double v = 2 * (1 - u) + 2 * (u - 0.5) * pow(xy, eta_m + 1);
        dq = 1 - pow(v, p);
    }
    return clamp01(y + dq);
}

double hpo__ga_gauss(double y, double sigma, double z)
{
    double v = y + sigma * z;
    v = fmod(fabs(v), 2); /* reflect at 0 and at 1 (period 2) */
    return v > 1 ? 2 - v : v;
}

static int on_grid(const hpo__dist *d)
{
    return d->kind == HPO__INT || d->step > 0;
}

double hpo__ga_snap(const hpo__dist *d, double u)
{
    u = clamp01(u);
    if (d->kind == HPO__CATEGORICAL || !on_grid(d))
        return u;
    return hpo__dist_to_unit(d, hpo__dist_from_unit(d, u));
}

double hpo__ga_step(const hpo__dist *d, double u, int dir)
{
    double x = hpo__dist_from_unit(d, u);
    double step = d->kind == HPO__INT ? fmax(d->step, 1) : d->step;
    if (!(step > 0) || d->low == d->high)
        return u;
    double y = dir > 0 ? x + step : x - step;
    if (y > d->high || y < d->low) /* at an end: the other way */
        y = dir > 0 ? x - step : x + step;
    return hpo__dist_to_unit(d, hpo__dist_snap(d, y));
}

void hpo__ga_encode(const hpo__dist *d, int n, const double *values,
                    double *genes)
{
    for (int i = 0; i < n; i++)
        genes[i] = d[i].kind == HPO__CATEGORICAL
                       ? values[i]
                       : hpo__dist_to_unit(&d[i], values[i]);
}

void hpo__ga_decode(const hpo__dist *d, int n, const double *genes,
                    double *values)
{
    for (int i = 0; i < n; i++)
        values[i] = d[i].kind == HPO__CATEGORICAL
                        ? genes[i]
                        : hpo__dist_from_unit(&d[i], genes[i]);
}

int hpo__ga_invalid_gene(const hpo__dist *d, int n, const double *genes)
{
    for (int i = 0; i < n; i++) {
        double g = genes[i];
        int ok = d[i].kind == HPO__CATEGORICAL
                     ? g >= 0 && g < d[i].n_choices && g == floor(g)
                     : g >= 0 && g <= 1 && hpo__ga_snap(&d[i], g) == g;
        if (!ok)
            return i;
    }
    return -1;
}

void hpo__ga_random(const hpo__dist *d, int n, hpo__rng *r, double *genes)
{
    for (int i = 0; i < n; i++)
        genes[i] = d[i].kind == HPO__CATEGORICAL
                       ? (double)hpo__rng_below(r, (uint64_t)d[i].n_choices)
                       : hpo__ga_snap(&d[i], hpo__rng_uniform(r));
}

/*
 * SBX crosses each numeric gene with chance 1/2 and hands the two children
 * to either side at random, as Deb's code does; categoricals (and every
 * gene under uniform crossover) are swapped with chance 1/2.
 */
void hpo__ga_crossover(const hpo__ga_ops *ops, const hpo__dist *d, int n,
                       const double *a, const double *b, hpo__rng *r,
                       double *c1, double *c2)
{
    int cross = hpo__rng_uniform(r) < ops->p_cross;
    for (int i = 0; i < n; i++) {
        double x = a[i], y = b[i];
        if (cross && ops->cross == HPO__GA_SBX &&
            d[i].kind != HPO__CATEGORICAL && hpo__rng_uniform(r) < 0.5) {
            hpo__ga_sbx(a[i], b[i], ops->eta_c, hpo__rng_uniform(r), &x, &y);
            x = hpo__ga_snap(&d[i], x);
            y = hpo__ga_snap(&d[i], y);
        }
        int swap = cross && hpo__rng_uniform(r) < 0.5;
        c1[i] = swap ? y : x;
        c2[i] = swap ? x : y;
    }
}

static double mutate_number(const hpo__ga_ops *ops, const hpo__dist *d,
                            double u, hpo__rng *r)
{
    double v = ops->mut == HPO__GA_GAUSSIAN
                   ? hpo__ga_gauss(u, ops->sigma, hpo__rng_normal(r))
                   : hpo__ga_poly(u, ops->eta_m, hpo__rng_uniform(r));
    double s = hpo__ga_snap(d, v);
    if (on_grid(d) && s == hpo__ga_snap(d, u)) {
        int dir = v > u ? 1 : v < u ? -1 : hpo__rng_below(r, 2) ? 1 : -1;
        s = hpo__ga_step(d, u, dir);
    }
    return s;
}

void hpo__ga_mutate(const hpo__ga_ops *ops, const hpo__dist *d, int n,
                    double *x, hpo__rng *r)
{
    double p = ops->p_mut > 0 ? ops->p_mut : 1.0 / (n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        if (!(hpo__rng_uniform(r) < p))
            continue;
        if (d[i].kind != HPO__CATEGORICAL) {
            x[i] = mutate_number(ops, &d[i], x[i], r);
        } else if (d[i].n_choices > 1) { /* another choice, uniformly */
            uint64_t k = hpo__rng_below(r, (uint64_t)d[i].n_choices - 1);
            x[i] = (double)(k >= (uint64_t)x[i] ? k + 1 : k);
        }
    }
}
