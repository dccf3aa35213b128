/*
 * check.c — `hpo-bench check`: do the problems of problems.c and those of
 * optuna_ref.py compute the same function?  A side-by-side comparison is
 * only worth something if both sides optimize the same thing, and the two
 * definitions live in two languages.
 *
 *   hpo-bench check [--points 20]
 *
 * Draws random points in each problem's domain, evaluates them here and in
 * optuna_ref.py (`eval`), and reports the largest relative difference.
 * Needs /usr/bin/python3 with Optuna.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define TOLERANCE 1e-12

/* A point of p's domain from a uniform number per parameter. */
static double draw(const bench_param *q, unsigned short state[3])
{
    double u = erand48(state);
    if (q->kind == BENCH_CATEGORICAL)
        return floor(u * q->n_choices);
    if (q->kind == BENCH_INT)
        return floor(q->low + u * (q->high - q->low + 1));
    if (q->log)
        return exp(log(q->low) + u * (log(q->high) - log(q->low)));
    return q->low + u * (q->high - q->low);
}

static cJSON *make_points(int n_points, double *x_all)
{
    unsigned short state[3] = {0x1234, 0x5678, 0x9abc};
    cJSON *doc = cJSON_CreateObject();
    int at = 0;
    for (const bench_problem *p = bench_problems; p->name; p++) {
        cJSON *list = cJSON_AddArrayToObject(doc, p->name);
        for (int k = 0; k < n_points; k++) {
            for (int i = 0; i < p->dim; i++) {
                bench_param q;
                char name[64];
                bench_problem_param(p, i, &q, name, sizeof name);
                x_all[at + i] = draw(&q, state);
            }
            cJSON_AddItemToArray(list, cJSON_CreateDoubleArray(&x_all[at], p->dim));
            at += p->dim;
        }
    }
    return doc;
}

int bench_check(int argc, char **argv)
{
    const char *points_text = "20";
    for (int i = 0; i < argc; i++) {
        int r = bench_option(argc, argv, &i, "--points", &points_text);
        if (r <= 0) {
            fprintf(stderr, "usage: hpo-bench check [--points 20]\n");
            return 2;
        }
    }
    int n_points;
    if (bench_parse_ints(points_text, &n_points, 1) != 1)
        return 2;
    int total_dim = 0;
    for (const bench_problem *p = bench_problems; p->name; p++)
        total_dim += p->dim;
    double *x_all = malloc(sizeof(double) * (size_t)(total_dim * n_points));
    if (!x_all)
        return 1;
    cJSON *points = make_points(n_points, x_all);
    char path[] = "/tmp/hpo-bench-points-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    int rc = fd >= 0 ? bench_write_json(path, points) : -1;
    if (fd < 0)
        fprintf(stderr, "hpo-bench check: cannot create %s\n", path);
    cJSON_Delete(points);
    if (rc != 0) {
        free(x_all);
        return 1;
    }
    const char *args[] = {"eval", "--points", path, NULL};
    cJSON *ref = bench_optuna_run(args);
    unlink(path);
    if (!ref) {
        free(x_all);
        return 1;
    }

    int bad = 0, base = 0;
    for (const bench_problem *p = bench_problems; p->name; p++) {
        const cJSON *list = cJSON_GetObjectItem(ref, p->name);
        double worst = cJSON_GetArraySize(list) == n_points ? 0 : INFINITY;
        for (int k = 0; k < n_points && isfinite(worst); k++) {
            double v[BENCH_MAX_OBJECTIVES];
            p->f(&x_all[base + k * p->dim], v);
            const cJSON *row = cJSON_GetArrayItem(list, k);
            for (int o = 0; o < p->n_objectives; o++) {
                const cJSON *r = cJSON_GetArrayItem(row, o);
                double d = cJSON_IsNumber(r)
                               ? fabs(v[o] - r->valuedouble) / fmax(1, fabs(v[o]))
                               : INFINITY;
                worst = fmax(worst, d);
            }
        }
        base += p->dim * n_points;
        int ok = worst <= TOLERANCE;
        bad += !ok;
        printf("%-18s %d points, largest relative difference %.3g  %s\n", p->name,
               n_points, worst, ok ? "ok" : "DIFFERENT");
    }
    cJSON_Delete(ref);
    free(x_all);
    return bad ? 1 : 0;
}
