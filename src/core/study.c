/*
 * study.c — a study's life: options, open (create or load), attributes,
 * and the read side (all trials, best trial, Pareto front).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "json.h"
#include "study.h"

#define SEED_ATTR "hpo:seed"

hpo_study *hpo_study_new(void)
{
    hpo_study *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    hpo__rec_init(&s->known);
    return s;
}

static void free_plugins(hpo_study *s)
{
    hpo__plugin_free(&s->sampler);
    hpo__plugin_free(&s->pruner);
}

void hpo_study_free(hpo_study *s)
{
    if (!s)
        return;
    hpo__liveness_shutdown(s);
    free_plugins(s);
    if (s->own_storage)
        hpo_storage_close(s->storage);
    hpo_space_free(s->space);
    hpo__list_free(&s->history);
    free(s->unfinished);
    hpo__rec_free(&s->known);
    hpo__attrs_free(&s->attr_cache);
    free(s->name);
    hpo__msg_free(&s->msg);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *hpo_study_errmsg(const hpo_study *s)
{
    return s ? hpo__msg_get(&s->msg) : "out of memory";
}

void hpo__study_vlog(hpo_study *s, int level, const char *fmt, va_list ap)
{
    if (!s->log)
        return;
    char *text = hpo__vasprintf(fmt, ap);
    if (text)
        s->log(level, text, s->log_data);
    free(text);
}

void hpo__study_log(hpo_study *s, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hpo__study_vlog(s, level, fmt, ap);
    va_end(ap);
}

int hpo__study_storage_fail(hpo_study *s, int rc)
{
    hpo__msg_set(&s->msg, hpo_storage_errmsg(s->storage));
    return rc;
}

#define NOT_OPEN_YET(s)                                                      \
    do {                                                                     \
        if ((s)->opened)                                                     \
            return hpo__fail(&(s)->msg, HPO_EMISUSE,                         \
                             "options are set before hpo_study_open");        \
    } while (0)

int hpo_study_set_storage(hpo_study *s, hpo_storage *storage)
{
    NOT_OPEN_YET(s);
    if (s->own_storage)
        hpo_storage_close(s->storage);
    s->storage = storage;
    s->own_storage = 0;
    return HPO_OK;
}

int hpo_study_add_direction(hpo_study *s, hpo_direction d)
{
    NOT_OPEN_YET(s);
    if (d != HPO_MINIMIZE && d != HPO_MAXIMIZE)
        return hpo__fail(&s->msg, HPO_EINVAL, "a direction is HPO_MINIMIZE or "
                                              "HPO_MAXIMIZE");
    if (s->n_dirs == HPO_MAX_OBJECTIVES)
        return hpo__fail(&s->msg, HPO_EINVAL, "at most %d objectives",
                         HPO_MAX_OBJECTIVES);
    s->dirs[s->n_dirs++] = d;
    return HPO_OK;
}

int hpo_study_set_sampler(hpo_study *s, const char *spec)
{
    NOT_OPEN_YET(s);
    hpo__plugin p;
    int rc = hpo__plugin_make_sampler(&p, spec, &s->msg);
    if (rc)
        return rc;
    hpo__plugin_free(&s->sampler);
    s->sampler = p;
    return HPO_OK;
}

int hpo_study_set_pruner(hpo_study *s, const char *spec)
{
    NOT_OPEN_YET(s);
    hpo__plugin p;
    int rc = hpo__plugin_make_pruner(&p, spec, &s->msg);
    if (rc)
        return rc;
    hpo__plugin_free(&s->pruner);
    s->pruner = p;
    return HPO_OK;
}

int hpo_study_set_seed(hpo_study *s, uint64_t seed)
{
    NOT_OPEN_YET(s);
    s->seed = seed;
    s->seeded = 1;
    return HPO_OK;
}

int hpo_study_set_space(hpo_study *s, const hpo_space *space)
{
    NOT_OPEN_YET(s);
    hpo_space *copy = calloc(1, sizeof *copy);
    if (!copy || hpo__space_copy(copy, space)) {
        hpo_space_free(copy);
        return hpo__oom(&s->msg);
    }
    hpo_space_free(s->space);
    s->space = copy;
    return HPO_OK;
}

int hpo_study_set_log(hpo_study *s, hpo_log_fn fn, void *data)
{
    s->log = fn;
    s->log_data = data;
    return HPO_OK;
}

/* Plug-ins made with defaults when the user chose none. */
static int default_plugins(hpo_study *s)
{
    int rc = HPO_OK;
    if (!s->sampler.head)
        rc = hpo_study_set_sampler(s, "auto");
    if (rc == HPO_OK && !s->pruner.head)
        rc = hpo_study_set_pruner(s, "none");
    return rc;
}

static int check_directions(hpo_study *s, const hpo__study_info *info)
{
    if (s->n_dirs == 0) {
        s->n_dirs = info->n_directions;
        memcpy(s->dirs, info->directions, sizeof s->dirs);
        return HPO_OK;
    }
    int same = s->n_dirs == info->n_directions &&
               !memcmp(s->dirs, info->directions,
                       (size_t)s->n_dirs * sizeof s->dirs[0]);
    if (!same)
        return hpo__fail(&s->msg, HPO_EINCOMPAT,
                         "study '%s' is stored with %d objective(s) (%s...), "
                         "not the directions given",
                         info->name, info->n_directions,
                         hpo_direction_name(info->directions[0]));
    return HPO_OK;
}

/* The study's seed: the user's, else the one stored with the study, else a
 * fresh one, stored at the first ask so every later worker shares it
 * (per-trial streams differ by trial number, so sharing a seed costs
 * nothing).  Reading a study never writes to it. */
static int read_seed(hpo_study *s)
{
    /* A failed read must not pass for "no seed stored", or the first ask
     * would store another one over it. */
    const char *stored;
    int rc = hpo__study_sys_attr_get(s, SEED_ATTR, &stored);
    if (rc)
        return rc;
    s->seed_stored = stored != NULL;
    if (!s->seeded && stored)
        s->seed = strtoull(stored, NULL, 10);
    else if (!s->seeded)
        s->seed = hpo__seed_from_os();
    return HPO_OK;
}

int hpo__study_store_seed(hpo_study *s)
{
    if (s->seed_stored)
        return HPO_OK;
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)s->seed);
    int rc = hpo__study_set_sys_attr(s, SEED_ATTR, text);
    s->seed_stored = rc == HPO_OK;
    return rc;
}

static int open_storage(hpo_study *s)
{
    if (s->storage)
        return HPO_OK;
    int rc = hpo_storage_open(&s->storage, "memory:");
    s->own_storage = 1;
    return rc;
}

/* Find the study or create it. */
static int find_or_create(hpo_study *s, const char *name, int flags)
{
    hpo__study_info info;
    int rc = hpo__st_find_study(s->storage, name, &info);
    if (rc == HPO_ENOTFOUND && (flags & HPO_OPEN_CREATE)) {
        if (s->n_dirs == 0)
            s->dirs[s->n_dirs++] = HPO_MINIMIZE;
        rc = hpo__st_create_study(s->storage, name, s->n_dirs, s->dirs, &s->id);
        if (rc == HPO_OK || rc != HPO_EEXIST || !(flags & HPO_OPEN_LOAD))
            return rc ? hpo__study_storage_fail(s, rc) : HPO_OK;
        /* Another worker created it between our look and our create. */
        rc = hpo__st_find_study(s->storage, name, &info);
    }
    if (rc == HPO_ENOTFOUND)
        return hpo__fail(&s->msg, rc, "no study named '%s'", name);
    if (rc)
        return hpo__study_storage_fail(s, rc);
    if (!(flags & HPO_OPEN_LOAD)) {
        hpo__study_info_free(&info, 1);
        return hpo__fail(&s->msg, HPO_EEXIST, "study '%s' already exists", name);
    }
    s->id = info.id;
    rc = check_directions(s, &info);
    hpo__study_info_free(&info, 1);
    return rc;
}

int hpo_study_open(hpo_study *s, const char *name, int flags)
{
    if (s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "the study is already open");
    if (!(flags & (HPO_OPEN_CREATE | HPO_OPEN_LOAD)))
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "hpo_study_open needs HPO_OPEN_CREATE and/or "
                         "HPO_OPEN_LOAD");
    /* Checked before the storage sees it: a refused name creates nothing. */
    int rc = hpo__check_name(&s->msg, "study name", name);
    /* Without its plug-ins (out of memory) the study must not open. */
    if (!rc)
        rc = default_plugins(s);
    if (rc)
        return rc;
    if ((rc = open_storage(s)))
        return hpo__study_storage_fail(s, rc);
    if ((rc = find_or_create(s, name, flags)) || (rc = read_seed(s)))
        return rc;
    if (!(s->name = hpo__strdup(name)))
        return hpo__oom(&s->msg);
    s->opened = 1;
    return HPO_OK;
}

const char *hpo_study_name(const hpo_study *s)
{
    return s->name;
}

int hpo_study_n_objectives(const hpo_study *s)
{
    return s->n_dirs;
}

hpo_direction hpo_study_direction(const hpo_study *s, int i)
{
    return i >= 0 && i < s->n_dirs ? s->dirs[i] : HPO_MINIMIZE;
}

void hpo_study_stop(hpo_study *s)
{
    atomic_store(&s->stop_requested, 1);
}

/* ---- attributes ---------------------------------------------------------- */

static int set_study_attr(hpo_study *s, int system, const char *key,
                          const char *json)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    int rc = hpo__check_attr(&s->msg, key, json);
    if (rc)
        return rc;
    rc = hpo__st_set_study_attr(s->storage, s->id, system, key, json);
    return rc ? hpo__study_storage_fail(s, rc) : HPO_OK;
}

/* Read the attributes into the study's cache (the caller holds the lock)
 * and find one: borrowed from the cache until the next read. */
static const char *read_attr_locked(hpo_study *s, int system, const char *key)
{
    hpo__attrs_free(&s->attr_cache);
    int rc = hpo__st_get_study_attrs(s->storage, s->id, system, &s->attr_cache);
    return rc ? NULL : hpo__attrs_get(&s->attr_cache, key);
}

static const char *study_attr(hpo_study *s, int system, const char *key)
{
    if (!s->opened)
        return NULL;
    pthread_mutex_lock(&s->lock);
    const char *v = read_attr_locked(s, system, key);
    pthread_mutex_unlock(&s->lock);
    return v;
}

/* As study_attr, but copied before the lock is released: the read that
 * another thread's read cannot invalidate. */
static char *study_attr_dup(hpo_study *s, int system, const char *key)
{
    if (!s->opened)
        return NULL;
    pthread_mutex_lock(&s->lock);
    const char *v = read_attr_locked(s, system, key);
    char *copy = v ? hpo__strdup(v) : NULL;
    pthread_mutex_unlock(&s->lock);
    return copy;
}

char *hpo_study_user_attr_dup(hpo_study *s, const char *key)
{
    return study_attr_dup(s, 0, key);
}

char *hpo_study_system_attr_dup(hpo_study *s, const char *key)
{
    return study_attr_dup(s, 1, key);
}

int hpo_study_set_user_attr(hpo_study *s, const char *key, const char *json)
{
    return set_study_attr(s, 0, key, json);
}

const char *hpo_study_user_attr(hpo_study *s, const char *key)
{
    return study_attr(s, 0, key);
}

int hpo_study_set_system_attr(hpo_study *s, const char *key, const char *json)
{
    return set_study_attr(s, 1, key, json);
}

const char *hpo_study_system_attr(hpo_study *s, const char *key)
{
    return study_attr(s, 1, key);
}

int hpo__study_set_sys_attr(hpo_study *s, const char *key, const char *json)
{
    return set_study_attr(s, 1, key, json);
}

/* Called by plug-ins under the lock, so it must not take it again.  The
 * cache is refreshed only after the storage call: expected_json may be a
 * value a plug-in borrowed from it. */
int hpo__study_sys_attr_cas(hpo_study *s, const char *key,
                            const char *expected_json, const char *new_json)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    int rc = hpo__check_attr(&s->msg, key, new_json);
    return rc ? rc : hpo__study_sys_attr_cas_built(s, key, expected_json,
                                                    new_json);
}

int hpo__study_sys_attr_cas_built(hpo_study *s, const char *key,
                                  const char *expected_json,
                                  const char *new_json)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    int rc = hpo__st_cas_study_sys_attr(s->storage, s->id, key, expected_json,
                                    new_json);
    if (rc < 0)
        return hpo__study_storage_fail(s, rc);
    if (rc == HPO_DONE) { /* a following read sees the winner's value */
        const char *winner;
        int read = hpo__study_sys_attr_get(s, key, &winner);
        if (read)
            return read;
    }
    return rc;
}

/* Called by samplers under the lock, so it must not take it again. */
int hpo__study_sys_attr_get(hpo_study *s, const char *key, const char **json)
{
    *json = NULL;
    hpo__attrs_free(&s->attr_cache);
    int rc = hpo__st_get_study_attrs(s->storage, s->id, 1, &s->attr_cache);
    if (rc)
        return hpo__study_storage_fail(s, rc);
    *json = hpo__attrs_get(&s->attr_cache, key);
    return HPO_OK;
}

/* ---- reading trials ------------------------------------------------------ */

int hpo__better(hpo_direction d, double a, double b)
{
    return d == HPO_MAXIMIZE ? a > b : a < b;
}

/* Run fn over a fresh copy of the history, under the lock. */
static int with_history(hpo_study *s, int (*fn)(hpo_study *, void *), void *arg)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    pthread_mutex_lock(&s->lock);
    int rc = hpo__history_refresh(s);
    if (rc == HPO_OK)
        rc = fn(s, arg);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

typedef struct trial_array {
    hpo_trial **v;
    int n;
    int pareto;      /* only the non-dominated COMPLETE trials */
    unsigned states; /* only trials in these states (bits 1 << state) */
} trial_array;

/* Does a dominate b (no worse in every objective, better in one)? */
static int dominates(const hpo_study *s, const hpo__trial_rec *a,
                     const hpo__trial_rec *b)
{
    int better = 0;
    for (int i = 0; i < s->n_dirs; i++) {
        if (hpo__better(s->dirs[i], b->values[i], a->values[i]))
            return 0;
        better |= hpo__better(s->dirs[i], a->values[i], b->values[i]);
    }
    return better;
}

/* A COMPLETE trial with every objective and its constraints satisfied:
 * what the best trial and the Pareto front are chosen from. */
static int rankable(const hpo_study *s, const hpo__trial_rec *t)
{
    return t->state == HPO_COMPLETE && t->n_values == s->n_dirs &&
           hpo__trial_violation(t) == 0;
}

static int on_front(const hpo_study *s, int k)
{
    const hpo__trial_rec *t = &s->history.v[k];
    if (!rankable(s, t))
        return 0;
    for (int j = 0; j < s->history.n; j++) {
        const hpo__trial_rec *o = &s->history.v[j];
        if (j != k && rankable(s, o) && dominates(s, o, t))
            return 0;
    }
    return 1;
}

#define UNFINISHED_STATES ((1u << HPO_RUNNING) | (1u << HPO_WAITING))

static int collect_one(hpo_study *s, trial_array *a, int k)
{
    if (!(a->states & (1u << s->history.v[k].state)) ||
        (a->pareto && !on_front(s, k)))
        return HPO_OK;
    if (!(a->v[a->n] = hpo__trial_from_rec(&s->history.v[k])))
        return hpo__oom(&s->msg);
    a->n++;
    return HPO_OK;
}

static int collect(hpo_study *s, void *arg)
{
    trial_array *a = arg;
    /* Only unfinished trials wanted: the cache lists them. */
    int few = !(a->states & ~UNFINISHED_STATES);
    int n = few ? s->n_unfinished : s->history.n;
    a->v = calloc((size_t)n + 1, sizeof *a->v);
    if (!a->v)
        return hpo__oom(&s->msg);
    int rc = HPO_OK;
    for (int i = 0; rc == HPO_OK && i < n; i++)
        rc = collect_one(s, a, few ? s->unfinished[i] : i);
    return rc;
}

/* What other parts of the library read of the whole history without
 * copying it (src/analysis: 100,000 trials are read in place). */
int hpo__study_with_history(hpo_study *s, int (*fn)(hpo_study *, void *),
                            void *arg)
{
    return with_history(s, fn, arg);
}

static int trial_array_get(hpo_study *s, int pareto, unsigned states,
                           hpo_trial ***out, int *n)
{
    trial_array a = {.pareto = pareto, .states = states};
    int rc = with_history(s, collect, &a);
    if (rc) {
        hpo_trials_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

static int count_states(hpo_study *s, void *arg)
{
    hpo__history_counts(s, arg);
    return HPO_OK;
}

int hpo_study_count_trials(hpo_study *s, int counts[5])
{
    return with_history(s, count_states, counts);
}

#define ALL_STATES 0x1fu

int hpo_study_trials(hpo_study *s, hpo_trial ***out, int *n)
{
    return trial_array_get(s, 0, ALL_STATES, out, n);
}

int hpo_study_trials_in(hpo_study *s, unsigned states, hpo_trial ***out,
                        int *n)
{
    return trial_array_get(s, 0, states & ALL_STATES, out, n);
}

int hpo_study_pareto_front(hpo_study *s, hpo_trial ***out, int *n)
{
    return trial_array_get(s, 1, ALL_STATES, out, n);
}

void hpo_trials_free(hpo_trial **trials, int n)
{
    for (int i = 0; trials && i < n; i++)
        hpo_trial_free(trials[i]);
    free(trials);
}

static int find_best(hpo_study *s, void *arg)
{
    const hpo__trial_rec *best = NULL;
    int complete = 0;
    for (int k = 0; k < s->history.n; k++) {
        const hpo__trial_rec *t = &s->history.v[k];
        complete += t->state == HPO_COMPLETE;
        if (rankable(s, t) && t->n_values == 1 &&
            (!best || hpo__better(s->dirs[0], t->values[0], best->values[0])))
            best = t;
    }
    if (!best && complete)
        return hpo__fail(&s->msg, HPO_ENOTFOUND,
                         "study '%s' has no feasible trial yet (%d COMPLETE, "
                         "each violating a constraint)", s->name, complete);
    if (!best)
        return hpo__fail(&s->msg, HPO_ENOTFOUND,
                         "study '%s' has no COMPLETE trial yet", s->name);
    hpo_trial **out = arg;
    return (*out = hpo__trial_from_rec(best)) ? HPO_OK : hpo__oom(&s->msg);
}

int hpo_study_best_trial(hpo_study *s, hpo_trial **out)
{
    *out = NULL;
    if (s->opened && s->n_dirs != 1)
        return hpo__fail(&s->msg, HPO_EMISUSE,
                         "study '%s' has %d objectives: use the Pareto front",
                         s->name, s->n_dirs);
    return with_history(s, find_best, out);
}

/* Listed from the same cache as study_attr; i = 0 refreshes it. */
const char *hpo_study_user_attr_at(hpo_study *s, int i, const char **json)
{
    if (!s->opened || i < 0)
        return NULL;
    pthread_mutex_lock(&s->lock);
    int rc = HPO_OK;
    if (i == 0) { /* a new listing: read what the storage holds now */
        hpo__attrs_free(&s->attr_cache);
        rc = hpo__st_get_study_attrs(s->storage, s->id, 0, &s->attr_cache);
    }
    const char *key = NULL;
    if (rc == HPO_OK && i < s->attr_cache.n) {
        key = s->attr_cache.v[i].key;
        if (json)
            *json = s->attr_cache.v[i].json;
    }
    pthread_mutex_unlock(&s->lock);
    return key;
}
