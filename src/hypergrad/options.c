/*
 * options.c — hpo_hypergrad_options (include/hpo.h) checked and turned
 * into what the parts take: the outer loop's options (outer.c: Adam or
 * L-BFGS, HOAG's tolerance; Pedregosa 2016), the inner solver, and the SGD
 * configuration (sgd.h).  Every refusal names the field.
 */
#include <math.h>
#include <string.h>

#include "session.h"

int hpo__hg_method_parse(const char *name, hpo__hg_method *out, hpo__msg *m)
{
    if (name && strcmp(name, "adam") == 0)
        *out = HPO__HG_ADAM;
    else if (name && strcmp(name, "lbfgs") == 0)
        *out = HPO__HG_LBFGS;
    else
        return hpo__fail(m, HPO_EINVAL, "'%s' is not adam or lbfgs",
                         name ? name : "");
    return HPO_OK;
}

/* A sub-parser's refusal (rc) prefixed with the field it read. */
static int field_error(hpo__msg *m, const char *field, int rc)
{
    if (rc == HPO_ENOMEM)
        return rc;
    return hpo__fail(m, rc, "hypergrad: %s: %s", field, hpo__msg_get(m));
}

static int check_numbers(const hpo_hypergrad_options *o, int sgd,
                         hpo__msg *m)
{
    if (o->steps < 1)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: steps must be >= 1 (got "
                         "%d)", o->steps);
    if (!(o->step_size > 0) || !isfinite(o->step_size))
        return hpo__fail(m, HPO_EINVAL, "hypergrad: step_size must be a "
                         "number > 0 (got %g)", o->step_size);
    if (!(o->tol0 >= 0) || !isfinite(o->tol0))
        return hpo__fail(m, HPO_EINVAL, "hypergrad: tol0 must be a number "
                         ">= 0 (got %g)", o->tol0);
    if (sgd && (o->epochs < 1 || o->batch < 1 || o->hidden < 1))
        return hpo__fail(m, HPO_EINVAL, "hypergrad: epochs, batch and hidden "
                         "must be >= 1 (got %d, %d, %d)", o->epochs, o->batch,
                         o->hidden);
    if (sgd && o->truncate < 0)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: truncate must be >= 0 "
                         "(got %ld)", o->truncate);
    return HPO_OK;
}

/* The SGD fields: the tuned kinds of `tune`, each with the schedule's
 * mode, and the numbers. */
static int sgd_config(const hpo_hypergrad_options *o, hpo__sgd_config *c,
                      hpo__msg *m)
{
    hpo__sgd_config_default(c);
    hpo__sgd_mode mode = HPO__SGD_PER_EPOCH;
    int rc = o->schedule ? hpo__sgd_schedule_parse(o->schedule, &mode, m)
                         : HPO_OK;
    if (rc != HPO_OK)
        return field_error(m, "schedule", rc);
    rc = hpo__sgd_tune_parse(o->tune ? o->tune : "lr", mode, c->mode, m);
    if (rc != HPO_OK)
        return field_error(m, "tune", rc);
    c->epochs = o->epochs;
    c->batch = o->batch;
    c->hidden = o->hidden;
    c->truncate = o->truncate;
    c->seed = o->seed;
    return HPO_OK;
}

int hpo__hg_plan_make(const hpo_hypergrad_options *o, hpo__hg_plan *plan,
                      hpo__msg *m)
{
    memset(plan, 0, sizeof *plan);
    if (!o)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: no options (start from "
                         "hpo_hypergrad_options_default)");
    plan->model = hpo__hg_model_find(o->model);
    if (!plan->model)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: unknown model '%s' "
                         "(ridge, logistic, krr, mlp or linear)",
                         o->model ? o->model : "(none)");
    if (!o->data_path || !*o->data_path)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: no data_path");
    int rc = check_numbers(o, plan->model->sgd, m);
    if (rc != HPO_OK)
        return rc;
    hpo__hg_outer_defaults(&plan->outer, o->steps);
    plan->outer.method = HPO__HG_LBFGS;
    plan->outer.step_size = o->step_size;
    plan->outer.tol0 = o->tol0;
    if (o->method &&
        (rc = hpo__hg_method_parse(o->method, &plan->outer.method, m)))
        return field_error(m, "method", rc);
    plan->solver = HPO__HG_EXACT;
    if (o->solver && (rc = hpo__hg_solver_parse(o->solver, &plan->solver, m)))
        return field_error(m, "solver", rc);
    if (plan->model->sgd)
        return sgd_config(o, &plan->sgd, m);
    return HPO_OK;
}
