/* test_hypergrad_sgd.c — hypergradients through SGD training
 * (src/hypergrad/sgd_*.c) on the linear (softmax regression) learner:
 * the Hessian-vector product equals differences of the gradient; every
 * hypergradient — learning rate, momentum, weight decay, constant and
 * per-epoch — equals central finite differences of the validation loss
 * (relative error < 1e-4); truncation to the last K steps equals the full
 * gradient when K covers training, and otherwise gives exactly the part of
 * the gradient a per-epoch schedule attributes to the last epochs; bad
 * input is refused with a message. */
#include "hypergrad_sgd_fixture.h"

static const hpo__sgd_mode F = HPO__SGD_FIXED, C = HPO__SGD_CONSTANT,
                           E = HPO__SGD_PER_EPOCH;

static void test_linear_hvp(void)
{
    hpo__sgd_model *mdl = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__sgd_linear_new(&mdl, 6, 4, 8, &m), HPO_OK);
    CHECK(fx_worst_hvp_error(mdl, 6, 0.3, 1e-5) < 1e-5);
    mdl->destroy(mdl);
    hpo__msg_free(&m);
}

static void test_linear_constant_fd(void)
{
    fx_check_fd("linear", 1, C, C, C, 3);
}

static void test_linear_per_epoch_fd(void)
{
    fx_check_fd("linear", 1, E, E, E, 9);
}

static void test_linear_lr_only_fd(void)
{
    fx_check_fd("linear", 1, E, F, F, 3);
}

/* The gradient of problem p (built from c) at its start point. */
static void gradient_of(const hpo__dataset *d, const hpo__sgd_config *c,
                        double *g, int *n)
{
    hpo__hg_problem *p = fx_problem(d, c);
    double h[16], v;
    hpo__msg m = {0};
    *n = p ? p->n_hyper : 0;
    if (!p)
        return;
    for (int i = 0; i < p->n_hyper; i++) {
        const char *name = p->hyper_name(p, i);
        h[i] = log(c->fixed[name[0] == 'l' ? HPO__SGD_LR
                            : name[0] == 'm' ? HPO__SGD_MOMENTUM
                                             : HPO__SGD_DECAY]);
    }
    CHECK_RC(p->value_grad(p, h, 0, &v, g, &m), HPO_OK);
    p->destroy(p);
    hpo__msg_free(&m);
}

/* Truncated to the last two epochs (8 steps), the gradient with respect to
 * a constant hyperparameter is what a per-epoch schedule at the same values
 * attributes to epochs 2 and 3 (their sum); with K covering all 12 steps it
 * is the full gradient. */
static void test_truncation(void)
{
    hpo__dataset d = {0};
    fx_dataset(&d, 0);
    const char *models[] = {"linear", "mlp"};
    for (int k = 0; k < 2; k++) {
        hpo__sgd_config per = fx_config(models[k], E, E, E);
        hpo__sgd_config con = fx_config(models[k], C, C, C);
        double gp[16], gc[16], gt[16], gfull[16];
        int np, nc, nt, nf;
        gradient_of(&d, &per, gp, &np);
        gradient_of(&d, &con, gc, &nc);
        con.truncate = 8;
        gradient_of(&d, &con, gt, &nt);
        con.truncate = 12;
        gradient_of(&d, &con, gfull, &nf);
        CHECK(np == 9 && nc == 3 && nt == 3 && nf == 3);
        for (int j = 0; j < 3 && np == 9; j++) {
            double whole = gp[3 * j] + gp[3 * j + 1] + gp[3 * j + 2];
            double last = gp[3 * j + 1] + gp[3 * j + 2];
            CHECK_NEAR(gc[j], whole, 1e-9 * (fabs(whole) + 1e-9));
            CHECK_NEAR(gt[j], last, 1e-9 * (fabs(last) + 1e-9));
            CHECK(gfull[j] == gc[j]);
            CHECK(fabs(gt[j] - gc[j]) > 1e-8); /* it is an approximation */
        }
    }
    hpo__data_free(&d);
}

/* A per-epoch schedule truncated to its last epoch: the earlier entries get
 * exactly zero, the last one its full gradient. */
static void test_truncation_zero_before_window(void)
{
    hpo__dataset d = {0};
    fx_dataset(&d, 0);
    hpo__sgd_config c = fx_config("mlp", E, F, F);
    double g[16], gt[16];
    int n, nt;
    gradient_of(&d, &c, g, &n);
    c.truncate = 4;
    gradient_of(&d, &c, gt, &nt);
    CHECK(n == 3 && nt == 3);
    if (n == 3 && nt == 3) {
        CHECK(gt[0] == 0 && gt[1] == 0);
        CHECK(gt[2] == g[2] && g[2] != 0);
    }
    hpo__data_free(&d);
}

static void expect_refused(const hpo__dataset *d, const hpo__sgd_config *c,
                           const char *text)
{
    fx_split f;
    fx_split_init(&f);
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_sgd_new(&p, d, &f.s, NULL, 0, c, &m), HPO_EINVAL);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), text);
    hpo__msg_free(&m);
}

static void test_bad_input(void)
{
    hpo__dataset d = {0}, r = {0};
    fx_dataset(&d, 0);
    fx_dataset(&r, 1);
    hpo__sgd_config c = fx_config("linear", C, F, F);
    expect_refused(&r, &c, "not a classification dataset");
    c.model = "tree";
    expect_refused(&d, &c, "unknown model 'tree'");
    c = fx_config("mlp", F, F, F);
    expect_refused(&d, &c, "nothing to tune");
    c = fx_config("mlp", C, C, F);
    c.fixed[HPO__SGD_MOMENTUM] = 0;
    expect_refused(&d, &c, "log space");
    c = fx_config("mlp", C, F, F);
    c.epochs = 0;
    expect_refused(&d, &c, "epochs must be");
    /* A momentum of exp(0) = 1 is refused at evaluation. */
    c = fx_config("linear", F, C, F);
    hpo__hg_problem *p = fx_problem(&d, &c);
    if (p) {
        double h = 0, v;
        hpo__msg m = {0};
        CHECK_RC(p->value_grad(p, &h, 0, &v, NULL, &m), HPO_EINVAL);
        CHECK_STR_CONTAINS(hpo__msg_get(&m), "momentum");
        hpo__msg_free(&m);
        p->destroy(p);
    }
    hpo__data_free(&d);
    hpo__data_free(&r);
}

/* A learning rate far too large diverges: +inf, a zero gradient, HPO_OK. */
static void test_divergence(void)
{
    hpo__dataset d = {0};
    fx_dataset(&d, 0);
    hpo__sgd_config c = fx_config("mlp", C, F, F);
    hpo__hg_problem *p = fx_problem(&d, &c);
    if (p) {
        double h = log(1e200), v = 0, g = 1;
        hpo__msg m = {0};
        CHECK_RC(p->value_grad(p, &h, 0, &v, &g, &m), HPO_OK);
        CHECK(isinf(v) && v > 0 && g == 0);
        CHECK(p->val_metric(p) > 0.5);
        hpo__msg_free(&m);
        p->destroy(p);
    }
    hpo__data_free(&d);
}

int main(void)
{
    RUN(test_linear_hvp);
    RUN(test_linear_constant_fd);
    RUN(test_linear_per_epoch_fd);
    RUN(test_linear_lr_only_fd);
    RUN(test_truncation);
    RUN(test_truncation_zero_before_window);
    RUN(test_bad_input);
    RUN(test_divergence);
    return CHECK_DONE();
}
