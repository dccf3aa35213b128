/*
 * report_importance.h — the fANOVA importance a report or a dashboard
 * page shows (and from which it picks the contour's two parameters),
 * computed through hpo_study_importance.
 */
#ifndef HPO_CLI_REPORT_IMPORTANCE_H
#define HPO_CLI_REPORT_IMPORTANCE_H

#include "report_data.h"

typedef struct report_importance_held {
    hpo_importance *list;
    int n;
    const char **names;
    double *values;
    report_importance shown; /* points into the arrays above */
} report_importance_held;

/* The importance of the first objective into *h: 0, or -1 when there is
 * none to show (fewer than 2 complete trials, one parameter, out of
 * memory); the document then falls back to rank correlation. */
int report_importance_compute(hpo_study *study, report_importance_held *h);
void report_importance_release(report_importance_held *h);

#endif
