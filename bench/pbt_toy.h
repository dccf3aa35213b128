/*
 * pbt_toy.h — the toy problem of population-based training, shared by
 * hpo-bench pbt and tests/test_pbt.c (examples/pbt_toy.sh is the same in
 * shell): a weight w starts at 1 and shrinks by (1 - lr) per step, ten
 * steps an interval; an interval's loss is w^2 + 0.01 lr, a floor
 * proportional to lr as SGD's noise is.  A large lr is best early, a small
 * one late, so a schedule beats any fixed lr.  The checkpoint holds w.
 */
#ifndef HPO_BENCH_PBT_TOY_H
#define HPO_BENCH_PBT_TOY_H

#include <math.h>
#include <stdio.h>

#include "hpo.h"

static inline double pbt_toy_interval(double *w, double lr)
{
    for (int i = 0; i < 10; i++)
        *w *= 1 - lr;
    return *w * *w + 0.01 * lr;
}

/* An hpo_pbt_train_fn: w from checkpoint_in (1 for a new member). */
static inline int pbt_toy_train(hpo_trial *t, int member, const char *in,
                                const char *out, double *score, void *data)
{
    (void)member, (void)data;
    double lr, w = 1;
    hpo_trial_param(t, "lr", &lr);
    FILE *f = in ? fopen(in, "r") : NULL;
    if (in && (!f || fscanf(f, "%lf", &w) != 1))
        w = NAN;
    if (f)
        fclose(f);
    *score = pbt_toy_interval(&w, lr);
    if (!(f = fopen(out, "w")))
        return HPO_EIO;
    fprintf(f, "%.17g\n", w);
    fclose(f);
    return HPO_OK;
}

#endif
