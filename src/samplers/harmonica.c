/*
 * harmonica.c — the `harmonica` sampler: the spectral method of Hazan,
 * Klivans & Yuan 2017 ("Hyperparameter Optimization: A Spectral
 * Approach", arXiv 1706.00764; ICLR 2018), algorithm 2 "Harmonica".
 *
 * The space is encoded as +-1 bits (harmonica_bits.c).  Then, for each of
 * `stages` stages:
 *   1. `samples` trials draw their bits uniformly in the current
 *      restricted space (the bits fixed by earlier stages held);
 *   2. once that many of them are COMPLETE, the values are fitted by a
 *      sparse polynomial of degree <= `degree` in the free bits (Lasso over
 *      parity features, harmonica_lasso.c);
 *   3. the variables of the `monomials` largest terms are fixed to the
 *      values minimizing the polynomial (harmonica_stage.c), which
 *      restricts the space for the next stage.
 * After the last stage the remaining free parameters are handed to the
 * base sampler (random or tpe) while the fixed ones are held; a parameter
 * with some of its bits fixed draws the rest at random.
 *
 * Workers.  A stage's decision is made once, by the first worker that sees
 * enough completed samples of the stage, and stored in the study's system
 * attribute "hpo:harmonica:stage:K" by compare-and-set; every worker (and
 * a restarted one) reads the decisions from there, so all hold the same
 * bits.  A trial records its stage and bits in its system attribute
 * "hpo:harmonica"; a trial whose stored values are not what its bits
 * decode to (an enqueued trial, one another sampler made) is not a sample.
 * While a stage waits for running samples to finish, new trials are more
 * samples of the same stage.  The folds of the cross-validation come from
 * a stream of the study's seed and the stage, so a seeded study decides
 * the same whatever the timing.
 *
 * Deviations from the paper:
 *   1. numeric parameters are discretized to 2^numeric_bits levels
 *      (harmonica_bits.c); numeric_bits=0 refuses them;
 *   2. the minimized polynomial keeps every fitted term over the chosen
 *      variables (harmonica_stage.c);
 *   3. the Lasso's lambda is chosen by cross-validation unless given;
 *   4. one objective only (several: HPO_EUNSUPPORTED); a maximized one is
 *      negated.
 *
 * The default of 80 samples a stage: on sparse_bool60 (hpo-bench quality,
 * seeds 0-9; runs at f* = -19.5 after 100 / 300 trials) samples=30: 6 / 8,
 * 40: 6 / 8, 60: 9 / 10, 80: 10 / 10.  Fewer samples fix a wrong sign
 * now and then, and a fixed bit is never freed again.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "harmonica.h"

#define TRIAL_ATTR "hpo:harmonica"
#define STAGE_ATTR "hpo:harmonica:stage:%d"
/* The rng stream of stage K's folds: this + K ("harmonic"). */
#define FOLD_STREAM UINT64_C(0x6861726d6f6e6963)
/* More monomials than this are refused (16 MB of coefficients). */
#define MAX_MONOMIALS 2000000

enum { BASE_RANDOM, BASE_TPE };
static const char *const base_specs[] = {"random", "tpe"};

typedef struct harmonica_state {
    int64_t degree, samples, stages, monomials, numeric_bits, folds;
    double alpha; /* NaN: cross-validated */
    int base;
    hpo__plugin base_sampler;
    hpo_space *inferred;
    /* The decisions read so far (they never change once stored): the
     * restriction after the first n_decided stages, for n_bits bits. */
    int n_decided, n_bits;
    signed char *fixed;
} harmonica_state;

static const hpo_option harmonica_options[] = {
    {"degree", HPO_OPTION_INT, "3", 1, 4, NULL,
     "largest degree of the fitted monomials (products of bits)",
     offsetof(harmonica_state, degree), 0},
    {"samples", HPO_OPTION_INT, "80", 4, 1e6, NULL,
     "random trials per stage, fitted when complete",
     offsetof(harmonica_state, samples), 0},
    {"stages", HPO_OPTION_INT, "3", 0, 100, NULL,
     "stages of sampling, fitting and fixing before the base sampler",
     offsetof(harmonica_state, stages), 0},
    {"monomials", HPO_OPTION_INT, "5", 1, 16, NULL,
     "largest monomials whose variables a stage fixes (at most 20 bits)",
     offsetof(harmonica_state, monomials), 0},
    {"alpha", HPO_OPTION_FLOAT, "auto", 0, INFINITY, NULL,
     "the Lasso's lambda for values scaled to unit deviation (auto: "
     "cross-validated over a path)",
     offsetof(harmonica_state, alpha), HPO_OPTION_AUTO | HPO_OPTION_LOW_OPEN},
    {"folds", HPO_OPTION_INT, "5", 2, 20, NULL,
     "folds of the cross-validation choosing lambda",
     offsetof(harmonica_state, folds), 0},
    {"numeric_bits", HPO_OPTION_INT, "4", 0, 16, NULL,
     "bits of an int or float (2^B levels; 0: refuse numeric parameters)",
     offsetof(harmonica_state, numeric_bits), 0},
    {"base", HPO_OPTION_ENUM, "tpe", 0, 0, "random|tpe",
     "the sampler of the free parameters after the last stage",
     offsetof(harmonica_state, base), 0},
    {0},
};

static int harmonica_init(void *state, hpo_plugin_ctx *ctx)
{
    harmonica_state *st = state;
    return hpo__plugin_make_sampler(&st->base_sampler, base_specs[st->base],
                                    ctx->msg);
}

static void harmonica_destroy(void *state)
{
    harmonica_state *st = state;
    hpo__plugin_free(&st->base_sampler);
    hpo_space_free(st->inferred);
    free(st->fixed);
}

static int harmonica_infer(void *state, hpo_plugin_ctx *ctx,
                           const hpo_space **space)
{
    harmonica_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* ---- the stored decisions ----------------------------------------------- */

static int out_of_memory(hpo_plugin_ctx *ctx)
{
    return hpo__fail(ctx->msg, HPO_ENOMEM, "harmonica: out of memory");
}

/* Start the cache afresh for a layout of n_bits bits. */
static int reset_cache(harmonica_state *st, hpo_plugin_ctx *ctx, int n_bits)
{
    free(st->fixed);
    st->fixed = calloc((size_t)n_bits + 1, 1);
    st->n_bits = n_bits;
    st->n_decided = 0;
    return st->fixed ? HPO_OK : out_of_memory(ctx);
}

/* Apply stage k's stored decision (json) to the cache. */
static int apply_decision(harmonica_state *st, hpo_plugin_ctx *ctx, int k,
                          const char *json)
{
    cJSON *doc = NULL;
    int rc = hpo__json_parse(json, "harmonica: a stored stage", &doc, ctx->msg);
    if (rc != HPO_OK)
        return rc;
    const cJSON *bits = cJSON_GetObjectItemCaseSensitive(doc, "n_bits");
    const cJSON *fixed = cJSON_GetObjectItemCaseSensitive(doc, "fixed");
    if (!cJSON_IsNumber(bits) || !cJSON_IsString(fixed) ||
        (int)strlen(fixed->valuestring) != st->n_bits) {
        rc = hpo__fail(ctx->msg, HPO_EINVAL,
                       "harmonica: stage %d was decided for a space of %g "
                       "bits; this study's space has %d now (was the space "
                       "changed during the study?)",
                       k, cJSON_IsNumber(bits) ? bits->valuedouble : NAN,
                       st->n_bits);
    }
    for (int b = 0; rc == HPO_OK && b < st->n_bits; b++) {
        char c = fixed->valuestring[b];
        if (c == '+' || c == '-')
            st->fixed[b] = c == '+' ? 1 : -1;
    }
    cJSON_Delete(doc);
    return rc;
}

/* Read the decisions stored since the cache last looked. */
static int read_decisions(harmonica_state *st, hpo_plugin_ctx *ctx)
{
    while (st->n_decided < st->stages) {
        char key[64];
        const char *json = NULL;
        snprintf(key, sizeof key, STAGE_ATTR, st->n_decided);
        int rc = hpo_ctx_study_attr(ctx, key, &json);
        if (rc != HPO_OK || !json)
            return rc;
        if ((rc = apply_decision(st, ctx, st->n_decided, json)) != HPO_OK)
            return rc;
        st->n_decided++;
    }
    return HPO_OK;
}

/* ---- a stage's samples -------------------------------------------------- */

/* The bits a trial of stage k stored, in x, when its stored values are
 * what they decode to: 1, else 0. */
static int sample_bits(const harmonica_layout *l, const hpo_space *space,
                       const hpo__trial_rec *t, int k, signed char *x)
{
    const char *json = hpo_record_system_attr(t, TRIAL_ATTR);
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    const cJSON *stage = cJSON_GetObjectItemCaseSensitive(doc, "stage");
    const cJSON *bits = cJSON_GetObjectItemCaseSensitive(doc, "bits");
    int ok = cJSON_IsNumber(stage) && stage->valueint == k &&
             cJSON_IsString(bits) &&
             (int)strlen(bits->valuestring) == l->n_bits;
    for (int b = 0; ok && b < l->n_bits; b++)
        x[b] = bits->valuestring[b] == '+' ? 1 : -1;
    for (int i = 0; ok && i < space->n; i++) {
        const hpo__param *p = hpo__rec_param(t, space->p[i].name);
        ok = !p || p->internal == harmonica_decode(l, space, i, x);
    }
    cJSON_Delete(doc);
    return ok;
}

/* Stage k's completed samples: the free bits (column by variable) and the
 * values to minimize. */
typedef struct samples {
    int n, n_free;
    int *var;         /* n_free: the global bit of each variable */
    signed char *x;   /* n_free x n, column-major */
    double *y;
} samples;

static int collect(harmonica_state *st, hpo_plugin_ctx *ctx,
                   const harmonica_layout *l, const hpo_space *space, int k,
                   samples *s)
{
    const hpo__trial_rec *h;
    int n_all, rc = hpo__ctx_history(ctx, &h, &n_all);
    if (rc != HPO_OK)
        return rc;
    signed char *rowbits = hpo__scratch(ctx, (size_t)(n_all + 1) * (size_t)(l->n_bits + 1));
    s->var = hpo__scratch(ctx, sizeof(int) * (size_t)(l->n_bits + 1));
    s->y = hpo__scratch(ctx, sizeof(double) * (size_t)(n_all + 1));
    if (!rowbits || !s->var || !s->y)
        return out_of_memory(ctx);
    int sign = hpo_ctx_direction(ctx, 0) == HPO_MAXIMIZE ? -1 : 1;
    s->n = s->n_free = 0;
    for (int i = 0; i < n_all; i++) {
        const hpo__trial_rec *t = &h[i];
        if (t->state != HPO_COMPLETE || t->n_values < 1 ||
            !isfinite(t->values[0]))
            continue;
        if (sample_bits(l, space, t, k, rowbits + (size_t)s->n * l->n_bits))
            s->y[s->n++] = sign * t->values[0];
    }
    for (int b = 0; b < l->n_bits; b++)
        if (!st->fixed[b])
            s->var[s->n_free++] = b;
    if (s->n < st->samples)
        return HPO_OK; /* not yet */
    s->x = hpo__scratch(ctx, (size_t)s->n * (size_t)(s->n_free + 1));
    if (!s->x)
        return out_of_memory(ctx);
    for (int v = 0; v < s->n_free; v++)
        for (int i = 0; i < s->n; i++)
            s->x[(size_t)v * s->n + i] = rowbits[(size_t)i * l->n_bits + s->var[v]];
    return HPO_OK;
}

/* ---- deciding a stage --------------------------------------------------- */

static int too_many_monomials(harmonica_state *st, hpo_plugin_ctx *ctx,
                              int n_free)
{
    double count = harmonica_monomials_count(n_free, (int)st->degree);
    if (count <= MAX_MONOMIALS)
        return HPO_OK;
    return hpo__fail(ctx->msg, HPO_EUNSUPPORTED,
                     "harmonica: %d free bits at degree %d make %.3g "
                     "monomials, more than %d: lower degree (or "
                     "numeric_bits)",
                     n_free, (int)st->degree, count, MAX_MONOMIALS);
}

/* The decision as stored: the restriction after it ('+', '-', '.' free),
 * and for the reader the terms it acted on. */
static char *decision_json(const harmonica_state *st, const samples *s,
                           const harmonica_monomials *m,
                           const harmonica_fit *fit,
                           const harmonica_choice *c, const signed char *fixed)
{
    size_t cap = (size_t)st->n_bits + 256 + 128 * (size_t)c->n_top, len;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    len = (size_t)snprintf(out, cap,
                           "{\"n_bits\": %d, \"samples\": %d, \"lambda\": "
                           "%.6g, \"fixed\": \"",
                           st->n_bits, s->n, fit->lambda);
    for (int b = 0; b < st->n_bits; b++)
        out[len++] = fixed[b] > 0 ? '+' : fixed[b] < 0 ? '-' : '.';
    len += (size_t)snprintf(out + len, cap - len, "\", \"terms\": [");
    for (int t = 0; t < c->n_top; t++) {
        const int *v = m->idx + (size_t)c->top[t] * m->degree;
        len += (size_t)snprintf(out + len, cap - len, "%s{\"coef\": %.6g, "
                                "\"bits\": [", t ? ", " : "",
                                fit->coef[c->top[t]]);
        for (int j = 0; j < m->degree && v[j] >= 0; j++)
            len += (size_t)snprintf(out + len, cap - len, "%s%d",
                                    j ? ", " : "", s->var[v[j]]);
        len += (size_t)snprintf(out + len, cap - len, "]}");
    }
    snprintf(out + len, cap - len, "]}");
    return out;
}

/* Fit stage k's samples and choose; the new restriction into fixed. */
static int fit_and_choose(harmonica_state *st, hpo_plugin_ctx *ctx,
                          const samples *s, int k, signed char *fixed,
                          char **json)
{
    harmonica_monomials m;
    harmonica_fit fit = {0};
    if (harmonica_monomials_init(&m, s->n_free, (int)st->degree,
                                 MAX_MONOMIALS) != 0)
        return out_of_memory(ctx);
    hpo__rng rng;
    hpo__rng_derive(&rng, hpo_ctx_seed(ctx), FOLD_STREAM + (uint64_t)k);
    harmonica_data d = {s->n, s->n_free, s->x, s->y};
    int rc = harmonica_lasso(&d, &m, st->alpha, (int)st->folds, &rng, &fit);
    harmonica_choice c;
    if (rc == 0) {
        harmonica_choose(&m, &fit, (int)st->monomials, &c);
        memcpy(fixed, st->fixed, (size_t)st->n_bits);
        for (int j = 0; j < c.n_fixed; j++)
            fixed[s->var[c.var[j]]] = c.value[j];
        *json = decision_json(st, s, &m, &fit, &c, fixed);
    }
    free(fit.coef);
    harmonica_monomials_free(&m);
    return rc == 0 && *json ? HPO_OK : out_of_memory(ctx);
}

/* Decide stage k if its samples are in, and store the decision unless
 * another worker stored one first; then read what is stored. */
static int try_decide(harmonica_state *st, hpo_plugin_ctx *ctx,
                      const harmonica_layout *l, const hpo_space *space)
{
    int k = st->n_decided;
    samples s = {0};
    int rc = collect(st, ctx, l, space, k, &s);
    if (rc != HPO_OK || s.n < st->samples)
        return rc;
    if ((rc = too_many_monomials(st, ctx, s.n_free)) != HPO_OK)
        return rc;
    signed char *fixed = hpo__scratch(ctx, (size_t)st->n_bits + 1);
    char *json = NULL, key[64];
    if (!fixed)
        return out_of_memory(ctx);
    rc = fit_and_choose(st, ctx, &s, k, fixed, &json);
    snprintf(key, sizeof key, STAGE_ATTR, k);
    if (rc == HPO_OK)
        rc = hpo_ctx_study_attr_cas(ctx, key, NULL, json);
    if (rc == HPO_OK)
        hpo_ctx_log(ctx, 1, "harmonica: stage %d decided from %d trials: %s",
                    k, s.n, json);
    free(json);
    if (rc == HPO_DONE) /* another worker decided it: read theirs */
        rc = HPO_OK;
    return rc == HPO_OK ? read_decisions(st, ctx) : rc;
}

/* ---- sampling ----------------------------------------------------------- */

static int record_sample(hpo_plugin_ctx *ctx, int k, const signed char *x,
                         int n_bits)
{
    char *json = hpo__scratch(ctx, (size_t)n_bits + 64);
    if (!json)
        return out_of_memory(ctx);
    int len = snprintf(json, 64, "{\"stage\": %d, \"bits\": \"", k);
    for (int b = 0; b < n_bits; b++)
        json[len++] = x[b] > 0 ? '+' : '-';
    memcpy(json + len, "\"}", 3);
    return hpo_ctx_set_trial_attr(ctx, TRIAL_ATTR, json);
}

/* After the stages: a parameter all of whose bits are fixed is held; one
 * with some fixed draws the others; a free one is the base sampler's
 * (NaN). */
static void hold_fixed(const harmonica_state *st, const harmonica_layout *l,
                       const hpo_space *space, const signed char *x,
                       double *values)
{
    for (int i = 0; i < space->n; i++) {
        const harmonica_param *p = &l->p[i];
        int n_fixed = 0;
        for (int b = 0; b < p->n_bits; b++)
            n_fixed += st->fixed[p->offset + b] != 0;
        values[i] = n_fixed == 0 ? NAN : harmonica_decode(l, space, i, x);
    }
}

static int harmonica_relative(void *state, hpo_plugin_ctx *ctx,
                              const hpo_space *space, double *values)
{
    harmonica_state *st = state;
    if (hpo_ctx_n_objectives(ctx) > 1)
        return hpo__fail(ctx->msg, HPO_EUNSUPPORTED,
                         "harmonica: optimizes one objective; this study "
                         "has %d",
                         hpo_ctx_n_objectives(ctx));
    harmonica_layout l;
    int rc = harmonica_layout_init(&l, space, (int)st->numeric_bits, ctx->msg);
    if (rc != HPO_OK)
        return rc;
    if (l.n_bits != st->n_bits || !st->fixed)
        rc = reset_cache(st, ctx, l.n_bits);
    if (rc == HPO_OK)
        rc = read_decisions(st, ctx);
    int n_free = 0;
    for (int b = 0; b < l.n_bits; b++)
        n_free += !st->fixed || !st->fixed[b];
    if (rc == HPO_OK && st->n_decided < st->stages)
        rc = too_many_monomials(st, ctx, n_free);
    if (rc == HPO_OK && st->n_decided < st->stages)
        rc = try_decide(st, ctx, &l, space);
    signed char *x = rc == HPO_OK ? hpo__scratch(ctx, (size_t)l.n_bits + 1) : NULL;
    if (rc == HPO_OK && !x)
        rc = out_of_memory(ctx);
    if (rc == HPO_OK) {
        harmonica_draw(&l, st->fixed, ctx->rng, x);
        if (st->n_decided < st->stages) {
            for (int i = 0; i < space->n; i++)
                values[i] = harmonica_decode(&l, space, i, x);
            rc = record_sample(ctx, st->n_decided, x, l.n_bits);
        } else {
            hold_fixed(st, &l, space, x, values);
        }
    }
    harmonica_layout_free(&l);
    return rc;
}

/* Parameters outside the relative space, and the free ones after the
 * stages: uniform during the stages, the base sampler's after. */
static int harmonica_independent(void *state, hpo_plugin_ctx *ctx,
                                 const char *name, const hpo__dist *dist,
                                 double *value)
{
    harmonica_state *st = state;
    if (st->fixed && st->n_decided >= st->stages)
        return hpo__sampler_independent(&st->base_sampler, ctx, name, dist,
                                        value);
    return hpo__sample_independent_uniform(NULL, ctx, name, dist, value);
}

const hpo_sampler_type hpo__sampler_harmonica = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "harmonica",
             .summary = "spectral search over many discrete parameters "
                        "(Harmonica: sparse Fourier fits of +-1 bits by "
                        "Lasso, stage by stage)",
             .options = harmonica_options,
             .state_size = sizeof(harmonica_state),
             .init = harmonica_init,
             .destroy = harmonica_destroy},
    .infer_relative_space = harmonica_infer,
    .sample_relative = harmonica_relative,
    .sample_independent = harmonica_independent,
};
