/*
 * nondominated.c — non-dominated sorting and crowding distance for NSGA-II
 * and NSGA-III.
 *
 * Ranks: the Efficient Non-domination Level Update with binary search,
 * ENS-BS (Zhang, Tian, Cheng & Jin 2015, "An Efficient Approach to
 * Nondominated Sorting for Evolutionary Multiobjective Optimization", IEEE
 * TEC 19(2)).  The points are sorted lexicographically; then no point can
 * be dominated by one after it, so taking them in that order each point's
 * front is decided by the points already placed.  Front k dominating a
 * point implies front k - 1 does too (a member of front k is dominated by
 * an earlier member of front k - 1, and domination is transitive), so the
 * point's front is found by binary search over the fronts.  Deviations:
 *   1. Equal points are adjacent after the sort; a point equal to the one
 *      before it takes its front without comparisons and is not stored,
 *      which also makes every stored earlier point strictly
 *      lexicographically smaller, so "no worse in objectives 1..m-1" alone
 *      decides domination (objective 0 is no worse by the sort).
 *   2. Two objectives (as Jensen 2003, "Reducing the Run-Time Complexity of
 *      Multiobjective EAs", IEEE TEC 7(5), observes): within one front, the
 *      member added last has the smallest second objective, so checking it
 *      alone decides the front.  That makes m = 2 O(n log n).
 *   3. Three objectives: each front keeps the 2-D staircase of its
 *      members' last two objectives (nd_staircase.c), so checking a front
 *      is one binary search and m = 3 is O(n log n) comparisons (plus the
 *      staircase's array moves).
 *   4. More objectives: a front's members are checked newest first, the
 *      closest in the sort order and so the likeliest to dominate.
 *
 * Constrained domination and crowding distance: Deb, Pratap, Agarwal &
 * Meyarivan 2002, "A Fast and Elitist Multiobjective Genetic Algorithm:
 * NSGA-II", IEEE TEC 6(2): the crowding-distance assignment of section
 * III-B and the constrained domination of its constraint-handling section.
 */
#include <math.h>
#include <stdlib.h>

#include "nd_staircase.h"
#include "nondominated.h"

/* Which columns of which rows a sort compares, in order; ties go to the
 * lower row index so every sort here is deterministic.  The sorted items
 * are row indices, or with map positions whose rows are map[a]. */
typedef struct nd_order {
    const double *y;
    int stride;
    int first, last; /* columns first .. last - 1 */
    const int *map;  /* NULL: items are rows */
} nd_order;

static int nd_cmp(const nd_order *o, int a, int b)
{
    int ia = o->map ? o->map[a] : a, ib = o->map ? o->map[b] : b;
    const double *ra = o->y + (size_t)ia * o->stride;
    const double *rb = o->y + (size_t)ib * o->stride;
    for (int j = o->first; j < o->last; j++) {
        if (ra[j] < rb[j])
            return -1;
        if (ra[j] > rb[j])
            return 1;
    }
    if (ia != ib)
        return (ia > ib) - (ia < ib);
    return (a > b) - (a < b);
}

/* Bottom-up merge sort of idx[0..n-1] (qsort has no context argument). */
static void nd_sort(const nd_order *o, int *idx, int *tmp, int n)
{
    for (int w = 1; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n;
            int hi = lo + 2 * w < n ? lo + 2 * w : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = nd_cmp(o, idx[i], idx[j]) <= 0 ? idx[i++] : idx[j++];
            while (i < mid)
                tmp[k++] = idx[i++];
            while (j < hi)
                tmp[k++] = idx[j++];
        }
        for (int i = 0; i < n; i++)
            idx[i] = tmp[i];
    }
}

static int nd_same_row(const double *y, int m, int a, int b)
{
    for (int j = 0; j < m; j++)
        if (y[(size_t)a * m + j] != y[(size_t)b * m + j])
            return 0;
    return 1;
}

/* Does a member of the front whose newest member is q dominate p?  Every
 * member is lexicographically smaller than p (deviation 1). */
static int nd_front_dominates(const double *y, int m, const int *next, int q,
                              int p)
{
    const double *rp = y + (size_t)p * m;
    for (; q >= 0; q = next[q]) {
        const double *rq = y + (size_t)q * m;
        int j = 1;
        while (j < m && rq[j] <= rp[j])
            j++;
        if (j == m)
            return 1;
        if (m == 2)
            return 0; /* deviation 2 */
    }
    return 0;
}

/* Does front k dominate p?  Three objectives ask the front's staircase
 * (nd_staircase.c), others its members. */
static int nd_dominated_by(const double *y, int m, const int *next,
                           const int *head, const hpo__stair *stairs, int k,
                           int p)
{
    if (stairs)
        return hpo__stair_covers(&stairs[k], y[(size_t)p * m + 1],
                                 y[(size_t)p * m + 2]);
    return nd_front_dominates(y, m, next, head[k], p);
}

/*
 * ENS-BS over the cnt points idx[] (sorted here), ranks from base.
 * work: 2 n ints; head: cnt ints; stairs: NULL, or (m = 3) cnt empty
 * staircases.  Returns the number of fronts, or -1 when memory runs out.
 */
static int nd_ens(const double *y, int n, int m, int *idx, int cnt, int base,
                  int *rank, int *work, int *head, hpo__stair *stairs)
{
    int *tmp = work, *next = work + n;
    nd_order o = {y, m, 0, m, NULL};
    nd_sort(&o, idx, tmp, cnt);
    int fronts = 0;
    for (int s = 0; s < cnt; s++) {
        int p = idx[s];
        if (s > 0 && nd_same_row(y, m, idx[s - 1], p)) {
            rank[p] = rank[idx[s - 1]];
            continue;
        }
        int lo = 0, hi = fronts;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (nd_dominated_by(y, m, next, head, stairs, mid, p))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == fronts)
            head[fronts++] = -1;
        if (stairs && hpo__stair_add(&stairs[lo], y[(size_t)p * m + 1],
                                     y[(size_t)p * m + 2]) != HPO_OK)
            return -1;
        next[p] = head[lo];
        head[lo] = p;
        rank[p] = base + lo;
    }
    return fronts;
}

static int nd_check_input(hpo__msg *msg, const double *y, int n, int m,
                          const double *viol, const int *rank)
{
    if (n < 0 || m < 1 || (n > 0 && (!y || !rank)))
        return hpo__fail(msg, HPO_EINVAL,
                         "non-dominated sort: bad arguments (n %d, m %d)", n,
                         m);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++)
            if (isnan(y[(size_t)i * m + j]))
                return hpo__fail(msg, HPO_EINVAL,
                                 "non-dominated sort: objective %d of point "
                                 "%d is NaN",
                                 j, i);
        if (viol && !(viol[i] >= 0))
            return hpo__fail(msg, HPO_EINVAL,
                             "non-dominated sort: the constraint violation "
                             "of point %d is %g (wanted >= 0)",
                             i, viol[i]);
    }
    return HPO_OK;
}

/* The infeasible points idx[0..cnt-1]: one front per distinct violation. */
static int nd_rank_infeasible(const double *viol, int *idx, int cnt,
                              int base, int *rank, int *tmp)
{
    nd_order o = {viol, 1, 0, 1, NULL};
    nd_sort(&o, idx, tmp, cnt);
    int fronts = 0;
    for (int s = 0; s < cnt; s++) {
        if (s == 0 || viol[idx[s]] != viol[idx[s - 1]])
            fronts++;
        rank[idx[s]] = base + fronts - 1;
    }
    return fronts;
}

int hpo__nd_rank(hpo__msg *msg, const double *y, int n, int m,
                 const double *viol, int *rank, int *n_fronts)
{
    int rc = nd_check_input(msg, y, n, m, viol, rank);
    if (rc != HPO_OK)
        return rc;
    /* idx: feasible points from the front, infeasible from the back. */
    int *mem = malloc(((size_t)n * 4 + 1) * sizeof *mem);
    if (!mem)
        return hpo__fail(msg, HPO_ENOMEM,
                         "non-dominated sort: out of memory (%d points)", n);
    int *idx = mem, *work = mem + n, *head = mem + 3 * (size_t)n;
    int nf = 0, ni = 0;
    for (int i = 0; i < n; i++) {
        if (viol && viol[i] > 0)
            idx[n - 1 - ni++] = i;
        else
            idx[nf++] = i;
    }
    hpo__stair *stairs = m == 3 ? calloc(nf + 1, sizeof *stairs) : NULL;
    int fronts = -1;
    if (m != 3 || stairs)
        fronts = nd_ens(y, n, m, idx, nf, 0, rank, work, head, stairs);
    for (int k = 0; stairs && k < nf; k++)
        hpo__stair_free(&stairs[k]);
    free(stairs);
    if (fronts < 0) {
        free(mem);
        return hpo__fail(msg, HPO_ENOMEM,
                         "non-dominated sort: out of memory (%d points)", n);
    }
    fronts += nd_rank_infeasible(viol, idx + nf, ni, fronts, rank, work);
    free(mem);
    if (n_fronts)
        *n_fronts = fronts;
    return HPO_OK;
}

int hpo__nd_crowding(hpo__msg *msg, const double *y, int m, const int *idx,
                     int k, double *dist)
{
    if (k < 0 || m < 1 || (k > 0 && (!y || !idx || !dist)))
        return hpo__fail(msg, HPO_EINVAL,
                         "crowding distance: bad arguments (k %d, m %d)", k,
                         m);
    for (int s = 0; s < k; s++)
        for (int j = 0; j < m; j++)
            if (!isfinite(y[(size_t)idx[s] * m + j]))
                return hpo__fail(msg, HPO_EINVAL,
                                 "crowding distance: objective %d of point "
                                 "%d is %g (wanted finite)",
                                 j, idx[s], y[(size_t)idx[s] * m + j]);
    for (int s = 0; s < k; s++)
        dist[s] = k <= 2 ? INFINITY : 0.0;
    if (k <= 2)
        return HPO_OK;
    /* ord: positions into idx, sorted by one objective at a time. */
    int *ord = malloc((size_t)k * 2 * sizeof *ord);
    if (!ord)
        return hpo__fail(msg, HPO_ENOMEM,
                         "crowding distance: out of memory (%d points)", k);
    for (int j = 0; j < m; j++) {
        for (int s = 0; s < k; s++)
            ord[s] = s;
        nd_order o = {y, m, j, j + 1, idx};
        nd_sort(&o, ord, ord + k, k);
        double lo = y[(size_t)idx[ord[0]] * m + j];
        double range = y[(size_t)idx[ord[k - 1]] * m + j] - lo;
        if (!(range > 0))
            continue; /* equal on the whole front */
        dist[ord[0]] = INFINITY;
        dist[ord[k - 1]] = INFINITY;
        for (int s = 1; s < k - 1; s++)
            dist[ord[s]] += (y[(size_t)idx[ord[s + 1]] * m + j] -
                             y[(size_t)idx[ord[s - 1]] * m + j]) /
                            range;
    }
    free(ord);
    return HPO_OK;
}
