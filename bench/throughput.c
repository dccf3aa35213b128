/*
 * throughput.c — `hpo-bench throughput`: how many ask+tell cycles per
 * second the library does when the objective costs nothing.
 *
 *   hpo-bench throughput [--trials 20000] [--optuna-trials 5000]
 *                        [--vs-optuna] [--json FILE]
 *
 * Random sampler, in-memory storage, one float parameter, objective x².
 * Each trial is ask, suggest_float, tell and free; the time of each trial
 * is kept, so the rate can be read overall and in windows: around trial
 * 2,000 (trials 1,900-1,999) and over the last 100.  Optuna does the same
 * loop (study.ask(), trial.suggest_float, study.tell) on an in-memory study.
 * The speed-up is compared at equal history length: Optuna's rate over its
 * trials against hpo's over the same number of first trials.
 *
 * The goal: at least 100× Optuna 3.1's in-memory figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define GOAL_SPEEDUP 100.0
#define WINDOW_FROM 1900
#define WINDOW_TO 2000

typedef struct series {
    int n;
    double total_s;
    double *ms; /* per trial */
} series;

/* Mean ms/trial over trials [from, to) (clipped); NaN if empty. */
static double window_ms(const series *s, int from, int to)
{
    if (from < 0)
        from = 0;
    if (to > s->n)
        to = s->n;
    if (to <= from)
        return NAN;
    double sum = 0;
    for (int k = from; k < to; k++)
        sum += s->ms[k];
    return sum / (to - from);
}

static int run_hpo(int n, series *out)
{
    out->n = 0;
    out->ms = malloc(sizeof(double) * (size_t)n);
    hpo_study *s = hpo_study_new();
    int rc = out->ms && s ? HPO_OK : HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = hpo_study_set_sampler(s, "random");
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, 0);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, "throughput", HPO_OPEN_CREATE);
    double start = bench_now_s();
    for (int k = 0; k < n && rc == HPO_OK; k++) {
        double t0 = bench_now_s();
        hpo_trial *t;
        double x;
        rc = hpo_study_ask(s, &t);
        if (rc != HPO_OK)
            break;
        rc = hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x);
        double v = x * x;
        if (rc == HPO_OK)
            rc = hpo_study_tell(s, t, HPO_COMPLETE, &v, 1);
        hpo_trial_free(t);
        out->ms[k] = 1e3 * (bench_now_s() - t0);
        out->n = k + 1;
    }
    out->total_s = bench_now_s() - start;
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench throughput: %s (%s)\n",
                s ? hpo_study_errmsg(s) : "out of memory", hpo_errname(rc));
    hpo_study_free(s);
    return rc == HPO_OK ? 0 : -1;
}

static int run_optuna(int n, series *out, char **version)
{
    char trials[32];
    snprintf(trials, sizeof trials, "%d", n);
    const char *args[] = {"throughput", "--trials", trials, NULL};
    cJSON *doc = bench_optuna_run(args);
    if (!doc)
        return -1;
    const cJSON *ms = cJSON_GetObjectItem(doc, "per_trial_ms");
    const cJSON *total = cJSON_GetObjectItem(doc, "total_s");
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "optuna_version"));
    int count = cJSON_GetArraySize(ms);
    out->ms = malloc(sizeof(double) * (size_t)(count > 0 ? count : 1));
    if (!out->ms || !cJSON_IsNumber(total) || count == 0) {
        cJSON_Delete(doc);
        return -1;
    }
    out->n = count;
    out->total_s = total->valuedouble;
    int k = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, ms) out->ms[k++] = item->valuedouble;
    *version = strdup(v ? v : "?");
    cJSON_Delete(doc);
    return 0;
}

/* Figures of one series, in the order the table prints them. */
typedef struct figures {
    int n;
    double trials_per_s, ms_mean, ms_window, ms_last100;
} figures;

static figures figures_of(const series *s, int n)
{
    figures f;
    f.n = n < s->n ? n : s->n;
    f.ms_mean = window_ms(s, 0, f.n);
    f.trials_per_s = 1e3 / f.ms_mean;
    f.ms_window = window_ms(s, WINDOW_FROM, WINDOW_TO);
    f.ms_last100 = window_ms(s, f.n - 100, f.n);
    return f;
}

static void print_figures(const char *label, const figures *f)
{
    printf("%-22s %7d %12.0f %12.5f %12.5f %12.5f\n", label, f->n,
           f->trials_per_s, f->ms_mean, f->ms_window, f->ms_last100);
}

static cJSON *figures_json(const figures *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n_trials", f->n);
    cJSON_AddNumberToObject(o, "trials_per_s", f->trials_per_s);
    cJSON_AddNumberToObject(o, "ms_per_trial", f->ms_mean);
    cJSON_AddNumberToObject(o, "ms_per_trial_1900_2000", f->ms_window);
    cJSON_AddNumberToObject(o, "ms_per_trial_last100", f->ms_last100);
    return o;
}

static int write_json(const char *path, const figures *h, const figures *h_eq,
                      const figures *o, const char *version)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "command", "throughput");
    cJSON_AddStringToObject(doc, "hpo_version", hpo_version());
    cJSON_AddItemToObject(doc, "hpo", figures_json(h));
    if (o) {
        cJSON_AddStringToObject(doc, "optuna_version", version);
        cJSON_AddItemToObject(doc, "hpo_same_trials", figures_json(h_eq));
        cJSON_AddItemToObject(doc, "optuna", figures_json(o));
        cJSON_AddNumberToObject(doc, "speedup", o->ms_mean / h_eq->ms_mean);
        cJSON_AddNumberToObject(doc, "speedup_1900_2000", o->ms_window / h->ms_window);
    }
    int rc = bench_write_json(path, doc);
    cJSON_Delete(doc);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: hpo-bench throughput [--trials 20000] "
               "[--optuna-trials 5000] [--vs-optuna] [--json FILE]\n");
}

int bench_throughput(int argc, char **argv)
{
    const char *trials_text = "20000", *optuna_text = "5000", *json = NULL;
    int vs_optuna = 0;
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = bench_option(argc, argv, &i, "--trials", &trials_text)) ||
            (r = bench_option(argc, argv, &i, "--optuna-trials", &optuna_text)) ||
            (r = bench_option(argc, argv, &i, "--json", &json))) {
            if (r < 0)
                return 2;
        } else if (strcmp(argv[i], "--vs-optuna") == 0) {
            vs_optuna = 1;
        } else {
            fprintf(stderr, "hpo-bench throughput: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    int n, n_optuna;
    if (bench_parse_ints(trials_text, &n, 1) != 1 ||
        bench_parse_ints(optuna_text, &n_optuna, 1) != 1) {
        usage(stderr);
        return 2;
    }

    series hpo = {0}, ref = {0};
    char *version = NULL;
    int failed = run_hpo(n, &hpo) != 0;
    if (vs_optuna && run_optuna(n_optuna, &ref, &version) != 0) {
        fprintf(stderr, "hpo-bench throughput: the Optuna run failed\n");
        failed = 1;
        vs_optuna = 0;
    }

    figures h = figures_of(&hpo, hpo.n), h_eq = h, o = {0};
    printf("hpo-bench throughput: random sampler, in-memory storage, one float "
           "parameter, objective x^2; ask + suggest + tell per trial\n");
    printf("%-22s %7s %12s %12s %12s %12s\n", "", "trials", "trials/s",
           "ms/trial", "ms 1900-2000", "ms last 100");
    print_figures("hpo", &h);
    if (vs_optuna) {
        char label[64];
        o = figures_of(&ref, ref.n);
        h_eq = figures_of(&hpo, o.n);
        snprintf(label, sizeof label, "hpo (first %d)", h_eq.n);
        print_figures(label, &h_eq);
        snprintf(label, sizeof label, "optuna %s", version);
        print_figures(label, &o);
        double speedup = o.ms_mean / h_eq.ms_mean;
        double at_2000 = o.ms_window / h.ms_window;
        printf("speed-up hpo vs optuna: %.0fx over the first %d trials, "
               "%.0fx at trials 1900-2000\n", speedup, o.n, at_2000);
        printf("goal (>= %.0fx Optuna's in-memory ask+tell): %s\n", GOAL_SPEEDUP,
               speedup >= GOAL_SPEEDUP && !(at_2000 < GOAL_SPEEDUP) ? "met" : "NOT met");
    }
    if (json && write_json(json, &h, &h_eq, vs_optuna ? &o : NULL, version) != 0)
        failed = 1;
    free(hpo.ms);
    free(ref.ms);
    free(version);
    return failed ? 1 : 0;
}
