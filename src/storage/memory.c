/*
 * memory.c — the in-memory storage: studies and trials in arrays behind
 * one mutex.  The default for the library; gone when the process ends.
 * Trial ids index one storage-wide array, as Optuna's autoincrement ids do.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "storage.h"

typedef struct mem_study {
    int64_t id;
    char *name;
    int deleted;
    int n_dirs;
    hpo_direction dirs[HPO_MAX_OBJECTIVES];
    hpo__attrs user_attrs, system_attrs;
    int n_trials, cap_trials;
    int64_t *trials; /* trial ids, by number */
    int n_waiting;     /* so that asking does not scan every trial */
    int first_waiting; /* no WAITING trial has a smaller number */
} mem_study;

typedef struct mem_state {
    pthread_mutex_t lock;
    int n_studies, cap_studies;
    mem_study *studies;
    int n_trials, cap_trials;
    hpo__trial_rec **trials; /* by id - 1 */
    int64_t *trial_study;    /* study id of each trial */
} mem_state;

static int mem_open(hpo_storage *st, void *state, const char *url)
{
    mem_state *m = state;
    if (strcmp(url, "memory:") && strcmp(url, "memory") && strcmp(url, "memory://"))
        return hpo__storage_error(st, HPO_EINVAL,
                                  "memory storage takes no path: use 'memory:'");
    pthread_mutex_init(&m->lock, NULL);
    return HPO_OK;
}

static void mem_close(void *state)
{
    mem_state *m = state;
    for (int i = 0; i < m->n_studies; i++) {
        free(m->studies[i].name);
        hpo__attrs_free(&m->studies[i].user_attrs);
        hpo__attrs_free(&m->studies[i].system_attrs);
        free(m->studies[i].trials);
    }
    free(m->studies);
    for (int i = 0; i < m->n_trials; i++) {
        hpo__rec_free(m->trials[i]);
        free(m->trials[i]);
    }
    free(m->trials);
    free(m->trial_study);
    pthread_mutex_destroy(&m->lock);
}

/* Lookups; callers hold the lock. */
static mem_study *study_by_id(mem_state *m, int64_t id)
{
    if (id < 1 || id > m->n_studies || m->studies[id - 1].deleted)
        return NULL;
    return &m->studies[id - 1];
}

static mem_study *study_by_name(mem_state *m, const char *name)
{
    for (int i = 0; i < m->n_studies; i++)
        if (!m->studies[i].deleted && strcmp(m->studies[i].name, name) == 0)
            return &m->studies[i];
    return NULL;
}

static hpo__trial_rec *trial_by_id(mem_state *m, int64_t id)
{
    if (id < 1 || id > m->n_trials || !study_by_id(m, m->trial_study[id - 1]))
        return NULL;
    return m->trials[id - 1];
}

/* Every method runs through here; the record helpers (hpo__attrs_set,
 * hpo__rec_copy, ...) return HPO_ENOMEM bare, and get their message here. */
#define LOCKED(m, expr)                                                  \
    do {                                                                 \
        pthread_mutex_lock(&(m)->lock);                                  \
        int locked_rc_ = (expr);                                         \
        pthread_mutex_unlock(&(m)->lock);                                \
        return locked_rc_ == HPO_ENOMEM ? hpo__oom(&st->msg) : locked_rc_; \
    } while (0)


static int create_study_locked(hpo_storage *st, mem_state *m, const char *name,
                               int n_dirs, const hpo_direction *dirs,
                               int64_t *id)
{
    if (study_by_name(m, name))
        return hpo__storage_error(st, HPO_EEXIST, "study '%s' already exists",
                                  name);
    if (hpo__grow((void **)&m->studies, &m->cap_studies, m->n_studies + 1,
                  sizeof *m->studies))
        return hpo__oom(&st->msg);
    mem_study *s = &m->studies[m->n_studies];
    memset(s, 0, sizeof *s);
    if (!(s->name = hpo__strdup(name)))
        return hpo__oom(&st->msg);
    s->id = ++m->n_studies;
    s->n_dirs = n_dirs;
    memcpy(s->dirs, dirs, (size_t)n_dirs * sizeof *dirs);
    *id = s->id;
    return HPO_OK;
}

static int mem_create_study(hpo_storage *st, void *state, const char *name,
                            int n_dirs, const hpo_direction *dirs, int64_t *id)
{
    mem_state *m = state;
    LOCKED(m, create_study_locked(st, m, name, n_dirs, dirs, id));
}

static int fill_info(const mem_study *s, hpo__study_info *info)
{
    info->id = s->id;
    info->name = hpo__strdup(s->name);
    info->n_directions = s->n_dirs;
    memcpy(info->directions, s->dirs, sizeof s->dirs);
    info->n_trials = s->n_trials;
    return info->name ? HPO_OK : HPO_ENOMEM;
}

static int find_locked(hpo_storage *st, mem_state *m, const char *name,
                       hpo__study_info *info)
{
    mem_study *s = study_by_name(m, name);
    if (!s)
        return hpo__storage_error(st, HPO_ENOTFOUND, "no study named '%s'", name);
    return fill_info(s, info);
}

static int mem_find_study(hpo_storage *st, void *state, const char *name,
                          hpo__study_info *info)
{
    mem_state *m = state;
    LOCKED(m, find_locked(st, m, name, info));
}

static int list_locked(mem_state *m, hpo__study_info **out, int *n)
{
    *out = calloc((size_t)m->n_studies + 1, sizeof **out);
    if (!*out)
        return HPO_ENOMEM;
    for (int i = 0; i < m->n_studies; i++)
        if (!m->studies[i].deleted && fill_info(&m->studies[i], &(*out)[(*n)++]))
            return HPO_ENOMEM;
    return HPO_OK;
}

static int mem_list_studies(hpo_storage *st, void *state, hpo__study_info **out,
                            int *n)
{
    mem_state *m = state;
    LOCKED(m, list_locked(m, out, n));
}

static int delete_locked(hpo_storage *st, mem_state *m, int64_t id)
{
    mem_study *s = study_by_id(m, id);
    if (!s)
        return hpo__storage_no_study(st, id);
    s->deleted = 1;
    return HPO_OK;
}

static int mem_delete_study(hpo_storage *st, void *state, int64_t id)
{
    mem_state *m = state;
    LOCKED(m, delete_locked(st, m, id));
}

static int set_study_attr_locked(hpo_storage *st, mem_state *m, int64_t id,
                                 int system, const char *key, const char *json)
{
    mem_study *s = study_by_id(m, id);
    if (!s)
        return hpo__storage_no_study(st, id);
    return hpo__attrs_set(system ? &s->system_attrs : &s->user_attrs, key, json);
}

static int mem_set_study_attr(hpo_storage *st, void *state, int64_t id,
                              int system, const char *key, const char *json)
{
    mem_state *m = state;
    LOCKED(m, set_study_attr_locked(st, m, id, system, key, json));
}

static int cas_study_attr_locked(hpo_storage *st, mem_state *m, int64_t id,
                                 const char *key, const char *expected,
                                 const char *json)
{
    mem_study *s = study_by_id(m, id);
    if (!s)
        return hpo__storage_no_study(st, id);
    const char *now = hpo__attrs_get(&s->system_attrs, key);
    if (expected ? !now || strcmp(now, expected) : now != NULL)
        return HPO_DONE;
    return hpo__attrs_set(&s->system_attrs, key, json);
}

static int mem_cas_study_sys_attr(hpo_storage *st, void *state, int64_t id,
                                  const char *key, const char *expected,
                                  const char *json)
{
    mem_state *m = state;
    LOCKED(m, cas_study_attr_locked(st, m, id, key, expected, json));
}

static int get_study_attrs_locked(hpo_storage *st, mem_state *m, int64_t id,
                                  int system, hpo__attrs *out)
{
    mem_study *s = study_by_id(m, id);
    if (!s)
        return hpo__storage_no_study(st, id);
    return hpo__attrs_copy(out, system ? &s->system_attrs : &s->user_attrs);
}

static int mem_get_study_attrs(hpo_storage *st, void *state, int64_t id,
                               int system, hpo__attrs *out)
{
    mem_state *m = state;
    LOCKED(m, get_study_attrs_locked(st, m, id, system, out));
}

static int create_trial_locked(hpo_storage *st, mem_state *m, int64_t study_id,
                               const hpo__trial_rec *tmpl, int64_t *trial_id,
                               int *number)
{
    mem_study *s = study_by_id(m, study_id);
    if (!s)
        return hpo__storage_no_study(st, study_id);
    if (hpo__grow((void **)&s->trials, &s->cap_trials, s->n_trials + 1,
                  sizeof *s->trials))
        return hpo__oom(&st->msg);
    /* Both arrays grow from the same capacity, so they stay the same size. */
    int cap_a = m->cap_trials, cap_b = m->cap_trials;
    int grown = hpo__grow((void **)&m->trials, &cap_a, m->n_trials + 1,
                          sizeof *m->trials);
    if (!grown)
        grown = hpo__grow((void **)&m->trial_study, &cap_b, m->n_trials + 1,
                          sizeof *m->trial_study);
    if (grown)
        return hpo__oom(&st->msg);
    m->cap_trials = cap_a;
    hpo__trial_rec *r = malloc(sizeof *r);
    if (!r || hpo__rec_copy(r, tmpl)) {
        free(r);
        return hpo__oom(&st->msg);
    }
    r->id = m->n_trials + 1;
    r->number = s->n_trials;
    if (r->state == HPO_RUNNING && r->start_s != r->start_s)
        r->start_s = hpo__now();
    m->trials[m->n_trials] = r;
    m->trial_study[m->n_trials] = study_id;
    m->n_trials++;
    if (r->state == HPO_WAITING && s->n_waiting++ == 0)
        s->first_waiting = s->n_trials;
    s->trials[s->n_trials++] = r->id;
    *trial_id = r->id;
    *number = r->number;
    return HPO_OK;
}

static int mem_create_trial(hpo_storage *st, void *state, int64_t study_id,
                            const hpo__trial_rec *tmpl, int64_t *trial_id,
                            int *number)
{
    mem_state *m = state;
    LOCKED(m, create_trial_locked(st, m, study_id, tmpl, trial_id, number));
}

static int claim_locked(hpo_storage *st, mem_state *m, int64_t study_id,
                        int64_t *trial_id)
{
    mem_study *s = study_by_id(m, study_id);
    if (!s)
        return hpo__storage_no_study(st, study_id);
    if (s->n_waiting == 0)
        return HPO_DONE;
    for (int i = s->first_waiting; i < s->n_trials; i++) {
        hpo__trial_rec *r = m->trials[s->trials[i] - 1];
        if (r->state == HPO_WAITING) {
            r->state = HPO_RUNNING;
            r->start_s = hpo__now();
            s->n_waiting--;
            s->first_waiting = i + 1;
            *trial_id = r->id;
            return HPO_OK;
        }
    }
    return HPO_DONE;
}

/* `beat` is for backends with heartbeats: memory has none. */
static int mem_claim_waiting(hpo_storage *st, void *state, int64_t study_id,
                             int beat, int64_t *trial_id)
{
    mem_state *m = state;
    (void)beat;
    LOCKED(m, claim_locked(st, m, study_id, trial_id));
}

static int claim_trial_locked(hpo_storage *st, mem_state *m, int64_t id)
{
    hpo__trial_rec *r = trial_by_id(m, id);
    if (!r)
        return hpo__storage_no_trial(st, id);
    if (r->state != HPO_WAITING)
        return HPO_DONE;
    r->state = HPO_RUNNING;
    r->start_s = hpo__now();
    study_by_id(m, m->trial_study[id - 1])->n_waiting--;
    return HPO_OK;
}

static int mem_claim_trial(hpo_storage *st, void *state, int64_t id, int beat)
{
    mem_state *m = state;
    (void)beat; /* no heartbeats in memory */
    LOCKED(m, claim_trial_locked(st, m, id));
}

/* A trial that may still change: exists and is not finished. */
static int open_trial(hpo_storage *st, mem_state *m, int64_t id,
                      hpo__trial_rec **out)
{
    hpo__trial_rec *r = trial_by_id(m, id);
    if (!r)
        return hpo__storage_no_trial(st, id);
    if (hpo__state_finished(r->state))
        return hpo__storage_error(st, HPO_EFINISHED,
                                  "trial %d is already finished (%s)", r->number,
                                  hpo_state_name(r->state));
    *out = r;
    return HPO_OK;
}

static int set_param_locked(hpo_storage *st, mem_state *m, int64_t id,
                            const hpo__param *p)
{
    hpo__trial_rec *r = NULL;
    int rc = open_trial(st, m, id, &r);
    return rc ? rc : hpo__rec_add_param(r, p->name, &p->dist, p->internal);
}

static int mem_set_param(hpo_storage *st, void *state, int64_t id,
                         const hpo__param *p)
{
    mem_state *m = state;
    LOCKED(m, set_param_locked(st, m, id, p));
}

static int set_inter_locked(hpo_storage *st, mem_state *m, int64_t id,
                            int64_t step, double value)
{
    hpo__trial_rec *r = NULL;
    int rc = open_trial(st, m, id, &r);
    if (rc)
        return rc;
    rc = hpo__rec_add_inter(r, step, value);
    return rc < 0 ? rc : HPO_OK;
}

static int mem_set_intermediate(hpo_storage *st, void *state, int64_t id,
                                int64_t step, double value)
{
    mem_state *m = state;
    LOCKED(m, set_inter_locked(st, m, id, step, value));
}

static int set_trial_attr_locked(hpo_storage *st, mem_state *m, int64_t id,
                                 int system, const char *key, const char *json)
{
    hpo__trial_rec *r = NULL;
    int rc = open_trial(st, m, id, &r);
    return rc ? rc
              : hpo__attrs_set(system ? &r->system_attrs : &r->user_attrs, key,
                               json);
}

static int mem_set_trial_attr(hpo_storage *st, void *state, int64_t id,
                              int system, const char *key, const char *json)
{
    mem_state *m = state;
    LOCKED(m, set_trial_attr_locked(st, m, id, system, key, json));
}

static int finish_locked(hpo_storage *st, mem_state *m, int64_t id,
                         hpo_trial_state final_state, int n,
                         const double *values)
{
    hpo__trial_rec *r = NULL;
    int rc = open_trial(st, m, id, &r);
    if (rc || (rc = hpo__rec_set_values(r, n, values)))
        return rc;
    r->state = final_state;
    r->complete_s = hpo__now();
    return HPO_OK;
}

static int mem_finish_trial(hpo_storage *st, void *state, int64_t id,
                            hpo_trial_state final_state, int n,
                            const double *values)
{
    mem_state *m = state;
    LOCKED(m, finish_locked(st, m, id, final_state, n, values));
}

static int get_trial_locked(hpo_storage *st, mem_state *m, int64_t id,
                            hpo__trial_rec *out)
{
    hpo__trial_rec *r = trial_by_id(m, id);
    return r ? hpo__rec_copy(out, r) : hpo__storage_no_trial(st, id);
}

static int mem_get_trial(hpo_storage *st, void *state, int64_t id,
                         hpo__trial_rec *out)
{
    mem_state *m = state;
    LOCKED(m, get_trial_locked(st, m, id, out));
}

static int get_trials_locked(hpo_storage *st, mem_state *m, int64_t study_id,
                             int64_t min_id, hpo__trial_list *out)
{
    mem_study *s = study_by_id(m, study_id);
    if (!s)
        return hpo__storage_no_study(st, study_id);
    /* Ids grow with numbers: the first one >= min_id by bisection, so that
     * a refresh costs the trials it returns, not the study's size. */
    int lo = 0, hi = s->n_trials;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->trials[mid] < min_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < s->n_trials; i++) {
        hpo__trial_rec *slot = hpo__list_push(out);
        if (!slot || hpo__rec_copy(slot, m->trials[s->trials[i] - 1])) {
            if (slot)
                out->n--;
            return hpo__oom(&st->msg);
        }
    }
    return HPO_OK;
}

static int mem_get_trials(hpo_storage *st, void *state, int64_t study_id,
                          int64_t min_id, hpo__trial_list *out)
{
    mem_state *m = state;
    LOCKED(m, get_trials_locked(st, m, study_id, min_id, out));
}

static int count_locked(hpo_storage *st, mem_state *m, int64_t study_id, int *n)
{
    mem_study *s = study_by_id(m, study_id);
    if (!s)
        return hpo__storage_no_study(st, study_id);
    *n = s->n_trials;
    return HPO_OK;
}

static int mem_count_trials(hpo_storage *st, void *state, int64_t study_id,
                            int *n)
{
    mem_state *m = state;
    LOCKED(m, count_locked(st, m, study_id, n));
}

const hpo__storage_type hpo__storage_memory = {
    .version = HPO__STORAGE_VERSION,
    .scheme = "memory",
    .state_size = sizeof(mem_state),
    .open = mem_open,
    .close = mem_close,
    .create_study = mem_create_study,
    .find_study = mem_find_study,
    .list_studies = mem_list_studies,
    .delete_study = mem_delete_study,
    .set_study_attr = mem_set_study_attr,
    .get_study_attrs = mem_get_study_attrs,
    .create_trial = mem_create_trial,
    .claim_waiting = mem_claim_waiting,
    .set_param = mem_set_param,
    .set_intermediate = mem_set_intermediate,
    .set_trial_attr = mem_set_trial_attr,
    .finish_trial = mem_finish_trial,
    .get_trial = mem_get_trial,
    .get_trials = mem_get_trials,
    .count_trials = mem_count_trials,
    .claim_trial = mem_claim_trial,
    .cas_study_sys_attr = mem_cas_study_sys_attr,
};
