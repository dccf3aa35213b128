/*
 * resource.h — the resource a study's trials have used (resource.c), for
 * hpo_study_optimize's budget_resource and hpo_study_resource_used.
 */
#ifndef HPO_RESOURCE_H
#define HPO_RESOURCE_H

#include "study.h"

/* The resource of one trial record (the rule in hpo.h, at
 * hpo_trial_resource). */
int64_t hpo__rec_resource(const hpo__trial_rec *r, int64_t max_resource);

/*
 * A running total over a study's history that reads each finished trial
 * once: finished trials never change, so their resource is summed as they
 * are first seen finished, and only the trials unfinished at the last
 * look are looked at again (with the new ones).  Zero it, set
 * max_resource, call hpo__resource_tally_used as often as wanted, free it.
 */
typedef struct hpo__resource_tally {
    int64_t max_resource;
    int64_t finished; /* resource of the finished trials seen */
    int seen;         /* trials numbered below this were looked at */
    int *open;        /* of them, those unfinished at the last look */
    int n_open, cap_open;
} hpo__resource_tally;

/* Refresh the study's history from storage and set *used to the resource
 * of all its trials (running ones as far as they got).  Takes the study's
 * lock. */
int hpo__resource_tally_used(hpo_study *s, hpo__resource_tally *t,
                             int64_t *used);
void hpo__resource_tally_free(hpo__resource_tally *t);

#endif
