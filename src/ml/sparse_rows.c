/*
 * sparse_rows.c — class columns for the libsvm and liblinear bindings
 * (sparse_rows.h).
 */
#include "sparse_rows.h"

void hpo__set_class_column(double *out, const hpo__dataset *d, int label,
                           double v)
{
    int c = hpo__class_index(d, label);
    if (c >= 0)
        out[c] = v;
}
