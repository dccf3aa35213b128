/*
 * test_problems.c — the benchmark problems (bench/problems.c) take their
 * known optimum at their known optimizer, their tables are well formed, and
 * the 2-D hypervolume is right on hand-made fronts.
 */
#include "check.h"
#include "problems.h"

static double f_at(const char *name, const double *x)
{
    const bench_problem *p = bench_problem_find(name);
    double v[BENCH_MAX_OBJECTIVES] = {NAN, NAN};
    if (!p)
        return NAN;
    p->f(x, v);
    return v[0];
}

static void fill(double *x, int n, double v)
{
    for (int i = 0; i < n; i++)
        x[i] = v;
}

static void test_branin_three_minimizers(void)
{
    const double fstar = bench_problem_find("branin")->f_star;
    CHECK_NEAR(f_at("branin", (double[]){-M_PI, 12.275}), fstar, 1e-9);
    CHECK_NEAR(f_at("branin", (double[]){M_PI, 2.275}), fstar, 1e-9);
    CHECK_NEAR(f_at("branin", (double[]){9.42478, 2.475}), fstar, 1e-9);
    /* Away from them it is worse. */
    CHECK(f_at("branin", (double[]){0, 0}) > fstar + 1);
}

static void test_hartmann6_optimum(void)
{
    const double x[6] = {0.20169, 0.150011, 0.476874,
                         0.275332, 0.311652, 0.6573};
    CHECK_NEAR(f_at("hartmann6", x), bench_problem_find("hartmann6")->f_star,
               1e-5);
    CHECK(f_at("hartmann6", (double[]){0.5, 0.5, 0.5, 0.5, 0.5, 0.5}) > -3);
}

static void test_box_optima(void)
{
    double x[BENCH_MAX_DIM];
    fill(x, 4, 1);
    CHECK_NEAR(f_at("rosenbrock4", x), 0, 1e-12);
    fill(x, 10, 0);
    CHECK_NEAR(f_at("ackley10", x), 0, 1e-12);
    fill(x, 8, 1);
    CHECK_NEAR(f_at("levy8", x), 0, 1e-12);
    fill(x, 8, -2.903534);
    CHECK_NEAR(f_at("styblinski_tang8", x),
               bench_problem_find("styblinski_tang8")->f_star, 1e-6);
    /* One step off the optimum costs something. */
    fill(x, 4, 1);
    x[2] = 1.1;
    CHECK(f_at("rosenbrock4", x) > 0.1);
    fill(x, 10, 0);
    x[0] = 1;
    CHECK(f_at("ackley10", x) > 1);
}

static void test_mixed4_optimum(void)
{
    /* x = 1.2, y = 1e-2, n = 7, c = "b" (index 1). */
    CHECK_NEAR(f_at("mixed4", (double[]){1.2, 1e-2, 7, 1}), 0, 1e-12);
    CHECK_NEAR(f_at("mixed4", (double[]){1.2, 1e-2, 7, 0}), 0.5, 1e-12);
    CHECK_NEAR(f_at("mixed4", (double[]){1.2, 1e-2, 7, 2}), 1, 1e-12);
    CHECK_NEAR(f_at("mixed4", (double[]){1.2, 1e-3, 10, 1}), 2, 1e-12);
}

static void test_sparse_bool60(void)
{
    double x[60];
    fill(x, 60, 1); /* every b = +1 (choice index 1) */
    CHECK_NEAR(f_at("sparse_bool60", x), -19.5, 1e-12);
    fill(x, 60, 0); /* every b = -1 */
    CHECK_NEAR(f_at("sparse_bool60", x), 0.5, 1e-12);
    fill(x, 60, 1);
    x[3] = 0; /* breaks only -5 b3 b17 */
    CHECK_NEAR(f_at("sparse_bool60", x), -19.5 + 10, 1e-12);
    fill(x, 60, 1);
    x[1] = 0; /* b1 is in no monomial */
    CHECK_NEAR(f_at("sparse_bool60", x), -19.5, 1e-12);
}

static void test_cond_model_branches(void)
{
    /* kind, C, gamma, depth, min_leaf, max_features, alpha, l1_ratio; the
     * other branches' parameters are NaN, as when inactive. */
    const double svm = 0, tree = 1, linear = 2;
    CHECK_NEAR(f_at("cond_model", (double[]){svm, 10, pow(10, -2.5), NAN, NAN,
                                             NAN, NAN, NAN}),
               0, 1e-12);
    CHECK_NEAR(f_at("cond_model", (double[]){tree, NAN, NAN, 7, 5, 0.5, NAN,
                                             NAN}),
               0.1, 1e-12);
    CHECK_NEAR(f_at("cond_model", (double[]){linear, NAN, NAN, NAN, NAN, NAN,
                                             1e-3, 0.3}),
               0.3, 1e-12);
    /* Along the svm valley (C * gamma constant) it rises slowly, across it
     * fast. */
    double along = f_at("cond_model", (double[]){svm, 100, pow(10, -3.5), NAN,
                                                 NAN, NAN, NAN, NAN});
    double across = f_at("cond_model", (double[]){svm, 100, pow(10, -1.5), NAN,
                                                  NAN, NAN, NAN, NAN});
    CHECK_NEAR(along, 0.32, 1e-12);
    CHECK_NEAR(across, 2.4, 1e-12);
    CHECK(f_at("cond_model", (double[]){tree, NAN, NAN, 8, 5, 0.5, NAN, NAN}) >
          0.1);
}

static void test_cond_model_conditions(void)
{
    const bench_problem *p = bench_problem_find("cond_model");
    double x[8] = {1, NAN, NAN, 7, 5, 0.5, NAN, NAN};
    CHECK(bench_problem_n_active(p, x) == 4); /* kind, and tree's three */
    CHECK(bench_problem_active(p, 0, x) && !bench_problem_active(p, 1, x));
    CHECK(bench_problem_active(p, 3, x) && !bench_problem_active(p, 6, x));
    x[0] = 2;
    CHECK(bench_problem_n_active(p, x) == 3);
    CHECK(bench_problem_active(p, 7, x) && !bench_problem_active(p, 4, x));
    /* The declared space carries the conditions. */
    hpo_space *space = hpo_space_new();
    CHECK_RC(bench_problem_define(p, space), HPO_OK);
    char *json = hpo_space_to_json(space);
    CHECK(json && strstr(json, "\"if\""));
    free(json);
    hpo_space_free(space);
}

static void test_cat_heavy_optimum(void)
{
    /* c0..c7 = b b d c c d b c, x0 = 0.7, x1 = 0.6. */
    double best[10] = {1, 1, 3, 2, 2, 3, 1, 2, 0.7, 0.6};
    CHECK_NEAR(f_at("cat_heavy", best), 0, 1e-12);
    /* The pairs interact: c0 = a is better on average, but not with c1. */
    double x[10];
    memcpy(x, best, sizeof x);
    x[0] = 0;
    x[8] = 0.2;
    CHECK_NEAR(f_at("cat_heavy", x), 0.5, 1e-12);
    memcpy(x, best, sizeof x);
    x[9] = 0.1; /* x1's centre moves with c4 */
    CHECK_NEAR(f_at("cat_heavy", x), 0.5, 1e-12);
    /* Every categorical combination is at least 0 (f* is the minimum). */
    double worst = 0;
    int n[8] = {3, 4, 5, 3, 4, 5, 3, 4}, combos = 1;
    for (int i = 0; i < 8; i++)
        combos *= n[i];
    double lowest = INFINITY;
    for (int code = 0; code < combos; code++) {
        int rest = code;
        for (int i = 0; i < 8; i++) {
            x[i] = rest % n[i];
            rest /= n[i];
        }
        x[8] = x[0] == 0 ? 0.2 : x[0] == 1 ? 0.7 : 0.5;
        x[9] = x[4] == 0 ? 0.3 : x[4] == 1 ? 0.8 : x[4] == 2 ? 0.6 : 0.1;
        double v = f_at("cat_heavy", x);
        lowest = fmin(lowest, v);
        worst = fmax(worst, v);
    }
    CHECK_NEAR(lowest, 0, 1e-12);
    CHECK(worst > 3);
}

static void test_zdt_fronts(void)
{
    double x[30], v[2];
    /* On the Pareto set (x2..x30 = 0) f2 is the front's curve. */
    fill(x, 30, 0);
    x[0] = 0.25;
    bench_problem_find("zdt1")->f(x, v);
    CHECK_NEAR(v[0], 0.25, 0);
    CHECK_NEAR(v[1], 0.5, 1e-15);
    bench_problem_find("zdt2")->f(x, v);
    CHECK_NEAR(v[1], 1 - 0.0625, 1e-15);
    bench_problem_find("zdt3")->f(x, v);
    CHECK_NEAR(v[1], 0.5 - 0.25 * sin(2.5 * M_PI), 1e-15);
    fill(x, 30, 1);
    x[0] = 0;
    bench_problem_find("zdt1")->f(x, v);
    CHECK_NEAR(v[1], 10, 1e-12);
}

static double front_hv(const char *name, int n)
{
    /* n points of the Pareto front, f1 evenly spaced in [0, 1]. */
    const bench_problem *p = bench_problem_find(name);
    double *pts = malloc(sizeof(double) * 2 * (size_t)n), x[30] = {0};
    for (int i = 0; i < n; i++) {
        x[0] = (double)i / (n - 1);
        p->f(x, &pts[2 * i]);
    }
    double hv = bench_hypervolume2d(pts, n, p->ref);
    free(pts);
    return hv;
}

static void test_hypervolume(void)
{
    const double ref[2] = {11, 11};
    CHECK_NEAR(bench_hypervolume2d(NULL, 0, ref), 0, 0);
    CHECK_NEAR(bench_hypervolume2d((double[]){1, 1}, 1, ref), 100, 1e-12);
    /* Two points in a staircase, a dominated one, one outside the box. */
    double pts[] = {1, 5, 5, 1, 6, 6, 12, 0, NAN, 0};
    CHECK_NEAR(bench_hypervolume2d(pts, 5, ref), 10 * 6 + 6 * 4, 1e-12);
    /* Order does not matter. */
    double rev[] = {5, 1, 1, 5};
    CHECK_NEAR(bench_hypervolume2d(rev, 2, ref), 84, 1e-12);
    /* Dense fronts approach the stored best hypervolumes from below. */
    const char *zdt[] = {"zdt1", "zdt2", "zdt3"};
    for (int i = 0; i < 3; i++) {
        double star = bench_problem_find(zdt[i])->f_star;
        double hv = front_hv(zdt[i], 200001);
        CHECK(hv <= star);
        CHECK_NEAR(hv, star, 1e-4);
    }
}

/* DTLZ2: on its Pareto set (x3..x12 = 1/2) the values lie on the unit
 * sphere; three objectives' hypervolume by hand and on a dense front. */
static void test_dtlz2_and_hypervolume3d(void)
{
    const bench_problem *p = bench_problem_find("dtlz2");
    double x[12], v[3];
    fill(x, 12, 0.5);
    x[0] = 0.3;
    x[1] = 0.8;
    p->f(x, v);
    CHECK_NEAR(v[0] * v[0] + v[1] * v[1] + v[2] * v[2], 1, 1e-12);
    const double ref[3] = {11, 11, 11};
    double one[] = {1, 1, 1};
    CHECK_NEAR(bench_hypervolume(one, 1, 3, ref), 1000, 1e-9);
    /* Two boxes of 360 overlapping in 216; a dominated point, a copy and
     * one outside add nothing. */
    double pts[] = {1, 5, 5, 5, 1, 5, 6, 6, 6, 1, 5, 5, 0, 0, 12};
    CHECK_NEAR(bench_hypervolume(pts, 5, 3, ref), 504, 1e-9);
    enum { N = 120 };
    double *front = malloc(sizeof(double) * 3 * (N + 1) * (N + 1));
    int n = 0;
    for (int i = 0; i <= N; i++)
        for (int j = 0; j <= N; j++, n++) {
            x[0] = (double)i / N;
            x[1] = (double)j / N;
            p->f(x, front + 3 * n);
        }
    double hv = bench_hypervolume(front, n, 3, p->ref);
    CHECK(hv <= p->f_star);
    CHECK_NEAR(hv, p->f_star, 0.01);
    free(front);
}

static void test_table_is_well_formed(void)
{
    CHECK(bench_problem_count() == 14);
    for (const bench_problem *p = bench_problems; p->name; p++) {
        CHECK(p->dim >= 1 && p->dim <= BENCH_MAX_DIM);
        CHECK(p->n_params == p->dim || p->n_params == 1);
        CHECK(p->n_objectives >= 1 && p->n_objectives <= BENCH_MAX_OBJECTIVES);
        CHECK(p->budgets && p->budgets[0]);
        CHECK(bench_problem_find(p->name) == p);
        hpo_space *space = hpo_space_new();
        CHECK_RC(bench_problem_define(p, space), HPO_OK);
        CHECK(hpo_space_size(space) == p->dim);
        for (int i = 0; i < p->dim; i++) {
            bench_param q;
            char name[64];
            bench_problem_param(p, i, &q, name, sizeof name);
            CHECK(strcmp(hpo_space_name(space, i), name) == 0);
        }
        hpo_space_free(space);
    }
    CHECK(bench_problem_find("nope") == NULL);
}

int main(void)
{
    RUN(test_branin_three_minimizers);
    RUN(test_hartmann6_optimum);
    RUN(test_box_optima);
    RUN(test_mixed4_optimum);
    RUN(test_sparse_bool60);
    RUN(test_cond_model_branches);
    RUN(test_cond_model_conditions);
    RUN(test_cat_heavy_optimum);
    RUN(test_zdt_fronts);
    RUN(test_hypervolume);
    RUN(test_dtlz2_and_hypervolume3d);
    RUN(test_table_is_well_formed);
    return CHECK_DONE();
}
