/*
 * plan.c — the study's budget in trials, for samplers that plan for it
 * (auto's hand-over from gp to cmaes): the study system attribute
 * "hpo:n_trials" (HPO_N_TRIALS_ATTR), a JSON number, where every worker
 * and Python Optuna (which ignores system attributes it does not know)
 * can read it.
 *
 * Why the largest plan wins: a worker that joins a study with its own
 * count (`hpo worker -n 50` on a `hpo tune -n 1000` study) would
 * otherwise tell the sampler the study ends far sooner than it does.
 * The price: a run stopped early leaves its larger plan behind until a
 * longer run replaces it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "study.h"

int hpo_study_plan_trials(hpo_study *s, int n_more)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE,
                         "open the study before planning its trials");
    if (n_more < 0)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "plan_trials: %d trials is negative", n_more);
    int counts[5];
    int rc = hpo_study_count_trials(s, counts);
    if (rc != HPO_OK)
        return rc;
    long long plan = n_more;
    for (int i = 0; i < 5; i++)
        plan += counts[i];
    const char *stored = hpo_study_system_attr(s, HPO_N_TRIALS_ATTR);
    char *end = NULL;
    double now = stored ? strtod(stored, &end) : 0;
    if (end && end != stored && *end == '\0' && now >= (double)plan)
        return HPO_OK; /* a larger plan holds */
    char json[32];
    snprintf(json, sizeof json, "%lld", plan);
    return hpo_study_set_system_attr(s, HPO_N_TRIALS_ATTR, json);
}
