/*
 * hypergrad_sgd.c — `hpo-bench hypergrad-sgd`: issue 14's goal "through
 * SGD on mlp_digits".  A per-epoch learning-rate schedule (one rate per
 * epoch, 20 epochs = 20 hyperparameters, log [1e-4, 1]; momentum 0.9 and
 * weight decay 1e-4 fixed; hidden 64, batch 32) of hpo's MLP on digits'
 * fixed stratified 80/20 split (seed 0, as bench/mlp_digits.c), tuned
 *
 *   hypergrad     by hypergradients of the validation cross-entropy,
 *                 accumulated forward through training
 *                 (src/hypergrad/sgd_*.c), descended by the outer loop
 *                 (hpo__hg_descend: Adam or L-BFGS) from lr = 0.01
 *   random, tpe   by hpo's samplers through the library
 *                 (hpo__hg_blackbox), minimizing the same validation
 *                 cross-entropy
 *
 * at EQUAL TRAINING EPOCHS: every method trains `fits` networks of
 * `epochs` epochs.  The hypergradient's extra cost is its tangents: one
 * Hessian-vector product per active hyperparameter per SGD step (a
 * per-epoch rate is active from its epoch on, so ~E/2 per step); the
 * table reports them and the CPU time of each method (one thread each), and the row
 * "random (=time)" gives random search as many fits as fit in the
 * hypergradient's CPU time.  The score is the validation error of the
 * configuration with the lowest validation cross-entropy; medians over
 * seeds (each seed: the network's initialisation and batch order, and the
 * sampler's seed).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#include "../src/hypergrad/sgd.h"

typedef struct hg_bench {
    int n_seeds, seeds[BENCH_MAX_SEEDS];
    int epochs, fits, hidden, batch;
    hpo__hg_method method;
    double step_size;
    const char *csv_path;
    hpo__dataset d;
    hpo__folds folds;
} hg_bench;

enum { M_HG, M_RANDOM, M_TPE, M_RANDOM_TIME, N_METHODS };
static const char *const method_name[N_METHODS] = {
    "hypergrad", "random", "tpe", "random (=time)"};

typedef struct run_result {
    double val_error, val_loss, cpu_s;
    long epochs, hvps, fits;
} run_result;

/* This process's CPU seconds: every method runs on one thread, and the
 * machine is shared, so CPU time is the fair clock (wall time would count
 * other processes' load). */
static double cpu_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int usage(void)
{
    fprintf(stderr,
"usage: hpo-bench hypergrad-sgd [--seeds 1-5] [--epochs 20] [--fits 30]\n"
"                               [--hidden 64] [--batch 32]\n"
"                               [--method adam|lbfgs] [--step-size 0.3]\n"
"                               [--csv FILE]\n"
"mlp_digits: a per-epoch learning-rate schedule (one hyperparameter per\n"
"epoch) tuned by hypergradients through SGD vs random search and TPE at\n"
"equal training epochs (fits x epochs each); data from $HPO_DATA_DIR.\n");
    return 2;
}

static int number(const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    return *end || end == v ? -1 : 0;
}

static int parse(hg_bench *b, int argc, char **argv)
{
    const char *v, *seeds = "1-5";
    double epochs = 20, fits = 30, hidden = 64, batch = 32;
    b->method = HPO__HG_ADAM;
    b->step_size = 0.3;
    for (int i = 0; i < argc; i++) {
        int r, bad = 0;
        if ((r = bench_option(argc, argv, &i, "--seeds", &v)))
            seeds = v;
        else if ((r = bench_option(argc, argv, &i, "--epochs", &v)))
            bad = number(v, &epochs);
        else if ((r = bench_option(argc, argv, &i, "--fits", &v)))
            bad = number(v, &fits);
        else if ((r = bench_option(argc, argv, &i, "--hidden", &v)))
            bad = number(v, &hidden);
        else if ((r = bench_option(argc, argv, &i, "--batch", &v)))
            bad = number(v, &batch);
        else if ((r = bench_option(argc, argv, &i, "--step-size", &v)))
            bad = number(v, &b->step_size);
        else if ((r = bench_option(argc, argv, &i, "--csv", &v)))
            b->csv_path = v;
        else if ((r = bench_option(argc, argv, &i, "--method", &v))) {
            bad = strcmp(v, "adam") && strcmp(v, "lbfgs");
            b->method = strcmp(v, "lbfgs") == 0 ? HPO__HG_LBFGS : HPO__HG_ADAM;
        }
        if (r <= 0 || bad)
            return -1;
    }
    b->epochs = (int)epochs, b->fits = (int)fits;
    b->hidden = (int)hidden, b->batch = (int)batch;
    b->n_seeds = bench_parse_seeds(seeds, b->seeds, BENCH_MAX_SEEDS);
    return b->n_seeds < 1 || b->epochs < 1 || b->fits < 1 || b->hidden < 1 ||
                   b->batch < 1 || !(b->step_size > 0) ? -1 : 0;
}

static int setup(hg_bench *b)
{
    hpo__msg m = {0};
    hpo__cv_spec spec = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.2,
                         .seed = 0};
    int rc = hpo__data_load(&b->d, bench_data_path("digits.csv"), NULL, &m);
    if (rc == HPO_OK)
        rc = hpo__cv_split(&b->d, NULL, 0, &spec, &b->folds, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench hypergrad-sgd: %s (set HPO_DATA_DIR to "
                "the folder of digits.csv)\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc == HPO_OK ? 0 : -1;
}

static int new_problem(const hg_bench *b, int seed, hpo__hg_problem **p)
{
    hpo__sgd_config c;
    hpo__sgd_config_default(&c);
    c.epochs = b->epochs, c.hidden = b->hidden, c.batch = b->batch;
    c.seed = (uint64_t)seed;
    hpo__msg m = {0};
    int rc = hpo__hg_sgd_new(p, &b->d, &b->folds.v[0], NULL, 0, &c, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench hypergrad-sgd: %s\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc;
}

/* One method on one seed; fits: the black-box budget. */
static int run_method(const hg_bench *b, int method, int seed, int fits,
                      run_result *out)
{
    hpo__hg_problem *p = NULL;
    int rc = new_problem(b, seed, &p);
    if (rc != HPO_OK)
        return rc;
    hpo__msg m = {0};
    hpo__hg_result r;
    double t0 = cpu_now_s();
    if (method == M_HG) {
        double *h = malloc((size_t)p->n_hyper * sizeof *h);
        hpo__hg_outer_opts o;
        hpo__hg_outer_defaults(&o, b->fits);
        o.method = b->method;
        o.step_size = b->step_size;
        for (int i = 0; h && i < p->n_hyper; i++)
            h[i] = log(0.01);
        rc = h ? hpo__hg_descend(p, h, &o, NULL, &r, &m) : HPO_ENOMEM;
        free(h);
    } else {
        rc = hpo__hg_blackbox(p, method == M_TPE ? "tpe" : "random", fits,
                              (uint64_t)seed, NULL, NULL, &r, &m);
    }
    out->cpu_s = cpu_now_s() - t0;
    if (rc == HPO_OK) {
        out->val_error = r.best_val_metric;
        out->val_loss = r.best_val_loss;
        out->fits = p->fits;
        hpo__hg_sgd_cost(p, &out->epochs, &out->hvps);
    } else {
        fprintf(stderr, "hpo-bench hypergrad-sgd: %s, seed %d: %s\n",
                method_name[method], seed, hpo__msg_get(&m));
    }
    hpo__msg_free(&m);
    p->destroy(p);
    return rc;
}

static void print_row(const hg_bench *b, int method,
                      run_result res[][BENCH_MAX_SEEDS])
{
    int n = b->n_seeds;
    double err[BENCH_MAX_SEEDS], loss[BENCH_MAX_SEEDS], cpu[BENCH_MAX_SEEDS];
    double ep[BENCH_MAX_SEEDS], hv[BENCH_MAX_SEEDS];
    for (int s = 0; s < n; s++) {
        err[s] = res[method][s].val_error;
        loss[s] = res[method][s].val_loss;
        cpu[s] = res[method][s].cpu_s;
        ep[s] = (double)res[method][s].epochs;
        hv[s] = (double)res[method][s].hvps;
    }
    long steps_per_fit = (long)b->epochs *
        ((b->folds.v[0].n_train + b->batch - 1) / b->batch);
    double e_med = bench_quantile(ep, n, 0.5);
    double per_step = bench_quantile(hv, n, 0.5) /
                      (e_med / b->epochs * steps_per_fit);
    printf("%-15s %7.0f %9.1f %8.1f   %.4f [%.4f, %.4f]   %.4f\n",
           method_name[method], e_med, per_step,
           bench_quantile(cpu, n, 0.5), bench_quantile(err, n, 0.5),
           bench_quantile(err, n, 0.25), bench_quantile(err, n, 0.75),
           bench_quantile(loss, n, 0.5));
}

static void write_csv(const hg_bench *b, run_result res[][BENCH_MAX_SEEDS])
{
    FILE *f = fopen(b->csv_path, "w");
    if (!f) {
        perror(b->csv_path);
        return;
    }
    fprintf(f, "method,seed,fits,epochs,hvps,cpu_s,val_error,val_loss\n");
    for (int k = 0; k < N_METHODS; k++)
        for (int s = 0; s < b->n_seeds; s++) {
            const run_result *r = &res[k][s];
            fprintf(f, "%s,%d,%ld,%ld,%ld,%.3f,%.6f,%.6f\n", method_name[k],
                    b->seeds[s], r->fits, r->epochs, r->hvps, r->cpu_s,
                    r->val_error, r->val_loss);
        }
    fclose(f);
}

int bench_hypergrad_sgd(int argc, char **argv)
{
    static run_result res[N_METHODS][BENCH_MAX_SEEDS];
    hg_bench b;
    memset(&b, 0, sizeof b);
    if (parse(&b, argc, argv))
        return usage();
    if (setup(&b))
        return 1;
    int rc = HPO_OK;
    for (int s = 0; rc == HPO_OK && s < b.n_seeds; s++) {
        int seed = b.seeds[s];
        for (int k = 0; rc == HPO_OK && k < M_RANDOM_TIME; k++)
            rc = run_method(&b, k, seed, b.fits, &res[k][s]);
        /* Random search given the hypergradient's CPU time. */
        double per_fit = res[M_RANDOM][s].cpu_s / b.fits;
        int fits = (int)(res[M_HG][s].cpu_s / per_fit);
        if (rc == HPO_OK)
            rc = run_method(&b, M_RANDOM_TIME, seed, fits > b.fits ? fits
                                                                  : b.fits,
                            &res[M_RANDOM_TIME][s]);
        fflush(stdout);
        fprintf(stderr, "seed %d: hypergrad %.4f, random %.4f, tpe %.4f, "
                "random (=time, %d fits) %.4f\n", seed,
                res[M_HG][s].val_error, res[M_RANDOM][s].val_error,
                res[M_TPE][s].val_error, fits,
                res[M_RANDOM_TIME][s].val_error);
    }
    if (rc == HPO_OK) {
        printf("mlp_digits, per-epoch learning rate: %d hyperparameters, "
               "%d fits x %d epochs, hidden %d, batch %d, %d seeds "
               "(medians)\n\n", b.epochs, b.fits, b.epochs, b.hidden,
               b.batch, b.n_seeds);
        printf("%-15s %7s %9s %8s   %-26s %s\n", "method", "epochs",
               "HVP/step", "CPU s", "val error [25%, 75%]", "val CE");
        for (int k = 0; k < N_METHODS; k++)
            print_row(&b, k, res);
        if (b.csv_path)
            write_csv(&b, res);
    }
    hpo__folds_free(&b.folds);
    hpo__data_free(&b.d);
    return rc == HPO_OK ? 0 : 1;
}
