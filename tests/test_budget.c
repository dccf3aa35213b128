/* test_budget.c — the CLI's study-wide target (cli/budget.c, compiled in):
 * which trial is the one too many when several start for the last slots.
 *
 * The soak campaign found studies ending one COMPLETE trial past their
 * target: a failed trial's retry is enqueued in a transaction after the
 * failure, another worker starts a new trial for the slot in between, and
 * the retry, exempt from the check as an enqueued trial, ran as well.  A
 * retry only stands in for its failed trial: it takes a slot like a new
 * trial.  Trials enqueued by hand (hpo enqueue) still always run. */
#include "budget.h"
#include "check.h"
#include "hpo.h"

static hpo_study *memory_study(hpo_storage **st)
{
    CHECK_RC(hpo_storage_open(st, "memory:"), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, *st);
    hpo_study_set_retry_failed(s, 1);
    CHECK_RC(hpo_study_open(s, "budget", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static hpo_trial *asked(hpo_study *s)
{
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double x;
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    return t;
}

static void tell(hpo_study *s, hpo_trial *t, hpo_trial_state state)
{
    double v = 1;
    CHECK_RC(hpo_study_tell(s, t, state, state == HPO_COMPLETE ? &v : NULL,
                            state == HPO_COMPLETE),
             HPO_OK);
    hpo_trial_free(t);
}

/* Target 2: trial 0 COMPLETE; trial 1 fails; trial 2, new, started for
 * the slot 1 freed before its retry (trial 3) was enqueued.  Exactly one
 * of 2 and 3 may run: the one with the higher number, the retry. */
static void test_a_retry_past_the_target_is_surplus(void)
{
    hpo_storage *st;
    hpo_study *s = memory_study(&st);
    tell(s, asked(s), HPO_COMPLETE);
    hpo_trial *failing = asked(s);
    hpo_trial *fresh = asked(s);
    tell(s, failing, HPO_FAIL); /* enqueues its retry, number 3 */
    hpo_trial *retry = asked(s);
    CHECK(hpo_trial_number(retry) == 3);
    CHECK(hpo_trial_system_attr(retry, "failed_trial") != NULL);
    CHECK(budget_is_surplus(s, fresh, 2) == 0);
    CHECK(budget_is_surplus(s, retry, 2) == 1);
    hpo_trial_free(fresh);
    hpo_trial_free(retry);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* The retry first (number 2), then a new trial (3) for the same slot:
 * the new one is the one too many. */
static void test_a_new_trial_after_a_retry_is_surplus(void)
{
    hpo_storage *st;
    hpo_study *s = memory_study(&st);
    tell(s, asked(s), HPO_COMPLETE);
    tell(s, asked(s), HPO_FAIL); /* its retry waits, number 2 */
    hpo_trial *retry = asked(s);
    hpo_trial *fresh = asked(s);
    CHECK(hpo_trial_number(retry) == 2 && hpo_trial_number(fresh) == 3);
    CHECK(budget_is_surplus(s, retry, 2) == 0);
    CHECK(budget_is_surplus(s, fresh, 2) == 1);
    hpo_trial_free(fresh);
    hpo_trial_free(retry);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* A trial enqueued by hand runs even past the target, and a new trial
 * for the same slot is the one too many, whatever its number. */
static void test_an_enqueued_trial_always_runs(void)
{
    hpo_storage *st;
    hpo_study *s = memory_study(&st);
    tell(s, asked(s), HPO_COMPLETE);
    hpo_trial *fresh = asked(s);
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 0.5}"), HPO_OK);
    hpo_trial *enqueued = asked(s);
    CHECK(hpo_trial_system_attr(enqueued, "fixed_params") != NULL);
    CHECK(budget_is_surplus(s, fresh, 2) == 1);
    CHECK(budget_is_surplus(s, enqueued, 2) == 0);
    hpo_trial_free(fresh);
    hpo_trial_free(enqueued);
    hpo_study_free(s);
    hpo_storage_close(st);
}

int main(void)
{
    RUN(test_a_retry_past_the_target_is_surplus);
    RUN(test_a_new_trial_after_a_retry_is_surplus);
    RUN(test_an_enqueued_trial_always_runs);
    return CHECK_DONE();
}
