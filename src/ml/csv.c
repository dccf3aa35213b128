/*
 * csv.c — a CSV data file into a dense hpo__dataset: RFC 4180 quoting,
 * missing values, categorical (text) columns one-hot encoded.
 *
 * The dialect (docs/ml.md says it to users):
 *   1. One header row of column names, then one record per row; fields
 *      separated by commas.  A field may be quoted ("a, b", "say ""hi""",
 *      a line break inside quotes); quoting follows RFC 4180 strictly: a
 *      quote inside an unquoted field, or text after a closing quote, is
 *      an error with its line and column.
 *   2. Accepted beside RFC 4180: a UTF-8 byte-order mark, LF or CRLF line
 *      ends (a lone CR ends a record too), a missing final newline, blank
 *      lines, and spaces or tabs around unquoted fields.
 *   3. Missing values: an empty field, or exactly NA, N/A, n/a, #N/A, <NA>,
 *      NaN, nan, -nan, NULL, null, None, ?.  By default the first one is
 *      an error naming its line and column; hpo__data_opts.missing fills
 *      a feature with its mean or median (a categorical one with its most
 *      frequent level) or drops the rows that have one.  A missing target
 *      is never filled.  The fill uses all rows, before any split.
 *   4. A column with a field that is not a number is categorical: its
 *      distinct texts (levels, at most HPO_MAX_LEVELS) become one 0/1
 *      feature each, "color=red", in sorted order; or an error naming the
 *      column (HPO__CATEGORICAL_ERROR).  A categorical target holds class
 *      labels: class i is the i-th label in sorted order.
 *   5. inf, -inf and numbers beyond a double (1e999) in a numeric column
 *      are refused, as before: no learner handles them.
 *   6. Line numbers count LF characters: a record that spans lines is
 *      named by its first line; COL in "FILE:LINE:COL" is the 1-based
 *      field number (for a quoting error: the byte in the line).
 *
 * Two tokenizers feed one builder: a file without any quote or lone CR
 * is split on commas and line ends by hand (the fast path: most data
 * sets, and no quoting rule can apply), any other by Debian's libcsv
 * (Robert Gamble's, LGPL-2.1, linked dynamically) in strict mode.  The
 * fuzz harness checks that both read quote-free text alike.  A file with
 * a categorical column is tokenized twice: the first pass reads numbers
 * straight into the matrix and finds which columns hold text, the second
 * reads only those columns' levels.
 */
#define _GNU_SOURCE
#include <csv.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_build.h"

/* Column names listed when a target column is not found. */
#define NAMES_LISTED_MAX 12
/* libcsv grows its field buffer by this much at a time. */
#define CSV_BLOCK 4096

/* ---- the builder ------------------------------------------------------------ */

int hpo__csv_fail_oom(hpo__csv_build *b)
{
    return b->rc = hpo__fail(b->m, HPO_ENOMEM, "%s: out of memory", b->d->source);
}

/* Exactly one of the texts a CSV writer leaves for "no value". */
static int is_missing(const char *s, size_t len)
{
    static const char *const tokens[] = {"NA", "N/A", "n/a", "#N/A", "<NA>",
        "NaN", "nan", "-nan", "NULL", "null", "None", "?"};
    if (len == 0)
        return 1;
    for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++)
        if (strlen(tokens[i]) == len && memcmp(tokens[i], s, len) == 0)
            return 1;
    return 0;
}

static void show_cell(char *out, size_t size, const char *s, size_t len)
{
    char *copy = hpo__strndup(s, len < HPO__CELL_QUOTE_MAX ? len : HPO__CELL_QUOTE_MAX);
    hpo__text_shown(out, size, copy ? copy : "?");
    if (len > HPO__CELL_QUOTE_MAX && strlen(out) + 4 <= size)
        strcat(out, "...");
    free(copy);
}

/* ---- the header --------------------------------------------------------- */

static int add_name(hpo__csv_build *b, const char *s, size_t len)
{
    if (b->n_cols > HPO_MAX_FEATURES)
        return b->rc = hpo__fail(b->m, HPO_EINVAL, "%s:%d: more than %d columns",
                                 b->d->source, b->line, HPO_MAX_FEATURES + 1);
    if (hpo__grow((void **)&b->names, &b->cap_names, b->n_cols + 1, sizeof *b->names) ||
        !(b->names[b->n_cols] = hpo__strndup(s, len)))
        return hpo__csv_fail_oom(b);
    b->n_cols++;
    return HPO_OK;
}

static int check_names(hpo__csv_build *b)
{
    const char *src = b->d->source;
    int numeric = 0;
    for (int j = 0; j < b->n_cols; j++) {
        const char *name = b->names[j];
        double ignored;
        if (!*name)
            return hpo__fail(b->m, HPO_EINVAL, "%s:%d:%d: empty column name", src,
                             b->line, j + 1);
        numeric += hpo__cell_number(name, name + strlen(name), &ignored) == HPO__CELL_OK;
        for (int k = 0; k < j; k++)
            if (strcmp(b->names[k], name) == 0)
                return hpo__fail(b->m, HPO_EINVAL,
                                 "%s:%d:%d: column '%s' appears twice (also column %d)",
                                 src, b->line, j + 1, name, k + 1);
    }
    if (numeric == b->n_cols)
        return hpo__fail(b->m, HPO_EINVAL,
                         "%s:%d: the first line holds numbers, not column names "
                         "(a header row is required)", src, b->line);
    if (b->n_cols < 2)
        return hpo__fail(b->m, HPO_EINVAL,
                         "%s:%d: one column: a target needs at least one feature "
                         "beside it", src, b->line);
    return HPO_OK;
}

/* "a, b, c, ... (40 in all)" for the message about a missing column. */
static char *list_names(const hpo__csv_build *b)
{
    size_t size = 64;
    for (int j = 0; j < b->n_cols && j < NAMES_LISTED_MAX; j++)
        size += strlen(b->names[j]) + 2;
    char *out = malloc(size);
    if (!out)
        return NULL;
    size_t used = 0;
    for (int j = 0; j < b->n_cols && j < NAMES_LISTED_MAX; j++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", j ? ", " : "",
                                 b->names[j]);
    if (b->n_cols > NAMES_LISTED_MAX)
        snprintf(out + used, size - used, ", ... (%d in all)", b->n_cols);
    return out;
}

/* By name first; a whole number 1..n_cols that names no column is the
 * column's place. */
static int find_target(hpo__csv_build *b)
{
    const char *target = b->o->target;
    if (!target) {
        b->target = b->n_cols - 1;
        return HPO_OK;
    }
    for (int j = 0; j < b->n_cols; j++)
        if (strcmp(b->names[j], target) == 0) {
            b->target = j;
            return HPO_OK;
        }
    char *end;
    long place = strtol(target, &end, 10);
    if (*target >= '0' && *target <= '9' && !*end && place >= 1 && place <= b->n_cols) {
        b->target = (int)place - 1;
        return HPO_OK;
    }
    char *names = list_names(b);
    int rc = hpo__fail(b->m, HPO_EINVAL, "%s: no column '%s' (columns: %s)",
                       b->d->source, target, names ? names : "?");
    free(names);
    return rc;
}

static int end_header(hpo__csv_build *b)
{
    int rc = check_names(b);
    if (rc == HPO_OK)
        rc = find_target(b);
    if (rc != HPO_OK)
        return b->rc = rc;
    if (!(b->cols = calloc((size_t)b->n_cols, sizeof *b->cols)))
        return hpo__csv_fail_oom(b);
    for (int j = 0; j < b->n_cols; j++)
        b->cols[j].first_missing = b->cols[j].first_text = b->cols[j].first_infinite = -1;
    return HPO_OK;
}

/* ---- records ---------------------------------------------------------------- */

static int room_for_row(hpo__csv_build *b)
{
    if (b->n_rows < b->cap_rows)
        return HPO_OK;
    size_t cells = (size_t)(b->n_rows + 1) * (size_t)b->n_cols;
    if (cells > HPO_MAX_DATA_CELLS)
        return b->rc = hpo__fail(b->m, HPO_EINVAL,
                                 "%s: more than %d rows x %d columns: more than hpo "
                                 "holds in memory (%zu values)", b->d->source,
                                 b->n_rows, b->n_cols, HPO_MAX_DATA_CELLS);
    int need = b->n_rows + 1 > b->hint_rows ? b->n_rows + 1 : b->hint_rows;
    if (hpo__grow((void **)&b->line_of, &b->cap_lines, need, sizeof *b->line_of) ||
        hpo__grow((void **)&b->cells, &b->cap_rows, need,
                  sizeof *b->cells * (size_t)b->n_cols))
        return hpo__csv_fail_oom(b);
    return HPO_OK;
}

static void first_pass_cell(hpo__csv_build *b, hpo__csv_col *c, double *cell, const char *s,
                            size_t len)
{
    int row = b->n_rows;
    /* No missing-value token is a finite number: numbers are tried first. */
    hpo__cell st = hpo__cell_number(s, s + len, cell);
    if (st == HPO__CELL_OK)
        return;
    *cell = NAN;
    if (is_missing(s, len)) {
        if (c->n_missing++ == 0) {
            c->first_missing = row;
            snprintf(c->missing_text, sizeof c->missing_text, "%.*s", (int)len, s);
        }
        return;
    }
    int *first = st == HPO__CELL_NOT_FINITE ? &c->first_infinite : &c->first_text;
    if (*first >= 0)
        return;
    *first = row;
    if (st != HPO__CELL_NOT_FINITE || c->first_text < 0)
        show_cell(c->shown, sizeof c->shown, s, len);
}

static void second_pass_cell(hpo__csv_build *b, hpo__csv_col *c, double *cell, const char *s,
                             size_t len)
{
    if (c->first_text < 0 || is_missing(s, len))
        return; /* a number or NaN already */
    int level = hpo__level_of(&c->levels, s, len);
    if (level < 0) {
        hpo__csv_fail_oom(b);
        return;
    }
    if (c->levels.n > HPO_MAX_LEVELS) {
        int j = (int)(c - b->cols);
        b->rc = hpo__fail(b->m, HPO_EINVAL,
                          "%s:%d:%d: %s '%s' has more than %d distinct values "
                          "(HPO_MAX_LEVELS): too many %s; encode it as numbers%s",
                          b->d->source, b->line, j + 1,
                          j == b->target ? "target" : "categorical column",
                          b->names[j], HPO_MAX_LEVELS,
                          j == b->target ? "class labels" : "to one-hot encode",
                          j == b->target ? "" : " or drop it");
        return;
    }
    *cell = level;
}

static void on_field(hpo__csv_build *b, const char *s, size_t len)
{
    if (b->rc)
        return;
    if (len > HPO_MAX_CSV_FIELD) {
        b->rc = hpo__fail(b->m, HPO_EINVAL,
                          "%s:%d:%d: a field of more than %d bytes (HPO_MAX_CSV_FIELD): "
                          "not a data file, or a quote never closed", b->d->source,
                          b->line, b->field + 1, HPO_MAX_CSV_FIELD);
        return;
    }
    int j = b->field++;
    if (b->in_header) {
        if (b->pass == 1)
            add_name(b, s, len);
        return;
    }
    if (j >= b->n_cols || (j == 0 && room_for_row(b) != HPO_OK))
        return; /* a field too many: end_record says so */
    double *cell = b->cells + (size_t)b->n_rows * (size_t)b->n_cols + (size_t)j;
    if (j == 0)
        b->line_of[b->n_rows] = b->line;
    if (b->pass == 1)
        first_pass_cell(b, &b->cols[j], cell, s, len);
    else
        second_pass_cell(b, &b->cols[j], cell, s, len);
}

static void on_record_end(hpo__csv_build *b)
{
    if (b->rc)
        return;
    int fields = b->field;
    b->field = 0;
    if (b->in_header) {
        b->in_header = 0;
        if (b->pass == 1)
            end_header(b);
        return;
    }
    if (fields != b->n_cols) {
        b->rc = hpo__fail(b->m, HPO_EINVAL, "%s:%d: %d field%s, the header has %d",
                          b->d->source, b->line, fields, fields == 1 ? "" : "s",
                          b->n_cols);
        return;
    }
    b->n_rows++;
}

/* ---- the tokenizers ---------------------------------------------------------- */

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* A text without quotes: records are lines, fields are split at commas;
 * blank lines are skipped. */
static void feed_plain(hpo__csv_build *b, const char *p, const char *end)
{
    for (int line = 1; p < end && !b->rc; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end, *next = nl ? nl + 1 : end;
        if (e > p && e[-1] == '\r')
            e--;
        const char *s = p;
        while (s < e && is_blank(*s))
            s++;
        p = next;
        if (s == e)
            continue;
        b->line = line;
        for (;;) {
            const char *comma = memchr(s, ',', (size_t)(e - s));
            const char *fe = comma ? comma : e;
            while (s < fe && is_blank(*s))
                s++;
            const char *ve = fe;
            while (ve > s && is_blank(ve[-1]))
                ve--;
            on_field(b, s, (size_t)(ve - s));
            if (!comma)
                break;
            s = comma + 1;
        }
        on_record_end(b);
    }
}

static void libcsv_field(void *s, size_t len, void *data)
{
    on_field(data, s, len);
}

static void libcsv_record(int c, void *data)
{
    (void)c;
    on_record_end(data);
}

static int count_quotes(const char *s, const char *e)
{
    int n = 0;
    while ((s = memchr(s, '"', (size_t)(e - s))) != NULL) {
        n++;
        s++;
    }
    return n;
}

static void libcsv_failed(hpo__csv_build *b, struct csv_parser *p, int line, size_t col)
{
    if (csv_error(p) == CSV_EPARSE)
        b->rc = hpo__fail(b->m, HPO_EINVAL,
                          "%s:%d:%zu: a quote inside an unquoted field, or text "
                          "after a closing quote (RFC 4180: quote the whole field "
                          "and double the quotes in it: \"say \"\"hi\"\"\")",
                          b->d->source, line, col);
    else
        hpo__csv_fail_oom(b);
}

/* Any text, through libcsv, fed a line at a time so that each record
 * knows its first line: a line starts a record when no field of the
 * current one has been seen and no quoted field is open (an odd count of
 * quotes so far, which strict mode makes exact). */
static void feed_libcsv(hpo__csv_build *b, const char *p, const char *end)
{
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        hpo__csv_fail_oom(b);
        return;
    }
    csv_set_blk_size(&parser, CSV_BLOCK);
    int open_quote = 0;
    for (int line = 1; p < end && !b->rc; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        if (!open_quote && b->field == 0)
            b->line = line;
        size_t n = (size_t)(next - p);
        size_t done = csv_parse(&parser, p, n, libcsv_field, libcsv_record, b);
        if (done < n && !b->rc)
            libcsv_failed(b, &parser, line, done + 1);
        open_quote ^= count_quotes(p, next) & 1;
        p = next;
    }
    if (!b->rc && csv_fini(&parser, libcsv_field, libcsv_record, b) != 0)
        b->rc = hpo__fail(b->m, HPO_EINVAL,
                          "%s:%d: a quoted field is never closed (unterminated "
                          "quote in the record that starts here)", b->d->source,
                          b->line);
    csv_free(&parser);
}

/* The fast path needs no quote and no CR but before an LF. */
static int plain_text(const char *p, const char *end)
{
    if (memchr(p, '"', (size_t)(end - p)))
        return 0;
    for (const char *cr = p; (cr = memchr(cr, '\r', (size_t)(end - cr))); cr++)
        if (cr + 1 == end || cr[1] != '\n')
            return 0;
    return 1;
}

static int count_lines(const char *p, const char *end)
{
    size_t n = 1;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL && n < INT_MAX) {
        n++;
        p++;
    }
    return (int)n;
}

static int refuse_nul(hpo__csv_build *b, const char *p, const char *end)
{
    const char *nul = memchr(p, '\0', (size_t)(end - p));
    if (!nul)
        return HPO_OK;
    int line = 1;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(nul - q))); q++)
        line++;
    return b->rc = hpo__fail(b->m, HPO_EINVAL,
                             "%s:%d: a NUL byte: a binary file, not CSV text",
                             b->d->source, line);
}

static void tokenize(hpo__csv_build *b, const char *p, const char *end, int plain)
{
    b->in_header = 1;
    b->field = 0;
    b->n_rows = 0;
    if (plain)
        feed_plain(b, p, end);
    else
        feed_libcsv(b, p, end);
}

/* ---- after the records ------------------------------------------------------ */

static int needs_levels(const hpo__csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++)
        if (b->cols[j].first_text >= 0)
            return 1;
    return 0;
}

static void build_free(hpo__csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++) {
        free(b->names[j]);
        if (b->cols) {
            hpo__levels_free(&b->cols[j].levels);
            free(b->cols[j].rank);
        }
    }
    free(b->names);
    free(b->cols);
    free(b->cells);
    free(b->line_of);
}

static int read_records(hpo__csv_build *b, const char *p, const char *end)
{
    if (refuse_nul(b, p, end))
        return b->rc;
    int plain = !b->o->general_reader && plain_text(p, end);
    b->hint_rows = count_lines(p, end);
    b->pass = 1;
    tokenize(b, p, end, plain);
    if (b->rc)
        return b->rc;
    if (!b->cols)
        return hpo__fail(b->m, HPO_EINVAL, "%s: empty", b->d->source);
    if (b->n_rows == 0)
        return hpo__fail(b->m, HPO_EINVAL, "%s: no data rows", b->d->source);
    int rc = hpo__csv_check_columns(b);
    if (rc == HPO_OK && needs_levels(b)) {
        b->pass = 2;
        tokenize(b, p, end, plain);
        rc = b->rc;
    }
    return rc;
}

int hpo__csv_parse(hpo__dataset *d, const char *text, size_t len,
                   const hpo__data_opts *o, hpo__msg *m)
{
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* UTF-8 byte-order mark */
    hpo__csv_build b = {.d = d, .o = o, .m = m};
    int rc = read_records(&b, p, end);
    if (rc == HPO_OK)
        rc = hpo__csv_build_dataset(&b);
    build_free(&b);
    return rc;
}
