/*
 * sparse_rows.h — what the libsvm and liblinear bindings (svm.c,
 * linear.c) share: a row as sparse nodes, and class columns.
 *
 * Both libraries take a row as {index, value} nodes, 1-based, with the
 * zero features left out (an absent feature counts as 0, so kernel and
 * dot products come out the same bit for bit).  Their node types differ,
 * so the encoding is a walk over the nonzero features that each binding
 * copies into its own nodes:
 *
 *     hpo__nonzero_walk w = hpo__nonzero_start(s, d, r);
 *     for (k = 0; hpo__nonzero_next(&w); k++)
 *         out[k].index = w.index, out[k].value = w.value;
 *
 * Inline: it runs for every row of every fit.
 */
#ifndef HPO_ML_SPARSE_ROWS_H
#define HPO_ML_SPARSE_ROWS_H

#include "learner.h"

typedef struct hpo__nonzero_walk {
    const hpo__scaler *s; /* NULL: the features as they are */
    const double *row;
    int n_features, next;
    int index;    /* the feature found, 1-based */
    double value; /* its (scaled) value */
} hpo__nonzero_walk;

/* Walk row r of d, scaled by s (NULL: as it is). */
static inline hpo__nonzero_walk hpo__nonzero_start(const hpo__scaler *s,
                                                   const hpo__dataset *d,
                                                   int r)
{
    return (hpo__nonzero_walk){.s = s,
                               .row = d->x + (size_t)r * d->n_features,
                               .n_features = d->n_features};
}

/* The next nonzero feature into w->index and w->value: 1, or 0 at the
 * end of the row. */
static inline int hpo__nonzero_next(hpo__nonzero_walk *w)
{
    while (w->next < w->n_features) {
        int j = w->next++;
        double v = hpo__scaled_feature(w->s, w->row, j);
        if (v != 0) {
            w->index = j + 1;
            w->value = v;
            return 1;
        }
    }
    return 0;
}

/* Put v in the column of class `label` of a row of outputs, if d knows
 * the label (a model's labels are those of its training rows). */
void hpo__set_class_column(double *out, const hpo__dataset *d, int label,
                           double v);

#endif
