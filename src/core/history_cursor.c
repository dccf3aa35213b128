/*
 * history_cursor.c — newly finished trials, each once (hpo_plugin.h).
 *
 * The history is ordered by number and only grows, so a position names a
 * trial for good.  A cursor remembers how far it has read and which of the
 * positions it read were still unfinished; each call looks at those and at
 * the positions added since, never at the finished trials it has handed
 * out already.  Trials finish in any order (several workers): a trial is
 * handed out when it is first seen finished.
 */
#include <stdlib.h>

#include "study.h"

static int push_pending(hpo_history_cursor *c, int pos)
{
    if (hpo__grow((void **)&c->pending, &c->cap_pending, c->n_pending + 1,
                  sizeof *c->pending))
        return HPO_ENOMEM;
    c->pending[c->n_pending++] = pos;
    return HPO_OK;
}

int hpo__cursor_next(hpo_history_cursor *c, const hpo__trial_rec *h, int n,
                     int *pos)
{
    while (c->at < c->n_pending) { /* the ones running when last seen */
        int p = c->pending[c->at];
        if (p >= n || !hpo__state_finished(h[p].state)) {
            c->at++;
            continue;
        }
        c->pending[c->at] = c->pending[--c->n_pending];
        *pos = p;
        return 1;
    }
    while (c->seen < n) { /* the ones added since */
        int p = c->seen++;
        if (hpo__state_finished(h[p].state)) {
            *pos = p;
            return 1;
        }
        if (push_pending(c, p))
            return HPO_ENOMEM;
        c->at = c->n_pending; /* looked at in this round already */
    }
    c->at = 0; /* the next round looks at every pending one again */
    return 0;
}

int hpo_ctx_next_finished(hpo_plugin_ctx *ctx, hpo_history_cursor *c,
                          const hpo_record **out)
{
    *out = NULL;
    if (!ctx->core)
        return hpo_ctx_fail(ctx, HPO_EMISUSE, "no study in this call");
    const hpo__trial_rec *h;
    int n, pos, rc = hpo__study_history(ctx->core, &h, &n);
    if (rc)
        return hpo_ctx_fail(ctx, rc, "%s", hpo__msg_get(&ctx->core->msg));
    rc = hpo__cursor_next(c, h, n, &pos);
    if (rc == 1)
        *out = &h[pos];
    return rc == HPO_ENOMEM ? hpo__oom(ctx->msg) : rc;
}

void hpo_history_cursor_free(hpo_history_cursor *c)
{
    free(c->pending);
    *c = (hpo_history_cursor){0};
}
