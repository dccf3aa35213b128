/*
 * reference_data.c — what hpo-bench shares with its Python references
 * about a data set: where the file is, and hpo's splits of it, written
 * out so that both sides train and score on the very same rows
 * (reproducing hpo's shuffle in Python would tie the benchmarks to the
 * RNG's internals).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#include "../src/ml/ml.h"

const char *bench_data_path(const char *file)
{
    const char *dir = getenv("HPO_DATA_DIR");
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s",
             dir && *dir ? dir : HPO_BENCH_SOURCE_DIR "/../../shared/data",
             file);
    return path;
}

static void write_rows(FILE *f, const int *rows, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%d", i ? "," : "", rows[i]);
}

int bench_write_folds(const char *path, const hpo__folds *folds)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"folds\": [");
    for (int k = 0; k < folds->n; k++) {
        const hpo__split *s = &folds->v[k];
        fprintf(f, "%s{\"train\": [", k ? ", " : "");
        write_rows(f, s->train, s->n_train);
        fprintf(f, "], \"test\": [");
        write_rows(f, s->test, s->n_test);
        fprintf(f, "]}");
    }
    fprintf(f, "]}\n");
    return fclose(f) == 0 ? 0 : -1;
}
