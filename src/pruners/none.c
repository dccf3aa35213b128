/* none.c — the pruner that never prunes (Optuna's NopPruner). */
#include "pruner.h"

static int none_init(void *state, hpo__opts *opts, hpo__msg *msg)
{
    return HPO_OK;
}

static int none_prune(void *state, hpo__pruner_ctx *ctx)
{
    return 0;
}

const hpo__pruner_type hpo__pruner_none = {
    .version = HPO__PRUNER_VERSION,
    .name = "none",
    .summary = "never prune",
    .options_help = "",
    .state_size = 0,
    .init = none_init,
    .prune = none_prune,
};
