/*
 * trials_csv.c — the export columns of `hpo trials --format csv`
 * (trials_csv.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/internal.h" /* hpo__format_double */
#include "jsontext.h"
#include "trials_csv.h"

/* fail_reason is a column of its own already; the children's output
 * tails (many lines of anything) stay in the JSON export. */
static int skipped(const char *attr)
{
    return strcmp(attr, "fail_reason") == 0 ||
           strcmp(attr, "stdout_tail") == 0 ||
           strcmp(attr, "stderr_tail") == 0;
}

void trials_csv_number(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "%s", "");
    else if (isinf(v))
        snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
    else
        hpo__format_double(buf, size, v);
}

static int add_name(trials_csv *x, const char *name)
{
    for (int k = 0; k < x->n_attrs; k++)
        if (strcmp(x->attrs[k], name) == 0)
            return 0;
    const char **v = realloc(x->attrs, sizeof *v * (size_t)(x->n_attrs + 1));
    if (!v)
        return -1;
    x->attrs = v;
    x->attrs[x->n_attrs++] = name;
    return 0;
}

static int add_step(trials_csv *x, int64_t step)
{
    int lo = 0, hi = x->n_steps; /* the sorted position */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (x->steps[mid] < step)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < x->n_steps && x->steps[lo] == step)
        return 0;
    int64_t *v = realloc(x->steps, sizeof *v * (size_t)(x->n_steps + 1));
    if (!v)
        return -1;
    x->steps = v;
    memmove(v + lo + 1, v + lo, sizeof *v * (size_t)(x->n_steps - lo));
    v[lo] = step;
    x->n_steps++;
    return 0;
}

int trials_csv_init(trials_csv *x, hpo_trial **trials, int n,
                    int intermediate)
{
    memset(x, 0, sizeof *x);
    const char *key, *json;
    for (int i = 0; i < n; i++) {
        for (int k = 0; (key = hpo_trial_user_attr_at(trials[i], k, &json)); k++)
            if (!skipped(key) && add_name(x, key) != 0)
                return -1;
        for (int k = 0; intermediate && k < hpo_trial_n_intermediate(trials[i]); k++) {
            int64_t step;
            double v;
            hpo_trial_intermediate(trials[i], k, &step, &v);
            if (add_step(x, step) != 0)
                return -1;
        }
    }
    return 0;
}

void trials_csv_free(trials_csv *x)
{
    free(x->attrs);
    free(x->steps);
    memset(x, 0, sizeof *x);
}

int trials_csv_cols(const trials_csv *x)
{
    return 2 + x->n_attrs + x->n_steps;
}

void trials_csv_header(table *tb, int col, const trials_csv *x)
{
    char name[64];
    table_set(tb, 0, col++, "datetime_start");
    table_set(tb, 0, col++, "datetime_complete");
    for (int k = 0; k < x->n_attrs; k++) {
        char *h = malloc(strlen(x->attrs[k]) + 12);
        if (h)
            sprintf(h, "user_attrs_%s", x->attrs[k]);
        table_take(tb, 0, col++, h);
    }
    for (int k = 0; k < x->n_steps; k++) {
        snprintf(name, sizeof name, "intermediate_%lld", (long long)x->steps[k]);
        table_set(tb, 0, col++, name);
    }
}

/* "2026-12-07T12:50:59.123456Z", or "" for NaN (not started, not
 * finished). */
static void set_time(table *tb, int row, int col, double t)
{
    char buf[40] = "";
    if (isfinite(t)) {
        time_t s = (time_t)floor(t);
        long us = lround((t - floor(t)) * 1e6);
        if (us == 1000000) {
            s++;
            us = 0;
        }
        struct tm tm;
        gmtime_r(&s, &tm);
        size_t len = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + len, sizeof buf - len, ".%06ldZ", us);
    }
    table_set(tb, row, col, buf);
}

/* Are the trial's steps ascending?  hpo_trial_report keeps them so;
 * another tool may not have. */
static int ascending(const hpo_trial *t, int n)
{
    int64_t prev = INT64_MIN, s;
    double v;
    for (int k = 0; k < n; k++) {
        hpo_trial_intermediate(t, k, &s, &v);
        if (s <= prev)
            return 0;
        prev = s;
    }
    return 1;
}

/* Is the trial's value at `step` among its reports k .. end-1?  Then
 * *v holds it. */
static int find_step(const hpo_trial *t, int k, int end, int64_t step,
                     double *v)
{
    int64_t s;
    for (; k < end; k++) {
        hpo_trial_intermediate(t, k, &s, v);
        if (s == step)
            return 1;
    }
    return 0;
}

/* The value at each step of x (ascending), "" where the trial reported
 * none: one walk over steps in order, else a search per step. */
static void set_steps(table *tb, int row, int col, const trials_csv *x,
                      const hpo_trial *t)
{
    int n = hpo_trial_n_intermediate(t), walk = ascending(t, n), k = 0;
    for (int j = 0; j < x->n_steps; j++) {
        char buf[40] = "";
        int64_t s;
        double v;
        while (walk && k < n &&
               (hpo_trial_intermediate(t, k, &s, &v), s < x->steps[j]))
            k++;
        /* walking: only the report it stopped at can be the step */
        if (find_step(t, walk ? k : 0, walk && k < n ? k + 1 : n, x->steps[j],
                      &v))
            trials_csv_number(buf, sizeof buf, v);
        table_set(tb, row, col + j, buf);
    }
}

void trials_csv_row(table *tb, int row, int col, const trials_csv *x,
                    const hpo_trial *t)
{
    set_time(tb, row, col++, hpo_trial_start_time(t));
    set_time(tb, row, col++, hpo_trial_end_time(t));
    for (int k = 0; k < x->n_attrs; k++) {
        const char *json = hpo_trial_user_attr(t, x->attrs[k]);
        table_take(tb, row, col++, json ? json_unquote(json) : strdup(""));
    }
    set_steps(tb, row, col, x, t);
}
