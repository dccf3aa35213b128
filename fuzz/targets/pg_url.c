/*
 * pg_url — a `--storage postgresql://...` URL as far as hpo reads it
 * before connecting: hpo__pg_split_url (src/storage/postgres_conn.c) takes
 * hpo's own option optuna= out of the query, then libpq's
 * PQconninfoParse checks the rest, as hpo__pg_open does.  Nothing connects.
 *
 * Input: the URL.  Invariants: a refused URL has a message; the URL handed
 * to libpq keeps neither optuna= nor sync= options, and is no longer than
 * the input but for sync=full, which becomes libpq's options=... .
 *
 * Dictionary: fuzz/dict/url.dict
 */
#include "fuzz.h"
#include "storage/postgres_conn.h"

/* Is `item` (up to '&' or the end) hpo's option `key`? */
static int is_option(const char *item, const char *key)
{
    size_t n = strlen(key);
    return strncmp(item, key, n) == 0 &&
           (item[n] == '=' || item[n] == '&' || item[n] == '\0');
}

static int is_optuna(const char *item)
{
    return is_option(item, "optuna") || is_option(item, "sync");
}

static void check_split(const char *url, const char *out)
{
    /* sync=full (9 bytes) becomes options=-c%20synchronous_commit%3Don */
    size_t growth = 0;
    for (const char *p = url; (p = strstr(p, "sync=full")); p++)
        growth += 36 - 9;
    FUZZ_CHECK(strlen(out) <= strlen(url) + growth, "'%s' grew to '%s'", url,
               out);
    const char *q = strchr(out, '?');
    for (const char *item = q ? q + 1 : NULL; item && *item;) {
        FUZZ_CHECK(!is_optuna(item), "'%s' keeps an optuna option: '%s'", url,
                   out);
        const char *amp = strchr(item, '&');
        item = amp ? amp + 1 : NULL;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *no_libpq = hpo__pq_load(); /* hpo__pg_open's first step */
    FUZZ_CHECK(!no_libpq, "%s", no_libpq);
    char *url = fuzz_text(data, size);
    hpo_storage *st = calloc(1, sizeof *st);
    char *libpq_url = NULL;
    const hpo__optuna_marker *marker = &hpo__optuna_marker_3_0;
    int rc = hpo__pg_split_url(st, url, &libpq_url, &marker);
    if (rc != HPO_OK) {
        FUZZ_CHECK(*hpo_storage_errmsg(st), "code %d without a message", rc);
    } else {
        FUZZ_CHECK(libpq_url && marker, "no URL or marker");
        check_split(url, libpq_url);
        char *err = NULL;
        PQconninfoOption *opts = PQconninfoParse(libpq_url, &err);
        PQconninfoFree(opts);
        PQfreemem(err);
    }
    free(libpq_url);
    hpo__msg_free(&st->msg);
    free(st);
    free(url);
    return 0;
}
