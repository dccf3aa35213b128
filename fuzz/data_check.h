/*
 * data_check.h — one harness body for the data-file loaders (csv,
 * libsvm): src/ml/data.c through hpo__data_parse, the loaders' in-memory
 * entry.
 *
 * Input: the first byte chooses whether the format is the harness's own
 * or sniffed as for a file without a telling extension (bit 0), the
 * target column (the default, "y", "label" or "2"; bits 1-2), the
 * missing-value option (bits 3-4) and the categorical one (bit 5); the
 * rest is the file.
 * Invariants of an accepted data set: at least one row and one feature,
 * every number finite, names for every column; for class labels, the
 * classes sorted and distinct and every row's class index pointing at its
 * own label, and text labels (if any) one per class.  The same after
 * switching the task both ways (text labels refuse regression).  A CSV
 * text without quotes and lone CRs reads the same, message or data set,
 * through csv.c's fast path and through libcsv.
 */
#ifndef HPO_FUZZ_DATA_CHECK_H
#define HPO_FUZZ_DATA_CHECK_H

#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "ml/ml.h"

static inline void fuzz_check_dataset(const hpo__dataset *d)
{
    FUZZ_CHECK(d->n_rows >= 1 && d->n_features >= 1, "%d rows, %d features",
               d->n_rows, d->n_features);
    FUZZ_CHECK(d->target_name != NULL, "no target name");
    for (int j = 0; j < d->n_features; j++)
        FUZZ_CHECK(d->feature_names[j] != NULL, "feature %d has no name", j);
    /* Every value, or a sample of a big set (mostly zeros) so that the
     * check does not touch gigabytes. */
    size_t cells = (size_t)d->n_rows * (size_t)d->n_features;
    size_t stride = cells > (1u << 22) ? 4093 : 1;
    for (size_t k = 0; k < cells; k += stride)
        FUZZ_CHECK(isfinite(d->x[k]), "x[%zu] = %g", k, d->x[k]);
    for (int i = 0; i < d->n_rows; i++)
        FUZZ_CHECK(isfinite(d->y[i]), "y[%d] = %g", i, d->y[i]);
    for (int c = 1; c < d->n_classes; c++)
        FUZZ_CHECK(d->classes[c - 1] < d->classes[c], "classes out of order");
    for (int i = 0; d->n_classes > 0 && i < d->n_rows; i++) {
        int c = d->class_of[i];
        FUZZ_CHECK(c >= 0 && c < d->n_classes && d->classes[c] == d->y[i],
                   "row %d: class %d", i, c);
    }
    int names = 0;
    while (d->class_names && d->class_names[names])
        names++;
    FUZZ_CHECK(!d->class_names || names == d->n_classes,
               "%d text labels, %d classes", names, d->n_classes);
    for (int i = 0; i < d->n_notes; i++)
        FUZZ_CHECK(d->notes[i] && *d->notes[i], "note %d is empty", i);
}

/* Quote-free text, which both CSV tokenizers take. */
static inline int fuzz_plain_csv(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] == '"' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            return 0;
    return 1;
}

static inline void fuzz_same_dataset(const hpo__dataset *a, const hpo__dataset *b)
{
    FUZZ_CHECK(a->n_rows == b->n_rows && a->n_features == b->n_features &&
               a->n_classes == b->n_classes && a->n_notes == b->n_notes,
               "fast: %d x %d, libcsv: %d x %d", a->n_rows, a->n_features,
               b->n_rows, b->n_features);
    size_t cells = (size_t)a->n_rows * (size_t)a->n_features;
    FUZZ_CHECK(memcmp(a->x, b->x, sizeof *a->x * cells) == 0 &&
               memcmp(a->y, b->y, sizeof *a->y * (size_t)a->n_rows) == 0,
               "the readers' values differ");
    for (int j = 0; j < a->n_features; j++)
        FUZZ_CHECK(strcmp(a->feature_names[j], b->feature_names[j]) == 0,
                   "feature %d: '%s' / '%s'", j, a->feature_names[j],
                   b->feature_names[j]);
}

/* The text again through libcsv: the same code and message, or data. */
static inline void fuzz_general_reader(const char *text, size_t len,
                                       const hpo__data_opts *o, int rc,
                                       const hpo__msg *m, const hpo__dataset *d)
{
    hpo__data_opts general = *o;
    general.general_reader = 1;
    hpo__dataset g;
    hpo__msg gm = {0};
    int grc = hpo__data_parse_with(&g, "fuzz.data", text, len, &general,
                                   HPO__DATA_CSV, &gm);
    FUZZ_CHECK(grc == rc && (rc == HPO_OK ||
                             strcmp(hpo__msg_get(m), hpo__msg_get(&gm)) == 0),
               "fast: %d '%s', libcsv: %d '%s'", rc, hpo__msg_get(m), grc,
               hpo__msg_get(&gm));
    if (grc == HPO_OK) {
        fuzz_same_dataset(d, &g);
        hpo__data_free(&g);
    }
    hpo__msg_free(&gm);
}

static inline int fuzz_data_file(const uint8_t *data, size_t size,
                                 hpo__data_format own)
{
    if (size == 0)
        return 0;
    static const char *const targets[] = {NULL, "y", "label", "2"};
    hpo__data_opts o = {.target = targets[(data[0] >> 1) & 3],
                        .missing = (hpo__missing)((data[0] >> 3) & 3),
                        .categorical = (hpo__categorical)((data[0] >> 5) & 1)};
    hpo__data_format format = data[0] & 1 ? own : HPO__DATA_SNIFF;
    char *text = fuzz_text(data + 1, size - 1);
    hpo__dataset d;
    hpo__msg m = {0};
    int rc = hpo__data_parse_with(&d, "fuzz.data", text, size - 1, &o, format,
                                  &m);
    if (rc != HPO_OK)
        FUZZ_CHECK(*hpo__msg_get(&m), "code %d without a message", rc);
    if (format == HPO__DATA_CSV && fuzz_plain_csv(text, size - 1))
        fuzz_general_reader(text, size - 1, &o, rc, &m, &d);
    if (rc == HPO_OK) {
        fuzz_check_dataset(&d);
        if (hpo__data_set_task(&d, HPO__CLASSIFICATION, &m) == HPO_OK)
            fuzz_check_dataset(&d);
        FUZZ_CHECK((hpo__data_set_task(&d, HPO__REGRESSION, &m) == HPO_OK) ==
                       !d.class_names, "%s", hpo__msg_get(&m));
        fuzz_check_dataset(&d);
        hpo__data_free(&d);
    }
    hpo__msg_free(&m);
    free(text);
    return 0;
}

#endif
