/*
 * importance.c — the public entry points of parameter importance
 * (include/hpo.h): options, checks, the method's call, normalisation to a
 * sum of 1 (as Optuna's get_param_importances does) and the sorted list.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "../core/study.h"

void hpo_importance_options_default(hpo_importance_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = HPO_FANOVA;
    o->objective = -1;
}

/* o with its zeros replaced by the defaults; HPO_EINVAL with a message. */
static int resolve(hpo_importance_options *r, const hpo_importance_options *o,
                   hpo__msg *m)
{
    if (o)
        *r = *o;
    else
        hpo_importance_options_default(r);
    r->n_trees = r->n_trees > 0 ? r->n_trees : HPO_FANOVA_TREES;
    r->max_trials = r->max_trials > 0 ? r->max_trials : HPO_IMPORTANCE_MAX_TRIALS;
    r->target_quantile = r->target_quantile > 0 ? r->target_quantile : 0.1;
    r->region_quantile = r->region_quantile > 0 ? r->region_quantile : 1.0;
    if (r->method != HPO_FANOVA && r->method != HPO_PED_ANOVA)
        return hpo__fail(m, HPO_EINVAL, "unknown importance method %d",
                         (int)r->method);
    if (!(r->target_quantile < r->region_quantile && r->region_quantile <= 1))
        return hpo__fail(m, HPO_EINVAL,
                         "PED-ANOVA needs 0 < target quantile (%g) < region "
                         "quantile (%g) <= 1",
                         r->target_quantile, r->region_quantile);
    return HPO_OK;
}

/* Run the method and scale the importances to a sum of 1. */
static int run(const hpo__imp_data *d, const hpo_importance_options *r,
               double *imp)
{
    int rc;
    if (r->method == HPO_FANOVA) {
        hpo__fanova_options fo = {r->n_trees, r->seed};
        rc = hpo__fanova(d, &fo, imp);
    } else {
        rc = hpo__ped_anova(d, r->target_quantile, r->region_quantile, imp);
    }
    double sum = 0;
    for (int j = 0; rc == HPO_OK && j < d->dim; j++)
        sum += imp[j];
    for (int j = 0; rc == HPO_OK && j < d->dim && sum > 0; j++)
        imp[j] /= sum;
    return rc;
}

/* ---- without a study ------------------------------------------------------- */

static int check_matrix(const double *x, const double *y, int n, int dim,
                        const int *n_cat)
{
    if (!x || !y || n < 2 || dim < 1)
        return HPO_EINVAL;
    for (int i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            return HPO_EINVAL;
        for (int j = 0; j < dim; j++) {
            double v = x[(size_t)i * dim + j];
            int nc = n_cat ? n_cat[j] : 0;
            if (nc < 0 || !(nc > 0 ? v >= 0 && v < nc && v == floor(v)
                                   : v >= 0 && v <= 1))
                return HPO_EINVAL;
        }
    }
    return HPO_OK;
}

int hpo_importance_of(const double *x, const double *y, int n, int dim,
                      const int *n_cat, const hpo_importance_options *o,
                      double *importance)
{
    hpo_importance_options r;
    hpo__msg m = {0};
    int rc = resolve(&r, o, &m);
    hpo__msg_free(&m);
    if (rc != HPO_OK || check_matrix(x, y, n, dim, n_cat) != HPO_OK)
        return HPO_EINVAL;
    /* The methods only read the data: borrow the caller's arrays. */
    int *cats = calloc((size_t)dim, sizeof(int));
    int *grid = malloc(sizeof(int) * (size_t)dim);
    if (!cats || !grid) {
        free(cats);
        free(grid);
        return HPO_ENOMEM;
    }
    for (int j = 0; j < dim; j++) {
        cats[j] = n_cat ? n_cat[j] : 0;
        grid[j] = HPO_PED_GRID;
    }
    hpo__imp_data d = {.n = n, .dim = dim, .x = (double *)x,
                       .y = (double *)y, .n_cat = cats, .n_grid = grid};
    rc = run(&d, &r, importance);
    free(cats);
    free(grid);
    return rc;
}

/* ---- from a study ---------------------------------------------------------- */

static int by_value_desc(const void *a, const void *b)
{
    const hpo_importance *p = a, *q = b;
    if (p->value != q->value)
        return p->value > q->value ? -1 : 1;
    return strcmp(p->name, q->name);
}

void hpo_importance_free(hpo_importance *list, int n)
{
    for (int i = 0; list && i < n; i++)
        free(list[i].name);
    free(list);
}

/* The sorted list, taking d's names. */
static int make_list(hpo__imp_data *d, const double *imp,
                     hpo_importance **out, int *n)
{
    hpo_importance *list = malloc(sizeof *list * (size_t)d->dim);
    if (!list)
        return HPO_ENOMEM;
    for (int j = 0; j < d->dim; j++) {
        list[j].name = d->names[j];
        list[j].value = imp[j];
        d->names[j] = NULL;
    }
    qsort(list, (size_t)d->dim, sizeof *list, by_value_desc);
    *out = list;
    *n = d->dim;
    return HPO_OK;
}

static int select_rows(hpo_study *s, const hpo_importance_options *r,
                       hpo__imp_select *sel)
{
    int k = r->objective, n_obj = hpo_study_n_objectives(s);
    if (k < 0 && n_obj > 1)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "study '%s' has %d objectives: choose one for the "
                         "importance", s->name, n_obj);
    k = k < 0 ? 0 : k;
    if (k >= n_obj)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "objective %d is out of range: study '%s' has %d",
                         k, s->name, n_obj);
    /* PED-ANOVA's top set is the best trials; fANOVA ignores the sign. */
    *sel = (hpo__imp_select){k, hpo_study_direction(s, k) == HPO_MAXIMIZE,
                             r->method == HPO_FANOVA ? r->max_trials : 0,
                             r->seed};
    return HPO_OK;
}

typedef struct study_read {
    const hpo__imp_select *sel;
    hpo__imp_data *d;
} study_read;

/* Under the study's lock: the matrix only, so the lock is held briefly. */
static int read_history(hpo_study *s, void *arg)
{
    study_read *r = arg;
    return hpo__imp_data_from_trials(r->d, s->history.v, s->history.n, r->sel,
                                     &s->msg);
}

int hpo_study_importance(hpo_study *s, const hpo_importance_options *o,
                         hpo_importance **out, int *n)
{
    *out = NULL;
    *n = 0;
    hpo_importance_options r;
    hpo__imp_select sel;
    hpo__imp_data d = {0};
    int rc = resolve(&r, o, &s->msg);
    if (rc == HPO_OK)
        rc = select_rows(s, &r, &sel);
    study_read sr = {&sel, &d};
    if (rc == HPO_OK)
        rc = hpo__study_with_history(s, read_history, &sr);
    if (rc != HPO_OK)
        return rc;
    double *imp = malloc(sizeof(double) * (size_t)(d.dim ? d.dim : 1));
    if (d.dim == 0)
        rc = hpo__fail(&s->msg, HPO_EINVAL,
                       "no parameter is in every COMPLETE trial of study '%s'",
                       s->name);
    else if (!imp)
        rc = hpo__oom(&s->msg);
    else if ((rc = run(&d, &r, imp)) != HPO_OK || make_list(&d, imp, out, n))
        rc = hpo__oom(&s->msg);
    free(imp);
    hpo__imp_data_free(&d);
    return rc;
}
