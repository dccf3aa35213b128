/*
 * storage.c — opening storages by URL, and the wrappers through which the
 * core calls a backend: they check arguments, so backends can trust them,
 * and keep each call's error on the storage handle.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage.h"

int hpo__storage_error(hpo_storage *st, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* Every message passes here, including the database's own text,
     * which may quote the URL: none may show a password. */
    char *text = hpo__scrub_secrets(hpo__vasprintf(fmt, ap), st->secrets);
    va_end(ap);
    hpo__msg_take(&st->msg, text);
    return code;
}

int hpo__storage_no_study(hpo_storage *st, int64_t id)
{
    return hpo__storage_error(st, HPO_ENOTFOUND, "no study with id %lld",
                              (long long)id);
}

int hpo__storage_no_trial(hpo_storage *st, int64_t id)
{
    return hpo__storage_error(st, HPO_ENOTFOUND, "no trial with id %lld",
                              (long long)id);
}

void hpo__study_info_free(hpo__study_info *infos, int n)
{
    if (!infos)
        return;
    for (int i = 0; i < n; i++)
        free(infos[i].name);
}

static const hpo__storage_type *find_type(const char *url, size_t scheme_len)
{
    for (int i = 0; hpo__storage_types[i]; i++) {
        const char *s = hpo__storage_types[i]->scheme;
        if (strlen(s) == scheme_len && strncmp(s, url, scheme_len) == 0)
            return hpo__storage_types[i];
    }
    return NULL;
}

/* Schemes known to hpo, compiled in or not, for a precise message. */
static int known_scheme(const char *url, size_t len)
{
    static const char *const all[] = {"memory", "sqlite", "postgresql",
                                      "postgres", NULL};
    for (int i = 0; all[i]; i++)
        if (strlen(all[i]) == len && strncmp(all[i], url, len) == 0)
            return 1;
    return 0;
}

int hpo_storage_open(hpo_storage **out, const char *url)
{
    hpo_storage *st = calloc(1, sizeof *st);
    *out = st;
    if (!st)
        return HPO_ENOMEM;
    /* No URL is not a request for memory: an unset $URL in a script would
     * run a whole study into storage that vanishes at exit. */
    if (!url || !*url)
        return hpo__storage_error(st, HPO_EINVAL, "empty storage URL (for "
                                  "a storage in memory, say memory:)");
    if (hpo__url_secrets(url, &st->secrets) != HPO_OK ||
        !(st->url = hpo__strdup(url)))
        return hpo__oom(&st->msg);
    const char *colon = strchr(url, ':');
    size_t len = colon ? (size_t)(colon - url) : strlen(url);
    st->type = find_type(url, len);
    if (!st->type && known_scheme(url, len))
        return hpo__storage_error(st, HPO_EUNSUPPORTED,
                                  "storage '%.*s' is not compiled into this "
                                  "build",
                                  (int)len, url);
    if (!st->type)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "unknown storage URL '%s' (expected "
                                  "memory:, sqlite:///FILE or "
                                  "postgresql://USER@HOST/DB)",
                                  url);
    if (!(st->state = calloc(1, st->type->state_size ? st->type->state_size : 1)))
        return hpo__oom(&st->msg);
    int rc = st->type->open(st, st->state, url);
    if (rc != HPO_OK) {
        free(st->state);
        st->state = NULL;
    }
    return rc;
}

void hpo_storage_close(hpo_storage *st)
{
    if (!st)
        return;
    if (st->state && st->type->close)
        st->type->close(st->state);
    free(st->state);
    free(st->url);
    hpo__secrets_free(st->secrets);
    hpo__msg_free(&st->msg);
    free(st);
}

const char *hpo_storage_errmsg(const hpo_storage *st)
{
    return st ? hpo__msg_get(&st->msg) : "out of memory";
}

/* The last guard before a backend: every name and text a storage keeps
 * is valid UTF-8 (PostgreSQL refuses the rest, Python cannot read it back)
 * and every name has 1 to HPO_MAX_NAME characters.  The library checks
 * these before it creates anything; this catches what slips past. */
static int text_refused(hpo_storage *st, const char *what, const char *text,
                        int is_name)
{
    hpo__msg m = {0};
    int rc = is_name ? hpo__check_name(&m, what, text)
                     : text ? hpo__check_text(&m, what, text) : HPO_OK;
    if (rc)
        hpo__storage_error(st, rc, "%s", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc;
}

static int attrs_refused(hpo_storage *st, const hpo__attrs *a)
{
    for (int i = 0; i < a->n; i++)
        if (text_refused(st, "attribute key", a->v[i].key, 1) ||
            text_refused(st, "attribute value", a->v[i].json, 0))
            return 1;
    return 0;
}

/* A new trial's names and text (a retry copies them from storage). */
static int rec_refused(hpo_storage *st, const hpo__trial_rec *r)
{
    for (int i = 0; i < r->n_params; i++)
        if (text_refused(st, "parameter name", r->params[i].name, 1))
            return 1;
    return attrs_refused(st, &r->user_attrs) ||
           attrs_refused(st, &r->system_attrs);
}

/* Every wrapper refuses a storage that failed to open. */
#define HPO__ST_READY(st)                                                   \
    do {                                                                    \
        if (!(st) || !(st)->state)                                          \
            return (st) ? hpo__storage_error(st, HPO_EMISUSE,               \
                                             "storage is not open")         \
                        : HPO_EINVAL;                                       \
    } while (0)

int hpo__st_create_study(hpo_storage *st, const char *name, int n_dirs,
                         const hpo_direction *dirs, int64_t *study_id)
{
    HPO__ST_READY(st);
    if (text_refused(st, "study name", name, 1))
        return HPO_EINVAL;
    if (n_dirs < 1 || n_dirs > HPO_MAX_OBJECTIVES)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "a study has 1 to %d objectives",
                                  HPO_MAX_OBJECTIVES);
    return st->type->create_study(st, st->state, name, n_dirs, dirs, study_id);
}

int hpo__st_find_study(hpo_storage *st, const char *name, hpo__study_info *info)
{
    HPO__ST_READY(st);
    memset(info, 0, sizeof *info);
    if (text_refused(st, "study name", name, 1)) /* PostgreSQL's error else */
        return HPO_EINVAL;
    return st->type->find_study(st, st->state, name, info);
}

int hpo__st_list_studies(hpo_storage *st, hpo__study_info **out, int *n)
{
    HPO__ST_READY(st);
    *out = NULL;
    *n = 0;
    return st->type->list_studies(st, st->state, out, n);
}

int hpo__st_delete_study(hpo_storage *st, int64_t study_id)
{
    HPO__ST_READY(st);
    return st->type->delete_study(st, st->state, study_id);
}

int hpo__st_set_study_attr(hpo_storage *st, int64_t study_id, int system,
                           const char *key, const char *json)
{
    HPO__ST_READY(st);
    if (text_refused(st, "attribute key", key, 1) ||
        text_refused(st, "attribute value", json, 0))
        return HPO_EINVAL;
    return st->type->set_study_attr(st, st->state, study_id, system, key, json);
}

int hpo__st_get_study_attrs(hpo_storage *st, int64_t study_id, int system,
                            hpo__attrs *out)
{
    HPO__ST_READY(st);
    return st->type->get_study_attrs(st, st->state, study_id, system, out);
}

int hpo__st_create_trial(hpo_storage *st, int64_t study_id,
                         const hpo__trial_rec *tmpl, int64_t *trial_id,
                         int *number)
{
    HPO__ST_READY(st);
    if ((unsigned)tmpl->state > HPO_WAITING)
        return hpo__storage_error(st, HPO_EINVAL, "unknown trial state %d",
                                  (int)tmpl->state);
    if (tmpl->state == HPO_COMPLETE && tmpl->n_values < 1)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "a COMPLETE trial needs its values");
    for (int i = 0; i < tmpl->n_values; i++)
        if (isnan(tmpl->values[i]))
            return hpo__storage_error(st, HPO_EINVAL,
                                      "NaN is never stored as a value");
    if (rec_refused(st, tmpl))
        return HPO_EINVAL;
    return st->type->create_trial(st, st->state, study_id, tmpl, trial_id,
                                  number);
}

int hpo__st_claim_waiting_beat(hpo_storage *st, int64_t study_id, int beat,
                               int64_t *trial_id)
{
    HPO__ST_READY(st);
    return st->type->claim_waiting(st, st->state, study_id, beat, trial_id);
}

int hpo__st_claim_waiting(hpo_storage *st, int64_t study_id, int64_t *trial_id)
{
    return hpo__st_claim_waiting_beat(st, study_id, 0, trial_id);
}

int hpo__st_claim_trial(hpo_storage *st, int64_t trial_id, int beat)
{
    HPO__ST_READY(st);
    if (st->type->version < 2 || !st->type->claim_trial)
        return hpo__storage_error(st, HPO_EUNSUPPORTED,
                                  "this storage cannot claim a given trial");
    return st->type->claim_trial(st, st->state, trial_id, beat);
}

int hpo__st_cas_study_sys_attr(hpo_storage *st, int64_t study_id,
                               const char *key, const char *expected_json,
                               const char *new_json)
{
    HPO__ST_READY(st);
    if (st->type->version < 3 || !st->type->cas_study_sys_attr)
        return hpo__storage_error(st, HPO_EUNSUPPORTED,
                                  "this storage cannot compare-and-set an "
                                  "attribute");
    if (!new_json)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "compare-and-set needs a new value");
    if (text_refused(st, "attribute key", key, 1) ||
        text_refused(st, "attribute value", new_json, 0) ||
        text_refused(st, "expected attribute value", expected_json, 0))
        return HPO_EINVAL;
    return st->type->cas_study_sys_attr(st, st->state, study_id, key,
                                        expected_json, new_json);
}

int hpo__st_set_param(hpo_storage *st, int64_t trial_id, const hpo__param *p)
{
    HPO__ST_READY(st);
    if (text_refused(st, "parameter name", p->name, 1))
        return HPO_EINVAL;
    return st->type->set_param(st, st->state, trial_id, p);
}

int hpo__st_set_intermediate(hpo_storage *st, int64_t trial_id, int64_t step,
                             double value)
{
    HPO__ST_READY(st);
    return st->type->set_intermediate(st, st->state, trial_id, step, value);
}

int hpo__st_set_trial_attr(hpo_storage *st, int64_t trial_id, int system,
                           const char *key, const char *json)
{
    HPO__ST_READY(st);
    if (text_refused(st, "attribute key", key, 1) ||
        text_refused(st, "attribute value", json, 0))
        return HPO_EINVAL;
    return st->type->set_trial_attr(st, st->state, trial_id, system, key, json);
}

/* A final state and its values, checked before any backend sees them. */
static int finish_refused(hpo_storage *st, hpo_trial_state final_state, int n,
                          const double *values)
{
    if (!hpo__state_finished(final_state))
        return hpo__storage_error(st, HPO_EINVAL,
                                  "a trial finishes COMPLETE, PRUNED or FAIL");
    for (int i = 0; i < n; i++)
        if (isnan(values[i]))
            return hpo__storage_error(st, HPO_EINVAL,
                                      "NaN is never stored as a value");
    return HPO_OK;
}

int hpo__st_finish_trial(hpo_storage *st, int64_t trial_id,
                         hpo_trial_state final_state, int n,
                         const double *values)
{
    HPO__ST_READY(st);
    int rc = finish_refused(st, final_state, n, values);
    return rc ? rc
              : st->type->finish_trial(st, st->state, trial_id, final_state, n,
                                       values);
}

int hpo__st_finish_trial_attrs(hpo_storage *st, int64_t trial_id,
                               hpo_trial_state final_state, int n,
                               const double *values, const hpo__attrs *attrs)
{
    HPO__ST_READY(st);
    if (!attrs || attrs->n == 0)
        return hpo__st_finish_trial(st, trial_id, final_state, n, values);
    for (int i = 0; i < attrs->n; i++)
        if (text_refused(st, "attribute key", attrs->v[i].key, 1) ||
            text_refused(st, "attribute value", attrs->v[i].json, 0))
            return HPO_EINVAL;
    int rc = finish_refused(st, final_state, n, values);
    if (rc)
        return rc;
    if (st->type->version >= 4 && st->type->finish_trial_attrs)
        return st->type->finish_trial_attrs(st, st->state, trial_id,
                                            final_state, n, values, attrs);
    for (int i = 0; i < attrs->n; i++) /* one write each, then the finish */
        if ((rc = st->type->set_trial_attr(st, st->state, trial_id, 0,
                                           attrs->v[i].key,
                                           attrs->v[i].json)) != HPO_OK)
            return rc;
    return st->type->finish_trial(st, st->state, trial_id, final_state, n,
                                  values);
}

int hpo__st_create_trials(hpo_storage *st, int64_t study_id,
                          const hpo__trial_rec *tmpls, int n,
                          int64_t *trial_ids, int *numbers)
{
    HPO__ST_READY(st);
    for (int i = 0; i < n; i++)
        trial_ids[i] = 0;
    if (st->type->version >= 4 && st->type->create_trials)
        return st->type->create_trials(st, st->state, study_id, tmpls, n,
                                       trial_ids, numbers);
    for (int i = 0; i < n; i++) {
        int rc = hpo__st_create_trial(st, study_id, &tmpls[i], &trial_ids[i],
                                      &numbers[i]);
        if (rc != HPO_OK) {
            trial_ids[i] = 0;
            return rc;
        }
    }
    return HPO_OK;
}

int hpo__st_get_trial(hpo_storage *st, int64_t trial_id, hpo__trial_rec *out)
{
    HPO__ST_READY(st);
    hpo__rec_init(out);
    return st->type->get_trial(st, st->state, trial_id, out);
}

int hpo__st_get_trials(hpo_storage *st, int64_t study_id, int64_t min_trial_id,
                       hpo__trial_list *out)
{
    HPO__ST_READY(st);
    return st->type->get_trials(st, st->state, study_id, min_trial_id, out);
}

int hpo__st_count_trials(hpo_storage *st, int64_t study_id, int *n)
{
    HPO__ST_READY(st);
    return st->type->count_trials(st, st->state, study_id, n);
}

int hpo__st_heartbeat(hpo_storage *st, int64_t trial_id)
{
    HPO__ST_READY(st);
    if (!st->type->heartbeat)
        return HPO_OK; /* nothing to record: in-process workers cannot die alone */
    return st->type->heartbeat(st, st->state, trial_id);
}

int hpo__st_stale_trials(hpo_storage *st, int64_t study_id, double grace_s,
                         int64_t **ids, int *n)
{
    HPO__ST_READY(st);
    *ids = NULL;
    *n = 0;
    if (!st->type->stale_trials)
        return HPO_OK;
    return st->type->stale_trials(st, st->state, study_id, grace_s, ids, n);
}

/* ---- the public listing and deletion of studies -------------------------- */

int hpo_storage_studies(hpo_storage *st, hpo_study_summary **out, int *n)
{
    *out = NULL;
    *n = 0;
    hpo__study_info *infos;
    int count;
    int rc = hpo__st_list_studies(st, &infos, &count);
    if (rc)
        return rc;
    hpo_study_summary *list = calloc((size_t)count + 1, sizeof *list);
    if (!list) {
        hpo__study_info_free(infos, count);
        free(infos);
        return hpo__oom(&st->msg);
    }
    for (int i = 0; i < count; i++) {
        list[i].name = infos[i].name; /* moved */
        list[i].n_objectives = infos[i].n_directions;
        memcpy(list[i].directions, infos[i].directions,
               sizeof list[i].directions);
        list[i].n_trials = infos[i].n_trials;
    }
    free(infos);
    *out = list;
    *n = count;
    return HPO_OK;
}

void hpo_study_summaries_free(hpo_study_summary *list, int n)
{
    for (int i = 0; list && i < n; i++)
        free(list[i].name);
    free(list);
}

int hpo_storage_delete_study(hpo_storage *st, const char *name)
{
    hpo__study_info info;
    int rc = hpo__st_find_study(st, name ? name : "", &info);
    if (rc)
        return rc;
    rc = hpo__st_delete_study(st, info.id);
    hpo__study_info_free(&info, 1);
    return rc;
}
