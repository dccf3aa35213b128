/*
 * sobol.c — Sobol sequences (Sobol' 1967) with the construction of
 * P. Bratley and B. L. Fox, "Algorithm 659: Implementing Sobol's
 * quasirandom sequence generator", ACM TOMS 14 (1988) 88-100, and the
 * direction numbers of S. Joe and F. Y. Kuo (2008), new-joe-kuo-6.21201.
 * Scrambling: J. Matoušek, "On the L2-discrepancy for anchored boxes",
 * J. Complexity 14 (1998) 527-556 — a random nonsingular lower-triangular
 * binary matrix applied to the digits of every coordinate, then a random
 * digital shift (the "LMS + shift" scrambling SciPy's Sobol uses).
 *
 * Deviations, on purpose:
 *   1. 64-bit digits instead of the usual 30 or 32: point k is exact for
 *      any k below 2^64 and scrambling randomises all 53 digits a double
 *      keeps.  Unscrambled points equal SciPy's for every index below 2^30.
 *   2. Points are computed from their index (x_k = XOR of v_j over the set
 *      bits of gray(k)) rather than only by the sequential Gray-code update;
 *      both give the same sequence, the sequential form is kept for speed
 *      and as a cross-check.
 *
 * Recurrence (Bratley & Fox): for a dimension whose primitive polynomial is
 * x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 and whose first s direction
 * numbers v_1..v_s come from the table (v_k = m_k / 2^k),
 *
 *     v_k = v_(k-s) XOR (v_(k-s) >> s) XOR  XOR_(i=1..s-1) a_i v_(k-i).
 *
 * The first dimension is van der Corput's sequence: v_k = 1 / 2^k.
 */
#include "sobol.h"

#include <stdlib.h>

#define BITS HPO__SOBOL_BITS

int hpo__sobol_max_dim(void)
{
    return hpo__sobol_table_dim < HPO_SOBOL_MAX_DIM ? hpo__sobol_table_dim
                                                     : HPO_SOBOL_MAX_DIM;
}

static int poly_degree(uint32_t poly)
{
    int degree = -1;
    while (poly) {
        degree++;
        poly >>= 1;
    }
    return degree;
}

/* The 64 direction numbers of dimension d, as binary fractions whose top
 * bit is the digit 1/2. */
static void build_directions(int d, uint64_t *v)
{
    if (d == 0) {
        for (int k = 0; k < BITS; k++)
            v[k] = (uint64_t)1 << (BITS - 1 - k);
        return;
    }
    uint32_t poly = hpo__sobol_poly[d];
    int s = poly_degree(poly);
    const uint16_t *m = hpo__sobol_minit + hpo__sobol_offset[d];
    /* v[k] holds v_(k+1): m_(k+1) placed so that its lowest bit is digit
     * k+1. */
    for (int k = 0; k < s && k < BITS; k++)
        v[k] = (uint64_t)m[k] << (BITS - 1 - k);
    for (int k = s; k < BITS; k++) {
        uint64_t x = v[k - s] ^ (v[k - s] >> s);
        for (int i = 1; i < s; i++)
            if ((poly >> (s - i)) & 1)
                x ^= v[k - i];
        v[k] = x;
    }
}

int hpo__sobol_init(hpo__sobol *s, int dim, hpo__msg *m)
{
    *s = (hpo__sobol){0};
    int max_dim = hpo__sobol_max_dim();
    if (dim < 1 || dim > max_dim)
        return hpo__fail(m, HPO_EINVAL,
                         "Sobol sequences have 1 to %d dimensions, not %d",
                         max_dim, dim);
    s->dirs = malloc((size_t)dim * BITS * sizeof *s->dirs);
    s->shift = calloc((size_t)dim, sizeof *s->shift);
    s->current = calloc((size_t)dim, sizeof *s->current);
    if (!s->dirs || !s->shift || !s->current) {
        hpo__sobol_free(s);
        return hpo__fail(m, HPO_ENOMEM,
                         "out of memory for a %d-dimensional Sobol sequence",
                         dim);
    }
    s->dim = dim;
    for (int d = 0; d < dim; d++)
        build_directions(d, s->dirs + (size_t)d * BITS);
    return HPO_OK;
}

void hpo__sobol_free(hpo__sobol *s)
{
    free(s->dirs);
    free(s->shift);
    free(s->current);
    *s = (hpo__sobol){0};
}

/* ------------------------------------------------------------------------- */
/* Scrambling                                                                 */
/* ------------------------------------------------------------------------- */

/* Digit i (0-based, from the most significant) lives in bit BITS-1-i. */
static uint64_t digit_bit(int i)
{
    return (uint64_t)1 << (BITS - 1 - i);
}

/* Row i of a random lower-triangular matrix with a unit diagonal, as the
 * mask of the input digits 0..i that output digit i sums (mod 2). */
static uint64_t random_row(int i, hpo__rng *rng)
{
    uint64_t above = i == 0 ? 0 : ~(uint64_t)0 << (BITS - i);
    return (hpo__rng_u64(rng) & above) | digit_bit(i);
}

/* Multiply every direction number of one dimension by the matrix: digit i
 * of the result is the parity of row i AND the input.  The matrix is
 * applied to the direction numbers rather than to each point because the
 * map is linear over GF(2): L(v_a XOR v_b) = L v_a XOR L v_b. */
static void scramble_dimension(uint64_t *v, hpo__rng *rng)
{
    uint64_t rows[BITS];
    for (int i = 0; i < BITS; i++)
        rows[i] = random_row(i, rng);
    for (int j = 0; j < BITS; j++) {
        uint64_t out = 0;
        for (int i = 0; i < BITS; i++)
            if (__builtin_parityll(rows[i] & v[j]))
                out |= digit_bit(i);
        v[j] = out;
    }
}

void hpo__sobol_scramble(hpo__sobol *s, hpo__rng *rng)
{
    for (int d = 0; d < s->dim; d++) {
        scramble_dimension(s->dirs + (size_t)d * BITS, rng);
        s->shift[d] = hpo__rng_u64(rng);
    }
    hpo__sobol_restart(s);
}

/* ------------------------------------------------------------------------- */
/* Points                                                                     */
/* ------------------------------------------------------------------------- */

/* The top 53 digits, so the double is exact and below 1. */
static double to_unit(uint64_t x)
{
    return (double)(x >> (BITS - 53)) * 0x1p-53;
}

/* Coordinate d of the point whose Gray code is `gray`. */
static uint64_t coordinate(const hpo__sobol *s, int d, uint64_t gray)
{
    const uint64_t *v = s->dirs + (size_t)d * BITS;
    uint64_t x = s->shift[d];
    for (uint64_t g = gray; g; g &= g - 1)
        x ^= v[__builtin_ctzll(g)];
    return x;
}

void hpo__sobol_point_bits(const hpo__sobol *s, uint64_t index,
                           uint64_t *out)
{
    uint64_t gray = index ^ (index >> 1);
    for (int d = 0; d < s->dim; d++)
        out[d] = coordinate(s, d, gray);
}

void hpo__sobol_point(const hpo__sobol *s, uint64_t index, double *out)
{
    uint64_t gray = index ^ (index >> 1);
    for (int d = 0; d < s->dim; d++)
        out[d] = to_unit(coordinate(s, d, gray));
}

void hpo__sobol_restart(hpo__sobol *s)
{
    s->next_index = 0;
}

/* Gray codes of k-1 and k differ in one bit, the lowest set bit of k, so
 * point k is point k-1 with one direction number XORed in. */
void hpo__sobol_next(hpo__sobol *s, double *out)
{
    uint64_t k = s->next_index++;
    for (int d = 0; d < s->dim; d++) {
        if (k == 0)
            s->current[d] = s->shift[d];
        else
            s->current[d] ^= s->dirs[(size_t)d * BITS + __builtin_ctzll(k)];
        out[d] = to_unit(s->current[d]);
    }
}
