/* dist_cache.c — see dist_cache.h. */
#include <stdlib.h>
#include <string.h>

#include "dist_cache.h"

static void free_slot(hpo__dist_cache *c, int i)
{
    free(c->entry[i].json);
    c->entry[i].json = NULL;
    hpo__dist_free(&c->entry[i].dist);
}

void hpo__dist_cache_free(hpo__dist_cache *c)
{
    for (int i = 0; i < c->n; i++)
        free_slot(c, i);
    c->n = c->next = 0;
}

int hpo__dist_cache_get(hpo__dist_cache *c, const char *json,
                        const hpo__dist **out, hpo__msg *m)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->entry[i].json, json) == 0) {
            *out = &c->entry[i].dist;
            return HPO_OK;
        }
    hpo__dist parsed, d;
    int rc = hpo__dist_from_json(&parsed, json, m);
    if (rc != HPO_OK)
        return rc;
    /* Kept as a shared copy: the records copied from it share its
     * choices (dist.c) instead of allocating their own. */
    rc = hpo__dist_copy(&d, &parsed);
    hpo__dist_free(&parsed);
    char *copy = rc == HPO_OK ? hpo__strdup(json) : NULL;
    if (!copy) {
        hpo__dist_free(&d);
        return hpo__oom(m);
    }
    /* Round-robin eviction once full: a study rarely has 64 distinct
     * distributions, so this is almost never reached. */
    int slot;
    if (c->n < HPO__DIST_CACHE_SIZE) {
        slot = c->n++;
    } else {
        slot = c->next;
        c->next = (slot + 1) % HPO__DIST_CACHE_SIZE;
        free_slot(c, slot);
    }
    c->entry[slot].json = copy;
    c->entry[slot].dist = d;
    *out = &c->entry[slot].dist;
    return HPO_OK;
}
