/*
 * tree_boxes.c — the leaves of a regression tree (rf_forest.h) as boxes of
 * the domain, the form fANOVA integrates over (Hutter, Hoos &
 * Leyton-Brown 2014, section 3: a tree is constant on each leaf's
 * hyper-rectangle).
 *
 * A leaf's box is the intersection of the half-spaces on its path from the
 * root.  Walking up from each leaf through parent links costs O(depth) per
 * leaf and needs no recursion, so a degenerate tree (a chain as deep as
 * the data is long) cannot exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

void hpo__tree_boxes_free(hpo__tree_boxes *b)
{
    free(b->value);
    free(b->lo);
    free(b->hi);
    free(b->mask);
    free(b->mask_at);
    free(b->cuts);
    free(b->cut_at);
    memset(b, 0, sizeof *b);
}

static int boxes_alloc(hpo__tree_boxes *b, const rf_forest *f, int n_leaves)
{
    size_t d = (size_t)f->dim, n = (size_t)n_leaves;
    b->n_leaves = n_leaves;
    b->dim = f->dim;
    b->mask_at = malloc(sizeof(int) * (d ? d : 1));
    if (!b->mask_at)
        return HPO_ENOMEM;
    b->mask_len = 0;
    for (int j = 0; j < f->dim; j++) {
        b->mask_at[j] = b->mask_len;
        b->mask_len += f->n_cat[j];
    }
    b->value = malloc(sizeof(double) * n);
    b->lo = malloc(sizeof(double) * n * (d ? d : 1));
    b->hi = malloc(sizeof(double) * n * (d ? d : 1));
    b->mask = malloc(n * (size_t)(b->mask_len ? b->mask_len : 1));
    return b->value && b->lo && b->hi && b->mask ? HPO_OK : HPO_ENOMEM;
}

/* The whole domain, then narrowed by each split above the leaf. */
static void leaf_box(hpo__tree_boxes *b, const rf_forest *f, const rf_tree *t,
                     const int *parent, int node, int k)
{
    double *lo = b->lo + (size_t)k * b->dim, *hi = b->hi + (size_t)k * b->dim;
    unsigned char *mask = b->mask + (size_t)k * b->mask_len;
    for (int j = 0; j < b->dim; j++) {
        lo[j] = 0;
        hi[j] = 1;
    }
    memset(mask, 1, (size_t)b->mask_len);
    b->value[k] = t->nodes[node].value;
    for (int c = node; parent[c] >= 0; c = parent[c]) {
        const rf_node *p = &t->nodes[parent[c]];
        int j = p->feature, went_left = c == p->left;
        if (f->n_cat[j] > 0) {
            for (int q = 0; q < f->n_cat[j]; q++)
                if ((t->cats[p->cat + q] != 0) != went_left)
                    mask[b->mask_at[j] + q] = 0;
        } else if (went_left) {
            hi[j] = p->threshold < hi[j] ? p->threshold : hi[j];
        } else {
            lo[j] = p->threshold > lo[j] ? p->threshold : lo[j];
        }
    }
    for (int j = 0; j < b->dim; j++) /* thresholds lie inside [0, 1] */
        if (hi[j] < lo[j])
            hi[j] = lo[j];
}

/* The thresholds of each numeric feature, with 0 and 1, sorted and
 * without repeats: the points where the feature's marginal can step. */
static int make_cuts(hpo__tree_boxes *b, const rf_forest *f, const rf_tree *t)
{
    int d = b->dim;
    b->cut_at = calloc((size_t)d + 1, sizeof(int));
    b->cuts = malloc(sizeof(double) * ((size_t)t->n_nodes + 2 * (size_t)d));
    if (!b->cut_at || !b->cuts)
        return HPO_ENOMEM;
    for (int i = 0; i < t->n_nodes; i++) /* count per feature, then place */
        if (t->nodes[i].feature >= 0 && f->n_cat[t->nodes[i].feature] == 0)
            b->cut_at[t->nodes[i].feature + 1]++;
    for (int j = 0; j < d; j++)
        b->cut_at[j + 1] += b->cut_at[j] + 2;
    int *fill = malloc(sizeof(int) * ((size_t)d + 1));
    if (!fill)
        return HPO_ENOMEM;
    for (int j = 0; j < d; j++) {
        fill[j] = b->cut_at[j];
        b->cuts[fill[j]++] = 0;
        b->cuts[fill[j]++] = 1;
    }
    for (int i = 0; i < t->n_nodes; i++)
        if (t->nodes[i].feature >= 0 && f->n_cat[t->nodes[i].feature] == 0)
            b->cuts[fill[t->nodes[i].feature]++] = t->nodes[i].threshold;
    free(fill);
    int out = 0;
    for (int j = 0; j < d; j++) {
        int lo = b->cut_at[j], n = b->cut_at[j + 1] - lo, start = out;
        qsort(b->cuts + lo, (size_t)n, sizeof(double), hpo__cmp_double);
        for (int k = lo; k < lo + n; k++)
            if (out == start || b->cuts[k] > b->cuts[out - 1])
                b->cuts[out++] = b->cuts[k];
        b->cut_at[j] = start;
    }
    b->cut_at[d] = out;
    return HPO_OK;
}

int hpo__tree_boxes_make(hpo__tree_boxes *b, const rf_forest *f,
                         const rf_tree *t)
{
    memset(b, 0, sizeof *b);
    int *parent = malloc(sizeof(int) * (size_t)t->n_nodes);
    if (!parent)
        return HPO_ENOMEM;
    int n_leaves = 0;
    parent[0] = -1;
    for (int i = 0; i < t->n_nodes; i++) {
        if (t->nodes[i].feature < 0) {
            n_leaves++;
            continue;
        }
        parent[t->nodes[i].left] = i;
        parent[t->nodes[i].left + 1] = i;
    }
    int rc = boxes_alloc(b, f, n_leaves);
    if (rc == HPO_OK)
        rc = make_cuts(b, f, t);
    for (int i = 0, k = 0; rc == HPO_OK && i < t->n_nodes; i++)
        if (t->nodes[i].feature < 0)
            leaf_box(b, f, t, parent, i, k++);
    free(parent);
    if (rc != HPO_OK)
        hpo__tree_boxes_free(b);
    return rc;
}
