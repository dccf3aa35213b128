/*
 * tpe_column.c — TPE's per-parameter caches: each finished trial's value
 * of one parameter, encoded for the Parzen estimators, by history index,
 * and the indices sorted by value.
 *
 * Why: at 1,000 trials, searching every old trial's parameters by name
 * and sorting the history for the bandwidths cost more than the model.
 * Finished trials never change, so their values are kept; each entry is
 * used only while the trial at that index still has the stored id (and
 * the distribution is still equal), so the cache is checked on every call
 * at the cost of reading an id, and needs no invalidation protocol: the
 * sampler stays a function of the history, as sampler.h asks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tpe.h"

static void column_free(tpe_column *c)
{
    free(c->name);
    hpo__dist_free(&c->dist);
    free(c->id);
    free(c->x);
    free(c->order);
    memset(c, 0, sizeof *c);
}

void tpe_columns_free(tpe_columns *cs)
{
    for (int i = 0; i < cs->n; i++)
        column_free(&cs->v[i]);
    free(cs->v);
    hpo__name_index_free(&cs->by_name);
    memset(cs, 0, sizeof *cs);
}

/* The index of the column of (name, dist), emptied if the distribution
 * changed; -1 when memory runs out (the caller then reads the trials
 * directly).  An index, not a pointer: adding a column moves the others. */
int tpe_column_index(tpe_columns *cs, const char *name, const hpo__dist *d)
{
    int i = hpo__name_index_get(&cs->by_name, name);
    if (i >= 0) {
        tpe_column *c = &cs->v[i];
        if (!hpo__dist_equal(&c->dist, d)) {
            hpo__dist dist;
            if (hpo__dist_copy(&dist, d))
                return -1;
            hpo__dist_free(&c->dist);
            c->dist = dist;
            c->n = 0;
            c->n_order = 0;
        }
        return i;
    }
    if (hpo__grow((void **)&cs->v, &cs->cap, cs->n + 1,
                  sizeof *cs->v))
        return -1;
    tpe_column *c = &cs->v[cs->n];
    memset(c, 0, sizeof *c);
    c->name = hpo__strdup(name);
    if (!c->name || hpo__dist_copy(&c->dist, d) ||
        hpo__name_index_put(&cs->by_name, c->name, cs->n)) {
        hpo__dist_free(&c->dist);
        free(c->name);
        return -1;
    }
    return cs->n++;
}

/* Are trial t's values at history index i cached in every column? */
int tpe_columns_hold(tpe_column *const *col, int n_axes, int i,
                        const hpo__trial_rec *t)
{
    for (int j = 0; j < n_axes; j++)
        if (!col[j] || i >= col[j]->n || col[j]->id[i] != t->id)
            return 0;
    return 1;
}

static int column_before(const tpe_column *c, int a, int b)
{
    return c->x[a] < c->x[b] || (c->x[a] == c->x[b] && a < b);
}

/* Put index i (stored, with a value) into the sorted order. */
static void column_insert(tpe_column *c, int i)
{
    int lo = 0, hi = c->n_order;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (column_before(c, c->order[mid], i))
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&c->order[lo + 1], &c->order[lo],
            sizeof(int) * (size_t)(c->n_order - lo));
    c->order[lo] = i;
    c->n_order++;
}

/* The sorted order, rebuilt if an entry was replaced (rare). */
static int column_order(tpe_column *c)
{
    if (c->n_order >= 0)
        return 1;
    c->n_order = 0;
    for (int i = 0; i < c->n; i++)
        if (c->id[i] != -1 && !isnan(c->x[i]))
            column_insert(c, i);
    return 1;
}

/* Remember a finished trial's encoded value at history index i. */
void tpe_column_store(tpe_column *c, int i, int64_t id, double x)
{
    if (i >= c->cap) {
        int cap = c->cap ? c->cap : 64;
        while (cap <= i)
            cap *= 2;
        int64_t *ids = realloc(c->id, sizeof *ids * (size_t)cap);
        if (ids)
            c->id = ids;
        double *xs = realloc(c->x, sizeof *xs * (size_t)cap);
        if (xs)
            c->x = xs;
        int *order = realloc(c->order, sizeof *order * (size_t)cap);
        if (order)
            c->order = order;
        if (!ids || !xs || !order)
            return; /* a cache: simply not stored */
        c->cap = cap;
    }
    while (c->n <= i)
        c->id[c->n++] = -1;
    if (c->id[i] != -1)
        c->n_order = -1; /* replaced: the order is rebuilt when needed */
    c->id[i] = id;
    c->x[i] = x;
    if (c->n_order >= 0 && !isnan(x))
        column_insert(c, i);
}

/*
 * The rows of the bad group (ahist[r] = their history indices, xa their
 * values) by value, from the column's order; rows the column does not
 * hold (running trials) are merged in.  NULL when there is no column.
 */
int *tpe_sorted_rows(hpo_plugin_ctx *ctx, tpe_column *col,
                        const int *ahist, const double *xa, int nab,
                        int n_trials)
{
    if (!col || !column_order(col))
        return NULL;
    int *row_of = hpo__scratch(ctx, sizeof(int) * (size_t)(n_trials + 1));
    int *rows = hpo__scratch(ctx, sizeof(int) * (size_t)(nab + 1));
    int *extra = hpo__scratch(ctx, sizeof(int) * (size_t)(nab + 1));
    if (!row_of || !rows || !extra)
        return NULL;
    for (int i = 0; i < n_trials; i++)
        row_of[i] = -1;
    for (int r = 0; r < nab; r++)
        row_of[ahist[r]] = r;
    int m = 0, n_extra = 0;
    for (int k = 0; k < col->n_order; k++) {
        int h = col->order[k];
        if (h < n_trials && row_of[h] >= 0) {
            rows[m++] = row_of[h];
            row_of[h] = -2;
        }
    }
    for (int r = 0; r < nab; r++) {
        if (row_of[ahist[r]] < 0)
            continue;
        /* insertion by (value, row): these are few */
        int j = n_extra++;
        for (; j > 0 && (xa[extra[j - 1]] > xa[r]); j--)
            extra[j] = extra[j - 1];
        extra[j] = r;
    }
    if (n_extra == 0)
        return rows;
    /* Merge the two sorted lists, ties by row. */
    int *merged = hpo__scratch(ctx, sizeof(int) * (size_t)(nab + 1));
    if (!merged)
        return NULL;
    int a = 0, b = 0, k = 0;
    while (a < m || b < n_extra) {
        int take_a = b == n_extra ||
                     (a < m && (xa[rows[a]] < xa[extra[b]] ||
                                (xa[rows[a]] == xa[extra[b]] &&
                                 rows[a] < extra[b])));
        merged[k++] = take_a ? rows[a++] : extra[b++];
    }
    return merged;
}
