/*
 * importance.c — `hpo-bench importance`: hpo's fANOVA beside Optuna 3.1's
 * get_param_importances(FanovaImportanceEvaluator) on the same stored
 * studies.
 *
 * For each problem and seed, hpo's random sampler runs N trials into one
 * SQLite file; hpo's importance is computed from a fresh handle (so its
 * time includes reading the trials from SQLite), then
 * optuna_importance.py loads the same studies and times Optuna's call
 * alone.  Per problem: how often both put the same parameter first, the
 * Spearman rank correlation of the two importance vectors, and each
 * side's time; medians over seeds.  Times are CPU seconds of the process
 * (both sides run on one thread), so a machine shared with other work
 * skews neither side.
 *
 * Problems: mixed4 from the suite (x dominates: (x-1.2)^2 over [-5, 5])
 * and two made here for this comparison, each with one clearly dominant
 * parameter among mixed kinds: dominant6 (a float) and dominant_cat (a
 * categorical).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define MAX_SEEDS 64
#define MAX_PROBLEMS 8
#define MAX_PARAMS 16

static const char *const xyz[] = {"x", "y", "z"};
static const char *const five[] = {"a", "b", "c", "d", "e"};

/* a dominates: 8 (a - 0.3)^2 spans 0..3.9; the rest add at most ~0.5. */
static const bench_param dominant6_params[] = {
    {"a", BENCH_FLOAT, 0, 1, 0, NULL, 0, NULL, 0},
    {"b", BENCH_FLOAT, 0, 1, 0, NULL, 0, NULL, 0},
    {"n", BENCH_INT, 1, 10, 0, NULL, 0, NULL, 0},
    {"lr", BENCH_FLOAT, 1e-4, 1, HPO_LOG, NULL, 0, NULL, 0},
    {"c", BENCH_CATEGORICAL, 0, 0, 0, xyz, 3, NULL, 0},
    {"d", BENCH_FLOAT, -1, 1, 0, NULL, 0, NULL, 0}};

static void dominant6(const double *x, double *v)
{
    static const double c[3] = {0, 0.2, 0.1};
    double l = (log10(x[3]) + 2) / 2;
    v[0] = 8 * (x[0] - 0.3) * (x[0] - 0.3) + 0.3 * x[1] + 0.02 * x[2] +
           0.2 * l * l + c[(int)x[4]] + 0.1 * x[5] * x[5];
}

/* k decides: its choices cost 0, 3, 1, 4, 2 (no order of the indices);
 * the floats add at most 0.5. */
static const bench_param dominant_cat_params[] = {
    {"k", BENCH_CATEGORICAL, 0, 0, 0, five, 5, NULL, 0},
    {"u", BENCH_FLOAT, 0, 1, 0, NULL, 0, NULL, 0},
    {"w", BENCH_FLOAT, 1e-3, 1, HPO_LOG, NULL, 0, NULL, 0},
    {"m", BENCH_INT, 0, 20, 0, NULL, 0, NULL, 0}};

static void dominant_cat(const double *x, double *v)
{
    static const double k[5] = {0, 3, 1, 4, 2};
    v[0] = k[(int)x[0]] + 0.3 * x[1] + 0.1 * (log10(x[2]) + 3) / 3 +
           0.005 * x[3];
}

#define PARAMS(a) a, (int)(sizeof a / sizeof a[0])
static const bench_problem local_problems[] = {
    {"dominant6", 6, 1, 0, PARAMS(dominant6_params), dominant6, {0}, "1000"},
    {"dominant_cat", 4, 1, 0, PARAMS(dominant_cat_params), dominant_cat, {0},
     "1000"},
};

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static const bench_problem *find_problem(const char *name)
{
    for (size_t i = 0; i < sizeof local_problems / sizeof *local_problems; i++)
        if (strcmp(local_problems[i].name, name) == 0)
            return &local_problems[i];
    return bench_problem_find(name);
}

typedef struct imp_opts {
    int large; /* > 0: time hpo alone on an in-memory study this large */
    int trials, n_seeds, seeds[MAX_SEEDS], n_problems;
    const bench_problem *problems[MAX_PROBLEMS];
    char *problem_text;
} imp_opts;

/* One side's answer for one study: names in descending order. */
typedef struct answer {
    int n;
    char names[MAX_PARAMS][64];
    double values[MAX_PARAMS];
    double seconds;
} answer;

static int parse(imp_opts *o, int argc, char **argv)
{
    const char *problems = "mixed4,dominant6,dominant_cat", *seeds = "0-4";
    o->trials = 1000;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        if (bench_option(argc, argv, &i, "--trials", &v) == 1)
            o->trials = atoi(v);
        else if (bench_option(argc, argv, &i, "--seeds", &v) == 1)
            seeds = v;
        else if (bench_option(argc, argv, &i, "--problems", &v) == 1)
            problems = v;
        else if (bench_option(argc, argv, &i, "--large", &v) == 1)
            o->large = atoi(v);
        else
            return fprintf(stderr, "hpo-bench importance: bad option '%s'\n",
                           argv[i]), -1;
    }
    o->n_seeds = bench_parse_seeds(seeds, o->seeds, MAX_SEEDS);
    char *items[MAX_PROBLEMS];
    o->n_problems = bench_split(problems, &o->problem_text, items, MAX_PROBLEMS);
    for (int i = 0; i < o->n_problems; i++)
        if (!(o->problems[i] = find_problem(items[i])) ||
            o->problems[i]->n_objectives != 1)
            return fprintf(stderr, "hpo-bench importance: no single-objective "
                           "problem '%s'\n", items[i]), -1;
    return o->trials >= 2 && o->n_seeds > 0 && o->n_problems > 0 ? 0 : -1;
}

static void study_name(char *buf, size_t size, const bench_problem *p, int seed)
{
    snprintf(buf, size, "%s-%d", p->name, seed);
}

static int make_study(const char *url, const bench_problem *p, int seed,
                      int trials)
{
    char name[128];
    study_name(name, sizeof name, p, seed);
    hpo_storage *st;
    hpo_study *s = hpo_study_new();
    int rc = hpo_storage_open(&st, url);
    if (rc == HPO_OK) {
        hpo_study_set_storage(s, st);
        hpo_study_set_sampler(s, "random");
        hpo_study_set_seed(s, (uint64_t)seed);
        rc = hpo_study_open(s, name, HPO_OPEN_CREATE);
    }
    hpo_optimize_options oo = {.n_trials = trials};
    if (rc == HPO_OK)
        rc = hpo_study_optimize(s, bench_problem_objective, (void *)p, &oo);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench importance: %s: %s\n", name,
                hpo_study_errmsg(s));
    hpo_study_free(s);
    hpo_storage_close(st);
    return rc == HPO_OK ? 0 : -1;
}

static int hpo_answer(const char *url, const bench_problem *p, int seed,
                      answer *a)
{
    char name[128];
    study_name(name, sizeof name, p, seed);
    hpo_storage *st;
    hpo_study *s = hpo_study_new();
    hpo_importance *imp = NULL;
    int n = 0;
    double t0 = cpu_s();
    int rc = hpo_storage_open(&st, url);
    if (rc == HPO_OK) {
        hpo_study_set_storage(s, st);
        rc = hpo_study_open(s, name, HPO_OPEN_LOAD);
    }
    hpo_importance_options o;
    hpo_importance_options_default(&o);
    o.seed = (uint64_t)seed;
    if (rc == HPO_OK)
        rc = hpo_study_importance(s, &o, &imp, &n);
    a->seconds = cpu_s() - t0;
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench importance: %s: %s\n", name,
                hpo_study_errmsg(s));
    a->n = n < MAX_PARAMS ? n : MAX_PARAMS;
    for (int i = 0; i < a->n; i++) {
        snprintf(a->names[i], sizeof a->names[i], "%s", imp[i].name);
        a->values[i] = imp[i].value;
    }
    hpo_importance_free(imp, n);
    hpo_study_free(s);
    hpo_storage_close(st);
    return rc == HPO_OK ? 0 : -1;
}

/* Optuna keeps the descending order in its JSON object. */
static void read_answer(const cJSON *study, answer *a)
{
    const cJSON *imp = cJSON_GetObjectItem(study, "importances"), *e;
    const cJSON *sec = cJSON_GetObjectItem(study, "seconds");
    a->seconds = cJSON_IsNumber(sec) ? sec->valuedouble : NAN;
    a->n = 0;
    cJSON_ArrayForEach(e, imp) {
        if (a->n == MAX_PARAMS)
            break;
        snprintf(a->names[a->n], sizeof a->names[a->n], "%s", e->string);
        a->values[a->n++] = e->valuedouble;
    }
}

/* Average ranks (1 = most important) of names under answer a. */
static double rank_of(const answer *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->names[i], name) == 0) {
            int lo = i, hi = i;
            while (lo > 0 && a->values[lo - 1] == a->values[i])
                lo--;
            while (hi + 1 < a->n && a->values[hi + 1] == a->values[i])
                hi++;
            return 1 + 0.5 * (lo + hi);
        }
    return NAN;
}

/* Pearson's correlation of the two sides' ranks over hpo's parameters. */
static double spearman(const answer *h, const answer *r)
{
    double x[MAX_PARAMS], y[MAX_PARAMS], mx = 0, my = 0;
    for (int i = 0; i < h->n; i++) {
        x[i] = rank_of(h, h->names[i]);
        y[i] = rank_of(r, h->names[i]);
        mx += x[i] / h->n;
        my += y[i] / h->n;
    }
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < h->n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

static void print_answers(const answer *h, const answer *r)
{
    printf("    hpo:   ");
    for (int i = 0; i < h->n; i++)
        printf(" %s %.3f", h->names[i], h->values[i]);
    printf("\n    optuna:");
    for (int i = 0; i < r->n; i++)
        printf(" %s %.3f", r->names[i], r->values[i]);
    printf("\n");
}

/* One problem over every seed; 0, or -1 when a side failed. */
static int run_problem(const imp_opts *o, const bench_problem *p,
                       const char *url, const char *optuna_url)
{
    char names[MAX_SEEDS * 80] = "";
    answer h[MAX_SEEDS], r[MAX_SEEDS];
    for (int k = 0; k < o->n_seeds; k++) {
        char name[128];
        study_name(name, sizeof name, p, o->seeds[k]);
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                 k ? "," : "", name);
        if (make_study(url, p, o->seeds[k], o->trials) ||
            hpo_answer(url, p, o->seeds[k], &h[k]))
            return -1;
    }
    const char *args[] = {"--storage", optuna_url, "--studies", names,
                          "--seed", "0", NULL};
    cJSON *doc = bench_python_run(HPO_BENCH_SOURCE_DIR "/optuna_importance.py",
                                  args);
    const cJSON *studies = cJSON_GetObjectItem(doc, "studies");
    if (!studies) {
        cJSON_Delete(doc);
        return -1;
    }
    double rho[MAX_SEEDS], th[MAX_SEEDS], tr[MAX_SEEDS], ratio[MAX_SEEDS];
    int agree = 0;
    for (int k = 0; k < o->n_seeds; k++) {
        char name[128];
        study_name(name, sizeof name, p, o->seeds[k]);
        read_answer(cJSON_GetObjectItem(studies, name), &r[k]);
        agree += r[k].n > 0 && strcmp(h[k].names[0], r[k].names[0]) == 0;
        rho[k] = spearman(&h[k], &r[k]);
        th[k] = 1e3 * h[k].seconds;
        tr[k] = 1e3 * r[k].seconds;
        ratio[k] = tr[k] / th[k];
    }
    cJSON_Delete(doc);
    printf("%-14s %6d %5d %6d/%-3d %8.3f %10.1f %10.1f %8.0fx\n", p->name,
           h[0].n, o->trials, agree, o->n_seeds,
           bench_quantile(rho, o->n_seeds, 0.5), bench_quantile(th, o->n_seeds, 0.5),
           bench_quantile(tr, o->n_seeds, 0.5),
           bench_quantile(ratio, o->n_seeds, 0.5));
    print_answers(&h[0], &r[0]);
    fflush(stdout);
    return 0;
}

/* hpo alone on a large in-memory study of dominant6 (Optuna's fANOVA would
 * take hours): CPU ms of each method, the answer's first two. */
static int run_large(int n)
{
    hpo_study *s = hpo_study_new();
    hpo_study_set_sampler(s, "random");
    hpo_study_set_seed(s, 1);
    hpo_optimize_options oo = {.n_trials = n};
    int rc = hpo_study_open(s, "large", HPO_OPEN_CREATE);
    if (rc == HPO_OK)
        rc = hpo_study_optimize(s, bench_problem_objective,
                                (void *)&local_problems[0], &oo);
    printf("dominant6, %d random trials in memory: CPU ms of "
           "hpo_study_importance\n", n);
    for (int m = HPO_FANOVA; rc == HPO_OK && m <= HPO_PED_ANOVA; m++) {
        hpo_importance_options o;
        hpo_importance_options_default(&o);
        o.method = (hpo_importance_method)m;
        hpo_importance *imp;
        int k;
        double t0 = cpu_s();
        rc = hpo_study_importance(s, &o, &imp, &k);
        double ms = 1e3 * (cpu_s() - t0);
        if (rc == HPO_OK && k >= 2)
            printf("  %-9s %8.1f ms   %s %.3f, %s %.3f, ...\n",
                   m == HPO_FANOVA ? "fanova" : "ped-anova", ms, imp[0].name,
                   imp[0].value, imp[1].name, imp[1].value);
        hpo_importance_free(imp, k);
    }
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench importance: %s\n", hpo_study_errmsg(s));
    hpo_study_free(s);
    return rc == HPO_OK ? 0 : 1;
}

int bench_importance(int argc, char **argv)
{
    imp_opts o = {0};
    if (parse(&o, argc, argv) != 0) {
        fprintf(stderr, "usage: hpo-bench importance [--problems mixed4,"
                        "dominant6,dominant_cat] [--trials 1000] [--seeds 0-4]\n"
                        "       hpo-bench importance --large 100000\n");
        free(o.problem_text);
        return 2;
    }
    if (o.large > 0) {
        free(o.problem_text);
        return run_large(o.large);
    }
    char dir[] = "/tmp/hpo-bench-importance-XXXXXX", url[128], optuna_url[128];
    if (!mkdtemp(dir)) {
        free(o.problem_text);
        return fprintf(stderr, "hpo-bench importance: mkdtemp failed\n"), 1;
    }
    snprintf(url, sizeof url, "sqlite:///%s/studies.db", dir);
    snprintf(optuna_url, sizeof optuna_url, "sqlite:///%s/studies.db", dir);
    printf("fANOVA importance, hpo vs Optuna's FanovaImportanceEvaluator on "
           "the same SQLite studies\n(random sampler; medians over %d seeds; "
           "CPU ms; hpo's includes reading the study)\n", o.n_seeds);
    printf("%-14s %6s %5s %10s %8s %10s %10s %9s\n", "problem", "params",
           "trials", "top-1", "spearman", "hpo ms", "optuna ms", "ratio");
    int rc = 0;
    for (int i = 0; i < o.n_problems && rc == 0; i++)
        rc = run_problem(&o, o.problems[i], url, optuna_url);
    char path[200];
    snprintf(path, sizeof path, "%s/studies.db", dir);
    unlink(path);
    rmdir(dir);
    free(o.problem_text);
    return rc ? 1 : 0;
}
