/*
 * report_rank.c — |Spearman's rank correlation| per parameter
 * (report_rank.h).  Cheap (a sort per parameter) and model-free: it sees
 * monotone effects only, which is why the report labels it by name and
 * prefers a real importance (fANOVA) when one is given.
 */
#include "report_rank.h"

#include <math.h>
#include <stdlib.h>

#include "core/internal.h"
#include "math/ranks.h" /* hpo__spearman */

/* Replace choice indices by the mean objective of their trials. */
static int target_encode(double *x, const double *y, int m)
{
    int k = 0;
    for (int i = 0; i < m; i++)
        if (x[i] + 1 > k)
            k = (int)x[i] + 1;
    double *sum = calloc((size_t)k + 1, sizeof *sum);
    double *cnt = calloc((size_t)k + 1, sizeof *cnt);
    if (!sum || !cnt) {
        free(sum);
        free(cnt);
        return -1;
    }
    for (int i = 0; i < m; i++) {
        sum[(int)x[i]] += y[i];
        cnt[(int)x[i]] += 1;
    }
    for (int i = 0; i < m; i++)
        x[i] = sum[(int)x[i]] / cnt[(int)x[i]];
    free(sum);
    free(cnt);
    return 0;
}

/* The pairs (parameter, objective) of one parameter; their count. */
static int collect(hpo_trial **trials, int n, const char *name, double *x,
                   double *y)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        const hpo_trial *t = trials[i];
        if (hpo_trial_state_of(t) != HPO_COMPLETE || hpo_trial_n_values(t) < 1 ||
            !isfinite(hpo_trial_value(t, 0)))
            continue;
        int at = hpo_trial_param_index(t, name);
        if (at < 0 || !isfinite(hpo_trial_param_value(t, at)))
            continue;
        x[m] = hpo_trial_param_value(t, at);
        y[m++] = hpo_trial_value(t, 0);
    }
    return m;
}

static int one(hpo_trial **trials, int n, const char *name, int categorical,
               double *buf, double *out)
{
    double *x = buf, *y = buf + n;
    int m = collect(trials, n, name, x, y);
    *out = 0;
    if (m < 3)
        return 0;
    if (categorical && target_encode(x, y, m) != 0)
        return -1;
    hpo__msg msg = {0};
    double rho;
    if (hpo__spearman(x, y, m, &rho, &msg) != HPO_OK) {
        hpo__msg_free(&msg);
        return -1;
    }
    *out = isnan(rho) ? 0 : fabs(rho); /* a constant side: no signal */
    return 0;
}

int report_rank_importance(hpo_trial **trials, int n, const char *const *names,
                           const unsigned char *categorical, int n_params,
                           double *out)
{
    double *buf = malloc(sizeof *buf * 2 * (size_t)(n > 0 ? n : 1));
    if (!buf)
        return -1;
    double sum = 0;
    for (int p = 0; p < n_params; p++) {
        if (one(trials, n, names[p], categorical[p], buf, &out[p]) != 0) {
            free(buf);
            return -1;
        }
        sum += out[p];
    }
    free(buf);
    for (int p = 0; p < n_params && sum > 0; p++)
        out[p] /= sum;
    return 0;
}
