/* test_trial_lookup.c — hpo_study_trial: a handle on a trial by its
 * number, for a process that did not ask it (hpo tell, a job array).
 * Two study handles on one SQLite file stand for two processes: A asks,
 * B finds the trials by number, reports, sets attributes and tells. */
#include <stdio.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"

static char url[600];

static hpo_study *open_handle(hpo_storage **st, int n_dirs)
{
    CHECK_RC(hpo_storage_open(st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, *st);
    for (int i = 0; i < n_dirs; i++)
        hpo_study_add_direction(s, HPO_MINIMIZE);
    CHECK_RC(hpo_study_open(s, n_dirs == 2 ? "two" : "one",
                            HPO_OPEN_CREATE | HPO_OPEN_LOAD), HPO_OK);
    return s;
}

/* A asks three trials; B tells them by number, out of order. */
static void test_tell_by_number(void)
{
    hpo_storage *sta, *stb;
    hpo_study *a = open_handle(&sta, 1), *b = open_handle(&stb, 1);
    hpo_trial *asked[3];
    for (int i = 0; i < 3; i++) {
        CHECK_RC(hpo_study_ask(a, &asked[i]), HPO_OK);
        double x;
        CHECK_RC(hpo_trial_suggest_float(asked[i], "x", 0, 1, 0, 0, &x), HPO_OK);
        hpo_trial_free(asked[i]); /* the asking process is gone */
    }
    hpo_trial *t;
    CHECK_RC(hpo_study_trial(b, 2, &t), HPO_OK);
    CHECK(hpo_trial_number(t) == 2 && hpo_trial_state_of(t) == HPO_RUNNING);
    CHECK(hpo_trial_n_params(t) == 1);
    CHECK_RC(hpo_trial_report(t, 1, 0.75), HPO_OK);
    CHECK_RC(hpo_trial_set_user_attr(t, "acc", "0.5"), HPO_OK);
    double v = 0.25;
    CHECK_RC(hpo_study_tell(b, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    CHECK_RC(hpo_study_trial(b, 0, &t), HPO_OK);
    CHECK_RC(hpo_study_tell(b, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    hpo_trial_free(t);

    /* A sees what B stored. */
    hpo_trial **all;
    int n;
    CHECK_RC(hpo_study_trials(a, &all, &n), HPO_OK);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(hpo_trial_state_of(all[0]) == HPO_PRUNED_STATE);
        CHECK(hpo_trial_state_of(all[1]) == HPO_RUNNING);
        CHECK(hpo_trial_state_of(all[2]) == HPO_COMPLETE);
        CHECK(hpo_trial_value(all[2], 0) == 0.25);
        CHECK(hpo_trial_n_intermediate(all[2]) == 1);
        CHECK(hpo_trial_user_attr(all[2], "acc") &&
              strcmp(hpo_trial_user_attr(all[2], "acc"), "0.5") == 0);
    }
    hpo_trials_free(all, n);
    hpo_study_free(a);
    hpo_study_free(b);
    hpo_storage_close(sta);
    hpo_storage_close(stb);
}

/* A finished trial comes back finished: telling it again changes
 * nothing; a number past the last is HPO_ENOTFOUND. */
static void test_finished_and_missing(void)
{
    hpo_storage *st;
    hpo_study *s = open_handle(&st, 1);
    hpo_trial *t;
    CHECK_RC(hpo_study_trial(s, 2, &t), HPO_OK);
    CHECK(hpo_trial_state_of(t) == HPO_COMPLETE);
    double v = 9;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_EFINISHED);
    hpo_trial_free(t);
    CHECK_RC(hpo_study_trial(s, 2, &t), HPO_OK);
    CHECK(hpo_trial_value(t, 0) == 0.25);
    hpo_trial_free(t);
    CHECK_RC(hpo_study_trial(s, 3, &t), HPO_ENOTFOUND);
    CHECK(t == NULL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "no trial 3");
    CHECK_RC(hpo_study_trial(s, -1, &t), HPO_ENOTFOUND);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* Several objectives: the count of values is checked as for an asked
 * trial, and a wrong count stores nothing. */
static void test_values_checked(void)
{
    hpo_storage *st;
    hpo_study *s = open_handle(&st, 2);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    hpo_trial_free(t);
    CHECK_RC(hpo_study_trial(s, 0, &t), HPO_OK);
    double v[2] = {1, 2};
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, 1), HPO_EINVAL);
    CHECK(hpo_trial_state_of(t) == HPO_RUNNING);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, 2), HPO_OK);
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static void test_unopened(void)
{
    hpo_study *s = hpo_study_new();
    hpo_trial *t;
    CHECK_RC(hpo_study_trial(s, 0, &t), HPO_EMISUSE);
    hpo_study_free(s);
}

int main(void)
{
    char dir[] = "/tmp/hpo-lookup.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(url, sizeof url, "sqlite:///%s/l.db", dir);
    RUN(test_tell_by_number);
    RUN(test_finished_and_missing);
    RUN(test_values_checked);
    RUN(test_unopened);
    const char *files[] = {"l.db", "l.db-wal", "l.db-shm", "l.db-journal"};
    for (int i = 0; i < 4; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return CHECK_DONE();
}
