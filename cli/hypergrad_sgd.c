/*
 * hypergrad_sgd.c — `hpo hypergrad mlp|linear`: the options of the models
 * trained by SGD, whose hypergradients are accumulated forward through
 * training (src/hypergrad/sgd_*.c; Franceschi et al. 2017), taken into
 * hpo_hypergrad_options:
 *
 *   --epochs E        epochs of training per fit (default 20)
 *   --schedule S      per-epoch (one value per epoch) or constant
 *   --tune LIST       which of lr, momentum, weight_decay are tuned
 *                     (default lr); the others stay at 0.01, 0.9, 1e-4
 *   --truncate K      differentiate only the last K SGD steps (Shaban et
 *                     al. 2018; default 0: all)
 *   --batch B         mini-batch size (default 32)
 *   --hidden H        the MLP's hidden units (default 64)
 *
 * --schedule and --tune are checked here, so a bad value is refused
 * before the data are read; the library reads them again.
 */
#include <string.h>

#include "args.h"
#include "cli.h"
#include "hypergrad_sgd.h"

#define CMD "hypergrad"

int cli_hg_checked(const char *flag, const char *v, int rc, hpo__msg *m,
                   const char **out)
{
    if (rc != HPO_OK)
        cli_error(CMD, "%s: %s", flag, hpo__msg_get(m));
    else
        *out = v;
    hpo__msg_free(m);
    return rc != HPO_OK ? CLI_EXIT_USAGE : 0;
}

static int take_text(hpo_hypergrad_options *o, int which, const char *v)
{
    hpo__msg m = {0};
    hpo__sgd_mode mode, modes[HPO__SGD_KINDS];
    if (which == 1)
        return cli_hg_checked("--schedule", v,
                              hpo__sgd_schedule_parse(v, &mode, &m), &m,
                              &o->schedule);
    return cli_hg_checked("--tune", v,
                          hpo__sgd_tune_parse(v, HPO__SGD_PER_EPOCH, modes,
                                              &m), &m, &o->tune);
}

static int take_int(const char *flag, const char *v, int64_t lo, int64_t hi,
                    int64_t *out)
{
    return cli_parse_int(CMD, flag, v, lo, hi, out) ? CLI_EXIT_USAGE : 0;
}

int cli_hg_sgd_option(hpo_hypergrad_options *o, int which, const char *v)
{
    int64_t n;
    int rc;
    switch (which) {
    case 0:
        if (!(rc = take_int("--epochs", v, 1, 100000, &n)))
            o->epochs = (int)n;
        return rc;
    case 2:
        if (!(rc = take_int("--truncate", v, 0, INT64_MAX / 2, &n)))
            o->truncate = (long)n;
        return rc;
    case 3:
        if (!(rc = take_int("--batch", v, 1, 1000000, &n)))
            o->batch = (int)n;
        return rc;
    case 5:
        if (!(rc = take_int("--hidden", v, 1, 100000, &n)))
            o->hidden = (int)n;
        return rc;
    case 1:
    case 4: return take_text(o, which, v);
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
