/*
 * hypervolume.c — the area a set of points dominates in two objectives.
 *
 * The plain sweep (e.g. Zitzler & Thiele 1998's metric S, in 2-D): sort by
 * the first objective, walk left to right, and let every point that lowers
 * the best second objective so far add the strip between the two levels,
 * from its first objective to the reference.  O(n log n).
 */
#include <math.h>
#include <stdlib.h>

#include "problems.h"

static int by_first_then_second(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] < q[0] ? -1 : 1;
    if (p[1] != q[1])
        return p[1] < q[1] ? -1 : 1;
    return 0;
}

double bench_hypervolume2d(const double *pts, int n, const double ref[2])
{
    double *inside = malloc(sizeof(double) * 2 * (size_t)(n > 0 ? n : 1));
    if (!inside)
        return NAN;
    int m = 0;
    for (int i = 0; i < n; i++) {
        /* NaN fails both comparisons and is left out. */
        if (pts[2 * i] < ref[0] && pts[2 * i + 1] < ref[1]) {
            inside[2 * m] = pts[2 * i];
            inside[2 * m + 1] = pts[2 * i + 1];
            m++;
        }
    }
    qsort(inside, (size_t)m, 2 * sizeof(double), by_first_then_second);
    double area = 0, level = ref[1];
    for (int i = 0; i < m; i++) {
        double f1 = inside[2 * i], f2 = inside[2 * i + 1];
        if (f2 < level) {
            area += (ref[0] - f1) * (level - f2);
            level = f2;
        }
    }
    free(inside);
    return area;
}
