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
    return problem_of(hpo__hg_logistic_new, s, per_feature, solver);
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
    double h[9];
    for (int i = 0; i < 9; i++)
        h[i] = 1.0 + 0.1 * i;
    check_solver(hpo__hg_logistic_new, &s, 1, HPO__HG_CG, h, 1e-10, 1e-5);
    check_solver(hpo__hg_logistic_new, &s, 1, HPO__HG_NEUMANN, h, 1e-10,
                 1e-5);
    /* HOAG's loose early tolerance: a cheaper fit, a nearby gradient */
    check_solver(hpo__hg_logistic_new, &s, 1, HPO__HG_EXACT, h, 1e-2, 0.1);
    hpo__hg_split_free(&s);
}

static void test_regression_target_refused(void)
{
    check_refused(hpo__hg_logistic_new, 0, "two classes");
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
