/*
 * table.h — a grid of strings written as aligned columns or as CSV, and
 * the --format flag the listing subcommands share (trials, studies).
 */
#ifndef HPO_CLI_TABLE_H
#define HPO_CLI_TABLE_H

#include <stdio.h>

enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

/* Row 0 is the header.  Every cell is owned by the table. */
typedef struct table {
    int rows, cols;
    char **cell; /* rows x cols */
} table;

/* A table of empty (NULL) cells; 0, or -1 if out of memory. */
int table_init(table *t, int rows, int cols);
void table_free(table *t);
/* Set a cell to a copy of text; a NULL text, or a copy that fails,
 * leaves it NULL for table_complete() to find. */
void table_set(table *t, int row, int col, const char *text);
/* Take ownership of a malloc'd text (NULL when an allocation failed). */
void table_take(table *t, int row, int col, char *text);
/* 0 when every cell is set, -1 when some allocation failed. */
int table_complete(const table *t);

/* Aligned columns, two blanks apart, no trailing blanks. */
void table_print_aligned(FILE *out, const table *t);
/* RFC 4180: a field holding a comma, a quote or a line break is quoted. */
void table_print_csv(FILE *out, const table *t);

/* --format: "table", "csv" or "json"; -1 after printing
 * "hpo CMD: --format: 'xml' is not table, csv or json". */
int table_parse_format(const char *cmd, const char *text, int *format);

#endif
