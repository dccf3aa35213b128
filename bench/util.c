/*
 * util.c — the small pieces hpo-bench's subcommands share: a clock,
 * quantiles, list parsing and thread pinning.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "bench.h"

double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

double bench_quantile(double *v, int n, double q)
{
    if (n <= 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, ascending);
    double pos = q * (n - 1);
    int i = (int)pos;
    if (i >= n - 1)
        return v[n - 1];
    return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

int bench_split(const char *text, char **storage, char **items, int max)
{
    *storage = strdup(text);
    if (!*storage)
        return -1;
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(*storage, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == max) {
            fprintf(stderr, "hpo-bench: more than %d items in '%s'\n", max,
                    text);
            return -1;
        }
        items[n++] = tok;
    }
    return n;
}

static int parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

int bench_parse_ints(const char *text, int *out, int max)
{
    char *copy, *items[BENCH_MAX_SEEDS];
    int n = bench_split(text, &copy, items, max < BENCH_MAX_SEEDS ? max : BENCH_MAX_SEEDS);
    for (int i = 0; i < n; i++) {
        if (parse_int(items[i], &out[i]) != 0 || out[i] < 1) {
            fprintf(stderr, "hpo-bench: '%s' is not a positive integer\n",
                    items[i]);
            n = -1;
            break;
        }
    }
    free(copy);
    return n;
}

int bench_parse_seeds(const char *text, int *out, int max)
{
    char *copy, *items[BENCH_MAX_SEEDS];
    int n_items = bench_split(text, &copy, items, BENCH_MAX_SEEDS);
    int n = 0;
    for (int i = 0; i < n_items && n >= 0; i++) {
        int lo, hi;
        char *dash = strchr(items[i], '-');
        if (dash)
            *dash = '\0';
        if (parse_int(items[i], &lo) != 0 ||
            (dash ? parse_int(dash + 1, &hi) : (hi = lo, 0)) != 0 || hi < lo) {
            fprintf(stderr, "hpo-bench: bad seed range in '%s'\n", text);
            n = -1;
            break;
        }
        for (int s = lo; s <= hi; s++) {
            if (n == max) {
                fprintf(stderr, "hpo-bench: more than %d seeds\n", max);
                free(copy);
                return -1;
            }
            out[n++] = s;
        }
    }
    free(copy);
    return n_items < 0 ? -1 : n;
}

void bench_pin_threads(void)
{
    /* OpenMP and OpenBLAS spin-wait across threads; on a shared machine
     * that turns any contention into huge slowdowns (BENCHMARKS.md). */
    setenv("OMP_NUM_THREADS", "1", 1);
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    setenv("MKL_NUM_THREADS", "1", 1);
}

int bench_option(int argc, char **argv, int *i, const char *name,
                 const char **value)
{
    const char *arg = argv[*i];
    size_t len = strlen(name);
    if (strncmp(arg, name, len) != 0)
        return 0;
    if (arg[len] == '=') {
        *value = arg + len + 1;
        return 1;
    }
    if (arg[len] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "hpo-bench: %s needs a value\n", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int bench_write_json(const char *path, const cJSON *doc)
{
    char *text = cJSON_Print(doc);
    FILE *f = text ? fopen(path, "w") : NULL;
    int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0)
        ok = 0;
    free(text);
    if (!ok)
        fprintf(stderr, "hpo-bench: cannot write %s\n", path);
    return ok ? 0 : -1;
}
