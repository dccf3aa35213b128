/*
 * sampler.h — the sampler plug-in interface (the shape of Optuna's
 * BaseSampler, in C).
 *
 * A sampler is one const hpo__sampler_type.  The core allocates
 * `state_size` zeroed bytes, calls init with the user's options, and then,
 * for each trial, in this order (all under the study's sampler lock, so a
 * sampler needs no locking of its own):
 *
 *     is_exhausted?  --yes--> ask returns HPO_DONE, no trial is created
 *          | no
 *     (trial created: ctx->trial has its number)
 *     infer_relative_space --> sample_relative      (joint models: GP, CMA-ES,
 *          |                                          grid, qmc)
 *     sample_independent, once per parameter the relative space did not
 *          cover (define-by-run parameters, per-parameter models)
 *          ...
 *     after_trial (when the trial is told)
 *
 * Rules:
 *   1. Randomness comes only from ctx->rng, a stream derived from the
 *      study's seed and the trial's number, so a seeded run is reproducible
 *      whatever the thread timing.
 *   2. Samplers are stateless between calls apart from caches: what they
 *      need is derived from the history (hpo__study_history).  State that
 *      cannot be recomputed goes into study or trial system attributes.
 *   3. Memory from hpo__scratch() is freed by the core after the call.
 *   4. Values are internal values (hpo__dist): floats and ints as doubles,
 *      categoricals as the index of the choice.
 *   5. Methods that may be NULL: infer_relative_space, sample_relative,
 *      is_exhausted, after_trial, destroy.
 */
#ifndef HPO_SAMPLER_H
#define HPO_SAMPLER_H

#include "../core/internal.h"

#define HPO__SAMPLER_VERSION 1

typedef struct hpo__scratch_block hpo__scratch_block;

typedef struct hpo__sampler_ctx {
    hpo_study *study;
    hpo__trial_rec *trial; /* the trial being sampled; NULL in is_exhausted */
    hpo__rng *rng;
    hpo__msg *msg;         /* where errors go: hpo__fail(ctx->msg, ...) */
    hpo__scratch_block *scratch;
} hpo__sampler_ctx;

typedef struct hpo__sampler_type {
    int version;
    const char *name;
    const char *summary;      /* one line for --help and the docs */
    const char *options_help; /* "points=N  grid points per float axis" */
    size_t state_size;

    /* Read options (hpo__opts_*); unknown keys are refused by the core. */
    int (*init)(void *state, hpo__opts *opts, hpo__msg *msg);
    void (*destroy)(void *state);

    /* 1 when nothing is left to propose (an exhausted grid). */
    int (*is_exhausted)(void *state, hpo__sampler_ctx *ctx);
    /* The parameters this sampler chooses jointly for this trial (borrowed
     * until the call returns to the core; NULL or empty for none). */
    int (*infer_relative_space)(void *state, hpo__sampler_ctx *ctx,
                                const hpo_space **space);
    /* Fill values[i] for parameter i of the relative space; NaN leaves it
     * to sample_independent. */
    int (*sample_relative)(void *state, hpo__sampler_ctx *ctx,
                           const hpo_space *space, double *values);
    int (*sample_independent)(void *state, hpo__sampler_ctx *ctx,
                              const char *name, const hpo__dist *dist,
                              double *value);
    /* Called when the trial is told.  HPO_DONE asks the study to stop. */
    int (*after_trial)(void *state, hpo__sampler_ctx *ctx,
                       hpo_trial_state final_state, const double *values,
                       int n);
} hpo__sampler_type;

/* Per-call scratch memory, zeroed; freed by the core when the call returns. */
void *hpo__scratch(hpo__sampler_ctx *ctx, size_t size);
void hpo__scratch_release(hpo__scratch_block **head);

/* What a sampler may read of its study (study.c).  The history is every
 * trial of the study ordered by number (finished and running), refreshed
 * incrementally from storage: at every call, except that the suggests of
 * one trial after its first see the history that one read (history.c);
 * the pointers stay valid until the sampler call returns. */
int hpo__study_history(hpo_study *study, const hpo__trial_rec **trials,
                       int *n);
const hpo_space *hpo__study_space(const hpo_study *study);
uint64_t hpo__study_seed(const hpo_study *study);
/* Study system attributes (JSON text), shared by every worker: NULL when
 * absent or unreadable. */
const char *hpo__study_sys_attr(hpo_study *study, const char *key);
/* The same, telling the two apart: HPO_OK with *json NULL when absent,
 * else the storage's error (its message on the study). */
int hpo__study_sys_attr_get(hpo_study *study, const char *key,
                            const char **json);
int hpo__study_set_sys_attr(hpo_study *study, const char *key,
                            const char *json);
/* Compare-and-set, atomic across workers: when `key` holds exactly the
 * text expected_json (NULL: the key is absent), set it to new_json and
 * return HPO_OK; else HPO_DONE, changing nothing, and the next read shows
 * the value that won.  Update shared state by read, compute, CAS, and on
 * HPO_DONE read again.  Errors carry their message on the study. */
int hpo__study_sys_attr_cas(hpo_study *study, const char *key,
                            const char *expected_json, const char *new_json);
/* Set a system attribute on the trial being sampled. */
int hpo__ctx_set_trial_sys_attr(hpo__sampler_ctx *ctx, const char *key,
                                const char *json);

/* The registry (registry.c): NULL-terminated, in --help order. */
extern const hpo__sampler_type *const hpo__sampler_types[];
const hpo__sampler_type *hpo__sampler_find(const char *name);

/* Built-in samplers, one per file. */
extern const hpo__sampler_type hpo__sampler_auto;
extern const hpo__sampler_type hpo__sampler_random;
extern const hpo__sampler_type hpo__sampler_grid;
extern const hpo__sampler_type hpo__sampler_qmc;
extern const hpo__sampler_type hpo__sampler_gp;
extern const hpo__sampler_type hpo__sampler_tpe;
extern const hpo__sampler_type hpo__sampler_rf;

/* The space a joint model covers (intersection.c): the declared space, or
 * else the parameters every completed trial has with one distribution
 * (Optuna's IntersectionSearchSpace), built into *inferred (owned by the
 * caller, replaced on each call); *space is NULL while that is empty. */
int hpo__sampler_joint_space(hpo__sampler_ctx *ctx, hpo_space **inferred,
                             const hpo_space **space);

/* Which finished trials a model learns from (intersection.c): COMPLETE
 * trials with values and, once one trial is COMPLETE, FAIL trials with
 * parameters, which carry no value and so count as the worst value seen
 * (SMAC's rule for crashed runs: the model steers away from where trials
 * fail instead of proposing the same failing point again).  Marks
 * learn[0..n) and returns how many. */
int hpo__sampler_learn_set(const hpo__trial_rec *trials, int n,
                           unsigned char *learn);

/* Draw uniformly from a distribution (random.c); other samplers use it for
 * start-up trials and parameters outside their model. */
double hpo__sample_uniform(const hpo__dist *d, hpo__rng *rng);
/* A sample_independent method that draws uniformly: what samplers with a
 * joint model use for the parameters their relative space leaves out. */
int hpo__sample_independent_uniform(void *state, hpo__sampler_ctx *ctx,
                                    const char *name, const hpo__dist *dist,
                                    double *value);

#endif
