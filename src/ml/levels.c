/*
 * levels.c — the distinct texts (levels) of a categorical CSV column and
 * how many rows hold each: an open-addressing hash table (FNV-1a, at most
 * half full) over the names in order of first sight.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "csv_build.h"

void hpo__levels_free(hpo__levels *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->count);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static unsigned hash_text(const char *s, size_t len)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Room for one more level: the slots stay at most half full. */
static int levels_grow(hpo__levels *t)
{
    int cap = t->cap;
    if (hpo__grow((void **)&t->names, &t->cap, t->n + 2, sizeof *t->names))
        return HPO_ENOMEM; /* + 2: the class names end with NULL */
    if (t->cap != cap) {
        int *count = realloc(t->count, sizeof *count * (size_t)t->cap);
        if (!count)
            return HPO_ENOMEM;
        t->count = count;
    }
    if (2 * (t->n + 1) <= t->n_slots)
        return HPO_OK;
    int n_slots = t->n_slots ? 2 * t->n_slots : 64;
    int *slot = calloc((size_t)n_slots, sizeof *slot);
    if (!slot)
        return HPO_ENOMEM;
    for (int i = 0; i < t->n; i++) {
        unsigned h = hash_text(t->names[i], strlen(t->names[i]));
        while (slot[h & (unsigned)(n_slots - 1)])
            h++;
        slot[h & (unsigned)(n_slots - 1)] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->n_slots = n_slots;
    return HPO_OK;
}

int hpo__level_of(hpo__levels *t, const char *s, size_t len)
{
    if (levels_grow(t) != HPO_OK)
        return -1;
    unsigned h = hash_text(s, len), mask = (unsigned)(t->n_slots - 1);
    for (;; h++) {
        int k = t->slot[h & mask] - 1;
        if (k < 0)
            break;
        if (strlen(t->names[k]) == len && memcmp(t->names[k], s, len) == 0) {
            t->count[k]++;
            return k;
        }
    }
    if (!(t->names[t->n] = hpo__strndup(s, len)))
        return -1;
    t->count[t->n] = 1;
    t->slot[h & mask] = t->n + 1;
    return t->n++;
}

