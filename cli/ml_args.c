/*
 * ml_args.c — data options, data loading, folds and the learner's search
 * space for the learning subcommands (ml_args.h).
 */
#include "ml_args.h"

#include "args.h"
#include "cli.h"

int ml_not_built(const char *cmd)
{
    cli_error(cmd, "built without the learners (configure with "
              "-DHPO_WITH_ML=ON and libsvm, liblinear, XGBoost)");
    return CLI_EXIT_USAGE;
}

#if HPO_HAVE_ML

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_FOLDS 5

int ml_take_data_option(const char *cmd, int id, const char *v,
                        ml_data_opts *o)
{
    switch (id) {
    case ML_OPT_DATA:
        o->data = v;
        return 0;
    case ML_OPT_TARGET:
        o->target = v;
        return 0;
    case ML_OPT_TASK:
        if (strcmp(v, "classification") && strcmp(v, "regression")) {
            cli_error(cmd, "--task: '%s' is not classification or "
                      "regression", v);
            return CLI_EXIT_USAGE;
        }
        o->task = v;
        return 0;
    case ML_OPT_METRIC:
        o->metric = v;
        return 0;
    case ML_OPT_CV:
        o->holdout = 0;
        return cli_parse_int(cmd, "--cv", v, 2, 1000, &o->cv_k)
                   ? CLI_EXIT_USAGE : 0;
    case ML_OPT_HOLDOUT:
        if (!cli_text_to_double(v, &o->holdout) || !(o->holdout > 0) ||
            !(o->holdout < 1)) {
            cli_error(cmd, "--holdout: '%s' is not a fraction between 0 "
                      "and 1", v);
            return CLI_EXIT_USAGE;
        }
        o->cv_k = 0;
        return 0;
    case ML_OPT_FOLDS_SEED:
        return cli_parse_u64(cmd, "--folds-seed", v, &o->folds_seed)
                   ? CLI_EXIT_USAGE : 0;
    case ML_OPT_MISSING:
    case ML_OPT_CATEGORICAL: {
        hpo__msg m = {0};
        int rc = id == ML_OPT_MISSING
                     ? hpo__missing_parse(v, &o->missing, &m)
                     : hpo__categorical_parse(v, &o->categorical, &m);
        if (rc != HPO_OK)
            cli_error(cmd, "%s", hpo__msg_get(&m));
        hpo__msg_free(&m);
        return rc == HPO_OK ? 0 : CLI_EXIT_USAGE;
    }
    }
    return CLI_EXIT_USAGE;
}

static int unknown_model(const char *cmd, const char *model)
{
    char known[256] = "";
    for (int i = 0; hpo__learner_types[i]; i++) {
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                 hpo__learner_types[i]->name);
    }
    cli_error(cmd, "unknown model '%s' (known: %s)", model, known);
    return CLI_EXIT_USAGE;
}

/* The task asked for, and a metric that fits it. */
static int choose_task_and_metric(const char *cmd, const ml_data_opts *o,
                                  ml_problem *p)
{
    hpo__msg m = {0};
    int rc = HPO_OK;
    if (o->task)
        rc = hpo__data_set_task(&p->d, strcmp(o->task, "regression") == 0
                                           ? HPO__REGRESSION
                                           : HPO__CLASSIFICATION, &m);
    int regression = hpo__data_task(&p->d) == HPO__REGRESSION;
    if (rc == HPO_OK) {
        if (o->metric)
            rc = hpo__metric_parse(o->metric, &p->metric, &m);
        else
            p->metric = regression ? HPO__METRIC_RMSE : HPO__METRIC_ERROR;
    }
    if (rc != HPO_OK) {
        cli_error(cmd, "%s%s", o->metric && !o->task ? "--metric: " : "",
                  hpo__msg_get(&m));
        hpo__msg_free(&m);
        return CLI_EXIT_REFUSED(rc);
    }
    int wants_values = hpo__metric_output(p->metric) == HPO__OUTPUT_VALUE;
    if (wants_values != regression) {
        cli_error(cmd, "--metric: '%s' does not apply to %s (the target of "
                  "%s is %s; see --task)", hpo__metric_name(p->metric),
                  regression ? "regression" : "classification", o->data,
                  regression ? "a number" : "a class label");
        return CLI_EXIT_USAGE;
    }
    if (!(p->t->tasks & HPO__TASK_BIT(hpo__data_task(&p->d)))) {
        cli_error(cmd, "model '%s' cannot do %s", p->t->name,
                  regression ? "regression" : "classification");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int make_folds(const char *cmd, const ml_data_opts *o, ml_problem *p)
{
    hpo__msg m = {0};
    int classes = hpo__data_task(&p->d) == HPO__CLASSIFICATION;
    if (o->holdout > 0)
        p->spec = (hpo__cv_spec){.kind = HPO__CV_HOLDOUT,
                                 .test_fraction = o->holdout};
    else
        p->spec = (hpo__cv_spec){
            .kind = classes ? HPO__CV_STRATIFIED : HPO__CV_KFOLD,
            .k = o->cv_k > 0 ? (int)o->cv_k : DEFAULT_FOLDS};
    p->spec.seed = o->folds_seed;
    int rc = hpo__cv_split(&p->d, NULL, 0, &p->spec, &p->folds, &m);
    if (rc != HPO_OK) {
        cli_error(cmd, "%s", hpo__msg_get(&m));
        hpo__msg_free(&m);
        return CLI_EXIT_REFUSED(rc);
    }
    return 0;
}

int ml_problem_load(const char *cmd, const char *model,
                    const ml_data_opts *o, ml_problem *p)
{
    memset(p, 0, sizeof *p);
    if (!(p->t = hpo__learner_find(model)))
        return unknown_model(cmd, model);
    if (!o->data) {
        cli_error(cmd, "--data FILE is required");
        return CLI_EXIT_USAGE;
    }
    hpo__msg m = {0};
    hpo__data_opts dopts = {.target = o->target, .missing = o->missing,
                            .categorical = o->categorical};
    int rc = hpo__data_load_with(&p->d, o->data, &dopts, &m);
    if (rc != HPO_OK) {
        cli_error(cmd, "%s", hpo__msg_get(&m));
        hpo__msg_free(&m);
        return CLI_EXIT_REFUSED(rc);
    }
    /* What the reader did to the data (one-hot columns, filled values,
     * dropped rows) is said before any result that depends on it. */
    for (int i = 0; i < p->d.n_notes; i++)
        fprintf(stderr, "hpo %s: %s: %s\n", cmd, o->data, p->d.notes[i]);
    rc = choose_task_and_metric(cmd, o, p);
    return rc ? rc : make_folds(cmd, o, p);
}

void ml_problem_free(ml_problem *p)
{
    hpo__folds_free(&p->folds);
    hpo__data_free(&p->d);
}

void ml_folds_text(const hpo__cv_spec *spec, char *out, size_t size)
{
    if (spec->kind == HPO__CV_HOLDOUT)
        snprintf(out, size, "hold-out (%g%% test)",
                 spec->test_fraction * 100);
    else
        snprintf(out, size, "%d-fold%s CV", spec->k,
                 spec->kind == HPO__CV_STRATIFIED ? " stratified" : "");
}

void ml_data_text(const hpo__dataset *d, char *out, size_t size)
{
    const char *base = strrchr(d->source, '/');
    base = base ? base + 1 : d->source;
    if (d->n_classes > 0)
        snprintf(out, size, "%s: %d rows, %d features, %d classes", base,
                 d->n_rows, d->n_features, d->n_classes);
    else
        snprintf(out, size, "%s: %d rows, %d features, regression", base,
                 d->n_rows, d->n_features);
}

void ml_print_learners(FILE *out)
{
    for (int i = 0; hpo__learner_types[i]; i++)
        fprintf(out, "    %-14s %s\n", hpo__learner_types[i]->name,
                hpo__learner_types[i]->summary);
}

int ml_print_learner_params(FILE *out, const char *model)
{
    const hpo__learner_type *t = hpo__learner_find(model);
    if (!t)
        return -1;
    fprintf(out, "Hyperparameters of %s (* = tuned by default):\n", t->name);
    for (int i = 0; i < t->n_params; i++) {
        const hpo__learner_param *lp = &t->params[i];
        fprintf(out, "  %c %-17s %s\n      default %s; space %s\n",
                lp->tuned ? '*' : ' ', lp->name, lp->help, lp->value,
                lp->space);
    }
    return 0;
}

/* ---- the search space ------------------------------------------------------- */

int ml_take_space_option(const char *cmd, const char *flag,
                         const char *value, ml_space_opts *o)
{
    if (strcmp(flag, "--set") == 0) {
        const char *eq = strchr(value, '=');
        if (!eq || eq == value) {
            cli_error(cmd, "--set: '%s' is not NAME=VALUE", value);
            return CLI_EXIT_USAGE;
        }
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - value), value);
        if (hpo__hparams_set_text(&o->fixed, name, eq + 1) != HPO_OK) {
            cli_error(cmd, "out of memory");
            return CLI_EXIT_FAILED;
        }
        return 0;
    }
    const char **more = realloc(o->params, sizeof *more * (size_t)(o->n_params + 1));
    if (!more) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    o->params = more;
    o->params[o->n_params++] = value;
    return 0;
}

void ml_space_opts_free(ml_space_opts *o)
{
    free(o->params);
    hpo__hparams_free(&o->fixed);
}

/* Is `name` the name of a --param spec ("C=float:...")? */
static int spec_names(const char *spec, const char *name)
{
    size_t len = strlen(name);
    return strncmp(spec, name, len) == 0 && spec[len] == '=';
}

static int given_param(const ml_space_opts *o, const char *name)
{
    for (int i = 0; i < o->n_params; i++)
        if (spec_names(o->params[i], name))
            return 1;
    return 0;
}

/* The learner's default space minus what --param and --set replace. */
static int add_defaults(const char *cmd, const ml_problem *p,
                        const ml_space_opts *o, hpo_space *s)
{
    hpo__task task = hpo__data_task(&p->d);
    for (int i = 0; i < p->t->n_params; i++) {
        const hpo__learner_param *lp = &p->t->params[i];
        if (!lp->tuned || !(lp->tasks & HPO__TASK_BIT(task)) ||
            given_param(o, lp->name) || hpo__hparams_find(&o->fixed, lp->name))
            continue;
        char spec[256];
        snprintf(spec, sizeof spec, "%s=%s", lp->name, lp->space);
        if (hpo_space_parse_param(s, spec) != HPO_OK) {
            cli_error(cmd, "the default space of %s: %s", p->t->name,
                      hpo_space_errmsg(s));
            return CLI_EXIT_FAILED;
        }
    }
    return 0;
}

/* Every parameter of the space and every fixed value is a hyperparameter
 * of the learner for this task. */
static int check_names(const char *cmd, const ml_problem *p,
                       const ml_space_opts *o, const hpo_space *s)
{
    hpo__hparams all = {0};
    int rc = HPO_OK;
    for (int i = 0; i < hpo_space_size(s) && rc == HPO_OK; i++)
        rc = hpo__hparams_set_text(&all, hpo_space_name(s, i), "0");
    for (int i = 0; i < o->fixed.n && rc == HPO_OK; i++)
        rc = hpo__hparams_set_text(&all, o->fixed.v[i].name, "0");
    hpo__msg m = {0};
    if (rc != HPO_OK) { /* hpo__hparams_set_text fails only for memory */
        cli_error(cmd, "out of memory");
        hpo__hparams_free(&all);
        return CLI_EXIT_FAILED;
    }
    rc = hpo__learner_check_params(p->t, &all, hpo__data_task(&p->d), &m);
    if (rc != HPO_OK)
        cli_error(cmd, "%s (hpo %s %s --help lists them)", hpo__msg_get(&m),
                  cmd, p->t->name);
    hpo__msg_free(&m);
    hpo__hparams_free(&all);
    return rc == HPO_OK ? 0 : CLI_EXIT_REFUSED(rc);
}

int ml_build_space(const char *cmd, const ml_problem *p,
                   const ml_space_opts *o, hpo_space **out)
{
    hpo_space *s = hpo_space_new();
    *out = s;
    if (!s) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    int rc = 0;
    if (o->space_file) {
        if ((rc = hpo_space_load_file(s, o->space_file)) != HPO_OK) {
            cli_error(cmd, "--space: %s", hpo_space_errmsg(s));
            return CLI_EXIT_REFUSED(rc);
        }
    } else if ((rc = add_defaults(cmd, p, o, s))) {
        return rc;
    }
    for (int i = 0; i < o->n_params; i++)
        if ((rc = hpo_space_parse_param(s, o->params[i])) != HPO_OK) {
            cli_error(cmd, "--param: %s", hpo_space_errmsg(s));
            return CLI_EXIT_REFUSED(rc);
        }
    if (hpo_space_size(s) == 0) {
        cli_error(cmd, "nothing to tune: the search space is empty");
        return CLI_EXIT_USAGE;
    }
    return check_names(cmd, p, o, s);
}

void ml_print_hparams(FILE *out, const hpo__hparams *p)
{
    for (int i = 0; i < p->n; i++) {
        /* Six digits are enough to read; `hpo best` has the exact ones. */
        if (isnan(p->v[i].value))
            fprintf(out, "%s%s=%s", i ? " " : "", p->v[i].name, p->v[i].text);
        else
            fprintf(out, "%s%s=%.6g", i ? " " : "", p->v[i].name,
                    p->v[i].value);
    }
}


/* ---- study options and the command line ------------------------------------ */

static int take_study_option(const char *cmd, int id, const char *v,
                             ml_study_opts *o)
{
    switch (id) {
    case ML_OPT_PARAM:
        return ml_take_space_option(cmd, "--param", v, &o->space);
    case ML_OPT_SET:
        return ml_take_space_option(cmd, "--set", v, &o->space);
    case ML_OPT_SPACE:
        o->space.space_file = v;
        return 0;
    }
    return cli_take_run_option(cmd, id, v, &o->run);
}

int ml_take_option(const char *cmd, int id, const char *value,
                   ml_data_opts *data, ml_study_opts *study)
{
    if (id >= ML_OPT_PARAM)
        return take_study_option(cmd, id, value, study);
    return ml_take_data_option(cmd, id, value, data);
}

/* No MODEL (or a flag instead): the help on --help, else the question. */
static int no_model(const ml_command *c, int argc, char **argv)
{
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                             strcmp(argv[1], "-h") == 0);
    if (!help)
        cli_error(c->name, "which model? (hpo %s MODEL --data FILE)",
                  c->name);
    c->help(help ? stdout : stderr, NULL);
    return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int ml_parse_command(const ml_command *c, int argc, char **argv, void *opts)
{
    if (argc < 2 || argv[1][0] == '-')
        return no_model(c, argc, argv);
    cli_args a;
    cli_args_init(&a, c->name, argc - 1, argv + 1); /* past MODEL */
    int rc = cli_take_options(&a, c->options, c->help_id, c->take, opts);
    if (rc == CLI_HELP_ASKED) {
        c->help(stdout, argv[1]);
        return CLI_EXIT_OK;
    }
    if (rc >= 0 || (rc = cli_no_operands(&a, "")))
        return rc;
    return -1;
}

#endif
