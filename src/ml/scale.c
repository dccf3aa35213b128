/*
 * scale.c — feature standardization, z = (x - mean) / std, as
 * scikit-learn's StandardScaler does it: the population std (divide by n),
 * and a feature that is constant on the training rows keeps std 1, so it
 * maps to 0 instead of dividing by zero.
 *
 * The point is the split: the statistics come from the training rows of a
 * fold only and are then applied to its test rows.  Fitting on all rows
 * would let the test fold shape the training data (Hastie, Tibshirani &
 * Friedman, The Elements of Statistical Learning, 2nd ed., section 7.10.2,
 * "the wrong way to do cross-validation").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml.h"

void hpo__scaler_free(hpo__scaler *s)
{
    if (!s)
        return;
    free(s->mean);
    free(s->std);
    memset(s, 0, sizeof *s);
}

static int row_at(const int *rows, int i)
{
    return rows ? rows[i] : i;
}

static int check_rows(const hpo__dataset *d, const int *rows, int n_rows,
                      hpo__msg *m)
{
    if (n_rows < 0 || (!rows && n_rows > d->n_rows))
        return hpo__fail(m, HPO_EINVAL, "%d rows asked of a data set of %d",
                         n_rows, d->n_rows);
    for (int i = 0; rows && i < n_rows; i++)
        if (rows[i] < 0 || rows[i] >= d->n_rows)
            return hpo__fail(m, HPO_EINVAL, "row %d is outside the data set "
                             "(%d rows)", rows[i], d->n_rows);
    return HPO_OK;
}

/* Two passes (mean, then squared deviations) for accuracy on features
 * with a large offset, such as prices or areas. */
static void fit_feature(hpo__scaler *s, const hpo__dataset *d, const int *rows,
                        int n_rows, int j)
{
    size_t stride = (size_t)d->n_features;
    double sum = 0;
    for (int i = 0; i < n_rows; i++)
        sum += d->x[(size_t)row_at(rows, i) * stride + (size_t)j];
    double mean = sum / n_rows, squares = 0;
    for (int i = 0; i < n_rows; i++) {
        double dev = d->x[(size_t)row_at(rows, i) * stride + (size_t)j] - mean;
        squares += dev * dev;
    }
    double std = sqrt(squares / n_rows);
    s->mean[j] = mean;
    s->std[j] = std > 0 ? std : 1.0;
}

int hpo__scaler_fit(hpo__scaler *s, const hpo__dataset *d, const int *rows,
                    int n_rows, hpo__msg *m)
{
    memset(s, 0, sizeof *s);
    if (n_rows < 1)
        return hpo__fail(m, HPO_EINVAL, "standardization needs at least one "
                         "training row");
    int rc = check_rows(d, rows, n_rows, m);
    if (rc != HPO_OK)
        return rc;
    s->n_features = d->n_features;
    s->mean = malloc(sizeof *s->mean * (size_t)(d->n_features ? d->n_features : 1));
    s->std = malloc(sizeof *s->std * (size_t)(d->n_features ? d->n_features : 1));
    if (!s->mean || !s->std) {
        hpo__scaler_free(s);
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    for (int j = 0; j < d->n_features; j++)
        fit_feature(s, d, rows, n_rows, j);
    return HPO_OK;
}

int hpo__scaler_apply(const hpo__scaler *s, const hpo__dataset *d,
                      const int *rows, int n_rows, double **out, hpo__msg *m)
{
    *out = NULL;
    if (s->n_features != d->n_features || !s->mean)
        return hpo__fail(m, HPO_EINVAL, "the scaler was fit on %d features, "
                         "the data has %d", s->n_features, d->n_features);
    int rc = check_rows(d, rows, n_rows, m);
    if (rc != HPO_OK)
        return rc;
    size_t stride = (size_t)d->n_features;
    size_t cells = (size_t)n_rows * stride;
    double *z = malloc(sizeof *z * (cells ? cells : 1));
    if (!z)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    for (int i = 0; i < n_rows; i++) {
        const double *x = d->x + (size_t)row_at(rows, i) * stride;
        double *zi = z + (size_t)i * stride;
        for (size_t j = 0; j < stride; j++)
            zi[j] = (x[j] - s->mean[j]) / s->std[j];
    }
    *out = z;
    return HPO_OK;
}
