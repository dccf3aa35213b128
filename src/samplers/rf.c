/*
 * rf.c — the `rf` sampler: random-forest Bayesian optimization after SMAC
 * (Hutter, Hoos & Leyton-Brown 2011, "Sequential Model-Based Optimization
 * for General Algorithm Configuration", LION 5).
 *
 * Per trial, after n_startup_trials scrambled Sobol points:
 *   1. with probability random_fraction the trial is a uniform random
 *      configuration (SMAC interleaves random configurations so that the
 *      search stays global whatever the model believes);
 *   1b. in a conditional space with a branching categorical (rf_search.h:
 *      the top-level categorical most parameters depend on, a model kind),
 *      with probability branch_fraction the trial is a uniform random
 *      configuration of the branch tried least so far (see below);
 *   2. otherwise the completed trials are encoded (rf_encode.c: conditional
 *      parameters included, inactive as a value of their own), their
 *      objective values minimized (several objectives scalarized by
 *      ParEGO, Knowles 2006, as the gp sampler does) and log-scaled as
 *      SMAC's log-scaled cost encoding does (min-max to [0, 1], then
 *      log(LOG_EPS + y)), so the model resolves the region near the best;
 *   3. a forest is fitted (rf_forest.c) and log-EI over it is maximized by
 *      local search from the best trials and random configurations
 *      (rf_search.c), never proposing an evaluated or running
 *      configuration again.
 *
 * Constraints (a trial's system attribute "constraints", feasible when
 * every value is <= 0, Optuna's rule) enter the model simply: an
 * infeasible trial counts as worse than every feasible one, the more so
 * the larger its total violation, and the incumbent is the best feasible
 * trial; while no trial is feasible the model learns the violation itself.
 *
 * Running trials (parallel workers) enter as "constant liar" points
 * (CL-mean of Ginsbourger, Le Riche & Carraro 2010, "Kriging is
 * well-suited to parallelize optimization"): their configuration with the
 * mean of the observed values, which lowers EI around them; and no
 * proposal comes within RF_RUNNING_APART of one in the unit cube
 * (rf_search.h), since the forest's piecewise-constant EI is unchanged a
 * hair away from a lie.  CL-max (the worst value) was measured too: it
 * crowded more (14 near pairs in 90 batches of 4, against 6 for CL-mean),
 * the lie's leaf being tiny.  A sequential study has no running trials,
 * so neither rule changes its proposals.
 *
 * Without a declared space, the relative space is the parameters every
 * completed trial shares (Optuna's intersection search space); others are
 * sampled uniformly.
 *
 * Branches.  EI over the forest settles in the first branch that looks
 * good: another branch's region is predicted from its few (random, often
 * poor) points, where the trees agree, so its EI is negligible even when
 * its own optimum is the better one.  On bench's cond_model (svm's narrow
 * valley holds f* = 0; tree's floor is 0.1, linear's 0.3) half the runs
 * never left tree or linear.  What was tried, 100 seeds, 100 trials
 * (median regret [25%, 75%], runs with regret >= 0.09):
 *   as before                                    0.10 [1.5e-4, 0.30]  51
 *   local searches also from each branch's best  0.04 [2.7e-4, 0.30]  49
 *   ... and a share of the model's trials maximizing EI inside one
 *       branch, against the global incumbent (0.3)  0.0012 [2.6e-4, 0.10]  30
 *       against the branch's own incumbent (0.3)    0.0024 [2.4e-4, 0.10]  27
 *   the forest's variance with the spread inside leaves (law of total
 *       variance, Hutter et al. 2014), alone      0.10 [2.3e-4, 0.30]  51
 *   random configurations of the least-tried branch, branch_fraction
 *       0.3                                       0.0023 [3.3e-4, 0.014]  13 (20 on seeds 100-199)
 *       0.4 (the default)                         0.0032 [7.9e-4, 0.013]  11 (15)
 *       0.5                                       0.0062 [1.3e-3, 0.026]   8 (16)
 * (hpo's multivariate TPE: 0.0036, 23.)  Plain random branches beat
 * EI-guided ones: with a handful of points in a branch the forest is flat
 * there, and EI's choices are no better spread than uniform ones.  Only
 * the last rule is kept; it costs the lucky runs a little refinement
 * (25% quartile 1.5e-4 -> 7.9e-4) and spaces without a branching
 * categorical are untouched (bit for bit).
 *
 * Deviations from SMAC: no intensification (trials are not re-run: hpo's
 * objectives are deterministic or noisy at the caller's discretion); EI is
 * on the log-scaled values directly (SMAC's log-EI variant integrates over
 * the log); see rf_forest.c and rf_search.c for theirs.
 *
 * Options: n_startup_trials=N (10), trees=N (10), min_samples_split=N (3),
 * min_samples_leaf=N (1), random_fraction=P (0.1), branch_fraction=P
 * (0.4), candidates=N (random configurations scored per trial, 1000),
 * log_y=true|false (true).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "math/sobol.h"
#include "rf_forest.h"
#include "rf_search.h"
#include "sampler.h"

/* The rng stream of the start-up scramble ("rf-sobol"). */
#define STARTUP_STREAM UINT64_C(0x72662d736f626f6c)
#define LOG_EPS 1e-3
#define PAREGO_RHO 0.05
#define N_BEST_STARTS 10
#define N_RANDOM_STARTS 5
#define MAX_STEPS 50
#define SD_FLOOR 1e-3 /* relative to the spread of the outputs */

typedef struct rf_state {
    int64_t n_startup, n_candidates;
    rf_options forest;
    double random_fraction, branch_fraction;
    int log_y;
    int64_t trees, split, leaf; /* options, into forest */
    hpo__sobol startup; /* dim 0 until first used */
    hpo_space *inferred;
} rf_state;

static const hpo_option rf_options_table[] = {
    {"n_startup_trials", HPO_OPTION_INT, "10", 1, INFINITY, NULL,
     "Sobol trials before the model", offsetof(rf_state, n_startup), 0},
    {"trees", HPO_OPTION_INT, "10", 1, 1000, NULL, "trees in the forest",
     offsetof(rf_state, trees), 0},
    {"min_samples_split", HPO_OPTION_INT, "3", 2, 1000000, NULL,
     "smallest node that is split", offsetof(rf_state, split), 0},
    {"min_samples_leaf", HPO_OPTION_INT, "1", 1, 1000000, NULL,
     "points each child keeps at least", offsetof(rf_state, leaf), 0},
    {"random_fraction", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,
     "share of uniform random trials interleaved",
     offsetof(rf_state, random_fraction), 0},
    {"branch_fraction", HPO_OPTION_FLOAT, "0.4", 0, 1, NULL,
     "in a conditional space, share of random trials in its least-tried "
     "branch",
     offsetof(rf_state, branch_fraction), 0},
    {"candidates", HPO_OPTION_INT, "1000", 1, 1000000, NULL,
     "random configurations scored per trial",
     offsetof(rf_state, n_candidates), 0},
    {"log_y", HPO_OPTION_BOOL, "true", 0, 0, NULL, "log-scaled outputs",
     offsetof(rf_state, log_y), 0},
    {0},
};

static int rf_init(void *state, hpo_plugin_ctx *ctx)
{
    rf_state *st = state;
    (void)ctx;
    rf_options_default(&st->forest);
    st->forest.n_trees = (int)st->trees;
    st->forest.min_samples_split = (int)st->split;
    st->forest.min_samples_leaf = (int)st->leaf;
    return HPO_OK;
}

static void rf_destroy(void *state)
{
    rf_state *st = state;
    hpo__sobol_free(&st->startup);
    hpo_space_free(st->inferred);
}

/* ---- the relative space ------------------------------------------------- */

static int rf_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                   const hpo_space **space)
{
    rf_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* ---- start-up: scrambled Sobol points ------------------------------------ */

/* Sobol coordinates for the unconditional numeric parameters, uniform
 * draws for categoricals and conditional parameters. */
static int startup_config(rf_state *st, hpo_plugin_ctx *ctx,
                          const rf_encoding *enc, double *z)
{
    const hpo_space *space = enc->space;
    rf_random_config(enc, ctx->rng, z);
    if (space->n > hpo__sobol_max_dim())
        return HPO_OK;
    if (st->startup.dim != space->n) {
        hpo__sobol_free(&st->startup);
        int rc = hpo__sobol_init(&st->startup, space->n, ctx->msg);
        if (rc != HPO_OK)
            return rc;
        hpo__rng rng;
        hpo__rng_derive(&rng, hpo_ctx_seed(ctx), STARTUP_STREAM);
        hpo__sobol_scramble(&st->startup, &rng);
    }
    double *u = hpo__scratch(ctx, sizeof(double) * (size_t)space->n);
    if (!u)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    hpo__sobol_point(&st->startup, (uint64_t)ctx->trial->number, u);
    for (int i = 0; i < space->n; i++) {
        const hpo__dist *d = &space->p[i].dist;
        if (space->p[i].parent < 0 && d->kind != HPO__CATEGORICAL)
            z[i] = hpo__dist_to_unit(d, hpo__dist_snap(d, hpo__dist_from_unit(d, u[i])));
    }
    return HPO_OK;
}

/* ---- the training set ---------------------------------------------------- */

typedef struct training {
    int n, n_pending, dim;
    double *x;     /* (n + n_pending) x dim: completed, then running */
    double *y;     /* n + n_pending: minimized, transformed; lies last */
    double *viol;  /* n: total constraint violation, 0 = feasible */
    int *order;    /* n: indices by y, best first */
    double best;   /* the incumbent's y */
    double spread; /* standard deviation of y */
} training;

/* One objective to minimize per completed trial: a maximized one negated;
 * several combined by ParEGO's augmented Chebyshev scalarization of the
 * objectives normalized to [0, 1], with weights drawn from the simplex. */
static int scalarize(hpo_plugin_ctx *ctx, const hpo__trial_rec **done,
                     int n, double *y)
{
    int n_obj = hpo_ctx_n_objectives(ctx);
    double *w = hpo__scratch(ctx, sizeof(double) * (size_t)n_obj * 3);
    if (!w)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    double *lo = w + n_obj, *hi = w + 2 * n_obj, total = 0;
    for (int k = 0; k < n_obj; k++) {
        w[k] = n_obj > 1 ? -log(1 - hpo__rng_uniform(ctx->rng)) : 1;
        total += w[k];
        lo[k] = HUGE_VAL;
        hi[k] = -HUGE_VAL;
    }
    for (int k = 0; k < n_obj; k++)
        w[k] /= total;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n_obj && k < done[i]->n_values; k++) {
            double v = done[i]->values[k];
            if (hpo_ctx_direction(ctx, k) == HPO_MAXIMIZE)
                v = -v;
            if (isfinite(v)) {
                lo[k] = fmin(lo[k], v);
                hi[k] = fmax(hi[k], v);
            }
        }
    for (int i = 0; i < n; i++) {
        double s = -HUGE_VAL, sum = 0;
        for (int k = 0; k < n_obj; k++) {
            double v = k < done[i]->n_values ? done[i]->values[k] : NAN;
            if (hpo_ctx_direction(ctx, k) == HPO_MAXIMIZE)
                v = -v;
            /* Infinite and NaN values count as the worst seen. */
            v = !(v <= hi[k]) ? hi[k] : !(v >= lo[k]) ? lo[k] : v;
            if (!isfinite(v))
                v = 0; /* no finite value at all in this objective */
            double f = n_obj == 1 ? v
                       : hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0;
            s = fmax(s, w[k] * f);
            sum += w[k] * f;
        }
        y[i] = s + (n_obj > 1 ? PAREGO_RHO * sum : 0);
    }
    return HPO_OK;
}

/* Min-max scale the feasible values (log-scaled if asked), then place the
 * infeasible ones above the worst feasible by their violation. */
static void transform(training *tr, int log_y)
{
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int i = 0; i < tr->n; i++)
        if (tr->viol[i] == 0) {
            lo = fmin(lo, tr->y[i]);
            hi = fmax(hi, tr->y[i]);
        }
    int any_feasible = lo <= hi;
    double worst = -HUGE_VAL, best = HUGE_VAL;
    for (int i = 0; i < tr->n; i++) {
        if (!any_feasible) {
            tr->y[i] = log1p(fmin(tr->viol[i], 1e12));
        } else if (tr->viol[i] == 0) {
            double f = hi > lo ? (tr->y[i] - lo) / (hi - lo) : 0;
            tr->y[i] = log_y ? log(LOG_EPS + f) : f;
            worst = fmax(worst, tr->y[i]);
        }
        if (!any_feasible || tr->viol[i] == 0)
            best = fmin(best, tr->y[i]);
    }
    double span = worst > best ? worst - best : 1;
    for (int i = 0; any_feasible && i < tr->n; i++)
        if (tr->viol[i] != 0) {
            double v = fmin(tr->viol[i], 1e12);
            tr->y[i] = worst + span * (0.1 + v / (1 + v));
        }
    tr->best = best;
}

/* Running trials: their configuration with the mean value (constant
 * liar); the spread of the values, for the variance floor. */
static void add_lies(training *tr)
{
    double mean = 0, ss = 0;
    for (int i = 0; i < tr->n; i++)
        mean += tr->y[i] / tr->n;
    for (int i = 0; i < tr->n; i++)
        ss += (tr->y[i] - mean) * (tr->y[i] - mean);
    tr->spread = tr->n > 1 ? sqrt(ss / (tr->n - 1)) : 0;
    for (int j = 0; j < tr->n_pending; j++)
        tr->y[tr->n + j] = mean;
}

typedef struct ranked_y {
    double y;
    int index;
} ranked_y;

static int by_y(const void *a, const void *b)
{
    const ranked_y *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return p->index - q->index;
}

/* tr->order: the completed trials by value, best first. */
static int rank_trials(hpo_plugin_ctx *ctx, training *tr)
{
    ranked_y *r = hpo__scratch(ctx, sizeof *r * (size_t)(tr->n + 1));
    if (!r)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    for (int i = 0; i < tr->n; i++)
        r[i] = (ranked_y){tr->y[i], i};
    qsort(r, (size_t)tr->n, sizeof *r, by_y);
    for (int i = 0; i < tr->n; i++)
        tr->order[i] = r[i].index;
    return HPO_OK;
}

static int build_training(rf_state *st, hpo_plugin_ctx *ctx,
                          const rf_encoding *enc, training *tr)
{
    const hpo__trial_rec *trials;
    int n_all;
    int rc = hpo__ctx_history(ctx, &trials, &n_all);
    if (rc != HPO_OK)
        return rc;
    int dim = enc->dim;
    tr->dim = dim;
    tr->x = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1) * dim);
    tr->y = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1));
    tr->viol = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1));
    tr->order = hpo__scratch(ctx, sizeof(int) * (size_t)(n_all + 1));
    const hpo__trial_rec **done =
        hpo__scratch(ctx, sizeof(*done) * (size_t)(n_all + 1));
    if (!tr->x || !tr->y || !tr->viol || !tr->order || !done)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    tr->n = tr->n_pending = 0;
    unsigned char *learn = hpo__scratch(ctx, (size_t)n_all + 1);
    if (!learn)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    hpo__sampler_learn_set(trials, n_all, learn);
    for (int k = 0; k < n_all; k++)
        if (learn[k] &&
            rf_encode_trial(enc, &trials[k], tr->x + (size_t)tr->n * dim) == 0)
            done[tr->n++] = &trials[k];
    for (int k = 0; k < n_all; k++)
        if (trials[k].state == HPO_RUNNING &&
            trials[k].number != ctx->trial->number &&
            rf_encode_trial(enc, &trials[k],
                            tr->x + (size_t)(tr->n + tr->n_pending) * dim) == 0)
            tr->n_pending++;
    if (tr->n < st->n_startup)
        return HPO_OK;
    if ((rc = scalarize(ctx, done, tr->n, tr->y)) != HPO_OK)
        return rc;
    for (int i = 0; i < tr->n; i++)
        tr->viol[i] = hpo__trial_violation(done[i]);
    transform(tr, st->log_y);
    add_lies(tr);
    return rank_trials(ctx, tr);
}

/* ---- proposing a configuration -------------------------------------------- */

/* The choice of the branching categorical that the completed and running
 * trials took least often (ties drawn at random), or -1 when out of
 * memory. */
static int least_tried_branch(hpo_plugin_ctx *ctx, const rf_encoding *enc,
                              const training *tr)
{
    int b = enc->branch, nc = enc->space->p[b].dist.n_choices;
    int *count = hpo__scratch(ctx, sizeof(int) * (size_t)nc);
    if (!count)
        return -1;
    memset(count, 0, sizeof(int) * (size_t)nc);
    for (int i = 0; i < tr->n + tr->n_pending; i++) {
        int c = (int)tr->x[(size_t)i * tr->dim + b];
        count[c] += c >= 0 && c < nc;
    }
    int pick = -1, ties = 0;
    for (int c = 0; c < nc; c++) {
        if (pick >= 0 && count[c] > count[pick])
            continue;
        ties = pick >= 0 && count[c] == count[pick] ? ties + 1 : 1;
        if (hpo__rng_below(ctx->rng, (uint64_t)ties) == 0)
            pick = c;
    }
    return pick;
}

static int branch_config(hpo_plugin_ctx *ctx, const rf_encoding *enc,
                         const training *tr, double *z)
{
    int choice = least_tried_branch(ctx, enc, tr);
    if (choice < 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    rf_random_in_branch(enc, choice, ctx->rng, z);
    return HPO_OK;
}

static int model_config(rf_state *st, hpo_plugin_ctx *ctx,
                        const rf_encoding *enc, const training *tr, double *z)
{
    rf_forest forest = {0};
    if (rf_forest_fit(&forest, tr->x, tr->y, tr->n + tr->n_pending, tr->dim,
                      enc->n_cat, &st->forest, ctx->rng) != 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    double floor = SD_FLOOR * (tr->spread > 0 ? tr->spread : 1);
    rf_search s = {&forest, enc, tr->best, floor, (int)st->n_candidates,
                   N_BEST_STARTS, N_RANDOM_STARTS, MAX_STEPS, tr->n_pending};
    int found = rf_search_maximize(&s, tr->x, tr->n + tr->n_pending,
                                   tr->order, tr->n, ctx->rng, z);
    rf_forest_free(&forest);
    if (found < 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    if (found == 0) /* every candidate was seen: a random one then */
        rf_random_config(enc, ctx->rng, z);
    return HPO_OK;
}

static int rf_sample_relative(void *state, hpo_plugin_ctx *ctx,
                              const hpo_space *space, double *values)
{
    rf_state *st = state;
    rf_encoding enc;
    if (rf_encoding_init(&enc, space) != 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    training tr = {0};
    double *z = hpo__scratch(ctx, sizeof(double) * (size_t)(space->n + 1));
    int rc = z ? build_training(st, ctx, &enc, &tr)
               : hpo__fail(ctx->msg, HPO_ENOMEM, "rf: out of memory");
    if (rc == HPO_OK && tr.n < st->n_startup)
        rc = startup_config(st, ctx, &enc, z);
    else if (rc == HPO_OK && hpo__rng_uniform(ctx->rng) < st->random_fraction)
        rf_random_config(&enc, ctx->rng, z);
    else if (rc == HPO_OK && enc.branch >= 0 &&
             hpo__rng_uniform(ctx->rng) < st->branch_fraction)
        rc = branch_config(ctx, &enc, &tr, z);
    else if (rc == HPO_OK)
        rc = model_config(st, ctx, &enc, &tr, z);
    if (rc == HPO_OK)
        rf_decode(&enc, z, values);
    rf_encoding_free(&enc);
    return rc;
}

const hpo_sampler_type hpo__sampler_rf = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "rf",
             .summary = "random-forest Bayesian optimization (SMAC: forest, "
                        "EI, local search; conditional and categorical "
                        "spaces)",
             .options = rf_options_table,
             .state_size = sizeof(rf_state),
             .init = rf_init,
             .destroy = rf_destroy},
    .infer_relative_space = rf_infer_relative_space,
    .sample_relative = rf_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
