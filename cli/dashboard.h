/*
 * dashboard.h — the pages and data `hpo dashboard` serves
 * (dashboard_routes.c), behind the server of http_server.h.
 */
#ifndef HPO_CLI_DASHBOARD_H
#define HPO_CLI_DASHBOARD_H

#include <stddef.h>

#include "hpo.h"
#include "http_server.h"

typedef struct dashboard_site dashboard_site;

/* The site of one storage (borrowed: the caller closes it after freeing
 * the site).  NULL when out of memory. */
dashboard_site *dashboard_site_new(hpo_storage *storage);
void dashboard_site_free(dashboard_site *site);

/* The http_handler of the site (data: the site). */
int dashboard_handle(void *data, const http_request *rq, http_reply *out);

/* Read the newest studies ahead of their first page (dashboard_study.h);
 * the number read. */
int dashboard_warm(dashboard_site *site, int (*stop)(void));

/* An ETag for a body: a quoted hash (FNV-1a, 64 bits) in hex. */
void dashboard_etag(const char *body, size_t length, char *etag,
                    size_t size);

#endif
