/* test_ask_fixed.c — hpo_study_ask_fixed: a trial whose parameters were
 * chosen elsewhere (the Optuna adapters mirror Optuna's trials with it).
 * Its suggests give the fixed values back, an enqueued WAITING trial is
 * not claimed by it, and bad input is refused with a message. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "hpo.h"

static hpo_study *open_study(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "tpe"), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 7), HPO_OK);
    CHECK_RC(hpo_study_open(s, "fixed", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static void test_values_come_back(void)
{
    hpo_study *s = open_study();
    hpo_trial *t;
    CHECK_RC(hpo_study_ask_fixed(s, "{\"x\": 0.3, \"n\": 4, \"c\": \"b\"}", &t),
             HPO_OK);
    double x;
    int64_t n;
    int c;
    const char *choices[] = {"a", "b", "c"};
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    CHECK_RC(hpo_trial_suggest_int(t, "n", 1, 10, 1, 0, &n), HPO_OK);
    CHECK_RC(hpo_trial_suggest_categorical(t, "c", choices, 3, &c), HPO_OK);
    CHECK(x == 0.3 && n == 4 && c == 1);
    /* A parameter it does not fix is the sampler's. */
    double y = NAN;
    CHECK_RC(hpo_trial_suggest_float(t, "y", 5, 6, 0, 0, &y), HPO_OK);
    CHECK(y >= 5 && y <= 6);
    double v = 1.5;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    CHECK(hpo_trial_value(best, 0) == 1.5 && hpo_trial_n_params(best) == 4);
    hpo_trial_free(best);
    hpo_study_free(s);
}

static void test_waiting_trial_left_for_ask(void)
{
    hpo_study *s = open_study();
    CHECK_RC(hpo_study_enqueue(s, "{\"x\": 0.9}"), HPO_OK);
    hpo_trial *fixed, *asked;
    double x;
    CHECK_RC(hpo_study_ask_fixed(s, "{\"x\": 0.1}", &fixed), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(fixed, "x", 0, 1, 0, 0, &x), HPO_OK);
    CHECK(x == 0.1);
    int counts[5];
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    CHECK(counts[HPO_WAITING] == 1 && counts[HPO_RUNNING] == 1);
    CHECK_RC(hpo_study_ask(s, &asked), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(asked, "x", 0, 1, 0, 0, &x), HPO_OK);
    CHECK(x == 0.9);
    CHECK_RC(hpo_study_tell(s, fixed, HPO_FAIL, NULL, 0), HPO_OK);
    CHECK_RC(hpo_study_tell(s, asked, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    hpo_trial_free(fixed);
    hpo_trial_free(asked);
    hpo_study_free(s);
}

static void test_bad_input(void)
{
    hpo_study *s = open_study();
    hpo_trial *t = (hpo_trial *)&t;
    CHECK_RC(hpo_study_ask_fixed(s, NULL, &t), HPO_EINVAL);
    CHECK(t == NULL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "ask_fixed: no JSON text");
    CHECK_RC(hpo_study_ask_fixed(s, "{\"x\": ", &t), HPO_EINVAL);
    CHECK(t == NULL);
    CHECK_RC(hpo_study_ask_fixed(s, "[0.5]", &t), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "JSON object");
    int counts[5];
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    CHECK(counts[HPO_RUNNING] == 0 && counts[HPO_FAIL] + counts[HPO_COMPLETE] == 0);
    hpo_study *closed = hpo_study_new();
    CHECK_RC(hpo_study_ask_fixed(closed, "{}", &t), HPO_EMISUSE);
    hpo_study_free(closed);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_values_come_back);
    RUN(test_waiting_trial_left_for_ask);
    RUN(test_bad_input);
    return CHECK_DONE();
}
