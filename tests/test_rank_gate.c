/* test_rank_gate.c — the rank check of successive halving and the `auto`
 * pruner built on it (src/pruners/rank_gate.c, auto_pruner.c): Spearman's
 * correlation on a hand-worked example; low rungs that rank trials the
 * wrong way round never prune, while plain successive halving loses the
 * best trial there; a rung that agrees prunes once shown to; a rung at the
 * full fidelity never prunes; the choice is stored in the study; trials
 * chosen by a rung are left out of the evidence, witnesses are never
 * pruned and revoke a rung trusted wrongly. */
#include <math.h>
#include <string.h>

#include "pruner_steps.h"
#include "math/ranks.h"
#include "pruners/rank_gate.h"

/* Ranks of x: 1..5; of y = {5, 6, 7, 8, 7}: 1, 2, 3.5, 5, 3.5.  Centred:
 * dx = -2 -1 0 1 2, dy = -2 -1 .5 2 .5; sum dx dy = 8, sum dx^2 = 10,
 * sum dy^2 = 9.5: rho = 8 / sqrt(95). */
static void test_spearman(void)
{
    hpo__msg m = {0};
    double rho;
    const double x[] = {1, 2, 3, 4, 5}, y[] = {5, 6, 7, 8, 7};
    CHECK_RC(hpo__spearman(x, y, 5, &rho, &m), HPO_OK);
    CHECK_NEAR(rho, 8 / sqrt(95), 1e-12);
    const double rev[] = {50, 40, 30, 20, 10};
    CHECK_RC(hpo__spearman(x, rev, 5, &rho, &m), HPO_OK);
    CHECK_NEAR(rho, -1, 1e-12);
    const double flat[] = {2, 2, 2, 2, 2};
    CHECK_RC(hpo__spearman(x, flat, 5, &rho, &m), HPO_OK);
    CHECK(isnan(rho));
    CHECK_RC(hpo__spearman(x, y, 1, &rho, &m), HPO_OK);
    CHECK(isnan(rho));
    hpo__msg_free(&m);
}

/* A learner whose quality q (lower is better) shows only from step 27 on:
 * before it the ranking is reversed (fast learners look best early), as
 * XGBoost with a small learning rate does.  Steps 0..80. */
#define END 81
static void reversed_curve(double q, double *v)
{
    for (int s = 0; s < END; s++)
        v[s] = s < 27 ? 2 - q : q;
}

/* Ten trials of qualities 0.1 .. 1.0 complete; then the best one yet
 * (q = 0.05) runs: its verdict. */
static int best_late_learner(const char *pruner, const char *name)
{
    hpo_study *s = pruned_study(pruner, HPO_MINIMIZE, name);
    double v[END];
    for (int i = 1; i <= 10; i++) {
        reversed_curve(0.1 * i, v);
        complete_trial(s, v, END);
    }
    reversed_curve(0.05, v);
    int verdict = judged_trial(s, v, END);
    hpo_study_free(s);
    return verdict;
}

static void test_reversed_low_rungs(void)
{
    /* Plain successive halving (rungs 1, 3, 9, 27) prunes it at step 1. */
    CHECK(best_late_learner("successive_halving:min_resource=1,"
                            "reduction_factor=3", "plain") == 1);
    CHECK(best_late_learner("auto", "auto") == 0);
}

/* After ten agreeing trials the check trusts rung 27 (step 27) and not
 * below: a poor trial is pruned there, having done 27 steps, not 80. */
static void test_trusted_rung_prunes(void)
{
    hpo_study *s = pruned_study("auto", HPO_MINIMIZE, "trusted");
    double v[END];
    for (int i = 1; i <= 10; i++) {
        reversed_curve(0.1 * i, v);
        complete_trial(s, v, END);
    }
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    reversed_curve(0.95, v);
    int verdict = 0, step = 0;
    for (; step < END && verdict == 0; step++) {
        CHECK_RC(hpo_trial_report(t, step, v[step]), HPO_OK);
        verdict = hpo_trial_should_prune(t);
    }
    CHECK(verdict == 1);
    CHECK(step - 1 == 27);
    CHECK_RC(hpo_study_tell(s, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    hpo_trial_free(t);
    const char *gate = hpo_study_system_attr(
        s, "hpo:successive_halving:first_pruning_rung");
    CHECK(gate && strstr(gate, "\"step\": 27"));
    const char *choice = hpo_study_system_attr(s, "hpo:auto_pruner");
    CHECK(choice && strstr(choice, "successive_halving:"));
    hpo_study_free(s);
}

/* Trials end at step 81, which is also a rung (1, 3, 9, 27, 81): a trial
 * that has done the whole work is never pruned there, even when it ends
 * poorly, though every rung agrees with the final ranking. */
static void test_full_fidelity_rung(void)
{
    hpo_study *s = pruned_study("auto", HPO_MINIMIZE, "full");
    double v[END + 1];
    for (int i = 1; i <= 10; i++) {
        for (int k = 0; k <= END; k++)
            v[k] = 0.1 * i;
        complete_trial(s, v, END + 1);
    }
    for (int k = 0; k <= END; k++)
        v[k] = k < END ? 0.05 : 5; /* best until its last step */
    CHECK(judged_trial(s, v, END + 1) == 0);
    /* ... and an agreeing low rung does prune: step 1 of a poor trial. */
    for (int k = 0; k <= END; k++)
        v[k] = 3;
    CHECK(judged_trial(s, v, END + 1) == 1);
    hpo_study_free(s);
}

/* A trial that reports once and is told FAILED: it only moves the trial
 * numbers on. */
static void filler_trial(hpo_study *s)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_study_tell(s, t, HPO_FAIL, NULL, 0), HPO_OK);
    hpo_trial_free(t);
}

/* Ten agreeing trials make every rung trusted (from step 1).  A trial
 * chosen by a pruning rung is marked; witnesses (numbers 0, 3, 6, ...)
 * are never pruned.  Then ten witnesses that rank the wrong way round
 * before step 27, and end better than all, are the better half: the
 * check is found out and moves to step 27. */
static void test_witnesses_revoke_trust(void)
{
    hpo_study *s = pruned_study("auto", HPO_MINIMIZE, "witness");
    double v[END];
    for (int i = 1; i <= 10; i++) {
        for (int k = 0; k < END; k++)
            v[k] = 0.1 * i;
        complete_trial(s, v, END);
    }
    /* Trial 10, the best so far at every rung: chosen, and marked. */
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK(hpo_trial_number(t) == 10);
    for (int k = 0; k < END; k++)
        v[k] = 0.05;
    CHECK(report_all(t, v, NULL, END) == 0);
    const char *gate = hpo_study_system_attr(
        s, "hpo:successive_halving:first_pruning_rung");
    CHECK(gate && strstr(gate, "\"step\": 1,"));
    const char *mark = hpo_trial_system_attr(t, "hpo:successive_halving:"
                                                "selected");
    CHECK(mark && !strcmp(mark, "true"));
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v[END - 1], 1), HPO_OK);
    hpo_trial_free(t);
    filler_trial(s); /* 11 */
    for (int w = 0; w < 10; w++) {
        /* Witness 12 + 3w: poor before step 27, then the best yet. */
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK(hpo_trial_number(t) % 3 == 0);
        for (int k = 0; k < END; k++)
            v[k] = k < 27 ? 5 - 0.01 * w : 0.001 * (w + 1);
        CHECK(report_all(t, v, NULL, END) == 0);
        CHECK(!hpo_trial_system_attr(t, "hpo:successive_halving:selected"));
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v[END - 1], 1), HPO_OK);
        hpo_trial_free(t);
        filler_trial(s);
        filler_trial(s);
    }
    /* The next decision reads the check again. */
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_report(t, 0, 1), HPO_OK);
    CHECK(hpo_trial_should_prune(t) == 0);
    hpo_trial_free(t);
    gate = hpo_study_system_attr(s, "hpo:successive_halving:"
                                    "first_pruning_rung");
    if (!gate || !strstr(gate, "\"step\": 27,"))
        fprintf(stderr, "first_pruning_rung: %s\n", gate ? gate : "(none)");
    CHECK(gate && strstr(gate, "\"step\": 27,"));
    hpo_study_free(s);
}

static void test_options(void)
{
    check_refused("successive_halving:rank_check_trials=-1",
                  "rank_check_trials");
    check_refused("successive_halving:min_rank_correlation=1.5",
                  "min_rank_correlation");
    check_refused("auto:min_resource=3", "min_resource");
}

int main(void)
{
    test_spearman();
    test_reversed_low_rungs();
    test_trusted_rung_prunes();
    test_full_fidelity_rung();
    test_witnesses_revoke_trust();
    test_options();
    return CHECK_DONE();
}
