/*
 * hypervolume.c — the area (volume) a set of points dominates in two
 * (three) objectives.
 *
 * The plain sweep (e.g. Zitzler & Thiele 1998's metric S, in 2-D): sort by
 * the first objective, walk left to right, and let every point that lowers
 * the best second objective so far add the strip between the two levels,
 * from its first objective to the reference.  O(n log n).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* 1 when p dominates q (no worse in all three, better in one). */
static int dominates3(const double *p, const double *q)
{
    return p[0] <= q[0] && p[1] <= q[1] && p[2] <= q[2] &&
           (p[0] < q[0] || p[1] < q[1] || p[2] < q[2]);
}

static int by_third(const void *a, const void *b)
{
    const double *p = a, *q = b;
    return p[2] < q[2] ? -1 : p[2] > q[2];
}

/*
 * Three objectives by slicing (While et al. 2006's HSO, in its simplest
 * form): the non-dominated points inside the box sorted by the third
 * objective; between one point's level and the next, the volume is the
 * 2-D hypervolume of the points at or below the slab times its height.
 * O(k^2 log k) for k non-dominated points: a benchmark's fronts, not more.
 */
static double hypervolume3d(const double *pts, int n, const double ref[3])
{
    double *in = malloc(sizeof(double) * 3 * (size_t)(n > 0 ? n : 1));
    double *flat = malloc(sizeof(double) * 2 * (size_t)(n > 0 ? n : 1));
    if (!in || !flat) {
        free(in);
        free(flat);
        return NAN;
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        const double *p = pts + 3 * i;
        int keep = p[0] < ref[0] && p[1] < ref[1] && p[2] < ref[2];
        for (int j = 0; keep && j < n; j++)
            keep = !dominates3(pts + 3 * j, p) &&
                   !(j < i && memcmp(pts + 3 * j, p, 3 * sizeof *p) == 0);
        if (keep)
            memcpy(in + 3 * k++, p, 3 * sizeof *p);
    }
    qsort(in, (size_t)k, 3 * sizeof(double), by_third);
    double volume = 0;
    for (int i = 0; i < k; i++) {
        flat[2 * i] = in[3 * i];
        flat[2 * i + 1] = in[3 * i + 1];
        double top = i + 1 < k ? in[3 * (i + 1) + 2] : ref[2];
        if (top > in[3 * i + 2])
            volume += bench_hypervolume2d(flat, i + 1, ref) *
                      (top - in[3 * i + 2]);
    }
    free(in);
    free(flat);
    return volume;
}

double bench_hypervolume(const double *pts, int n, int m, const double *ref)
{
    return m == 2 ? bench_hypervolume2d(pts, n, ref)
           : m == 3 ? hypervolume3d(pts, n, ref)
                    : NAN;
}
