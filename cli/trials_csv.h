/*
 * trials_csv.h — the columns `hpo trials --format csv` adds to the table's
 * (number, state, values, duration, parameters, fail_reason), for export:
 *
 *   datetime_start, datetime_complete   ISO 8601 UTC with microseconds
 *                                       ("2026-12-07T12:50:59.123456Z")
 *   user_attrs_NAME                     every user attribute but
 *                                       fail_reason (a column already)
 *                                       and stdout_tail, stderr_tail,
 *                                       strings as they are, other JSON
 *                                       as its text
 *   intermediate_STEP                   with --intermediate: each step
 *                                       any trial reported, ascending
 *
 * Numbers are written with every digit they need to read back exactly
 * (hpo__format_double); a missing value is an empty field.
 */
#ifndef HPO_CLI_TRIALS_CSV_H
#define HPO_CLI_TRIALS_CSV_H

#include <stdint.h>

#include "hpo.h"
#include "table.h"

typedef struct trials_csv {
    const char **attrs; /* user attribute names, in order of appearance */
    int n_attrs;
    int64_t *steps; /* reported steps, ascending (with --intermediate) */
    int n_steps;
} trials_csv;

/* Collect the extra columns of these trials; 0, or -1 out of memory. */
int trials_csv_init(trials_csv *x, hpo_trial **trials, int n,
                    int intermediate);
void trials_csv_free(trials_csv *x);
/* How many columns they make. */
int trials_csv_cols(const trials_csv *x);
/* Their header (row 0) and a trial's cells, from column col on. */
void trials_csv_header(table *tb, int col, const trials_csv *x);
void trials_csv_row(table *tb, int row, int col, const trials_csv *x,
                    const hpo_trial *t);
/* A number for a CSV field: every digit needed, "" for NaN, inf/-inf. */
void trials_csv_number(char *buf, size_t size, double v);

#endif
