/*
 * final.c — what a race leaves: the final elites' means, their runs on
 * the test instances (trials with "race_phase": "test", not counted in
 * the budget), and one summary trial per elite whose value is its mean,
 * the best of them named by the study user attribute "race_best_trial".
 *
 * The summary trials are why `hpo best` shows the final elite and not the
 * luckiest single experiment: it reads race_best_trial (cli/best.c).
 */
#include "race.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/json.h"
#include "../core/study.h"

static void training_mean(const hpo__race *r, const race_conf *c,
                          hpo_race_elite *e)
{
    double sum = 0;
    int n = 0;
    for (int i = 0; i < r->n_stream; i++)
        if (!isnan(c->res[i])) {
            sum += c->res[i];
            n++;
        }
    double mean = n ? sum / n : NAN;
    e->configuration = c->id;
    e->n_instances = n;
    e->mean = r->minimize ? mean : -mean;
    e->test_mean = NAN;
    e->trial = -1;
}

static int test_means(hpo__race *r, race_conf **elites, int n,
                      hpo_race_elite *out)
{
    int nt = r->o->n_test_instances;
    if (!r->o->test_instances || nt < 1 ||
        atomic_load(&r->study->stop_requested))
        return HPO_OK;
    double *sum = calloc(2 * (size_t)n, sizeof *sum);
    if (!sum)
        return hpo__oom(r->msg);
    double *scores = sum + n;
    int rc = HPO_OK;
    for (int ti = 0; ti < nt && !rc; ti++) {
        rc = hpo__race_run_test(r, elites, n, ti, scores);
        for (int e = 0; e < n; e++)
            sum[e] += scores[e];
    }
    for (int e = 0; e < n && !rc; e++)
        out[e].test_mean = (r->minimize ? 1 : -1) * sum[e] / nt;
    free(sum);
    return rc;
}

static int summary_trial(hpo__race *r, const race_conf *c, int rank,
                         hpo_race_elite *e)
{
    hpo__attrs labels = {0};
    int rc = hpo__race_label(&labels, "race_elite", cJSON_CreateNumber(rank));
    if (!rc)
        rc = hpo__race_label(&labels, "configuration",
                             cJSON_CreateNumber(c->id));
    if (!rc)
        rc = hpo__race_label(&labels, "n_instances",
                             cJSON_CreateNumber(e->n_instances));
    if (!rc)
        rc = hpo__race_label(&labels, "race_phase",
                             cJSON_CreateString("elite"));
    if (!rc && !isnan(e->test_mean))
        rc = hpo__race_label(&labels, "race_test_mean",
                             hpo__json_number(e->test_mean, 1));
    hpo_trial *t = NULL;
    if (rc)
        rc = hpo__oom(r->msg);
    else
        rc = hpo__race_make_trial(r, c, &labels, &t);
    hpo__attrs_free(&labels);
    if (rc)
        return rc;
    e->trial = hpo_trial_number(t);
    if (!rc && isfinite(e->mean))
        rc = hpo_study_tell(r->study, t, HPO_COMPLETE, &e->mean, 1);
    else
        hpo_study_tell(r->study, t, HPO_FAIL, NULL, 0);
    hpo_trial_free(t);
    return rc;
}

int hpo__race_finish(hpo__race *r, race_conf **elites, int n,
                     hpo_race_elite **out)
{
    hpo_race_elite *list = calloc((size_t)n, sizeof *list);
    if (!list)
        return hpo__oom(r->msg);
    for (int e = 0; e < n; e++)
        training_mean(r, elites[e], &list[e]);
    int rc = test_means(r, elites, n, list);
    for (int e = 0; e < n && !rc; e++)
        rc = summary_trial(r, elites[e], e + 1, &list[e]);
    if (!rc) {
        char num[24];
        snprintf(num, sizeof num, "%d", list[0].trial);
        rc = hpo_study_set_user_attr(r->study, "race_best_trial", num);
    }
    if (rc) {
        free(list);
        return rc;
    }
    *out = list;
    return HPO_OK;
}
