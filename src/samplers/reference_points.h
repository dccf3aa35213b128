/*
 * reference_points.h — NSGA-III's structured reference points on the unit
 * simplex (reference_points.c).
 */
#ifndef HPO_REFERENCE_POINTS_H
#define HPO_REFERENCE_POINTS_H

#include "core/internal.h"

/* How many points Das and Dennis's construction makes for m objectives and
 * p divisions: C(m + p - 1, p); -1 when m < 1, p < 0 or the points would
 * hold more than HPO_MAX_REFERENCE_VALUES values. */
long hpo__refpoints_count(int m, int p);

/*
 * The reference points for m >= 1 objectives: every vector of m multiples
 * of 1/p_outer (p_outer >= 1) that sums to 1, then, when p_inner > 0, Deb
 * and Jain's inner layer: the same construction for p_inner divisions
 * shrunk halfway towards the simplex's centre (x -> (1 / m + x) / 2), which
 * many objectives need because few divisions put every outer point on the
 * simplex's boundary.  *pts (malloc'd, the caller frees) receives
 * *count rows of m doubles, each summing to 1, outer layer first, each
 * layer in lexicographically decreasing order.  Returns HPO_OK, or
 * HPO_EINVAL (bad m or p, more than HPO_MAX_REFERENCE_VALUES values) or
 * HPO_ENOMEM with a message in msg.
 */
int hpo__refpoints(hpo__msg *msg, int m, int p_outer, int p_inner,
                   double **pts, int *count);

#endif
