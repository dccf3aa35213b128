/*
 * rf_forest.c — a random forest of regression trees (Breiman 2001,
 * "Random Forests"), as SMAC uses it (Hutter, Hoos & Leyton-Brown 2011,
 * section 4.2): each tree on a bootstrap sample, a random subset of the
 * features tried at each split, split by the largest reduction of squared
 * error, grown until a node is pure or too small, leaves predict their mean.
 *
 * How a tree is grown.  The points are sorted once per feature per fit
 * (O(d n log n)); each tree's bootstrap sample is laid out in those orders
 * (O(d n)), and a split partitions every feature's list stably, so the
 * children's lists stay sorted.  A level of the tree therefore costs
 * O(d m) for m sample points, a tree O(d m depth), and no node sorts
 * anything but the categories it holds.
 *
 * Splits:
 *   numeric     x <= t goes left, t drawn uniformly between the two
 *               neighbouring values (pyrfr does the same), so the trees
 *               disagree between data points and the variance grows there;
 *               between an inactive (negative) and an active value t is
 *               -0.5, so inactivity is routed the same way in every tree;
 *   categorical the categories present are ordered by their mean output
 *               and the best prefix of that order goes left (for squared
 *               error the best of all 2^k subsets is such a prefix: Breiman
 *               et al. 1984, CART, section 9.4); a category absent from the
 *               node follows the larger child.
 * Deviations: any valid split is taken, even one that does not lower the
 * error (a tie), so interactions with no marginal effect (XOR-like terms)
 * still get split on; thresholds and ties are drawn from the caller's rng.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf_forest.h"

void rf_options_default(rf_options *o)
{
    o->n_trees = 10;
    o->min_samples_split = 3;
    o->min_samples_leaf = 1;
    o->feature_fraction = 5.0 / 6.0;
    o->bootstrap = 1;
}

/* ---- the builder's working memory ----------------------------------------- */

typedef struct builder {
    const double *x, *y;
    int n, dim, max_cat;
    const int *n_cat;
    const rf_options *o;
    hpo__rng *rng;
    int *sorted;          /* dim x n: the points in each feature's order */
    int *count;           /* n: copies of each point in the tree's sample */
    int *first;           /* n: its first slot */
    int m;                /* slots (sample points) of the tree */
    int *orig;            /* m: slot -> point */
    int *idx;             /* dim x m: per feature, the slots of each node */
    int *tmp;             /* m */
    unsigned char *left;  /* m: the slot goes left in the current split */
    int *lo, *hi;         /* per node: its range in every idx list */
    int *features;        /* dim: drawn without replacement per split */
    double *cat_sum;      /* max_cat */
    int *cat_cnt, *cat_order;
    unsigned char *mask, *best_mask;
} builder;

typedef struct split {
    int feature;    /* -1: none found */
    double score;   /* sum_L^2 / n_L + sum_R^2 / n_R (larger is better) */
    int position;   /* numeric: the last slot going left, in idx order */
} split;

static void builder_free(builder *b)
{
    free(b->sorted);
    free(b->count);
    free(b->first);
    free(b->orig);
    free(b->idx);
    free(b->tmp);
    free(b->left);
    free(b->lo);
    free(b->hi);
    free(b->features);
    free(b->cat_sum);
    free(b->cat_cnt);
    free(b->cat_order);
    free(b->mask);
    free(b->best_mask);
}

static int builder_init(builder *b)
{
    size_t n = (size_t)b->n, d = (size_t)b->dim, c = (size_t)b->max_cat + 1;
    b->sorted = malloc(sizeof(int) * d * n);
    b->count = malloc(sizeof(int) * n);
    b->first = malloc(sizeof(int) * n);
    b->orig = malloc(sizeof(int) * n);
    b->idx = malloc(sizeof(int) * d * n);
    b->tmp = malloc(sizeof(int) * n);
    b->left = malloc(n);
    b->lo = malloc(sizeof(int) * 2 * n);
    b->hi = malloc(sizeof(int) * 2 * n);
    b->features = malloc(sizeof(int) * d);
    b->cat_sum = malloc(sizeof(double) * c);
    b->cat_cnt = malloc(sizeof(int) * c);
    b->cat_order = malloc(sizeof(int) * c);
    b->mask = malloc(c);
    b->best_mask = malloc(c);
    hpo__value_index *vi = malloc(sizeof *vi * n);
    if (!b->sorted || !b->count || !b->first || !b->orig || !b->idx ||
        !b->tmp || !b->left || !b->lo || !b->hi || !b->features ||
        !b->cat_sum || !b->cat_cnt || !b->cat_order || !b->mask ||
        !b->best_mask || !vi) {
        free(vi);
        return -1;
    }
    for (int j = 0; j < b->dim; j++) {
        for (int i = 0; i < b->n; i++)
            vi[i] = (hpo__value_index){b->x[(size_t)i * d + j], i};
        if (b->n_cat[j] == 0)
            hpo__sort_by_value(vi, (int)n);
        for (int i = 0; i < b->n; i++)
            b->sorted[(size_t)j * n + i] = vi[i].index;
    }
    free(vi);
    return 0;
}

static double xv(const builder *b, int slot, int j)
{
    return b->x[(size_t)b->orig[slot] * b->dim + j];
}

static double yv(const builder *b, int slot)
{
    return b->y[b->orig[slot]];
}

/* Draw the tree's sample and lay it out in every feature's order. */
static void sample_points(builder *b)
{
    for (int i = 0; i < b->n; i++)
        b->count[i] = b->o->bootstrap ? 0 : 1;
    if (b->o->bootstrap)
        for (int k = 0; k < b->n; k++)
            b->count[hpo__rng_below(b->rng, (uint64_t)b->n)]++;
    int m = 0;
    for (int i = 0; i < b->n; i++) {
        b->first[i] = m;
        for (int c = 0; c < b->count[i]; c++)
            b->orig[m++] = i;
    }
    b->m = m;
    for (int j = 0; j < b->dim; j++) {
        int *list = b->idx + (size_t)j * m, k = 0;
        const int *order = b->sorted + (size_t)j * b->n;
        for (int r = 0; r < b->n; r++) {
            int i = order[r];
            for (int c = 0; c < b->count[i]; c++)
                list[k++] = b->first[i] + c;
        }
    }
}

/* ---- split search ---------------------------------------------------------- */

static double side_score(double sum, int n)
{
    return n > 0 ? sum * sum / n : 0;
}

static void try_numeric(builder *b, int j, int lo, int hi, double total,
                        split *best)
{
    const int *list = b->idx + (size_t)j * b->m;
    int min_leaf = b->o->min_samples_leaf, n = hi - lo;
    double sum = 0;
    for (int k = lo; k < hi - 1; k++) {
        sum += yv(b, list[k]);
        int n_left = k - lo + 1;
        if (n_left < min_leaf || n - n_left < min_leaf ||
            !(xv(b, list[k], j) < xv(b, list[k + 1], j)))
            continue;
        double s = side_score(sum, n_left) + side_score(total - sum, n - n_left);
        if (best->feature < 0 || s > best->score)
            *best = (split){j, s, k};
    }
}

static int by_cat_mean(const builder *b, int p, int q)
{
    double mp = b->cat_sum[p] / b->cat_cnt[p], mq = b->cat_sum[q] / b->cat_cnt[q];
    return mp < mq ? -1 : mp > mq ? 1 : p - q;
}

/* Insertion sort: a node holds few categories, and qsort has no context. */
static void sort_categories(builder *b, int k)
{
    for (int a = 1; a < k; a++) {
        int c = b->cat_order[a], z = a;
        for (; z > 0 && by_cat_mean(b, c, b->cat_order[z - 1]) < 0; z--)
            b->cat_order[z] = b->cat_order[z - 1];
        b->cat_order[z] = c;
    }
}

static void try_categorical(builder *b, int j, int lo, int hi, double total,
                            split *best)
{
    int nc = b->n_cat[j], n = hi - lo, min_leaf = b->o->min_samples_leaf;
    const int *list = b->idx + (size_t)j * b->m;
    for (int c = 0; c < nc; c++) {
        b->cat_sum[c] = 0;
        b->cat_cnt[c] = 0;
    }
    for (int k = lo; k < hi; k++) {
        int c = (int)xv(b, list[k], j);
        if (c >= 0 && c < nc) {
            b->cat_sum[c] += yv(b, list[k]);
            b->cat_cnt[c]++;
        }
    }
    int k = 0;
    for (int c = 0; c < nc; c++)
        if (b->cat_cnt[c] > 0)
            b->cat_order[k++] = c;
    sort_categories(b, k);
    double sum = 0;
    int n_left = 0, cut = -1;
    double cut_score = 0;
    for (int q = 0; q < k - 1; q++) {
        sum += b->cat_sum[b->cat_order[q]];
        n_left += b->cat_cnt[b->cat_order[q]];
        if (n_left < min_leaf || n - n_left < min_leaf)
            continue;
        double s = side_score(sum, n_left) + side_score(total - sum, n - n_left);
        if (cut < 0 || s > cut_score) {
            cut = q;
            cut_score = s;
        }
    }
    if (cut < 0 || (best->feature >= 0 && cut_score <= best->score))
        return;
    *best = (split){j, cut_score, -1};
    int left_n = 0;
    memset(b->best_mask, 0, (size_t)nc);
    for (int q = 0; q <= cut; q++) {
        b->best_mask[b->cat_order[q]] = 1;
        left_n += b->cat_cnt[b->cat_order[q]];
    }
    /* Categories this node never saw follow the larger child. */
    int absent_left = 2 * left_n >= n;
    for (int c = 0; c < nc; c++)
        if (b->cat_cnt[c] == 0)
            b->best_mask[c] = (unsigned char)absent_left;
}

static split find_split(builder *b, int lo, int hi)
{
    split best = {-1, 0, -1};
    const int *list = b->idx; /* feature 0's list: any order serves here */
    double total = 0, y_min = HUGE_VAL, y_max = -HUGE_VAL;
    for (int k = lo; k < hi; k++) {
        double y = yv(b, list[k]);
        total += y;
        y_min = y < y_min ? y : y_min;
        y_max = y > y_max ? y : y_max;
    }
    if (hi - lo < b->o->min_samples_split || !(y_max > y_min))
        return best;
    int n_try = (int)(b->o->feature_fraction * b->dim);
    n_try = n_try < 1 ? 1 : n_try > b->dim ? b->dim : n_try;
    for (int j = 0; j < b->dim; j++)
        b->features[j] = j;
    for (int t = 0; t < n_try; t++) {
        int pick = t + (int)hpo__rng_below(b->rng, (uint64_t)(b->dim - t));
        int j = b->features[pick];
        b->features[pick] = b->features[t];
        b->features[t] = j;
        if (b->n_cat[j] > 0)
            try_categorical(b, j, lo, hi, total, &best);
        else
            try_numeric(b, j, lo, hi, total, &best);
    }
    return best;
}

/* ---- growing a tree -------------------------------------------------------- */

static int add_mask(rf_tree *t, const unsigned char *mask, int nc)
{
    if (t->n_cats + nc > t->cap_cats) {
        int cap = 2 * (t->n_cats + nc) + 64;
        unsigned char *p = realloc(t->cats, (size_t)cap);
        if (!p)
            return -1;
        t->cats = p;
        t->cap_cats = cap;
    }
    memcpy(t->cats + t->n_cats, mask, (size_t)nc);
    t->n_cats += nc;
    return t->n_cats - nc;
}

/* Mark which slots of [lo, hi) go left; returns how many do. */
static int mark_left(builder *b, rf_node *node, const rf_tree *t, int lo,
                     int hi)
{
    int j = node->feature, n_left = 0;
    const int *list = b->idx + (size_t)j * b->m;
    for (int k = lo; k < hi; k++) {
        double v = xv(b, list[k], j);
        int go;
        if (b->n_cat[j] > 0) {
            int c = (int)v;
            go = c >= 0 && c < b->n_cat[j] && t->cats[node->cat + c];
        } else {
            go = v <= node->threshold;
        }
        b->left[list[k]] = (unsigned char)go;
        n_left += go;
    }
    return n_left;
}

/* Stable partition of every feature's list: sorted lists stay sorted. */
static void partition(builder *b, int lo, int hi, int n_left)
{
    for (int j = 0; j < b->dim; j++) {
        int *list = b->idx + (size_t)j * b->m;
        int l = 0, r = n_left;
        for (int k = lo; k < hi; k++) {
            int s = list[k];
            b->tmp[b->left[s] ? l++ : r++] = s;
        }
        memcpy(list + lo, b->tmp, sizeof(int) * (size_t)(hi - lo));
    }
}

static double numeric_threshold(builder *b, const split *s)
{
    const int *list = b->idx + (size_t)s->feature * b->m;
    double a = xv(b, list[s->position], s->feature);
    double c = xv(b, list[s->position + 1], s->feature);
    if (a < 0 && c >= 0)
        return -0.5; /* inactive | active */
    double t = a + hpo__rng_uniform(b->rng) * (c - a);
    return t < c ? t : a;
}

static void make_leaf(builder *b, rf_node *node, int lo, int hi)
{
    double sum = 0;
    for (int k = lo; k < hi; k++)
        sum += yv(b, b->idx[k]);
    node->feature = -1;
    node->value = sum / (hi - lo);
}

static int grow_tree(builder *b, rf_tree *t)
{
    t->nodes = malloc(sizeof(rf_node) * 2 * (size_t)b->m);
    if (!t->nodes)
        return -1;
    t->n_nodes = 1;
    b->lo[0] = 0;
    b->hi[0] = b->m;
    /* Nodes are split in the order they were made (breadth first): the
     * node array is its own queue. */
    for (int i = 0; i < t->n_nodes; i++) {
        rf_node *node = &t->nodes[i];
        int lo = b->lo[i], hi = b->hi[i];
        split s = find_split(b, lo, hi);
        if (s.feature < 0) {
            make_leaf(b, node, lo, hi);
            continue;
        }
        node->feature = s.feature;
        node->cat = -1;
        node->threshold = 0;
        if (b->n_cat[s.feature] > 0) {
            node->cat = add_mask(t, b->best_mask, b->n_cat[s.feature]);
            if (node->cat < 0)
                return -1;
        } else {
            node->threshold = numeric_threshold(b, &s);
        }
        int n_left = mark_left(b, node, t, lo, hi);
        partition(b, lo, hi, n_left);
        node->left = t->n_nodes;
        b->lo[t->n_nodes] = lo;
        b->hi[t->n_nodes++] = lo + n_left;
        b->lo[t->n_nodes] = lo + n_left;
        b->hi[t->n_nodes++] = hi;
    }
    return 0;
}

/* ---- the forest ------------------------------------------------------------ */

void rf_forest_free(rf_forest *f)
{
    for (int k = 0; k < f->n_trees && f->trees; k++) {
        free(f->trees[k].nodes);
        free(f->trees[k].cats);
    }
    free(f->trees);
    free(f->n_cat);
    memset(f, 0, sizeof *f);
}

int rf_forest_fit(rf_forest *f, const double *x, const double *y, int n,
                  int dim, const int *n_cat, const rf_options *o,
                  hpo__rng *rng)
{
    rf_forest_free(f);
    builder b = {.x = x, .y = y, .n = n, .dim = dim, .n_cat = n_cat, .o = o,
                 .rng = rng};
    for (int j = 0; j < dim; j++)
        b.max_cat = n_cat[j] > b.max_cat ? n_cat[j] : b.max_cat;
    f->dim = dim;
    f->n_trees = o->n_trees;
    f->n_cat = malloc(sizeof(int) * (size_t)(dim > 0 ? dim : 1));
    f->trees = calloc((size_t)o->n_trees, sizeof(rf_tree));
    int rc = !f->n_cat || !f->trees || builder_init(&b) ? -1 : 0;
    if (rc == 0)
        memcpy(f->n_cat, n_cat, sizeof(int) * (size_t)dim);
    for (int k = 0; k < o->n_trees && rc == 0; k++) {
        sample_points(&b);
        rc = grow_tree(&b, &f->trees[k]);
    }
    builder_free(&b);
    if (rc != 0)
        rf_forest_free(f);
    return rc;
}

static double tree_predict(const rf_forest *f, const rf_tree *t,
                           const double *x)
{
    const rf_node *node = t->nodes;
    while (node->feature >= 0) {
        int j = node->feature;
        int go_left;
        if (f->n_cat[j] > 0) {
            int c = (int)x[j];
            go_left = c >= 0 && c < f->n_cat[j] && t->cats[node->cat + c];
        } else {
            go_left = x[j] <= node->threshold;
        }
        node = &t->nodes[node->left + !go_left];
    }
    return node->value;
}

void rf_forest_predict(const rf_forest *f, const double *x, double *mean,
                       double *var)
{
    /* Welford's update: exactly 0 when every tree agrees. */
    double m = 0, ss = 0;
    for (int k = 0; k < f->n_trees; k++) {
        double v = tree_predict(f, &f->trees[k], x);
        double delta = v - m;
        m += delta / (k + 1);
        ss += delta * (v - m);
    }
    *mean = m;
    *var = f->n_trees > 0 && ss > 0 ? ss / f->n_trees : 0;
}
