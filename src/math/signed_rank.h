/*
 * signed_rank.h — the Wilcoxon signed-rank test of paired differences
 * (signed_rank.c), one-sided both ways: for the Wilcoxon pruner (SciPy's
 * conventions, as Optuna calls it) and for irace's last two
 * configurations of a race (R's wilcox.test, src/race/wilcoxon.c).
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

/* Where the two conventions differ. */
typedef struct hpo__signed_rank_rule {
    int drop_zeros;  /* 1: zeros left out (R, "wilcox"); 0: "zsplit"
                        (ranked with the others, half their ranks to each
                        side: SciPy as Optuna calls it) */
    int continuity;  /* the normal approximation's 0.5 correction (R) */
    int exact_below; /* exact p-values for fewer pairs than this (after
                        dropping zeros) without zeros or ties */
} hpo__signed_rank_rule;

extern const hpo__signed_rank_rule hpo__signed_rank_scipy; /* {0, 0, 51} */
extern const hpo__signed_rank_rule hpo__signed_rank_r;     /* {1, 1, 50} */

/* Test the n >= 1 finite differences d (x - y) by `rule`.  Otherwise
 * than exactly, the normal approximation with the tie correction.  With
 * every difference dropped (all zero, R's rule) both p-values are 1.
 * HPO_OK, HPO_EINVAL (n < 1) or HPO_ENOMEM. */
int hpo__signed_rank_test(const double *d, int n,
                          const hpo__signed_rank_rule *rule,
                          hpo__signed_rank *out);

#endif
