/* pruner_steps.h — hand-built trials for the pruner tests: a study in
 * memory with a pruner, trials that report given values at given steps. */
#ifndef HPO_TEST_PRUNER_STEPS_H
#define HPO_TEST_PRUNER_STEPS_H

#include "check.h"
#include "hpo.h"

/* sampler NULL: the default one. */
static inline hpo_study *sampled_study(const char *pruner, const char *sampler,
                                       hpo_direction d, const char *name)
{
    hpo_study *s = hpo_study_new();
    hpo_study_add_direction(s, d);
    hpo_study_set_seed(s, 1);
    CHECK_RC(hpo_study_set_pruner(s, pruner), HPO_OK);
    if (sampler)
        CHECK_RC(hpo_study_set_sampler(s, sampler), HPO_OK);
    CHECK_RC(hpo_study_open(s, name, HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static inline hpo_study *pruned_study(const char *pruner, hpo_direction d,
                                      const char *name)
{
    return sampled_study(pruner, NULL, d, name);
}

/* Report v[i] at step steps ? steps[i] : i, asking should_prune after each;
 * returns the last verdict (stopping at the first non-zero one). */
static inline int report_all(hpo_trial *t, const double *v, const int64_t *steps,
                      int n)
{
    int verdict = 0;
    for (int i = 0; i < n && verdict == 0; i++) {
        CHECK_RC(hpo_trial_report(t, steps ? steps[i] : i, v[i]), HPO_OK);
        verdict = hpo_trial_should_prune(t);
        CHECK(verdict >= 0);
    }
    return verdict;
}

/* A trial reporting v[0..n-1] at steps 0..n-1, told COMPLETE with its last
 * value whatever the pruner says; returns the verdict at its last step. */
static inline int complete_trial(hpo_study *s, const double *v, int n)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int verdict = 0;
    for (int i = 0; i < n; i++) {
        CHECK_RC(hpo_trial_report(t, i, v[i]), HPO_OK);
        verdict = hpo_trial_should_prune(t);
    }
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v[n - 1], 1), HPO_OK);
    hpo_trial_free(t);
    return verdict;
}

/* A trial reporting until pruned, then told PRUNED (or COMPLETE). */
static inline int judged_trial(hpo_study *s, const double *v, int n)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int verdict = report_all(t, v, NULL, n);
    CHECK_RC(hpo_study_tell(s, t, verdict ? HPO_PRUNED_STATE : HPO_COMPLETE,
                            &v[n - 1], 1),
             HPO_OK);
    hpo_trial_free(t);
    return verdict;
}

/* The verdict for the first trial of a new study reporting v[0..n-1]. */
static inline int first_trial_verdict(const char *pruner, hpo_direction d,
                                      const double *v, int n)
{
    hpo_study *s = pruned_study(pruner, d, "first");
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int verdict = report_all(t, v, NULL, n);
    hpo_trial_free(t);
    hpo_study_free(s);
    return verdict;
}

static inline void check_refused(const char *pruner, const char *needle)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_pruner(s, pruner), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), needle);
    hpo_study_free(s);
}

#endif
