/*
 * ask_preset.c — trials a driver has fully decided before they start: a
 * race's experiments on one instance, each configuration's params and its
 * labels (instance, seed, configuration, ...).  They skip the sampler and
 * the WAITING queue, and all of them are stored in one write: one
 * transaction where the storage can (create_trials), instead of a
 * transaction per trial, per param and per attribute.
 */
#include <stdlib.h>

#include "study.h"

/* A preset's params and user attributes into rec (copied). */
static int add_preset(hpo__trial_rec *rec, const hpo__trial_rec *preset)
{
    int rc = HPO_OK;
    for (int i = 0; i < preset->n_params && rc == HPO_OK; i++)
        rc = hpo__rec_add_param(rec, preset->params[i].name,
                                &preset->params[i].dist,
                                preset->params[i].internal);
    for (int i = 0; i < preset->user_attrs.n && rc == HPO_OK; i++)
        rc = hpo__attrs_set(&rec->user_attrs, preset->user_attrs.v[i].key,
                            preset->user_attrs.v[i].json);
    return rc;
}

/* The stored form of each preset: RUNNING, started now, with a first
 * heartbeat when the study beats. */
static int make_templates(hpo_study *s, const hpo__trial_rec *presets, int n,
                          hpo__trial_rec *tmpls)
{
    double now = hpo__now();
    int rc = HPO_OK;
    for (int i = 0; i < n; i++)
        hpo__rec_init(&tmpls[i]);
    for (int i = 0; i < n && rc == HPO_OK; i++) {
        tmpls[i].state = HPO_RUNNING;
        tmpls[i].start_s = now;
        tmpls[i].beat = hpo__liveness_on(s);
        rc = add_preset(&tmpls[i], &presets[i]);
    }
    return rc;
}

/* Store the trials and give each handle what was stored; caller holds the
 * lock. */
static int create_locked(hpo_study *s, const hpo__trial_rec *tmpls, int n,
                         hpo_trial **t)
{
    int64_t *ids = malloc((size_t)n * sizeof *ids);
    int *numbers = malloc((size_t)n * sizeof *numbers);
    int rc = ids && numbers ? hpo__study_store_seed(s) : hpo__oom(&s->msg);
    if (rc == HPO_OK &&
        (rc = hpo__st_create_trials(s->storage, s->id, tmpls, n, ids,
                                    numbers)) != HPO_OK)
        rc = hpo__study_storage_fail(s, rc);
    for (int i = 0; ids && numbers && i < n; i++) {
        t[i]->rec.id = ids[i]; /* 0: not stored */
        t[i]->rec.number = numbers[i];
        t[i]->rec.state = HPO_RUNNING;
        t[i]->rec.start_s = tmpls[i].start_s;
        hpo__rng_derive(&t[i]->rng, s->seed, (uint64_t)numbers[i]);
        if (rc == HPO_OK && add_preset(&t[i]->rec, &tmpls[i]))
            rc = hpo__oom(&s->msg);
    }
    free(ids);
    free(numbers);
    return rc;
}

/* Undo a failed batch: what was stored is failed, never left RUNNING. */
static void discard(hpo_study *s, hpo_trial **t, int n)
{
    for (int i = 0; i < n; i++) {
        if (t[i] && t[i]->rec.id)
            hpo__st_finish_trial(s->storage, t[i]->rec.id, HPO_FAIL, 0, NULL);
        hpo_trial_free(t[i]);
        t[i] = NULL;
    }
}

int hpo__study_ask_presets(hpo_study *s, const hpo__trial_rec *presets, int n,
                           hpo_trial **out)
{
    for (int i = 0; i < n; i++)
        out[i] = NULL;
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study before asking");
    int rc = hpo_study_fail_stale_trials(s, NULL);
    if (rc || n <= 0)
        return rc;
    hpo__trial_rec *tmpls = malloc((size_t)n * sizeof *tmpls);
    if (!tmpls)
        return hpo__oom(&s->msg);
    rc = make_templates(s, presets, n, tmpls);
    for (int i = 0; i < n && rc == HPO_OK; i++)
        if (!(out[i] = hpo__trial_new(s)))
            rc = hpo__oom(&s->msg);
    if (rc == HPO_OK) {
        pthread_mutex_lock(&s->lock);
        rc = create_locked(s, tmpls, n, out);
        pthread_mutex_unlock(&s->lock);
    }
    for (int i = 0; i < n && rc == HPO_OK; i++)
        rc = hpo__liveness_start(s, out[i]->rec.id);
    for (int i = 0; i < n; i++)
        hpo__rec_free(&tmpls[i]);
    free(tmpls);
    if (rc != HPO_OK)
        discard(s, out, n);
    return rc;
}
