/*
 * test_ga_sampler.c — the `ga` sampler through the study API: generation 0
 * is population_size random trials, each later generation's P - E
 * children replace the P - E worst (failed children as +inf) while the
 * elites survive, patience stops the study (with a line in its log), it
 * beats random search on a sphere, and the checks every population
 * sampler passes (population_sampler.h).
 */
#include "population_sampler.h"
#include "study_helpers.h"

#define GA "ga"

/* Fitness of the stored population, best first (null read as +inf). */
static int stored_fitness(hpo_study *s, double *f, int cap)
{
    cJSON *root = cJSON_Parse(hpo_study_system_attr(s, "hpo:ga:state"));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "state");
    const cJSON *fit = cJSON_GetObjectItemCaseSensitive(st, "fitness");
    int n = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, fit)
    {
        if (n < cap)
            f[n++] = cJSON_IsNumber(v) ? v->valuedouble : INFINITY;
    }
    cJSON_Delete(root);
    return n;
}

static void test_generation_zero_is_the_population(void)
{
    hpo_space *sp = pop_space(2);
    hpo_study *s = pop_study(NULL, "ga:population_size=8,elites=2", 5, sp);
    pop_run(s, 8, pop_sphere);
    double f[16];
    CHECK(pop_generation(s, GA) == 0);
    CHECK(stored_fitness(s, f, 16) == 0); /* filled when the 9th asks */
    pop_run(s, 1, pop_sphere);
    CHECK(pop_generation(s, GA) == 1);
    CHECK(stored_fitness(s, f, 16) == 8);
    pop_run(s, 5, pop_sphere); /* trials 8..13: the 6 children */
    CHECK(pop_generation(s, GA) == 1);
    pop_run(s, 1, pop_sphere);
    CHECK(pop_generation(s, GA) == 2);
    long gen[32], member[32];
    int n = pop_members(s, GA, gen, member, 32);
    CHECK(n == 15);
    for (int i = 0; i < n; i++) {
        long want_gen = i < 8 ? 0 : i < 14 ? 1 : 2;
        long want_member = i < 8 ? i : i < 14 ? i - 8 : 0;
        CHECK(gen[i] == want_gen && member[i] == want_member);
    }
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* More workers than the population: 10 asks before any tell, all of
 * generation 0; told in reverse, the population is still trials 0..3 (the
 * first P finished by trial number), the others only in the history. */
static void test_over_filled_generation(void)
{
    enum { P = 4, ASKED = 10 };
    hpo_space *sp = pop_space(2);
    hpo_study *s = pop_study(NULL, "ga:population_size=4,elites=1", 13, sp);
    hpo_trial *t[ASKED];
    double v[ASKED];
    for (int i = 0; i < ASKED; i++) {
        CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
        CHECK_RC(hpo_trial_suggest_all(t[i]), HPO_OK);
        v[i] = pop_sphere(t[i]);
    }
    for (int i = ASKED - 1; i >= 0; i--) {
        CHECK_RC(hpo_study_tell(s, t[i], HPO_COMPLETE, &v[i], 1), HPO_OK);
        hpo_trial_free(t[i]);
    }
    long gen[16], member[16];
    CHECK(pop_members(s, GA, gen, member, 16) == ASKED);
    for (int i = 0; i < ASKED; i++)
        CHECK(gen[i] == 0 && member[i] == i);
    pop_run(s, 1, pop_sphere);
    double f[P], want[P];
    CHECK(stored_fitness(s, f, P) == P);
    memcpy(want, v, sizeof want);
    qsort(want, P, sizeof *want, by_double);
    for (int i = 0; i < P; i++)
        CHECK(f[i] == want[i]);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* Every generation: the new population is the old one's best E plus the
 * P - E children (a failed child as +inf), ranked. */
static void check_replaced(const double *old, const double *children,
                           const double *now, int p, int e)
{
    double want[64];
    memcpy(want, old, sizeof(double) * (size_t)e);
    memcpy(want + e, children, sizeof(double) * (size_t)(p - e));
    qsort(want, (size_t)p, sizeof *want, by_double);
    for (int i = 0; i < p; i++)
        CHECK(now[i] == want[i]);
    CHECK(now[0] <= old[0]); /* the best never lost */
}

static void test_elites_kept_worst_replaced(void)
{
    enum { P = 8, E = 2, GENS = 6 };
    hpo_space *sp = pop_space(2);
    hpo_study *s = pop_study(NULL, "ga:population_size=8,elites=2", 6, sp);
    pop_run(s, P, pop_sphere);
    double old[P], now[P], children[P - E];
    int failed = 0;
    for (int g = 1; g <= GENS; g++) {
        for (int c = 0; c < P - E; c++) {
            hpo_trial *t = NULL;
            CHECK_RC(hpo_study_ask(s, &t), HPO_OK); /* c == 0: g begins */
            if (c == 0) {
                CHECK(pop_generation(s, GA) == g);
                CHECK(stored_fitness(s, now, P) == P);
                if (g > 1)
                    check_replaced(old, children, now, P, E);
                memcpy(old, now, sizeof now);
            }
            CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
            double v = pop_sphere(t);
            if (hpo_trial_number(t) % 7 == 3) { /* a failed child: +inf */
                CHECK_RC(hpo_study_tell(s, t, HPO_FAIL, NULL, 0), HPO_OK);
                v = INFINITY;
                failed++;
            } else {
                CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
            }
            children[c] = v;
            hpo_trial_free(t);
        }
    }
    CHECK(failed >= 3);
    hpo_study_free(s);
    hpo_space_free(sp);
}

static double constant(hpo_trial *t, void *data, double *v)
{
    (void)t;
    (void)data;
    v[0] = 1;
    return HPO_OK;
}

static int constant_objective(hpo_trial *t, void *data, double *values)
{
    CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
    return (int)constant(t, data, values);
}

static char logged[512];

static void keep_log(int level, const char *message, void *data)
{
    (void)data;
    if (level >= 1 && strstr(message, "ga:"))
        snprintf(logged, sizeof logged, "%s", message);
}

/* No improvement ever: after `patience` generations the study stops. */
static void test_patience_stops(void)
{
    hpo_space *sp = pop_space(2);
    hpo_study *s =
        pop_study(NULL, "ga:population_size=6,elites=1,patience=3", 7, sp);
    CHECK_RC(hpo_study_set_log(s, keep_log, NULL), HPO_OK);
    hpo_optimize_options o = {.n_trials = 200};
    CHECK_RC(hpo_study_optimize(s, constant_objective, NULL, &o), HPO_DONE);
    int counts[5];
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    /* 6 random, 3 generations of 5 children, and the ask that made the
     * third replacement (a member of generation 4) */
    CHECK(counts[HPO_COMPLETE] == 6 + 3 * 5 + 1);
    CHECK_STR_CONTAINS(logged, "no improvement in 3 generations");
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_DONE);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* A 6-D sphere, 800 trials: the GA's best within 0.01 of the optimum on
 * every seed; random search's is not (its expected best is about 0.06). */
static void test_beats_random(void)
{
    for (uint64_t seed = 10; seed < 13; seed++) {
        double ga = pop_best_of("ga:population_size=30,elites=2", seed, 6, 800);
        double random = pop_best_of("random", seed, 6, 800);
        fprintf(stderr, "seed %llu: ga %.3g, random %.3g\n",
                (unsigned long long)seed, ga, random);
        CHECK(ga < 0.01);
        CHECK(random > 0.01);
    }
}

static void test_options_refused(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "ga:population_size=5,elites=5"),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "elites");
    CHECK_RC(hpo_study_set_sampler(s, "ga:population_size=1"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "ga:crossover=two_point"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "ga:mutation_prob=0"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "ga:crossover=uniform,mutation="
                                      "gaussian,sigma=0.2,mutation_prob=0.5"),
             HPO_OK);
    hpo_study_free(s);
}

static const pop_sampler ga_case = {
    GA, "ga:population_size=6,elites=1", 20,
    "{\"kind\": \"cmaes\", \"mean\": [0.5, 0.5]}",
    "{\"kind\":\"ga\",\"version\":1,\"n_genes\":2,\"size\":4,"
    "\"n_elite\":1,\"patience\":0,\"generation\":0,\"stale\":0,"
    "\"best\":null,\"genes\":[[0.5,7]],\"fitness\":[1]}"};

int main(void)
{
    if (!pop_dir_make())
        return 1;
    RUN(test_generation_zero_is_the_population);
    RUN(test_elites_kept_worst_replaced);
    RUN(test_over_filled_generation);
    RUN(test_patience_stops);
    RUN(test_beats_random);
    RUN(test_options_refused);
    pop_check_common(&ga_case);
    pop_dir_remove();
    return CHECK_DONE();
}
