/*
 * cmaes.c — the `cmaes` sampler: CMA-ES (N. Hansen, "The CMA Evolution
 * Strategy: A Tutorial", arXiv:1604.00772, 2016) as Optuna's
 * CmaEsSampler runs it, with its state shared by every worker through
 * storage (generation.h).  The algorithm is cmaes_core.h's: sep-CMA,
 * IPOP / BIPOP restarts (cmaes_restart.c, cmaes_stop.c), the margin for
 * integer and step parameters (cmaes_margin.c, Hamano et al., GECCO 2022)
 * and warm starting from earlier trials (cmaes_warm.c, Nomura et al.,
 * AAAI 2021), and learning-rate adaptation as an option (lr_adapt,
 * cmaes_lra.c, Nomura et al., GECCO 2023).
 *
 *   study attr "hpo:cmaes:state"   {"generation": g, "space": ...,
 *                                   "state": the distribution of g
 *                                   (cmaes_json.c, never pending)}
 *   trial attr "hpo:cmaes:member"  {"generation": g, "member": k,
 *                                   "xr": the sample tell learns from,
 *                                   "x": the candidate evaluated, when
 *                                   the margin made it differ}
 *
 * Each trial of generation g draws its own candidate from g's
 * distribution with its own stream (ctx->rng), so a trial's parameters
 * depend only on the seed, its number and the stored state, whichever
 * worker samples it.  The generation is ready when lambda of its members
 * are COMPLETE; the worker that sees it first tells the first lambda
 * COMPLETE members (by trial number) to the core, applies the margin,
 * checks the termination tests and restarts (their random mean comes
 * from a stream of the seed and the generation), and publishes g+1.
 *
 * Members beyond lambda — more workers than lambda, or trials sampled to
 * replace FAILed or PRUNED ones, which never count — are simply more
 * samples of the same distribution: the first lambda COMPLETE ones by
 * trial number make the update, the later ones only add evaluations.
 * A member whose parameters were not its sample (an enqueued trial's
 * fixed values) is told where it was evaluated.
 *
 * Categorical parameters, and conditional ones of a declared space, are
 * not in the CMA-ES space: they are sampled uniformly and independently
 * (as Optuna does).  Floats, logs, ints and steps map to the unit cube by
 * hpo__dist_to_unit; an int or stepped float with k values is spread on
 * the grid 0, 1/(k-1), ..., 1 the margin works on, and rounds back to the
 * nearest value (a log int stays continuous in log space, Optuna's rule).
 *
 * Deviations from Optuna 3.1:
 *  1. restart defaults to ipop (Optuna: none), so that a run stuck in a
 *     local optimum starts again, with a larger population, once it has
 *     converged (see docs/benchmarks.md for styblinski_tang8);
 *  2. the warm start uses the study's own earlier trials that are not
 *     CMA-ES members (another sampler's, enqueued ones), as a hand-over,
 *     where Optuna's source_trials come from another study;
 *  3. several objectives are refused (HPO_EUNSUPPORTED): use nsga2.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"
#include "core/json.h"
#include "generation.h"
#include "sampler.h"

#define STATE_KEY "hpo:cmaes:state"
#define MEMBER_KEY "hpo:cmaes:member"
/* The stream of a generation's restart ("cmaes-rs" ^ generation). */
#define RESTART_STREAM UINT64_C(0x636d6165732d7273)
#define SIGMA0_AUTO (1.0 / 6) /* Optuna's: a sixth of the range */
#define WARM_ALPHA 0.1        /* WS-CMA-ES's prior width (the paper's) */
/* Termination tolerances: the tutorial's TolFun 1e-12 and TolX 1e-12
 * sigma0.  Looser ones were measured (styblinski_tang8, seeds 0-2): TolX
 * 1e-6 of the range stopped the first run after ~1,400 evaluations instead
 * of ~2,200, but cut the precision of the run that finds the optimum
 * (branin 3.5e-11 instead of 1.7e-16 at 1,000 trials, ackley10 1.8e-4
 * instead of 1.0e-5 at 2,000), and the earlier restarts did not reach the
 * global optimum within 2,000 trials either (docs/benchmarks.md). */
#define TOL_FUN 1e-12
#define TOL_X 1e-12

enum { ON_AUTO, ON_TRUE, ON_FALSE };

typedef struct cmaes_state {
    int restart, separable, margin, warm;
    double sigma0, gamma;
    int lr_adapt, popsize_adapt;
    int64_t popsize;
    hpo_space *inferred;
    hpo__gen gen;
    /* The distribution of the stored state's text es_text (a cache). */
    hpo__cmaes es;
    char *es_text;
    /* The distribution the last cmaes_next made, until the driver says it
     * was stored (cmaes_adopt) or the next one replaces it. */
    hpo__cmaes es_new;
    int has_new;
    /* This call's coordinates (scratch) and space, for the driver's ops. */
    struct coords *c;
    const hpo_space *space;
} cmaes_state;

static const hpo_option cmaes_options[] = {
    {"restart", HPO_OPTION_ENUM, "ipop", 0, 0, "none|ipop|bipop",
     "restarts when a run stalls: none, ipop (population doubled), bipop "
     "(large and small populations)",
     offsetof(cmaes_state, restart), 0},
    {"sigma0", HPO_OPTION_FLOAT, "auto", 0, 1, NULL,
     "initial step size as a share of each range (auto: 1/6)",
     offsetof(cmaes_state, sigma0), HPO_OPTION_AUTO | HPO_OPTION_LOW_OPEN},
    {"popsize", HPO_OPTION_INT, "auto", 2, 1000000, NULL,
     "population lambda of the first run (auto: 4 + 3 ln n)",
     offsetof(cmaes_state, popsize), HPO_OPTION_AUTO},
    {"separable", HPO_OPTION_BOOL, "false", 0, 0, NULL,
     "sep-CMA: a diagonal covariance (linear cost in the dimension)",
     offsetof(cmaes_state, separable), 0},
    {"margin", HPO_OPTION_ENUM, "auto", 0, 0, "auto|true|false",
     "keep int and step parameters from freezing (auto: when there are any)",
     offsetof(cmaes_state, margin), 0},
    {"warm_start", HPO_OPTION_ENUM, "auto", 0, 0, "auto|true|false",
     "start from the best earlier non-CMA-ES trials (auto: when there are "
     "at least 1/warm_gamma)",
     offsetof(cmaes_state, warm), 0},
    {"warm_gamma", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,
     "share of the earlier trials the warm start keeps",
     offsetof(cmaes_state, gamma), HPO_OPTION_LOW_OPEN},
    {"lr_adapt", HPO_OPTION_BOOL, "false", 0, 0, NULL,
     "LRA-CMA-ES: adapt the mean's and covariance's learning rates to the "
     "updates' signal-to-noise ratio (Nomura et al. 2023; for multimodal "
     "and noisy objectives)",
     offsetof(cmaes_state, lr_adapt), 0},
    {"popsize_adapt", HPO_OPTION_BOOL, "false", 0, 0, NULL,
     "PSA-CMA-ES: grow the population while the updates look like noise, "
     "shrink it when they agree (Nishida and Akimoto 2018)",
     offsetof(cmaes_state, popsize_adapt), 0},
    {0},
};

static void drop_cache(cmaes_state *st)
{
    hpo__cmaes_free(&st->es);
    memset(&st->es, 0, sizeof st->es);
    free(st->es_text);
    st->es_text = NULL;
}

static void drop_new(cmaes_state *st)
{
    if (st->has_new)
        hpo__cmaes_free(&st->es_new);
    st->has_new = 0;
}

static void cmaes_destroy(void *state)
{
    cmaes_state *st = state;
    drop_cache(st);
    drop_new(st);
    hpo__gen_free(&st->gen);
    hpo_space_free(st->inferred);
}

static int cmaes_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                      const hpo_space **space)
{
    cmaes_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* ---- the CMA-ES coordinates of a space ----------------------------------- */

typedef struct coords {
    int n;
    int *param;   /* n: the space's parameter of each coordinate */
    double *card; /* n: values of a grid coordinate, 0 when continuous */
    double *step; /* n: 1/(card-1) for the margin, 0 when continuous */
} coords;

static int make_coords(hpo_plugin_ctx *ctx, const hpo_space *space, coords *c)
{
    c->n = 0;
    c->param = hpo__scratch(ctx, sizeof(int) * (size_t)(space->n + 1));
    c->card = hpo__scratch(ctx, sizeof(double) * (size_t)(space->n + 1));
    c->step = hpo__scratch(ctx, sizeof(double) * (size_t)(space->n + 1));
    if (!c->param || !c->card || !c->step)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    for (int i = 0; i < space->n; i++) {
        const hpo__dist *d = &space->p[i].dist;
        if (space->p[i].parent >= 0 || d->kind == HPO__CATEGORICAL)
            continue;
        double card = d->log ? 0 : hpo__dist_cardinality(d);
        c->param[c->n] = i;
        c->card[c->n] = card > 1 ? card : 0;
        c->step[c->n] = card > 1 ? 1 / (card - 1) : 0;
        c->n++;
    }
    return HPO_OK;
}

static double encode(const coords *c, const hpo__dist *d, int j, double v)
{
    double u = hpo__dist_to_unit(d, v), k = c->card[j];
    double x = k > 0 ? (u * k - 0.5) / (k - 1) : u;
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double decode(const coords *c, const hpo__dist *d, int j, double x)
{
    double k = c->card[j];
    if (k == 0)
        return hpo__dist_from_unit(d, x);
    double i = fmin(fmax(nearbyint(x * (k - 1)), 0), k - 1);
    return hpo__dist_from_unit(d, (i + 0.5) / k);
}

/* ---- the stored distribution --------------------------------------------- */

static int bad_state(hpo_plugin_ctx *ctx, const char *why)
{
    return hpo__fail(ctx->msg, HPO_EINVAL,
                     "cmaes: the study system attribute " STATE_KEY
                     " does not hold this study's CMA-ES state (%s); delete "
                     "it to start a new population", why);
}

/* st->es := the distribution of g's state (parsed once per text). */
static int load_es(cmaes_state *st, hpo_plugin_ctx *ctx, const hpo__gen *g)
{
    if (st->es_text && strcmp(st->es_text, g->text) == 0)
        return HPO_OK;
    drop_cache(st);
    hpo__msg inner = {0};
    int rc = hpo__cmaes_from_object(&st->es, g->state, &inner);
    if (rc == HPO_ENOMEM) {
        hpo__msg_free(&inner);
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    }
    if (rc != HPO_OK) {
        rc = bad_state(ctx, inner.text ? inner.text : "unreadable");
        hpo__msg_free(&inner);
        return rc;
    }
    if (st->es.n != st->c->n) {
        drop_cache(st);
        return bad_state(ctx, "its dimension is not the space's");
    }
    st->es.pending = 0;
    st->es_text = hpo__strdup(g->text);
    if (!st->es_text) {
        drop_cache(st);
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    }
    return HPO_OK;
}

/* ---- members ------------------------------------------------------------- */

/* A COMPLETE member's point to learn from, in xr (n), and its value: 1, or
 * 0 when it has none (not COMPLETE, or a member attribute not ours). */
static int member_point(cmaes_state *st, hpo_plugin_ctx *ctx,
                        const hpo__gen_member *mb, double *xr, double *x,
                        double *f)
{
    const coords *c = st->c;
    if (mb->rec->state != HPO_COMPLETE)
        return 0;
    hpo__msg quiet = {0};
    int ok = hpo__gen_read_vector(mb->attr, "xr", xr, c->n, "cmaes", &quiet) == HPO_OK;
    if (ok && cJSON_HasObjectItem(mb->attr, "x"))
        ok = hpo__gen_read_vector(mb->attr, "x", x, c->n, "cmaes", &quiet) == HPO_OK;
    else if (ok)
        memcpy(x, xr, sizeof(double) * (size_t)c->n); /* no margin: the same */
    hpo__msg_free(&quiet);
    for (int j = 0; ok && j < c->n; j++) {
        const hpo__space_param *p = &st->space->p[c->param[j]];
        const hpo__param *v = hpo__rec_param(mb->rec, p->name);
        ok = v && xr[j] >= 0 && xr[j] <= 1 && x[j] >= 0 && x[j] <= 1;
        if (ok && decode(c, &p->dist, j, x[j]) != v->internal)
            xr[j] = encode(c, &p->dist, j, v->internal); /* not its sample */
    }
    *f = hpo__gen_minimised(ctx, mb->rec, 0);
    return ok;
}

/* The first lambda usable members into es->xr and f; how many. */
static int collect(cmaes_state *st, hpo_plugin_ctx *ctx, const hpo__gen *g,
                   hpo__cmaes *es, double *f)
{
    int n = st->c->n, k = 0;
    double *x = hpo__scratch(ctx, sizeof(double) * (size_t)n);
    double *xr = hpo__scratch(ctx, sizeof(double) * (size_t)n), v;
    for (int i = 0; x && xr && i < g->n && k < es->lambda; i++)
        if (member_point(st, ctx, &g->m[i], xr, x, &v)) {
            if (f) {
                memcpy(es->xr + (size_t)k * n, xr, sizeof(double) * (size_t)n);
                f[k] = v;
            }
            k++;
        }
    return x && xr ? k : HPO_ENOMEM;
}

static int cmaes_ready(void *state, hpo_plugin_ctx *ctx, const hpo__gen *g)
{
    cmaes_state *st = state;
    int rc = load_es(st, ctx, g);
    if (rc != HPO_OK)
        return rc;
    if (g->n_complete < st->es.lambda)
        return 0;
    int k = collect(st, ctx, g, &st->es, NULL);
    if (k < 0)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    return k >= st->es.lambda;
}

/* ---- the first generation ------------------------------------------------ */

/* Earlier COMPLETE trials with every coordinate that are not CMA-ES
 * members: points (*count x n, unit cube) and values, in scratch. */
static int warm_sources(cmaes_state *st, hpo_plugin_ctx *ctx, double **pts,
                        double **f, int *count)
{
    const coords *c = st->c;
    const hpo__trial_rec *t;
    int n_all, rc = hpo__ctx_history(ctx, &t, &n_all);
    if (rc != HPO_OK)
        return rc;
    *pts = hpo__scratch(ctx, sizeof(double) * ((size_t)n_all * c->n + 1));
    *f = hpo__scratch(ctx, sizeof(double) * ((size_t)n_all + 1));
    if (!*pts || !*f)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    *count = 0;
    for (int i = 0; i < n_all; i++) {
        if (t[i].state != HPO_COMPLETE
            || hpo__attrs_get(&t[i].system_attrs, MEMBER_KEY))
            continue;
        double *x = *pts + (size_t)*count * c->n;
        int j = 0;
        for (; j < c->n; j++) {
            const hpo__space_param *p = &st->space->p[c->param[j]];
            const hpo__param *v = hpo__rec_param(&t[i], p->name);
            if (!v || !hpo__dist_contains(&p->dist, v->internal))
                break;
            x[j] = encode(c, &p->dist, j, v->internal);
        }
        if (j == c->n)
            (*f)[(*count)++] = hpo__gen_minimised(ctx, &t[i], 0);
    }
    return HPO_OK;
}

static int start_run(cmaes_state *st, hpo_plugin_ctx *ctx, hpo__cmaes *es)
{
    int n = st->c->n, lambda = st->popsize == HPO_AUTO_INT ? 0 : (int)st->popsize;
    double sigma = isnan(st->sigma0) ? SIGMA0_AUTO : st->sigma0, *pts, *f;
    int count = 0, rc = HPO_OK;
    if (st->warm != ON_FALSE)
        rc = warm_sources(st, ctx, &pts, &f, &count);
    if (rc != HPO_OK)
        return rc;
    int need = st->warm == ON_TRUE ? 1 : (int)ceil(1 / st->gamma - 1e-9);
    if (st->warm != ON_FALSE && count >= need) {
        rc = hpo__cmaes_warm(es, n, pts, f, count, st->gamma, WARM_ALPHA,
                             lambda, st->separable, ctx->msg);
        if (rc == HPO_OK)
            hpo_ctx_log(ctx, 2, "cmaes: warm start from the best %d of %d "
                        "earlier trials (sigma %.3g)",
                        hpo__cmaes_warm_count(count, st->gamma), count, es->sigma);
    } else {
        rc = hpo__cmaes_init(es, n, NULL, sigma, lambda, st->separable, ctx->msg);
    }
    if (rc != HPO_OK)
        return rc;
    es->rs.sigma_default = sigma; /* restarts start cold */
    es->tol_fun = TOL_FUN;
    es->tol_x = TOL_X * es->sigma0;
    hpo__cmaes_restart_mode_set(es, (hpo__cmaes_restart_mode)st->restart);
    hpo__cmaes_lra_set(es, st->lr_adapt);
    hpo__cmaes_psa_set(es, st->popsize_adapt);
    return HPO_OK;
}

/* The core's JSON as the driver's state object (raw text: printed once);
 * why: the stop that caused a restart (NULL: none), kept as
 * "last_stop". */
static int state_of(hpo_plugin_ctx *ctx, const hpo__cmaes *es,
                    const char *why, cJSON **state)
{
    char *text = hpo__cmaes_to_json(es);
    *state = NULL;
    if (text && why) {
        size_t len = strlen(text) + strlen(why) + 32;
        char *with = malloc(len);
        if (with)
            snprintf(with, len, "{\"last_stop\":\"%s\",%s", why, text + 1);
        free(text);
        text = with;
    }
    if (text)
        *state = cJSON_CreateRaw(text);
    free(text);
    return *state ? HPO_OK : hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
}

static int cmaes_first(void *state, hpo_plugin_ctx *ctx, const hpo_space *space,
                       cJSON **out)
{
    cmaes_state *st = state;
    (void)space;
    hpo__cmaes es;
    memset(&es, 0, sizeof es);
    int rc = start_run(st, ctx, &es);
    if (rc != HPO_OK) {
        hpo__cmaes_free(&es);
        return rc;
    }
    rc = state_of(ctx, &es, NULL, out);
    hpo__cmaes_free(&es);
    return rc;
}

/* ---- the next generation ------------------------------------------------- */

static int use_margin(const cmaes_state *st)
{
    if (st->margin == ON_FALSE)
        return 0;
    for (int j = 0; j < st->c->n; j++)
        if (st->c->step[j] > 0)
            return 1;
    return 0;
}

/* A distribution that cannot go on (a variance not positive, a step size
 * not finite): never expected, but a stored state must stay readable, so
 * such a run restarts whatever the mode. */
static int degenerate(const hpo__cmaes *es)
{
    for (int i = 0; i < es->n; i++) {
        double c = es->separable ? es->C[i] : es->C[(size_t)i * es->n + i];
        if (!(c > 0) || !isfinite(c) || !(es->D[i] > 0) || !isfinite(es->mean[i]))
            return 1;
    }
    return !(es->sigma > 0) || !isfinite(es->sigma);
}

/* After the tell: the margin, then a restart when a run has stalled. */
static int after_tell(cmaes_state *st, hpo_plugin_ctx *ctx, hpo__cmaes *es,
                      long gen, const char **why)
{
    int rc = use_margin(st) ? hpo__cmaes_margin(es, st->c->step, 0, ctx->msg)
                            : HPO_OK;
    hpo__cmaes_stop_reason stop = hpo__cmaes_stop(es);
    int broken = degenerate(es);
    *why = NULL;
    if (rc != HPO_OK || (!broken && (stop == HPO__CMAES_RUN
                                     || es->rs.mode == HPO__CMAES_RESTART_NONE)))
        return rc;
    hpo__rng rng;
    hpo__rng_derive(&rng, hpo_ctx_seed(ctx), RESTART_STREAM ^ (uint64_t)gen);
    long evals = es->evaluations;
    rc = hpo__cmaes_restart(es, &rng, ctx->msg);
    *why = broken ? "degenerate" : hpo__cmaes_stop_name(stop);
    if (rc == HPO_OK)
        hpo_ctx_log(ctx, 2, "cmaes: run stopped (%s) after %ld evaluations; "
                    "restart %d with population %d", *why, evals,
                    es->rs.restarts, es->lambda);
    return rc;
}

static int cmaes_next(void *state, hpo_plugin_ctx *ctx, const hpo_space *space,
                      const hpo__gen *g, cJSON **out)
{
    cmaes_state *st = state;
    (void)space;
    int rc = load_es(st, ctx, g);
    if (rc != HPO_OK)
        return rc;
    /* Take the cached distribution: it changes now, and a lost race is
     * read back from storage anyway. */
    hpo__cmaes es = st->es;
    memset(&st->es, 0, sizeof st->es);
    drop_cache(st);
    double *f = hpo__scratch(ctx, sizeof(double) * (size_t)es.lambda);
    rc = f ? HPO_OK : hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    if (rc == HPO_OK && collect(st, ctx, g, &es, f) != es.lambda)
        rc = hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    es.pending = 1;
    if (rc == HPO_OK)
        rc = hpo__cmaes_tell(&es, f, ctx->msg);
    const char *why = NULL;
    if (rc == HPO_OK)
        rc = after_tell(st, ctx, &es, g->generation, &why);
    if (rc == HPO_OK)
        rc = state_of(ctx, &es, why, out);
    drop_new(st);
    if (rc != HPO_OK) {
        hpo__cmaes_free(&es);
        return rc;
    }
    st->es_new = es; /* kept for cmaes_adopt */
    st->has_new = 1;
    return HPO_OK;
}

/* The driver stored the state cmaes_next made last as text: it becomes
 * the cache, as if read back (the text holds exactly its numbers), so
 * the writer of a generation does not parse it again. */
static int cmaes_adopt(void *state, const char *text)
{
    cmaes_state *st = state;
    if (!st->has_new)
        return HPO_EINVAL;
    char *copy = hpo__strdup(text);
    if (!copy)
        return HPO_ENOMEM;
    drop_cache(st);
    st->es = st->es_new;
    st->es.pending = 0;
    st->es_text = copy;
    st->has_new = 0;
    return HPO_OK;
}

static const hpo__gen_ops cmaes_ops = {"cmaes", cmaes_first, cmaes_ready,
                                       cmaes_next, cmaes_adopt};

/* ---- sampling ------------------------------------------------------------ */

/* This trial's candidate from the current distribution, into values. */
static int draw(cmaes_state *st, hpo_plugin_ctx *ctx, double *values,
                cJSON **extra)
{
    const coords *c = st->c;
    int n = c->n;
    double *buf = hpo__scratch(ctx, sizeof(double) * (size_t)n * 4);
    if (!buf)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    double *z = buf, *x = buf + n, *xr = buf + 2 * n, *y = buf + 3 * n;
    for (int j = 0; j < n; j++)
        z[j] = hpo__rng_normal(ctx->rng);
    hpo__cmaes_sample(&st->es, z, x, xr, y);
    for (int j = 0; j < n; j++)
        values[c->param[j]] = decode(c, &st->space->p[c->param[j]].dist, j, x[j]);
    *extra = cJSON_CreateObject();
    if (!hpo__json_put(*extra, "xr", hpo__gen_vector(xr, n))
        || (memcmp(x, xr, sizeof(double) * (size_t)n) != 0
            && !hpo__json_put(*extra, "x", hpo__gen_vector(x, n)))) {
        cJSON_Delete(*extra);
        *extra = NULL;
        return hpo__fail(ctx->msg, HPO_ENOMEM, "cmaes: out of memory");
    }
    return HPO_OK;
}

static int cmaes_sample_relative(void *state, hpo_plugin_ctx *ctx,
                                 const hpo_space *space, double *values)
{
    cmaes_state *st = state;
    if (hpo_ctx_n_objectives(ctx) > 1)
        return hpo__fail(ctx->msg, HPO_EUNSUPPORTED,
                         "cmaes: CMA-ES optimizes one objective, this study "
                         "has %d (use nsga2)", hpo_ctx_n_objectives(ctx));
    coords c;
    int rc = make_coords(ctx, space, &c);
    for (int i = 0; i < space->n; i++)
        values[i] = NAN; /* categorical, conditional: independent */
    if (rc != HPO_OK || c.n == 0)
        return rc;
    st->c = &c;
    st->space = space;
    cJSON *extra = NULL;
    rc = hpo__gen_sync(&st->gen, &cmaes_ops, st, ctx, space);
    if (rc == HPO_OK)
        rc = load_es(st, ctx, &st->gen);
    if (rc == HPO_OK)
        rc = draw(st, ctx, values, &extra);
    if (rc == HPO_OK)
        rc = hpo__gen_join(&st->gen, &cmaes_ops, ctx, extra);
    st->c = NULL;
    st->space = NULL;
    return rc;
}

const hpo_sampler_type hpo__sampler_cmaes = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "cmaes",
             .summary = "CMA-ES (IPOP/BIPOP restarts, sep-CMA, margin for "
                        "ints, warm start; one distribution shared by all "
                        "workers through storage)",
             .options = cmaes_options,
             .state_size = sizeof(cmaes_state),
             .destroy = cmaes_destroy},
    .infer_relative_space = cmaes_infer_relative_space,
    .sample_relative = cmaes_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
