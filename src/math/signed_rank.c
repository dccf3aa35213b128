/*
 * signed_rank.c — the Wilcoxon signed-rank test (Wilcoxon 1945), by two
 * rules (signed_rank.h).  SciPy's scipy.stats.wilcoxon with
 * zero_method="zsplit" (Pratt's idea of ranking the zeros, their rank sum
 * split evenly between the two sides) is what Optuna's WilcoxonPruner asks
 * for: with all differences zero the test still answers (p = 0.5) instead
 * of failing.  R's wilcox.test(paired = TRUE), which irace uses, drops the
 * zeros and corrects the normal approximation for continuity.
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
#include "ranks.h"
#include "signed_rank.h"

const hpo__signed_rank_rule hpo__signed_rank_scipy = {0, 0, 51};
const hpo__signed_rank_rule hpo__signed_rank_r = {1, 1, 50};

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

/* The normal approximation's one-sided p-values of R+ = rp. */
static void normal_p(int n, double rp, double ties, int continuity,
                     hpo__signed_rank *out)
{
    double mean = n * (n + 1.0) / 4;
    double sd = sqrt((n * (n + 1.0) * (2.0 * n + 1) - ties / 2) / 24);
    double c = continuity ? 0.5 : 0;
    out->z = (rp - mean) / sd;
    out->p_greater = sd > 0 ? hpo__norm_sf((rp - mean - c) / sd) : 1;
    out->p_less = sd > 0 ? hpo__norm_sf(-(rp - mean + c) / sd) : 1;
}

int hpo__signed_rank_test(const double *d, int n,
                          const hpo__signed_rank_rule *rule,
                          hpo__signed_rank *out)
{
    if (n < 1)
        return HPO_EINVAL;
    double *abs_d = malloc((size_t)n * sizeof *abs_d);
    double *rank = malloc((size_t)n * sizeof *rank);
    double *kept = malloc((size_t)n * sizeof *kept);
    if (!abs_d || !rank || !kept) {
        free(abs_d);
        free(rank);
        free(kept);
        return HPO_ENOMEM;
    }
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!(rule->drop_zeros && d[i] == 0)) {
            abs_d[m] = fabs(d[i]);
            kept[m++] = d[i];
        }
    /* ranks of |d|, ties at their mean */
    double ties = m ? hpo__midranks(abs_d, m, rank) : 0, rp = 0, rm = 0;
    int zeros = 0;
    for (int i = 0; i < m; i++) {
        if (kept[i] > 0)
            rp += rank[i];
        else if (kept[i] < 0)
            rm += rank[i];
        else {
            rp += rank[i] / 2;
            rm += rank[i] / 2;
            zeros++;
        }
    }
    free(abs_d);
    free(rank);
    free(kept);
    *out = (hpo__signed_rank){.r_plus = rp, .r_minus = rm, .z = NAN,
                              .p_greater = 1, .p_less = 1};
    if (m == 0)
        return HPO_OK; /* nothing left to test */
    if (m < rule->exact_below && !zeros && ties == 0) {
        out->exact = 1;
        return exact_p(m, rp, &out->p_greater, &out->p_less);
    }
    normal_p(m, rp, ties, rule->continuity, out);
    return HPO_OK;
}
