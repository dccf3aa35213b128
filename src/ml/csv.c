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

#include "data_text.h"

/* Column names listed when a target column is not found. */
#define NAMES_LISTED_MAX 12
/* Levels named in a note about a categorical column. */
#define LEVELS_LISTED_MAX 10
/* libcsv grows its field buffer by this much at a time. */
#define CSV_BLOCK 4096

/* ---- levels of a categorical column ------------------------------------- */

typedef struct level_table {
    int n, n_slots;
    char **names; /* n, in order of first sight */
    int *count;   /* n: rows holding each */
    int *slot;    /* n_slots: level + 1, 0 = empty */
    int cap;
} level_table;

static void levels_free(level_table *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->count);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static unsigned hash_text(const char *s, size_t len)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Room for one more level: the slots stay at most half full. */
static int levels_grow(level_table *t)
{
    int cap = t->cap;
    if (hpo__grow((void **)&t->names, &t->cap, t->n + 2, sizeof *t->names))
        return HPO_ENOMEM; /* + 2: the class names end with NULL */
    if (t->cap != cap) {
        int *count = realloc(t->count, sizeof *count * (size_t)t->cap);
        if (!count)
            return HPO_ENOMEM;
        t->count = count;
    }
    if (2 * (t->n + 1) <= t->n_slots)
        return HPO_OK;
    int n_slots = t->n_slots ? 2 * t->n_slots : 64;
    int *slot = calloc((size_t)n_slots, sizeof *slot);
    if (!slot)
        return HPO_ENOMEM;
    for (int i = 0; i < t->n; i++) {
        unsigned h = hash_text(t->names[i], strlen(t->names[i]));
        while (slot[h & (unsigned)(n_slots - 1)])
            h++;
        slot[h & (unsigned)(n_slots - 1)] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->n_slots = n_slots;
    return HPO_OK;
}

/* The level of [s, s + len), added when new: its index, or -1 (memory). */
static int level_of(level_table *t, const char *s, size_t len)
{
    if (levels_grow(t) != HPO_OK)
        return -1;
    unsigned h = hash_text(s, len), mask = (unsigned)(t->n_slots - 1);
    for (;; h++) {
        int k = t->slot[h & mask] - 1;
        if (k < 0)
            break;
        if (strlen(t->names[k]) == len && memcmp(t->names[k], s, len) == 0) {
            t->count[k]++;
            return k;
        }
    }
    if (!(t->names[t->n] = hpo__strndup(s, len)))
        return -1;
    t->count[t->n] = 1;
    t->slot[h & mask] = t->n + 1;
    return t->n++;
}

/* ---- the builder ------------------------------------------------------------ */

typedef struct csv_col {
    int n_missing, first_missing; /* data rows; -1: none */
    char missing_text[8];
    int first_text;               /* data row of the first non-number */
    int first_infinite;           /* data row of the first inf/1e999 */
    char shown[HPO__CELL_QUOTE_MAX + 8]; /* that cell, for messages */
    level_table levels;           /* a text column's, second pass */
    int *rank;                    /* level -> place in sorted order */
} csv_col;

typedef struct csv_build {
    hpo__dataset *d;
    const hpo__data_opts *o;
    hpo__msg *m;
    int rc;          /* the first error; later events are ignored */
    int pass;        /* 1: numbers; 2: the levels of text columns */
    int in_header;   /* the current record is the header */
    int n_cols, cap_names;
    char **names;
    csv_col *cols;   /* n_cols, once the header is read */
    int target;
    int field;       /* fields of the current record so far */
    int line;        /* first line of the current record */
    int n_rows, cap_rows, cap_lines;
    int hint_rows;   /* lines in the text: rows to make room for at once */
    double *cells;   /* n_rows x n_cols: numbers, NaN = missing or text */
    int *line_of;    /* each data row's first line */
} csv_build;

static int fail_oom(csv_build *b)
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

static int add_name(csv_build *b, const char *s, size_t len)
{
    if (b->n_cols > HPO_MAX_FEATURES)
        return b->rc = hpo__fail(b->m, HPO_EINVAL, "%s:%d: more than %d columns",
                                 b->d->source, b->line, HPO_MAX_FEATURES + 1);
    if (hpo__grow((void **)&b->names, &b->cap_names, b->n_cols + 1, sizeof *b->names) ||
        !(b->names[b->n_cols] = hpo__strndup(s, len)))
        return fail_oom(b);
    b->n_cols++;
    return HPO_OK;
}

static int check_names(csv_build *b)
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
static char *list_names(const csv_build *b)
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
static int find_target(csv_build *b)
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

static int end_header(csv_build *b)
{
    int rc = check_names(b);
    if (rc == HPO_OK)
        rc = find_target(b);
    if (rc != HPO_OK)
        return b->rc = rc;
    if (!(b->cols = calloc((size_t)b->n_cols, sizeof *b->cols)))
        return fail_oom(b);
    for (int j = 0; j < b->n_cols; j++)
        b->cols[j].first_missing = b->cols[j].first_text = b->cols[j].first_infinite = -1;
    return HPO_OK;
}

/* ---- records ---------------------------------------------------------------- */

static int room_for_row(csv_build *b)
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
        return fail_oom(b);
    return HPO_OK;
}

static void first_pass_cell(csv_build *b, csv_col *c, double *cell, const char *s,
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

static void second_pass_cell(csv_build *b, csv_col *c, double *cell, const char *s,
                             size_t len)
{
    if (c->first_text < 0 || is_missing(s, len))
        return; /* a number or NaN already */
    int level = level_of(&c->levels, s, len);
    if (level < 0) {
        fail_oom(b);
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

static void on_field(csv_build *b, const char *s, size_t len)
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

static void on_record_end(csv_build *b)
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
static void feed_plain(csv_build *b, const char *p, const char *end)
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

static void libcsv_failed(csv_build *b, struct csv_parser *p, int line, size_t col)
{
    if (csv_error(p) == CSV_EPARSE)
        b->rc = hpo__fail(b->m, HPO_EINVAL,
                          "%s:%d:%zu: a quote inside an unquoted field, or text "
                          "after a closing quote (RFC 4180: quote the whole field "
                          "and double the quotes in it: \"say \"\"hi\"\"\")",
                          b->d->source, line, col);
    else
        fail_oom(b);
}

/* Any text, through libcsv, fed a line at a time so that each record
 * knows its first line: a line starts a record when no field of the
 * current one has been seen and no quoted field is open (an odd count of
 * quotes so far, which strict mode makes exact). */
static void feed_libcsv(csv_build *b, const char *p, const char *end)
{
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail_oom(b);
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

static int refuse_nul(csv_build *b, const char *p, const char *end)
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

static void tokenize(csv_build *b, const char *p, const char *end, int plain)
{
    b->in_header = 1;
    b->field = 0;
    b->n_rows = 0;
    if (plain)
        feed_plain(b, p, end);
    else
        feed_libcsv(b, p, end);
}

/* ---- columns: checks, missing values, levels ------------------------------- */

static int needs_levels(const csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++)
        if (b->cols[j].first_text >= 0)
            return 1;
    return 0;
}

static int refuse_column(csv_build *b, int j, const char *why)
{
    csv_col *c = &b->cols[j];
    int row = c->first_text >= 0 ? c->first_text : c->first_infinite;
    return hpo__fail(b->m, HPO_EINVAL, "%s:%d:%d: '%s' is not a %snumber (column %s)%s",
                     b->d->source, b->line_of[row], j + 1, c->shown,
                     c->first_text >= 0 ? "" : "finite ", b->names[j], why);
}

static int check_columns(csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++) {
        csv_col *c = &b->cols[j];
        if (c->first_text < 0 && c->first_infinite >= 0)
            return refuse_column(b, j, "");
        if (c->first_text >= 0 && j != b->target &&
            b->o->categorical == HPO__CATEGORICAL_ERROR)
            return refuse_column(b, j, ": --categorical error refuses text in a "
                                       "feature (--categorical onehot encodes it)");
        if (c->n_missing == b->n_rows)
            return hpo__fail(b->m, HPO_EINVAL, "%s:%d: column '%s' (column %d) is "
                             "missing in every row: drop it", b->d->source,
                             b->line_of[0], b->names[j], j + 1);
    }
    return HPO_OK;
}

static int compare_texts(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Levels in sorted order; rank maps a level of first sight to its place. */
static int sort_levels(csv_build *b, csv_col *c)
{
    level_table *t = &c->levels;
    char **sorted = malloc(sizeof *sorted * (size_t)(t->n + 1)); /* NULL-ended */
    int *count = malloc(sizeof *count * (size_t)(t->n ? t->n : 1));
    if (!(c->rank = malloc(sizeof *c->rank * (size_t)(t->n ? t->n : 1))) ||
        !sorted || !count) {
        free(sorted);
        free(count);
        return fail_oom(b);
    }
    memcpy(sorted, t->names, sizeof *sorted * (size_t)t->n);
    sorted[t->n] = NULL;
    qsort(sorted, (size_t)t->n, sizeof *sorted, compare_texts);
    for (int k = 0; k < t->n; k++) {
        char **hit = bsearch(&t->names[k], sorted, (size_t)t->n, sizeof *sorted,
                             compare_texts);
        c->rank[k] = (int)(hit - sorted);
        count[c->rank[k]] = t->count[k];
    }
    free(t->names);
    free(t->count);
    t->names = sorted;
    t->count = count;
    return HPO_OK;
}

static int add_note(hpo__dataset *d, char *note)
{
    char **more = note ? realloc(d->notes, sizeof *more * (size_t)(d->n_notes + 1)) : NULL;
    if (!more) {
        free(note);
        return HPO_ENOMEM;
    }
    d->notes = more;
    d->notes[d->n_notes++] = note;
    return HPO_OK;
}

/* The missing value that comes first in the file (of the target only
 * when only_target), as an error. */
static int missing_error(csv_build *b, int only_target)
{
    int best = -1;
    for (int j = 0; j < b->n_cols; j++)
        if (b->cols[j].first_missing >= 0 && (!only_target || j == b->target) &&
            (best < 0 || b->cols[j].first_missing < b->cols[best].first_missing))
            best = j;
    if (best < 0)
        return HPO_OK;
    const csv_col *c = &b->cols[best];
    int target = best == b->target;
    return hpo__fail(b->m, HPO_EINVAL, "%s:%d:%d: missing value%s%s%s in data row %d "
                     "(column %s)%s", b->d->source, b->line_of[c->first_missing],
                     best + 1, *c->missing_text ? " '" : "", c->missing_text,
                     *c->missing_text ? "'" : "", c->first_missing + 1, b->names[best],
                     target ? ": a row without a target can only be dropped "
                              "(--missing drop)"
                            : "; --missing mean, median or drop fills or drops "
                              "missing values");
}

static int drop_rows(csv_build *b)
{
    int kept = 0, first = -1;
    for (int i = 0; i < b->n_rows; i++) {
        const double *row = b->cells + (size_t)i * (size_t)b->n_cols;
        int whole = 1;
        for (int j = 0; j < b->n_cols && whole; j++)
            whole = !isnan(row[j]);
        if (!whole) {
            if (first < 0)
                first = b->line_of[i];
            continue;
        }
        memmove(b->cells + (size_t)kept * (size_t)b->n_cols, row,
                sizeof *row * (size_t)b->n_cols);
        b->line_of[kept++] = b->line_of[i];
    }
    int dropped = b->n_rows - kept;
    if (dropped == 0)
        return HPO_OK;
    if (kept == 0)
        return hpo__fail(b->m, HPO_EINVAL, "%s: every row has a missing value: "
                         "--missing drop leaves no data", b->d->source);
    b->n_rows = kept;
    if (add_note(b->d, hpo__asprintf("%d row%s with a missing value dropped (the "
                                     "first at line %d); %d left", dropped,
                                     dropped == 1 ? "" : "s", first, kept)))
        return fail_oom(b);
    return HPO_OK;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The mean or median of column j's present values (numbers). */
static double column_center(csv_build *b, int j, double *scratch)
{
    int n = 0;
    double sum = 0;
    for (int i = 0; i < b->n_rows; i++) {
        double v = b->cells[(size_t)i * (size_t)b->n_cols + (size_t)j];
        if (!isnan(v)) {
            scratch[n++] = v;
            sum += v;
        }
    }
    if (b->o->missing == HPO__MISSING_MEAN)
        return sum / n;
    qsort(scratch, (size_t)n, sizeof *scratch, compare_doubles);
    return n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

/* The most frequent level (the first in sorted order on a tie), as the
 * level of first sight that the cells hold until encoding. */
static int column_mode(const csv_col *c)
{
    int best = 0;
    for (int k = 1; k < c->levels.n; k++)
        if (c->levels.count[k] > c->levels.count[best])
            best = k;
    for (int k = 0; k < c->levels.n; k++)
        if (c->rank[k] == best)
            return k;
    return 0;
}

static int fill_column(csv_build *b, int j, double *scratch)
{
    csv_col *c = &b->cols[j];
    int text = c->first_text >= 0;
    double fill = text ? column_mode(c) : column_center(b, j, scratch);
    for (int i = 0; i < b->n_rows; i++) {
        double *v = b->cells + (size_t)i * (size_t)b->n_cols + (size_t)j;
        if (isnan(*v))
            *v = fill;
    }
    char shown[64], num[40];
    if (text)
        hpo__text_shown(shown, sizeof shown, c->levels.names[c->rank[(int)fill]]);
    else
        hpo__format_double(num, sizeof num, fill);
    char *note = hpo__asprintf("column '%s': %d missing value%s filled with %s %s%s%s",
                               b->names[j], c->n_missing, c->n_missing == 1 ? "" : "s",
                               text ? "its most frequent level" :
                               b->o->missing == HPO__MISSING_MEAN ? "its mean"
                                                                  : "its median",
                               text ? "'" : "", text ? shown : num, text ? "'" : "");
    return add_note(b->d, note) ? fail_oom(b) : HPO_OK;
}

/* After rows are dropped, the levels no kept row holds go (so every
 * one-hot feature and text label is seen, and the labels are the classes). */
static void prune_levels(csv_build *b, int j)
{
    csv_col *c = &b->cols[j];
    level_table *t = &c->levels;
    for (int k = 0; k < t->n; k++)
        t->count[k] = 0;
    for (int i = 0; i < b->n_rows; i++)
        t->count[c->rank[(int)b->cells[(size_t)i * (size_t)b->n_cols + (size_t)j]]]++;
    int kept = 0;
    for (int k = 0; k < t->n; k++) {
        int place = t->count[k] ? kept++ : -1;
        if (place < 0)
            free(t->names[k]);
        else {
            t->names[place] = t->names[k];
            t->count[place] = t->count[k];
        }
        for (int first = 0; first < t->n; first++)
            if (c->rank[first] == k)
                c->rank[first] = place;
    }
    t->n = kept;
    t->names[kept] = NULL;
}

static int handle_missing(csv_build *b)
{
    if (b->o->missing == HPO__MISSING_DROP) {
        int rc = drop_rows(b);
        for (int j = 0; j < b->n_cols && rc == HPO_OK; j++)
            if (b->cols[j].first_text >= 0)
                prune_levels(b, j);
        return rc;
    }
    if (b->o->missing == HPO__MISSING_ERROR || b->cols[b->target].n_missing > 0)
        return missing_error(b, b->o->missing != HPO__MISSING_ERROR);
    double *scratch = malloc(sizeof *scratch * (size_t)b->n_rows);
    if (!scratch)
        return fail_oom(b);
    int rc = HPO_OK;
    for (int j = 0; j < b->n_cols && rc == HPO_OK; j++)
        if (b->cols[j].n_missing > 0)
            rc = fill_column(b, j, scratch);
    free(scratch);
    return rc;
}

/* ---- the data set ------------------------------------------------------------ */

static int width_of(const csv_build *b, int j)
{
    return b->cols[j].first_text >= 0 ? b->cols[j].levels.n : 1;
}

/* "blue, green, red" or "a, b, ... (250 in all)" */
static char *list_levels(const level_table *t, int with_class)
{
    size_t size = 64, used = 0;
    char shown[64];
    for (int k = 0; k < t->n && k < LEVELS_LISTED_MAX; k++)
        size += sizeof shown + 16;
    char *out = malloc(size);
    if (!out)
        return NULL;
    *out = '\0';
    for (int k = 0; k < t->n && k < LEVELS_LISTED_MAX; k++) {
        hpo__text_shown(shown, sizeof shown, t->names[k]);
        used += (size_t)snprintf(out + used, size - used, "%s'%s'", k ? ", " : "", shown);
        if (with_class)
            used += (size_t)snprintf(out + used, size - used, "=%d", k);
    }
    if (t->n > LEVELS_LISTED_MAX)
        snprintf(out + used, size - used, ", ... (%d in all)", t->n);
    return out;
}

static int note_levels(csv_build *b, int j)
{
    const level_table *t = &b->cols[j].levels;
    char *levels = list_levels(t, j == b->target);
    char *note = !levels ? NULL
                 : j == b->target
                     ? hpo__asprintf("target '%s' is text: %d class labels (%s)",
                                     b->d->target_name, t->n, levels)
                     : hpo__asprintf("column '%s' is categorical: one-hot over its %d "
                                     "level%s (%s)", b->names[j], t->n,
                                     t->n == 1 ? "" : "s", levels);
    free(levels);
    return add_note(b->d, note) ? fail_oom(b) : HPO_OK;
}

static int name_features(csv_build *b)
{
    hpo__dataset *d = b->d;
    int f = 0;
    for (int j = 0; j < b->n_cols; j++) {
        if (j == b->target)
            continue;
        const csv_col *c = &b->cols[j];
        if (c->first_text < 0) {
            d->feature_names[f++] = b->names[j];
            b->names[j] = NULL;
            continue;
        }
        for (int k = 0; k < c->levels.n; k++)
            if (!(d->feature_names[f++] = hpo__asprintf("%s=%s", b->names[j],
                                                        c->levels.names[k])))
                return fail_oom(b);
        if (note_levels(b, j))
            return b->rc;
    }
    d->target_name = b->names[b->target];
    b->names[b->target] = NULL;
    return HPO_OK;
}

static void fill_matrix(csv_build *b)
{
    hpo__dataset *d = b->d;
    for (int i = 0; i < b->n_rows; i++) {
        const double *row = b->cells + (size_t)i * (size_t)b->n_cols;
        double *x = d->x + (size_t)i * (size_t)d->n_features;
        for (int j = 0, f = 0; j < b->n_cols; j++) {
            const csv_col *c = &b->cols[j];
            double v = c->first_text >= 0 ? c->rank[(int)row[j]] : row[j];
            if (j == b->target)
                d->y[i] = v;
            else if (c->first_text >= 0)
                x[f + (int)v] = 1;
            else
                x[f] = v;
            if (j != b->target)
                f += width_of(b, j);
        }
    }
    d->n_rows = b->n_rows;
}

/* A text target: its labels become d's class names (taken). */
static int take_class_names(csv_build *b)
{
    csv_col *c = &b->cols[b->target];
    if (c->first_text < 0)
        return HPO_OK;
    if (note_levels(b, b->target))
        return b->rc;
    b->d->class_names = c->levels.names;
    c->levels.names = NULL;
    c->levels.n = 0;
    return HPO_OK;
}

static int build_dataset(csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++)
        if (b->cols[j].first_text >= 0 && sort_levels(b, &b->cols[j]))
            return b->rc;
    int rc = handle_missing(b);
    if (rc != HPO_OK)
        return rc;
    int n_features = 0;
    for (int j = 0; j < b->n_cols; j++)
        if (j != b->target)
            n_features += width_of(b, j);
    if ((rc = hpo__data_alloc(b->d, b->n_rows, n_features, b->m)) != HPO_OK)
        return rc;
    if (name_features(b) || take_class_names(b))
        return b->rc;
    fill_matrix(b);
    return HPO_OK;
}

static void build_free(csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++) {
        free(b->names[j]);
        if (b->cols) {
            levels_free(&b->cols[j].levels);
            free(b->cols[j].rank);
        }
    }
    free(b->names);
    free(b->cols);
    free(b->cells);
    free(b->line_of);
}

static int read_records(csv_build *b, const char *p, const char *end)
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
    int rc = check_columns(b);
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
    csv_build b = {.d = d, .o = o, .m = m};
    int rc = read_records(&b, p, end);
    if (rc == HPO_OK)
        rc = build_dataset(&b);
    build_free(&b);
    return rc;
}
