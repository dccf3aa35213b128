/*
 * ml.h — tuning real models: data sets, splits, metrics and learners
 * (issue 4).  Private to libhpo for now; the CLI (`hpo learn`,
 * `hpo tune-model`, `hpo nested-cv`) and the benchmarks use it.
 *
 *   data.c      data files -> hpo__dataset (dense, row-major); libsvm
 *   csv.c       CSV (RFC 4180 through libcsv): missing values, categorical
 *               columns; number.c reads decimals
 *   scale.c     standardization fit on training rows only (no leakage)
 *   cv.c        hold-out, k-fold, stratified k-fold, repeated k-fold:
 *               folds as row-index lists, fixed by a seed
 *   metrics.c   error/accuracy, log-loss, AUC, RMSE, MAE
 *   learner.c   the learner registry; one file per learner:
 *               svm.c (libsvm), linear.c (liblinear), xgboost.c
 *   evaluate.c  one configuration -> its CV score (and per-step scores for
 *               learners with a fidelity, e.g. boosting rounds)
 *   nested.c    nested cross-validation
 */
#ifndef HPO_ML_H
#define HPO_ML_H

#include <stdint.h>

#include "../core/internal.h"

/* ---- data ----------------------------------------------------------------- */

typedef enum hpo__task {
    HPO__CLASSIFICATION = 0, /* targets are class labels (whole numbers) */
    HPO__REGRESSION = 1
} hpo__task;

typedef struct hpo__dataset {
    int n_rows, n_features;
    double *x;            /* n_rows * n_features, row-major */
    double *y;            /* n_rows targets */
    char **feature_names; /* n_features (CSV header; "f1".. for libsvm) */
    char *target_name;
    char *source;         /* the file it came from, for messages */
    /* Classification: the distinct labels, sorted; y holds the labels
     * themselves (as in the file), class_of maps a row to 0..n_classes-1. */
    int n_classes;
    double *classes;
    int *class_of;
    /* A CSV target of text labels: the labels, sorted, NULL-terminated
     * (n_classes of them once the task is set); the classes are then
     * 0..n_classes-1 in that order.  NULL otherwise. */
    char **class_names;
    /* What the reader did beside reading numbers, one line each, for the
     * CLI to show: categorical columns and their levels, missing values
     * filled or rows dropped ("column 'color': one-hot over 3 levels"). */
    int n_notes;
    char **notes;
} hpo__dataset;

/* CSV options (csv.c states the dialect).  Zeroed = the defaults. */
typedef enum hpo__missing {
    HPO__MISSING_ERROR = 0, /* a missing value is an error naming it */
    HPO__MISSING_MEAN,      /* a feature's mean (categorical: its mode) */
    HPO__MISSING_MEDIAN,    /* a feature's median (categorical: its mode) */
    HPO__MISSING_DROP       /* rows with a missing value are dropped */
} hpo__missing;
typedef enum hpo__categorical {
    HPO__CATEGORICAL_ONEHOT = 0, /* a text column: one feature per level */
    HPO__CATEGORICAL_ERROR       /* a text column is an error naming it */
} hpo__categorical;
typedef struct hpo__data_opts {
    /* The column to predict: a name, else a 1-based column number; NULL
     * = the last column.  (libsvm: only "label".) */
    const char *target;
    hpo__missing missing;
    hpo__categorical categorical;
    /* 1: the general (libcsv) reader even for a file without quotes, which
     * the fast reader takes; for the tests that both read alike. */
    int general_reader;
} hpo__data_opts;
/* "error", "mean", "median", "drop" / "onehot", "error". */
int hpo__missing_parse(const char *name, hpo__missing *out, hpo__msg *m);
const char *hpo__missing_name(hpo__missing missing);
int hpo__categorical_parse(const char *name, hpo__categorical *out,
                           hpo__msg *m);

/* Load a CSV file (header row; target column by name or 1-based number,
 * NULL = the last; hpo__data_load_with for the other CSV options) or a
 * libsvm sparse file (format chosen by hpo__data_load from the
 * extension .libsvm/.svm or the first line).  Errors name the file, line
 * and column: "data.csv:12:3: 'abc' is not a number". */
int hpo__data_load_csv(hpo__dataset *d, const char *path, const char *target,
                       hpo__msg *m);
int hpo__data_load_libsvm(hpo__dataset *d, const char *path, hpo__msg *m);
int hpo__data_load(hpo__dataset *d, const char *path, const char *target,
                   hpo__msg *m);
/* The same from text in memory (text[len] must be '\0'; NUL bytes before
 * it are data), as if read from a file named `source`: the fuzz harnesses'
 * entry.  HPO__DATA_SNIFF chooses as hpo__data_load does for a file
 * without a telling extension. */
typedef enum hpo__data_format {
    HPO__DATA_SNIFF, HPO__DATA_CSV, HPO__DATA_LIBSVM
} hpo__data_format;
int hpo__data_parse(hpo__dataset *d, const char *source, const char *text,
                    size_t len, const char *target, hpo__data_format format,
                    hpo__msg *m);
/* The same with every CSV option (o == NULL: the defaults). */
int hpo__data_load_with(hpo__dataset *d, const char *path,
                        const hpo__data_opts *o, hpo__msg *m);
int hpo__data_parse_with(hpo__dataset *d, const char *source, const char *text,
                         size_t len, const hpo__data_opts *o,
                         hpo__data_format format, hpo__msg *m);
/* Treat the target as class labels or as a regression target (loaders
 * guess: whole numbers with few distinct values = classification). */
int hpo__data_set_task(hpo__dataset *d, hpo__task task, hpo__msg *m);
hpo__task hpo__data_task(const hpo__dataset *d);
void hpo__data_free(hpo__dataset *d);

/* Standardization (scale.c): z = (x - mean) / std per feature, the mean
 * and the (population) std taken from the training rows only, so nothing
 * of a test fold leaks into the model; a constant feature gets std 1. */
typedef struct hpo__scaler {
    int n_features;
    double *mean, *std; /* n_features each */
} hpo__scaler;

/* Fit on the given rows of d (all rows when rows == NULL; n_rows >= 1). */
int hpo__scaler_fit(hpo__scaler *s, const hpo__dataset *d, const int *rows,
                    int n_rows, hpo__msg *m);
/* The given rows of d, standardized, into *out: a new malloc'd
 * n_rows x n_features row-major buffer the caller frees. */
int hpo__scaler_apply(const hpo__scaler *s, const hpo__dataset *d,
                      const int *rows, int n_rows, double **out, hpo__msg *m);
void hpo__scaler_free(hpo__scaler *s);

/* ---- splits ---------------------------------------------------------------- */

/* One split: training and test rows (indices into the dataset). */
typedef struct hpo__split {
    int n_train, n_test;
    int *train, *test;
} hpo__split;

typedef struct hpo__folds {
    int n;          /* number of splits */
    hpo__split *v;
} hpo__folds;

typedef enum hpo__cv_kind {
    HPO__CV_HOLDOUT,    /* one split; test_fraction of the rows */
    HPO__CV_KFOLD,
    HPO__CV_STRATIFIED, /* k-fold keeping class ratios within one row */
    HPO__CV_REPEATED    /* repeats x stratified (classification) or k-fold */
} hpo__cv_kind;

typedef struct hpo__cv_spec {
    hpo__cv_kind kind;
    int k;                /* folds (k-fold kinds) */
    int repeats;          /* HPO__CV_REPEATED */
    double test_fraction; /* HPO__CV_HOLDOUT */
    uint64_t seed;        /* same seed, same folds, for every trial */
} hpo__cv_spec;

/* Splits of the given rows (all rows when rows == NULL; n_rows is then
 * ignored) of d.  HOLDOUT and REPEATED stratify when d has classes.
 * Train and test lists come out ascending; the folds depend on the set of
 * rows and the seed only (cv.c states the guarantees). */
int hpo__cv_split(const hpo__dataset *d, const int *rows, int n_rows,
                  const hpo__cv_spec *spec, hpo__folds *out, hpo__msg *m);
void hpo__folds_free(hpo__folds *f);

/* ---- metrics --------------------------------------------------------------- */

typedef enum hpo__metric {
    HPO__METRIC_ERROR,    /* misclassification rate (minimize) */
    HPO__METRIC_ACCURACY, /* maximize */
    HPO__METRIC_LOGLOSS,  /* needs probabilities */
    HPO__METRIC_AUC,      /* binary; needs scores (maximize) */
    HPO__METRIC_RMSE,
    HPO__METRIC_MAE
} hpo__metric;

/* y: true targets; pred: predicted labels (error, accuracy), values (rmse,
 * mae), or for logloss/AUC the probability/score of each class
 * (n x n_classes, row-major; binary AUC uses column 1).  rows == NULL
 * means rows 0..n-1.  NaN when the metric does not apply (n == 0, logloss
 * or AUC without class labels, AUC with one class among the rows). */
double hpo__metric_compute(hpo__metric metric, const hpo__dataset *d,
                           const int *rows, int n, const double *pred);
int hpo__metric_parse(const char *name, hpo__metric *out, hpo__msg *m);
const char *hpo__metric_name(hpo__metric metric);
int hpo__metric_maximize(hpo__metric metric);

#endif
