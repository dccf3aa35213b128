/*
 * cmaes_stop.c — CMA-ES termination tests that trigger restarts, as listed
 * in N. Hansen, "The CMA Evolution Strategy: A Tutorial" (arXiv:1604.00772,
 * appendix B.3) and N. Hansen, "Benchmarking a BI-population CMA-ES on the
 * BBOB-2009 function testbed" (GECCO 2009): TolFun, TolX, NoEffectAxis,
 * NoEffectCoord, ConditionCov, Stagnation.
 *
 * Deviations:
 *  1. TolFun reads the range of the recent generations' best values and of
 *     the last generation's values (kept as its max - min).
 *  2. TolFun and TolX are fields of the state (es->tol_fun, es->tol_x),
 *     by default the tutorial's 1e-12 and 1e-12 * sigma0 in the unit
 *     cube's scale: at small budgets a driver loosens them so that
 *     restarts fire in time.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"

#define MAX_CONDITION 1e14
/* The longest stagnation window, in generations: the history kept (and
 * stored in the state at every generation) is at most this long.  Hansen
 * caps it at 20,000, for budgets of 1e5 n evaluations and more; at 2,000
 * the window, 120 + 30 n / lambda + a fifth of the run's generations,
 * reaches the cap only after ~9,000 generations of one run (36,000+
 * evaluations at the smallest population), so no stop within an hpo
 * study's usual budgets moves, while the state stays under ~100 KB (two
 * histories of 2,000 numbers) instead of growing to ~1 MB. */
#define MAX_STAG_WINDOW 2000

int hpo__cmaes_stag_window(const hpo__cmaes *es)
{
    double w = 120 + 30.0 * es->n / es->lambda + 0.2 * (double)es->generation;
    return w > MAX_STAG_WINDOW ? MAX_STAG_WINDOW : (int)ceil(w);
}

static int tolfun(const hpo__cmaes *es)
{
    int k = 10 + (int)ceil(30.0 * es->n / es->lambda);
    if (es->hist_len < k || !(es->last_spread < es->tol_fun))
        return 0;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int i = es->hist_len - k; i < es->hist_len; i++) {
        lo = fmin(lo, es->best_hist[i]);
        hi = fmax(hi, es->best_hist[i]);
    }
    return hi - lo < es->tol_fun;
}

static double cov_diag(const hpo__cmaes *es, int i)
{
    return es->separable ? es->C[i] : es->C[(size_t)i * es->n + i];
}

static int tolx(const hpo__cmaes *es)
{
    double tol = es->tol_x;
    for (int i = 0; i < es->n; i++)
        if (es->sigma * fabs(es->pc[i]) >= tol
            || es->sigma * sqrt(cov_diag(es, i)) >= tol)
            return 0;
    return 1;
}

static int no_effect_axis(const hpo__cmaes *es)
{
    int n = es->n, a = (int)(es->generation % n);
    double step = 0.1 * es->sigma * es->D[a];
    for (int i = 0; i < n; i++) {
        double b = es->separable ? (i == a) : es->B[(size_t)a * n + i];
        if (es->mean[i] + step * b != es->mean[i])
            return 0;
    }
    return 1;
}

static int no_effect_coord(const hpo__cmaes *es)
{
    for (int i = 0; i < es->n; i++)
        if (es->mean[i] + 0.2 * es->sigma * sqrt(cov_diag(es, i)) == es->mean[i])
            return 1;
    return 0;
}

static int condition_cov(const hpo__cmaes *es)
{
    double lo = HUGE_VAL, hi = 0;
    for (int i = 0; i < es->n; i++) {
        lo = fmin(lo, es->D[i]);
        hi = fmax(hi, es->D[i]);
    }
    return hi * hi > MAX_CONDITION * lo * lo;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..len) sorted in buf. */
static double median(const double *v, int len, double *buf)
{
    memcpy(buf, v, (size_t)len * sizeof(double));
    qsort(buf, (size_t)len, sizeof(double), cmp_double);
    return len % 2 ? buf[len / 2] : 0.5 * (buf[len / 2 - 1] + buf[len / 2]);
}

/* Hansen 2009: over the window, the medians of the latest 30% of the best
 * and of the median values are both no better than those of the first
 * 30%. */
static int stagnation(const hpo__cmaes *es)
{
    int w = hpo__cmaes_stag_window(es);
    if (es->hist_len < w)
        return 0;
    int part = (int)ceil(0.3 * w), first = es->hist_len - w;
    int last = es->hist_len - part;
    double *buf = malloc((size_t)part * sizeof(double));
    if (!buf)
        return 0; /* the test is only advice: without memory, run on */
    int stalled =
        median(es->best_hist + last, part, buf) >= median(es->best_hist + first, part, buf)
        && median(es->median_hist + last, part, buf) >= median(es->median_hist + first, part, buf);
    free(buf);
    return stalled;
}

hpo__cmaes_stop_reason hpo__cmaes_stop(const hpo__cmaes *es)
{
    if (es->pending || es->generation == 0)
        return HPO__CMAES_RUN;
    if (tolfun(es))
        return HPO__CMAES_TOLFUN;
    if (tolx(es))
        return HPO__CMAES_TOLX;
    if (no_effect_axis(es))
        return HPO__CMAES_NOEFFECTAXIS;
    if (no_effect_coord(es))
        return HPO__CMAES_NOEFFECTCOORD;
    if (condition_cov(es))
        return HPO__CMAES_CONDITIONCOV;
    if (stagnation(es))
        return HPO__CMAES_STAGNATION;
    return HPO__CMAES_RUN;
}

const char *hpo__cmaes_stop_name(hpo__cmaes_stop_reason r)
{
    static const char *const names[] = {
        "run", "tolfun", "tolx", "noeffectaxis", "noeffectcoord",
        "conditioncov", "stagnation",
    };
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "unknown";
}
