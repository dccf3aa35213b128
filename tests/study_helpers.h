/* study_helpers.h — small helpers shared by the sampler tests (test_rf,
 * test_rbf, test_tpe, test_ga_sampler): sorting and medians of results,
 * a study's best value, a trial's parameter by name.  Static inline so a
 * test that uses only some of them compiles without unused warnings. */
#ifndef HPO_TESTS_STUDY_HELPERS_H
#define HPO_TESTS_STUDY_HELPERS_H

#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "hpo.h"

/* Branin's global minimum, reached at three points. */
#define BRANIN_MIN 0.397887357729738

/* qsort comparator for doubles, ascending. */
static inline int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n); sorts v in place. */
static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The best first-objective value of the study; +inf when nothing finished. */
static inline double best_value(hpo_study *s)
{
    hpo_trial *best = NULL;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    double v = best ? hpo_trial_value(best, 0) : INFINITY;
    hpo_trial_free(best);
    return v;
}

/* The trial's value of parameter `name`; NaN if it has none. */
static inline double param(hpo_trial *t, const char *name)
{
    double v = NAN;
    hpo_trial_param(t, name, &v);
    return v;
}

#endif
