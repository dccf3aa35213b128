/*
 * rbf.c — the `rbf` sampler: radial-basis-function surrogate optimization
 * after Gutmann (2001), "A radial basis function method for global
 * optimization"; Regis & Shoemaker (2007), "A stochastic radial basis
 * function method for the global optimization of expensive functions"
 * (the candidate score); and DYCORS, Regis & Shoemaker (2013), "Combining
 * radial basis function surrogates and dynamic coordinate search in
 * high-dimensional expensive black-box optimization" (the candidates).
 *
 * Per trial:
 *   1. while fewer than n_startup_trials (auto: 2(d + 1), d coordinates)
 *      trials have values, a point of a scrambled Sobol sequence (the
 *      trial number's), as the initial design;
 *   2. otherwise the trials with values are encoded onto the unit cube
 *      (gp_encode.c: log axes linear in log space, ints and steps rounded
 *      on decoding, a categorical one-hot, conditional parameters left to
 *      independent uniform sampling), their values minimized, and with
 *      clip_median=true values above the median replaced by the median
 *      (Regis & Shoemaker 2007: huge values make the interpolant
 *      oscillate);
 *   3. a cubic (or thin-plate) RBF with a linear tail interpolates them
 *      (rbf_fit.c; categoricals' one-hot coordinates enter the distance
 *      only, not the tail);
 *   4. `candidates` points perturb the best trial's (rbf_candidates.c):
 *      each parameter with DYCORS's decreasing probability, by a radius
 *      that halves after fail_tolerance failures in a row and doubles
 *      after success_tolerance successes, replayed from the history so
 *      every worker finds the same;
 *   5. the candidate with the lowest w * scaled surrogate value + (1 - w)
 *      * scaled closeness to the evaluated and RUNNING trials wins, the
 *      weight w cycling through `weights` with the trial number; running
 *      trials count in the distance, and no candidate within a hair of
 *      one (or of an evaluated point) is taken while another is left, so
 *      parallel workers propose distinct points.
 *
 * FAIL trials with parameters count as the worst value seen (the rule of
 * hpo__sampler_learn_set).  One objective only (HPO_EUNSUPPORTED for
 * several); constraints are not modelled.
 *
 * Deviations: DYCORS starts at radius 0.2 and clips at the median; here
 * 0.1 and no clipping by default: at 50 trials (10 seeds) 0.1 lowered the
 * median regret on all seven problems of the synthetic suite (hartmann6
 * 0.159 -> 0.040, ackley10 14.5 -> 12.1), and without clipping levy8
 * went 3.28 -> 2.22 and ackley10 -> 11.0 (rosenbrock4 4.7 -> 24: its
 * huge values do make the interpolant wild; docs/benchmarks.md).  DYCORS
 * scores min(100 d, 5000) candidates; here at most
 * 500, which on the synthetic suite gave the same medians within seed
 * noise at a third of the cost for d >= 8 (docs/benchmarks.md).  DYCORS
 * knows its budget; here it is the study's planned
 * trials (hpo:n_trials) or the `horizon` option.  No restarts when the
 * radius reaches its floor (the budgets hpo is measured at end sooner).
 *
 * Options: kernel=cubic|thin_plate, n_startup_trials=N|auto,
 * candidates=N|auto (100 d, at most 500), weights=LIST (0.3/0.5/0.8/
 * 0.95), sigma_init, sigma_min, sigma_max (unit-cube radii: 0.1, 0.005,
 * 0.4), fail_tolerance=N|auto (max(5, d)), success_tolerance=N (3),
 * horizon=N|auto, clip_median=true|false.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "gp_encode.h"
#include "math/linalg.h"
#include "math/sobol.h"
#include "rbf_candidates.h"
#include "rbf_fit.h"
#include "sampler.h"

/* The rng stream of the initial design's scramble ("rbf-sobl"). */
#define STARTUP_STREAM UINT64_C(0x7262662d736f626c)
#define MAX_WEIGHTS 16
#define MAX_CANDIDATES_AUTO 500
#define HORIZON_UNKNOWN 200
/* Parallel proposals this close (unit cube, per coordinate) are the same. */
#define MIN_GAP 1e-3

typedef struct rbf_state {
    int kernel; /* an rbf_kernel */
    int64_t n_startup, n_candidates, fail_tolerance, success_tolerance;
    int64_t horizon;
    double sigma_init, sigma_min, sigma_max;
    const char *weights_text;
    int clip_median;
    int n_weights;
    double weights[MAX_WEIGHTS];
    hpo__sobol startup; /* dim 0 until first used */
    hpo_space *inferred;
} rbf_state;

static const hpo_option rbf_options[] = {
    {"kernel", HPO_OPTION_ENUM, "cubic", 0, 0, "cubic|thin_plate",
     "radial function: r^3 or r^2 log r, both with a linear tail",
     offsetof(rbf_state, kernel), 0},
    {"n_startup_trials", HPO_OPTION_INT, "auto", 1, 1e9, NULL,
     "Sobol trials before the surrogate (auto: 2 (d + 1), d unit-cube "
     "coordinates)",
     offsetof(rbf_state, n_startup), HPO_OPTION_AUTO},
    {"candidates", HPO_OPTION_INT, "auto", 1, 1000000, NULL,
     "perturbations of the best point scored per trial (auto: 100 d, at "
     "most 500)",
     offsetof(rbf_state, n_candidates), HPO_OPTION_AUTO},
    {"weights", HPO_OPTION_STRING, "0.3/0.5/0.8/0.95", 0, 0, NULL,
     "cycle of weights on the surrogate value against the distance, each in "
     "[0, 1], separated by /, up to 16",
     offsetof(rbf_state, weights_text), 0},
    {"sigma_init", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,
     "initial perturbation radius (share of each unit-cube axis)",
     offsetof(rbf_state, sigma_init), HPO_OPTION_LOW_OPEN},
    {"sigma_min", HPO_OPTION_FLOAT, "0.005", 0, 1, NULL,
     "smallest radius", offsetof(rbf_state, sigma_min), HPO_OPTION_LOW_OPEN},
    {"sigma_max", HPO_OPTION_FLOAT, "0.4", 0, 1, NULL, "largest radius",
     offsetof(rbf_state, sigma_max), HPO_OPTION_LOW_OPEN},
    {"fail_tolerance", HPO_OPTION_INT, "auto", 1, 1e6, NULL,
     "failures in a row that halve the radius (auto: max(5, d), d "
     "parameters)",
     offsetof(rbf_state, fail_tolerance), HPO_OPTION_AUTO},
    {"success_tolerance", HPO_OPTION_INT, "3", 1, 1e6, NULL,
     "successes in a row that double it",
     offsetof(rbf_state, success_tolerance), 0},
    {"horizon", HPO_OPTION_INT, "auto", 2, 1e9, NULL,
     "trials over which the chance of perturbing a parameter decays (auto: "
     "the study's planned trials hpo:n_trials, else 200)",
     offsetof(rbf_state, horizon), HPO_OPTION_AUTO},
    {"clip_median", HPO_OPTION_BOOL, "false", 0, 0, NULL,
     "values above the median enter the surrogate as the median",
     offsetof(rbf_state, clip_median), 0},
    {0},
};

/* The weights option: numbers in [0, 1] separated by '/' (a comma would
 * end the option in a sampler spec). */
static int parse_weights(rbf_state *st, hpo_plugin_ctx *ctx)
{
    const char *p = st->weights_text ? st->weights_text : "";
    st->n_weights = 0;
    while (*p) {
        char *end;
        double w = strtod(p, &end);
        if (end == p || !(w >= 0 && w <= 1) || st->n_weights == MAX_WEIGHTS ||
            (*end && *end != '/'))
            return hpo_ctx_fail(ctx, HPO_EINVAL,
                                "rbf: weights=%s: give up to %d numbers in "
                                "[0, 1] separated by /",
                                st->weights_text, MAX_WEIGHTS);
        st->weights[st->n_weights++] = w;
        p = *end ? end + 1 : end;
    }
    if (st->n_weights == 0)
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "rbf: weights is empty: give at least one "
                            "number in [0, 1]");
    return HPO_OK;
}

static int rbf_init(void *state, hpo_plugin_ctx *ctx)
{
    rbf_state *st = state;
    hpo__linalg_init();
    if (!(st->sigma_min <= st->sigma_init && st->sigma_init <= st->sigma_max))
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "rbf: need sigma_min <= sigma_init <= sigma_max, "
                            "got %g, %g, %g",
                            st->sigma_min, st->sigma_init, st->sigma_max);
    return parse_weights(st, ctx);
}

static void rbf_destroy(void *state)
{
    rbf_state *st = state;
    hpo__sobol_free(&st->startup);
    hpo_space_free(st->inferred);
}

static int rbf_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                    const hpo_space **space)
{
    rbf_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* ---- the initial design: scrambled Sobol points ------------------------- */

static int sample_startup(rbf_state *st, hpo_plugin_ctx *ctx,
                          const hpo_space *space, double *values)
{
    return hpo__sampler_sobol_startup(ctx, &st->startup, STARTUP_STREAM, space,
                                      "rbf", values);
}

/* ---- the data ------------------------------------------------------------ */

typedef struct training {
    int n, n_running, dim;
    double *x; /* (n + n_running) x dim: trials with values, then running */
    double *y; /* n: minimized, in trial-number order */
    int best;  /* index of the lowest y */
} training;

/* The objective, minimized; infinite or missing values (FAIL trials) as
 * the worst finite value seen. */
static void objective_values(hpo_plugin_ctx *ctx, const hpo__trial_rec **t,
                             int n, double *y)
{
    double sign = hpo_ctx_direction(ctx, 0) == HPO_MAXIMIZE ? -1 : 1;
    double worst = -HUGE_VAL;
    for (int i = 0; i < n; i++) {
        y[i] = t[i]->n_values > 0 ? sign * t[i]->values[0] : NAN;
        if (isfinite(y[i]))
            worst = fmax(worst, y[i]);
    }
    for (int i = 0; i < n; i++)
        if (!isfinite(y[i]))
            y[i] = y[i] == -HUGE_VAL ? y[i] : worst > -HUGE_VAL ? worst : 0;
    /* -inf (a maximized +inf) is best; keep it finite for the fit. */
    double lo = HUGE_VAL;
    for (int i = 0; i < n; i++)
        if (isfinite(y[i]))
            lo = fmin(lo, y[i]);
    for (int i = 0; i < n; i++)
        if (!isfinite(y[i]))
            y[i] = lo < HUGE_VAL ? lo - 1 : -1;
}

static int build_training(hpo_plugin_ctx *ctx, const hpo_space *space,
                          const gp_layout *lay, training *tr)
{
    const hpo__trial_rec *trials;
    int n_all;
    int rc = hpo__ctx_history(ctx, &trials, &n_all);
    if (rc != HPO_OK)
        return rc;
    int dim = lay->dim > 0 ? lay->dim : 1;
    tr->dim = lay->dim;
    tr->x = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1) * dim);
    tr->y = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1));
    const hpo__trial_rec **done =
        hpo__scratch(ctx, sizeof(*done) * (size_t)(n_all + 1));
    unsigned char *learn = hpo__scratch(ctx, (size_t)n_all + 1);
    if (!tr->x || !tr->y || !done || !learn)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rbf: out of memory");
    hpo__sampler_learn_set(trials, n_all, learn);
    for (int k = 0; k < n_all; k++)
        if (learn[k] && gp_encode_trial(lay, space, &trials[k],
                                        tr->x + (size_t)tr->n * dim) == 0)
            done[tr->n++] = &trials[k];
    for (int k = 0; k < n_all; k++)
        if (trials[k].state == HPO_RUNNING &&
            trials[k].number != ctx->trial->number &&
            gp_encode_trial(lay, space, &trials[k],
                            tr->x + (size_t)(tr->n + tr->n_running) * dim) == 0)
            tr->n_running++;
    objective_values(ctx, done, tr->n, tr->y);
    tr->best = 0;
    for (int i = 1; i < tr->n; i++)
        if (tr->y[i] < tr->y[tr->best])
            tr->best = i;
    return HPO_OK;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Values above the median as the median (Regis & Shoemaker 2007). */
static int clipped_values(hpo_plugin_ctx *ctx, const training *tr,
                          double **out)
{
    double *v = hpo__scratch(ctx, sizeof(double) * (size_t)tr->n * 2);
    if (!v)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rbf: out of memory");
    double *sorted = v + tr->n;
    memcpy(sorted, tr->y, sizeof(double) * (size_t)tr->n);
    qsort(sorted, (size_t)tr->n, sizeof(double), compare_doubles);
    double median = tr->n % 2 ? sorted[tr->n / 2]
                              : (sorted[tr->n / 2 - 1] + sorted[tr->n / 2]) / 2;
    for (int i = 0; i < tr->n; i++)
        v[i] = fmin(tr->y[i], median);
    *out = v;
    return HPO_OK;
}

/* ---- the proposal -------------------------------------------------------- */

static int modelled_params(const gp_layout *lay)
{
    int d = 0;
    for (int i = 0; i < lay->n_params; i++)
        d += lay->width[i] > 0;
    return d;
}

static int n_startup(const rbf_state *st, const gp_layout *lay)
{
    return st->n_startup == HPO_AUTO_INT ? 2 * (lay->dim + 1)
                                         : (int)st->n_startup;
}

/* The horizon of DYCORS's decaying probability: the option, else the
 * study's planned trials, else HORIZON_UNKNOWN. */
static int horizon(const rbf_state *st, hpo_plugin_ctx *ctx)
{
    if (st->horizon != HPO_AUTO_INT)
        return (int)st->horizon;
    const char *text = NULL;
    char *end = NULL;
    double b = hpo_ctx_study_attr(ctx, HPO_N_TRIALS_ATTR, &text) == HPO_OK &&
                       text ? strtod(text, &end) : 0;
    return end && end != text && b >= 2 && b < 1e9 ? (int)b : HORIZON_UNKNOWN;
}

/* Coordinates that may enter the linear tail: all but one-hot blocks. */
static unsigned char *linear_coords(hpo_plugin_ctx *ctx, const gp_layout *lay,
                                    const hpo_space *space)
{
    unsigned char *lin = hpo__scratch(ctx, (size_t)lay->dim + 1);
    if (!lin)
        return NULL;
    for (int i = 0; i < space->n; i++)
        for (int w = 0; w < lay->width[i]; w++)
            lin[lay->offset[i] + w] =
                space->p[i].dist.kind != HPO__CATEGORICAL;
    return lin;
}

/* Candidates are made and scored in blocks: a block's cross products with
 * the trials (one BLAS call) stay in cache, and the thousands of
 * candidates never sit in memory at once.  The chosen one is made again
 * from its block's random state. */
#define BLOCK 32

static double squared_norm(const double *u, int dim)
{
    double s = 0;
    for (int j = 0; j < dim; j++)
        s += u[j] * u[j];
    return s;
}

/* How candidates are made this trial (rbf_perturb's arguments). */
typedef struct perturbation {
    const gp_layout *lay;
    const hpo_space *space;
    const double *best;
    double sigma, p;
} perturbation;

static void make_block(const perturbation *pt, hpo__rng *rng, int nb,
                       double *blk)
{
    for (int b = 0; b < nb; b++)
        rbf_perturb(pt->lay, pt->space, pt->best, pt->sigma, pt->p, rng,
                    blk + (size_t)b * pt->lay->dim);
}

/* For the nb candidates of blk: pred[b], the surrogate (0 when there is
 * no interpolant, as for points on a hyperplane: the distance alone then
 * chooses), and dist[b], the distance to the nearest evaluated or running
 * trial.  The squared distances to the trials, from one matrix product,
 * serve both.  norm: the trials' squared norms; g: BLOCK x trials. */
static void score_block(const rbf_model *m, int fitted, const training *tr,
                        const double *blk, int nb, const double *norm,
                        double *g, double *pred, double *dist)
{
    int dim = tr->dim, n_points = tr->n + tr->n_running;
    hpo__gemm_nt(nb, n_points, dim, blk, tr->x, g);
    for (int b = 0; b < nb; b++) {
        const double *u = blk + (size_t)b * dim;
        double *d2 = g + (size_t)b * n_points, cu = squared_norm(u, dim);
        double nearest = HUGE_VAL;
        for (int i = 0; i < n_points; i++) {
            double s = cu + norm[i] - 2 * d2[i];
            d2[i] = s > 0 ? s : 0; /* rounding can make it negative */
            nearest = d2[i] < nearest ? d2[i] : nearest;
        }
        pred[b] = fitted ? rbf_eval_d2(m, u, d2) : 0;
        dist[b] = sqrt(nearest);
    }
}

static int n_candidates(const rbf_state *st, int d)
{
    if (st->n_candidates != HPO_AUTO_INT)
        return (int)st->n_candidates;
    return 100 * d < MAX_CANDIDATES_AUTO ? 100 * d : MAX_CANDIDATES_AUTO;
}

static double radius(const rbf_state *st, const training *tr, int n0, int d)
{
    rbf_radius_rule rule = {
        st->sigma_init, st->sigma_min, st->sigma_max,
        st->fail_tolerance == HPO_AUTO_INT ? (d > 5 ? d : 5)
                                           : (int)st->fail_tolerance,
        (int)st->success_tolerance};
    return rbf_radius_replay(&rule, tr->y, tr->n, n0);
}

static int propose(rbf_state *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                   const gp_layout *lay, const training *tr, double *u)
{
    int dim = lay->dim, d = modelled_params(lay), n0 = n_startup(st, lay);
    int n_cand = n_candidates(st, d), n_points = tr->n + tr->n_running;
    int n_blocks = (n_cand + BLOCK - 1) / BLOCK;
    double *values = tr->y;
    int rc = st->clip_median ? clipped_values(ctx, tr, &values) : HPO_OK;
    unsigned char *lin = linear_coords(ctx, lay, space);
    double *blk = hpo__scratch(ctx, sizeof(double) * BLOCK * (size_t)dim);
    double *pred = hpo__scratch(ctx, sizeof(double) * (size_t)n_cand * 2);
    double *norm = hpo__scratch(ctx, sizeof(double) * (BLOCK + 1) *
                                         (size_t)(n_points + 1));
    hpo__rng *at = hpo__scratch(ctx, sizeof(hpo__rng) * (size_t)n_blocks);
    if (rc != HPO_OK)
        return rc;
    if (!lin || !blk || !pred || !norm || !at)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rbf: out of memory");
    perturbation pt = {lay, space, tr->x + (size_t)tr->best * dim,
                       radius(st, tr, n0, d),
                       rbf_perturb_probability(tr->n, n0, horizon(st, ctx), d)};
    rbf_model m;
    int fit = rbf_fit(&m, (rbf_kernel)st->kernel, tr->x, values, tr->n, dim,
                      lin);
    if (fit < 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rbf: out of memory");
    for (int i = 0; i < n_points; i++)
        norm[i] = squared_norm(tr->x + (size_t)i * dim, dim);
    for (int k = 0; k < n_blocks; k++) {
        int k0 = k * BLOCK, nb = n_cand - k0 < BLOCK ? n_cand - k0 : BLOCK;
        at[k] = *ctx->rng;
        make_block(&pt, ctx->rng, nb, blk);
        score_block(&m, fit == 0, tr, blk, nb, norm, norm + n_points + 1,
                    pred + k0, pred + n_cand + k0);
    }
    rbf_model_free(&m);
    double w = st->weights[ctx->trial->number % st->n_weights];
    int pick = rbf_pick(pred, pred + n_cand, n_cand, w, MIN_GAP * sqrt(dim));
    hpo__rng again = at[pick / BLOCK];
    make_block(&pt, &again, pick % BLOCK + 1, blk);
    memcpy(u, blk + (size_t)(pick % BLOCK) * dim, sizeof(double) * (size_t)dim);
    return HPO_OK;
}

static int rbf_sample_relative(void *state, hpo_plugin_ctx *ctx,
                               const hpo_space *space, double *values)
{
    rbf_state *st = state;
    if (hpo_ctx_n_objectives(ctx) > 1)
        return hpo_ctx_fail(ctx, HPO_EUNSUPPORTED,
                            "rbf: the RBF surrogate models one objective, "
                            "this study has %d (use gp or nsga2)",
                            hpo_ctx_n_objectives(ctx));
    gp_layout lay;
    if (gp_layout_init(&lay, space) != 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rbf: out of memory");
    training tr = {0};
    int rc = build_training(ctx, space, &lay, &tr);
    if (rc == HPO_OK && (tr.n < n_startup(st, &lay) || lay.dim == 0)) {
        rc = sample_startup(st, ctx, space, values);
    } else if (rc == HPO_OK) {
        double *u = hpo__scratch(ctx, sizeof(double) * (size_t)lay.dim);
        rc = u ? propose(st, ctx, space, &lay, &tr, u)
               : hpo__fail(ctx->msg, HPO_ENOMEM, "rbf: out of memory");
        if (rc == HPO_OK)
            gp_decode(&lay, space, u, values);
    }
    gp_layout_free(&lay);
    return rc;
}

const hpo_sampler_type hpo__sampler_rbf = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "rbf",
             .summary = "radial-basis-function surrogate (cubic or thin-plate "
                        "with a linear tail; DYCORS candidates around the "
                        "best trial, scored by value and distance)",
             .options = rbf_options,
             .state_size = sizeof(rbf_state),
             .init = rbf_init,
             .destroy = rbf_destroy},
    .infer_relative_space = rbf_infer_relative_space,
    .sample_relative = rbf_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
