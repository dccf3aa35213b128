/* test_bohb.c — BOHB's sampler view: the sampler sees the trials that
 * reached the largest budget with at least d + 2 values, each COMPLETE
 * with its value at that budget; nothing with random_fraction=1; the
 * budget moves up once enough trials reach it. */
#include <math.h>
#include <string.h>

#include "hpo_plugin.h"
#include "pruner_steps.h"

#define MAX_SEEN 64
static int seen[MAX_SEEN], n_seen;
static double seen_value[MAX_SEEN];
static int all_complete;

static int recorder_sample(void *state, hpo_plugin_ctx *ctx, const char *name,
                           const hpo_dist *dist, double *value)
{
    (void)state, (void)name;
    int n = hpo_ctx_n_trials(ctx);
    n_seen = 0;
    all_complete = 1;
    for (int i = 0; i < n && n_seen < MAX_SEEN; i++) {
        const hpo_record *r = hpo_ctx_trial_at(ctx, i);
        seen[n_seen] = hpo_record_number(r);
        seen_value[n_seen++] = hpo_record_value(r, 0);
        all_complete &= hpo_record_state(r) == HPO_COMPLETE;
    }
    *value = hpo_dist_from_unit(dist, hpo_ctx_uniform(ctx));
    return n < 0 ? n : HPO_OK;
}

static const hpo_sampler_type recorder = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "test_bohb_recorder",
             .summary = "records the trials and values it sees"},
    .sample_independent = recorder_sample,
};

/* A trial with one parameter reporting 100 * number + step at steps
 * 1..last, told PRUNED unless it reached 9 (whatever the pruner says). */
static void run_to(hpo_study *s, int last)
{
    hpo_trial *t;
    double x;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    double v = 0;
    for (int step = 1; step <= last; step++) {
        v = 100.0 * hpo_trial_number(t) + step;
        CHECK_RC(hpo_trial_report(t, step, v), HPO_OK);
        CHECK(hpo_trial_should_prune(t) >= 0);
    }
    CHECK_RC(hpo_study_tell(s, t, last == 9 ? HPO_COMPLETE : HPO_PRUNED_STATE,
                            &v, last == 9),
             HPO_OK);
    hpo_trial_free(t);
}

/* What the sampler of the next trial sees. */
static void sample_next(hpo_study *s)
{
    hpo_trial *t;
    double x;
    n_seen = -1;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    CHECK_RC(hpo_study_tell(s, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    hpo_trial_free(t);
}

/* Budgets 1, 3, 9 (R = 9, eta = 3); d = 1, so 3 values are enough. */
static void test_largest_budget_with_enough(void)
{
    hpo_study *s = sampled_study("bohb:max_resource=9,random_fraction=0",
                                 "test_bohb_recorder", HPO_MINIMIZE, "bohb");
    run_to(s, 9); /* trial 0 */
    run_to(s, 3); /* 1 */
    run_to(s, 3); /* 2 */
    run_to(s, 9); /* 3 */
    /* Budget 9 has 2 values (trials 0, 3), budget 3 has 4: shown at 3. */
    sample_next(s); /* trial 4 */
    CHECK(n_seen == 4 && all_complete);
    int want[] = {0, 1, 2, 3};
    for (int i = 0; i < 4 && i < n_seen; i++) {
        CHECK(seen[i] == want[i]);
        CHECK(seen_value[i] == 100.0 * want[i] + 3);
    }
    run_to(s, 9); /* trial 5: budget 9 now has 3 values */
    sample_next(s);
    CHECK(n_seen == 3 && all_complete);
    int want9[] = {0, 3, 5};
    for (int i = 0; i < 3 && i < n_seen; i++) {
        CHECK(seen[i] == want9[i]);
        CHECK(seen_value[i] == 100.0 * want9[i] + 9);
    }
    hpo_study_free(s);
}

static void test_random_fraction(void)
{
    hpo_study *s = sampled_study("bohb:max_resource=9,random_fraction=1",
                                 "test_bohb_recorder", HPO_MINIMIZE, "rnd");
    for (int i = 0; i < 4; i++)
        run_to(s, 9);
    sample_next(s);
    CHECK(n_seen == 0);
    hpo_study_free(s);
    /* Too few values at every budget: nothing either. */
    s = sampled_study("bohb:max_resource=9,random_fraction=0",
                      "test_bohb_recorder", HPO_MINIMIZE, "few");
    run_to(s, 9);
    run_to(s, 9);
    sample_next(s);
    CHECK(n_seen == 0);
    hpo_study_free(s);
}

static void test_options_refused(void)
{
    check_refused("bohb:random_fraction=1.5", "outside");
    check_refused("bohb:reduction_factor=1", "outside");
    check_refused("bohb:min_resource=0", "outside");
    check_refused("hyperband:random_fraction=0.5", "random_fraction");
}

int main(void)
{
    CHECK_RC(hpo_register_sampler(&recorder), HPO_OK);
    RUN(test_largest_budget_with_enough);
    RUN(test_random_fraction);
    RUN(test_options_refused);
    return CHECK_DONE();
}
