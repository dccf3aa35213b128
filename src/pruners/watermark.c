/*
 * watermark.c — follow a study's history incrementally: each trial is
 * handed to the caller once, when it is finished (finished trials never
 * change).  Trials seen while still running wait in a pending list, read
 * again at each update; the rest of the history is never rescanned.
 */
#include <stdlib.h>

#include "pruner.h"

void hpo__watermark_free(hpo__watermark *w)
{
    free(w->pending);
    *w = (hpo__watermark){0};
}

int hpo__watermark_update(hpo__watermark *w, const hpo__trial_rec *h, int n,
                          hpo__finished_fn finished, void *arg, hpo__msg *m)
{
    int kept = 0, rc = HPO_OK;
    for (int i = 0; i < w->n_pending; i++) {
        int at = w->pending[i];
        if (rc == HPO_OK && at < n && hpo__state_finished(h[at].state))
            rc = finished(arg, &h[at], at);
        else
            w->pending[kept++] = at;
    }
    w->n_pending = kept;
    for (; rc == HPO_OK && w->seen < n; w->seen++) {
        if (hpo__state_finished(h[w->seen].state))
            rc = finished(arg, &h[w->seen], w->seen);
        else if (hpo__grow((void **)&w->pending, &w->cap_pending,
                           w->n_pending + 1, sizeof *w->pending))
            rc = hpo__oom(m);
        else
            w->pending[w->n_pending++] = w->seen;
    }
    return rc;
}
