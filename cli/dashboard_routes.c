/*
 * dashboard_routes.c — what each path of `hpo dashboard` answers.
 *
 * Every path is matched exactly against a fixed table: nothing comes from
 * the file system, so there is no path to traverse.  Data answers carry an
 * ETag (a hash of the body), so a page that polls for live updates gets a
 * 304 with no body while nothing changed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dashboard.h"
#include "dashboard_pages.h"
#include "dashboard_study.h"
#include "report_html.h"
#include "studies.h"

struct dashboard_site {
    hpo_storage *storage;
    dashboard_studies *studies;
    char *study_page; /* the same for every study: it fetches its data */
    size_t study_page_length;
};

void dashboard_site_free(dashboard_site *site)
{
    if (!site)
        return;
    dashboard_studies_free(site->studies);
    free(site->study_page);
    free(site);
}

dashboard_site *dashboard_site_new(hpo_storage *storage)
{
    dashboard_site *site = calloc(1, sizeof *site);
    if (!site)
        return NULL;
    site->storage = storage;
    site->studies = dashboard_studies_new(storage);
    FILE *out = open_memstream(&site->study_page, &site->study_page_length);
    if (out) {
        report_html_write_live(out, "dashboard.js");
        if (fclose(out) != 0) {
            free(site->study_page);
            site->study_page = NULL;
        }
    }
    if (!site->studies || !site->study_page) {
        dashboard_site_free(site);
        return NULL;
    }
    return site;
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
    dashboard_etag(out->body, out->length, out->etag, sizeof out->etag);
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

/* A copy of the study's document: the server frees what it sends, and
 * the kept document may be rebuilt before this answer is on the wire.
 * None when the client has it already (the server then answers 304). */
static int api_study(dashboard_site *site, const http_request *rq,
                     http_reply *out)
{
    const char *name = http_request_query(rq, "name");
    if (!name) {
        reply_error(out, 400, "which study? api/study?name=NAME\n");
        return 0;
    }
    int rc = dashboard_study_copy(site->studies, name,
                                  http_request_if_none_match(rq), &out->body,
                                  &out->length, out->etag, sizeof out->etag);
    if (rc == HPO_ENOTFOUND) {
        reply_error(out, 404, "no such study\n");
        return 0;
    }
    if (rc == HPO_ENOMEM)
        return -1;
    if (rc != HPO_OK) {
        reply_error(out, 503, "the storage did not answer\n");
        return 0;
    }
    out->type = "application/json";
    return 0;
}

static void study_page(dashboard_site *site, http_reply *out)
{
    out->type = "text/html; charset=utf-8";
    out->fixed = site->study_page;
}

int dashboard_warm(dashboard_site *site, int (*stop)(void))
{
    return dashboard_studies_warm(site->studies, stop);
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
    if (strcmp(path, "/study") == 0) {
        study_page(site, out);
        return 0;
    }
    if (strcmp(path, "/api/study") == 0)
        return api_study(site, rq, out);
    reply_error(out, 404, "not found\n");
    return 0;
}

void dashboard_etag(const char *body, size_t length, char *etag, size_t size)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < length; i++)
        h = (h ^ (unsigned char)body[i]) * 1099511628211ULL;
    snprintf(etag, size, "\"%016llx\"", (unsigned long long)h);
}
