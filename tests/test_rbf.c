/*
 * test_rbf.c — the `rbf` sampler and its surrogate.  The surrogate: cubic
 * and thin-plate fits interpolate their data, reproduce a linear function
 * exactly (the tail), merge near-duplicate points keeping the lower value,
 * and survive points on a hyperplane.  DYCORS's rules: the radius halves
 * after failures and doubles after successes; the perturbation
 * probability decays.  Through the public API: branin within a small
 * regret in 60 trials on seeds 0-4; every kind of domain exactly legal and
 * a seeded run reproducible; parallel asks distinct; a define-by-run space
 * maximized; several objectives and bad options refused with a message.
 */
#include "check.h"
#include "hpo.h"
#include "study_helpers.h"
#include "mixed_domains.h"
#include "samplers/rbf_candidates.h"
#include "samplers/rbf_fit.h"

/* ---- the surrogate ------------------------------------------------------ */

static double lcg(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return ((*state >> 8) & 0xffffff) / (double)0x1000000;
}

static void test_fit_interpolates(void)
{
    enum { N = 25, D = 3 };
    double x[N * D], y[N];
    unsigned r = 7;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++)
            x[i * D + j] = lcg(&r);
        y[i] = sin(7 * x[i * D]) + x[i * D + 1] * x[i * D + 2] * 40;
    }
    for (int k = RBF_CUBIC; k <= RBF_THIN_PLATE; k++) {
        rbf_model m;
        CHECK_RC(rbf_fit(&m, (rbf_kernel)k, x, y, N, D, NULL), 0);
        CHECK(m.n == N && m.n_tail == D + 1);
        for (int i = 0; i < N; i++)
            CHECK_NEAR(rbf_eval(&m, x + i * D), y[i], 1e-8);
        /* From squared distances to the rows: the same value. */
        double u[D] = {0.3, 0.6, 0.2}, d2[N];
        for (int i = 0; i < N; i++) {
            d2[i] = 0;
            for (int j = 0; j < D; j++)
                d2[i] += (u[j] - x[i * D + j]) * (u[j] - x[i * D + j]);
        }
        CHECK_NEAR(rbf_eval_d2(&m, u, d2), rbf_eval(&m, u), 1e-9);
        rbf_model_free(&m);
    }
}

static void test_fit_reproduces_linear(void)
{
    enum { N = 12, D = 3 };
    double x[N * D], y[N], u[D];
    unsigned r = 3;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++)
            x[i * D + j] = lcg(&r);
        y[i] = 1 + 2 * x[i * D] - 3 * x[i * D + 1] + 0.5 * x[i * D + 2];
    }
    for (int k = RBF_CUBIC; k <= RBF_THIN_PLATE; k++) {
        rbf_model m;
        CHECK_RC(rbf_fit(&m, (rbf_kernel)k, x, y, N, D, NULL), 0);
        for (int t = 0; t < 20; t++) {
            for (int j = 0; j < D; j++)
                u[j] = 1.5 * lcg(&r) - 0.25; /* also outside the data */
            CHECK_NEAR(rbf_eval(&m, u), 1 + 2 * u[0] - 3 * u[1] + 0.5 * u[2],
                       1e-9);
        }
        /* The radial part is not needed: its weights vanish. */
        for (int i = 0; i < m.n; i++)
            CHECK_NEAR(m.lambda[i], 0, 1e-8);
        rbf_model_free(&m);
    }
}

/* A point given twice (a hair apart) with two values: one centre, the
 * lower value; and a coordinate masked out of the tail stays out. */
static void test_fit_duplicates_and_mask(void)
{
    double x[] = {0.1, 0.2, 0.9, 0.4, 0.5, 0.5, 0.3, 0.8, 0.1 + 1e-12, 0.2};
    double y[] = {5, 1, 2, 4, 3};
    unsigned char lin[] = {1, 0};
    rbf_model m;
    CHECK_RC(rbf_fit(&m, RBF_CUBIC, x, y, 5, 2, lin), 0);
    CHECK(m.n == 4);
    CHECK(m.n_tail == 2 && m.tail[0] == 0);
    CHECK_NEAR(rbf_eval(&m, x), 3, 1e-9);
    CHECK_NEAR(rbf_eval(&m, x + 2), 1, 1e-9);
    rbf_model_free(&m);
}

/* Points on a line in the plane are not unisolvent for a linear tail in
 * two coordinates: the fit falls back and still interpolates. */
static void test_fit_collinear(void)
{
    enum { N = 6 };
    double x[N * 2], y[N];
    for (int i = 0; i < N; i++) {
        x[2 * i] = x[2 * i + 1] = i / (double)(N - 1);
        y[i] = (i - 2.5) * (i - 2.5);
    }
    rbf_model m;
    CHECK_RC(rbf_fit(&m, RBF_CUBIC, x, y, N, 2, NULL), 0);
    for (int i = 0; i < N; i++)
        CHECK_NEAR(rbf_eval(&m, x + 2 * i), y[i], 1e-8);
    rbf_model_free(&m);
}

/* ---- DYCORS's rules ----------------------------------------------------- */

static void test_radius_rules(void)
{
    rbf_radius_rule rule = {0.2, 0.01, 0.4, 3, 2};
    double flat[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    /* 2 start-up values, then 8 failures: halved twice. */
    CHECK_NEAR(rbf_radius_replay(&rule, flat, 10, 2), 0.05, 1e-15);
    double falling[8] = {10, 9, 8, 7, 6, 5, 4, 3};
    /* 2 start-up, then 6 successes: doubled to the cap. */
    CHECK_NEAR(rbf_radius_replay(&rule, falling, 8, 2), 0.4, 1e-15);
    double many[40];
    for (int i = 0; i < 40; i++)
        many[i] = 1;
    CHECK_NEAR(rbf_radius_replay(&rule, many, 40, 0), 0.01, 1e-15);
    /* The probability decays from min(20/d, 1) towards 1/d. */
    double p0 = rbf_perturb_probability(10, 10, 100, 40);
    double p1 = rbf_perturb_probability(50, 10, 100, 40);
    double p2 = rbf_perturb_probability(500, 10, 100, 40);
    CHECK_NEAR(p0, 0.5, 1e-12);
    CHECK(p1 < p0 && p1 > 1.0 / 40);
    CHECK_NEAR(p2, 1.0 / 40, 1e-12);
}

/* ---- through the API --------------------------------------------------- */

static hpo_study *rbf_study(const char *spec, uint64_t seed,
                            const hpo_space *sp)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    if (sp)
        CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_open(s, "rbf-test", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static int branin_objective(hpo_trial *t, void *data, double *values)
{
    (void)data;
    int rc = hpo_trial_suggest_all(t);
    if (rc)
        return rc;
    double x1 = param(t, "x1"), x2 = param(t, "x2");
    CHECK(x1 >= -5 && x1 <= 10 && x2 >= 0 && x2 <= 15);
    double b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, r = 1 / (8 * M_PI);
    double u = x2 - b * x1 * x1 + c * x1 - 6;
    values[0] = u * u + 10 * (1 - r) * cos(x1) + 10;
    return HPO_OK;
}

static double branin_regret(const char *spec, uint64_t seed, int n_trials)
{
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(sp, "x1=float:-5:10"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(sp, "x2=float:0:15"), HPO_OK);
    hpo_study *s = rbf_study(spec, seed, sp);
    hpo_optimize_options o = {.n_trials = n_trials};
    CHECK_RC(hpo_study_optimize(s, branin_objective, NULL, &o), HPO_OK);
    double regret = best_value(s) - BRANIN_MIN;
    hpo_study_free(s);
    hpo_space_free(sp);
    return regret;
}

static void test_branin_within_budget(void)
{
    const char *const specs[] = {"rbf", "rbf:kernel=thin_plate"};
    for (int k = 0; k < 2; k++) {
        double r[5], rnd[5];
        for (int seed = 0; seed < 5; seed++) {
            r[seed] = branin_regret(specs[k], (uint64_t)seed, 60);
            rnd[seed] = branin_regret("random", (uint64_t)seed, 60);
        }
        double m = median(r, 5), m_rnd = median(rnd, 5);
        fprintf(stderr, "  branin regret after 60 trials, median of 5: %s "
                        "%g, random %g\n", specs[k], m, m_rnd);
        CHECK(m < 0.01);
        CHECK(m < m_rnd / 10);
    }
}

/* Every kind of domain (mixed_domains.h); a seed repeats the run bit for
 * bit. */
#define MIXED_TRIALS 40

static double mixed(uint64_t seed, double out[MIXED_TRIALS][MIXED_PARAMS])
{
    hpo_space *sp = mixed_space();
    hpo_study *s = rbf_study("rbf", seed, sp);
    double best = mixed_run(s, MIXED_TRIALS, out);
    hpo_study_free(s);
    hpo_space_free(sp);
    return best;
}

static void test_domains_and_reproducibility(void)
{
    static double a[MIXED_TRIALS][MIXED_PARAMS], b[MIXED_TRIALS][MIXED_PARAMS],
        c[MIXED_TRIALS][MIXED_PARAMS];
    double best_a = mixed(5, a);
    mixed(5, b);
    double best_c = mixed(6, c);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(memcmp(a, c, sizeof a) != 0);
    fprintf(stderr, "  mixed space, best of %d trials: %g %g\n", MIXED_TRIALS,
            best_a, best_c);
    /* Random search's best of 30 trials for these seeds: 2.35, 2.66. */
    CHECK(best_a + best_c < 2 * 1.5);
}

/* After the initial design, batches of asks before any tell: every pair
 * of running trials apart (in a space of ints, where a perturbation that
 * rounds back would propose the same point twice). */
static void test_parallel_asks_distinct(void)
{
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(sp, "a=int:0:6"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(sp, "b=int:0:6"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(sp, "x=float:0:1"), HPO_OK);
    hpo_study *s = rbf_study("rbf", 11, sp);
    enum { BATCH = 5 };
    int same = 0;
    for (int round = 0; round < 8; round++) {
        int k = round == 0 ? 12 : BATCH; /* the initial design first */
        hpo_trial *t[12];
        double v[12][3];
        for (int i = 0; i < k; i++) {
            CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
            CHECK_RC(hpo_trial_suggest_all(t[i]), HPO_OK);
            v[i][0] = param(t[i], "a");
            v[i][1] = param(t[i], "b");
            v[i][2] = param(t[i], "x");
            CHECK(v[i][0] == floor(v[i][0]) && v[i][1] == floor(v[i][1]));
            if (round == 0) { /* told one at a time */
                double y = pow(v[i][0] - 3, 2) + pow(v[i][1] - 2, 2) + v[i][2];
                CHECK_RC(hpo_study_tell(s, t[i], HPO_COMPLETE, &y, 1), HPO_OK);
                hpo_trial_free(t[i]);
            }
        }
        for (int i = 0; round > 0 && i < k; i++)
            for (int j = 0; j < i; j++)
                same += fabs(v[i][0] - v[j][0]) + fabs(v[i][1] - v[j][1]) +
                            fabs(v[i][2] - v[j][2]) < 1e-3;
        for (int i = 0; round > 0 && i < k; i++) {
            double y = pow(v[i][0] - 3, 2) + pow(v[i][1] - 2, 2) + v[i][2];
            CHECK_RC(hpo_study_tell(s, t[i], HPO_COMPLETE, &y, 1), HPO_OK);
            hpo_trial_free(t[i]);
        }
    }
    CHECK(same == 0);
    CHECK(best_value(s) < 0.05);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* No declared space, maximized: the joint space is inferred from the
 * trials, and the sampler climbs. */
static int peak(hpo_trial *t, void *data, double *values)
{
    (void)data;
    double x = NAN, lr = NAN;
    int64_t n = 0;
    int rc = hpo_trial_suggest_float(t, "x", -3, 3, 0, 0, &x);
    if (rc == HPO_OK)
        rc = hpo_trial_suggest_float(t, "lr", 1e-5, 1, 0, HPO_LOG, &lr);
    if (rc == HPO_OK)
        rc = hpo_trial_suggest_int(t, "n", 1, 50, 1, 0, &n);
    values[0] = -(x - 1) * (x - 1) - pow(log10(lr) + 3, 2) -
                pow((double)(n - 20) / 10.0, 2);
    return rc;
}

static void test_define_by_run_maximize(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "rbf"), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 3), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MAXIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "rbf-max", HPO_OPEN_CREATE), HPO_OK);
    hpo_optimize_options o = {.n_trials = 50};
    CHECK_RC(hpo_study_optimize(s, peak, NULL, &o), HPO_OK);
    double best = best_value(s);
    fprintf(stderr, "  define-by-run, maximized: best of 50 %g (max 0)\n",
            best);
    CHECK(best > -0.05 && best <= 0);
    hpo_study_free(s);
}

static void test_refusals(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "rbf:weights=0.5/2"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "weights");
    CHECK_RC(hpo_study_set_sampler(s, "rbf:weights="), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "rbf:sigma_min=0.3"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "sigma_min");
    CHECK_RC(hpo_study_set_sampler(s, "rbf:kernel=gaussian"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "kernel");
    hpo_study_free(s);

    /* Two objectives: refused once the surrogate would be used. */
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(sp, "x=float:0:1"), HPO_OK);
    s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "rbf"), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "rbf-mo", HPO_OPEN_CREATE), HPO_OK);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EUNSUPPORTED);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "one objective");
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo_space_free(sp);
}

int main(void)
{
    RUN(test_fit_interpolates);
    RUN(test_fit_reproduces_linear);
    RUN(test_fit_duplicates_and_mask);
    RUN(test_fit_collinear);
    RUN(test_radius_rules);
    RUN(test_branin_within_budget);
    RUN(test_domains_and_reproducibility);
    RUN(test_parallel_asks_distinct);
    RUN(test_define_by_run_maximize);
    RUN(test_refusals);
    return CHECK_DONE();
}
