/* test_study.c — the study through the public API: ask/tell, optimize with
 * threads, enqueue, NaN and infinite values, best trial and Pareto front,
 * constraints, reproducibility, misuse, and names and text refused before
 * anything is stored. */
#include <pthread.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"

static hpo_study *open_study(const char *sampler, int n_dirs, uint64_t seed)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, sampler), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    for (int i = 0; i < n_dirs; i++)
        hpo_study_add_direction(s, i == 1 ? HPO_MAXIMIZE : HPO_MINIMIZE);
    CHECK_RC(hpo_study_open(s, "test", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static int quadratic(hpo_trial *t, void *data, double *v)
{
    double x;
    int rc = hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x);
    v[0] = (x - 2) * (x - 2);
    return rc;
}

static void test_ask_tell(void)
{
    hpo_study *s = open_study("random", 1, 1);
    for (int i = 0; i < 50; i++) {
        hpo_trial *t;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK(hpo_trial_number(t) == i);
        double v;
        CHECK_RC(quadratic(t, NULL, &v), HPO_OK);
        double again;
        CHECK_RC(hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &again), HPO_OK);
        CHECK(again == hpo_trial_param_value(t, 0));
        CHECK_RC(hpo_trial_suggest_int(t, "x", 0, 3, 1, 0, &(int64_t){0}), HPO_EINCOMPAT);
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_EFINISHED);
        hpo_trial_free(t);
    }
    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    CHECK(hpo_trial_value(best, 0) < 0.5);
    hpo_trial_free(best);
    hpo_study_free(s);
}

/* Random sampling is uniform: a chi-square test over 20 bins of a float,
 * over an int's 10 values, and over 5 categorical choices. */
static double chi_square(const int *counts, int bins, int n)
{
    double expect = (double)n / bins, chi = 0;
    for (int i = 0; i < bins; i++)
        chi += (counts[i] - expect) * (counts[i] - expect) / expect;
    return chi;
}

static void test_random_uniform(void)
{
    hpo_study *s = open_study("random", 1, 7);
    enum { N = 20000 };
    int fbins[20] = {0}, ibins[10] = {0}, cbins[5] = {0}, lbins[4] = {0};
    const char *choices[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < N; i++) {
        hpo_trial *t;
        hpo_study_ask(s, &t);
        double x, l;
        int64_t k;
        int c;
        hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
        hpo_trial_suggest_int(t, "k", 1, 10, 1, 0, &k);
        hpo_trial_suggest_categorical(t, "c", choices, 5, &c);
        hpo_trial_suggest_float(t, "l", 1e-4, 1, 0, HPO_LOG, &l);
        CHECK(x >= 0 && x <= 1 && k >= 1 && k <= 10 && l >= 1e-4 && l <= 1);
        fbins[(int)(x * 20) % 20]++;
        ibins[k - 1]++;
        cbins[c]++;
        lbins[(int)floor(-log10(l)) % 4]++; /* one bin per decade */
        double v = x;
        hpo_study_tell(s, t, HPO_COMPLETE, &v, 1);
        hpo_trial_free(t);
    }
    /* 99.9% quantiles: chi2(19) 43.8, chi2(9) 27.9, chi2(4) 18.5, chi2(3) 16.3 */
    CHECK(chi_square(fbins, 20, N) < 43.8);
    CHECK(chi_square(ibins, 10, N) < 27.9);
    CHECK(chi_square(cbins, 5, N) < 18.5);
    CHECK(chi_square(lbins, 4, N) < 16.3);
    hpo_study_free(s);
}

static void test_optimize_threads(void)
{
    hpo_study *s = open_study("random", 1, 3);
    hpo_optimize_options o = {.n_trials = 400, .n_jobs = 4};
    CHECK_RC(hpo_study_optimize(s, quadratic, NULL, &o), HPO_OK);
    hpo_trial **all;
    int n;
    CHECK_RC(hpo_study_trials(s, &all, &n), HPO_OK);
    CHECK(n == 400);
    int seen[400] = {0}, complete = 0;
    for (int i = 0; i < n; i++) {
        int k = hpo_trial_number(all[i]);
        if (k >= 0 && k < 400)
            seen[k]++;
        complete += hpo_trial_state_of(all[i]) == HPO_COMPLETE;
    }
    int once = 1;
    for (int i = 0; i < 400; i++)
        once &= seen[i] == 1;
    CHECK(once);
    CHECK(complete == 400);
    hpo_trials_free(all, n);
    hpo_study_free(s);
}

/* With one worker a seeded study repeats itself exactly; with 4 threads the
 * values per trial number are the same too (per-trial streams). */
static void collect_x(hpo_study *s, double *xs, int n)
{
    hpo_trial **all;
    int m;
    hpo_study_trials(s, &all, &m);
    for (int i = 0; i < m && i < n; i++)
        xs[hpo_trial_number(all[i])] = hpo_trial_param_value(all[i], 0);
    hpo_trials_free(all, m);
}

static void test_reproducible(void)
{
    double a[100], b[100], c[100];
    hpo_optimize_options o1 = {.n_trials = 100}, o4 = {.n_trials = 100, .n_jobs = 4};
    hpo_study *s = open_study("random", 1, 99);
    hpo_study_optimize(s, quadratic, NULL, &o1);
    collect_x(s, a, 100);
    hpo_study_free(s);
    s = open_study("random", 1, 99);
    hpo_study_optimize(s, quadratic, NULL, &o1);
    collect_x(s, b, 100);
    hpo_study_free(s);
    s = open_study("random", 1, 99);
    hpo_study_optimize(s, quadratic, NULL, &o4);
    collect_x(s, c, 100);
    hpo_study_free(s);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(memcmp(a, c, sizeof a) == 0);
    s = open_study("random", 1, 100);
    hpo_study_optimize(s, quadratic, NULL, &o1);
    collect_x(s, b, 100);
    hpo_study_free(s);
    CHECK(memcmp(a, b, sizeof a) != 0);
}

static void test_special_values(void)
{
    hpo_study *s = open_study("random", 1, 5);
    hpo_trial *t;
    double nan_v = NAN, inf_v = INFINITY, ninf = -INFINITY;
    hpo_study_ask(s, &t);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &nan_v, 1), HPO_OK);
    CHECK(hpo_trial_state_of(t) == HPO_FAIL);
    hpo_trial_free(t);
    hpo_study_ask(s, &t);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &inf_v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_study_ask(s, &t);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &ninf, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_study_ask(s, &t);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, NULL, 0), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "0 value(s) given, the study has 1");
    hpo_trial_report(t, 0, 5.0);
    hpo_trial_report(t, 1, 3.0);
    hpo_trial_report(t, 1, 9.0); /* first value of a step is kept */
    hpo_trial_report(t, 2, NAN);
    CHECK(hpo_trial_n_intermediate(t) == 3);
    CHECK_RC(hpo_study_tell(s, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    /* Optuna 3.1: the value at the last step, none when it is NaN */
    CHECK(hpo_trial_n_values(t) == 0 && isnan(hpo_trial_value(t, 0)));
    hpo_trial_free(t);
    hpo_trial **all;
    int n;
    hpo_study_trials(s, &all, &n);
    CHECK(n == 4);
    CHECK(hpo_trial_state_of(all[0]) == HPO_FAIL && hpo_trial_n_values(all[0]) == 0);
    CHECK(hpo_trial_value(all[1], 0) == INFINITY);
    CHECK(hpo_trial_state_of(all[3]) == HPO_PRUNED_STATE);
    hpo_trials_free(all, n);
    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    CHECK(hpo_trial_value(best, 0) == -INFINITY);
    hpo_trial_free(best);
    hpo_study_free(s);
}

static void test_pareto(void)
{
    hpo_study *s = open_study("random", 2, 1); /* minimize f0, maximize f1 */
    double pts[][2] = {{1, 1}, {2, 3}, {0, 0}, {2, 2}, {3, 3}, {1, 0.5}};
    for (int i = 0; i < 6; i++) {
        hpo_trial *t;
        hpo_study_ask(s, &t);
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, pts[i], 2), HPO_OK);
        hpo_trial_free(t);
    }
    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_EMISUSE);
    hpo_trial **front;
    int n;
    CHECK_RC(hpo_study_pareto_front(s, &front, &n), HPO_OK);
    /* {1,1}, {2,3}, {0,0} are non-dominated; {2,2} by {2,3}; {3,3} by
     * {2,3}; {1,0.5} by {1,1}. */
    CHECK(n == 3);
    if (n == 3)
        CHECK(hpo_trial_number(front[0]) == 0 && hpo_trial_number(front[1]) == 1 &&
              hpo_trial_number(front[2]) == 2);
    hpo_trials_free(front, n);
    hpo_study_free(s);
}

/* Constraints: stored, read back, refused when malformed, and the best
 * trial and the Pareto front hold only feasible trials. */
static void tell_constrained(hpo_study *s, const double *v, int n_values,
                             double c)
{
    hpo_trial *t;
    hpo_study_ask(s, &t);
    CHECK_RC(hpo_trial_set_constraints(t, &c, 1), HPO_OK);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, n_values), HPO_OK);
    hpo_trial_free(t);
}

static void test_constraints_api(void)
{
    hpo_study *s = open_study("random", 1, 1);
    hpo_trial *t;
    hpo_study_ask(s, &t);
    double nan_c = NAN, two[2] = {-1, 0.25}, back[4];
    CHECK_RC(hpo_trial_set_constraints(t, &nan_c, 1), HPO_EINVAL);
    CHECK_RC(hpo_trial_set_constraints(t, two, 0), HPO_EINVAL);
    CHECK_RC(hpo_trial_constraints(t, back, 4), 0);
    CHECK(hpo_trial_is_feasible(t) == 1);
    CHECK_RC(hpo_trial_set_constraints(t, two, 2), HPO_OK);
    CHECK_RC(hpo_trial_constraints(t, back, 4), 2);
    CHECK(back[0] == -1 && back[1] == 0.25);
    CHECK(hpo_trial_is_feasible(t) == 0);
    double v = 0; /* the lowest value, but infeasible */
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    CHECK_RC(hpo_trial_set_constraints(t, two, 2), HPO_EFINISHED);
    hpo_trial_free(t);

    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_ENOTFOUND);
    CHECK(strstr(hpo_study_errmsg(s), "no feasible trial") != NULL);
    v = 5;
    tell_constrained(s, &v, 1, 0); /* 0 is feasible */
    v = 3;
    tell_constrained(s, &v, 1, -2);
    v = 1;
    tell_constrained(s, &v, 1, 1e-9);
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    CHECK(hpo_trial_number(best) == 2 && hpo_trial_value(best, 0) == 3);
    double c;
    CHECK_RC(hpo_trial_constraints(best, &c, 1), 1);
    CHECK(c == -2);
    hpo_trial_free(best);
    hpo_study_free(s);

    /* Pareto: {0,9} dominates everything but is infeasible. */
    s = open_study("random", 2, 1); /* minimize f0, maximize f1 */
    double pts[][2] = {{0, 9}, {1, 1}, {2, 3}, {2, 2}};
    double cs[] = {1, -1, -1, -1};
    for (int i = 0; i < 4; i++)
        tell_constrained(s, pts[i], 2, cs[i]);
    hpo_trial **front;
    int n;
    CHECK_RC(hpo_study_pareto_front(s, &front, &n), HPO_OK);
    CHECK(n == 2);
    if (n == 2)
        CHECK(hpo_trial_number(front[0]) == 1 && hpo_trial_number(front[1]) == 2);
    hpo_trials_free(front, n);
    hpo_study_free(s);
}

static void test_enqueue(void)
{
    hpo_study *s = open_study("random", 1, 1);
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 2.0, \"k\": \"b\"}"), HPO_OK);
    CHECK_RC(hpo_study_enqueue(s, "[1]"), HPO_EINVAL);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(hpo_trial_number(t) == 0);
    double x;
    int k;
    const char *ch[] = {"a", "b"};
    hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x);
    hpo_trial_suggest_categorical(t, "k", ch, 2, &k);
    CHECK(x == 2.0 && k == 1);
    CHECK(strcmp(hpo_trial_param_text(t, 1), "b") == 0);
    double v = 0;
    hpo_study_tell(s, t, HPO_COMPLETE, &v, 1);
    hpo_trial_free(t);
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(hpo_trial_number(t) == 1);
    hpo_trial_free(t);
    hpo_study_free(s);
}

static void test_misuse(void)
{
    hpo_study *s = hpo_study_new();
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EMISUSE);
    CHECK_RC(hpo_study_set_sampler(s, "nope"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "unknown sampler 'nope'");
    CHECK_RC(hpo_study_set_sampler(s, "random:foo=1"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "sampler 'random' has no option 'foo'");
    CHECK_RC(hpo_study_set_sampler(s, "tpe:gamma=0.1,n_startup_trials=3,gamma=0.2"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "option 'gamma' of 'tpe' is given twice");
    CHECK_RC(hpo_study_set_pruner(s, "median:n_startup_trials=x"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "is not a whole number");
    CHECK_RC(hpo_study_open(s, "a", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 1), HPO_EMISUSE);
    CHECK_RC(hpo_study_set_user_attr(s, "k", "not json"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_user_attr(s, "k", "\"adam\""), HPO_OK);
    CHECK(strcmp(hpo_study_user_attr(s, "k"), "\"adam\"") == 0);
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double x;
    CHECK_RC(hpo_trial_suggest_float(t, "x", 1, 0, 0, 0, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "low 1 is above high 0");
    CHECK_RC(hpo_trial_suggest_all(t), HPO_EMISUSE);
    hpo_trial_free(t);
    hpo_study_free(s);

    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "mysql://x"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "unknown storage URL 'mysql://x'");
    hpo_storage_close(st);
}

/* Study attributes read from two threads at once: each _dup copy is whole
 * and right while the other thread's reads replace the shared cache (a
 * borrowed pointer here would be read after free, which ASan reports). */
static void *read_attrs(void *arg)
{
    hpo_study *s = arg;
    for (int i = 0; i < 2000; i++) {
        char *a = hpo_study_user_attr_dup(s, "optimizer");
        char *b = hpo_study_system_attr_dup(s, "hpo:note");
        CHECK(a && strcmp(a, "\"adam\"") == 0);
        CHECK(b && strcmp(b, "[1, 2, 3]") == 0);
        free(a);
        free(b);
    }
    return NULL;
}

static void test_attr_reads_from_threads(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_open(s, "attrs", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_set_user_attr(s, "optimizer", "\"adam\""), HPO_OK);
    CHECK_RC(hpo_study_set_system_attr(s, "hpo:note", "[1, 2, 3]"), HPO_OK);
    CHECK(hpo_study_user_attr_dup(s, "absent") == NULL);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, read_attrs, s);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    hpo_study_free(s);
}

/* Two handles on one storage see the same study; loading checks
 * directions; creating twice is refused. */
static void test_shared_storage(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_study *a = hpo_study_new();
    hpo_study_set_storage(a, st);
    CHECK_RC(hpo_study_open(a, "shared", HPO_OPEN_CREATE), HPO_OK);
    hpo_optimize_options o = {.n_trials = 10};
    hpo_study_optimize(a, quadratic, NULL, &o);
    hpo_study *b = hpo_study_new();
    hpo_study_set_storage(b, st);
    CHECK_RC(hpo_study_open(b, "shared", HPO_OPEN_CREATE), HPO_EEXIST);
    hpo_study_free(b);
    b = hpo_study_new();
    hpo_study_set_storage(b, st);
    hpo_study_add_direction(b, HPO_MAXIMIZE);
    CHECK_RC(hpo_study_open(b, "shared", HPO_OPEN_LOAD), HPO_EINCOMPAT);
    hpo_study_free(b);
    b = hpo_study_new();
    hpo_study_set_storage(b, st);
    CHECK_RC(hpo_study_open(b, "shared", HPO_OPEN_LOAD), HPO_OK);
    hpo_study_optimize(b, quadratic, NULL, &o);
    hpo_trial **all;
    int n;
    hpo_study_trials(a, &all, &n);
    CHECK(n == 20);
    hpo_trials_free(all, n);
    hpo_study_free(a);
    hpo_study_free(b);
    hpo_storage_close(st);
}

static int stop_after_5(hpo_study *s, const hpo_trial *t, void *data)
{
    return hpo_trial_number(t) >= 4;
}

static int failing(hpo_trial *t, void *data, double *v)
{
    return hpo_trial_number(t) % 2 ? HPO_EFAIL : quadratic(t, data, v);
}

static void test_stops(void)
{
    hpo_study *s = open_study("random", 1, 1);
    hpo_optimize_options o = {.callback = stop_after_5};
    CHECK_RC(hpo_study_optimize(s, quadratic, NULL, &o), HPO_STOPPED);
    hpo_optimize_options t = {.timeout_s = 0.2};
    CHECK_RC(hpo_study_optimize(s, quadratic, NULL, &t), HPO_TIMEOUT);
    hpo_optimize_options f = {.n_trials = 10};
    CHECK_RC(hpo_study_optimize(s, failing, NULL, &f), HPO_OK);
    hpo_study_free(s);
}

static int pruned_objective(hpo_trial *t, void *data, double *v)
{
    double x;
    hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
    for (int step = 0; step < 10; step++) {
        hpo_trial_report(t, step, x * (10 - step));
        if (hpo_trial_should_prune(t) == 1)
            return HPO_PRUNED;
    }
    v[0] = x;
    return HPO_OK;
}

static void test_median_pruner(void)
{
    hpo_study *s = hpo_study_new();
    hpo_study_set_seed(s, 4);
    CHECK_RC(hpo_study_set_pruner(s, "median:n_startup_trials=5"), HPO_OK);
    hpo_study_open(s, "p", HPO_OPEN_CREATE);
    hpo_optimize_options o = {.n_trials = 60};
    hpo_study_optimize(s, pruned_objective, NULL, &o);
    hpo_trial **all;
    int n, pruned = 0;
    hpo_study_trials(s, &all, &n);
    for (int i = 0; i < n; i++) {
        if (i < 5)
            CHECK(hpo_trial_state_of(all[i]) == HPO_COMPLETE);
        pruned += hpo_trial_state_of(all[i]) == HPO_PRUNED_STATE;
    }
    /* About half the trials lie above the running median. */
    CHECK(pruned > 15 && pruned < 50);
    hpo_trials_free(all, n);
    hpo_study_free(s);
}

/* Names and text the storage keeps: refused before anything is created,
 * so a refused study name leaves no study and a refused parameter, key or
 * value no row (memory:, and SQLite when built in). */
static void check_refusals_on(const char *url)
{
    hpo_storage *st;
    if (hpo_storage_open(&st, url) == HPO_EUNSUPPORTED) {
        hpo_storage_close(st);
        return;
    }
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    CHECK_RC(hpo_study_open(s, "bad\xffname", HPO_OPEN_CREATE), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s),
                       "study name 'bad\\xffname' is not valid UTF-8 (byte 0xff at offset 3)");
    char long_name[1100];
    memset(long_name, 'L', 1050);
    long_name[1050] = 0;
    CHECK_RC(hpo_study_open(s, long_name, HPO_OPEN_CREATE), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "a study name has 1 to 512 characters (got 1050: 'LLL");
    CHECK_RC(hpo_study_open(s, "", HPO_OPEN_CREATE | HPO_OPEN_LOAD), HPO_EINVAL);
    hpo_study_summary *list;
    int n = -1;
    CHECK_RC(hpo_storage_studies(st, &list, &n), HPO_OK);
    CHECK(n == 0); /* nothing left behind */
    hpo_study_summaries_free(list, n);

    CHECK_RC(hpo_study_open(s, "ok", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_set_user_attr(s, "k\xc3", "1"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "attribute key 'k\\xc3' is not valid UTF-8");
    CHECK_RC(hpo_study_set_user_attr(s, "k", "\"\xff\""), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "attribute 'k': not valid JSON: invalid UTF-8 at offset 1");
    CHECK_RC(hpo_study_set_user_attr(s, "k", "1 2"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "more text after the value at offset 2");
    CHECK_RC(hpo_study_set_user_attr(s, "k", "+1"), HPO_EINVAL);
    CHECK_RC(hpo_study_set_user_attr(s, "k", "{\"a\": 1, \"a\": 2}"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "the key \"a\" is given twice");
    CHECK_RC(hpo_study_set_system_attr(s, "k", "\"a\\u0000b\""), HPO_EINVAL);
    CHECK(hpo_study_user_attr(s, "k") == NULL);
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 1, \"x\": 2}"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "enqueue: the key \"x\" is given twice");
    CHECK_RC(hpo_study_enqueue(s, "{\"x\xff\": 1}"), HPO_EINVAL);
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 1} junk"), HPO_EINVAL);

    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(hpo_trial_number(t) == 0); /* no enqueued trial was created */
    double x;
    CHECK_RC(hpo_trial_suggest_float(t, "x\xff", 0, 1, 0, 0, &x), HPO_EINVAL);
    const char *ch[] = {"a", "b\xff"};
    int k;
    CHECK_RC(hpo_trial_suggest_categorical(t, "c", ch, 2, &k), HPO_EINVAL);
    CHECK_RC(hpo_trial_set_user_attr(t, "\xff", "1"), HPO_EINVAL);
    CHECK_RC(hpo_trial_set_user_attr(t, "a", "\"\\ud800\""), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "a lone UTF-16 surrogate escape");
    CHECK_RC(hpo_trial_set_user_attr(t, "a", "\"caf\xc3\xa9\""), HPO_OK);
    double v = 1;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_trial **all;
    CHECK_RC(hpo_study_trials(s, &all, &n), HPO_OK);
    CHECK(n == 1 && hpo_trial_n_params(all[0]) == 0);
    if (n == 1)
        CHECK(strcmp(hpo_trial_user_attr(all[0], "a"), "\"caf\xc3\xa9\"") == 0);
    hpo_trials_free(all, n);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static void test_refused_text(void)
{
    check_refusals_on("memory:");
    char url[128];
    snprintf(url, sizeof url, "sqlite:////tmp/hpo_test_study_%d.db", (int)getpid());
    check_refusals_on(url);
    unlink(url + strlen("sqlite:///"));
}

int main(void)
{
    RUN(test_ask_tell);
    RUN(test_random_uniform);
    RUN(test_optimize_threads);
    RUN(test_reproducible);
    RUN(test_special_values);
    RUN(test_pareto);
    RUN(test_constraints_api);
    RUN(test_enqueue);
    RUN(test_misuse);
    RUN(test_attr_reads_from_threads);
    RUN(test_shared_storage);
    RUN(test_stops);
    RUN(test_median_pruner);
    RUN(test_refused_text);
    return CHECK_DONE();
}
