/* test_metrics.c — error, accuracy, log-loss, AUC, RMSE and MAE against
 * hand-computed values and known cases, and the metric names. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ml/ml.h"

/* A labelled data set over the given labels (sorted distinct = classes). */
typedef struct labelled {
    hpo__dataset d;
    double y[64], classes[8], x[64];
    int class_of[64];
} labelled;

static void make_labelled(labelled *l, const double *y, int n)
{
    memset(l, 0, sizeof *l);
    memcpy(l->y, y, sizeof *y * (size_t)n);
    int c = 0;
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < c && l->classes[k] < y[i])
            k++;
        if (k == c || l->classes[k] != y[i]) {
            memmove(l->classes + k + 1, l->classes + k, sizeof(double) * (size_t)(c - k));
            l->classes[k] = y[i];
            c++;
        }
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < c; k++)
            if (l->classes[k] == y[i])
                l->class_of[i] = k;
    l->d = (hpo__dataset){.n_rows = n, .n_features = 1, .x = l->x, .y = l->y,
                          .n_classes = c, .classes = l->classes, .class_of = l->class_of};
}

static void test_error_accuracy(void)
{
    labelled l;
    double y[] = {1, -1, 1, 1, -1};
    make_labelled(&l, y, 5);
    double pred[] = {1, 1, 1, -1, -1};
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_ERROR, &l.d, NULL, 5, pred), 0.4, 1e-15);
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_ACCURACY, &l.d, NULL, 5, pred), 0.6, 1e-15);
    /* Rows 4, 3: predictions line up with the listed rows, not 0..n-1. */
    int rows[] = {4, 3};
    double pred2[] = {1, 1}; /* wrong for row 4 (-1), right for row 3 (1) */
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_ERROR, &l.d, rows, 2, pred2), 0.5, 1e-15);
    double pred3[] = {-1, 1};
    CHECK(hpo__metric_compute(HPO__METRIC_ACCURACY, &l.d, rows, 2, pred3) == 1);
    CHECK(hpo__metric_compute(HPO__METRIC_ERROR, &l.d, rows, 2, pred3) == 0);
    CHECK(isnan(hpo__metric_compute(HPO__METRIC_ERROR, &l.d, rows, 0, pred3)));
}

static void test_logloss(void)
{
    labelled l;
    double y[] = {0, 1, 2, 1};
    make_labelled(&l, y, 4);
    /* Uniform over k = 3 classes: ln 3. */
    double uniform[12];
    for (int i = 0; i < 12; i++)
        uniform[i] = 1.0 / 3;
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_LOGLOSS, &l.d, NULL, 4, uniform), log(3.0),
               1e-15);
    /* By hand: p(true) = 0.5, 0.8, 0.25, 0.1 -> -(ln .5 + ln .8 + ln .25 + ln .1)/4 */
    double p[] = {0.5, 0.3, 0.2,  0.1, 0.8, 0.1,  0.5, 0.25, 0.25,  0.6, 0.1, 0.3};
    double want = -(log(0.5) + log(0.8) + log(0.25) + log(0.1)) / 4;
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_LOGLOSS, &l.d, NULL, 4, p), want, 1e-14);
    /* Clipping: p(true) = 0 costs -ln 1e-15, p = 1 costs -ln(1 - 1e-15). */
    double certain_wrong[] = {0, 1, 0}, certain_right[] = {1, 0, 0};
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_LOGLOSS, &l.d, NULL, 1, certain_wrong),
               -log(1e-15), 1e-12);
    double perfect = hpo__metric_compute(HPO__METRIC_LOGLOSS, &l.d, NULL, 1, certain_right);
    CHECK(perfect > 0 && perfect < 2e-15);
    /* Binary, rows given: row 1 (class 1) with p = (0.2, 0.8). */
    double y2[] = {0, 1, 1, 0};
    make_labelled(&l, y2, 4);
    int rows[] = {1};
    double p2[] = {0.2, 0.8};
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_LOGLOSS, &l.d, rows, 1, p2), -log(0.8),
               1e-15);
}

static void test_auc_known_cases(void)
{
    labelled l;
    double y[] = {0, 0, 1, 1, 0, 1};
    make_labelled(&l, y, 6);
    /* Column 1 is the score of class 1; column 0 is ignored. */
    double perfect[12], reversed[12], ties[12];
    for (int i = 0; i < 6; i++) {
        perfect[2 * i] = reversed[2 * i] = ties[2 * i] = 99;
        perfect[2 * i + 1] = y[i] + 0.1 * i;
        reversed[2 * i + 1] = -perfect[2 * i + 1];
        ties[2 * i + 1] = 0.5;
    }
    CHECK(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 6, perfect) == 1);
    CHECK(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 6, reversed) == 0);
    CHECK(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 6, ties) == 0.5);
    /* By hand, positives {0.8, 0.4}, negatives {0.4, 0.2}: pairs won 1, 1,
     * a tie (1/2), 1 -> 3.5 / 4. */
    double y2[] = {1, 0, 1, 0};
    make_labelled(&l, y2, 4);
    double s[] = {0, 0.8, 0, 0.4, 0, 0.4, 0, 0.2};
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 4, s), 0.875, 1e-15);
    /* One class only among the rows: undefined. */
    int rows[] = {0, 2};
    CHECK(isnan(hpo__metric_compute(HPO__METRIC_AUC, &l.d, rows, 2, s)));
}

/* Against counting pairs directly, on scores with many ties. */
static void test_auc_matches_pair_count(void)
{
    labelled l;
    double y[64];
    double score[128];
    hpo__rng rng;
    hpo__rng_seed(&rng, 5);
    for (int trial = 0; trial < 20; trial++) {
        for (int i = 0; i < 64; i++) {
            y[i] = i < 2 ? i : (double)hpo__rng_below(&rng, 2); /* both classes */
            score[2 * i] = 0;
            score[2 * i + 1] = (double)hpo__rng_below(&rng, 5) + 0.7 * y[i];
        }
        make_labelled(&l, y, 64);
        double won = 0, pairs = 0;
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++)
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    double a = score[2 * i + 1], b = score[2 * j + 1];
                    won += a > b ? 1 : a == b ? 0.5 : 0;
                }
        CHECK_NEAR(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 64, score),
                   won / pairs, 1e-12);
    }
}

static void test_auc_multiclass(void)
{
    labelled l;
    double y[] = {0, 1, 2, 0, 1, 2};
    make_labelled(&l, y, 6);
    /* Perfect one-vs-rest scores for every class. */
    double p[18] = {0};
    for (int i = 0; i < 6; i++)
        p[3 * i + (int)y[i]] = 1;
    CHECK(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 6, p) == 1);
    /* Class 2 ranked backwards (AUC 0), others perfect: mean 2/3. */
    for (int i = 0; i < 6; i++)
        p[3 * i + 2] = y[i] == 2 ? 0 : 1;
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_AUC, &l.d, NULL, 6, p), 2.0 / 3, 1e-15);
}

static void test_regression_errors(void)
{
    double y[] = {3, -0.5, 2, 7};
    hpo__dataset d = {.n_rows = 4, .y = y};
    double pred[] = {2.5, 0.0, 2, 8};
    /* errors 0.5, 0.5, 0, 1: MAE 0.5, RMSE sqrt(1.5 / 4) */
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_MAE, &d, NULL, 4, pred), 0.5, 1e-15);
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_RMSE, &d, NULL, 4, pred), sqrt(0.375), 1e-15);
    int rows[] = {3, 1};
    double pred2[] = {4, -0.5};
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_RMSE, &d, rows, 2, pred2), sqrt(4.5), 1e-15);
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_MAE, &d, rows, 2, pred2), 1.5, 1e-15);
    /* Class metrics need class labels. */
    CHECK(isnan(hpo__metric_compute(HPO__METRIC_LOGLOSS, &d, NULL, 4, pred)));
    CHECK(isnan(hpo__metric_compute(HPO__METRIC_AUC, &d, NULL, 4, pred)));
}

static void test_names(void)
{
    hpo__metric all[] = {HPO__METRIC_ERROR, HPO__METRIC_ACCURACY, HPO__METRIC_LOGLOSS,
                         HPO__METRIC_AUC, HPO__METRIC_RMSE, HPO__METRIC_MAE};
    const char *names[] = {"error", "accuracy", "logloss", "auc", "rmse", "mae"};
    int maximize[] = {0, 1, 0, 1, 0, 0};
    hpo__msg m = {0};
    for (int i = 0; i < 6; i++) {
        hpo__metric got = (hpo__metric)-1;
        CHECK_RC(hpo__metric_parse(names[i], &got, &m), HPO_OK);
        CHECK(got == all[i]);
        CHECK(strcmp(hpo__metric_name(all[i]), names[i]) == 0);
        CHECK(hpo__metric_maximize(all[i]) == maximize[i]);
    }
    hpo__metric got;
    CHECK_RC(hpo__metric_parse("AUC", &got, &m), HPO_OK);
    CHECK(got == HPO__METRIC_AUC);
    CHECK_RC(hpo__metric_parse("mse", &got, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "unknown metric 'mse' (known: error, accuracy, "
                       "logloss, auc, rmse, mae)");
    CHECK_RC(hpo__metric_parse(NULL, &got, &m), HPO_EINVAL);
    CHECK(strcmp(hpo__metric_name((hpo__metric)99), "?") == 0);
    hpo__msg_free(&m);
}

int main(void)
{
    RUN(test_error_accuracy);
    RUN(test_logloss);
    RUN(test_auc_known_cases);
    RUN(test_auc_matches_pair_count);
    RUN(test_auc_multiclass);
    RUN(test_regression_errors);
    RUN(test_names);
    return CHECK_DONE();
}
