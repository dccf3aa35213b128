/*
 * nd_sort.c — `hpo-bench nd-sort`: the cost of NSGA-II's non-dominated
 * sorting and crowding distance (src/samplers/nondominated.c) as the
 * number of points grows (issue 11: "non-dominated sorting that stays fast
 * with 10,000+ trials").
 *
 *   hpo-bench nd-sort [--points 1000,10000] [--objectives 2,3,5]
 *       [--repeat 7] [--front]
 *
 * Points are uniform in the unit cube (seed 1), or with --front all on one
 * front (the simplex: the worst case for the staircase of 3 objectives).
 * For each size and number of objectives: the best of --repeat wall times
 * of hpo__nd_rank over all points, and of hpo__nd_crowding over the first
 * front, in milliseconds.  hpo's side only: Optuna 3.1 sorts inside its
 * sampler, which the NSGA-II benchmark will time per trial.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "samplers/nondominated.h"

#define MAX_LIST 8

typedef struct nd_opts {
    int points[MAX_LIST], n_points;
    int objectives[MAX_LIST], n_objectives;
    int repeat, front;
} nd_opts;

/* n points of m objectives: uniform, or on the simplex (one front). */
static void make_points(double *y, int n, int m, int front, hpo__rng *rng)
{
    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < m; j++) {
            double u = hpo__rng_uniform(rng);
            y[i * m + j] = front ? -log(1 - u) : u; /* exponential: simplex */
            sum += y[i * m + j];
        }
        for (int j = 0; front && j < m; j++)
            y[i * m + j] /= sum;
    }
}

/* Best-of-repeat milliseconds of ranking and of crowding the first front;
 * -1 on error. */
static int time_one(const nd_opts *o, int n, int m, double *rank_ms,
                    double *crowd_ms, int *n_fronts)
{
    double *y = malloc(sizeof *y * (size_t)n * (size_t)m);
    double *dist = malloc(sizeof *dist * (size_t)n);
    int *rank = malloc(sizeof *rank * (size_t)n);
    int *idx = malloc(sizeof *idx * (size_t)n);
    hpo__msg msg = {0};
    hpo__rng rng;
    int rc = y && dist && rank && idx ? 0 : -1, k = 0;
    hpo__rng_seed(&rng, 1);
    if (!rc)
        make_points(y, n, m, o->front, &rng);
    *rank_ms = *crowd_ms = INFINITY;
    for (int r = 0; r < o->repeat && !rc; r++) {
        double t0 = bench_now_s();
        rc = hpo__nd_rank(&msg, y, n, m, NULL, rank, n_fronts) ? -1 : 0;
        double t1 = bench_now_s();
        k = 0;
        for (int i = 0; i < n && !rc; i++)
            if (rank[i] == 0)
                idx[k++] = i;
        double t2 = bench_now_s();
        if (!rc)
            rc = hpo__nd_crowding(&msg, y, m, idx, k, dist) ? -1 : 0;
        double t3 = bench_now_s();
        *rank_ms = fmin(*rank_ms, 1e3 * (t1 - t0));
        *crowd_ms = fmin(*crowd_ms, 1e3 * (t3 - t2));
    }
    if (rc)
        fprintf(stderr, "hpo-bench nd-sort: %s\n",
                msg.text ? hpo__msg_get(&msg) : "out of memory");
    hpo__msg_free(&msg);
    free(y), free(dist), free(rank), free(idx);
    return rc;
}

static int parse(nd_opts *o, int argc, char **argv)
{
    *o = (nd_opts){.points = {1000, 10000}, .n_points = 2,
                   .objectives = {2, 3, 5}, .n_objectives = 3, .repeat = 7};
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--front") == 0)
            o->front = 1;
        else if (bench_option(argc, argv, &i, "--points", &v) == 1)
            o->n_points = bench_parse_ints(v, o->points, MAX_LIST);
        else if (bench_option(argc, argv, &i, "--objectives", &v) == 1)
            o->n_objectives = bench_parse_ints(v, o->objectives, MAX_LIST);
        else if (bench_option(argc, argv, &i, "--repeat", &v) == 1)
            o->repeat = atoi(v);
        else {
            fprintf(stderr, "hpo-bench nd-sort: bad option '%s'\n", argv[i]);
            return -1;
        }
    }
    for (int i = 0; i < o->n_points; i++)
        if (o->points[i] < 1)
            return fprintf(stderr, "hpo-bench nd-sort: --points >= 1\n"), -1;
    for (int i = 0; i < o->n_objectives; i++)
        if (o->objectives[i] < 1)
            return fprintf(stderr, "hpo-bench nd-sort: --objectives >= 1\n"),
                   -1;
    if (o->n_points < 1 || o->n_objectives < 1 || o->repeat < 1)
        return fprintf(stderr, "hpo-bench nd-sort: bad --points, "
                               "--objectives or --repeat\n"), -1;
    return 0;
}

int bench_nd_sort(int argc, char **argv)
{
    nd_opts o;
    if (parse(&o, argc, argv) != 0) {
        fprintf(stderr, "usage: hpo-bench nd-sort [--points 1000,10000] "
                        "[--objectives 2,3,5] [--repeat 7] [--front]\n");
        return 2;
    }
    printf("non-dominated sorting, %s points, best of %d (ms)\n",
           o.front ? "one-front" : "uniform", o.repeat);
    printf("%8s  %10s  %8s  %10s  %12s\n", "points", "objectives", "fronts",
           "rank ms", "crowding ms");
    for (int a = 0; a < o.n_points; a++)
        for (int b = 0; b < o.n_objectives; b++) {
            double rank_ms, crowd_ms;
            int fronts = 0;
            if (time_one(&o, o.points[a], o.objectives[b], &rank_ms,
                         &crowd_ms, &fronts) != 0)
                return 1;
            printf("%8d  %10d  %8d  %10.2f  %12.2f\n", o.points[a],
                   o.objectives[b], fronts, rank_ms, crowd_ms);
        }
    return 0;
}
