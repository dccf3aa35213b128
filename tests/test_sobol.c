/*
 * test_sobol.c — the Sobol generator (src/math/sobol.c): published values,
 * agreement with SciPy, random access versus sequential generation, and
 * the net property that scrambling must keep.
 */
#include "check.h"
#include "math/sobol.h"

#define MAX_POINTS 4096

static hpo__sobol make(int dim, int scrambled, uint64_t seed)
{
    hpo__sobol s;
    hpo__msg msg = {0};
    CHECK_RC(hpo__sobol_init(&s, dim, &msg), HPO_OK);
    if (scrambled) {
        hpo__rng rng;
        hpo__rng_seed(&rng, seed);
        hpo__sobol_scramble(&s, &rng);
    }
    hpo__msg_free(&msg);
    return s;
}

/* Bratley & Fox / Joe & Kuo: the first points of the first two
 * dimensions. */
static void test_published_first_points(void)
{
    static const double dim1[8] = {0, .5, .75, .25, .375, .875, .625, .125};
    static const double dim2[8] = {0, .5, .25, .75, .375, .875, .125, .625};
    hpo__sobol s = make(2, 0, 0);
    double x[2];
    for (int k = 0; k < 8; k++) {
        hpo__sobol_point(&s, (uint64_t)k, x);
        CHECK(x[0] == dim1[k]);
        CHECK(x[1] == dim2[k]);
    }
    hpo__sobol_free(&s);
}

/* The first 32 points in 21 dimensions, times 32 (they are exact multiples
 * of 1/32), produced once with Debian's python3-scipy 1.10.1:
 *     from scipy.stats import qmc
 *     (qmc.Sobol(d=21, scramble=False).random(32) * 32).astype(int)      */
static const int scipy_21d_times_32[32][21] = {
    { 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0},
    {16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16},
    {24,  8,  8,  8, 24, 24,  8, 24, 24, 24, 24, 24,  8,  8, 24,  8, 24,  8, 24,  8,  8},
    { 8, 24, 24, 24,  8,  8, 24,  8,  8,  8,  8,  8, 24, 24,  8, 24,  8, 24,  8, 24, 24},
    {12, 12, 20, 28, 12,  4, 12, 28, 28, 20, 28, 12, 12, 20, 12, 28, 12, 28, 28,  4,  4},
    {28, 28,  4, 12, 28, 20, 28, 12, 12,  4, 12, 28, 28,  4, 28, 12, 28, 12, 12, 20, 20},
    {20,  4, 28, 20, 20, 28,  4,  4,  4, 12,  4, 20,  4, 28, 20, 20, 20, 20,  4, 12, 12},
    { 4, 20, 12,  4,  4, 12, 20, 20, 20, 28, 20,  4, 20, 12,  4,  4,  4,  4, 20, 28, 28},
    { 6, 10, 30, 14, 18, 10, 14, 30, 30, 10, 22,  2, 30, 30, 26, 30, 26, 26, 30, 10,  6},
    {22, 26, 14, 30,  2, 26, 30, 14, 14, 26,  6, 18, 14, 14, 10, 14, 10, 10, 14, 26, 22},
    {30,  2, 22,  6, 10, 18,  6,  6,  6, 18, 14, 26, 22, 22,  2, 22,  2, 18,  6,  2, 14},
    {14, 18,  6, 22, 26,  2, 22, 22, 22,  2, 30, 10,  6,  6, 18,  6, 18,  2, 22, 18, 30},
    {10,  6, 10, 18, 30, 14,  2,  2,  2, 30, 10, 14, 18, 10, 22,  2, 22,  6,  2, 14,  2},
    {26, 22, 26,  2, 14, 30, 18, 18, 18, 14, 26, 30,  2, 26,  6, 18,  6, 22, 18, 30, 18},
    {18, 14,  2, 26,  6, 22, 10, 26, 26,  6, 18, 22, 26,  2, 14, 10, 14, 14, 26,  6, 10},
    { 2, 30, 18, 10, 22,  6, 26, 10, 10, 22,  2,  6, 10, 18, 30, 26, 30, 30, 10, 22, 26},
    { 3, 15, 15, 21,  9, 31, 17, 27, 15,  5,  3, 13, 21, 21, 11,  1, 25, 19, 25,  1, 23},
    {19, 31, 31,  5, 25, 15,  1, 11, 31, 21, 19, 29,  5,  5, 27, 17,  9,  3,  9, 17,  7},
    {27,  7,  7, 29, 17,  7, 25,  3, 23, 29, 27, 21, 29, 29, 19,  9,  1, 27,  1,  9, 31},
    {11, 23, 23, 13,  1, 23,  9, 19,  7, 13, 11,  5, 13, 13,  3, 25, 17, 11, 17, 25, 15},
    {15,  3, 27,  9,  5, 27, 29,  7, 19, 17, 31,  1, 25,  1,  7, 29, 21, 15,  5,  5, 19},
    {31, 19, 11, 25, 21, 11, 13, 23,  3,  1, 15, 17,  9, 17, 23, 13,  5, 31, 21, 21,  3},
    {23, 11, 19,  1, 29,  3, 21, 31, 11,  9,  7, 25, 17,  9, 31, 21, 13,  7, 29, 13, 27},
    { 7, 27,  3, 17, 13, 19,  5, 15, 27, 25, 23,  9,  1, 25, 15,  5, 29, 23, 13, 29, 11},
    { 5,  5, 17, 27, 27, 21, 31,  5, 17, 15, 21, 15, 11, 11, 17, 31,  3,  9,  7, 11, 17},
    {21, 21,  1, 11, 11,  5, 15, 21,  1, 31,  5, 31, 27, 27,  1, 15, 19, 25, 23, 27,  1},
    {29, 13, 25, 19,  3, 13, 23, 29,  9, 23, 13, 23,  3,  3,  9, 23, 27,  1, 31,  3, 25},
    {13, 29,  9,  3, 19, 29,  7, 13, 25,  7, 29,  7, 19, 19, 25,  7, 11, 17, 15, 19,  9},
    { 9,  9,  5,  7, 23, 17, 19, 25, 13, 27,  9,  3,  7, 31, 29,  3, 15, 21, 27, 15, 21},
    {25, 25, 21, 23,  7,  1,  3,  9, 29, 11, 25, 19, 23, 15, 13, 19, 31,  5, 11, 31,  5},
    {17,  1, 13, 15, 15,  9, 27,  1, 21,  3, 17, 27, 15, 23,  5, 11, 23, 29,  3,  7, 29},
    { 1, 17, 29, 31, 31, 25, 11, 17,  5, 19,  1, 11, 31,  7, 21, 27,  7, 13, 19, 23, 13},
};

static void test_matches_scipy_21_dims(void)
{
    hpo__sobol s = make(21, 0, 0);
    double x[21];
    int mismatches = 0;
    for (int k = 0; k < 32; k++) {
        hpo__sobol_point(&s, (uint64_t)k, x);
        for (int d = 0; d < 21; d++)
            if (x[d] * 32 != scipy_21d_times_32[k][d]) {
                mismatches++;
                fprintf(stderr, "point %d dim %d: %g, scipy %d/32\n", k, d,
                        x[d], scipy_21d_times_32[k][d]);
            }
    }
    CHECK(mismatches == 0);
    hpo__sobol_free(&s);
}

/* The last 11 of 1111 dimensions at two far indices, times 2^30, produced
 * once with Debian's python3-scipy 1.10.1:
 *     s = qmc.Sobol(d=1111, scramble=False, bits=30)
 *     s.fast_forward(k); (s.random(1)[0][1100:] * 2**30).astype(int)
 * This checks the end of the direction table and the recurrence for the
 * high direction numbers. */
static void test_matches_scipy_high_dims(void)
{
    static const uint64_t index[2] = {1000, 777777};
    static const double want[2][11] = {
        {674234368, 435159040, 967835648, 374341632, 516947968, 741343232,
         619708416, 122683392, 657457152, 1062207488, 397410304},
        {300590080, 589974528, 161707008, 273849344, 8891392, 936588288,
         457698304, 947852288, 864869376, 975006720, 201653248},
    };
    CHECK(hpo__sobol_max_dim() >= 1111);
    hpo__sobol s = make(1111, 0, 0);
    static double x[1111];
    for (int i = 0; i < 2; i++) {
        hpo__sobol_point(&s, index[i], x);
        for (int d = 0; d < 11; d++)
            CHECK(x[1100 + d] * 0x1p30 == want[i][d]);
    }
    hpo__sobol_free(&s);
}

/* Direct computation from the index and the Gray-code update agree. */
static void check_random_access(int dim, int scrambled)
{
    hpo__sobol s = make(dim, scrambled, 7);
    double *seq = malloc(sizeof(double) * (size_t)dim);
    double *direct = malloc(sizeof(double) * (size_t)dim);
    int differ = 0;
    for (uint64_t k = 0; k < 3000; k++) {
        hpo__sobol_next(&s, seq);
        hpo__sobol_point(&s, k, direct);
        if (memcmp(seq, direct, sizeof(double) * (size_t)dim) != 0)
            differ++;
    }
    CHECK(differ == 0);
    /* Restart and out-of-order access give the same points again. */
    hpo__sobol_restart(&s);
    hpo__sobol_next(&s, seq);
    hpo__sobol_point(&s, 0, direct);
    CHECK(memcmp(seq, direct, sizeof(double) * (size_t)dim) == 0);
    free(seq);
    free(direct);
    hpo__sobol_free(&s);
}

static void test_random_access_equals_sequential(void)
{
    check_random_access(21, 0);
    check_random_access(21, 1);
    check_random_access(1111, 1);
}

/* Points [start, start + 2^m) put exactly one point into each interval
 * [i/2^m, (i+1)/2^m) of every coordinate: a (0,m,1)-net in each 1-D
 * projection.  Returns the number of coordinates that fail. */
static int count_bad_projections(const hpo__sobol *s, uint64_t start, int m)
{
    int n = 1 << m, bad = 0;
    static unsigned char hit[MAX_POINTS];
    double *x = malloc(sizeof(double) * (size_t)s->dim * (size_t)n);
    for (int k = 0; k < n; k++)
        hpo__sobol_point(s, start + (uint64_t)k, x + (size_t)k * s->dim);
    for (int d = 0; d < s->dim; d++) {
        memset(hit, 0, (size_t)n);
        int ok = 1;
        for (int k = 0; k < n; k++) {
            double u = x[(size_t)k * s->dim + d];
            if (!(u >= 0 && u < 1)) {
                ok = 0;
                continue;
            }
            int cell = (int)(u * n);
            if (hit[cell]++)
                ok = 0;
        }
        bad += !ok;
    }
    free(x);
    return bad;
}

static void test_net_property_1d(void)
{
    hpo__sobol plain = make(64, 0, 0);
    hpo__sobol scrambled = make(64, 1, 12345);
    CHECK(count_bad_projections(&plain, 0, 10) == 0);
    CHECK(count_bad_projections(&scrambled, 0, 10) == 0);
    CHECK(count_bad_projections(&scrambled, 0, 4) == 0);
    /* Any aligned block, not only the first. */
    CHECK(count_bad_projections(&scrambled, 3 * 1024, 10) == 0);
    CHECK(count_bad_projections(&scrambled, (uint64_t)1 << 40, 12) == 0);
    /* The check can fail: an unaligned block of a scrambled sequence is
     * not a net in every coordinate. */
    CHECK(count_bad_projections(&scrambled, 1, 4) > 0);
    hpo__sobol_free(&plain);
    hpo__sobol_free(&scrambled);
}

/* The first two Sobol coordinates form a (0,m,2)-net: every elementary box
 * [i/2^a, (i+1)/2^a) x [j/2^b, (j+1)/2^b) with a + b = m holds exactly one
 * of the first 2^m points.  Scrambling keeps it. */
static int count_bad_boxes(const hpo__sobol *s, int m)
{
    int n = 1 << m, bad = 0;
    static unsigned char hit[MAX_POINTS];
    double x[2];
    for (int a = 0; a <= m; a++) {
        int b = m - a;
        memset(hit, 0, (size_t)n);
        for (int k = 0; k < n; k++) {
            hpo__sobol_point(s, (uint64_t)k, x);
            int i = (int)(x[0] * (1 << a)), j = (int)(x[1] * (1 << b));
            hit[i * (1 << b) + j]++;
        }
        for (int c = 0; c < n; c++)
            bad += hit[c] != 1;
    }
    return bad;
}

static void test_net_property_2d(void)
{
    hpo__sobol plain = make(2, 0, 0);
    hpo__sobol scrambled = make(2, 1, 99);
    CHECK(count_bad_boxes(&plain, 8) == 0);
    CHECK(count_bad_boxes(&scrambled, 8) == 0);
    hpo__sobol_free(&plain);
    hpo__sobol_free(&scrambled);
}

static void test_scramble_depends_on_seed_only(void)
{
    hpo__sobol a = make(10, 1, 1), b = make(10, 1, 1), c = make(10, 1, 2);
    hpo__sobol plain = make(10, 0, 0);
    hpo__sobol prefix = make(3, 1, 1);
    double xa[10], xb[10], xc[10], xp[10], x3[3];
    int same_ab = 1, same_ac = 1, same_plain = 1, same_prefix = 1;
    for (uint64_t k = 0; k < 64; k++) {
        hpo__sobol_point(&a, k, xa);
        hpo__sobol_point(&b, k, xb);
        hpo__sobol_point(&c, k, xc);
        hpo__sobol_point(&plain, k, xp);
        hpo__sobol_point(&prefix, k, x3);
        same_ab &= memcmp(xa, xb, sizeof xa) == 0;
        same_ac &= memcmp(xa, xc, sizeof xa) == 0;
        same_plain &= memcmp(xa, xp, sizeof xa) == 0;
        same_prefix &= memcmp(xa, x3, sizeof x3) == 0;
    }
    CHECK(same_ab);
    CHECK(!same_ac);
    CHECK(!same_plain);
    /* The scramble of dimension d does not depend on how many follow. */
    CHECK(same_prefix);
    /* A scrambled first point is not the origin. */
    hpo__sobol_point(&a, 0, xa);
    CHECK(xa[0] != 0 || xa[1] != 0);
    hpo__sobol_free(&a);
    hpo__sobol_free(&b);
    hpo__sobol_free(&c);
    hpo__sobol_free(&plain);
    hpo__sobol_free(&prefix);
}

/* Scrambled coordinates are spread over the whole interval and their mean
 * is close to 1/2 (each block of 2^m points is stratified, so very). */
static void test_scrambled_mean(void)
{
    hpo__sobol s = make(5, 1, 2024);
    double x[5], sum[5] = {0}, lo = 1, hi = 0;
    for (uint64_t k = 0; k < 1024; k++) {
        hpo__sobol_point(&s, k, x);
        for (int d = 0; d < 5; d++) {
            sum[d] += x[d];
            lo = x[d] < lo ? x[d] : lo;
            hi = x[d] > hi ? x[d] : hi;
        }
    }
    for (int d = 0; d < 5; d++)
        CHECK_NEAR(sum[d] / 1024, 0.5, 1.0 / 1024);
    CHECK(lo >= 0 && lo < 1.0 / 1024);
    CHECK(hi < 1 && hi >= 1 - 1.0 / 1024);
    hpo__sobol_free(&s);
}

static void test_bad_dimension(void)
{
    hpo__sobol s;
    hpo__msg msg = {0};
    CHECK_RC(hpo__sobol_init(&s, 0, &msg), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "dimensions");
    CHECK(s.dirs == NULL);
    hpo__sobol_free(&s);
    CHECK_RC(hpo__sobol_init(&s, hpo__sobol_max_dim() + 1, &msg), HPO_EINVAL);
    hpo__sobol_free(&s);
    CHECK_RC(hpo__sobol_init(&s, hpo__sobol_max_dim(), &msg), HPO_OK);
    hpo__sobol_free(&s);
    hpo__msg_free(&msg);
}

int main(void)
{
    RUN(test_published_first_points);
    RUN(test_matches_scipy_21_dims);
    RUN(test_matches_scipy_high_dims);
    RUN(test_random_access_equals_sequential);
    RUN(test_net_property_1d);
    RUN(test_net_property_2d);
    RUN(test_scramble_depends_on_seed_only);
    RUN(test_scrambled_mean);
    RUN(test_bad_dimension);
    return CHECK_DONE();
}
