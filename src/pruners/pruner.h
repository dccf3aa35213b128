/*
 * pruner.h — the built-in pruners (each one const hpo_pruner_type, the
 * interface of include/hpo_plugin.h; the core's side is core/plugin.h).
 *
 * A pruner's should_prune is called from hpo_trial_should_prune() under
 * the study's lock, with the running trial (ctx->trial, its intermediate
 * values in ctx->trial->inter) and, through hpo__ctx_history(), the other
 * trials; it answers with a verdict.
 */
#ifndef HPO_PRUNER_H
#define HPO_PRUNER_H

#include "../core/plugin.h"

extern const hpo_pruner_type hpo__pruner_none;
extern const hpo_pruner_type hpo__pruner_median;

#endif
