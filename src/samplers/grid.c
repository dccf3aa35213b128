/*
 * grid.c — the grid sampler: every point of the Cartesian product of the
 * study's declared space, each exactly once, then the study stops.
 *
 * It behaves as Optuna's GridSampler (optuna/samplers/_grid.py): a trial's
 * point is recorded in its system attribute "grid_id", a point is taken
 * once a finished or RUNNING trial holds it, and the sampler is exhausted
 * when every point is taken.  Deliberate deviations:
 *
 *   1. The grid is derived from the declared space (hpo_study_set_space),
 *      not passed as lists of values.  Axis values:
 *        categorical          every choice;
 *        int, float with step every legal value low, low+step, ..., high;
 *                             an axis with more than GRID_MAX_AXIS_VALUES is
 *                             refused unless points=N is given, which then
 *                             takes N evenly spaced legal values;
 *        continuous float     `points` values evenly spaced from low to high
 *                             (evenly in log space for a log float).
 *   2. Conditional spaces: only distinct active assignments are enumerated.
 *      A parameter inactive under its parent's choice does not multiply the
 *      grid of that branch (see "Counting a conditional grid" below).
 *   3. Optuna picks a random unvisited point, so two workers may pick the
 *      same one.  Here trial number k takes point order(k), where order is
 *      a fixed bijection of 0..N-1 that depends on nothing worker-local:
 *      trial numbers are unique, so workers on any thread, process or
 *      machine never collide while k < N.  Only trials with k >= N (after
 *      enqueued or failed-and-retried trials) or whose point was already
 *      taken scan the history for a free point.
 *      A trial another process has created but not yet sampled (RUNNING,
 *      no parameters, no grid_id) counts as holding order(k), so a scan
 *      elsewhere does not take its point.  Two processes scanning at the
 *      very end may still both find the grid full and repeat a point, as
 *      Optuna does; none repeats while a point is free.
 *   4. An enqueued trial whose fixed parameters land exactly on a grid point
 *      takes that point's grid id (Optuna gives such trials none), so
 *      enqueuing grid points does not make the grid run them twice.  A
 *      partly fixed or off-grid one takes no point; its free parameters are
 *      drawn as in 5.
 *   5. A parameter outside the declared space (define-by-run), or left free
 *      by such an enqueued trial, is drawn uniformly at random
 *      (hpo__sample_uniform): the grid has no value for it.
 *   6. points=1 puts a continuous axis's single value at its middle
 *      (geometric middle when log).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../core/json.h"
#include "sampler.h"

/* A discrete axis (int, float with step) larger than this needs points=N:
 * enumerating a million learning-rate steps is almost surely a mistake. */
#define GRID_MAX_AXIS_VALUES 10000

/* 1/golden ratio: consecutive trials land about 0.618 of the grid apart. */
#define GRID_INV_PHI 0.6180339887498949

#define GRID_ID_KEY "grid_id"

/*
 * Counting a conditional grid.  Conditions form a forest: every parameter
 * has at most one parent, an earlier categorical.  For a parameter p,
 *
 *     count(p) = sum over the values v of p of weight(p, v)
 *     weight(p, v) = product of count(c) over the children c active when
 *                    p takes v (1 when there are none)
 *
 * and the grid has N = product of count(r) over the roots r.  A point
 * index is decoded in mixed radix over the roots (first root least
 * significant); inside p an index i picks the value v with
 * offset[v] <= i < offset[v+1] (offset = prefix sums of the weights) and
 * the rest, i - offset[v], is decoded in mixed radix over v's active
 * children.  Parameters never reached are inactive (NaN).
 */
typedef struct grid_axis {
    int n_values;
    double *values;    /* internal values, ascending, distinct */
    uint64_t *offset;  /* n_values + 1 prefix sums of the weights */
    int n_children;
    int *children;     /* indices of the parameters conditioned on this */
    uint64_t count;    /* distinct assignments of this parameter's subtree */
} grid_axis;

typedef struct grid_state {
    int64_t points;   /* values per continuous float axis */
    int points_given; /* points= was set: also thins huge discrete axes */

    /* The cache, rebuilt when the declared space changes. */
    const hpo_space *space;
    uint64_t fingerprint;
    int n_axes;
    grid_axis *axes;
    int n_roots;
    int *roots;
    uint64_t n_points;
    uint64_t stride; /* order(k) = k * stride mod n_points */

    /* The history folded in so far (see "Which points are taken"). */
    uint8_t *done_bits; /* n_points bits: held by a finished trial */
    uint64_t n_done;    /* bits set */
    uint8_t *folded;    /* folded[number]: trial counted in done_bits */
    int folded_cap;
    int first_open;     /* history index; every trial before it is folded */
} grid_state;

/* ------------------------------------------------------------------------- */
/* The cache                                                                  */
/* ------------------------------------------------------------------------- */

static void grid_clear(grid_state *g)
{
    for (int i = 0; i < g->n_axes; i++) {
        free(g->axes[i].values);
        free(g->axes[i].offset);
        free(g->axes[i].children);
    }
    free(g->axes);
    free(g->roots);
    g->axes = NULL;
    g->roots = NULL;
    g->n_axes = g->n_roots = 0;
    g->n_points = 0;
    g->space = NULL;
    free(g->done_bits);
    free(g->folded);
    g->done_bits = g->folded = NULL;
    g->n_done = 0;
    g->folded_cap = g->first_open = 0;
}

/* FNV-1a over everything that shapes the grid, so that a space changed in
 * place (same pointer) still rebuilds the cache. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t space_fingerprint(const hpo_space *s)
{
    uint64_t h = 14695981039346656037ULL;
    h = fnv(h, &s->n, sizeof s->n);
    for (int i = 0; i < s->n; i++) {
        const hpo__space_param *p = &s->p[i];
        const hpo__dist *d = &p->dist;
        h = fnv(h, p->name, strlen(p->name) + 1);
        h = fnv(h, &d->kind, sizeof d->kind);
        h = fnv(h, &d->log, sizeof d->log);
        h = fnv(h, &d->low, sizeof d->low);
        h = fnv(h, &d->high, sizeof d->high);
        h = fnv(h, &d->step, sizeof d->step);
        h = fnv(h, &d->n_choices, sizeof d->n_choices);
        h = fnv(h, &p->parent, sizeof p->parent);
        h = fnv(h, &p->n_cond, sizeof p->n_cond);
        if (p->n_cond > 0)
            h = fnv(h, p->cond, sizeof *p->cond * (size_t)p->n_cond);
    }
    return h;
}

/* How many values the axis of d will have (before removing duplicates that
 * rounding a log-spaced int axis may make).  Refuses a huge discrete axis
 * when points= was not given. */
static int axis_size(const grid_state *g, const hpo__dist *d,
                     const char *name, double *size, hpo__msg *m)
{
    if (d->kind == HPO__CATEGORICAL) {
        *size = d->n_choices;
        return HPO_OK;
    }
    double card = hpo__dist_cardinality(d);
    if (card <= 0) { /* continuous float */
        *size = d->low == d->high ? 1 : (double)g->points;
        return HPO_OK;
    }
    if (card <= GRID_MAX_AXIS_VALUES) {
        *size = card;
        return HPO_OK;
    }
    if (!g->points_given)
        return hpo__fail(m, HPO_EINVAL,
                         "grid sampler: parameter '%s' has %.0f values, more "
                         "than the %d a grid axis enumerates; give "
                         "points=N (e.g. \"grid:points=10\") to take N evenly "
                         "spaced values",
                         name, card, GRID_MAX_AXIS_VALUES);
    *size = card < (double)g->points ? card : (double)g->points;
    return HPO_OK;
}

/* low * (high / low)^t, by logarithms where high / low is beyond the
 * double range (1e-300..1e300). */
static double log_spaced(double low, double high, double t)
{
    double ratio = high / low;
    if (isfinite(ratio))
        return low * pow(ratio, t);
    return fmin(fmax(exp(hpo__lerp(log(low), log(high), t)), low), high);
}

/* The i-th of n points evenly spaced over [low, high] (log-evenly when
 * log), with the ends exact. */
static double spaced(double low, double high, int log_scale, int64_t i,
                     int64_t n)
{
    if (n <= 1) /* halves first: low + high may overflow */
        return log_scale ? log_spaced(low, high, 0.5) : 0.5 * low + 0.5 * high;
    if (i == 0)
        return low;
    if (i == n - 1)
        return high;
    double t = (double)i / (double)(n - 1);
    if (log_scale)
        return log_spaced(low, high, t);
    return hpo__lerp(low, high, t);
}

/* Fill ax->values with `size` values of d, ascending and distinct. */
static int axis_values(grid_axis *ax, const hpo__dist *d, double size)
{
    int n = (int)size;
    ax->values = malloc(sizeof *ax->values * (size_t)n);
    if (!ax->values)
        return HPO_ENOMEM;
    double card = hpo__dist_cardinality(d);
    for (int i = 0; i < n; i++) {
        double v;
        if (d->kind == HPO__CATEGORICAL)
            v = i;
        else if (card <= 0)
            v = spaced(d->low, d->high, d->log, i, n);
        else if (card == size) /* every legal value */
            v = hpo__dist_snap(d, d->low + i * d->step);
        else if (d->log) /* log int thinned: round log-spaced values */
            v = hpo__dist_snap(d, spaced(d->low, d->high, 1, i, n));
        else /* thinned: steps spread evenly, never two on one step */
            v = hpo__dist_snap(
                d, d->low + d->step * nearbyint((double)i * (card - 1) /
                                                (double)(n - 1)));
        ax->values[i] = v;
    }
    /* Rounding can repeat a value (a log int axis thinned near its low
     * end, or snapping of a one-point axis); keep each value once. */
    int kept = 0;
    for (int i = 0; i < n; i++)
        if (kept == 0 || ax->values[i] != ax->values[kept - 1])
            ax->values[kept++] = ax->values[i];
    ax->n_values = kept;
    return HPO_OK;
}

static int child_active(const hpo__space_param *c, int value_index)
{
    for (int j = 0; j < c->n_cond; j++)
        if (c->cond[j] == value_index)
            return 1;
    return 0;
}

/* The grid size in doubles, from each axis's planned number of values
 * (sizes[]), so that a grid too large is refused before anything is
 * allocated or any integer arithmetic can overflow.  Children come after
 * their parents, so a backward walk counts every subtree before its
 * parent.  *largest is the parameter with the most values, to name. */
static void estimate_total(const grid_state *g, const hpo_space *s,
                           const double *sizes, double *counts,
                           double *total, int *largest)
{
    *total = 1;
    *largest = 0;
    for (int i = s->n - 1; i >= 0; i--) {
        const grid_axis *ax = &g->axes[i];
        double sum = 0;
        if (ax->n_children == 0) {
            sum = sizes[i];
        } else { /* a categorical parent: at most HPO_MAX_PARAMS choices */
            for (int v = 0; v < (int)sizes[i]; v++) {
                double w = 1;
                for (int j = 0; j < ax->n_children; j++) {
                    int c = ax->children[j];
                    if (child_active(&s->p[c], v))
                        w *= counts[c];
                }
                sum += w;
            }
        }
        counts[i] = sum;
        if (s->p[i].parent < 0)
            *total *= sum;
        if (sizes[i] > sizes[*largest])
            *largest = i;
    }
}

/* Exact subtree counts and prefix sums.  The grid passed the size check,
 * so every count, weight and prefix sum is at most N <= 1e8: no overflow. */
static int count_points(grid_state *g, const hpo_space *s)
{
    for (int i = s->n - 1; i >= 0; i--) {
        grid_axis *ax = &g->axes[i];
        ax->offset = malloc(sizeof *ax->offset * (size_t)(ax->n_values + 1));
        if (!ax->offset)
            return HPO_ENOMEM;
        ax->offset[0] = 0;
        for (int v = 0; v < ax->n_values; v++) {
            uint64_t w = 1;
            for (int j = 0; j < ax->n_children; j++) {
                int c = ax->children[j];
                if (child_active(&s->p[c], v))
                    w *= g->axes[c].count;
            }
            ax->offset[v + 1] = ax->offset[v] + w;
        }
        ax->count = ax->offset[ax->n_values];
    }
    g->n_points = 1;
    for (int r = 0; r < g->n_roots; r++)
        g->n_points *= g->axes[g->roots[r]].count;
    return HPO_OK;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The multiplier of order(k) = k * stride mod N: coprime with N (so order
 * is a bijection) and near N / golden ratio (so consecutive trials land far
 * apart, as in a golden-ratio additive sequence). */
static uint64_t choose_stride(uint64_t n)
{
    if (n <= 2)
        return 1;
    uint64_t a = (uint64_t)nearbyint((double)n * GRID_INV_PHI);
    for (uint64_t d = 0; d < n; d++) {
        if (a > d && gcd_u64(a - d, n) == 1)
            return a - d;
        if (a + d < n && gcd_u64(a + d, n) == 1)
            return a + d;
    }
    return 1;
}

/* Link each parameter to its parent; parents must be categorical. */
static int link_conditions(grid_state *g, const hpo_space *s, hpo__msg *m)
{
    g->roots = malloc(sizeof *g->roots * (size_t)s->n);
    if (!g->roots)
        return hpo__oom(m);
    for (int i = 0; i < s->n; i++) {
        int parent = s->p[i].parent;
        if (parent < 0) {
            g->roots[g->n_roots++] = i;
            continue;
        }
        if (parent >= i || s->p[parent].dist.kind != HPO__CATEGORICAL)
            return hpo__fail(m, HPO_EINVAL,
                             "grid sampler: parameter '%s' is conditioned on "
                             "'%s', which is not an earlier categorical",
                             s->p[i].name, s->p[parent].name);
        grid_axis *pa = &g->axes[parent];
        int *grown = realloc(pa->children,
                             sizeof *grown * (size_t)(pa->n_children + 1));
        if (!grown)
            return hpo__oom(m);
        pa->children = grown;
        pa->children[pa->n_children++] = i;
    }
    return HPO_OK;
}

/* Plan every axis's size, refuse a grid too large, then build the values
 * and the counts. */
static int grid_build(grid_state *g, const hpo_space *s, hpo__msg *m)
{
    g->axes = calloc((size_t)s->n, sizeof *g->axes);
    if (!g->axes)
        return hpo__oom(m);
    g->n_axes = s->n;
    int rc = link_conditions(g, s, m);
    if (rc != HPO_OK)
        return rc;
    double *sizes = malloc(sizeof *sizes * 2 * (size_t)s->n);
    if (!sizes)
        return hpo__oom(m);
    for (int i = 0; i < s->n && rc == HPO_OK; i++)
        rc = axis_size(g, &s->p[i].dist, s->p[i].name, &sizes[i], m);
    double total = 0;
    int largest = 0;
    if (rc == HPO_OK) {
        estimate_total(g, s, sizes, sizes + s->n, &total, &largest);
        if (!(total <= HPO_MAX_GRID_POINTS))
            rc = hpo__fail(m, HPO_EINVAL,
                           "grid sampler: the grid has %.4g points (%d "
                           "axes), more than the %.0f allowed; its largest "
                           "axis is '%s' with %.0f values: narrow the space, "
                           "drop parameters or lower points=",
                           total, s->n, HPO_MAX_GRID_POINTS,
                           s->p[largest].name, sizes[largest]);
    }
    for (int i = 0; i < s->n && rc == HPO_OK; i++)
        rc = axis_values(&g->axes[i], &s->p[i].dist, sizes[i]);
    free(sizes);
    if (rc == HPO_OK)
        rc = count_points(g, s);
    if (rc == HPO_OK)
        g->stride = choose_stride(g->n_points);
    return rc;
}

/* The grid of the study's declared space, built once and kept until the
 * space changes. */
static int grid_get(grid_state *g, hpo_plugin_ctx *ctx, const hpo_space **out)
{
    const hpo_space *s = hpo_ctx_space(ctx);
    if (!s || s->n == 0)
        return hpo__fail(ctx->msg, HPO_EINVAL,
                         "the grid sampler needs a declared search space "
                         "(--param or --space)");
    uint64_t fp = space_fingerprint(s);
    if (g->space == s && g->fingerprint == fp && g->n_points > 0) {
        *out = s;
        return HPO_OK;
    }
    grid_clear(g);
    int rc = grid_build(g, s, ctx->msg);
    if (rc != HPO_OK) {
        if (rc == HPO_ENOMEM)
            hpo__fail(ctx->msg, rc, "grid sampler: out of memory");
        grid_clear(g);
        return rc;
    }
    g->space = s;
    g->fingerprint = fp;
    *out = s;
    return HPO_OK;
}

/* ------------------------------------------------------------------------- */
/* Points: index <-> values                                                   */
/* ------------------------------------------------------------------------- */

static uint64_t grid_order(const grid_state *g, uint64_t k)
{
    return (k % g->n_points) * g->stride % g->n_points;
}

static void decode_param(const grid_state *g, const hpo_space *s, int p,
                         uint64_t i, double *values)
{
    const grid_axis *ax = &g->axes[p];
    int lo = 0, hi = ax->n_values - 1; /* last v with offset[v] <= i */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (ax->offset[mid] <= i)
            lo = mid;
        else
            hi = mid - 1;
    }
    values[p] = ax->values[lo];
    uint64_t rest = i - ax->offset[lo];
    for (int j = 0; j < ax->n_children; j++) {
        int c = ax->children[j];
        if (!child_active(&s->p[c], lo))
            continue;
        uint64_t n = g->axes[c].count;
        decode_param(g, s, c, rest % n, values);
        rest /= n;
    }
}

/* values[i] for every parameter of the space: the point's value, or NaN
 * for a parameter the point leaves inactive. */
static void decode_point(const grid_state *g, const hpo_space *s,
                         uint64_t id, double *values)
{
    for (int i = 0; i < s->n; i++)
        values[i] = NAN;
    for (int r = 0; r < g->n_roots; r++) {
        int p = g->roots[r];
        uint64_t n = g->axes[p].count;
        decode_param(g, s, p, id % n, values);
        id /= n;
    }
}

/* Index of x among the axis values, or -1 when it is not one of them
 * (a float is matched within a few ulps of its range). */
static int find_value(const grid_axis *ax, const hpo__dist *d, double x)
{
    double tol = d->kind == HPO__FLOAT
                     ? 1e-12 * fmax(fabs(d->low), fabs(d->high))
                     : 0;
    int lo = 0, hi = ax->n_values - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (fabs(ax->values[mid] - x) <= tol)
            return mid;
        if (ax->values[mid] < x)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The index of the subtree of p at the given internal values, or 0 with
 * *ok = 0 when some active parameter is missing (NaN) or off the grid. */
static uint64_t encode_param(const grid_state *g, const hpo_space *s, int p,
                             const double *values, int *ok)
{
    const grid_axis *ax = &g->axes[p];
    int v = isnan(values[p]) ? -1
                             : find_value(ax, &s->p[p].dist, values[p]);
    if (v < 0) {
        *ok = 0;
        return 0;
    }
    uint64_t index = 0, radix = 1;
    for (int j = 0; j < ax->n_children; j++) {
        int c = ax->children[j];
        if (!child_active(&s->p[c], v))
            continue;
        index += encode_param(g, s, c, values, ok) * radix;
        radix *= g->axes[c].count;
    }
    return ax->offset[v] + index;
}

/* The grid id of a point given by internal values, or -1 when they are
 * not exactly a grid point; the inverse of decode_point. */
static int64_t encode_point(const grid_state *g, const hpo_space *s,
                            const double *values)
{
    int ok = 1;
    uint64_t id = 0, radix = 1;
    for (int r = 0; r < g->n_roots && ok; r++) {
        int p = g->roots[r];
        id += encode_param(g, s, p, values, &ok) * radix;
        radix *= g->axes[p].count;
    }
    return ok ? (int64_t)id : -1;
}

/* An enqueued trial's fixed parameters ("fixed_params", a JSON object of
 * external values, as hpo_study_enqueue stores them) as internal values;
 * NaN for a parameter it does not fix. */
static int fixed_values(const hpo_space *s, const char *json, double *values,
                        hpo_plugin_ctx *ctx)
{
    cJSON *root;
    if (hpo__json_parse(json, "fixed_params", &root, ctx->msg) == HPO_ENOMEM)
        return HPO_ENOMEM;
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return hpo__fail(ctx->msg, HPO_EINVAL,
                         "grid sampler: trial %d has unreadable fixed_params",
                         ctx->trial->number);
    }
    int rc = HPO_OK;
    for (int i = 0; i < s->n && rc == HPO_OK; i++) {
        const hpo__dist *d = &s->p[i].dist;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, s->p[i].name);
        values[i] = NAN;
        if (v && d->kind == HPO__CATEGORICAL) {
            char *text = cJSON_IsString(v) ? hpo__strdup(v->valuestring)
                                           : cJSON_PrintUnformatted(v);
            if (!text)
                rc = hpo__oom(ctx->msg);
            int k = text ? hpo__dist_find_choice(d, text) : -1;
            free(text);
            if (k >= 0)
                values[i] = k;
        } else if (cJSON_IsNumber(v)) {
            values[i] = v->valuedouble;
        }
    }
    cJSON_Delete(root);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Which points are taken                                                     */
/* ------------------------------------------------------------------------- */

/*
 * A point is taken when a finished or RUNNING trial holds it.  Finished
 * trials never change, so each is folded once into done_bits as it
 * finishes; the trials still open (from first_open on: one per worker,
 * plus any waiting) are read afresh on each call.  That keeps a call
 * O(open trials) instead of O(history), so a 10,000-point grid does not
 * cost 10,000^2 scans.
 */

static int bit_get(const uint8_t *bits, uint64_t i)
{
    return bits[i / 8] >> (i % 8) & 1;
}

static void bit_set(uint8_t *bits, uint64_t i)
{
    bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* The grid id a trial holds, or -1. */
static int64_t trial_grid_id(const grid_state *g, const hpo__trial_rec *t)
{
    const char *json = hpo__attrs_get(&t->system_attrs, GRID_ID_KEY);
    if (!json)
        return -1;
    char *end;
    double x = strtod(json, &end);
    if (end == json || x < 0 || x >= (double)g->n_points || x != floor(x))
        return -1; /* another grid's id, or not ours to read */
    return (int64_t)x;
}

/* The point a RUNNING trial takes: the one recorded in grid_id, or, for a
 * trial just created whose sampling is still under way in another process
 * (no parameters yet, not enqueued), order(number), which it is about to
 * take.  -1 for none. */
static int64_t trial_claim(const grid_state *g, const hpo__trial_rec *t)
{
    int64_t id = trial_grid_id(g, t);
    if (id >= 0)
        return id;
    if (t->n_params == 0 && t->number >= 0 &&
        (uint64_t)t->number < g->n_points &&
        !hpo__attrs_get(&t->system_attrs, "fixed_params"))
        return (int64_t)grid_order(g, (uint64_t)t->number);
    return -1;
}

static int is_folded(const grid_state *g, int number)
{
    return number >= 0 && number < g->folded_cap && g->folded[number];
}

/* Fold the trials finished since the last call into done_bits, and hand
 * back the history. */
static int fold_finished(grid_state *g, hpo_plugin_ctx *ctx,
                         const hpo__trial_rec **trials, int *n)
{
    int rc = hpo__ctx_history(ctx, trials, n);
    if (rc != HPO_OK)
        return rc;
    if (!g->done_bits &&
        !(g->done_bits = calloc((size_t)(g->n_points / 8 + 1), 1)))
        return hpo__fail(ctx->msg, HPO_ENOMEM, "grid sampler: out of memory");
    for (int i = g->first_open; i < *n; i++) {
        const hpo__trial_rec *t = &(*trials)[i];
        if (!hpo__state_finished(t->state) || t->number < 0 ||
            is_folded(g, t->number))
            continue;
        if (hpo__grow((void **)&g->folded, &g->folded_cap, t->number + 1, 1))
            return hpo__fail(ctx->msg, HPO_ENOMEM,
                             "grid sampler: out of memory");
        g->folded[t->number] = 1;
        int64_t id = trial_grid_id(g, t);
        if (id >= 0 && !bit_get(g->done_bits, (uint64_t)id)) {
            bit_set(g->done_bits, (uint64_t)id);
            g->n_done++;
        }
    }
    while (g->first_open < *n && is_folded(g, (*trials)[g->first_open].number))
        g->first_open++;
    return HPO_OK;
}

static int in_list(const uint64_t *ids, int n, uint64_t id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* The points RUNNING trials (other than trial number `skip`) take that no
 * finished trial holds, each once, in scratch memory.  Call after
 * fold_finished. */
static int running_claims(const grid_state *g, hpo_plugin_ctx *ctx,
                          const hpo__trial_rec *trials, int n, int skip,
                          uint64_t **ids, int *n_ids)
{
    *n_ids = 0;
    *ids = hpo__scratch(ctx, sizeof **ids * (size_t)(n - g->first_open + 1));
    if (!*ids)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "grid sampler: out of memory");
    for (int i = g->first_open; i < n; i++) {
        const hpo__trial_rec *t = &trials[i];
        if (t->state != HPO_RUNNING || t->number == skip)
            continue;
        int64_t id = trial_claim(g, t);
        if (id < 0 || bit_get(g->done_bits, (uint64_t)id) ||
            in_list(*ids, *n_ids, (uint64_t)id))
            continue;
        (*ids)[(*n_ids)++] = (uint64_t)id;
    }
    return HPO_OK;
}

/* Every point taken?  (*taken: how many are.) */
static int count_taken(grid_state *g, hpo_plugin_ctx *ctx, int skip,
                       uint64_t **claims, int *n_claims, uint64_t *taken)
{
    const hpo__trial_rec *trials;
    int n;
    int rc = fold_finished(g, ctx, &trials, &n);
    if (rc == HPO_OK)
        rc = running_claims(g, ctx, trials, n, skip, claims, n_claims);
    *taken = g->n_done + (uint64_t)*n_claims;
    return rc;
}

/* The point for trial t: order(k) while it is free, else the first free
 * point in bijection order after position k (trials racing here from
 * different processes start at different positions).  When every point is
 * taken (a race between processes the exhaustion check could not see), the
 * trial repeats order(k), as Optuna repeats a visited point. */
static int choose_point(grid_state *g, hpo_plugin_ctx *ctx,
                        const hpo__trial_rec *t, uint64_t *id)
{
    uint64_t k = t->number >= 0 ? (uint64_t)t->number : 0;
    uint64_t *claims, taken;
    int n_claims;
    int rc = count_taken(g, ctx, t->number, &claims, &n_claims, &taken);
    if (rc != HPO_OK)
        return rc;
    for (uint64_t j = 0; j < g->n_points && taken < g->n_points; j++) {
        if (j == 0 && k >= g->n_points)
            continue; /* past the grid: only the scan */
        uint64_t cand = grid_order(g, (k + j) % g->n_points);
        if (!bit_get(g->done_bits, cand) && !in_list(claims, n_claims, cand)) {
            *id = cand;
            return HPO_OK;
        }
    }
    *id = grid_order(g, k);
    return HPO_OK;
}

/* ------------------------------------------------------------------------- */
/* The sampler methods                                                        */
/* ------------------------------------------------------------------------- */

static const hpo_option grid_options[] = {
    {"points", HPO_OPTION_INT, "auto", 1, HPO_MAX_GRID_POINTS, NULL,
     "values per continuous float axis (auto: 5); when given, also thins "
     "int/step axes of more than 10000 values",
     offsetof(grid_state, points), HPO_OPTION_AUTO},
    {0},
};

static int grid_init(void *state, hpo_plugin_ctx *ctx)
{
    grid_state *g = state;
    (void)ctx;
    g->points_given = g->points != HPO_AUTO_INT;
    if (!g->points_given)
        g->points = HPO_GRID_DEFAULT_POINTS;
    return HPO_OK;
}

static void grid_destroy(void *state)
{
    grid_clear(state);
}

static int grid_is_exhausted(void *state, hpo_plugin_ctx *ctx)
{
    grid_state *g = state;
    const hpo_space *s;
    uint64_t *claims, taken;
    int n_claims;
    int rc = grid_get(g, ctx, &s);
    if (rc == HPO_OK)
        rc = count_taken(g, ctx, -1, &claims, &n_claims, &taken);
    return rc != HPO_OK ? rc : taken >= g->n_points;
}

static int grid_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                     const hpo_space **space)
{
    return grid_get(state, ctx, space);
}

static int grid_sample_relative(void *state, hpo_plugin_ctx *ctx,
                                const hpo_space *space, double *values)
{
    grid_state *g = state;
    const hpo_space *s;
    int rc = grid_get(g, ctx, &s);
    if (rc != HPO_OK)
        return rc;
    /* `space` is the core's copy of the declared space: same order. */
    if (space->n != s->n || !ctx->trial)
        return hpo__fail(ctx->msg, HPO_EMISUSE,
                         "grid sampler: sample_relative without its trial or "
                         "with another space than the declared one");
    const hpo__trial_rec *t = ctx->trial;
    const char *fixed = hpo__attrs_get(&t->system_attrs, "fixed_params");
    int64_t id = trial_grid_id(g, t);
    if (id < 0 && fixed) {
        /* Enqueued: its fixed values stand (the core prefers them); it
         * takes its point when it is exactly one, else no point, and the
         * parameters it leaves free are drawn by sample_independent. */
        rc = fixed_values(s, fixed, values, ctx);
        if (rc == HPO_OK)
            id = encode_point(g, s, values);
        for (int i = 0; i < s->n; i++)
            values[i] = NAN;
        if (rc != HPO_OK || id < 0)
            return rc;
    } else if (id < 0) {
        uint64_t chosen;
        rc = choose_point(g, ctx, t, &chosen);
        if (rc != HPO_OK)
            return rc;
        id = (int64_t)chosen;
    }
    char json[32];
    snprintf(json, sizeof json, "%lld", (long long)id);
    rc = hpo_ctx_set_trial_attr(ctx, GRID_ID_KEY, json);
    if (rc != HPO_OK)
        return rc;
    decode_point(g, s, (uint64_t)id, values);
    return HPO_OK;
}

/* HPO_DONE once finished trials hold every point, so optimize stops. */
static int grid_after_trial(void *state, hpo_plugin_ctx *ctx,
                            hpo_trial_state final_state, const double *values,
                            int n)
{
    grid_state *g = state;
    const hpo_space *s;
    const hpo__trial_rec *trials;
    int n_trials;
    int rc = grid_get(g, ctx, &s);
    if (rc == HPO_OK)
        rc = fold_finished(g, ctx, &trials, &n_trials);
    if (rc != HPO_OK)
        return rc;
    /* The told trial may not be finished in the history yet: count it. */
    uint64_t done = g->n_done;
    int64_t own = ctx->trial ? trial_grid_id(g, ctx->trial) : -1;
    if (own >= 0 && !is_folded(g, ctx->trial->number) &&
        !bit_get(g->done_bits, (uint64_t)own))
        done++;
    return done >= g->n_points ? HPO_DONE : HPO_OK;
}

const hpo_sampler_type hpo__sampler_grid = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "grid",
             .summary = "every point of the declared space's grid, each once "
                        "(Cartesian product; stops when exhausted)",
             .options = grid_options,
             .state_size = sizeof(grid_state),
             .init = grid_init,
             .destroy = grid_destroy},
    .is_exhausted = grid_is_exhausted,
    .infer_relative_space = grid_infer_relative_space,
    .sample_relative = grid_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
    .after_trial = grid_after_trial,
};
