/*
 * race_loop.c — one race (López-Ibáñez et al. 2016, §3.2-3.3; irace's
 * race() with elitist racing).
 *
 * Instances come in irace's elitist order: one new (instance, seed) pair,
 * then the pairs earlier races used (shuffled), then new ones.  Before an
 * instance the alive configurations without a result on it run (an elite
 * keeps its old results, so it runs only on what it has not seen).  After
 * first_test instances, and every each_test after, the test drops the
 * configurations statistically worse than the best; the elites are not
 * dropped until the race has reached every instance they were judged on.
 * The race ends when its budget cannot pay for the next instance, the
 * time budget is over, or min_survivors or fewer remain.
 */
#include "race.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/study.h"
#include "race_stats.h"

static int grow_stream(hpo__race *r, int need)
{
    if (need <= r->cap_stream)
        return HPO_OK;
    int cap = r->cap_stream * 2 + need + 16;
    int *inst = realloc(r->inst, (size_t)cap * sizeof *inst);
    if (inst)
        r->inst = inst;
    uint32_t *seed = inst ? realloc(r->seed, (size_t)cap * sizeof *seed) : NULL;
    if (!seed)
        return hpo__oom(r->msg);
    r->seed = seed;
    for (int i = 0; i < r->n_conf; i++) {
        double *res = realloc(r->conf[i]->res, (size_t)cap * sizeof *res);
        if (!res)
            return hpo__oom(r->msg);
        for (int k = r->cap_stream; k < cap; k++)
            res[k] = NAN;
        r->conf[i]->res = res;
    }
    r->cap_stream = cap;
    return HPO_OK;
}

/* One more pass over the instances, shuffled, each with a new seed. */
static int add_pass(hpo__race *r)
{
    int n = r->o->n_instances;
    int rc = grow_stream(r, r->n_stream + n);
    if (rc)
        return rc;
    int *p = r->inst + r->n_stream;
    for (int i = 0; i < n; i++)
        p[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)hpo__rng_below(&r->rng, (uint64_t)i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
    for (int i = 0; i < n; i++)
        r->seed[r->n_stream + i] = (uint32_t)(hpo__rng_u64(&r->rng) & 0x7fffffff);
    r->n_stream += n;
    return HPO_OK;
}

int hpo__race_position(hpo__race *r, int pos)
{
    while (r->n_stream <= pos) {
        int rc = add_pass(r);
        if (rc)
            return rc;
    }
    return HPO_OK;
}

/* The race's t-th instance: new, then the old ones shuffled, then new. */
static int position_at(const hpo__race *r, const int *past, int n_past, int t)
{
    if (t == 0)
        return r->next_pos;
    if (t <= n_past)
        return past[t - 1];
    return r->next_pos + (t - n_past);
}

typedef struct race_run {
    hpo__race *r;
    race_conf **confs;
    int n;
    int *order; /* positions raced, in race order */
    int rows;
    int alive;
} race_run;

static void report(race_run *rr, int finished)
{
    hpo__race *r = rr->r;
    if (!r->o->progress)
        return;
    hpo_race_progress p = {
        .iteration = r->iteration, .n_iterations = r->n_iter,
        .n_configurations = rr->n, .alive = rr->alive, .instances = rr->rows,
        .used = r->used, .budget = r->budget,
        .elapsed_s = hpo__now() - r->t0, .finished = finished};
    r->o->progress(&p, r->o->progress_data);
}

/* The alive configurations' results on the rows raced: y is rows x k. */
static double *table(race_run *rr, int *cols, int *k)
{
    *k = 0;
    for (int c = 0; c < rr->n; c++)
        if (rr->confs[c]->alive)
            cols[(*k)++] = c;
    double *y = malloc(((size_t)rr->rows * *k + 1) * sizeof *y);
    for (int t = 0; y && t < rr->rows; t++)
        for (int j = 0; j < *k; j++)
            y[(size_t)t * *k + j] = rr->confs[cols[j]]->res[rr->order[t]];
    return y;
}

/* Run the test on what the race has so far; with rank set, fill score
 * (rank sum or mean per alive column, lower better) instead of dropping. */
static int judge(race_run *rr, int elite_safe)
{
    hpo__race *r = rr->r;
    int *cols = malloc(2 * ((size_t)rr->n + 1) * sizeof *cols), k;
    double *y = cols ? table(rr, cols, &k) : NULL;
    if (!y) {
        free(cols);
        return hpo__oom(r->msg);
    }
    int *keep = cols + rr->n + 1, any = 0, *idx = malloc(((size_t)k + 1) * sizeof *idx);
    if (!idx) {
        free(y);
        free(cols);
        return hpo__oom(r->msg);
    }
    for (int j = 0; j < k; j++)
        idx[j] = j;
    if (r->o->test == HPO_RACE_FRIEDMAN)
        hpo__race_friedman(y, k, rr->rows, idx, k, r->confidence, keep, &any);
    else
        hpo__race_ttest(y, k, rr->rows, idx, k, r->confidence,
                        r->o->test == HPO_RACE_TTEST_HOLM, keep, &any);
    for (int j = 0; j < k; j++) {
        race_conf *c = rr->confs[cols[j]];
        if (!keep[j] && !(c->elite && rr->rows < elite_safe)) {
            c->alive = 0;
            rr->alive--;
        }
    }
    free(idx);
    free(y);
    free(cols);
    return HPO_OK;
}

static int stop_now(const hpo__race *r)
{
    if (atomic_load(&r->study->stop_requested))
        return 1;
    return r->o->time_budget_s > 0 &&
           hpo__now() - r->t0 >= r->o->time_budget_s;
}

/* Race instance t: run the alive ones that have no result there.  1: the
 * race cannot afford it (or time is up), 0: done, < 0: an error. */
static int race_instance(race_run *rr, int t, const int *past, int n_past,
                         int64_t *spent, int64_t budget)
{
    hpo__race *r = rr->r;
    int pos = position_at(r, past, n_past, t);
    int rc = hpo__race_position(r, pos);
    if (rc)
        return rc;
    race_conf **todo = malloc(((size_t)rr->n + 1) * sizeof *todo);
    if (!todo)
        return hpo__oom(r->msg);
    int m = 0;
    for (int c = 0; c < rr->n; c++)
        if (rr->confs[c]->alive && isnan(rr->confs[c]->res[pos]))
            todo[m++] = rr->confs[c];
    if (m > 0 && (*spent + m > budget || stop_now(r))) {
        free(todo);
        return 1;
    }
    rc = m > 0 ? hpo__race_run_block(r, todo, m, pos) : HPO_OK;
    free(todo);
    *spent += m;
    rr->order[rr->rows++] = pos;
    return rc;
}

/* Sort the alive ones first, best first by the test's own ranking. */
static void rank_alive(race_run *rr)
{
    int n = rr->n, rows = rr->rows;
    double *score = calloc((size_t)n + 1, sizeof *score);
    if (!score)
        return;
    for (int c = 0; c < n; c++)
        score[c] = rr->confs[c]->alive ? 0 : INFINITY;
    double *x = malloc(((size_t)n + 1) * 2 * sizeof *x);
    for (int t = 0; x && t < rows; t++) {
        int k = 0;
        for (int c = 0; c < n; c++)
            if (rr->confs[c]->alive)
                x[k++] = rr->confs[c]->res[rr->order[t]];
        if (rr->r->o->test == HPO_RACE_FRIEDMAN)
            hpo__midranks(x, k, x + n);
        for (int c = 0, j = 0; c < n; c++)
            if (rr->confs[c]->alive) {
                score[c] += rr->r->o->test == HPO_RACE_FRIEDMAN ? x[n + j] : x[j];
                j++;
            }
    }
    free(x);
    /* Insertion sort, stable: races are a few dozen configurations. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && score[j] < score[j - 1]; j--) {
            double s = score[j];
            score[j] = score[j - 1];
            score[j - 1] = s;
            race_conf *c = rr->confs[j];
            rr->confs[j] = rr->confs[j - 1];
            rr->confs[j - 1] = c;
        }
    free(score);
}

static int past_order(hpo__race *r, int **past)
{
    int n = r->next_pos;
    *past = malloc(((size_t)n + 1) * sizeof **past);
    if (!*past)
        return hpo__oom(r->msg);
    for (int i = 0; i < n; i++)
        (*past)[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)hpo__rng_below(&r->rng, (uint64_t)i + 1);
        int t = (*past)[i];
        (*past)[i] = (*past)[j];
        (*past)[j] = t;
    }
    return HPO_OK;
}

static int due(const hpo__race *r, int rows)
{
    return rows >= r->first_test && (rows - r->first_test) % r->each_test == 0;
}

int hpo__race_one(hpo__race *r, race_conf **confs, int n, int64_t budget,
                  int *n_alive)
{
    int *past, n_past = r->next_pos, rc = past_order(r, &past);
    if (rc)
        return rc;
    race_run rr = {.r = r, .confs = confs, .n = n, .alive = 0};
    int any_elite = 0;
    for (int c = 0; c < n; c++) {
        rr.alive += confs[c]->alive = 1;
        any_elite |= confs[c]->elite;
    }
    int elite_safe = any_elite ? n_past + 1 : 0;
    int64_t spent = 0;
    int cap = n_past + 16 + (int)(budget > 0 ? budget : 0);
    rr.order = malloc((size_t)cap * sizeof *rr.order);
    if (!rr.order) {
        free(past);
        return hpo__oom(r->msg);
    }
    for (int t = 0; t < cap && rr.alive > r->min_surv; t++) {
        rc = race_instance(&rr, t, past, n_past, &spent, budget);
        if (rc)
            break;
        report(&rr, 0);
        if (rr.alive >= 2 && due(r, rr.rows) && (rc = judge(&rr, elite_safe)))
            break;
    }
    if (rc == 1)
        rc = HPO_OK;
    for (int t = 0; t < rr.rows; t++)
        if (rr.order[t] >= r->next_pos)
            r->next_pos = rr.order[t] + 1;
    rank_alive(&rr);
    *n_alive = rr.alive;
    report(&rr, 1);
    free(rr.order);
    free(past);
    if (!rc && atomic_load(&r->study->stop_requested))
        rc = HPO_STOPPED;
    return rc;
}
