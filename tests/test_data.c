/* test_data.c — the CSV and libsvm loaders on the real data sets of
 * ../shared/data and on small malformed files (every error names the file,
 * line and column), task detection, and standardization without leakage. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ml/ml.h"

static char tmp_dir[] = "/tmp/hpo_test_data.XXXXXX";

static const char *data_dir(void)
{
    const char *dir = getenv("HPO_DATA_DIR");
    return dir && *dir ? dir : HPO_SOURCE_DIR "/../shared/data";
}

static char *data_file(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", data_dir(), name);
    return path;
}

/* Write `text` (len bytes; -1 = strlen) to a file in the temporary dir. */
static char *write_file(const char *name, const char *text, int len)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        perror(path);
        exit(2);
    }
    fwrite(text, 1, len < 0 ? strlen(text) : (size_t)len, fp);
    fclose(fp);
    return path;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int count_label(const hpo__dataset *d, double label)
{
    int n = 0;
    for (int i = 0; i < d->n_rows; i++)
        n += d->y[i] == label;
    return n;
}

/* Load a CSV text that must fail; check the code and the message. */
static void expect_csv_error(const char *name, const char *text, const char *target,
                             int code, const char *where, const char *what)
{
    char *path = write_file(name, text, -1);
    char want[4200];
    snprintf(want, sizeof want, "%s%s", path, where);
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_csv(&d, path, target, &m), code);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), want);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), what);
    CHECK(d.x == NULL && d.n_rows == 0 && d.source == NULL);
    hpo__msg_free(&m);
}

static void expect_libsvm_error(const char *name, const char *text, const char *where,
                                const char *what)
{
    char *path = write_file(name, text, -1);
    char want[4200];
    snprintf(want, sizeof want, "%s%s", path, where);
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_libsvm(&d, path, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), want);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), what);
    hpo__msg_free(&m);
}

/* ---- the real data sets ---------------------------------------------------- */

static void test_breast_cancer(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    double t0 = now_s();
    CHECK_RC(hpo__data_load_csv(&d, data_file("breast_cancer.csv"), NULL, &m), HPO_OK);
    double took = now_s() - t0;
    fprintf(stderr, "     breast_cancer.csv loaded in %.1f ms\n", took * 1e3);
    CHECK(took < 0.5);
    CHECK(d.n_rows == 569 && d.n_features == 30);
    CHECK(strcmp(d.feature_names[0], "mean_radius") == 0);
    CHECK(strcmp(d.feature_names[29], "worst_fractal_dimension") == 0);
    CHECK(strcmp(d.target_name, "target") == 0);
    CHECK_STR_CONTAINS(d.source, "breast_cancer.csv");
    /* First row: 17.99,10.38,122.8,1001,...,0.1189,0 */
    CHECK(d.x[0] == 17.99 && d.x[3] == 1001 && d.x[29] == 0.1189 && d.y[0] == 0);
    CHECK(hpo__data_task(&d) == HPO__CLASSIFICATION);
    CHECK(d.n_classes == 2 && d.classes[0] == 0 && d.classes[1] == 1);
    CHECK(count_label(&d, 0) == 212 && count_label(&d, 1) == 357);
    int consistent = 1;
    for (int i = 0; i < d.n_rows; i++)
        consistent &= d.classes[d.class_of[i]] == d.y[i];
    CHECK(consistent);
    hpo__data_free(&d);
    CHECK(d.x == NULL && d.n_rows == 0);
    hpo__data_free(&d); /* twice is harmless */
    hpo__msg_free(&m);
}

static void test_target_by_name(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_csv(&d, data_file("breast_cancer.csv"), "mean_area", &m),
             HPO_OK);
    CHECK(d.n_features == 30 && strcmp(d.target_name, "mean_area") == 0);
    CHECK(strcmp(d.feature_names[2], "mean_perimeter") == 0);
    CHECK(strcmp(d.feature_names[3], "mean_smoothness") == 0);
    CHECK(strcmp(d.feature_names[29], "target") == 0);
    CHECK(d.y[0] == 1001 && d.x[3] == 0.1184 && d.x[29] == 0);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION); /* areas are not labels */
    CHECK(d.n_classes == 0 && d.classes == NULL && d.class_of == NULL);
    /* Classification refused for a target that is not whole numbers. */
    CHECK_RC(hpo__data_set_task(&d, HPO__CLASSIFICATION, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "not a whole number");
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "'mean_area'");
    CHECK(d.n_classes == 0);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_multiclass_and_regression_sets(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load(&d, data_file("digits.csv"), NULL, &m), HPO_OK);
    CHECK(d.n_rows == 1797 && d.n_features == 64 && d.n_classes == 10);
    CHECK(d.classes[0] == 0 && d.classes[9] == 9);
    hpo__data_free(&d);

    CHECK_RC(hpo__data_load(&d, data_file("letter.csv"), NULL, &m), HPO_OK);
    CHECK(d.n_rows == 20000 && d.n_features == 16 && d.n_classes == 26);
    hpo__data_free(&d);

    CHECK_RC(hpo__data_load(&d, data_file("spam.csv"), NULL, &m), HPO_OK);
    CHECK(d.n_rows == 4601 && d.n_features == 57 && d.n_classes == 2);
    CHECK(count_label(&d, 1) == 1813);
    hpo__data_free(&d);

    /* diabetes: whole-number targets 25..346, but 214 distinct values, so
     * a regression target; the user may still insist on classes. */
    CHECK_RC(hpo__data_load(&d, data_file("diabetes.csv"), NULL, &m), HPO_OK);
    CHECK(d.n_rows == 442 && d.n_features == 10);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION);
    CHECK_RC(hpo__data_set_task(&d, HPO__CLASSIFICATION, &m), HPO_OK);
    CHECK(hpo__data_task(&d) == HPO__CLASSIFICATION && d.n_classes == 214);
    CHECK(d.classes[0] == 25 && d.classes[213] == 346);
    CHECK_RC(hpo__data_set_task(&d, HPO__REGRESSION, &m), HPO_OK);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION && d.class_of == NULL);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_diamonds(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    double t0 = now_s();
    CHECK_RC(hpo__data_load_csv(&d, data_file("diamonds.csv"), NULL, &m), HPO_OK);
    double took = now_s() - t0;
    fprintf(stderr, "     diamonds.csv (53940 x 9) loaded in %.1f ms\n", took * 1e3);
    /* The time is printed, not asserted: tests assert behaviour. */
    CHECK(d.n_rows == 53940 && d.n_features == 9);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION);
    /* First row 0.23,5,2,2,61.5,55,3.95,3.98,2.43,326; last ends 2757. */
    CHECK(d.x[0] == 0.23 && d.x[8] == 2.43 && d.y[0] == 326);
    CHECK(d.y[d.n_rows - 1] == 2757);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_heart_scale(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    /* Through hpo__data_load: the extension picks the libsvm reader. */
    CHECK_RC(hpo__data_load(&d, data_file("heart_scale.libsvm"), NULL, &m), HPO_OK);
    CHECK(d.n_rows == 270 && d.n_features == 13);
    CHECK(strcmp(d.feature_names[0], "f1") == 0 && strcmp(d.feature_names[12], "f13") == 0);
    CHECK(strcmp(d.target_name, "label") == 0);
    CHECK(d.n_classes == 2 && d.classes[0] == -1 && d.classes[1] == 1);
    CHECK(count_label(&d, 1) == 120 && count_label(&d, -1) == 150);
    /* +1 1:0.708333 2:1 ... 10:-0.225806 12:1 13:-1  (11 absent = 0) */
    CHECK(d.y[0] == 1 && d.x[0] == 0.708333 && d.x[9] == -0.225806);
    CHECK(d.x[10] == 0 && d.x[11] == 1 && d.x[12] == -1);
    CHECK(d.y[1] == -1 && d.x[13 + 0] == 0.583333);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

/* ---- robustness ------------------------------------------------------------ */

static void test_csv_tolerated_variants(void)
{
    /* BOM, CRLF, spaces around fields, a blank line, no final newline. */
    const char *text = "\xEF\xBB\xBF" "a, b ,label\r\n1,2.5,0\r\n\r\n -3 ,4e-1,1\r\n"
                       "5,6,0\r\n7,+8,1";
    char *path = write_file("variants.csv", text, -1);
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_csv(&d, path, NULL, &m), HPO_OK);
    CHECK(d.n_rows == 4 && d.n_features == 2);
    CHECK(strcmp(d.feature_names[0], "a") == 0 && strcmp(d.feature_names[1], "b") == 0);
    CHECK(strcmp(d.target_name, "label") == 0);
    CHECK(d.x[2] == -3 && d.x[3] == 0.4 && d.x[7] == 8 && d.y[3] == 1);
    CHECK(d.n_classes == 2); /* 2 distinct labels in 4 rows */
    hpo__data_free(&d);

    /* Trailing blank lines and a target in the middle. */
    path = write_file("trailing.csv", "x,y,z\n1,2,3\n4,5,6\n\n\n  \n", -1);
    CHECK_RC(hpo__data_load(&d, path, "y", &m), HPO_OK);
    CHECK(d.n_rows == 2 && d.n_features == 2 && d.y[1] == 5 && d.x[3] == 6);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION); /* 2 distinct in 2 rows */
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

static void test_task_guess(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    /* Whole numbers, 3 distinct labels in 6 rows: classes 2 < 5 < 7. */
    char *path = write_file("classes.csv", "f,t\n1,7\n2,5\n3,7\n4,2\n5,5\n6,2\n", -1);
    CHECK_RC(hpo__data_load_csv(&d, path, NULL, &m), HPO_OK);
    CHECK(d.n_classes == 3 && d.classes[0] == 2 && d.classes[1] == 5 && d.classes[2] == 7);
    CHECK(d.class_of[0] == 2 && d.class_of[1] == 1 && d.class_of[3] == 0);
    hpo__data_free(&d);
    /* One non-integer target makes it a regression. */
    path = write_file("reg.csv", "f,t\n1,7\n2,5\n3,7.5\n4,2\n5,5\n6,2\n", -1);
    CHECK_RC(hpo__data_load_csv(&d, path, NULL, &m), HPO_OK);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION);
    CHECK_RC(hpo__data_set_task(&d, HPO__CLASSIFICATION, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "7.5 in data row 3");
    hpo__data_free(&d);
    /* A constant target is no classification. */
    path = write_file("const.csv", "f,t\n1,1\n2,1\n3,1\n4,1\n", -1);
    CHECK_RC(hpo__data_load_csv(&d, path, NULL, &m), HPO_OK);
    CHECK(hpo__data_task(&d) == HPO__REGRESSION);
    CHECK_RC(hpo__data_set_task(&d, HPO__CLASSIFICATION, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "single value");
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

/* ---- errors ---------------------------------------------------------------- */

static void test_csv_errors(void)
{
    expect_csv_error("ragged.csv", "a,b,c\n1,2,3\n1,2\n", NULL, HPO_EINVAL,
                     ":3: 2 fields, the header has 3", "");
    expect_csv_error("ragged_long.csv", "a,b,c\n1,2,3\n4,5,6\n\n1,2,3,4\n", NULL,
                     HPO_EINVAL, ":5: 4 fields, the header has 3", "");
    /* Text in a column makes it categorical, missing values have their
     * options, quotes are read (test_csv.c); here what stays refused. */
    expect_csv_error("nan.csv", "a,b\n1,2\nnan,2\n", NULL, HPO_EINVAL,
                     ":3:1: missing value 'nan' in data row 2 (column a)", "");
    expect_csv_error("inf.csv", "a,b\n1,-inf\n", NULL, HPO_EINVAL,
                     ":2:2: '-inf' is not a finite number (column b)", "");
    expect_csv_error("huge.csv", "a,b\n1,1e999\n", NULL, HPO_EINVAL,
                     ":2:2: '1e999' is not a finite number (column b)", "");
    expect_csv_error("empty_cell.csv", "a,b,c\n1,,3\n4,5,6\n", NULL, HPO_EINVAL,
                     ":2:2: missing value in data row 1 (column b)", "");
    expect_csv_error("quote_inside.csv", "a,b\n1\"2,2\n", NULL, HPO_EINVAL,
                     ":2:2: a quote inside an unquoted field", "");
    expect_csv_error("empty.csv", "", NULL, HPO_EINVAL, ": empty", "");
    expect_csv_error("blank.csv", "\n \r\n\n", NULL, HPO_EINVAL, ": empty", "");
    expect_csv_error("header_only.csv", "a,b,c\n", NULL, HPO_EINVAL, ": no data rows", "");
    expect_csv_error("header_blank.csv", "a,b,c\r\n\r\n", NULL, HPO_EINVAL,
                     ": no data rows", "");
    expect_csv_error("no_header.csv", "1,2,3\n4,5,6\n", NULL, HPO_EINVAL,
                     ":1: the first line holds numbers", "header row");
    expect_csv_error("one_column.csv", "t\n1\n2\n", NULL, HPO_EINVAL,
                     ":1: one column", "");
    expect_csv_error("dup.csv", "a,b,a\n1,2,3\n", NULL, HPO_EINVAL,
                     ":1:3: column 'a' appears twice (also column 1)", "");
    expect_csv_error("no_name.csv", "a,,c\n1,2,3\n", NULL, HPO_EINVAL,
                     ":1:2: empty column name", "");
    expect_csv_error("target.csv", "a,b,c\n1,2,3\n", "foo", HPO_EINVAL,
                     ": no column 'foo' (columns: a, b, c)", "");
}

static void test_csv_unknown_target_lists_few_names(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_csv(&d, data_file("breast_cancer.csv"), "Target", &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "breast_cancer.csv: no column 'Target' "
                       "(columns: mean_radius, mean_texture,");
    CHECK_STR_CONTAINS(hpo__msg_get(&m), ", ... (31 in all)");
    CHECK(strlen(hpo__msg_get(&m)) < 400);
    hpo__msg_free(&m);
}

static void test_file_errors(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    char path[4200];
    snprintf(path, sizeof path, "%s/missing.csv", tmp_dir);
    CHECK_RC(hpo__data_load_csv(&d, path, NULL, &m), HPO_EIO);
    char want[4300];
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), want);
    CHECK_RC(hpo__data_load(&d, path, NULL, &m), HPO_EIO);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), want);
    snprintf(path, sizeof path, "%s/missing.libsvm", tmp_dir);
    CHECK_RC(hpo__data_load(&d, path, NULL, &m), HPO_EIO);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "missing.libsvm: No such file or directory");
    /* A directory is not a data file. */
    CHECK_RC(hpo__data_load_csv(&d, tmp_dir, NULL, &m), HPO_EIO);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "Is a directory");
    CHECK(d.x == NULL && d.source == NULL);
    hpo__msg_free(&m);
}

static void test_libsvm_errors(void)
{
    expect_libsvm_error("bad_pair.svm", "+1 1:0.5 2:1\n-1 1:0.5 x:1\n",
                        ":2:10: 'x:1' does not start with a feature index", "");
    expect_libsvm_error("no_colon.svm", "+1 1:0.5 7\n", ":1:10: '7' is not index:value", "");
    expect_libsvm_error("descending.svm", "1 1:1\n1 3:1 2:1\n",
                        ":2:7: '2:1' repeats or goes back", "ascend");
    expect_libsvm_error("repeat.svm", "1 3:1 3:2\n", ":1:7: '3:2' repeats", "");
    expect_libsvm_error("zero.svm", "1 0:1\n", ":1:3: '0:1' does not start with a feature index",
                        "from 1");
    expect_libsvm_error("label.svm", "1 1:1\n\nabc 1:2\n", ":3:1: 'abc' is not a number (the label)",
                        "");
    expect_libsvm_error("value.svm", "1 1:1\n0\t2:zz\n", ":2:3: '2:zz' has a value that is "
                        "not a number", "");
    expect_libsvm_error("nanvalue.svm", "1 1:nan\n", ":1:3: '1:nan' has a value that is "
                        "not a finite number", "");
    expect_libsvm_error("empty.svm", "", ": empty", "");
    expect_libsvm_error("comment_only.svm", "# nothing here\n", ": no data rows", "");
    expect_libsvm_error("labels_only.svm", "1\n-1\n", ": no features", "");
    /* An index is the data set's width: a 14-byte file must not ask for
     * gigabytes and 3e8 feature names (fuzz/regressions/libsvm/). */
    expect_libsvm_error("wide.svm", "1 300000000:1\n",
                        ":1:3: feature index 300000000 is above 1048576",
                        "the most hpo holds");
    char tall[257 * 12 + 1] = "";
    for (int i = 0; i < 257; i++)
        strcat(tall, "1 1048576:1\n");
    expect_libsvm_error("too_big.svm", tall,
                        ": 257 rows x 1048576 features: more than hpo holds",
                        "268435456 values");

    /* Tolerated: comments, tabs, CRLF, rows without features, no final
     * newline. */
    char *path = write_file("ok.svm", "# header comment\r\n+1\t2:0.5  4:-1 # why\r\n"
                            "-1\r\n\r\n+1 1:3", -1);
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_libsvm(&d, path, &m), HPO_OK);
    CHECK(d.n_rows == 3 && d.n_features == 4);
    CHECK(d.x[0] == 0 && d.x[1] == 0.5 && d.x[3] == -1);
    CHECK(d.x[4] == 0 && d.x[7] == 0 && d.y[1] == -1 && d.x[8] == 3);
    hpo__data_free(&d);
    /* hpo__data_load recognises libsvm text without the extension. */
    path = write_file("sniffed.txt", "1 1:2 3:4\n0 2:1\n", -1);
    CHECK_RC(hpo__data_load(&d, path, NULL, &m), HPO_OK);
    CHECK(d.n_rows == 2 && d.n_features == 3 && d.x[2] == 4 && d.x[4] == 1);
    hpo__data_free(&d);
    CHECK_RC(hpo__data_load(&d, data_file("heart_scale.libsvm"), "age", &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "no column names");
    hpo__msg_free(&m);
}

/* ---- standardization ------------------------------------------------------- */

static void test_scaler_by_hand(void)
{
    /* Feature a: 1, 3 on the training rows (mean 2, std 1); feature b is
     * constant 5 there (std 0 -> 1).  Row 2 is the test row. */
    char *path = write_file("scale.csv", "a,b,t\n1,5,0.5\n3,5,1.5\n100,-7,2.5\n", -1);
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_csv(&d, path, NULL, &m), HPO_OK);
    int train[] = {0, 1}, test[] = {2};
    hpo__scaler s;
    CHECK_RC(hpo__scaler_fit(&s, &d, train, 2, &m), HPO_OK);
    CHECK(s.n_features == 2 && s.mean[0] == 2 && s.std[0] == 1);
    CHECK(s.mean[1] == 5 && s.std[1] == 1);
    double *z;
    CHECK_RC(hpo__scaler_apply(&s, &d, test, 1, &z, &m), HPO_OK);
    CHECK(z[0] == 98 && z[1] == -12);
    free(z);
    CHECK_RC(hpo__scaler_apply(&s, &d, train, 2, &z, &m), HPO_OK);
    CHECK(z[0] == -1 && z[1] == 0 && z[2] == 1 && z[3] == 0);
    free(z);
    hpo__scaler_free(&s);
    CHECK(s.mean == NULL);
    CHECK_RC(hpo__scaler_fit(&s, &d, train, 0, &m), HPO_EINVAL);
    int outside[] = {0, 3};
    CHECK_RC(hpo__scaler_fit(&s, &d, outside, 2, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "row 3 is outside");
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

/* Fit on the training rows of breast_cancer: those rows come out with
 * mean 0 and std 1; changing the test rows changes nothing in the fit. */
static void test_scaler_no_leakage(void)
{
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_load_csv(&d, data_file("breast_cancer.csv"), NULL, &m), HPO_OK);
    int n_train = 0, n_test = 0;
    int *train = malloc(sizeof *train * (size_t)d.n_rows);
    int *test = malloc(sizeof *test * (size_t)d.n_rows);
    for (int i = 0; i < d.n_rows; i++) {
        if (i % 5 == 2)
            test[n_test++] = i;
        else
            train[n_train++] = i;
    }
    hpo__scaler fit1, fit2;
    CHECK_RC(hpo__scaler_fit(&fit1, &d, train, n_train, &m), HPO_OK);
    double *z;
    CHECK_RC(hpo__scaler_apply(&fit1, &d, train, n_train, &z, &m), HPO_OK);
    int unit = 1;
    for (int j = 0; j < d.n_features; j++) {
        double sum = 0, squares = 0;
        for (int i = 0; i < n_train; i++) {
            sum += z[(size_t)i * 30 + j];
            squares += z[(size_t)i * 30 + j] * z[(size_t)i * 30 + j];
        }
        unit &= fabs(sum / n_train) < 1e-12 && fabs(squares / n_train - 1) < 1e-12;
    }
    CHECK(unit);
    free(z);
    for (int i = 0; i < n_test; i++)
        for (int j = 0; j < d.n_features; j++)
            d.x[(size_t)test[i] * 30 + j] = 1e6 * (j + 1);
    CHECK_RC(hpo__scaler_fit(&fit2, &d, train, n_train, &m), HPO_OK);
    int same = 1;
    for (int j = 0; j < d.n_features; j++)
        same &= fit1.mean[j] == fit2.mean[j] && fit1.std[j] == fit2.std[j];
    CHECK(same);
    /* Fitting on all rows would have seen them. */
    hpo__scaler all;
    CHECK_RC(hpo__scaler_fit(&all, &d, NULL, d.n_rows, &m), HPO_OK);
    CHECK(all.mean[0] > 1000 * fit1.mean[0]);
    hpo__scaler_free(&fit1);
    hpo__scaler_free(&fit2);
    hpo__scaler_free(&all);
    free(train);
    free(test);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}

int main(void)
{
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/breast_cancer.csv", data_dir());
    if (access(probe, R_OK) != 0) {
        fprintf(stderr, "test_data: the data sets are missing: %s is not readable "
                "(set HPO_DATA_DIR to the directory of breast_cancer.csv)\n", probe);
        return 1;
    }
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_breast_cancer);
    RUN(test_target_by_name);
    RUN(test_multiclass_and_regression_sets);
    RUN(test_diamonds);
    RUN(test_heart_scale);
    RUN(test_csv_tolerated_variants);
    RUN(test_task_guess);
    RUN(test_csv_errors);
    RUN(test_csv_unknown_target_lists_few_names);
    RUN(test_file_errors);
    RUN(test_libsvm_errors);
    RUN(test_scaler_by_hand);
    RUN(test_scaler_no_leakage);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_dir);
    return CHECK_DONE();
}
