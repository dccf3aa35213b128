/*
 * hypergrad.c — `hpo-bench hypergrad`: the goals of issue 14 for the
 * implicit hypergradients (BENCHMARKS.md, ridge_diabetes; and L2 logistic
 * regression on spam with one regularization per feature):
 *
 *   ridge1     ridge on diabetes.csv, one lambda
 *   ridge_pf   ridge on diabetes.csv, one lambda per feature (10)
 *   logit_pf   L2 logistic regression on spam.csv, one lambda per
 *              feature (57)
 *
 * Each on the fixed 60/20/20 split (seed 0; src/hypergrad/split.c): the
 * hypergradient method (L-BFGS-B from lambda = 1, HOAG's tolerance, as
 * `hpo hypergrad` runs it) against grid, random, TPE and GP at the same
 * number of fits.  Printed: the best validation loss each reached and the
 * test loss of that fit (does it overfit the validation set?), medians
 * over the samplers' seeds; the hypergradient and the grid are
 * deterministic, so they have one run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#include "../src/hypergrad/implicit.h"

#define MAX_FITS 8
#define MAX_METHODS 8

typedef struct hg_problem_def {
    const char *name, *file, *model;
    int per_feature;
} hg_problem_def;

static const hg_problem_def problems[] = {
    {"ridge1", "diabetes.csv", "ridge", 0},
    {"ridge_pf", "diabetes.csv", "ridge", 1},
    {"logit_pf", "spam.csv", "logistic", 1},
    {NULL, NULL, NULL, 0},
};

typedef struct hg_bench {
    int n_fits, fits[MAX_FITS];
    int n_seeds, seeds[BENCH_MAX_SEEDS];
    int n_methods;
    char *methods[MAX_METHODS], *methods_copy;
    char *problems_copy, *chosen[8];
    int n_chosen;
} hg_bench;

static int usage(void)
{
    fprintf(stderr,
"usage: hpo-bench hypergrad [--problems ridge1,ridge_pf,logit_pf]\n"
"                           [--fits 10,30] [--seeds 0-4]\n"
"                           [--methods grid,random,tpe,gp]\n"
"The hypergradient method (L-BFGS-B, HOAG) against black-box samplers at\n"
"equal fits: best validation loss and its test loss, medians over seeds.\n"
"Data: $HPO_DATA_DIR (diabetes.csv, spam.csv).\n");
    return 2;
}

static int parse(hg_bench *b, int argc, char **argv)
{
    const char *fits = "10,30", *seeds = "0-4", *methods = "grid,random,tpe,gp";
    const char *probs = "ridge1,ridge_pf,logit_pf";
    for (int i = 0; i < argc; i++) { /* argv: the options only */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || !v)
            return usage();
        if (strcmp(a, "--fits") == 0)
            fits = v;
        else if (strcmp(a, "--seeds") == 0)
            seeds = v;
        else if (strcmp(a, "--methods") == 0)
            methods = v;
        else if (strcmp(a, "--problems") == 0)
            probs = v;
        else
            return usage();
        i++;
    }
    b->n_fits = bench_parse_ints(fits, b->fits, MAX_FITS);
    b->n_seeds = bench_parse_seeds(seeds, b->seeds, BENCH_MAX_SEEDS);
    b->n_methods = bench_split(methods, &b->methods_copy, b->methods,
                               MAX_METHODS);
    b->n_chosen = bench_split(probs, &b->problems_copy, b->chosen, 8);
    return b->n_fits > 0 && b->n_seeds > 0 && b->n_methods > 0 &&
                   b->n_chosen > 0 ? 0 : usage();
}

/* The problem's data, split, and a fresh learner on it. */
typedef struct loaded {
    hpo__dataset d;
    hpo__hg_split s;
    hpo__hg_problem *p;
} loaded;

/* A new learner on l's split (dropping the last): no warm start carried
 * over from another method's fits. */
static int fresh_problem(const hg_problem_def *def, loaded *l, hpo__msg *m)
{
    if (l->p)
        l->p->destroy(l->p);
    l->p = NULL;
    hpo__hg_model_opts o = {def->per_feature, HPO__HG_EXACT};
    return strcmp(def->model, "logistic") == 0
               ? hpo__hg_logistic_new(&l->s, &o, &l->p, m)
               : hpo__hg_ridge_new(&l->s, &o, &l->p, m);
}

static int load(const hg_problem_def *def, loaded *l)
{
    memset(l, 0, sizeof *l);
    hpo__msg m = {0};
    int logistic = strcmp(def->model, "logistic") == 0;
    int rc = hpo__data_load(&l->d, bench_data_path(def->file), NULL, &m);
    if (rc == HPO_OK)
        rc = hpo__data_set_task(&l->d, logistic ? HPO__CLASSIFICATION
                                                : HPO__REGRESSION, &m);
    if (rc == HPO_OK)
        rc = hpo__hg_split_make(&l->d, 0.6, 0.2, 0, &l->s, &m);
    if (rc == HPO_OK)
        rc = fresh_problem(def, l, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench hypergrad: %s: %s\n", def->name,
                hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc;
}

static void unload(loaded *l)
{
    if (l->p)
        l->p->destroy(l->p);
    hpo__hg_split_free(&l->s);
    hpo__data_free(&l->d);
}

static void print_row(const char *prob, int fits, const char *method,
                      int runs, double val, double test, long used)
{
    printf("| %-8s | %4d | %-9s | %4d | %5ld | %12.6g | %12.6g |\n", prob,
           fits, method, runs, used, val, test);
    fflush(stdout);
}

static int run_hypergrad(const hg_problem_def *def, loaded *l, int fits)
{
    const char *name = def->name;
    hpo__msg m = {0};
    if (fresh_problem(def, l, &m) != HPO_OK) {
        fprintf(stderr, "hpo-bench hypergrad: %s\n", hpo__msg_get(&m));
        hpo__msg_free(&m);
        return HPO_ENOMEM;
    }
    double *h = calloc((size_t)l->p->n_hyper, sizeof *h); /* lambda = 1 */
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, fits);
    o.method = HPO__HG_LBFGS;
    hpo__hg_result r;
    long before = l->p->fits;
    int rc = h ? hpo__hg_descend(l->p, h, &o, NULL, &r, &m) : HPO_ENOMEM;
    if (rc == HPO_OK)
        print_row(name, fits, "hypergrad", 1, r.best_val_loss,
                  r.best_test_loss, l->p->fits - before);
    else
        fprintf(stderr, "hpo-bench hypergrad: %s\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    free(h);
    return rc;
}

static int run_blackbox(loaded *l, const char *name, int fits,
                        const char *method, const hg_bench *b)
{
    int det = strcmp(method, "grid") == 0, runs = det ? 1 : b->n_seeds;
    double val[BENCH_MAX_SEEDS], test[BENCH_MAX_SEEDS];
    long used = 0;
    for (int k = 0; k < runs; k++) {
        hpo__hg_result r;
        hpo__msg m = {0};
        long before = l->p->fits;
        int rc = hpo__hg_blackbox(l->p, method, fits,
                                  (uint64_t)b->seeds[k], NULL, NULL, &r, &m);
        if (rc != HPO_OK) {
            fprintf(stderr, "hpo-bench hypergrad: %s: %s\n", method,
                    hpo__msg_get(&m));
            hpo__msg_free(&m);
            return rc;
        }
        val[k] = r.best_val_loss;
        test[k] = r.best_test_loss;
        used = l->p->fits - before;
    }
    print_row(name, fits, method, runs, bench_quantile(val, runs, 0.5),
              bench_quantile(test, runs, 0.5), used);
    return HPO_OK;
}

static const hg_problem_def *find(const char *name)
{
    for (const hg_problem_def *d = problems; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

int bench_hypergrad(int argc, char **argv)
{
    hg_bench b = {0};
    if (parse(&b, argc, argv))
        return 2;
    bench_pin_threads();
    printf("| problem  | fits | method    | runs | fits used | validation "
           "(median) | test (median) |\n|---|---:|---|---:|---:|---:|---:|\n");
    int code = 0;
    for (int c = 0; c < b.n_chosen && !code; c++) {
        const hg_problem_def *def = find(b.chosen[c]);
        loaded l;
        if (!def) {
            fprintf(stderr, "hpo-bench hypergrad: unknown problem '%s'\n",
                    b.chosen[c]);
            code = 2;
            break;
        }
        if (load(def, &l) != HPO_OK) {
            unload(&l);
            code = 1;
            break;
        }
        for (int f = 0; f < b.n_fits && !code; f++) {
            code = run_hypergrad(def, &l, b.fits[f]) ? 1 : 0;
            for (int k = 0; k < b.n_methods && !code; k++)
                code = run_blackbox(&l, def->name, b.fits[f], b.methods[k],
                                    &b) ? 1 : 0;
        }
        unload(&l);
    }
    free(b.methods_copy);
    free(b.problems_copy);
    return code;
}
