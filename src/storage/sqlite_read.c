/*
 * sqlite_read.c — read many trials at once: the SQLite side of
 * row_decode.c (which turns the rows into trial records).
 *
 * Each of the six range queries is a cached statement bound to the study
 * and the trial-id range; a cursor steps it and reads its columns.
 */
#include "sqlite_conn.h"
#include "row_decode.h"

typedef struct cursor {
    hpo_storage *st;
    hpo__sqlite *s;
    int64_t study_id, min_id, max_id;
    sqlite3_stmt *q; /* the open query */
} cursor;

/* A whole study goes through its index; trials from an id on (a
 * refresh, one trial) by the id range, in time that does not grow with
 * the study (sqlite_conn.h). */
static const hpo__sqlite_stmt_id whole_study[] = {
    [HPO__ROWS_TRIALS] = HPO__Q_READ_TRIALS,
    [HPO__ROWS_VALUES] = HPO__Q_READ_VALUES,
    [HPO__ROWS_PARAMS] = HPO__Q_READ_PARAMS,
    [HPO__ROWS_INTER] = HPO__Q_READ_INTER,
    [HPO__ROWS_USER_ATTRS] = HPO__Q_READ_USER_ATTRS,
    [HPO__ROWS_SYSTEM_ATTRS] = HPO__Q_READ_SYSTEM_ATTRS,
};
static const hpo__sqlite_stmt_id since_id[] = {
    [HPO__ROWS_TRIALS] = HPO__Q_READ_TRIALS_SINCE,
    [HPO__ROWS_VALUES] = HPO__Q_READ_VALUES_SINCE,
    [HPO__ROWS_PARAMS] = HPO__Q_READ_PARAMS_SINCE,
    [HPO__ROWS_INTER] = HPO__Q_READ_INTER_SINCE,
    [HPO__ROWS_USER_ATTRS] = HPO__Q_READ_USER_ATTRS_SINCE,
    [HPO__ROWS_SYSTEM_ATTRS] = HPO__Q_READ_SYSTEM_ATTRS_SINCE,
};

static int open_query(void *self, hpo__trial_table table)
{
    cursor *c = self;
    c->q = hpo__sqlite_stmt(c->st, c->s, c->min_id > 0 ? since_id[table]
                                                       : whole_study[table]);
    if (!c->q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(c->q, 1, c->study_id);
    sqlite3_bind_int64(c->q, 2, c->min_id);
    sqlite3_bind_int64(c->q, 3, c->max_id);
    return HPO_OK;
}

static int next_row(void *self)
{
    cursor *c = self;
    int step = sqlite3_step(c->q);
    if (step == SQLITE_ROW)
        return 1;
    return step == SQLITE_DONE ? 0 : hpo__sqlite_error(c->st, c->s);
}

static void close_query(void *self)
{
    cursor *c = self;
    sqlite3_reset(c->q);
    c->q = NULL;
}

static int64_t column_int64(void *self, int col)
{
    return sqlite3_column_int64(((cursor *)self)->q, col);
}

static double column_real(void *self, int col)
{
    return sqlite3_column_double(((cursor *)self)->q, col);
}

static const char *column_text(void *self, int col)
{
    return (const char *)sqlite3_column_text(((cursor *)self)->q, col);
}

static int column_is_null(void *self, int col)
{
    return sqlite3_column_type(((cursor *)self)->q, col) == SQLITE_NULL;
}

static double column_time(void *self, int col)
{
    return hpo__sqlite_column_time(((cursor *)self)->q, col);
}

int hpo__sqlite_read_trials(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                            int64_t min_id, int64_t max_id,
                            hpo__trial_list *out)
{
    cursor c = {st, s, study_id, min_id, max_id, NULL};
    hpo__row_source src = {
        .backend = "sqlite", .where = s->path, .dists = &s->dists,
        .self = &c, .open = open_query, .next = next_row,
        .close = close_query, .int64 = column_int64, .real = column_real,
        .text = column_text, .is_null = column_is_null,
        .time_s = column_time,
    };
    return hpo__rows_read_trials(st, &src, out);
}
