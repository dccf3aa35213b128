/*
 * cv.c — hold-out, k-fold, stratified k-fold and repeated k-fold splits as
 * lists of row indices, fixed by a seed (Kohavi, "A study of
 * cross-validation and bootstrap for accuracy estimation and model
 * selection", IJCAI 1995, recommends stratified 10-fold).
 *
 * One scheme serves every kind.  The rows are put in a random order
 * (Fisher–Yates with the project rng; Knuth, TAOCP vol. 2, 3.4.2,
 * Algorithm P), grouped by class when stratifying (a stable counting sort,
 * so each class keeps its random order), then dealt: position j goes to
 * fold j mod k, or, for a hold-out, to the test set when
 * floor((j+1)t/n) > floor(jt/n), which picks t = round(fraction * n) rows
 * spread evenly over the positions.  Hence:
 *   1. every row is in exactly one test fold per repetition, and its
 *      training set is the complement;
 *   2. fold sizes differ by at most one row;
 *   3. stratified: a class of n_c rows has floor(n_c/k) or ceil(n_c/k) rows
 *      in each fold (its rows occupy consecutive positions), and a
 *      stratified hold-out has floor or ceil of n_c * t / n test rows;
 *   4. the same seed gives the same folds; repetition r draws from
 *      hpo__rng_derive(seed, r), so repetition 0 of a repeated split equals
 *      the plain split with the same seed.
 * The rows given are sorted first, so the folds depend on the set of rows,
 * not on their order, and train and test lists come out ascending.
 * Deviation from scikit-learn: a class with fewer than k rows is allowed
 * without a warning (it is then missing from some test folds).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml.h"

void hpo__folds_free(hpo__folds *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++) {
        free(f->v[i].train);
        free(f->v[i].test);
    }
    free(f->v);
    f->v = NULL;
    f->n = 0;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The rows to split, sorted, checked for range and repeats. */
static int subset_rows(const hpo__dataset *d, const int *rows, int n_rows,
                       int **out, int *n_out, hpo__msg *m)
{
    int n = rows ? n_rows : d->n_rows;
    if (n < 0)
        return hpo__fail(m, HPO_EINVAL, "a negative number of rows (%d)", n);
    int *sorted = malloc(sizeof *sorted * (size_t)(n ? n : 1));
    if (!sorted)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        sorted[i] = rows ? rows[i] : i;
    qsort(sorted, (size_t)n, sizeof *sorted, compare_ints);
    for (int i = 0; i < n; i++) {
        int bad_range = sorted[i] < 0 || sorted[i] >= d->n_rows;
        if (bad_range || (i > 0 && sorted[i] == sorted[i - 1])) {
            int row = sorted[i];
            free(sorted);
            return bad_range
                ? hpo__fail(m, HPO_EINVAL, "row %d is outside the data set "
                            "(%d rows)", row, d->n_rows)
                : hpo__fail(m, HPO_EINVAL, "row %d is listed twice", row);
        }
    }
    *out = sorted;
    *n_out = n;
    return HPO_OK;
}

static int stratifies(const hpo__dataset *d, const hpo__cv_spec *spec)
{
    if (spec->kind == HPO__CV_STRATIFIED)
        return 1;
    return spec->kind != HPO__CV_KFOLD && hpo__data_task(d) == HPO__CLASSIFICATION;
}

static int check_spec(const hpo__dataset *d, const hpo__cv_spec *spec, int n,
                      hpo__msg *m)
{
    if (spec->kind == HPO__CV_HOLDOUT) {
        if (!(spec->test_fraction > 0 && spec->test_fraction < 1))
            return hpo__fail(m, HPO_EINVAL, "the hold-out test fraction must be "
                             "in (0, 1), not %g", spec->test_fraction);
        if (n < 2)
            return hpo__fail(m, HPO_EINVAL, "a hold-out split needs at least 2 "
                             "rows; there %s %d", n == 1 ? "is" : "are", n);
        return HPO_OK;
    }
    if (spec->kind != HPO__CV_KFOLD && spec->kind != HPO__CV_STRATIFIED &&
        spec->kind != HPO__CV_REPEATED)
        return hpo__fail(m, HPO_EINVAL, "unknown kind of split (%d)", (int)spec->kind);
    if (spec->k < 2)
        return hpo__fail(m, HPO_EINVAL, "k-fold cross-validation needs k >= 2, "
                         "not %d", spec->k);
    if (spec->k > n)
        return hpo__fail(m, HPO_EINVAL, "%d folds need at least %d rows; there "
                         "%s %d", spec->k, spec->k, n == 1 ? "is" : "are", n);
    if (spec->kind == HPO__CV_REPEATED &&
        (spec->repeats < 1 || spec->repeats > INT_MAX / spec->k))
        return hpo__fail(m, HPO_EINVAL, "repeated cross-validation needs "
                         "repeats >= 1, not %d", spec->repeats);
    if (spec->kind == HPO__CV_STRATIFIED && hpo__data_task(d) != HPO__CLASSIFICATION)
        return hpo__fail(m, HPO_EINVAL, "stratified folds need class labels; "
                         "%s's target '%s' is a regression target",
                         d->source ? d->source : "the data",
                         d->target_name ? d->target_name : "?");
    return HPO_OK;
}

/* Positions 0..n-1 of `rows` in random order, grouped by class when
 * stratifying (counting sort, stable, so the random order survives within
 * each class). */
static int deal_order(const hpo__dataset *d, const int *rows, int n, int stratify,
                      hpo__rng *rng, int *order)
{
    hpo__rng_permutation(rng, order, n);
    if (!stratify)
        return HPO_OK;
    int c = d->n_classes;
    int *start = calloc((size_t)c + 1, sizeof *start);
    int *grouped = malloc(sizeof *grouped * (size_t)(n ? n : 1));
    if (!start || !grouped) {
        free(start);
        free(grouped);
        return HPO_ENOMEM;
    }
    for (int i = 0; i < n; i++)
        start[d->class_of[rows[i]] + 1]++;
    for (int k = 0; k < c; k++)
        start[k + 1] += start[k];
    for (int i = 0; i < n; i++)
        grouped[start[d->class_of[rows[order[i]]]]++] = order[i];
    memcpy(order, grouped, sizeof *order * (size_t)n);
    free(start);
    free(grouped);
    return HPO_OK;
}

/* Split number `fold` of a dealing: test = positions with part_of == fold. */
static int make_split(hpo__split *s, const int *rows, int n, const int *part_of,
                      int fold)
{
    int n_test = 0;
    for (int i = 0; i < n; i++)
        n_test += part_of[i] == fold;
    s->n_test = n_test;
    s->n_train = n - n_test;
    s->test = malloc(sizeof *s->test * (size_t)(n_test ? n_test : 1));
    s->train = malloc(sizeof *s->train * (size_t)(n - n_test ? n - n_test : 1));
    if (!s->test || !s->train)
        return HPO_ENOMEM;
    for (int i = 0, a = 0, b = 0; i < n; i++) {
        if (part_of[i] == fold)
            s->test[a++] = rows[i];
        else
            s->train[b++] = rows[i];
    }
    return HPO_OK;
}

/* One repetition: its k splits (or the single hold-out split) into out. */
static int split_once(const hpo__dataset *d, const int *rows, int n,
                      const hpo__cv_spec *spec, uint64_t repeat, hpo__split *out)
{
    int holdout = spec->kind == HPO__CV_HOLDOUT;
    int k = holdout ? 1 : spec->k;
    int *order = malloc(sizeof *order * (size_t)n);
    int *part_of = malloc(sizeof *part_of * (size_t)n);
    hpo__rng rng;
    hpo__rng_derive(&rng, spec->seed, repeat);
    int rc = order && part_of ? deal_order(d, rows, n, stratifies(d, spec), &rng, order)
                              : HPO_ENOMEM;
    if (rc == HPO_OK) {
        int64_t t = llround(spec->test_fraction * n);
        t = t < 1 ? 1 : t > n - 1 ? n - 1 : t;
        for (int j = 0; j < n; j++)
            part_of[order[j]] = !holdout ? j % k
                              : ((j + 1) * t / n > j * t / n) ? 0 : -1;
    }
    for (int f = 0; rc == HPO_OK && f < k; f++)
        rc = make_split(&out[f], rows, n, part_of, f);
    free(order);
    free(part_of);
    return rc;
}

int hpo__cv_split(const hpo__dataset *d, const int *rows, int n_rows,
                  const hpo__cv_spec *spec, hpo__folds *out, hpo__msg *m)
{
    memset(out, 0, sizeof *out);
    int *sorted = NULL, n = 0;
    int rc = subset_rows(d, rows, n_rows, &sorted, &n, m);
    if (rc != HPO_OK)
        return rc;
    rc = check_spec(d, spec, n, m);
    int repeats = spec->kind == HPO__CV_REPEATED ? spec->repeats : 1;
    int per_repeat = spec->kind == HPO__CV_HOLDOUT ? 1 : spec->k;
    if (rc == HPO_OK) {
        out->v = calloc((size_t)repeats * (size_t)per_repeat, sizeof *out->v);
        out->n = out->v ? repeats * per_repeat : 0;
        rc = out->v ? HPO_OK : hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    for (int r = 0; rc == HPO_OK && r < repeats; r++)
        if (split_once(d, sorted, n, spec, (uint64_t)r, out->v + r * per_repeat) != HPO_OK)
            rc = hpo__fail(m, HPO_ENOMEM, "out of memory");
    free(sorted);
    if (rc != HPO_OK)
        hpo__folds_free(out);
    return rc;
}
