/*
 * test_harmonica.c — the `harmonica` sampler (Hazan, Klivans & Yuan 2017)
 * and its parts: the Lasso over parities recovers a planted sparse
 * polynomial's terms from random samples; the bit encoding round-trips
 * every kind of parameter; a stage fixes the planted function's variables
 * to their best values, stores the decision where a second worker (or a
 * restarted one) reads it; sparse_bool60 reaches f* = -19.5 within 300
 * trials for a fixed seed; a space it cannot encode and a study of two
 * objectives are refused with a message naming why.
 */
#include "check.h"
#include "hpo.h"
#include "problems.h"
#include "samplers/harmonica.h"

/* ---- the Lasso ------------------------------------------------------------ */

enum { VARS = 20, ROWS = 120 };

/* The planted function: 3 x1 x5 - 2 x2 x7 x9 + 1.5 x4 - 0.5. */
static double planted(const signed char *x, int n, int i)
{
#define X(v) x[(v) * n + i]
    return 3.0 * X(1) * X(5) - 2.0 * X(2) * X(7) * X(9) + 1.5 * X(4) - 0.5;
#undef X
}

/* The monomial with exactly these variables (-1 padded), or -1. */
static int find_monomial(const harmonica_monomials *m, int a, int b, int c)
{
    for (int j = 0; j < m->n; j++) {
        const int *v = m->idx + (size_t)j * m->degree;
        if (v[0] == a && v[1] == b && v[2] == c)
            return j;
    }
    return -1;
}

static void random_rows(signed char *x, double *y, uint64_t seed)
{
    hpo__rng rng;
    hpo__rng_seed(&rng, seed);
    for (int i = 0; i < VARS * ROWS; i++)
        x[i] = hpo__rng_below(&rng, 2) ? 1 : -1;
    for (int i = 0; i < ROWS; i++)
        y[i] = planted(x, ROWS, i);
}

static void test_lasso_recovers_sparse_parities(void)
{
    static signed char x[VARS * ROWS];
    double y[ROWS];
    random_rows(x, y, 11);
    harmonica_monomials m;
    CHECK_RC(harmonica_monomials_init(&m, VARS, 3, 1000000), 0);
    CHECK(m.n == 20 + 190 + 1140);
    hpo__rng rng;
    hpo__rng_seed(&rng, 3);
    harmonica_data d = {ROWS, VARS, x, y};
    harmonica_fit fit;
    CHECK_RC(harmonica_lasso(&d, &m, NAN, 5, &rng, &fit), 0);
    int planted_j[3] = {find_monomial(&m, 1, 5, -1),
                        find_monomial(&m, 2, 7, 9),
                        find_monomial(&m, 4, -1, -1)};
    double want[3] = {3.0, -2.0, 1.5}, largest_other = 0;
    for (int k = 0; k < 3; k++) {
        CHECK(planted_j[k] >= 0);
        fprintf(stderr, "  planted %g, fitted %g\n", want[k],
                fit.coef[planted_j[k]]);
        /* The Lasso shrinks by lambda: within 10% on noise-free data. */
        CHECK_NEAR(fit.coef[planted_j[k]], want[k], 0.1 * fabs(want[k]));
    }
    for (int j = 0; j < m.n; j++)
        if (j != planted_j[0] && j != planted_j[1] && j != planted_j[2])
            largest_other = fmax(largest_other, fabs(fit.coef[j]));
    fprintf(stderr, "  largest other coefficient %g, intercept %g, lambda %g\n",
            largest_other, fit.intercept, fit.lambda);
    CHECK(largest_other < 0.2);
    CHECK_NEAR(fit.intercept, -0.5, 0.2);
    free(fit.coef);

    /* A given lambda; one above lambda_max leaves every term zero. */
    CHECK_RC(harmonica_lasso(&d, &m, 1e3, 5, &rng, &fit), 0);
    int nonzero = 0;
    for (int j = 0; j < m.n; j++)
        nonzero += fit.coef[j] != 0;
    CHECK(nonzero == 0);
    free(fit.coef);
    harmonica_monomials_free(&m);
}

/* ---- a stage's choice ------------------------------------------------------- */

static void test_choice_fixes_the_planted_variables(void)
{
    static signed char x[VARS * ROWS];
    double y[ROWS];
    random_rows(x, y, 12);
    harmonica_monomials m;
    CHECK_RC(harmonica_monomials_init(&m, VARS, 3, 1000000), 0);
    hpo__rng rng;
    hpo__rng_seed(&rng, 4);
    harmonica_data d = {ROWS, VARS, x, y};
    harmonica_fit fit;
    CHECK_RC(harmonica_lasso(&d, &m, NAN, 5, &rng, &fit), 0);
    harmonica_choice c;
    harmonica_choose(&m, &fit, 2, &c); /* the two largest: x1 x5, x2 x7 x9 */
    CHECK(c.n_top == 2);
    CHECK(c.n_fixed == 5);
    signed char value[VARS] = {0};
    for (int k = 0; k < c.n_fixed; k++) {
        CHECK(c.var[k] >= 0 && c.var[k] < VARS);
        value[c.var[k]] = c.value[k];
    }
    /* Minimizing: 3 x1 x5 -> -3 (x1 x5 = -1), -2 x2 x7 x9 -> -2 (= +1). */
    CHECK(value[1] != 0 && value[5] != 0 && value[1] * value[5] == -1);
    CHECK(value[2] * value[7] * value[9] == 1);
    CHECK(value[2] != 0 && value[7] != 0 && value[9] != 0);
    harmonica_choose(&m, &fit, 3, &c); /* and x4 -> -1 */
    CHECK(c.n_fixed == 6);
    for (int k = 0; k < c.n_fixed; k++)
        if (c.var[k] == 4)
            CHECK(c.value[k] == -1);
    free(fit.coef);
    harmonica_monomials_free(&m);
}

/* ---- the encoding --------------------------------------------------------- */

static void test_encoding_round_trips(void)
{
    static const char *const two[] = {"no", "yes"};
    static const char *const five[] = {"a", "b", "c", "d", "e"};
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_add_categorical(sp, "flag", two, 2), HPO_OK);
    CHECK_RC(hpo_space_add_categorical(sp, "letter", five, 5), HPO_OK);
    CHECK_RC(hpo_space_add_int(sp, "small", 0, 14, 2, 0), HPO_OK); /* 8 */
    CHECK_RC(hpo_space_add_int(sp, "wide", 1, 100, 1, 0), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "lr", 1e-4, 1, 0, HPO_LOG), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "frac", 0, 1, 0.25, 0), HPO_OK); /* 5 */
    hpo__msg msg = {0};
    harmonica_layout l;
    CHECK_RC(harmonica_layout_init(&l, sp, 4, &msg), HPO_OK);
    int want_bits[6] = {1, 3, 3, 4, 4, 3};
    for (int i = 0; i < 6; i++)
        CHECK(l.p[i].n_bits == want_bits[i]);
    CHECK(l.n_bits == 18);
    /* Every code decodes to a legal value that encodes back to it. */
    signed char x[18], y[18];
    hpo__rng rng;
    hpo__rng_seed(&rng, 5);
    for (int round = 0; round < 500; round++) {
        harmonica_draw(&l, NULL, &rng, x);
        for (int i = 0; i < 6; i++) {
            double v = harmonica_decode(&l, sp, i, x);
            CHECK(hpo__dist_contains(&sp->p[i].dist, v));
            CHECK_RC(harmonica_encode(&l, sp, i, v, y), 0);
            CHECK(harmonica_decode(&l, sp, i, y) == v);
        }
    }
    /* Every choice and every small int value has a code of its own. */
    for (int c = 0; c < 5; c++) {
        CHECK_RC(harmonica_encode(&l, sp, 1, c, y), 0);
        CHECK(harmonica_decode(&l, sp, 1, y) == c);
    }
    for (int v = 0; v <= 14; v += 2) {
        CHECK_RC(harmonica_encode(&l, sp, 2, v, y), 0);
        CHECK(harmonica_decode(&l, sp, 2, y) == v);
    }
    /* The levels of a spread axis include its ends; a value between
     * levels has no code. */
    signed char lo[4] = {-1, -1, -1, -1}, hi[4] = {1, 1, 1, 1};
    memcpy(x + l.p[4].offset, lo, 4);
    CHECK_NEAR(harmonica_decode(&l, sp, 4, x), 1e-4, 1e-12);
    memcpy(x + l.p[4].offset, hi, 4);
    CHECK_NEAR(harmonica_decode(&l, sp, 4, x), 1, 1e-12);
    CHECK_RC(harmonica_encode(&l, sp, 3, 2.0, y), -1);
    /* A fixed bit is held by every draw. */
    signed char fixed[18] = {0};
    fixed[0] = 1;
    fixed[1] = -1;
    for (int round = 0; round < 50; round++) {
        harmonica_draw(&l, fixed, &rng, x);
        CHECK(x[0] == 1 && x[1] == -1);
    }
    harmonica_layout_free(&l);

    /* numeric_bits=0: a numeric parameter is refused, by name. */
    CHECK_RC(harmonica_layout_init(&l, sp, 0, &msg), HPO_EUNSUPPORTED);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "'small'");
    hpo__msg_free(&msg);
    hpo_space_free(sp);
}

/* ---- through the public API ----------------------------------------------- */

static hpo_study *bool_study(const char *spec, uint64_t seed,
                             hpo_storage *st, const char *problem)
{
    const bench_problem *p = bench_problem_find(problem);
    hpo_study *s = hpo_study_new();
    hpo_space *space = hpo_space_new();
    CHECK_RC(bench_problem_define(p, space), HPO_OK);
    if (st)
        CHECK_RC(hpo_study_set_storage(s, st), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, space), HPO_OK);
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    CHECK_RC(hpo_study_open(s, problem, HPO_OPEN_CREATE | HPO_OPEN_LOAD), HPO_OK);
    hpo_space_free(space);
    return s;
}

static double run_trials(hpo_study *s, const char *problem, int n)
{
    hpo_optimize_options o = {.n_trials = n};
    int rc = hpo_study_optimize(s, bench_problem_objective,
                                (void *)bench_problem_find(problem), &o);
    if (rc != HPO_OK)
        fprintf(stderr, "  optimize: %s\n", hpo_study_errmsg(s));
    CHECK_RC(rc, HPO_OK);
    hpo_trial *best = NULL;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    double v = best ? hpo_trial_value(best, 0) : NAN;
    hpo_trial_free(best);
    return v;
}

static void test_sparse_bool60_within_300(void)
{
    hpo_study *s = bool_study("harmonica", 0, NULL, "sparse_bool60");
    double best = run_trials(s, "sparse_bool60", 300);
    fprintf(stderr, "  sparse_bool60, seed 0: best %g after 300 trials\n",
            best);
    CHECK(best == -19.5);
    /* The stages were stored, each fixing some bits. */
    for (int k = 0; k < 3; k++) {
        char key[64];
        snprintf(key, sizeof key, "hpo:harmonica:stage:%d", k);
        const char *json = hpo_study_system_attr(s, key);
        CHECK(json != NULL);
        if (json && k == 0)
            fprintf(stderr, "  %s = %s\n", key, json);
    }
    hpo_study_free(s);
}

/* The first stage on sparse_bool60 fixes the largest terms' variables,
 * minimizing them: b3 b17 = +1 and b8 b22 b41 = +1; a second study on the
 * same storage (another worker, or a restart) holds the same bits. */
static void test_stage_is_shared(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    const char *spec = "harmonica:samples=80,stages=1,monomials=2";
    hpo_study *a = bool_study(spec, 1, st, "sparse_bool60");
    run_trials(a, "sparse_bool60", 81);
    const char *json = hpo_study_system_attr(a, "hpo:harmonica:stage:0");
    CHECK(json != NULL);
    const char *f = json ? strstr(json, "\"fixed\": \"") : NULL;
    CHECK(f != NULL);
    if (f) {
        f += strlen("\"fixed\": \"");
        fprintf(stderr, "  stage 0 fixed: %.60s\n", f);
        int sign[60], n_fixed = 0;
        for (int b = 0; b < 60; b++) {
            sign[b] = f[b] == '+' ? 1 : f[b] == '-' ? -1 : 0;
            n_fixed += sign[b] != 0;
        }
        CHECK(n_fixed == 5);
        CHECK(sign[3] * sign[17] == 1);
        CHECK(sign[8] * sign[22] * sign[41] == 1);
        /* The second worker's trials hold them. */
        hpo_study *b = bool_study(spec, 2, st, "sparse_bool60");
        run_trials(b, "sparse_bool60", 10);
        hpo_trial **trials;
        int n;
        CHECK_RC(hpo_study_trials(b, &trials, &n), HPO_OK);
        CHECK(n == 91);
        for (int k = 81; k < n; k++) {
            double v3, v17;
            CHECK(hpo_trial_param(trials[k], "b3", &v3) == 1);
            CHECK(hpo_trial_param(trials[k], "b17", &v17) == 1);
            CHECK((v3 >= 0.5 ? 1 : -1) == sign[3]);
            CHECK((v17 >= 0.5 ? 1 : -1) == sign[17]);
        }
        hpo_trials_free(trials, n);
        hpo_study_free(b);
    }
    hpo_study_free(a);
    hpo_storage_close(st);
}

static void test_refusals(void)
{
    /* A float with numeric_bits=0: refused at the first ask, by name. */
    hpo_study *s = hpo_study_new();
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_add_float(sp, "rate", 0, 1, 0, 0), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_set_sampler(s, "harmonica:numeric_bits=0"), HPO_OK);
    CHECK_RC(hpo_study_open(s, "refused", HPO_OPEN_CREATE), HPO_OK);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EUNSUPPORTED);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "'rate'");
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "numeric_bits");
    hpo_trial_free(t);
    hpo_study_free(s);

    /* Two objectives. */
    s = hpo_study_new();
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_set_sampler(s, "harmonica"), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "two", HPO_OPEN_CREATE), HPO_OK);
    t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EUNSUPPORTED);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "one objective");
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo_space_free(sp);

    /* Options out of range. */
    s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "harmonica:degree=9"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "degree");
    CHECK_RC(hpo_study_set_sampler(s, "harmonica:base=cmaes"), HPO_EINVAL);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_lasso_recovers_sparse_parities);
    RUN(test_choice_fixes_the_planted_variables);
    RUN(test_encoding_round_trips);
    RUN(test_refusals);
    RUN(test_stage_is_shared);
    RUN(test_sparse_bool60_within_300);
    return CHECK_DONE();
}
