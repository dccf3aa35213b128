/*
 * hypergrad_sgd.c — `hpo hypergrad mlp|linear`: the options of the models
 * trained by SGD, whose hypergradients are accumulated forward through
 * training (src/hypergrad/sgd_*.c; Franceschi et al. 2017):
 *
 *   --epochs E        epochs of training per fit (default 20)
 *   --schedule S      per-epoch (one value per epoch) or constant
 *   --tune LIST       which of lr, momentum, weight_decay are tuned
 *                     (default lr); the others stay at 0.01, 0.9, 1e-4
 *   --truncate K      differentiate only the last K SGD steps (Shaban et
 *                     al. 2018; default 0: all)
 *   --batch B         mini-batch size (default 32)
 *   --hidden H        the MLP's hidden units (default 64)
 */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "hypergrad_sgd.h"

#define CMD "hypergrad"

void cli_hg_sgd_defaults(hpo__sgd_config *c)
{
    hpo__sgd_config_default(c);
}

/* --tune lr,momentum,...: the listed kinds get the schedule's mode. */
static int take_tune(hpo__sgd_config *c, const char *v)
{
    static const char *const names[HPO__SGD_KINDS] = {"lr", "momentum",
                                                      "weight_decay"};
    hpo__sgd_mode mode = c->mode[HPO__SGD_LR] != HPO__SGD_FIXED
                             ? c->mode[HPO__SGD_LR]
                             : HPO__SGD_PER_EPOCH;
    hpo__sgd_mode want[HPO__SGD_KINDS] = {HPO__SGD_FIXED, HPO__SGD_FIXED,
                                          HPO__SGD_FIXED};
    char *copy = strdup(v), *save = NULL;
    if (!copy)
        return (cli_error(CMD, "out of memory"), CLI_EXIT_FAILED);
    int bad = 0;
    for (char *t = strtok_r(copy, ",", &save); t && !bad;
         t = strtok_r(NULL, ",", &save)) {
        int k = 0;
        while (k < HPO__SGD_KINDS && strcmp(t, names[k]) != 0)
            k++;
        if (k == HPO__SGD_KINDS)
            bad = (cli_error(CMD, "--tune: '%s' is not lr, momentum or "
                             "weight_decay", t), 1);
        else
            want[k] = mode;
    }
    free(copy);
    if (!bad)
        memcpy(c->mode, want, sizeof want);
    return bad ? CLI_EXIT_USAGE : 0;
}

static int take_schedule(hpo__sgd_config *c, const char *v)
{
    hpo__sgd_mode mode;
    if (strcmp(v, "per-epoch") == 0)
        mode = HPO__SGD_PER_EPOCH;
    else if (strcmp(v, "constant") == 0)
        mode = HPO__SGD_CONSTANT;
    else
        return (cli_error(CMD, "--schedule: '%s' is not per-epoch or "
                          "constant", v), CLI_EXIT_USAGE);
    for (int k = 0; k < HPO__SGD_KINDS; k++)
        if (c->mode[k] != HPO__SGD_FIXED)
            c->mode[k] = mode;
    return 0;
}

int cli_hg_sgd_option(hpo__sgd_config *c, int which, const char *v)
{
    int64_t n;
    switch (which) {
    case 0:
        if (cli_parse_int(CMD, "--epochs", v, 1, 100000, &n))
            return CLI_EXIT_USAGE;
        c->epochs = (int)n;
        return 0;
    case 1: return take_schedule(c, v);
    case 2:
        if (cli_parse_int(CMD, "--truncate", v, 0, INT64_MAX / 2, &n))
            return CLI_EXIT_USAGE;
        c->truncate = (long)n;
        return 0;
    case 3:
        if (cli_parse_int(CMD, "--batch", v, 1, 1000000, &n))
            return CLI_EXIT_USAGE;
        c->batch = (int)n;
        return 0;
    case 4: return take_tune(c, v);
    case 5:
        if (cli_parse_int(CMD, "--hidden", v, 1, 100000, &n))
            return CLI_EXIT_USAGE;
        c->hidden = (int)n;
        return 0;
    }
    return CLI_EXIT_USAGE;
}

void cli_hg_sgd_help(FILE *out)
{
    fprintf(out,
"\n"
"Options of mlp and linear (trained by SGD with momentum and weight decay;\n"
"the hypergradient is carried forward through every step; stratified\n"
"60/20/20 split):\n"
"      --epochs E          epochs of training per fit (default 20)\n"
"      --schedule S        per-epoch (one value per epoch, default) or\n"
"                          constant\n"
"      --tune LIST         tuned among lr, momentum, weight_decay (default\n"
"                          lr; the others stay at 0.01, 0.9, 1e-4)\n"
"      --truncate K        differentiate only the last K SGD steps\n"
"                          (default 0: all; cheaper, biased)\n"
"      --batch B           mini-batch size (default 32)\n"
"      --hidden H          the MLP's hidden units (default 64)\n");
}

int cli_hg_sgd_make(const char *model, const hpo__dataset *d, uint64_t seed,
                    const hpo__sgd_config *c, hpo__hg_problem **out,
                    hpo__msg *m)
{
    hpo__sgd_config cfg = *c;
    cfg.model = model;
    cfg.seed = seed;
    return hpo__hg_sgd_new_split(out, d, seed, &cfg, m);
}
