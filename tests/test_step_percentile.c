/*
 * test_step_percentile.c — the two-heap per-step percentiles agree with a
 * sort and numpy's linear interpolation (what Optuna's PercentilePruner
 * computes with np.nanpercentile) for every quantile, every count and
 * values in any order; NaN values count as reported but not in the
 * percentile.
 */
#include "check.h"
#include "core/internal.h"
#include "pruners/step_percentile.h"

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.percentile(v, q), method "linear", by sorting. */
static double by_sort(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, ascending);
    double index = q * (n - 1) / 100.0;
    int lo = (int)floor(index);
    if (lo + 1 >= n)
        return v[lo];
    return v[lo] + (v[lo + 1] - v[lo]) * (index - lo);
}

/* One trial reporting `value` at steps 1 and 2 (step 2: its negation). */
static void add_trial(hpo__step_percentile *sp, double value)
{
    hpo__trial_rec r;
    hpo__rec_init(&r);
    CHECK_RC(hpo__rec_add_inter(&r, 1, value), 1);
    CHECK_RC(hpo__rec_add_inter(&r, 2, -value), 1);
    CHECK_RC(hpo__step_percentile_add(sp, &r), HPO_OK);
    hpo__rec_free(&r);
}

static void test_matches_sorting(void)
{
    static const double qs[] = {0, 10, 25, 50, 62.5, 90, 100};
    hpo__rng rng;
    hpo__rng_seed(&rng, 7);
    for (size_t k = 0; k < sizeof qs / sizeof *qs; k++) {
        hpo__step_percentile sp;
        hpo__step_percentile_init(&sp, qs[k]);
        double seen[300], neg[300];
        for (int n = 1; n <= 300; n++) {
            /* ties and runs as well as spread values */
            double x = n % 7 == 0 ? 0.5 : floor(100 * hpo__rng_uniform(&rng));
            add_trial(&sp, x);
            seen[n - 1] = x;
            neg[n - 1] = -x;
            int count;
            double got = hpo__step_percentile_at(&sp, 1, &count);
            double want = by_sort(seen, n, qs[k]);
            CHECK(count == n);
            CHECK_NEAR(got, want, 1e-12);
            got = hpo__step_percentile_at(&sp, 2, &count);
            CHECK_NEAR(got, by_sort(neg, n, qs[k]), 1e-12);
        }
        CHECK(sp.n_complete == 300);
        hpo__step_percentile_free(&sp);
    }
}

static void test_nan_and_missing_steps(void)
{
    hpo__step_percentile sp;
    hpo__step_percentile_init(&sp, 50);
    int count = -1;
    CHECK(isnan(hpo__step_percentile_at(&sp, 1, &count)) && count == 0);
    add_trial(&sp, NAN);
    CHECK(isnan(hpo__step_percentile_at(&sp, 1, &count)) && count == 1);
    add_trial(&sp, 3);
    add_trial(&sp, 5);
    CHECK_NEAR(hpo__step_percentile_at(&sp, 1, &count), 4, 1e-12);
    CHECK(count == 3); /* NaN is reported, not in the median */
    CHECK(isnan(hpo__step_percentile_at(&sp, 7, &count)) && count == 0);
    hpo__step_percentile_free(&sp);
}

int main(void)
{
    RUN(test_matches_sorting);
    RUN(test_nan_and_missing_steps);
    return CHECK_DONE();
}
