/* none.c — the pruner that never prunes (Optuna's NopPruner). */
#include "pruner.h"

static int none_should_prune(void *state, hpo_plugin_ctx *ctx,
                             hpo_verdict *verdict)
{
    (void)state;
    (void)ctx;
    *verdict = HPO_VERDICT_CONTINUE;
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_none = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "none",
             .summary = "never prune"},
    .should_prune = none_should_prune,
};
