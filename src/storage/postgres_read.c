/*
 * postgres_read.c — read many trials at once: the PostgreSQL side of
 * row_decode.c (which turns the rows into trial records).
 *
 * Each of the six range queries is a prepared statement run with the study
 * and the trial-id range, so reading 10,000 trials is six round trips, not
 * 60,000.  The caller runs this in a REPEATABLE READ transaction, so the
 * six queries see one snapshot.
 */
#include "postgres_conn.h"
#include "row_decode.h"

typedef struct cursor {
    hpo_storage *st;
    hpo__pg *p;
    int64_t study_id, min_id, max_id;
    PGresult *res; /* the open query's rows */
    int row, rows;
} cursor;

static const hpo__pg_stmt_id query_of[] = {
    [HPO__ROWS_TRIALS] = HPO__PGQ_READ_TRIALS,
    [HPO__ROWS_VALUES] = HPO__PGQ_READ_VALUES,
    [HPO__ROWS_PARAMS] = HPO__PGQ_READ_PARAMS,
    [HPO__ROWS_INTER] = HPO__PGQ_READ_INTER,
    [HPO__ROWS_USER_ATTRS] = HPO__PGQ_READ_USER_ATTRS,
    [HPO__ROWS_SYSTEM_ATTRS] = HPO__PGQ_READ_SYSTEM_ATTRS,
};

static int open_query(void *self, hpo__trial_table table)
{
    cursor *c = self;
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, c->study_id);
    hpo__pg_arg_id(&a, c->min_id);
    hpo__pg_arg_id(&a, c->max_id);
    c->res = hpo__pg_exec(c->st, c->p, query_of[table], &a);
    if (!c->res)
        return HPO_ESTORAGE;
    c->row = -1;
    c->rows = PQntuples(c->res);
    return HPO_OK;
}

/* The rows are all here already: stepping cannot fail. */
static int next_row(void *self)
{
    cursor *c = self;
    return ++c->row < c->rows;
}

static void close_query(void *self)
{
    cursor *c = self;
    PQclear(c->res);
    c->res = NULL;
}

static int64_t column_int64(void *self, int col)
{
    cursor *c = self;
    return hpo__pg_int(c->res, c->row, col);
}

static double column_real(void *self, int col)
{
    cursor *c = self;
    return hpo__pg_double(c->res, c->row, col);
}

static const char *column_text(void *self, int col)
{
    cursor *c = self;
    return hpo__pg_text(c->res, c->row, col);
}

static int column_is_null(void *self, int col)
{
    cursor *c = self;
    return PQgetisnull(c->res, c->row, col);
}

static double column_time(void *self, int col)
{
    cursor *c = self;
    return hpo__pg_time(c->res, c->row, col);
}

int hpo__pg_read_trials(hpo_storage *st, hpo__pg *p, int64_t study_id,
                        int64_t min_id, int64_t max_id, hpo__trial_list *out)
{
    cursor c = {st, p, study_id, min_id, max_id, NULL, 0, 0};
    hpo__row_source src = {
        .backend = "postgresql", .where = p->where, .dists = &p->dists,
        .self = &c, .open = open_query, .next = next_row,
        .close = close_query, .int64 = column_int64, .real = column_real,
        .text = column_text, .is_null = column_is_null,
        .time_s = column_time,
    };
    return hpo__rows_read_trials(st, &src, out);
}
