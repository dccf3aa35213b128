/*
 * bo_goal.c — `hpo-bench bo`: hpo's Bayesian-optimization samplers against
 * Optuna's best sampler, problem by problem, in one run (issue 5's goal).
 *
 *   hpo-bench bo [--methods gp,tpe,rf] [--problems LIST] [--budget 100]
 *                [--seeds 0-9] [--json FILE]
 *
 * For each problem of the synthetic suite, every hpo method and every
 * Optuna 3.1 sampler of BENCHMARKS.md's reference table (random, TPE,
 * multivariate TPE, CMA-ES) run on the same seeds; the table gives each
 * one's median regret after the budget, the best of each side, and their
 * ratio.  The closing lines say whether hpo's best is at most Optuna's
 * best on every problem and at most half of it on how many.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define MAX_ITEMS 16
#define DEFAULT_PROBLEMS \
    "branin,hartmann6,rosenbrock4,ackley10,levy8,styblinski_tang8,mixed4"

/* Optuna's side: the samplers BENCHMARKS.md takes the best of. */
static const bench_method optuna_samplers[] = {
    {"random", NULL, "optuna.samplers.RandomSampler(seed=seed)", NULL},
    {"tpe", NULL, "optuna.samplers.TPESampler(seed=seed)", NULL},
    {"tpe-mv", NULL,
     "optuna.samplers.TPESampler(seed=seed, multivariate=True)", NULL},
    {"cmaes", NULL, "optuna.samplers.CmaEsSampler(seed=seed)", NULL},
    {NULL, NULL, NULL, NULL},
};
#define N_OPTUNA ((int)(sizeof optuna_samplers / sizeof *optuna_samplers) - 1)

typedef struct bo_args {
    const char *methods, *problems, *budget, *seeds, *json;
} bo_args;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: hpo-bench bo [--methods gp,tpe,...] [--problems LIST]\n"
            "         [--budget 100] [--seeds 0-9] [--json FILE]\n"
            "hpo's model-based samplers against Optuna's best of random, "
            "TPE,\nmultivariate TPE and CMA-ES, median regret after the "
            "budget.\n"
            "default problems: %s\n", DEFAULT_PROBLEMS);
}

static int parse_args(int argc, char **argv, bo_args *a)
{
    *a = (bo_args){.methods = "gp,tpe", .problems = DEFAULT_PROBLEMS,
                   .budget = "100", .seeds = "0-9"};
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = bench_option(argc, argv, &i, "--methods", &a->methods)) ||
            (r = bench_option(argc, argv, &i, "--problems", &a->problems)) ||
            (r = bench_option(argc, argv, &i, "--budget", &a->budget)) ||
            (r = bench_option(argc, argv, &i, "--seeds", &a->seeds)) ||
            (r = bench_option(argc, argv, &i, "--json", &a->json))) {
            if (r < 0)
                return -1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            exit(0);
        } else {
            fprintf(stderr, "hpo-bench bo: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* The jobs: problems × (hpo methods, then Optuna samplers)                   */
/* ------------------------------------------------------------------------- */

typedef struct bo_plan {
    int n_problems, n_methods, n_seeds, budget;
    const bench_problem *problems[MAX_ITEMS];
    const bench_method *methods[MAX_ITEMS];
    int seeds[BENCH_MAX_SEEDS];
    bench_job *hpo;    /* n_problems × n_methods, runs in .hpo */
    bench_job *optuna; /* n_problems × N_OPTUNA, runs in .ref */
} bo_plan;

static int split_lookup(const char *text, int is_problem, const void **out)
{
    char *copy, *items[MAX_ITEMS];
    int n = bench_split(text, &copy, items, MAX_ITEMS);
    for (int i = 0; i < n; i++) {
        out[i] = is_problem ? (const void *)bench_problem_find(items[i])
                            : (const void *)bench_method_find(items[i]);
        if (!out[i]) {
            fprintf(stderr, "hpo-bench bo: unknown %s '%s'\n",
                    is_problem ? "problem" : "method", items[i]);
            n = -1;
        }
    }
    free(copy);
    return n;
}

static void init_job(bench_job *j, const bo_plan *p, const bench_problem *pb,
                     const bench_method *m, int optuna_side)
{
    j->problem = pb;
    j->method = m;
    j->n_budgets = 1;
    j->budgets[0] = p->budget;
    j->seeds = p->seeds;
    j->n_seeds = p->n_seeds;
    if (!optuna_side)
        bench_method_spec(m, pb, p->budget, j->spec, sizeof j->spec);
    snprintf(j->optuna, sizeof j->optuna, "%s", m->optuna);
    bench_run **runs = optuna_side ? &j->ref : &j->hpo;
    *runs = calloc((size_t)p->n_seeds, sizeof **runs);
}

static int make_plan(const bo_args *a, bo_plan *p)
{
    memset(p, 0, sizeof *p);
    p->n_problems = split_lookup(a->problems, 1, (const void **)p->problems);
    p->n_methods = split_lookup(a->methods, 0, (const void **)p->methods);
    p->n_seeds = bench_parse_seeds(a->seeds, p->seeds, BENCH_MAX_SEEDS);
    p->budget = atoi(a->budget);
    if (p->n_problems <= 0 || p->n_methods <= 0 || p->n_seeds <= 0 ||
        p->budget <= 0)
        return -1;
    for (int i = 0; i < p->n_problems; i++)
        if (p->problems[i]->n_objectives != 1) {
            fprintf(stderr, "hpo-bench bo: %s has several objectives; this "
                    "table is for regret\n", p->problems[i]->name);
            return -1;
        }
    p->hpo = calloc((size_t)(p->n_problems * p->n_methods), sizeof *p->hpo);
    p->optuna = calloc((size_t)(p->n_problems * N_OPTUNA), sizeof *p->optuna);
    if (!p->hpo || !p->optuna)
        return -1;
    for (int i = 0; i < p->n_problems; i++) {
        for (int k = 0; k < p->n_methods; k++)
            init_job(&p->hpo[i * p->n_methods + k], p, p->problems[i],
                     p->methods[k], 0);
        for (int k = 0; k < N_OPTUNA; k++)
            init_job(&p->optuna[i * N_OPTUNA + k], p, p->problems[i],
                     &optuna_samplers[k], 1);
    }
    return 0;
}

static void free_plan(bo_plan *p)
{
    for (int i = 0; p->hpo && i < p->n_problems * p->n_methods; i++)
        free(p->hpo[i].hpo);
    for (int i = 0; p->optuna && i < p->n_problems * N_OPTUNA; i++)
        free(p->optuna[i].ref);
    free(p->hpo);
    free(p->optuna);
}

/* ------------------------------------------------------------------------- */
/* The table                                                                  */
/* ------------------------------------------------------------------------- */

/* Median regret of each job of one problem's row; the index of the best. */
static int medians(const bench_job *jobs, int n, int optuna_side, double *out)
{
    int best = -1;
    for (int k = 0; k < n; k++) {
        bench_summary s;
        const bench_job *j = &jobs[k];
        bench_summarize(j->problem, optuna_side ? j->ref : j->hpo, j->n_seeds,
                        0, &s);
        out[k] = s.n ? s.median : NAN;
        if (s.n && (best < 0 || out[k] < out[best]))
            best = k;
    }
    return best;
}

static void print_header(FILE *f, const bo_plan *p)
{
    fprintf(f, "median regret after %d trials, %d seeds\n\n| problem |",
            p->budget, p->n_seeds);
    for (int k = 0; k < p->n_methods; k++)
        fprintf(f, " hpo %s |", p->methods[k]->label);
    for (int k = 0; k < N_OPTUNA; k++)
        fprintf(f, " Optuna %s |", optuna_samplers[k].label);
    fprintf(f, " hpo best | Optuna best | ratio |\n|---|");
    for (int k = 0; k < p->n_methods + N_OPTUNA + 3; k++)
        fprintf(f, "---|");
    fputc('\n', f);
}

typedef struct bo_verdict {
    int n, at_most, at_most_half;
} bo_verdict;

static cJSON *print_row(FILE *f, const bo_plan *p, int i, bo_verdict *v)
{
    double h[MAX_ITEMS], o[N_OPTUNA];
    int bh = medians(&p->hpo[i * p->n_methods], p->n_methods, 0, h);
    int bo = medians(&p->optuna[i * N_OPTUNA], N_OPTUNA, 1, o);
    fprintf(f, "| %s |", p->problems[i]->name);
    for (int k = 0; k < p->n_methods; k++)
        fprintf(f, " %.3g |", h[k]);
    for (int k = 0; k < N_OPTUNA; k++)
        fprintf(f, " %.3g |", o[k]);
    double hb = bh >= 0 ? h[bh] : NAN, ob = bo >= 0 ? o[bo] : NAN;
    /* Both at the optimum (regret 0) counts as a tie: ratio 1. */
    double ratio = ob > 0 ? hb / ob : hb <= 0 ? 1 : INFINITY;
    fprintf(f, " %.3g (%s) | %.3g (%s) | %.3g |\n", hb,
            bh >= 0 ? p->methods[bh]->label : "-", ob,
            bo >= 0 ? optuna_samplers[bo].label : "-", ratio);
    v->n++;
    v->at_most += ratio <= 1;
    v->at_most_half += ratio <= 0.5;

    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "problem", p->problems[i]->name);
    cJSON *hs = cJSON_AddObjectToObject(row, "hpo");
    for (int k = 0; k < p->n_methods; k++)
        cJSON_AddNumberToObject(hs, p->methods[k]->label, h[k]);
    cJSON *os = cJSON_AddObjectToObject(row, "optuna");
    for (int k = 0; k < N_OPTUNA; k++)
        cJSON_AddNumberToObject(os, optuna_samplers[k].label, o[k]);
    cJSON_AddNumberToObject(row, "ratio", ratio);
    return row;
}

static cJSON *print_table(FILE *f, const bo_plan *p, const char *version)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "optuna_version", version ? version : "?");
    cJSON_AddNumberToObject(doc, "budget", p->budget);
    cJSON *rows = cJSON_AddArrayToObject(doc, "rows");
    print_header(f, p);
    bo_verdict v = {0, 0, 0};
    for (int i = 0; i < p->n_problems; i++)
        cJSON_AddItemToArray(rows, print_row(f, p, i, &v));
    fprintf(f, "\nOptuna %s.  hpo's best <= Optuna's best on %d of %d "
            "problems; <= half of it on %d.\n", version ? version : "?",
            v.at_most, v.n, v.at_most_half);
    cJSON_AddNumberToObject(doc, "at_most", v.at_most);
    cJSON_AddNumberToObject(doc, "at_most_half", v.at_most_half);
    return doc;
}

int bench_bo(int argc, char **argv)
{
    bo_args a;
    bo_plan p;
    memset(&p, 0, sizeof p);
    if (parse_args(argc, argv, &a) != 0 || make_plan(&a, &p) != 0) {
        usage(stderr);
        free_plan(&p);
        return 2;
    }
    int failed = 0;
    for (int i = 0; i < p.n_problems * p.n_methods; i++) {
        bench_job *j = &p.hpo[i];
        double start = bench_now_s();
        for (int s = 0; s < p.n_seeds; s++) {
            bench_run_hpo(j, p.seeds[s], &j->hpo[s]);
            failed += !j->hpo[s].ok;
        }
        fprintf(stderr, "hpo:    %-16s %-8s %d seeds, %.1f s\n",
                j->problem->name, j->method->label, p.n_seeds,
                bench_now_s() - start);
    }
    char *version = bench_run_optuna(p.optuna, p.n_problems * N_OPTUNA);
    failed += !version;
    cJSON *doc = print_table(stdout, &p, version);
    if (a.json && bench_write_json(a.json, doc) != 0)
        failed++;
    cJSON_Delete(doc);
    free(version);
    free_plan(&p);
    return failed ? 1 : 0;
}
