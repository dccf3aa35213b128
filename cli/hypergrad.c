/*
 * hypergrad.c — `hpo hypergrad MODEL --data FILE [options]`: tune a
 * learner's continuous hyperparameters by hypergradients (issue 14;
 * src/hypergrad/), showing progress per outer step and a summary, and
 * with --compare the same problem tuned by grid, random, TPE and GP at the
 * same number of fits beside it.
 *
 * Models are one table {name, constructor}: a model is one line here.  The
 * implicit ones (ridge, logistic, krr) share the fixed 60/20/20 split of
 * src/hypergrad/split.c, seeded by --seed.
 *
 * The outer steps are a study's trials (each step one COMPLETE trial, the
 * hyperparameters as float-log parameters) when --storage is given; the
 * comparison's studies are then NAME-grid, NAME-random, ... beside it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "hypergrad/implicit.h"
#include "hypergrad_sgd.h"

#define CMD "hypergrad"

/* What a model's constructor gets. */
typedef struct hg_ctx {
    const hpo__dataset *data;
    const hpo__hg_split *split; /* the fixed split (models with .split) */
    int per_feature;
    hpo__hg_solver solver;
    uint64_t seed;
    const hpo__sgd_config *sgd; /* mlp, linear (hypergrad_sgd.c) */
} hg_ctx;

typedef struct hg_model {
    const char *name, *summary;
    int split;  /* uses the implicit part's split (regression or 2 classes) */
    int task;   /* the task the data is read as: -1 as guessed */
    int (*make)(const hg_ctx *c, hpo__hg_problem **out, hpo__msg *m);
    /* The outer loop's first point (log-hyperparameters); NULL: lambda 1,
     * a width of sqrt(features), else the bounds' geometric mean. */
    void (*start)(const hpo__hg_problem *p, const hg_ctx *c, double *h);
} hg_model;

static int make_ridge(const hg_ctx *c, hpo__hg_problem **out, hpo__msg *m)
{
    hpo__hg_model_opts o = {c->per_feature, c->solver};
    return hpo__hg_ridge_new(c->split, &o, out, m);
}

static int make_logistic(const hg_ctx *c, hpo__hg_problem **out, hpo__msg *m)
{
    hpo__hg_model_opts o = {c->per_feature, c->solver};
    return hpo__hg_logistic_new(c->split, &o, out, m);
}

static int make_krr(const hg_ctx *c, hpo__hg_problem **out, hpo__msg *m)
{
    hpo__hg_model_opts o = {c->per_feature, c->solver};
    return hpo__hg_krr_new(c->split, &o, out, m);
}

static int make_mlp(const hg_ctx *c, hpo__hg_problem **out, hpo__msg *m)
{
    return cli_hg_sgd_make("mlp", c->data, c->seed, c->sgd, out, m);
}

static int make_linear(const hg_ctx *c, hpo__hg_problem **out, hpo__msg *m)
{
    return cli_hg_sgd_make("linear", c->data, c->seed, c->sgd, out, m);
}

/* mlp, linear: from the fixed values (lr 0.01, momentum 0.9, decay 1e-4). */
static void start_sgd(const hpo__hg_problem *p, const hg_ctx *c, double *h)
{
    (void)c;
    hpo__hg_sgd_start(p, h);
}

static const hg_model models[] = {
    {"ridge", "ridge regression: lambda (one, or one per feature)", 1,
     HPO__REGRESSION, make_ridge, NULL},
    {"logistic", "L2 logistic regression, two classes: lambda (one, or one "
     "per feature)", 1, HPO__CLASSIFICATION, make_logistic, NULL},
    {"krr", "kernel ridge regression, RBF kernel: lambda and the width", 1,
     HPO__REGRESSION, make_krr, NULL},
    {"mlp", "the MLP trained by SGD: learning rate (per epoch), momentum, "
     "weight decay", 0, -1, make_mlp, start_sgd},
    {"linear", "softmax regression trained by SGD: the same hyperparameters",
     0, -1, make_linear, start_sgd},
    {NULL, NULL, 0, 0, NULL, NULL},
};

static const hg_model *find_model(const char *name)
{
    for (const hg_model *md = models; md->name; md++)
        if (strcmp(md->name, name) == 0)
            return md;
    return NULL;
}

/* ---- options ---------------------------------------------------------------- */

enum {
    OPT_DATA = 1, OPT_TARGET, OPT_PER_FEATURE, OPT_STEPS, OPT_METHOD,
    OPT_SOLVER, OPT_STEP_SIZE, OPT_TOL0, OPT_STORAGE, OPT_STUDY, OPT_SEED,
    OPT_COMPARE, OPT_SAMPLERS, OPT_QUIET, OPT_HELP, OPT_SGD
};

static const cli_option hg_options[] = {
    {"data", 0, 1, OPT_DATA}, {"target", 0, 1, OPT_TARGET},
    {"per-feature", 0, 0, OPT_PER_FEATURE}, {"steps", 'n', 1, OPT_STEPS},
    {"method", 0, 1, OPT_METHOD}, {"solver", 0, 1, OPT_SOLVER},
    {"step-size", 0, 1, OPT_STEP_SIZE}, {"tol0", 0, 1, OPT_TOL0},
    {"storage", 0, 1, OPT_STORAGE}, {"study", 0, 1, OPT_STUDY},
    {"seed", 0, 1, OPT_SEED}, {"compare", 0, 0, OPT_COMPARE},
    {"samplers", 0, 1, OPT_SAMPLERS}, {"quiet", 'q', 0, OPT_QUIET},
    {"help", 'h', 0, OPT_HELP}, CLI_HG_SGD_OPTIONS(OPT_SGD), {0},
};

typedef struct hg_opts {
    const char *data, *target, *storage, *study, *samplers;
    int per_feature, compare, quiet;
    hpo__hg_outer_opts outer;
    hpo__hg_solver solver;
    uint64_t seed;
    hpo__sgd_config sgd;
} hg_opts;

static void hg_help(FILE *out)
{
    fprintf(out,
"usage: hpo hypergrad MODEL --data FILE [options]\n"
"\n"
"Tune MODEL's regularization (and kernel width) by gradient descent on the\n"
"validation loss, the gradient by implicit differentiation (HOAG).  The\n"
"rows are split once, seeded: 60%% train, 20%% validation, 20%% test,\n"
"features standardized on the training rows.  Each outer step is one fit.\n"
"\n"
"Models:\n");
    for (const hg_model *md = models; md->name; md++)
        fprintf(out, "  %-10s %s\n", md->name, md->summary);
    fprintf(out,
"\n"
"Options:\n"
"      --data FILE         a CSV file (header row) or a libsvm file\n"
"      --target COL        the column to predict (default the last)\n"
"      --per-feature       one regularization per feature\n"
"  -n, --steps N           outer steps = fits (default 30)\n"
"      --method M          lbfgs (L-BFGS-B through NLopt, default) or adam\n"
"      --solver S          exact (Cholesky, default), cg (conjugate\n"
"                          gradients) or neumann (CG fit, Neumann-series\n"
"                          inverse Hessian): the latter two for large p\n"
"      --step-size X       Adam's step in log space (default 0.3; halved,\n"
"                          with a note, when the validation loss diverges)\n"
"      --tol0 X            HOAG's first inner tolerance, decreasing 0.9x a\n"
"                          step (default 1e-6, relative to the gradient\n"
"                          at zero weights; 0: exact every step)\n"
"      --seed S            the split's seed and the samplers' (default 0)\n"
"      --storage URL       store the outer steps as trials of a study\n"
"                          (default: not stored)\n"
"      --study NAME        its name (default hypergrad-MODEL)\n"
"      --compare           also tune by grid, random, TPE and GP at the\n"
"                          same number of fits and print them side by side\n"
"      --samplers LIST     what --compare runs (default grid,random,tpe,gp)\n"
"  -q, --quiet             no progress lines\n");
    cli_hg_sgd_help(out);
    fprintf(out,
"\n"
"Example:\n"
"  hpo hypergrad ridge --data ../shared/data/diabetes.csv --per-feature \\\n"
"      --steps 30 --compare\n"
"\n"
"Exit status: 0 done, 1 a fit failed, 2 bad usage or data.\n");
}

static int parse_double(const char *flag, const char *v, double lo,
                        double *out)
{
    double x;
    if (!cli_text_to_double(v, &x) || !(x >= lo) || !isfinite(x)) {
        cli_error(CMD, "%s: '%s' is not a number >= %g", flag, v, lo);
        return CLI_EXIT_USAGE;
    }
    *out = x;
    return 0;
}

static int take(hg_opts *o, int id, const char *v)
{
    int64_t n;
    hpo__msg m = {0};
    int rc = 0;
    switch (id) {
    case OPT_DATA: o->data = v; break;
    case OPT_TARGET: o->target = v; break;
    case OPT_PER_FEATURE: o->per_feature = 1; break;
    case OPT_COMPARE: o->compare = 1; break;
    case OPT_QUIET: o->quiet = 1; break;
    case OPT_STORAGE: o->storage = v; break;
    case OPT_STUDY: o->study = v; break;
    case OPT_SAMPLERS: o->samplers = v; break;
    case OPT_STEPS:
        if (cli_parse_int(CMD, "--steps", v, 1, 1000000, &n))
            return CLI_EXIT_USAGE;
        o->outer.steps = (int)n;
        break;
    case OPT_METHOD:
        if (strcmp(v, "adam") == 0)
            o->outer.method = HPO__HG_ADAM;
        else if (strcmp(v, "lbfgs") == 0)
            o->outer.method = HPO__HG_LBFGS;
        else
            rc = (cli_error(CMD, "--method: '%s' is not adam or lbfgs", v),
                  CLI_EXIT_USAGE);
        break;
    case OPT_SOLVER:
        if (hpo__hg_solver_parse(v, &o->solver, &m) != HPO_OK)
            rc = (cli_error(CMD, "--solver: %s", hpo__msg_get(&m)),
                  CLI_EXIT_USAGE);
        break;
    case OPT_STEP_SIZE:
        rc = parse_double("--step-size", v, 1e-12, &o->outer.step_size);
        break;
    case OPT_TOL0: rc = parse_double("--tol0", v, 0, &o->outer.tol0); break;
    case OPT_SEED:
        if (cli_parse_u64(CMD, "--seed", v, &o->seed))
            return CLI_EXIT_USAGE;
        break;
    default: rc = cli_hg_sgd_option(&o->sgd, id - OPT_SGD, v); break;
    }
    hpo__msg_free(&m);
    return rc;
}

/* -1 to go on, else an exit code. */
static int parse(hg_opts *o, int argc, char **argv)
{
    cli_args a;
    const char *v;
    int id, rc = -1;
    cli_args_init(&a, CMD, argc, argv);
    while (rc < 0 && (id = cli_next_option(&a, hg_options, &v)) > 0) {
        if (id == OPT_HELP) {
            hg_help(stdout);
            return CLI_EXIT_OK;
        }
        int r = take(o, id, v);
        if (r)
            rc = r;
    }
    if (rc < 0 && id < 0)
        rc = CLI_EXIT_USAGE;
    if (rc < 0 && (rc = cli_no_operands(&a, "")) == 0)
        rc = -1;
    if (rc < 0 && !o->data) {
        cli_error(CMD, "--data FILE is required");
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

/* ---- the run ---------------------------------------------------------------- */

typedef struct hg_run {
    const hg_opts *o;
    const hg_model *md;
    const hg_ctx *ctx;
    hpo__hg_problem *p;
} hg_run;

/* "lambda 0.53" for one or two hyperparameters, else the median and range. */
static void hypers_text(const hpo__hg_problem *p, const double *h, char *out,
                        size_t size)
{
    if (p->n_hyper <= 2) {
        size_t len = 0;
        for (int i = 0; i < p->n_hyper && len < size; i++)
            len += (size_t)snprintf(out + len, size - len, "%s%s %.4g",
                                    i ? ", " : "", p->hyper_name(p, i),
                                    exp(h[i]));
        return;
    }
    double lo = h[0], hi = h[0], sum = 0;
    for (int i = 0; i < p->n_hyper; i++) {
        lo = fmin(lo, h[i]);
        hi = fmax(hi, h[i]);
        sum += h[i];
    }
    snprintf(out, size, "%d hyperparameters: geometric mean %.3g, range "
             "%.3g .. %.3g", p->n_hyper, exp(sum / p->n_hyper), exp(lo),
             exp(hi));
}

static void progress(void *ud, int step, double val, double test,
                     const double *h)
{
    hg_run *r = ud;
    if (r->o->quiet)
        return;
    char hs[200];
    hypers_text(r->p, h, hs, sizeof hs);
    fprintf(stderr, "hpo hypergrad: step %d/%d: validation %.6g, test %.6g "
            "(%s)\n", step + 1, r->o->outer.steps, val, test, hs);
}

static void note(void *ud, const char *text)
{
    (void)ud;
    fprintf(stderr, "hpo hypergrad: %s\n", text);
}

static int load_data(const hg_opts *o, const hg_model *md, hpo__dataset *d)
{
    hpo__msg m = {0};
    hpo__data_opts dopts = {.target = o->target};
    int rc = hpo__data_load_with(d, o->data, &dopts, &m);
    if (rc == HPO_OK && md->task >= 0)
        rc = hpo__data_set_task(d, (hpo__task)md->task, &m);
    if (rc != HPO_OK)
        cli_error(CMD, "%s", hpo__msg_get(&m));
    for (int i = 0; rc == HPO_OK && i < d->n_notes; i++)
        fprintf(stderr, "hpo %s: %s: %s\n", CMD, o->data, d->notes[i]);
    hpo__msg_free(&m);
    return rc == HPO_OK ? 0 : CLI_EXIT_REFUSED(rc);
}

/* The start: lambda 1; a kernel width of sqrt(features) (the scale of
 * standardized distances); else the bounds' geometric mean. */
static void start_point(const hpo__hg_problem *p, int n_features, double *h)
{
    for (int i = 0; i < p->n_hyper; i++) {
        double lo, hi;
        p->hyper_bounds(p, i, &lo, &hi);
        const char *name = p->hyper_name(p, i);
        double x = strncmp(name, "lambda", 6) == 0 ? 1
                   : strcmp(name, "width") == 0 ? sqrt(n_features)
                                                : sqrt(lo * hi);
        h[i] = log(fmin(hi, fmax(lo, x)));
    }
}

static void print_row(const char *method, const hpo__hg_result *r,
                      long fits)
{
    printf("%-12s %6ld  %-14.6g %-14.6g", method, fits, r->best_val_loss,
           r->best_test_loss);
    if (!isnan(r->best_val_metric))
        printf(" %.4f", r->best_val_metric);
    printf("\n");
}

static int compare(const hg_run *run, hpo_storage *storage,
                   const char *study_name, const hpo__hg_result *hg)
{
    const char *list = run->o->samplers ? run->o->samplers
                                        : "grid,random,tpe,gp";
    char *copy = strdup(list), *save = NULL;
    if (!copy) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILED;
    }
    int fits = hg->steps_done, code = 0;
    for (char *s = strtok_r(copy, ",", &save); s && !code;
         s = strtok_r(NULL, ",", &save)) {
        char name[300];
        snprintf(name, sizeof name, "%s-%s", study_name, s);
        hpo__hg_result r;
        hpo__msg m = {0};
        long before = run->p->fits;
        if (!run->o->quiet)
            fprintf(stderr, "hpo hypergrad: %s, %d fits...\n", s, fits);
        int rc = hpo__hg_blackbox(run->p, s, fits, run->o->seed, storage,
                                  name, &r, &m);
        if (rc != HPO_OK) {
            cli_error(CMD, "%s: %s", s, hpo__msg_get(&m));
            code = CLI_EXIT_REFUSED(rc);
        } else {
            print_row(s, &r, run->p->fits - before);
        }
        hpo__msg_free(&m);
    }
    free(copy);
    return code;
}

static int descend(hg_run *run, hpo_storage *storage, const char *study_name)
{
    hpo_study *study = NULL;
    hpo__msg m = {0};
    int code = 0;
    if (storage) {
        study = hpo_study_new();
        if (!study || hpo_study_set_storage(study, storage) != HPO_OK ||
            hpo_study_open(study, study_name, HPO_OPEN_CREATE) != HPO_OK) {
            cli_error(CMD, "study '%s': %s", study_name,
                      study ? hpo_study_errmsg(study) : "out of memory");
            hpo_study_free(study);
            return CLI_EXIT_USAGE;
        }
    }
    double *h = calloc((size_t)run->p->n_hyper, sizeof *h);
    hpo__hg_outer_opts outer = run->o->outer;
    outer.progress = progress;
    outer.note = note;
    outer.progress_ud = run;
    hpo__hg_result r;
    int rc = h ? HPO_OK : HPO_ENOMEM;
    if (h) {
        if (run->md->start)
            run->md->start(run->p, run->ctx, h);
        else
            start_point(run->p, run->ctx->data->n_features, h);
        rc = hpo__hg_descend(run->p, h, &outer, study, &r, &m);
    }
    if (rc != HPO_OK) {
        cli_error(CMD, "%s", h ? hpo__msg_get(&m) : "out of memory");
        code = rc == HPO_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    } else {
        char hs[200];
        hypers_text(run->p, h, hs, sizeof hs);
        printf("%s: best validation loss %.6g, its test loss %.6g, %d "
               "steps, %ld fits%s\n  at %s\n", run->md->name, r.best_val_loss,
               r.best_test_loss, r.steps_done, r.fits,
               r.halvings ? " (step size halved)" : "", hs);
        if (run->o->compare) {
            printf("\n%-12s %6s  %-14s %-14s%s\n", "method", "fits",
                   "validation", "test", isnan(r.best_val_metric)
                   ? "" : " val error");
            print_row("hypergrad", &r, r.fits);
            code = compare(run, storage, study_name, &r);
        }
    }
    free(h);
    hpo_study_free(study);
    hpo__msg_free(&m);
    return code;
}

static int run_model(const hg_opts *o, const hg_model *md)
{
    hpo__dataset d;
    memset(&d, 0, sizeof d);
    hpo__hg_split split;
    memset(&split, 0, sizeof split);
    hpo__msg m = {0};
    hpo_storage *storage = NULL;
    hg_ctx ctx = {&d, &split, o->per_feature, o->solver, o->seed, &o->sgd};
    hg_run run = {o, md, &ctx, NULL};
    int code = load_data(o, md, &d);
    if (!code && md->split &&
        hpo__hg_split_make(&d, 0.6, 0.2, o->seed, &split, &m) != HPO_OK) {
        cli_error(CMD, "%s", hpo__msg_get(&m));
        code = CLI_EXIT_USAGE;
    }
    if (!code && md->make(&ctx, &run.p, &m) != HPO_OK) {
        cli_error(CMD, "%s", hpo__msg_get(&m));
        code = CLI_EXIT_USAGE;
    }
    if (!code && o->storage)
        code = cli_open_storage(CMD, o->storage, 0, &storage);
    char study_name[200];
    snprintf(study_name, sizeof study_name, "%s",
             o->study ? o->study : "hypergrad-");
    if (!o->study)
        snprintf(study_name + strlen(study_name),
                 sizeof study_name - strlen(study_name), "%s", md->name);
    if (!code && !md->split) /* mlp, linear: their own split */
        hpo__hg_sgd_rows(run.p, split.n);
    if (!code && !o->quiet)
        fprintf(stderr, "hpo hypergrad: %s on %s: %d train, %d validation, "
                "%d test rows, %d features, %d hyperparameter(s)\n",
                md->name, o->data, split.n[0], split.n[1], split.n[2],
                d.n_features, run.p->n_hyper);
    if (!code)
        code = descend(&run, storage, study_name);
    if (run.p)
        run.p->destroy(run.p);
    hpo_storage_close(storage);
    hpo__hg_split_free(&split);
    hpo__data_free(&d);
    hpo__msg_free(&m);
    return code;
}

int cli_hypergrad(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        int asked = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                                  strcmp(argv[1], "-h") == 0);
        hg_help(asked ? stdout : stderr);
        return asked ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    const hg_model *md = find_model(argv[1]);
    if (!md) {
        cli_error(CMD, "unknown model '%s' (hpo hypergrad --help lists "
                  "them)", argv[1]);
        return CLI_EXIT_USAGE;
    }
    hg_opts o = {0};
    cli_hg_sgd_defaults(&o.sgd);
    hpo__hg_outer_defaults(&o.outer, 30);
    o.outer.method = HPO__HG_LBFGS; /* quasi-Newton from lambda = 1 */
    o.outer.step_size = 0.3;
    int rc = parse(&o, argc - 1, argv + 1);
    if (rc >= 0)
        return rc;
    return run_model(&o, md);
}
