/*
 * watermark.c — follow a study's history incrementally: each trial is
 * handed to a callback once, when it is finished (finished trials never
 * change), by the plug-in core's history cursor (core/history_cursor.c):
 * trials seen while still running wait in its pending list, read again at
 * each update; the rest of the history is never rescanned.
 */
#include <stdlib.h>

#include "pruner.h"

void hpo__watermark_free(hpo__watermark *w)
{
    hpo_history_cursor_free(w);
}

int hpo__watermark_update(hpo__watermark *w, const hpo__trial_rec *h, int n,
                          hpo__finished_fn finished, void *arg, hpo__msg *m)
{
    int pos, rc;
    while ((rc = hpo__cursor_next(w, h, n, &pos)) == 1)
        if ((rc = finished(arg, &h[pos], pos)) != HPO_OK)
            return rc;
    return rc == HPO_ENOMEM ? hpo__oom(m) : rc;
}
