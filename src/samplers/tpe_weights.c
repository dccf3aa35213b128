/*
 * tpe_weights.c — how much each observation counts in TPE's Parzen
 * estimators (Optuna 3.1: default_weights, and for several objectives
 * _calculate_weights_below_for_multi_objective).
 *
 * One objective: the newest 25 observations weigh 1, older ones ramp
 * linearly from 1/n up to 1 (Bergstra et al. 2011 leave this open; this is
 * Optuna's choice).  Several objectives (MOTPE, Ozaki et al., GECCO 2020):
 * a good trial weighs its hypervolume contribution to the good group,
 * divided by the largest one, so the front's well-spread points lead and
 * dominated members hardly count.  The reference point is Optuna's:
 * max(1.1 w, 0.9 w) of the group's worst point w per objective (EPS where
 * that is 0).  The hypervolume is computed exactly by slicing (the group
 * has at most gamma_max = 25 members); above MAX_EXACT_OBJECTIVES
 * objectives the default weights are used instead (a deviation).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tpe.h"

#define EPS 1e-12
#define MAX_EXACT_OBJECTIVES 4

void tpe_default_weights(int n, double *w)
{
    int flat = 25, ramp = n - flat;
    for (int i = 0; i < n; i++)
        w[i] = 1.0;
    /* numpy's linspace(1/n, 1, ramp) */
    for (int i = 0; i < ramp; i++)
        w[i] = ramp == 1 ? 1.0 / n
                         : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
}

/* Hypervolume dominated by the points y[idx[0..n)] (m objectives,
 * minimized) inside the box below ref, by slicing along the last
 * objective: between consecutive levels of it, the slab's area is the
 * (m-1)-dimensional hypervolume of the points at or below the level. */
static double hypervolume(const double *y, int m, int stride, int *idx, int n,
                          const double *ref)
{
    if (n == 0)
        return 0;
    int d = m - 1;
    if (d == 0) {
        double lo = ref[0];
        for (int i = 0; i < n; i++)
            lo = fmin(lo, y[(size_t)idx[i] * stride]);
        return ref[0] - lo;
    }
    /* insertion sort of idx by the last objective (n <= 25) */
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && y[(size_t)idx[k] * stride + d] <
                                     y[(size_t)idx[k - 1] * stride + d]; k--) {
            int t = idx[k];
            idx[k] = idx[k - 1];
            idx[k - 1] = t;
        }
    double total = 0;
    for (int i = 0; i < n; i++) {
        double level = y[(size_t)idx[i] * stride + d];
        double next = i + 1 < n ? y[(size_t)idx[i + 1] * stride + d] : ref[d];
        if (next <= level || level >= ref[d])
            continue;
        int sub[TPE_MAX_GOOD];
        memcpy(sub, idx, sizeof(int) * (size_t)(i + 1));
        total += (fmin(next, ref[d]) - level) *
                 hypervolume(y, m - 1, stride, sub, i + 1, ref);
    }
    return total;
}

static int finite_row(const double *y, int m, int i)
{
    for (int d = 0; d < m; d++)
        if (!isfinite(y[(size_t)i * m + d]))
            return 0;
    return 1;
}

void tpe_mo_weights(const double *y, int m, int n, double *w)
{
    if (n > TPE_MAX_GOOD || m > MAX_EXACT_OBJECTIVES || n == 1) {
        tpe_default_weights(n, w);
        return;
    }
    /* Rows without finite values (a PRUNED or RUNNING member) take no
     * part in the hypervolume and get the smallest weight. */
    int idx[TPE_MAX_GOOD], rows[TPE_MAX_GOOD], nf = 0;
    for (int i = 0; i < n; i++)
        if (finite_row(y, m, i))
            rows[nf++] = i;
    double ref[MAX_EXACT_OBJECTIVES];
    for (int d = 0; d < m; d++) {
        double worst = -INFINITY;
        for (int k = 0; k < nf; k++)
            worst = fmax(worst, y[(size_t)rows[k] * m + d]);
        ref[d] = fmax(1.1 * worst, 0.9 * worst);
        if (ref[d] == 0)
            ref[d] = EPS;
    }
    memcpy(idx, rows, sizeof(int) * (size_t)nf);
    double all = hypervolume(y, m, m, idx, nf, ref), largest = EPS;
    for (int i = 0; i < n; i++)
        w[i] = EPS;
    for (int k = 0; k < nf; k++) {
        int c = 0;
        for (int j = 0; j < nf; j++)
            if (j != k)
                idx[c++] = rows[j];
        w[rows[k]] = all - hypervolume(y, m, m, idx, nf - 1, ref) + EPS;
        largest = fmax(largest, w[rows[k]]);
    }
    for (int i = 0; i < n; i++)
        w[i] = fmin(fmax(w[i] / largest, 0), 1);
}
