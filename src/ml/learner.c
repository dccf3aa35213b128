/*
 * learner.c — the learner registry (as registry.c is for samplers), the
 * hyperparameter list, and helpers every learner shares: reading its
 * hyperparameters with their defaults, and the output a metric needs.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learner.h"

const hpo__learner_type *const hpo__learner_types[] = {
    &hpo__learner_svm,
    &hpo__learner_linear,
    &hpo__learner_xgboost,
    &hpo__learner_mlp,
    NULL,
};

const hpo__learner_type *hpo__learner_find(const char *name)
{
    for (int i = 0; name && hpo__learner_types[i]; i++)
        if (strcmp(hpo__learner_types[i]->name, name) == 0)
            return hpo__learner_types[i];
    return NULL;
}

/* ---- checked calls ---------------------------------------------------------- */

static int check_rows(const hpo__dataset *d, const int *rows, int n,
                      const char *what, hpo__msg *m)
{
    if (n < 0 || (n > 0 && !rows))
        return hpo__fail(m, HPO_EINVAL, "no %s rows given", what);
    for (int i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= d->n_rows)
            return hpo__fail(m, HPO_EINVAL, "%s row %d is outside the data "
                             "set (%d rows)", what, rows[i], d->n_rows);
    return HPO_OK;
}

static int check_fit_input(const hpo__learner_type *t,
                           const hpo__fit_input *in, hpo__msg *m)
{
    if (t->version != HPO__LEARNER_VERSION)
        return hpo__fail(m, HPO_EUNSUPPORTED, "learner '%s' has interface "
                         "version %d, this build reads %d", t->name,
                         t->version, HPO__LEARNER_VERSION);
    if (in->n_rows < 1)
        return hpo__fail(m, HPO_EINVAL, "%s: no training rows", t->name);
    int rc = hpo__learner_check_params(t, in->params, hpo__data_task(in->d),
                                       m);
    if (rc == HPO_OK)
        rc = check_rows(in->d, in->rows, in->n_rows, "training", m);
    if (rc == HPO_OK)
        rc = check_rows(in->d, in->eval_rows, in->n_eval, "evaluation", m);
    return rc;
}

int hpo__learner_fit(const hpo__learner_type *t, const hpo__fit_input *in,
                     void **model, hpo__msg *m)
{
    *model = NULL;
    int rc = check_fit_input(t, in, m);
    return rc == HPO_OK ? t->fit(in, model, m) : rc;
}

int hpo__learner_fit_start(const hpo__learner_type *t,
                           const hpo__fit_input *in, void **model,
                           hpo__msg *m)
{
    *model = NULL;
    if (!t->fit_start || !t->fit_step)
        return hpo__fail(m, HPO_EUNSUPPORTED, "learner '%s' cannot be "
                         "trained step by step", t->name);
    int rc = check_fit_input(t, in, m);
    return rc == HPO_OK ? t->fit_start(in, model, m) : rc;
}

int hpo__learner_prepare(const hpo__learner_type *t,
                         const hpo__fit_input *in, void **prepared,
                         hpo__msg *m)
{
    *prepared = NULL;
    if (!t->prepare)
        return HPO_OK; /* nothing to prepare: fit does it all */
    int rc = check_fit_input(t, in, m);
    return rc == HPO_OK ? t->prepare(in, prepared, m) : rc;
}

int hpo__learner_predict(const hpo__learner_type *t, void *model,
                         const hpo__dataset *d, const int *rows, int n,
                         hpo__output output, double *out, hpo__msg *m)
{
    if (!model)
        return hpo__fail(m, HPO_EMISUSE, "%s: predict without a fitted "
                         "model", t->name);
    int rc = check_rows(d, rows, n, "prediction", m);
    return rc == HPO_OK ? t->predict(model, d, rows, n, output, out, m) : rc;
}

/* ---- hyperparameter values -------------------------------------------- */

/* The number a whole text spells, or NaN ("rbf", "1.5x", ""). */
static double parse_number(const char *text)
{
    if (!text || !*text)
        return NAN;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (*end || errno == ERANGE || isnan(v))
        return NAN;
    return v;
}

const hpo__hparam *hpo__hparams_find(const hpo__hparams *p, const char *name)
{
    for (int i = 0; p && i < p->n; i++)
        if (strcmp(p->v[i].name, name) == 0)
            return &p->v[i];
    return NULL;
}

int hpo__hparams_set_text(hpo__hparams *p, const char *name,
                          const char *text)
{
    char *copy = hpo__strdup(text);
    if (!copy)
        return HPO_ENOMEM;
    hpo__hparam *h = (hpo__hparam *)hpo__hparams_find(p, name);
    if (!h) {
        char *name_copy = hpo__strdup(name);
        if (!name_copy ||
            hpo__grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v)) {
            free(name_copy);
            free(copy);
            return HPO_ENOMEM;
        }
        h = &p->v[p->n++];
        h->name = name_copy;
    } else {
        free(h->text);
    }
    h->text = copy;
    h->value = parse_number(copy);
    return HPO_OK;
}

int hpo__hparams_set(hpo__hparams *p, const char *name, double value)
{
    char buf[40];
    hpo__format_double(buf, sizeof buf, value);
    return hpo__hparams_set_text(p, name, buf);
}

void hpo__hparams_free(hpo__hparams *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].text);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* ---- reading a learner's hyperparameters --------------------------------- */

const hpo__learner_param *hpo__learner_param_find(const hpo__learner_type *t,
                                                  const char *name)
{
    for (int i = 0; i < t->n_params; i++)
        if (strcmp(t->params[i].name, name) == 0)
            return &t->params[i];
    return NULL;
}

int hpo__learner_check_params(const hpo__learner_type *t,
                              const hpo__hparams *p, hpo__task task,
                              hpo__msg *m)
{
    if (!(t->tasks & HPO__TASK_BIT(task)))
        return hpo__fail(m, HPO_EINVAL, "learner '%s' cannot do %s", t->name,
                         task == HPO__REGRESSION ? "regression"
                                                 : "classification");
    for (int i = 0; p && i < p->n; i++) {
        const hpo__learner_param *lp = hpo__learner_param_find(t, p->v[i].name);
        if (!lp)
            return hpo__fail(m, HPO_EINVAL,
                             "learner '%s' has no hyperparameter '%s'",
                             t->name, p->v[i].name);
        if (!(lp->tasks & HPO__TASK_BIT(task)))
            return hpo__fail(m, HPO_EINVAL,
                             "hyperparameter '%s' of '%s' does not apply to %s",
                             lp->name, t->name,
                             task == HPO__REGRESSION ? "regression"
                                                     : "classification");
    }
    return HPO_OK;
}

/* The text in effect: given, else the default; NULL if the learner does
 * not know the name (a bug in the learner, reported as such). */
static const char *value_text(const hpo__learner_type *t,
                              const hpo__hparams *p, const char *name,
                              hpo__msg *m)
{
    const hpo__learner_param *lp = hpo__learner_param_find(t, name);
    if (!lp) {
        hpo__fail(m, HPO_EINVAL, "learner '%s' reads an undeclared "
                  "hyperparameter '%s'", t->name, name);
        return NULL;
    }
    const hpo__hparam *h = hpo__hparams_find(p, name);
    return h ? h->text : lp->value;
}

int hpo__learner_number(const hpo__learner_type *t, const hpo__hparams *p,
                        const char *name, double *out, hpo__msg *m)
{
    const char *text = value_text(t, p, name, m);
    if (!text)
        return HPO_EINVAL;
    double v = parse_number(text);
    if (isnan(v) && hpo__hparams_find(p, name))
        return hpo__fail(m, HPO_EINVAL, "%s: '%s' is not a number", name,
                         text);
    *out = v;
    return HPO_OK;
}

int hpo__learner_int(const hpo__learner_type *t, const hpo__hparams *p,
                     const char *name, int *out, hpo__msg *m)
{
    double v = 0;
    int rc = hpo__learner_number(t, p, name, &v, m);
    if (rc != HPO_OK)
        return rc;
    if (!(v == floor(v) && fabs(v) < 1e9))
        return hpo__fail(m, HPO_EINVAL, "%s: '%s' is not a whole number",
                         name, value_text(t, p, name, m));
    *out = (int)v;
    return HPO_OK;
}

int hpo__learner_choice(const hpo__learner_type *t, const hpo__hparams *p,
                        const char *name, const char *const *choices,
                        int *index, hpo__msg *m)
{
    const char *text = value_text(t, p, name, m);
    if (!text)
        return HPO_EINVAL;
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], text) == 0) {
            *index = i;
            return HPO_OK;
        }
    const hpo__learner_param *lp = hpo__learner_param_find(t, name);
    return hpo__fail(m, HPO_EINVAL, "%s: '%s' is not one of %s", name, text,
                     lp->space);
}

int hpo__learner_default_space(const hpo__learner_type *t, hpo__task task,
                               hpo_space *space, hpo__msg *m)
{
    for (int i = 0; i < t->n_params; i++) {
        const hpo__learner_param *lp = &t->params[i];
        if (!lp->tuned || !(lp->tasks & HPO__TASK_BIT(task)))
            continue;
        char *spec = hpo__asprintf("%s=%s", lp->name, lp->space);
        if (!spec)
            return hpo__fail(m, HPO_ENOMEM, "out of memory");
        int rc = hpo_space_parse_param(space, spec);
        free(spec);
        if (rc != HPO_OK)
            return hpo__fail(m, rc, "%s", hpo_space_errmsg(space));
    }
    return HPO_OK;
}

/* ---- outputs -------------------------------------------------------------- */

hpo__output hpo__metric_output(hpo__metric metric)
{
    switch (metric) {
    case HPO__METRIC_ERROR:
    case HPO__METRIC_ACCURACY:
        return HPO__OUTPUT_LABEL;
    case HPO__METRIC_LOGLOSS:
        return HPO__OUTPUT_PROBA;
    case HPO__METRIC_AUC:
        return HPO__OUTPUT_SCORE;
    case HPO__METRIC_RMSE:
    case HPO__METRIC_MAE:
        break;
    }
    return HPO__OUTPUT_VALUE;
}

int hpo__output_width(hpo__output output, const hpo__dataset *d)
{
    if (output == HPO__OUTPUT_PROBA || output == HPO__OUTPUT_SCORE)
        return d->n_classes > 0 ? d->n_classes : 1;
    return 1;
}

int hpo__class_index(const hpo__dataset *d, double label)
{
    /* d->classes is sorted: bisect. */
    int lo = 0, hi = d->n_classes - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (d->classes[mid] == label)
            return mid;
        if (d->classes[mid] < label)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void hpo__learner_seed_rand(void)
{
    srand(1);
}
