/*
 * test_nondominated.c — Pareto ranks, constrained domination and crowding
 * distance (src/samplers/nondominated.c) on hand-checked fronts, and ranks
 * against a naive O(m n^2) sort (Deb et al. 2002's fast non-dominated sort)
 * on random points.
 */
#include <stdint.h>

#include "check.h"
#include "samplers/nondominated.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void check_ranks(const double *y, int n, int m, const double *viol,
                        const int *want, int want_fronts)
{
    hpo__msg msg = {0};
    int rank[64], fronts = -1;
    CHECK_RC(hpo__nd_rank(&msg, y, n, m, viol, rank, &fronts), HPO_OK);
    CHECK(fronts == want_fronts);
    for (int i = 0; i < n; i++) {
        if (rank[i] != want[i])
            fprintf(stderr, "point %d: rank %d, wanted %d\n", i, rank[i],
                    want[i]);
        CHECK(rank[i] == want[i]);
    }
    hpo__msg_free(&msg);
}

/* Two objectives; the rank of each point worked by hand. */
static const double pts2[] = {
    1, 5, /* 0: no point has f1 <= 1 and f2 <= 5 but itself: 0      */
    2, 3, /* 1: 0                                                   */
    4, 1, /* 2: 0                                                   */
    3, 4, /* 3: dominated by (2,3) only: 1                          */
    5, 5, /* 4: dominated by (3,4) of front 1: 2                    */
    2, 3, /* 5: equal to point 1: 0                                 */
    1, 6, /* 6: dominated by (1,5) (same f1, worse f2): 1           */
    6, 1, /* 7: dominated by (4,1) (same f2, worse f1): 1           */
    6, 6, /* 8: dominated by (5,5) of front 2: 3                    */
    0, 9, /* 9: the smallest f1: 0                                  */
};

static void test_two_objectives(void)
{
    static const int want[] = {0, 0, 0, 1, 2, 0, 1, 1, 3, 0};
    check_ranks(pts2, 10, 2, NULL, want, 4);
}

static void test_three_objectives(void)
{
    static const double y[] = {
        1, 2, 3, /* 0: 0                                            */
        3, 2, 1, /* 1: 0                                            */
        2, 2, 2, /* 2: neither (1,2,3) nor (3,2,1) is below it: 0    */
        2, 3, 3, /* 3: dominated by (1,2,3) and (2,2,2): 1           */
        3, 3, 3, /* 4: dominated by (2,3,3) of front 1: 2            */
        1, 2, 3, /* 5: equal to point 0: 0                           */
        0, 5, 5, /* 6: the smallest f1: 0                            */
        3, 2, 2, /* 7: dominated by (3,2,1); no front-1 point is: 1  */
        4, 4, 4, /* 8: dominated by (3,3,3) of front 2: 3            */
        3, 3, 1, /* 9: dominated by (3,2,1); (2,3,3), (3,2,2) no: 1  */
    };
    static const int want[] = {0, 0, 0, 1, 2, 0, 0, 1, 3, 1};
    check_ranks(y, 10, 3, NULL, want, 4);
}

static void test_duplicates_and_one_objective(void)
{
    static const double same[] = {2, 2, 2, 2, 2, 2, 2, 2};
    static const int zero[] = {0, 0, 0, 0};
    check_ranks(same, 4, 2, NULL, zero, 1);
    /* One objective: one front per distinct value, equal values shared. */
    static const double one[] = {3, 1, 2, 1, 3, -INFINITY};
    static const int want1[] = {3, 1, 2, 1, 3, 0};
    check_ranks(one, 6, 1, NULL, want1, 4);
    check_ranks(one, 0, 1, NULL, want1, 0);
}

static void test_constrained(void)
{
    /* pts2 with points 2, 8, 9 infeasible.  The feasible ones alone:
     * (1,5), (2,3) and its copy, and (6,1) (no longer below (4,1)) form
     * front 0; (3,4) below (2,3) and (1,6) below (1,5) front 1; (5,5)
     * below (3,4) front 2.  Then violation 0.5 (point 8) front 3 and
     * violation 2 (points 2 and 9, though (0,9) dominates no one) front 4. */
    static const double viol[] = {0, 0, 2.0, 0, 0, 0, 0, 0, 0.5, 2.0};
    static const int want[] = {0, 0, 4, 1, 2, 0, 1, 0, 3, 4};
    check_ranks(pts2, 10, 2, viol, want, 5);
    /* All infeasible: by violation alone, from front 0. */
    static const double v2[] = {3, 1, 1, 2};
    static const int want2[] = {2, 0, 0, 1};
    check_ranks(pts2, 4, 2, v2, want2, 3);
    /* All feasible: as without violations. */
    static const double v0[10] = {0};
    static const int want0[] = {0, 0, 0, 1, 2, 0, 1, 1, 3, 0};
    check_ranks(pts2, 10, 2, v0, want0, 4);
}

static void test_bad_input(void)
{
    hpo__msg msg = {0};
    int rank[2];
    double y[] = {1, NAN, 2, 3};
    CHECK_RC(hpo__nd_rank(&msg, y, 2, 2, NULL, rank, NULL), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "objective 1 of point 0 is NaN");
    double ok[] = {1, 2, 2, 3}, viol[] = {0, -1};
    CHECK_RC(hpo__nd_rank(&msg, ok, 2, 2, viol, rank, NULL), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "violation of point 1");
    CHECK_RC(hpo__nd_rank(&msg, ok, 2, 0, NULL, rank, NULL), HPO_EINVAL);
    double dist[2];
    int idx[] = {0, 1};
    double inf[] = {1, INFINITY, 2, 3};
    CHECK_RC(hpo__nd_crowding(&msg, inf, 2, idx, 2, dist), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "wanted finite");
    hpo__msg_free(&msg);
}

static void test_crowding(void)
{
    hpo__msg msg = {0};
    /* Row 0 is not on the front.  The front A (0,4), B (1,2), C (3,1),
     * D (4,0), both ranges 4:
     *   f1 order A B C D: A, D infinite; B (3-0)/4 = 0.75; C (4-1)/4 = 0.75
     *   f2 order D C B A: C (2-0)/4 = 0.5; B (4-1)/4 = 0.75
     * so B 1.5, C 1.25. */
    static const double y[] = {9, 9, 3, 1, 0, 4, 4, 0, 1, 2};
    int idx[] = {1, 2, 3, 4}; /* C A D B */
    double d[4];
    CHECK_RC(hpo__nd_crowding(&msg, y, 2, idx, 4, d), HPO_OK);
    CHECK_NEAR(d[0], 1.25, 1e-15);
    CHECK(isinf(d[1]) && isinf(d[2]));
    CHECK_NEAR(d[3], 1.5, 1e-15);
    /* f2 equal on the front adds nothing; f1: ends infinite, the middle
     * (3-0)/3 = 1. */
    static const double flat[] = {0, 5, 3, 5, 1, 5};
    int idx3[] = {0, 1, 2};
    CHECK_RC(hpo__nd_crowding(&msg, flat, 2, idx3, 3, d), HPO_OK);
    CHECK(isinf(d[0]) && isinf(d[1]));
    CHECK_NEAR(d[2], 1.0, 1e-15);
    /* All equal: 0 everywhere; one or two points: infinite. */
    static const double same[] = {1, 1, 1, 1, 1, 1};
    CHECK_RC(hpo__nd_crowding(&msg, same, 2, idx3, 3, d), HPO_OK);
    CHECK(d[0] == 0 && d[1] == 0 && d[2] == 0);
    CHECK_RC(hpo__nd_crowding(&msg, y, 2, idx, 2, d), HPO_OK);
    CHECK(isinf(d[0]) && isinf(d[1]));
    CHECK_RC(hpo__nd_crowding(&msg, y, 2, idx, 1, d), HPO_OK);
    CHECK(isinf(d[0]));
    CHECK_RC(hpo__nd_crowding(&msg, y, 2, idx, 0, d), HPO_OK);
    hpo__msg_free(&msg);
}

/* ------------------------------------------------------------------------- */
/* Random points against the naive sort                                       */
/* ------------------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static double draw(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Deb et al. 2002's constrained domination, straight from its definition. */
static int naive_dominates(const double *y, int m, const double *viol, int p,
                           int q)
{
    double vp = viol ? viol[p] : 0, vq = viol ? viol[q] : 0;
    if (vp > 0 || vq > 0)
        return vp < vq;
    int better = 0;
    for (int j = 0; j < m; j++) {
        if (y[p * m + j] > y[q * m + j])
            return 0;
        better |= y[p * m + j] < y[q * m + j];
    }
    return better;
}

/* The fast non-dominated sort of Deb et al. 2002: O(m n^2). */
static void naive_rank(const double *y, int n, int m, const double *viol,
                       int *rank)
{
    unsigned char *dom = calloc((size_t)n * n, 1);
    int *count = calloc(n, sizeof *count), *cur = malloc(n * sizeof *cur);
    int *nxt = malloc(n * sizeof *nxt), ncur = 0;
    for (int p = 0; p < n; p++)
        for (int q = 0; q < n; q++)
            if (naive_dominates(y, m, viol, p, q)) {
                dom[(size_t)p * n + q] = 1;
                count[q]++;
            }
    for (int p = 0; p < n; p++)
        if (count[p] == 0)
            cur[ncur++] = p;
    for (int f = 0; ncur > 0; f++) {
        int nn = 0;
        for (int a = 0; a < ncur; a++) {
            int p = cur[a];
            rank[p] = f;
            for (int q = 0; q < n; q++)
                if (dom[(size_t)p * n + q] && --count[q] == 0)
                    nxt[nn++] = q;
        }
        for (int a = 0; a < nn; a++)
            cur[a] = nxt[a];
        ncur = nn;
    }
    free(dom);
    free(count);
    free(cur);
    free(nxt);
}

/* levels > 0: values drawn from levels integers, so ties and copies are
 * common; 0: continuous.  with_viol: about half infeasible. */
static void random_case(int n, int m, int levels, int with_viol)
{
    double *y = malloc((size_t)n * m * sizeof *y);
    double *viol = with_viol ? malloc(n * sizeof *viol) : NULL;
    int *got = malloc(n * sizeof *got), *want = malloc(n * sizeof *want);
    for (int i = 0; i < n * m; i++)
        y[i] = levels ? floor(draw() * levels) : draw();
    for (int i = 0; with_viol && i < n; i++)
        viol[i] = draw() < 0.5 ? 0 : floor(draw() * 20) / 4;
    hpo__msg msg = {0};
    int fronts = 0, bad = 0, maxr = -1;
    CHECK_RC(hpo__nd_rank(&msg, y, n, m, viol, got, &fronts), HPO_OK);
    naive_rank(y, n, m, viol, want);
    for (int i = 0; i < n; i++) {
        bad += got[i] != want[i];
        maxr = want[i] > maxr ? want[i] : maxr;
    }
    if (bad)
        fprintf(stderr, "n %d m %d levels %d viol %d: %d ranks differ\n", n,
                m, levels, with_viol, bad);
    CHECK(bad == 0);
    CHECK(fronts == maxr + 1);
    hpo__msg_free(&msg);
    free(y);
    free(viol);
    free(got);
    free(want);
}

static void test_random_against_naive(void)
{
    static const int ms[] = {2, 3, 5};
    for (int a = 0; a < N_OF(ms); a++) {
        random_case(3000, ms[a], 0, 0);
        random_case(3000, ms[a], 6, 0);
        random_case(2000, ms[a], 4, 1);
        random_case(50, ms[a], 3, 0);
    }
}

/* The crowding distance of a row does not depend on idx's order. */
static void test_crowding_order_free(void)
{
    enum { K = 40, M = 3 };
    double y[K * M], d1[K], d2[K];
    int idx[K], rev[K];
    for (int i = 0; i < K * M; i++)
        y[i] = floor(draw() * 5); /* ties */
    for (int i = 0; i < K; i++) {
        idx[i] = i;
        rev[i] = K - 1 - i;
    }
    hpo__msg msg = {0};
    CHECK_RC(hpo__nd_crowding(&msg, y, M, idx, K, d1), HPO_OK);
    CHECK_RC(hpo__nd_crowding(&msg, y, M, rev, K, d2), HPO_OK);
    for (int i = 0; i < K; i++)
        CHECK(d1[i] == d2[K - 1 - i]);
    hpo__msg_free(&msg);
}

int main(void)
{
    RUN(test_two_objectives);
    RUN(test_three_objectives);
    RUN(test_duplicates_and_one_objective);
    RUN(test_constrained);
    RUN(test_bad_input);
    RUN(test_crowding);
    RUN(test_random_against_naive);
    RUN(test_crowding_order_free);
    return CHECK_DONE();
}
