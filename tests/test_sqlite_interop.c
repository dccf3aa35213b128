/*
 * test_sqlite_interop.c — hpo and Debian's Python Optuna share one SQLite
 * file, both ways:
 *
 *   1. hpo writes two studies through the public API (log floats, stepped
 *      floats and ints, log ints, categoricals, intermediate values with
 *      NaN/inf, a PRUNED, a FAIL, user attributes, and two objectives
 *      with ±inf values), dumps what it holds as JSON, and
 *      tests/interop/optuna_interop.py check-hpo loads the file with Optuna
 *      and compares everything, best trial and Pareto front included.
 *   2. A file stamped ?optuna=3.2 is refused by Optuna 3.1 (the marker
 *      option matters).
 *   3. Optuna creates a study and runs 10 trials; hpo loads it, runs 10 more
 *      with the same parameters; Optuna sees 0..19 and continues.
 *
 * Skipped, with a message, only when /usr/bin/python3 has no optuna.
 * HPO_KEEP=1 keeps the files (the database, the JSON dump) for a look.
 */
#include <cJSON.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"

#define PYTHON "/usr/bin/python3"
#define SCRIPT HPO_SOURCE_DIR "/tests/interop/optuna_interop.py"

static char dir[64];

static char *path_of(const char *file)
{
    char *p = malloc(strlen(dir) + strlen(file) + 2);
    sprintf(p, "%s/%s", dir, file);
    return p;
}

/* Run the Python side; its exit status (0 = everything matched). */
static int run_python(const char *command, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s '%s' %s '%s' %s%s%s", PYTHON, SCRIPT, command,
             a, b ? "'" : "", b ? b : "", b ? "'" : "");
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- JSON dump of what hpo holds ---------------------------------------- */

/* JSON has no inf or NaN: write them as strings Python's float() reads. */
static cJSON *number_json(double v)
{
    if (isnan(v))
        return cJSON_CreateString("nan");
    if (isinf(v))
        return cJSON_CreateString(v > 0 ? "inf" : "-inf");
    /* cJSON's own printer may drop the last digit; print every digit. */
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return cJSON_CreateRaw(buf);
}

static cJSON *trial_json(const hpo_trial *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "number", hpo_trial_number(t));
    cJSON_AddStringToObject(o, "state", hpo_state_name(hpo_trial_state_of(t)));
    if (hpo_trial_n_values(t) == 0) {
        cJSON_AddNullToObject(o, "values");
    } else {
        cJSON *v = cJSON_AddArrayToObject(o, "values");
        for (int i = 0; i < hpo_trial_n_values(t); i++)
            cJSON_AddItemToArray(v, number_json(hpo_trial_value(t, i)));
    }
    cJSON *params = cJSON_AddObjectToObject(o, "params");
    for (int i = 0; i < hpo_trial_n_params(t); i++) {
        const char *name = hpo_trial_param_name(t, i);
        if (strcmp(name, "kernel") == 0)
            cJSON_AddStringToObject(params, name, hpo_trial_param_text(t, i));
        else
            cJSON_AddItemToObject(params, name,
                                  number_json(hpo_trial_param_value(t, i)));
    }
    cJSON *inter = cJSON_AddObjectToObject(o, "intermediate");
    for (int i = 0; i < hpo_trial_n_intermediate(t); i++) {
        int64_t step;
        double v;
        char key[32];
        hpo_trial_intermediate(t, i, &step, &v);
        snprintf(key, sizeof key, "%lld", (long long)step);
        cJSON_AddItemToObject(inter, key, number_json(v));
    }
    cJSON *attrs = cJSON_AddObjectToObject(o, "user_attrs");
    static const char *const keys[] = {"fold", "note"};
    for (int i = 0; i < 2; i++) {
        const char *json = hpo_trial_user_attr(t, keys[i]);
        if (json)
            cJSON_AddItemToObject(attrs, keys[i], cJSON_Parse(json));
    }
    return o;
}

static cJSON *study_json(hpo_study *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", hpo_study_name(s));
    cJSON *dirs = cJSON_AddArrayToObject(o, "directions");
    for (int i = 0; i < hpo_study_n_objectives(s); i++)
        cJSON_AddItemToArray(dirs, cJSON_CreateString(hpo_direction_name(
                                       hpo_study_direction(s, i))));
    cJSON *attrs = cJSON_AddObjectToObject(o, "user_attrs");
    const char *purpose = hpo_study_user_attr(s, "purpose");
    if (purpose)
        cJSON_AddItemToObject(attrs, "purpose", cJSON_Parse(purpose));
    hpo_trial **trials;
    int n;
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    cJSON *list = cJSON_AddArrayToObject(o, "trials");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(list, trial_json(trials[i]));
    hpo_trials_free(trials, n);
    if (hpo_study_n_objectives(s) == 1) {
        hpo_trial *best;
        CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
        cJSON *b = cJSON_AddObjectToObject(o, "best");
        cJSON_AddNumberToObject(b, "number", hpo_trial_number(best));
        cJSON_AddItemToObject(b, "value",
                              number_json(hpo_trial_value(best, 0)));
        hpo_trial_free(best);
    } else {
        CHECK_RC(hpo_study_pareto_front(s, &trials, &n), HPO_OK);
        cJSON *front = cJSON_AddArrayToObject(o, "pareto");
        for (int i = 0; i < n; i++) {
            int number = hpo_trial_number(trials[i]);
            cJSON_AddItemToArray(front, cJSON_CreateNumber(number));
        }
        hpo_trials_free(trials, n);
    }
    return o;
}

/* ---- 1. hpo writes, Optuna reads ---------------------------------------- */

static const char *const kernels[] = {"rbf", "linear", "poly"};

/* One trial of the single-objective study; its fate depends on its number. */
static void run_single_trial(hpo_study *s)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    if (!t)
        return;
    double lr, x;
    int64_t units, depth;
    int k;
    CHECK_RC(hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr),
             HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", -2, 2, 0.5, 0, &x), HPO_OK);
    CHECK_RC(hpo_trial_suggest_int(t, "units", 16, 256, 16, 0, &units), HPO_OK);
    CHECK_RC(hpo_trial_suggest_int(t, "depth", 1, 64, 1, HPO_LOG, &depth),
             HPO_OK);
    CHECK_RC(hpo_trial_suggest_categorical(t, "kernel", kernels, 3, &k),
             HPO_OK);
    double value = log10(lr) * log10(lr) + x * x + (double)units / 256 +
                   (double)depth / 64 + k;
    int number = hpo_trial_number(t);
    for (int step = 0; step < 3; step++)
        CHECK_RC(hpo_trial_report(t, step, value + 1.0 / (step + 1)), HPO_OK);
    if (number == 2) {
        CHECK_RC(hpo_trial_report(t, 3, NAN), HPO_OK);
        CHECK_RC(hpo_trial_report(t, 4, INFINITY), HPO_OK);
        CHECK_RC(hpo_trial_report(t, 5, -INFINITY), HPO_OK);
    }
    CHECK_RC(hpo_trial_set_user_attr(t, "fold", "[1, 2.5, \"a\", null]"),
             HPO_OK);
    if (number == 3) {
        CHECK_RC(hpo_study_tell(s, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    } else if (number == 5) {
        CHECK_RC(hpo_study_tell(s, t, HPO_FAIL, NULL, 0), HPO_OK);
    } else {
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &value, 1), HPO_OK);
    }
    hpo_trial_free(t);
}

static void run_multi_trial(hpo_study *s, int i)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    if (!t)
        return;
    double a;
    CHECK_RC(hpo_trial_suggest_float(t, "a", 0, 1, 0, 0, &a), HPO_OK);
    CHECK_RC(hpo_trial_set_user_attr(t, "note", "{\"i\": 1}"), HPO_OK);
    /* A trade-off (minimize a, maximize a): every trial is on the Pareto
     * front except trial 3, whose infinities every other trial dominates.
     * (Infinite values live here, not in the single-objective study: Optuna
     * 3.1 finds a best trial with ORDER BY value, where the NULL that
     * stands for ±inf sorts first, so it would call +inf the minimum.) */
    double v[2] = {a, a};
    if (i == 3) {
        v[0] = INFINITY;
        v[1] = -INFINITY;
    }
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, 2), HPO_OK);
    hpo_trial_free(t);
}

static void test_hpo_to_optuna(void)
{
    char *db = path_of("hpo.db");
    char *url = malloc(strlen(db) + 16);
    sprintf(url, "sqlite:///%s", db);
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);

    hpo_study *single = hpo_study_new();
    hpo_study_set_storage(single, st);
    hpo_study_set_seed(single, 7);
    CHECK_RC(hpo_study_open(single, "single", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_set_user_attr(single, "purpose", "\"interop\""), HPO_OK);
    for (int i = 0; i < 9; i++)
        run_single_trial(single);

    hpo_study *multi = hpo_study_new();
    hpo_study_set_storage(multi, st);
    hpo_study_set_seed(multi, 8);
    hpo_study_add_direction(multi, HPO_MINIMIZE);
    hpo_study_add_direction(multi, HPO_MAXIMIZE);
    CHECK_RC(hpo_study_open(multi, "multi", HPO_OPEN_CREATE), HPO_OK);
    for (int i = 0; i < 5; i++)
        run_multi_trial(multi, i);

    cJSON *root = cJSON_CreateObject();
    cJSON *studies = cJSON_AddArrayToObject(root, "studies");
    cJSON_AddItemToArray(studies, study_json(single));
    cJSON_AddItemToArray(studies, study_json(multi));
    char *text = cJSON_Print(root);
    char *expected = path_of("expected.json");
    FILE *f = fopen(expected, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(text);
    cJSON_Delete(root);
    hpo_study_free(single);
    hpo_study_free(multi);
    hpo_storage_close(st);

    CHECK_RC(run_python("check-hpo", db, expected), 0);
    free(expected);
    free(url);
    free(db);
}

/* ---- 2. the 3.2 marker is refused by Optuna 3.1 ------------------------- */

static void test_marker_refused(void)
{
    char *db = path_of("v32.db");
    char *url = malloc(strlen(db) + 32);
    sprintf(url, "sqlite:///%s?optuna=3.2", db);
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    CHECK_RC(hpo_study_open(s, "single", HPO_OPEN_CREATE), HPO_OK);
    hpo_study_free(s);
    hpo_storage_close(st);
    /* Debian's optuna is 3.1; a newer one would open the file. */
    if (system(PYTHON " -c 'import optuna,sys; sys.exit(optuna.__version__ "
                      ">= \"3.2\")'") == 0)
        CHECK_RC(run_python("refused", db, NULL), 0);
    else
        fprintf(stderr, "note: optuna >= 3.2: the refusal is not tested\n");
    free(url);
    free(db);
}

/* ---- 3. Optuna writes, hpo continues ------------------------------------ */

static int continue_objective(hpo_trial *t, void *data, double *value)
{
    double lr, x;
    int64_t units;
    int k, rc;
    (void)data;
    if ((rc = hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr)) ||
        (rc = hpo_trial_suggest_int(t, "units", 16, 256, 16, 0, &units)) ||
        (rc = hpo_trial_suggest_categorical(t, "kernel", kernels, 3, &k)) ||
        (rc = hpo_trial_suggest_float(t, "x", -2, 2, 0.5, 0, &x)))
        return rc;
    value[0] = (log10(lr) + 3) * (log10(lr) + 3) + (double)units / 256 + x * x +
               0.5 * k;
    for (int step = 0; step < 3; step++)
        hpo_trial_report(t, step, value[0] + 1.0 / (step + 1));
    return hpo_trial_set_user_attr(t, "from", "\"hpo\"");
}

static void test_optuna_to_hpo(void)
{
    char *db = path_of("py.db");
    CHECK_RC(run_python("make", db, NULL), 0);
    char *url = malloc(strlen(db) + 16);
    sprintf(url, "sqlite:///%s", db);
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    hpo_study_set_seed(s, 11);
    int rc = hpo_study_open(s, "py", HPO_OPEN_LOAD);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK)
        fprintf(stderr, "open: %s\n", hpo_study_errmsg(s));
    CHECK_STR_CONTAINS(hpo_study_user_attr(s, "origin"), "python");

    hpo_trial **trials;
    int n;
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    CHECK(n == 10);
    for (int i = 0; i < n; i++) {
        CHECK(hpo_trial_number(trials[i]) == i);
        CHECK(hpo_trial_n_params(trials[i]) == 4);
        double units;
        CHECK(hpo_trial_param(trials[i], "units", &units) == 1 &&
              fmod(units, 16) == 0);
    }
    CHECK(n > 4 && hpo_trial_state_of(trials[4]) == HPO_PRUNED_STATE);
    CHECK(n > 4 && hpo_trial_n_intermediate(trials[4]) == 3);
    hpo_trials_free(trials, n);

    hpo_optimize_options o = {.n_trials = 10};
    rc = hpo_study_optimize(s, continue_objective, NULL, &o);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK)
        fprintf(stderr, "optimize: %s\n", hpo_study_errmsg(s));
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    CHECK(n == 20);
    for (int i = 0; i < n; i++)
        CHECK(hpo_trial_number(trials[i]) == i);
    hpo_trials_free(trials, n);
    hpo_study_free(s);
    hpo_storage_close(st);

    CHECK_RC(run_python("check-continued", db, NULL), 0);
    free(url);
    free(db);
}

int main(void)
{
    if (system(PYTHON " -c 'import optuna' >/dev/null 2>&1") != 0) {
        fprintf(stderr, "SKIP: %s has no optuna (apt-get install "
                        "python3-optuna); the interop tests did not run\n",
                PYTHON);
        return 0;
    }
    hpo_storage *probe;
    int rc = hpo_storage_open(&probe, "sqlite:///:memory:");
    hpo_storage_close(probe);
    if (rc == HPO_EUNSUPPORTED) {
        fprintf(stderr, "SKIP: built without SQLite\n");
        return 0;
    }
    snprintf(dir, sizeof dir, "/tmp/hpo_interop_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_hpo_to_optuna);
    RUN(test_marker_refused);
    RUN(test_optuna_to_hpo);
    int failed = check_failures + (getenv("HPO_KEEP") != NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (failed)
        fprintf(stderr, "files kept in %s\n", dir);
    else if (system(cmd) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    return CHECK_DONE();
}
