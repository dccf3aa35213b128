/*
 * models.c — the models of the hypergradient optimizer by name, one line
 * each: what `hpo hypergrad MODEL` and hpo_study_hypergrad accept.  The
 * implicit ones (ridge, logistic, krr; Pedregosa 2016) share the fixed
 * 60/20/20 split of split.c; the SGD ones (mlp, linear; Franceschi et al.
 * 2017) make their own stratified split (sgd_problem.c).
 */
#include <math.h>
#include <string.h>

#include "session.h"

static int make_ridge(const hpo__hg_ctx *c, hpo__hg_problem **out,
                      hpo__msg *m)
{
    hpo__hg_model_opts o = {c->per_feature, c->solver};
    return hpo__hg_ridge_new(c->split, &o, out, m);
}

static int make_logistic(const hpo__hg_ctx *c, hpo__hg_problem **out,
                         hpo__msg *m)
{
    hpo__hg_model_opts o = {c->per_feature, c->solver};
    return hpo__hg_logistic_new(c->split, &o, out, m);
}

static int make_krr(const hpo__hg_ctx *c, hpo__hg_problem **out,
                    hpo__msg *m)
{
    hpo__hg_model_opts o = {c->per_feature, c->solver};
    return hpo__hg_krr_new(c->split, &o, out, m);
}

/* mlp, linear: the configuration names the learner. */
static int make_sgd(const hpo__hg_ctx *c, const char *model,
                    hpo__hg_problem **out, hpo__msg *m)
{
    hpo__sgd_config cfg = *c->sgd;
    cfg.model = model;
    cfg.seed = c->seed;
    return hpo__hg_sgd_new_split(out, c->data, c->seed, &cfg, m);
}

static int make_mlp(const hpo__hg_ctx *c, hpo__hg_problem **out, hpo__msg *m)
{
    return make_sgd(c, "mlp", out, m);
}

static int make_linear(const hpo__hg_ctx *c, hpo__hg_problem **out,
                       hpo__msg *m)
{
    return make_sgd(c, "linear", out, m);
}

/* lambda 1; a kernel width of sqrt(features) (the scale of standardized
 * distances); else the bounds' geometric mean. */
static void start_implicit(const hpo__hg_problem *p, const hpo__hg_ctx *c,
                           double *h)
{
    for (int i = 0; i < p->n_hyper; i++) {
        double lo, hi;
        p->hyper_bounds(p, i, &lo, &hi);
        const char *name = p->hyper_name(p, i);
        double x = strncmp(name, "lambda", 6) == 0 ? 1
                   : strcmp(name, "width") == 0 ? sqrt(c->data->n_features)
                                                : sqrt(lo * hi);
        h[i] = log(fmin(hi, fmax(lo, x)));
    }
}

/* mlp, linear: from the fixed values (lr 0.01, momentum 0.9, decay 1e-4). */
static void start_sgd(const hpo__hg_problem *p, const hpo__hg_ctx *c,
                      double *h)
{
    (void)c;
    hpo__hg_sgd_start(p, h);
}

static const hpo__hg_model models[] = {
    {"ridge", "ridge regression: lambda (one, or one per feature)", 1, 0,
     HPO__REGRESSION, make_ridge, start_implicit},
    {"logistic", "L2 logistic regression, two classes: lambda (one, or one "
     "per feature)", 1, 0, HPO__CLASSIFICATION, make_logistic,
     start_implicit},
    {"krr", "kernel ridge regression, RBF kernel: lambda and the width", 1,
     0, HPO__REGRESSION, make_krr, start_implicit},
    {"mlp", "the MLP trained by SGD: learning rate (per epoch), momentum, "
     "weight decay", 0, 1, -1, make_mlp, start_sgd},
    {"linear", "softmax regression trained by SGD: the same hyperparameters",
     0, 1, -1, make_linear, start_sgd},
    {NULL, NULL, 0, 0, 0, NULL, NULL},
};

const hpo__hg_model *hpo__hg_model_find(const char *name)
{
    for (const hpo__hg_model *md = models; name && md->name; md++)
        if (strcmp(md->name, name) == 0)
            return md;
    return NULL;
}

const hpo__hg_model *hpo__hg_model_at(int i)
{
    int n = (int)(sizeof models / sizeof *models) - 1;
    return i >= 0 && i < n ? &models[i] : NULL;
}
