/* test_resource.c — intermediate steps as resource (src/core/resource.c):
 * the rule for one trial, the study's total, hpo_study_optimize's
 * budget_resource (across study handles, as across workers), and the
 * rules of hpo_trial_report for bad steps and NaN values, with every
 * registered pruner facing NaN. */
#include "check.h"
#include "hpo.h"

static hpo_study *open_study(hpo_storage *st, const char *pruner)
{
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    hpo_study_set_sampler(s, "random");
    hpo_study_set_seed(s, 3);
    if (pruner)
        CHECK_RC(hpo_study_set_pruner(s, pruner), HPO_OK);
    CHECK_RC(hpo_study_open(s, "resource", HPO_OPEN_CREATE | HPO_OPEN_LOAD),
             HPO_OK);
    return s;
}

/* A trial reporting steps first..last with value v, then told `state`. */
static void run_trial(hpo_study *s, int64_t first, int64_t last, double v,
                      hpo_trial_state state)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    for (int64_t k = first; k <= last; k++)
        CHECK_RC(hpo_trial_report(t, k, v), HPO_OK);
    CHECK_RC(hpo_study_tell(s, t, state, &v, state == HPO_COMPLETE),
             HPO_OK);
    hpo_trial_free(t);
}

static int64_t used(hpo_study *s, int64_t max_resource)
{
    int64_t u = -1;
    CHECK_RC(hpo_study_resource_used(s, max_resource, &u), HPO_OK);
    return u;
}

/* Steps from 1 and steps from 0 both count the rounds trained; a trial
 * without reports counts max_resource when COMPLETE, else nothing. */
static void test_one_trial(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_study *s = open_study(st, NULL);
    run_trial(s, 1, 243, 0.5, HPO_COMPLETE); /* hpo's learners */
    run_trial(s, 0, 242, 0.5, HPO_COMPLETE); /* Optuna's callbacks */
    run_trial(s, 1, 0, 0.5, HPO_COMPLETE);   /* no reports */
    run_trial(s, 1, 0, 0.5, HPO_FAIL);
    run_trial(s, 1, 0, 0.5, HPO_PRUNED_STATE);
    run_trial(s, 0, 3, 0.5, HPO_PRUNED_STATE);
    run_trial(s, 1, 5, 0.5, HPO_FAIL);
    hpo_trial **all;
    int n;
    CHECK_RC(hpo_study_trials(s, &all, &n), HPO_OK);
    CHECK(n == 7);
    int64_t want[7] = {243, 243, 81, 0, 0, 4, 5};
    for (int i = 0; i < n && i < 7; i++)
        CHECK(hpo_trial_resource(all[i], 81) == want[i]);
    CHECK(hpo_trial_resource(all[2], 0) == 1);
    hpo_trials_free(all, n);
    CHECK(used(s, 81) == 243 + 243 + 81 + 4 + 5);
    CHECK(used(s, 0) == 243 + 243 + 1 + 4 + 5);
    int64_t u;
    CHECK_RC(hpo_study_resource_used(s, -1, &u), HPO_EINVAL);
    /* A running trial counts as far as it got. */
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(used(s, 0) == 496);
    CHECK_RC(hpo_trial_report(t, 7, 1.0), HPO_OK);
    CHECK(used(s, 0) == 503);
    CHECK(hpo_trial_resource(t, 0) == 7);
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo_storage_close(st);
}

typedef struct objective_data {
    int steps; /* report 1..steps */
    int calls;
} objective_data;

static int reporting(hpo_trial *t, void *data, double *values)
{
    objective_data *d = data;
    d->calls++;
    double x;
    int rc = hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
    for (int k = 1; rc == HPO_OK && k <= d->steps; k++)
        rc = hpo_trial_report(t, k, x + 1.0 / k);
    values[0] = x;
    return rc;
}

/* Trials start while the study has used less than the budget: 10 units
 * each, budget 35: the 4th starts at 30 and the run ends at 40. */
static void test_budget_stops_starting(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_study *s = open_study(st, NULL);
    objective_data d = {.steps = 10};
    hpo_optimize_options o = {.n_trials = 100, .budget_resource = 35};
    CHECK_RC(hpo_study_optimize(s, reporting, &d, &o), HPO_OK);
    CHECK(d.calls == 4);
    CHECK(used(s, 0) == 40);
    /* The budget is the study's total: spent already, nothing starts. */
    CHECK_RC(hpo_study_optimize(s, reporting, &d, &o), HPO_OK);
    CHECK(d.calls == 4);
    /* Another handle on the same study (as another worker) sees the
     * trials of the first: 40 used, budget 45, one more trial. */
    hpo_study *other = open_study(st, NULL);
    o.budget_resource = 45;
    CHECK_RC(hpo_study_optimize(other, reporting, &d, &o), HPO_OK);
    CHECK(d.calls == 5);
    /* Without reports a trial counts max_resource. */
    d.steps = 0;
    o = (hpo_optimize_options){.budget_resource = 50 + 24,
                               .max_resource = 12};
    CHECK_RC(hpo_study_optimize(other, reporting, &d, &o), HPO_OK);
    CHECK(d.calls == 5 + 2);
    CHECK(used(other, 12) == 50 + 24);
    /* Several threads: each start reads the total; the run ends. */
    d.steps = 10;
    o = (hpo_optimize_options){.budget_resource = 200, .n_jobs = 3,
                               .max_resource = 12};
    CHECK_RC(hpo_study_optimize(other, reporting, &d, &o), HPO_OK);
    int64_t total = used(other, 12);
    if (total < 200 || total >= 200 + 3 * 10)
        fprintf(stderr, "3 jobs, budget 200: used %lld\n", (long long)total);
    CHECK(total >= 200 && total < 200 + 3 * 10);
    hpo_study_free(other);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static void test_budget_refused_when_negative(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_study *s = open_study(st, NULL);
    objective_data d = {.steps = 1};
    hpo_optimize_options o = {.budget_resource = -5};
    CHECK_RC(hpo_study_optimize(s, reporting, &d, &o), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "budget_resource");
    o = (hpo_optimize_options){.n_trials = 1, .max_resource = -1};
    CHECK_RC(hpo_study_optimize(s, reporting, &d, &o), HPO_EINVAL);
    CHECK(d.calls == 0);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static char logged[512];
static void keep_warning(int level, const char *message, void *data)
{
    (void)data;
    if (level == 2)
        snprintf(logged, sizeof logged, "%s", message);
}

/* The rules of hpo_trial_report: a repeat is ignored with a warning, a
 * step going back and a negative step are refused, nothing is stored by
 * them; NaN and inf are stored. */
static void test_report_rules(void)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo_study *s = open_study(st, NULL);
    hpo_study_set_log(s, keep_warning, NULL);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_report(t, 2, 0.5), HPO_OK);
    CHECK_RC(hpo_trial_report(t, 5, 0.25), HPO_OK);
    logged[0] = '\0';
    CHECK_RC(hpo_trial_report(t, 5, 9.0), HPO_OK);
    CHECK_STR_CONTAINS(logged, "trial 0: step 5 was reported before; 9 is "
                               "ignored (the first value is kept)");
    CHECK_RC(hpo_trial_report(t, 3, 0.1), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "trial 0: step 3 after step 5: "
                                            "steps must not go back");
    CHECK_RC(hpo_trial_report(t, -1, 0.1), HPO_EINVAL);
    CHECK_RC(hpo_trial_report(t, 6, NAN), HPO_OK);
    CHECK_RC(hpo_trial_report(t, 7, INFINITY), HPO_OK);
    CHECK_RC(hpo_study_tell(s, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    CHECK_RC(hpo_trial_report(t, 8, 0.1), HPO_EFINISHED);
    hpo_trial_free(t);
    hpo_trial **all;
    int n;
    CHECK_RC(hpo_study_trials(s, &all, &n), HPO_OK);
    CHECK(n == 1 && hpo_trial_n_intermediate(all[0]) == 4);
    int64_t steps[4] = {2, 5, 6, 7}, step;
    double want[4] = {0.5, 0.25, NAN, INFINITY}, v;
    for (int i = 0; n == 1 && i < 4; i++) {
        hpo_trial_intermediate(all[0], i, &step, &v);
        CHECK(step == steps[i]);
        CHECK(isnan(want[i]) ? isnan(v) : v == want[i]);
    }
    hpo_trials_free(all, n);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* Does `pruner` stop a trial reporting v at steps 1..4?  The step it
 * stops at, or 0.  A pruner must never fail on the values. */
static int pruned_at(hpo_study *s, double v)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int at = 0;
    for (int k = 1; k <= 4 && !at; k++) {
        CHECK_RC(hpo_trial_report(t, k, v), HPO_OK);
        int rc = hpo_trial_should_prune(t);
        CHECK(rc == 0 || rc == 1);
        if (rc == 1)
            at = k;
    }
    CHECK_RC(hpo_study_tell(s, t, at ? HPO_PRUNED_STATE : HPO_COMPLETE, &v,
                            at ? 0 : 1),
             HPO_OK);
    hpo_trial_free(t);
    return at;
}

/* A study with `pruner` (defaults) and 8 trials reporting steps 1..4, a
 * third of them NaN throughout; NULL when the pruner needs options. */
static hpo_study *nan_history(const char *pruner, hpo_storage **st)
{
    CHECK_RC(hpo_storage_open(st, "memory:"), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, *st);
    hpo_study_set_seed(s, 1);
    if (hpo_study_set_pruner(s, pruner) != HPO_OK) {
        fprintf(stderr, "skipped pruner %s: %s\n", pruner,
                hpo_study_errmsg(s));
        hpo_study_free(s);
        hpo_storage_close(*st);
        return NULL;
    }
    CHECK_RC(hpo_study_open(s, "nan", HPO_OPEN_CREATE), HPO_OK);
    for (int k = 0; k < 8; k++)
        run_trial(s, 1, 4, k % 3 ? 1.0 + k : NAN,
                  k % 3 ? HPO_COMPLETE : HPO_PRUNED_STATE);
    return s;
}

/* Where the pruner stops trial 8 of nan_history when it reports v. */
static int ninth_pruned_at(const char *pruner, double v)
{
    hpo_storage *st;
    hpo_study *s = nan_history(pruner, &st);
    if (!s)
        return -1;
    int at = pruned_at(s, v);
    hpo_study_free(s);
    hpo_storage_close(st);
    return at;
}

/* Every registered pruner, facing NaN: in other trials' history and as a
 * trial's every value.  It never fails, and a NaN is never better than
 * the worst value: the same trial (same number, same history, so the
 * same bracket for pruners that have them) reporting NaN is stopped no
 * later than when it reports a value far worse than every other. */
static void test_pruners_and_nan(void)
{
    const char *summary, *name;
    for (int i = 0; (name = hpo_pruner_name(i, &summary)); i++) {
        int worst = ninth_pruned_at(name, 1e9);
        int nan = ninth_pruned_at(name, NAN);
        if (worst < 0)
            continue;
        if (worst && (!nan || nan > worst))
            fprintf(stderr, "pruner %s: stopped the worst trial at step %d, "
                    "the NaN trial at %d\n", name, worst, nan);
        CHECK(!worst || (nan && nan <= worst));
        if (strcmp(name, "median") == 0) /* the check is not vacuous */
            CHECK(worst == 1 && nan == 1);
    }
}

int main(void)
{
    RUN(test_one_trial);
    RUN(test_budget_stops_starting);
    RUN(test_budget_refused_when_negative);
    RUN(test_report_rules);
    RUN(test_pruners_and_nan);
    return CHECK_DONE();
}
