/*
 * nondominated.h — Pareto ranks, constrained domination and crowding
 * distance (nondominated.c), the sorting core of NSGA-II (Deb et al. 2002)
 * and NSGA-III (Deb & Jain 2014).  Pure functions: no state, no RNG.
 *
 * Points are rows of a row-major n x m array y (row i: y[i * m .. i * m +
 * m - 1]); every objective is minimised (the caller negates maximised
 * ones).  p dominates q when p is no worse in every objective and better in
 * at least one, so equal points never dominate each other and share a
 * front.
 */
#ifndef HPO_NONDOMINATED_H
#define HPO_NONDOMINATED_H

#include "core/internal.h"

/*
 * rank[i] = the front of point i: 0 for the non-dominated points, 1 for
 * those dominated only by front 0, and so on.  *n_fronts (may be NULL)
 * receives the number of fronts.
 *
 * viol (may be NULL: all feasible) is each point's total constraint
 * violation, 0 for a feasible point.  With it, domination is Deb et al.'s
 * constrained domination: the feasible points take the first fronts among
 * themselves; the infeasible ones follow, one front per distinct violation
 * in increasing order (equal violation: one front).
 *
 * m >= 1, n >= 0.  An objective may be infinite, never NaN; a violation is
 * >= 0 (infinity allowed), never NaN.  Returns HPO_OK, or HPO_EINVAL /
 * HPO_ENOMEM with a message in msg.  Time: O(n log n) comparisons for
 * m <= 3 (m = 3 also moves up to n^2 doubles in memory when all points
 * share one front); for m >= 4 O(n log n) plus the ENS comparisons (at most
 * m n^2, far fewer when there are many fronts).
 */
int hpo__nd_rank(hpo__msg *msg, const double *y, int n, int m,
                 const double *viol, int *rank, int *n_fronts);

/*
 * The crowding distance of each of the k points idx[0..k-1] (rows of y, one
 * front) into dist[0..k-1].  Per objective the points are sorted by it; the
 * two ends get infinity, each other point the gap between its neighbours
 * divided by the objective's range on the front; the distance is the sum
 * over objectives.  An objective equal on the whole front adds nothing (not
 * even infinity at its ends).  A front of one or two points is all
 * infinite.  Among equal values the lower index comes first, so the result
 * does not depend on idx's order.  Values must be finite (HPO_EINVAL
 * otherwise); HPO_ENOMEM with a message.
 */
int hpo__nd_crowding(hpo__msg *msg, const double *y, int m, const int *idx,
                     int k, double *dist);

#endif
