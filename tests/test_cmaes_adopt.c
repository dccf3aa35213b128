/* The worker that writes a CMA-ES generation keeps the distribution it
 * built instead of parsing the text it stored (generation.h, adopt): it
 * must draw exactly what a worker that reads the text back draws.  One
 * handle alone (always the writer) and two handles alternating on one
 * storage (each reads back the other's generations) ask the same trials
 * with the same seed: every parameter equal, restarts included. */
#include "check.h"
#include "hpo.h"

#define N 3
#define TRIALS 260

static hpo_study *open_study(hpo_storage *storage)
{
    hpo_study *s = hpo_study_new();
    hpo_space *sp = hpo_space_new();
    char name[8];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "x%d", i);
        hpo_space_add_float(sp, name, 0, 1, 0, 0);
    }
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    hpo_space_free(sp);
    CHECK_RC(hpo_study_set_storage(s, storage), HPO_OK);
    CHECK_RC(hpo_study_set_sampler(s, "cmaes"), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 17), HPO_OK);
    CHECK_RC(hpo_study_open(s, "adopt", HPO_OPEN_CREATE | HPO_OPEN_LOAD), HPO_OK);
    return s;
}

/* A sphere for 60 trials, then flat values: the run stops by TolFun and
 * restarts (a state with "last_stop" and a new population). */
static void ask_tell(hpo_study *s, int k, double *x)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double v = 0;
    char name[8];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "x%d", i);
        CHECK_RC(hpo_trial_suggest_float(t, name, 0, 1, 0, 0, &x[i]), HPO_OK);
        v += (x[i] - 0.7) * (x[i] - 0.7);
    }
    if (k >= 60)
        v = 1.0;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
}

static void test_writer_draws_as_reader(void)
{
    static double alone[TRIALS][N], shared[TRIALS][N];
    hpo_storage *st1 = NULL, *st2 = NULL;
    CHECK_RC(hpo_storage_open(&st1, "memory:"), HPO_OK);
    CHECK_RC(hpo_storage_open(&st2, "memory:"), HPO_OK);
    hpo_study *a = open_study(st1);
    for (int k = 0; k < TRIALS; k++)
        ask_tell(a, k, alone[k]);
    const char *state = hpo_study_system_attr(a, "hpo:cmaes:state");
    CHECK(state && !strstr(state, "\"restarts\":0,"));
    hpo_study *b = open_study(st2), *c = open_study(st2);
    for (int k = 0; k < TRIALS; k++)
        ask_tell(k % 2 ? c : b, k, shared[k]);
    int same = 0;
    for (int k = 0; k < TRIALS; k++)
        same += !memcmp(alone[k], shared[k], sizeof alone[k]);
    CHECK(same == TRIALS);
    hpo_study_free(a);
    hpo_study_free(b);
    hpo_study_free(c);
    hpo_storage_close(st1);
    hpo_storage_close(st2);
}

int main(void)
{
    RUN(test_writer_draws_as_reader);
    return CHECK_DONE();
}
