/* test_csv.c — CSV files as people have them (src/ml/csv.c): RFC 4180
 * quoting, line ends, missing values, categorical columns, target by name
 * or number, and bad input (unterminated quote, ragged rows, empty file,
 * header only, a column missing everywhere, 10,000 levels, binary bytes,
 * a huge line).  Both tokenizers (the quote-free fast path and libcsv)
 * must read quote-free text alike, and the decimal fast path must give
 * strtod's double. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ml/data_text.h"

/* Parse text as "t.csv" with options; the code, and the message in *msg. */
static int parse(hpo__dataset *d, const char *text, size_t len,
                 const hpo__data_opts *o, char *msg, size_t size)
{
    hpo__msg m = {0};
    int rc = hpo__data_parse_with(d, "t.csv", text, len, o, HPO__DATA_CSV, &m);
    snprintf(msg, size, "%s", rc == HPO_OK ? "" : hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc;
}

/* The text must be refused, with `want` in the message, by both readers. */
static void expect_error_opts(const char *text, const hpo__data_opts *o,
                              const char *want)
{
    for (int general = 0; general <= 1; general++) {
        hpo__data_opts with = *o;
        with.general_reader = general;
        hpo__dataset d;
        char msg[2048];
        CHECK_RC(parse(&d, text, strlen(text), &with, msg, sizeof msg), HPO_EINVAL);
        CHECK_STR_CONTAINS(msg, want);
        CHECK(d.x == NULL && d.source == NULL && d.notes == NULL);
    }
}

static void expect_error(const char *text, const char *want)
{
    hpo__data_opts o = {0};
    expect_error_opts(text, &o, want);
}

static int feature(const hpo__dataset *d, const char *name)
{
    for (int j = 0; j < d->n_features; j++)
        if (strcmp(d->feature_names[j], name) == 0)
            return j;
    return -1;
}

static double x_at(const hpo__dataset *d, int row, const char *name)
{
    int j = feature(d, name);
    return j < 0 ? NAN : d->x[(size_t)row * (size_t)d->n_features + (size_t)j];
}

static int has_note(const hpo__dataset *d, const char *part)
{
    for (int i = 0; i < d->n_notes; i++)
        if (strstr(d->notes[i], part))
            return 1;
    return 0;
}

/* BOM, CRLF, a quoted header name with a comma, doubled quotes, a line
 * break inside quotes, NA and an empty field, text columns and a text
 * target. */
static const char people[] =
    "\xEF\xBB\xBF" "id,\"city, country\",note,price,label\r\n"
    "1,\"Paris, France\",\"said \"\"hi\"\"\",10.5,yes\r\n"
    "2,\"Oslo, Norway\",\"two\nlines\",NA,no\r\n"
    "3,\"Paris, France\",,7,yes\r\n"
    "4, \"Oslo, Norway\" ,x,8,no\r\n";

static void test_quoted_fields_and_defaults(void)
{
    hpo__dataset d;
    char msg[2048];
    hpo__data_opts o = {0};
    /* By default the first missing value is an error with line and
     * column; the record of line 3 is data row 2. */
    CHECK_RC(parse(&d, people, strlen(people), &o, msg, sizeof msg), HPO_EINVAL);
    CHECK_STR_CONTAINS(msg, "t.csv:3:4: missing value 'NA' in data row 2 (column price)");
    CHECK_STR_CONTAINS(msg, "--missing mean, median or drop");

    o.missing = HPO__MISSING_MEAN;
    CHECK_RC(parse(&d, people, strlen(people), &o, msg, sizeof msg), HPO_OK);
    CHECK(d.n_rows == 4);
    /* id, city x2, note x3 (said "hi", two\nlines, x), price */
    CHECK(d.n_features == 7);
    CHECK(x_at(&d, 0, "id") == 1 && x_at(&d, 3, "id") == 4);
    CHECK(x_at(&d, 0, "city, country=Paris, France") == 1);
    CHECK(x_at(&d, 0, "city, country=Oslo, Norway") == 0);
    CHECK(x_at(&d, 3, "city, country=Oslo, Norway") == 1); /* spaces around quotes */
    CHECK(x_at(&d, 0, "note=said \"hi\"") == 1);
    CHECK(x_at(&d, 1, "note=two\nlines") == 1);
    CHECK(x_at(&d, 1, "price") == (10.5 + 7 + 8) / 3); /* the mean */
    /* The empty note: the most frequent level, ties to the first sorted. */
    CHECK(x_at(&d, 2, "note=said \"hi\"") == 1);
    CHECK(strcmp(d.target_name, "label") == 0);
    CHECK(d.n_classes == 2 && strcmp(d.class_names[0], "no") == 0 &&
          strcmp(d.class_names[1], "yes") == 0 && d.class_names[2] == NULL);
    CHECK(d.y[0] == 1 && d.y[1] == 0 && d.class_of[0] == 1);
    CHECK(has_note(&d, "column 'city, country' is categorical: one-hot over its 2 "
                       "levels ('Oslo, Norway', 'Paris, France')"));
    CHECK(has_note(&d, "target 'label' is text: 2 class labels ('no'=0, 'yes'=1)"));
    CHECK(has_note(&d, "column 'price': 1 missing value filled with its mean 8.5"));
    CHECK(has_note(&d, "column 'note': 1 missing value filled with its most frequent "
                       "level 'said \"hi\"'"));
    /* Text labels cannot be a regression target. */
    hpo__msg m = {0};
    CHECK_RC(hpo__data_set_task(&d, HPO__REGRESSION, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "target 'label' holds text labels ('no', ...)");
    hpo__msg_free(&m);
    hpo__data_free(&d);
}

static void test_missing_policies(void)
{
    const char *text = "a,b,y\n1,2,0\n?,4,1\n5,,0\n7,8,NA\n9,10,1\n";
    hpo__dataset d;
    char msg[2048];
    hpo__data_opts o = {.missing = HPO__MISSING_MEDIAN};
    /* A missing target is never filled. */
    CHECK_RC(parse(&d, text, strlen(text), &o, msg, sizeof msg), HPO_EINVAL);
    CHECK_STR_CONTAINS(msg, "t.csv:5:3: missing value 'NA' in data row 4 (column y): "
                            "a row without a target can only be dropped");
    o.missing = HPO__MISSING_DROP;
    CHECK_RC(parse(&d, text, strlen(text), &o, msg, sizeof msg), HPO_OK);
    CHECK(d.n_rows == 2 && d.x[0] == 1 && d.x[2] == 9 && d.y[1] == 1);
    CHECK(has_note(&d, "3 rows with a missing value dropped (the first at line 3); 2 left"));
    hpo__data_free(&d);

    /* A level only dropped rows held is gone: no empty feature, and the
     * text labels are the classes (found by the fuzzer). */
    const char *levels = "c,y\nred,cat\nblue,?\ngreen,dog\nred,bird\n?,owl\ngreen,cat\n";
    CHECK_RC(parse(&d, levels, strlen(levels), &o, msg, sizeof msg), HPO_OK);
    CHECK(d.n_rows == 4 && d.n_features == 2 && d.n_classes == 3);
    CHECK(strcmp(d.feature_names[0], "c=green") == 0 && strcmp(d.feature_names[1], "c=red") == 0);
    CHECK(strcmp(d.class_names[0], "bird") == 0 && strcmp(d.class_names[2], "dog") == 0 &&
          d.class_names[3] == NULL);
    CHECK(d.y[0] == 1 && d.y[1] == 2 && d.y[2] == 0 && d.x[0] == 0 && d.x[1] == 1);
    hpo__data_free(&d);

    const char *features = "a,b,y\n1,2,0\n?,4,1\n5,,0\n7,8,1\n9,10,1\n";
    o.missing = HPO__MISSING_MEDIAN;
    CHECK_RC(parse(&d, features, strlen(features), &o, msg, sizeof msg), HPO_OK);
    CHECK(d.n_rows == 5 && d.x[2] == 6 && d.x[5] == 6); /* median of 1 5 7 9; of 2 4 8 10 */
    CHECK(has_note(&d, "column 'a': 1 missing value filled with its median 6"));
    hpo__data_free(&d);
    o.missing = HPO__MISSING_ERROR;
    CHECK_RC(parse(&d, features, strlen(features), &o, msg, sizeof msg), HPO_EINVAL);
    CHECK_STR_CONTAINS(msg, "t.csv:3:1: missing value '?' in data row 2 (column a)");
    /* Every missing-value spelling. */
    const char *spellings = "a,y\nNA,0\nN/A,1\nn/a,0\n#N/A,1\n<NA>,0\nNaN,1\nnan,0\n"
                            "-nan,1\nNULL,0\nnull,1\nNone,0\n?,1\n\"\",0\n,1\n3,0\n";
    o.missing = HPO__MISSING_MEAN;
    CHECK_RC(parse(&d, spellings, strlen(spellings), &o, msg, sizeof msg), HPO_OK);
    CHECK(d.n_rows == 15 && has_note(&d, "14 missing values filled with its mean 3"));
    hpo__data_free(&d);
}

static void test_categorical_options(void)
{
    const char *text = "a,b,c\n1,2,3\n1,abc,3\n";
    hpo__data_opts refuse = {.categorical = HPO__CATEGORICAL_ERROR};
    expect_error_opts(text, &refuse, "t.csv:3:2: 'abc' is not a number (column b): "
                                     "--categorical error refuses text in a feature");
    expect_error_opts("a,b,c\r\n1,2,3\r\n1,x7,3\r\n4,5,6\r\n", &refuse,
                      "t.csv:3:2: 'x7' is not a number (column b)");
    expect_error_opts("a,b\n1e,2\n3,4\n", &refuse, "t.csv:2:1: '1e' is not a number (column a)");
    expect_error_opts("a,b\n1 2,2\n3,4\n", &refuse, "t.csv:2:1: '1 2' is not a number (column a)");
    expect_error_opts("a,b\n1,2\nabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz,2\n",
                      &refuse, ":3:1: 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...'");
    /* A text target stays labels under --categorical error. */
    hpo__dataset d;
    char msg[2048];
    const char *labels = "f,t\n1,cat\n2,dog\n3,cat\n";
    CHECK_RC(parse(&d, labels, strlen(labels), &refuse, msg, sizeof msg), HPO_OK);
    CHECK(d.n_classes == 2 && d.y[1] == 1 && d.n_features == 1);
    hpo__data_free(&d);
    /* One label is no classification. */
    CHECK_RC(parse(&d, "f,t\n1,cat\n2,cat\n", 16, &refuse, msg, sizeof msg), HPO_EINVAL);
    CHECK_STR_CONTAINS(msg, "target 't' has a single label ('cat')");
    /* Infinite numbers are refused as before; among text they are a level. */
    expect_error("a,b\n1,-inf\n2,3\n", "t.csv:2:2: '-inf' is not a finite number (column b)");
    expect_error("a,b\n1,1e999\n2,3\n", "t.csv:2:2: '1e999' is not a finite number (column b)");
    CHECK_RC(parse(&d, "a,b\ninf,1\nx,2\n", 14, &(hpo__data_opts){0}, msg, sizeof msg),
             HPO_OK);
    CHECK(d.n_features == 2 && strcmp(d.feature_names[0], "a=inf") == 0);
    hpo__data_free(&d);
}

static void test_target_by_number(void)
{
    hpo__dataset d;
    char msg[2048];
    hpo__data_opts o = {.target = "2"};
    const char *text = "x,y,z\n1,2,3\n4,5,6\n";
    CHECK_RC(parse(&d, text, strlen(text), &o, msg, sizeof msg), HPO_OK);
    CHECK(strcmp(d.target_name, "y") == 0 && d.y[1] == 5 && d.x[3] == 6);
    hpo__data_free(&d);
    /* A column named "1" wins over the first column. */
    o.target = "1";
    const char *named = "x,1,z\n1,2,3\n4,5,6\n";
    CHECK_RC(parse(&d, named, strlen(named), &o, msg, sizeof msg), HPO_OK);
    CHECK(strcmp(d.target_name, "1") == 0 && d.y[0] == 2);
    hpo__data_free(&d);
    o.target = "4";
    expect_error_opts(text, &o, "t.csv: no column '4' (columns: x, y, z)");
}

/* ---- bad input ------------------------------------------------------------- */

static void test_quoting_errors(void)
{
    hpo__data_opts o = {0};
    expect_error("a,b\n1,\"abc\n2,3\n4,5\n",
                 "t.csv:2: a quoted field is never closed (unterminated quote");
    expect_error("a,b\n1,2\n3,ab\"c\n", "t.csv:3:5: a quote inside an unquoted field, "
                                        "or text after a closing quote");
    expect_error("a,b\n1,\"ab\"c\n", "t.csv:2:7: a quote inside an unquoted field");
    /* The line of a ragged record after a record that spans lines. */
    expect_error("a,b\n1,\"x\ny\nz\"\n1,2,3\n", "t.csv:5: 3 fields, the header has 2");
    expect_error("a,b,c\n1,2,3\n1,2\n", "t.csv:3: 2 fields, the header has 3");
    expect_error("a,b,c\n1,2,3\n4,5,6\n\n1,2,3,4\n", "t.csv:5: 4 fields, the header has 3");
    (void)o;
}

static void test_empty_and_header_only(void)
{
    expect_error("", "t.csv: empty");
    expect_error("\n \r\n\n", "t.csv: empty");
    expect_error("\xEF\xBB\xBF", "t.csv: empty");
    expect_error("a,b,c\n", "t.csv: no data rows");
    expect_error("a,b,c\r\n\r\n", "t.csv: no data rows");
    expect_error("\"a\",\"b\"", "t.csv: no data rows");
    expect_error("1,2,3\n4,5,6\n", "t.csv:1: the first line holds numbers");
    expect_error("a,,c\n1,2,3\n", "t.csv:1:2: empty column name");
    expect_error("a,b,a\n1,2,3\n", "t.csv:1:3: column 'a' appears twice (also column 1)");
}

static void test_column_missing_everywhere(void)
{
    const char *text = "a,b,y\n1,,0\n2,NA,1\n3,?,0\n";
    expect_error(text, "t.csv:2: column 'b' (column 2) is missing in every row: drop it");
    hpo__data_opts o = {.missing = HPO__MISSING_DROP};
    expect_error_opts(text, &o, "column 'b' (column 2) is missing in every row");
    o.missing = HPO__MISSING_MEAN;
    expect_error_opts(text, &o, "column 'b' (column 2) is missing in every row");
}

/* "id,x,y" with n distinct ids. */
static char *many_levels(int n)
{
    size_t size = 32 + (size_t)n * 24;
    char *text = malloc(size);
    size_t used = (size_t)snprintf(text, size, "id,x,y\n");
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, size - used, "k%d,%d,%d\n", i, i, i % 2);
    return text;
}

static void test_level_bound(void)
{
    char *text = many_levels(10000);
    expect_error(text, "t.csv:1002:1: categorical column 'id' has more than 1000 "
                       "distinct values (HPO_MAX_LEVELS)");
    free(text);
    text = many_levels(HPO_MAX_LEVELS);
    hpo__dataset d;
    char msg[2048];
    CHECK_RC(parse(&d, text, strlen(text), &(hpo__data_opts){0}, msg, sizeof msg), HPO_OK);
    CHECK(d.n_features == HPO_MAX_LEVELS + 1);
    CHECK(has_note(&d, "one-hot over its 1000 levels ('k0', 'k1', 'k10',"));
    CHECK(has_note(&d, ", ... (1000 in all)"));
    hpo__data_free(&d);
    free(text);
    /* A text target beyond the bound. */
    text = malloc(16 * 1200 + 16);
    size_t used = (size_t)sprintf(text, "x,t\n");
    for (int i = 0; i < 1200; i++)
        used += (size_t)sprintf(text + used, "%d,c%d\n", i, i);
    expect_error(text, "target 't' has more than 1000 distinct values");
    free(text);
}

static void test_binary_and_huge(void)
{
    /* A NUL byte: binary, named by its line. */
    static const char nul[] = "a,b\n1,2\n3,\0\x01\x02\n";
    hpo__dataset d;
    char msg[2048];
    CHECK_RC(parse(&d, nul, sizeof nul - 1, &(hpo__data_opts){0}, msg, sizeof msg),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(msg, "t.csv:3: a NUL byte: a binary file, not CSV text");
    /* Garbage without NUL bytes: refused with a message, whatever it is. */
    char *junk = malloc(65537);
    uint32_t state = 12345;
    for (int i = 0; i < 65536; i++) {
        state = state * 1103515245u + 12345u;
        junk[i] = (char)(1 + (state >> 16) % 255);
    }
    junk[65536] = '\0';
    for (int general = 0; general <= 1; general++) {
        hpo__data_opts o = {.general_reader = general};
        CHECK_RC(parse(&d, junk, 65536, &o, msg, sizeof msg), HPO_EINVAL);
        CHECK(strncmp(msg, "t.csv", 5) == 0);
    }
    free(junk);
    /* A huge line: one field of 2 MiB, then 100,000 fields. */
    size_t n = 2u << 20;
    char *huge = malloc(n + 64);
    memcpy(huge, "a,b\n1,", 6);
    memset(huge + 6, '7', n);
    strcpy(huge + 6 + n, "\n");
    expect_error(huge, "t.csv:2:2: a field of more than 1048576 bytes (HPO_MAX_CSV_FIELD)");
    huge[6] = huge[6 + n - 1] = '"';
    expect_error(huge, "t.csv:2:2: a field of more than 1048576 bytes");
    memset(huge + 6, ',', 100000);
    strcpy(huge + 6 + 100000, "\n");
    expect_error(huge, "t.csv:2: 100002 fields, the header has 2");
    free(huge);
}

/* ---- the two readers, and numbers ------------------------------------------ */

static int same_dataset(const hpo__dataset *a, const hpo__dataset *b)
{
    if (a->n_rows != b->n_rows || a->n_features != b->n_features ||
        a->n_classes != b->n_classes || strcmp(a->target_name, b->target_name) ||
        a->n_notes != b->n_notes)
        return 0;
    size_t cells = (size_t)a->n_rows * (size_t)a->n_features;
    if (memcmp(a->x, b->x, sizeof *a->x * cells) ||
        memcmp(a->y, b->y, sizeof *a->y * (size_t)a->n_rows))
        return 0;
    for (int j = 0; j < a->n_features; j++)
        if (strcmp(a->feature_names[j], b->feature_names[j]))
            return 0;
    for (int i = 0; i < a->n_notes; i++)
        if (strcmp(a->notes[i], b->notes[i]))
            return 0;
    return 1;
}

static void test_readers_agree(void)
{
    static const char *const texts[] = {
        "a, b ,label\r\n1,2.5,0\r\n\r\n -3 ,4e-1,1\r\n5,6,0\r\n7,+8,1",
        "x,y,z\n1,2,3\n4,5,6\n\n\n  \n",
        "c,t\nred,1\nblue,2\n,3\ngreen,4\n",
        "a,b,c\n1,,3\n4,5,6\n",
        "a,b\n1,2\r\n3,4\n\t5\t,\t6\t\n",
        "a,b\n1,2\n3\n",
        "a,b\n1,2\n3,4,5\n",
        "a,\tb\n1,x\n",
        "a,b\n0x10,1\n2,3\n",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (int missing = 0; missing <= HPO__MISSING_DROP; missing++) {
            hpo__data_opts fast = {.missing = (hpo__missing)missing};
            hpo__data_opts general = fast;
            general.general_reader = 1;
            hpo__dataset a, b;
            char ma[2048], mb[2048];
            size_t len = strlen(texts[t]);
            int ra = parse(&a, texts[t], len, &fast, ma, sizeof ma);
            int rb = parse(&b, texts[t], len, &general, mb, sizeof mb);
            CHECK(ra == rb && strcmp(ma, mb) == 0);
            if (ra == HPO_OK && rb == HPO_OK)
                CHECK(same_dataset(&a, &b));
            if (ra != rb || strcmp(ma, mb))
                fprintf(stderr, "text %zu: '%s' / '%s'\n", t, ma, mb);
            hpo__data_free(&a);
            hpo__data_free(&b);
        }
}

/* A lone CR ends a record too (old Mac files). */
static void test_lone_cr(void)
{
    hpo__dataset d;
    char msg[2048];
    const char *text = "a,b\r1,2\r3,4\r";
    CHECK_RC(parse(&d, text, strlen(text), &(hpo__data_opts){0}, msg, sizeof msg), HPO_OK);
    CHECK(d.n_rows == 2 && d.x[1] == 3 && d.y[1] == 4);
    hpo__data_free(&d);
}

static void test_decimal_fast_path(void)
{
    static const char *const fixed[] = {
        "0", "-0", "+1", "1.", ".5", "0.1", "0.30000000000000004", "123456789012345678",
        "9007199254740993", "4.803999999999999", "1e22", "1e23", "1e-22", "12.5e-3",
        "0000.000001", "9999999999999999999", "1.7976931348623157e308", "5e-324",
        "18446744073709551615", "0.000000000000000000000000001", "3.14159265358979",
    };
    int same = 1;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        const char *s = fixed[i];
        double fast, slow = strtod(s, NULL);
        if (hpo__decimal_fast(s, s + strlen(s), &fast))
            same &= memcmp(&fast, &slow, sizeof fast) == 0;
        CHECK(hpo__cell_number(s, s + strlen(s), &fast) == HPO__CELL_OK);
        same &= memcmp(&fast, &slow, sizeof fast) == 0;
        if (!same)
            fprintf(stderr, "%s: %.17g, strtod %.17g\n", s, fast, slow);
    }
    /* Random decimals of every length: the fast path's answer, when it
     * gives one, is strtod's double bit for bit. */
    uint64_t state = 42;
    int taken = 0;
    for (int i = 0; i < 200000; i++) {
        char s[64];
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        int digits = 1 + (int)(state >> 59) % 20, point = (int)(state >> 40) % (digits + 1);
        int len = 0;
        if (state & 1)
            s[len++] = '-';
        for (int k = 0; k < digits; k++) {
            if (k == point)
                s[len++] = '.';
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            s[len++] = (char)('0' + (state >> 33) % 10);
        }
        if (state & 2)
            len += sprintf(s + len, "e%d", (int)((state >> 20) % 61) - 30);
        s[len] = '\0';
        double fast, slow = strtod(s, NULL);
        if (hpo__decimal_fast(s, s + len, &fast)) {
            taken++;
            if (memcmp(&fast, &slow, sizeof fast) != 0) {
                same = 0;
                fprintf(stderr, "%s: %.17g, strtod %.17g\n", s, fast, slow);
                break;
            }
        }
    }
    CHECK(same);
    CHECK(taken > 100000); /* most short decimals take the fast path */
    double v;
    CHECK(!hpo__decimal_fast("1e", "1e" + 2, &v) && !hpo__decimal_fast(".", "." + 1, &v));
    CHECK(!hpo__decimal_fast("", "", &v) && !hpo__decimal_fast("-", "-" + 1, &v));
}

int main(void)
{
    RUN(test_quoted_fields_and_defaults);
    RUN(test_missing_policies);
    RUN(test_categorical_options);
    RUN(test_target_by_number);
    RUN(test_quoting_errors);
    RUN(test_empty_and_header_only);
    RUN(test_column_missing_everywhere);
    RUN(test_level_bound);
    RUN(test_binary_and_huge);
    RUN(test_readers_agree);
    RUN(test_lone_cr);
    RUN(test_decimal_fast_path);
    return CHECK_DONE();
}
