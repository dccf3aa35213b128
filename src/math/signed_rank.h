/*
 * signed_rank.h — the Wilcoxon signed-rank test of paired differences
 * (signed_rank.c), one-sided both ways, for the Wilcoxon pruner.
 */
#ifndef HPO_SIGNED_RANK_H
#define HPO_SIGNED_RANK_H

typedef struct hpo__signed_rank {
    double r_plus; /* sum of the ranks of positive differences (+ half
                      the zeros' ranks: zsplit) — SciPy's statistic */
    double r_minus;
    double p_greater; /* p-value of "the differences tend to be > 0" */
    double p_less;    /* p-value of "the differences tend to be < 0" */
    double z;         /* the normal approximation's z (NaN when exact) */
    int exact;        /* 1: exact null distribution, 0: normal */
} hpo__signed_rank;

/* Test the n >= 1 finite differences d (x - y).  Zeros: "zsplit" (ranked
 * with the others, half their ranks to each side).  Exact p-values for
 * n <= 50 without zeros or ties; otherwise the normal approximation with
 * the tie correction and no continuity correction (SciPy's wilcoxon
 * defaults, as Optuna calls it).  HPO_OK, HPO_EINVAL (n < 1) or
 * HPO_ENOMEM. */
int hpo__signed_rank_test(const double *d, int n, hpo__signed_rank *out);

#endif
