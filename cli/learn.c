/*
 * learn.c — `hpo learn MODEL --data FILE [--PARAM VALUE ...]`: evaluate one
 * configuration of a learner by cross-validation and print its score in
 * hpo's protocol, so that it can be the child of `hpo tune`:
 *
 *     hpo tune -p C=float:0.03125:32768:log -p gamma=float:3e-5:8:log \
 *         -- hpo learn svm --data d.csv --C {C} --gamma {gamma}
 *
 * stdout: one line per fold, then "@hpo value V"; a learner with a
 * fidelity (XGBoost's rounds) also prints "@hpo report ROUND V" after each
 * round (the mean over the folds), flushed at once, so `hpo tune
 * --pruner median` can stop it early.
 *
 * Any --NAME that is not one of learn's own options is a hyperparameter;
 * the learner refuses names it does not take (a typo: --gama).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

#if HPO_HAVE_ML

#include "ml_args.h"

enum { OPT_SEED = 1, OPT_QUIET, OPT_HELP, OPT_CKPT_IN, OPT_CKPT_OUT };

static const cli_option learn_options[] = {
    ML_DATA_OPTIONS,
    {"seed", 0, 1, OPT_SEED},
    {"checkpoint-in", 0, 1, OPT_CKPT_IN},
    {"checkpoint-out", 0, 1, OPT_CKPT_OUT},
    {"quiet", 'q', 0, OPT_QUIET},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void learn_help(FILE *out, const char *model)
{
    fprintf(out,
"usage: hpo learn MODEL --data FILE [options] [--PARAM VALUE ...]\n"
"\n"
"Cross-validate one configuration of MODEL on FILE and print its score as\n"
"'@hpo value V' (the mean over the folds; for xgboost also '@hpo report\n"
"ROUND V' after each boosting round, for mlp after each epoch), so that it\n"
"can be the command of hpo tune.  Features are standardized on each\n"
"training fold only.\n"
"\n"
ML_DATA_HELP
"      --seed S            the same as --folds-seed\n"
"      --checkpoint-in F   mlp: go on training from checkpoint F (the\n"
"                          weights, momentum, epoch count, shuffling and\n"
"                          scaling; hyperparameters given replace the\n"
"                          saved ones, hidden and layers cannot change);\n"
"                          empty: start afresh.  Needs --holdout.\n"
"      --checkpoint-out F  mlp: save the trained state to F (atomically)\n"
"                          after the --epochs epochs of this run\n"
"  -q, --quiet             print only the @hpo lines\n"
"  --PARAM VALUE           a hyperparameter (--C 10 --gamma 0.01); the\n"
"                          others keep their defaults\n"
"\n"
"Models:\n");
    ml_print_learners(out);
    if (!model || ml_print_learner_params(out, model) != 0)
        fprintf(out, "'hpo learn MODEL --help' lists a model's "
                "hyperparameters.\n");
    fprintf(out,
"\n"
"Example:\n"
"  hpo learn svm --data ../shared/data/breast_cancer.csv --C 8 --gamma 0.01\n"
"  hpo learn mlp --data ../shared/data/digits.csv --holdout 0.2 --epochs 5 \\\n"
"      --checkpoint-out m.ckpt     # then --checkpoint-in m.ckpt: 5 more\n"
"\n"
"Exit status: 0 done, 1 the learner failed, 2 bad usage (an unknown model,\n"
"option, hyperparameter or metric, or a data file that cannot be read).\n");
}

/* learn's own option spelled by "--NAME[=VALUE]", or NULL. */
static const cli_option *own_option(const char *arg)
{
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    for (const cli_option *o = learn_options; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

/* Move every "--NAME VALUE" / "--NAME=VALUE" that is not one of learn's
 * options from argv into *hp; *kept gets the rest (borrowed strings). */
static int split_hparams(int argc, char **argv, char **kept, int *n_kept,
                         hpo__hparams *hp)
{
    *n_kept = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const cli_option *own = strncmp(a, "--", 2) == 0 && a[2]
                                    ? own_option(a) : NULL;
        if (i == 0 || strncmp(a, "--", 2) || !a[2] || own) {
            kept[(*n_kept)++] = argv[i];
            if (own && own->takes_value && !strchr(a, '=') && i + 1 < argc)
                kept[(*n_kept)++] = argv[++i]; /* its value */
            continue;
        }
        const char *eq = strchr(a + 2, '=');
        char name[128];
        const char *value;
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a - 2), a + 2);
            value = eq + 1;
        } else {
            if (i + 1 >= argc) {
                cli_error("learn", "%s needs a value", a);
                return CLI_EXIT_USAGE;
            }
            snprintf(name, sizeof name, "%s", a + 2);
            value = argv[++i];
        }
        if (hpo__hparams_set_text(hp, name, value) != HPO_OK) {
            cli_error("learn", "out of memory");
            return CLI_EXIT_FAILED;
        }
    }
    kept[*n_kept] = NULL;
    return 0;
}

typedef struct learn_opts {
    ml_data_opts data;
    const char *checkpoint_in, *checkpoint_out; /* NULL: none */
    int quiet;
    hpo__hparams hp;
} learn_opts;

/* -1 to go on, else an exit code. */
static int parse(learn_opts *o, const char *model, int argc, char **argv)
{
    char **kept = calloc((size_t)argc + 1, sizeof *kept);
    int n_kept, rc;
    if (!kept) {
        cli_error("learn", "out of memory");
        return CLI_EXIT_FAILED;
    }
    if ((rc = split_hparams(argc, argv, kept, &n_kept, &o->hp))) {
        free(kept);
        return rc;
    }
    cli_args a;
    const char *v;
    int id;
    cli_args_init(&a, "learn", n_kept, kept);
    rc = -1;
    while (rc < 0 && (id = cli_next_option(&a, learn_options, &v)) > 0) {
        if (id == OPT_HELP) {
            learn_help(stdout, model);
            rc = CLI_EXIT_OK;
        } else if (id == OPT_QUIET) {
            o->quiet = 1;
        } else if (id == OPT_CKPT_IN) {
            o->checkpoint_in = *v ? v : NULL; /* empty: a new member */
        } else if (id == OPT_CKPT_OUT) {
            o->checkpoint_out = v;
        } else if (id == OPT_SEED) {
            if (cli_parse_u64("learn", "--seed", v, &o->data.folds_seed))
                rc = CLI_EXIT_USAGE;
        } else if (ml_take_data_option("learn", id, v, &o->data)) {
            rc = CLI_EXIT_USAGE;
        }
    }
    if (rc < 0 && id < 0)
        rc = CLI_EXIT_USAGE;
    if (rc < 0 && a.i < a.argc) {
        cli_error("learn", "unexpected argument '%s'", a.argv[a.i]);
        rc = CLI_EXIT_USAGE;
    }
    free(kept);
    return rc;
}

static int print_round(int step, double value, void *data)
{
    (void)data;
    char num[40];
    hpo__format_double(num, sizeof num, value);
    printf("@hpo report %d %s\n", step, num);
    fflush(stdout);
    return 0;
}

static int evaluate(const learn_opts *o, const ml_problem *p)
{
    hpo__eval_options eo = {.report = p->t->fidelity ? print_round : NULL,
                            .checkpoint_in = o->checkpoint_in,
                            .checkpoint_out = o->checkpoint_out};
    hpo__eval_result r;
    hpo__msg m = {0};
    int rc = hpo__evaluate(p->t, &o->hp, &p->d, &p->folds, p->metric, &eo,
                           &r, &m);
    if (rc != HPO_OK) {
        cli_error("learn", "%s", hpo__msg_get(&m));
        hpo__msg_free(&m);
        return rc == HPO_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    }
    char num[40], what[64], data[256];
    if (!o->quiet) {
        ml_folds_text(&p->spec, what, sizeof what);
        ml_data_text(&p->d, data, sizeof data);
        printf("%s on %s\n%s %s", p->t->name, data, what,
               hpo__metric_name(p->metric));
        if (o->hp.n) {
            printf(" of ");
            ml_print_hparams(stdout, &o->hp);
        }
        printf("\n");
        for (int k = 0; k < r.n_folds; k++)
            printf("  fold %d: %.6g\n", k + 1, r.fold_scores[k]);
    }
    if (r.note)
        fprintf(stderr, "hpo learn: %s\n", r.note);
    hpo__format_double(num, sizeof num, r.mean);
    printf("@hpo value %s\n", num);
    hpo__eval_result_free(&r);
    return CLI_EXIT_OK;
}

int cli_learn(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        learn_help(argc < 2 ? stderr : stdout, NULL);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *model = argv[1];
    learn_opts o = {0};
    ml_problem p = {0};
    int rc = parse(&o, model, argc - 1, argv + 1);
    if (rc < 0 && (rc = ml_problem_load("learn", model, &o.data, &p)) == 0) {
        hpo__msg m = {0};
        if (hpo__learner_check_params(p.t, &o.hp, hpo__data_task(&p.d), &m)) {
            cli_error("learn", "%s (hpo learn %s --help lists them)",
                      hpo__msg_get(&m), model);
            rc = CLI_EXIT_USAGE;
        } else {
            rc = evaluate(&o, &p);
        }
        hpo__msg_free(&m);
    }
    ml_problem_free(&p);
    hpo__hparams_free(&o.hp);
    return rc;
}

#else

int cli_learn(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("learn", "built without the learners (configure with "
              "-DHPO_WITH_ML=ON and libsvm, liblinear, XGBoost)");
    return CLI_EXIT_USAGE;
}

#endif
