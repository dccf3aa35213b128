/*
 * test_de_core.c — differential evolution's core (samplers/de_core.h):
 * SHADE's memory update on a hand-worked example, directly and through a
 * selection; no successes leave the memory alone; F and CR follow their
 * rules; bound repair; rand/1/bin and SHADE reach a 10-dimensional sphere's
 * optimum and SHADE Rosenbrock's within stated budgets; the state's JSON
 * round trip, continuing identically, and corrupt states refused.
 */
#include "check.h"
#include "core/internal.h"
#include "core/json.h"
#include "samplers/de_core.h"

/* ---- test functions, minimized on the unit cube ------------------------ */

/* Sphere around 0.3 in every coordinate; optimum 0. */
static double sphere(const double *x, int n)
{
    double f = 0;
    for (int j = 0; j < n; j++)
        f += (x[j] - 0.3) * (x[j] - 0.3);
    return f;
}

/* Rosenbrock on [-2, 2]^n mapped onto the cube (optimum z = 1 at x = .75). */
static double rosenbrock(const double *x, int n)
{
    double f = 0;
    for (int j = 0; j + 1 < n; j++) {
        double a = 4 * x[j] - 2, b = 4 * x[j + 1] - 2;
        f += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
    }
    return f;
}

/* ---- SHADE's memory update ------------------------------------------------ */

/*
 * Three successes (F, CR, improvement |f(u) - f(x)|):
 *   (0.4, 0.2, 1), (0.6, 0.5, 2), (0.8, 0.9, 1)
 * Weights w = improvement / sum = 1/4, 2/4, 1/4.
 * Weighted Lehmer mean of F:
 *   sum w F^2 = .25 * .16 + .5 * .36 + .25 * .64 = .04 + .18 + .16 = .38
 *   sum w F   = .25 * .4  + .5 * .6  + .25 * .8  = .1  + .3  + .2  = .6
 *   M_F = .38 / .6 = 0.6333...
 * Weighted arithmetic mean of CR:
 *   M_CR = .25 * .2 + .5 * .5 + .25 * .9 = .05 + .25 + .225 = .525
 * With H = 3 and k = 1 the update writes slot 1 and k becomes 2; the next
 * update writes slot 2 and k wraps to 0.
 */
static const double SF[3] = {0.4, 0.6, 0.8};
static const double SCR[3] = {0.2, 0.5, 0.9};
static const double DF[3] = {1, 2, 1};

static void test_memory_update_hand_worked(void)
{
    double mf[3] = {0.5, 0.5, 0.5}, mcr[3] = {0.5, 0.5, 0.5};
    int k = 1;
    hpo__de_memory_update(mf, mcr, 3, &k, SF, SCR, DF, 3);
    CHECK_NEAR(mf[1], 0.38 / 0.6, 1e-15);
    CHECK_NEAR(mcr[1], 0.525, 1e-15);
    CHECK(mf[0] == 0.5 && mf[2] == 0.5 && mcr[0] == 0.5 && mcr[2] == 0.5);
    CHECK(k == 2);
    /* One success alone: both means are its own F and CR. */
    hpo__de_memory_update(mf, mcr, 3, &k, SF, SCR, DF, 1);
    CHECK_NEAR(mf[2], 0.4, 1e-15);
    CHECK_NEAR(mcr[2], 0.2, 1e-15);
    CHECK(k == 0);
}

static void test_memory_unchanged_without_success(void)
{
    double mf[2] = {0.5, 0.7}, mcr[2] = {0.5, 0.3};
    int k = 1;
    hpo__de_memory_update(mf, mcr, 2, &k, SF, SCR, DF, 0);
    CHECK(mf[0] == 0.5 && mf[1] == 0.7 && mcr[0] == 0.5 && mcr[1] == 0.3);
    CHECK(k == 1);
    /* Improvements of 0 (no weight) write nothing either. */
    const double zero[3] = {0, 0, 0};
    hpo__de_memory_update(mf, mcr, 2, &k, SF, SCR, zero, 3);
    CHECK(mf[0] == 0.5 && mf[1] == 0.7 && mcr[0] == 0.5 && mcr[1] == 0.3);
    CHECK(k == 1);
}

/* Equal improvements so large that their sum overflows weigh equally:
 *   M_F = (.16 + .36 + .64) / (.4 + .6 + .8) = 1.16 / 1.8 = .6444...
 *   M_CR = (.2 + .5 + .9) / 3 = .5333... */
static void test_memory_update_huge_improvements(void)
{
    double mf[2] = {0.5, 0.5}, mcr[2] = {0.5, 0.5};
    int k = 0;
    const double huge[3] = {1e308, 1e308, 1e308};
    hpo__de_memory_update(mf, mcr, 2, &k, SF, SCR, huge, 3);
    CHECK_NEAR(mf[0], 1.16 / 1.8, 1e-15);
    CHECK_NEAR(mcr[0], 1.6 / 3, 1e-15);
    CHECK(k == 1);
}

/* A SHADE state of 4 members in 2 dimensions, evaluated, with trials
 * pending that used the example's F and CR. */
static void pending_state(hpo__de *s, hpo__rng *r)
{
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(s, HPO__DE_SHADE, 2, 4, 3, 0.5, 0.9, r, &m), HPO_OK);
    s->evaluated = s->pending = 1;
    s->k = 1;
    const double fx[4] = {5, 3, 2, 1};
    const double fi[4] = {0.4, 0.6, 0.8, 0.9}, cri[4] = {0.2, 0.5, 0.9, 0.1};
    for (int i = 0; i < 4; i++) {
        s->fx[i] = fx[i];
        s->f_i[i] = fi[i];
        s->cr_i[i] = cri[i];
        s->u[2 * i] = s->u[2 * i + 1] = 0.1 * (i + 1);
    }
}

/* The example through a selection: members 0-2 improve by 1, 2 and 1
 * (5 -> 4, 3 -> 1, 2 -> 1) with the example's F and CR; member 3 ties
 * (1 -> 1), is replaced but is no success; member 3's (0.9, 0.1) would
 * move both means if it counted. */
static void test_select_updates_memory_and_archive(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 1);
    hpo__de s;
    hpo__msg m = {0};
    pending_state(&s, &r);
    double x0[8];
    memcpy(x0, s.x, sizeof x0);
    const double values[4] = {4, 1, 1, 1};
    CHECK_RC(hpo__de_select(&s, values, &r, &m), HPO_OK);
    CHECK_NEAR(s.m_f[1], 0.38 / 0.6, 1e-15);
    CHECK_NEAR(s.m_cr[1], 0.525, 1e-15);
    CHECK(s.k == 2 && s.generation == 1 && !s.pending);
    CHECK(s.n_archive == 3); /* the three parents beaten strictly */
    CHECK(memcmp(s.archive, x0, 6 * sizeof *x0) == 0);
    for (int i = 0; i < 4; i++) {
        CHECK(s.fx[i] == values[i]);
        CHECK(s.x[2 * i] == 0.1 * (i + 1));
    }
    /* A second selection without trials is refused. */
    CHECK_RC(hpo__de_select(&s, values, &r, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "no trial vectors");
    hpo__de_free(&s);
    hpo__msg_free(&m);
}

/* Worse trials (and failed ones, NaN) replace nobody and leave the memory
 * and archive alone. */
static void test_select_without_success(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 2);
    hpo__de s;
    hpo__msg m = {0};
    pending_state(&s, &r);
    double x0[8];
    memcpy(x0, s.x, sizeof x0);
    const double values[4] = {6, NAN, 2.5, 1.5};
    CHECK_RC(hpo__de_select(&s, values, &r, &m), HPO_OK);
    CHECK(s.m_f[0] == 0.5 && s.m_f[1] == 0.5 && s.m_f[2] == 0.5);
    CHECK(s.m_cr[0] == 0.5 && s.m_cr[1] == 0.5 && s.m_cr[2] == 0.5);
    CHECK(s.k == 1 && s.n_archive == 0);
    CHECK(memcmp(s.x, x0, sizeof x0) == 0);
    CHECK(s.fx[0] == 5 && s.fx[1] == 3);
    hpo__de_free(&s);
    hpo__msg_free(&m);
}

/* The archive takes every beaten parent and stays at most N rows: once
 * full, a new parent overwrites a random row. */
static void test_archive_bounded(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 9);
    hpo__de s;
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(&s, HPO__DE_SHADE, 4, 5, 5, 0.5, 0.9, &r, &m), HPO_OK);
    double v[5];
    int beaten = 0;
    for (int g = 0; g < 40; g++) {
        hpo__de_trials(&s, &r);
        for (int i = 0; i < 5; i++) {
            v[i] = sphere(s.u + 4 * i, 4);
            beaten += s.evaluated && v[i] < s.fx[i];
        }
        CHECK_RC(hpo__de_select(&s, v, &r, &m), HPO_OK);
        CHECK(s.n_archive == (beaten < 5 ? beaten : 5));
    }
    CHECK(beaten > 5);
    hpo__de_free(&s);
    hpo__msg_free(&m);
}

/* ---- F, CR and bounds ---------------------------------------------------- */

static void test_f_and_cr_rules(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 3);
    const double mus[4] = {0.0, 0.05, 0.5, 0.97};
    for (int t = 0; t < 4; t++) {
        int ones = 0, cr0 = 0, cr1 = 0;
        for (int i = 0; i < 20000; i++) {
            double f = hpo__de_draw_f(mus[t], &r);
            double cr = hpo__de_draw_cr(mus[t], &r);
            CHECK(f > 0 && f <= 1);
            CHECK(cr >= 0 && cr <= 1);
            ones += f == 1;
            cr0 += cr == 0;
            cr1 += cr == 1;
        }
        if (mus[t] == 0.97) /* Cauchy's mass above 1 is cut to exactly 1 */
            CHECK(ones > 20000 / 3);
        if (mus[t] == 0.0) /* half of N(0, 0.1) is clipped to 0 */
            CHECK(cr0 > 9000 && cr0 < 11000);
        if (mus[t] == 0.97)
            CHECK(cr1 > 20000 / 10);
    }
    /* Draws <= 0 are drawn again, so F given M_F = .5 is Cauchy(.5, .1)
     * conditioned on F > 0:  P(F <= 0) = 1/2 - atan(5)/pi = .0628, so
     * P(F < .5) = (.5 - .0628) / (1 - .0628) = .4665: 9330 of 20,000,
     * standard deviation 70. */
    int below = 0;
    for (int i = 0; i < 20000; i++)
        below += hpo__de_draw_f(0.5, &r) < 0.5;
    CHECK(below > 9100 && below < 9560);
}

static void test_bound_repair(void)
{
    CHECK(hpo__de_repair(0.3, 0.9) == 0.3);
    CHECK(hpo__de_repair(0.0, 0.9) == 0.0);
    CHECK(hpo__de_repair(1.0, 0.2) == 1.0);
    CHECK_NEAR(hpo__de_repair(-0.4, 0.6), 0.3, 1e-15); /* (0 + .6) / 2 */
    CHECK_NEAR(hpo__de_repair(1.7, 0.6), 0.8, 1e-15);  /* (1 + .6) / 2 */
    CHECK(hpo__de_repair(-1e9, 0.0) == 0.0);
    CHECK(hpo__de_repair(2.0, 1.0) == 1.0);
    /* Trial vectors stay in the cube even with F near its maximum. */
    hpo__rng r;
    hpo__rng_seed(&r, 4);
    hpo__de s;
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(&s, HPO__DE_RAND1BIN, 5, 8, 1, 2.0, 1.0, &r, &m), HPO_OK);
    double v[8];
    for (int g = 0; g < 20; g++) {
        hpo__de_trials(&s, &r);
        for (int i = 0; i < 8 * 5; i++)
            CHECK(s.u[i] >= 0 && s.u[i] <= 1);
        for (int i = 0; i < 8; i++)
            v[i] = hpo__rng_uniform(&r);
        CHECK_RC(hpo__de_select(&s, v, &r, &m), HPO_OK);
    }
    hpo__de_free(&s);
    hpo__msg_free(&m);
}

static void test_init_refuses_bad_sizes(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 5);
    hpo__de s;
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(&s, HPO__DE_SHADE, 3, 3, 5, 0.5, 0.9, &r, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "population 3");
    CHECK_RC(hpo__de_init(&s, HPO__DE_SHADE, 0, 10, 5, 0.5, 0.9, &r, &m), HPO_EINVAL);
    CHECK_RC(hpo__de_init(&s, HPO__DE_RAND1BIN, 3, 10, 5, 0, 0.9, &r, &m), HPO_EINVAL);
    CHECK_RC(hpo__de_init(&s, HPO__DE_RAND1BIN, 3, 10, 5, 0.5, 1.5, &r, &m), HPO_EINVAL);
    hpo__de_free(&s);
    hpo__msg_free(&m);
}

/* ---- convergence --------------------------------------------------------- */

/* Evaluations until the best value is <= target (or max_evals passed). */
static long evals_to_reach(hpo__de_strategy st, double (*fn)(const double *, int),
                           int dim, int pop, double target, long max_evals,
                           uint64_t seed)
{
    hpo__rng r;
    hpo__rng_seed(&r, seed);
    hpo__de s;
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(&s, st, dim, pop, pop, 0.5, 0.9, &r, &m), HPO_OK);
    double values[HPO__DE_MAX_POP];
    long evals = 0;
    while (evals < max_evals) {
        hpo__de_trials(&s, &r);
        for (int i = 0; i < pop; i++)
            values[i] = fn(s.u + (size_t)i * dim, dim);
        evals += pop;
        CHECK_RC(hpo__de_select(&s, values, &r, &m), HPO_OK);
        if (s.fx[hpo__de_best(&s)] <= target)
            break;
    }
    hpo__de_free(&s);
    hpo__msg_free(&m);
    return evals;
}

/* Budgets: measured over seeds 1-10 (evaluations to the target; the test
 * runs seeds 1-3), set about 1.5 times the largest:
 *   rand/1/bin, sphere, n = 10, N = 50, F = .5, CR = .9, to 1e-8:
 *     7800 to 8750, median 8275 -> 13,000
 *   SHADE, sphere, n = 10, N = 50, H = N, to 1e-8:
 *     5200 to 6050, median 5700 -> 9,000
 *   SHADE, Rosenbrock, n = 10, N = 100, H = N, to 1e-6:
 *     45,500 to 47,800, median 46,950 -> 70,000 */
static void test_converges(void)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        long rs = evals_to_reach(HPO__DE_RAND1BIN, sphere, 10, 50, 1e-8,
                                 1000000, seed);
        long ss = evals_to_reach(HPO__DE_SHADE, sphere, 10, 50, 1e-8,
                                 1000000, seed);
        long sr = evals_to_reach(HPO__DE_SHADE, rosenbrock, 10, 100, 1e-6,
                                 1000000, seed);
        fprintf(stderr, "  seed %d evaluations: rand/1/bin sphere10 %ld, "
                "SHADE sphere10 %ld, SHADE rosenbrock10 %ld\n",
                (int)seed, rs, ss, sr);
        CHECK(rs <= 13000);
        CHECK(ss <= 9000);
        CHECK(sr <= 70000);
    }
}

/* ---- JSON ------------------------------------------------------------------ */

/* The state as stored: printed, then parsed as hpo parses what it keeps
 * (hpo__de_to_json writes numbers as raw text, exact to the bit). */
static cJSON *stored(const hpo__de *s)
{
    hpo__msg m = {0};
    cJSON *j = hpo__de_to_json(s, &m), *back = NULL;
    char *text = cJSON_PrintUnformatted(j);
    CHECK_RC(hpo__json_parse(text, "de state", &back, &m), HPO_OK);
    free(text);
    cJSON_Delete(j);
    hpo__msg_free(&m);
    return back;
}

/* Every field of a and b equal, bit for bit where they are numbers. */
static int same_state(const hpo__de *a, const hpo__de *b)
{
    size_t cells = (size_t)a->pop * a->dim;
    return a->strategy == b->strategy && a->dim == b->dim &&
           a->pop == b->pop && a->h == b->h && a->f == b->f &&
           a->cr == b->cr && a->k == b->k && a->generation == b->generation &&
           a->evaluated == b->evaluated && a->pending == b->pending &&
           a->n_archive == b->n_archive &&
           !memcmp(a->x, b->x, cells * sizeof *a->x) &&
           !memcmp(a->u, b->u, cells * sizeof *a->u) &&
           !memcmp(a->archive, b->archive,
                   (size_t)a->n_archive * a->dim * sizeof *a->archive) &&
           !memcmp(a->fx, b->fx, (size_t)a->pop * sizeof *a->fx) &&
           !memcmp(a->f_i, b->f_i, (size_t)a->pop * sizeof *a->f_i) &&
           !memcmp(a->cr_i, b->cr_i, (size_t)a->pop * sizeof *a->cr_i) &&
           !memcmp(a->m_f, b->m_f, (size_t)a->h * sizeof *a->m_f) &&
           !memcmp(a->m_cr, b->m_cr, (size_t)a->h * sizeof *a->m_cr);
}

/* One generation: trials, the sphere's values (member 0's fails), select. */
static void step(hpo__de *s, hpo__rng *r)
{
    hpo__msg m = {0};
    double v[HPO__DE_MAX_POP];
    hpo__de_trials(s, r);
    for (int i = 0; i < s->pop; i++)
        v[i] = i == 0 ? NAN : sphere(s->u + (size_t)i * s->dim, s->dim);
    CHECK_RC(hpo__de_select(s, v, r, &m), HPO_OK);
    hpo__msg_free(&m);
}

/* The state through JSON text and back is the same state, and two copies
 * continued with the same draws stay the same. */
static void test_json_round_trip(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 7);
    hpo__de a, b;
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(&a, HPO__DE_SHADE, 3, 12, 4, 0.5, 0.9, &r, &m), HPO_OK);
    for (int g = 0; g < 6; g++)
        step(&a, &r);
    hpo__de_trials(&a, &r); /* pending trials go along too */
    CHECK(a.n_archive > 0 && a.fx[0] == INFINITY && a.k > 0);
    cJSON *j = stored(&a);
    CHECK_RC(hpo__de_from_json(&b, j, &m), HPO_OK);
    CHECK(same_state(&a, &b));
    hpo__rng ra = r, rb = r;
    double v[12];
    for (int i = 0; i < 12; i++)
        v[i] = sphere(a.u + 3 * i, 3);
    CHECK_RC(hpo__de_select(&a, v, &ra, &m), HPO_OK);
    CHECK_RC(hpo__de_select(&b, v, &rb, &m), HPO_OK);
    for (int g = 0; g < 5; g++) {
        step(&a, &ra);
        step(&b, &rb);
    }
    CHECK(same_state(&a, &b));
    /* rand/1/bin's constants go along too. */
    hpo__de c, d;
    CHECK_RC(hpo__de_init(&c, HPO__DE_RAND1BIN, 2, 5, 1, 0.7, 0.3, &r, &m), HPO_OK);
    cJSON *jc = stored(&c);
    CHECK_RC(hpo__de_from_json(&d, jc, &m), HPO_OK);
    CHECK(same_state(&c, &d));
    cJSON_Delete(jc);
    hpo__de_free(&c);
    hpo__de_free(&d);
    cJSON_Delete(j);
    hpo__de_free(&a);
    hpo__de_free(&b);
    hpo__msg_free(&m);
}

/* A corrupt or foreign state is HPO_EINVAL naming the field. */
static void test_json_refuses_corrupt(void)
{
    hpo__rng r;
    hpo__rng_seed(&r, 8);
    hpo__de a, b;
    hpo__msg m = {0};
    CHECK_RC(hpo__de_init(&a, HPO__DE_SHADE, 2, 4, 2, 0.5, 0.9, &r, &m), HPO_OK);
    static const struct {
        const char *key, *value, *want;
    } cases[] = {
        {"strategy", "\"cmaes\"", "\"strategy\""},
        {"k", "2", "\"k\""},
        {"pop", "3", "\"pop\""},
        {"dim", "2.5", "\"dim\""},
        {"x", "[[0.1, 0.2]]", "\"x\""},
        {"x", "[[0.1, 0.2], [0.1, 1.5], [0, 0], [1, 1]]", "\"x\"[1]"},
        {"m_f", "[0.5, \"a\"]", "\"m_f\"[1]"},
        {"archive", "[[0,0],[0,0],[0,0],[0,0],[0,0]]", "\"archive\""},
        {"fx", "{}", "\"fx\""},
        {"f", "null", "\"f\""},
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        cJSON *j = stored(&a);
        cJSON_ReplaceItemInObjectCaseSensitive(j, cases[t].key,
                                               cJSON_Parse(cases[t].value));
        CHECK_RC(hpo__de_from_json(&b, j, &m), HPO_EINVAL);
        CHECK_STR_CONTAINS(hpo__msg_get(&m), cases[t].want);
        CHECK(b.x == NULL); /* nothing left allocated */
        cJSON_DeleteItemFromObjectCaseSensitive(j, cases[t].key);
        CHECK_RC(hpo__de_from_json(&b, j, &m), HPO_EINVAL); /* missing */
        CHECK_STR_CONTAINS(hpo__msg_get(&m), cases[t].key);
        cJSON_Delete(j);
    }
    cJSON *arr = cJSON_CreateArray();
    CHECK_RC(hpo__de_from_json(&b, arr, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "not a JSON object");
    cJSON_Delete(arr);
    hpo__de_free(&a);
    hpo__msg_free(&m);
}

/* hpo__de_trial makes vector i with the same rule and draws as
 * hpo__de_trials: from the stream hpo__de_trials is at when it reaches i
 * (both strategies), the same u, F and CR; other rows untouched. */
static void test_one_trial_as_the_whole(void)
{
    for (int strategy = 0; strategy < 2; strategy++) {
        hpo__rng r;
        hpo__rng_seed(&r, 7);
        hpo__de whole, one;
        hpo__msg m = {0};
        CHECK_RC(hpo__de_init(&whole, (hpo__de_strategy)strategy, 3, 8, 4,
                              0.6, 0.8, &r, &m), HPO_OK);
        hpo__rng_seed(&r, 7);
        CHECK_RC(hpo__de_init(&one, (hpo__de_strategy)strategy, 3, 8, 4, 0.6,
                              0.8, &r, &m), HPO_OK);
        for (int i = 0; i < 8; i++)
            whole.fx[i] = one.fx[i] = (i * 5) % 8;
        whole.evaluated = one.evaluated = 1;
        hpo__rng ra, rb;
        hpo__rng_seed(&ra, 11);
        hpo__rng_seed(&rb, 11);
        hpo__de_trials(&whole, &ra);
        for (int i = 0; i < 8; i++)
            hpo__de_trial(&one, i, &rb);
        CHECK(memcmp(whole.u, one.u, 24 * sizeof *whole.u) == 0);
        CHECK(memcmp(whole.f_i, one.f_i, 8 * sizeof *whole.f_i) == 0);
        CHECK(memcmp(whole.cr_i, one.cr_i, 8 * sizeof *whole.cr_i) == 0);
        CHECK(!one.pending);
        hpo__de_free(&whole);
        hpo__de_free(&one);
        hpo__msg_free(&m);
    }
}

int main(void)
{
    RUN(test_one_trial_as_the_whole);
    RUN(test_memory_update_hand_worked);
    RUN(test_memory_unchanged_without_success);
    RUN(test_memory_update_huge_improvements);
    RUN(test_select_updates_memory_and_archive);
    RUN(test_select_without_success);
    RUN(test_archive_bounded);
    RUN(test_f_and_cr_rules);
    RUN(test_bound_repair);
    RUN(test_init_refuses_bad_sizes);
    RUN(test_converges);
    RUN(test_json_round_trip);
    RUN(test_json_refuses_corrupt);
    return CHECK_DONE();
}
