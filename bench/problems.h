/*
 * problems.h — the benchmark problems of /work/shared/BENCHMARKS.md.
 *
 * A problem is a row of bench_problems[]: its parameters (a table of
 * domains) and a pure function f(x) of the parameter values.  From the
 * parameter table the same code
 *   - declares the space on an hpo_space (bench_problem_define), which grid
 *     and qmc need, and
 *   - suggests every parameter from a trial (bench_problem_suggest),
 * so the two can never disagree.  Adding a problem is one row in
 * problems.c plus its function.
 *
 * Values in x[] are the user's values: floats as themselves, ints as
 * doubles, categoricals as the index of the choice, and NaN for a
 * conditional parameter that is inactive (bench_problem_active).  f reads
 * only the active ones, so any value of an inactive one is harmless.
 *
 * All problems are minimized.  A single-objective problem's f_star is its
 * optimum (regret = best - f_star).  A multi-objective problem is measured
 * by the hypervolume of the found front with the reference point `ref`;
 * its f_star is then the hypervolume of the true Pareto front.
 */
#ifndef HPO_BENCH_PROBLEMS_H
#define HPO_BENCH_PROBLEMS_H

#include <stddef.h>

#include "hpo.h"

typedef enum bench_kind {
    BENCH_FLOAT,
    BENCH_INT,
    BENCH_CATEGORICAL
} bench_kind;

/* One parameter's domain. */
typedef struct bench_param {
    const char *name;
    bench_kind kind;
    double low, high; /* float, int */
    int log;          /* float, int: HPO_LOG */
    const char *const *choices; /* categorical */
    int n_choices;
    /* A condition: NULL, or the name of an earlier categorical parameter;
     * this one is then active only when the parent is active and takes a
     * choice k with bit k of `when` set (problems with n_params == dim). */
    const char *parent;
    unsigned when;
} bench_param;

#define BENCH_MAX_OBJECTIVES 3
/* The largest dim of any problem (x[] buffers on the stack). */
#define BENCH_MAX_DIM 64

typedef struct bench_problem {
    const char *name;
    int dim;
    int n_objectives;
    /* Optimum (one objective) or best hypervolume (several). */
    double f_star;
    /* n_params == dim: one entry per parameter.  n_params == 1 and dim > 1:
     * the entry is repeated dim times, named name0, name1, ... */
    const bench_param *params;
    int n_params;
    /* f(x) for x[0..dim-1]; writes values[0..n_objectives-1]. */
    void (*f)(const double *x, double *values);
    double ref[BENCH_MAX_OBJECTIVES]; /* hypervolume reference point */
    const char *budgets;              /* default budgets: "20,50,100" */
} bench_problem;

/* The table, ended by a row whose name is NULL. */
extern const bench_problem bench_problems[];

const bench_problem *bench_problem_find(const char *name);
int bench_problem_count(void);

/* Parameter i of p, with its name written into name[size] (out->name
 * points there). */
void bench_problem_param(const bench_problem *p, int i, bench_param *out,
                         char *name, size_t size);
/* Is v a legal value of the parameter (inside the bounds, whole for ints,
 * a valid index for categoricals)? */
int bench_param_contains(const bench_param *param, double v);

/* Is parameter i of p active, given the values x[0..i-1] of the earlier
 * ones (NaN where inactive)?  Always 1 for an unconditional parameter. */
int bench_problem_active(const bench_problem *p, int i, const double *x);
/* The number of active parameters at x (every parameter of a flat p). */
int bench_problem_n_active(const bench_problem *p, const double *x);

/* Declare p's parameters (and conditions) on space, in order.  Returns the
 * hpo status. */
int bench_problem_define(const bench_problem *p, hpo_space *space);
/* Suggest every active parameter of p from the trial, in order, filling
 * x[0..dim-1] (NaN for the inactive ones). */
int bench_problem_suggest(const bench_problem *p, hpo_trial *trial,
                          double *x);
/* An hpo_objective_fn: data is the bench_problem. */
int bench_problem_objective(hpo_trial *trial, void *data, double *values);
/* The define-by-run sphere of hpo-bench scaling and tests/test_scaling.c:
 * *(const int *)data floats x0, x1, ... in [-10, 10], suggested in that
 * order; values[0] = their sum of squares. */
int bench_sphere_objective(hpo_trial *trial, void *data, double *values);

/* Hypervolume dominated by n points (pts[2i], pts[2i+1]) of a minimized
 * 2-objective problem, bounded by ref.  Points not strictly better than
 * ref in both objectives add nothing.  NaN if memory runs out. */
double bench_hypervolume2d(const double *pts, int n, const double ref[2]);
/* The same for m = 2 or 3 objectives (rows of m values); NaN for other m
 * or when memory runs out. */
double bench_hypervolume(const double *pts, int n, int m, const double *ref);

#endif
