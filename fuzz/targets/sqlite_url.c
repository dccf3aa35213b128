/*
 * sqlite_url — a `--storage sqlite:///PATH?OPTIONS` URL
 * (hpo__sqlite_parse_url, src/storage/sqlite_conn.c: the part of opening
 * that reads the URL; no file is opened).
 *
 * Input: the URL (a "sqlite:///" prefix is added when the input lacks
 * one, half of the time, so the options parser sees most inputs).
 * Invariants: a refused URL has a message; an accepted one names a
 * non-empty path without the query, a timeout in [0, 1e6] and a known
 * synchronous level.
 *
 * Dictionary: fuzz/dict/url.dict
 */
#include <math.h>

#include "fuzz.h"
#include "storage/sqlite_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = fuzz_text(data, size);
    char *url = raw;
    if (size && (data[0] & 1) && strncmp(raw, "sqlite:///", 10) != 0)
        url = hpo__asprintf("sqlite:///%s", raw + 1);
    FUZZ_CHECK(url != NULL, "out of memory");
    hpo_storage *st = calloc(1, sizeof *st);
    hpo__sqlite s = {.timeout_s = 30, .sync = "NORMAL"};
    const hpo__optuna_marker *marker = &hpo__optuna_marker_3_0;
    int rc = hpo__sqlite_parse_url(st, &s, url, &marker);
    if (rc != HPO_OK) {
        FUZZ_CHECK(*hpo_storage_errmsg(st), "code %d without a message", rc);
    } else {
        FUZZ_CHECK(s.path && *s.path && !strchr(s.path, '?'), "path '%s'",
                   s.path ? s.path : "(null)");
        FUZZ_CHECK(s.timeout_s >= 0 && s.timeout_s <= 1e6, "timeout %g",
                   s.timeout_s);
        FUZZ_CHECK(!strcmp(s.sync, "OFF") || !strcmp(s.sync, "NORMAL") ||
                       !strcmp(s.sync, "FULL"),
                   "sync %s", s.sync);
        FUZZ_CHECK(marker != NULL, "no marker");
    }
    free(s.path);
    hpo__msg_free(&st->msg);
    free(st);
    if (url != raw)
        free(url);
    free(raw);
    return 0;
}
