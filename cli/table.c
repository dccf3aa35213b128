/*
 * table.c — aligned and CSV output for the listing subcommands (see
 * table.h).
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"

static char **cell_at(const table *t, int row, int col)
{
    return &t->cell[row * t->cols + col];
}

int table_init(table *t, int rows, int cols)
{
    t->rows = rows;
    t->cols = cols;
    t->cell = calloc((size_t)rows * (size_t)cols + 1, sizeof(char *));
    return t->cell ? 0 : -1;
}

void table_free(table *t)
{
    if (t->cell)
        for (int k = 0; k < t->rows * t->cols; k++)
            free(t->cell[k]);
    free(t->cell);
    t->cell = NULL;
}

void table_take(table *t, int row, int col, char *text)
{
    char **c = cell_at(t, row, col);
    free(*c);
    *c = text;
}

void table_set(table *t, int row, int col, const char *text)
{
    table_take(t, row, col, text ? strdup(text) : NULL);
}

int table_complete(const table *t)
{
    for (int k = 0; k < t->rows * t->cols; k++)
        if (!t->cell[k])
            return -1;
    return 0;
}

void table_print_aligned(FILE *out, const table *t)
{
    int *width = calloc((size_t)t->cols + 1, sizeof(int));
    if (!width)
        return;
    for (int r = 0; r < t->rows; r++)
        for (int c = 0; c < t->cols; c++) {
            int len = (int)strlen(*cell_at(t, r, c));
            if (len > width[c])
                width[c] = len;
        }
    for (int r = 0; r < t->rows; r++) {
        int pad = 0; /* written before the next cell: no trailing blanks */
        for (int c = 0; c < t->cols; c++) {
            const char *s = *cell_at(t, r, c);
            if (*s) {
                fprintf(out, "%*s%s", pad, "", s);
                pad = 0;
            }
            pad += width[c] - (int)strlen(s) + 2;
        }
        fputc('\n', out);
    }
    free(width);
}

static void print_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void table_print_csv(FILE *out, const table *t)
{
    for (int r = 0; r < t->rows; r++) {
        for (int c = 0; c < t->cols; c++) {
            if (c)
                fputc(',', out);
            print_csv_field(out, *cell_at(t, r, c));
        }
        fputc('\n', out);
    }
}

int table_parse_format(const char *cmd, const char *text, int *format)
{
    if (strcmp(text, "table") == 0)
        *format = FORMAT_TABLE;
    else if (strcmp(text, "csv") == 0)
        *format = FORMAT_CSV;
    else if (strcmp(text, "json") == 0)
        *format = FORMAT_JSON;
    else {
        cli_error(cmd, "--format: '%s' is not table, csv or json", text);
        return -1;
    }
    return 0;
}
