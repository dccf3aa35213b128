/*
 * csv_columns.c — a CSV file's columns once its records are read (csv.c):
 * the checks, missing values (error, mean, median, mode, drop), levels in
 * sorted order, one-hot features, text labels, the notes that say what
 * was done, and the dense data set.  csv.c states the dialect.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_build.h"

/* Levels named in a note about a categorical column. */
#define LEVELS_LISTED_MAX 10

static int refuse_column(hpo__csv_build *b, int j, const char *why)
{
    hpo__csv_col *c = &b->cols[j];
    int row = c->first_text >= 0 ? c->first_text : c->first_infinite;
    return hpo__fail(b->m, HPO_EINVAL, "%s:%d:%d: '%s' is not a %snumber (column %s)%s",
                     b->d->source, b->line_of[row], j + 1, c->shown,
                     c->first_text >= 0 ? "" : "finite ", b->names[j], why);
}

int hpo__csv_check_columns(hpo__csv_build *b)
{
    for (int j = 0; j < b->n_cols; j++) {
        hpo__csv_col *c = &b->cols[j];
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
static int sort_levels(hpo__csv_build *b, hpo__csv_col *c)
{
    hpo__levels *t = &c->levels;
    char **sorted = malloc(sizeof *sorted * (size_t)(t->n + 1)); /* NULL-ended */
    int *count = malloc(sizeof *count * (size_t)(t->n ? t->n : 1));
    if (!(c->rank = malloc(sizeof *c->rank * (size_t)(t->n ? t->n : 1))) ||
        !sorted || !count) {
        free(sorted);
        free(count);
        return hpo__csv_fail_oom(b);
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
static int missing_error(hpo__csv_build *b, int only_target)
{
    int best = -1;
    for (int j = 0; j < b->n_cols; j++)
        if (b->cols[j].first_missing >= 0 && (!only_target || j == b->target) &&
            (best < 0 || b->cols[j].first_missing < b->cols[best].first_missing))
            best = j;
    if (best < 0)
        return HPO_OK;
    const hpo__csv_col *c = &b->cols[best];
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

static int drop_rows(hpo__csv_build *b)
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
        return hpo__csv_fail_oom(b);
    return HPO_OK;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The mean or median of column j's present values (numbers). */
static double column_center(hpo__csv_build *b, int j, double *scratch)
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
static int column_mode(const hpo__csv_col *c)
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

static int fill_column(hpo__csv_build *b, int j, double *scratch)
{
    hpo__csv_col *c = &b->cols[j];
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
    return add_note(b->d, note) ? hpo__csv_fail_oom(b) : HPO_OK;
}

/* After rows are dropped, the levels no kept row holds go (so every
 * one-hot feature and text label is seen, and the labels are the classes). */
static void prune_levels(hpo__csv_build *b, int j)
{
    hpo__csv_col *c = &b->cols[j];
    hpo__levels *t = &c->levels;
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

static int handle_missing(hpo__csv_build *b)
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
        return hpo__csv_fail_oom(b);
    int rc = HPO_OK;
    for (int j = 0; j < b->n_cols && rc == HPO_OK; j++)
        if (b->cols[j].n_missing > 0)
            rc = fill_column(b, j, scratch);
    free(scratch);
    return rc;
}

/* ---- the data set ------------------------------------------------------------ */

static int width_of(const hpo__csv_build *b, int j)
{
    return b->cols[j].first_text >= 0 ? b->cols[j].levels.n : 1;
}

/* "blue, green, red" or "a, b, ... (250 in all)" */
static char *list_levels(const hpo__levels *t, int with_class)
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

static int note_levels(hpo__csv_build *b, int j)
{
    const hpo__levels *t = &b->cols[j].levels;
    char *levels = list_levels(t, j == b->target);
    char *note = !levels ? NULL
                 : j == b->target
                     ? hpo__asprintf("target '%s' is text: %d class labels (%s)",
                                     b->d->target_name, t->n, levels)
                     : hpo__asprintf("column '%s' is categorical: one-hot over its %d "
                                     "level%s (%s)", b->names[j], t->n,
                                     t->n == 1 ? "" : "s", levels);
    free(levels);
    return add_note(b->d, note) ? hpo__csv_fail_oom(b) : HPO_OK;
}

static int name_features(hpo__csv_build *b)
{
    hpo__dataset *d = b->d;
    int f = 0;
    for (int j = 0; j < b->n_cols; j++) {
        if (j == b->target)
            continue;
        const hpo__csv_col *c = &b->cols[j];
        if (c->first_text < 0) {
            d->feature_names[f++] = b->names[j];
            b->names[j] = NULL;
            continue;
        }
        for (int k = 0; k < c->levels.n; k++)
            if (!(d->feature_names[f++] = hpo__asprintf("%s=%s", b->names[j],
                                                        c->levels.names[k])))
                return hpo__csv_fail_oom(b);
        if (note_levels(b, j))
            return b->rc;
    }
    d->target_name = b->names[b->target];
    b->names[b->target] = NULL;
    return HPO_OK;
}

static void fill_matrix(hpo__csv_build *b)
{
    hpo__dataset *d = b->d;
    for (int i = 0; i < b->n_rows; i++) {
        const double *row = b->cells + (size_t)i * (size_t)b->n_cols;
        double *x = d->x + (size_t)i * (size_t)d->n_features;
        for (int j = 0, f = 0; j < b->n_cols; j++) {
            const hpo__csv_col *c = &b->cols[j];
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
static int take_class_names(hpo__csv_build *b)
{
    hpo__csv_col *c = &b->cols[b->target];
    if (c->first_text < 0)
        return HPO_OK;
    if (note_levels(b, b->target))
        return b->rc;
    b->d->class_names = c->levels.names;
    c->levels.names = NULL;
    c->levels.n = 0;
    return HPO_OK;
}

int hpo__csv_build_dataset(hpo__csv_build *b)
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

