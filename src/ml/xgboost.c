/*
 * xgboost.c — gradient-boosted trees through XGBoost's C API (Chen &
 * Guestrin, "XGBoost: a scalable tree boosting system", KDD 2016).
 *
 * The objective follows the task: binary:logistic for two classes,
 * multi:softprob for more, reg:squarederror for regression.  Trees are
 * grown with the histogram method (tree_method=hist), on one thread
 * (nthread=1: XGBoost's default of every core spin-waits when the machine
 * is shared), with a fixed seed, so that a configuration gives the same
 * model every time.
 *
 * The number of boosting rounds is the learner's fidelity: fit_start
 * prepares the booster and each fit_step adds one round, so hpo__evaluate
 * can score every fold after each round and let a pruner stop a poor
 * configuration early.  The fold's test rows, when given as eval rows, are
 * kept as a matrix in the booster's prediction cache: scoring them after
 * each round costs only the newest tree.
 *
 * Deliberate differences from XGBoost's own defaults: nthread=1, and
 * num_round defaults to 100 (xgboost.train's default is 10); features are
 * never standardized (trees do not need it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "learner.h"
#include "../core/lazy_lib.h"

/* XGBoost is opened when a booster is first made (lazy_lib.h): with
 * libstdc++ and its registries it is the costliest start of all hpo's
 * libraries, and most runs of hpo never fit a tree. */
#define XGB_FUNCTIONS(X, t)                                                   \
    X(t, XGBGetLastError) X(t, XGBoosterCreate) X(t, XGBoosterFree)           \
    X(t, XGBoosterPredictFromDMatrix) X(t, XGBoosterSetParam)                 \
    X(t, XGBoosterUpdateOneIter) X(t, XGDMatrixCreateFromMat_omp)             \
    X(t, XGDMatrixFree) X(t, XGDMatrixSetFloatInfo)
HPO__LAZY_LIBRARY(xgb, XGB_FUNCTIONS, HPO_SONAME_XGBOOST, "libxgboost0");

static const hpo__learner_param xgb_params[] = {
    {"eta", "float:0.005:0.5:log", 1, "0.3", HPO__TASKS_ALL,
     "learning rate (shrinkage of each tree)"},
    {"max_depth", "int:1:10", 1, "6", HPO__TASKS_ALL, "depth of each tree"},
    {"subsample", "float:0.5:1", 1, "1", HPO__TASKS_ALL,
     "fraction of rows each tree sees"},
    {"colsample_bytree", "float:0.5:1", 1, "1", HPO__TASKS_ALL,
     "fraction of features each tree sees"},
    {"min_child_weight", "float:0.1:20:log", 1, "1", HPO__TASKS_ALL,
     "least hessian weight in a leaf"},
    {"lambda", "float:0.001:10:log", 1, "1", HPO__TASKS_ALL,
     "L2 regularization of leaf weights"},
    {"alpha", "float:0.001:10:log", 1, "0", HPO__TASKS_ALL,
     "L1 regularization of leaf weights"},
    {"num_round", "int:10:500:log", 0, "100", HPO__TASKS_ALL,
     "boosting rounds (the fidelity: reported round by round)"},
};

enum { OBJ_BINARY, OBJ_MULTI, OBJ_REGRESSION };

typedef struct xgb_fit {
    BoosterHandle booster;
    DMatrixHandle train;
    DMatrixHandle eval;    /* the eval rows, or NULL */
    const int *eval_rows;  /* compared by address in predict, never read */
    int n_eval;
    int objective;
    int rounds_done, num_round;
} xgb_fit;

/* XGBoost's calls return 0 or -1 with the reason in xgb.XGBGetLastError(). */
static int xgb_fail(hpo__msg *m)
{
    return hpo__fail(m, HPO_EFAIL, "xgboost: %s", xgb.XGBGetLastError());
}

static void xgb_fit_free(void *model)
{
    xgb_fit *f = model;
    if (!f)
        return;
    if (f->booster)
        xgb.XGBoosterFree(f->booster);
    if (f->train)
        xgb.XGDMatrixFree(f->train);
    if (f->eval)
        xgb.XGDMatrixFree(f->eval);
    free(f);
}

/* The rows as an XGBoost matrix (floats; NaN would mean missing, and real
 * data has none here), labelled when `label` is set. */
static int make_matrix(const hpo__dataset *d, const int *rows, int n,
                       int objective, int label, DMatrixHandle *out,
                       hpo__msg *m)
{
    int nf = d->n_features;
    float *x = malloc(((size_t)n * nf + 1) * sizeof *x);
    float *y = malloc(((size_t)n + 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        const double *row = d->x + (size_t)rows[i] * nf;
        for (int j = 0; j < nf; j++)
            x[(size_t)i * nf + j] = (float)row[j];
        /* Classes as 0 .. n_classes-1: binary:logistic needs 0/1. */
        y[i] = (float)(objective == OBJ_REGRESSION ? d->y[rows[i]]
                                                   : d->class_of[rows[i]]);
    }
    int rc = HPO_OK;
    if (xgb.XGDMatrixCreateFromMat_omp(x, (bst_ulong)n, (bst_ulong)nf, NAN, out,
                                       1) != 0)
        rc = xgb_fail(m);
    else if (label && xgb.XGDMatrixSetFloatInfo(*out, "label", y,
                                                (bst_ulong)n) != 0)
        rc = xgb_fail(m);
    free(x);
    free(y);
    return rc;
}

static int set_param(BoosterHandle b, const char *name, const char *value,
                     hpo__msg *m)
{
    return xgb.XGBoosterSetParam(b, name, value) == 0 ? HPO_OK : xgb_fail(m);
}

static int set_number(BoosterHandle b, const char *name, double v,
                      hpo__msg *m)
{
    char buf[40];
    hpo__format_double(buf, sizeof buf, v);
    return set_param(b, name, buf, m);
}

/* The tuned hyperparameters, checked, then handed to the booster. */
static int apply_params(xgb_fit *f, const hpo__fit_input *in, hpo__msg *m)
{
    static const char *const names[] = {"eta", "subsample",
                                        "colsample_bytree",
                                        "min_child_weight", "lambda",
                                        "alpha"};
    const hpo__learner_type *t = &hpo__learner_xgboost;
    double v[6];
    int depth, rc;
    for (int i = 0; i < 6; i++)
        if ((rc = hpo__learner_number(t, in->params, names[i], &v[i], m)))
            return rc;
    if ((rc = hpo__learner_int(t, in->params, "max_depth", &depth, m)) ||
        (rc = hpo__learner_int(t, in->params, "num_round", &f->num_round,
                               m)))
        return rc;
    if (!(v[0] > 0) || !(v[1] > 0 && v[1] <= 1) || !(v[2] > 0 && v[2] <= 1) ||
        !(v[3] >= 0) || !(v[4] >= 0) || !(v[5] >= 0) || depth < 0 ||
        f->num_round < 1)
        return hpo__fail(m, HPO_EINVAL, "xgboost: eta > 0, 0 < subsample, "
                         "colsample_bytree <= 1, max_depth >= 0, "
                         "min_child_weight, lambda, alpha >= 0 and "
                         "num_round >= 1");
    for (int i = 0; i < 6; i++)
        if ((rc = set_number(f->booster, names[i], v[i], m)))
            return rc;
    return set_number(f->booster, "max_depth", depth, m);
}

static int configure(xgb_fit *f, const hpo__fit_input *in, hpo__msg *m)
{
    static const char *const objectives[] = {
        "binary:logistic", "multi:softprob", "reg:squarederror"};
    int rc;
    if ((rc = set_param(f->booster, "objective", objectives[f->objective],
                        m)) ||
        (rc = set_param(f->booster, "nthread", "1", m)) ||
        (rc = set_param(f->booster, "seed", "0", m)) ||
        (rc = set_param(f->booster, "tree_method", "hist", m)) ||
        (rc = set_param(f->booster, "verbosity", "0", m)))
        return rc;
    if (f->objective == OBJ_MULTI &&
        (rc = set_number(f->booster, "num_class", in->d->n_classes, m)))
        return rc;
    return apply_params(f, in, m);
}

static int xgb_fit_start(const hpo__fit_input *in, void **model, hpo__msg *m)
{
    *model = NULL;
    const hpo__dataset *d = in->d;
    if (in->n_rows < 1)
        return hpo__fail(m, HPO_EINVAL, "xgboost: no training rows");
    const char *why = hpo__lazy_lib_load(&xgb_lib);
    if (why)
        return hpo__fail(m, HPO_EFAIL, "xgboost: %s", why);
    xgb_fit *f = calloc(1, sizeof *f);
    if (!f)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    f->objective = hpo__data_task(d) == HPO__REGRESSION ? OBJ_REGRESSION
                   : d->n_classes > 2                  ? OBJ_MULTI
                                                       : OBJ_BINARY;
    int rc = make_matrix(d, in->rows, in->n_rows, f->objective, 1,
                         &f->train, m);
    if (rc == HPO_OK && in->eval_rows && in->n_eval > 0) {
        rc = make_matrix(d, in->eval_rows, in->n_eval, f->objective, 0,
                         &f->eval, m);
        f->eval_rows = in->eval_rows;
        f->n_eval = in->n_eval;
    }
    if (rc == HPO_OK) {
        DMatrixHandle cache[2] = {f->train, f->eval};
        if (xgb.XGBoosterCreate(cache, f->eval ? 2 : 1, &f->booster) != 0)
            rc = xgb_fail(m);
    }
    if (rc == HPO_OK)
        rc = configure(f, in, m);
    if (rc != HPO_OK) {
        xgb_fit_free(f);
        return rc;
    }
    *model = f;
    return HPO_OK;
}

static int xgb_fit_step(void *model, hpo__msg *m)
{
    xgb_fit *f = model;
    if (xgb.XGBoosterUpdateOneIter(f->booster, f->rounds_done, f->train) != 0)
        return xgb_fail(m);
    f->rounds_done++;
    return HPO_OK;
}

static int xgb_fit_rows(const hpo__fit_input *in, void **model, hpo__msg *m)
{
    int rc = xgb_fit_start(in, model, m);
    xgb_fit *f = *model;
    while (rc == HPO_OK && f->rounds_done < f->num_round)
        rc = xgb_fit_step(f, m);
    if (rc != HPO_OK) {
        xgb_fit_free(f);
        *model = NULL;
    }
    return rc;
}

/* Turn XGBoost's predictions (P(class 1), class probabilities, or values)
 * into the output asked for. */
static void convert(const xgb_fit *f, const hpo__dataset *d, const float *p,
                    int n, hpo__output output, double *out)
{
    int k = d->n_classes;
    for (int i = 0; i < n; i++) {
        if (f->objective == OBJ_REGRESSION) {
            out[i] = p[i];
        } else if (f->objective == OBJ_BINARY) {
            if (output == HPO__OUTPUT_PROBA || output == HPO__OUTPUT_SCORE) {
                out[2 * i] = 1.0 - p[i];
                out[2 * i + 1] = p[i];
            } else {
                out[i] = d->classes[p[i] > 0.5f ? 1 : 0];
            }
        } else if (output == HPO__OUTPUT_PROBA ||
                   output == HPO__OUTPUT_SCORE) {
            for (int c = 0; c < k; c++)
                out[(size_t)i * k + c] = p[(size_t)i * k + c];
        } else {
            int best = 0;
            for (int c = 1; c < k; c++)
                if (p[(size_t)i * k + c] > p[(size_t)i * k + best])
                    best = c;
            out[i] = d->classes[best];
        }
    }
}

static int xgb_predict_rows(void *model, const hpo__dataset *d,
                            const int *rows, int n, hpo__output output,
                            double *out, hpo__msg *m)
{
    xgb_fit *f = model;
    int regression = f->objective == OBJ_REGRESSION;
    if (regression &&
        (output == HPO__OUTPUT_PROBA || output == HPO__OUTPUT_SCORE))
        return hpo__fail(m, HPO_EINVAL, "xgboost: a regression model has no "
                         "class probabilities or scores");
    if (n == 0)
        return HPO_OK;
    DMatrixHandle mat = NULL;
    int own = !(f->eval && rows == f->eval_rows && n == f->n_eval);
    int rc = own ? make_matrix(d, rows, n, f->objective, 0, &mat, m) : HPO_OK;
    if (!own)
        mat = f->eval;
    if (rc != HPO_OK)
        return rc;
    static const char config[] =
        "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
        "\"iteration_end\": 0, \"strict_shape\": false}";
    const bst_ulong *shape;
    bst_ulong dim;
    const float *pred;
    if (xgb.XGBoosterPredictFromDMatrix(f->booster, mat, config, &shape, &dim,
                                        &pred) != 0)
        rc = xgb_fail(m);
    else
        convert(f, d, pred, n, output, out);
    if (own)
        xgb.XGDMatrixFree(mat);
    return rc;
}

const hpo__learner_type hpo__learner_xgboost = {
    .version = HPO__LEARNER_VERSION,
    .name = "xgboost",
    .summary = "XGBoost: gradient-boosted trees (hist); boosting rounds "
               "as the fidelity",
    .tasks = HPO__TASKS_ALL,
    .n_params = (int)(sizeof xgb_params / sizeof xgb_params[0]),
    .params = xgb_params,
    .fidelity = "num_round",
    .fit = xgb_fit_rows,
    .fit_start = xgb_fit_start,
    .fit_step = xgb_fit_step,
    .predict = xgb_predict_rows,
    .free_model = xgb_fit_free,
};
