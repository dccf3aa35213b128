/*
 * de_core.c — differential evolution's generation: trial vectors, then
 * selection (the state and the order of calls: de_core.h).
 *
 *   R. Storn, K. Price, "Differential Evolution – A Simple and Efficient
 *   Heuristic for Global Optimization over Continuous Spaces", J. Global
 *   Optimization 11, 1997 (rand/1/bin).
 *   R. Tanabe, A. Fukunaga, "Success-History Based Parameter Adaptation for
 *   Differential Evolution", IEEE CEC 2013 (SHADE).
 *
 * Deviations:
 *  1. The search space is the unit cube; rand/1/bin repairs a mutant
 *     outside it as SHADE does (halfway from the parent to the bound).
 *     Storn & Price leave bounds to the user.
 *  2. A failed evaluation (NaN) counts as +inf: it never replaces a parent
 *     and a parent that failed is replaced by any finite trial.
 *  3. The memory update writes nothing when no improvement is positive
 *     and finite (the weights would be 0/0).  Through hpo__de_select every
 *     success improves strictly and finitely (an improvement over a failed
 *     parent weighs |f(u)| + 1), so this only guards direct callers.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "samplers/de_core.h"

void hpo__de_free(hpo__de *s)
{
    free(s->x);
    free(s->fx);
    free(s->archive);
    free(s->m_f);
    free(s->m_cr);
    free(s->u);
    free(s->f_i);
    free(s->cr_i);
    memset(s, 0, sizeof *s);
}

/* Sizes are set; allocate every array.  HPO_OK or HPO_ENOMEM (s emptied). */
static int alloc_arrays(hpo__de *s, hpo__msg *m)
{
    size_t cells = (size_t)s->pop * (size_t)s->dim;
    s->x = calloc(cells, sizeof *s->x);
    s->archive = calloc(cells, sizeof *s->archive);
    s->u = calloc(cells, sizeof *s->u);
    s->fx = calloc((size_t)s->pop, sizeof *s->fx);
    s->f_i = calloc((size_t)s->pop, sizeof *s->f_i);
    s->cr_i = calloc((size_t)s->pop, sizeof *s->cr_i);
    s->m_f = calloc((size_t)s->h, sizeof *s->m_f);
    s->m_cr = calloc((size_t)s->h, sizeof *s->m_cr);
    if (!s->x || !s->archive || !s->u || !s->fx || !s->f_i || !s->cr_i ||
        !s->m_f || !s->m_cr) {
        hpo__de_free(s);
        return hpo__oom(m);
    }
    return HPO_OK;
}

int hpo__de_alloc(hpo__de *s, hpo__de_strategy strategy, int dim, int pop,
                  int h, double f, double cr, hpo__msg *m)
{
    memset(s, 0, sizeof *s);
    if (strategy != HPO__DE_RAND1BIN && strategy != HPO__DE_SHADE)
        return hpo__fail(m, HPO_EINVAL, "de: unknown strategy %d", (int)strategy);
    if (dim < 1 || dim > HPO__DE_MAX_DIM)
        return hpo__fail(m, HPO_EINVAL, "de: dimension %d is not in [1, %d]",
                         dim, HPO__DE_MAX_DIM);
    /* rand/1/bin needs the parent and three others, all distinct. */
    if (pop < 4 || pop > HPO__DE_MAX_POP)
        return hpo__fail(m, HPO_EINVAL, "de: population %d is not in [4, %d]",
                         pop, HPO__DE_MAX_POP);
    if (h < 1 || h > HPO__DE_MAX_POP)
        return hpo__fail(m, HPO_EINVAL, "de: memory size %d is not in [1, %d]",
                         h, HPO__DE_MAX_POP);
    if (!(f > 0 && f <= 2))
        return hpo__fail(m, HPO_EINVAL, "de: F=%g is not in (0, 2]", f);
    if (!(cr >= 0 && cr <= 1))
        return hpo__fail(m, HPO_EINVAL, "de: CR=%g is not in [0, 1]", cr);
    s->strategy = strategy;
    s->dim = dim;
    s->pop = pop;
    s->h = h;
    s->f = f;
    s->cr = cr;
    return alloc_arrays(s, m);
}

int hpo__de_init(hpo__de *s, hpo__de_strategy strategy, int dim, int pop,
                 int h, double f, double cr, hpo__rng *r, hpo__msg *m)
{
    int rc = hpo__de_alloc(s, strategy, dim, pop, h, f, cr, m);
    if (rc != HPO_OK)
        return rc;
    for (int i = 0; i < h; i++)
        s->m_f[i] = s->m_cr[i] = 0.5; /* SHADE's initial memory */
    for (int i = 0; i < pop * dim; i++)
        s->x[i] = hpo__rng_uniform(r);
    for (int i = 0; i < pop; i++)
        s->fx[i] = INFINITY;
    return HPO_OK;
}

/* ---- the draws ------------------------------------------------------------ */

double hpo__de_draw_f(double mu, hpo__rng *r)
{
    assert(mu >= 0 && mu <= 1); /* the memory holds means of F in (0, 1] */
    double f;
    do /* Cauchy by inversion: mu + gamma tan(pi (U - 1/2)) */
        f = mu + 0.1 * tan(M_PI * (hpo__rng_uniform(r) - 0.5));
    while (!(f > 0));
    return f > 1 ? 1 : f;
}

double hpo__de_draw_cr(double mu, hpo__rng *r)
{
    double cr = mu + 0.1 * hpo__rng_normal(r);
    return cr < 0 ? 0 : cr > 1 ? 1 : cr;
}

double hpo__de_repair(double v, double parent)
{
    if (v < 0)
        return parent / 2;
    if (v > 1)
        return (1 + parent) / 2;
    return v;
}

/* An index in [0, n) other than the (up to two) excluded ones. */
static int pick_other(hpo__rng *r, int n, int not1, int not2)
{
    int i;
    do
        i = (int)hpo__rng_below(r, (uint64_t)n);
    while (i == not1 || i == not2);
    return i;
}

/* ---- the trial vectors ----------------------------------------------------- */

/* Binomial crossover of mutant v with parent x into u: each coordinate
 * from v with probability cr, and coordinate jr always, so u != x. */
static void crossover(const hpo__de *s, const double *x, const double *v,
                      double cr, double *u, hpo__rng *r)
{
    int jr = (int)hpo__rng_below(r, (uint64_t)s->dim);
    for (int j = 0; j < s->dim; j++)
        u[j] = (j == jr || hpo__rng_uniform(r) < cr) ? v[j] : x[j];
}

/* rand/1: v = x_r1 + F (x_r2 - x_r3), r1, r2, r3 distinct and not i. */
static void mutant_rand1(const hpo__de *s, int i, double *v, hpo__rng *r)
{
    int r1 = pick_other(r, s->pop, i, -1);
    int r2 = pick_other(r, s->pop, i, r1);
    int r3;
    do
        r3 = pick_other(r, s->pop, i, r1);
    while (r3 == r2);
    const double *a = s->x + (size_t)r1 * s->dim;
    const double *b = s->x + (size_t)r2 * s->dim;
    const double *c = s->x + (size_t)r3 * s->dim;
    const double *xi = s->x + (size_t)i * s->dim;
    for (int j = 0; j < s->dim; j++)
        v[j] = hpo__de_repair(a[j] + s->f * (b[j] - c[j]), xi[j]);
}

/* A member's value and index, to order the population best first (ties by
 * index, so the order is the same on every machine). */
typedef hpo__value_index ranked;

/* current-to-pbest/1: v = x_i + F (x_pbest - x_i) + F (x_r1 - x_r2);
 * pbest among the best max(2, round(p N)) with p ~ U[2/N, 0.2], r1 from
 * the population, r2 from population and archive, all distinct. */
static void mutant_pbest(const hpo__de *s, int i, const ranked *order, double F,
                         double *v, hpo__rng *r)
{
    double p = 2.0 / s->pop + hpo__rng_uniform(r) * (0.2 - 2.0 / s->pop);
    int top = (int)lround(p * s->pop);
    if (top < 2)
        top = 2;
    int pb = order[hpo__rng_below(r, (uint64_t)top)].index;
    int r1 = pick_other(r, s->pop, i, -1);
    int r2 = pick_other(r, s->pop + s->n_archive, i, r1);
    const double *xi = s->x + (size_t)i * s->dim;
    const double *xp = s->x + (size_t)pb * s->dim;
    const double *a = s->x + (size_t)r1 * s->dim;
    const double *b = r2 < s->pop ? s->x + (size_t)r2 * s->dim
                                  : s->archive + (size_t)(r2 - s->pop) * s->dim;
    for (int j = 0; j < s->dim; j++)
        v[j] = hpo__de_repair(xi[j] + F * (xp[j] - xi[j]) + F * (a[j] - b[j]),
                              xi[j]);
}

/* Trial vector i into row i of s->u (with its F and CR); order ranks the
 * population (SHADE only), v is a scratch row. */
static void trial_one(hpo__de *s, int i, const ranked *order, double *v,
                      hpo__rng *r)
{
    if (s->strategy == HPO__DE_SHADE) {
        int ri = (int)hpo__rng_below(r, (uint64_t)s->h);
        s->cr_i[i] = hpo__de_draw_cr(s->m_cr[ri], r);
        s->f_i[i] = hpo__de_draw_f(s->m_f[ri], r);
        mutant_pbest(s, i, order, s->f_i[i], v, r);
    } else {
        s->f_i[i] = s->f;
        s->cr_i[i] = s->cr;
        mutant_rand1(s, i, v, r);
    }
    crossover(s, s->x + (size_t)i * s->dim, v, s->cr_i[i],
              s->u + (size_t)i * s->dim, r);
}

static void rank(const hpo__de *s, ranked *order)
{
    for (int i = 0; i < s->pop; i++)
        order[i] = (ranked){s->fx[i], i};
    hpo__sort_by_value(order, s->pop);
}

void hpo__de_trials(hpo__de *s, hpo__rng *r)
{
    s->pending = 1;
    if (!s->evaluated) { /* the initial population is the first round */
        memcpy(s->u, s->x, (size_t)s->pop * s->dim * sizeof *s->u);
        return;
    }
    /* One scratch row and one ordering; pop and dim are bounded so these
     * fit on the stack. */
    double v[HPO__DE_MAX_DIM];
    ranked order[HPO__DE_MAX_POP];
    if (s->strategy == HPO__DE_SHADE)
        rank(s, order);
    for (int i = 0; i < s->pop; i++)
        trial_one(s, i, order, v, r);
}

void hpo__de_trial(hpo__de *s, int i, hpo__rng *r)
{
    if (!s->evaluated) {
        memcpy(s->u + (size_t)i * s->dim, s->x + (size_t)i * s->dim,
               (size_t)s->dim * sizeof *s->u);
        return;
    }
    double v[HPO__DE_MAX_DIM];
    ranked order[HPO__DE_MAX_POP];
    if (s->strategy == HPO__DE_SHADE)
        rank(s, order);
    trial_one(s, i, order, v, r);
}

/* ---- selection and the memory ---------------------------------------------- */

void hpo__de_memory_update(double *m_f, double *m_cr, int h, int *k,
                           const double *sf, const double *scr,
                           const double *df, int n)
{
    /* Weights df / max(df) in (0, 1]: the means are the same as with
     * df / sum(df), and the sums cannot overflow for huge improvements. */
    double top = 0;
    for (int i = 0; i < n; i++)
        if (df[i] > top)
            top = df[i];
    if (!(top > 0) || !isfinite(top))
        return; /* no success, or no weight to give (deviation 3) */
    double w = 0, wf = 0, wf2 = 0, wcr = 0;
    for (int i = 0; i < n; i++) {
        double wi = df[i] / top;
        w += wi;
        wf += wi * sf[i];
        wf2 += wi * sf[i] * sf[i];
        wcr += wi * scr[i];
    }
    /* The normalisation cancels in the Lehmer mean's ratio; F > 0, so wf
     * > 0 whenever w is. */
    m_f[*k] = wf2 / wf;
    m_cr[*k] = wcr / w;
    *k = (*k + 1) % h;
}

/* Put parent row x into the archive; when full, over a random member
 * (SHADE keeps |A| <= N by deleting random members). */
static void archive_add(hpo__de *s, const double *x, hpo__rng *r)
{
    int slot = s->n_archive < s->pop
                   ? s->n_archive++
                   : (int)hpo__rng_below(r, (uint64_t)s->pop);
    memcpy(s->archive + (size_t)slot * s->dim, x, (size_t)s->dim * sizeof *x);
}

int hpo__de_select(hpo__de *s, const double *values, hpo__rng *r,
                   hpo__msg *m)
{
    if (!s->pending)
        return hpo__fail(m, HPO_EINVAL, "de: no trial vectors to select from");
    s->pending = 0;
    if (!s->evaluated) {
        for (int i = 0; i < s->pop; i++)
            s->fx[i] = isnan(values[i]) ? INFINITY : values[i];
        s->evaluated = 1;
        return HPO_OK;
    }
    /* Successes reuse the trial arrays' space: at most pop of them. */
    double sf[HPO__DE_MAX_POP], scr[HPO__DE_MAX_POP], df[HPO__DE_MAX_POP];
    int n = 0;
    for (int i = 0; i < s->pop; i++) {
        double fu = isnan(values[i]) ? INFINITY : values[i];
        double *xi = s->x + (size_t)i * s->dim;
        if (!(fu <= s->fx[i]))
            continue;
        if (fu < s->fx[i] && s->strategy == HPO__DE_SHADE) {
            archive_add(s, xi, r);
            sf[n] = s->f_i[i];
            scr[n] = s->cr_i[i];
            /* An improvement over a failed parent is weighted like a
             * large finite one rather than infinitely. */
            df[n++] = isfinite(s->fx[i]) ? s->fx[i] - fu : fabs(fu) + 1;
        }
        memcpy(xi, s->u + (size_t)i * s->dim, (size_t)s->dim * sizeof *xi);
        s->fx[i] = fu;
    }
    if (s->strategy == HPO__DE_SHADE)
        hpo__de_memory_update(s->m_f, s->m_cr, s->h, &s->k, sf, scr, df, n);
    s->generation++;
    return HPO_OK;
}

int hpo__de_best(const hpo__de *s)
{
    int b = 0;
    for (int i = 1; i < s->pop; i++)
        if (s->fx[i] < s->fx[b])
            b = i;
    return b;
}
