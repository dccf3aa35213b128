/*
 * session.c — one run of the hypergradient optimizer: the data file read,
 * split and handed to the model's constructor (models.c), then the outer
 * loop (outer.c; HOAG, Pedregosa 2016) from the model's start point, its
 * steps and notes reported through the public progress callback.
 *
 * The library never prints: the data loader's notes ("12 rows with a
 * missing value dropped ...") and the outer loop's ("step size halved")
 * reach the caller as progress events with a note.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static void send_note(const hpo__hg_session *s, const char *text)
{
    if (!s->progress)
        return;
    hpo_hypergrad_progress p = {.note = text};
    s->progress(&p, s->progress_data);
}

/* The outer loop's note callback. */
static void on_note(void *ud, const char *text)
{
    send_note(ud, text);
}

/* The outer loop's progress callback: step is 0-based, h in log space. */
static void on_step(void *ud, int step, double val, double test,
                    const double *h)
{
    hpo__hg_session *s = ud;
    if (!s->progress)
        return;
    int n = s->p->n_hyper;
    for (int i = 0; i < n; i++)
        s->values[i] = exp(h[i]);
    hpo_hypergrad_progress p = {NULL, step + 1, s->plan.outer.steps, val,
                                test, n, s->names, s->values};
    s->progress(&p, s->progress_data);
}

static int load(hpo__hg_session *s, const hpo_hypergrad_options *o,
                hpo__msg *m)
{
    hpo__data_opts dopts = {.target = o->target};
    int rc = hpo__data_load_with(&s->data, o->data_path, &dopts, m);
    if (rc == HPO_OK && s->plan.model->task >= 0)
        rc = hpo__data_set_task(&s->data, (hpo__task)s->plan.model->task, m);
    for (int i = 0; rc == HPO_OK && i < s->data.n_notes; i++) {
        char text[600];
        snprintf(text, sizeof text, "%s: %s", o->data_path,
                 s->data.notes[i]);
        send_note(s, text);
    }
    return rc;
}

/* The names, the start point and the rows of the problem just built. */
static int start(hpo__hg_session *s, const hpo__hg_ctx *ctx, hpo__msg *m)
{
    hpo__hg_problem *p = s->p;
    s->names = calloc((size_t)p->n_hyper, sizeof *s->names);
    s->h = calloc((size_t)p->n_hyper, sizeof *s->h);
    s->values = calloc((size_t)p->n_hyper, sizeof *s->values);
    if (!s->names || !s->h || !s->values)
        return hpo__oom(m);
    for (int i = 0; i < p->n_hyper; i++)
        s->names[i] = p->hyper_name(p, i);
    s->plan.model->start(p, ctx, s->h);
    if (s->plan.model->split)
        memcpy(s->rows, s->split.n, sizeof s->rows);
    else
        hpo__hg_sgd_rows(p, s->rows);
    return HPO_OK;
}

int hpo__hg_session_open(hpo__hg_session *s, const hpo_hypergrad_options *o,
                         hpo__msg *m)
{
    memset(s, 0, sizeof *s);
    int rc = hpo__hg_plan_make(o, &s->plan, m);
    if (rc != HPO_OK)
        return rc;
    s->progress = o->progress;
    s->progress_data = o->progress_data;
    rc = load(s, o, m);
    if (rc == HPO_OK && s->plan.model->split)
        rc = hpo__hg_split_make(&s->data, 0.6, 0.2, o->seed, &s->split, m);
    hpo__hg_ctx ctx = {&s->data, &s->split, o->per_feature, s->plan.solver,
                       o->seed, &s->plan.sgd};
    if (rc == HPO_OK)
        rc = s->plan.model->make(&ctx, &s->p, m);
    if (rc == HPO_OK)
        rc = start(s, &ctx, m);
    if (rc != HPO_OK)
        hpo__hg_session_close(s);
    return rc;
}

/* The best point's names and values, owned by r. */
static int keep_best(const hpo__hg_session *s, hpo_hypergrad_result *r,
                     hpo__msg *m)
{
    int n = s->p->n_hyper;
    r->names = calloc((size_t)n, sizeof *r->names);
    r->best = calloc((size_t)n, sizeof *r->best);
    if (!r->names || !r->best)
        return hpo__oom(m);
    r->n_hyper = n;
    for (int i = 0; i < n; i++) {
        double lo, hi; /* as the trial stores it: exp(log(lo)) may be < lo */
        s->p->hyper_bounds(s->p, i, &lo, &hi);
        r->best[i] = fmin(hi, fmax(lo, exp(s->h[i])));
        if (!(r->names[i] = strdup(s->names[i])))
            return hpo__oom(m);
    }
    return HPO_OK;
}

int hpo__hg_session_descend(hpo__hg_session *s, hpo_study *study,
                            hpo_hypergrad_result *r, hpo__msg *m)
{
    hpo__hg_outer_opts outer = s->plan.outer;
    outer.progress = on_step;
    outer.note = on_note;
    outer.progress_ud = s;
    hpo__hg_result res = {0, INFINITY, NAN, NAN, s->p->fits, 0};
    int rc = hpo__hg_descend(s->p, s->h, &outer, study, &res, m);
    *r = (hpo_hypergrad_result){
        .val_loss = res.best_val_loss, .test_loss = res.best_test_loss,
        .val_metric = res.best_val_metric, .n_steps = res.steps_done,
        .fits = res.fits, .halvings = res.halvings, .n_train = s->rows[0],
        .n_val = s->rows[1], .n_test = s->rows[2],
        .n_features = s->data.n_features};
    if (rc == HPO_OK)
        rc = keep_best(s, r, m);
    return rc;
}

void hpo__hg_session_close(hpo__hg_session *s)
{
    if (s->p)
        s->p->destroy(s->p);
    s->p = NULL;
    free(s->names);
    free(s->h);
    free(s->values);
    s->names = NULL;
    s->h = NULL;
    s->values = NULL;
    hpo__hg_split_free(&s->split);
    hpo__data_free(&s->data);
}
