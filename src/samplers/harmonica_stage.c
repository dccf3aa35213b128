/*
 * harmonica_stage.c — one stage's decision in Harmonica (Hazan, Klivans &
 * Yuan 2017, "Hyperparameter Optimization: A Spectral Approach", arXiv
 * 1706.00764, algorithm 1 "PSR", steps 3-4): take the s monomials with the
 * largest fitted coefficients, and set the variables they involve to the
 * values that minimize the sparse polynomial, found by enumerating every
 * assignment (the variables are few: at most s * d).
 *
 * Deviation: the polynomial minimized is every fitted term whose variables
 * all lie among the chosen ones, not only the s largest: a smaller term
 * over the same variables is information the fit gives for free, and it
 * breaks ties the s terms leave (-5 x3 x17 alone is minimized by two
 * assignments; a fitted 0.1 x3 picks one).
 */
#include <math.h>
#include <string.h>

#include "harmonica.h"

/* Terms smaller than this share of the largest are left alone: on exact
 * data the Lasso at a small lambda keeps a few near-zero terms, and
 * fixing their variables would fix them on no evidence. */
#define NOISE_SHARE 0.01

/* Position of variable v in c->var, or -1. */
static int var_slot(const harmonica_choice *c, int v)
{
    for (int k = 0; k < c->n_fixed; k++)
        if (c->var[k] == v)
            return k;
    return -1;
}

/* How many of monomial j's variables are not in c yet. */
static int new_vars(const harmonica_monomials *m, int j,
                    const harmonica_choice *c)
{
    int n = 0;
    const int *v = m->idx + (size_t)j * m->degree;
    for (int t = 0; t < m->degree && v[t] >= 0; t++)
        n += var_slot(c, v[t]) < 0;
    return n;
}

static void add_vars(const harmonica_monomials *m, int j, harmonica_choice *c)
{
    const int *v = m->idx + (size_t)j * m->degree;
    for (int t = 0; t < m->degree && v[t] >= 0; t++)
        if (var_slot(c, v[t]) < 0)
            c->var[c->n_fixed++] = v[t];
}

/* The monomials by |coefficient|, largest first, up to s of them (a
 * selection, s is small). */
static void pick_top(const harmonica_monomials *m, const harmonica_fit *fit,
                     int s, harmonica_choice *c)
{
    if (s > (int)(sizeof c->top / sizeof c->top[0]))
        s = (int)(sizeof c->top / sizeof c->top[0]);
    double above = INFINITY; /* the last picked |coefficient| */
    double floor = 0;       /* NOISE_SHARE of the largest */
    int last = -1;
    while (c->n_top < s) {
        int best = -1;
        for (int j = 0; j < m->n; j++) {
            double a = fabs(fit->coef[j]);
            /* strictly after (above, last) in the order (|coef| desc, j) */
            int after = a < above || (a == above && j > last);
            if (a > floor && after &&
                (best < 0 || a > fabs(fit->coef[best])))
                best = j;
        }
        if (best < 0)
            return;
        above = fabs(fit->coef[best]);
        if (last < 0)
            floor = NOISE_SHARE * above;
        last = best;
        if (c->n_fixed + new_vars(m, best, c) > HARMONICA_MAX_PICKED)
            continue; /* too many variables to enumerate: pass over it */
        c->top[c->n_top++] = best;
        add_vars(m, best, c);
    }
}

/* The terms of the fit over the chosen variables only: as bit masks over
 * c->var, with their coefficients.  Returns how many (at most cap). */
static int terms_inside(const harmonica_monomials *m, const harmonica_fit *fit,
                        const harmonica_choice *c, unsigned *mask,
                        double *coef, int cap)
{
    int n = 0;
    for (int j = 0; j < m->n && n < cap; j++) {
        if (fit->coef[j] == 0)
            continue;
        const int *v = m->idx + (size_t)j * m->degree;
        unsigned bits = 0;
        int inside = 1;
        for (int t = 0; t < m->degree && v[t] >= 0 && inside; t++) {
            int k = var_slot(c, v[t]);
            inside = k >= 0;
            bits |= inside ? 1u << k : 0;
        }
        if (inside) {
            mask[n] = bits;
            coef[n++] = fit->coef[j];
        }
    }
    return n;
}

void harmonica_choose(const harmonica_monomials *m, const harmonica_fit *fit,
                      int s, harmonica_choice *c)
{
    memset(c, 0, sizeof *c);
    pick_top(m, fit, s, c);
    if (c->n_fixed == 0)
        return;
    enum { CAP = 4096 };
    unsigned mask[CAP];
    double coef[CAP];
    int n_terms = terms_inside(m, fit, c, mask, coef, CAP);
    /* Assignment t: variable k is +1 when bit k of t is set.  A term's
     * parity is -1 when an odd number of its variables are -1. */
    unsigned best_t = 0, n_assign = 1u << c->n_fixed;
    double best = INFINITY;
    for (unsigned t = 0; t < n_assign; t++) {
        double v = 0;
        for (int k = 0; k < n_terms; k++)
            v += __builtin_parity(~t & mask[k]) ? -coef[k] : coef[k];
        if (v < best) {
            best = v;
            best_t = t;
        }
    }
    for (int k = 0; k < c->n_fixed; k++)
        c->value[k] = best_t >> k & 1 ? 1 : -1;
}
