/*
 * hypergrad_ridge.c — one regularization strength per feature, tuned by
 * hypergradients (hpo_study_hypergrad; docs/hypergrad.md).
 *
 * The program writes a small regression data set to a temporary CSV file:
 * 12 features, of which only the first three carry the target
 * (y = 3 x0 - 2 x1 + x2 + noise).  Per-feature ridge regression then gets
 * 12 lambdas, descended by their exact gradient of the validation loss.
 * Every step is a trial of the study, as any sampler's: the study's best
 * trial holds the lambdas the result names.
 *
 *     ./hypergrad_ridge
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, unlink */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hpo.h"

#define ROWS 300
#define FEATURES 12

/* A seeded standard normal (xorshift64* and Box-Muller), the same on every
 * platform. */
static double normal(uint64_t *state)
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        u[i] = ((*state * 2685821657736338717ull) >> 11) * 0x1.0p-53;
    }
    return sqrt(-2 * log(u[0] + 1e-300)) * cos(6.283185307179586 * u[1]);
}

/* The data set as CSV into a new temporary file; its path into path. */
static int write_data(char *path)
{
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return -1;
    uint64_t state = 42;
    for (int j = 0; j < FEATURES; j++)
        fprintf(f, "x%d,", j);
    fprintf(f, "y\n");
    for (int i = 0; i < ROWS; i++) {
        double x[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            x[j] = normal(&state);
            fprintf(f, "%.6f,", x[j]);
        }
        fprintf(f, "%.6f\n", 3 * x[0] - 2 * x[1] + x[2] + normal(&state));
    }
    return fclose(f);
}

/* The study's best trial is the descent's best step: same lambdas. */
static int best_trial_agrees(hpo_study *study, const hpo_hypergrad_result *r)
{
    hpo_trial *best = NULL;
    if (hpo_study_best_trial(study, &best) != HPO_OK)
        return 0;
    int same = hpo_trial_value(best, 0) == r->val_loss;
    for (int j = 0; j < r->n_hyper; j++) {
        double v;
        same = same && hpo_trial_param(best, r->names[j], &v) &&
               fabs(v - r->best[j]) <= 1e-12 * r->best[j];
    }
    printf("best trial #%d holds these lambdas: %s\n",
           hpo_trial_number(best), same ? "yes" : "no");
    hpo_trial_free(best);
    return same;
}

int main(void)
{
    char path[] = "/tmp/hpo-hypergrad-XXXXXX";
    if (write_data(path) != 0) {
        perror("hypergrad_ridge: the data file");
        return 1;
    }
    hpo_study *study = hpo_study_new(); /* in memory */
    int rc = hpo_study_open(study, "ridge-per-feature", HPO_OPEN_CREATE);

    hpo_hypergrad_options o;
    hpo_hypergrad_options_default(&o); /* 30 steps, L-BFGS, exact solves */
    o.model = "ridge";
    o.data_path = path;
    o.per_feature = 1;
    hpo_hypergrad_result r;
    if (rc == HPO_OK)
        rc = hpo_study_hypergrad(study, &o, &r);
    unlink(path);
    if (rc != HPO_OK) {
        fprintf(stderr, "hypergrad_ridge: %s\n", hpo_study_errmsg(study));
        hpo_hypergrad_result_free(&r);
        hpo_study_free(study);
        return 1;
    }

    hpo_trial *first = NULL;
    hpo_study_trial(study, 0, &first); /* the start: every lambda 1 */
    printf("%d lambdas, %d steps: validation loss %.4g -> %.4g (test %.4g)\n",
           r.n_hyper, r.n_steps, hpo_trial_value(first, 0), r.val_loss,
           r.test_loss);
    for (int j = 0; j < r.n_hyper; j++)
        printf("  %-10s %.4g\n", r.names[j], r.best[j]);
    rc = best_trial_agrees(study, &r) ? 0 : 1;
    hpo_trial_free(first);
    hpo_hypergrad_result_free(&r);
    hpo_study_free(study);
    return rc;
}
