/*
 * dashboard_routes.c — what each path of `hpo dashboard` answers.
 *
 * Every path is matched exactly against a fixed table: nothing comes from
 * the file system, so there is no path to traverse.  Data answers carry an
 * ETag (a hash of the body), so a page that polls for live updates gets a
 * 304 with no body while nothing changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dashboard.h"
#include "dashboard_pages.h"
#include "studies.h"

struct dashboard_site {
    hpo_storage *storage;
};

dashboard_site *dashboard_site_new(hpo_storage *storage)
{
    dashboard_site *site = calloc(1, sizeof *site);
    if (site)
        site->storage = storage;
    return site;
}

void dashboard_site_free(dashboard_site *site)
{
    free(site);
}

/* FNV-1a: a body's fingerprint for its ETag. */
static void set_etag(http_reply *out)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < out->length; i++)
        h = (h ^ (unsigned char)out->body[i]) * 1099511628211ULL;
    snprintf(out->etag, sizeof out->etag, "\"%016llx\"",
             (unsigned long long)h);
}

/* Hand a JSON document over as the answer (and free it). */
static int reply_json(http_reply *out, cJSON *doc)
{
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return -1;
    out->type = "application/json";
    out->body = text;
    out->length = strlen(text);
    set_etag(out);
    return 0;
}

static void reply_error(http_reply *out, int status, const char *text)
{
    out->status = status;
    out->type = "text/plain; charset=utf-8";
    out->fixed = text;
}

static int api_studies(dashboard_site *site, http_reply *out)
{
    hpo_study_summary *list;
    int n;
    if (hpo_storage_studies(site->storage, &list, &n) != HPO_OK) {
        /* The database is locked or gone: say so, and try again on the
         * next poll. */
        reply_error(out, 503, "the storage did not answer\n");
        return 0;
    }
    int rc = reply_json(out, studies_json(list, n));
    hpo_study_summaries_free(list, n);
    return rc;
}

int dashboard_handle(void *data, const http_request *rq, http_reply *out)
{
    dashboard_site *site = data;
    const char *path = http_request_path(rq);
    if (strcmp(path, "/") == 0) {
        out->type = "text/html; charset=utf-8";
        out->fixed = dashboard_index_html;
        return 0;
    }
    if (strcmp(path, "/api/studies") == 0)
        return api_studies(site, out);
    reply_error(out, 404, "not found\n");
    return 0;
}
