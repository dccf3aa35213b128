/*
 * data_text.h — what the data readers share inside src/ml: data.c (files,
 * libsvm, the task), csv.c (CSV) and number.c (decimal numbers).
 */
#ifndef HPO_ML_DATA_TEXT_H
#define HPO_ML_DATA_TEXT_H

#include "ml.h"

/* Longest cell text quoted back in a message. */
#define HPO__CELL_QUOTE_MAX 40

typedef enum hpo__cell {
    HPO__CELL_OK, HPO__CELL_EMPTY, HPO__CELL_NAN, HPO__CELL_NOT_FINITE
} hpo__cell;

/* [s, e) as a whole finite number.  The character at e must not continue
 * a number (a separator, a line end, a NUL): strtod reads up to it. */
hpo__cell hpo__cell_number(const char *s, const char *e, double *out);

/* number.c: [s, e) by Clinger's fast path; 1 and *out set when the text is
 * a plain decimal whose correctly rounded value that path yields, else 0
 * (the caller asks strtod). */
int hpo__decimal_fast(const char *s, const char *e, double *out);

/* d->x (max_rows x n_features, zeroed), d->y and d->feature_names, within
 * HPO_MAX_FEATURES and HPO_MAX_DATA_CELLS; d->source names the file. */
int hpo__data_alloc(hpo__dataset *d, int max_rows, int n_features, hpo__msg *m);

/* csv.c: the CSV text [text, text + len) (text[len] == '\0') into d, whose
 * source is set; the task is guessed by the caller. */
int hpo__csv_parse(hpo__dataset *d, const char *text, size_t len,
                   const hpo__data_opts *o, hpo__msg *m);

#endif
