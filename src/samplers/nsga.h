/*
 * nsga.h — what the nsga2 and nsga3 samplers share (nsga_common.c: the
 * loop on the shared generations of generation.h, breeding, the pool and
 * its non-dominated fronts; nsga_state.c: the stored state).  They differ
 * only in how the last front that does not fit whole is cut: crowding
 * distance (nsga2.c) or reference-point niching (nsga3.c).
 */
#ifndef HPO_NSGA_H
#define HPO_NSGA_H

#include "ga_ops.h"
#include "generation.h"

/* The candidates of one selection: the parents of a generation and its
 * COMPLETE members. */
typedef struct nsga_pool {
    int n, m;                    /* points, objectives */
    const hpo__trial_rec **rec;  /* borrowed from the call's history */
    double *y;                   /* n x m, minimised, within +-NSGA_HUGE
                                    (NaN and +infinity as NSGA_HUGE) */
    double *crowd;               /* nsga2: crowding distance in its front */
    double *viol;                /* total constraint violation; NULL: none */
    int *rank;                   /* non-dominated front of each point */
    int n_fronts;
} nsga_pool;

typedef struct nsga_state nsga_state;

/* Choose k of the n_last points `last` (one front) to complete a new
 * population that already holds the n_kept points `kept` (whole better
 * fronts): write the chosen into out[0..k).  rng: the selection's own
 * stream (the same whichever worker computes it). */
typedef int (*nsga_cut_fn)(nsga_state *st, hpo_plugin_ctx *ctx,
                           const nsga_pool *pool, const int *kept,
                           int n_kept, const int *last, int n_last, int k,
                           hpo__rng *rng, int *out);

/* The options of both samplers, then what they set up. */
struct nsga_state {
    int64_t population;    /* HPO_AUTO_INT: nsga3 sizes it */
    int cross, mut;        /* hpo__ga_cross, hpo__ga_mut */
    double p_cross, p_mut; /* p_mut NaN: auto, 1 / genes */
    double eta_c, eta_m, sigma;
    int64_t divisions;           /* nsga3: HPO_AUTO_INT or >= 1 */
    const char *reference_points; /* nsga3: user's, or NULL */
    /* set up */
    const hpo__gen_ops *gen_ops;
    nsga_cut_fn cut;
    int crowding;          /* crowding distances for the cut and the
                              tournament (nsga2) */
    /* Called before each trial with the objectives' count (nsga3: the
     * reference points); may be NULL. */
    int (*prepare)(nsga_state *st, hpo_plugin_ctx *ctx, int m);
    hpo__ga_ops ops;
    hpo__gen gen;
    hpo_space *inferred;
    double *refs;          /* nsga3: n_refs x refs_m reference points */
    int n_refs, refs_m;
};

/* The sampler methods both use (nsga_common.c). */
int hpo__nsga_init(nsga_state *st, hpo_plugin_ctx *ctx);
void hpo__nsga_destroy(void *state);
int hpo__nsga_infer(void *state, hpo_plugin_ctx *ctx,
                    const hpo_space **space);
int hpo__nsga_sample(void *state, hpo_plugin_ctx *ctx,
                     const hpo_space *space, double *values);
/* The generation-driver hooks (gen_ops of each sampler point at these). */
int hpo__nsga_first(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                    cJSON **state);
int hpo__nsga_ready(void *st, hpo_plugin_ctx *ctx, const hpo__gen *g);
int hpo__nsga_next(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                   const hpo__gen *g, cJSON **state);

/* Objective values are kept within +-NSGA_HUGE so that crowding distances
 * and normalisation stay finite; an infinite value sorts the same. */
#define NSGA_HUGE 1e300

/* The population size: the option, or for auto (nsga3) the smallest
 * multiple of 4 holding max(50, the reference points), as Deb & Jain size
 * NSGA-III's population. */
int hpo__nsga_population(const nsga_state *st);

/* The options both samplers have (rows of their option tables). */
#define NSGA_OPTIONS(population_default, population_flags)                 \
    {"population_size", HPO_OPTION_INT, population_default, 2, 1000000,    \
     NULL, "trials per generation (COMPLETE ones)",                         \
     offsetof(nsga_state, population), population_flags},                  \
    {"crossover", HPO_OPTION_ENUM, "uniform", 0, 0, "uniform|sbx",          \
     "uniform: each gene from either parent (Optuna's default); sbx: "      \
     "simulated binary crossover on numbers",                              \
     offsetof(nsga_state, cross), 0},                                       \
    {"crossover_prob", HPO_OPTION_FLOAT, "0.9", 0, 1, NULL,                 \
     "chance a child is crossed, else a copy of a parent",                  \
     offsetof(nsga_state, p_cross), 0},                                     \
    {"mutation", HPO_OPTION_ENUM, "polynomial", 0, 0, "polynomial|gaussian",\
     "numbers: Deb's polynomial mutation or a Gaussian step; "              \
     "categoricals: another choice",                                       \
     offsetof(nsga_state, mut), 0},                                         \
    {"mutation_prob", HPO_OPTION_FLOAT, "auto", 0, 1, NULL,                 \
     "chance per gene; auto: 1 / parameters, at least 0.1",                 \
     offsetof(nsga_state, p_mut), HPO_OPTION_AUTO},                         \
    {"eta_c", HPO_OPTION_FLOAT, "20", 0, 1000, NULL,                        \
     "SBX distribution index: larger, children nearer their parents",       \
     offsetof(nsga_state, eta_c), 0},                                       \
    {"eta_m", HPO_OPTION_FLOAT, "20", 0, 1000, NULL,                        \
     "polynomial mutation index: larger, smaller steps",                    \
     offsetof(nsga_state, eta_m), 0},                                       \
    {"sigma", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,                          \
     "Gaussian mutation's step in the unit cube",                           \
     offsetof(nsga_state, sigma), HPO_OPTION_LOW_OPEN}

/* ---- the stored state (nsga_state.c) ---------------------------------- */

/* The parents of the current generation as stored: trial numbers, their
 * front and crowding distance in the selection that chose them. */
typedef struct nsga_parents {
    int n;
    double *number, *rank, *crowding; /* crowding NaN: infinite */
} nsga_parents;

/* Read g->state's parents into scratch memory: HPO_OK, or HPO_EINVAL
 * naming the study attribute when they are not nsga's. */
int hpo__nsga_read_parents(hpo_plugin_ctx *ctx, const hpo__gen_ops *ops,
                           const cJSON *state, nsga_parents *p);
/* {"parents": [...], "rank": [...], "crowding": [...]} (empty for the
 * first generation); NULL when memory runs out. */
cJSON *hpo__nsga_write_parents(const nsga_parents *p);

#endif
