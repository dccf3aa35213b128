/* test_patient.c — the patient pruner: patience and min_delta as Optuna's
 * PatientPruner counts them, the wrapped pruner asked only once patience
 * has run out, and its options refused. */
#include <math.h>

#include "pruner_steps.h"

#define verdict_of first_trial_verdict

static void test_patience(void)
{
    /* Best 1 at step 0, then 2 steps without improvement: patience 2 needs
     * a third. */
    double v[] = {1, 2, 2, 2};
    CHECK(verdict_of("patient:patience=2", HPO_MINIMIZE, v, 3) == 0);
    CHECK(verdict_of("patient:patience=2", HPO_MINIMIZE, v, 4) == 1);
    /* An improvement inside the window resets it... */
    double w[] = {1, 2, 0.5, 2};
    CHECK(verdict_of("patient:patience=2", HPO_MINIMIZE, w, 4) == 0);
    /* min_delta tolerates a window this much worse than the best before. */
    double x[] = {1, 2, 1.2, 2};
    CHECK(verdict_of("patient:patience=2", HPO_MINIMIZE, x, 4) == 1);
    CHECK(verdict_of("patient:patience=2,min_delta=0.5", HPO_MINIMIZE, x,
                     4) == 0);
    double up[] = {5, 4, 4, 4};
    CHECK(verdict_of("patient:patience=2", HPO_MAXIMIZE, up, 4) == 1);
    CHECK(verdict_of("patient:patience=0", HPO_MAXIMIZE, up, 2) == 1);
    double nan_tail[] = {1, NAN, NAN, NAN};
    CHECK(verdict_of("patient:patience=2", HPO_MINIMIZE, nan_tail, 4) == 0);
}

/* Wrapped: the median pruner decides once patience has run out. */
static void test_wrapped(void)
{
    hpo_study *s = pruned_study("patient:patience=1,wrapped=median",
                                HPO_MINIMIZE, "w");
    double good[] = {1, 1, 1, 1};
    for (int i = 0; i < 5; i++)
        complete_trial(s, good, 4);
    /* Stalled, but better than the median: the median says go on. */
    CHECK(judged_trial(s, (double[]){0.1, 0.5, 0.5, 0.5}, 4) == 0);
    /* Improving every step, worse than the median: patience never runs
     * out, so the median is not asked. */
    CHECK(judged_trial(s, (double[]){9, 8, 7, 6}, 4) == 0);
    /* Stalled and worse: pruned. */
    CHECK(judged_trial(s, (double[]){9, 9.5, 9.5, 9.5}, 4) == 1);
    hpo_study_free(s);
}

static void test_options_refused(void)
{
    check_refused("patient", "patience is required");
    check_refused("patient:patience=-1", "outside");
    check_refused("patient:patience=1,min_delta=-1", "outside");
    check_refused("patient:patience=1,wrapped=nosuch", "nosuch");
    check_refused("patient:patience=1,wrapped=threshold", "lower, upper");
    check_refused("patient:patience=1,bogus=2", "bogus");
}

int main(void)
{
    RUN(test_patience);
    RUN(test_wrapped);
    RUN(test_options_refused);
    return CHECK_DONE();
}
