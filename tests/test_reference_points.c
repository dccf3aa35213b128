/*
 * test_reference_points.c — NSGA-III's Das-Dennis reference points
 * (src/samplers/reference_points.c): their count, that each sums to 1 on
 * a grid of 1/p, that none repeats, and Deb & Jain's inner layer.
 */
#include "check.h"
#include "samplers/reference_points.h"

/* C(m + p - 1, p), worked by hand where small. */
static void test_count(void)
{
    CHECK(hpo__refpoints_count(3, 12) == 91); /* Deb & Jain's 3 objectives */
    CHECK(hpo__refpoints_count(5, 6) == 210); /* and 5 objectives */
    CHECK(hpo__refpoints_count(3, 2) == 6);
    CHECK(hpo__refpoints_count(2, 4) == 5);
    CHECK(hpo__refpoints_count(1, 7) == 1);
    CHECK(hpo__refpoints_count(8, 3) == 120);   /* C(10, 3) */
    CHECK(hpo__refpoints_count(15, 8) == 319770);
    CHECK(hpo__refpoints_count(4, 0) == 1);
    CHECK(hpo__refpoints_count(0, 3) == -1);
    CHECK(hpo__refpoints_count(30, 30) == -1); /* past the limit */
    CHECK(hpo__refpoints_count(1, 2147483647) == 1);
}

/* Each point sums to 1, lies on the 1/p grid (after undoing the inner
 * layer's shrink), and no two are equal. */
static void check_layer(const double *pts, int count, int m, int p,
                        double shrink)
{
    int bad_sum = 0, bad_grid = 0, same = 0;
    for (int i = 0; i < count; i++) {
        const double *r = pts + (size_t)i * m;
        double sum = 0;
        for (int k = 0; k < m; k++) {
            sum += r[k];
            double u = (r[k] - (1 - shrink) / m) / shrink * p;
            bad_grid += fabs(u - nearbyint(u)) > 1e-9 || u < -1e-9;
        }
        bad_sum += fabs(sum - 1) > 1e-12;
        for (int j = 0; j < i; j++) {
            int k = 0;
            while (k < m && pts[(size_t)j * m + k] == r[k])
                k++;
            same += k == m;
        }
    }
    CHECK(bad_sum == 0);
    CHECK(bad_grid == 0);
    CHECK(same == 0);
}

static void test_points(void)
{
    static const int cases[][2] = {{3, 12}, {5, 6}, {2, 1}, {1, 3}, {4, 5}};
    hpo__msg msg = {0};
    for (int c = 0; c < 5; c++) {
        int m = cases[c][0], p = cases[c][1], count = -1;
        double *pts = NULL;
        CHECK_RC(hpo__refpoints(&msg, m, p, 0, &pts, &count), HPO_OK);
        CHECK(count == hpo__refpoints_count(m, p));
        check_layer(pts, count, m, p, 1.0);
        free(pts);
    }
    /* m 3, p 2 by hand, in the documented order. */
    static const double want[] = {1,   0,   0,   0.5, 0.5, 0,   0.5, 0, 0.5,
                                  0,   1,   0,   0,   0.5, 0.5, 0,   0, 1};
    double *pts = NULL;
    int count = 0;
    CHECK_RC(hpo__refpoints(&msg, 3, 2, 0, &pts, &count), HPO_OK);
    CHECK(count == 6);
    for (int i = 0; i < 18; i++)
        CHECK(pts[i] == want[i]);
    free(pts);
    hpo__msg_free(&msg);
}

/* Two layers (Deb & Jain's 8 objectives: 3 outer and 2 inner divisions,
 * 120 + 36 = 156 points); the inner ones lie inside, every coordinate at
 * least (1 - 1/2) / m. */
static void test_two_layers(void)
{
    hpo__msg msg = {0};
    double *pts = NULL;
    int count = 0;
    CHECK_RC(hpo__refpoints(&msg, 8, 3, 2, &pts, &count), HPO_OK);
    CHECK(count == 156);
    check_layer(pts, 120, 8, 3, 1.0);
    check_layer(pts + 120 * 8, 36, 8, 2, 0.5);
    int outside = 0;
    for (int i = 120 * 8; i < count * 8; i++)
        outside += pts[i] < 0.5 / 8 - 1e-15;
    CHECK(outside == 0);
    free(pts);
    hpo__msg_free(&msg);
}

static void test_bad_input(void)
{
    hpo__msg msg = {0};
    double *pts = (double *)&msg;
    int count = 9;
    CHECK_RC(hpo__refpoints(&msg, 0, 3, 0, &pts, &count), HPO_EINVAL);
    CHECK(pts == NULL && count == 0);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "0 objectives");
    CHECK_RC(hpo__refpoints(&msg, 3, 0, 0, &pts, &count), HPO_EINVAL);
    CHECK_RC(hpo__refpoints(&msg, 3, 2, -1, &pts, &count), HPO_EINVAL);
    CHECK_RC(hpo__refpoints(&msg, 30, 30, 0, &pts, &count), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&msg), "make more than");
    /* The limit, 2^24 values: 4,096 objectives and 1 division exactly. */
    CHECK(hpo__refpoints_count(4096, 1) == 4096);
    CHECK(hpo__refpoints_count(4097, 1) == -1);
    CHECK_RC(hpo__refpoints(&msg, 4097, 1, 0, &pts, &count), HPO_EINVAL);
    hpo__msg_free(&msg);
}

int main(void)
{
    RUN(test_count);
    RUN(test_points);
    RUN(test_two_layers);
    RUN(test_bad_input);
    return CHECK_DONE();
}
