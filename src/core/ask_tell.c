/*
 * ask_tell.c — the primitive every run is built on (hpo_study_optimize is a
 * loop over it): ask for a trial, tell its result, enqueue fixed trials.
 *
 *   ask:  is_exhausted? -> claim a WAITING trial, or create a RUNNING one
 *         -> joint (relative) sampling for the trial
 *   tell: NaN -> FAIL; PRUNED takes its last intermediate value
 *         -> pruner on_tell -> storage finish (one transaction)
 *         -> sampler after_trial
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "json.h"
#include "study.h"

hpo_trial *hpo__trial_new(hpo_study *s)
{
    hpo_trial *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->study = s;
    hpo__rec_init(&t->rec);
    return t;
}

/* A WAITING (enqueued) trial if one is there; HPO_DONE if none. */
static int claim(hpo_study *s, hpo_trial *t)
{
    int64_t id;
    int rc = hpo__st_claim_waiting_beat(s->storage, s->id,
                                        hpo__liveness_on(s), &id);
    if (rc != HPO_OK)
        return rc;
    return hpo__st_get_trial(s->storage, id, &t->rec);
}

/* A new RUNNING trial; with fixed_params (NULL: none) its parameters are
 * fixed as an enqueued trial's (stored in the same transaction). */
static int create_with(hpo_study *s, hpo_trial *t, const char *fixed_params)
{
    hpo__trial_rec tmpl;
    hpo__rec_init(&tmpl);
    tmpl.state = HPO_RUNNING;
    tmpl.start_s = hpo__now();
    tmpl.beat = hpo__liveness_on(s);
    int rc = fixed_params ? hpo__attrs_set(&tmpl.system_attrs, "fixed_params",
                                           fixed_params)
                          : HPO_OK;
    if (rc == HPO_OK)
        rc = hpo__st_create_trial(s->storage, s->id, &tmpl, &t->rec.id,
                                  &t->rec.number);
    if (rc == HPO_OK && fixed_params)
        rc = hpo__attrs_copy(&t->rec.system_attrs, &tmpl.system_attrs);
    t->rec.state = HPO_RUNNING;
    t->rec.start_s = tmpl.start_s;
    hpo__rec_free(&tmpl);
    return rc;
}

static int create(hpo_study *s, hpo_trial *t)
{
    return create_with(s, t, NULL);
}

/* Ask the sampler for the parameters it chooses jointly. */
static int sample_relative(hpo_study *s, hpo_trial *t, hpo_plugin_ctx *ctx)
{
    const hpo_space *space;
    int rc = hpo__sampler_infer_relative(&s->sampler, ctx, &space);
    if (rc || !space || space->n == 0)
        return rc;
    t->rel_space = calloc(1, sizeof *t->rel_space);
    t->rel_values = malloc((size_t)space->n * sizeof(double));
    if (!t->rel_space || !t->rel_values || hpo__space_copy(t->rel_space, space))
        return hpo__oom(ctx->msg);
    for (int i = 0; i < space->n; i++)
        t->rel_values[i] = NAN;
    return hpo__sampler_relative(&s->sampler, ctx, t->rel_space,
                                 t->rel_values);
}

static int ask_locked(hpo_study *s, hpo_trial *t)
{
    int rc = hpo__study_store_seed(s);
    if (rc)
        return rc;
    hpo_plugin_ctx ctx;
    int exhausted = 0;
    if (hpo__sampler_has_is_exhausted(&s->sampler)) {
        hpo__ctx_start(&ctx, s, NULL, NULL, &s->msg);
        exhausted = hpo__sampler_is_exhausted(&s->sampler, &ctx);
        hpo__ctx_end(&ctx, exhausted); /* the grid's claims, every time */
    }
    if (exhausted) {
        if (exhausted < 0) /* an error (the grid sampler without a space) */
            return exhausted;
        atomic_store(&s->sampler_done, 1);
        return HPO_DONE;
    }
    rc = claim(s, t);
    if (rc == HPO_DONE)
        rc = create(s, t);
    if (rc != HPO_OK)
        return hpo__study_storage_fail(s, rc);
    hpo__rng_derive(&t->rng, s->seed, (uint64_t)t->rec.number);
    hpo__ctx_start(&ctx, s, &t->rec, &t->rng, &s->msg);
    ctx.for_sampler = 1;
    rc = sample_relative(s, t, &ctx);
    return hpo__ctx_end(&ctx, rc);
}

/* A driver's trial (PBT's member-intervals): parameters fixed by the
 * driver, so neither a WAITING trial is claimed nor the sampler asked. */
static int ask_fixed_locked(hpo_study *s, hpo_trial *t, const char *params)
{
    int rc = hpo__study_store_seed(s);
    if (rc == HPO_OK && (rc = create_with(s, t, params)) != HPO_OK)
        return hpo__study_storage_fail(s, rc);
    hpo__rng_derive(&t->rng, s->seed, (uint64_t)t->rec.number);
    return rc;
}

static int ask_with(hpo_study *s, hpo_trial **out, const char *params)
{
    *out = NULL;
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study before asking");
    int rc = hpo_study_fail_stale_trials(s, NULL);
    if (rc)
        return rc;
    hpo_trial *t = hpo__trial_new(s);
    if (!t)
        return hpo__oom(&s->msg);
    pthread_mutex_lock(&s->lock);
    rc = params ? ask_fixed_locked(s, t, params) : ask_locked(s, t);
    pthread_mutex_unlock(&s->lock);
    if (rc == HPO_OK)
        rc = hpo__liveness_start(s, t->rec.id);
    if (rc != HPO_OK) {
        /* A trial created before a sampler error stays RUNNING; fail it so
         * the study does not carry a ghost. */
        if (t->rec.id)
            hpo__st_finish_trial(s->storage, t->rec.id, HPO_FAIL, 0, NULL);
        hpo_trial_free(t);
        return rc;
    }
    *out = t;
    return HPO_OK;
}

int hpo_study_ask(hpo_study *s, hpo_trial **out)
{
    return ask_with(s, out, NULL);
}

int hpo__study_ask_fixed(hpo_study *s, const char *params_json,
                         hpo_trial **out)
{
    return ask_with(s, out, params_json);
}

/* ---- tell ---------------------------------------------------------------- */

/* Optuna 3.1 records a pruned single-objective trial's value at its last
 * (highest) step as its value, infinities included, and none when that is
 * NaN. */
static int pruned_value(const hpo_trial *t, double *v)
{
    int last = -1;
    for (int i = 0; i < t->rec.n_inter; i++)
        if (last < 0 || t->rec.inter[i].step > t->rec.inter[last].step)
            last = i;
    if (last < 0 || isnan(t->rec.inter[last].value))
        return 0;
    *v = t->rec.inter[last].value;
    return 1;
}

static int check_values(hpo_study *s, hpo_trial *t, hpo_trial_state *state,
                        const double *values, int n)
{
    if (*state != HPO_COMPLETE)
        return HPO_OK;
    if (n != s->n_dirs || !values)
        return hpo__fail(&t->msg, HPO_EINVAL,
                         "trial %d: %d value(s) given, the study has %d "
                         "objective(s)",
                         t->rec.number, n, s->n_dirs);
    for (int i = 0; i < n; i++)
        if (isnan(values[i])) {
            *state = HPO_FAIL;
            hpo__study_log(s, 2, "trial %d failed: objective %d is NaN",
                           t->rec.number, i);
            hpo__st_set_trial_attr(s->storage, t->rec.id, 1, "fail_reason",
                                   "\"the objective value is NaN\"");
        }
    return HPO_OK;
}

/* The pruner hears of the result while the trial can still take
 * attributes (the rung it completed), before it is stored finished. */
static int pruner_on_tell(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                          const double *values, int n)
{
    if (!hpo__pruner_has_on_tell(&s->pruner))
        return HPO_OK;
    pthread_mutex_lock(&s->lock);
    hpo_plugin_ctx ctx;
    hpo__ctx_start_pruner(&ctx, s, &t->rec, &t->msg);
    int rc = hpo__pruner_on_tell(&s->pruner, &ctx, state, values, n);
    hpo__ctx_end(&ctx, rc);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The sampler hears of the stored result; HPO_DONE stops the study.  An
 * error comes back from tell, the trial being stored all the same. */
static int after_trial(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                       const double *values, int n)
{
    if (!hpo__sampler_has_after_trial(&s->sampler))
        return HPO_OK;
    pthread_mutex_lock(&s->lock);
    hpo_plugin_ctx ctx;
    hpo__ctx_start(&ctx, s, &t->rec, &t->rng, &t->msg);
    int rc = hpo__sampler_after_trial(&s->sampler, &ctx, state, values, n);
    hpo__ctx_end(&ctx, rc);
    pthread_mutex_unlock(&s->lock);
    if (rc == HPO_DONE)
        atomic_store(&s->sampler_done, 1);
    return rc == HPO_DONE ? HPO_OK : rc;
}

int hpo_study_tell(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                   const double *values, int n)
{
    if (!t || t->study != s)
        return hpo__fail(&s->msg, HPO_EMISUSE,
                         "tell needs a trial asked from this study");
    if (t->told || hpo__state_finished(t->rec.state))
        return hpo__fail(&t->msg, HPO_EFINISHED, "trial %d is already finished",
                         t->rec.number);
    if (!hpo__state_finished(state))
        return hpo__fail(&t->msg, HPO_EINVAL,
                         "a trial is told COMPLETE, PRUNED or FAIL");
    int rc = check_values(s, t, &state, values, n);
    if (rc)
        return rc;
    double last;
    if (state == HPO_PRUNED_STATE && s->n_dirs == 1 && pruned_value(t, &last)) {
        values = &last;
        n = 1;
    } else if (state != HPO_COMPLETE) {
        values = NULL;
        n = 0;
    }
    /* The pruner's error comes back once the trial is stored. */
    int pruner_rc = t->detached ? HPO_OK
                                : pruner_on_tell(s, t, state, values, n);
    /* The handle's copy first: once the trial is stored, tell succeeded. */
    if (hpo__rec_set_values(&t->rec, n, values))
        return hpo__oom(&t->msg);
    rc = t->detached ? HPO_EFINISHED
                     : hpo__st_finish_trial_attrs(s->storage, t->rec.id, state,
                                                  n, values, &t->at_tell);
    if (rc == HPO_EFINISHED) { /* failed under us by a heartbeat check */
        if ((rc = hpo__late_tell(s, t, state, values, n)))
            return rc;
    } else if (rc) {
        hpo__msg_set(&t->msg, hpo_storage_errmsg(s->storage));
        return rc;
    } else {
        hpo__liveness_stop(s, t->rec.id);
        if (state == HPO_FAIL && (rc = hpo__retry_if_asked(s, t->rec.id)))
            hpo__msg_set(&t->msg, hpo_study_errmsg(s));
    }
    t->told = 1;
    t->rec.state = state;
    t->rec.complete_s = hpo__now();
    rc = after_trial(s, t, state, values, n);
    return pruner_rc ? pruner_rc : rc;
}

/* ---- enqueue ------------------------------------------------------------- */

/* Fixed parameters (enqueue, ask_fixed) are a JSON object, stored
 * verbatim: Python must read them as hpo does. */
static int check_fixed_params(hpo_study *s, const char *params_json,
                              const char *what)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    cJSON *root;
    int rc = hpo__json_parse(params_json, what, &root, &s->msg);
    int is_obj = cJSON_IsObject(root);
    cJSON_Delete(root);
    if (rc)
        return rc;
    if (!is_obj)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "%s takes a JSON object of parameters, as "
                         "{\"lr\": 0.01}", what);
    return HPO_OK;
}

int hpo_study_ask_fixed(hpo_study *s, const char *params_json,
                        hpo_trial **out)
{
    *out = NULL;
    int rc = check_fixed_params(s, params_json, "ask_fixed");
    return rc ? rc : ask_with(s, out, params_json);
}

int hpo_study_enqueue(hpo_study *s, const char *params_json)
{
    int rc = check_fixed_params(s, params_json, "enqueue");
    if (rc)
        return rc;
    hpo__trial_rec tmpl;
    hpo__rec_init(&tmpl);
    tmpl.state = HPO_WAITING;
    int64_t id;
    int number;
    if (hpo__attrs_set(&tmpl.system_attrs, "fixed_params", params_json))
        rc = hpo__oom(&s->msg);
    else if ((rc = hpo__st_create_trial(s->storage, s->id, &tmpl, &id,
                                        &number)))
        rc = hpo__study_storage_fail(s, rc);
    hpo__rec_free(&tmpl);
    return rc;
}
