/* test_late_result.c — a trial failed by a heartbeat check while its
 * worker was alive after all (stopped, swapped out, cut off from the
 * database for longer than the grace period): the worker's late result is
 * kept and the run goes on (docs/distributed.md, "Late results").
 *
 * Two handles on one database stand for two processes: A runs the trials
 * and beats only once per trial (interval 100 s), B has a short grace
 * period, so B judges A's trial stale at will.  On SQLite, and on
 * PostgreSQL when the build has it (a throw-away server). */
#include <unistd.h>

#include "check.h"
#include "hpo.h"

/* Only a part of each shared helper file is used here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "storage_contract.h"
#if __has_include(<libpq-fe.h>)
#include "pg/pg_harness.h"
#define HAVE_PG_HARNESS 1
#endif
#pragma GCC diagnostic pop

static char url[512];
static int study_no;
static char study_name[32];

static hpo_study *open_handle(hpo_storage **st, double beat, double grace,
                              int retries)
{
    CHECK_RC(hpo_storage_open(st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, *st);
    hpo_study_set_heartbeat(s, beat, grace);
    hpo_study_set_retry_failed(s, retries);
    int rc = hpo_study_open(s, study_name, HPO_OPEN_CREATE | HPO_OPEN_LOAD);
    if (rc)
        fprintf(stderr, "open: %s\n", hpo_study_errmsg(s));
    CHECK_RC(rc, HPO_OK);
    return s;
}

static void new_study_name(void)
{
    snprintf(study_name, sizeof study_name, "late%d", ++study_no);
}

typedef struct pair {
    hpo_storage *sta, *stb;
    hpo_study *a, *b; /* a runs trials; b fails them */
    char log[2048];   /* what a logged */
} pair;

static void keep_log(int level, const char *message, void *data)
{
    (void)level;
    pair *p = data;
    size_t used = strlen(p->log);
    snprintf(p->log + used, sizeof p->log - used, "%s\n", message);
}

static void pair_open(pair *p, int retries)
{
    memset(p, 0, sizeof *p);
    new_study_name();
    p->a = open_handle(&p->sta, 100, 100, 0);
    p->b = open_handle(&p->stb, 0.05, 0.2, retries);
    hpo_study_set_log(p->a, keep_log, p);
}

static void pair_close(pair *p)
{
    hpo_study_free(p->a);
    hpo_storage_close(p->sta);
    hpo_study_free(p->b);
    hpo_storage_close(p->stb);
}

/* B fails A's running trial: wait past B's grace period, then check. */
static int fail_from_b(pair *p)
{
    usleep(400 * 1000);
    int failed = -1;
    CHECK_RC(hpo_study_fail_stale_trials(p->b, &failed), HPO_OK);
    return failed;
}

/* The objective of the optimize tests: its first trial is failed under it
 * by B, then it goes on with everything a trial does, and every call must
 * still work. */
typedef struct run_state {
    pair *p;
    int calls;
    int failed_by_b;
    int rc_report, rc_prune, rc_attr, rc_constraints, rc_suggest;
    double x;
} run_state;

static int objective(hpo_trial *t, void *data, double *v)
{
    run_state *r = data;
    double x;
    hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x);
    v[0] = x * x;
    if (r->calls++ > 0)
        return HPO_OK;
    r->x = x;
    hpo_trial_report(t, 0, 30.0);
    r->failed_by_b = fail_from_b(r->p);
    r->rc_report = hpo_trial_report(t, 1, 20.0);
    r->rc_prune = hpo_trial_should_prune(t);
    r->rc_attr = hpo_trial_set_user_attr(t, "epochs", "2");
    double c = -1;
    r->rc_constraints = hpo_trial_set_constraints(t, &c, 1);
    int64_t k;
    r->rc_suggest = hpo_trial_suggest_int(t, "k", 1, 9, 1, 0, &k);
    return HPO_OK;
}

static int numbers_seen[8], n_seen;

static int count_callback(hpo_study *s, const hpo_trial *t, void *data)
{
    (void)s;
    (void)data;
    if (n_seen < 8)
        numbers_seen[n_seen++] = hpo_trial_number(t);
    return 0;
}

static hpo_trial **all_trials(hpo_study *s, int *n)
{
    hpo_trial **all = NULL;
    CHECK_RC(hpo_study_trials(s, &all, n), HPO_OK);
    return all;
}

static const char *sys_attr(hpo_trial *t, const char *key)
{
    const char *v = hpo_trial_system_attr(t, key);
    return v ? v : "(none)";
}

/* The late result's trial holds everything the run recorded. */
static void check_kept(hpo_trial *late, double x)
{
    double kx = NAN;
    CHECK(hpo_trial_state_of(late) == HPO_COMPLETE);
    CHECK(hpo_trial_param(late, "x", &kx) && kx == x);
    CHECK(hpo_trial_param(late, "k", &kx));
    CHECK_NEAR(hpo_trial_value(late, 0), x * x, 0);
    CHECK_STR_CONTAINS(sys_attr(late, "late_result_of"), "0");
    CHECK(hpo_trial_n_intermediate(late) == 2);
    CHECK(hpo_trial_user_attr(late, "epochs") &&
          strcmp(hpo_trial_user_attr(late, "epochs"), "2") == 0);
    CHECK(hpo_trial_is_feasible(late) == 1 &&
          hpo_trial_constraints(late, NULL, 0) == 1);
}

/* The failed trial stays as the heartbeat check left it. */
static void check_failed(hpo_trial *t0)
{
    CHECK(hpo_trial_state_of(t0) == HPO_FAIL);
    CHECK(hpo_trial_n_values(t0) == 0);
    CHECK_STR_CONTAINS(sys_attr(t0, "fail_reason"), "heartbeats");
}

static void run_optimize(pair *p, run_state *r, int n_trials)
{
    memset(r, 0, sizeof *r);
    r->p = p;
    n_seen = 0;
    hpo_optimize_options o = {.n_trials = n_trials,
                              .callback = count_callback};
    int rc = hpo_study_optimize(p->a, objective, r, &o);
    if (rc)
        fprintf(stderr, "optimize: %s\n", hpo_study_errmsg(p->a));
    CHECK_RC(rc, HPO_OK);
    CHECK(r->failed_by_b == 1);
    CHECK_RC(r->rc_report, HPO_OK);
    CHECK(r->rc_prune == 0);
    CHECK_RC(r->rc_attr, HPO_OK);
    CHECK_RC(r->rc_constraints, HPO_OK);
    CHECK_RC(r->rc_suggest, HPO_OK);
}

/* A optimizes two trials and B fails the first under it: the study's
 * three trials, the failed one and the late result checked. */
static hpo_trial **late_run(pair *p, int retries, int *n)
{
    pair_open(p, retries);
    run_state r;
    run_optimize(p, &r, 2);
    hpo_trial **all = all_trials(p->a, n);
    CHECK(*n == 3);
    if (*n == 3) {
        check_failed(all[0]);
        check_kept(all[1], r.x);
        CHECK(hpo_trial_state_of(all[2]) == HPO_COMPLETE);
    }
    /* the callback saw the trial where the result is */
    CHECK(n_seen == 2 && numbers_seen[0] == 1 && numbers_seen[1] == 2);
    return all;
}

/* No retry: the late result becomes a new COMPLETE trial with the same
 * parameters; the failed one is left as it was; optimize goes on. */
static void test_late_result_is_a_new_trial(void)
{
    pair p;
    int n;
    hpo_trial **all = late_run(&p, 0, &n);
    if (n == 3)
        CHECK(hpo_trial_system_attr(all[2], "late_result_of") == NULL);
    hpo_trials_free(all, n);
    CHECK_STR_CONTAINS(p.log, "trial 0");
    CHECK_STR_CONTAINS(p.log, "kept as trial 1");
    int counts[5];
    CHECK_RC(hpo_study_count_trials(p.b, counts), HPO_OK);
    CHECK(counts[HPO_COMPLETE] == 2 && counts[HPO_FAIL] == 1 &&
          counts[HPO_RUNNING] == 0 && counts[HPO_WAITING] == 0);
    pair_close(&p);
}

/* With retries, the failed trial's WAITING copy takes the late result, so
 * the same parameters are not run again. */
static void test_late_result_completes_the_retry(void)
{
    pair p;
    int n;
    hpo_trial **all = late_run(&p, 1, &n);
    if (n == 3) {
        CHECK(strcmp(sys_attr(all[1], "retry_history"), "[0]") == 0);
        CHECK(strcmp(sys_attr(all[1], "failed_trial"), "0") == 0);
        CHECK(hpo_trial_system_attr(all[2], "failed_trial") == NULL);
    }
    hpo_trials_free(all, n);
    pair_close(&p);
}

/* A retry already claimed by another worker runs there; the late result
 * is then a trial of its own. */
static void test_claimed_retry_is_left_alone(void)
{
    pair p;
    pair_open(&p, 1);
    hpo_trial *t, *retry;
    CHECK_RC(hpo_study_ask(p.a, &t), HPO_OK);
    double x;
    hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x);
    CHECK(fail_from_b(&p) == 1);
    CHECK_RC(hpo_study_ask(p.b, &retry), HPO_OK);
    CHECK(hpo_trial_number(retry) == 1);
    double v = x * x;
    CHECK_RC(hpo_study_tell(p.a, t, HPO_COMPLETE, &v, 1), HPO_OK);
    CHECK(hpo_trial_number(t) == 2);
    CHECK(hpo_trial_state_of(t) == HPO_COMPLETE);
    CHECK_RC(hpo_study_tell(p.b, retry, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_trial_free(retry);
    int counts[5];
    CHECK_RC(hpo_study_count_trials(p.a, counts), HPO_OK);
    CHECK(counts[HPO_COMPLETE] == 2 && counts[HPO_FAIL] == 1);
    pair_close(&p);
}

/* A trial told FAIL after a heartbeat check failed it: nothing to keep,
 * and no error. */
static void test_late_failure_is_not_an_error(void)
{
    pair p;
    pair_open(&p, 0);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(p.a, &t), HPO_OK);
    CHECK(fail_from_b(&p) == 1);
    CHECK_RC(hpo_study_tell(p.a, t, HPO_FAIL, NULL, 0), HPO_OK);
    CHECK(hpo_trial_state_of(t) == HPO_FAIL);
    hpo_trial_free(t);
    int n;
    hpo_trial **all = all_trials(p.a, &n);
    CHECK(n == 1);
    hpo_trials_free(all, n);
    pair_close(&p);
}

/* A pruned trial is a result too: kept with its last intermediate value. */
static void test_late_pruned_is_kept(void)
{
    pair p;
    pair_open(&p, 0);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(p.a, &t), HPO_OK);
    double x;
    hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x);
    CHECK(fail_from_b(&p) == 1);
    CHECK_RC(hpo_trial_report(t, 4, 0.5), HPO_OK);
    CHECK_RC(hpo_study_tell(p.a, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    CHECK(hpo_trial_number(t) == 1);
    CHECK(hpo_trial_state_of(t) == HPO_PRUNED_STATE);
    CHECK_NEAR(hpo_trial_value(t, 0), 0.5, 0);
    CHECK_STR_CONTAINS(sys_attr(t, "late_result_of"), "0");
    hpo_trial_free(t);
    pair_close(&p);
}

/* A handle never fails a trial it is running itself, however old its
 * last beat in the database (the process was stopped, its beat thread
 * with it): it is alive. */
static void test_own_trials_are_not_stale(void)
{
    new_study_name();
    hpo_storage *st;
    hpo_study *s = open_handle(&st, 100, 0.2, 0);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    usleep(400 * 1000);
    int failed = -1;
    CHECK_RC(hpo_study_fail_stale_trials(s, &failed), HPO_OK);
    CHECK(failed == 0);
    double v = 1;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    CHECK(hpo_trial_number(t) == 0);
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* The storage side, on a fresh database. */
static void test_storage_contract(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo__study_info info;
    if (hpo__st_find_study(st, "late", &info) == HPO_OK) { /* a rerun */
        hpo__st_delete_study(st, info.id);
        hpo__study_info_free(&info, 1);
    }
    contract_late_trials(st);
    hpo_storage_close(st);
}

static void run_all(const char *where)
{
    fprintf(stderr, "-- %s\n", where);
    RUN(test_storage_contract);
    RUN(test_late_result_is_a_new_trial);
    RUN(test_late_result_completes_the_retry);
    RUN(test_claimed_retry_is_left_alone);
    RUN(test_late_failure_is_not_an_error);
    RUN(test_late_pruned_is_kept);
    RUN(test_own_trials_are_not_stale);
}

#ifdef HAVE_PG_HARNESS
static void run_postgres(void)
{
    hpo_storage *probe = NULL;
    int rc = hpo_storage_open(&probe, "postgresql://x@127.0.0.1:9/x");
    hpo_storage_close(probe);
    if (rc == HPO_EUNSUPPORTED) {
        fprintf(stderr, "SKIP PostgreSQL: not in this build\n");
        return;
    }
    if (pg_start() != 0) {
        check_failures++;
        return;
    }
    char *u = pg_db_url("late", NULL);
    snprintf(url, sizeof url, "%s", u);
    free(u);
    run_all("postgresql");
    pg_stop();
}
#endif

int main(void)
{
    char dir[] = "/tmp/hpo-late-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(url, sizeof url, "memory:");
    RUN(test_storage_contract); /* no heartbeats: only the storage side */
    snprintf(url, sizeof url, "sqlite:///%s/late.db", dir);
    run_all("sqlite");
#ifdef HAVE_PG_HARNESS
    run_postgres();
#endif
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
