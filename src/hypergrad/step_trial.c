/*
 * step_trial.c — an outer step of the hypergradient loop stored as a trial,
 * so the study looks like any other: reports, `hpo best`, Python Optuna
 * read it.  The parameters are fixed before asking (hpo__study_ask_fixed),
 * then suggested with their float-log distributions, so the stored
 * distribution is the problem's bounds.  The comparison's trials
 * (blackbox.c) are made of the same pieces.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cJSON.h>

#include "../core/study.h"
#include "outer.h"

/* exp(h) kept inside [lo, hi]: exp(log(lo)) may round below lo. */
static double hyper_value(const hpo__hg_problem *p, int i, double h)
{
    double lo, hi;
    p->hyper_bounds(p, i, &lo, &hi);
    double v = exp(h);
    return v < lo ? lo : v > hi ? hi : v;
}

static char *params_json(const hpo__hg_problem *p, const double *h)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (int i = 0; i < p->n_hyper; i++)
        if (!cJSON_AddNumberToObject(o, p->hyper_name(p, i),
                                     hyper_value(p, i, h[i]))) {
            cJSON_Delete(o);
            return NULL;
        }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* A number as JSON (null when not finite: JSON has no NaN). */
static int set_number(hpo_trial *t, const char *key, double x)
{
    char buf[40];
    if (isfinite(x))
        snprintf(buf, sizeof buf, "%.17g", x);
    else
        snprintf(buf, sizeof buf, "null");
    return hpo_trial_set_user_attr(t, key, buf);
}

int hpo__hg_trial_hypers(hpo_trial *t, const hpo__hg_problem *p, double *h)
{
    int rc = HPO_OK;
    for (int i = 0; i < p->n_hyper && rc == HPO_OK; i++) {
        double lo, hi, x;
        p->hyper_bounds(p, i, &lo, &hi);
        rc = hpo_trial_suggest_float(t, p->hyper_name(p, i), lo, hi, 0,
                                     HPO_LOG, &x);
        if (rc == HPO_OK && h)
            h[i] = log(x);
    }
    return rc;
}

int hpo__hg_trial_attrs(hpo_trial *t, const hpo__hg_problem *p,
                        double grad_norm)
{
    int rc = set_number(t, "test_loss", p->test_loss(p));
    if (rc == HPO_OK && !isnan(grad_norm))
        rc = set_number(t, "grad_norm", grad_norm);
    double metric = p->val_metric ? p->val_metric(p) : NAN;
    if (rc == HPO_OK && !isnan(metric))
        rc = set_number(t, "val_metric", metric);
    return rc;
}

int hpo__hg_trial_finish(hpo_study *study, hpo_trial *t, int rc,
                         double val_loss, hpo__msg *m)
{
    if (rc != HPO_OK)
        hpo_study_tell(study, t, HPO_FAIL, NULL, 0);
    else if ((rc = hpo_study_tell(study, t, HPO_COMPLETE, &val_loss, 1)))
        hpo__fail(m, rc, "%s", hpo_trial_errmsg(t));
    hpo_trial_free(t);
    return rc;
}

int hpo__hg_store_step(hpo_study *study, const hpo__hg_problem *p,
                       const double *h, double val_loss, double grad_norm,
                       hpo__msg *m)
{
    char *json = params_json(p, h);
    if (!json)
        return hpo__oom(m);
    hpo_trial *t = NULL;
    int rc = hpo__study_ask_fixed(study, json, &t);
    free(json);
    if (rc != HPO_OK)
        return hpo__fail(m, rc, "%s", hpo_study_errmsg(study));
    rc = hpo__hg_trial_hypers(t, p, NULL);
    if (rc == HPO_OK)
        rc = hpo__hg_trial_attrs(t, p, grad_norm);
    if (rc != HPO_OK)
        hpo__fail(m, rc, "%s", hpo_trial_errmsg(t));
    return hpo__hg_trial_finish(study, t, rc, val_loss, m);
}
