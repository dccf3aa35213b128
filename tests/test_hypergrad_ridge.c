/*
 * test_hypergrad_ridge.c — ridge's hypergradient (one lambda, one per
 * feature) against central finite differences; the CG and Neumann solvers
 * against the exact one; the dual form with more features than rows; a
 * constant column; the outer loop lowering the validation loss and storing
 * its steps as trials.
 */
#include "hypergrad_check.h"

static hpo__hg_problem *ridge_of(const hpo__hg_split *s, int per_feature,
                                 hpo__hg_solver solver)
{
    return problem_of(hpo__hg_ridge_new, s, per_feature, solver);
}

static void fill(double *h, int n, double v)
{
    for (int i = 0; i < n; i++)
        h[i] = v + 0.1 * (i % 5);
}

static void test_single_lambda_matches_fd(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(120, 8, 0, 1, &s), HPO_OK);
    hpo__hg_problem *p = ridge_of(&s, 0, HPO__HG_EXACT);
    for (double lh = -2; lh <= 4; lh += 2) {
        double h = lh;
        double err = fd_relative_error(p, &h, 1e-4);
        CHECK(err < 1e-4);
    }
    p->destroy(p);
    hpo__hg_split_free(&s);
}

static void test_per_feature_matches_fd(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(150, 12, 0, 2, &s), HPO_OK);
    hpo__hg_problem *p = ridge_of(&s, 1, HPO__HG_EXACT);
    CHECK(p->n_hyper == 12);
    CHECK(strcmp(p->hyper_name(p, 2), "lambda_x3") == 0);
    double h[12];
    fill(h, 12, 1.0);
    CHECK(fd_relative_error(p, h, 1e-4) < 1e-4);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

/* More features than training rows: the exact solver's dual form. */
static void test_wide_data_dual_matches_fd(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(40, 60, 0, 3, &s), HPO_OK);
    CHECK(s.n[0] < s.n_features);
    hpo__hg_problem *p = ridge_of(&s, 1, HPO__HG_EXACT);
    double h[60];
    fill(h, 60, 0.5);
    CHECK(fd_relative_error(p, h, 1e-4) < 1e-4);
    check_solver(hpo__hg_ridge_new, &s, 1, HPO__HG_CG, h, 1e-12, 1e-6);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

static void compare_solver(const hpo__hg_split *s, hpo__hg_solver solver,
                           double tol, double want)
{
    double h[16];
    fill(h, 16, 2.0);
    check_solver(hpo__hg_ridge_new, s, 1, solver, h, tol, want);
}

static void test_cg_and_neumann_agree_with_exact(void)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(200, 16, 0, 4, &s), HPO_OK);
    compare_solver(&s, HPO__HG_CG, 1e-10, 1e-6);
    compare_solver(&s, HPO__HG_NEUMANN, 1e-10, 1e-6);
    /* a loose tolerance gives a loose answer, but near */
    compare_solver(&s, HPO__HG_CG, 1e-3, 1e-2);
    hpo__hg_split_free(&s);
}

/* A column constant on the training rows gets no weight and a zero
 * hypergradient. */
static void test_constant_column(void)
{
    const char *csv = "a,b,y\n";
    size_t cap = 4096;
    char *t = malloc(cap);
    size_t len = (size_t)snprintf(t, cap, "%s", csv);
    for (int i = 0; i < 60; i++)
        len += (size_t)snprintf(t + len, cap - len, "%d,3,%.3f\n", i % 7,
                                0.5 * (i % 7) + 0.1 * (i % 3));
    hpo__dataset d;
    memset(&d, 0, sizeof d);
    hpo__msg m = {0};
    CHECK_RC(hpo__data_parse(&d, "const.csv", t, len, NULL, HPO__DATA_CSV,
                             &m), HPO_OK);
    CHECK_RC(hpo__data_set_task(&d, HPO__REGRESSION, &m), HPO_OK);
    hpo__hg_split s;
    CHECK_RC(hpo__hg_split_make(&d, 0.6, 0.2, 5, &s, &m), HPO_OK);
    hpo__hg_problem *p = ridge_of(&s, 1, HPO__HG_EXACT);
    double h[2] = {0, 0}, g[2], v;
    CHECK_RC(p->value_grad(p, h, 0, &v, g, &m), HPO_OK);
    CHECK(isfinite(v));
    CHECK(g[1] == 0);
    CHECK(g[0] != 0);
    p->destroy(p);
    hpo__hg_split_free(&s);
    hpo__data_free(&d);
    hpo__msg_free(&m);
    free(t);
}

static void test_bad_split_and_solver(void)
{
    hpo__dataset d;
    memset(&d, 0, sizeof d);
    hpo__msg m = {0};
    const char *csv = "a,y\n1,2.5\n2,3.5\n3,1.5\n";
    CHECK_RC(hpo__data_parse(&d, "tiny.csv", csv, strlen(csv), NULL,
                             HPO__DATA_CSV, &m), HPO_OK);
    hpo__hg_split s;
    CHECK_RC(hpo__hg_split_make(&d, 0.6, 0.2, 1, &s, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "too few");
    CHECK_RC(hpo__hg_split_make(&d, 0.9, 0.2, 1, &s, &m), HPO_EINVAL);
    hpo__hg_solver sv;
    CHECK_RC(hpo__hg_solver_parse("lu", &sv, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "unknown solver 'lu'");
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

/* Two identical columns and lambda far below its bound: X'X + lambda I is
 * singular to working precision, and the error says so. */
static void test_singular_system_is_an_error(void)
{
    size_t cap = 8192;
    char *t = malloc(cap);
    size_t len = (size_t)snprintf(t, cap, "a,b,c,y\n");
    for (int i = 0; i < 80; i++)
        len += (size_t)snprintf(t + len, cap - len, "%d,%d,%d,%.2f\n",
                                i % 9, i % 9, (i * 7) % 5, 0.3 * (i % 9));
    hpo__dataset d;
    memset(&d, 0, sizeof d);
    hpo__msg m = {0};
    CHECK_RC(hpo__data_parse(&d, "dup.csv", t, len, NULL, HPO__DATA_CSV, &m),
             HPO_OK);
    CHECK_RC(hpo__data_set_task(&d, HPO__REGRESSION, &m), HPO_OK);
    hpo__hg_split s;
    CHECK_RC(hpo__hg_split_make(&d, 0.6, 0.2, 1, &s, &m), HPO_OK);
    hpo__hg_problem *p = ridge_of(&s, 0, HPO__HG_EXACT);
    double h = -700, v, g;
    CHECK_RC(p->value_grad(p, &h, 0, &v, &g, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "singular to working precision");
    p->destroy(p);
    hpo__hg_split_free(&s);
    hpo__data_free(&d);
    hpo__msg_free(&m);
    free(t);
}

static int n_progress;
static void count_progress(void *ud, int step, double val, double test,
                           const double *h)
{
    (void)ud, (void)step, (void)val, (void)test, (void)h;
    if (getenv("HG_DEBUG")) fprintf(stderr, "  step %d val %.6g h0 %.4g\n", step, val, h[0]);
    n_progress++;
}

static void descend_and_check(hpo__hg_method method, int per_feature)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(150, 10, 0, 6, &s), HPO_OK);
    hpo__hg_problem *p = ridge_of(&s, per_feature, HPO__HG_EXACT);
    int n = p->n_hyper;
    double h[10];
    for (int i = 0; i < n; i++)
        h[i] = log(1e3); /* far too strong: the loss must fall */
    double v0 = value_at(p, h);
    hpo_study *st = hpo_study_new();
    CHECK_RC(hpo_study_open(st, "hg", HPO_OPEN_CREATE), HPO_OK);
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 25);
    o.method = method;
    o.step_size = 0.5;
    o.progress = count_progress;
    n_progress = 0;
    hpo__hg_result res;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(p, h, &o, st, &res, &m), HPO_OK);
    CHECK(res.best_val_loss < 0.8 * v0);
    fprintf(stderr, "method %d per_feature %d: %d steps, val %.4g from %.4g\n", (int)method, per_feature, res.steps_done, res.best_val_loss, v0);
    CHECK(res.steps_done >= 3 && res.steps_done <= 25);
    CHECK(n_progress == res.steps_done);
    CHECK(isfinite(res.best_test_loss));
    hpo_trial **ts;
    int nt = 0;
    CHECK_RC(hpo_study_trials(st, &ts, &nt), HPO_OK);
    CHECK(nt == res.steps_done);
    double lam;
    CHECK(hpo_trial_param(ts[nt - 1], p->hyper_name(p, 0), &lam) == 1);
    CHECK(lam >= 1e-6 && lam <= 1e3);
    CHECK(hpo_trial_user_attr(ts[0], "test_loss") != NULL);
    CHECK(hpo_trial_user_attr(ts[0], "grad_norm") != NULL);
    hpo_trials_free(ts, nt);
    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(st, &best), HPO_OK);
    CHECK_NEAR(hpo_trial_value(best, 0), res.best_val_loss, 1e-12);
    hpo_trial_free(best);
    hpo_study_free(st);
    hpo__msg_free(&m);
    p->destroy(p);
    hpo__hg_split_free(&s);
}

static void test_outer_loop_lowers_validation_loss(void)
{
    descend_and_check(HPO__HG_ADAM, 0);
    descend_and_check(HPO__HG_ADAM, 1);
    descend_and_check(HPO__HG_LBFGS, 0);
    descend_and_check(HPO__HG_LBFGS, 1);
}

int main(void)
{
    RUN(test_single_lambda_matches_fd);
    RUN(test_per_feature_matches_fd);
    RUN(test_wide_data_dual_matches_fd);
    RUN(test_cg_and_neumann_agree_with_exact);
    RUN(test_constant_column);
    RUN(test_bad_split_and_solver);
    RUN(test_singular_system_is_an_error);
    RUN(test_outer_loop_lowers_validation_loss);
    return CHECK_DONE();
}
