/*
 * step_percentile.h — the q-th percentile of the COMPLETE trials' values at
 * each step, kept up to date as trials finish, so that a percentile (or
 * median) pruner decides in O(1) at any study size instead of sorting the
 * values of every trial at every call.
 *
 * Per step, two heaps split the values seen there (NaN excluded, as
 * numpy's nanpercentile does): the lower one holds the floor(q (n-1)) + 1
 * smallest, so its top and the upper heap's top are the two order
 * statistics numpy's linear interpolation reads.  A value costs
 * O(log n) to add; a query is O(log steps).
 */
#ifndef HPO_STEP_PERCENTILE_H
#define HPO_STEP_PERCENTILE_H

#include <stdint.h>

#include "hpo_plugin.h"

typedef struct hpo__heap {
    int n, cap;
    double *v;
} hpo__heap;

typedef struct hpo__step_stat {
    int64_t step;
    int count;       /* values reported at the step, NaN included */
    hpo__heap lower; /* max-heap */
    hpo__heap upper; /* min-heap */
} hpo__step_stat;

typedef struct hpo__step_percentile {
    double q;                 /* in [0, 100] */
    int n_complete;           /* COMPLETE trials taken in */
    int n_steps, cap_steps;
    hpo__step_stat *steps;    /* sorted by step */
    hpo_history_cursor cursor;
} hpo__step_percentile;

/* Start empty for the q-th percentile (0 <= q <= 100). */
void hpo__step_percentile_init(hpo__step_percentile *sp, double q);
void hpo__step_percentile_free(hpo__step_percentile *sp);
/* Add one trial's intermediate values. HPO_OK or HPO_ENOMEM. */
int hpo__step_percentile_add(hpo__step_percentile *sp, const hpo_record *r);
/* Take in the trials that became COMPLETE since the last call. */
int hpo__step_percentile_update(hpo__step_percentile *sp,
                                hpo_plugin_ctx *ctx);
/* The percentile at step (NaN when no value there is a number), and how
 * many values were reported there (NaN included). */
double hpo__step_percentile_at(const hpo__step_percentile *sp, int64_t step,
                               int *count);

#endif
