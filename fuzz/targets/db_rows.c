/*
 * db_rows — the rows of a study's trials as the SQL backends read them
 * (hpo__rows_read_trials, src/storage/row_decode.c, with distribution_json
 * through the connection's cache and datetimes through
 * hpo__optuna_datetime_parse).  A database may have been written by Python
 * Optuna, an older hpo, another tool or a hand; what it holds is input.
 *
 * Input: one row a line; the first character names the table (t trials,
 * v values, p params, i intermediate values, u user attributes, s system
 * attributes), the columns follow, separated by tabs, in the order
 * row_decode.h lists.  A missing column or the text NULL is SQL NULL.
 * Numbers are read as the PostgreSQL driver reads them (strtoll, strtod).
 * A line "!X" makes the driver fail when table X's reading reaches it.
 * Invariants:
 *   - on failure the list is as it was and the storage holds a message;
 *   - on success there is one record per trials row, at most
 *     HPO_MAX_OBJECTIVES values each, and every parameter's distribution
 *     passes the library's check;
 *   - a datetime that parsed formats back and reads as the same instant.
 *
 * Dictionary: fuzz/dict/db_rows.dict
 */
#include <math.h>

#include "fuzz.h"
#include "storage/row_decode.h"

#define MAX_COLS 6

typedef struct fake_db {
    char *text;
    size_t size;
    hpo_storage *st;
    char table;      /* the open table's letter */
    char *cursor;    /* the next line to look at */
    char *cols[MAX_COLS];
    int n_cols;
} fake_db;

static const char letters[] = "tvpius"; /* in hpo__trial_table order */

static int fake_open(void *self, hpo__trial_table table)
{
    fake_db *db = self;
    db->table = letters[table];
    db->cursor = db->text;
    return HPO_OK;
}

/* The next line of the open table, cut into columns. */
static int fake_next(void *self)
{
    fake_db *db = self;
    char *end = db->text + db->size;
    while (db->cursor < end) {
        char *line = db->cursor, *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        db->cursor = line + len + 1;
        if (len >= 2 && line[0] == '!' && line[1] == db->table)
            return hpo__storage_error(db->st, HPO_ESTORAGE, "fuzz: injected");
        if (len == 0 || line[0] != db->table)
            continue;
        /* Columns are copied out, so the text stays whole for the next
         * table's pass. */
        for (int i = 0; i < db->n_cols; i++)
            free(db->cols[i]);
        db->n_cols = 0;
        const char *p = line + 1, *stop = line + len;
        while (p <= stop && db->n_cols < MAX_COLS) {
            const char *tab = memchr(p, '\t', (size_t)(stop - p));
            const char *e = tab ? tab : stop;
            db->cols[db->n_cols++] = hpo__strndup(p, (size_t)(e - p));
            p = e + 1;
        }
        return 1;
    }
    return 0;
}

static void fake_close(void *self)
{
    (void)self;
}

/* Columns are 0-based after the table letter (and its tab, if any). */
static const char *column(fake_db *db, int col)
{
    int i = col + 1; /* cols[0] is what follows the letter up to a tab */
    if (i >= db->n_cols || !db->cols[i] || strcmp(db->cols[i], "NULL") == 0)
        return NULL;
    return db->cols[i];
}

static int fake_is_null(void *self, int col)
{
    return column(self, col) == NULL;
}

static const char *fake_text(void *self, int col)
{
    return column(self, col);
}

static int64_t fake_int64(void *self, int col)
{
    const char *t = column(self, col);
    return t ? strtoll(t, NULL, 10) : 0;
}

static double fake_real(void *self, int col)
{
    const char *t = column(self, col);
    return t ? strtod(t, NULL) : NAN;
}

static double fake_time(void *self, int col)
{
    const char *t = column(self, col);
    double s;
    if (!t || hpo__optuna_datetime_parse(t, &s) != 0)
        return NAN;
    char shown[HPO__OPTUNA_DATETIME_LEN];
    double again;
    if (hpo__optuna_datetime_format(s, shown) == 0) {
        FUZZ_CHECK(hpo__optuna_datetime_parse(shown, &again) == 0 &&
                       fabs(again - s) <= 1e-4,
                   "'%s' -> %.6f -> '%s' -> %.6f", t, s, shown, again);
    }
    return s;
}

static void check_records(const hpo__trial_list *out)
{
    for (int k = 1; k < out->n; k++) {
        const hpo__trial_rec *r = &out->v[k];
        FUZZ_CHECK(r->n_values >= 0 && r->n_values <= HPO_MAX_OBJECTIVES,
                   "%d values", r->n_values);
        for (int i = 0; i < r->n_params; i++) {
            hpo__msg m = {0};
            FUZZ_CHECK(hpo__dist_check(&r->params[i].dist, "p", &m) == HPO_OK,
                       "%s", hpo__msg_get(&m));
            hpo__msg_free(&m);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hpo_storage *st = calloc(1, sizeof *st);
    hpo__dist_cache dists = {0};
    fake_db db = {.text = fuzz_text(data, size), .size = size, .st = st};
    hpo__row_source src = {
        .backend = "fuzz", .where = "fuzz.db", .dists = &dists, .self = &db,
        .open = fake_open, .next = fake_next, .close = fake_close,
        .int64 = fake_int64, .real = fake_real, .text = fake_text,
        .is_null = fake_is_null, .time_s = fake_time};
    /* One record already there: a failed read must leave it alone. */
    hpo__trial_list out = {0};
    FUZZ_CHECK(hpo__list_push(&out) != NULL, "out of memory");
    out.v[0].id = -42;
    int trials_rows = 0;
    for (const char *p = db.text; p < db.text + size; p++)
        trials_rows += *p == 't' && (p == db.text || p[-1] == '\n');

    int rc = hpo__rows_read_trials(st, &src, &out);
    if (rc != HPO_OK) {
        FUZZ_CHECK(out.n == 1 && out.v[0].id == -42, "a failed read changed "
                   "the list (%d records)", out.n);
        FUZZ_CHECK(*hpo_storage_errmsg(st), "code %d without a message", rc);
    } else {
        FUZZ_CHECK(out.n == 1 + trials_rows, "%d records for %d trials rows",
                   out.n - 1, trials_rows);
        check_records(&out);
    }
    hpo__list_free(&out);
    for (int i = 0; i < db.n_cols; i++)
        free(db.cols[i]);
    hpo__dist_cache_free(&dists);
    hpo__msg_free(&st->msg);
    free(st);
    free(db.text);
    return 0;
}
