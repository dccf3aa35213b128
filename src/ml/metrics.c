/*
 * metrics.c — the scores a configuration is judged by.
 *
 *   error     misclassified fraction; accuracy = 1 - error
 *   logloss   -mean ln p(true class), p clipped to [1e-15, 1 - 1e-15]
 *             (as scikit-learn's log_loss; the rows are not renormalized
 *             after clipping, a deliberate difference that only shows for
 *             probabilities below 1e-15)
 *   auc       area under the ROC curve as the Mann–Whitney U statistic,
 *             U / (n_pos n_neg) (Hanley & McNeil, Radiology 143, 1982),
 *             ties given their average rank, so a tie counts one half.
 *             Binary: the positive class is class 1 (the larger label) and
 *             the score is column 1.  Extension: with more classes, the
 *             unweighted mean of the one-vs-rest AUCs (scikit-learn's
 *             multi_class="ovr", average="macro"), over the classes
 *             present in the rows (a small class may be absent from a fold;
 *             scikit-learn raises an error there).
 *   rmse, mae root mean squared and mean absolute error.
 *
 * A metric that does not apply (no rows, class metrics on a regression
 * target, an AUC with only one class present) is NaN, which the caller
 * reports; the computation itself cannot fail otherwise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ml.h"

#define LOGLOSS_EPS 1e-15

static const char *const metric_names[] = {
    [HPO__METRIC_ERROR] = "error",     [HPO__METRIC_ACCURACY] = "accuracy",
    [HPO__METRIC_LOGLOSS] = "logloss", [HPO__METRIC_AUC] = "auc",
    [HPO__METRIC_RMSE] = "rmse",       [HPO__METRIC_MAE] = "mae",
};
#define N_METRICS ((int)(sizeof metric_names / sizeof metric_names[0]))

const char *hpo__metric_name(hpo__metric metric)
{
    return (int)metric >= 0 && (int)metric < N_METRICS ? metric_names[metric] : "?";
}

int hpo__metric_maximize(hpo__metric metric)
{
    return metric == HPO__METRIC_ACCURACY || metric == HPO__METRIC_AUC;
}

int hpo__metric_parse(const char *name, hpo__metric *out, hpo__msg *m)
{
    for (int i = 0; name && i < N_METRICS; i++)
        if (strcasecmp(name, metric_names[i]) == 0) {
            *out = (hpo__metric)i;
            return HPO_OK;
        }
    return hpo__fail(m, HPO_EINVAL, "unknown metric '%s' (known: error, accuracy, "
                     "logloss, auc, rmse, mae)", name ? name : "");
}

static int row_at(const int *rows, int i)
{
    return rows ? rows[i] : i;
}

static double error_rate(const hpo__dataset *d, const int *rows, int n,
                         const double *pred)
{
    int wrong = 0;
    for (int i = 0; i < n; i++)
        wrong += pred[i] != d->y[row_at(rows, i)];
    return (double)wrong / n;
}

static double log_loss(const hpo__dataset *d, const int *rows, int n,
                       const double *prob)
{
    int c = d->n_classes;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double p = prob[(size_t)i * (size_t)c + (size_t)d->class_of[row_at(rows, i)]];
        p = p < LOGLOSS_EPS ? LOGLOSS_EPS : p > 1 - LOGLOSS_EPS ? 1 - LOGLOSS_EPS : p;
        sum -= log(p);
    }
    return sum / n;
}

typedef struct scored {
    double score;
    int positive;
} scored;

/* NaN scores sort first (lowest), so the order is total. */
static int compare_scored(const void *a, const void *b)
{
    double x = ((const scored *)a)->score, y = ((const scored *)b)->score;
    if (isnan(x) || isnan(y))
        return !isnan(x) - !isnan(y);
    return (x > y) - (x < y);
}

/* AUC of column `cls` of the scores for "class == cls" against the rest. */
static double auc_one_vs_rest(const hpo__dataset *d, const int *rows, int n,
                              const double *score, int cls, scored *s)
{
    int c = d->n_classes;
    double n_pos = 0;
    for (int i = 0; i < n; i++) {
        s[i].score = score[(size_t)i * (size_t)c + (size_t)cls];
        s[i].positive = d->class_of[row_at(rows, i)] == cls;
        n_pos += s[i].positive;
    }
    double n_neg = n - n_pos;
    if (n_pos == 0 || n_neg == 0)
        return NAN;
    qsort(s, (size_t)n, sizeof *s, compare_scored);
    double rank_sum = 0; /* of the positives, ranks 1..n, ties averaged */
    for (int i = 0; i < n;) {
        int j = i;
        int pos = 0;
        while (j < n && compare_scored(&s[i], &s[j]) == 0)
            pos += s[j++].positive;
        rank_sum += pos * (i + 1 + j) / 2.0; /* mean of ranks i+1..j */
        i = j;
    }
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg);
}

static double auc(const hpo__dataset *d, const int *rows, int n, const double *score)
{
    scored *s = malloc(sizeof *s * (size_t)n);
    if (!s)
        return NAN;
    double result;
    if (d->n_classes == 2) {
        result = auc_one_vs_rest(d, rows, n, score, 1, s);
    } else {
        double sum = 0;
        int defined = 0;
        for (int cls = 0; cls < d->n_classes; cls++) {
            double a = auc_one_vs_rest(d, rows, n, score, cls, s);
            if (!isnan(a)) {
                sum += a;
                defined++;
            }
        }
        result = defined ? sum / defined : NAN;
    }
    free(s);
    return result;
}

static double mean_error_power(const hpo__dataset *d, const int *rows, int n,
                               const double *pred, int squared)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double e = pred[i] - d->y[row_at(rows, i)];
        sum += squared ? e * e : fabs(e);
    }
    return sum / n;
}

double hpo__metric_compute(hpo__metric metric, const hpo__dataset *d,
                           const int *rows, int n, const double *pred)
{
    if (n <= 0)
        return NAN;
    int labelled = d->n_classes > 0 && d->class_of;
    switch (metric) {
    case HPO__METRIC_ERROR:
        return error_rate(d, rows, n, pred);
    case HPO__METRIC_ACCURACY:
        return 1 - error_rate(d, rows, n, pred);
    case HPO__METRIC_LOGLOSS:
        return labelled ? log_loss(d, rows, n, pred) : NAN;
    case HPO__METRIC_AUC:
        return labelled ? auc(d, rows, n, pred) : NAN;
    case HPO__METRIC_RMSE:
        return sqrt(mean_error_power(d, rows, n, pred, 1));
    case HPO__METRIC_MAE:
        return mean_error_power(d, rows, n, pred, 0);
    }
    return NAN;
}
