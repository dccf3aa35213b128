/*
 * gp.c — the `gp` sampler: Gaussian-process Bayesian optimization after
 * Snoek, Larochelle & Adams (2012), "Practical Bayesian Optimization of
 * Machine Learning Algorithms".
 *
 * Per trial, after n_startup_trials scrambled Sobol points:
 *   1. encode the completed trials onto the unit cube (gp_encode.c) and
 *      standardize their objective values (minimized; maximized objectives
 *      are negated; several objectives are scalarized by ParEGO, Knowles
 *      2006: a random Chebyshev weighting per trial), warped towards
 *      normality by a fitted Yeo-Johnson transform (gp_warp.c);
 *   2. fit the Matérn-5/2 ARD kernel's hyperparameters by MAP marginal
 *      likelihood (gp_model.c), warm-started from the previous fit;
 *   3. add running trials as fantasies at the model's mean ("kriging
 *      believer"), which leaves the mean alone and shrinks the variance
 *      there, so parallel workers spread out;
 *   4. maximize log-EI (or UCB) by L-BFGS from the best of a scrambled
 *      Sobol set, the best trials and points around the incumbent
 *      (gp_acq.c; all legal points: one-hot blocks, ints and steps on
 *      their grid), holding categoricals while L-BFGS moves the numeric
 *      coordinates, and snapping each run's end point to the grid (ints
 *      and steps rounded) before it is compared.
 *
 * Caching: the model (points, hyperparameters and Cholesky factor) lives in
 * the sampler state between trials.  It is reused only when the first rows
 * of the new training set are the cached ones (validated point by point),
 * in which case only the new rows are factored (hpo__chol_append) unless a
 * refit is due.  Refits: every trial up to REFIT_ALWAYS points, then when
 * the data has grown by REFIT_GROWTH since the last one.
 *
 * Deviations, on purpose: hyperparameters are a point estimate, not
 * integrated out by slice sampling (see gp_model.c); outputs are warped
 * (HEBO's finding, not in the paper); conditional parameters are not
 * modelled (independent uniform sampling); constraints are not modelled.
 *
 * Options: n_startup_trials=N (10), acquisition=logei|ucb, kappa=K (UCB,
 * 2), candidates=N (Sobol points scored per trial, 512), restarts=N
 * (L-BFGS starts of the acquisition, 5), fantasies=true|false (true),
 * warp=true|false (output warping, true).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp_acq.h"
#include "gp_encode.h"
#include "gp_model.h"
#include "math/linalg.h"
#include "math/sobol.h"
#include "sampler.h"

/* The rng stream of the start-up scramble ("gp-sobol"). */
#define STARTUP_STREAM UINT64_C(0x67702d736f626f6c)
#define REFIT_ALWAYS 100
#define REFIT_GROWTH 0.1
#define FIT_RESTARTS_SMALL 2 /* random restarts of the fit below 50 points */
#define FIT_MAX_EVAL 60
#define ACQ_MAX_EVAL 50
#define N_BEST_STARTS 5  /* best trials among the candidates */
#define N_LOCAL 32       /* perturbations of the incumbent */
#define LOCAL_SD 0.05
#define PAREGO_RHO 0.05
/* A code private to this file: the kernel matrix could not be factored,
 * this trial falls back to independent uniform sampling. */
#define FALLBACK 100

typedef struct gp_state {
    int64_t n_startup;
    int ucb;
    double kappa;
    int64_t n_candidates, n_restarts;
    int fantasies;
    int warp;
    hpo__sobol startup; /* dim 0 until first used */
    gp_model model;     /* d 0 until first used */
    int n_cached;       /* completed points whose rows the model holds */
    int fit_n;          /* points at the last hyperparameter fit */
    hpo_space *inferred;
} gp_state;

static int gp_init(void *state, hpo__opts *opts, hpo__msg *msg)
{
    gp_state *st = state;
    hpo__linalg_init();
    st->n_startup = 10;
    st->kappa = 2.0;
    st->n_candidates = 512;
    st->n_restarts = 5;
    st->fantasies = 1;
    st->warp = 1;
    const char *acq = hpo__opts_str(opts, "acquisition");
    if (acq && strcmp(acq, "ucb") == 0)
        st->ucb = 1;
    else if (acq && strcmp(acq, "logei") != 0)
        return hpo__fail(msg, HPO_EINVAL,
                         "gp: acquisition must be logei or ucb, not '%s'",
                         acq);
    int rc;
    if ((rc = hpo__opts_int(opts, "n_startup_trials", &st->n_startup, msg)) ||
        (rc = hpo__opts_double(opts, "kappa", &st->kappa, msg)) ||
        (rc = hpo__opts_int(opts, "candidates", &st->n_candidates, msg)) ||
        (rc = hpo__opts_int(opts, "restarts", &st->n_restarts, msg)) ||
        (rc = hpo__opts_bool(opts, "fantasies", &st->fantasies, msg)) ||
        (rc = hpo__opts_bool(opts, "warp", &st->warp, msg)))
        return rc;
    if (st->n_startup < 1 || st->n_candidates < 1 || st->n_restarts < 1 ||
        st->n_candidates > 1000000 || !(st->kappa >= 0))
        return hpo__fail(msg, HPO_EINVAL,
                         "gp: n_startup_trials, candidates and restarts "
                         "must be >= 1 and kappa >= 0");
    return HPO_OK;
}

static void gp_destroy(void *state)
{
    gp_state *st = state;
    hpo__sobol_free(&st->startup);
    gp_model_free(&st->model);
    hpo_space_free(st->inferred);
}

/* ---- the relative space ------------------------------------------------- */

static int usable(const hpo__trial_rec *t)
{
    return t->state == HPO_COMPLETE && t->n_values >= 1;
}

/* Optuna's intersection search space: the parameters every completed
 * trial has, with one distribution. */
static int infer_intersection(gp_state *st, const hpo__trial_rec *trials,
                              int n, hpo__msg *msg)
{
    hpo_space_free(st->inferred);
    st->inferred = NULL;
    const hpo__trial_rec *first = NULL;
    for (int k = 0; k < n && !first; k++)
        if (usable(&trials[k]))
            first = &trials[k];
    if (!first)
        return HPO_OK;
    hpo_space *sp = hpo_space_new();
    if (!sp || (first->n_params &&
                !(sp->p = calloc((size_t)first->n_params, sizeof *sp->p)))) {
        hpo_space_free(sp);
        return hpo__fail(msg, HPO_ENOMEM, "gp: out of memory");
    }
    sp->cap = first->n_params;
    for (int i = 0; i < first->n_params; i++) {
        const hpo__param *p = &first->params[i];
        int everywhere = 1;
        for (int k = 0; k < n && everywhere; k++) {
            if (!usable(&trials[k]))
                continue;
            const hpo__param *q = hpo__rec_param(&trials[k], p->name);
            everywhere = q && hpo__dist_equal(&q->dist, &p->dist);
        }
        if (!everywhere)
            continue;
        hpo__space_param *sp_p = &sp->p[sp->n++];
        sp_p->parent = -1;
        sp_p->name = hpo__strdup(p->name);
        if (!sp_p->name || hpo__dist_copy(&sp_p->dist, &p->dist) != HPO_OK) {
            hpo_space_free(sp);
            return hpo__fail(msg, HPO_ENOMEM, "gp: out of memory");
        }
    }
    st->inferred = sp;
    return HPO_OK;
}

static int gp_infer_relative_space(void *state, hpo__sampler_ctx *ctx,
                                   const hpo_space **space)
{
    gp_state *st = state;
    const hpo_space *declared = hpo__study_space(ctx->study);
    if (declared && declared->n > 0) {
        *space = declared;
        return HPO_OK;
    }
    const hpo__trial_rec *trials;
    int n;
    int rc = hpo__study_history(ctx->study, &trials, &n);
    if (rc == HPO_OK)
        rc = infer_intersection(st, trials, n, ctx->msg);
    *space = st->inferred && st->inferred->n > 0 ? st->inferred : NULL;
    return rc;
}

/* ---- start-up: scrambled Sobol points ------------------------------------ */

static int sample_startup(gp_state *st, hpo__sampler_ctx *ctx,
                          const hpo_space *space, double *values)
{
    if (st->startup.dim != space->n) {
        hpo__sobol_free(&st->startup);
        if (space->n > hpo__sobol_max_dim()) {
            for (int i = 0; i < space->n; i++)
                values[i] = NAN; /* independent uniform sampling */
            return HPO_OK;
        }
        int rc = hpo__sobol_init(&st->startup, space->n, ctx->msg);
        if (rc != HPO_OK)
            return rc;
        hpo__rng rng;
        hpo__rng_derive(&rng, hpo__study_seed(ctx->study), STARTUP_STREAM);
        hpo__sobol_scramble(&st->startup, &rng);
    }
    double *u = hpo__scratch(ctx, sizeof(double) * (size_t)space->n);
    if (!u)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    hpo__sobol_point(&st->startup, (uint64_t)ctx->trial->number, u);
    for (int i = 0; i < space->n; i++) {
        const hpo__dist *d = &space->p[i].dist;
        values[i] = space->p[i].parent >= 0 ? NAN
                    : d->kind == HPO__CATEGORICAL
                        ? hpo__sample_uniform(d, ctx->rng)
                        : hpo__dist_from_unit(d, u[i]);
    }
    return HPO_OK;
}

/* ---- the training set ---------------------------------------------------- */

typedef struct training {
    int n, n_pending, dim;
    double *x;       /* (n + n_pending) x dim: completed, then running */
    double *y;       /* n, minimized and standardized */
    double best;     /* lowest y */
    int *order;      /* up to N_BEST_STARTS indices of the lowest y */
} training;

/* One objective to minimize per completed trial: a maximized one negated;
 * several combined by ParEGO's augmented Chebyshev scalarization of the
 * objectives normalized to [0, 1], with weights drawn from the simplex. */
static void scalarize(hpo__sampler_ctx *ctx, const hpo__trial_rec **done,
                      int n, int n_obj, double *y)
{
    double *w = hpo__scratch(ctx, sizeof(double) * (size_t)n_obj * 3);
    double *lo = w + n_obj, *hi = w + 2 * n_obj;
    double total = 0;
    for (int k = 0; k < n_obj; k++) {
        w[k] = -log(1 - hpo__rng_uniform(ctx->rng));
        total += w[k];
        lo[k] = HUGE_VAL;
        hi[k] = -HUGE_VAL;
    }
    for (int k = 0; k < n_obj; k++)
        w[k] /= total;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            double s = n_obj > 1 ? -HUGE_VAL : 0, sum = 0;
            for (int k = 0; k < n_obj; k++) {
                double v = k < done[i]->n_values ? done[i]->values[k] : NAN;
                if (hpo_study_direction(ctx->study, k) == HPO_MAXIMIZE)
                    v = -v;
                if (pass == 0) {
                    if (isfinite(v)) {
                        lo[k] = v < lo[k] ? v : lo[k];
                        hi[k] = v > hi[k] ? v : hi[k];
                    }
                    continue;
                }
                /* Infinite and NaN values count as the worst seen. */
                if (!(v <= hi[k]))
                    v = hi[k];
                if (!(v >= lo[k]))
                    v = lo[k];
                if (n_obj == 1) {
                    s = v;
                    break;
                }
                double f = hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0;
                s = w[k] * f > s ? w[k] * f : s;
                sum += w[k] * f;
            }
            if (pass == 1)
                y[i] = s + (n_obj > 1 ? PAREGO_RHO * sum : 0);
        }
}

static int build_training(hpo__sampler_ctx *ctx, const hpo_space *space,
                          const gp_layout *lay, int fantasies, int warp,
                          training *tr)
{
    const hpo__trial_rec *trials;
    int n_all;
    int rc = hpo__study_history(ctx->study, &trials, &n_all);
    if (rc != HPO_OK)
        return rc;
    int dim = lay->dim > 0 ? lay->dim : 1;
    tr->dim = lay->dim;
    tr->x = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1) * dim);
    tr->y = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1));
    tr->order = hpo__scratch(ctx, sizeof(int) * N_BEST_STARTS);
    const hpo__trial_rec **done =
        hpo__scratch(ctx, sizeof(*done) * (size_t)(n_all + 1));
    if (!tr->x || !tr->y || !tr->order || !done)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    tr->n = tr->n_pending = 0;
    for (int k = 0; k < n_all; k++)
        if (usable(&trials[k]) &&
            gp_encode_trial(lay, space, &trials[k],
                            tr->x + (size_t)tr->n * dim) == 0)
            done[tr->n++] = &trials[k];
    for (int k = 0; fantasies && k < n_all; k++)
        if (trials[k].state == HPO_RUNNING && trials[k].number !=
            ctx->trial->number &&
            gp_encode_trial(lay, space, &trials[k],
                            tr->x + (size_t)(tr->n + tr->n_pending) * dim) == 0)
            tr->n_pending++;
    if (tr->n == 0)
        return HPO_OK;
    scalarize(ctx, done, tr->n, hpo_study_n_objectives(ctx->study), tr->y);
    if (warp)
        gp_warp_outputs(tr->y, tr->n);
    else
        gp_standardize(tr->y, tr->n);
    for (int j = 0; j < N_BEST_STARTS; j++) {
        int best = -1;
        for (int i = 0; i < tr->n; i++) {
            int taken = 0;
            for (int q = 0; q < j; q++)
                taken |= tr->order[q] == i;
            if (!taken && (best < 0 || tr->y[i] < tr->y[best]))
                best = i;
        }
        tr->order[j] = best;
    }
    tr->best = tr->y[tr->order[0]];
    return HPO_OK;
}

/* ---- the model ----------------------------------------------------------- */

static double urand(void *rng) { return hpo__rng_uniform(rng); }

/* How many of the cached rows are still the first rows of tr. */
static int valid_prefix(const gp_state *st, const training *tr)
{
    int keep = st->n_cached < tr->n ? st->n_cached : tr->n;
    size_t row = sizeof(double) * (size_t)tr->dim;
    for (int i = 0; i < keep; i++)
        if (memcmp(st->model.x + (size_t)i * tr->dim,
                   tr->x + (size_t)i * tr->dim, row) != 0)
            return i;
    return keep;
}

static int fit_model(gp_state *st, hpo__sampler_ctx *ctx, const training *tr)
{
    gp_model *m = &st->model;
    if (m->d != tr->dim) {
        gp_model_free(m);
        st->n_cached = st->fit_n = 0;
        if (gp_model_init(m, tr->dim) != 0)
            return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    }
    int total = tr->n + tr->n_pending;
    if (gp_model_reserve(m, total + 16 > m->cap ? 2 * total + 16 : m->cap))
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    int keep = valid_prefix(st, tr);
    if (m->n_factored > keep)
        m->n_factored = keep; /* a Cholesky factor's leading block stays */
    memcpy(m->x, tr->x, sizeof(double) * (size_t)tr->n * tr->dim);
    memcpy(m->y, tr->y, sizeof(double) * (size_t)tr->n);
    m->n = tr->n;
    st->n_cached = tr->n;
    int fresh = keep < st->fit_n || st->fit_n == 0;
    int due = tr->n <= REFIT_ALWAYS ||
              tr->n - st->fit_n >= REFIT_GROWTH * st->fit_n;
    if (fresh || (due && tr->n != st->fit_n)) {
        int restarts = fresh || tr->n < 50 ? FIT_RESTARTS_SMALL : 0;
        if (gp_model_fit(m, restarts, FIT_MAX_EVAL, urand, ctx->rng) != 0)
            return FALLBACK;
        st->fit_n = tr->n;
    } else if (gp_model_factor(m) != 0) {
        return FALLBACK;
    }
    return HPO_OK;
}

/* Kriging believer: each running trial is an observation at the model's
 * current mean there. */
static int add_fantasies(gp_state *st, hpo__sampler_ctx *ctx,
                         const training *tr)
{
    gp_model *m = &st->model;
    if (tr->n_pending == 0)
        return HPO_OK;
    double *work = hpo__scratch(ctx, sizeof(double) * 2 * (size_t)(m->n + 1));
    if (!work)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    for (int j = 0; j < tr->n_pending; j++) {
        const double *x = tr->x + (size_t)(tr->n + j) * tr->dim;
        double var;
        gp_predict(m, x, &m->y[tr->n + j], &var, NULL, NULL, work);
    }
    memcpy(m->x + (size_t)tr->n * tr->dim, tr->x + (size_t)tr->n * tr->dim,
           sizeof(double) * (size_t)tr->n_pending * tr->dim);
    m->n = tr->n + tr->n_pending;
    return gp_model_factor(m) == 0 ? HPO_OK : FALLBACK;
}

/* Drop the fantasies again: the cache holds completed trials only. */
static void drop_fantasies(gp_state *st)
{
    gp_model *m = &st->model;
    m->n = st->n_cached;
    if (m->n_factored > m->n)
        m->n_factored = m->n;
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
static double *candidates(gp_state *st, hpo__sampler_ctx *ctx,
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

static int maximize_acquisition(gp_state *st, hpo__sampler_ctx *ctx,
                                const training *tr, const gp_layout *lay,
                                const hpo_space *space, double *u)
{
    gp_model *m = &st->model;
    legal lg = {lay, space};
    unsigned char *fixed = hpo__scratch(ctx, (size_t)tr->dim);
    gp_acq a = {m, st->ucb ? GP_UCB : GP_LOG_EI, tr->best, st->kappa,
                hpo__scratch(ctx, sizeof(double) * 2 * (size_t)(m->n + 1)),
                hpo__scratch(ctx, sizeof(double) * (size_t)tr->dim),
                hpo__scratch(ctx, sizeof(double) * (size_t)tr->dim),
                fixed, snap_point, &lg};
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

static int gp_sample_relative(void *state, hpo__sampler_ctx *ctx,
                              const hpo_space *space, double *values)
{
    gp_state *st = state;
    gp_layout lay;
    if (gp_layout_init(&lay, space) != 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    training tr = {0};
    int rc = build_training(ctx, space, &lay, st->fantasies, st->warp, &tr);
    if (rc == HPO_OK && (tr.n < st->n_startup || lay.dim == 0)) {
        rc = sample_startup(st, ctx, space, values);
    } else if (rc == HPO_OK) {
        double *u = hpo__scratch(ctx, sizeof(double) * (size_t)lay.dim);
        rc = !u ? hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory")
                : fit_model(st, ctx, &tr);
        if (rc == HPO_OK)
            rc = add_fantasies(st, ctx, &tr);
        if (rc == HPO_OK)
            rc = maximize_acquisition(st, ctx, &tr, &lay, space, u);
        drop_fantasies(st);
        if (rc == HPO_OK)
            gp_decode(&lay, space, u, values);
        if (rc == FALLBACK) {
            for (int i = 0; i < space->n; i++)
                values[i] = NAN;
            st->n_cached = st->fit_n = 0;
            gp_model_invalidate(&st->model);
            rc = HPO_OK;
        }
    }
    gp_layout_free(&lay);
    return rc;
}

static int gp_sample_independent(void *state, hpo__sampler_ctx *ctx,
                                 const char *name, const hpo__dist *dist,
                                 double *value)
{
    *value = hpo__sample_uniform(dist, ctx->rng);
    return HPO_OK;
}

const hpo__sampler_type hpo__sampler_gp = {
    .version = HPO__SAMPLER_VERSION,
    .name = "gp",
    .summary = "Gaussian-process Bayesian optimization (Matern-5/2 ARD, "
               "log-EI, L-BFGS)",
    .options_help =
        "n_startup_trials=N  Sobol trials before the model (default 10); "
        "acquisition=logei|ucb (default logei); kappa=K  UCB's weight on "
        "the standard deviation (default 2); candidates=N  Sobol points "
        "scored per trial (default 512); restarts=N  L-BFGS starts on the "
        "acquisition (default 5); fantasies=true|false  running trials as "
        "kriging-believer observations (default true); warp=true|false  "
        "Yeo-Johnson output warping (default true)",
    .state_size = sizeof(gp_state),
    .init = gp_init,
    .destroy = gp_destroy,
    .infer_relative_space = gp_infer_relative_space,
    .sample_relative = gp_sample_relative,
    .sample_independent = gp_sample_independent,
};
