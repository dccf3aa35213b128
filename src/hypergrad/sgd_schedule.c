/*
 * sgd_schedule.c — the hyperparameters of SGD training as a vector of
 * logs: the learning rate, the momentum and the weight decay, each fixed,
 * constant over training, or one value per epoch (a schedule, as in
 * Maclaurin, Duvenaud & Adams 2015, "Gradient-based hyperparameter
 * optimization through reversible learning", which tunes per-iteration
 * learning-rate and momentum schedules).
 *
 * Deliberate choices:
 *   1. Every hyperparameter is the log of a positive quantity (hypergrad.h),
 *      so the momentum is tuned in [0.01, 0.99], not from 0.
 *   2. Names: "lr" when constant, "lr_1" .. "lr_E" (1-based epochs) per
 *      epoch; likewise "momentum" and "weight_decay".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgd.h"

static const char *const kind_name[HPO__SGD_KINDS] = {"lr", "momentum",
                                                      "weight_decay"};
static const double kind_lo[HPO__SGD_KINDS] = {1e-4, 0.01, 1e-6};
static const double kind_hi[HPO__SGD_KINDS] = {1.0, 0.99, 1e-2};

static int count_of(hpo__sgd_mode mode, int epochs)
{
    return mode == HPO__SGD_PER_EPOCH ? epochs
           : mode == HPO__SGD_CONSTANT ? 1
                                      : 0;
}

static int check(int epochs, const hpo__sgd_mode mode[HPO__SGD_KINDS],
                 const double fixed[HPO__SGD_KINDS], hpo__msg *m)
{
    if (epochs < 1 || epochs > 100000)
        return hpo__fail(m, HPO_EINVAL, "sgd: epochs must be in [1, 100000], "
                         "not %d", epochs);
    int tuned = 0;
    for (int k = 0; k < HPO__SGD_KINDS; k++)
        tuned += mode[k] != HPO__SGD_FIXED;
    if (!tuned)
        return hpo__fail(m, HPO_EINVAL, "sgd: nothing to tune (the learning "
                         "rate, momentum and weight decay are all fixed)");
    if (!(fixed[HPO__SGD_LR] > 0 && isfinite(fixed[HPO__SGD_LR])) ||
        !(fixed[HPO__SGD_MOMENTUM] >= 0 && fixed[HPO__SGD_MOMENTUM] < 1) ||
        !(fixed[HPO__SGD_DECAY] >= 0 && isfinite(fixed[HPO__SGD_DECAY])))
        return hpo__fail(m, HPO_EINVAL, "sgd: lr > 0, 0 <= momentum < 1 and "
                         "weight_decay >= 0 (lr %g, momentum %g, "
                         "weight_decay %g)", fixed[0], fixed[1], fixed[2]);
    for (int k = 0; k < HPO__SGD_KINDS; k++)
        if (mode[k] != HPO__SGD_FIXED && !(fixed[k] > 0))
            return hpo__fail(m, HPO_EINVAL, "sgd: a tuned %s starts from a "
                             "positive value (it is tuned in log space), "
                             "not %g", kind_name[k], fixed[k]);
    return HPO_OK;
}

int hpo__sgd_schedule_init(hpo__sgd_schedule *s, int epochs,
                           const hpo__sgd_mode mode[HPO__SGD_KINDS],
                           const double fixed[HPO__SGD_KINDS], hpo__msg *m)
{
    memset(s, 0, sizeof *s);
    int rc = check(epochs, mode, fixed, m);
    if (rc != HPO_OK)
        return rc;
    s->epochs = epochs;
    for (int k = 0; k < HPO__SGD_KINDS; k++) {
        s->mode[k] = mode[k];
        s->fixed[k] = fixed[k];
        s->first[k] = s->n_hyper;
        s->n_hyper += count_of(mode[k], epochs);
    }
    s->names = calloc((size_t)s->n_hyper, sizeof *s->names);
    if (!s->names)
        return hpo__oom(m);
    for (int k = 0; k < HPO__SGD_KINDS; k++)
        for (int j = 0; j < count_of(mode[k], epochs); j++) {
            char buf[48];
            if (mode[k] == HPO__SGD_PER_EPOCH)
                snprintf(buf, sizeof buf, "%s_%d", kind_name[k], j + 1);
            else
                snprintf(buf, sizeof buf, "%s", kind_name[k]);
            if (!(s->names[s->first[k] + j] = strdup(buf))) {
                hpo__sgd_schedule_free(s);
                return hpo__oom(m);
            }
        }
    return HPO_OK;
}

void hpo__sgd_schedule_free(hpo__sgd_schedule *s)
{
    for (int i = 0; s->names && i < s->n_hyper; i++)
        free(s->names[i]);
    free(s->names);
    memset(s, 0, sizeof *s);
}

int hpo__sgd_schedule_kind(const hpo__sgd_schedule *s, int i)
{
    int k = HPO__SGD_KINDS - 1;
    while (k > 0 && (s->mode[k] == HPO__SGD_FIXED || i < s->first[k]))
        k--;
    return k;
}

void hpo__sgd_schedule_bounds(const hpo__sgd_schedule *s, int i, double *lo,
                              double *hi)
{
    int k = hpo__sgd_schedule_kind(s, i);
    *lo = kind_lo[k];
    *hi = kind_hi[k];
}

void hpo__sgd_schedule_start(const hpo__sgd_schedule *s, double *h)
{
    for (int i = 0; i < s->n_hyper; i++)
        h[i] = log(s->fixed[hpo__sgd_schedule_kind(s, i)]);
}

double hpo__sgd_schedule_value(const hpo__sgd_schedule *s, const double *h,
                               int kind, int e, int *hyper)
{
    int i = s->mode[kind] == HPO__SGD_PER_EPOCH ? s->first[kind] + e
            : s->mode[kind] == HPO__SGD_CONSTANT ? s->first[kind]
                                                : -1;
    *hyper = i;
    return i < 0 ? s->fixed[kind] : exp(h[i]);
}

int hpo__sgd_schedule_first_epoch(const hpo__sgd_schedule *s, int i)
{
    int k = hpo__sgd_schedule_kind(s, i);
    return s->mode[k] == HPO__SGD_PER_EPOCH ? i - s->first[k] : 0;
}
