/* test_history.c — the study's history cache reads only what changed:
 * after the first read, a refresh fetches the new trials and those that
 * were unfinished, never the finished ones again (a trial left unfinished
 * long ago included), and counts trials by state without going over the
 * whole study. */
#include "check.h"
#include "core/study.h"

static int quadratic(hpo_trial *t, void *data, double *v)
{
    double x;
    int rc = hpo_trial_suggest_float(t, "x", -1, 1, 0, 0, &x);
    v[0] = x * x;
    return rc;
}

static int64_t refresh_cost(hpo_study *s)
{
    int64_t before = s->history_fetched;
    pthread_mutex_lock(&s->lock);
    hpo__history_refresh(s);
    pthread_mutex_unlock(&s->lock);
    return s->history_fetched - before;
}

static void test_incremental(const char *url)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    /* random reads no history: every read counted here is the cache's. */
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_open(s, "h", HPO_OPEN_CREATE), HPO_OK);
    hpo_optimize_options o = {.n_trials = 500};
    hpo_study_optimize(s, quadratic, NULL, &o);
    CHECK(refresh_cost(s) == 500); /* the first read sees everything */
    CHECK(refresh_cost(s) == 0);   /* nothing changed */
    hpo_trial *running;
    hpo_study_ask(s, &running);
    o.n_trials = 10;
    hpo_study_optimize(s, quadratic, NULL, &o);
    CHECK(refresh_cost(s) == 11); /* the running one and the 10 after it */
    CHECK(refresh_cost(s) == 11); /* still unfinished: read again */
    double v = 0.5;
    hpo_study_tell(s, running, HPO_COMPLETE, &v, 1);
    hpo_trial_free(running);
    CHECK(refresh_cost(s) == 11);
    CHECK(refresh_cost(s) == 0);
    hpo_trial **all;
    int n;
    hpo_study_trials(s, &all, &n);
    CHECK(n == 511);
    hpo_trials_free(all, n);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* A trial left RUNNING (its worker died without heartbeats) before 500
 * finished ones: refreshes read it and the new trials, not the 500. */
static void test_stuck_unfinished(const char *url)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_open(s, "stuck", HPO_OPEN_CREATE), HPO_OK);
    hpo_trial *stuck;
    hpo_study_ask(s, &stuck);
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 0.5}"), HPO_OK);
    hpo_optimize_options o = {.n_trials = 500};
    hpo_study_optimize(s, quadratic, NULL, &o); /* the WAITING one first */
    CHECK(refresh_cost(s) == 501); /* the first read sees all of them */
    o.n_trials = 10;
    hpo_study_optimize(s, quadratic, NULL, &o);
    CHECK(refresh_cost(s) == 11); /* the stuck one and the 10 new */
    CHECK(refresh_cost(s) == 1);
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 0.25}"), HPO_OK);
    int counts[5];
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    CHECK(counts[HPO_RUNNING] == 1 && counts[HPO_COMPLETE] == 510 &&
          counts[HPO_WAITING] == 1 && counts[HPO_FAIL] == 0 &&
          counts[HPO_PRUNED_STATE] == 0);
    hpo_trial **some;
    int n;
    CHECK_RC(hpo_study_trials_in(s, (1u << HPO_RUNNING) | (1u << HPO_WAITING),
                                 &some, &n), HPO_OK);
    CHECK(n == 2 && hpo_trial_number(some[0]) == 0 &&
          hpo_trial_state_of(some[1]) == HPO_WAITING &&
          hpo_trial_number(some[1]) == 511);
    hpo_trials_free(some, n);
    CHECK_RC(hpo_study_trials_in(s, 1u << HPO_COMPLETE, &some, &n), HPO_OK);
    CHECK(n == 510 && hpo_trial_number(some[0]) == 1);
    hpo_trials_free(some, n);
    double v = 0.5;
    hpo_study_tell(s, stuck, HPO_FAIL, &v, 0);
    hpo_trial_free(stuck);
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    CHECK(counts[HPO_RUNNING] == 0 && counts[HPO_FAIL] == 1 &&
          counts[HPO_COMPLETE] == 510 && counts[HPO_WAITING] == 1);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static void test_memory(void)
{
    test_incremental("memory:");
    test_stuck_unfinished("memory:");
}

static void test_sqlite(void)
{
    char dir[] = "/tmp/hpo-hist-XXXXXX", url[300], cmd[300];
    if (!mkdtemp(dir))
        return;
    snprintf(url, sizeof url, "sqlite:///%s/h.db", dir);
    test_incremental(url);
    test_stuck_unfinished(url);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    RUN(test_memory);
    RUN(test_sqlite);
    return CHECK_DONE();
}
