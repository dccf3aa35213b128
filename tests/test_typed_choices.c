/* test_typed_choices.c — the two functions the Python binding added:
 * categorical choices given as JSON scalars (hpo_trial_suggest_categorical_json,
 * hpo_space_add_categorical_json), stored with their types in Optuna's
 * distribution_json, and a study's user attributes listed by position
 * (hpo_study_user_attr_at). */
#include <stdio.h>

#include "check.h"
#include "hpo.h"

static hpo_study *open_memory(const char *name)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 1), HPO_OK);
    CHECK_RC(hpo_study_open(s, name, HPO_OPEN_CREATE), HPO_OK);
    return s;
}

/* Mixed choices keep their JSON types; the same list asked again in the
 * next trial is the same distribution. */
static void test_typed_choices_stored(void)
{
    hpo_study *s = open_memory("typed");
    const char *choices[] = {"\"rbf\"", "3", "0.5", "true", "null"};
    int seen[5] = {0};
    for (int i = 0; i < 40; i++) {
        hpo_trial *t;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        int index = -1;
        CHECK_RC(hpo_trial_suggest_categorical_json(t, "c", choices, 5, &index),
                 HPO_OK);
        CHECK(index >= 0 && index < 5);
        if (index >= 0 && index < 5)
            seen[index]++;
        if (i == 0)
            CHECK_STR_CONTAINS(hpo_trial_param_distribution(t, 0),
                               "[\"rbf\",3,0.5,true,null]");
        double v = index;
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
        hpo_trial_free(t);
    }
    for (int i = 0; i < 5; i++)
        CHECK(seen[i] > 0);
    hpo_study_free(s);
}

/* A choice that is not one JSON scalar is refused with the choice named. */
static void test_bad_choices_refused(void)
{
    hpo_study *s = open_memory("bad");
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int index;
    const char *list[] = {"[1]", "2"};
    CHECK_RC(hpo_trial_suggest_categorical_json(t, "c", list, 2, &index),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "choice 0");
    const char *bare[] = {"rbf"};
    CHECK_RC(hpo_trial_suggest_categorical_json(t, "c", bare, 1, &index),
             HPO_EINVAL);
    const char *trailing[] = {"1 2"};
    CHECK_RC(hpo_trial_suggest_categorical_json(t, "c", trailing, 1, &index),
             HPO_EINVAL);
    CHECK_RC(hpo_trial_suggest_categorical_json(t, "c", NULL, 1, &index),
             HPO_EINVAL);
    hpo_space *sp = hpo_space_new();
    const char *ok[] = {"1", "\"a\""};
    CHECK_RC(hpo_space_add_categorical_json(sp, "c", ok, 2), HPO_OK);
    CHECK_RC(hpo_space_add_categorical_json(sp, "d", list, 2), HPO_EINVAL);
    CHECK(hpo_space_size(sp) == 1);
    hpo_space_free(sp);
    double v = 0;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_study_free(s);
}

/* Every study user attribute, in order, then NULL. */
static void test_study_attrs_listed(void)
{
    hpo_study *s = hpo_study_new();
    CHECK(hpo_study_user_attr_at(s, 0, NULL) == NULL); /* not open */
    CHECK_RC(hpo_study_open(s, "attrs", HPO_OPEN_CREATE), HPO_OK);
    CHECK(hpo_study_user_attr_at(s, 0, NULL) == NULL); /* none yet */
    CHECK_RC(hpo_study_set_user_attr(s, "a", "1"), HPO_OK);
    CHECK_RC(hpo_study_set_user_attr(s, "b", "[2]"), HPO_OK);
    const char *json = NULL;
    int n = 0, found = 0;
    for (const char *k; (k = hpo_study_user_attr_at(s, n, &json)); n++)
        found += (!strcmp(k, "a") && !strcmp(json, "1")) +
                 (!strcmp(k, "b") && !strcmp(json, "[2]"));
    CHECK(n == 2 && found == 2);
    CHECK(hpo_study_user_attr_at(s, -1, &json) == NULL);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_typed_choices_stored);
    RUN(test_bad_choices_refused);
    RUN(test_study_attrs_listed);
    return CHECK_DONE();
}
