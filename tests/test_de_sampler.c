/*
 * test_de_sampler.c — the `de` sampler through the study API: generation
 * 0 is the N initial vectors, member k targets k mod N, a target's first
 * finished member counts (an extra member stands in for one that never
 * finishes, a failed one is +inf and replaces nobody), SHADE's stored
 * memory takes the weighted Lehmer mean of the successful F (and the mean
 * of CR) after a generation, it beats random search on a sphere, and the
 * checks every population sampler passes (population_sampler.h).
 * SHADE's memory update itself is hand-worked in test_de_core.c.
 */
#include "population_sampler.h"
#include "samplers/de_core.h"
#include "samplers/generation.h"

#define DE "de"

/* The stored DE state (the driver's "state"), parsed into s. */
static int stored_de(hpo_study *s, hpo__de *de)
{
    cJSON *root = cJSON_Parse(hpo_study_system_attr(s, "hpo:de:state"));
    hpo__msg m = {0};
    int rc = hpo__de_from_json(
        de, cJSON_GetObjectItemCaseSensitive(root, "state"), &m);
    if (rc != HPO_OK)
        fprintf(stderr, "%s\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    cJSON_Delete(root);
    return rc;
}

/* Field key of trial i's member attribute (numbers only; NaN if none). */
static double member_number(hpo_trial *t, const char *key)
{
    cJSON *a = cJSON_Parse(hpo_trial_system_attr(t, "hpo:de:member"));
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, key);
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    cJSON_Delete(a);
    return x;
}

static void member_u(hpo_trial *t, double *u, int dim)
{
    cJSON *a = cJSON_Parse(hpo_trial_system_attr(t, "hpo:de:member"));
    hpo__msg m = {0};
    CHECK_RC(hpo__gen_read_vector(a, "u", u, dim, "u", &m), HPO_OK);
    hpo__msg_free(&m);
    cJSON_Delete(a);
}

static hpo_trial *ask(hpo_study *s)
{
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
    return t;
}

static void tell(hpo_study *s, hpo_trial *t)
{
    double v = pop_sphere(t);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
}

/* The trials, re-read (member attributes are written during ask). */
static hpo_trial **all_trials(hpo_study *s, int *n)
{
    hpo_trial **ts = NULL;
    CHECK_RC(hpo_study_trials(s, &ts, n), HPO_OK);
    return ts;
}

/* Generation 0: trials 0..N-1 evaluate the initial vectors 0..N-1; trial
 * 5 never finishes, so extra member 6 (target 0, a fresh vector) ... and
 * member 11 (target 5) stands in for it; target 0 keeps trial 0's. */
static void test_targets_and_stand_ins(void)
{
    enum { N = 6, DIM = 3 };
    hpo_space *sp = pop_space(DIM);
    hpo_study *s = pop_study(NULL, "de:population=6", 8, sp);
    hpo_trial *t[12];
    for (int i = 0; i < 12; i++) {
        t[i] = ask(s);
        if (i != 5)
            tell(s, t[i]);
    }
    CHECK(pop_generation(s, DE) == 0);
    hpo_trial *next = ask(s); /* every target finished: generation 1 */
    CHECK(pop_generation(s, DE) == 1);
    int n;
    hpo_trial **ts = all_trials(s, &n);
    CHECK(n == 13);
    for (int i = 0; i < 12; i++)
        CHECK(member_number(ts[i], "target") == i % N);
    CHECK(member_number(ts[12], "target") == 0);
    hpo__de de;
    CHECK_RC(stored_de(s, &de), HPO_OK);
    double u[DIM];
    member_u(ts[0], u, DIM);
    CHECK(memcmp(u, de.x, sizeof u) == 0);      /* target 0: trial 0 */
    member_u(ts[11], u, DIM);
    CHECK(memcmp(u, de.x + 5 * DIM, sizeof u) == 0); /* 5: trial 11 */
    member_u(ts[5], u, DIM);
    CHECK(memcmp(u, de.x + 5 * DIM, sizeof u) != 0);
    CHECK(de.fx[0] == hpo_trial_value(ts[0], 0));
    CHECK(de.evaluated && de.generation == 0);
    hpo__de_free(&de);
    hpo_trials_free(ts, n);
    for (int i = 0; i < 12; i++)
        hpo_trial_free(t[i]);
    hpo_trial_free(next);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* One SHADE generation by hand from the stored state and the members:
 * successes (u better than its target), the archive, and memory slot k
 * = the weighted Lehmer mean of their F, the weighted mean of their CR
 * (weights: the improvements), as Tanabe & Fukunaga's Algorithm 1. */
static void test_shade_memory_after_a_generation(void)
{
    enum { N = 6, DIM = 2 };
    hpo_space *sp = pop_space(DIM);
    hpo_study *s = pop_study(NULL, "de:population=6,memory_size=3", 9, sp);
    for (int g = 0; g < 3; g++)
        pop_run(s, N, pop_sphere); /* generations 0, 1 and 2 evaluated */
    hpo__de before, after;
    CHECK_RC(stored_de(s, &before), HPO_OK); /* generation 2's */
    CHECK(before.generation == 1 && before.k == 1);
    pop_run(s, 1, pop_sphere); /* ends generation 2 */
    CHECK_RC(stored_de(s, &after), HPO_OK);
    CHECK(after.generation == 2);
    int n;
    hpo_trial **ts = all_trials(s, &n);
    double sf[N], scr[N], df[N];
    int wins = 0;
    for (int i = 0; i < N; i++) {
        hpo_trial *m = ts[2 * N + i]; /* generation 2's member i */
        CHECK(member_number(m, "target") == i);
        double fu = hpo_trial_value(m, 0);
        if (fu < before.fx[i]) {
            sf[wins] = member_number(m, "F");
            scr[wins] = member_number(m, "CR");
            df[wins++] = before.fx[i] - fu;
        }
        CHECK(after.fx[i] == (fu <= before.fx[i] ? fu : before.fx[i]));
    }
    CHECK(wins >= 1);
    double w = 0, wf = 0, wf2 = 0, wcr = 0;
    for (int i = 0; i < wins; i++) {
        w += df[i];
        wf += df[i] * sf[i];
        wf2 += df[i] * sf[i] * sf[i];
        wcr += df[i] * scr[i];
    }
    CHECK_NEAR(after.m_f[1], wf2 / wf, 1e-12);
    CHECK_NEAR(after.m_cr[1], wcr / w, 1e-12);
    CHECK(after.m_f[1] != 0.5); /* the memory changed */
    CHECK(after.m_f[2] == 0.5 && after.k == 2);
    CHECK(after.n_archive == before.n_archive + wins);
    hpo_trials_free(ts, n);
    hpo__de_free(&before);
    hpo__de_free(&after);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* A failed trial vector is +inf: its target keeps its place. */
static void test_failed_member_replaces_nobody(void)
{
    enum { N = 5, DIM = 2 };
    hpo_space *sp = pop_space(DIM);
    hpo_study *s = pop_study(NULL, "de:strategy=rand1bin,population=5", 10,
                             sp);
    pop_run(s, N, pop_sphere);
    hpo_trial *t = ask(s); /* generation 1, target 0 */
    CHECK_RC(hpo_study_tell(s, t, HPO_FAIL, NULL, 0), HPO_OK);
    hpo_trial_free(t);
    hpo__de before, after;
    CHECK_RC(stored_de(s, &before), HPO_OK);
    pop_run(s, N, pop_sphere); /* targets 1..4, then generation 2 */
    CHECK_RC(stored_de(s, &after), HPO_OK);
    CHECK(after.generation == 1);
    CHECK(memcmp(after.x, before.x, sizeof(double) * DIM) == 0);
    CHECK(after.fx[0] == before.fx[0]);
    hpo__de_free(&before);
    hpo__de_free(&after);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* A 6-D sphere, 800 trials: DE's best within 0.01 of the optimum on every
 * seed, both strategies; random search's is not (about 0.06). */
static void test_beats_random(void)
{
    for (uint64_t seed = 10; seed < 13; seed++) {
        double shade = pop_best_of("de", seed, 6, 800);
        double rand1 = pop_best_of("de:strategy=rand1bin", seed, 6, 800);
        double random = pop_best_of("random", seed, 6, 800);
        fprintf(stderr, "seed %llu: shade %.3g, rand1bin %.3g, random %.3g\n",
                (unsigned long long)seed, shade, rand1, random);
        CHECK(shade < 0.01 && rand1 < 0.01);
        CHECK(random > 0.01);
    }
}

static void test_options_refused(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "de:population=3"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "de:strategy=best2bin"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "de:f=0"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "de:cr=1.5"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "de:memory_size=0"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_sampler(s, "de:strategy=rand1bin,f=0.8,cr=0.5,"
                                      "population=12"), HPO_OK);
    hpo_study_free(s);
}

static const pop_sampler de_case = {
    DE, "de:population=5", 14, "{\"kind\": \"ga\", \"genes\": []}",
    "{\"strategy\":\"shade\",\"dim\":2,\"pop\":4,\"h\":1,\"f\":0.5,"
    "\"cr\":0.9,\"k\":0,\"generation\":0,\"evaluated\":0,\"pending\":0,"
    "\"x\":[[0.1,0.2],[0.3,2.0],[0.1,0.1],[0.2,0.2]],"
    "\"fx\":[null,null,null,null],\"archive\":[],\"m_f\":[0.5],"
    "\"m_cr\":[0.5],\"u\":[[0,0],[0,0],[0,0],[0,0]],"
    "\"f_i\":[0.5,0.5,0.5,0.5],\"cr_i\":[0.5,0.5,0.5,0.5]}"};

int main(void)
{
    if (!pop_dir_make())
        return 1;
    RUN(test_targets_and_stand_ins);
    RUN(test_shade_memory_after_a_generation);
    RUN(test_failed_member_replaces_nobody);
    RUN(test_beats_random);
    RUN(test_options_refused);
    pop_check_common(&de_case);
    pop_dir_remove();
    return CHECK_DONE();
}
