/*
 * gp.c — the `gp` sampler: Gaussian-process Bayesian optimization after
 * Snoek, Larochelle & Adams (2012), "Practical Bayesian Optimization of
 * Machine Learning Algorithms".
 *
 * Per trial, after n_startup_trials scrambled Sobol points:
 *   1. encode the completed trials onto the unit cube (gp_encode.c) and
 *      standardize their objective values (gp_outputs.c: minimized;
 *      maximized objectives are negated; warped towards normality by a
 *      fitted Yeo-Johnson transform, gp_warp.c).  Two objectives get a
 *      model each, for EHVI; more are scalarized by ParEGO (Knowles 2006:
 *      a random Chebyshev weighting per trial);
 *   2. read the trials' constraints, if any (gp_constraints.c: the system
 *      attribute "constraints", feasible iff every value <= 0) and give
 *      each constraint its own model (Gardner et al. 2014);
 *   3. fit each model's Matérn-5/2 ARD kernel hyperparameters by MAP
 *      marginal likelihood (gp_model.c), warm-started from the previous
 *      fit, refitting only when due (gp_fit.c);
 *   4. add running trials as fantasies at each model's worst output
 *      (constant liar, CL-max: Ginsbourger, Le Riche & Carraro 2010,
 *      "Kriging is well-suited to parallelize optimization"), which lifts
 *      the mean and shrinks the variance there, so parallel workers spread
 *      out.  The kriging believer (a fantasy at the model's mean) was used
 *      before: it leaves EI positive wherever the mean beats the incumbent,
 *      and with `hpo tune --jobs 2` two running trials were proposed
 *      2e-8 apart in lr (tests/test_parallel_asks.c).  Fantasies never
 *      enter the hyperparameter fit, and a sequential study has none, so
 *      its proposals do not change;
 *   5. maximize the acquisition (gp_acq.c): log-EI over the best feasible
 *      value (or UCB), or for two objectives the exact log-EHVI over the
 *      feasible front (gp_ehvi.c), plus each constraint's log probability
 *      of feasibility; with constraints but no feasible trial yet, that
 *      probability alone.  L-BFGS runs from the best of a scrambled Sobol
 *      set, the best trials and points around the incumbent (all legal
 *      points: one-hot blocks, ints and steps on their grid), holding
 *      categoricals while it moves the numeric coordinates, and each run's
 *      end point is snapped to the grid (ints and steps rounded) before it
 *      is compared.
 *
 * Caching: each model (points, hyperparameters and Cholesky factor) lives
 * in the sampler state between trials and is reused while its first rows
 * are unchanged (gp_fit.c).
 *
 * Deviations, on purpose: hyperparameters are a point estimate, not
 * integrated out by slice sampling (see gp_model.c); outputs are warped
 * (HEBO's finding, not in the paper); conditional parameters are not
 * modelled (independent uniform sampling); with three or more objectives
 * acquisition=ehvi falls back to ParEGO (exact EHVI grows quickly with the
 * number of objectives).
 *
 * Options: n_startup_trials=N (10), acquisition=logei|ucb|ehvi|parego
 * (ehvi: with two objectives the default, one model per objective; with one
 * it is log-EI, with more ParEGO; logei, ucb and parego scalarize several
 * objectives by ParEGO), kappa=K (UCB, 2), candidates=N (Sobol points scored
 * per trial, 512), restarts=N (L-BFGS starts of the acquisition, 5),
 * fantasies=true|false (true), warp=true|false (output warping, true;
 * EHVI's two models fit plain standardized values, see gp_outputs.c).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "gp_acq.h"
#include "gp_constraints.h"
#include "gp_ehvi.h"
#include "gp_encode.h"
#include "gp_fit.h"
#include "gp_model.h"
#include "gp_outputs.h"
#include "math/linalg.h"
#include "math/sobol.h"
#include "sampler.h"

/* The rng stream of the start-up scramble ("gp-sobol"). */
#define STARTUP_STREAM UINT64_C(0x67702d736f626f6c)
#define ACQ_MAX_EVAL 50
#define N_BEST_STARTS 5  /* best trials among the candidates */
#define N_LOCAL 32       /* perturbations of the incumbent */
#define LOCAL_SD 0.05
/* A code private to this file: a kernel matrix could not be factored,
 * this trial falls back to independent uniform sampling. */
#define FALLBACK 100

typedef enum acquisition {
    ACQ_LOGEI,
    ACQ_UCB,
    ACQ_EHVI,
    ACQ_PAREGO
} acquisition;

typedef struct gp_state {
    int64_t n_startup;
    int acq; /* an acquisition */
    double kappa;
    int64_t n_candidates, n_restarts;
    int fantasies;
    int warp;
    hpo__sobol startup; /* dim 0 until first used */
    gp_fitted objective[2]; /* [1]: the second objective's, under EHVI */
    gp_fitted constraint[GP_MAX_CONSTRAINTS];
    hpo_space *inferred;
} gp_state;

static const hpo_option gp_options[] = {
    {"n_startup_trials", HPO_OPTION_INT, "10", 1, INFINITY, NULL,
     "Sobol trials before the model", offsetof(gp_state, n_startup), 0},
    {"acquisition", HPO_OPTION_ENUM, "ehvi", 0, 0, "logei|ucb|ehvi|parego",
     "ehvi: log-EI for one objective, exact EHVI for two, ParEGO for more; "
     "logei, ucb and parego scalarize several objectives by ParEGO",
     offsetof(gp_state, acq), 0},
    {"kappa", HPO_OPTION_FLOAT, "2", 0, INFINITY, NULL,
     "UCB's weight on the standard deviation", offsetof(gp_state, kappa), 0},
    {"candidates", HPO_OPTION_INT, "512", 1, 1000000, NULL,
     "Sobol points scored per trial", offsetof(gp_state, n_candidates), 0},
    {"restarts", HPO_OPTION_INT, "5", 1, INFINITY, NULL,
     "L-BFGS starts on the acquisition", offsetof(gp_state, n_restarts), 0},
    {"fantasies", HPO_OPTION_BOOL, "true", 0, 0, NULL,
     "running trials as lies at the worst value (CL-max)",
     offsetof(gp_state, fantasies), 0},
    {"warp", HPO_OPTION_BOOL, "true", 0, 0, NULL,
     "Yeo-Johnson output warping (not for EHVI's models)",
     offsetof(gp_state, warp), 0},
    {0},
};

static int gp_init(void *state, hpo_plugin_ctx *ctx)
{
    (void)state;
    (void)ctx;
    hpo__linalg_init();
    return HPO_OK;
}

static void gp_destroy(void *state)
{
    gp_state *st = state;
    hpo__sobol_free(&st->startup);
    for (int j = 0; j < 2; j++)
        gp_fitted_free(&st->objective[j]);
    for (int j = 0; j < GP_MAX_CONSTRAINTS; j++)
        gp_fitted_free(&st->constraint[j]);
    hpo_space_free(st->inferred);
}

/* ---- the relative space ------------------------------------------------- */

static int gp_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                   const hpo_space **space)
{
    gp_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* ---- start-up: scrambled Sobol points ------------------------------------ */

static int sample_startup(gp_state *st, hpo_plugin_ctx *ctx,
                          const hpo_space *space, double *values)
{
    return hpo__sampler_sobol_startup(ctx, &st->startup, STARTUP_STREAM, space,
                                      "gp", values);
}

/* ---- the training set ---------------------------------------------------- */

typedef struct training {
    int n, n_pending, dim;
    double *x;        /* (n + n_pending) x dim: completed, then running */
    gp_outputs out;   /* the objective models' outputs, and the rank */
    gp_constraint_set cs;
    int feasibility_only; /* constraints, but no feasible trial yet */
    double best;      /* log-EI: the lowest y[0] of a feasible trial */
    int *order;       /* up to N_BEST_STARTS trials: feasible ones by rank,
                         then the others by violation */
    gp_front2 front;  /* EHVI: of the feasible trials */
} training;

static int constrained(const training *tr)
{
    return tr->cs.k > 0 && tr->cs.n > 0;
}

/* Whether trial i can be an incumbent or on the front: feasible, or any
 * trial when no constraint is modelled and none is known feasible. */
static int counts(const training *tr, int i)
{
    return tr->cs.violation[i] == 0 ||
           (tr->cs.n_feasible == 0 && !constrained(tr));
}

/* Is trial i a better starting point than trial j? */
static int better(const training *tr, int i, int j)
{
    int fi = counts(tr, i), fj = counts(tr, j);
    if (fi != fj)
        return fi;
    if (!fi && tr->cs.violation[i] != tr->cs.violation[j])
        return tr->cs.violation[i] < tr->cs.violation[j];
    return tr->out.rank[i] < tr->out.rank[j];
}

static void order_starts(training *tr)
{
    for (int j = 0; j < N_BEST_STARTS; j++) {
        int best = -1;
        for (int i = 0; i < tr->n; i++) {
            int taken = 0;
            for (int q = 0; q < j; q++)
                taken |= tr->order[q] == i;
            if (!taken && (best < 0 || better(tr, i, best)))
                best = i;
        }
        tr->order[j] = best;
    }
}

/* The incumbent for log-EI, or the front for EHVI, over the trials that
 * count. */
static int incumbents(hpo_plugin_ctx *ctx, training *tr)
{
    tr->best = HUGE_VAL;
    for (int i = 0; i < tr->n; i++)
        if (counts(tr, i) && tr->out.y[0][i] < tr->best)
            tr->best = tr->out.y[0][i];
    tr->feasibility_only = !(tr->best < HUGE_VAL);
    if (tr->out.n_models < 2)
        return HPO_OK;
    double *pairs = hpo__scratch(ctx, sizeof(double) * 2 * (size_t)tr->n);
    unsigned char *use = hpo__scratch(ctx, (size_t)tr->n);
    double *storage = hpo__scratch(ctx, sizeof(double) * 2 * (size_t)tr->n);
    if (!pairs || !use || !storage)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    for (int i = 0; i < tr->n; i++) {
        pairs[2 * i] = tr->out.y[0][i];
        pairs[2 * i + 1] = tr->out.y[1][i];
        use[i] = (unsigned char)counts(tr, i);
    }
    gp_front2_build(&tr->front, pairs, 2, use, tr->n, tr->out.ref[0],
                    tr->out.ref[1], storage);
    return HPO_OK;
}

static int build_training(gp_state *st, hpo_plugin_ctx *ctx,
                          const hpo_space *space, const gp_layout *lay,
                          training *tr)
{
    const hpo__trial_rec *trials;
    int n_all;
    int rc = hpo__ctx_history(ctx, &trials, &n_all);
    if (rc != HPO_OK)
        return rc;
    int dim = lay->dim > 0 ? lay->dim : 1;
    tr->dim = lay->dim;
    tr->x = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1) * dim);
    tr->order = hpo__scratch(ctx, sizeof(int) * N_BEST_STARTS);
    const hpo__trial_rec **done =
        hpo__scratch(ctx, sizeof(*done) * (size_t)(n_all + 1));
    if (!tr->x || !tr->order || !done)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    tr->n = tr->n_pending = 0;
    unsigned char *learn = hpo__scratch(ctx, (size_t)n_all + 1);
    if (!learn)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    hpo__sampler_learn_set(trials, n_all, learn);
    for (int k = 0; k < n_all; k++)
        if (learn[k] &&
            gp_encode_trial(lay, space, &trials[k],
                            tr->x + (size_t)tr->n * dim) == 0)
            done[tr->n++] = &trials[k];
    for (int k = 0; st->fantasies && k < n_all; k++)
        if (trials[k].state == HPO_RUNNING && trials[k].number !=
            ctx->trial->number &&
            gp_encode_trial(lay, space, &trials[k],
                            tr->x + (size_t)(tr->n + tr->n_pending) * dim) == 0)
            tr->n_pending++;
    if (tr->n == 0)
        return HPO_OK;
    if ((rc = gp_outputs_build(&tr->out, ctx, done, tr->n,
                               st->acq == ACQ_EHVI, st->warp)) ||
        (rc = gp_constraints_collect(&tr->cs, ctx, done, tr->n, tr->x,
                                     tr->dim)) ||
        (rc = incumbents(ctx, tr)))
        return rc;
    order_starts(tr);
    return HPO_OK;
}

/* ---- the models ---------------------------------------------------------- */

static double urand(void *rng) { return hpo__rng_uniform(rng); }

/* The models this trial uses: the objective's (two under EHVI), then one
 * per constraint that has rows.  Returns how many. */
static int models_in_use(gp_state *st, const training *tr, gp_fitted **f)
{
    int count = 0;
    for (int j = 0; j < tr->out.n_models; j++)
        f[count++] = &st->objective[j];
    for (int j = 0; constrained(tr) && j < tr->cs.k; j++)
        f[count++] = &st->constraint[j];
    return count;
}

static void reset_models(gp_state *st)
{
    for (int j = 0; j < 2; j++)
        gp_fitted_reset(&st->objective[j]);
    for (int j = 0; j < GP_MAX_CONSTRAINTS; j++)
        gp_fitted_reset(&st->constraint[j]);
}

/* Bring every model in use up to date and add the running trials as
 * fantasies (constant liar at each model's worst output, gp_fit.h). */
static int fit_models(gp_state *st, hpo_plugin_ctx *ctx, const training *tr)
{
    gp_fitted *f[2 + GP_MAX_CONSTRAINTS];
    int count = models_in_use(st, tr, f), n_obj = tr->out.n_models;
    const double *pending = tr->x + (size_t)tr->n * tr->dim;
    for (int j = 0; j < count; j++) {
        int con = j - n_obj;
        const double *x = con < 0 ? tr->x : tr->cs.x;
        const double *y = con < 0 ? tr->out.y[j] : tr->cs.y + (size_t)con *
                                                                tr->cs.n;
        int n = con < 0 ? tr->n : tr->cs.n;
        int rc = gp_fitted_update(f[j], x, y, n, tr->dim, tr->n_pending,
                                  urand, ctx->rng);
        if (rc == 0)
            rc = gp_fitted_add_fantasies(f[j], pending, tr->n_pending);
        if (rc == GP_FIT_NOMEM)
            return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
        if (rc != 0)
            return FALLBACK;
    }
    return HPO_OK;
}

static void drop_fantasies(gp_state *st, const training *tr)
{
    gp_fitted *f[2 + GP_MAX_CONSTRAINTS];
    int count = models_in_use(st, tr, f);
    for (int j = 0; j < count; j++)
        gp_fitted_drop_fantasies(f[j]);
}

/* ---- the acquisition ----------------------------------------------------- */

typedef struct legal {
    const gp_layout *lay;
    const hpo_space *space;
} legal;

/* Project a point onto the legal ones: one-hot blocks to their largest
 * coordinate, ints and steps rounded to their grid. */
static void snap_point(void *data, double *u)
{
    const legal *lg = data;
    for (int i = 0; i < lg->space->n; i++) {
        const hpo__dist *d = &lg->space->p[i].dist;
        double *ui = u + lg->lay->offset[i];
        int w = lg->lay->width[i];
        if (w == 0)
            continue;
        if (d->kind == HPO__CATEGORICAL) {
            int best = 0;
            for (int c = 1; c < w; c++)
                best = ui[c] > ui[best] ? c : best;
            for (int c = 0; c < w; c++)
                ui[c] = c == best;
        } else if (d->kind == HPO__INT || d->step > 0) {
            double v = ui[0] < 0 ? 0 : ui[0] > 1 ? 1 : ui[0];
            ui[0] = hpo__dist_to_unit(d, hpo__dist_snap(d, hpo__dist_from_unit(d, v)));
        }
    }
}

/* The incumbent, its continuous coordinates moved by a small Gaussian
 * step and, on average, one or two of its categoricals redrawn. */
static void perturb_incumbent(const legal *lg, hpo__rng *rng, double *u)
{
    int n_cat = 0;
    for (int i = 0; i < lg->space->n; i++)
        n_cat += lg->space->p[i].dist.kind == HPO__CATEGORICAL &&
                 lg->lay->width[i] > 0;
    double p_redraw = n_cat ? fmin(0.5, 1.5 / n_cat) : 0;
    for (int i = 0; i < lg->space->n; i++) {
        double *ui = u + lg->lay->offset[i];
        int w = lg->lay->width[i];
        if (w == 0)
            continue;
        if (lg->space->p[i].dist.kind == HPO__CATEGORICAL) {
            if (hpo__rng_uniform(rng) < p_redraw) {
                int pick = (int)hpo__rng_below(rng, (uint64_t)w);
                for (int c = 0; c < w; c++)
                    ui[c] = c == pick;
            }
            continue;
        }
        double v = ui[0] + LOCAL_SD * hpo__rng_normal(rng);
        ui[0] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
}

/* The points the acquisition is first scored at, all legal: a scrambled
 * Sobol set, the best trials, and perturbations of the incumbent. */
static double *candidates(gp_state *st, hpo_plugin_ctx *ctx,
                          const training *tr, const legal *lg, int *count)
{
    int dim = tr->dim, n_sobol = (int)st->n_candidates;
    int total = n_sobol + N_BEST_STARTS + N_LOCAL;
    double *c = hpo__scratch(ctx, sizeof(double) * (size_t)total * dim);
    if (!c)
        return NULL;
    int k = 0;
    hpo__sobol s = {0};
    if (dim <= hpo__sobol_max_dim() &&
        hpo__sobol_init(&s, dim, ctx->msg) == HPO_OK) {
        hpo__sobol_scramble(&s, ctx->rng);
        for (; k < n_sobol; k++)
            hpo__sobol_point(&s, (uint64_t)k, c + (size_t)k * dim);
    }
    hpo__sobol_free(&s);
    for (; k < n_sobol; k++)
        for (int j = 0; j < dim; j++)
            c[(size_t)k * dim + j] = hpo__rng_uniform(ctx->rng);
    for (int q = 0; q < n_sobol; q++)
        snap_point((void *)lg, c + (size_t)q * dim);
    for (int b = 0; b < N_BEST_STARTS && b < tr->n; b++, k++)
        memcpy(c + (size_t)k * dim, tr->x + (size_t)tr->order[b] * dim,
               sizeof(double) * dim);
    const double *inc = tr->x + (size_t)tr->order[0] * dim;
    for (int q = 0; q < N_LOCAL; q++, k++) {
        double *u = c + (size_t)k * dim;
        memcpy(u, inc, sizeof(double) * dim);
        perturb_incumbent(lg, ctx->rng, u);
        snap_point((void *)lg, u);
    }
    *count = k;
    return c;
}

/* The acquisition over the models in use (see the header comment). */
static gp_acq acquisition_of(gp_state *st, const training *tr)
{
    gp_acq a = {.model = &st->objective[0].model, .best = tr->best,
                .kappa = st->kappa};
    if (constrained(tr)) {
        a.n_constraints = tr->cs.k;
        a.thresholds = tr->cs.threshold;
    }
    if (a.n_constraints > 0 && tr->feasibility_only)
        a.kind = GP_FEASIBILITY;
    else if (tr->out.n_models == 2) {
        a.kind = GP_LOG_EHVI;
        a.model2 = &st->objective[1].model;
        a.front = &tr->front;
    } else
        a.kind = st->acq == ACQ_UCB ? GP_UCB : GP_LOG_EI;
    return a;
}

static int maximize_acquisition(gp_state *st, hpo_plugin_ctx *ctx,
                                const training *tr, const gp_layout *lay,
                                const hpo_space *space, double *u)
{
    const gp_model *cons[GP_MAX_CONSTRAINTS];
    for (int j = 0; j < GP_MAX_CONSTRAINTS; j++)
        cons[j] = &st->constraint[j].model;
    legal lg = {lay, space};
    gp_acq a = acquisition_of(st, tr);
    a.constraints = cons;
    size_t per_model = sizeof(double) * (size_t)tr->dim *
                       (size_t)gp_acq_n_models(&a);
    unsigned char *fixed = hpo__scratch(ctx, (size_t)tr->dim);
    a.work = hpo__scratch(ctx, sizeof(double) * 2 *
                                   (size_t)(tr->n + tr->n_pending + 1));
    a.dmean = hpo__scratch(ctx, per_model);
    a.dvar = hpo__scratch(ctx, per_model);
    a.fixed = fixed;
    a.snap = snap_point;
    a.snap_data = &lg;
    int count = 0;
    double *c = candidates(st, ctx, tr, &lg, &count);
    if (!a.work || !a.dmean || !a.dvar || !fixed || !c)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    /* L-BFGS moves the numeric coordinates; categoricals keep the start's
     * choices (the starts bring the variety). */
    for (int i = 0; i < space->n; i++)
        if (space->p[i].dist.kind == HPO__CATEGORICAL)
            for (int w = 0; w < lay->width[i]; w++)
                fixed[lay->offset[i] + w] = 1;
    if (gp_acq_maximize(&a, c, count, (int)st->n_restarts, ACQ_MAX_EVAL, u))
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    return HPO_OK;
}

static int gp_sample_relative(void *state, hpo_plugin_ctx *ctx,
                              const hpo_space *space, double *values)
{
    gp_state *st = state;
    gp_layout lay;
    if (gp_layout_init(&lay, space) != 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    training tr = {0};
    int rc = build_training(st, ctx, space, &lay, &tr);
    if (rc == HPO_OK && (tr.n < st->n_startup || lay.dim == 0)) {
        rc = sample_startup(st, ctx, space, values);
    } else if (rc == HPO_OK) {
        double *u = hpo__scratch(ctx, sizeof(double) * (size_t)lay.dim);
        rc = !u ? hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory")
                : fit_models(st, ctx, &tr);
        if (rc == HPO_OK)
            rc = maximize_acquisition(st, ctx, &tr, &lay, space, u);
        drop_fantasies(st, &tr);
        if (rc == HPO_OK)
            gp_decode(&lay, space, u, values);
        if (rc == FALLBACK) {
            for (int i = 0; i < space->n; i++)
                values[i] = NAN;
            reset_models(st);
            rc = HPO_OK;
        }
    }
    gp_layout_free(&lay);
    return rc;
}

const hpo_sampler_type hpo__sampler_gp = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "gp",
             .summary = "Gaussian-process Bayesian optimization (Matern-5/2 "
                        "ARD, log-EI or EHVI, constraints, L-BFGS)",
             .options = gp_options,
             .state_size = sizeof(gp_state),
             .init = gp_init,
             .destroy = gp_destroy},
    .infer_relative_space = gp_infer_relative_space,
    .sample_relative = gp_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
