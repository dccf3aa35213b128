/*
 * bench_main.c — hpo-bench, the benchmark runner: a thin dispatcher to one
 * file per subcommand (as the hpo tool is).
 *
 * Exit codes: 0 success, 1 a run or the reference failed, 2 usage error.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"quality", bench_quality,
     "regret (hypervolume) per problem x method x budget, over seeds"},
    {"bo", bench_bo,
     "hpo's model-based samplers vs the best of Optuna's samplers"},
    {"throughput", bench_throughput,
     "ask+tell trials per second, random sampler, in memory"},
    {"storage", bench_storage,
     "trials/s of P processes and ask latency on SQLite / PostgreSQL"},
    {"svm", bench_svm,
     "svm_breast_cancer: hpo vs the guide grid (and Optuna + sklearn SVC)"},
    {"check", bench_check,
     "compare problems.c with optuna_ref.py's problems at random points"},
    {"cli-throughput", bench_cli_throughput,
     "hpo tune's trials/s per window as its SQLite study grows"},
    {"scaling", bench_scaling,
     "ms/trial against the number of parameters (tpe, auto), vs Optuna"},
    {"pruning", bench_pruning,
     "xgb_spam at equal total boosting rounds: pruners vs Optuna's"},
    {"pruner-overhead", bench_pruner_overhead,
     "us per should_prune at 1,000 / 10,000 stored trials, vs Optuna"},
    {"nd-sort", bench_nd_sort,
     "ms of non-dominated sorting and crowding at 1,000 / 10,000 points"},
    {"importance", bench_importance,
     "fANOVA ranking and time vs Optuna's on the same SQLite studies"},
    {"mlp", bench_mlp,
     "mlp_digits: ms per epoch and validation error vs sklearn's MLP"},
    {"hypergrad", bench_hypergrad,
     "ridge_diabetes and logistic/spam: hypergradients vs samplers"},
    {"hypergrad-sgd", bench_hypergrad_sgd,
     "mlp_digits: per-epoch lr schedule by hypergradients vs random, TPE"},
    {"pbt", bench_pbt,
     "population-based training and PB2 vs random search, toy schedule"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: hpo-bench COMMAND [OPTIONS]   (COMMAND --help for its options)\n\n");
    for (const subcommand *c = subcommands; c->name; c++)
        fprintf(f, "  %-14s %s\n", c->name, c->summary);
    fprintf(f, "\n--vs-optuna runs Optuna beside hpo with $HPO_BENCH_PYTHON "
               "(default %s)\nand $HPO_BENCH_OPTUNA_REF (default %s).\n",
            bench_python(), bench_optuna_script());
}

int main(int argc, char **argv)
{
    /* Before anything starts a thread or a child. */
    bench_pin_threads();
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (const subcommand *c = subcommands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 2, argv + 2);
    fprintf(stderr, "hpo-bench: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
