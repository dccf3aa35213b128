/*
 * test_hypergrad_logistic.c — L2 logistic regression's hypergradient (one
 * lambda, one per feature) against central finite differences, the CG and
 * Neumann solvers against the exact one, HOAG's loose tolerance giving a
 * nearby gradient, a regression target refused, and the outer loop.
 */
#include "hypergrad_check.h"

static hpo__hg_problem *logistic_of(const hpo__hg_split *s, int per_feature,
                                    hpo__hg_solver solver)
{
    hpo__hg_model_opts o = {per_feature, solver};
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_logistic_new(s, &o, &p, &m), HPO_OK);
    hpo__msg_free(&m);
    return p;
}

static void test_single_lambda_matches_fd(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(200, 6, 1, 11, &s), HPO_OK);
    CHECK(s.classification);
    hpo__hg_problem *p = logistic_of(&s, 0, HPO__HG_EXACT);
    for (double lh = -1; lh <= 3; lh += 2) {
        double h = lh;
        CHECK(fd_relative_error(p, &h, 1e-4) < 1e-4);
    }
    CHECK(p->val_metric(p) >= 0 && p->val_metric(p) <= 1);
    CHECK(isfinite(p->test_loss(p)));
    p->destroy(p);
    hpo__hg_split_free(&s);
}

static void test_per_feature_matches_fd(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(250, 9, 1, 12, &s), HPO_OK);
    hpo__hg_problem *p = logistic_of(&s, 1, HPO__HG_EXACT);
    double h[9];
    for (int i = 0; i < 9; i++)
        h[i] = 0.5 + 0.2 * (i % 4);
    CHECK(fd_relative_error(p, h, 1e-4) < 1e-4);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

static void test_solvers_agree(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(250, 9, 1, 13, &s), HPO_OK);
    hpo__hg_problem *e = logistic_of(&s, 1, HPO__HG_EXACT);
    hpo__hg_problem *c = logistic_of(&s, 1, HPO__HG_CG);
    hpo__hg_problem *n = logistic_of(&s, 1, HPO__HG_NEUMANN);
    double h[9], ge[9], gc[9], gn[9], gl[9], ve, vc, vn, vl;
    for (int i = 0; i < 9; i++)
        h[i] = 1.0 + 0.1 * i;
    hpo__msg m = {0};
    CHECK_RC(e->value_grad(e, h, 0, &ve, ge, &m), HPO_OK);
    CHECK_RC(c->value_grad(c, h, 1e-10, &vc, gc, &m), HPO_OK);
    CHECK_RC(n->value_grad(n, h, 1e-10, &vn, gn, &m), HPO_OK);
    double gmax = 0;
    for (int i = 0; i < 9; i++)
        gmax = fmax(gmax, fabs(ge[i]));
    CHECK_NEAR(vc, ve, 1e-8 * ve);
    CHECK_NEAR(vn, ve, 1e-8 * ve);
    for (int i = 0; i < 9; i++) {
        CHECK_NEAR(gc[i], ge[i], 1e-5 * gmax);
        CHECK_NEAR(gn[i], ge[i], 1e-5 * gmax);
    }
    /* HOAG's loose early tolerance: a cheaper fit, a nearby gradient */
    hpo__hg_problem *l = logistic_of(&s, 1, HPO__HG_EXACT);
    CHECK_RC(l->value_grad(l, h, 1e-2, &vl, gl, &m), HPO_OK);
    CHECK_NEAR(vl, ve, 1e-2 * ve);
    for (int i = 0; i < 9; i++)
        CHECK_NEAR(gl[i], ge[i], 0.1 * gmax);
    hpo__msg_free(&m);
    l->destroy(l);
    e->destroy(e);
    c->destroy(c);
    n->destroy(n);
    hpo__hg_split_free(&s);
}

static void test_regression_target_refused(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(60, 3, 0, 14, &s), HPO_OK);
    hpo__hg_model_opts o = {0, HPO__HG_EXACT};
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_logistic_new(&s, &o, &p, &m), HPO_EINVAL);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "two classes");
    hpo__msg_free(&m);
    hpo__hg_split_free(&s);
}

static void test_outer_loop_lowers_validation_loss(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(300, 12, 1, 15, &s), HPO_OK);
    hpo__hg_problem *p = logistic_of(&s, 1, HPO__HG_EXACT);
    double h[12];
    for (int i = 0; i < 12; i++)
        h[i] = log(300.0);
    double v0 = value_at(p, h);
    hpo_study *st = hpo_study_new();
    CHECK_RC(hpo_study_open(st, "hg", HPO_OPEN_CREATE), HPO_OK);
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 20);
    o.step_size = 0.5;
    hpo__hg_result res;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(p, h, &o, st, &res, &m), HPO_OK);
    CHECK(res.best_val_loss < 0.95 * v0);
    CHECK(res.steps_done == 20);
    hpo_trial **ts;
    int nt = 0;
    CHECK_RC(hpo_study_trials(st, &ts, &nt), HPO_OK);
    CHECK(nt == 20);
    CHECK(hpo_trial_user_attr(ts[3], "val_metric") != NULL);
    hpo_trials_free(ts, nt);
    hpo_study_free(st);
    hpo__msg_free(&m);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

int main(void)
{
    RUN(test_single_lambda_matches_fd);
    RUN(test_per_feature_matches_fd);
    RUN(test_solvers_agree);
    RUN(test_regression_target_refused);
    RUN(test_outer_loop_lowers_validation_loss);
    return CHECK_DONE();
}
