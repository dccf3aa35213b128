/*
 * nsga3.c — the `nsga3` sampler: NSGA-III (Deb & Jain 2014, "An
 * evolutionary many-objective optimization algorithm using reference-
 * point-based nondominated sorting approach, part I", IEEE TEC 18(4)), the
 * loop of NSGA-II (nsga_common.c) with the front that does not fit whole
 * cut by reference-point niching instead of crowding distance, which keeps
 * a population spread over a front of three or more objectives where
 * crowding distance no longer does.
 *
 * The cut, over the points S kept so far plus the last front:
 *   1. normalise: subtract the ideal point (each objective's minimum over
 *      S), find each axis's extreme point (the one minimising the
 *      achievement scalarising function with that axis's weight 1, the
 *      others 1e-6), and divide by the intercepts of the hyperplane through
 *      them; when that plane is degenerate (the extreme points are not
 *      independent, or an intercept is not positive) divide by the worst
 *      value of S on each axis instead (pymoo's fallback, in spirit);
 *   2. associate every point with the reference line (through the origin
 *      and a reference point) nearest to it, perpendicularly;
 *   3. niche count of a line = the points of the whole fronts kept on it;
 *      repeatedly take a line with the smallest count (ties at random): if
 *      the last front has no point left on it, drop the line; else add the
 *      point of the last front nearest to the line when its count is 0, a
 *      random one of them when not, and count it.
 * The binary tournament has no crowding distance to compare: the lower
 * front wins, else the first drawn (a random one).
 *
 * Reference points: Das and Dennis's on the unit simplex
 * (reference_points.h), with `divisions` per objective; auto follows Deb
 * and Jain's table (3 objectives: 12, 91 points; 5: 6; 8 and 10: 3 plus an
 * inner layer of 2; 15: 2 plus 1), filled in between, and 48 for two (49
 * points, like nsga2's population).  Or the user's, reference_points="a b
 * c;d e f;..." (rows of non-negative numbers, one per objective, each
 * scaled to sum to 1: directions in the normalised objective space).
 * population_size auto: the smallest multiple of 4 holding max(50, the
 * points), as Deb & Jain size it.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "nsga.h"
#include "reference_points.h"

/* ---- reference points ----------------------------------------------------- */

/* Deb & Jain's divisions (outer, inner) for m objectives. */
static void auto_divisions(int m, int *outer, int *inner)
{
    static const int table[][2] = {
        {1, 0},  {1, 0}, {48, 0}, {12, 0}, {7, 0}, {6, 0}, {4, 0},
        {4, 0},  {3, 2}, {3, 2},  {3, 2},
    };
    int rows = (int)(sizeof table / sizeof table[0]);
    *outer = m < rows ? table[m][0] : 2;
    *inner = m < rows ? table[m][1] : 1;
}

/* One row of the user's points: m non-negative numbers summing to > 0,
 * scaled to sum to 1.  The end of the row in *end. */
static int parse_row(hpo_plugin_ctx *ctx, const char *s, int m, int row,
                     double *out, const char **end)
{
    double sum = 0;
    int i = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == ';')
            break;
        char *e;
        double v = strtod(s, &e);
        if (e == s || !(v >= 0) || !isfinite(v) || i >= m)
            return hpo__fail(ctx->msg, HPO_EINVAL,
                             "nsga3: reference_points row %d is not %d "
                             "non-negative numbers (one per objective)",
                             row + 1, m);
        out[i++] = v;
        sum += v;
        s = e;
    }
    if (i != m || !(sum > 0))
        return hpo__fail(ctx->msg, HPO_EINVAL,
                         "nsga3: reference_points row %d is not %d "
                         "non-negative numbers (one per objective) with a "
                         "positive sum", row + 1, m);
    for (int k = 0; k < m; k++)
        out[k] /= sum;
    *end = s;
    return HPO_OK;
}

static int parse_points(hpo_plugin_ctx *ctx, const char *text, int m,
                        double **pts, int *count)
{
    int rows = 1;
    for (const char *c = text; *c; c++)
        rows += *c == ';';
    *pts = malloc(sizeof(double) * (size_t)rows * (size_t)m);
    if (!*pts)
        return hpo__oom(ctx->msg);
    const char *s = text;
    for (int r = 0; r < rows; r++) {
        int rc = parse_row(ctx, s, m, r, *pts + (size_t)r * m, &s);
        if (rc != HPO_OK) {
            free(*pts);
            *pts = NULL;
            return rc;
        }
        s += *s == ';';
    }
    *count = rows;
    return HPO_OK;
}

static int make_refs(nsga_state *st, hpo_plugin_ctx *ctx, int m)
{
    if (st->refs && st->refs_m == m)
        return HPO_OK;
    free(st->refs);
    st->refs = NULL;
    int rc;
    if (st->reference_points) {
        rc = parse_points(ctx, st->reference_points, m, &st->refs,
                          &st->n_refs);
    } else {
        int outer, inner;
        auto_divisions(m, &outer, &inner);
        if (st->divisions != HPO_AUTO_INT) {
            outer = (int)st->divisions;
            inner = 0;
        }
        rc = hpo__refpoints(ctx->msg, m, outer, inner, &st->refs,
                            &st->n_refs);
    }
    st->refs_m = rc == HPO_OK ? m : 0;
    return rc;
}

/* ---- normalisation -------------------------------------------------------- */

/* Solve a x = b (n x n, row-major, both overwritten) by Gaussian
 * elimination with partial pivoting: 0, or -1 when a is (nearly)
 * singular. */
static int solve(double *a, double *b, int n)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r * n + c]) > fabs(a[p * n + c]))
                p = r;
        if (!(fabs(a[p * n + c]) > 1e-12))
            return -1;
        for (int k = 0; k < n; k++) {
            double t = a[c * n + k];
            a[c * n + k] = a[p * n + k];
            a[p * n + k] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (int r = c + 1; r < n; r++) {
            double f = a[r * n + c] / a[c * n + c];
            for (int k = c; k < n; k++)
                a[r * n + k] -= f * a[c * n + k];
            b[r] -= f * b[c];
        }
    }
    for (int c = n - 1; c >= 0; c--) {
        for (int k = c + 1; k < n; k++)
            b[c] -= a[c * n + k] * b[k];
        b[c] /= a[c * n + c];
    }
    return 0;
}

/* The point of pts (rows of pool->y) minimising the achievement
 * scalarising function along axis j, translated by ideal. */
static int extreme_point(const nsga_pool *pool, const int *pts, int n,
                         const double *ideal, int j)
{
    int best = 0;
    double best_asf = INFINITY;
    for (int i = 0; i < n; i++) {
        const double *y = pool->y + (size_t)pts[i] * pool->m;
        double asf = 0;
        for (int k = 0; k < pool->m; k++)
            asf = fmax(asf, (y[k] - ideal[k]) / (k == j ? 1 : 1e-6));
        if (asf < best_asf) {
            best_asf = asf;
            best = i;
        }
    }
    return pts[best];
}

/* ideal[] and scale[] such that (y - ideal) / scale is the normalised
 * objective vector of Deb & Jain's step 1.  work: m * m + m doubles. */
static void normalise(const nsga_pool *pool, const int *pts, int n,
                      double *ideal, double *scale, double *work)
{
    int m = pool->m;
    double *a = work, *b = work + m * m;
    for (int k = 0; k < m; k++) {
        ideal[k] = INFINITY;
        scale[k] = 0;
        for (int i = 0; i < n; i++)
            ideal[k] = fmin(ideal[k], pool->y[(size_t)pts[i] * m + k]);
    }
    for (int j = 0; j < m; j++) {
        const double *y =
            pool->y + (size_t)extreme_point(pool, pts, n, ideal, j) * m;
        for (int k = 0; k < m; k++)
            a[j * m + k] = y[k] - ideal[k];
        b[j] = 1;
    }
    int ok = solve(a, b, m) == 0;
    for (int k = 0; ok && k < m; k++) {
        scale[k] = 1 / b[k];
        ok = isfinite(scale[k]) && scale[k] > 1e-10;
    }
    for (int k = 0; !ok && k < m; k++) { /* degenerate: the worst of S */
        scale[k] = 0;
        for (int i = 0; i < n; i++)
            scale[k] = fmax(scale[k], pool->y[(size_t)pts[i] * m + k] -
                                          ideal[k]);
        if (!(scale[k] > 1e-10))
            scale[k] = 1;
    }
}

/* The reference line nearest to each point (assoc) and the distance. */
static void associate(const nsga_state *st, const nsga_pool *pool,
                      const int *pts, int n, const double *ideal,
                      const double *scale, int *assoc, double *dist)
{
    int m = pool->m;
    for (int i = 0; i < n; i++) {
        const double *y = pool->y + (size_t)pts[i] * m;
        double f[HPO_MAX_OBJECTIVES], ff = 0;
        for (int k = 0; k < m; k++) {
            f[k] = (y[k] - ideal[k]) / scale[k];
            ff += f[k] * f[k];
        }
        assoc[i] = 0;
        dist[i] = INFINITY;
        for (int r = 0; r < st->n_refs; r++) {
            const double *w = st->refs + (size_t)r * m;
            double fw = 0, ww = 0;
            for (int k = 0; k < m; k++) {
                fw += f[k] * w[k];
                ww += w[k] * w[k];
            }
            double d2 = fmax(0, ff - fw * fw / ww);
            if (d2 < dist[i]) {
                dist[i] = d2;
                assoc[i] = r;
            }
        }
        dist[i] = sqrt(dist[i]);
    }
}

/* ---- niching -------------------------------------------------------------- */

/* An open line with the fewest points (ties uniformly at random). */
static int least_crowded(const int *rho, const unsigned char *closed, int n,
                         hpo__rng *rng)
{
    int pick = -1, ties = 0;
    for (int r = 0; r < n; r++) {
        if (closed[r] || (pick >= 0 && rho[r] > rho[pick]))
            continue;
        ties = pick >= 0 && rho[r] == rho[pick] ? ties + 1 : 1;
        if (hpo__rng_below(rng, (uint64_t)ties) == 0)
            pick = r;
    }
    return pick;
}

/* The point of the last front (positions n_kept ..) to add for line r:
 * the nearest when the line is empty, else a random one; -1: none. */
static int niche_member(const int *assoc, const double *dist,
                        const unsigned char *taken, int n_kept, int n,
                        int r, int empty, hpo__rng *rng)
{
    int pick = -1, seen = 0;
    for (int i = n_kept; i < n; i++) {
        if (taken[i - n_kept] || assoc[i] != r)
            continue;
        seen++;
        if (empty ? pick < 0 || dist[i] < dist[pick]
                  : hpo__rng_below(rng, (uint64_t)seen) == 0)
            pick = i;
    }
    return pick;
}

static int cut_by_niching(nsga_state *st, hpo_plugin_ctx *ctx,
                          const nsga_pool *pool, const int *kept,
                          int n_kept, const int *last, int n_last, int k,
                          hpo__rng *rng, int *out)
{
    int m = pool->m, n = n_kept + n_last, h = st->n_refs;
    int *pts = hpo__scratch(ctx, sizeof(int) * (size_t)n);
    int *assoc = hpo__scratch(ctx, sizeof(int) * (size_t)n);
    int *rho = hpo__scratch(ctx, sizeof(int) * (size_t)h);
    double *dist = hpo__scratch(ctx, sizeof(double) * (size_t)n);
    double *work = hpo__scratch(ctx, sizeof(double) * (size_t)(m * m + 3 * m));
    unsigned char *closed = hpo__scratch(ctx, (size_t)h);
    unsigned char *taken = hpo__scratch(ctx, (size_t)n_last);
    if (!pts || !assoc || !rho || !dist || !work || !closed || !taken)
        return hpo__oom(ctx->msg);
    memcpy(pts, kept, sizeof(int) * (size_t)n_kept);
    memcpy(pts + n_kept, last, sizeof(int) * (size_t)n_last);
    double *ideal = work + m * m + m, *scale = ideal + m;
    normalise(pool, pts, n, ideal, scale, work);
    associate(st, pool, pts, n, ideal, scale, assoc, dist);
    for (int i = 0; i < n_kept; i++)
        rho[assoc[i]]++;
    for (int chosen = 0; chosen < k;) {
        int r = least_crowded(rho, closed, h, rng);
        if (r < 0) /* cannot happen: an open line holds each point left */
            return hpo__fail(ctx->msg, HPO_EINVAL, "nsga3: niching ran out "
                             "of reference lines");
        int i = niche_member(assoc, dist, taken, n_kept, n, r, rho[r] == 0,
                             rng);
        if (i < 0) {
            closed[r] = 1;
            continue;
        }
        taken[i - n_kept] = 1;
        out[chosen++] = pts[i];
        rho[r]++;
    }
    return HPO_OK;
}

/* ---- the sampler ---------------------------------------------------------- */

static const hpo__gen_ops nsga3_gen = {"nsga3", hpo__nsga_first,
                                       hpo__nsga_ready, hpo__nsga_next, NULL};

static int nsga3_init(void *state, hpo_plugin_ctx *ctx)
{
    nsga_state *st = state;
    st->gen_ops = &nsga3_gen;
    st->cut = cut_by_niching;
    st->prepare = make_refs;
    if (st->reference_points && st->divisions != HPO_AUTO_INT)
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "nsga3: give divisions or reference_points, "
                            "not both");
    return hpo__nsga_init(st, ctx);
}

static const hpo_option nsga3_options[] = {
    NSGA_OPTIONS("auto", HPO_OPTION_AUTO),
    {"divisions", HPO_OPTION_INT, "auto", 1, 1000, NULL,
     "reference points: divisions of each objective's axis (Das & Dennis); "
     "auto: Deb & Jain's choice for the number of objectives",
     offsetof(nsga_state, divisions), HPO_OPTION_AUTO},
    {"reference_points", HPO_OPTION_STRING, NULL, 0, 0, NULL,
     "your own reference points instead: rows \"a b c;d e f\", one "
     "non-negative number per objective",
     offsetof(nsga_state, reference_points), 0},
    {0},
};

const hpo_sampler_type hpo__sampler_nsga3 = {
    .head = {HPO_PLUGIN_VERSION, "nsga3",
             "NSGA-III: NSGA-II's elitist evolution with reference-point "
             "niching, for three or more objectives",
             nsga3_options, sizeof(nsga_state), nsga3_init,
             hpo__nsga_destroy},
    .infer_relative_space = hpo__nsga_infer,
    .sample_relative = hpo__nsga_sample,
    .sample_independent = hpo__sample_independent_uniform,
};
