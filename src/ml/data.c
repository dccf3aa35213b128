/*
 * data.c — load a data set from a CSV file or a libsvm sparse file into a
 * dense, row-major hpo__dataset, and decide whether its target holds class
 * labels.
 *
 * CSV: csv.c reads it (RFC 4180 through libcsv, missing values,
 * categorical columns); this file reads the file and guesses the task.
 *
 * libsvm: "label index:value ..." as read by libsvm's svm-train (Chang &
 * Lin, LIBSVM: a library for support vector machines, 2011, and its
 * README); indices are 1-based and ascending; absent features are zero.
 * Extensions: tabs, CRLF, blank lines and SVMlight's "# comment" tails are
 * accepted.  In error messages COL is the 1-based character column.
 *
 * Numbers are read with strtod, which follows LC_NUMERIC; neither libhpo
 * nor the CLI calls setlocale, so it is the "C" locale.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_text.h"

/* Classification is guessed for at most this many distinct labels. */
#define GUESS_CLASSES_MAX 100

/* ---- the whole file in memory ------------------------------------------- */

typedef struct text_file {
    char *buf;  /* NUL-terminated copy of the file */
    size_t len; /* without the NUL */
} text_file;

static int read_whole_file(const char *path, text_file *f, hpo__msg *m)
{
    f->buf = NULL;
    f->len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return hpo__fail(m, HPO_EIO, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got = 1;
    while (buf && got > 0) {
        if (len + 1 == cap) { /* keep room for the NUL */
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
            continue;
        }
        got = fread(buf + len, 1, cap - 1 - len, fp);
        len += got;
    }
    int failed = ferror(fp), err = errno;
    fclose(fp);
    if (!buf)
        return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", path);
    if (failed) {
        free(buf);
        return hpo__fail(m, HPO_EIO, "%s: %s", path, strerror(err));
    }
    buf[len] = '\0';
    f->buf = buf;
    f->len = len;
    return HPO_OK;
}

/* ---- lines ----------------------------------------------------------------- */

typedef struct line_cursor {
    const char *p, *end;
    int line_no; /* of the line last returned, 1-based */
} line_cursor;

static void cursor_init(line_cursor *c, const text_file *f)
{
    c->p = f->buf;
    c->end = f->buf + f->len;
    c->line_no = 0;
    if (f->len >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3; /* UTF-8 byte-order mark */
}

/* The next line as [*start, *stop), without its "\n" or "\r\n". */
static int next_line(line_cursor *c, const char **start, const char **stop)
{
    if (c->p >= c->end)
        return 0;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *e = nl ? nl : c->end;
    *start = c->p;
    *stop = (e > c->p && e[-1] == '\r') ? e - 1 : e;
    c->p = nl ? nl + 1 : c->end;
    c->line_no++;
    return 1;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static int blank_line(const char *s, const char *e)
{
    while (s < e && (is_blank(*s) || *s == '\r'))
        s++;
    return s == e;
}

/* The character at e is a separator, a line end or the file's NUL, none
 * of which can continue a number, so strtod stops at e or earlier. */
hpo__cell hpo__cell_number(const char *s, const char *e, double *out)
{
    if (s == e)
        return HPO__CELL_EMPTY;
    if (hpo__decimal_fast(s, e, out))
        return HPO__CELL_OK;
    if (is_blank(*s))
        return HPO__CELL_NAN; /* strtod would skip it; the caller trimmed */
    char *stop;
    errno = 0;
    double v = strtod(s, &stop);
    if (stop != e)
        return HPO__CELL_NAN;
    if (!isfinite(v))
        return HPO__CELL_NOT_FINITE;
    *out = v;
    return HPO__CELL_OK;
}

/* Cell text for a message: at most HPO__CELL_QUOTE_MAX characters, then "...". */
static int quoted_len(const char *s, const char *e)
{
    return (int)(e - s > HPO__CELL_QUOTE_MAX ? HPO__CELL_QUOTE_MAX : e - s);
}

static const char *quoted_tail(const char *s, const char *e)
{
    return e - s > HPO__CELL_QUOTE_MAX ? "..." : "";
}

/* ---- dataset building ------------------------------------------------------ */

void hpo__data_free(hpo__dataset *d)
{
    if (!d)
        return;
    if (d->feature_names)
        for (int j = 0; j < d->n_features; j++)
            free(d->feature_names[j]);
    free(d->feature_names);
    free(d->x);
    free(d->y);
    free(d->target_name);
    free(d->source);
    free(d->classes);
    free(d->class_of);
    for (char **name = d->class_names; name && *name; name++)
        free(*name);
    free(d->class_names);
    for (int i = 0; i < d->n_notes; i++)
        free(d->notes[i]);
    free(d->notes);
    memset(d, 0, sizeof *d);
}

static void forget_classes(hpo__dataset *d)
{
    free(d->classes);
    free(d->class_of);
    d->classes = NULL;
    d->class_of = NULL;
    d->n_classes = 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Labels are whole numbers small enough to print and compare exactly. */
static int is_label(double v)
{
    return v == floor(v) && fabs(v) <= 1e15;
}

/* The sorted distinct targets into *out (malloc'd); their count. */
static int distinct_targets(const hpo__dataset *d, double **out)
{
    double *v = malloc(sizeof *v * (size_t)(d->n_rows ? d->n_rows : 1));
    if (!v)
        return -1;
    memcpy(v, d->y, sizeof *v * (size_t)d->n_rows);
    qsort(v, (size_t)d->n_rows, sizeof *v, compare_doubles);
    int n = 0;
    for (int i = 0; i < d->n_rows; i++)
        if (n == 0 || v[i] != v[n - 1])
            v[n++] = v[i];
    *out = v;
    return n;
}

/* Fill classes and class_of from the given sorted distinct labels (taken). */
static void set_classes(hpo__dataset *d, double *labels, int n_labels, int *class_of)
{
    forget_classes(d);
    d->classes = labels;
    d->n_classes = n_labels;
    d->class_of = class_of;
    for (int i = 0; i < d->n_rows; i++) {
        const double *hit = bsearch(&d->y[i], labels, (size_t)n_labels,
                                    sizeof *labels, compare_doubles);
        class_of[i] = (int)(hit - labels);
    }
}

static int first_non_label(const hpo__dataset *d)
{
    for (int i = 0; i < d->n_rows; i++)
        if (!is_label(d->y[i]))
            return i;
    return -1;
}

int hpo__data_set_task(hpo__dataset *d, hpo__task task, hpo__msg *m)
{
    if (task == HPO__REGRESSION && d->class_names)
        return hpo__fail(m, HPO_EINVAL,
                         "%s: target '%s' holds text labels ('%s', ...), not "
                         "numbers: it cannot be a regression target", d->source,
                         d->target_name, d->class_names[0]);
    if (task == HPO__REGRESSION) {
        forget_classes(d);
        return HPO_OK;
    }
    if (task != HPO__CLASSIFICATION)
        return hpo__fail(m, HPO_EINVAL, "unknown task %d", (int)task);
    int bad = first_non_label(d);
    if (bad >= 0)
        return hpo__fail(m, HPO_EINVAL,
                         "%s: target '%s' is %.17g in data row %d, not a whole "
                         "number, so it cannot be a class label",
                         d->source, d->target_name, d->y[bad], bad + 1);
    double *labels;
    int n = distinct_targets(d, &labels);
    int *class_of = n >= 0 ? malloc(sizeof *class_of * (size_t)d->n_rows) : NULL;
    if (!class_of) {
        if (n >= 0)
            free(labels);
        return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", d->source);
    }
    if (n < 2) {
        free(labels);
        free(class_of);
        if (d->class_names)
            return hpo__fail(m, HPO_EINVAL,
                             "%s: target '%s' has a single label ('%s'): one class "
                             "is nothing to classify", d->source, d->target_name,
                             d->class_names[0]);
        return hpo__fail(m, HPO_EINVAL,
                         "%s: target '%s' has a single value (%.17g): one class "
                         "is nothing to classify", d->source, d->target_name, d->y[0]);
    }
    set_classes(d, labels, n, class_of);
    return HPO_OK;
}

hpo__task hpo__data_task(const hpo__dataset *d)
{
    return d->n_classes > 0 ? HPO__CLASSIFICATION : HPO__REGRESSION;
}

/* The loaders' guess: class labels when every target is a whole number,
 * there are 2..GUESS_CLASSES_MAX distinct values and at most half as many
 * as rows (so an integer-valued regression target such as a price or a
 * count is not mistaken for labels).  A target of text labels is always
 * classes. */
static int guess_task(hpo__dataset *d, hpo__msg *m)
{
    if (d->class_names) /* text labels: classes whatever their number */
        return hpo__data_set_task(d, HPO__CLASSIFICATION, m);
    forget_classes(d);
    if (first_non_label(d) >= 0)
        return HPO_OK;
    double *labels;
    int n = distinct_targets(d, &labels);
    if (n < 0)
        return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", d->source);
    free(labels);
    if (n < 2 || n > GUESS_CLASSES_MAX || 2 * n > d->n_rows)
        return HPO_OK;
    return hpo__data_set_task(d, HPO__CLASSIFICATION, m);
}

/* ---- dense storage -------------------------------------------------------- */

int hpo__data_alloc(hpo__dataset *d, int max_rows, int n_features, hpo__msg *m)
{
    d->n_features = n_features;
    /* Below INT_MAX rows x 2^20 features, the product cannot overflow. */
    size_t cells = (size_t)(max_rows ? max_rows : 1) * (size_t)n_features;
    if (n_features > HPO_MAX_FEATURES || cells > HPO_MAX_DATA_CELLS)
        return hpo__fail(m, HPO_EINVAL,
                         "%s: %d rows x %d features: more than hpo holds in "
                         "memory (%d features, %zu values)",
                         d->source, max_rows, n_features, HPO_MAX_FEATURES,
                         HPO_MAX_DATA_CELLS);
    d->x = calloc(cells, sizeof *d->x);
    d->y = calloc((size_t)(max_rows ? max_rows : 1), sizeof *d->y);
    d->feature_names = calloc((size_t)n_features, sizeof *d->feature_names);
    if (!d->x || !d->y || !d->feature_names)
        return hpo__fail(m, HPO_ENOMEM,
                         "%s: %d rows x %d features do not fit in memory",
                         d->source, max_rows, n_features);
    return HPO_OK;
}

/* ---- libsvm ---------------------------------------------------------------- */

/* The nonzeros of the whole file, row by row, before densifying. */
typedef struct sparse_rows {
    int n_rows, cap_rows;
    double *labels;
    int *row_end; /* entries of row i are [row_end[i-1], row_end[i]) */
    int n_entries, cap_entries;
    int *index;   /* 1-based feature index */
    double *value;
    int max_index;
} sparse_rows;

static void sparse_free(sparse_rows *sp)
{
    free(sp->labels);
    free(sp->row_end);
    free(sp->index);
    free(sp->value);
}

static const char *token_end(const char *s, const char *e)
{
    while (s < e && !is_blank(*s))
        s++;
    return s;
}

typedef struct libsvm_where {
    const char *path;
    int line;
    const char *line_start;
} libsvm_where;

static int token_error(const libsvm_where *w, const char *s, const char *e,
                       const char *what, hpo__msg *m)
{
    return hpo__fail(m, HPO_EINVAL, "%s:%d:%d: '%.*s%s' %s", w->path, w->line,
                     (int)(s - w->line_start) + 1, quoted_len(s, e), s,
                     quoted_tail(s, e), what);
}

/* Room for one more entry in both index and value. */
static int grow_entries(sparse_rows *sp)
{
    if (sp->n_entries < sp->cap_entries)
        return HPO_OK;
    if (sp->cap_entries > INT_MAX / 2)
        return HPO_ENOMEM;
    int cap = sp->cap_entries ? 2 * sp->cap_entries : 4096;
    int *index = realloc(sp->index, sizeof *index * (size_t)cap);
    if (index)
        sp->index = index;
    double *value = index ? realloc(sp->value, sizeof *value * (size_t)cap) : NULL;
    if (!value)
        return HPO_ENOMEM;
    sp->value = value;
    sp->cap_entries = cap;
    return HPO_OK;
}

/* "index:value" at [s, e) with index above *prev. */
static int parse_pair(sparse_rows *sp, const libsvm_where *w, const char *s,
                      const char *e, int *prev, hpo__msg *m)
{
    const char *colon = memchr(s, ':', (size_t)(e - s));
    if (!colon)
        return token_error(w, s, e, "is not index:value", m);
    long index = 0;
    const char *p = s;
    for (; p < colon && *p >= '0' && *p <= '9' && index <= INT_MAX; p++)
        index = index * 10 + (*p - '0');
    if (p != colon || p == s || index < 1 || index > INT_MAX)
        return token_error(w, s, e, "does not start with a feature index "
                                    "(a whole number from 1)", m);
    if (index <= *prev)
        return token_error(w, s, e, "repeats or goes back: feature indices must "
                                    "ascend", m);
    if (index > HPO_MAX_FEATURES)
        return hpo__fail(m, HPO_EINVAL, "%s:%d:%d: feature index %ld is above "
                         "%d, the most hpo holds", w->path, w->line,
                         (int)(s - w->line_start) + 1, index, HPO_MAX_FEATURES);
    double v;
    hpo__cell st = hpo__cell_number(colon + 1, e, &v);
    if (st != HPO__CELL_OK)
        return token_error(w, s, e, st == HPO__CELL_NOT_FINITE ? "has a value that is "
                           "not a finite number" : "has a value that is not a number", m);
    *prev = (int)index;
    if (grow_entries(sp) != HPO_OK)
        return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", w->path);
    sp->index[sp->n_entries] = (int)index;
    sp->value[sp->n_entries++] = v;
    if (index > sp->max_index)
        sp->max_index = (int)index;
    return HPO_OK;
}

static int add_sparse_row(sparse_rows *sp, const char *path, double label, hpo__msg *m)
{
    if (sp->n_rows == sp->cap_rows) {
        int cap = sp->cap_rows ? 2 * sp->cap_rows : 256;
        double *labels = realloc(sp->labels, sizeof *labels * (size_t)cap);
        if (labels)
            sp->labels = labels;
        int *row_end = labels ? realloc(sp->row_end, sizeof *row_end * (size_t)cap) : NULL;
        if (!row_end)
            return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", path);
        sp->row_end = row_end;
        sp->cap_rows = cap;
    }
    sp->labels[sp->n_rows] = label;
    sp->row_end[sp->n_rows++] = sp->n_entries;
    return HPO_OK;
}

static int parse_libsvm_line(sparse_rows *sp, const libsvm_where *w,
                             const char *s, const char *e, hpo__msg *m)
{
    const char *hash = memchr(s, '#', (size_t)(e - s));
    if (hash)
        e = hash; /* SVMlight comment */
    while (s < e && is_blank(*s))
        s++;
    if (s == e)
        return HPO_OK;
    const char *te = token_end(s, e);
    double label;
    hpo__cell st = hpo__cell_number(s, te, &label);
    if (st != HPO__CELL_OK)
        return token_error(w, s, te, "is not a number (the label)", m);
    int rc = add_sparse_row(sp, w->path, label, m);
    int prev = 0;
    for (s = te; rc == HPO_OK; s = te) {
        while (s < e && is_blank(*s))
            s++;
        if (s == e)
            break;
        te = token_end(s, e);
        rc = parse_pair(sp, w, s, te, &prev, m);
        sp->row_end[sp->n_rows - 1] = sp->n_entries;
    }
    return rc;
}

static int densify(hpo__dataset *d, const sparse_rows *sp, hpo__msg *m)
{
    if (sp->max_index == 0)
        return hpo__fail(m, HPO_EINVAL, "%s: no features (no index:value pairs)",
                         d->source);
    int rc = hpo__data_alloc(d, sp->n_rows, sp->max_index, m);
    if (rc != HPO_OK)
        return rc;
    d->n_rows = sp->n_rows;
    for (int i = 0, k = 0; i < sp->n_rows; i++) {
        d->y[i] = sp->labels[i];
        for (; k < sp->row_end[i]; k++)
            d->x[(size_t)i * (size_t)d->n_features + (size_t)(sp->index[k] - 1)] =
                sp->value[k];
    }
    for (int j = 0; j < d->n_features; j++)
        if (!(d->feature_names[j] = hpo__asprintf("f%d", j + 1)))
            return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", d->source);
    if (!(d->target_name = hpo__strdup("label")))
        return hpo__fail(m, HPO_ENOMEM, "%s: out of memory", d->source);
    return HPO_OK;
}

static int parse_libsvm(hpo__dataset *d, const text_file *f, hpo__msg *m)
{
    line_cursor c;
    cursor_init(&c, f);
    sparse_rows sp = {0};
    int rc = HPO_OK, any_text = 0;
    const char *s, *e;
    while (rc == HPO_OK && next_line(&c, &s, &e)) {
        libsvm_where w = {d->source, c.line_no, s};
        any_text |= !blank_line(s, e);
        rc = parse_libsvm_line(&sp, &w, s, e, m);
    }
    if (rc == HPO_OK && !any_text)
        rc = hpo__fail(m, HPO_EINVAL, "%s: empty", d->source);
    else if (rc == HPO_OK && sp.n_rows == 0)
        rc = hpo__fail(m, HPO_EINVAL, "%s: no data rows", d->source);
    if (rc == HPO_OK)
        rc = densify(d, &sp, m);
    sparse_free(&sp);
    return rc;
}

/* ---- entry points ---------------------------------------------------------- */

typedef int (*parse_fn)(hpo__dataset *d, const text_file *f,
                        const hpo__data_opts *o, hpo__msg *m);

static int parse_csv(hpo__dataset *d, const text_file *f, const hpo__data_opts *o,
                     hpo__msg *m)
{
    return hpo__csv_parse(d, f->buf, f->len, o, m);
}

static int parse_libsvm_any_target(hpo__dataset *d, const text_file *f,
                                   const hpo__data_opts *o, hpo__msg *m)
{
    if (o->target && strcmp(o->target, "label") != 0)
        return hpo__fail(m, HPO_EINVAL,
                         "%s: a libsvm file has no column names: its target is "
                         "the label (asked for '%s')", d->source, o->target);
    return parse_libsvm(d, f, m);
}

/* What every loader does once the text is in memory. */
static int parse_text(hpo__dataset *d, const char *source, const text_file *f,
                      const hpo__data_opts *o, parse_fn parse, hpo__msg *m)
{
    static const hpo__data_opts defaults;
    memset(d, 0, sizeof *d);
    if (!(d->source = hpo__strdup(source)))
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    int rc = parse(d, f, o ? o : &defaults, m);
    if (rc == HPO_OK)
        rc = guess_task(d, m);
    if (rc != HPO_OK)
        hpo__data_free(d);
    return rc;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* CSV unless the first non-blank line has no comma and its second token
 * looks like "index:value". */
static parse_fn sniff_format(const text_file *f)
{
    line_cursor c;
    cursor_init(&c, f);
    const char *s, *e;
    while (next_line(&c, &s, &e)) {
        if (blank_line(s, e))
            continue;
        if (memchr(s, ',', (size_t)(e - s)))
            return parse_csv;
        while (s < e && is_blank(*s))
            s++;
        s = token_end(s, e);
        while (s < e && is_blank(*s))
            s++;
        const char *te = token_end(s, e);
        return memchr(s, ':', (size_t)(te - s)) ? parse_libsvm_any_target : parse_csv;
    }
    return parse_csv;
}

/* The reader a file's extension names, or NULL to sniff its text. */
static parse_fn format_of_path(const char *path)
{
    if (has_suffix(path, ".libsvm") || has_suffix(path, ".svm") ||
        has_suffix(path, ".svmlight"))
        return parse_libsvm_any_target;
    return has_suffix(path, ".csv") ? parse_csv : NULL;
}

static int load_with(hpo__dataset *d, const char *path, const hpo__data_opts *o,
                     parse_fn parse, hpo__msg *m)
{
    memset(d, 0, sizeof *d);
    if (!path)
        return hpo__fail(m, HPO_EINVAL, "no data file given");
    text_file f;
    int rc = read_whole_file(path, &f, m);
    if (rc == HPO_OK)
        rc = parse_text(d, path, &f, o,
                        parse ? parse : (parse = format_of_path(path)) ? parse
                                                                       : sniff_format(&f),
                        m);
    free(f.buf);
    return rc;
}

int hpo__data_load_with(hpo__dataset *d, const char *path, const hpo__data_opts *o,
                        hpo__msg *m)
{
    return load_with(d, path, o, NULL, m);
}

int hpo__data_load(hpo__dataset *d, const char *path, const char *target,
                   hpo__msg *m)
{
    hpo__data_opts o = {.target = target};
    return load_with(d, path, &o, NULL, m);
}

int hpo__data_load_csv(hpo__dataset *d, const char *path, const char *target,
                       hpo__msg *m)
{
    hpo__data_opts o = {.target = target};
    return load_with(d, path, &o, parse_csv, m);
}

int hpo__data_load_libsvm(hpo__dataset *d, const char *path, hpo__msg *m)
{
    return load_with(d, path, NULL, parse_libsvm_any_target, m);
}

int hpo__data_parse_with(hpo__dataset *d, const char *source, const char *text,
                         size_t len, const hpo__data_opts *o,
                         hpo__data_format format, hpo__msg *m)
{
    const text_file f = {(char *)text, len};
    parse_fn parse = format == HPO__DATA_CSV      ? parse_csv
                     : format == HPO__DATA_LIBSVM ? parse_libsvm_any_target
                                                  : sniff_format(&f);
    return parse_text(d, source, &f, o, parse, m);
}

int hpo__data_parse(hpo__dataset *d, const char *source, const char *text,
                    size_t len, const char *target, hpo__data_format format,
                    hpo__msg *m)
{
    hpo__data_opts o = {.target = target};
    return hpo__data_parse_with(d, source, text, len, &o, format, m);
}

/* ---- option names ------------------------------------------------------------ */

static int name_index(const char *name, const char *const *names, int n)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static const char *const missing_names[] = {"error", "mean", "median", "drop"};

const char *hpo__missing_name(hpo__missing missing)
{
    return missing_names[missing];
}

int hpo__missing_parse(const char *name, hpo__missing *out, hpo__msg *m)
{
    int i = name_index(name, missing_names, 4);
    if (i < 0)
        return hpo__fail(m, HPO_EINVAL, "--missing: '%s' is not error, mean, median "
                         "or drop", name ? name : "");
    *out = (hpo__missing)i;
    return HPO_OK;
}

int hpo__categorical_parse(const char *name, hpo__categorical *out, hpo__msg *m)
{
    static const char *const names[] = {"onehot", "error"};
    int i = name_index(name, names, 2);
    if (i < 0)
        return hpo__fail(m, HPO_EINVAL, "--categorical: '%s' is not onehot or error",
                         name ? name : "");
    *out = (hpo__categorical)i;
    return HPO_OK;
}
