/* test_percentile.c — the percentile pruner (and median, its 50th) against
 * numpy's percentile over hand-built trials, Optuna's start-up, warm-up
 * and interval rules, and its options refused. */
#include <math.h>

#include "pruner_steps.h"

/* Four COMPLETE trials with values 1, 2, 3, 4 at step 0, then a trial
 * reporting x at step 0: its verdict. */
static int verdict_after_1234(const char *pruner, hpo_direction d, double x)
{
    hpo_study *s = pruned_study(pruner, d, "p");
    for (int i = 1; i <= 4; i++) {
        double v = i;
        complete_trial(s, &v, 1);
    }
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int verdict = report_all(t, &x, NULL, 1);
    hpo_trial_free(t);
    hpo_study_free(s);
    return verdict;
}

static void test_percentile_cut(void)
{
    /* numpy.percentile([1, 2, 3, 4], 25) = 1.75; 75 = 3.25; 50 = 2.5. */
    const char *p25 = "percentile:percentile=25,n_startup_trials=2";
    CHECK(verdict_after_1234(p25, HPO_MINIMIZE, 1.74) == 0);
    CHECK(verdict_after_1234(p25, HPO_MINIMIZE, 1.76) == 1);
    CHECK(verdict_after_1234(p25, HPO_MAXIMIZE, 3.26) == 0);
    CHECK(verdict_after_1234(p25, HPO_MAXIMIZE, 3.24) == 1);
    const char *med = "median:n_startup_trials=2";
    CHECK(verdict_after_1234(med, HPO_MINIMIZE, 2.49) == 0);
    CHECK(verdict_after_1234(med, HPO_MINIMIZE, 2.51) == 1);
    CHECK(verdict_after_1234("percentile:percentile=50,n_startup_trials=2",
                             HPO_MINIMIZE, 2.51) == 1);
    /* A trial whose every value is NaN is pruned. */
    CHECK(verdict_after_1234(p25, HPO_MINIMIZE, NAN) == 1);
    /* Fewer COMPLETE trials than n_startup_trials: never. */
    CHECK(verdict_after_1234("percentile:percentile=25,n_startup_trials=5",
                             HPO_MINIMIZE, 100) == 0);
    /* Fewer trials with a value at the step than n_min_trials: never. */
    CHECK(verdict_after_1234("percentile:percentile=25,n_startup_trials=0,"
                             "n_min_trials=5",
                             HPO_MINIMIZE, 100) == 0);
}

/* Warm-up and interval, Optuna's rule: with n_warmup_steps=2 and
 * interval_steps=3 a trial is judged at its first report in each of
 * [2, 5), [5, 8), ... */
static void test_warmup_interval(void)
{
    hpo_study *s = pruned_study("percentile:percentile=50,n_startup_trials=1,"
                                "n_warmup_steps=2,interval_steps=3",
                                HPO_MINIMIZE, "w");
    double good[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    complete_trial(s, good, 10);
    double bad[10] = {99, 99, 99, 99, 99, 99, 99, 99, 99, 99};
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(report_all(t, bad, NULL, 2) == 0); /* steps 0, 1: warm-up */
    CHECK(report_all(t, bad, (int64_t[]){2}, 1) == 1);
    hpo_trial_free(t);
    /* 8 at step 2 ties the median; at 3 and 4 it is worse but not judged;
     * at 5 it is judged and pruned. */
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double eights[4] = {8, 8, 8, 8};
    CHECK(report_all(t, eights, (int64_t[]){2, 3, 4}, 3) == 0);
    CHECK(report_all(t, eights, (int64_t[]){5}, 1) == 1);
    hpo_trial_free(t);
    /* A trial that skips step 2 is judged at its first report after. */
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(report_all(t, bad, (int64_t[]){0, 3}, 2) == 1);
    hpo_trial_free(t);
    hpo_study_free(s);
}

static void test_options_refused(void)
{
    check_refused("percentile", "percentile is required");
    check_refused("percentile:percentile=101", "outside");
    check_refused("percentile:percentile=-1", "outside");
    check_refused("percentile:percentile=5,interval_steps=0", "outside");
    check_refused("percentile:percentile=5,n_warmup_steps=-1", "outside");
    check_refused("percentile:percentile=5,bogus=1", "bogus");
    check_refused("median:percentile=5", "percentile");
}

int main(void)
{
    RUN(test_percentile_cut);
    RUN(test_warmup_interval);
    RUN(test_options_refused);
    return CHECK_DONE();
}
