/*
 * test_importance.c — parameter importance (src/analysis), on cases whose
 * answer is known by hand:
 *   - y depends on one feature only: it gets (nearly) all the importance;
 *   - y = a x1 + b x2 (separable, uniform x): the shares are
 *     a^2 : b^2 of the variance, and two additive steps likewise;
 *   - a categorical that decides y, and one that matters in no choice;
 *   - a log-scaled parameter, measured in log space;
 * for fANOVA (shares) and PED-ANOVA (rankings); then through a study:
 * sorted names, maximisation, several objectives, too few trials, a
 * conditional parameter left out, the trial cap, and bad options.
 */
#include <stdint.h>

#include "check.h"
#include "hpo.h"

enum { N = 1000, D = 3 };

static double unit(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

static hpo_importance_options opts(hpo_importance_method m)
{
    hpo_importance_options o;
    hpo_importance_options_default(&o);
    o.method = m;
    o.seed = 7;
    return o;
}

static void random_x(double *x, int n, int dim, uint64_t seed)
{
    for (int i = 0; i < n * dim; i++)
        x[i] = unit(&seed);
}

static void test_one_feature_decides(void)
{
    static double x[N * D], y[N];
    random_x(x, N, D, 1);
    for (int i = 0; i < N; i++)
        y[i] = (x[i * D + 1] - 0.3) * (x[i * D + 1] - 0.3);
    for (int m = HPO_FANOVA; m <= HPO_PED_ANOVA; m++) {
        hpo_importance_options o = opts((hpo_importance_method)m);
        double imp[D];
        CHECK_RC(hpo_importance_of(x, y, N, D, NULL, &o, imp), HPO_OK);
        CHECK(imp[1] > 0.9);
        CHECK_NEAR(imp[0] + imp[1] + imp[2], 1, 1e-12);
    }
}

/* Var(a U) = a^2 / 12: with a = 2, b = 1 the shares are 0.8 and 0.2. */
static void test_separable_linear_shares(void)
{
    static double x[N * D], y[N];
    random_x(x, N, D, 2);
    for (int i = 0; i < N; i++)
        y[i] = 2 * x[i * D] + x[i * D + 1];
    hpo_importance_options o = opts(HPO_FANOVA);
    double imp[D];
    CHECK_RC(hpo_importance_of(x, y, N, D, NULL, &o, imp), HPO_OK);
    CHECK_NEAR(imp[0], 0.8, 0.04);
    CHECK_NEAR(imp[1], 0.2, 0.04);
    CHECK(imp[2] < 0.02);
    o = opts(HPO_PED_ANOVA);
    CHECK_RC(hpo_importance_of(x, y, N, D, NULL, &o, imp), HPO_OK);
    CHECK(imp[0] > imp[1] && imp[1] > imp[2]);
}

/* 2 [x1 > 0.5] + [x2 > 0.5] on a grid: variances 1 and 1/4, no
 * interaction, so fANOVA's shares are 0.8 and 0.2 up to where the trees
 * put their thresholds between two grid points. */
static void test_additive_steps(void)
{
    enum { G = 20 };
    static double x[G * G * 2], y[G * G];
    for (int a = 0; a < G; a++)
        for (int b = 0; b < G; b++) {
            int i = a * G + b;
            x[2 * i] = (a + 0.5) / G;
            x[2 * i + 1] = (b + 0.5) / G;
            y[i] = 2.0 * (x[2 * i] > 0.5) + (x[2 * i + 1] > 0.5);
        }
    hpo_importance_options o = opts(HPO_FANOVA);
    double imp[2];
    CHECK_RC(hpo_importance_of(x, y, G * G, 2, NULL, &o, imp), HPO_OK);
    CHECK_NEAR(imp[0], 0.8, 0.03);
    CHECK_NEAR(imp[1], 0.2, 0.03);
}

/* Feature 0 a categorical of 4 choices that sets y (choice 2 is the odd
 * one: no order of the indices explains it); feature 1 numeric noise-free
 * but small; feature 2 a categorical y ignores. */
static void test_categorical_decides(void)
{
    static double x[N * D], y[N];
    static const double effect[4] = {0, 1, 5, 0.5};
    int n_cat[D] = {4, 0, 3};
    uint64_t s = 3;
    for (int i = 0; i < N; i++) {
        x[i * D] = (int)(unit(&s) * 4);
        x[i * D + 1] = unit(&s);
        x[i * D + 2] = (int)(unit(&s) * 3);
        y[i] = effect[(int)x[i * D]] + 0.1 * x[i * D + 1];
    }
    for (int m = HPO_FANOVA; m <= HPO_PED_ANOVA; m++) {
        hpo_importance_options o = opts((hpo_importance_method)m);
        double imp[D];
        CHECK_RC(hpo_importance_of(x, y, N, D, n_cat, &o, imp), HPO_OK);
        /* PED-ANOVA asks what puts a trial in the best 10%: choice 0 (a
         * quarter of them), then a small x1 within it, so x1 counts too. */
        CHECK(imp[0] > (m == HPO_FANOVA ? 0.9 : 0.6));
        CHECK(imp[0] > imp[1]);
        CHECK(imp[2] < 0.05);
    }
}

static void test_matrix_refusals(void)
{
    double x[4] = {0.1, 0.2, 1.5, 0.3}, y[2] = {1, 2}, imp[2];
    hpo_importance_options o = opts(HPO_FANOVA);
    CHECK_RC(hpo_importance_of(x, y, 2, 2, NULL, &o, imp), HPO_EINVAL);
    x[2] = 0.5;
    CHECK_RC(hpo_importance_of(x, y, 1, 2, NULL, &o, imp), HPO_EINVAL);
    o = opts(HPO_PED_ANOVA);
    o.target_quantile = 0.5;
    o.region_quantile = 0.4;
    CHECK_RC(hpo_importance_of(x, y, 2, 2, NULL, &o, imp), HPO_EINVAL);
    CHECK_RC(hpo_importance_of(x, y, 2, 2, NULL, NULL, imp), HPO_OK);
}

/* ---- through a study ------------------------------------------------------- */

typedef struct spec {
    int maximize, two_objectives, conditional;
} spec;

static hpo_study *open_study(const spec *sp)
{
    hpo_study *s = hpo_study_new();
    hpo_study_set_sampler(s, "random");
    hpo_study_set_seed(s, 11);
    hpo_study_add_direction(s, sp->maximize ? HPO_MAXIMIZE : HPO_MINIMIZE);
    if (sp->two_objectives)
        hpo_study_add_direction(s, HPO_MINIMIZE);
    CHECK_RC(hpo_study_open(s, "imp", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

/* lr log-uniform on [1e-5, 1e-1]: y = log10(lr) is linear in the unit
 * encoding, so lr explains it all; on the raw scale it would look like a
 * step near the low end.  units (an int) and kernel (a categorical) are
 * ignored; "extra" exists only for kernel == "rbf". */
static void run_trials(hpo_study *s, const spec *sp, int n)
{
    static const char *const kernels[] = {"linear", "rbf"};
    for (int i = 0; i < n; i++) {
        hpo_trial *t;
        double lr, extra;
        int64_t units;
        int k;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr);
        hpo_trial_suggest_int(t, "units", 1, 8, 1, 0, &units);
        hpo_trial_suggest_categorical(t, "kernel", kernels, 2, &k);
        if (sp->conditional && k == 1)
            hpo_trial_suggest_float(t, "extra", 0, 1, 0, 0, &extra);
        double v[2] = {log10(lr) + 0.01 * units, (double)units};
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, 1 + sp->two_objectives),
                 HPO_OK);
        hpo_trial_free(t);
    }
}

static void test_study_log_scale_sorted(void)
{
    for (int maximize = 0; maximize <= 1; maximize++) {
        spec sp = {maximize, 0, 1};
        hpo_study *s = open_study(&sp);
        run_trials(s, &sp, 300);
        for (int m = HPO_FANOVA; m <= HPO_PED_ANOVA; m++) {
            hpo_importance_options o = opts((hpo_importance_method)m);
            hpo_importance *imp;
            int n;
            CHECK_RC(hpo_study_importance(s, &o, &imp, &n), HPO_OK);
            CHECK(n == 3); /* "extra" is conditional: left out */
            CHECK(n > 0 && strcmp(imp[0].name, "lr") == 0);
            CHECK(n > 0 && imp[0].value > (m == HPO_FANOVA ? 0.95 : 0.8));
            for (int i = 1; i < n; i++)
                CHECK(imp[i - 1].value >= imp[i].value);
            hpo_importance_free(imp, n);
        }
        hpo_study_free(s);
    }
}

static void test_study_refusals(void)
{
    spec sp = {0, 1, 0};
    hpo_study *s = open_study(&sp);
    hpo_importance *imp = NULL;
    int n = -1;
    hpo_importance_options o = opts(HPO_FANOVA);
    run_trials(s, &sp, 1);
    o.objective = 0;
    CHECK_RC(hpo_study_importance(s, &o, &imp, &n), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "at least 2 COMPLETE trials");
    CHECK(imp == NULL && n == 0);
    run_trials(s, &sp, 20);
    o.objective = -1;
    CHECK_RC(hpo_study_importance(s, &o, &imp, &n), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "has 2 objectives");
    o.objective = 2;
    CHECK_RC(hpo_study_importance(s, &o, &imp, &n), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "out of range");
    /* The second objective is `units` itself. */
    o.objective = 1;
    CHECK_RC(hpo_study_importance(s, &o, &imp, &n), HPO_OK);
    CHECK(n == 3 && strcmp(imp[0].name, "units") == 0);
    hpo_importance_free(imp, n);
    hpo_study_free(s);
}

/* Above the cap fANOVA fits a seeded subset: the same answer twice, and
 * still the right one. */
static void test_study_trial_cap(void)
{
    spec sp = {0, 0, 0};
    hpo_study *s = open_study(&sp);
    run_trials(s, &sp, 200);
    hpo_importance_options o = opts(HPO_FANOVA);
    o.max_trials = 50;
    hpo_importance *a, *b;
    int na, nb;
    CHECK_RC(hpo_study_importance(s, &o, &a, &na), HPO_OK);
    CHECK_RC(hpo_study_importance(s, &o, &b, &nb), HPO_OK);
    CHECK(na == nb && na == 3 && strcmp(a[0].name, "lr") == 0);
    for (int i = 0; i < na && i < nb; i++)
        CHECK(a[i].value == b[i].value && strcmp(a[i].name, b[i].name) == 0);
    hpo_importance_free(a, na);
    hpo_importance_free(b, nb);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_one_feature_decides);
    RUN(test_separable_linear_shares);
    RUN(test_additive_steps);
    RUN(test_categorical_decides);
    RUN(test_matrix_refusals);
    RUN(test_study_log_scale_sorted);
    RUN(test_study_refusals);
    RUN(test_study_trial_cap);
    return CHECK_DONE();
}
