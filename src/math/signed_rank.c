/*
 * signed_rank.c — the Wilcoxon signed-rank test (Wilcoxon 1945), as
 * SciPy's scipy.stats.wilcoxon computes it with zero_method="zsplit"
 * (Pratt's idea of ranking the zeros, their rank sum split evenly between
 * the two sides), which is what Optuna's WilcoxonPruner asks for: with all
 * differences zero the test still answers (p = 0.5) instead of failing.
 *
 * Deviation: SciPy 1.10 (Debian's) keeps the exact null distribution when
 * the |differences| tie, truncating the mid-ranks' sum; we take the normal
 * approximation with the tie correction then (as later SciPy does), which
 * is the textbook treatment of mid-ranks.  Exact and approximate p-values
 * otherwise agree with SciPy's.
 */
#include <math.h>
#include <stdlib.h>

#include "hpo.h"
#include "signed_rank.h"

#define EXACT_MAX_N 50 /* SciPy's limit for the exact distribution */

typedef struct absval {
    double a;
    int i;
} absval;

static int by_abs(const void *pa, const void *pb)
{
    const absval *a = pa, *b = pb;
    return (a->a > b->a) - (a->a < b->a);
}

/* Mid-ranks of |d| into rank[]; returns sum over tie groups of t^3 - t. */
static double mid_ranks(const double *d, int n, absval *s, double *rank)
{
    double ties = 0;
    for (int i = 0; i < n; i++)
        s[i] = (absval){fabs(d[i]), i};
    qsort(s, (size_t)n, sizeof *s, by_abs);
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && s[j + 1].a == s[i].a)
            j++;
        double t = j - i + 1, mid = (i + j) / 2.0 + 1;
        for (int k = i; k <= j; k++)
            rank[s[k].i] = mid;
        ties += t * t * t - t;
        i = j + 1;
    }
    return ties;
}

/* P(R+ >= r) and P(R+ <= r) under the null: each rank's sign a fair coin,
 * counted by subset sums of 1..n (at most 2^50 each: exact in a double). */
static int exact_p(int n, double r, double *p_ge, double *p_le)
{
    int top = n * (n + 1) / 2;
    double *c = calloc((size_t)top + 1, sizeof *c);
    if (!c)
        return HPO_ENOMEM;
    c[0] = 1;
    for (int k = 1; k <= n; k++)
        for (int s = k * (k + 1) / 2; s >= k; s--)
            c[s] += c[s - k];
    double ge = 0, le = 0, all = ldexp(1.0, n);
    for (int s = 0; s <= top; s++) {
        if (s >= r)
            ge += c[s];
        if (s <= r)
            le += c[s];
    }
    free(c);
    *p_ge = ge / all;
    *p_le = le / all;
    return HPO_OK;
}

int hpo__signed_rank_test(const double *d, int n, hpo__signed_rank *out)
{
    if (n < 1)
        return HPO_EINVAL;
    absval *s = malloc((size_t)n * sizeof *s);
    double *rank = malloc((size_t)n * sizeof *rank);
    if (!s || !rank) {
        free(s);
        free(rank);
        return HPO_ENOMEM;
    }
    double ties = mid_ranks(d, n, s, rank), rp = 0, rm = 0;
    int zeros = 0;
    for (int i = 0; i < n; i++) {
        if (d[i] > 0)
            rp += rank[i];
        else if (d[i] < 0)
            rm += rank[i];
        else {
            rp += rank[i] / 2;
            rm += rank[i] / 2;
            zeros++;
        }
    }
    free(s);
    free(rank);
    *out = (hpo__signed_rank){.r_plus = rp, .r_minus = rm, .z = NAN};
    if (n <= EXACT_MAX_N && !zeros && ties == 0) {
        out->exact = 1;
        return exact_p(n, rp, &out->p_greater, &out->p_less);
    }
    double mean = n * (n + 1.0) / 4;
    double var = (n * (n + 1.0) * (2.0 * n + 1) - ties / 2) / 24;
    out->z = (rp - mean) / sqrt(var);
    out->p_greater = 0.5 * erfc(out->z / M_SQRT2);
    out->p_less = 0.5 * erfc(-out->z / M_SQRT2);
    return HPO_OK;
}
