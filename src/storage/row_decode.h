/*
 * row_decode.h — turning the rows of the trial queries into trial records,
 * shared by the SQL backends (sqlite_read.c, postgres_read.c).
 *
 * A backend reads a range of trials with one query per table, each
 * filtered by study and trial-id range, its rows grouped by trial.  What
 * differs between drivers is only how a query is run and a column read;
 * that part is a hpo__row_source.  Everything else — routing rows to their
 * record, gathering a trial's values, parsing distributions, the error
 * texts, undoing a partial read — lives in row_decode.c.
 */
#ifndef HPO_ROW_DECODE_H
#define HPO_ROW_DECODE_H

#include "dist_cache.h"
#include "optuna_schema.h"
#include "storage.h"

/* The queries, and the columns each returns, in this order. */
typedef enum hpo__trial_table {
    HPO__ROWS_TRIALS,  /* trial_id, number, state, datetime_start,
                          datetime_complete; ordered by number */
    HPO__ROWS_VALUES,  /* trial_id, objective, value, value_type;
                          grouped by trial_id */
    HPO__ROWS_PARAMS,  /* trial_id, param_name, param_value,
                          distribution_json, param_id; grouped by
                          trial_id (the order within is restored) */
    HPO__ROWS_INTER,   /* trial_id, step, intermediate_value,
                          intermediate_value_type,
                          trial_intermediate_value_id; grouped so */
    HPO__ROWS_USER_ATTRS,   /* trial_id, key, value_json, row id; grouped */
    HPO__ROWS_SYSTEM_ATTRS  /* trial_id, key, value_json, row id; grouped */
} hpo__trial_table;

/*
 * The driver's part.  One query is open at a time, so the cursor is
 * `self`:
 *
 *   open(table) ──> next() == 1 ──> column reads ──┐
 *                     ^                            │
 *                     └────────────────────────────┘
 *                   next() == 0 (done) or < 0 (error) ──> close()
 *
 * open and next record their errors on the storage handle themselves and
 * return a negative code; close is called after every successful open.
 * Column reads follow the driver's own rules for NULL (text: NULL).
 */
typedef struct hpo__row_source {
    const char *backend;     /* "sqlite", "postgresql": messages open so */
    const char *where;       /* the file or server, for messages */
    hpo__dist_cache *dists;  /* the connection's parsed distributions */
    void *self;
    int (*open)(void *self, hpo__trial_table table);
    int (*next)(void *self);
    void (*close)(void *self);
    int64_t (*int64)(void *self, int col);
    double (*real)(void *self, int col);
    const char *(*text)(void *self, int col);
    int (*is_null)(void *self, int col);
    double (*time_s)(void *self, int col); /* epoch; NULL or bad: NaN */
} hpo__row_source;

/* Run the six queries and append their trials to out, ordered by number.
 * On error out is left as it was and the message is on st. */
int hpo__rows_read_trials(hpo_storage *st, const hpo__row_source *src,
                          hpo__trial_list *out);

#endif
