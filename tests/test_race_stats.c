/*
 * test_race_stats.c — the statistics of iterated racing (src/race/):
 * Friedman's test on a hand-worked table and against R's friedman.test,
 * Conover's post-hoc drop, the Wilcoxon and t tests against R's values.
 * The reference numbers were computed once with R 4.2.2 (the R calls are
 * in the comments); the test does not need R.
 */
#include "check.h"
#include "race/race_stats.h"

static const int cols4[] = {0, 1, 2, 3};

/* By hand: 3 blocks, 3 configurations, no ties.  Ranks (1,2,3), (1,3,2),
 * (1,2,3): rank sums 3, 7, 8.  Q = 12 / (n k (k+1)) sum R^2 - 3 n (k+1)
 * = 12 / 36 * 122 - 36 = 14/3; df 2, p = exp(-Q/2) = exp(-7/3). */
static void test_friedman_by_hand(void)
{
    const double y[] = {1, 2, 3, 1, 3, 2, 1, 2, 3};
    double r[3];
    hpo__friedman f;
    hpo__friedman_test(y, 3, 3, cols4, 3, r, &f);
    CHECK_NEAR(r[0], 3, 0);
    CHECK_NEAR(r[1], 7, 0);
    CHECK_NEAR(r[2], 8, 0);
    CHECK_NEAR(f.statistic, 14.0 / 3, 1e-12);
    CHECK(f.df == 2);
    CHECK_NEAR(f.p_value, exp(-7.0 / 3), 1e-12);
    /* R: friedman.test(matrix(c(1,2,3, 1,3,2, 1,2,3), ncol=3, byrow=TRUE)) */
    CHECK_NEAR(f.p_value, 0.096971967864405054, 1e-12);
}

/* 8 blocks x 4 configurations with ties within blocks.  R:
 * m <- matrix(c(1,2,3,4, 2,1,3,3, 1.5,2.5,2.5,4.5, 1,3,2,5, 2,2,4,3,
 *   .5,1.5,3.5,2.5, 1.2,2.2,3.3,4.4, .9,1.9,2.9,3.9), ncol=4, byrow=TRUE)
 * friedman.test(m): chi-squared 18.818181818181817, p 0.0002981138005575846 */
static const double table8x4[] = {
    1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 3.0, 3.0, 1.5, 2.5, 2.5, 4.5,
    1.0, 3.0, 2.0, 5.0, 2.0, 2.0, 4.0, 3.0, 0.5, 1.5, 3.5, 2.5,
    1.2, 2.2, 3.3, 4.4, 0.9, 1.9, 2.9, 3.9};

static void test_friedman_against_r(void)
{
    double r[4];
    hpo__friedman f;
    hpo__friedman_test(table8x4, 4, 8, cols4, 4, r, &f);
    CHECK_NEAR(f.statistic, 18.818181818181817, 1e-10);
    CHECK_NEAR(f.p_value, 0.0002981138005575846, 1e-12);
    /* Mid-ranks: block 2 ties configurations 2 and 3 at 3.5. */
    CHECK_NEAR(r[0], 9.5, 1e-12);
    CHECK_NEAR(r[1], 16, 1e-12);
}

/* Conover's comparison on the 8x4 table: rank sums 9.5, 16, 25, 29.5;
 * A = sum of squared ranks = 238.5, sum R^2 = 1841.5, t = qt(0.975, 21)
 * sqrt(2 (8 * 238.5 - 1841.5) / 21) = 5.2336: configuration 1 (6.5 from
 * the best) and the two after it are dropped, as irace's
 * irace:::aux2.friedman(m, 1:4, rep(TRUE, 4)) drops them; on the first
 * two rows alone it drops none; irace:::aux.ttest(m, rep(TRUE, 4), 1:4,
 * 0.95, "holm") keeps 1 and 2 and drops 3 and 4. */
static void test_conover_drops(void)
{
    int keep[4], any;
    int best = hpo__race_friedman(table8x4, 4, 8, cols4, 4, 0.95, keep, &any);
    CHECK(best == 0);
    CHECK(any == 1);
    CHECK(keep[0] == 1 && keep[1] == 0 && keep[2] == 0 && keep[3] == 0);
    /* The first 2 blocks alone: no significant difference, all kept. */
    best = hpo__race_friedman(table8x4, 4, 2, cols4, 4, 0.95, keep, &any);
    CHECK(any == 0);
    CHECK(keep[0] && keep[1] && keep[2] && keep[3]);
}

static void test_distributions(void)
{
    /* R: qt(0.975, 21), pchisq(7.5, 3, lower.tail=FALSE), 2*pt(-2.3, 7) */
    CHECK_NEAR(hpo__t_quantile(0.975, 21), 2.07961384472768, 1e-10);
    CHECK_NEAR(hpo__chisq_sf(7.5, 3), 0.057558451972636406, 1e-12);
    CHECK_NEAR(hpo__t_p2(2.3, 7), 0.054991095204371537, 1e-12);
    CHECK_NEAR(hpo__t_p2(-2.3, 7), 0.054991095204371537, 1e-12);
}

static void test_wilcoxon(void)
{
    double est;
    /* No ties: exact.  R: wilcox.test(c(1.1,2.3,.4,3.2,1.9,2.2,.7,1.6),
     * c(1.5,2.95,.3,3.91,2.62,2.13,1.64,2.05), paired=TRUE)$p.value */
    const double x[] = {1.1, 2.3, 0.4, 3.2, 1.9, 2.2, 0.7, 1.6};
    const double y[] = {1.5, 2.95, 0.3, 3.91, 2.62, 2.13, 1.64, 2.05};
    CHECK_NEAR(hpo__wilcoxon_paired(x, y, 8, &est), 0.0390625, 1e-12);
    CHECK(est < 0);
    /* Ties and zeros: the normal approximation.  R:
     * wilcox.test(c(1,2,2,3,4,5,5,6,1,2,3), c(2,2,3,3.5,5,5.5,6,6,2,2.5,4),
     *             paired=TRUE, exact=FALSE)$p.value */
    const double x2[] = {1, 2, 2, 3, 4, 5, 5, 6, 1, 2, 3};
    const double y2[] = {2, 2, 3, 3.5, 5, 5.5, 6, 6, 2, 2.5, 4};
    CHECK_NEAR(hpo__wilcoxon_paired(x2, y2, 11, &est), 0.0069266103285221406,
               1e-12);
}

/* Two configurations left: one no worse everywhere drops the other
 * without a test (irace); otherwise Wilcoxon decides. */
static void test_two_left(void)
{
    const double y[] = {1, 2, 1, 1, 2, 3};
    int keep[2], any;
    CHECK(hpo__race_friedman(y, 2, 3, cols4, 2, 0.95, keep, &any) == 0);
    CHECK(any && keep[0] && !keep[1]);
    const double z[] = {1, 2, 3, 1, 2, 3};
    hpo__race_friedman(z, 2, 3, cols4, 2, 0.95, keep, &any);
    CHECK(!any && keep[0] && keep[1]);
}

/* t-test: R: t.test(x, y, paired=TRUE)$p.value = 0.012357913805223346 for
 * the x, y above; p.adjust(c(.01,.04,.03,.5), "holm") = .04 .09 .09 .5 */
static void test_ttest(void)
{
    double y[16];
    const double x[] = {1.1, 2.3, 0.4, 3.2, 1.9, 2.2, 0.7, 1.6};
    const double w[] = {1.5, 2.95, 0.3, 3.91, 2.62, 2.13, 1.64, 2.05};
    for (int i = 0; i < 8; i++)
        y[2 * i] = x[i], y[2 * i + 1] = w[i];
    int keep[2], any;
    CHECK(hpo__race_ttest(y, 2, 8, cols4, 2, 0.95, 0, keep, &any) == 0);
    CHECK(any && keep[0] && !keep[1]);
    /* At 0.99 the p-value 0.0124 does not reject. */
    hpo__race_ttest(y, 2, 8, cols4, 2, 0.99, 0, keep, &any);
    CHECK(!any && keep[1]);
    /* Holm with four columns: the 8x4 table's dominated columns drop. */
    int keep4[4];
    hpo__race_ttest(table8x4, 4, 8, cols4, 4, 0.95, 1, keep4, &any);
    CHECK(keep4[0] && keep4[1] && !keep4[2] && !keep4[3]);
}

int main(void)
{
    RUN(test_friedman_by_hand);
    RUN(test_friedman_against_r);
    RUN(test_conover_drops);
    RUN(test_distributions);
    RUN(test_wilcoxon);
    RUN(test_two_left);
    RUN(test_ttest);
    return CHECK_DONE();
}
