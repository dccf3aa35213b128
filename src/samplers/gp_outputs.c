/*
 * gp_outputs.c — what the `gp` sampler's models fit.  All objectives are
 * minimized (a maximized one negated); infinite and NaN values count as
 * the worst value seen.
 *
 *   - One objective: its values, standardized and warped (gp_warp.c).
 *   - Several, by ParEGO (Knowles 2006, "ParEGO: A Hybrid Algorithm With
 *     On-Line Landscape Approximation for Expensive Multiobjective
 *     Optimization Problems"): each trial draws weights from the simplex
 *     and the model fits the augmented Chebyshev scalarization
 *     max_k w_k f_k + rho sum_k w_k f_k of the objectives normalized to
 *     [0, 1].
 *   - Two, for EHVI (gp_ehvi.c): one model per objective, each fitting its
 *     own standardized values, not warped: the hypervolume is an area in
 *     the objectives' own scales, and warping each axis separately would
 *     change which improvements look large (on ZDT1-3 at 100 trials the
 *     unwarped models gave the higher median hypervolume on all three,
 *     by 1-2%).  The reference point of the
 *     hypervolume is, per objective, the worst value seen plus a tenth of
 *     the range seen, in that same standardized scale: a little beyond
 *     every observed point, so that the extremes of the front still have
 *     room to improve.  The scalarization still orders the acquisition's
 *     starting points, which draws each trial towards another part of the
 *     front.
 */
#include <math.h>
#include <stdlib.h>

#include "gp_model.h"
#include "gp_outputs.h"

#define PAREGO_RHO 0.05
#define REF_MARGIN 0.1

/* values[i * n_obj + k]: objective k of trial i, minimized, clamped into
 * [lo[k], hi[k]], the range of its finite values. */
static void minimized_values(hpo_plugin_ctx *ctx,
                             const hpo__trial_rec *const *done, int n,
                             int n_obj, double *values, double *lo, double *hi)
{
    for (int k = 0; k < n_obj; k++) {
        lo[k] = HUGE_VAL;
        hi[k] = -HUGE_VAL;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n_obj; k++) {
            double v = k < done[i]->n_values ? done[i]->values[k] : NAN;
            if (hpo_ctx_direction(ctx, k) == HPO_MAXIMIZE)
                v = -v;
            values[(size_t)i * n_obj + k] = v;
            if (isfinite(v)) {
                lo[k] = v < lo[k] ? v : lo[k];
                hi[k] = v > hi[k] ? v : hi[k];
            }
        }
    for (size_t j = 0; j < (size_t)n * n_obj; j++) {
        int k = (int)(j % (size_t)n_obj);
        if (!(values[j] <= hi[k]))
            values[j] = hi[k];
        if (!(values[j] >= lo[k]))
            values[j] = lo[k];
    }
}

/* ParEGO's scalarization with weights w (one objective: its value). */
static void scalarize(const double *values, int n, int n_obj,
                      const double *w, const double *lo, const double *hi,
                      double *y)
{
    for (int i = 0; i < n; i++) {
        if (n_obj == 1) {
            y[i] = values[i];
            continue;
        }
        double s = -HUGE_VAL, sum = 0;
        for (int k = 0; k < n_obj; k++) {
            double v = values[(size_t)i * n_obj + k];
            double f = hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0;
            s = w[k] * f > s ? w[k] * f : s;
            sum += w[k] * f;
        }
        y[i] = s + PAREGO_RHO * sum;
    }
}

static void normalize(double *y, int n, int warp)
{
    if (warp)
        gp_warp_outputs(y, n);
    else
        gp_standardize(y, n);
}

static double reference(const double *y, int n)
{
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int i = 0; i < n; i++) {
        lo = y[i] < lo ? y[i] : lo;
        hi = y[i] > hi ? y[i] : hi;
    }
    return hi + REF_MARGIN * (hi > lo ? hi - lo : 1);
}

int gp_outputs_build(gp_outputs *o, hpo_plugin_ctx *ctx,
                     const hpo__trial_rec *const *done, int n, int two_models,
                     int warp)
{
    int n_obj = hpo_ctx_n_objectives(ctx);
    two_models = two_models && n_obj == 2;
    double *w = hpo__scratch(ctx, sizeof(double) * (size_t)n_obj * 3);
    double *values = hpo__scratch(ctx, sizeof(double) * (size_t)n * n_obj + 1);
    o->n_models = two_models ? 2 : 1;
    o->rank = hpo__scratch(ctx, sizeof(double) * (size_t)(n + 1));
    o->y[0] = two_models ? hpo__scratch(ctx, sizeof(double) * (size_t)(n + 1))
                         : o->rank;
    o->y[1] = two_models ? hpo__scratch(ctx, sizeof(double) * (size_t)(n + 1))
                         : NULL;
    if (!w || !values || !o->rank || !o->y[0] || (two_models && !o->y[1]))
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    double *lo = w + n_obj, *hi = w + 2 * n_obj, total = 0;
    for (int k = 0; k < n_obj; k++) {
        w[k] = -log(1 - hpo__rng_uniform(ctx->rng));
        total += w[k];
    }
    for (int k = 0; k < n_obj; k++)
        w[k] /= total;
    minimized_values(ctx, done, n, n_obj, values, lo, hi);
    scalarize(values, n, n_obj, w, lo, hi, o->rank);
    normalize(o->rank, n, warp);
    o->ref[0] = o->ref[1] = NAN;
    for (int k = 0; two_models && k < 2; k++) {
        for (int i = 0; i < n; i++)
            o->y[k][i] = values[(size_t)i * 2 + k];
        gp_standardize(o->y[k], n);
        o->ref[k] = reference(o->y[k], n);
    }
    return HPO_OK;
}
