/*
 * test_hypergrad_krr.c — kernel ridge regression's hypergradient in lambda
 * and the RBF width against central finite differences, CG and Neumann
 * against the exact solve, --per-feature refused, and the outer loop.
 */
#include "hypergrad_check.h"

static hpo__hg_problem *krr_of(const hpo__hg_split *s, hpo__hg_solver solver)
{
    hpo__hg_model_opts o = {0, solver};
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_krr_new(s, &o, &p, &m), HPO_OK);
    hpo__msg_free(&m);
    return p;
}

static void test_matches_fd(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(120, 5, 0, 21, &s), HPO_OK);
    hpo__hg_problem *p = krr_of(&s, HPO__HG_EXACT);
    CHECK(p->n_hyper == 2);
    CHECK(strcmp(p->hyper_name(p, 1), "width") == 0);
    const double pts[3][2] = {{0, 1}, {-2, 0.5}, {1, 2}};
    for (int i = 0; i < 3; i++)
        CHECK(fd_relative_error(p, pts[i], 1e-4) < 1e-4);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

static void test_solvers_agree(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(120, 5, 0, 22, &s), HPO_OK);
    hpo__hg_problem *e = krr_of(&s, HPO__HG_EXACT);
    hpo__hg_problem *c = krr_of(&s, HPO__HG_CG);
    hpo__hg_problem *n = krr_of(&s, HPO__HG_NEUMANN);
    double h[2] = {1.0, 1.0}, ge[2], gc[2], gn[2], ve, vc, vn;
    hpo__msg m = {0};
    CHECK_RC(e->value_grad(e, h, 0, &ve, ge, &m), HPO_OK);
    CHECK_RC(c->value_grad(c, h, 1e-10, &vc, gc, &m), HPO_OK);
    CHECK_RC(n->value_grad(n, h, 1e-10, &vn, gn, &m), HPO_OK);
    double gmax = fmax(fabs(ge[0]), fabs(ge[1]));
    CHECK_NEAR(vc, ve, 1e-8 * ve);
    CHECK_NEAR(vn, ve, 1e-8 * ve);
    for (int i = 0; i < 2; i++) {
        CHECK_NEAR(gc[i], ge[i], 1e-6 * gmax);
        CHECK_NEAR(gn[i], ge[i], 1e-6 * gmax);
    }
    hpo__msg_free(&m);
    e->destroy(e);
    c->destroy(c);
    n->destroy(n);
    hpo__hg_split_free(&s);
}

static void test_per_feature_refused(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(60, 3, 0, 23, &s), HPO_OK);
    hpo__hg_model_opts o = {1, HPO__HG_EXACT};
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_krr_new(&s, &o, &p, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "--per-feature");
    hpo__msg_free(&m);
    hpo__hg_split_free(&s);
}

static void test_outer_loop_lowers_validation_loss(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(150, 5, 0, 24, &s), HPO_OK);
    hpo__hg_problem *p = krr_of(&s, HPO__HG_EXACT);
    double h[2] = {log(30.0), log(30.0)}; /* too smooth */
    double v0 = value_at(p, h);
    long fits0 = p->fits;
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 25);
    o.step_size = 0.3;
    hpo__hg_result res;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(p, h, &o, NULL, &res, &m), HPO_OK);
    CHECK(res.best_val_loss < 0.9 * v0);
    CHECK(res.fits - fits0 == 25);
    fprintf(stderr, "krr: %.4g from %.4g\n", res.best_val_loss, v0);
    hpo__msg_free(&m);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

int main(void)
{
    RUN(test_matches_fd);
    RUN(test_solvers_agree);
    RUN(test_per_feature_refused);
    RUN(test_outer_loop_lowers_validation_loss);
    return CHECK_DONE();
}
