/*
 * report_fixture.c — the studies the report's browser test and benchmark
 * open, made through the library with values known in advance.
 *
 *   report_fixture small URL       studies empty, one, known, multi in URL
 *   report_fixture big URL N       study big: N trials in URL
 *   report_fixture big-html FILE N study big: N trials in memory, its
 *                                  report written to FILE directly
 *
 * "known" (minimize; 30 trials): trial i has value (i - 12)^2 + 1, so the
 * best is 1 at trial 12 and the worst completed value 257 (trial 28);
 * trials with i % 7 == 3 fail, i % 5 == 4 are pruned, the last stays
 * RUNNING; every trial reports intermediate values at steps 0..9; the
 * parameter "momentum" exists only when opt is "sgd" (conditional).
 * "multi" (minimize, maximize; 60 trials) has constraints: trials with
 * i % 4 == 1 are infeasible.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpo.h"
#include "report_html.h"

static const char *const OPTS[] = {"adam", "sgd", "rmsprop"};

static int die(const char *what, const char *msg)
{
    fprintf(stderr, "report_fixture: %s: %s\n", what, msg);
    exit(1);
}

static hpo_study *open_study(hpo_storage *st, const char *name, int n_dirs,
                             const hpo_direction *dirs)
{
    hpo_study *s = hpo_study_new();
    if (st)
        hpo_study_set_storage(s, st);
    for (int i = 0; i < n_dirs; i++)
        hpo_study_add_direction(s, dirs[i]);
    hpo_study_set_sampler(s, "random");
    hpo_study_set_seed(s, 7);
    if (hpo_study_open(s, name, HPO_OPEN_CREATE) != HPO_OK)
        die(name, hpo_study_errmsg(s));
    return s;
}

static void suggest(hpo_trial *t, int i)
{
    double x, m;
    int64_t layers;
    int opt;
    hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x);
    hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &x);
    hpo_trial_suggest_int(t, "layers", 1, 8, 1, 0, &layers);
    hpo_trial_suggest_categorical(t, "opt", OPTS, 3, &opt);
    if (opt == 1)
        hpo_trial_suggest_float(t, "momentum", 0, 0.99, 0, 0, &m);
    (void)i;
}

static void make_known(hpo_storage *st)
{
    hpo_direction d = HPO_MINIMIZE;
    hpo_study *s = open_study(st, "known", 1, &d);
    for (int i = 0; i < 30; i++) {
        hpo_trial *t;
        if (hpo_study_ask(s, &t) != HPO_OK)
            die("known", hpo_study_errmsg(s));
        suggest(t, i);
        double v = (i - 12.0) * (i - 12.0) + 1;
        for (int step = 0; step < 10; step++)
            hpo_trial_report(t, step, v + 10 - step);
        char acc[32];
        snprintf(acc, sizeof acc, "%g", 1.0 / v);
        hpo_trial_set_user_attr(t, "acc", acc);
        if (i == 29) {
            hpo_trial_free(t); /* left RUNNING */
            continue;
        }
        hpo_trial_state state = i % 7 == 3 ? HPO_FAIL
                              : i % 5 == 4 ? HPO_PRUNED_STATE : HPO_COMPLETE;
        if (state == HPO_FAIL)
            hpo_trial_set_user_attr(t, "fail_reason", "\"exit status 1 </script>\"");
        if (hpo_study_tell(s, t, state, &v, state == HPO_COMPLETE) != HPO_OK)
            die("known tell", hpo_study_errmsg(s));
        hpo_trial_free(t);
    }
    hpo_study_free(s);
}

static void make_multi(hpo_storage *st)
{
    hpo_direction d[2] = {HPO_MINIMIZE, HPO_MAXIMIZE};
    hpo_study *s = open_study(st, "multi", 2, d);
    for (int i = 0; i < 60; i++) {
        hpo_trial *t;
        double a, b;
        hpo_study_ask(s, &t);
        hpo_trial_suggest_float(t, "a", 0, 1, 0, 0, &a);
        hpo_trial_suggest_float(t, "b", 0, 1, 0, 0, &b);
        double v[2] = {a, 1 - (1 - a) * (1 - a) - 0.3 * b};
        double c[1] = {i % 4 == 1 ? 0.5 : -0.5};
        hpo_trial_set_constraints(t, c, 1);
        if (hpo_study_tell(s, t, HPO_COMPLETE, v, 2) != HPO_OK)
            die("multi tell", hpo_study_errmsg(s));
        hpo_trial_free(t);
    }
    hpo_study_free(s);
}

static void make_small(hpo_storage *st)
{
    hpo_direction d = HPO_MINIMIZE;
    hpo_study_free(open_study(st, "empty", 1, &d));
    hpo_study *s = open_study(st, "one", 1, &d);
    hpo_trial *t;
    double x;
    hpo_study_ask(s, &t);
    hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x);
    double v = x * x;
    hpo_study_tell(s, t, HPO_COMPLETE, &v, 1);
    hpo_trial_free(t);
    hpo_study_free(s);
    make_known(st);
    make_multi(st);
}

/* n trials of a noisy 3-parameter problem; every 10th reports 20 steps,
 * every 50th fails and every 20th is pruned. */
static hpo_study *make_big(hpo_storage *st, int n)
{
    hpo_direction d = HPO_MINIMIZE;
    hpo_study *s = open_study(st, "big", 1, &d);
    for (int i = 0; i < n; i++) {
        hpo_trial *t;
        double x, y;
        int opt;
        if (hpo_study_ask(s, &t) != HPO_OK)
            die("big", hpo_study_errmsg(s));
        hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x);
        hpo_trial_suggest_float(t, "y", 1e-4, 1, 0, HPO_LOG, &y);
        hpo_trial_suggest_categorical(t, "opt", OPTS, 3, &opt);
        double v = (x - 1) * (x - 1) + fabs(log10(y) + 2) + opt * 0.3;
        if (i % 10 == 0)
            for (int step = 0; step < 20; step++)
                hpo_trial_report(t, step, v * (1 + 2.0 / (step + 1)));
        hpo_trial_state state = i % 50 == 7 ? HPO_FAIL
                              : i % 20 == 0 ? HPO_PRUNED_STATE : HPO_COMPLETE;
        hpo_study_tell(s, t, state, &v, state == HPO_COMPLETE);
        hpo_trial_free(t);
    }
    return s;
}

static int big_html(const char *path, int n)
{
    hpo_study *s = make_big(NULL, n);
    hpo_trial **trials;
    int m;
    if (hpo_study_trials(s, &trials, &m) != HPO_OK)
        die("big", hpo_study_errmsg(s));
    FILE *f = fopen(path, "w");
    if (!f)
        die(path, "cannot write");
    report_data_opts o = {.max_curves = REPORT_MAX_CURVES,
                          .max_steps = REPORT_MAX_STEPS};
    int rc = report_html_write(f, s, trials, m, &o);
    if (fclose(f) != 0 || rc != 0)
        die(path, "write failed");
    hpo_trials_free(trials, m);
    hpo_study_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "big-html") == 0)
        return big_html(argv[2], atoi(argv[3]));
    if (argc < 3 || (strcmp(argv[1], "small") != 0 && strcmp(argv[1], "big") != 0)) {
        fprintf(stderr, "usage: report_fixture small URL | big URL N | "
                        "big-html FILE N\n");
        return 2;
    }
    hpo_storage *st;
    if (hpo_storage_open(&st, argv[2]) != HPO_OK)
        die(argv[2], hpo_storage_errmsg(st));
    if (strcmp(argv[1], "small") == 0)
        make_small(st);
    else
        hpo_study_free(make_big(st, argc > 3 ? atoi(argv[3]) : 100000));
    hpo_storage_close(st);
    return 0;
}
