/*
 * problems.c — the synthetic benchmark problems of BENCHMARKS.md.
 *
 * Definitions follow the usual references: Branin, Hartmann-6, Ackley,
 * Levy, Styblinski–Tang as in Surjanovic & Bingham's Virtual Library of
 * Simulation Experiments (sfu.ca/~ssurjano), Rosenbrock's valley, and ZDT1–3
 * from Zitzler, Deb & Thiele, "Comparison of multiobjective evolutionary
 * algorithms: empirical results" (Evolutionary Computation 8(2), 2000).
 * mixed4 and sparse_bool60 are this project's own (see BENCHMARKS.md), and
 * so are cond_model (a conditional space) and cat_heavy (mostly categorical
 * parameters), defined below and in docs/benchmarks.md.
 *
 * The reference implementation for Optuna (optuna_ref.py) defines the same
 * functions in Python; keep both in step.
 */
#include "problems.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------- */
/* Single-objective functions                                                 */
/* ------------------------------------------------------------------------- */

static void branin(const double *x, double *v)
{
    const double a = 1, b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, r = 6,
                 s = 10, t = 1 / (8 * M_PI);
    double q = x[1] - b * x[0] * x[0] + c * x[0] - r;
    v[0] = a * q * q + s * (1 - t) * cos(x[0]) + s;
}

static void hartmann6(const double *x, double *v)
{
    static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
    static const double A[4][6] = {{10, 3, 17, 3.5, 1.7, 8},
                                   {0.05, 10, 17, 0.1, 8, 14},
                                   {3, 3.5, 1.7, 10, 17, 8},
                                   {17, 8, 0.05, 10, 0.1, 14}};
    static const double P[4][6] = {{1312, 1696, 5569, 124, 8283, 5886},
                                   {2329, 4135, 8307, 3736, 1004, 9991},
                                   {2348, 1451, 3522, 2883, 3047, 6650},
                                   {4047, 8828, 8732, 5743, 1091, 381}};
    double sum = 0;
    for (int i = 0; i < 4; i++) {
        double inner = 0;
        for (int j = 0; j < 6; j++) {
            double d = x[j] - 1e-4 * P[i][j];
            inner += A[i][j] * d * d;
        }
        sum += alpha[i] * exp(-inner);
    }
    v[0] = -sum;
}

static void rosenbrock4(const double *x, double *v)
{
    double sum = 0;
    for (int i = 0; i + 1 < 4; i++) {
        double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        sum += 100 * a * a + b * b;
    }
    v[0] = sum;
}

static void ackley10(const double *x, double *v)
{
    const int d = 10;
    double squares = 0, cosines = 0;
    for (int i = 0; i < d; i++) {
        squares += x[i] * x[i];
        cosines += cos(2 * M_PI * x[i]);
    }
    v[0] = -20 * exp(-0.2 * sqrt(squares / d)) - exp(cosines / d) + 20 + M_E;
}

static void levy8(const double *x, double *v)
{
    const int d = 8;
    double w[8];
    for (int i = 0; i < d; i++)
        w[i] = 1 + (x[i] - 1) / 4;
    double s1 = sin(M_PI * w[0]);
    double sum = s1 * s1;
    for (int i = 0; i < d - 1; i++) {
        double s = sin(M_PI * w[i] + 1);
        sum += (w[i] - 1) * (w[i] - 1) * (1 + 10 * s * s);
    }
    double sd = sin(2 * M_PI * w[d - 1]);
    sum += (w[d - 1] - 1) * (w[d - 1] - 1) * (1 + sd * sd);
    v[0] = sum;
}

static void styblinski_tang8(const double *x, double *v)
{
    double sum = 0;
    for (int i = 0; i < 8; i++) {
        double x2 = x[i] * x[i];
        sum += x2 * x2 - 16 * x2 + 5 * x[i];
    }
    v[0] = sum / 2;
}

/* x float, y log float, n int, c categorical {a, b, c}. */
static void mixed4(const double *x, double *v)
{
    static const double penalty[3] = {0.5, 0, 1};
    double dx = x[0] - 1.2, dy = log10(x[1]) + 2, dn = (x[2] - 7) / 3;
    v[0] = dx * dx + dy * dy + dn * dn + penalty[(int)x[3]];
}

/* Choice 0 is "-1", choice 1 is "+1". */
static void sparse_bool60(const double *x, double *v)
{
#define B(i) (x[i] >= 0.5 ? 1.0 : -1.0)
    v[0] = -5 * B(3) * B(17) - 4 * B(8) * B(22) * B(41) - 3 * B(11) -
           3 * B(29) * B(50) - 2 * B(5) * B(36) * B(58) - 1.5 * B(0) * B(44) -
           1 * B(13) * B(27) * B(52);
#undef B
}

/* ------------------------------------------------------------------------- */
/* A conditional space and a categorical-heavy one                            */
/* ------------------------------------------------------------------------- */

/*
 * cond_model: model selection.  kind in {svm, tree, linear} decides which
 * parameters exist; each branch is a smooth bowl with its own floor, so a
 * sampler must both pick the right branch and tune inside it:
 *
 *   svm     C log [1e-3, 1e3], gamma log [1e-4, 1]; u = log10 C - 1,
 *           v = log10 gamma + 2.5:  0.6 (u + v)^2 + 0.08 (u - v)^2
 *           (a long diagonal valley, C * gamma ~ const, as real RBF SVMs
 *           show); floor 0 at C = 10, gamma = 10^-2.5.
 *   tree    depth int [1, 12], min_leaf int [1, 50], max_features [0.1, 1];
 *           p = (depth - 7) / 4, q = ln(min_leaf / 5):
 *           0.1 + p^2 + 0.3 q^2 + 0.3 p q + 2 (max_features - 0.5)^2;
 *           floor 0.1 at depth 7, min_leaf 5, max_features 0.5.
 *   linear  alpha log [1e-6, 1], l1_ratio [0, 1]:
 *           0.3 + 0.25 (log10 alpha + 3)^2 + 2 (l1_ratio - 0.3)^2;
 *           floor 0.3 at alpha = 1e-3, l1_ratio = 0.3.
 *
 * Both quadratic forms are positive definite (0.3^2 < 4 * 0.3; the svm
 * form is 0.68 u^2 + 0.68 v^2 + 1.04 u v, 1.04^2 < 4 * 0.68^2), so f* = 0,
 * in the svm branch.  x: kind, C, gamma, depth, min_leaf, max_features,
 * alpha, l1_ratio.
 */
enum { KIND_SVM, KIND_TREE, KIND_LINEAR };

static void cond_model(const double *x, double *v)
{
    switch ((int)x[0]) {
    case KIND_SVM: {
        double u = log10(x[1]) - 1, w = log10(x[2]) + 2.5;
        v[0] = 0.6 * (u + w) * (u + w) + 0.08 * (u - w) * (u - w);
        break;
    }
    case KIND_TREE: {
        double p = (x[3] - 7) / 4, q = log(x[4] / 5), m = x[5] - 0.5;
        v[0] = 0.1 + p * p + 0.3 * q * q + 0.3 * p * q + 2 * m * m;
        break;
    }
    default: {
        double a = log10(x[6]) + 3, r = x[7] - 0.3;
        v[0] = 0.3 + 0.25 * a * a + 2 * r * r;
        break;
    }
    }
}

/*
 * cat_heavy: eight categoricals c0..c7 with 3, 4, 5, 3, 4, 5, 3, 4 choices
 * (named a, b, c, ...) and two floats x0, x1 in [0, 1]:
 *
 *   f = A[c0][c1] + B[c2][c3] + C[c4][c5] + D[c6][c7]
 *       + 2 (x0 - U[c0])^2 + 2 (x1 - V[c4])^2
 *
 * A, B and C interact: the choices that are best on average (a row or
 * column's mean) are not the pair's best cell, so a model of one parameter
 * at a time is led astray; D is additive (main effects only).  The floats'
 * optimum moves with a categorical.  The pairs share no parameter and every
 * centre lies inside [0, 1], so f* = 0 (each table's minimum is 0):
 * c0 = b, c1 = b, c2 = d, c3 = c, c4 = c, c5 = d, c6 = b, c7 = c,
 * x0 = U[b] = 0.7, x1 = V[c] = 0.6.
 */
static const double cat_a[3][4] = {{0.4, 0.5, 0.3, 0.6},
                                   {0.9, 0.0, 1.0, 1.1},
                                   {0.8, 0.7, 0.6, 0.9}};
static const double cat_b[5][3] = {{0.5, 0.6, 0.7},
                                   {0.3, 0.4, 0.5},
                                   {0.6, 0.2, 0.8},
                                   {1.0, 0.9, 0.0},
                                   {0.4, 0.5, 0.6}};
static const double cat_c[4][5] = {{0.6, 0.4, 0.5, 0.7, 0.6},
                                   {0.3, 0.5, 0.2, 0.4, 0.5},
                                   {0.8, 0.9, 0.7, 0.0, 0.9},
                                   {0.5, 0.3, 0.6, 0.5, 0.4}};
static const double cat_d6[3] = {0.3, 0.0, 0.5};
static const double cat_d7[4] = {0.4, 0.2, 0.0, 0.6};
static const double cat_u[3] = {0.2, 0.7, 0.5};
static const double cat_v[4] = {0.3, 0.8, 0.6, 0.1};

static void cat_heavy(const double *x, double *v)
{
    int c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (int)x[i];
    double du = x[8] - cat_u[c[0]], dv = x[9] - cat_v[c[4]];
    v[0] = cat_a[c[0]][c[1]] + cat_b[c[2]][c[3]] + cat_c[c[4]][c[5]] +
           cat_d6[c[6]] + cat_d7[c[7]] + 2 * du * du + 2 * dv * dv;
}

/* ------------------------------------------------------------------------- */
/* ZDT1-3: 30 variables in [0, 1], two objectives                             */
/* ------------------------------------------------------------------------- */

enum { ZDT_DIM = 30 };

static double zdt_g(const double *x)
{
    double sum = 0;
    for (int i = 1; i < ZDT_DIM; i++)
        sum += x[i];
    return 1 + 9 * sum / (ZDT_DIM - 1);
}

static void zdt1(const double *x, double *v)
{
    double g = zdt_g(x);
    v[0] = x[0];
    v[1] = g * (1 - sqrt(x[0] / g));
}

static void zdt2(const double *x, double *v)
{
    double g = zdt_g(x), r = x[0] / g;
    v[0] = x[0];
    v[1] = g * (1 - r * r);
}

static void zdt3(const double *x, double *v)
{
    double g = zdt_g(x), r = x[0] / g;
    v[0] = x[0];
    v[1] = g * (1 - sqrt(r) - r * sin(10 * M_PI * x[0]));
}

/* ------------------------------------------------------------------------- */
/* DTLZ2 (Deb, Thiele, Laumanns & Zitzler 2002): 12 variables in [0, 1],     */
/* three objectives; the front is the unit sphere's positive octant (k = 10)  */
/* ------------------------------------------------------------------------- */

enum { DTLZ_DIM = 12 };

static void dtlz2(const double *x, double *v)
{
    double g = 0;
    for (int i = 2; i < DTLZ_DIM; i++)
        g += (x[i] - 0.5) * (x[i] - 0.5);
    double a = x[0] * M_PI / 2, b = x[1] * M_PI / 2;
    v[0] = (1 + g) * cos(a) * cos(b);
    v[1] = (1 + g) * cos(a) * sin(b);
    v[2] = (1 + g) * sin(a);
}

/* ------------------------------------------------------------------------- */
/* The table                                                                  */
/* ------------------------------------------------------------------------- */

static const char *const abc[] = {"a", "b", "c"};
static const char *const sign[] = {"-1", "+1"};

static const bench_param branin_params[] = {
    {"x1", BENCH_FLOAT, -5, 10, 0, NULL, 0, NULL, 0},
    {"x2", BENCH_FLOAT, 0, 15, 0, NULL, 0, NULL, 0},
};
static const bench_param unit_box[] = {
    {"x", BENCH_FLOAT, 0, 1, 0, NULL, 0, NULL, 0}};
static const bench_param rosenbrock_box[] = {
    {"x", BENCH_FLOAT, -5, 10, 0, NULL, 0, NULL, 0}};
static const bench_param ackley_box[] = {
    {"x", BENCH_FLOAT, -32.768, 32.768, 0, NULL, 0, NULL, 0}};
static const bench_param levy_box[] = {
    {"x", BENCH_FLOAT, -10, 10, 0, NULL, 0, NULL, 0}};
static const bench_param st_box[] = {
    {"x", BENCH_FLOAT, -5, 5, 0, NULL, 0, NULL, 0}};
static const bench_param mixed4_params[] = {
    {"x", BENCH_FLOAT, -5, 5, 0, NULL, 0, NULL, 0},
    {"y", BENCH_FLOAT, 1e-4, 1, HPO_LOG, NULL, 0, NULL, 0},
    {"n", BENCH_INT, 1, 20, 0, NULL, 0, NULL, 0},
    {"c", BENCH_CATEGORICAL, 0, 0, 0, abc, 3, NULL, 0},
};
static const bench_param bools[] = {
    {"b", BENCH_CATEGORICAL, 0, 0, 0, sign, 2, NULL, 0}};

static const char *const kinds[] = {"svm", "tree", "linear"};
#define WHEN(k) "kind", 1u << (k)
static const bench_param cond_model_params[] = {
    {"kind", BENCH_CATEGORICAL, 0, 0, 0, kinds, 3, NULL, 0},
    {"C", BENCH_FLOAT, 1e-3, 1e3, HPO_LOG, NULL, 0, WHEN(KIND_SVM)},
    {"gamma", BENCH_FLOAT, 1e-4, 1, HPO_LOG, NULL, 0, WHEN(KIND_SVM)},
    {"depth", BENCH_INT, 1, 12, 0, NULL, 0, WHEN(KIND_TREE)},
    {"min_leaf", BENCH_INT, 1, 50, 0, NULL, 0, WHEN(KIND_TREE)},
    {"max_features", BENCH_FLOAT, 0.1, 1, 0, NULL, 0, WHEN(KIND_TREE)},
    {"alpha", BENCH_FLOAT, 1e-6, 1, HPO_LOG, NULL, 0, WHEN(KIND_LINEAR)},
    {"l1_ratio", BENCH_FLOAT, 0, 1, 0, NULL, 0, WHEN(KIND_LINEAR)},
};
#undef WHEN

static const char *const letters[] = {"a", "b", "c", "d", "e"};
static const bench_param cat_heavy_params[] = {
    {"c0", BENCH_CATEGORICAL, 0, 0, 0, letters, 3, NULL, 0},
    {"c1", BENCH_CATEGORICAL, 0, 0, 0, letters, 4, NULL, 0},
    {"c2", BENCH_CATEGORICAL, 0, 0, 0, letters, 5, NULL, 0},
    {"c3", BENCH_CATEGORICAL, 0, 0, 0, letters, 3, NULL, 0},
    {"c4", BENCH_CATEGORICAL, 0, 0, 0, letters, 4, NULL, 0},
    {"c5", BENCH_CATEGORICAL, 0, 0, 0, letters, 5, NULL, 0},
    {"c6", BENCH_CATEGORICAL, 0, 0, 0, letters, 3, NULL, 0},
    {"c7", BENCH_CATEGORICAL, 0, 0, 0, letters, 4, NULL, 0},
    {"x0", BENCH_FLOAT, 0, 1, 0, NULL, 0, NULL, 0},
    {"x1", BENCH_FLOAT, 0, 1, 0, NULL, 0, NULL, 0},
};

#define PARAMS(a) a, (int)(sizeof(a) / sizeof(a[0]))
#define NO_REF {0, 0}
#define ZDT_REF {11, 11}

/* The hypervolumes of the ZDT Pareto fronts with reference (11, 11):
 * 121 - 1/3 for ZDT1, 121 - 2/3 for ZDT2, and for ZDT3's broken front
 * the integral computed numerically (1e6 and 4e6 front points,
 * extrapolated; error below 1e-8). */
#define ZDT1_HV (121.0 - 1.0 / 3)
#define ZDT2_HV (121.0 - 2.0 / 3)
#define ZDT3_HV 128.77811613
/* DTLZ2's front is the unit sphere in the positive octant: with reference
 * (1.1, 1.1, 1.1) it dominates the box less the eighth of the unit ball. */
#define DTLZ_REF {1.1, 1.1, 1.1}
#define DTLZ2_HV (1.1 * 1.1 * 1.1 - M_PI / 6)

const bench_problem bench_problems[] = {
    /* name, dim, objectives, f*, params, f, ref, default budgets */
    {"branin", 2, 1, 0.397887357729738, PARAMS(branin_params), branin, NO_REF, "20,50,100"},
    {"hartmann6", 6, 1, -3.32236801141551, PARAMS(unit_box), hartmann6, NO_REF, "20,50,100"},
    {"rosenbrock4", 4, 1, 0, PARAMS(rosenbrock_box), rosenbrock4, NO_REF, "20,50,100"},
    {"ackley10", 10, 1, 0, PARAMS(ackley_box), ackley10, NO_REF, "20,50,100"},
    {"levy8", 8, 1, 0, PARAMS(levy_box), levy8, NO_REF, "20,50,100"},
    {"styblinski_tang8", 8, 1, -313.329325630171, PARAMS(st_box), styblinski_tang8, NO_REF, "20,50,100"},
    {"mixed4", 4, 1, 0, PARAMS(mixed4_params), mixed4, NO_REF, "20,50,100"},
    {"zdt1", ZDT_DIM, 2, ZDT1_HV, PARAMS(unit_box), zdt1, ZDT_REF, "1000,5000"},
    {"zdt2", ZDT_DIM, 2, ZDT2_HV, PARAMS(unit_box), zdt2, ZDT_REF, "1000,5000"},
    {"zdt3", ZDT_DIM, 2, ZDT3_HV, PARAMS(unit_box), zdt3, ZDT_REF, "1000,5000"},
    {"sparse_bool60", 60, 1, -19.5, PARAMS(bools), sparse_bool60, NO_REF, "100,300"},
    {"cond_model", 8, 1, 0, PARAMS(cond_model_params), cond_model, NO_REF, "20,50,100"},
    {"cat_heavy", 10, 1, 0, PARAMS(cat_heavy_params), cat_heavy, NO_REF, "20,50,100"},
    {"dtlz2", DTLZ_DIM, 3, DTLZ2_HV, PARAMS(unit_box), dtlz2, DTLZ_REF, "1000,5000"},
    {NULL, 0, 0, 0, NULL, 0, NULL, NO_REF, NULL},
};

const bench_problem *bench_problem_find(const char *name)
{
    for (const bench_problem *p = bench_problems; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

int bench_problem_count(void)
{
    int n = 0;
    while (bench_problems[n].name)
        n++;
    return n;
}

/* ------------------------------------------------------------------------- */
/* Parameters: declare, suggest, check                                        */
/* ------------------------------------------------------------------------- */

void bench_problem_param(const bench_problem *p, int i, bench_param *out,
                         char *name, size_t size)
{
    int repeated = p->n_params == 1 && p->dim > 1;
    *out = p->params[repeated ? 0 : i];
    if (repeated)
        snprintf(name, size, "%s%d", out->name, i);
    else
        snprintf(name, size, "%s", out->name);
    out->name = name;
}

int bench_param_contains(const bench_param *param, double v)
{
    switch (param->kind) {
    case BENCH_FLOAT:
        return v >= param->low && v <= param->high;
    case BENCH_INT:
        return v >= param->low && v <= param->high && v == floor(v);
    case BENCH_CATEGORICAL:
        return v >= 0 && v < param->n_choices && v == floor(v);
    }
    return 0;
}

/* The index of q's parent among p's parameters, or -1 (none, or unknown). */
static int parent_index(const bench_problem *p, int i, const bench_param *q)
{
    if (!q->parent || p->n_params != p->dim)
        return -1;
    for (int j = 0; j < i; j++)
        if (strcmp(p->params[j].name, q->parent) == 0)
            return j;
    return -1;
}

static int active(const bench_problem *p, int i, const bench_param *q,
                  const double *x)
{
    if (!q->parent)
        return 1;
    int j = parent_index(p, i, q);
    /* An inactive parent is NaN, so the child is inactive too. */
    return j >= 0 && isfinite(x[j]) && x[j] >= 0 && x[j] < 32 &&
           (q->when >> (int)x[j] & 1u);
}

int bench_problem_active(const bench_problem *p, int i, const double *x)
{
    bench_param q;
    char name[64];
    bench_problem_param(p, i, &q, name, sizeof name);
    return active(p, i, &q, x);
}

int bench_problem_n_active(const bench_problem *p, const double *x)
{
    int n = 0;
    for (int i = 0; i < p->dim; i++)
        n += bench_problem_active(p, i, x);
    return n;
}

/* hpo_space_set_condition for q: the parent's choices named by q->when. */
static int define_condition(const bench_problem *p, int i,
                            const bench_param *q, hpo_space *space)
{
    int j = parent_index(p, i, q);
    if (j < 0 || p->params[j].kind != BENCH_CATEGORICAL)
        return HPO_EINVAL;
    const bench_param *parent = &p->params[j];
    const char *on[32];
    int n = 0;
    for (int k = 0; k < parent->n_choices && k < 32; k++)
        if (q->when >> k & 1u)
            on[n++] = parent->choices[k];
    return hpo_space_set_condition(space, q->name, q->parent, on, n);
}

int bench_problem_define(const bench_problem *p, hpo_space *space)
{
    for (int i = 0; i < p->dim; i++) {
        bench_param q;
        char name[64];
        bench_problem_param(p, i, &q, name, sizeof name);
        int rc = HPO_EINVAL;
        if (q.kind == BENCH_FLOAT)
            rc = hpo_space_add_float(space, q.name, q.low, q.high, 0, q.log);
        else if (q.kind == BENCH_INT)
            rc = hpo_space_add_int(space, q.name, (int64_t)q.low,
                                   (int64_t)q.high, 1, q.log);
        else
            rc = hpo_space_add_categorical(space, q.name, q.choices,
                                           q.n_choices);
        if (rc == HPO_OK && q.parent)
            rc = define_condition(p, i, &q, space);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

static int suggest_one(const bench_param *q, hpo_trial *trial, double *x)
{
    if (q->kind == BENCH_FLOAT)
        return hpo_trial_suggest_float(trial, q->name, q->low, q->high, 0,
                                       q->log, x);
    if (q->kind == BENCH_INT) {
        int64_t v = 0;
        int rc = hpo_trial_suggest_int(trial, q->name, (int64_t)q->low,
                                       (int64_t)q->high, 1, q->log, &v);
        *x = (double)v;
        return rc;
    }
    int index = 0;
    int rc = hpo_trial_suggest_categorical(trial, q->name, q->choices,
                                           q->n_choices, &index);
    *x = index;
    return rc;
}

int bench_problem_suggest(const bench_problem *p, hpo_trial *trial,
                          double *x)
{
    for (int i = 0; i < p->dim; i++) {
        bench_param q;
        char name[64];
        bench_problem_param(p, i, &q, name, sizeof name);
        if (!active(p, i, &q, x)) {
            x[i] = NAN;
            continue;
        }
        int rc = suggest_one(&q, trial, &x[i]);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

int bench_problem_objective(hpo_trial *trial, void *data, double *values)
{
    const bench_problem *p = data;
    double x[BENCH_MAX_DIM];
    if (p->dim > BENCH_MAX_DIM)
        return HPO_EINVAL;
    int rc = bench_problem_suggest(p, trial, x);
    if (rc != HPO_OK)
        return rc;
    p->f(x, values);
    return HPO_OK;
}

int bench_sphere_objective(hpo_trial *trial, void *data, double *values)
{
    int n = *(const int *)data, rc = HPO_OK;
    char name[32];
    values[0] = 0;
    for (int j = 0; j < n && rc == HPO_OK; j++) {
        double x;
        snprintf(name, sizeof name, "x%d", j);
        rc = hpo_trial_suggest_float(trial, name, -10, 10, 0, 0, &x);
        values[0] += x * x;
    }
    return rc;
}
