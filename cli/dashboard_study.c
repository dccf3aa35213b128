/*
 * dashboard_study.c — the document (report_data.h) of each study the
 * dashboard shows, kept between requests.
 *
 * A study stays open once asked for, so its trials are read
 * incrementally (the library's history cache: finished trials are read
 * once).  Its document is rebuilt only when the trial counts changed or
 * a trial is running (a running trial's intermediate values change
 * without any count changing); otherwise the last document and its ETag
 * stand, and a poll costs one count query.
 */
#define _GNU_SOURCE
#include "dashboard_study.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"
#include "report_data.h"
#include "report_importance.h"

typedef struct shown_study {
    char *name;
    hpo_study *study;
    int counts[5];
    char *doc;
    size_t length;
    char etag[40];
    unsigned long last_used;
    /* fANOVA costs up to ~0.5 s: computed again only when the number of
     * complete trials changed. */
    report_importance_held importance;
    int have_importance, importance_at, importance_at_set;
} shown_study;

struct dashboard_studies {
    pthread_mutex_t lock; /* the server's thread and the warm-up */
    hpo_storage *storage;
    shown_study open[DASHBOARD_OPEN_STUDIES];
    unsigned long clock;
};

dashboard_studies *dashboard_studies_new(hpo_storage *storage)
{
    dashboard_studies *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->storage = storage;
    pthread_mutex_init(&d->lock, NULL);
    return d;
}

static void forget(shown_study *s)
{
    report_importance_release(&s->importance);
    free(s->name);
    hpo_study_free(s->study);
    free(s->doc);
    memset(s, 0, sizeof *s);
}

void dashboard_studies_free(dashboard_studies *d)
{
    if (!d)
        return;
    for (int i = 0; i < DASHBOARD_OPEN_STUDIES; i++)
        forget(&d->open[i]);
    pthread_mutex_destroy(&d->lock);
    free(d);
}


/* The open study of that name, or the least recently used slot emptied
 * for it. */
static shown_study *slot_for(dashboard_studies *d, const char *name)
{
    shown_study *lru = &d->open[0];
    for (int i = 0; i < DASHBOARD_OPEN_STUDIES; i++) {
        shown_study *s = &d->open[i];
        if (s->name && strcmp(s->name, name) == 0)
            return s;
        if (!s->name || s->last_used < lru->last_used)
            lru = s;
    }
    forget(lru);
    return lru;
}

static int open_study(dashboard_studies *d, shown_study *s, const char *name)
{
    if (!(s->study = hpo_study_new()) || !(s->name = strdup(name)))
        return HPO_ENOMEM;
    hpo_study_set_storage(s->study, d->storage);
    return hpo_study_open(s->study, name, HPO_OPEN_LOAD);
}

/* The ETag hashes the document but its "generated_at": a study with a
 * running trial is rebuilt at every poll, and the page should redraw
 * only when a trial changed. */
static void set_etag(shown_study *s)
{
    static const char key[] = "\"generated_at\":";
    const char *at = memmem(s->doc, s->length < 200 ? s->length : 200, key,
                            sizeof key - 1);
    size_t skip_from = s->length, skip_to = s->length;
    if (at) {
        skip_from = (size_t)(at - s->doc);
        skip_to = skip_from + strcspn(at, ",}");
    }
    char head[40], tail[40];
    dashboard_etag(s->doc, skip_from, head, sizeof head);
    dashboard_etag(s->doc + skip_to, s->length - skip_to, tail, sizeof tail);
    /* "xxxxxxxxxxxxxxxx" twice: keep the first 8 and last 8 digits. */
    snprintf(s->etag, sizeof s->etag, "\"%.8s%.8s\"", head + 1, tail + 9);
}

static int build(shown_study *s, int n_complete)
{
    hpo_trial **trials;
    int n, rc = hpo_study_trials(s->study, &trials, &n);
    if (rc != HPO_OK)
        return rc;
    if (!s->importance_at_set || s->importance_at != n_complete) {
        report_importance_release(&s->importance);
        s->have_importance =
            report_importance_compute(s->study, &s->importance) == 0;
        s->importance_at = n_complete;
        s->importance_at_set = 1;
    }
    report_data_opts o = {DASHBOARD_MAX_TRIALS, REPORT_MAX_CURVES,
                          REPORT_MAX_STEPS,
                          s->have_importance ? &s->importance.shown : NULL};
    char *doc = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&doc, &length);
    rc = out ? report_data_write(out, s->study, trials, n, &o) : -1;
    if (out && fclose(out) != 0)
        rc = -1;
    hpo_trials_free(trials, n);
    if (rc != 0) {
        free(doc);
        return HPO_ENOMEM;
    }
    free(s->doc);
    s->doc = doc;
    s->length = length;
    set_etag(s);
    return HPO_OK;
}

static int document(dashboard_studies *d, const char *name,
                    const char **doc, size_t *length, const char **etag)
{
    shown_study *s = slot_for(d, name);
    s->last_used = ++d->clock;
    int rc = HPO_OK, counts[5];
    if (!s->study && (rc = open_study(d, s, name)) != HPO_OK) {
        forget(s);
        return rc;
    }
    rc = hpo_study_count_trials(s->study, counts);
    if (rc == HPO_OK && (!s->doc || counts[HPO_RUNNING] > 0 ||
                         memcmp(counts, s->counts, sizeof counts) != 0)) {
        rc = build(s, counts[HPO_COMPLETE]);
        memcpy(s->counts, counts, sizeof counts);
    }
    if (rc != HPO_OK) {
        /* Deleted, or the storage failed: open it afresh next time. */
        forget(s);
        return rc;
    }
    *doc = s->doc;
    *length = s->length;
    *etag = s->etag;
    return HPO_OK;
}

int dashboard_study_copy(dashboard_studies *d, const char *name,
                         const char *unless_etag, char **doc, size_t *length,
                         char *etag, size_t etag_size)
{
    const char *kept, *kept_etag;
    *doc = NULL;
    pthread_mutex_lock(&d->lock);
    int rc = document(d, name, &kept, length, &kept_etag);
    if (rc == HPO_OK)
        snprintf(etag, etag_size, "%s", kept_etag);
    if (rc == HPO_OK && unless_etag && strcmp(unless_etag, kept_etag) == 0)
        *length = 0;
    else if (rc == HPO_OK && !(*doc = malloc(*length ? *length : 1)))
        rc = HPO_ENOMEM;
    else if (rc == HPO_OK)
        memcpy(*doc, kept, *length);
    pthread_mutex_unlock(&d->lock);
    return rc;
}

int dashboard_studies_warm(dashboard_studies *d, int (*stop)(void))
{
    hpo_study_summary *list;
    int n;
    if (hpo_storage_studies(d->storage, &list, &n) != HPO_OK)
        return 0;
    int warmed = 0;
    /* The newest first: the ones workers are most likely filling. */
    for (int i = n - 1; i >= 0 && warmed < DASHBOARD_OPEN_STUDIES; i--) {
        if (stop())
            break;
        const char *doc, *etag;
        size_t length;
        pthread_mutex_lock(&d->lock);
        warmed += document(d, list[i].name, &doc, &length, &etag) == HPO_OK;
        pthread_mutex_unlock(&d->lock);
    }
    hpo_study_summaries_free(list, n);
    return warmed;
}
