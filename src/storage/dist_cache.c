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

const hpo__dist *hpo__dist_cache_get(hpo__dist_cache *c, const char *json,
                                     hpo__msg *m)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->entry[i].json, json) == 0)
            return &c->entry[i].dist;
    hpo__dist d;
    if (hpo__dist_from_json(&d, json, m) != HPO_OK)
        return NULL;
    char *copy = hpo__strdup(json);
    if (!copy) {
        hpo__dist_free(&d);
        return NULL;
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
    return &c->entry[slot].dist;
}
