/*
 * test_qmc.c — the qmc sampler through the public API: values inside their
 * domains, stratified like Sobol points, reproducible from the seed alone,
 * one point per trial number however many workers ask.
 */
#include "check.h"
#include "hpo.h"

#define N_TRIALS 64

/* x: float [-5, 5]; lr: log float [1e-5, 1e-1]; n: int [1, 10]. */
static hpo_space *three_param_space(void)
{
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_add_float(sp, "x", -5, 5, 0, 0), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "lr", 1e-5, 1e-1, 0, HPO_LOG), HPO_OK);
    CHECK_RC(hpo_space_add_int(sp, "n", 1, 10, 1, 0), HPO_OK);
    return sp;
}

static hpo_study *qmc_study(const char *spec, uint64_t seed,
                            const hpo_space *sp)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    if (sp)
        CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_open(s, "qmc-test", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

typedef struct point {
    double x, lr, n;
} point;

static point read_point(const hpo_trial *t)
{
    point p = {NAN, NAN, NAN};
    CHECK(hpo_trial_param(t, "x", &p.x) == 1);
    CHECK(hpo_trial_param(t, "lr", &p.lr) == 1);
    CHECK(hpo_trial_param(t, "n", &p.n) == 1);
    return p;
}

/* Ask n trials one by one, suggest the whole space, tell them complete. */
static void ask_points(hpo_study *s, int n, point *out)
{
    for (int k = 0; k < n; k++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        if (!t)
            return;
        CHECK(hpo_trial_number(t) == k);
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        out[k] = read_point(t);
        double v = out[k].x;
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
        hpo_trial_free(t);
    }
}

static int in_domain(point p)
{
    return p.x >= -5 && p.x <= 5 && p.lr >= 1e-5 && p.lr <= 1e-1 &&
           p.n >= 1 && p.n <= 10 && p.n == floor(p.n);
}

/* 2^m Sobol points put exactly one point into each of 2^m equal bins of
 * every coordinate; a pseudo-random sampler would almost never do that.
 * (The nudge keeps unscrambled points, which sit on bin edges, in their
 * bin after a log/exp round trip.) */
static int one_per_bin(const double *u, int n)
{
    unsigned char hit[N_TRIALS] = {0};
    for (int k = 0; k < n; k++) {
        int b = (int)floor(u[k] * n + 1e-9);
        if (b < 0 || b >= n || hit[b]++)
            return 0;
    }
    return 1;
}

static void check_stratified(const point *p, int n)
{
    double ux[N_TRIALS], ulr[N_TRIALS];
    int count_n[11] = {0};
    for (int k = 0; k < n; k++) {
        ux[k] = (p[k].x + 5) / 10;
        ulr[k] = (log(p[k].lr) - log(1e-5)) / (log(1e-1) - log(1e-5));
        if (p[k].n >= 1 && p[k].n <= 10)
            count_n[(int)p[k].n]++;
    }
    CHECK(one_per_bin(ux, n));
    CHECK(one_per_bin(ulr, n));
    /* A tenth of [0,1) spans 6.4 of the 64 strata, one point each: the
     * 5 or 6 strata wholly inside plus at most 2 cut at its edges. */
    for (int v = 1; v <= 10; v++)
        CHECK(count_n[v] >= 5 && count_n[v] <= 8);
}

static void test_values_in_domain_and_stratified(void)
{
    hpo_space *sp = three_param_space();
    hpo_study *s = qmc_study("qmc", 42, sp);
    point p[N_TRIALS];
    ask_points(s, N_TRIALS, p);
    int outside = 0;
    for (int k = 0; k < N_TRIALS; k++)
        outside += !in_domain(p[k]);
    CHECK(outside == 0);
    check_stratified(p, N_TRIALS);
    hpo_study_free(s);
    hpo_space_free(sp);
}

static int same_points(const point *a, const point *b, int n)
{
    for (int k = 0; k < n; k++)
        if (a[k].x != b[k].x || a[k].lr != b[k].lr || a[k].n != b[k].n)
            return 0;
    return 1;
}

/* Two studies with one seed give trial k the same point; another seed
 * another point. */
static void test_deterministic_for_seed(void)
{
    hpo_space *sp = three_param_space();
    hpo_study *a = qmc_study("qmc", 7, sp);
    hpo_study *b = qmc_study("qmc:scramble=true", 7, sp);
    hpo_study *c = qmc_study("qmc", 8, sp);
    point pa[16], pb[16], pc[16];
    ask_points(a, 16, pa);
    ask_points(b, 16, pb);
    ask_points(c, 16, pc);
    CHECK(same_points(pa, pb, 16));
    CHECK(!same_points(pa, pc, 16));
    hpo_study_free(a);
    hpo_study_free(b);
    hpo_study_free(c);
    hpo_space_free(sp);
}

/* Unscrambled, trial 0 is the origin of the unit cube and trial 1 its
 * centre: the lowest values, then the middle ones. */
static void test_unscrambled_starts_at_origin(void)
{
    hpo_space *sp = three_param_space();
    hpo_study *a = qmc_study("qmc:scramble=false", 1, sp);
    hpo_study *b = qmc_study("qmc:scramble=false", 2, sp);
    point pa[N_TRIALS], pb[N_TRIALS];
    ask_points(a, N_TRIALS, pa);
    ask_points(b, N_TRIALS, pb);
    CHECK(pa[0].x == -5 && pa[0].n == 1);
    CHECK_NEAR(pa[0].lr, 1e-5, 1e-18);
    CHECK(pa[1].x == 0 && pa[1].n == 6);
    CHECK_NEAR(pa[1].lr, 1e-3, 1e-15);
    /* Without scrambling the seed does not matter. */
    CHECK(same_points(pa, pb, N_TRIALS));
    check_stratified(pa, N_TRIALS);
    hpo_study_free(a);
    hpo_study_free(b);
    hpo_space_free(sp);
}

static int objective(hpo_trial *t, void *data, double *values)
{
    int rc = hpo_trial_suggest_all(t);
    if (rc != HPO_OK)
        return rc;
    double x = NAN;
    hpo_trial_param(t, "x", &x);
    values[0] = x * x;
    return HPO_OK;
}

/* Four threads: every trial number gets its own point, the one a single
 * worker would have given it. */
static void test_four_jobs_never_share_a_point(void)
{
    hpo_space *sp = three_param_space();
    hpo_study *s = qmc_study("qmc", 99, sp);
    hpo_optimize_options o = {.n_trials = N_TRIALS, .n_jobs = 4};
    CHECK_RC(hpo_study_optimize(s, objective, NULL, &o), HPO_OK);
    hpo_trial **trials = NULL;
    int n = 0;
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    CHECK(n == N_TRIALS);
    point by_number[N_TRIALS];
    int seen[N_TRIALS] = {0};
    for (int i = 0; i < n && i < N_TRIALS; i++) {
        int k = hpo_trial_number(trials[i]);
        CHECK(k >= 0 && k < N_TRIALS);
        if (k < 0 || k >= N_TRIALS)
            continue;
        seen[k]++;
        by_number[k] = read_point(trials[i]);
    }
    int missing = 0, shared = 0;
    for (int k = 0; k < N_TRIALS; k++) {
        missing += seen[k] != 1;
        for (int j = 0; j < k; j++)
            if (seen[j] && seen[k] && by_number[j].x == by_number[k].x &&
                by_number[j].lr == by_number[k].lr)
                shared++;
    }
    CHECK(missing == 0);
    CHECK(shared == 0);
    if (missing == 0) {
        check_stratified(by_number, N_TRIALS);
        hpo_study *single = qmc_study("qmc", 99, sp);
        point p[N_TRIALS];
        ask_points(single, N_TRIALS, p);
        CHECK(same_points(p, by_number, N_TRIALS));
        hpo_study_free(single);
    }
    hpo_trials_free(trials, n);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* Categoricals get equal shares; a conditional parameter is absent when
 * its condition does not hold. */
static void test_categorical_and_condition(void)
{
    static const char *const kinds[4] = {"a", "b", "c", "d"};
    static const char *const only_a[1] = {"a"};
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_add_categorical(sp, "kind", kinds, 4), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "y", 0, 1, 0, 0), HPO_OK);
    CHECK_RC(hpo_space_set_condition(sp, "y", "kind", only_a, 1), HPO_OK);
    hpo_study *s = qmc_study("qmc", 5, sp);
    int count[4] = {0}, y_present = 0, y_wrong = 0;
    for (int k = 0; k < N_TRIALS; k++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        if (!t)
            break;
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        double kind = NAN, y;
        CHECK(hpo_trial_param(t, "kind", &kind) == 1);
        if (kind >= 0 && kind < 4)
            count[(int)kind]++;
        if (hpo_trial_param(t, "y", &y)) {
            y_present++;
            y_wrong += kind != 0 || !(y >= 0 && y <= 1);
        }
        double v = 0;
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
        hpo_trial_free(t);
    }
    /* Categoricals are drawn at random (qmc.c, deviation 4): each share is
     * within five standard deviations of a quarter. */
    double sd = sqrt(N_TRIALS * 0.25 * 0.75);
    for (int c = 0; c < 4; c++)
        CHECK(fabs(count[c] - N_TRIALS / 4.0) < 5 * sd);
    CHECK(y_present == count[0]);
    CHECK(y_wrong == 0);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* Without a declared space every parameter is sampled uniformly. */
static void test_no_space_samples_uniformly(void)
{
    hpo_study *s = qmc_study("qmc", 3, NULL);
    int outside = 0;
    double sum = 0;
    for (int k = 0; k < 200; k++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        if (!t)
            break;
        double x = NAN;
        CHECK_RC(hpo_trial_suggest_float(t, "x", 2, 4, 0, 0, &x), HPO_OK);
        outside += !(x >= 2 && x <= 4);
        sum += x;
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &x, 1), HPO_OK);
        hpo_trial_free(t);
    }
    CHECK(outside == 0);
    CHECK_NEAR(sum / 200, 3, 0.2);
    hpo_study_free(s);
}

static void test_bad_options(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "qmc:scramble=maybe"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "scramble");
    CHECK_RC(hpo_study_set_sampler(s, "qmc:scrmable=false"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "scrmable");
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_values_in_domain_and_stratified);
    RUN(test_deterministic_for_seed);
    RUN(test_unscrambled_starts_at_origin);
    RUN(test_four_jobs_never_share_a_point);
    RUN(test_categorical_and_condition);
    RUN(test_no_space_samples_uniformly);
    RUN(test_bad_options);
    return CHECK_DONE();
}
