/*
 * report_importance.c — fANOVA importance for the report's document
 * (report_importance.h).
 */
#include "report_importance.h"

#include <stdlib.h>
#include <string.h>

void report_importance_release(report_importance_held *h)
{
    hpo_importance_free(h->list, h->n);
    free(h->names);
    free(h->values);
    memset(h, 0, sizeof *h);
}

int report_importance_compute(hpo_study *study, report_importance_held *h)
{
    memset(h, 0, sizeof *h);
    hpo_importance_options o;
    hpo_importance_options_default(&o);
    o.objective = 0; /* the first objective, as the report's history */
    if (hpo_study_importance(study, &o, &h->list, &h->n) != HPO_OK)
        return -1;
    h->names = calloc((size_t)h->n + 1, sizeof *h->names);
    h->values = calloc((size_t)h->n + 1, sizeof *h->values);
    if (!h->names || !h->values) {
        report_importance_release(h);
        return -1;
    }
    for (int i = 0; i < h->n; i++) {
        h->names[i] = h->list[i].name;
        h->values[i] = h->list[i].value;
    }
    h->shown = (report_importance){"fanova", h->n, h->names, h->values};
    return 0;
}
