/*
 * name_index.c — a hash index from names to positions, for the tables
 * looked up by parameter name on every suggest (a trial's parameters, the
 * study's known distributions, TPE's per-parameter caches).
 *
 * Why: with thousands of parameters a linear search by strcmp, done for
 * each of them on every suggest and on every copy of a record, made a
 * trial's cost grow with the square (and, copied per suggest, the cube)
 * of the parameter count (issue 9).  Open addressing with linear probing,
 * at most half full; the names are borrowed from the table indexed, which
 * owns them and keeps them while they are indexed.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* FNV-1a: short names, no adversary to fear (a collision only costs a
 * probe). */
static unsigned hash_name(const char *name)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* The slot holding name, or the empty slot where it would go. */
static hpo__name_slot *probe(const hpo__name_index *ix, const char *name,
                             unsigned h)
{
    unsigned mask = (unsigned)ix->cap - 1;
    for (unsigned i = h & mask;; i = (i + 1) & mask) {
        hpo__name_slot *s = &ix->slot[i];
        if (!s->name || (s->hash == h && strcmp(s->name, name) == 0))
            return s;
    }
}

static int rehash(hpo__name_index *ix, int cap)
{
    hpo__name_index bigger = {.n = ix->n, .cap = cap};
    bigger.slot = calloc((size_t)cap, sizeof *bigger.slot);
    if (!bigger.slot)
        return HPO_ENOMEM;
    for (int i = 0; i < ix->cap; i++)
        if (ix->slot[i].name)
            *probe(&bigger, ix->slot[i].name, ix->slot[i].hash) = ix->slot[i];
    free(ix->slot);
    *ix = bigger;
    return HPO_OK;
}

int hpo__name_index_put(hpo__name_index *ix, const char *name, int pos)
{
    if (2 * (ix->n + 1) > ix->cap &&
        rehash(ix, ix->cap ? 2 * ix->cap : 32) != HPO_OK)
        return HPO_ENOMEM;
    unsigned h = hash_name(name);
    hpo__name_slot *s = probe(ix, name, h);
    if (s->name)
        return HPO_OK; /* the first position of a name stays */
    *s = (hpo__name_slot){.name = name, .hash = h, .pos = pos};
    ix->n++;
    return HPO_OK;
}

int hpo__name_index_get(const hpo__name_index *ix, const char *name)
{
    if (!ix->cap)
        return -1;
    const hpo__name_slot *s = probe(ix, name, hash_name(name));
    return s->name ? s->pos : -1;
}

void hpo__name_index_free(hpo__name_index *ix)
{
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}
