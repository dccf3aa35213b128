/*
 * registry.c — the one table of samplers, pruners and storages (as Lua's
 * linit.c).  --sampler, --help, the docs and the contract test all read it:
 * adding an algorithm is one line here plus its own file.
 */
#include <string.h>

#include "../pruners/pruner.h"
#include "../samplers/sampler.h"
#include "../storage/storage.h"

const hpo__sampler_type *const hpo__sampler_types[] = {
    &hpo__sampler_auto,
    &hpo__sampler_random,
    &hpo__sampler_grid,
    &hpo__sampler_qmc,
    &hpo__sampler_gp,
    &hpo__sampler_tpe,
    &hpo__sampler_rf,
    NULL,
};

const hpo__pruner_type *const hpo__pruner_types[] = {
    &hpo__pruner_none,
    &hpo__pruner_median,
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

const hpo__sampler_type *hpo__sampler_find(const char *name)
{
    for (int i = 0; hpo__sampler_types[i]; i++)
        if (strcmp(hpo__sampler_types[i]->name, name) == 0)
            return hpo__sampler_types[i];
    return NULL;
}

const hpo__pruner_type *hpo__pruner_find(const char *name)
{
    for (int i = 0; hpo__pruner_types[i]; i++)
        if (strcmp(hpo__pruner_types[i]->name, name) == 0)
            return hpo__pruner_types[i];
    return NULL;
}

const char *hpo_sampler_name(int i, const char **summary)
{
    int n = 0;
    while (hpo__sampler_types[n])
        n++;
    if (i < 0 || i >= n)
        return NULL;
    if (summary)
        *summary = hpo__sampler_types[i]->summary;
    return hpo__sampler_types[i]->name;
}

const char *hpo_pruner_name(int i, const char **summary)
{
    int n = 0;
    while (hpo__pruner_types[n])
        n++;
    if (i < 0 || i >= n)
        return NULL;
    if (summary)
        *summary = hpo__pruner_types[i]->summary;
    return hpo__pruner_types[i]->name;
}
