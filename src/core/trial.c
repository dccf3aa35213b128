/*
 * trial.c — define-by-run: suggest, report, should_prune, attributes, and
 * the accessors shared by live trials and read-only copies.
 *
 * A suggested value comes, in this order, from: the trial itself (asked
 * twice), an enqueued trial's fixed_params, the sampler's joint (relative)
 * choice at ask time, or the sampler's sample_independent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "json.h"
#include "study.h"

/* An enqueued trial's fixed_params, parsed and indexed at its first
 * suggest (parsing and searching them per suggest cost their size each
 * time). */
typedef struct hpo__fixed {
    cJSON *root;           /* NULL: not JSON */
    const cJSON **item;    /* the members, by position in by_name */
    hpo__name_index by_name;
} hpo__fixed;

static void fixed_free(hpo__fixed *f)
{
    if (!f)
        return;
    cJSON_Delete(f->root);
    free(f->item);
    hpo__name_index_free(&f->by_name);
    free(f);
}

hpo_trial *hpo__trial_from_rec(const hpo__trial_rec *rec)
{
    hpo_trial *t = calloc(1, sizeof *t);
    if (!t || hpo__rec_copy(&t->rec, rec)) {
        free(t);
        return NULL;
    }
    t->told = 1;
    return t;
}

void hpo_trial_free(hpo_trial *t)
{
    if (!t)
        return;
    if (t->study && !t->told)
        hpo__liveness_stop(t->study, t->rec.id);
    hpo__rec_free(&t->rec);
    hpo__attrs_free(&t->at_tell);
    hpo__msg_free(&t->msg);
    hpo__msg_free(&t->dist_text);
    hpo_space_free(t->rel_space);
    free(t->rel_values);
    hpo__name_index_free(&t->rel_index);
    fixed_free(t->fixed);
    for (int i = 0; i < t->n_texts; i++)
        free(t->texts[i]);
    free(t->texts);
    free(t);
}

const char *hpo_trial_errmsg(const hpo_trial *t)
{
    return t ? hpo__msg_get(&t->msg) : "no trial";
}

/* ---- where a value comes from ------------------------------------------- */

/* A fixed number may lie outside its distribution (Optuna uses it as
 * given), but it must be finite, and an int's must convert to int64_t. */
static int fixed_number_ok(const hpo__dist *d, double x)
{
    return isfinite(x) && (d->kind != HPO__INT || fabs(x) <= HPO_MAX_EXACT_INT);
}

/* Index the members by name (a repeated name keeps its first value);
 * without memory for it, fixed_member searches as cJSON does (linear). */
static void fixed_index(hpo__fixed *f)
{
    int n = cJSON_IsObject(f->root) ? cJSON_GetArraySize(f->root) : 0;
    f->item = n ? malloc(sizeof *f->item * (size_t)n) : NULL;
    int k = 0;
    for (const cJSON *v = f->item ? f->root->child : NULL; v; v = v->next)
        if (hpo__name_index_put(&f->by_name, v->string, k) != HPO_OK) {
            hpo__name_index_free(&f->by_name);
            break;
        } else if (hpo__name_index_get(&f->by_name, v->string) == k) {
            f->item[k++] = v;
        }
}

/* The fixed_params member called name in *v (NULL: none); HPO_ENOMEM
 * when they cannot be read for lack of memory (never a value sampled
 * instead of the one fixed). */
static int fixed_member(hpo_trial *t, const char *name, const cJSON **v)
{
    hpo__fixed *f = t->fixed;
    *v = NULL;
    if (!f) {
        const char *json = hpo__attrs_get(&t->rec.system_attrs, "fixed_params");
        if (!json)
            return HPO_OK;
        if (!(f = calloc(1, sizeof *f)))
            return hpo__oom(&t->msg);
        const char *why;
        size_t at;
        f->root = cJSON_Parse(json);
        if (!f->root && hpo__json_check(json, &why, &at) == 0) {
            free(f); /* valid JSON that cJSON had no memory for */
            return hpo__oom(&t->msg);
        }
        t->fixed = f;
        fixed_index(f);
    }
    if (f->by_name.cap) {
        int k = hpo__name_index_get(&f->by_name, name);
        *v = k >= 0 ? f->item[k] : NULL;
    } else {
        *v = cJSON_GetObjectItemCaseSensitive(f->root, name);
    }
    return HPO_OK;
}

/* An enqueued trial's fixed value for name, as an internal value: 1, 0
 * when it fixes none, HPO_ENOMEM (never a value sampled instead). */
static int fixed_value(hpo_trial *t, const char *name, const hpo__dist *d,
                       double *out)
{
    const cJSON *v;
    int found = fixed_member(t, name, &v);
    if (found < 0)
        return found;
    if (v && d->kind == HPO__CATEGORICAL) {
        char *text = cJSON_IsString(v) ? hpo__strdup(v->valuestring)
                                       : cJSON_PrintUnformatted(v);
        int k = text ? hpo__dist_find_choice(d, text) : -1;
        if (!text)
            found = hpo__oom(&t->msg);
        free(text);
        if (k >= 0) {
            *out = k;
            found = 1;
        }
    } else if (cJSON_IsNumber(v) && !fixed_number_ok(d, v->valuedouble)) {
        hpo__study_log(t->study, 2,
                       "trial %d: fixed value %g of '%s' is no value of its "
                       "kind; sampled instead",
                       t->rec.number, v->valuedouble, name);
    } else if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        found = 1;
    }
    if (found > 0 && !hpo__dist_contains(d, *out))
        hpo__study_log(t->study, 2,
                       "trial %d: fixed value of '%s' lies outside its "
                       "distribution; used as given",
                       t->rec.number, name);
    return found;
}

/* The relative space's index of name; a large space is indexed at the
 * first lookup. */
static int relative_index(hpo_trial *t, const char *name)
{
    const hpo_space *sp = t->rel_space;
    if (!sp || sp->n <= HPO_NAME_INDEX_FROM)
        return hpo__space_find(sp, name);
    for (int i = t->rel_index.cap ? sp->n : 0; i < sp->n; i++)
        if (hpo__name_index_put(&t->rel_index, sp->p[i].name, i)) {
            hpo__name_index_free(&t->rel_index);
            return hpo__space_find(sp, name);
        }
    return hpo__name_index_get(&t->rel_index, name);
}

static int relative_value(hpo_trial *t, const char *name, const hpo__dist *d,
                          double *out)
{
    int i = relative_index(t, name);
    if (i < 0 || isnan(t->rel_values[i]) ||
        !hpo__dist_compatible(&t->rel_space->p[i].dist, d))
        return 0;
    double v = t->rel_values[i];
    if (!hpo__dist_contains(d, v))
        v = hpo__dist_snap(d, v); /* bounds may differ from the declared ones */
    *out = v;
    return 1;
}

/* Refuse a distribution that conflicts with the one the study knows for
 * this name (caller holds the lock); remember it otherwise. */
static int check_known(hpo_study *s, hpo_trial *t, const char *name,
                       const hpo__dist *d)
{
    const hpo__param *k = hpo__rec_param(&s->known, name);
    if (!k)
        return hpo__rec_add_param(&s->known, name, d, 0) ? hpo__oom(&t->msg)
                                                          : HPO_OK;
    if (!hpo__dist_compatible(&k->dist, d))
        return hpo__fail(&t->msg, HPO_EINCOMPAT,
                         "parameter '%s' is used with another kind of "
                         "distribution in this study (kind, log scale, step "
                         "and choices must stay the same)",
                         name);
    return HPO_OK;
}

static int sample_locked(hpo_study *s, hpo_trial *t, const char *name,
                         const hpo__dist *d, double *out)
{
    int rc = check_known(s, t, name, d);
    if (rc)
        return rc;
    int fixed = fixed_value(t, name, d, out);
    if (fixed < 0)
        return fixed;
    if (fixed || relative_value(t, name, d, out))
        return HPO_OK;
    hpo_plugin_ctx ctx;
    hpo__ctx_start(&ctx, s, &t->rec, &t->rng, &t->msg);
    ctx.for_sampler = 1;
    s->sampling = t;
    rc = hpo__sampler_independent(&s->sampler, &ctx, name, d, out);
    s->sampling = NULL;
    hpo__ctx_end(&ctx, rc);
    if (rc == HPO_OK && !hpo__dist_contains(d, *out))
        *out = hpo__dist_snap(d, *out);
    return rc;
}

/* The common path of every suggest_*: validate, reuse, sample, store. */
static int suggest(hpo_trial *t, const char *name, const hpo__dist *d,
                   double *out)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    if (t->told)
        return hpo__fail(&t->msg, HPO_EFINISHED,
                         "trial %d is finished: suggest before telling",
                         t->rec.number);
    int rc = hpo__check_name(&t->msg, "parameter name", name);
    if (!rc)
        rc = hpo__dist_check(d, name, &t->msg);
    if (rc)
        return rc;
    const hpo__param *have = hpo__rec_param(&t->rec, name);
    if (have) {
        if (!hpo__dist_compatible(&have->dist, d))
            return hpo__fail(&t->msg, HPO_EINCOMPAT,
                             "parameter '%s' was suggested with another "
                             "distribution in this trial",
                             name);
        *out = have->internal;
        return HPO_OK;
    }
    hpo_study *s = t->study;
    pthread_mutex_lock(&s->lock);
    rc = sample_locked(s, t, name, d, out);
    pthread_mutex_unlock(&s->lock);
    if (rc)
        return rc;
    hpo__param p = {.name = (char *)name, .dist = *d, .internal = *out};
    rc = HPO__TRIAL_WRITE(t, hpo__st_set_param(s->storage, t->rec.id, &p));
    if (rc) {
        hpo__msg_set(&t->msg, hpo_storage_errmsg(s->storage));
        return rc;
    }
    return hpo__rec_add_param(&t->rec, name, d, *out) ? hpo__oom(&t->msg)
                                                      : HPO_OK;
}

int hpo_trial_suggest_float(hpo_trial *t, const char *name, double low,
                            double high, double step, int flags, double *out)
{
    hpo__dist d = {.kind = HPO__FLOAT, .low = low, .high = high, .step = step,
                   .log = !!(flags & HPO_LOG)};
    return suggest(t, name, &d, out);
}

int hpo_trial_suggest_int(hpo_trial *t, const char *name, int64_t low,
                          int64_t high, int64_t step, int flags, int64_t *out)
{
    hpo__dist d = {.kind = HPO__INT, .low = (double)low, .high = (double)high,
                   .step = step ? (double)step : 1, .log = !!(flags & HPO_LOG)};
    double v;
    int rc = suggest(t, name, &d, &v);
    if (rc == HPO_OK)
        *out = (int64_t)v;
    return rc;
}

typedef int (*add_categorical_fn)(hpo_space *, const char *,
                                  const char *const *, int);

static int suggest_categorical(hpo_trial *t, const char *name,
                               const char *const *choices, int n, int *index,
                               add_categorical_fn add)
{
    if (!t)
        return HPO_EMISUSE;
    hpo_space *tmp = hpo_space_new();
    if (!tmp)
        return hpo__oom(&t->msg);
    /* The space builder quotes the choices and checks them. */
    int rc = add(tmp, name ? name : "", choices, n);
    double v;
    if (rc)
        rc = hpo__fail(&t->msg, rc, "%s", hpo_space_errmsg(tmp));
    else
        rc = suggest(t, name, &tmp->p[0].dist, &v);
    hpo_space_free(tmp);
    if (rc == HPO_OK)
        *index = (int)v;
    return rc;
}

int hpo_trial_suggest_categorical(hpo_trial *t, const char *name,
                                  const char *const *choices, int n, int *index)
{
    return suggest_categorical(t, name, choices, n, index,
                               hpo_space_add_categorical);
}

int hpo_trial_suggest_categorical_json(hpo_trial *t, const char *name,
                                       const char *const *choices_json, int n,
                                       int *index)
{
    return suggest_categorical(t, name, choices_json, n, index,
                               hpo_space_add_categorical_json);
}

int hpo_trial_suggest_all(hpo_trial *t)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    const hpo_space *sp = t->study->space;
    if (!sp)
        return hpo__fail(&t->msg, HPO_EMISUSE,
                         "the study has no declared space (hpo_study_set_space)");
    double *chosen = malloc(((size_t)sp->n + 1) * sizeof *chosen);
    if (!chosen)
        return hpo__oom(&t->msg);
    int rc = HPO_OK;
    for (int i = 0; i < sp->n && rc == HPO_OK; i++) {
        chosen[i] = NAN;
        if (hpo__space_active(sp, i, chosen))
            rc = suggest(t, sp->p[i].name, &sp->p[i].dist, &chosen[i]);
    }
    free(chosen);
    return rc;
}

/* ---- intermediate values, pruning, attributes ---------------------------- */

/* Steps count resource spent, which never goes back.  A step reported
 * before keeps its first value (Optuna's rule: a warning, not an error);
 * a step below the highest one reported is refused, so that the last
 * report is always the highest step, which pruners and a PRUNED trial's
 * value read.  Returns 1 to ignore the report, else a status. */
static int check_step(hpo_trial *t, int64_t step, double value)
{
    int64_t top = -1;
    for (int i = 0; i < t->rec.n_inter; i++) {
        if (t->rec.inter[i].step == step) {
            hpo__study_log(t->study, 2, "trial %d: step %lld was reported "
                           "before; %g is ignored (the first value is kept)",
                           t->rec.number, (long long)step, value);
            return 1;
        }
        if (t->rec.inter[i].step > top)
            top = t->rec.inter[i].step;
    }
    if (step < top)
        return hpo__fail(&t->msg, HPO_EINVAL, "trial %d: step %lld after "
                         "step %lld: steps must not go back",
                         t->rec.number, (long long)step, (long long)top);
    return HPO_OK;
}

int hpo_trial_report(hpo_trial *t, int64_t step, double value)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    if (t->told)
        return hpo__fail(&t->msg, HPO_EFINISHED, "trial %d is finished",
                         t->rec.number);
    if (step < 0)
        return hpo__fail(&t->msg, HPO_EINVAL, "a step is >= 0 (got %lld)",
                         (long long)step);
    if (t->study->n_dirs != 1)
        return hpo__fail(&t->msg, HPO_EMISUSE,
                         "intermediate values need a single objective");
    int checked = check_step(t, step, value);
    if (checked != HPO_OK)
        return checked == 1 ? HPO_OK : checked;
    int added = hpo__rec_add_inter(&t->rec, step, value);
    if (added < 0)
        return hpo__oom(&t->msg);
    if (added == 0)
        return HPO_OK; /* the step was reported before: first value kept */
    int rc = HPO__TRIAL_WRITE(t, hpo__st_set_intermediate(t->study->storage,
                                                           t->rec.id, step,
                                                           value));
    if (rc)
        hpo__msg_set(&t->msg, hpo_storage_errmsg(t->study->storage));
    return rc;
}

int hpo_trial_should_prune(hpo_trial *t)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    hpo_study *s = t->study;
    pthread_mutex_lock(&s->lock);
    hpo_plugin_ctx ctx;
    hpo__ctx_start_pruner(&ctx, s, &t->rec, &t->msg);
    hpo_verdict verdict;
    int rc = hpo__pruner_should_prune(&s->pruner, &ctx, &verdict);
    hpo__ctx_end(&ctx, rc);
    pthread_mutex_unlock(&s->lock);
    return rc ? rc : (int)verdict;
}

int hpo_trial_set_user_attr(hpo_trial *t, const char *key, const char *json)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    int rc = hpo__check_attr(&t->msg, key, json);
    if (rc)
        return rc;
    rc = HPO__TRIAL_WRITE(t, hpo__st_set_trial_attr(t->study->storage,
                                                     t->rec.id, 0, key, json));
    if (rc)
        return hpo__fail(&t->msg, rc, "%s", hpo_storage_errmsg(t->study->storage));
    return hpo__attrs_set(&t->rec.user_attrs, key, json) ? hpo__oom(&t->msg)
                                                         : HPO_OK;
}

int hpo__trial_user_attr_at_tell(hpo_trial *t, const char *key,
                                 const char *json)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    if (t->told)
        return hpo__fail(&t->msg, HPO_EFINISHED,
                         "trial %d is finished: set attributes before telling",
                         t->rec.number);
    int rc = hpo__check_attr(&t->msg, key, json);
    if (!rc && (hpo__attrs_set(&t->at_tell, key, json) ||
                hpo__attrs_set(&t->rec.user_attrs, key, json)))
        rc = hpo__oom(&t->msg);
    return rc;
}

/* ---- accessors ------------------------------------------------------------- */

int hpo_trial_number(const hpo_trial *t)
{
    return t->rec.number;
}

hpo_trial_state hpo_trial_state_of(const hpo_trial *t)
{
    return t->rec.state;
}

int hpo_trial_n_values(const hpo_trial *t)
{
    return t->rec.n_values;
}

double hpo_trial_value(const hpo_trial *t, int i)
{
    return i >= 0 && i < t->rec.n_values ? t->rec.values[i] : NAN;
}

int hpo_trial_n_params(const hpo_trial *t)
{
    return t->rec.n_params;
}

const char *hpo_trial_param_name(const hpo_trial *t, int i)
{
    return i >= 0 && i < t->rec.n_params ? t->rec.params[i].name : NULL;
}

double hpo_trial_param_value(const hpo_trial *t, int i)
{
    return i >= 0 && i < t->rec.n_params ? t->rec.params[i].internal : NAN;
}

const char *hpo_trial_param_text(const hpo_trial *t, int i)
{
    if (i < 0 || i >= t->rec.n_params)
        return NULL;
    hpo_trial *w = (hpo_trial *)t; /* the text cache is not the trial's value */
    if (w->n_texts < t->rec.n_params) {
        char **texts = realloc(w->texts, (size_t)t->rec.n_params * sizeof *texts);
        if (!texts)
            return NULL;
        memset(texts + w->n_texts, 0,
               (size_t)(t->rec.n_params - w->n_texts) * sizeof *texts);
        w->texts = texts;
        w->n_texts = t->rec.n_params;
    }
    if (!w->texts[i]) { /* a choice may be long: never cut it */
        const hpo__param *p = &t->rec.params[i];
        size_t size = 64;
        if (p->dist.kind == HPO__CATEGORICAL && p->internal >= 0 &&
            p->internal < p->dist.n_choices)
            size += strlen(p->dist.choices[(int)p->internal]);
        if ((w->texts[i] = malloc(size)))
            hpo__dist_format(&p->dist, p->internal, w->texts[i], size);
    }
    return w->texts[i];
}

int hpo_trial_param(const hpo_trial *t, const char *name, double *value)
{
    const hpo__param *p = hpo__rec_param(&t->rec, name);
    if (p && value)
        *value = p->internal;
    return p != NULL;
}

int hpo_trial_param_index(const hpo_trial *t, const char *name)
{
    const hpo__param *p = name ? hpo__rec_param(&t->rec, name) : NULL;
    return p ? (int)(p - t->rec.params) : -1;
}

int hpo_trial_n_intermediate(const hpo_trial *t)
{
    return t->rec.n_inter;
}

void hpo_trial_intermediate(const hpo_trial *t, int i, int64_t *step,
                            double *value)
{
    if (i < 0 || i >= t->rec.n_inter)
        return;
    if (step)
        *step = t->rec.inter[i].step;
    if (value)
        *value = t->rec.inter[i].value;
}

const char *hpo_trial_user_attr(const hpo_trial *t, const char *key)
{
    return hpo__attrs_get(&t->rec.user_attrs, key);
}

const char *hpo_trial_system_attr(const hpo_trial *t, const char *key)
{
    return hpo__attrs_get(&t->rec.system_attrs, key);
}

double hpo_trial_start_time(const hpo_trial *t)
{
    return t->rec.start_s;
}

double hpo_trial_end_time(const hpo_trial *t)
{
    return t->rec.complete_s;
}

hpo_param_kind hpo_trial_param_kind(const hpo_trial *t, int i)
{
    if (i < 0 || i >= t->rec.n_params)
        return HPO_PARAM_FLOAT;
    return hpo_dist_kind(&t->rec.params[i].dist);
}

const char *hpo_trial_param_distribution(const hpo_trial *t, int i)
{
    if (i < 0 || i >= t->rec.n_params)
        return NULL;
    hpo_trial *w = (hpo_trial *)t;
    char *json = hpo__dist_to_json(&t->rec.params[i].dist);
    hpo__msg_set(&w->dist_text, json);
    free(json);
    return hpo__msg_get(&w->dist_text);
}

static const char *attr_at(const hpo__attrs *a, int i, const char **json)
{
    if (i < 0 || i >= a->n)
        return NULL;
    if (json)
        *json = a->v[i].json;
    return a->v[i].key;
}

const char *hpo_trial_user_attr_at(const hpo_trial *t, int i, const char **json)
{
    return attr_at(&t->rec.user_attrs, i, json);
}

const char *hpo_trial_system_attr_at(const hpo_trial *t, int i,
                                     const char **json)
{
    return attr_at(&t->rec.system_attrs, i, json);
}
