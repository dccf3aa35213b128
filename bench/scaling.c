/*
 * scaling.c — `hpo-bench scaling`: the cost of a trial against the number
 * of parameters (issue 9: TPE's cost grew with the cube of it).
 *
 *   hpo-bench scaling [--params 16,64,256,1024,4096] [--samplers tpe,auto]
 *                     [--trials 30] [--seeds 0-2] [--optuna-seeds 0]
 *                     [--clock cpu|wall] [--max-seconds S] [--vs-optuna]
 *                     [--json FILE]
 *
 * A run: an in-memory study, N floats x0 .. x{N-1} in [-10, 10] suggested
 * define-by-run in that order, objective their sum of squares; each trial
 * is ask, N suggests, tell and free, timed as a whole.  The first STARTUP
 * trials are the start-up (random) trials of tpe and of Optuna's
 * TPESampler (both default to 10); the cost reported is the mean over the
 * trials after them (the model's trials), and apart over the start-up
 * ones; the median over seeds.  Optuna 3.1 runs the same loop with
 * TPESampler (RandomSampler beside hpo's `random`; Optuna 3.1 has no GP
 * or random-forest sampler, so gp and rf are set beside its TPE).
 *
 * Time is the process's CPU time by default (Python's time.process_time
 * on Optuna's side): on a machine shared with other work, wall time
 * measures the others' load as much as ours; --clock wall for wall time.
 *
 * Linear in N shows as a constant cost per parameter (us/param) and as the
 * exponent a of a least-squares fit ms/trial ~ N^a over the sizes >= 64
 * (below that, the per-trial fixed cost dominates).  The goal: a <= 1.1
 * and hpo's ms/trial <= Optuna's at every size.
 *
 * --max-seconds stops an hpo run after that long (for timing a build
 * whose cost explodes); its figures are then over the trials it did and
 * the table marks them with '*'.
 */
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define STARTUP 10
#define MAX_SIZES 16
#define MAX_SAMPLERS 8
#define FIT_FROM 64
#define GOAL_EXPONENT 1.1

/* One run's figures (hpo or Optuna). */
typedef struct run {
    int done;          /* trials finished */
    int cut;           /* stopped by --max-seconds */
    double startup_ms; /* mean over trials [0, STARTUP) */
    double model_ms;   /* mean over trials [STARTUP, done) */
} run;

/* Median over seeds, per sampler x size. */
typedef struct cell {
    int ok, cut, n_seeds;
    double startup_ms, model_ms;
} cell;

typedef struct plan {
    int n_sizes, sizes[MAX_SIZES];
    int n_samplers;
    char *samplers[MAX_SAMPLERS];
    int trials;
    int n_seeds, seeds[BENCH_MAX_SEEDS];
    int n_optuna_seeds, optuna_seeds[BENCH_MAX_SEEDS];
    double max_seconds;
    int wall; /* --clock wall */
    cell hpo[MAX_SAMPLERS][MAX_SIZES];
    cell ref[MAX_SAMPLERS][MAX_SIZES];
} plan;

static double mean(const double *v, int from, int to)
{
    if (to <= from)
        return NAN;
    double sum = 0;
    for (int k = from; k < to; k++)
        sum += v[k];
    return sum / (to - from);
}

static void figures_of(const double *ms, int done, run *out)
{
    out->done = done;
    out->startup_ms = mean(ms, 0, done < STARTUP ? done : STARTUP);
    out->model_ms = mean(ms, STARTUP, done);
}

/* The Optuna sampler set beside an hpo sampler (see the header). */
static const char *optuna_sampler(const char *hpo_spec)
{
    if (strncmp(hpo_spec, "random", 6) == 0)
        return "optuna.samplers.RandomSampler(seed=seed)";
    return "optuna.samplers.TPESampler(seed=seed, n_startup_trials=10)";
}

static double clock_s(const plan *p)
{
    if (p->wall)
        return bench_now_s();
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The timed trials of one hpo run. */
static int trials_hpo(hpo_study *s, int n_params, const plan *p, double *ms,
                      int *done, int *cut)
{
    double start = bench_now_s();
    for (int k = 0; k < p->trials; k++) {
        double t0 = clock_s(p), sum;
        hpo_trial *t;
        int rc = hpo_study_ask(s, &t);
        if (rc == HPO_OK)
            rc = bench_sphere_objective(t, &n_params, &sum);
        if (rc == HPO_OK)
            rc = hpo_study_tell(s, t, HPO_COMPLETE, &sum, 1);
        if (rc != HPO_OK)
            fprintf(stderr, "hpo-bench scaling: %s\n",
                    t ? hpo_trial_errmsg(t) : hpo_study_errmsg(s));
        hpo_trial_free(t);
        if (rc != HPO_OK)
            return -1;
        ms[k] = 1e3 * (clock_s(p) - t0);
        *done = k + 1;
        if (p->max_seconds > 0 && bench_now_s() - start > p->max_seconds) {
            *cut = *done < p->trials;
            break;
        }
    }
    return 0;
}

static int run_hpo(const char *spec, int n_params, int seed, const plan *p,
                   run *out)
{
    memset(out, 0, sizeof *out);
    double *ms = malloc(sizeof(double) * (size_t)p->trials);
    hpo_study *s = hpo_study_new();
    int rc = ms && s ? HPO_OK : HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = hpo_study_set_sampler(s, spec);
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, (uint64_t)seed);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, "scaling", HPO_OPEN_CREATE);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench scaling: %s: %s\n", spec,
                s ? hpo_study_errmsg(s) : "out of memory");
    int done = 0, cut = 0;
    int failed = rc != HPO_OK || trials_hpo(s, n_params, p, ms, &done, &cut);
    if (!failed) {
        figures_of(ms, done, out);
        out->cut = cut;
    }
    hpo_study_free(s);
    free(ms);
    return failed ? -1 : 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* Medians of runs[0..n) into c. */
static void summarize(const run *runs, int n, cell *c)
{
    double a[BENCH_MAX_SEEDS], b[BENCH_MAX_SEEDS];
    int m = 0;
    memset(c, 0, sizeof *c);
    for (int i = 0; i < n; i++) {
        a[m] = runs[i].startup_ms;
        b[m++] = runs[i].model_ms;
        c->cut |= runs[i].cut;
    }
    qsort(a, (size_t)m, sizeof *a, by_value);
    qsort(b, (size_t)m, sizeof *b, by_value);
    c->ok = m == n && m > 0;
    c->n_seeds = m;
    c->startup_ms = c->ok ? bench_quantile(a, m, 0.5) : NAN;
    c->model_ms = c->ok ? bench_quantile(b, m, 0.5) : NAN;
}

static int measure_hpo(plan *p)
{
    int failed = 0;
    run runs[BENCH_MAX_SEEDS];
    for (int a = 0; a < p->n_samplers; a++)
        for (int z = 0; z < p->n_sizes; z++) {
            int ok = 1;
            for (int k = 0; k < p->n_seeds && ok; k++)
                ok = run_hpo(p->samplers[a], p->sizes[z], p->seeds[k], p,
                             &runs[k]) == 0;
            summarize(runs, ok ? p->n_seeds : 0, &p->hpo[a][z]);
            failed |= !ok;
            fprintf(stderr, "hpo: scaling %s N=%d: %.2f ms/trial\n",
                    p->samplers[a], p->sizes[z], p->hpo[a][z].model_ms);
        }
    return failed ? -1 : 0;
}

/* ---- Optuna ----------------------------------------------------------- */

static void join_ints(const int *v, int n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? "," : "",
                                v[i]);
}

/* Read one size's runs from optuna_ref.py's answer. */
static int optuna_runs(const cJSON *doc, int n_params, run *runs, int max)
{
    int n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "runs"))
    {
        const cJSON *ms = cJSON_GetObjectItem(r, "per_trial_ms");
        const cJSON *np = cJSON_GetObjectItem(r, "n_params");
        int count = cJSON_GetArraySize(ms);
        if (!cJSON_IsNumber(np) || np->valueint != n_params || n == max ||
            count == 0)
            continue;
        double *v = malloc(sizeof(double) * (size_t)count);
        if (!v)
            return -1;
        int k = 0;
        const cJSON *item;
        cJSON_ArrayForEach(item, ms) v[k++] = item->valuedouble;
        figures_of(v, count, &runs[n++]);
        free(v);
    }
    return n;
}

/* One optuna_ref.py call per distinct Optuna sampler; returns its version
 * (owned) or NULL. */
static char *measure_optuna(plan *p)
{
    char sizes[256], seeds[1024], trials[16];
    char *version = NULL;
    join_ints(p->sizes, p->n_sizes, sizes, sizeof sizes);
    join_ints(p->optuna_seeds, p->n_optuna_seeds, seeds, sizeof seeds);
    snprintf(trials, sizeof trials, "%d", p->trials);
    for (int a = 0; a < p->n_samplers; a++) {
        const char *expr = optuna_sampler(p->samplers[a]);
        int b = 0;
        while (b < a && strcmp(optuna_sampler(p->samplers[b]), expr) != 0)
            b++;
        if (b < a) { /* the same Optuna runs as an earlier row */
            memcpy(p->ref[a], p->ref[b], sizeof p->ref[a]);
            continue;
        }
        const char *args[] = {"scaling", "--sampler", expr, "--params", sizes,
                              "--trials", trials, "--seeds", seeds,
                              "--clock", p->wall ? "wall" : "cpu", NULL};
        cJSON *doc = bench_optuna_run(args);
        if (!doc) {
            free(version);
            return NULL;
        }
        run runs[BENCH_MAX_SEEDS];
        for (int z = 0; z < p->n_sizes; z++) {
            int n = optuna_runs(doc, p->sizes[z], runs, BENCH_MAX_SEEDS);
            summarize(runs, n < 0 ? 0 : n, &p->ref[a][z]);
        }
        const char *v =
            cJSON_GetStringValue(cJSON_GetObjectItem(doc, "optuna_version"));
        if (!version)
            version = strdup(v ? v : "?");
        cJSON_Delete(doc);
    }
    return version;
}

/* ---- the table -------------------------------------------------------- */

/* Least-squares slope of log ms against log N over sizes >= FIT_FROM. */
static double exponent(const plan *p, const cell *row)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (int z = 0; z < p->n_sizes; z++) {
        if (p->sizes[z] < FIT_FROM || !row[z].ok || !(row[z].model_ms > 0))
            continue;
        double x = log(p->sizes[z]), y = log(row[z].model_ms);
        sx += x, sy += y, sxx += x * x, sxy += x * y, n++;
    }
    double den = n * sxx - sx * sx;
    return n >= 2 && den > 0 ? (n * sxy - sx * sy) / den : NAN;
}

static cJSON *cell_json(const cell *c, int n_params)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", c->ok);
    cJSON_AddBoolToObject(o, "cut", c->cut);
    cJSON_AddNumberToObject(o, "seeds", c->n_seeds);
    cJSON_AddNumberToObject(o, "startup_ms_per_trial", c->startup_ms);
    cJSON_AddNumberToObject(o, "ms_per_trial", c->model_ms);
    cJSON_AddNumberToObject(o, "us_per_param", 1e3 * c->model_ms / n_params);
    return o;
}

/* Print the table and return its JSON rows; *goal_met as the header says. */
static cJSON *print_table(const plan *p, int vs_optuna, int *goal_met)
{
    cJSON *rows = cJSON_CreateArray();
    *goal_met = 1;
    printf("%-8s %5s | %11s %11s %9s | %11s %9s | %10s\n", "sampler", "N",
           "ms/trial", "start-up ms", "us/param", "optuna ms", "us/param",
           "optuna/hpo");
    for (int a = 0; a < p->n_samplers; a++) {
        for (int z = 0; z < p->n_sizes; z++) {
            const cell *h = &p->hpo[a][z], *o = &p->ref[a][z];
            int n = p->sizes[z];
            double ratio = o->model_ms / h->model_ms;
            printf("%-8s %5d | %10.3f%c %11.3f %9.3f |", p->samplers[a], n,
                   h->model_ms, h->cut ? '*' : ' ', h->startup_ms,
                   1e3 * h->model_ms / n);
            if (vs_optuna)
                printf(" %11.3f %9.3f | %9.2fx\n", o->model_ms,
                       1e3 * o->model_ms / n, ratio);
            else
                printf(" %11s %9s | %10s\n", "-", "-", "-");
            if (vs_optuna && !(ratio >= 1))
                *goal_met = 0;
            cJSON *row = cJSON_CreateObject();
            cJSON_AddStringToObject(row, "sampler", p->samplers[a]);
            cJSON_AddNumberToObject(row, "n_params", n);
            cJSON_AddItemToObject(row, "hpo", cell_json(h, n));
            if (vs_optuna) {
                cJSON_AddStringToObject(row, "optuna_sampler",
                                        optuna_sampler(p->samplers[a]));
                cJSON_AddItemToObject(row, "optuna", cell_json(o, n));
                cJSON_AddNumberToObject(row, "optuna_over_hpo", ratio);
            }
            cJSON_AddItemToArray(rows, row);
        }
        double e = exponent(p, p->hpo[a]);
        printf("%-8s fit ms/trial ~ N^a over N >= %d: hpo a = %.2f", "",
               FIT_FROM, e);
        if (vs_optuna)
            printf(", optuna a = %.2f", exponent(p, p->ref[a]));
        printf("\n");
        if (!(e <= GOAL_EXPONENT))
            *goal_met = isnan(e) ? *goal_met : 0;
    }
    return rows;
}

static int write_json(const char *path, const plan *p, cJSON *rows,
                      const char *version, int goal_met)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "command", "scaling");
    cJSON_AddStringToObject(doc, "hpo_version", hpo_version());
    if (version)
        cJSON_AddStringToObject(doc, "optuna_version", version);
    cJSON_AddStringToObject(doc, "clock", p->wall ? "wall" : "cpu");
    cJSON_AddNumberToObject(doc, "trials", p->trials);
    cJSON_AddNumberToObject(doc, "startup_trials", STARTUP);
    cJSON_AddItemToObject(doc, "seeds", cJSON_CreateIntArray(p->seeds, p->n_seeds));
    if (version)
        cJSON_AddItemToObject(doc, "optuna_seeds",
                              cJSON_CreateIntArray(p->optuna_seeds,
                                                   p->n_optuna_seeds));
    cJSON_AddItemToObject(doc, "rows", rows);
    cJSON_AddBoolToObject(doc, "goal_met", goal_met);
    int rc = bench_write_json(path, doc);
    cJSON_Delete(doc);
    return rc;
}

/* ---- options ---------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: hpo-bench scaling [--params 16,64,256,1024,4096] "
               "[--samplers tpe,auto]\n"
               "                         [--trials 30] [--seeds 0-2] "
               "[--optuna-seeds 0] [--max-seconds S]\n"
               "                         [--clock cpu|wall] [--vs-optuna] "
               "[--json FILE]\n");
}

static int parse(int argc, char **argv, plan *p, int *vs_optuna,
                 const char **json, char **sampler_text)
{
    const char *params = "16,64,256,1024,4096", *samplers = "tpe,auto",
               *trials = "30", *seeds = "0-2", *optuna_seeds = "0",
               *max_seconds = "0", *clock = "cpu";
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = bench_option(argc, argv, &i, "--params", &params)) ||
            (r = bench_option(argc, argv, &i, "--samplers", &samplers)) ||
            (r = bench_option(argc, argv, &i, "--trials", &trials)) ||
            (r = bench_option(argc, argv, &i, "--seeds", &seeds)) ||
            (r = bench_option(argc, argv, &i, "--optuna-seeds",
                              &optuna_seeds)) ||
            (r = bench_option(argc, argv, &i, "--max-seconds",
                              &max_seconds)) ||
            (r = bench_option(argc, argv, &i, "--clock", &clock)) ||
            (r = bench_option(argc, argv, &i, "--json", json))) {
            if (r < 0)
                return -1;
        } else if (strcmp(argv[i], "--vs-optuna") == 0) {
            *vs_optuna = 1;
        } else {
            fprintf(stderr, "hpo-bench scaling: unknown argument '%s'\n",
                    argv[i]);
            return -1;
        }
    }
    if (strcmp(clock, "cpu") != 0 && strcmp(clock, "wall") != 0)
        return -1;
    p->wall = strcmp(clock, "wall") == 0;
    char *end;
    p->max_seconds = strtod(max_seconds, &end);
    if (*end || !(p->max_seconds >= 0))
        return -1;
    p->n_sizes = bench_parse_ints(params, p->sizes, MAX_SIZES);
    p->n_samplers = bench_split(samplers, sampler_text, p->samplers,
                                MAX_SAMPLERS);
    p->n_seeds = bench_parse_seeds(seeds, p->seeds, BENCH_MAX_SEEDS);
    p->n_optuna_seeds =
        bench_parse_seeds(optuna_seeds, p->optuna_seeds, BENCH_MAX_SEEDS);
    if (bench_parse_ints(trials, &p->trials, 1) != 1 || p->n_sizes < 1 ||
        p->n_samplers < 1 || p->n_seeds < 1 || p->n_optuna_seeds < 1)
        return -1;
    return 0;
}

int bench_scaling(int argc, char **argv)
{
    plan *p = calloc(1, sizeof *p);
    char *sampler_text = NULL;
    const char *json = NULL;
    int vs_optuna = 0;
    if (!p || parse(argc, argv, p, &vs_optuna, &json, &sampler_text) != 0) {
        usage(stderr);
        free(sampler_text);
        free(p);
        return 2;
    }
    int failed = measure_hpo(p) != 0;
    char *version = vs_optuna ? measure_optuna(p) : NULL;
    if (vs_optuna && !version) {
        fprintf(stderr, "hpo-bench scaling: the Optuna run failed\n");
        failed = 1;
        vs_optuna = 0;
    }
    printf("hpo-bench scaling: N floats in [-10, 10] suggested define-by-run, "
           "objective sum of squares, in-memory storage;\n"
           "%d trials per run, the first %d start-up (random); ms/trial = mean "
           "%s time of ask + N suggests + tell\nover trials %d-%d, median over "
           "%d seed(s)",
           p->trials, STARTUP, p->wall ? "wall" : "CPU", STARTUP,
           p->trials - 1, p->n_seeds);
    if (vs_optuna)
        printf(" (Optuna %s: %d seed(s))", version, p->n_optuna_seeds);
    printf("\n");
    int goal_met;
    cJSON *rows = print_table(p, vs_optuna, &goal_met);
    printf("goal (linear: a <= %.1f; %s): %s\n", GOAL_EXPONENT,
           vs_optuna ? "ms/trial <= Optuna's at every N" : "no Optuna run",
           goal_met ? "met" : "NOT met");
    if (json && write_json(json, p, rows, version, goal_met) != 0)
        failed = 1;
    else if (!json)
        cJSON_Delete(rows);
    free(version);
    free(sampler_text);
    free(p);
    return failed ? 1 : 0;
}
