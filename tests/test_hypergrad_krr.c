/*
 * test_hypergrad_krr.c — kernel ridge regression's hypergradient in lambda
 * and the RBF width against central finite differences, CG and Neumann
 * against the exact solve, --per-feature refused, and the outer loop.
 */
#include "hypergrad_check.h"

static hpo__hg_problem *krr_of(const hpo__hg_split *s, hpo__hg_solver solver)
{
    return problem_of(hpo__hg_krr_new, s, 0, solver);
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
    const double h[2] = {1.0, 1.0};
    check_solver(hpo__hg_krr_new, &s, 0, HPO__HG_CG, h, 1e-10, 1e-6);
    check_solver(hpo__hg_krr_new, &s, 0, HPO__HG_NEUMANN, h, 1e-10, 1e-6);
    hpo__hg_split_free(&s);
}

static void test_per_feature_refused(void)
{
    check_refused(hpo__hg_krr_new, 1, "--per-feature");
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
