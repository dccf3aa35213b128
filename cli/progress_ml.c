/*
 * progress_ml.c — an in-process trial's evaluation progress on the
 * progress line and in debug records (see progress_ml.h).
 */
#include "progress_ml.h"

#if HPO_HAVE_ML

#include <stdio.h>

#include "interrupt.h"

/* A debug record after each fold, and after each tenth of the steps (a
 * record per boosting round would bury everything else). */
static int worth_a_record(const hpo__eval_progress *e)
{
    if (!e->steps || e->done == e->total)
        return 1;
    return (int)((long long)e->done * 10 / e->total) !=
           (int)((long long)(e->done - 1) * 10 / e->total);
}

int progress_ml_step(const hpo__eval_progress *e, void *data)
{
    const progress_ml *m = data;
    if (*interrupt_hurry())
        return 1; /* a second Ctrl-C: stop now */
    const char *unit = e->steps ? m->step_name : m->fold_name;
    double left = e->done > 0 ? e->elapsed_s / e->done * (e->total - e->done)
                              : 0;
    if (log_wants(LOG_DEBUG) && worth_a_record(e))
        log_record(LOG_DEBUG, "%strial %d %s %d/%d %.2fs, ~%.2fs left",
                   m->prefix, e->trial, unit, e->done, e->total,
                   e->elapsed_s, left);
    if (e->done == e->total) {
        progress_set_detail(m->p, e->trial, NULL);
    } else if (e->elapsed_s >= PROGRESS_DETAIL_AFTER_S) {
        char text[128], eta[32];
        progress_format_duration(eta, sizeof eta, left);
        snprintf(text, sizeof text, "%strial %d %s %d/%d ~%s left", m->prefix,
                 e->trial, unit, e->done, e->total, eta);
        progress_set_detail(m->p, e->trial, text);
    }
    return 0;
}

#endif
