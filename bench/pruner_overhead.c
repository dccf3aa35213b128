/*
 * pruner_overhead.c — `hpo-bench pruner-overhead`: what one should_prune
 * decision costs as the study grows (issue 10: <= 10 us at 10,000 stored
 * trials x 100 steps, not growing with the number of trials), beside
 * Optuna 3.1's MedianPruner and SuccessiveHalvingPruner on the same
 * history.
 *
 *   hpo-bench pruner-overhead [--sizes 1000,10000] [--steps 100]
 *       [--probe 20] [--pruners median,successive_halving] [--vs-optuna]
 *       [--json FILE]
 *
 * A run: an in-memory study, minimised, with N stored COMPLETE trials of
 * `steps` intermediate values each (a learning curve per trial: a level
 * drawn from the trial's number, approached as 1/step), every one of
 * which was judged at each of its steps on the way (the verdicts ignored,
 * so every trial has all its steps and, under successive halving, every
 * rung it reached recorded, as a long study would).  Then `probe` new
 * trials run their steps, report + should_prune at each; the time of the
 * should_prune calls alone is measured (process CPU time), per call.
 *
 * Optuna's side builds the same history with create_trial (intermediate
 * values and the completed_rung_k attributes successive halving would
 * have written: rung k at step min_resource * eta^k) in its in-memory
 * storage, and times trial.should_prune() for the same probe trials.
 * Both pruners use min_resource=1, reduction_factor=4 on both sides, and
 * median n_startup_trials=5 n_warmup_steps=0 (Optuna's defaults).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "bench.h"

#define MAX_SIZES 8
#define MAX_PRUNERS 4

typedef struct overhead_plan {
    int n_sizes, sizes[MAX_SIZES];
    int steps, probe;
    int n_pruners;
    char *pruners[MAX_PRUNERS];
    char *pruner_storage;
    int vs_optuna;
    const char *json;
    double hpo_us[MAX_PRUNERS][MAX_SIZES];
    double ref_us[MAX_PRUNERS][MAX_SIZES];
} overhead_plan;

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The learning curve of trial k at step s (1-based): the same numbers as
 * optuna_pruner_overhead.py's curve(). */
static double curve(int k, int s)
{
    double level = 0.1 + (double)((k * 7919) % 1000) / 1000.0;
    return level * (1.0 + 1.0 / (double)s);
}

/* The hpo spec of a pruner label, with the options both sides share. */
static const char *spec_of(const char *label)
{
    if (strcmp(label, "median") == 0)
        return "median:n_startup_trials=5,n_warmup_steps=0";
    if (strcmp(label, "successive_halving") == 0)
        return "successive_halving:min_resource=1,reduction_factor=4";
    return label;
}

/* Run one trial through its steps; with `cost`, add the should_prune
 * calls' CPU seconds to it. */
static int run_trial(hpo_study *s, int k, int steps, double *cost)
{
    hpo_trial *t;
    int rc = hpo_study_ask(s, &t);
    for (int step = 1; rc == HPO_OK && step <= steps; step++) {
        rc = hpo_trial_report(t, step, curve(k, step));
        double t0 = cpu_s();
        int verdict = rc == HPO_OK ? hpo_trial_should_prune(t) : rc;
        if (cost)
            *cost += cpu_s() - t0;
        rc = verdict < 0 ? verdict : HPO_OK;
    }
    double value = curve(k, steps);
    if (rc == HPO_OK)
        rc = hpo_study_tell(s, t, HPO_COMPLETE, &value, 1);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench pruner-overhead: %s\n",
                t ? hpo_trial_errmsg(t) : hpo_study_errmsg(s));
    hpo_trial_free(t);
    return rc;
}

/* us per should_prune call for one pruner at n stored trials; NAN on
 * error. */
static double run_hpo(const char *label, int n, const overhead_plan *p)
{
    hpo_study *s = hpo_study_new();
    int rc = s ? HPO_OK : HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = hpo_study_set_sampler(s, "random");
    if (rc == HPO_OK)
        rc = hpo_study_set_pruner(s, spec_of(label));
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, 0);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, "overhead", HPO_OPEN_CREATE);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench pruner-overhead: %s: %s\n", label,
                s ? hpo_study_errmsg(s) : "out of memory");
    for (int k = 0; rc == HPO_OK && k < n; k++)
        rc = run_trial(s, k, p->steps, NULL);
    double cost = 0;
    for (int k = n; rc == HPO_OK && k < n + p->probe; k++)
        rc = run_trial(s, k, p->steps, &cost);
    hpo_study_free(s);
    return rc == HPO_OK ? 1e6 * cost / ((double)p->probe * p->steps) : NAN;
}

/* Optuna's figures: result["us"][pruner][size as text]. */
static void run_optuna(overhead_plan *p)
{
    char sizes[128] = "", steps[16], probe[16];
    for (int i = 0; i < p->n_sizes; i++)
        snprintf(sizes + strlen(sizes), sizeof sizes - strlen(sizes), "%s%d",
                 i ? "," : "", p->sizes[i]);
    snprintf(steps, sizeof steps, "%d", p->steps);
    snprintf(probe, sizeof probe, "%d", p->probe);
    char pruners[128] = "";
    for (int j = 0; j < p->n_pruners; j++)
        snprintf(pruners + strlen(pruners), sizeof pruners - strlen(pruners),
                 "%s%s", j ? "," : "", p->pruners[j]);
    const char *args[] = {"--sizes", sizes, "--steps", steps, "--probe", probe,
                          "--pruners", pruners, NULL};
    cJSON *doc = bench_python_run(HPO_BENCH_SOURCE_DIR
                                  "/optuna_pruner_overhead.py", args);
    cJSON *us = cJSON_GetObjectItem(doc, "us");
    for (int j = 0; j < p->n_pruners; j++)
        for (int i = 0; i < p->n_sizes; i++) {
            char key[16];
            snprintf(key, sizeof key, "%d", p->sizes[i]);
            cJSON *v = cJSON_GetObjectItem(
                cJSON_GetObjectItem(us, p->pruners[j]), key);
            p->ref_us[j][i] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        }
    cJSON_Delete(doc);
}

static void print_table(const overhead_plan *p)
{
    printf("\nshould_prune CPU us per call (%d steps per trial, %d probe "
           "trials; in-memory storage on both sides)\n",
           p->steps, p->probe);
    printf("%-20s %8s %10s %10s %8s\n", "pruner", "trials", "hpo",
           p->vs_optuna ? "optuna" : "", p->vs_optuna ? "ratio" : "");
    for (int j = 0; j < p->n_pruners; j++)
        for (int i = 0; i < p->n_sizes; i++) {
            printf("%-20s %8d %10.2f", p->pruners[j], p->sizes[i],
                   p->hpo_us[j][i]);
            if (p->vs_optuna)
                printf(" %10.1f %7.0fx", p->ref_us[j][i],
                       p->ref_us[j][i] / p->hpo_us[j][i]);
            printf("\n");
        }
}

static int write_json(const overhead_plan *p)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(doc, "rows");
    cJSON_AddNumberToObject(doc, "steps", p->steps);
    cJSON_AddNumberToObject(doc, "probe", p->probe);
    for (int j = 0; j < p->n_pruners; j++)
        for (int i = 0; i < p->n_sizes; i++) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "pruner", p->pruners[j]);
            cJSON_AddNumberToObject(r, "trials", p->sizes[i]);
            cJSON_AddNumberToObject(r, "hpo_us", p->hpo_us[j][i]);
            if (p->vs_optuna)
                cJSON_AddNumberToObject(r, "optuna_us", p->ref_us[j][i]);
            cJSON_AddItemToArray(rows, r);
        }
    int rc = bench_write_json(p->json, doc);
    cJSON_Delete(doc);
    return rc;
}

static int parse_args(int argc, char **argv, overhead_plan *p)
{
    const char *sizes = "1000,10000", *pruners = "median,successive_halving";
    p->steps = 100;
    p->probe = 20;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        int r;
        if ((r = bench_option(argc, argv, &i, "--sizes", &v)) != 0)
            sizes = v;
        else if ((r = bench_option(argc, argv, &i, "--pruners", &v)) != 0)
            pruners = v;
        else if ((r = bench_option(argc, argv, &i, "--steps", &v)) != 0)
            p->steps = v ? atoi(v) : 0;
        else if ((r = bench_option(argc, argv, &i, "--probe", &v)) != 0)
            p->probe = v ? atoi(v) : 0;
        else if ((r = bench_option(argc, argv, &i, "--json", &v)) != 0)
            p->json = v;
        else if (strcmp(argv[i], "--vs-optuna") == 0)
            r = p->vs_optuna = 1;
        else {
            fprintf(stderr, "hpo-bench pruner-overhead: unknown option %s\n",
                    argv[i]);
            return -1;
        }
        if (r < 0)
            return -1;
    }
    p->n_sizes = bench_parse_ints(sizes, p->sizes, MAX_SIZES);
    p->n_pruners = bench_split(pruners, &p->pruner_storage, p->pruners,
                               MAX_PRUNERS);
    if (p->n_sizes <= 0 || p->n_pruners <= 0 || p->steps < 1 ||
        p->probe < 1) {
        fprintf(stderr, "hpo-bench pruner-overhead: --sizes, --pruners, "
                        "--steps >= 1 and --probe >= 1 are needed\n");
        return -1;
    }
    return 0;
}

int bench_pruner_overhead(int argc, char **argv)
{
    overhead_plan *p = calloc(1, sizeof *p);
    if (!p || parse_args(argc, argv, p)) {
        free(p);
        return 2;
    }
    int failed = 0;
    for (int j = 0; j < p->n_pruners; j++)
        for (int i = 0; i < p->n_sizes; i++) {
            p->hpo_us[j][i] = run_hpo(p->pruners[j], p->sizes[i], p);
            failed |= isnan(p->hpo_us[j][i]);
            fprintf(stderr, "hpo %s at %d trials: %.2f us\n", p->pruners[j],
                    p->sizes[i], p->hpo_us[j][i]);
        }
    if (p->vs_optuna && !failed)
        run_optuna(p);
    print_table(p);
    if (p->json && write_json(p))
        failed = 1;
    free(p->pruner_storage);
    free(p);
    return failed ? 1 : 0;
}
