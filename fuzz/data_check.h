/*
 * data_check.h — one harness body for the data-file loaders (csv,
 * libsvm): src/ml/data.c through hpo__data_parse, the loaders' in-memory
 * entry.
 *
 * Input: the first byte chooses the target column (the default, "y" or
 * "label") and whether the format is the harness's own or sniffed as for
 * a file without a telling extension; the rest is the file.
 * Invariants of an accepted data set: at least one row and one feature,
 * every number finite, names for every column; for class labels, the
 * classes sorted and distinct and every row's class index pointing at its
 * own label.  The same after switching the task both ways.
 */
#ifndef HPO_FUZZ_DATA_CHECK_H
#define HPO_FUZZ_DATA_CHECK_H

#include <math.h>

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
}

static inline int fuzz_data_file(const uint8_t *data, size_t size,
                                 hpo__data_format own)
{
    if (size == 0)
        return 0;
    static const char *const targets[] = {NULL, "y", "label"};
    const char *target = targets[(data[0] >> 1) % 3];
    hpo__data_format format = data[0] & 1 ? own : HPO__DATA_SNIFF;
    char *text = fuzz_text(data + 1, size - 1);
    hpo__dataset d;
    hpo__msg m = {0};
    int rc = hpo__data_parse(&d, "fuzz.data", text, size - 1, target, format,
                             &m);
    if (rc != HPO_OK) {
        FUZZ_CHECK(*hpo__msg_get(&m), "code %d without a message", rc);
    } else {
        fuzz_check_dataset(&d);
        if (hpo__data_set_task(&d, HPO__CLASSIFICATION, &m) == HPO_OK)
            fuzz_check_dataset(&d);
        FUZZ_CHECK(hpo__data_set_task(&d, HPO__REGRESSION, &m) == HPO_OK,
                   "%s", hpo__msg_get(&m));
        fuzz_check_dataset(&d);
        hpo__data_free(&d);
    }
    hpo__msg_free(&m);
    free(text);
    return 0;
}

#endif
