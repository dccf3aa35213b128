/*
 * reference_points.c — the reference points NSGA-III niches around (Deb &
 * Jain 2014, "An Evolutionary Many-Objective Optimization Algorithm Using
 * Reference-Point-Based Nondominated Sorting Approach, Part I", IEEE TEC
 * 18(4), section IV-B), made by Das & Dennis 1998's construction ("Normal-
 * Boundary Intersection", SIAM J. Optim. 8(3)): all points of the unit
 * simplex whose coordinates are multiples of 1/p.  Choosing how many of
 * the p units each coordinate gets is a composition of p into m parts, so
 * there are C(m + p - 1, p).  Deviation: none; the two-layer variant
 * (section V-C of the paper) shrinks the inner layer by 1/2, the factor the
 * paper uses.
 */
#include <stdlib.h>

#include "reference_points.h"

long hpo__refpoints_count(int m, int p)
{
    if (m < 1 || p < 0)
        return -1;
    if (m > HPO_MAX_REFERENCE_VALUES)
        return -1;
    if (m == 1)
        return 1; /* (and the loop below would run p times for nothing) */
    /* c_i = C(m - 1 + i, i) = c_{i-1} (m - 1 + i) / i, exact at each
     * step; stop as soon as it passes the limit (no overflow: the limit
     * times m + p is far below 2^63). */
    long long c = 1;
    for (int i = 1; i <= p; i++) {
        c = c * (m - 1 + i) / i;
        if (c * m > HPO_MAX_REFERENCE_VALUES)
            return -1;
    }
    return (long)c;
}

/* Write every composition of `left` units into coordinates j .. m-1 (the
 * first j already in units[]) as rows of out from *row on, each scaled by
 * shrink around the centre. */
static void refpoints_fill(double *out, int *row, int *units, int m, int p,
                           int j, int left, double shrink)
{
    if (j == m - 1) {
        units[j] = left;
        double *r = out + (size_t)*row * m;
        for (int k = 0; k < m; k++)
            r[k] = (1.0 - shrink) / m + shrink * units[k] / p;
        (*row)++;
        return;
    }
    for (int u = left; u >= 0; u--) {
        units[j] = u;
        refpoints_fill(out, row, units, m, p, j + 1, left - u, shrink);
    }
}

int hpo__refpoints(hpo__msg *msg, int m, int p_outer, int p_inner,
                   double **pts, int *count)
{
    *pts = NULL;
    *count = 0;
    if (m < 1 || p_outer < 1 || p_inner < 0)
        return hpo__fail(msg, HPO_EINVAL,
                         "reference points: %d objectives, %d and %d "
                         "divisions (wanted >= 1, >= 1 and >= 0)",
                         m, p_outer, p_inner);
    long outer = hpo__refpoints_count(m, p_outer);
    long inner = p_inner > 0 ? hpo__refpoints_count(m, p_inner) : 0;
    if (outer < 0 || inner < 0 ||
        (outer + inner) * m > HPO_MAX_REFERENCE_VALUES)
        return hpo__fail(msg, HPO_EINVAL,
                         "reference points: %d objectives with %d and %d "
                         "divisions make more than %ld values",
                         m, p_outer, p_inner, HPO_MAX_REFERENCE_VALUES);
    double *out = malloc((size_t)(outer + inner) * m * sizeof *out);
    int *units = malloc((size_t)m * sizeof *units);
    if (!out || !units) {
        free(out);
        free(units);
        return hpo__fail(msg, HPO_ENOMEM,
                         "reference points: out of memory (%ld points)",
                         outer + inner);
    }
    int row = 0;
    refpoints_fill(out, &row, units, m, p_outer, 0, p_outer, 1.0);
    if (p_inner > 0)
        refpoints_fill(out, &row, units, m, p_inner, 0, p_inner, 0.5);
    free(units);
    *pts = out;
    *count = row;
    return HPO_OK;
}
