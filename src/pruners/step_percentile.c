/*
 * step_percentile.c — per-step percentiles kept by two heaps (the running
 * median's classic two-heap scheme, generalised to any quantile): see
 * step_percentile.h.  The interpolation is numpy's default ("linear"),
 * which Optuna's PercentilePruner uses through np.nanpercentile.
 */
#include <math.h>
#include <stdlib.h>

#include "../core/internal.h"
#include "step_percentile.h"

/* ---- a binary heap of doubles; sign +1 max-heap, -1 min-heap ------------- */

static int above(double a, double b, int sign)
{
    return sign > 0 ? a > b : a < b;
}

static int heap_push(hpo__heap *h, double x, int sign)
{
    if (hpo__grow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v))
        return HPO_ENOMEM;
    int i = h->n++;
    while (i > 0 && above(x, h->v[(i - 1) / 2], sign)) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
    return HPO_OK;
}

static double heap_pop(hpo__heap *h, int sign)
{
    double top = h->v[0], x = h->v[--h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && above(h->v[c + 1], h->v[c], sign))
            c++;
        if (!above(h->v[c], x, sign))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n > 0)
        h->v[i] = x;
    return top;
}

/* ---- one step's split ------------------------------------------------------ */

/* How many of n values the lower heap holds: floor(q (n-1) / 100) + 1. */
static int lower_size(double q, int n)
{
    return n ? (int)floor(q * (double)(n - 1) / 100.0) + 1 : 0;
}

static int stat_add(hpo__step_stat *st, double q, double x)
{
    st->count++;
    if (isnan(x))
        return HPO_OK;
    int rc = st->lower.n && x <= st->lower.v[0]
                 ? heap_push(&st->lower, x, +1)
                 : heap_push(&st->upper, x, -1);
    int want = lower_size(q, st->lower.n + st->upper.n);
    while (rc == HPO_OK && st->lower.n > want)
        rc = heap_push(&st->upper, heap_pop(&st->lower, +1), -1);
    while (rc == HPO_OK && st->lower.n < want)
        rc = heap_push(&st->lower, heap_pop(&st->upper, -1), +1);
    return rc;
}

static double stat_percentile(const hpo__step_stat *st, double q)
{
    int n = st->lower.n + st->upper.n;
    if (n == 0)
        return NAN;
    double index = q * (double)(n - 1) / 100.0;
    double lo = st->lower.v[0];
    double frac = index - floor(index);
    if (frac == 0 || st->upper.n == 0)
        return lo;
    return lo + (st->upper.v[0] - lo) * frac;
}

/* ---- the steps --------------------------------------------------------------- */

/* The position of step in the sorted list, or where it would go. */
static int find(const hpo__step_percentile *sp, int64_t step)
{
    int lo = 0, hi = sp->n_steps;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (sp->steps[mid].step < step)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static hpo__step_stat *stat_of(hpo__step_percentile *sp, int64_t step)
{
    int i = find(sp, step);
    if (i < sp->n_steps && sp->steps[i].step == step)
        return &sp->steps[i];
    if (hpo__grow((void **)&sp->steps, &sp->cap_steps, sp->n_steps + 1,
                  sizeof *sp->steps))
        return NULL;
    for (int k = sp->n_steps; k > i; k--)
        sp->steps[k] = sp->steps[k - 1];
    sp->n_steps++;
    sp->steps[i] = (hpo__step_stat){.step = step};
    return &sp->steps[i];
}

void hpo__step_percentile_init(hpo__step_percentile *sp, double q)
{
    *sp = (hpo__step_percentile){.q = q};
}

void hpo__step_percentile_free(hpo__step_percentile *sp)
{
    for (int i = 0; i < sp->n_steps; i++) {
        free(sp->steps[i].lower.v);
        free(sp->steps[i].upper.v);
    }
    free(sp->steps);
    hpo_history_cursor_free(&sp->cursor);
    hpo__step_percentile_init(sp, sp->q);
}

int hpo__step_percentile_add(hpo__step_percentile *sp, const hpo_record *r)
{
    int n = hpo_record_n_intermediate(r);
    for (int i = 0; i < n; i++) {
        int64_t step;
        double value;
        hpo_record_intermediate(r, i, &step, &value);
        hpo__step_stat *st = stat_of(sp, step);
        if (!st || stat_add(st, sp->q, value))
            return HPO_ENOMEM;
    }
    sp->n_complete++;
    return HPO_OK;
}

int hpo__step_percentile_update(hpo__step_percentile *sp,
                                hpo_plugin_ctx *ctx)
{
    const hpo_record *r;
    int rc;
    while ((rc = hpo_ctx_next_finished(ctx, &sp->cursor, &r)) == 1)
        if (hpo_record_state(r) == HPO_COMPLETE &&
            hpo__step_percentile_add(sp, r))
            return hpo_ctx_fail(ctx, HPO_ENOMEM, "out of memory");
    return rc;
}

double hpo__step_percentile_at(const hpo__step_percentile *sp, int64_t step,
                               int *count)
{
    int i = find(sp, step);
    if (i == sp->n_steps || sp->steps[i].step != step) {
        *count = 0;
        return NAN;
    }
    *count = sp->steps[i].count;
    return stat_percentile(&sp->steps[i], sp->q);
}
