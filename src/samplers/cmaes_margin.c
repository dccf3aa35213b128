/*
 * cmaes_margin.c — the margin for discrete coordinates: R. Hamano,
 * S. Saito, M. Nomura and S. Shirakawa, "CMA-ES with Margin: Lower-Bounding
 * Marginal Probability for Mixed-Integer Black-Box Optimization" (GECCO
 * 2022).  Once sigma shrinks below a discrete coordinate's step, every
 * candidate rounds to the mean's value and the search on that coordinate
 * stops; the margin keeps the probability that a candidate crosses into a
 * neighbouring value at least alpha.
 *
 * Per discrete coordinate j, with the mean's value cell (lo, hi) — the
 * midpoints to its neighbours — and the candidate's marginal
 * N(m_j, (A_j sigma sqrt(C_jj))^2):
 *   - a cell at the end of the range has one threshold t: when the chance
 *     to cross it is below alpha, the mean moves towards t until it is
 *     exactly alpha (A unchanged);
 *   - an inner cell: the chances below lo and above hi are raised to at
 *     least alpha/2, the excess taken from the three parts (below, inside,
 *     above) in proportion to what each holds above alpha/2; then m_j and
 *     A_j are the unique pair giving those two chances.
 * Deviation: the values are a grid from 0 in the unit cube (the sampler's
 * encoding of an int or stepped parameter), not the paper's general
 * encoding.
 */
#include <math.h>

#include "cmaes_core.h"

static double upper_tail(double z) /* P(N(0,1) > z) */
{
    return 0.5 * erfc(z / sqrt(2.0));
}

/* z with upper_tail(z) = p, for p in (0, 1/2]: bisection (upper_tail is
 * monotone; 100 halvings of [0, 40] reach double precision). */
static double upper_quantile(double p)
{
    double lo = 0, hi = 40;
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi);
        if (upper_tail(mid) > p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static void edge_cell(hpo__cmaes *es, int j, double t, double s, double alpha)
{
    double d = es->mean[j] - t;
    if (upper_tail(fabs(d) / s) >= alpha)
        return;
    es->mean[j] = t + (d < 0 ? -1 : 1) * upper_quantile(alpha) * s;
}

static void inner_cell(hpo__cmaes *es, int j, double lo, double hi, double s,
                       double alpha)
{
    double m = es->mean[j], half = alpha / 2;
    double p[3] = {upper_tail((m - lo) / s), 0, upper_tail((hi - m) / s)};
    if (p[0] >= half && p[2] >= half)
        return;
    p[1] = 1 - p[0] - p[2];
    p[0] = fmax(p[0], half);
    p[2] = fmax(p[2], half);
    double excess = p[0] + p[1] + p[2] - 1, room = 0;
    for (int i = 0; i < 3; i++)
        room += p[i] - half;
    for (int i = 0; i < 3; i += 2) /* only the two tails are needed */
        p[i] = fmin(fmax(p[i] - excess * (p[i] - half) / room, 1e-10), 0.5 - 1e-10);
    double q_lo = upper_quantile(p[0]), q_hi = upper_quantile(p[2]);
    /* m - lo = q_lo A s and hi - m = q_hi A s. */
    es->A[j] *= (hi - lo) / ((q_lo + q_hi) * s);
    es->mean[j] = (lo * q_hi + hi * q_lo) / (q_lo + q_hi);
}

int hpo__cmaes_margin(hpo__cmaes *es, const double *step, double alpha,
                      hpo__msg *m)
{
    int n = es->n;
    if (es->pending)
        return hpo__fail(m, HPO_EMISUSE, "cmaes: the margin applies between generations");
    if (!(alpha > 0))
        alpha = 1.0 / (n * (double)es->lambda);
    if (!(alpha < 0.5))
        return hpo__fail(m, HPO_EINVAL, "cmaes: margin %g is not below 1/2", alpha);
    for (int j = 0; j < n; j++) {
        if (!(step[j] > 0) || step[j] > 1)
            continue;
        int last = (int)floor(1 / step[j] + 1e-9);
        long k = lround(es->mean[j] / step[j]);
        k = k < 0 ? 0 : k > last ? last : k;
        double c = es->separable ? es->C[j] : es->C[(size_t)j * n + j];
        double s = es->A[j] * es->sigma * sqrt(c);
        double lo = (k - 0.5) * step[j], hi = (k + 0.5) * step[j];
        if (last == 0 || !(s > 0))
            continue;
        if (k == 0)
            edge_cell(es, j, hi, s, alpha);
        else if (k == last)
            edge_cell(es, j, lo, s, alpha);
        else
            inner_cell(es, j, lo, hi, s, alpha);
    }
    return HPO_OK;
}
