/* test_successive_halving.c — asynchronous successive halving through the
 * public API: promotions with results arriving out of order (running
 * trials' rung values count, as in Optuna), completed_rung_<k> attributes
 * as Optuna stores them, min_resource=auto fixed by the first COMPLETE
 * trial, NaN at a rung, bootstrap_count, and options refused. */
#include <math.h>
#include <string.h>

#include "pruner_steps.h"

/* Report value at step and ask: the verdict. */
static int at(hpo_trial *t, int64_t step, double value)
{
    CHECK_RC(hpo_trial_report(t, step, value), HPO_OK);
    int v = hpo_trial_should_prune(t);
    CHECK(v == 0 || v == 1);
    return v;
}

static void check_attr(hpo_trial *t, const char *key, const char *want)
{
    const char *got = hpo_trial_system_attr(t, key);
    if (!got || !want || strcmp(got, want))
        fprintf(stderr, "trial %d %s: got %s, want %s\n", hpo_trial_number(t),
                key, got ? got : "(none)", want ? want : "(none)");
    CHECK(want ? got && !strcmp(got, want) : !got);
}

/* eta = 2, min_resource = 1: rung k ends at step 2^k.  Four trials run at
 * once; their values at rung 0 arrive in the order 3, 1, 0, 2.  With n
 * values at the rung (its own included) a trial goes on when at most
 * max(n / 2 - 1, 0) others are strictly better. */
static void test_out_of_order(void)
{
    hpo_study *s = pruned_study("successive_halving:min_resource=1,"
                                "reduction_factor=2",
                                HPO_MINIMIZE, "asha");
    hpo_trial *t[4];
    for (int i = 0; i < 4; i++)
        CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
    for (int i = 0; i < 4; i++) /* step 0: before rung 0, never judged */
        CHECK(at(t[i], 0, 100) == 0);
    CHECK(at(t[3], 1, 4) == 0);   /* alone: best so far */
    CHECK(at(t[1], 1, 1) == 0);   /* n = 2, none better */
    CHECK(at(t[0], 1, 3) == 1);   /* n = 3, idx 0, 1 (trial 1) better */
    check_attr(t[0], "completed_rung_0", "3.0");
    CHECK_RC(hpo_study_tell(s, t[0], HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    CHECK(at(t[2], 1, 0.5) == 0); /* n = 4, idx 1, none better */
    check_attr(t[2], "completed_rung_0", "0.5");
    check_attr(t[2], "completed_rung_1", NULL);
    /* Rung 1 (step 2): trial 3 first, alone; trial 1 worse than it. */
    CHECK(at(t[3], 2, 2) == 0);
    CHECK(at(t[1], 2, 2.5) == 1);
    /* A trial jumping from step 1 to 4 climbs two rungs with one value. */
    CHECK(at(t[2], 4, 1) == 0);
    check_attr(t[2], "completed_rung_1", "1.0");
    check_attr(t[2], "completed_rung_2", "1.0");
    for (int i = 1; i < 4; i++) {
        CHECK_RC(hpo_study_tell(s, t[i], HPO_COMPLETE, (double[]){1}, 1),
                 HPO_OK);
        hpo_trial_free(t[i]);
    }
    hpo_trial_free(t[0]);
    /* Told trials are folded in: a new trial at rung 0 meets 3, 1, 4, 0.5
     * (n = 5, idx 1): 2 has three better, 0.7 one. */
    hpo_trial *u;
    CHECK_RC(hpo_study_ask(s, &u), HPO_OK);
    CHECK(at(u, 1, 2) == 1);
    hpo_trial_free(u);
    CHECK_RC(hpo_study_ask(s, &u), HPO_OK);
    CHECK(at(u, 1, 0.7) == 0);
    hpo_trial_free(u);
    hpo_study_free(s);
}

static void test_maximize_and_nan(void)
{
    hpo_study *s = pruned_study("successive_halving:min_resource=1,"
                                "reduction_factor=2",
                                HPO_MAXIMIZE, "max");
    CHECK(judged_trial(s, (double[]){0, 5}, 2) == 0);
    CHECK(judged_trial(s, (double[]){0, 4}, 2) == 1); /* n = 2, 5 better */
    CHECK(judged_trial(s, (double[]){0, 6}, 2) == 0);
    CHECK(judged_trial(s, (double[]){0, NAN}, 2) == 1);
    CHECK(judged_trial(s, (double[]){0, INFINITY}, 2) == 1);
    hpo_study_free(s);
}

static void test_bootstrap(void)
{
    hpo_study *s = pruned_study("successive_halving:min_resource=1,"
                                "reduction_factor=2,bootstrap_count=2",
                                HPO_MINIMIZE, "boot");
    /* n <= 2 values at the rung: nothing is promoted yet. */
    CHECK(judged_trial(s, (double[]){0, 1}, 2) == 1);
    CHECK(judged_trial(s, (double[]){0, 1}, 2) == 1);
    CHECK(judged_trial(s, (double[]){0, 0.5}, 2) == 0);
    hpo_study_free(s);
}

/* auto: max(last step of the first COMPLETE trial / 100, 1), fixed. */
static void test_auto_min_resource(void)
{
    hpo_study *s = pruned_study("successive_halving", HPO_MINIMIZE, "auto");
    double v[1000];
    for (int i = 0; i < 1000; i++)
        v[i] = 1000 - i;
    /* Unknown before a COMPLETE trial: never pruned, nothing recorded. */
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(report_all(t, v, NULL, 500) == 0);
    check_attr(t, "completed_rung_0", NULL);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v[499], 1), HPO_OK);
    hpo_trial_free(t);
    const char *fixed = hpo_study_system_attr(s, "hpo:successive_halving:"
                                                 "min_resource");
    CHECK(fixed && !strcmp(fixed, "4"));
    /* A longer trial later does not change it. */
    complete_trial(s, v, 1000);
    fixed = hpo_study_system_attr(s, "hpo:successive_halving:min_resource");
    CHECK(fixed && !strcmp(fixed, "4"));
    /* Rung 0 ends at step 4: not recorded at step 3, recorded at 4. */
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(report_all(t, v, NULL, 4) == 0);
    check_attr(t, "completed_rung_0", NULL);
    CHECK(at(t, 4, 0) == 0);
    check_attr(t, "completed_rung_0", "0.0");
    hpo_trial_free(t);
    hpo_study_free(s);
}

static void test_options_refused(void)
{
    check_refused("successive_halving:reduction_factor=1", "outside");
    check_refused("successive_halving:min_resource=0", "outside");
    check_refused("successive_halving:min_resource=-3", "outside");
    check_refused("successive_halving:min_resource=x", "or auto");
    check_refused("successive_halving:min_early_stopping_rate=-1", "outside");
    check_refused("successive_halving:bootstrap_count=-1", "outside");
    check_refused("successive_halving:eta=3", "eta");
}

int main(void)
{
    RUN(test_out_of_order);
    RUN(test_maximize_and_nan);
    RUN(test_bootstrap);
    RUN(test_auto_min_resource);
    RUN(test_options_refused);
    return CHECK_DONE();
}
