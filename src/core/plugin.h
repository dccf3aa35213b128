/*
 * plugin.h — the core's side of the plug-in interface (include/hpo_plugin.h):
 * the context a plug-in method gets, a made plug-in (type + state), and the
 * wrapper functions of plugin.c, the only code that calls plug-in methods.
 *
 * Built-in plug-ins include this header and may read the context's fields
 * (trial, rng, msg) directly; everything about the study goes through the
 * accessors (hpo_ctx_* and hpo__ctx_history), never through a study
 * handle, so no plug-in can take the study's lock the core already holds.
 */
#ifndef HPO_PLUGIN_INTERNAL_H
#define HPO_PLUGIN_INTERNAL_H

#include "hpo_plugin.h"
#include "internal.h"

typedef struct hpo__scratch_block hpo__scratch_block;

struct hpo_plugin_ctx {
    hpo__trial_rec *trial; /* the current trial; NULL without one */
    hpo__rng *rng;         /* the trial's stream, or seed_rng */
    hpo__msg *msg;         /* where errors go: hpo__fail(ctx->msg, ...) */
    hpo__scratch_block *scratch;
    /* --- the core's; plug-ins use the accessors --------------------- */
    hpo_study *core;
    hpo__msg own;   /* ctx->msg: empty at the start of each call */
    hpo__msg *dest; /* where the message goes if the call fails */
    hpo__rng seed_rng;
    /* The history as this call's sampler sees it, made at the first
     * read: the study's, or the part a scheduling pruner shows
     * (plugin_view.c).  view_made: 0 not yet, 1 made. */
    int view_made;
    int for_sampler; /* a sampler call for a trial: the pruner's view */
    const hpo__trial_rec *view;
    int n_view;
};

/* Start a context for one method call (study may be NULL in init); the
 * rng is the trial's when given, else a stream of the study's seed.  A
 * failing call's message goes to *dest. */
void hpo__ctx_start(hpo_plugin_ctx *ctx, hpo_study *study,
                    hpo__trial_rec *trial, hpo__rng *rng, hpo__msg *dest);
/* The same for a pruner's call about trial: a stream of its own for the
 * trial and its count of reports, leaving the trial's stream to the
 * sampler. */
void hpo__ctx_start_pruner(hpo_plugin_ctx *ctx, hpo_study *study,
                           hpo__trial_rec *trial, hpo__msg *dest);
/* End the call: free its scratch memory and, when rc is an error, move its
 * message to dest.  Returns rc. */
int hpo__ctx_end(hpo_plugin_ctx *ctx, int rc);

/* The history this call sees (contiguous, by number; borrowed until the
 * method returns): what hpo_ctx_n_trials / hpo_ctx_trial_at walk. */
int hpo__ctx_history(hpo_plugin_ctx *ctx, const hpo__trial_rec **trials,
                     int *n);

/* hpo_ctx_set_trial_attr and hpo_ctx_study_attr_cas for built-in
 * samplers' own records (generation.c), without checking that the text is
 * JSON: cJSON printed it from an object the sampler built, and the check
 * parsed it again (a fifth of CMA-ES's time a trial). */
int hpo__ctx_set_trial_attr_built(hpo_plugin_ctx *ctx, const char *key,
                                  const char *json);
int hpo__ctx_study_attr_cas_built(hpo_plugin_ctx *ctx, const char *key,
                                  const char *expected, const char *json);

/* The cursor of hpo_ctx_next_finished over a history array h[0..n)
 * (history_cursor.c): 1 with *pos the next newly finished position, 0
 * when none is left, or HPO_ENOMEM. */
int hpo__cursor_next(hpo_history_cursor *c, const hpo__trial_rec *h, int n,
                     int *pos);

/* A made plug-in: its type and its state. */
typedef struct hpo__plugin {
    const hpo_plugin_head *head;
    const hpo_sampler_type *sampler; /* one of these two is set */
    const hpo_pruner_type *pruner;
    void *state;
    char **strings; /* STRING options' values, freed after destroy */
    int n_strings;
} hpo__plugin;

/* Make one from "name:key=value,...": find the type, allocate its state,
 * parse the options into it from its table, call init.  On error *p is
 * left empty and m says why. */
int hpo__plugin_make_sampler(hpo__plugin *p, const char *spec, hpo__msg *m);
int hpo__plugin_make_pruner(hpo__plugin *p, const char *spec, hpo__msg *m);
void hpo__plugin_free(hpo__plugin *p);

/* The wrappers: defaults for absent methods, every error passed up with a
 * message in ctx->msg. */
int hpo__sampler_is_exhausted(const hpo__plugin *p, hpo_plugin_ctx *ctx);
int hpo__sampler_infer_relative(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                                const hpo_space **space);
int hpo__sampler_relative(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                          const hpo_space *space, double *values);
int hpo__sampler_independent(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                             const char *name, const hpo__dist *dist,
                             double *value);
int hpo__sampler_after_trial(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                             hpo_trial_state state, const double *values,
                             int n);
int hpo__pruner_should_prune(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                             hpo_verdict *verdict);
int hpo__pruner_on_tell(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                        hpo_trial_state state, const double *values, int n);
/* Does the plug-in have the method?  Where the default does nothing, the
 * core skips the lock and the context for an absent one: a trial of the
 * random sampler costs what it did before the plug-in core. */
int hpo__sampler_has_is_exhausted(const hpo__plugin *p);
int hpo__sampler_has_after_trial(const hpo__plugin *p);
int hpo__pruner_has_on_tell(const hpo__plugin *p);
/* Does the pruner restrict what the sampler sees? */
int hpo__pruner_has_view(const hpo__plugin *p);
int hpo__pruner_view(const hpo__plugin *p, hpo_plugin_ctx *ctx, int n,
                     unsigned char *keep, double *value);

/* Options (option_table.c). */
/* Is the table well made (names, types, defaults in range)? */
int hpo__options_check_table(const hpo_plugin_head *head, hpo__msg *m);
/* Write every option of the table into state: the user's value from o
 * (marked used), else the default.  STRING values are copied into
 * p->strings. */
int hpo__options_apply(hpo__plugin *p, hpo__opts *o, hpo__msg *m);
/* HPO_EINVAL naming the first HPO_OPTION_REQUIRED option o lacks. */
int hpo__options_check_required(const hpo_plugin_head *head, hpo__opts *o,
                                hpo__msg *m);

/* The registry (registry.c): built-in types, then registered ones. */
const hpo_sampler_type *hpo__sampler_lookup(const char *name);
const hpo_pruner_type *hpo__pruner_lookup(const char *name);

#endif
