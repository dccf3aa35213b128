/*
 * model.c — irace's sampling model (López-Ibáñez et al. 2016, §3.1;
 * irace 3.5's sampleModel, updateModel and restartConfigurations).
 *
 * Each elite carries a model: for a numeric parameter a standard
 * deviation, for a categorical one a probability per choice.  A new
 * configuration picks a parent elite with weight (N - rank), then draws
 * each active parameter: numeric from a normal truncated to the domain
 * around the parent's value, categorical from the parent's probabilities;
 * it inherits the parent's model.  Before each iteration every elite's sd
 * shrinks by (1/N_new)^(1/d) and its probabilities move toward its own
 * choice by (j-1)/N_iter, capped at 0.2^(1/d) (d: parameters not fixed).
 *
 * Deviations: (1) numeric parameters are drawn in a unit scale (linear,
 * or logarithmic for log parameters; an int range split into equal cells,
 * which irace gets by sampling [low, high+1) and flooring), so one sd
 * rule serves all; irace's initial sd, half the range, is 0.5 there.
 * (2) hpo has no ordinal type: an ordered set of values is an int (or a
 * stepped float) parameter here, sampled as numeric.
 */
#include "race.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INIT_SD 0.5
#define SIMILAR 1e-4 /* irace's softRestartThreshold, 10^-digits */

static const hpo__dist *dist_of(const hpo__race *r, int p)
{
    return &r->space->p[p].dist;
}

race_conf *hpo__race_conf_new(hpo__race *r)
{
    race_conf *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->x = malloc(((size_t)2 * r->np + r->n_prob + 1) * sizeof *c->x);
    c->res = malloc(((size_t)r->cap_stream + 1) * sizeof *c->res);
    if (!c->x || !c->res) {
        hpo__race_conf_free(c);
        return NULL;
    }
    c->sd = c->x + r->np;
    c->prob = c->sd + r->np;
    for (int i = 0; i < r->cap_stream; i++)
        c->res[i] = NAN;
    c->alive = 1;
    c->parent = -1;
    return c;
}

void hpo__race_conf_free(race_conf *c)
{
    if (!c)
        return;
    free(c->x);
    free(c->res);
    free(c);
}

/* The unit-scale cells of an int or stepped parameter (0: continuous). */
static double n_cells(const hpo__dist *d)
{
    if (d->kind == HPO__INT)
        return floor((d->high - d->low) / d->step + 0.5) + 1;
    return 0;
}

static double to_unit(const hpo__dist *d, double x)
{
    if (d->high <= d->low)
        return 0.5;
    double cells = n_cells(d);
    if (d->log) {
        double top = cells > 0 ? d->high + 1 : d->high;
        double at = cells > 0 ? x + 0.5 : x;
        return (log(at) - log(d->low)) / (log(top) - log(d->low));
    }
    if (cells > 0)
        return ((x - d->low) / d->step + 0.5) / cells;
    return (x - d->low) / (d->high - d->low);
}

static double from_unit(const hpo__dist *d, double u)
{
    if (d->high <= d->low)
        return d->low;
    double cells = n_cells(d), x;
    if (d->log) {
        double top = cells > 0 ? d->high + 1 : d->high;
        x = exp(log(d->low) + u * (log(top) - log(d->low)));
        if (cells > 0)
            x = floor(x);
    } else if (cells > 0) {
        double k = floor(u * cells);
        x = d->low + fmin(k, cells - 1) * d->step;
    } else {
        x = d->low + u * (d->high - d->low);
    }
    return hpo__dist_snap(d, x);
}

/* A normal draw truncated to [0, 1] by rejection: the mean lies inside,
 * so at least half the draws land there. */
static double truncated_normal(hpo__rng *rng, double mean, double sd)
{
    for (int i = 0; i < 200; i++) {
        double u = mean + sd * hpo__rng_normal(rng);
        if (u >= 0 && u < 1)
            return u;
    }
    return fmin(fmax(mean, 0), 1);
}

static int is_fixed(const hpo__dist *d)
{
    return d->kind == HPO__CATEGORICAL ? d->n_choices <= 1
                                       : d->high <= d->low;
}

static void reset_model(hpo__race *r, race_conf *c)
{
    for (int p = 0; p < r->np; p++) {
        const hpo__dist *d = dist_of(r, p);
        c->sd[p] = INIT_SD;
        if (d->kind == HPO__CATEGORICAL)
            for (int k = 0; k < d->n_choices; k++)
                c->prob[r->off[p] + k] = 1.0 / d->n_choices;
    }
}

static double draw_choice(hpo__rng *rng, const double *prob, int n)
{
    double u = hpo__rng_uniform(rng), acc = 0;
    for (int k = 0; k < n; k++) {
        acc += prob[k];
        if (u < acc)
            return k;
    }
    return n - 1;
}

void hpo__race_sample_uniform(hpo__race *r, race_conf *c)
{
    reset_model(r, c);
    for (int p = 0; p < r->np; p++) {
        const hpo__dist *d = dist_of(r, p);
        if (!hpo__space_active(r->space, p, c->x))
            c->x[p] = NAN;
        else if (d->kind == HPO__CATEGORICAL)
            c->x[p] = (double)hpo__rng_below(&r->rng, (uint64_t)d->n_choices);
        else
            c->x[p] = from_unit(d, hpo__rng_uniform(&r->rng));
    }
}

static race_conf *pick_parent(hpo__race *r, race_conf **elites, int n)
{
    /* Weight n - rank: the best n, the last 1, of n (n + 1) / 2. */
    uint64_t total = (uint64_t)n * (n + 1) / 2;
    uint64_t u = hpo__rng_below(&r->rng, total);
    for (int i = 0; i < n; i++) {
        uint64_t w = (uint64_t)(n - i);
        if (u < w)
            return elites[i];
        u -= w;
    }
    return elites[0];
}

void hpo__race_sample_model(hpo__race *r, race_conf **elites, int n_elites,
                            race_conf *c)
{
    race_conf *parent = pick_parent(r, elites, n_elites);
    c->parent = parent->id;
    memcpy(c->sd, parent->sd, ((size_t)r->np + r->n_prob) * sizeof *c->sd);
    for (int p = 0; p < r->np; p++) {
        const hpo__dist *d = dist_of(r, p);
        double mean = parent->x[p];
        if (!hpo__space_active(r->space, p, c->x))
            c->x[p] = NAN;
        else if (is_fixed(d))
            c->x[p] = d->kind == HPO__CATEGORICAL ? 0 : d->low;
        else if (d->kind == HPO__CATEGORICAL)
            c->x[p] = draw_choice(&r->rng, c->prob + r->off[p], d->n_choices);
        else if (isnan(mean)) /* inactive in the parent: no centre */
            c->x[p] = from_unit(d, hpo__rng_uniform(&r->rng));
        else
            c->x[p] = from_unit(d, truncated_normal(&r->rng, to_unit(d, mean),
                                                    c->sd[p]));
    }
}

static void normalize(double *p, int n)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += p[k];
    for (int k = 0; k < n && s > 0; k++)
        p[k] /= s;
}

void hpo__race_update_model(hpo__race *r, race_conf **elites, int n_elites,
                            int n_new)
{
    double shrink = pow(1.0 / (n_new > 1 ? n_new : 1), 1.0 / r->nvar);
    double toward = (double)(r->iteration - 1) / r->n_iter;
    double cap = pow(0.2, 1.0 / r->nvar);
    for (int e = 0; e < n_elites; e++) {
        race_conf *c = elites[e];
        for (int p = 0; p < r->np; p++) {
            const hpo__dist *d = dist_of(r, p);
            if (d->kind != HPO__CATEGORICAL) {
                c->sd[p] *= shrink;
                continue;
            }
            if (isnan(c->x[p]))
                continue; /* inactive: irace leaves the vector as it is */
            double *pv = c->prob + r->off[p];
            for (int k = 0; k < d->n_choices; k++)
                pv[k] *= 1 - toward;
            pv[(int)c->x[p]] += toward;
            normalize(pv, d->n_choices);
            for (int k = 0; k < d->n_choices; k++)
                pv[k] = fmin(pv[k], cap);
            normalize(pv, d->n_choices);
        }
    }
}

/* Equal categorical values (NaN equal to NaN) and numeric values within
 * SIMILAR of the range: irace's similarConfigurations. */
static int similar(const hpo__race *r, const race_conf *a, const race_conf *b)
{
    for (int p = 0; p < r->np; p++) {
        const hpo__dist *d = dist_of(r, p);
        double x = a->x[p], y = b->x[p];
        if (isnan(x) || isnan(y)) {
            if (isnan(x) != isnan(y))
                return 0;
        } else if (d->kind == HPO__CATEGORICAL) {
            if (x != y)
                return 0;
        } else if (fabs(to_unit(d, x) - to_unit(d, y)) > SIMILAR) {
            return 0;
        }
    }
    return 1;
}

static void restart_elite(hpo__race *r, race_conf *c, int n_new)
{
    double n = n_new > 1 ? n_new : 1;
    for (int p = 0; p < r->np; p++) {
        const hpo__dist *d = dist_of(r, p);
        if (d->kind != HPO__CATEGORICAL) {
            c->sd[p] = fmin(c->sd[p] * pow(n, 2.0 / r->nvar),
                            INIT_SD * pow(1 / n, 1.0 / r->nvar));
            continue;
        }
        double *pv = c->prob + r->off[p], max = 0;
        for (int k = 0; k < d->n_choices; k++)
            max = fmax(max, pv[k]);
        for (int k = 0; k < d->n_choices; k++)
            pv[k] = 0.9 * pv[k] + 0.1 * max;
        normalize(pv, d->n_choices);
    }
}

static race_conf *elite_by_id(race_conf **elites, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (elites[i]->id == id)
            return elites[i];
    return NULL;
}

int hpo__race_soft_restart(hpo__race *r, race_conf **elites, int n_elites,
                           race_conf **fresh, int n_fresh, int n_new)
{
    int any = 0;
    unsigned char *hit = calloc((size_t)n_elites + 1, 1);
    if (!hit)
        return 0;
    for (int i = 0; i < n_fresh; i++) {
        int close = 0;
        for (int e = 0; e < n_elites && !close; e++)
            if (similar(r, fresh[i], elites[e])) {
                close = 1;
                hit[e] = 1;
            }
        for (int j = 0; j < n_fresh && !close; j++)
            close = j != i && similar(r, fresh[i], fresh[j]);
        if (!close)
            continue;
        race_conf *parent = elite_by_id(elites, n_elites, fresh[i]->parent);
        for (int e = 0; e < n_elites; e++)
            if (elites[e] == parent)
                hit[e] = 1;
        any = 1;
    }
    for (int e = 0; e < n_elites; e++)
        if (hit[e])
            restart_elite(r, elites[e], n_new);
    free(hit);
    return any;
}
