/*
 * test_grid.c — the grid sampler through the public API: every point of
 * the declared grid exactly once (one thread, four threads, two study
 * handles sharing one storage), then HPO_DONE; the axis values of
 * continuous, log, thinned and conditional spaces; the errors.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                    */
/* ------------------------------------------------------------------------- */

static hpo_space *space_of(const char *const *specs, int n)
{
    hpo_space *sp = hpo_space_new();
    for (int i = 0; i < n; i++) {
        int rc = hpo_space_parse_param(sp, specs[i]);
        CHECK_RC(rc, HPO_OK);
        if (rc != HPO_OK)
            fprintf(stderr, "  %s: %s\n", specs[i], hpo_space_errmsg(sp));
    }
    return sp;
}

/* An open in-memory study with the grid sampler over `specs`. */
static hpo_study *grid_study(const char *sampler, const char *const *specs,
                             int n)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, sampler), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 7), HPO_OK);
    if (specs) {
        hpo_space *sp = space_of(specs, n);
        CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
        hpo_space_free(sp);
    }
    CHECK_RC(hpo_study_open(s, "grid", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static int n_trials_of(hpo_study *s)
{
    hpo_trial **ts;
    int n = -1;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    hpo_trials_free(ts, n);
    return n;
}

/* The 3 x 4 x 2 grid: a categorical, an int with a step, a float with a
 * step.  A point's index: kernel * 8 + (units / 16 - 1) * 2 + x / 0.5. */
static const char *const box[] = {
    "kernel=cat:rbf,linear,poly",
    "units=int:16:64:step=16",
    "x=float:0:0.5:step=0.5",
};
#define BOX_POINTS 24

/* The index of a trial's point in the box grid, or -1 if a value is
 * missing or outside its domain. */
static int box_index(const hpo_trial *t)
{
    double k, u, x;
    if (!hpo_trial_param(t, "kernel", &k) || !hpo_trial_param(t, "units", &u) ||
        !hpo_trial_param(t, "x", &x))
        return -1;
    if (k != 0 && k != 1 && k != 2)
        return -1;
    if (u < 16 || u > 64 || fmod(u, 16) != 0)
        return -1;
    if (x != 0 && x != 0.5)
        return -1;
    return (int)k * 8 + ((int)u / 16 - 1) * 2 + (x == 0.5);
}

typedef struct box_seen {
    int count[BOX_POINTS];
    int bad;    /* points outside the grid, or a trial without grid_id */
    int calls;
    int sleep_us; /* per trial, so that concurrent workers overlap */
} box_seen;

static int box_objective(hpo_trial *t, void *data, double *value)
{
    box_seen *seen = data;
    int rc = hpo_trial_suggest_all(t);
    if (rc != HPO_OK)
        return rc;
    int i = box_index(t);
    if (seen->sleep_us)
        usleep((useconds_t)seen->sleep_us);
    __atomic_fetch_add(&seen->calls, 1, __ATOMIC_SEQ_CST);
    if (i < 0 || !hpo_trial_system_attr(t, "grid_id"))
        __atomic_fetch_add(&seen->bad, 1, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_add(&seen->count[i], 1, __ATOMIC_SEQ_CST);
    value[0] = i;
    return HPO_OK;
}

static int each_once(const box_seen *seen)
{
    for (int i = 0; i < BOX_POINTS; i++)
        if (seen->count[i] != 1) {
            fprintf(stderr, "  point %d seen %d times\n", i, seen->count[i]);
            return 0;
        }
    return seen->bad == 0;
}

/* ------------------------------------------------------------------------- */
/* Enumeration                                                                */
/* ------------------------------------------------------------------------- */

static void test_ask_tell_enumerates_each_point_once(void)
{
    hpo_study *s = grid_study("grid", box, 3);
    box_seen seen = {0};
    for (int k = 0; k < BOX_POINTS; k++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        if (!t)
            break;
        double v;
        CHECK_RC(box_objective(t, &seen, &v), HPO_OK);
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
        hpo_trial_free(t);
    }
    CHECK(each_once(&seen));

    hpo_trial *t = (hpo_trial *)1;
    CHECK_RC(hpo_study_ask(s, &t), HPO_DONE);
    CHECK(t == NULL);
    hpo_optimize_options o = {.n_trials = 10};
    CHECK_RC(hpo_study_optimize(s, box_objective, &seen, &o), HPO_DONE);
    CHECK(seen.calls == BOX_POINTS);
    CHECK(n_trials_of(s) == BOX_POINTS);
    hpo_study_free(s);
}

/* Consecutive trials are spread over the grid, not walked in order. */
static void test_consecutive_trials_are_spread(void)
{
    hpo_study *s = grid_study("grid", box, 3);
    box_seen seen = {0};
    hpo_optimize_options o = {.n_trials = 3};
    CHECK_RC(hpo_study_optimize(s, box_objective, &seen, &o), HPO_OK);
    hpo_trial **ts;
    int n = 0;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    CHECK(n == 3);
    double k0 = -1, k1 = -1;
    if (n == 3) {
        hpo_trial_param(ts[0], "kernel", &k0);
        hpo_trial_param(ts[1], "kernel", &k1);
    }
    CHECK(k0 != k1); /* the first two trials differ in the first axis */
    hpo_trials_free(ts, n);
    hpo_study_free(s);
}

static void test_optimize_stops_when_exhausted(void)
{
    hpo_study *s = grid_study("grid", box, 3);
    box_seen seen = {0};
    CHECK_RC(hpo_study_optimize(s, box_objective, &seen, NULL), HPO_DONE);
    CHECK(each_once(&seen));
    CHECK(n_trials_of(s) == BOX_POINTS);
    hpo_study_free(s);
}

static void test_four_threads_enumerate_each_point_once(void)
{
    hpo_study *s = grid_study("grid", box, 3);
    box_seen seen = {0};
    hpo_optimize_options o = {.n_trials = 1000, .n_jobs = 4};
    CHECK_RC(hpo_study_optimize(s, box_objective, &seen, &o), HPO_DONE);
    CHECK(each_once(&seen));
    CHECK(seen.calls == BOX_POINTS);
    CHECK(n_trials_of(s) == BOX_POINTS);
    hpo_study_free(s);
}

/* Two study handles on one storage have separate sampler locks, as two
 * processes would: trials numbered below N never share a point, every
 * point is run, and at most one extra trial per handle races the end. */
typedef struct handle_run {
    hpo_study *study;
    box_seen *seen;
    int rc;
} handle_run;

static void *run_handle(void *arg)
{
    handle_run *h = arg;
    hpo_optimize_options o = {.n_trials = 1000, .n_jobs = 2};
    h->rc = hpo_study_optimize(h->study, box_objective, h->seen, &o);
    return NULL;
}

static void test_two_handles_share_the_grid(void)
{
    hpo_storage *st = NULL;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_space *sp = space_of(box, 3);
    hpo_study *s[2];
    for (int i = 0; i < 2; i++) {
        s[i] = hpo_study_new();
        CHECK_RC(hpo_study_set_storage(s[i], st), HPO_OK);
        CHECK_RC(hpo_study_set_sampler(s[i], "grid"), HPO_OK);
        CHECK_RC(hpo_study_set_space(s[i], sp), HPO_OK);
        CHECK_RC(hpo_study_open(s[i], "shared",
                                HPO_OPEN_CREATE | HPO_OPEN_LOAD),
                 HPO_OK);
    }
    box_seen seen = {.sleep_us = 2000};
    handle_run runs[2] = {{s[0], &seen, 0}, {s[1], &seen, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, run_handle, &runs[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    CHECK(runs[0].rc == HPO_DONE && runs[1].rc == HPO_DONE);

    hpo_trial **ts;
    int n = 0;
    CHECK_RC(hpo_study_trials(s[0], &ts, &n), HPO_OK);
    int first[BOX_POINTS] = {0}, all[BOX_POINTS] = {0};
    for (int i = 0; i < n; i++) {
        int p = box_index(ts[i]);
        CHECK(p >= 0);
        if (p < 0)
            continue;
        all[p]++;
        if (hpo_trial_number(ts[i]) < BOX_POINTS)
            first[p]++;
    }
    for (int p = 0; p < BOX_POINTS; p++) {
        CHECK(first[p] == 1);
        CHECK(all[p] >= 1);
    }
    CHECK(n >= BOX_POINTS && n <= BOX_POINTS + 2);
    hpo_trials_free(ts, n);
    for (int i = 0; i < 2; i++)
        hpo_study_free(s[i]);
    hpo_space_free(sp);
    hpo_storage_close(st);
}

/* Two processes on one SQLite file: the real multi-worker case.  Each
 * child runs the grid with two threads; no trial numbered below N repeats
 * a point, every point runs, and the study ends with HPO_DONE in both. */
static void test_two_processes_share_the_grid(void)
{
    char dir[] = "/tmp/hpo_grid_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char url[128], path[96];
    snprintf(path, sizeof path, "%s/grid.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    /* The parent creates the study, so the children only load it. */
    hpo_storage *st = NULL;
    int rc = hpo_storage_open(&st, url);
    if (rc == HPO_OK) {
        hpo_study *s = hpo_study_new();
        CHECK_RC(hpo_study_set_storage(s, st), HPO_OK);
        CHECK_RC(hpo_study_open(s, "shared", HPO_OPEN_CREATE), HPO_OK);
        hpo_study_free(s);
    }
    hpo_storage_close(st);
    if (rc == HPO_EUNSUPPORTED) {
        fprintf(stderr, "  (built without SQLite; skipped)\n");
        rmdir(dir);
        return;
    }
    CHECK_RC(rc, HPO_OK);
    hpo_space *sp = space_of(box, 3);
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            hpo_storage *cst = NULL;
            hpo_study *s = hpo_study_new();
            int ok = hpo_storage_open(&cst, url) == HPO_OK &&
                     hpo_study_set_storage(s, cst) == HPO_OK &&
                     hpo_study_set_sampler(s, "grid") == HPO_OK &&
                     hpo_study_set_space(s, sp) == HPO_OK &&
                     hpo_study_open(s, "shared", HPO_OPEN_LOAD) == HPO_OK;
            box_seen seen = {.sleep_us = 5000};
            hpo_optimize_options o = {.n_trials = 1000, .n_jobs = 2};
            if (ok)
                ok = hpo_study_optimize(s, box_objective, &seen, &o) ==
                     HPO_DONE;
            if (!ok)
                fprintf(stderr, "  child %d: %s\n", i, hpo_study_errmsg(s));
            hpo_study_free(s);
            hpo_storage_close(cst);
            fprintf(stderr, "  child %d ran %d trials\n", i, seen.calls);
            _exit(ok && seen.bad == 0 ? 0 : 1);
        }
    }
    for (int i = 0; i < 2; i++) {
        int status = -1;
        waitpid(kids[i], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    hpo_storage *pst = NULL;
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_storage_open(&pst, url), HPO_OK);
    CHECK_RC(hpo_study_set_storage(s, pst), HPO_OK);
    CHECK_RC(hpo_study_open(s, "shared", HPO_OPEN_LOAD), HPO_OK);
    hpo_trial **ts;
    int n = 0;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    int first[BOX_POINTS] = {0}, all[BOX_POINTS] = {0};
    for (int i = 0; i < n; i++) {
        int p = box_index(ts[i]);
        CHECK(p >= 0);
        if (p < 0)
            continue;
        all[p]++;
        if (hpo_trial_number(ts[i]) < BOX_POINTS)
            first[p]++;
    }
    for (int p = 0; p < BOX_POINTS; p++)
        CHECK(first[p] == 1 && all[p] >= 1);
    CHECK(n >= BOX_POINTS && n <= BOX_POINTS + 2);
    hpo_trials_free(ts, n);
    hpo_study_free(s);
    hpo_storage_close(pst);
    hpo_space_free(sp);
    unlink(path);
    rmdir(dir);
}

/* An enqueued grid point is run once, by the enqueued trial. */
static void test_enqueued_point_is_not_repeated(void)
{
    hpo_study *s = grid_study("grid", box, 3);
    CHECK_RC(hpo_study_enqueue(s, "{\"kernel\": \"linear\", \"units\": 48, "
                                  "\"x\": 0.5}"),
             HPO_OK);
    box_seen seen = {0};
    CHECK_RC(hpo_study_optimize(s, box_objective, &seen, NULL), HPO_DONE);
    CHECK(each_once(&seen));
    CHECK(seen.count[1 * 8 + 2 * 2 + 1] == 1);
    CHECK(n_trials_of(s) == BOX_POINTS);
    hpo_study_free(s);
}

/* Count only trials that hold a grid point. */
static int grid_trials_objective(hpo_trial *t, void *data, double *value)
{
    box_seen *seen = data;
    int rc = hpo_trial_suggest_all(t);
    if (rc != HPO_OK)
        return rc;
    int i = box_index(t);
    seen->calls++;
    if (!hpo_trial_system_attr(t, "grid_id"))
        seen->bad++; /* here: the trials outside the grid */
    else if (i >= 0)
        seen->count[i]++;
    value[0] = 0;
    return HPO_OK;
}

/* A partly fixed enqueued trial is no grid point: it takes none, and the
 * point its number would have had is run later by a trial numbered past
 * the grid (the scan for a free point). */
static void test_partial_enqueue_takes_no_point(void)
{
    hpo_study *s = grid_study("grid", box, 3);
    CHECK_RC(hpo_study_enqueue(s, "{\"kernel\": \"poly\"}"), HPO_OK);
    box_seen seen = {0};
    CHECK_RC(hpo_study_optimize(s, grid_trials_objective, &seen, NULL),
             HPO_DONE);
    CHECK(seen.bad == 1);
    seen.bad = 0;
    CHECK(each_once(&seen));
    CHECK(seen.calls == BOX_POINTS + 1);
    CHECK(n_trials_of(s) == BOX_POINTS + 1);
    hpo_study_free(s);
}

/* ------------------------------------------------------------------------- */
/* Axis values                                                                */
/* ------------------------------------------------------------------------- */

/* Run a one-parameter grid to exhaustion and collect the values of `name`
 * in ascending order; returns how many trials ran. */
static int run_axis(const char *sampler, const char *spec, const char *name,
                    double *vals, int max)
{
    hpo_study *s = grid_study(sampler, &spec, 1);
    box_seen seen = {0};
    hpo_optimize_options o = {.n_trials = max + 5};
    CHECK_RC(hpo_study_optimize(s, box_objective, &seen, &o), HPO_DONE);
    hpo_trial **ts;
    int n = 0;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    for (int i = 0; i < n && i < max; i++) {
        double v = NAN;
        CHECK(hpo_trial_param(ts[i], name, &v));
        int j = i; /* insertion sort */
        while (j > 0 && vals[j - 1] > v) {
            vals[j] = vals[j - 1];
            j--;
        }
        vals[j] = v;
    }
    hpo_trials_free(ts, n);
    hpo_study_free(s);
    return n;
}

static void test_continuous_float_points(void)
{
    double v[16];
    CHECK(run_axis("grid:points=5", "x=float:0:1", "x", v, 16) == 5);
    const double want[] = {0, 0.25, 0.5, 0.75, 1};
    for (int i = 0; i < 5; i++)
        CHECK_NEAR(v[i], want[i], 1e-15);

    /* The default number of points. */
    CHECK(run_axis("grid", "x=float:-1:1", "x", v, 16) == 5);
    CHECK_NEAR(v[0], -1, 0);
    CHECK_NEAR(v[4], 1, 0);
}

static void test_log_float_is_log_spaced(void)
{
    double v[16];
    CHECK(run_axis("grid:points=5", "lr=float:1e-4:1:log", "lr", v, 16) == 5);
    const double want[] = {1e-4, 1e-3, 1e-2, 1e-1, 1};
    for (int i = 0; i < 5; i++)
        CHECK_NEAR(v[i], want[i], want[i] * 1e-12);
    CHECK(v[0] == 1e-4 && v[4] == 1); /* the ends exactly */
}

static void test_int_axis_every_value(void)
{
    double v[16];
    CHECK(run_axis("grid:points=2", "n=int:3:9", "n", v, 16) == 7);
    for (int i = 0; i < 7; i++)
        CHECK(v[i] == 3 + i); /* points= does not thin a small int axis */
    CHECK(run_axis("grid", "n=int:1:8:log", "n", v, 16) == 8);
}

static void test_huge_int_axis_needs_points(void)
{
    const char *spec = "n=int:0:100000";
    hpo_study *s = grid_study("grid", &spec, 1);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "'n'");
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "points=");
    CHECK(n_trials_of(s) == 0);
    hpo_study_free(s);

    double v[16];
    CHECK(run_axis("grid:points=11", spec, "n", v, 16) == 11);
    for (int i = 0; i < 11; i++)
        CHECK(v[i] == 10000.0 * i);
}

/* ------------------------------------------------------------------------- */
/* Conditional spaces                                                         */
/* ------------------------------------------------------------------------- */

typedef struct keys {
    int n;
    char key[64][128];
    int dup, bad;
} keys;

/* Record the trial's parameters as text; also check each one is active
 * exactly when its condition holds (the caller's rule in `data`). */
static int key_objective(hpo_trial *t, void *data, double *value)
{
    keys *k = data;
    int rc = hpo_trial_suggest_all(t);
    if (rc != HPO_OK)
        return rc;
    char key[128] = "";
    for (int i = 0; i < hpo_trial_n_params(t); i++) {
        size_t len = strlen(key);
        snprintf(key + len, sizeof key - len, "%s=%s;",
                 hpo_trial_param_name(t, i), hpo_trial_param_text(t, i));
    }
    for (int i = 0; i < k->n; i++)
        if (strcmp(k->key[i], key) == 0)
            k->dup++;
    if (k->n < 64)
        snprintf(k->key[k->n++], sizeof k->key[0], "%s", key);
    value[0] = 0;
    return HPO_OK;
}

static void test_conditional_space_counts_distinct_points(void)
{
    /* rbf: gamma (3) = 3; linear: 1; poly: gamma (3) x degree (3) = 9;
     * 13 branches x C (2) = 26 distinct points, not 3 x 3 x 3 x 2 = 54. */
    const char *specs[] = {
        "kernel=cat:rbf,linear,poly",
        "gamma=float:0.01:1:log:if=kernel=rbf|poly",
        "degree=int:2:4:if=kernel=poly",
        "C=int:1:2",
    };
    hpo_study *s = grid_study("grid:points=3", specs, 4);
    keys k = {0};
    CHECK_RC(hpo_study_optimize(s, key_objective, &k, NULL), HPO_DONE);
    CHECK(k.n == 26);
    CHECK(k.dup == 0);
    int linear = 0, poly_with_degree = 0, with_degree = 0;
    for (int i = 0; i < k.n; i++) {
        if (strstr(k.key[i], "kernel=linear")) {
            linear++;
            CHECK(!strstr(k.key[i], "gamma") && !strstr(k.key[i], "degree"));
        }
        if (strstr(k.key[i], "degree"))
            with_degree++;
        if (strstr(k.key[i], "kernel=poly") && strstr(k.key[i], "degree") &&
            strstr(k.key[i], "gamma"))
            poly_with_degree++;
    }
    CHECK(linear == 2);
    CHECK(with_degree == 18 && poly_with_degree == 18);
    CHECK(n_trials_of(s) == 26);
    hpo_study_free(s);
}

/* A condition on a conditional parameter: sgd -> momentum -> mu. */
static void test_nested_conditions(void)
{
    const char *specs[] = {
        "opt=cat:sgd,adam",
        "momentum=cat:yes,no:if=opt=sgd",
        "mu=float:0.1:0.9:if=momentum=yes",
    };
    hpo_space *sp = hpo_space_new();
    int ok = 1;
    for (int i = 0; i < 3; i++)
        ok &= hpo_space_parse_param(sp, specs[i]) == HPO_OK;
    hpo_space_free(sp);
    if (!ok) {
        fprintf(stderr, "  (nested conditions not accepted by the space; "
                        "skipped)\n");
        return;
    }
    /* sgd+yes: mu (3); sgd+no: 1; adam: 1 => 5 points. */
    hpo_study *s = grid_study("grid:points=3", specs, 3);
    keys k = {0};
    CHECK_RC(hpo_study_optimize(s, key_objective, &k, NULL), HPO_DONE);
    CHECK(k.n == 5);
    CHECK(k.dup == 0);
    hpo_study_free(s);
}

/* ------------------------------------------------------------------------- */
/* Errors                                                                     */
/* ------------------------------------------------------------------------- */

static void test_too_large_grid_is_refused(void)
{
    const char *specs[] = {"a=int:1:1000", "b=int:1:1000", "c=int:1:1000"};
    hpo_study *s = grid_study("grid", specs, 3);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EINVAL);
    CHECK(t == NULL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "grid");
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "'a'");
    CHECK(n_trials_of(s) == 0);
    hpo_study_free(s);
}

static void test_missing_space_is_refused(void)
{
    hpo_study *s = grid_study("grid", NULL, 0);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EINVAL);
    CHECK(t == NULL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s),
                       "the grid sampler needs a declared search space");
    box_seen seen = {0};
    hpo_optimize_options o = {.n_trials = 3};
    CHECK(hpo_study_optimize(s, box_objective, &seen, &o) < 0);
    CHECK(seen.calls == 0);
    hpo_study_free(s);
}

static void test_bad_points_option(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "grid:points=0"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "points");
    CHECK_RC(hpo_study_set_sampler(s, "grid:pionts=3"), HPO_EINVAL);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_ask_tell_enumerates_each_point_once);
    RUN(test_consecutive_trials_are_spread);
    RUN(test_optimize_stops_when_exhausted);
    RUN(test_four_threads_enumerate_each_point_once);
    RUN(test_two_handles_share_the_grid);
    RUN(test_two_processes_share_the_grid);
    RUN(test_enqueued_point_is_not_repeated);
    RUN(test_partial_enqueue_takes_no_point);
    RUN(test_continuous_float_points);
    RUN(test_log_float_is_log_spaced);
    RUN(test_int_axis_every_value);
    RUN(test_huge_int_axis_needs_points);
    RUN(test_conditional_space_counts_distinct_points);
    RUN(test_nested_conditions);
    RUN(test_too_large_grid_is_refused);
    RUN(test_missing_space_is_refused);
    RUN(test_bad_points_option);
    return CHECK_DONE();
}
