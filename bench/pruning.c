/*
 * pruning.c — hpo-bench pruning: early stopping on xgb_spam (BENCHMARKS.md,
 * issue 10) at equal total boosting rounds.
 *
 * The resource is boosting rounds, 1..243 per trial; a method may spend
 * --budget-rounds in all (default 14,580 = 60 full trials), however it
 * splits them between trials.  Every method is measured the same way:
 *
 *   final     the best validation log-loss among COMPLETE trials (Optuna's
 *             study.best_value): a trial's value is its log-loss after
 *             round 243; a pruned trial never counts, whatever it reported;
 *   reach     the rounds spent when that best first fell to the target:
 *             by default the median final value of Optuna's random search
 *             in the same run (the definition of its 0.1113,
 *             which was measured on another split: levels depend on the
 *             split, so a fixed number does not carry over), or --target;
 *   anytime   the best at 1/6, 1/3, 1/2, 2/3 and all of the budget.
 *
 * Medians over seeds.  The data are split here, by hpo (stratified hold-
 * out, 20% validation, seed 0, as `hpo tune-model --holdout 0.2` does),
 * and the row indices are handed to optuna_pruning.py, which trains
 * XGBoost round by round through Debian's python3-xgboost (the same
 * libxgboost 1.7 hpo links) with Optuna 3.1's samplers and pruners.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "bench.h"

#include "../src/ml/ml.h"

#define MAX_ROUNDS 243
#define N_AT 5
#define MAX_METHODS 16

/* Fractions of the budget, k/6, at which the anytime curve is read. */
static const int at_sixths[N_AT] = {1, 2, 3, 4, 6};
static const char *const at_names[N_AT] = {"1/6", "1/3", "1/2", "2/3", "1"};

typedef struct prune_opts {
    int n_seeds, seeds[BENCH_MAX_SEEDS];
    long budget;
    double target; /* NAN: random search's median final value */
    const char *methods;
    const char *hpo_methods; /* --hpo-methods: hpo's specs, or NULL */
    const char *json;
    const char *saved; /* --optuna-json: files of earlier runs, or NULL */
    int target_is_random;
} prune_opts;

/* One method over the seeds; INFINITY where nothing completed or the
 * target was never reached. */
typedef struct prune_row {
    char label[64];
    int n;
    double final[BENCH_MAX_SEEDS], reach[BENCH_MAX_SEEDS];
    double at[N_AT][BENCH_MAX_SEEDS];
    double trials, pruned, seconds; /* means over seeds */
} prune_row;

static const char *data_path(void)
{
    return bench_data_path("spam.csv");
}

/* ---- one run's measures from its anytime curve ----------------------------- */

/* The best complete value once `rounds` were spent. */
static double best_at(const cJSON *curve, double rounds)
{
    double best = INFINITY;
    const cJSON *p;
    cJSON_ArrayForEach(p, curve) {
        if (cJSON_GetArrayItem(p, 0)->valuedouble > rounds)
            break;
        best = cJSON_GetArrayItem(p, 1)->valuedouble;
    }
    return best;
}

static double rounds_to(const cJSON *curve, double target)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, curve)
        if (cJSON_GetArrayItem(p, 1)->valuedouble <= target)
            return cJSON_GetArrayItem(p, 0)->valuedouble;
    return INFINITY;
}

static double number(const cJSON *run, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(run, key);
    return cJSON_IsNumber(v) ? v->valuedouble : INFINITY;
}

static void add_run(prune_row *row, const cJSON *run, const prune_opts *o)
{
    const cJSON *curve = cJSON_GetObjectItemCaseSensitive(run, "curve");
    int s = row->n++;
    row->final[s] = number(run, "final");
    row->reach[s] = rounds_to(curve, o->target);
    for (int k = 0; k < N_AT; k++)
        row->at[k][s] = best_at(curve, (double)o->budget * at_sixths[k] / 6);
    row->trials += number(run, "trials");
    row->pruned += number(run, "pruned");
    row->seconds += number(run, "seconds");
}

/* INFINITY (never reached) is a value here; bench_quantile would make
 * the middle of {x, inf} NaN (0 * inf), so only its sort is used. */
static double median(const double *v, int n)
{
    double c[BENCH_MAX_SEEDS];
    memcpy(c, v, sizeof *c * (size_t)n);
    bench_quantile(c, n, 0.0); /* sorts c */
    if (n % 2)
        return c[n / 2];
    return isinf(c[n / 2]) ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
}

/* The default target: the median final value of Optuna's random search
 * in this run; -1 if it did not run. */
static int resolve_target(const cJSON *doc, prune_opts *o)
{
    if (!isnan(o->target))
        return 0;
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
    const cJSON *random = cJSON_GetObjectItemCaseSensitive(runs, "random");
    double final[BENCH_MAX_SEEDS];
    int n = 0;
    const cJSON *run;
    cJSON_ArrayForEach(run, random)
        if (n < BENCH_MAX_SEEDS)
            final[n++] = number(run, "final");
    if (n == 0) {
        fprintf(stderr, "hpo-bench pruning: no random search to take the "
                        "target from: add random to --methods or give "
                        "--target\n");
        return -1;
    }
    o->target = median(final, n);
    o->target_is_random = 1;
    return 0;
}

/* The Optuna side's rows from optuna_pruning.py's JSON; -1 if malformed. */
static int optuna_rows(const cJSON *doc, const prune_opts *o, prune_row *rows,
                       int max)
{
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
    const cJSON *method;
    int n = 0;
    cJSON_ArrayForEach(method, runs) {
        if (n == max || cJSON_GetArraySize(method) != o->n_seeds)
            return -1;
        prune_row *row = &rows[n++];
        memset(row, 0, sizeof *row);
        /* hpo's rows saved by an earlier --json keep their label */
        snprintf(row->label, sizeof row->label, "%s%s",
                 strncmp(method->string, "hpo ", 4) ? "optuna " : "",
                 method->string);
        const cJSON *run;
        cJSON_ArrayForEach(run, method)
            add_run(row, run, o);
        row->trials /= row->n;
        row->pruned /= row->n;
        row->seconds /= row->n;
    }
    return n;
}

/* ---- the tables ------------------------------------------------------------ */


static void print_loss(double v)
{
    if (isfinite(v))
        printf("  %9.5f", v);
    else
        printf("  %9s", "-");
}

static void print_summary(const prune_row *r, const prune_opts *o)
{
    double reach = median(r->reach, r->n);
    printf("%-24s", r->label);
    print_loss(median(r->final, r->n));
    if (isfinite(reach))
        printf("  %13.0f", reach);
    else
        printf("  %13s", ">budget");
    printf("  %7.1f (%5.1f)  %7.1f\n", r->trials, r->pruned, r->seconds);
    (void)o;
}

static void print_anytime(const prune_row *r)
{
    printf("%-24s", r->label);
    for (int k = 0; k < N_AT; k++)
        print_loss(median(r->at[k], r->n));
    printf("\n");
}

/* hpo's rows: each of --hpo-methods over the seeds, in process
 * (pruning_hpo.c), measured by add_run as Optuna's are, and kept in doc's
 * runs as "hpo METHOD" (so that --json saves them, and --optuna-json
 * shows them again beside later rows); -1 on error. */
static int hpo_rows(const hpo__dataset *d, const hpo__folds *split,
                    const prune_opts *o, cJSON *doc, prune_row *rows, int max)
{
    char *storage = NULL, *methods[MAX_METHODS];
    int n_methods = o->hpo_methods ? bench_split(o->hpo_methods, &storage,
                                                 methods, MAX_METHODS)
                                   : 0;
    int n = 0;
    for (int i = 0; i < n_methods && n < max; i++) {
        prune_row *row = &rows[n++];
        memset(row, 0, sizeof *row);
        snprintf(row->label, sizeof row->label, "hpo %s", methods[i]);
        cJSON *saved = cJSON_CreateArray();
        cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(doc, "runs"),
                              row->label, saved);
        for (int k = 0; k < o->n_seeds; k++) {
            cJSON *run = bench_pruning_hpo_run(d, &split->v[0], methods[i],
                                               o->seeds[k], o->budget);
            if (!run) {
                free(storage);
                return -1;
            }
            fprintf(stderr, "hpo %s seed %d: final %.5f\n", methods[i],
                    o->seeds[k], number(run, "final"));
            add_run(row, run, o);
            cJSON_AddItemToArray(saved, run);
        }
        row->trials /= row->n;
        row->pruned /= row->n;
        row->seconds /= row->n;
    }
    free(storage);
    return n;
}

static void print_tables(const prune_row *rows, int n, int n_hpo,
                         const prune_opts *o)
{
    printf("xgb_spam: validation log-loss of the best COMPLETE trial, "
           "budget %ld rounds (%.0f x %d), median over %d seeds\n",
           o->budget, (double)o->budget / MAX_ROUNDS, MAX_ROUNDS,
           o->n_seeds);
    printf("%-24s  %9s  %13s  %15s  %7s\n", "method", "final",
           "rounds to", "trials (pruned)", "s/seed");
    printf("%-24s  %9s  %13.5f%s\n", "", "", o->target,
           o->target_is_random ? " = random's final" : "");
    for (int i = 0; i < n; i++)
        print_summary(&rows[i], o);
    printf("\nanytime: best COMPLETE log-loss after a fraction of the budget "
           "(median over seeds; - = none complete yet)\n%-24s", "method");
    for (int k = 0; k < N_AT; k++) {
        char head[32];
        snprintf(head, sizeof head, "%s=%ld", at_names[k],
                 o->budget * at_sixths[k] / 6);
        printf("  %9s", head);
    }
    printf("\n");
    for (int i = 0; i < n; i++)
        print_anytime(&rows[i]);
}

/* ---- the reference ---------------------------------------------------------- */

/* optuna_pruning.py on hpo's split: its JSON (owned) or NULL. */
static cJSON *run_optuna(const hpo__folds *split, const prune_opts *o)
{
    char dir[] = "/tmp/hpo-bench-pruning.XXXXXX";
    if (!mkdtemp(dir))
        return NULL;
    char path[600], seeds[4096] = "", budget[32];
    snprintf(path, sizeof path, "%s/split.json", dir);
    for (int i = 0; i < o->n_seeds; i++) {
        size_t len = strlen(seeds);
        snprintf(seeds + len, sizeof seeds - len, "%s%d", i ? "," : "",
                 o->seeds[i]);
    }
    snprintf(budget, sizeof budget, "%ld", o->budget);
    cJSON *doc = NULL;
    if (bench_write_folds(path, split) == 0) {
        const char *args[] = {"--data", data_path(), "--split", path,
                              "--seeds", seeds, "--methods", o->methods,
                              "--budget-rounds", budget, NULL};
        doc = bench_python_run(HPO_BENCH_SOURCE_DIR "/optuna_pruning.py",
                               args);
    }
    unlink(path);
    rmdir(dir);
    return doc;
}

/* Earlier runs' JSON (--json), merged: the Optuna side takes half an hour
 * or more at the full budget, and need not run again each time hpo's
 * side changes.  The budget and seeds come from the files. */
static cJSON *load_saved(prune_opts *o)
{
    char *storage, *files[MAX_METHODS];
    int n = bench_split(o->saved, &storage, files, MAX_METHODS);
    cJSON *doc = NULL;
    for (int i = 0; i < n; i++) {
        char *text = bench_read_file(files[i]);
        cJSON *one = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (!one || (doc && number(doc, "budget_rounds") !=
                                number(one, "budget_rounds"))) {
            fprintf(stderr, "hpo-bench pruning: %s: %s\n", files[i],
                    one ? "another budget" : "cannot read");
            cJSON_Delete(one);
            cJSON_Delete(doc);
            free(storage);
            return NULL;
        }
        if (!doc) {
            doc = one;
            continue;
        }
        cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
        cJSON *more = cJSON_DetachItemFromObject(one, "runs"), *m;
        while (more && (m = more->child)) { /* a method twice: the first */
            cJSON *item = cJSON_DetachItemViaPointer(more, m);
            if (cJSON_GetObjectItemCaseSensitive(runs, item->string))
                cJSON_Delete(item);
            else
                cJSON_AddItemToObject(runs, item->string, item);
        }
        cJSON_Delete(more);
        cJSON_Delete(one);
    }
    free(storage);
    if (!doc)
        fprintf(stderr, "hpo-bench pruning: no runs in '%s'\n", o->saved);
    const cJSON *first = doc ? cJSON_GetObjectItemCaseSensitive(doc, "runs")
                             : NULL;
    if (first && first->child) { /* the seeds of the first method's runs */
        o->budget = (long)number(doc, "budget_rounds");
        o->n_seeds = 0;
        const cJSON *run;
        cJSON_ArrayForEach(run, first->child) {
            double seed = number(run, "seed"); /* NaN when absent */
            if (o->n_seeds < BENCH_MAX_SEEDS) {
                o->seeds[o->n_seeds] = isfinite(seed) ? (int)seed : o->n_seeds;
                o->n_seeds++;
            }
        }
    }
    return doc;
}

/* spam.csv and hpo's hold-out split of it. */
static int load_split(hpo__dataset *d, hpo__folds *split)
{
    hpo__msg m = {0};
    hpo__cv_spec spec = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.2,
                         .seed = 0};
    int rc = hpo__data_load(d, data_path(), NULL, &m);
    if (rc == HPO_OK)
        rc = hpo__cv_split(d, NULL, 0, &spec, split, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench pruning: %s\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc == HPO_OK ? 0 : -1;
}

/* ---- options ------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr,
"usage: hpo-bench pruning [--problem xgb_spam] [--seeds 0-4]\n"
"           [--budget-rounds 14580] [--target LOGLOSS] [--methods LIST]\n"
"           [--json FILE] [--optuna-json FILE,...]\n"
"xgb_spam (BENCHMARKS.md) at equal total boosting rounds.  Optuna 3.1's\n"
"methods, SAMPLER[+PRUNER] with SAMPLER tpe|random and PRUNER\n"
"median|sh|hyperband (Optuna's defaults; Hyperband with min_resource=1,\n"
"max_resource=243, reduction_factor=3); the default LIST is\n"
"tpe,random,tpe+median,tpe+sh,tpe+hyperband,random+sh.\n"
"--target: reach it in how many rounds (default: the median final value of\n"
"random search, which must then be among the methods).\n"
"--optuna-json reads the Optuna side from earlier --json files (their\n"
"budget and seeds) instead of running it again; hpo rows saved in them\n"
"(--json keeps them too) are shown again as they were.\n"
"--hpo-methods LIST: hpo's rows, SAMPLER[+PRUNER] in hpo's specs with\n"
"options (tpe+hyperband:min_resource=1,max_resource=243), same seeds.\n"
"Needs /usr/bin/python3 with python3-optuna and python3-xgboost; data\n"
"from $HPO_DATA_DIR or ../shared/data.\n");
    return 2;
}

static int parse_value(prune_opts *o, const char *name, const char *v)
{
    char *end;
    if (strcmp(name, "--problem") == 0)
        return strcmp(v, "xgb_spam") == 0 ? 0 : -1;
    if (strcmp(name, "--seeds") == 0)
        return (o->n_seeds = bench_parse_seeds(v, o->seeds,
                                               BENCH_MAX_SEEDS)) > 0 ? 0 : -1;
    if (strcmp(name, "--budget-rounds") == 0) {
        o->budget = strtol(v, &end, 10);
        return *end || o->budget < 1 ? -1 : 0;
    }
    if (strcmp(name, "--target") == 0) {
        o->target = strtod(v, &end);
        return *end || !isfinite(o->target) ? -1 : 0;
    }
    if (strcmp(name, "--methods") == 0)
        o->methods = v;
    else if (strcmp(name, "--hpo-methods") == 0)
        o->hpo_methods = v;
    else if (strcmp(name, "--optuna-json") == 0)
        o->saved = v;
    else
        o->json = v;
    return 0;
}

static int parse(prune_opts *o, int argc, char **argv)
{
    static const char *const names[] = {"--problem", "--seeds",
                                        "--budget-rounds", "--target",
                                        "--methods", "--json",
                                        "--optuna-json", "--hpo-methods"};
    *o = (prune_opts){.budget = 60 * MAX_ROUNDS, .target = NAN,
                      .methods = "tpe,random,tpe+median,tpe+sh,"
                                 "tpe+hyperband,random+sh"};
    o->n_seeds = bench_parse_seeds("0-4", o->seeds, BENCH_MAX_SEEDS);
    for (int i = 0; i < argc; i++) {
        const char *v = NULL, *arg = argv[i];
        size_t k = 0;
        while (k < sizeof names / sizeof *names &&
               !bench_option(argc, argv, &i, names[k], &v))
            k++;
        if (k == sizeof names / sizeof *names || !v ||
            parse_value(o, names[k], v) != 0) {
            fprintf(stderr, "hpo-bench pruning: bad option '%s'%s%s\n", arg,
                    v ? " " : "", v ? v : "");
            return -1;
        }
    }
    return 0;
}

int bench_pruning(int argc, char **argv)
{
    prune_opts o;
    if (argc == 1 && strcmp(argv[0], "--help") == 0)
        return usage(), 0;
    if (parse(&o, argc, argv) != 0)
        return usage();
    hpo__dataset d = {0};
    hpo__folds split = {0};
    cJSON *doc = NULL;
    static prune_row rows[2 * MAX_METHODS];
    int n = -1, n_hpo = 0;
    int have_split = load_split(&d, &split) == 0;
    if (o.saved)
        doc = load_saved(&o);
    else if (have_split)
        doc = run_optuna(&split, &o);
    if (doc && resolve_target(doc, &o) == 0)
        n = optuna_rows(doc, &o, rows, MAX_METHODS);
    if (n < 0 && doc && !isnan(o.target))
        fprintf(stderr, "hpo-bench pruning: optuna_pruning.py's output "
                        "does not hold one run per method and seed\n");
    if (n >= 0 && have_split &&
        (n_hpo = hpo_rows(&d, &split, &o, doc, rows + n, MAX_METHODS)) < 0)
        n = -1; /* the error is printed */
    if (n >= 0)
        print_tables(rows, n + n_hpo, n_hpo, &o);
    int rc = n >= 0 && (!o.json || bench_write_json(o.json, doc) == 0) ? 0 : 1;
    cJSON_Delete(doc);
    hpo__folds_free(&split);
    hpo__data_free(&d);
    return rc;
}
