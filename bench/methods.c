/*
 * methods.c — the methods the benchmark compares, each as hpo runs it and
 * as Optuna 3.1 runs it.  Adding a method is one row.
 *
 * The Optuna column is a Python expression that optuna_ref.py evaluates
 * with `optuna`, `seed` and `problem` in scope, so the pairing lives here
 * and nowhere else.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

/* A grid is a fair method only when it can be laid out at a few points per
 * axis within the budget; with 2 points per axis it only sees corners, and
 * with 1 only the centre (which is ackley's optimum: says nothing). */
#define GRID_MIN_POINTS 3

int bench_grid_points(const bench_problem *p, int max_budget)
{
    /* The largest n with n^dim <= max_budget (the small epsilon keeps
     * 100^(1/2) from rounding down to 9). */
    int n = (int)floor(pow((double)max_budget, 1.0 / p->dim) + 1e-9);
    return n < 1 ? 1 : n;
}

static int grid_fits(const bench_problem *p, int max_budget)
{
    return bench_grid_points(p, max_budget) >= GRID_MIN_POINTS;
}

/* CMA-ES optimizes one objective (it refuses several). */
static int single_objective(const bench_problem *p, int max_budget)
{
    (void)max_budget;
    return p->n_objectives == 1;
}

const bench_method bench_methods[] = {
    /* label, hpo sampler spec, Optuna sampler, runs on */
    {"random", "random", "optuna.samplers.RandomSampler(seed=seed)", NULL},
    {"qmc", "qmc:scramble=true",
     "optuna.samplers.QMCSampler(scramble=True, seed=seed)", NULL},
    {"grid", "grid:points=%d", "grid_sampler(problem, %d, seed)", grid_fits},
    /* Optuna 3.1 has no GP sampler: its best model-based one instead. */
    {"gp", "gp", "optuna.samplers.TPESampler(seed=seed, multivariate=True)",
     NULL},
    {"tpe", "tpe", "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"tpe:multivariate=true", "tpe:multivariate=true",
     "optuna.samplers.TPESampler(seed=seed, multivariate=True)", NULL},
    /* Labels are listed with commas (--methods), so this one has none. */
    {"tpe:multivariate+group", "tpe:multivariate=true,group=true",
     "optuna.samplers.TPESampler(seed=seed, multivariate=True, group=True)",
     NULL},
    {"rf", "rf", "optuna.samplers.TPESampler(seed=seed)", NULL},
    /* Optuna has no spectral sampler: its default TPE beside it. */
    {"harmonica", "harmonica", "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"harmonica:base=random", "harmonica:base=random",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"harmonica:samples=40", "harmonica:samples=40",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"harmonica:samples=30", "harmonica:samples=30",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"harmonica:samples=80", "harmonica:samples=80",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    /* Optuna 3.1 has no RBF surrogate: its TPE beside it, as for rf. */
    {"rbf", "rbf", "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:kernel=thin_plate", "rbf:kernel=thin_plate",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    /* Fewer candidates per trial: the measurement behind rbf's default. */
    {"rbf:candidates=200", "rbf:candidates=200",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:candidates=500", "rbf:candidates=500",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    /* The start-up, radius, weight and clipping variants measured for
     * rbf's defaults (docs/benchmarks.md, "RBF surrogate"). */
    {"rbf:n_startup_trials=10", "rbf:n_startup_trials=10",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:n_startup_trials=6", "rbf:n_startup_trials=6",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:sigma_init=0.1", "rbf:sigma_init=0.1",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:weights=0.95", "rbf:weights=0.95",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:fail_tolerance=3", "rbf:fail_tolerance=3",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:clip_median=false", "rbf:clip_median=false",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:sigma0.1+noclip", "rbf:sigma_init=0.1,clip_median=false",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"rbf:sigma0.1+max0.2", "rbf:sigma_init=0.1,sigma_max=0.2",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    /* Evolutionary.  Optuna 3.1's genetic algorithm is its NSGAIISampler
     * (one objective: ranked by value); it has no differential evolution,
     * so DE stands beside its other evolutionary sampler, CMA-ES. */
    {"ga", "ga", "optuna.samplers.NSGAIISampler(seed=seed)", NULL},
    {"de", "de", "optuna.samplers.CmaEsSampler(seed=seed)", NULL},
    {"de:rand1bin", "de:strategy=rand1bin",
     "optuna.samplers.CmaEsSampler(seed=seed)", NULL},
    /* Optuna 3.1 has no NSGA-III (3.2 added it): NSGA-II beside both. */
    {"nsga2", "nsga2", "optuna.samplers.NSGAIISampler(seed=seed)", NULL},
    {"nsga3", "nsga3", "optuna.samplers.NSGAIISampler(seed=seed)", NULL},
    /* hpo restarts by IPOP unless told otherwise; Optuna 3.1 by default
     * never, and has no BIPOP (its IPOP is the closest). */
    {"cmaes", "cmaes", "optuna.samplers.CmaEsSampler(seed=seed)",
     single_objective},
    {"cmaes:restart=bipop", "cmaes:restart=bipop",
     "optuna.samplers.CmaEsSampler(seed=seed, restart_strategy='ipop')",
     single_objective},
    {"cmaes:restart=none", "cmaes:restart=none",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    /* LRA-CMA-ES (Optuna >= 3.3's lr_adapt=True); Optuna 3.1 has none. */
    {"cmaes:lr_adapt=true", "cmaes:lr_adapt=true",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    {"cmaes:lr_adapt+bipop", "cmaes:lr_adapt=true,restart=bipop",
     "optuna.samplers.CmaEsSampler(seed=seed, restart_strategy='ipop')",
     single_objective},
    {"cmaes:lr_adapt+none", "cmaes:lr_adapt=true,restart=none",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    /* PSA-CMA-ES from the default population and from a large one (the
     * styblinski_tang8 measurements in docs/benchmarks.md); Optuna has
     * none. */
    {"cmaes:popsize_adapt=true", "cmaes:popsize_adapt=true",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    {"cmaes:psa+pop80", "cmaes:popsize_adapt=true,popsize=80,sigma0=0.3",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    {"cmaes:psa+sep", "cmaes:popsize_adapt=true,separable=true",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    {"cmaes:psa+sep40", "cmaes:popsize_adapt=true,popsize=40,sigma0=0.3,separable=true",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    {"cmaes:psa+sep80", "cmaes:popsize_adapt=true,popsize=80,sigma0=0.3,separable=true",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    /* sep-CMA from a large population, no PSA: the styblinski_tang8
     * configurations of issue 11, session 7 (docs/benchmarks.md). */
    {"cmaes:sep40", "cmaes:separable=true,popsize=40",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    {"cmaes:sep48", "cmaes:separable=true,popsize=48",
     "optuna.samplers.CmaEsSampler(seed=seed)", single_objective},
    /* The default sampler on each side. */
    {"auto", "auto", "optuna.samplers.TPESampler(seed=seed)", NULL},
    /* auto's hand-over from gp to cmaes at other points, the measurement
     * behind its default (docs/benchmarks.md). */
    {"auto:handover=150", "auto:handover=150",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"auto:handover=600", "auto:handover=600",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"auto:handover=100", "auto:handover=100",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"auto:handover=200", "auto:handover=200",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"auto:handover=300", "auto:handover=300",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"auto:handover=0", "auto:handover=0",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"auto:mo_handover=0", "auto:mo_handover=0",
     "optuna.samplers.TPESampler(seed=seed)", NULL},
    {NULL, NULL, NULL, NULL},
};

const bench_method *bench_method_find(const char *label)
{
    for (const bench_method *m = bench_methods; m->label; m++)
        if (strcmp(m->label, label) == 0)
            return m;
    return NULL;
}

/* Both columns are formats taking the grid's points per axis (or nothing). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void fill(const char *format, const bench_problem *p, int max_budget,
                 char *buf, size_t size)
{
    snprintf(buf, size, format, bench_grid_points(p, max_budget));
}
#pragma GCC diagnostic pop

void bench_method_spec(const bench_method *m, const bench_problem *p,
                       int max_budget, char *buf, size_t size)
{
    fill(m->spec, p, max_budget, buf, size);
}

void bench_method_optuna(const bench_method *m, const bench_problem *p,
                         int max_budget, char *buf, size_t size)
{
    fill(m->optuna, p, max_budget, buf, size);
}
