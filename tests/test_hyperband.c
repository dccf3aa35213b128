/* test_hyperband.c — Hyperband through the public API: a trial's bracket
 * from crc32("<study>_<number>") as Optuna 3.1; each bracket a successive
 * halving with its own min_early_stopping_rate whose trials compete only
 * among themselves; the sampler of bracket b sees only bracket b's trials
 * (a recording sampler registered with hpo_register_sampler); max_resource
 * =auto fixed by the first COMPLETE trial; options refused. */
#include <string.h>

#include "hpo_plugin.h"
#include "pruner_steps.h"
#include "pruners/halving.h"

/* ---- a sampler that records which trials it is shown ------------------ */

#define MAX_SEEN 256
static int seen[MAX_SEEN], n_seen;

static int recorder_sample(void *state, hpo_plugin_ctx *ctx, const char *name,
                           const hpo_dist *dist, double *value)
{
    (void)state, (void)name;
    int n = hpo_ctx_n_trials(ctx);
    n_seen = 0;
    for (int i = 0; i < n && n_seen < MAX_SEEN; i++)
        seen[n_seen++] = hpo_record_number(hpo_ctx_trial_at(ctx, i));
    *value = hpo_dist_from_unit(dist, hpo_ctx_uniform(ctx));
    return n < 0 ? n : HPO_OK;
}

static const hpo_sampler_type recorder = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "test_recorder",
             .summary = "records the trial numbers it sees"},
    .sample_independent = recorder_sample,
};

static int bracket(const hpo__hyperband *hb, int number)
{
    return hpo__hyperband_bracket_id(hb, "hb", number);
}

/* R = 81, eta = 3: 5 brackets.  Each of 60 trials is sampled with the
 * earlier trials finished (alternately COMPLETE and PRUNED) and one other
 * still running: its sampler must see exactly its bracket's trials. */
static void test_sampler_sees_its_bracket(void)
{
    hpo__hyperband hb;
    hpo__msg m = {0};
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, 3, &m), HPO_OK);
    hpo_study *s = sampled_study("hyperband:max_resource=81", "test_recorder",
                                 HPO_MINIMIZE, "hb");
    hpo_trial *prev = NULL;
    int brackets_met = 0;
    for (int i = 0; i < 60; i++) {
        hpo_trial *t;
        double x;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
        int b = bracket(&hb, i), k = 0;
        brackets_met |= 1 << b;
        for (int j = 0; j <= i; j++)
            if (bracket(&hb, j) == b) {
                CHECK(k < n_seen && seen[k] == j);
                k++;
            }
        CHECK(k == n_seen);
        if (prev) {
            CHECK_RC(hpo_study_tell(s, prev, i % 2 ? HPO_COMPLETE
                                                   : HPO_PRUNED_STATE,
                                    &x, i % 2), HPO_OK);
            hpo_trial_free(prev);
        }
        prev = t;
    }
    CHECK(brackets_met == 31); /* every bracket was met */
    hpo_trial_free(prev);
    hpo_study_free(s);
    hpo__msg_free(&m);
}

/* Trials of bracket 0 (rung 0 at step 1) and bracket 1 (rung 0 at step 3)
 * of R = 81, eta = 3, asked together. */
static void test_brackets_compete_apart(void)
{
    hpo__hyperband hb;
    hpo__msg m = {0};
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, 3, &m), HPO_OK);
    hpo_study *s = pruned_study("hyperband:max_resource=81", HPO_MINIMIZE,
                                "hb");
    hpo_trial *t[40];
    int in0[2], n0 = 0, in1 = -1;
    for (int i = 0; i < 40; i++) {
        CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
        if (bracket(&hb, i) == 0 && n0 < 2)
            in0[n0++] = i;
        if (bracket(&hb, i) == 1 && in1 < 0)
            in1 = i;
    }
    CHECK(n0 == 2 && in1 >= 0);
    CHECK_RC(hpo_trial_report(t[in0[0]], 1, 1.0), HPO_OK);
    CHECK(hpo_trial_should_prune(t[in0[0]]) == 0);
    CHECK(hpo_trial_system_attr(t[in0[0]], "completed_rung_0") != NULL);
    CHECK_RC(hpo_trial_report(t[in0[1]], 1, 2.0), HPO_OK);
    CHECK(hpo_trial_should_prune(t[in0[1]]) == 1); /* worse, in bracket 0 */
    /* Bracket 1: no rung at step 1; at step 3 alone, so promoted although
     * worse than bracket 0's values. */
    CHECK_RC(hpo_trial_report(t[in1], 1, 5.0), HPO_OK);
    CHECK(hpo_trial_should_prune(t[in1]) == 0);
    CHECK(hpo_trial_system_attr(t[in1], "completed_rung_0") == NULL);
    CHECK_RC(hpo_trial_report(t[in1], 3, 5.0), HPO_OK);
    CHECK(hpo_trial_should_prune(t[in1]) == 0);
    CHECK(hpo_trial_system_attr(t[in1], "completed_rung_0") != NULL);
    for (int i = 0; i < 40; i++)
        hpo_trial_free(t[i]);
    hpo_study_free(s);
    hpo__msg_free(&m);
}

/* auto: no brackets (and so no pruning, and the sampler sees all) until a
 * trial is COMPLETE; then its last step + 1, stored for every worker. */
static void test_auto_max_resource(void)
{
    hpo_study *s = sampled_study("hyperband", "test_recorder", HPO_MINIMIZE,
                                 "auto");
    double v[81];
    for (int i = 0; i < 81; i++)
        v[i] = 81 - i;
    hpo_trial *t;
    double x;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(report_all(t, v, NULL, 81) == 0);
    CHECK(hpo_trial_system_attr(t, "completed_rung_0") == NULL);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v[80], 1), HPO_OK);
    hpo_trial_free(t);
    const char *fixed = hpo_study_system_attr(s, "hpo:hyperband:max_resource");
    CHECK(fixed && !strcmp(fixed, "81"));
    complete_trial(s, v, 20);
    fixed = hpo_study_system_attr(s, "hpo:hyperband:max_resource");
    CHECK(fixed && !strcmp(fixed, "81"));
    /* Now bracketed: the next trial's sampler sees only its bracket. */
    hpo__hyperband hb;
    hpo__msg m = {0};
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, 3, &m), HPO_OK);
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    int want = 0;
    for (int j = 0; j <= 2; j++)
        want += hpo__hyperband_bracket_id(&hb, "auto", j) == hpo__hyperband_bracket_id(&hb, "auto", 2);
    CHECK(n_seen == want);
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo__msg_free(&m);
}

static void test_options_refused(void)
{
    check_refused("hyperband:reduction_factor=1", "outside");
    check_refused("hyperband:min_resource=0", "outside");
    check_refused("hyperband:max_resource=-1", "outside");
    check_refused("hyperband:min_resource=10,max_resource=5", "below");
    check_refused("hyperband:bootstrap_count=-2", "outside");
    check_refused("hyperband:min_early_stopping_rate=1", "min_early");
}

int main(void)
{
    CHECK_RC(hpo_register_sampler(&recorder), HPO_OK);
    RUN(test_sampler_sees_its_bracket);
    RUN(test_brackets_compete_apart);
    RUN(test_auto_max_resource);
    RUN(test_options_refused);
    return CHECK_DONE();
}
