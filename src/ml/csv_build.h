/*
 * csv_build.h — the CSV reader's state, shared by its files: csv.c (the
 * tokenizers and the records into a matrix of cells), csv_columns.c
 * (checks, missing values, levels and the data set) and levels.c (the
 * distinct texts of a categorical column).
 */
#ifndef HPO_ML_CSV_BUILD_H
#define HPO_ML_CSV_BUILD_H

#include "data_text.h"

/* The levels of one text column. */
typedef struct hpo__levels {
    int n, n_slots;
    char **names; /* n, in order of first sight */
    int *count;   /* n: rows holding each */
    int *slot;    /* n_slots: level + 1, 0 = empty */
    int cap;
} hpo__levels;

void hpo__levels_free(hpo__levels *t);
/* The level of [s, s + len), added when new (its count goes up either
 * way): its index, or -1 when memory runs out. */
int hpo__level_of(hpo__levels *t, const char *s, size_t len);

/* What the passes learn of one column. */
typedef struct hpo__csv_col {
    int n_missing, first_missing; /* data rows; -1: none */
    char missing_text[8];
    int first_text;               /* data row of the first non-number */
    int first_infinite;           /* data row of the first inf/1e999 */
    char shown[HPO__CELL_QUOTE_MAX + 8]; /* that cell, for messages */
    hpo__levels levels;           /* a text column's, second pass */
    int *rank;                    /* level -> place in sorted order */
} hpo__csv_col;

/* The reader between the tokenizers and the data set. */
typedef struct hpo__csv_build {
    hpo__dataset *d;
    const hpo__data_opts *o;
    hpo__msg *m;
    int rc;          /* the first error; later events are ignored */
    int pass;        /* 1: numbers; 2: the levels of text columns */
    int in_header;   /* the current record is the header */
    int n_cols, cap_names;
    char **names;
    hpo__csv_col *cols;   /* n_cols, once the header is read */
    int target;
    int field;       /* fields of the current record so far */
    int line;        /* first line of the current record */
    int n_rows, cap_rows, cap_lines;
    int hint_rows;   /* lines in the text: rows to make room for at once */
    double *cells;   /* n_rows x n_cols: numbers, NaN = missing or text */
    int *line_of;    /* each data row's first line */
} hpo__csv_build;

int hpo__csv_fail_oom(hpo__csv_build *b);
/* After the first pass: numbers that are not finite, text refused by
 * --categorical error, columns missing everywhere. */
int hpo__csv_check_columns(hpo__csv_build *b);
/* After the last pass: missing values handled, text encoded, d filled. */
int hpo__csv_build_dataset(hpo__csv_build *b);

#endif
