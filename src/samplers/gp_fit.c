/*
 * gp_fit.c — the refit policy of the `gp` sampler's models.  Fitting the
 * kernel hyperparameters costs far more than extending a Cholesky factor
 * by a few rows, and after a hundred points one more point barely moves
 * the marginal likelihood's optimum: so refit each trial while the data is
 * small, then only when it has grown by a tenth, and in between reuse the
 * factor of the rows that have not changed (hpo__chol_append).
 */
#include <math.h>
#include <string.h>

#include "gp_fit.h"

#define GP_REFIT_ALWAYS 100
#define GP_REFIT_GROWTH 0.1
#define FIT_RESTARTS_SMALL 2 /* random restarts of the fit below 50 points */
#define FIT_MAX_EVAL 60

/* How many of the cached rows are still the first rows of x. */
static int valid_prefix(const gp_fitted *f, const double *x, int n, int dim)
{
    int keep = f->n_cached < n ? f->n_cached : n;
    size_t row = sizeof(double) * (size_t)dim;
    for (int i = 0; i < keep; i++)
        if (memcmp(f->model.x + (size_t)i * dim, x + (size_t)i * dim, row) !=
            0)
            return i;
    return keep;
}

int gp_fitted_update(gp_fitted *f, const double *x, const double *y, int n,
                     int dim, int n_extra, double (*urand)(void *),
                     void *urand_data)
{
    gp_model *m = &f->model;
    if (m->d != dim || !m->theta) {
        gp_model_free(m);
        f->n_cached = f->fit_n = 0;
        if (gp_model_init(m, dim) != 0)
            return GP_FIT_NOMEM;
    }
    int total = n + n_extra;
    if (gp_model_reserve(m, total + 16 > m->cap ? 2 * total + 16 : m->cap))
        return GP_FIT_NOMEM;
    int keep = valid_prefix(f, x, n, dim);
    if (m->n_factored > keep)
        m->n_factored = keep; /* a Cholesky factor's leading block stays */
    memcpy(m->x, x, sizeof(double) * (size_t)n * dim);
    memcpy(m->y, y, sizeof(double) * (size_t)n);
    m->n = n;
    f->n_cached = n;
    int fresh = keep < f->fit_n || f->fit_n == 0;
    int due =
        n <= GP_REFIT_ALWAYS || n - f->fit_n >= GP_REFIT_GROWTH * f->fit_n;
    if (fresh || (due && n != f->fit_n)) {
        int restarts = fresh || n < 50 ? FIT_RESTARTS_SMALL : 0;
        if (gp_model_fit(m, restarts, FIT_MAX_EVAL, urand, urand_data) != 0)
            return GP_FIT_FAILED;
        f->fit_n = n;
    } else if (gp_model_factor(m) != 0) {
        return GP_FIT_FAILED;
    }
    return 0;
}

int gp_fitted_add_fantasies(gp_fitted *f, const double *xp, int n_pending)
{
    gp_model *m = &f->model;
    if (n_pending == 0)
        return 0;
    int n = f->n_cached, d = m->d;
    double lie = -HUGE_VAL;
    for (int i = 0; i < n; i++)
        lie = fmax(lie, m->y[i]);
    for (int j = 0; j < n_pending; j++)
        m->y[n + j] = n > 0 ? lie : 0;
    memcpy(m->x + (size_t)n * d, xp, sizeof(double) * (size_t)n_pending * d);
    m->n = n + n_pending;
    return gp_model_factor(m) == 0 ? 0 : GP_FIT_FAILED;
}

void gp_fitted_drop_fantasies(gp_fitted *f)
{
    gp_model *m = &f->model;
    m->n = f->n_cached;
    if (m->n_factored > m->n)
        m->n_factored = m->n;
}

void gp_fitted_reset(gp_fitted *f)
{
    f->n_cached = f->fit_n = 0;
    if (f->model.theta)
        gp_model_invalidate(&f->model);
}

void gp_fitted_free(gp_fitted *f)
{
    gp_model_free(&f->model);
    f->n_cached = f->fit_n = 0;
}
