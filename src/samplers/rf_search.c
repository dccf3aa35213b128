/*
 * rf_search.c — maximizing expected improvement over a random forest, the
 * way SMAC does (Hutter, Hoos & Leyton-Brown 2011, section 4.3): score
 * random configurations, run local searches in the one-exchange
 * neighbourhood from the best observed configurations and the best random
 * ones, and take the best configuration seen that was not evaluated yet.
 *
 * The neighbourhood changes one active parameter: a float or int moves by
 * a Gaussian step of sd 0.2 on the unit cube (4 neighbours, as in SMAC; an
 * int or step parameter whose step rounds back to its value moves to the
 * next grid point instead), a categorical takes another choice (every
 * other one, up to MAX_CAT_NEIGHBOURS drawn at random beyond that).  When
 * a categorical changes, the parameters it conditions appear (with a
 * uniform value) or disappear.
 *
 * Deviations: best improvement rather than SMAC's first improvement in a
 * random order (the forest is cheap, and it makes each search deterministic
 * given its neighbours); no plateau walks: a search stops at the first
 * configuration none of whose neighbours scores strictly higher.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp_acq.h"
#include "rf_search.h"
#include "sampler.h"

#define NUMERIC_SD 0.2
#define NUMERIC_NEIGHBOURS 4
#define MAX_CAT_NEIGHBOURS 10

double rf_log_ei(const rf_search *s, const double *z)
{
    double mean, var;
    rf_forest_predict(s->forest, z, &mean, &var);
    double sd = sqrt(var);
    sd = sd > s->sd_floor ? sd : s->sd_floor;
    return log(sd) + gp_log_h((s->best - mean) / sd, NULL);
}

/* ---- one-exchange neighbours ----------------------------------------------- */

/* A Gaussian move of numeric parameter i, kept on its grid. */
static double numeric_move(const hpo__dist *d, double u, hpo__rng *rng)
{
    double v = u + NUMERIC_SD * hpo__rng_normal(rng);
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    if (d->kind == HPO__FLOAT && d->step == 0)
        return v;
    double now = hpo__dist_snap(d, hpo__dist_from_unit(d, u));
    double next = hpo__dist_snap(d, hpo__dist_from_unit(d, v));
    if (next == now) {
        double step = d->kind == HPO__INT ? (d->step > 0 ? d->step : 1)
                                          : d->step;
        next = now + (v >= u ? step : -step);
        if (next > d->high || next < d->low)
            next = now + (v >= u ? -step : step);
        if (next > d->high || next < d->low)
            next = now; /* a single value: nowhere to go */
    }
    return hpo__dist_to_unit(d, next);
}

typedef struct walker {
    const rf_search *s;
    hpo__rng *rng;
    double *cur, *trial, *best; /* dim each */
    double cur_score, best_score;
    int improved;
} walker;

static void consider(walker *w)
{
    const rf_encoding *e = w->s->enc;
    if (e->conditional)
        rf_fix_activity(e, w->rng, w->trial);
    double sc = rf_log_ei(w->s, w->trial);
    if (sc > w->best_score) {
        w->best_score = sc;
        memcpy(w->best, w->trial, sizeof(double) * (size_t)e->dim);
        w->improved = 1;
    }
}

/* w->trial back to w->cur before the next neighbour.  Only coordinate i
 * moved unless the space is conditional (rf_fix_activity may change any
 * other): copying the whole row for each neighbour made a search step
 * quadratic in the number of parameters. */
static void back_to_cur(walker *w, int i)
{
    const rf_encoding *e = w->s->enc;
    if (e->conditional)
        memcpy(w->trial, w->cur, sizeof(double) * (size_t)e->dim);
    else
        w->trial[i] = w->cur[i];
}

static void neighbours_of(walker *w, int i)
{
    const rf_encoding *e = w->s->enc;
    const hpo__dist *d = &e->space->p[i].dist;
    if (d->kind != HPO__CATEGORICAL) {
        for (int k = 0; k < NUMERIC_NEIGHBOURS; k++) {
            back_to_cur(w, i);
            w->trial[i] = numeric_move(d, w->cur[i], w->rng);
            if (w->trial[i] != w->cur[i])
                consider(w);
        }
        back_to_cur(w, i);
        return;
    }
    int nc = d->n_choices, now = (int)w->cur[i];
    if (nc - 1 <= MAX_CAT_NEIGHBOURS) {
        for (int c = 0; c < nc; c++) {
            if (c == now)
                continue;
            back_to_cur(w, i);
            w->trial[i] = c;
            consider(w);
        }
        back_to_cur(w, i);
        return;
    }
    for (int k = 0; k < MAX_CAT_NEIGHBOURS; k++) {
        int c = (int)hpo__rng_below(w->rng, (uint64_t)(nc - 1));
        back_to_cur(w, i);
        w->trial[i] = c >= now ? c + 1 : c;
        consider(w);
    }
    back_to_cur(w, i);
}

/* Best-improvement local search from w->cur (scored w->cur_score). */
static void local_search(walker *w)
{
    const rf_encoding *e = w->s->enc;
    size_t row = sizeof(double) * (size_t)e->dim;
    memcpy(w->trial, w->cur, row); /* neighbours_of keeps it so */
    for (int step = 0; step < w->s->max_steps; step++) {
        w->best_score = w->cur_score;
        w->improved = 0;
        for (int i = 0; i < e->dim; i++)
            if (!rf_inactive(e, i, w->cur))
                neighbours_of(w, i);
        if (!w->improved)
            return;
        memcpy(w->cur, w->best, row);
        memcpy(w->trial, w->cur, row);
        w->cur_score = w->best_score;
    }
}

/* ---- the candidate pool ---------------------------------------------------- */

typedef struct ranked {
    double score;
    int index;
} ranked;

typedef struct pool {
    int n, dim;
    double *z;     /* n x dim */
    double *score; /* n */
    ranked *order; /* n */
} pool;

static int by_score_desc(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    if (p->score != q->score)
        return p->score > q->score ? -1 : 1;
    return p->index - q->index;
}

/* Indices of the k best-scored among the first n: a partial selection. */
static void top_k(const double *score, int n, int k, int *out)
{
    for (int q = 0; q < k; q++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            int taken = 0;
            for (int r = 0; r < q && !taken; r++)
                taken = out[r] == i;
            if (!taken && (best < 0 || score[i] > score[best]))
                best = i;
        }
        out[q] = best;
    }
}

/* Within RF_RUNNING_APART of a: every categorical (and inactive code)
 * equal, every unit-cube coordinate that close. */
static int near(const rf_encoding *e, const double *z, const double *a)
{
    for (int i = 0; i < e->dim; i++) {
        int numeric = e->n_cat[i] == 0 && z[i] >= 0 && a[i] >= 0;
        if (numeric ? fabs(z[i] - a[i]) > RF_RUNNING_APART : z[i] != a[i])
            return 0;
    }
    return 1;
}

/* z repeats an observed configuration, or crowds a running one (the
 * forest is piecewise constant, so a lie at a running trial leaves EI as
 * it was a hair away from it: parallel workers proposed lr values 1e-4
 * apart, tests/test_parallel_asks.c). */
static int seen_before(const rf_search *s, const double *z, const double *x,
                       int n_x)
{
    int dim = s->enc->dim;
    for (int k = 0; k < n_x; k++) {
        const double *a = x + (size_t)k * dim;
        if (memcmp(z, a, sizeof(double) * (size_t)dim) == 0 ||
            (k >= n_x - s->n_running && near(s->enc, z, a)))
            return 1;
    }
    return 0;
}

static void run_from(walker *w, const double *start, double *end,
                     double *score)
{
    size_t row = sizeof(double) * (size_t)w->s->enc->dim;
    memcpy(w->cur, start, row);
    w->cur_score = rf_log_ei(w->s, w->cur);
    local_search(w);
    memcpy(end, w->cur, row);
    *score = w->cur_score;
}

int rf_search_maximize(const rf_search *s, const double *x, int n_x,
                       const int *best, int n_best, hpo__rng *rng,
                       double *out)
{
    int dim = s->enc->dim;
    int n_starts = n_best < s->n_starts ? n_best : s->n_starts;
    int n_rstarts = s->n_random_starts < s->n_random ? s->n_random_starts
                                                     : s->n_random;
    int total = s->n_random + n_starts + n_rstarts;
    pool p = {total, dim, malloc(sizeof(double) * (size_t)total * dim),
              malloc(sizeof(double) * (size_t)total),
              malloc(sizeof(ranked) * (size_t)total)};
    double *work = malloc(sizeof(double) * 3 * (size_t)dim);
    int *picks = malloc(sizeof(int) * (size_t)(n_rstarts + 1));
    int found = -1;
    if (!p.z || !p.score || !p.order || !work || !picks)
        goto done;
    for (int k = 0; k < s->n_random; k++) {
        double *z = p.z + (size_t)k * dim;
        rf_random_config(s->enc, rng, z);
        p.score[k] = rf_log_ei(s, z);
    }
    top_k(p.score, s->n_random, n_rstarts, picks);
    walker w = {s, rng, work, work + dim, work + 2 * dim, 0, 0, 0};
    int k = s->n_random;
    for (int q = 0; q < n_starts; q++, k++)
        run_from(&w, x + (size_t)best[q] * dim, p.z + (size_t)k * dim,
                 &p.score[k]);
    for (int q = 0; q < n_rstarts; q++, k++)
        run_from(&w, p.z + (size_t)picks[q] * dim, p.z + (size_t)k * dim,
                 &p.score[k]);
    for (int i = 0; i < total; i++)
        p.order[i] = (ranked){p.score[i], i};
    qsort(p.order, (size_t)total, sizeof(ranked), by_score_desc);
    found = 0;
    for (int i = 0; i < total && !found; i++) {
        const double *z = p.z + (size_t)p.order[i].index * dim;
        if (!seen_before(s, z, x, n_x)) {
            memcpy(out, z, sizeof(double) * (size_t)dim);
            found = 1;
        }
    }
done:
    free(p.z);
    free(p.score);
    free(p.order);
    free(work);
    free(picks);
    return found;
}
