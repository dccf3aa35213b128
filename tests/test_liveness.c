/* test_liveness.c — heartbeats, stale trials and retries on a shared
 * SQLite study: a worker killed with SIGKILL in the middle of a trial has
 * its trial failed after the grace period and retried with the same
 * parameters; so has a worker that dies before its first heartbeat (its
 * trial freshly created or claimed); a live worker's trial is never
 * failed; FAIL trials are retried up to the limit, linked to the
 * original. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"
#include "storage/storage.h" /* to die at the first heartbeat (below) */

static char url[256];

static hpo_study *open_shared(hpo_storage **st, double beat, double grace,
                              int retries)
{
    CHECK_RC(hpo_storage_open(st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, *st);
    hpo_study_set_heartbeat(s, beat, grace);
    hpo_study_set_retry_failed(s, retries);
    int rc = hpo_study_open(s, "live", HPO_OPEN_CREATE | HPO_OPEN_LOAD);
    if (rc)
        fprintf(stderr, "open: %s\n", hpo_study_errmsg(s));
    CHECK_RC(rc, HPO_OK);
    return s;
}

static void close_shared(hpo_storage *st, hpo_study *s)
{
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* A child that asks a trial, suggests x, tells the parent x, then either
 * hangs (to be killed) or keeps beating for `live_s` seconds. */
static pid_t worker(int fd, double live_s)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    hpo_storage *st;
    hpo_study *s = open_shared(&st, 0.2, 0.6, 0);
    hpo_trial *t;
    double x = -1;
    if (hpo_study_ask(s, &t) == HPO_OK)
        hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
    if (write(fd, &x, sizeof x) != sizeof x)
        _exit(3);
    usleep((useconds_t)(live_s * 1e6));
    double v = x;
    hpo_study_tell(s, t, HPO_COMPLETE, &v, 1);
    hpo_trial_free(t);
    close_shared(st, s);
    _exit(0);
}

static void test_killed_worker_is_failed_and_retried(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = worker(p[1], 1000);
    double x;
    CHECK(read(p[0], &x, sizeof x) == sizeof x);
    CHECK(x >= 0 && x <= 1);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);

    hpo_storage *st;
    hpo_study *s = open_shared(&st, 0.2, 0.6, 1);
    int failed = -1;
    CHECK_RC(hpo_study_fail_stale_trials(s, &failed), HPO_OK);
    CHECK(failed == 0); /* not stale yet: its last beat is recent */
    usleep(1200 * 1000);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK); /* fails it, then claims the retry */
    double again = -2;
    hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &again);
    CHECK(again == x);
    CHECK(hpo_trial_number(t) == 1);
    CHECK(strcmp(hpo_trial_system_attr(t, "failed_trial"), "0") == 0);
    CHECK(strcmp(hpo_trial_system_attr(t, "retry_history"), "[0]") == 0);
    double v = again;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_trial **all;
    int n;
    hpo_study_trials(s, &all, &n);
    CHECK(n == 2);
    if (n == 2) {
        CHECK(hpo_trial_state_of(all[0]) == HPO_FAIL);
        CHECK_STR_CONTAINS(hpo_trial_system_attr(all[0], "fail_reason"), "heartbeats");
        CHECK(hpo_trial_state_of(all[1]) == HPO_COMPLETE);
    }
    hpo_trials_free(all, n);
    close_shared(st, s);
}

/* A heartbeat method that kills its process instead of beating. */
static int die_instead_of_beating(hpo_storage *st, void *state, int64_t id)
{
    (void)st;
    (void)state;
    (void)id;
    _exit(0);
}

/* A worker killed after its trial turned RUNNING and before its first
 * heartbeat (the soak campaign's SIGKILLs found this window): it asks
 * for a trial on a storage whose heartbeat method ends the process.  Its
 * trial must still be failed after the grace period: a RUNNING trial
 * without a heartbeat is never stale, and would hold a slot of the study
 * for ever.  With `enqueued`, the trial it takes is a claimed WAITING
 * one, otherwise a new one. */
static void check_death_before_first_beat(int enqueued)
{
    hpo_storage *st;
    hpo_study *s = open_shared(&st, 0.2, 0.6, 0);
    int n_before = 0;
    hpo_trial **all;
    CHECK_RC(hpo_study_trials(s, &all, &n_before), HPO_OK);
    hpo_trials_free(all, n_before);
    if (enqueued)
        CHECK_RC(hpo_study_enqueue(s, "{\"x\": 0.25}"), HPO_OK);
    pid_t pid = fork();
    if (pid == 0) {
        hpo_storage *cst;
        hpo_study *cs = open_shared(&cst, 0.2, 0.6, 0);
        static hpo__storage_type dying;
        dying = *cst->type;
        dying.heartbeat = die_instead_of_beating;
        cst->type = &dying;
        hpo_trial *t;
        hpo_study_ask(cs, &t);
        sleep(10); /* the heartbeat thread ends the process first */
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    usleep(1200 * 1000);
    int failed = 0;
    CHECK_RC(hpo_study_fail_stale_trials(s, &failed), HPO_OK);
    CHECK(failed == 1);
    int n;
    CHECK_RC(hpo_study_trials(s, &all, &n), HPO_OK);
    CHECK(n == n_before + 1);
    if (n == n_before + 1) {
        CHECK(hpo_trial_state_of(all[n_before]) == HPO_FAIL);
        CHECK_STR_CONTAINS(hpo_trial_system_attr(all[n_before], "fail_reason"),
                           "heartbeats");
    }
    hpo_trials_free(all, n);
    close_shared(st, s);
}

static void test_death_before_the_first_beat_of_a_new_trial(void)
{
    check_death_before_first_beat(0);
}

static void test_death_before_the_first_beat_of_a_claimed_trial(void)
{
    check_death_before_first_beat(1);
}

static void test_live_worker_is_not_failed(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = worker(p[1], 2.0);
    double x;
    CHECK(read(p[0], &x, sizeof x) == sizeof x);
    hpo_storage *st;
    hpo_study *s = open_shared(&st, 0.2, 0.6, 1);
    int total = 0;
    for (int i = 0; i < 15; i++) {
        int failed = 0;
        hpo_study_fail_stale_trials(s, &failed);
        total += failed;
        usleep(100 * 1000);
    }
    CHECK(total == 0);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close_shared(st, s);
}

static int always_fails(hpo_trial *t, void *data, double *v)
{
    double x;
    hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
    return HPO_EFAIL;
}

static void test_failed_trials_are_retried_up_to_the_limit(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    hpo_study_set_retry_failed(s, 2);
    hpo_study_open(s, "retry", HPO_OPEN_CREATE);
    hpo_optimize_options o = {.n_trials = 4};
    hpo_study_optimize(s, always_fails, NULL, &o);
    hpo_trial **all;
    int n;
    hpo_study_trials(s, &all, &n);
    /* trial 0 fails, 1 and 2 retry it, 3 is new and its retry 4 waits */
    CHECK(n == 5);
    if (n == 5) {
        double x0, x1, x2, x3;
        hpo_trial_param(all[0], "x", &x0);
        hpo_trial_param(all[1], "x", &x1);
        hpo_trial_param(all[2], "x", &x2);
        hpo_trial_param(all[3], "x", &x3);
        CHECK(x0 == x1 && x1 == x2 && x3 != x0);
        CHECK(strcmp(hpo_trial_system_attr(all[2], "failed_trial"), "0") == 0);
        CHECK(strcmp(hpo_trial_system_attr(all[2], "retry_history"), "[0,1]") == 0);
        CHECK(hpo_trial_system_attr(all[3], "failed_trial") == NULL);
        CHECK(hpo_trial_state_of(all[4]) == HPO_WAITING);
    }
    hpo_trials_free(all, n);
    hpo_study_free(s);
    hpo_storage_close(st);
}

int main(void)
{
    char dir[] = "/tmp/hpo-live-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(url, sizeof url, "sqlite:///%s/live.db", dir);
    RUN(test_killed_worker_is_failed_and_retried);
    snprintf(url, sizeof url, "sqlite:///%s/live2.db", dir);
    RUN(test_live_worker_is_not_failed);
    RUN(test_failed_trials_are_retried_up_to_the_limit);
    snprintf(url, sizeof url, "sqlite:///%s/live3.db", dir);
    RUN(test_death_before_the_first_beat_of_a_new_trial);
    RUN(test_death_before_the_first_beat_of_a_claimed_trial);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
