/* scratch.c — per-call scratch memory for plug-ins: a list of blocks the
 * core frees when the call returns, so no error path can leak. */
#include <stdlib.h>

#include "../samplers/sampler.h"

struct hpo__scratch_block {
    hpo__scratch_block *next;
    max_align_t data[];
};

void *hpo__scratch(hpo_plugin_ctx *ctx, size_t size)
{
    hpo__scratch_block *b = calloc(1, sizeof *b + size);
    if (!b)
        return NULL;
    b->next = ctx->scratch;
    ctx->scratch = b;
    return b->data;
}

void hpo__scratch_release(hpo__scratch_block **head)
{
    while (*head) {
        hpo__scratch_block *next = (*head)->next;
        free(*head);
        *head = next;
    }
}
