/*
 * pbt.c — `hpo-bench pbt`: population-based training against random
 * search with the same members and the same total intervals, PB2 beside,
 * on a toy problem where the best learning rate changes during training.
 *
 *   hpo-bench pbt [--population 8] [--intervals 20] [--seeds 1-5]
 *
 * The toy is pbt_toy.h's; lr = float 1e-4..1, log.  Each method's result is the
 * best final loss of its members; medians over seeds.  Random search is
 * hpo's random sampler, one trial per member trained all its intervals.
 * Python Optuna has no population-based training, so there is no Optuna
 * column; the mlp_digits version comes with the MLP learner.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "pbt_toy.h"

#define MAX_SEEDS 64

typedef struct pbt_plan {
    int population, intervals;
    int n_seeds, seeds[MAX_SEEDS];
} pbt_plan;

typedef struct toy_full {
    int intervals;
} toy_full;

/* Random search's trial: one member trained all its intervals. */
static int toy_objective(hpo_trial *t, void *data, double *value)
{
    const toy_full *c = data;
    double lr, w = 1;
    int rc = hpo_trial_suggest_float(t, "lr", 1e-4, 1, 0, HPO_LOG, &lr);
    for (int k = 0; rc == HPO_OK && k < c->intervals; k++)
        value[0] = pbt_toy_interval(&w, lr);
    return rc;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static hpo_study *new_study(int seed, const char *sampler)
{
    hpo_space *sp = hpo_space_new();
    hpo_space_parse_param(sp, "lr=float:1e-4:1:log");
    hpo_study *s = hpo_study_new();
    hpo_study_set_sampler(s, sampler);
    hpo_study_set_seed(s, (uint64_t)seed);
    hpo_study_set_space(s, sp);
    hpo_space_free(sp);
    if (hpo_study_open(s, "bench", HPO_OPEN_CREATE) != HPO_OK) {
        fprintf(stderr, "hpo-bench pbt: %s\n", hpo_study_errmsg(s));
        hpo_study_free(s);
        return NULL;
    }
    return s;
}

static double random_search(const pbt_plan *p, int seed)
{
    hpo_study *s = new_study(seed, "random");
    toy_full c = {p->intervals};
    hpo_optimize_options o = {.n_trials = p->population};
    hpo_trial *best = NULL;
    double v = NAN;
    if (s && hpo_study_optimize(s, toy_objective, &c, &o) == HPO_OK &&
        hpo_study_best_trial(s, &best) == HPO_OK)
        v = hpo_trial_value(best, 0);
    hpo_trial_free(best);
    hpo_study_free(s);
    return v;
}

/* PBT or PB2: the best survivor's loss; *per_interval_ms gets hpo's
 * wall time per member-interval (the toy trains in microseconds). */
static double population(const pbt_plan *p, int seed, const char *explore,
                         const char *dir, double *per_interval_ms)
{
    char spec[256];
    snprintf(spec, sizeof spec, "pbt:population=%d,intervals=%d,explore=%s",
             p->population, p->intervals, explore);
    hpo_study *s = new_study(seed, "random");
    hpo_pbt *pbt = NULL;
    double v = INFINITY, t0 = wall_s();
    int rc = s ? hpo_pbt_new(&pbt, s, spec, dir) : HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = hpo_pbt_run(pbt, pbt_toy_train, NULL, 1);
    *per_interval_ms = 1e3 * (wall_s() - t0) / (p->population * p->intervals);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench pbt: %s\n",
                pbt ? hpo_pbt_errmsg(pbt) : "out of memory");
    hpo_trial **sv = NULL;
    int n = 0;
    if (rc == HPO_OK && hpo_pbt_survivors(s, &sv, &n) == HPO_OK)
        for (int i = 0; i < n; i++)
            v = fmin(v, hpo_trial_value(sv[i], 0));
    hpo_trials_free(sv, n);
    hpo_pbt_free(pbt);
    hpo_study_free(s);
    return rc == HPO_OK ? v : NAN;
}

static int parse(pbt_plan *p, int argc, char **argv)
{
    *p = (pbt_plan){.population = 8, .intervals = 20, .n_seeds = 5,
                    .seeds = {1, 2, 3, 4, 5}};
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        if (bench_option(argc, argv, &i, "--population", &v) == 1)
            p->population = atoi(v);
        else if (bench_option(argc, argv, &i, "--intervals", &v) == 1)
            p->intervals = atoi(v);
        else if (bench_option(argc, argv, &i, "--seeds", &v) == 1)
            p->n_seeds = bench_parse_seeds(v, p->seeds, MAX_SEEDS);
        else {
            fprintf(stderr, "hpo-bench pbt: bad option '%s' (--population "
                    "N --intervals K --seeds LIST)\n", argv[i]);
            return -1;
        }
    }
    if (p->population < 2 || p->intervals < 1 || p->n_seeds < 1) {
        fprintf(stderr, "hpo-bench pbt: --population >= 2, --intervals >= 1, "
                "--seeds non-empty\n");
        return -1;
    }
    return 0;
}

int bench_pbt(int argc, char **argv)
{
    pbt_plan p;
    if (parse(&p, argc, argv) != 0)
        return 2;
    char dir[] = "/tmp/hpo-bench-pbt.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("hpo-bench pbt: mkdtemp");
        return 1;
    }
    double rnd[MAX_SEEDS], pbt[MAX_SEEDS], pb2[MAX_SEEDS];
    double ms_pbt[MAX_SEEDS], ms_pb2[MAX_SEEDS];
    int failed = 0;
    printf("toy schedule problem, %d members x %d intervals (best final "
           "loss, lower is better)\n", p.population, p.intervals);
    printf("%-6s %12s %12s %12s\n", "seed", "random", "pbt", "pb2");
    for (int k = 0; k < p.n_seeds; k++) {
        rnd[k] = random_search(&p, p.seeds[k]);
        pbt[k] = population(&p, p.seeds[k], "perturb", dir, &ms_pbt[k]);
        pb2[k] = population(&p, p.seeds[k], "pb2", dir, &ms_pb2[k]);
        failed |= isnan(rnd[k]) || isnan(pbt[k]) || isnan(pb2[k]);
        printf("%-6d %12.3g %12.3g %12.3g\n", p.seeds[k], rnd[k], pbt[k],
               pb2[k]);
    }
    double mr = bench_quantile(rnd, p.n_seeds, 0.5);
    double mp = bench_quantile(pbt, p.n_seeds, 0.5);
    double m2 = bench_quantile(pb2, p.n_seeds, 0.5);
    printf("%-6s %12.3g %12.3g %12.3g\n", "median", mr, mp, m2);
    printf("random / pbt = %.3g, random / pb2 = %.3g (> 1: better than "
           "random search)\n", mr / mp, mr / m2);
    printf("hpo's time per member-interval (in memory, with checkpoint "
           "files): pbt %.3g ms, pb2 %.3g ms (medians)\n",
           bench_quantile(ms_pbt, p.n_seeds, 0.5),
           bench_quantile(ms_pb2, p.n_seeds, 0.5));
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "hpo-bench pbt: could not remove %s\n", dir);
    return failed ? 1 : 0;
}
