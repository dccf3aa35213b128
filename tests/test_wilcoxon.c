/*
 * test_wilcoxon.c — the signed-rank test against SciPy's values and the
 * wilcoxon pruner: it prunes a trial clearly worse on the instances, keeps
 * one equal within noise, waits for n_startup_steps, keeps a trial whose
 * mean is better, follows hpo's NaN rule, and refuses bad options.
 */
#include <math.h>

#include "math/signed_rank.h"
#include "pruner_steps.h"

/* Each line's values from Debian's SciPy 1.10.1:
 *   scipy.stats.wilcoxon(d, alternative=ALT, zero_method="zsplit")
 * (method="approx" for the tied vector, see signed_rank.c). */
static void check_test(const double *d, int n, double stat, double p_greater,
                       double p_less, int exact)
{
    hpo__signed_rank r;
    CHECK_RC(hpo__signed_rank_test(d, n, &hpo__signed_rank_scipy, &r), HPO_OK);
    CHECK_NEAR(r.r_plus, stat, 1e-12);
    CHECK_NEAR(r.p_greater, p_greater, 1e-12);
    CHECK_NEAR(r.p_less, p_less, 1e-12);
    CHECK(r.exact == exact);
}

static void test_signed_rank(void)
{
    /* n = 7, no ties, no zeros: the exact distribution. */
    check_test((double[]){1.5, -0.3, 2.1, 0.8, -1.2, 3.3, 0.5}, 7, 23.0,
               0.078125, 0.9453125, 1);
    /* Zeros (split between the sides): the normal approximation. */
    check_test((double[]){0, 1, -2, 3, 0, 4, 5, -0.5, 2.5}, 9, 35.5,
               0.06160245571017005, 0.9383975442898299, 0);
    /* Ties: the normal approximation with the tie correction. */
    check_test((double[]){1, -1, 2, 2, 3, -3, 4, 1, 5, 6}, 10, 46.5,
               0.02593270739573363, 0.9740672926042664, 0);
    /* All zeros: no evidence either way. */
    check_test((double[]){0, 0, 0}, 3, 3.0, 0.5, 0.5, 0);
    /* n = 60 > 50: the normal approximation without ties. */
    double d[60];
    for (int i = 0; i < 60; i++)
        d[i] = (i % 7) - 2.5 + 0.01 * i;
    check_test(d, 60, 1231.0, 0.010002167704553495, 0.9899978322954465, 0);
    hpo__signed_rank r;
    CHECK_RC(hpo__signed_rank_test(d, 0, &hpo__signed_rank_scipy, &r), HPO_EINVAL);
}

#define N_INST 20

/* Instance i's score for a configuration (hard and easy instances). */
static double base(int i)
{
    return 1.0 + (i % 5) * 0.7 + (i % 3) * 0.2;
}

/* The mean of the non-NaN values (NaN when none). */
static double mean_of(const double *v, int n)
{
    double s = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(v[i])) {
            s += v[i];
            k++;
        }
    return k ? s / k : NAN;
}

/* A trial reporting v[i] at step (instance) i until pruned; told with the
 * mean of what it reported.  Returns the step it was pruned at, or -1. */
static int run_trial(hpo_study *s, const double *v, int n)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    int at = -1, i;
    for (i = 0; i < n && at < 0; i++) {
        CHECK_RC(hpo_trial_report(t, i, v[i]), HPO_OK);
        if (hpo_trial_should_prune(t) == 1)
            at = i;
    }
    double m = mean_of(v, i);
    CHECK_RC(
        hpo_study_tell(s, t, at >= 0 ? HPO_PRUNED_STATE : HPO_COMPLETE, &m, 1),
        HPO_OK);
    hpo_trial_free(t);
    return at;
}

static void test_prunes_worse_keeps_equal(void)
{
    hpo_study *s = pruned_study("wilcoxon", HPO_MINIMIZE, "w");
    double best[N_INST], worse[N_INST], equal[N_INST];
    for (int i = 0; i < N_INST; i++) {
        best[i] = base(i);
        /* Worse on every instance by 0.3 +- noise. */
        worse[i] = base(i) + 0.3 + 0.05 * sin(i);
        /* As good within noise, up on some instances, down on others. */
        equal[i] = base(i) + 0.05 * ((i % 2) ? 1 : -1) * (1 + 0.1 * i);
    }
    CHECK(run_trial(s, best, N_INST) == -1); /* the first: nothing to beat */
    /* Every difference positive: exact p = 2^-k, below 0.1 from the 4th
     * instance; but Optuna's mean rule keeps it while its running mean
     * (2.52 at the 4th) is below the best's 2.59, so pruned at the 5th. */
    CHECK(run_trial(s, worse, N_INST) == 4);
    CHECK(run_trial(s, equal, N_INST) == -1);
    hpo_study_free(s);
}

static void test_maximize(void)
{
    hpo_study *s = pruned_study("wilcoxon:p_threshold=0.05", HPO_MAXIMIZE, "w");
    double best[N_INST], worse[N_INST];
    for (int i = 0; i < N_INST; i++) {
        best[i] = base(i);
        worse[i] = base(i) - 0.2 - 0.01 * i; /* no ties: exact */
    }
    CHECK(run_trial(s, best, N_INST) == -1);
    /* p = 2^-k < 0.05 first at k = 5. */
    CHECK(run_trial(s, worse, N_INST) == 4);
    hpo_study_free(s);
}

static void test_startup(void)
{
    hpo_study *s =
        pruned_study("wilcoxon:n_startup_steps=8", HPO_MINIMIZE, "w");
    double best[N_INST], worse[N_INST];
    for (int i = 0; i < N_INST; i++) {
        best[i] = base(i);
        worse[i] = base(i) + 1;
    }
    CHECK(run_trial(s, best, N_INST) == -1);
    CHECK(run_trial(s, worse, N_INST) == 7);
    hpo_study_free(s);
}

/* Optuna's safety: worse on the instances seen, but its mean so far is
 * better than the best trial's mean over all its instances. */
static void test_mean_rule(void)
{
    hpo_study *s = pruned_study("wilcoxon", HPO_MINIMIZE, "w");
    double best[N_INST], early[N_INST];
    for (int i = 0; i < N_INST; i++) {
        best[i] = i < 6 ? 0 : 10; /* easy first instances */
        early[i] = i < 6 ? 1 : 11;
    }
    CHECK(run_trial(s, best, N_INST) == -1);
    /* Worse on every instance, significantly so from the 4th, but kept
     * until its running mean (6 + 11 k) / (6 + k) passes the best's 7.0:
     * k = 10 more instances, the 16th. */
    CHECK(run_trial(s, early, N_INST) == 15);
    hpo_study_free(s);
}

/* hpo's NaN rule (every pruner's): a NaN is no value at that instance;
 * a trial of nothing but NaN is the worst; +inf is a value. */
static void test_nan_and_inf(void)
{
    hpo_study *s = pruned_study("wilcoxon", HPO_MINIMIZE, "w");
    double best[N_INST], gaps[N_INST], nans[N_INST], inf[N_INST];
    for (int i = 0; i < N_INST; i++) {
        best[i] = base(i);
        /* Worse by 1 where it has values; NaN on instances 1 and 2. */
        gaps[i] = i == 1 || i == 2 ? NAN : base(i) + 1;
        nans[i] = NAN;
        inf[i] = INFINITY;
    }
    best[5] = NAN; /* the best trial lacks instance 5 */
    CHECK(run_trial(s, best, N_INST) == -1);
    /* Pairs at instances 0, 3, 4: the 2nd pair (instance 3) is the first
     * judged; tied differences of 1: approximate p = 0.079 < 0.1. */
    CHECK(run_trial(s, gaps, N_INST) == 3);
    CHECK(run_trial(s, nans, N_INST) == 1);
    CHECK(run_trial(s, inf, N_INST) == 1);
    hpo_study_free(s);
}

static void test_options_refused(void)
{
    check_refused("wilcoxon:p_threshold=1.5", "outside");
    check_refused("wilcoxon:n_startup_steps=-1", "outside");
    check_refused("wilcoxon:warmup=3", "warmup");
}

int main(void)
{
    RUN(test_signed_rank);
    RUN(test_prunes_worse_keeps_equal);
    RUN(test_maximize);
    RUN(test_startup);
    RUN(test_mean_rule);
    RUN(test_nan_and_inf);
    RUN(test_options_refused);
    return CHECK_DONE();
}
