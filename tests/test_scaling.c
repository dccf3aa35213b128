/*
 * test_scaling.c — a trial's cost is linear in its number of parameters
 * (issue 9: with N define-by-run floats, TPE and auto cost grew with N^3:
 * every suggest re-read the history, copying the running trial's growing
 * record, and every lookup by name was a linear strcmp search).
 *
 * Counted, not timed: the library's string comparisons (strcmp is wrapped
 * at link time, tests/CMakeLists.txt) and the trial records its history
 * refreshes read from storage, per trial, for N and 4N parameters, over
 * the start-up trials and the model's trials apart.  Linear: 4N costs
 * about 4 times N (at most 6: sorting names by name is N log N); the
 * quadratic lookups made it 16.
 */
#include "check.h"
#include "core/study.h"
#include "problems.h"

static long n_strcmp;

int __real_strcmp(const char *a, const char *b);
int __wrap_strcmp(const char *a, const char *b)
{
    n_strcmp++;
    return __real_strcmp(a, b);
}

#define STARTUP 10
#define MODEL 3
#define N_SMALL 128

typedef struct cost {
    double cmp_startup, cmp_model; /* strcmp per trial */
    double fetched;                /* records read by refreshes per trial */
} cost;

static int run_trial(hpo_study *s, int n_params)
{
    hpo_trial *t;
    double sum;
    int rc = hpo_study_ask(s, &t);
    if (rc == HPO_OK)
        rc = bench_sphere_objective(t, &n_params, &sum);
    if (rc == HPO_OK)
        rc = hpo_study_tell(s, t, HPO_COMPLETE, &sum, 1);
    hpo_trial_free(t);
    return rc;
}

static cost measure(const char *sampler, int n_params)
{
    cost c = {0};
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, sampler), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 3), HPO_OK);
    CHECK_RC(hpo_study_open(s, "scaling", HPO_OPEN_CREATE), HPO_OK);
    long cmp0 = n_strcmp;
    int64_t fetched0 = s->history_fetched;
    for (int k = 0; k < STARTUP; k++)
        CHECK_RC(run_trial(s, n_params), HPO_OK);
    c.cmp_startup = (double)(n_strcmp - cmp0) / STARTUP;
    cmp0 = n_strcmp;
    for (int k = 0; k < MODEL; k++)
        CHECK_RC(run_trial(s, n_params), HPO_OK);
    c.cmp_model = (double)(n_strcmp - cmp0) / MODEL;
    c.fetched = (double)(s->history_fetched - fetched0) / (STARTUP + MODEL);
    hpo_study_free(s);
    return c;
}

static void check_linear(const char *sampler)
{
    cost a = measure(sampler, N_SMALL), b = measure(sampler, 4 * N_SMALL);
    fprintf(stderr,
            "%s: strcmp per trial, start-up %.0f -> %.0f, model %.0f -> %.0f; "
            "records fetched per trial %.1f -> %.1f\n",
            sampler, a.cmp_startup, b.cmp_startup, a.cmp_model, b.cmp_model,
            a.fetched, b.fetched);
    CHECK(b.cmp_startup <= 6 * a.cmp_startup);
    CHECK(b.cmp_model <= 6 * a.cmp_model);
    /* and a few per parameter, not one per parameter seen so far (the
     * model's trials also compare each old trial's names: T x N) */
    CHECK(b.cmp_startup <= 16.0 * 4 * N_SMALL);
    /* the history is read at ask and at the first suggest, not at each */
    CHECK(a.fetched <= 3 && b.fetched <= 3);
}

static void test_tpe(void)
{
    check_linear("tpe");
}

static void test_tpe_multivariate(void)
{
    check_linear("tpe:multivariate=true");
}

static void test_tpe_group(void)
{
    check_linear("tpe:multivariate=true,group=true");
}

static void test_auto(void)
{
    check_linear("auto");
}

static void test_random(void)
{
    check_linear("random");
}

/* A trial record looks parameters up by name alike below and above the
 * size at which it indexes them, after copies and moves. */
static void test_record_index(void)
{
    hpo__trial_rec r, copy;
    hpo__rec_init(&r);
    hpo__dist d = {.kind = HPO__FLOAT, .low = 0, .high = 1};
    char name[32];
    for (int i = 0; i < 3 * HPO_NAME_INDEX_FROM; i++) {
        snprintf(name, sizeof name, "p%d", i);
        CHECK_RC(hpo__rec_add_param(&r, name, &d, i), HPO_OK);
    }
    CHECK(r.by_name.cap > 0);
    CHECK_RC(hpo__rec_add_param(&r, "p7", &d, 70), HPO_OK); /* replaced */
    CHECK(r.n_params == 3 * HPO_NAME_INDEX_FROM);
    CHECK_RC(hpo__rec_copy(&copy, &r), HPO_OK);
    hpo__trial_rec moved = r; /* as the history cache moves records */
    hpo__rec_init(&r);
    for (int i = 0; i < 3 * HPO_NAME_INDEX_FROM; i++) {
        snprintf(name, sizeof name, "p%d", i);
        const hpo__param *p = hpo__rec_param(&copy, name);
        const hpo__param *q = hpo__rec_param(&moved, name);
        CHECK(p && q && p->internal == (i == 7 ? 70 : i) &&
              q->internal == p->internal);
    }
    CHECK(!hpo__rec_param(&copy, "p") && !hpo__rec_param(&moved, "p999"));
    hpo__rec_free(&copy);
    hpo__rec_free(&moved);
}

/* An enqueued trial's many fixed values are found by name (indexed), and
 * a name not fixed is sampled.  (A repeated name is refused by enqueue.) */
static void test_fixed_params(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_open(s, "fixed", HPO_OPEN_CREATE), HPO_OK);
    char json[4096];
    int len = snprintf(json, sizeof json, "{");
    for (int j = 0; j < 3 * HPO_NAME_INDEX_FROM; j++)
        len += snprintf(json + len, sizeof json - (size_t)len, "%s\"x%d\": %d",
                        j ? ", " : "", j, j % 9);
    snprintf(json + len, sizeof json - (size_t)len, "}");
    CHECK_RC(hpo_study_enqueue(s, json), HPO_OK);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int ok = 1;
    char name[32];
    for (int j = 3 * HPO_NAME_INDEX_FROM; j >= 0; j--) {
        double x;
        snprintf(name, sizeof name, "x%d", j);
        CHECK_RC(hpo_trial_suggest_float(t, name, -10, 10, 0, 0, &x), HPO_OK);
        if (j < 3 * HPO_NAME_INDEX_FROM)
            ok &= x == j % 9;
        else
            ok &= x >= -10 && x <= 10;
    }
    CHECK(ok);
    double v = 1;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_study_free(s);
}

/* The index itself: growth, absent names, the first position kept. */
static void test_name_index(void)
{
    hpo__name_index ix = {0};
    CHECK(hpo__name_index_get(&ix, "a") == -1);
    static char names[1000][8];
    for (int i = 0; i < 1000; i++) {
        snprintf(names[i], sizeof names[i], "n%d", i);
        CHECK_RC(hpo__name_index_put(&ix, names[i], i), HPO_OK);
    }
    CHECK_RC(hpo__name_index_put(&ix, "n5", 99), HPO_OK);
    int ok = 1;
    for (int i = 0; i < 1000; i++)
        ok &= hpo__name_index_get(&ix, names[i]) == i;
    CHECK(ok);
    CHECK(ix.n == 1000 && hpo__name_index_get(&ix, "n1000") == -1);
    hpo__name_index_free(&ix);
}

int main(void)
{
    RUN(test_name_index);
    RUN(test_record_index);
    RUN(test_fixed_params);
    RUN(test_tpe);
    RUN(test_tpe_multivariate);
    RUN(test_tpe_group);
    RUN(test_auto);
    RUN(test_random);
    return CHECK_DONE();
}
