/*
 * ranks.c — mid-ranks (R's rank() with ties.method = "average"),
 * Spearman's correlation on them, and the standard normal's upper tail.
 */
#include "ranks.h"

#include "../core/internal.h" /* hpo__msg, hpo__oom */

#include <math.h>
#include <stdlib.h>

typedef struct ranked {
    double v;
    int i;
} ranked;

static int by_value(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i - y->i;
}

double hpo__midranks(const double *x, int k, double *ranks)
{
    ranked small[64];
    ranked *r = k <= 64 ? small : malloc((size_t)k * sizeof *r);
    if (!r) { /* no memory: every rank equal, which drops nothing */
        for (int i = 0; i < k; i++)
            ranks[i] = (k + 1) / 2.0;
        return 0;
    }
    for (int i = 0; i < k; i++)
        r[i] = (ranked){x[i], i};
    qsort(r, (size_t)k, sizeof *r, by_value);
    double ties = 0;
    for (int i = 0; i < k;) {
        int j = i;
        while (j + 1 < k && r[j + 1].v == r[i].v)
            j++;
        double mid = (i + j) / 2.0 + 1;
        for (int m = i; m <= j; m++)
            ranks[r[m].i] = mid;
        double t = j - i + 1;
        ties += t * t * t - t;
        i = j + 1;
    }
    if (r != small)
        free(r);
    return ties;
}

/* Pearson's correlation of a and b; NaN when either is constant. */
static double pearson(const double *a, const double *b, int n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; i++)
        ma += a[i] / n, mb += b[i] / n;
    for (int i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

int hpo__spearman(const double *x, const double *y, int n, double *rho,
                  hpo__msg *m)
{
    *rho = NAN;
    if (n < 2)
        return HPO_OK;
    double *rx = malloc((size_t)n * sizeof *rx);
    double *ry = malloc((size_t)n * sizeof *ry);
    if (rx && ry) {
        hpo__midranks(x, n, rx);
        hpo__midranks(y, n, ry);
        *rho = pearson(rx, ry, n);
    }
    int rc = rx && ry ? HPO_OK : hpo__oom(m);
    free(rx), free(ry);
    return rc;
}

double hpo__norm_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}
