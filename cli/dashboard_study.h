/*
 * dashboard_study.h — the documents of the studies the dashboard shows
 * (dashboard_study.c), kept open and rebuilt only when they change.
 */
#ifndef HPO_CLI_DASHBOARD_STUDY_H
#define HPO_CLI_DASHBOARD_STUDY_H

#include <stddef.h>

#include "hpo.h"

/* Studies kept open at once; the least recently shown is closed first. */
#define DASHBOARD_OPEN_STUDIES 8
/* Trials a study's document holds at most: every best so far, then an
 * even sample (report_data.h); the views draw at most a few thousand
 * points each anyway.  About 3.4 MB of JSON. */
#define DASHBOARD_MAX_TRIALS 20000

typedef struct dashboard_studies dashboard_studies;

/* The storage is borrowed.  NULL when out of memory. */
dashboard_studies *dashboard_studies_new(hpo_storage *storage);
void dashboard_studies_free(dashboard_studies *d);

/* A copy of the document of study `name` (malloc'd) and its ETag:
 * HPO_OK, HPO_ENOTFOUND (no such study), or another error (the storage
 * failed, out of memory).  When the ETag equals `unless_etag` (a client's
 * If-None-Match; may be NULL) nothing is copied: *doc = NULL, *length = 0
 * (a poll of an unchanged 100,000-trial study copies no megabytes).  Safe
 * to call from any thread. */
int dashboard_study_copy(dashboard_studies *d, const char *name,
                         const char *unless_etag, char **doc, size_t *length,
                         char *etag, size_t etag_size);

/* Open and build the newest studies (at most DASHBOARD_OPEN_STUDIES) so
 * that their first page is quick, checking stop() between studies; the
 * number warmed.  A study's first read is the slow part (every trial,
 * about 2 s for 100,000 from SQLite); later reads take what changed. */
int dashboard_studies_warm(dashboard_studies *d, int (*stop)(void));

#endif
