/* data_load_time.c — how long hpo takes to load a data file: the median
 * and the least CPU time over N loads (CPU time, since this machine is
 * shared), for docs/ml.md's table.  Not a test: ctest only smoke-runs it.
 *
 *   build/tests/data_load_time FILE [LOADS [general]]
 *
 * "general" sends a CSV file through libcsv even when it has no quotes
 * (src/ml/csv.c's fast path skipped). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ml/ml.h"

#define LOADS_MAX 1001

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: data_load_time FILE [LOADS [general]]\n");
        return 2;
    }
    int loads = argc > 2 ? atoi(argv[2]) : 21;
    if (loads < 1 || loads > LOADS_MAX)
        loads = 21;
    hpo__data_opts o = {.general_reader = argc > 3 && strcmp(argv[3], "general") == 0};
    static double took[LOADS_MAX];
    for (int i = 0; i < loads; i++) {
        hpo__dataset d;
        hpo__msg m = {0};
        double t0 = cpu_s();
        if (hpo__data_load_with(&d, argv[1], &o, &m) != HPO_OK) {
            fprintf(stderr, "%s\n", hpo__msg_get(&m));
            hpo__msg_free(&m);
            return 1;
        }
        took[i] = cpu_s() - t0;
        if (i == 0)
            printf("%s: %d rows x %d features\n", argv[1], d.n_rows, d.n_features);
        hpo__data_free(&d);
    }
    qsort(took, (size_t)loads, sizeof *took, compare_doubles);
    printf("%s reader: median %.1f ms, least %.1f ms CPU over %d loads\n",
           o.general_reader ? "libcsv" : "default", took[loads / 2] * 1e3,
           took[0] * 1e3, loads);
    return 0;
}
