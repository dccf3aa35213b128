/*
 * harmonica_bits.c — parameters as +-1 bits, the domain Harmonica works in
 * (Hazan, Klivans & Yuan 2017, "Hyperparameter Optimization: A Spectral
 * Approach", arXiv 1706.00764, section 2: every hyperparameter is binary,
 * a k-valued one becomes ceil(log2 k) of them).
 *
 *   categorical, k choices      ceil(log2 k) bits; a choice of 2 is one bit
 *   int / stepped float with    ceil(log2 n) bits over its own n values
 *     n <= 2^numeric_bits values
 *   other numeric parameters    numeric_bits bits: 2^numeric_bits levels
 *                               evenly spread in the unit encoding (log
 *                               axes in log space), the ends included
 *   numeric_bits = 0            numeric parameters are refused
 *
 * A parameter's code is its bits read as a binary number (its first bit
 * the most significant, +1 read as 1), so fixing a numeric parameter's
 * first bit keeps half of its range.  When k is not a power of two the
 * 2^m codes are shared out in order: code c means level floor(c k / 2^m),
 * so every level has one or two codes and a random code favours none by
 * more than a factor of two.  Parameters with one value take no bit.
 *
 * Deviation: the paper's spaces are binary by construction; numeric
 * parameters are discretized here so that a mixed space runs at all (the
 * base sampler then tunes them finely once the stages are done).
 */
#include <math.h>
#include <stdlib.h>

#include "harmonica.h"

static int bits_for(int64_t n_levels)
{
    int b = 0;
    while (b < 62 && ((int64_t)1 << b) < n_levels)
        b++;
    return b;
}

static int layout_param(harmonica_param *p, const hpo__space_param *sp,
                        int numeric_bits, hpo__msg *m)
{
    const hpo__dist *d = &sp->dist;
    if (d->kind == HPO__CATEGORICAL) {
        p->n_levels = d->n_choices;
    } else if (numeric_bits == 0) {
        return hpo__fail(m, HPO_EUNSUPPORTED,
                         "harmonica: parameter '%s' is numeric and "
                         "numeric_bits=0 refuses numeric parameters (set "
                         "numeric_bits=B to use 2^B levels of it)",
                         sp->name);
    } else {
        double n = hpo__dist_cardinality(d); /* 0: continuous */
        double most = ldexp(1, numeric_bits);
        p->spread = !(n >= 1 && n <= most);
        p->n_levels = p->spread ? (int64_t)most : (int64_t)n;
    }
    p->n_bits = bits_for(p->n_levels);
    return HPO_OK;
}

int harmonica_layout_init(harmonica_layout *l, const hpo_space *space,
                          int numeric_bits, hpo__msg *m)
{
    l->n_params = space->n;
    l->n_bits = 0;
    l->p = calloc((size_t)space->n + 1, sizeof *l->p);
    if (!l->p)
        return hpo__fail(m, HPO_ENOMEM, "harmonica: out of memory");
    for (int i = 0; i < space->n; i++) {
        int rc = layout_param(&l->p[i], &space->p[i], numeric_bits, m);
        if (rc != HPO_OK) {
            harmonica_layout_free(l);
            return rc;
        }
        l->p[i].offset = l->n_bits;
        l->n_bits += l->p[i].n_bits;
        if (l->n_bits > HARMONICA_MAX_BITS) {
            harmonica_layout_free(l);
            return hpo__fail(m, HPO_EUNSUPPORTED,
                             "harmonica: the space needs more than %d bits "
                             "(at parameter '%s'); lower numeric_bits or "
                             "use another sampler",
                             HARMONICA_MAX_BITS, space->p[i].name);
        }
    }
    return HPO_OK;
}

void harmonica_layout_free(harmonica_layout *l)
{
    free(l->p);
    l->p = NULL;
    l->n_params = l->n_bits = 0;
}

static double level_value(const harmonica_param *p, const hpo__dist *d,
                          int64_t level)
{
    if (d->kind == HPO__CATEGORICAL)
        return (double)level;
    if (p->spread)
        return hpo__dist_from_unit(d, (double)level / (double)(p->n_levels - 1));
    return hpo__dist_snap(d, d->low + (double)level * (d->step > 0 ? d->step : 1));
}

double harmonica_decode(const harmonica_layout *l, const hpo_space *space,
                        int i, const signed char *x)
{
    const harmonica_param *p = &l->p[i];
    int64_t code = 0;
    for (int b = 0; b < p->n_bits; b++)
        code = 2 * code + (x[p->offset + b] > 0);
    int64_t level = p->n_bits ? (int64_t)((double)code * (double)p->n_levels /
                                          ldexp(1, p->n_bits))
                              : 0;
    return level_value(p, &space->p[i].dist, level);
}

int harmonica_encode(const harmonica_layout *l, const hpo_space *space,
                     int i, double internal, signed char *x)
{
    const harmonica_param *p = &l->p[i];
    const hpo__dist *d = &space->p[i].dist;
    double level;
    if (d->kind == HPO__CATEGORICAL)
        level = internal;
    else if (p->spread)
        level = nearbyint(hpo__dist_to_unit(d, internal) * (double)(p->n_levels - 1));
    else
        level = nearbyint((internal - d->low) / (d->step > 0 ? d->step : 1));
    if (!(level >= 0 && level < (double)p->n_levels))
        return -1;
    /* The first code of the level: ceil(level 2^m / k). */
    int64_t code = (int64_t)ceil(level * ldexp(1, p->n_bits) / (double)p->n_levels);
    for (int b = p->n_bits - 1; b >= 0; b--, code /= 2)
        x[p->offset + b] = code % 2 ? 1 : -1;
    return harmonica_decode(l, space, i, x) == internal ? 0 : -1;
}

void harmonica_draw(const harmonica_layout *l, const signed char *fixed,
                    hpo__rng *rng, signed char *x)
{
    for (int b = 0; b < l->n_bits; b++)
        x[b] = fixed && fixed[b] ? fixed[b]
                                 : (hpo__rng_below(rng, 2) ? 1 : -1);
}
