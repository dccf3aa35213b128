/*
 * registry.c — the one table of samplers, pruners and storages (as Lua's
 * linit.c), and the plug-ins a program registers beside them (as
 * sqlite3_vfs_register).  --sampler, --help, the docs and the contract
 * test all read it: adding an algorithm is one line here plus its own file.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../pruners/pruner.h"
#include "../samplers/sampler.h"
#include "../storage/storage.h"

static const hpo_sampler_type *const builtin_samplers[] = {
    &hpo__sampler_auto,
    &hpo__sampler_random,
    &hpo__sampler_grid,
    &hpo__sampler_qmc,
    &hpo__sampler_gp,
    &hpo__sampler_tpe,
    &hpo__sampler_rf,
    &hpo__sampler_harmonica,
    &hpo__sampler_rbf,
    &hpo__sampler_ga,
    &hpo__sampler_de,
    &hpo__sampler_nsga2,
    &hpo__sampler_nsga3,
    &hpo__sampler_cmaes,
    NULL,
};

static const hpo_pruner_type *const builtin_pruners[] = {
    &hpo__pruner_none,
    &hpo__pruner_median,
    &hpo__pruner_percentile,
    &hpo__pruner_threshold,
    &hpo__pruner_patient,
    &hpo__pruner_successive_halving,
    &hpo__pruner_hyperband,
    &hpo__pruner_bohb,
    &hpo__pruner_auto,
    &hpo__pruner_wilcoxon,
    NULL,
};

const hpo__storage_type *const hpo__storage_types[] = {
    &hpo__storage_memory,
#if HPO_HAVE_SQLITE
    &hpo__storage_sqlite,
#endif
#if HPO_HAVE_POSTGRES
    &hpo__storage_postgres,
    &hpo__storage_postgres_short,
#endif
    NULL,
};

/* Registered plug-ins: appended under the lock, never removed. */
#define MAX_REGISTERED 64
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const hpo_sampler_type *user_samplers[MAX_REGISTERED];
static const hpo_pruner_type *user_pruners[MAX_REGISTERED];
static int n_user_samplers, n_user_pruners;
static _Thread_local hpo__msg register_msg;

/* Both plug-in types start with their head, so lists of either are read
 * as lists of heads. */
static const hpo_plugin_head *at(const void *const *builtin,
                                 const void *const *user, int n_user, int i)
{
    int nb = 0;
    while (builtin[nb])
        nb++;
    if (i < 0)
        return NULL;
    if (i < nb)
        return builtin[i];
    return i - nb < n_user ? user[i - nb] : NULL;
}

/* Find name; the caller holds the lock. */
static const void *find(const void *const *builtin, const void *const *user,
                        int n_user, const char *name)
{
    const hpo_plugin_head *h;
    for (int i = 0; (h = at(builtin, user, n_user, i)); i++)
        if (strcmp(h->name, name) == 0)
            return h;
    return NULL;
}

#define SAMPLERS (const void *const *)builtin_samplers, \
                 (const void *const *)user_samplers, n_user_samplers
#define PRUNERS (const void *const *)builtin_pruners, \
                (const void *const *)user_pruners, n_user_pruners

const hpo_sampler_type *hpo_sampler_at(int i)
{
    pthread_mutex_lock(&lock);
    const void *t = at(SAMPLERS, i);
    pthread_mutex_unlock(&lock);
    return t;
}

const hpo_pruner_type *hpo_pruner_at(int i)
{
    pthread_mutex_lock(&lock);
    const void *t = at(PRUNERS, i);
    pthread_mutex_unlock(&lock);
    return t;
}

const hpo_sampler_type *hpo__sampler_lookup(const char *name)
{
    pthread_mutex_lock(&lock);
    const void *t = find(SAMPLERS, name);
    pthread_mutex_unlock(&lock);
    return t;
}

const hpo_pruner_type *hpo__pruner_lookup(const char *name)
{
    pthread_mutex_lock(&lock);
    const void *t = find(PRUNERS, name);
    pthread_mutex_unlock(&lock);
    return t;
}

/* What every plug-in's head must satisfy, built-in or registered. */
static int check_head(const hpo_plugin_head *h, int taken, hpo__msg *m)
{
    if (h->version != HPO_PLUGIN_VERSION)
        return hpo__fail(m, HPO_EINCOMPAT,
                         "plug-in '%s' is built for interface version %d, "
                         "this libhpo has %d",
                         h->name ? h->name : "?", h->version,
                         HPO_PLUGIN_VERSION);
    const char *c = h->name;
    for (; c && *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            break;
    if (!h->name || !*h->name || *c)
        return hpo__fail(m, HPO_EINVAL, "plug-in name '%s' is not [a-z0-9_]+",
                         h->name ? h->name : "");
    if (taken)
        return hpo__fail(m, HPO_EEXIST, "a plug-in named '%s' exists already",
                         h->name);
    return hpo__options_check_table(h, m);
}

static int check_pruner(const hpo_pruner_type *t, int taken, hpo__msg *m)
{
    int rc = check_head(&t->head, taken, m);
    if (rc == HPO_OK && !t->should_prune)
        rc = hpo__fail(m, HPO_EINVAL, "pruner '%s' has no should_prune",
                       t->head.name);
    return rc;
}

/* Append t to list under the lock, unless a check refuses it. */
static int add(const void **list, int *n, const void *t, int rc,
               const char *what)
{
    if (rc == HPO_OK && *n == MAX_REGISTERED)
        rc = hpo__fail(&register_msg, HPO_EINVAL, "at most %d registered %ss",
                       MAX_REGISTERED, what);
    if (rc == HPO_OK)
        list[(*n)++] = t;
    pthread_mutex_unlock(&lock);
    return rc;
}

int hpo_register_sampler(const hpo_sampler_type *t)
{
    if (!t)
        return hpo__fail(&register_msg, HPO_EINVAL, "no sampler type given");
    pthread_mutex_lock(&lock);
    int taken = t->head.name && find(SAMPLERS, t->head.name);
    int rc = check_head(&t->head, taken, &register_msg);
    return add((const void **)user_samplers, &n_user_samplers, t, rc,
               "sampler");
}

int hpo_register_pruner(const hpo_pruner_type *t)
{
    if (!t)
        return hpo__fail(&register_msg, HPO_EINVAL, "no pruner type given");
    pthread_mutex_lock(&lock);
    int taken = t->head.name && find(PRUNERS, t->head.name);
    int rc = check_pruner(t, taken, &register_msg);
    return add((const void **)user_pruners, &n_user_pruners, t, rc, "pruner");
}

const char *hpo_register_errmsg(void)
{
    return hpo__msg_get(&register_msg);
}

const char *hpo_sampler_name(int i, const char **summary)
{
    const hpo_sampler_type *t = hpo_sampler_at(i);
    if (t && summary)
        *summary = t->head.summary;
    return t ? t->head.name : NULL;
}

const char *hpo_pruner_name(int i, const char **summary)
{
    const hpo_pruner_type *t = hpo_pruner_at(i);
    if (t && summary)
        *summary = t->head.summary;
    return t ? t->head.name : NULL;
}
