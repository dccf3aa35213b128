/*
 * run_block.c — one instance's experiments: each configuration's run is a
 * trial of the study (created with the configuration's params and labelled
 * with the instance in one write), and up to n_jobs of them run at once.
 *
 * Trials are made and labelled in the calling thread, one after another,
 * so each ask takes the configuration just enqueued; only the runs (and
 * their tells, which are thread-safe) are in the worker threads.
 */
#include "race.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/json.h"
#include "../core/study.h"

typedef struct job {
    hpo_trial *trial;
    double value;
    int rc;
} job;

typedef struct batch {
    hpo__race *r;
    job *jobs;
    int n;
    atomic_int next;
    const char *instance;
    int index;
    uint32_t seed;
} batch;

/* c's active params, as the trial's params (a categorical's internal
 * value is its choice's index, as race_conf keeps it). */
static int preset_params(const hpo__race *r, const race_conf *c,
                         hpo__trial_rec *preset)
{
    int rc = HPO_OK;
    for (int p = 0; p < r->np && rc == HPO_OK; p++)
        if (!isnan(c->x[p])) /* NaN: inactive, not a param of the trial */
            rc = hpo__rec_add_param(preset, r->space->p[p].name,
                                    &r->space->p[p].dist, c->x[p]);
    return rc;
}

int hpo__race_label(hpo__attrs *labels, const char *key, cJSON *v)
{
    char *text = v ? cJSON_PrintUnformatted(v) : NULL;
    cJSON_Delete(v);
    int rc = text ? hpo__attrs_set(labels, key, text) : HPO_ENOMEM;
    free(text);
    return rc;
}

static int label(hpo__attrs *a, const batch *b, int conf_id, const char *phase)
{
    int rc = hpo__race_label(a, "instance", cJSON_CreateString(b->instance));
    if (!rc)
        rc = hpo__race_label(a, "instance_index", cJSON_CreateNumber(b->index));
    if (!rc)
        rc = hpo__race_label(a, "seed", cJSON_CreateNumber(b->seed));
    if (!rc)
        rc = hpo__race_label(a, "configuration", cJSON_CreateNumber(conf_id));
    if (!rc)
        rc = hpo__race_label(a, "race_iteration",
                             cJSON_CreateNumber(b->r->iteration));
    if (!rc && phase)
        rc = hpo__race_label(a, "race_phase", cJSON_CreateString(phase));
    return rc;
}

/* c's preset: its params and the labels (may be NULL). */
static int preset_of(hpo__race *r, const race_conf *c, const hpo__attrs *labels,
                     hpo__trial_rec *preset)
{
    int rc = preset_params(r, c, preset);
    if (rc == HPO_OK && labels)
        rc = hpo__attrs_copy(&preset->user_attrs, labels);
    return rc == HPO_OK ? HPO_OK : hpo__oom(r->msg);
}

/* RUNNING trials for confs[0..n-1], each with its params and labels[i],
 * stored in one write. */
static int make_trials(hpo__race *r, race_conf *const *confs,
                       const hpo__attrs *labels, int n, hpo_trial **out)
{
    hpo__trial_rec *presets = calloc((size_t)n + 1, sizeof *presets);
    if (!presets)
        return hpo__oom(r->msg);
    int rc = HPO_OK;
    for (int i = 0; i < n; i++)
        hpo__rec_init(&presets[i]);
    for (int i = 0; i < n && rc == HPO_OK; i++)
        rc = preset_of(r, confs[i], labels ? &labels[i] : NULL, &presets[i]);
    if (rc == HPO_OK &&
        (rc = hpo__study_ask_presets(r->study, presets, n, out)) != HPO_OK)
        hpo__fail(r->msg, rc, "race: %s", hpo_study_errmsg(r->study));
    for (int i = 0; i < n; i++)
        hpo__rec_free(&presets[i]);
    free(presets);
    return rc;
}

int hpo__race_make_trial(hpo__race *r, const race_conf *c,
                         const hpo__attrs *labels, hpo_trial **out)
{
    race_conf *one = (race_conf *)c;
    return make_trials(r, &one, labels, 1, out);
}

static void run_one(batch *b, job *j)
{
    const hpo_race_options *o = b->r->o;
    double v = NAN;
    j->rc = o->eval(j->trial, b->instance, b->index, b->seed, o->eval_data, &v);
    if (j->rc == HPO_OK && isnan(v))
        j->rc = HPO_EFAIL;
    j->value = v;
    if (j->rc == HPO_OK)
        hpo_study_tell(b->r->study, j->trial, HPO_COMPLETE, &v, 1);
    else
        hpo_study_tell(b->r->study, j->trial, HPO_FAIL, NULL, 0);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (int i; (i = atomic_fetch_add(&b->next, 1)) < b->n;)
        run_one(b, &b->jobs[i]);
    return NULL;
}

static void run_all(batch *b)
{
    int n_threads = b->r->o->n_jobs > 1 ? b->r->o->n_jobs : 1;
    if (n_threads > b->n)
        n_threads = b->n;
    pthread_t th[64];
    int started = 0;
    for (; started < n_threads - 1 && started < 64; started++)
        if (pthread_create(&th[started], NULL, worker, b) != 0)
            break;
    worker(b); /* this thread works too; no thread at all still works */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* The trials of todo[0..n-1] on b's instance, labelled, in jobs[i].trial:
 * all or none. */
static int make_block(hpo__race *r, race_conf **todo, int n, const batch *b,
                      const char *phase, job *jobs)
{
    int rc = HPO_OK;
    hpo__attrs *labels = calloc((size_t)n + 1, sizeof *labels);
    hpo_trial **made = calloc((size_t)n + 1, sizeof *made);
    if (!labels || !made)
        rc = hpo__oom(r->msg);
    for (int i = 0; i < n && !rc; i++)
        if (label(&labels[i], b, todo[i]->id, phase))
            rc = hpo__oom(r->msg);
    if (!rc)
        rc = make_trials(r, todo, labels, n, made);
    for (int i = 0; i < n; i++) {
        jobs[i].trial = made ? made[i] : NULL;
        if (labels)
            hpo__attrs_free(&labels[i]);
    }
    free(labels);
    free(made);
    return rc;
}

/* Run configurations todo[0..n-1] on one instance; scores[i] gets the
 * score in the race's orientation (smaller is better; a failed run is
 * +inf, irace's worst).  Returns the first error that stops the race. */
static int run_batch(hpo__race *r, race_conf **todo, int n, batch *b,
                     const char *phase, double *scores)
{
    job *jobs = calloc((size_t)n + 1, sizeof *jobs);
    if (!jobs)
        return hpo__oom(r->msg);
    int rc = make_block(r, todo, n, b, phase, jobs); /* message set */
    int prepared = !rc;
    if (prepared) {
        b->jobs = jobs;
        b->n = n;
        atomic_store(&b->next, 0);
        run_all(b);
    }
    for (int i = 0; i < n; i++) {
        if (!prepared && jobs[i].trial) /* made, never run: not RUNNING */
            hpo_study_tell(r->study, jobs[i].trial, HPO_FAIL, NULL, 0);
        if (!rc && jobs[i].rc != HPO_OK && jobs[i].rc != HPO_EFAIL) {
            rc = jobs[i].rc;
            hpo__fail(r->msg, rc, "race: an experiment stopped the race "
                      "(%s)", hpo_errstr(rc));
        }
        double v = jobs[i].rc == HPO_OK ? jobs[i].value : NAN;
        scores[i] = isnan(v) ? INFINITY : r->minimize ? v : -v;
        hpo_trial_free(jobs[i].trial);
    }
    free(jobs);
    return rc;
}

int hpo__race_run_block(hpo__race *r, race_conf **todo, int n, int pos)
{
    batch b = {.r = r, .index = r->inst[pos], .seed = r->seed[pos]};
    b.instance = r->o->instances[b.index];
    double *s = malloc(((size_t)n + 1) * sizeof *s);
    if (!s)
        return hpo__oom(r->msg);
    int rc = run_batch(r, todo, n, &b, NULL, s);
    for (int i = 0; i < n && !rc; i++)
        todo[i]->res[pos] = s[i];
    r->used += n;
    free(s);
    return rc;
}

int hpo__race_run_test(hpo__race *r, race_conf **todo, int n, int ti,
                       double *scores)
{
    batch b = {.r = r, .index = ti, .instance = r->o->test_instances[ti]};
    /* A test instance's seed depends on its index only, so every elite
     * (and every rerun) meets the same pair. */
    hpo__rng rng;
    hpo__rng_derive(&rng, r->study->seed, 0x7e57u + (uint64_t)ti);
    b.seed = (uint32_t)(hpo__rng_u64(&rng) & 0x7fffffff);
    return run_batch(r, todo, n, &b, "test", scores);
}
