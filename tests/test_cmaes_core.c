/* test_cmaes_core.c — the CMA-ES core (src/samplers/cmaes_*.c): convergence
 * on a rotated ellipsoid, sep-CMA on a separable one, termination tests,
 * IPOP / BIPOP restart bookkeeping, and the JSON round trip. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "samplers/cmaes_core.h"

#define N 10
#define SEP_BOUND 4000

static double rot[N * N], opt[N];

/* A random orthogonal matrix (Gram-Schmidt on normal draws) and an optimum
 * inside the cube, both fixed by the seed. */
static void make_problem(uint64_t seed)
{
    hpo__rng rng;
    hpo__rng_seed(&rng, seed);
    for (int i = 0; i < N * N; i++)
        rot[i] = hpo__rng_normal(&rng);
    for (int r = 0; r < N; r++) {
        double *v = rot + r * N;
        for (int q = 0; q < r; q++) {
            double d = 0;
            for (int i = 0; i < N; i++)
                d += v[i] * rot[q * N + i];
            for (int i = 0; i < N; i++)
                v[i] -= d * rot[q * N + i];
        }
        double s = 0;
        for (int i = 0; i < N; i++)
            s += v[i] * v[i];
        for (int i = 0; i < N; i++)
            v[i] /= sqrt(s);
    }
    for (int i = 0; i < N; i++)
        opt[i] = 0.3 + 0.4 * hpo__rng_uniform(&rng);
}

/* Ellipsoid with condition 1e6, rotated (rotate 1) or not. */
static double ellipsoid(const double *x, int n, int rotate)
{
    double f = 0;
    for (int r = 0; r < n; r++) {
        double z = 0;
        if (rotate)
            for (int i = 0; i < n; i++)
                z += rot[r * N + i] * (x[i] - opt[i]);
        else
            z = x[r] - opt[r];
        f += pow(1e6, (double)r / (n - 1)) * z * z;
    }
    return f;
}

/* Run until f < target or max_evals; the evaluations spent (or -1). */
static long run_to(hpo__cmaes *es, hpo__rng *rng, int rotate, double target,
                   long max_evals)
{
    hpo__msg m = {0};
    double f[64];
    int reached = 0;
    while (!reached && es->evaluations < max_evals) {
        CHECK_RC(hpo__cmaes_ask(es, NULL, rng, &m), HPO_OK);
        double best = HUGE_VAL;
        for (int k = 0; k < es->lambda; k++) {
            f[k] = ellipsoid(es->x + k * es->n, es->n, rotate);
            best = fmin(best, f[k]);
        }
        CHECK_RC(hpo__cmaes_tell(es, f, &m), HPO_OK);
        reached = best < target;
    }
    hpo__msg_free(&m);
    return reached ? es->evaluations : -1;
}

/* Measured (seeds 1-5): 3,660-4,290 evaluations (median 3,980); the bound
 * of 6,000 leaves 40% margin. */
static void test_rotated_ellipsoid(void)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        hpo__cmaes es;
        hpo__rng rng;
        hpo__msg m = {0};
        make_problem(seed);
        hpo__rng_seed(&rng, 100 + seed);
        CHECK_RC(hpo__cmaes_init(&es, N, NULL, 0.3, 0, 0, &m), HPO_OK);
        CHECK(es.lambda == 10 && es.mu == 5);
        long evals = run_to(&es, &rng, 1, 1e-10, 20000);
        fprintf(stderr, "rotated ellipsoid seed %d: %ld evaluations\n", (int)seed, evals);
        CHECK(evals > 0 && evals <= 6000);
        hpo__cmaes_free(&es);
        hpo__msg_free(&m);
    }
}

/* sep-CMA (Ros & Hansen 2008) on the axis-parallel ellipsoid, beside the
 * full CMA-ES.  Measured (seeds 1-5): sep 2,390-2,810 evaluations, full
 * 3,950-4,410; sep's bound (SEP_BOUND, 4,000) leaves 40% margin. */
static void test_separable_ellipsoid(void)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        long spent[2];
        make_problem(seed);
        for (int sep = 0; sep <= 1; sep++) {
            hpo__cmaes es;
            hpo__rng rng;
            hpo__msg m = {0};
            hpo__rng_seed(&rng, 200 + seed);
            CHECK_RC(hpo__cmaes_init(&es, N, NULL, 0.3, 0, sep, &m), HPO_OK);
            spent[sep] = run_to(&es, &rng, 0, 1e-10, 20000);
            hpo__cmaes_free(&es);
            hpo__msg_free(&m);
        }
        fprintf(stderr, "separable ellipsoid seed %d: full %ld, sep %ld evaluations\n",
                (int)seed, spent[0], spent[1]);
        CHECK(spent[1] > 0 && spent[1] <= SEP_BOUND);
        CHECK(spent[1] < spent[0]);
    }
}

static double flat(const double *x, int n, hpo__rng *rng)
{
    (void)x; (void)n; (void)rng;
    return 1.0;
}

/* Values that ignore x: no generation is better than another. */
static double noise(const double *x, int n, hpo__rng *rng)
{
    (void)x; (void)n;
    return hpo__rng_uniform(rng);
}

/* Run until a termination test fires; its reason (RUN after max_gen). */
static hpo__cmaes_stop_reason run_until_stop(hpo__cmaes *es, hpo__rng *rng,
                                             double (*fn)(const double *, int, hpo__rng *),
                                             int max_gen)
{
    hpo__msg m = {0};
    double *f = malloc((size_t)es->lambda * sizeof *f);
    hpo__cmaes_stop_reason why = HPO__CMAES_RUN;
    for (int g = 0; g < max_gen && why == HPO__CMAES_RUN; g++) {
        CHECK_RC(hpo__cmaes_ask(es, NULL, rng, &m), HPO_OK);
        for (int k = 0; k < es->lambda; k++)
            f[k] = fn(es->x + (size_t)k * es->n, es->n, rng);
        CHECK_RC(hpo__cmaes_tell(es, f, &m), HPO_OK);
        why = hpo__cmaes_stop(es);
    }
    free(f);
    hpo__msg_free(&m);
    return why;
}

static void test_stop_flat(void)
{
    hpo__cmaes es;
    hpo__rng rng;
    hpo__msg m = {0};
    hpo__rng_seed(&rng, 7);
    CHECK_RC(hpo__cmaes_init(&es, 4, NULL, 0.2, 0, 0, &m), HPO_OK);
    hpo__cmaes_stop_reason why = run_until_stop(&es, &rng, flat, 1000);
    CHECK(why == HPO__CMAES_TOLFUN);
    CHECK(!strcmp(hpo__cmaes_stop_name(why), "tolfun"));
    /* 10 + ceil(30 n / lambda) generations of flat values, no earlier. */
    CHECK(es.generation == 10 + (long)ceil(30.0 * 4 / es.lambda));
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
}

static void test_stop_stalled(void)
{
    hpo__cmaes es;
    hpo__rng rng;
    hpo__msg m = {0};
    hpo__rng_seed(&rng, 8);
    CHECK_RC(hpo__cmaes_init(&es, 3, NULL, 0.2, 0, 0, &m), HPO_OK);
    hpo__cmaes_stop_reason why = run_until_stop(&es, &rng, noise, 5000);
    fprintf(stderr, "stalled run: %s after %ld generations\n",
            hpo__cmaes_stop_name(why), es.generation);
    CHECK(why == HPO__CMAES_STAGNATION);
    CHECK(es.generation >= 120);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
}

static void test_ipop_doubles(void)
{
    hpo__cmaes es;
    hpo__rng rng;
    hpo__msg m = {0};
    hpo__rng_seed(&rng, 9);
    CHECK_RC(hpo__cmaes_init(&es, 5, NULL, 0.2, 0, 0, &m), HPO_OK);
    hpo__cmaes_restart_mode_set(&es, HPO__CMAES_RESTART_IPOP);
    int lambda0 = es.lambda;
    long spent = 0;
    for (int r = 1; r <= 4; r++) {
        CHECK(run_until_stop(&es, &rng, flat, 1000) != HPO__CMAES_RUN);
        spent += es.evaluations;
        CHECK_RC(hpo__cmaes_restart(&es, &rng, &m), HPO_OK);
        CHECK(es.lambda == lambda0 << r);
        CHECK(es.rs.restarts == r && es.rs.large_runs == r);
        CHECK(es.rs.evals_large == spent && es.rs.evals_small == 0);
        CHECK(es.generation == 0 && es.evaluations == 0 && es.sigma == 0.2);
    }
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
}

/* BIPOP: each run goes to the regime that has spent less; small runs stay
 * below the large regime's population and start with a smaller sigma. */
static void test_bipop_interleaves(void)
{
    hpo__cmaes es;
    hpo__rng rng;
    hpo__msg m = {0};
    hpo__rng_seed(&rng, 10);
    CHECK_RC(hpo__cmaes_init(&es, 5, NULL, 0.2, 0, 0, &m), HPO_OK);
    hpo__cmaes_restart_mode_set(&es, HPO__CMAES_RESTART_BIPOP);
    int lambda0 = es.lambda, smalls = 0, larges = 0;
    for (int r = 1; r <= 8; r++) {
        CHECK(run_until_stop(&es, &rng, flat, 1000) != HPO__CMAES_RUN);
        long small_before = es.rs.evals_small + (es.rs.small ? es.evaluations : 0);
        long large_before = es.rs.evals_large + (es.rs.small ? 0 : es.evaluations);
        CHECK_RC(hpo__cmaes_restart(&es, &rng, &m), HPO_OK);
        CHECK(es.rs.small == (small_before < large_before));
        if (es.rs.small) {
            smalls++;
            CHECK(es.lambda <= lambda0 << es.rs.large_runs);
            CHECK(es.sigma <= 0.2 && es.sigma >= 0.002);
        } else {
            larges++;
            CHECK(es.lambda == lambda0 << es.rs.large_runs);
            CHECK(es.sigma == 0.2);
        }
    }
    CHECK(smalls > 0 && larges > 0 && es.rs.restarts == 8);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
}

static void test_json_round_trip(void)
{
    for (int sep = 0; sep <= 1; sep++) {
        hpo__cmaes a, b;
        hpo__rng rng;
        hpo__msg m = {0};
        double f[16], z[16 * N];
        make_problem(3);
        hpo__rng_seed(&rng, 11);
        CHECK_RC(hpo__cmaes_init(&a, N, NULL, 0.3, 0, sep, &m), HPO_OK);
        hpo__cmaes_restart_mode_set(&a, HPO__CMAES_RESTART_BIPOP);
        run_to(&a, &rng, 1, 0, 70); /* 7 generations */
        double step[N] = {0.5};
        a.sigma = 0.01; /* small enough for the margin to scale A[0] */
        CHECK_RC(hpo__cmaes_margin(&a, step, 0.2, &m), HPO_OK);
        CHECK(a.A[0] != 1);
        a.tol_fun = 1e-6; /* a driver's own tolerance survives too */
        CHECK_RC(hpo__cmaes_ask(&a, NULL, &rng, &m), HPO_OK);
        char *text = hpo__cmaes_to_json(&a);
        CHECK(text != NULL);
        CHECK_STR_CONTAINS(text, "\"mean\":[");
        CHECK_STR_CONTAINS(text, "\"restart\":{\"mode\":\"bipop\"");
        CHECK_RC(hpo__cmaes_from_json(&b, text, &m), HPO_OK);
        CHECK(b.pending && b.generation == 7 && b.tol_fun == 1e-6);
        CHECK(b.tol_x == a.tol_x && b.A[0] == a.A[0]);
        CHECK(!memcmp(a.x, b.x, sizeof(double) * N * a.lambda));
        for (int k = 0; k < a.lambda; k++)
            f[k] = ellipsoid(a.x + k * N, N, 1);
        CHECK_RC(hpo__cmaes_tell(&a, f, &m), HPO_OK);
        CHECK_RC(hpo__cmaes_tell(&b, f, &m), HPO_OK);
        for (int i = 0; i < a.lambda * N; i++)
            z[i] = hpo__rng_normal(&rng);
        CHECK_RC(hpo__cmaes_ask(&a, z, NULL, &m), HPO_OK);
        CHECK_RC(hpo__cmaes_ask(&b, z, NULL, &m), HPO_OK);
        CHECK(!memcmp(a.x, b.x, sizeof(double) * N * a.lambda));
        char *ta = hpo__cmaes_to_json(&a), *tb = hpo__cmaes_to_json(&b);
        CHECK(ta && tb && !strcmp(ta, tb));
        free(text); free(ta); free(tb);
        hpo__cmaes_free(&a);
        hpo__cmaes_free(&b);
        hpo__msg_free(&m);
    }
}

static void test_bad_input(void)
{
    hpo__cmaes es;
    hpo__msg m = {0};
    double f[8] = {0};
    CHECK_RC(hpo__cmaes_init(&es, 2, NULL, -1, 0, 0, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "sigma");
    hpo__cmaes_free(&es);
    CHECK_RC(hpo__cmaes_init(&es, 2, NULL, 0.3, 0, 0, &m), HPO_OK);
    CHECK_RC(hpo__cmaes_tell(&es, f, &m), HPO_EMISUSE);
    CHECK_RC(hpo__cmaes_ask(&es, NULL, NULL, &m), HPO_EINVAL);
    hpo__cmaes_free(&es);
    CHECK_RC(hpo__cmaes_from_json(&es, "{\"format\":\"hpo-ga\"}", &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "another sampler");
    CHECK_RC(hpo__cmaes_from_json(&es, "{\"format\":", &m), HPO_EINVAL);
    /* A state whose step scale is zero would divide by zero in tell. */
    CHECK_RC(hpo__cmaes_init(&es, 2, NULL, 0.3, 0, 1, &m), HPO_OK);
    char *text = hpo__cmaes_to_json(&es);
    hpo__cmaes_free(&es);
    char *at = text ? strstr(text, "\"eigen_sqrt\":[1") : NULL;
    CHECK(at != NULL);
    if (at) {
        at[strlen("\"eigen_sqrt\":[")] = '0';
        CHECK_RC(hpo__cmaes_from_json(&es, text, &m), HPO_EINVAL);
        CHECK_STR_CONTAINS(hpo__msg_get(&m), "not a valid distribution");
    }
    free(text);
    hpo__msg_free(&m);
}

static void test_ask_twice(void)
{
    hpo__cmaes es;
    hpo__rng rng;
    hpo__msg m = {0};
    hpo__rng_seed(&rng, 12);
    CHECK_RC(hpo__cmaes_init(&es, 2, NULL, 0.3, 0, 0, &m), HPO_OK);
    CHECK_RC(hpo__cmaes_ask(&es, NULL, &rng, &m), HPO_OK);
    CHECK_RC(hpo__cmaes_ask(&es, NULL, &rng, &m), HPO_EMISUSE);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "already asked");
    for (int k = 0; k < es.lambda * 2; k++)
        CHECK(es.x[k] >= 0 && es.x[k] <= 1);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
}

/* Mixed problem: x0 takes the values 0, .25, ..., 1 (best .75), x1 is
 * continuous (best .3).  Run 150 generations, with or without the margin
 * after each tell; return the chance that a candidate's x0 leaves the
 * mean's value on the lower and the upper side. */
static void mixed_run(int margin, double *p_lo, double *p_hi, hpo__cmaes *es)
{
    hpo__rng rng;
    hpo__msg m = {0};
    double step[2] = {0.25, 0}, f[16];
    hpo__rng_seed(&rng, 13);
    CHECK_RC(hpo__cmaes_init(es, 2, NULL, 0.3, 0, 0, &m), HPO_OK);
    for (int g = 0; g < 150; g++) {
        CHECK_RC(hpo__cmaes_ask(es, NULL, &rng, &m), HPO_OK);
        for (int k = 0; k < es->lambda; k++) {
            const double *x = es->x + 2 * k;
            double v = round(x[0] / 0.25) * 0.25;
            f[k] = (v - 0.75) * (v - 0.75) + (x[1] - 0.3) * (x[1] - 0.3);
        }
        CHECK_RC(hpo__cmaes_tell(es, f, &m), HPO_OK);
        if (margin)
            CHECK_RC(hpo__cmaes_margin(es, step, 0, &m), HPO_OK);
    }
    double s = es->A[0] * es->sigma * sqrt(es->C[0]);
    *p_lo = 0.5 * erfc((es->mean[0] - 0.625) / s / sqrt(2.0));
    *p_hi = 0.5 * erfc((0.875 - es->mean[0]) / s / sqrt(2.0));
    hpo__msg_free(&m);
}

static void test_margin(void)
{
    hpo__cmaes es;
    double lo, hi;
    mixed_run(0, &lo, &hi, &es);
    fprintf(stderr, "without margin: leave below %g, above %g\n", lo, hi);
    CHECK(lo + hi < 1e-6); /* the discrete coordinate is frozen */
    hpo__cmaes_free(&es);
    mixed_run(1, &lo, &hi, &es);
    double alpha = 1.0 / (2 * es.lambda);
    fprintf(stderr, "with margin: leave below %g, above %g (alpha %g), A %g\n",
            lo, hi, alpha, es.A[0]);
    CHECK(lo >= alpha / 2 * (1 - 1e-6) && hi >= alpha / 2 * (1 - 1e-6));
    CHECK(round(es.mean[0] / 0.25) == 3);
    CHECK(es.A[0] > 1);
    CHECK(fabs(es.mean[1] - 0.3) < 1e-4);
    hpo__cmaes_free(&es);
}

int main(void)
{
    RUN(test_rotated_ellipsoid);
    RUN(test_separable_ellipsoid);
    RUN(test_stop_flat);
    RUN(test_stop_stalled);
    RUN(test_ipop_doubles);
    RUN(test_bipop_interleaves);
    RUN(test_json_round_trip);
    RUN(test_bad_input);
    RUN(test_ask_twice);
    RUN(test_margin);
    return CHECK_DONE();
}
