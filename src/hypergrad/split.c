/*
 * split.c — the fixed train / validation / test split every implicit
 * hypergradient problem uses: rows shuffled by a seed (Fisher–Yates with
 * the project's generator), the first frac_train train, the next frac_val
 * validate, the rest test (60/20/20 by default in the CLI and the bench).
 *
 * Features are standardized with the mean and std of the training rows
 * only (scale.c).  A feature constant on the training rows becomes a
 * column of zeros there (scale.c keeps std 1), so ridge and logistic give
 * it no weight and its hypergradient is 0; it is kept, so per-feature
 * hyperparameters still line up with the file's columns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "implicit.h"

void hpo__hg_names_free(char **names, int n)
{
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

void hpo__hg_split_free(hpo__hg_split *s)
{
    if (!s)
        return;
    for (int k = 0; k < 3; k++) {
        free(s->x[k]);
        free(s->y[k]);
    }
    hpo__hg_names_free(s->names, s->n_features);
    memset(s, 0, sizeof *s);
}

double hpo__hg_mse(const double *pred, const double *y, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += (pred[i] - y[i]) * (pred[i] - y[i]);
    return n > 0 ? s / n : NAN;
}

char **hpo__hg_lambda_names(const hpo__hg_split *s, int per_feature)
{
    int n = per_feature ? s->n_features : 1;
    char **names = calloc((size_t)n, sizeof *names);
    for (int i = 0; names && i < n; i++) {
        const char *f = per_feature ? s->names[i] : NULL;
        size_t len = f ? strlen(f) + 8 : 8;
        names[i] = malloc(len);
        if (!names[i]) {
            hpo__hg_names_free(names, n);
            return NULL;
        }
        strcpy(names[i], "lambda");
        if (f) {
            strcat(names[i], "_");
            strcat(names[i], f);
        }
    }
    return names;
}

static int check_data(const hpo__dataset *d, double ft, double fv,
                      hpo__msg *m)
{
    if (!(ft > 0 && fv > 0 && ft + fv < 1))
        return hpo__fail(m, HPO_EINVAL, "hypergrad: the train and validation "
                         "fractions must be > 0 and leave rows for testing");
    if (d->n_features < 1)
        return hpo__fail(m, HPO_EINVAL, "%s: no feature columns", d->source);
    int n_train = (int)(ft * d->n_rows), n_val = (int)(fv * d->n_rows);
    if (n_train < 2 || n_val < 1 || d->n_rows - n_train - n_val < 1)
        return hpo__fail(m, HPO_EINVAL, "%s: %d rows are too few for a "
                         "train / validation / test split", d->source,
                         d->n_rows);
    if (d->n_classes > 2)
        return hpo__fail(m, HPO_EINVAL, "%s: %d classes; the hypergradient "
                         "learners handle regression or two classes",
                         d->source, d->n_classes);
    return HPO_OK;
}

static int *shuffled_rows(int n, uint64_t seed)
{
    int *rows = malloc(sizeof *rows * (size_t)n);
    if (!rows)
        return NULL;
    for (int i = 0; i < n; i++)
        rows[i] = i;
    hpo__rng r;
    hpo__rng_seed(&r, seed);
    for (int i = n - 1; i > 0; i--) {
        int j = (int)hpo__rng_below(&r, (uint64_t)i + 1);
        int t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
    }
    return rows;
}

static int copy_targets(const hpo__dataset *d, const int *rows, int n,
                        hpo__hg_split *s, int k)
{
    s->y[k] = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!s->y[k])
        return HPO_ENOMEM;
    for (int i = 0; i < n; i++)
        s->y[k][i] = s->classification ? (double)(d->class_of[rows[i]] == 1)
                                       : d->y[rows[i]];
    return HPO_OK;
}

static int copy_names(const hpo__dataset *d, hpo__hg_split *s)
{
    s->names = calloc((size_t)d->n_features, sizeof *s->names);
    if (!s->names)
        return HPO_ENOMEM;
    for (int j = 0; j < d->n_features; j++)
        if (!(s->names[j] = strdup(d->feature_names[j])))
            return HPO_ENOMEM;
    return HPO_OK;
}

int hpo__hg_split_make(const hpo__dataset *d, double frac_train,
                       double frac_val, uint64_t seed, hpo__hg_split *s,
                       hpo__msg *m)
{
    memset(s, 0, sizeof *s);
    int rc = check_data(d, frac_train, frac_val, m);
    if (rc != HPO_OK)
        return rc;
    s->n_features = d->n_features;
    s->classification = d->n_classes == 2;
    s->n[0] = (int)(frac_train * d->n_rows);
    s->n[1] = (int)(frac_val * d->n_rows);
    s->n[2] = d->n_rows - s->n[0] - s->n[1];
    int *rows = shuffled_rows(d->n_rows, seed);
    if (!rows)
        return hpo__oom(m);
    hpo__scaler sc = {0};
    rc = hpo__scaler_fit(&sc, d, rows, s->n[0], m);
    int *part = rows;
    for (int k = 0; k < 3 && rc == HPO_OK; k++) {
        rc = hpo__scaler_apply(&sc, d, part, s->n[k], &s->x[k], m);
        if (rc == HPO_OK && copy_targets(d, part, s->n[k], s, k) != HPO_OK)
            rc = hpo__oom(m);
        part += s->n[k];
    }
    if (rc == HPO_OK && copy_names(d, s) != HPO_OK)
        rc = hpo__oom(m);
    hpo__scaler_free(&sc);
    free(rows);
    if (rc != HPO_OK)
        hpo__hg_split_free(s);
    return rc;
}
