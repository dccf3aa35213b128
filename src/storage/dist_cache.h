/*
 * dist_cache.h — parsed distribution_json texts, kept per connection.
 * Reading 10,000 trials parses the same few texts over and over; the
 * database backends look them up here instead.
 */
#ifndef HPO_DIST_CACHE_H
#define HPO_DIST_CACHE_H

#include "../core/internal.h"

#define HPO__DIST_CACHE_SIZE 64

typedef struct hpo__dist_cache {
    int n, next; /* entries used; the next one to evict once full */
    struct {
        char *json;
        hpo__dist dist;
    } entry[HPO__DIST_CACHE_SIZE];
} hpo__dist_cache;

/* The distribution a text describes, in *out (borrowed from the cache
 * until the next call): HPO_OK, HPO_ENOMEM, or another error with the
 * reason in *m when the text does not parse. */
int hpo__dist_cache_get(hpo__dist_cache *c, const char *json,
                        const hpo__dist **out, hpo__msg *m);
void hpo__dist_cache_free(hpo__dist_cache *c);

#endif
