/*
 * quality.c — `hpo-bench quality`: how good is what each method finds.
 *
 *   hpo-bench quality [--methods random,qmc,...] [--problems all|branin,...]
 *                     [--budgets 20,50,100] [--seeds 0-9] [--vs-optuna]
 *                     [--define-by-run] [--run-per-budget] [--json FILE]
 *                     [--csv FILE]
 *
 * For every problem × method × seed, one ask/suggest/tell loop runs to the
 * largest budget (the study told so first: hpo_study_plan_trials, as
 * hpo_study_optimize and `hpo tune -n` do) and is read at each budget
 * (with --run-per-budget, a run of its own to each, for methods that plan
 * for the budget: auto's hand-over): the best value (regret = best
 * - f*) or, with several objectives, the hypervolume of the front so far.
 * Overhead is the time spent in the library (ask, suggests, tell, free)
 * per trial: the loop's time minus the objective's own time.  Without
 * --budgets each problem uses its default budgets (problems.c).
 *
 * By default hpo's study is given the problem's space (hpo_study_set_space),
 * as grid and qmc need.  --define-by-run leaves it undeclared: the objective
 * still suggests each active parameter by name (bench_problem_suggest), so
 * samplers that infer the space from the trials (auto, gp, rf, multivariate
 * tpe) are measured as define-by-run user code meets them, and as Optuna's
 * side always runs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define MAX_LIST 64

typedef struct quality_args {
    const char *methods, *problems, *budgets, *seeds;
    int vs_optuna;
    int define_by_run;
    int run_per_budget;
    const char *json, *csv;
} quality_args;

/* --define-by-run for bench_run_hpo (bo_goal.c's runs keep the default). */
static int declare_space = 1;
/* --run-per-budget: a run of its own to each budget. */
static int run_per_budget = 0;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: hpo-bench quality [--methods LIST] [--problems all|LIST]\n"
            "         [--budgets 20,50,100] [--seeds 0-9] [--vs-optuna]\n"
            "         [--define-by-run] [--run-per-budget] [--json FILE] "
            "[--csv FILE]\n"
            "--define-by-run: hpo's study gets no declared space (grid then "
            "fails, qmc samples at random)\n"
            "--run-per-budget: a run of its own to each budget (a method "
            "that plans for the study's budget, auto, is read at each as "
            "it runs when told that one)\n"
            "methods:");
    for (const bench_method *m = bench_methods; m->label; m++)
        fprintf(f, " %s", m->label);
    fprintf(f, " (default: all)\nproblems:");
    for (const bench_problem *p = bench_problems; p->name; p++)
        fprintf(f, " %s", p->name);
    fprintf(f, "\n");
}

/* ------------------------------------------------------------------------- */
/* One hpo run                                                                */
/* ------------------------------------------------------------------------- */

static int fail_run(const bench_job *j, int seed, const char *what,
                    const char *msg, int rc)
{
    fprintf(stderr, "hpo-bench: %s / %s / seed %d: %s: %s (%s)\n",
            j->problem->name, j->method->label, seed, what, msg,
            hpo_errname(rc));
    return rc;
}

static int open_study(const bench_job *j, int seed, hpo_study **out)
{
    const bench_problem *p = j->problem;
    hpo_study *s = hpo_study_new();
    hpo_space *space = hpo_space_new();
    *out = s;
    if (!s || !space) {
        hpo_space_free(space);
        return HPO_ENOMEM;
    }
    int rc = bench_problem_define(p, space);
    if (rc != HPO_OK) {
        fail_run(j, seed, "space", hpo_space_errmsg(space), rc);
        hpo_space_free(space);
        return rc;
    }
    rc = hpo_study_set_sampler(s, j->spec);
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, (uint64_t)seed);
    for (int k = 0; k < p->n_objectives && rc == HPO_OK; k++)
        rc = hpo_study_add_direction(s, HPO_MINIMIZE);
    if (rc == HPO_OK && declare_space)
        rc = hpo_study_set_space(s, space);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, p->name, HPO_OPEN_CREATE);
    hpo_space_free(space);
    if (rc != HPO_OK)
        fail_run(j, seed, "study", hpo_study_errmsg(s), rc);
    return rc;
}

/* One trial: its objective values into v, its overhead into *overhead_s.
 * HPO_DONE when the sampler has nothing left. */
static int run_trial(const bench_job *j, int seed, hpo_study *s, double *v,
                     double *overhead_s)
{
    const bench_problem *p = j->problem;
    double x[BENCH_MAX_DIM];
    hpo_trial *t = NULL;
    double start = bench_now_s();
    int rc = hpo_study_ask(s, &t);
    if (rc == HPO_DONE)
        return rc;
    if (rc != HPO_OK)
        return fail_run(j, seed, "ask", hpo_study_errmsg(s), rc);
    rc = bench_problem_suggest(p, t, x);
    if (rc != HPO_OK) {
        fail_run(j, seed, "suggest", hpo_trial_errmsg(t), rc);
        hpo_trial_free(t);
        return rc;
    }
    double f_start = bench_now_s();
    p->f(x, v);
    double f_time = bench_now_s() - f_start;
    rc = hpo_study_tell(s, t, HPO_COMPLETE, v, p->n_objectives);
    if (rc == HPO_OK && hpo_trial_state_of(t) != HPO_COMPLETE)
        rc = HPO_EFAIL;
    if (rc != HPO_OK)
        fail_run(j, seed, "tell", hpo_study_errmsg(s), rc);
    hpo_trial_free(t);
    *overhead_s = bench_now_s() - start - f_time;
    return rc;
}

/* Read a finished run at each budget (values: n trials × objectives). */
static void read_budgets(const bench_job *j, const double *values,
                         const double *overhead_s, int n, bench_run *out)
{
    const bench_problem *p = j->problem;
    out->n_trials = n;
    for (int b = 0; b < j->n_budgets; b++) {
        int upto = j->budgets[b] < n ? j->budgets[b] : n;
        if (p->n_objectives == 1) {
            double best = INFINITY;
            for (int k = 0; k < upto; k++)
                if (values[k] < best)
                    best = values[k];
            out->metric[b] = best;
        } else {
            out->metric[b] =
                bench_hypervolume(values, upto, p->n_objectives, p->ref);
        }
        double all = 0, last = 0;
        int from = upto > 100 ? upto - 100 : 0;
        for (int k = 0; k < upto; k++) {
            all += overhead_s[k];
            if (k >= from)
                last += overhead_s[k];
        }
        out->overhead_mean_ms[b] = upto ? 1e3 * all / upto : NAN;
        out->overhead_last100_ms[b] = upto ? 1e3 * last / (upto - from) : NAN;
    }
}

/* One study run to `budget` trials, told that budget first (as
 * hpo_study_optimize and `hpo tune -n` tell theirs: auto plans its
 * hand-over by it); read at each of j's budgets up to it. */
static void run_to(const bench_job *j, int seed, int budget, bench_run *out)
{
    const bench_problem *p = j->problem;
    memset(out, 0, sizeof *out);
    double *values = malloc(sizeof(double) * (size_t)budget *
                            (size_t)p->n_objectives);
    double *overhead_s = malloc(sizeof(double) * (size_t)budget);
    hpo_study *s = NULL;
    int rc = values && overhead_s ? open_study(j, seed, &s) : HPO_ENOMEM;
    if (rc == HPO_OK && (rc = hpo_study_plan_trials(s, budget)) != HPO_OK)
        fail_run(j, seed, "plan", hpo_study_errmsg(s), rc);
    int n = 0;
    while (rc == HPO_OK && n < budget) {
        rc = run_trial(j, seed, s, &values[n * p->n_objectives],
                       &overhead_s[n]);
        if (rc == HPO_OK)
            n++;
    }
    if ((rc == HPO_OK || rc == HPO_DONE) && n > 0) {
        read_budgets(j, values, overhead_s, n, out);
        out->ok = 1;
    }
    hpo_study_free(s);
    free(values);
    free(overhead_s);
}

void bench_run_hpo(const bench_job *j, int seed, bench_run *out)
{
    int n_budgets = j->n_budgets;
    run_to(j, seed, j->budgets[n_budgets - 1], out);
    for (int b = 0; run_per_budget && out->ok && b < n_budgets - 1; b++) {
        bench_run one;
        run_to(j, seed, j->budgets[b], &one);
        out->ok = one.ok;
        out->metric[b] = one.metric[b];
        out->overhead_mean_ms[b] = one.overhead_mean_ms[b];
        out->overhead_last100_ms[b] = one.overhead_last100_ms[b];
    }
}

/* ------------------------------------------------------------------------- */
/* The Optuna side                                                            */
/* ------------------------------------------------------------------------- */

static cJSON *plan_json(const bench_job *jobs, int n)
{
    cJSON *plan = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(plan, "jobs");
    for (int i = 0; i < n; i++) {
        const bench_job *j = &jobs[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "problem", j->problem->name);
        cJSON_AddStringToObject(o, "method", j->method->label);
        cJSON_AddStringToObject(o, "sampler", j->optuna);
        cJSON_AddItemToObject(o, "budgets",
                              cJSON_CreateIntArray(j->budgets, j->n_budgets));
        cJSON_AddItemToObject(o, "seeds",
                              cJSON_CreateIntArray(j->seeds, j->n_seeds));
        cJSON_AddItemToArray(list, o);
    }
    return plan;
}

static void read_doubles(const cJSON *array, double *out, int n)
{
    for (int i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetArrayItem(array, i);
        out[i] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    }
}

static bench_run *find_ref(bench_job *jobs, int n, const char *problem,
                           const char *method, int seed, bench_job **job)
{
    for (int i = 0; i < n; i++) {
        bench_job *j = &jobs[i];
        if (strcmp(j->problem->name, problem) || strcmp(j->method->label, method))
            continue;
        for (int s = 0; s < j->n_seeds; s++) {
            if (j->seeds[s] == seed) {
                *job = j;
                return &j->ref[s];
            }
        }
    }
    return NULL;
}

char *bench_run_optuna(bench_job *jobs, int n)
{
    char plan_path[] = "/tmp/hpo-bench-plan-XXXXXX";
    int fd = mkstemp(plan_path);
    if (fd < 0)
        return NULL;
    close(fd);
    cJSON *plan = plan_json(jobs, n);
    int rc = bench_write_json(plan_path, plan);
    cJSON_Delete(plan);
    if (rc != 0) {
        unlink(plan_path);
        return NULL;
    }

    const char *args[] = {"quality", "--plan", plan_path, NULL};
    cJSON *out = bench_optuna_run(args);
    unlink(plan_path);
    if (!out)
        return NULL;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(out, "results")) {
        const char *problem = cJSON_GetStringValue(cJSON_GetObjectItem(r, "problem"));
        const char *method = cJSON_GetStringValue(cJSON_GetObjectItem(r, "method"));
        const cJSON *seed = cJSON_GetObjectItem(r, "seed");
        if (!problem || !method || !cJSON_IsNumber(seed))
            continue;
        bench_job *j;
        bench_run *run = find_ref(jobs, n, problem, method, seed->valueint, &j);
        const cJSON *n_trials = cJSON_GetObjectItem(r, "n_trials");
        if (!run || !cJSON_IsNumber(n_trials))
            continue;
        run->ok = cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"));
        run->n_trials = n_trials->valueint;
        read_doubles(cJSON_GetObjectItem(r, "metric"), run->metric, j->n_budgets);
        read_doubles(cJSON_GetObjectItem(r, "overhead_mean_ms"),
                     run->overhead_mean_ms, j->n_budgets);
        read_doubles(cJSON_GetObjectItem(r, "overhead_last100_ms"),
                     run->overhead_last100_ms, j->n_budgets);
    }
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(out, "optuna_version"));
    char *version = strdup(v ? v : "?");
    cJSON_Delete(out);
    return version;
}

/* ------------------------------------------------------------------------- */
/* Building the jobs                                                          */
/* ------------------------------------------------------------------------- */

static int ascending_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static int parse_budgets(const char *text, bench_job *j)
{
    j->n_budgets = bench_parse_ints(text, j->budgets, BENCH_MAX_BUDGETS);
    if (j->n_budgets <= 0)
        return -1;
    qsort(j->budgets, (size_t)j->n_budgets, sizeof(int), ascending_int);
    return 0;
}

/* The problems chosen, in table order for "all". */
static int select_problems(const char *text, const bench_problem **out)
{
    if (!text || strcmp(text, "all") == 0) {
        int n = 0;
        for (const bench_problem *p = bench_problems; p->name; p++)
            out[n++] = p;
        return n;
    }
    char *copy, *items[MAX_LIST];
    int n = bench_split(text, &copy, items, MAX_LIST);
    for (int i = 0; i < n; i++) {
        out[i] = bench_problem_find(items[i]);
        if (!out[i]) {
            fprintf(stderr, "hpo-bench: unknown problem '%s'\n", items[i]);
            n = -1;
        }
    }
    free(copy);
    return n;
}

static int select_methods(const char *text, const bench_method **out)
{
    if (!text || strcmp(text, "all") == 0) {
        int n = 0;
        for (const bench_method *m = bench_methods; m->label; m++)
            out[n++] = m;
        return n;
    }
    char *copy, *items[MAX_LIST];
    int n = bench_split(text, &copy, items, MAX_LIST);
    for (int i = 0; i < n; i++) {
        out[i] = bench_method_find(items[i]);
        if (!out[i]) {
            fprintf(stderr, "hpo-bench: unknown method '%s'\n", items[i]);
            n = -1;
        }
    }
    free(copy);
    return n;
}

/* Every applicable problem × method; returns the count or -1. */
static int make_jobs(const quality_args *a, const int *seeds, int n_seeds,
                     bench_job **out)
{
    const bench_problem *problems[MAX_LIST];
    const bench_method *methods[MAX_LIST];
    int np = select_problems(a->problems, problems);
    int nm = select_methods(a->methods, methods);
    if (np <= 0 || nm <= 0)
        return -1;
    bench_job *jobs = calloc((size_t)(np * nm), sizeof *jobs);
    if (!jobs)
        return -1;
    int n = 0;
    for (int i = 0; i < np; i++) {
        for (int k = 0; k < nm; k++) {
            bench_job *j = &jobs[n];
            j->problem = problems[i];
            j->method = methods[k];
            if (parse_budgets(a->budgets ? a->budgets : j->problem->budgets, j) != 0) {
                free(jobs);
                return -1;
            }
            int max_budget = j->budgets[j->n_budgets - 1];
            if (j->method->applies && !j->method->applies(j->problem, max_budget))
                continue;
            bench_method_spec(j->method, j->problem, max_budget, j->spec,
                              sizeof j->spec);
            bench_method_optuna(j->method, j->problem, max_budget, j->optuna,
                                sizeof j->optuna);
            j->seeds = seeds;
            j->n_seeds = n_seeds;
            j->hpo = calloc((size_t)n_seeds, sizeof *j->hpo);
            j->ref = a->vs_optuna ? calloc((size_t)n_seeds, sizeof *j->ref) : NULL;
            n++;
        }
    }
    *out = jobs;
    return n;
}

static void free_jobs(bench_job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        free(jobs[i].hpo);
        free(jobs[i].ref);
    }
    free(jobs);
}

/* ------------------------------------------------------------------------- */
/* The subcommand                                                             */
/* ------------------------------------------------------------------------- */

static int parse_args(int argc, char **argv, quality_args *a)
{
    memset(a, 0, sizeof *a);
    a->seeds = "0-9";
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = bench_option(argc, argv, &i, "--methods", &a->methods)) ||
            (r = bench_option(argc, argv, &i, "--problems", &a->problems)) ||
            (r = bench_option(argc, argv, &i, "--budgets", &a->budgets)) ||
            (r = bench_option(argc, argv, &i, "--seeds", &a->seeds)) ||
            (r = bench_option(argc, argv, &i, "--json", &a->json)) ||
            (r = bench_option(argc, argv, &i, "--csv", &a->csv))) {
            if (r < 0)
                return -1;
        } else if (strcmp(argv[i], "--vs-optuna") == 0) {
            a->vs_optuna = 1;
        } else if (strcmp(argv[i], "--define-by-run") == 0) {
            a->define_by_run = 1;
        } else if (strcmp(argv[i], "--run-per-budget") == 0) {
            a->run_per_budget = 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            exit(0);
        } else {
            fprintf(stderr, "hpo-bench quality: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    return 0;
}

int bench_quality(int argc, char **argv)
{
    quality_args a;
    static int seeds[BENCH_MAX_SEEDS];
    if (parse_args(argc, argv, &a) != 0) {
        usage(stderr);
        return 2;
    }
    declare_space = !a.define_by_run;
    run_per_budget = a.run_per_budget;
    int n_seeds = bench_parse_seeds(a.seeds, seeds, BENCH_MAX_SEEDS);
    bench_job *jobs = NULL;
    int n = n_seeds > 0 ? make_jobs(&a, seeds, n_seeds, &jobs) : -1;
    if (n < 0) {
        usage(stderr);
        return 2;
    }

    int failed = 0;
    for (int i = 0; i < n; i++) {
        double start = bench_now_s();
        for (int s = 0; s < n_seeds; s++) {
            bench_run_hpo(&jobs[i], seeds[s], &jobs[i].hpo[s]);
            failed += !jobs[i].hpo[s].ok;
        }
        fprintf(stderr, "hpo:    %-16s %-8s %d seeds, %.1f s\n",
                jobs[i].problem->name, jobs[i].method->label, n_seeds,
                bench_now_s() - start);
    }
    char *version = NULL;
    if (a.vs_optuna && n > 0) {
        version = bench_run_optuna(jobs, n);
        if (!version)
            failed++;
    }

    if (a.define_by_run)
        printf("hpo's space: define-by-run (not declared)\n");
    bench_print_quality(stdout, jobs, n, version);
    if (a.json && bench_write_quality_json(a.json, jobs, n, version) != 0)
        failed++;
    if (a.csv && bench_write_quality_csv(a.csv, jobs, n) != 0)
        failed++;
    free(version);
    free_jobs(jobs, n);
    return failed ? 1 : 0;
}
