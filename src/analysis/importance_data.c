/*
 * importance_data.c — a study's COMPLETE trials as the matrix the
 * importance methods read (analysis.h).
 *
 * Which trials: COMPLETE ones whose chosen objective is finite.  Which
 * parameters: those every such trial has, with compatible distributions
 * (Optuna's intersection search space), so a conditional parameter some
 * trials lack is left out, as Optuna's evaluators leave it out.  Bounds
 * that differ between trials (a space widened during the study) are
 * joined.  Each value is encoded as the samplers encode it: a numeric one
 * by hpo__dist_to_unit (log scales linear in log space, one equal cell per
 * integer or step), a categorical one as its choice's index.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

int hpo__cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void hpo__imp_data_free(hpo__imp_data *d)
{
    for (int j = 0; d->names && j < d->dim; j++)
        free(d->names[j]);
    free(d->names);
    free(d->x);
    free(d->y);
    free(d->n_cat);
    free(d->n_grid);
    memset(d, 0, sizeof *d);
}

/* The trial's parameter `name`, looked up first where the first trial
 * had it (trials of one study mostly suggest in one order). */
static const hpo__param *param_at(const hpo__trial_rec *t, int p,
                                  const char *name)
{
    if (p < t->n_params && strcmp(t->params[p].name, name) == 0)
        return &t->params[p];
    return hpo__rec_param(t, name);
}

/* The columns: parameters of the first row every other row has too, with
 * their joined domains in dists (owned copies). */
static int pick_columns(const hpo__trial_rec *t, const int *rows, int n,
                        hpo__dist *dists, const char **names, int *pos,
                        int *dim)
{
    const hpo__trial_rec *first = &t[rows[0]];
    *dim = 0;
    for (int p = 0; p < first->n_params; p++) {
        const hpo__param *fp = &first->params[p];
        double low = fp->dist.low, high = fp->dist.high;
        int everywhere = 1;
        for (int r = 1; r < n && everywhere; r++) {
            const hpo__param *q = param_at(&t[rows[r]], p, fp->name);
            everywhere = q && hpo__dist_compatible(&fp->dist, &q->dist);
            if (everywhere) {
                low = q->dist.low < low ? q->dist.low : low;
                high = q->dist.high > high ? q->dist.high : high;
            }
        }
        if (!everywhere)
            continue;
        if (hpo__dist_copy(&dists[*dim], &fp->dist) != HPO_OK)
            return HPO_ENOMEM;
        dists[*dim].low = low;
        dists[*dim].high = high;
        pos[*dim] = p;
        names[(*dim)++] = fp->name;
    }
    return HPO_OK;
}

static int data_alloc(hpo__imp_data *d, int n, int dim)
{
    size_t c = (size_t)(dim ? dim : 1);
    d->n = n;
    d->x = malloc(sizeof(double) * (size_t)n * c);
    d->y = malloc(sizeof(double) * (size_t)n);
    d->n_cat = calloc(c, sizeof(int));
    d->n_grid = calloc(c, sizeof(int));
    d->names = calloc(c, sizeof(char *));
    return d->x && d->y && d->n_cat && d->n_grid && d->names ? HPO_OK
                                                             : HPO_ENOMEM;
}

static double encode(const hpo__dist *dist, double internal)
{
    if (dist->kind == HPO__CATEGORICAL)
        return internal;
    double u = hpo__dist_to_unit(dist, internal);
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

static int fill(hpo__imp_data *d, const hpo__trial_rec *t, const int *rows, int n,
                const hpo__dist *dists, const char **names, const int *pos,
                int dim, int objective, int negate)
{
    if (data_alloc(d, n, dim) != HPO_OK)
        return HPO_ENOMEM;
    d->dim = dim;
    for (int j = 0; j < dim; j++) {
        if (!(d->names[j] = hpo__strdup(names[j])))
            return HPO_ENOMEM;
        double card = hpo__dist_cardinality(&dists[j]);
        d->n_cat[j] = dists[j].kind == HPO__CATEGORICAL ? dists[j].n_choices : 0;
        d->n_grid[j] = card > 0 && card < HPO_PED_GRID ? (int)card : HPO_PED_GRID;
    }
    for (int r = 0; r < n; r++) {
        const hpo__trial_rec *rec = &t[rows[r]];
        d->y[r] = negate ? -rec->values[objective] : rec->values[objective];
        for (int j = 0; j < dim; j++)
            d->x[(size_t)r * dim + j] =
                encode(&dists[j], param_at(rec, pos[j], names[j])->internal);
    }
    return HPO_OK;
}

/* Keep a seeded random `cap` of the n rows (a partial shuffle). */
static int subsample(int *rows, int n, int cap, uint64_t seed)
{
    if (cap <= 0 || n <= cap)
        return n;
    hpo__rng rng;
    hpo__rng_seed(&rng, seed ^ 0x696d706f7274ULL);
    for (int k = 0; k < cap; k++) {
        int pick = k + (int)hpo__rng_below(&rng, (uint64_t)(n - k));
        int tmp = rows[k];
        rows[k] = rows[pick];
        rows[pick] = tmp;
    }
    return cap;
}

int hpo__imp_data_from_trials(hpo__imp_data *d, const hpo__trial_rec *t,
                              int n_trials,
                              const hpo__imp_select *s, hpo__msg *m)
{
    memset(d, 0, sizeof *d);
    int *rows = malloc(sizeof(int) * (size_t)(n_trials ? n_trials : 1));
    if (!rows)
        return hpo__oom(m);
    int n = 0;
    for (int i = 0; i < n_trials; i++)
        if (t[i].state == HPO_COMPLETE && t[i].n_values > s->objective &&
            isfinite(t[i].values[s->objective]))
            rows[n++] = i;
    if (n < 2) {
        free(rows);
        return hpo__fail(m, HPO_EINVAL,
                         "importance needs at least 2 COMPLETE trials with a "
                         "finite value; the study has %d", n);
    }
    n = subsample(rows, n, s->max_trials, s->seed);
    const hpo__trial_rec *first = &t[rows[0]];
    size_t np = (size_t)(first->n_params ? first->n_params : 1);
    hpo__dist *dists = calloc(np, sizeof *dists);
    const char **names = calloc(np, sizeof *names);
    int *pos = calloc(np, sizeof *pos);
    int dim = 0;
    int rc = dists && names && pos
                 ? pick_columns(t, rows, n, dists, names, pos, &dim)
                 : HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = fill(d, t, rows, n, dists, names, pos, dim, s->objective,
                  s->negate);
    for (int j = 0; dists && j < (int)np; j++)
        hpo__dist_free(&dists[j]);
    free(dists);
    free(names);
    free(pos);
    free(rows);
    if (rc != HPO_OK) {
        hpo__imp_data_free(d);
        return hpo__oom(m);
    }
    return HPO_OK;
}
