/*
 * output.c — what `hpo-bench quality` reports: per problem × method ×
 * budget, the median and quartiles over seeds of regret (hypervolume for
 * several objectives), the overhead in ms per trial (mean and last 100),
 * and beside them the reference's numbers and the ratio hpo/reference.
 * The same rows go to JSON and CSV so runs can be compared across commits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"

/* ------------------------------------------------------------------------- */
/* Summaries                                                                  */
/* ------------------------------------------------------------------------- */

double bench_reported(const bench_problem *p, double metric)
{
    return p->n_objectives == 1 ? metric - p->f_star : metric;
}

void bench_summarize(const bench_problem *p, const bench_run *runs, int n,
                     int b, bench_summary *out)
{
    double v[BENCH_MAX_SEEDS];
    double mean = 0, last = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!runs[i].ok)
            continue;
        v[k++] = bench_reported(p, runs[i].metric[b]);
        mean += runs[i].overhead_mean_ms[b];
        last += runs[i].overhead_last100_ms[b];
    }
    out->n = k;
    out->median = bench_quantile(v, k, 0.5);
    out->q25 = bench_quantile(v, k, 0.25);
    out->q75 = bench_quantile(v, k, 0.75);
    out->overhead_mean_ms = k ? mean / k : NAN;
    out->overhead_last100_ms = k ? last / k : NAN;
}

static double ratio(double a, double b)
{
    return b != 0 && isfinite(a) && isfinite(b) ? a / b : NAN;
}

/* ------------------------------------------------------------------------- */
/* The table                                                                  */
/* ------------------------------------------------------------------------- */

static const char *metric_name(const bench_problem *p)
{
    return p->n_objectives == 1 ? "regret" : "hypervolume";
}

static void print_problem_header(FILE *f, const bench_problem *p, int ref)
{
    if (p->n_objectives == 1)
        fprintf(f, "\n%s: %d params, f* = %.15g; regret = best - f* (lower is better)\n",
                p->name, p->dim, p->f_star);
    else
    {
        fprintf(f, "\n%s: %d params, %d objectives; hypervolume with reference "
                   "(%g", p->name, p->dim, p->n_objectives, p->ref[0]);
        for (int i = 1; i < p->n_objectives; i++)
            fprintf(f, ", %g", p->ref[i]);
        fprintf(f, "), best %.10g (higher is better)\n", p->f_star);
    }
    fprintf(f, "%-8s %6s | %-30s %9s %9s", "method", "budget", "hpo: median [25%, 75%]",
            "ms mean", "ms last");
    if (ref)
        fprintf(f, " | %-30s %9s %9s | %8s %8s", "optuna: median [25%, 75%]",
                "ms mean", "ms last", "ratio", "ratio ms");
    fprintf(f, "\n");
}

static void format_summary(char *buf, size_t size, const bench_summary *s)
{
    if (s->n == 0)
        snprintf(buf, size, "(failed)");
    else
        snprintf(buf, size, "%.4g [%.4g, %.4g]", s->median, s->q25, s->q75);
}

static void print_cell(FILE *f, const bench_summary *s)
{
    char text[96];
    format_summary(text, sizeof text, s);
    fprintf(f, "%-30s %9.4f %9.4f", text, s->overhead_mean_ms, s->overhead_last100_ms);
}

/* A ratio, or "-" where it has no meaning (a zero or failed median). */
static void print_ratio(FILE *f, double r, const char *sep)
{
    if (isnan(r))
        fprintf(f, "%s%8s", sep, "-");
    else
        fprintf(f, "%s%8.3g", sep, r);
}

static void print_row(FILE *f, const bench_job *j, int b)
{
    bench_summary h, o;
    bench_summarize(j->problem, j->hpo, j->n_seeds, b, &h);
    fprintf(f, "%-8s %6d | ", j->method->label, j->budgets[b]);
    print_cell(f, &h);
    if (j->ref) {
        bench_summarize(j->problem, j->ref, j->n_seeds, b, &o);
        fprintf(f, " | ");
        print_cell(f, &o);
        print_ratio(f, ratio(h.median, o.median), " | ");
        print_ratio(f, ratio(h.overhead_mean_ms, o.overhead_mean_ms), " ");
    }
    /* A regret below zero would mean a wrong f* or a wrong evaluation. */
    if (h.n && j->problem->n_objectives == 1 && h.q25 < -1e-9)
        fprintf(f, "  !! negative regret");
    fprintf(f, "\n");
}

static void describe_seeds(char *buf, size_t size, const bench_job *j)
{
    int contiguous = 1;
    for (int i = 1; i < j->n_seeds; i++)
        contiguous &= j->seeds[i] == j->seeds[i - 1] + 1;
    if (contiguous)
        snprintf(buf, size, "%d seeds (%d-%d)", j->n_seeds, j->seeds[0],
                 j->seeds[j->n_seeds - 1]);
    else
        snprintf(buf, size, "%d seeds", j->n_seeds);
}

void bench_print_quality(FILE *f, const bench_job *jobs, int n,
                         const char *ref_version)
{
    if (n == 0) {
        fprintf(f, "hpo-bench quality: no method applies to these problems\n");
        return;
    }
    char seeds[64];
    describe_seeds(seeds, sizeof seeds, &jobs[0]);
    fprintf(f, "hpo-bench quality: hpo %s", hpo_version());
    if (ref_version)
        fprintf(f, " vs Optuna %s", ref_version);
    fprintf(f, "; %s; median [25%%, 75%%] over seeds; ms = overhead per trial "
               "inside the library, objective excluded (mean over the trials "
               "so far, and over the last 100); ratio = hpo / optuna\n",
            seeds);
    const bench_problem *current = NULL;
    for (int i = 0; i < n; i++) {
        if (jobs[i].problem != current) {
            current = jobs[i].problem;
            print_problem_header(f, current, ref_version != NULL);
        }
        for (int b = 0; b < jobs[i].n_budgets; b++)
            print_row(f, &jobs[i], b);
    }
    fflush(f);
}

/* ------------------------------------------------------------------------- */
/* JSON                                                                       */
/* ------------------------------------------------------------------------- */

static cJSON *side_json(const bench_job *j, const bench_run *runs, int b)
{
    bench_summary s;
    bench_summarize(j->problem, runs, j->n_seeds, b, &s);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", s.n);
    cJSON_AddNumberToObject(o, "median", s.median);
    cJSON_AddNumberToObject(o, "q25", s.q25);
    cJSON_AddNumberToObject(o, "q75", s.q75);
    cJSON_AddNumberToObject(o, "overhead_mean_ms", s.overhead_mean_ms);
    cJSON_AddNumberToObject(o, "overhead_last100_ms", s.overhead_last100_ms);
    cJSON *per_seed = cJSON_AddArrayToObject(o, "per_seed");
    cJSON *trials = cJSON_AddArrayToObject(o, "n_trials");
    for (int i = 0; i < j->n_seeds; i++) {
        double v = runs[i].ok ? bench_reported(j->problem, runs[i].metric[b]) : NAN;
        cJSON_AddItemToArray(per_seed, cJSON_CreateNumber(v));
        cJSON_AddItemToArray(trials, cJSON_CreateNumber(runs[i].n_trials));
    }
    return o;
}

static cJSON *row_json(const bench_job *j, int b)
{
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "problem", j->problem->name);
    cJSON_AddStringToObject(row, "method", j->method->label);
    cJSON_AddNumberToObject(row, "budget", j->budgets[b]);
    cJSON_AddStringToObject(row, "metric", metric_name(j->problem));
    cJSON_AddNumberToObject(row, "f_star", j->problem->f_star);
    cJSON_AddStringToObject(row, "hpo_sampler", j->spec);
    cJSON_AddItemToObject(row, "hpo", side_json(j, j->hpo, b));
    if (j->ref) {
        bench_summary h, o;
        bench_summarize(j->problem, j->hpo, j->n_seeds, b, &h);
        bench_summarize(j->problem, j->ref, j->n_seeds, b, &o);
        cJSON_AddStringToObject(row, "optuna_sampler", j->optuna);
        cJSON_AddItemToObject(row, "optuna", side_json(j, j->ref, b));
        cJSON_AddNumberToObject(row, "ratio_metric", ratio(h.median, o.median));
        cJSON_AddNumberToObject(row, "ratio_overhead_mean",
                                ratio(h.overhead_mean_ms, o.overhead_mean_ms));
        cJSON_AddNumberToObject(row, "ratio_overhead_last100",
                                ratio(h.overhead_last100_ms, o.overhead_last100_ms));
    }
    return row;
}

int bench_write_quality_json(const char *path, const bench_job *jobs, int n,
                             const char *ref_version)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "command", "quality");
    cJSON_AddStringToObject(doc, "hpo_version", hpo_version());
    if (ref_version)
        cJSON_AddStringToObject(doc, "optuna_version", ref_version);
    if (n > 0)
        cJSON_AddItemToObject(doc, "seeds",
                              cJSON_CreateIntArray(jobs[0].seeds, jobs[0].n_seeds));
    cJSON *rows = cJSON_AddArrayToObject(doc, "rows");
    for (int i = 0; i < n; i++)
        for (int b = 0; b < jobs[i].n_budgets; b++)
            cJSON_AddItemToArray(rows, row_json(&jobs[i], b));
    int rc = bench_write_json(path, doc);
    cJSON_Delete(doc);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* CSV                                                                        */
/* ------------------------------------------------------------------------- */

static void csv_side(FILE *f, const bench_summary *s)
{
    fprintf(f, ",%d,%.9g,%.9g,%.9g,%.6g,%.6g", s->n, s->median, s->q25, s->q75,
            s->overhead_mean_ms, s->overhead_last100_ms);
}

int bench_write_quality_csv(const char *path, const bench_job *jobs, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "hpo-bench: cannot write %s\n", path);
        return -1;
    }
    fprintf(f, "problem,method,budget,metric,hpo_n,hpo_median,hpo_q25,hpo_q75,"
               "hpo_overhead_mean_ms,hpo_overhead_last100_ms,optuna_n,"
               "optuna_median,optuna_q25,optuna_q75,optuna_overhead_mean_ms,"
               "optuna_overhead_last100_ms,ratio_metric,ratio_overhead_mean\n");
    for (int i = 0; i < n; i++) {
        const bench_job *j = &jobs[i];
        for (int b = 0; b < j->n_budgets; b++) {
            bench_summary h, o = {0, NAN, NAN, NAN, NAN, NAN};
            bench_summarize(j->problem, j->hpo, j->n_seeds, b, &h);
            if (j->ref)
                bench_summarize(j->problem, j->ref, j->n_seeds, b, &o);
            fprintf(f, "%s,%s,%d,%s", j->problem->name, j->method->label,
                    j->budgets[b], metric_name(j->problem));
            csv_side(f, &h);
            csv_side(f, &o);
            fprintf(f, ",%.6g,%.6g\n", ratio(h.median, o.median),
                    ratio(h.overhead_mean_ms, o.overhead_mean_ms));
        }
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "hpo-bench: cannot write %s\n", path);
        return -1;
    }
    return 0;
}
