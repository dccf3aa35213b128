/*
 * ranks.h — ranks with ties and the normal tail, shared by the rank tests
 * (Friedman's in src/race/friedman.c, Wilcoxon's signed-rank in
 * signed_rank.c) and by whatever else ranks numbers.
 */
#ifndef HPO_RANKS_H
#define HPO_RANKS_H

/* Mid-ranks of x[0..k-1] (ties share the mean of their ranks, 1-based),
 * as R's rank(); returns the sum over tie groups of (t^3 - t), the term
 * the rank tests' variances are corrected with. */
double hpo__midranks(const double *x, int k, double *ranks);

/* Spearman's rank correlation of x and y (n pairs): Pearson's correlation
 * of their mid-ranks, into *rho; NaN when n < 2 or either side is
 * constant.  HPO_OK, or HPO_ENOMEM with the message in m. */
struct hpo__msg;
int hpo__spearman(const double *x, const double *y, int n, double *rho,
                  struct hpo__msg *m);

/* Upper tail of the standard normal, P(Z >= z). */
double hpo__norm_sf(double z);

#endif
