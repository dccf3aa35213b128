/* test_cv.c — the splits: exact partitions, class ratios within one row,
 * the same folds for the same seed, repeated and hold-out splits, splits of
 * a subset (nested CV), and the errors. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ml/ml.h"

static const char *data_dir(void)
{
    const char *dir = getenv("HPO_DATA_DIR");
    return dir && *dir ? dir : HPO_SOURCE_DIR "/../shared/data";
}

static void load(hpo__dataset *d, const char *name)
{
    char path[4096];
    hpo__msg m = {0};
    snprintf(path, sizeof path, "%s/%s", data_dir(), name);
    if (hpo__data_load(d, path, NULL, &m) != HPO_OK) {
        fprintf(stderr, "cannot load %s: %s (set HPO_DATA_DIR)\n", path, hpo__msg_get(&m));
        exit(1);
    }
    hpo__msg_free(&m);
}

static int ascending(const int *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i] <= v[i - 1])
            return 0;
    return 1;
}

/* Splits first..first+k-1 are one repetition over `rows` (n of them,
 * NULL = all of d): every row in exactly one test fold, train = the
 * complement, fold sizes within one row, lists ascending. */
static int is_partition(const hpo__dataset *d, const int *rows, int n,
                        const hpo__folds *f, int first, int k)
{
    int ok = 1;
    int *in_subset = calloc((size_t)d->n_rows, sizeof *in_subset);
    int *tested = calloc((size_t)d->n_rows, sizeof *tested);
    for (int i = 0; i < n; i++)
        in_subset[rows ? rows[i] : i] = 1;
    int min_size = n, max_size = 0;
    for (int s = first; s < first + k; s++) {
        const hpo__split *sp = &f->v[s];
        ok &= sp->n_test + sp->n_train == n;
        ok &= ascending(sp->test, sp->n_test) && ascending(sp->train, sp->n_train);
        int *in_test = calloc((size_t)d->n_rows, sizeof *in_test);
        for (int i = 0; i < sp->n_test; i++) {
            ok &= in_subset[sp->test[i]];
            tested[sp->test[i]]++;
            in_test[sp->test[i]] = 1;
        }
        for (int i = 0; i < sp->n_train; i++)
            ok &= in_subset[sp->train[i]] && !in_test[sp->train[i]];
        free(in_test);
        min_size = sp->n_test < min_size ? sp->n_test : min_size;
        max_size = sp->n_test > max_size ? sp->n_test : max_size;
    }
    for (int r = 0; r < d->n_rows; r++)
        ok &= tested[r] == in_subset[r];
    ok &= max_size - min_size <= 1;
    free(in_subset);
    free(tested);
    return ok;
}

/* Each test fold holds floor(n_c/k) or ceil(n_c/k) rows of every class c,
 * n_c counted over `rows`. */
static int class_counts_within_one(const hpo__dataset *d, const int *rows, int n,
                                   const hpo__folds *f, int first, int k)
{
    int ok = 1;
    int *total = calloc((size_t)d->n_classes, sizeof *total);
    for (int i = 0; i < n; i++)
        total[d->class_of[rows ? rows[i] : i]]++;
    for (int s = first; s < first + k; s++) {
        int *count = calloc((size_t)d->n_classes, sizeof *count);
        for (int i = 0; i < f->v[s].n_test; i++)
            count[d->class_of[f->v[s].test[i]]]++;
        for (int c = 0; c < d->n_classes; c++)
            ok &= count[c] == total[c] / k || count[c] == (total[c] + k - 1) / k;
        free(count);
    }
    free(total);
    return ok;
}

static int same_folds(const hpo__folds *a, const hpo__folds *b)
{
    if (a->n != b->n)
        return 0;
    for (int s = 0; s < a->n; s++) {
        if (a->v[s].n_test != b->v[s].n_test || a->v[s].n_train != b->v[s].n_train)
            return 0;
        if (memcmp(a->v[s].test, b->v[s].test, sizeof(int) * (size_t)a->v[s].n_test) ||
            memcmp(a->v[s].train, b->v[s].train, sizeof(int) * (size_t)a->v[s].n_train))
            return 0;
    }
    return 1;
}

static void test_kfold_partitions(void)
{
    hpo__dataset d;
    load(&d, "breast_cancer.csv");
    hpo__msg m = {0};
    int ks[] = {2, 3, 5, 10, 569};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        hpo__cv_spec spec = {.kind = HPO__CV_KFOLD, .k = ks[i], .seed = 42};
        hpo__folds f;
        CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &f, &m), HPO_OK);
        CHECK(f.n == ks[i]);
        CHECK(is_partition(&d, NULL, d.n_rows, &f, 0, ks[i]));
        hpo__folds_free(&f);
        CHECK(f.n == 0 && f.v == NULL);
    }
    /* A plain k-fold is really shuffled: fold 0 is not rows 0..113. */
    hpo__cv_spec spec = {.kind = HPO__CV_KFOLD, .k = 5, .seed = 1};
    hpo__folds f;
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &f, &m), HPO_OK);
    CHECK(f.v[0].test[f.v[0].n_test - 1] > 2 * f.v[0].n_test);
    hpo__folds_free(&f);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_stratified_keeps_ratios(void)
{
    const char *sets[] = {"breast_cancer.csv", "heart_scale.libsvm", "digits.csv"};
    int ks[] = {3, 5, 10, 7};
    hpo__msg m = {0};
    for (int s = 0; s < 3; s++) {
        hpo__dataset d;
        load(&d, sets[s]);
        for (int i = 0; i < 4; i++) {
            hpo__cv_spec spec = {.kind = HPO__CV_STRATIFIED, .k = ks[i], .seed = 7};
            hpo__folds f;
            CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &f, &m), HPO_OK);
            CHECK(is_partition(&d, NULL, d.n_rows, &f, 0, ks[i]));
            CHECK(class_counts_within_one(&d, NULL, d.n_rows, &f, 0, ks[i]));
            hpo__folds_free(&f);
        }
        hpo__data_free(&d);
    }
    hpo__msg_free(&m);
}

/* A tiny set where one class is smaller than k: still a partition. */
static void test_stratified_small_class(void)
{
    double y[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2};
    int class_of[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2};
    double classes[] = {0, 1, 2}, x[10] = {0};
    hpo__dataset d = {.n_rows = 10, .n_features = 1, .x = x, .y = y,
                      .n_classes = 3, .classes = classes, .class_of = class_of};
    hpo__msg m = {0};
    for (uint64_t seed = 0; seed < 20; seed++) {
        hpo__cv_spec spec = {.kind = HPO__CV_STRATIFIED, .k = 4, .seed = seed};
        hpo__folds f;
        CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &f, &m), HPO_OK);
        CHECK(is_partition(&d, NULL, 10, &f, 0, 4));
        CHECK(class_counts_within_one(&d, NULL, 10, &f, 0, 4));
        hpo__folds_free(&f);
    }
    hpo__msg_free(&m);
}

static void test_same_seed_same_folds(void)
{
    hpo__dataset d;
    load(&d, "heart_scale.libsvm");
    hpo__msg m = {0};
    hpo__cv_kind kinds[] = {HPO__CV_KFOLD, HPO__CV_STRATIFIED, HPO__CV_REPEATED,
                            HPO__CV_HOLDOUT};
    for (int i = 0; i < 4; i++) {
        hpo__cv_spec spec = {.kind = kinds[i], .k = 5, .repeats = 3,
                             .test_fraction = 0.25, .seed = 123};
        hpo__folds a, b, c;
        CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &a, &m), HPO_OK);
        CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &b, &m), HPO_OK);
        spec.seed = 124;
        CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &c, &m), HPO_OK);
        CHECK(same_folds(&a, &b));
        CHECK(!same_folds(&a, &c));
        hpo__folds_free(&a);
        hpo__folds_free(&b);
        hpo__folds_free(&c);
    }
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_repeated(void)
{
    hpo__dataset d;
    load(&d, "breast_cancer.csv");
    hpo__msg m = {0};
    hpo__cv_spec spec = {.kind = HPO__CV_REPEATED, .k = 5, .repeats = 4, .seed = 9};
    hpo__folds rep, one;
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &rep, &m), HPO_OK);
    CHECK(rep.n == 20);
    for (int r = 0; r < 4; r++) {
        CHECK(is_partition(&d, NULL, d.n_rows, &rep, 5 * r, 5));
        CHECK(class_counts_within_one(&d, NULL, d.n_rows, &rep, 5 * r, 5));
    }
    /* The repetitions differ from each other ... */
    hpo__folds first = {5, rep.v}, second = {5, rep.v + 5};
    CHECK(!same_folds(&first, &second));
    /* ... and the first is the stratified split with the same seed. */
    hpo__cv_spec strat = {.kind = HPO__CV_STRATIFIED, .k = 5, .seed = 9};
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &strat, &one, &m), HPO_OK);
    CHECK(same_folds(&first, &one));
    hpo__folds_free(&one);
    hpo__folds_free(&rep);
    hpo__data_free(&d);

    /* A regression target: repetitions of plain k-fold. */
    load(&d, "diabetes.csv");
    spec.k = 10;
    spec.repeats = 2;
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &rep, &m), HPO_OK);
    CHECK(rep.n == 20);
    CHECK(is_partition(&d, NULL, d.n_rows, &rep, 0, 10));
    CHECK(is_partition(&d, NULL, d.n_rows, &rep, 10, 10));
    hpo__cv_spec kfold = {.kind = HPO__CV_KFOLD, .k = 10, .seed = 9};
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &kfold, &one, &m), HPO_OK);
    first.v = rep.v;
    first.n = 10;
    CHECK(same_folds(&first, &one));
    hpo__folds_free(&one);
    hpo__folds_free(&rep);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_holdout(void)
{
    hpo__dataset d;
    load(&d, "breast_cancer.csv");
    hpo__msg m = {0};
    double fractions[] = {0.2, 0.25, 1.0 / 3, 0.5, 0.9};
    for (int i = 0; i < 5; i++) {
        hpo__cv_spec spec = {.kind = HPO__CV_HOLDOUT, .test_fraction = fractions[i],
                             .seed = 3};
        hpo__folds f;
        CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &f, &m), HPO_OK);
        CHECK(f.n == 1);
        CHECK(f.v[0].n_test == (int)lround(fractions[i] * 569));
        /* Test and train together are all the rows. */
        int ok = f.v[0].n_test + f.v[0].n_train == 569 &&
                 ascending(f.v[0].test, f.v[0].n_test) &&
                 ascending(f.v[0].train, f.v[0].n_train);
        CHECK(ok);
        int seen[569] = {0}, once = 1;
        for (int j = 0; j < f.v[0].n_test; j++)
            seen[f.v[0].test[j]]++;
        for (int j = 0; j < f.v[0].n_train; j++)
            seen[f.v[0].train[j]]++;
        for (int r = 0; r < 569; r++)
            once &= seen[r] == 1;
        CHECK(once);
        /* Stratified: 212 malignant rows -> floor or ceil of 212 * t / 569. */
        int malignant = 0;
        for (int j = 0; j < f.v[0].n_test; j++)
            malignant += d.class_of[f.v[0].test[j]] == 0;
        double share = 212.0 * f.v[0].n_test / 569;
        CHECK(malignant == (int)floor(share) || malignant == (int)ceil(share));
        hpo__folds_free(&f);
    }
    /* Tiny: at least one row on each side. */
    int two[] = {5, 9};
    hpo__cv_spec spec = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.01, .seed = 3};
    hpo__folds f;
    CHECK_RC(hpo__cv_split(&d, two, 2, &spec, &f, &m), HPO_OK);
    CHECK(f.v[0].n_test == 1 && f.v[0].n_train == 1);
    CHECK(f.v[0].test[0] + f.v[0].train[0] == 14);
    hpo__folds_free(&f);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

/* Nested CV splits the outer training rows again: the inner folds hold
 * only those rows, partition them, and keep the class ratios. */
static void test_subset_for_nested_cv(void)
{
    hpo__dataset d;
    load(&d, "breast_cancer.csv");
    hpo__msg m = {0};
    hpo__cv_spec outer_spec = {.kind = HPO__CV_STRATIFIED, .k = 5, .seed = 11};
    hpo__folds outer;
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &outer_spec, &outer, &m), HPO_OK);
    for (int o = 0; o < outer.n; o++) {
        const hpo__split *os = &outer.v[o];
        hpo__cv_kind kinds[] = {HPO__CV_KFOLD, HPO__CV_STRATIFIED};
        for (int kk = 0; kk < 2; kk++) {
            hpo__cv_spec inner_spec = {.kind = kinds[kk], .k = 3, .seed = 12};
            hpo__folds inner;
            CHECK_RC(hpo__cv_split(&d, os->train, os->n_train, &inner_spec, &inner, &m),
                     HPO_OK);
            CHECK(is_partition(&d, os->train, os->n_train, &inner, 0, 3));
            if (kinds[kk] == HPO__CV_STRATIFIED)
                CHECK(class_counts_within_one(&d, os->train, os->n_train, &inner, 0, 3));
            /* No outer test row anywhere in the inner splits. */
            char *outer_test = calloc(569, 1);
            for (int i = 0; i < os->n_test; i++)
                outer_test[os->test[i]] = 1;
            int leaked = 0;
            for (int s = 0; s < inner.n; s++) {
                for (int i = 0; i < inner.v[s].n_test; i++)
                    leaked += outer_test[inner.v[s].test[i]];
                for (int i = 0; i < inner.v[s].n_train; i++)
                    leaked += outer_test[inner.v[s].train[i]];
            }
            CHECK(leaked == 0);
            free(outer_test);
            hpo__folds_free(&inner);
        }
    }
    /* The folds depend on the set of rows, not their order. */
    const hpo__split *os = &outer.v[0];
    int *reversed = malloc(sizeof *reversed * (size_t)os->n_train);
    for (int i = 0; i < os->n_train; i++)
        reversed[i] = os->train[os->n_train - 1 - i];
    hpo__cv_spec spec = {.kind = HPO__CV_STRATIFIED, .k = 4, .seed = 5};
    hpo__folds a, b;
    CHECK_RC(hpo__cv_split(&d, os->train, os->n_train, &spec, &a, &m), HPO_OK);
    CHECK_RC(hpo__cv_split(&d, reversed, os->n_train, &spec, &b, &m), HPO_OK);
    CHECK(same_folds(&a, &b));
    hpo__folds_free(&a);
    hpo__folds_free(&b);
    free(reversed);
    hpo__folds_free(&outer);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void expect_error(const hpo__dataset *d, const int *rows, int n,
                         hpo__cv_spec spec, const char *text)
{
    hpo__folds f = {7, NULL};
    hpo__msg m = {0};
    CHECK_RC(hpo__cv_split(d, rows, n, &spec, &f, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), text);
    CHECK(f.n == 0 && f.v == NULL);
    hpo__msg_free(&m);
}

static void test_errors(void)
{
    hpo__dataset d;
    load(&d, "heart_scale.libsvm");
    int three[] = {0, 1, 2}, twice[] = {4, 1, 4}, outside[] = {0, 270};
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_KFOLD, .k = 1},
                 "needs k >= 2, not 1");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_STRATIFIED, .k = 0},
                 "needs k >= 2, not 0");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_KFOLD, .k = 271},
                 "271 folds need at least 271 rows; there are 270");
    expect_error(&d, three, 3, (hpo__cv_spec){.kind = HPO__CV_KFOLD, .k = 5},
                 "5 folds need at least 5 rows; there are 3");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_REPEATED, .k = 5},
                 "needs repeats >= 1, not 0");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_HOLDOUT}, "in (0, 1), not 0");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_HOLDOUT, .test_fraction = 1},
                 "in (0, 1), not 1");
    expect_error(&d, three, 1, (hpo__cv_spec){.kind = HPO__CV_HOLDOUT, .test_fraction = 0.5},
                 "at least 2 rows; there is 1");
    expect_error(&d, twice, 3, (hpo__cv_spec){.kind = HPO__CV_KFOLD, .k = 2},
                 "row 4 is listed twice");
    expect_error(&d, outside, 2, (hpo__cv_spec){.kind = HPO__CV_KFOLD, .k = 2},
                 "row 270 is outside the data set (270 rows)");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = (hpo__cv_kind)42, .k = 2},
                 "unknown kind of split");
    hpo__data_free(&d);
    load(&d, "diabetes.csv");
    expect_error(&d, NULL, 0, (hpo__cv_spec){.kind = HPO__CV_STRATIFIED, .k = 5},
                 "stratified folds need class labels");
    hpo__data_free(&d);
}

int main(void)
{
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/breast_cancer.csv", data_dir());
    if (access(probe, R_OK) != 0) {
        fprintf(stderr, "test_cv: the data sets are missing: %s is not readable "
                "(set HPO_DATA_DIR to the directory of breast_cancer.csv)\n", probe);
        return 1;
    }
    RUN(test_kfold_partitions);
    RUN(test_stratified_keeps_ratios);
    RUN(test_stratified_small_class);
    RUN(test_same_seed_same_folds);
    RUN(test_repeated);
    RUN(test_holdout);
    RUN(test_subset_for_nested_cv);
    RUN(test_errors);
    return CHECK_DONE();
}
