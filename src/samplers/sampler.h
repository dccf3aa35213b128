/*
 * sampler.h — what the built-in samplers share: the plug-in interface
 * (include/hpo_plugin.h, with the core's side in core/plugin.h), the
 * registry's names, and helpers several samplers use.
 *
 * A built-in sampler is one const hpo_sampler_type.  Rules, for built-in
 * and registered samplers alike:
 *   1. Randomness comes only from ctx->rng (hpo_ctx_uniform ...), a stream
 *      derived from the study's seed and the trial's number, so a seeded
 *      run is reproducible whatever the thread timing.
 *   2. Samplers are stateless between calls apart from caches: what they
 *      need is derived from the history (hpo__ctx_history).  State that
 *      cannot be recomputed goes into study or trial system attributes.
 *   3. Memory from hpo__scratch() is freed by the core after the call.
 *   4. Values are internal values (hpo__dist): floats and ints as doubles,
 *      categoricals as the index of the choice.
 *   5. The study is reached only through the context's accessors.
 */
#ifndef HPO_SAMPLER_H
#define HPO_SAMPLER_H

#include "../core/plugin.h"
#include "../math/sobol.h"

/* Per-call scratch memory, zeroed; freed by the core when the call returns. */
void *hpo__scratch(hpo_plugin_ctx *ctx, size_t size);
void hpo__scratch_release(hpo__scratch_block **head);

/* Built-in samplers, one per file (the registry, core/registry.c, lists
 * them). */
extern const hpo_sampler_type hpo__sampler_auto;
extern const hpo_sampler_type hpo__sampler_random;
extern const hpo_sampler_type hpo__sampler_grid;
extern const hpo_sampler_type hpo__sampler_qmc;
extern const hpo_sampler_type hpo__sampler_gp;
extern const hpo_sampler_type hpo__sampler_tpe;
extern const hpo_sampler_type hpo__sampler_rf;
extern const hpo_sampler_type hpo__sampler_harmonica;
extern const hpo_sampler_type hpo__sampler_rbf;
extern const hpo_sampler_type hpo__sampler_ga;
extern const hpo_sampler_type hpo__sampler_de;
extern const hpo_sampler_type hpo__sampler_nsga2;
extern const hpo_sampler_type hpo__sampler_nsga3;
extern const hpo_sampler_type hpo__sampler_cmaes;

/* The space a joint model covers (intersection.c): the declared space, or
 * else the parameters every completed trial has with one distribution
 * (Optuna's IntersectionSearchSpace), built into *inferred (owned by the
 * caller, replaced on each call); *space is NULL while that is empty. */
int hpo__sampler_joint_space(hpo_plugin_ctx *ctx, hpo_space **inferred,
                             const hpo_space **space);

/* Which finished trials a model learns from (intersection.c): COMPLETE
 * trials with values and, once one trial is COMPLETE, FAIL trials with
 * parameters, which carry no value and so count as the worst value seen
 * (SMAC's rule for crashed runs: the model steers away from where trials
 * fail instead of proposing the same failing point again).  Marks
 * learn[0..n) and returns how many. */
int hpo__sampler_learn_set(const hpo__trial_rec *trials, int n,
                           unsigned char *learn);

/* The start-up values of the current trial (sobol_startup.c): point
 * `trial number` of a Sobol sequence over the space, scrambled once from
 * the study's seed and `stream` (kept in *s, remade when the space's size
 * changes); categoricals drawn uniformly; conditional parameters, and
 * every parameter past hpo__sobol_max_dim(), NaN (independent sampling).
 * `who` names the sampler in an error message. */
int hpo__sampler_sobol_startup(hpo_plugin_ctx *ctx, hpo__sobol *s,
                               uint64_t stream, const hpo_space *space,
                               const char *who, double *values);

/* Draw uniformly from a distribution (random.c); other samplers use it for
 * start-up trials and parameters outside their model. */
double hpo__sample_uniform(const hpo__dist *d, hpo__rng *rng);
/* A sample_independent method that draws uniformly: what samplers with a
 * joint model use for the parameters their relative space leaves out. */
int hpo__sample_independent_uniform(void *state, hpo_plugin_ctx *ctx,
                                    const char *name, const hpo__dist *dist,
                                    double *value);

#endif
