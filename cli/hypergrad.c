/*
 * hypergrad.c — `hpo hypergrad MODEL --data FILE [options]`: tune a
 * learner's continuous hyperparameters by hypergradients (issue 14;
 * src/hypergrad/, the library's hpo_study_hypergrad), showing progress per
 * outer step and a summary, and with --compare the same problem tuned by
 * grid, random, TPE and GP at the same number of fits beside it.
 *
 * The flags fill hpo_hypergrad_options; the run is the library's, in its
 * two halves (src/hypergrad/session.h): the data and the model are built
 * before the study is created (bad data leave no empty study behind), and
 * the problem is kept after the descent for --compare.
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
#include "hypergrad_sgd.h"

#define CMD "hypergrad"

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
    const char *storage, *study, *samplers;
    int compare, quiet;
    hpo_hypergrad_options run; /* what the library takes */
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
    const hpo__hg_model *md;
    for (int i = 0; (md = hpo__hg_model_at(i)); i++)
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
    hpo_hypergrad_options *r = &o->run;
    int64_t n;
    hpo__msg m = {0};
    hpo__hg_method method;
    hpo__hg_solver solver;
    int rc = 0;
    switch (id) {
    case OPT_DATA: r->data_path = v; break;
    case OPT_TARGET: r->target = v; break;
    case OPT_PER_FEATURE: r->per_feature = 1; break;
    case OPT_COMPARE: o->compare = 1; break;
    case OPT_QUIET: o->quiet = 1; break;
    case OPT_STORAGE: o->storage = v; break;
    case OPT_STUDY: o->study = v; break;
    case OPT_SAMPLERS: o->samplers = v; break;
    case OPT_STEPS:
        if (cli_parse_int(CMD, "--steps", v, 1, 1000000, &n))
            return CLI_EXIT_USAGE;
        r->steps = (int)n;
        break;
    case OPT_METHOD:
        rc = cli_hg_checked("--method", v,
                            hpo__hg_method_parse(v, &method, &m), &m,
                            &r->method);
        break;
    case OPT_SOLVER:
        rc = cli_hg_checked("--solver", v,
                            hpo__hg_solver_parse(v, &solver, &m), &m,
                            &r->solver);
        break;
    case OPT_STEP_SIZE:
        rc = parse_double("--step-size", v, 1e-12, &r->step_size);
        break;
    case OPT_TOL0: rc = parse_double("--tol0", v, 0, &r->tol0); break;
    case OPT_SEED:
        if (cli_parse_u64(CMD, "--seed", v, &r->seed))
            return CLI_EXIT_USAGE;
        break;
    default: rc = cli_hg_sgd_option(r, id - OPT_SGD, v); break;
    }
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
    if (rc < 0 && !o->run.data_path) {
        cli_error(CMD, "--data FILE is required");
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

/* ---- the run ---------------------------------------------------------------- */

/* "lambda 0.53" for one or two hyperparameters, else the geometric mean
 * and the range. */
static void hypers_text(int n, const char *const *names,
                        const double *values, char *out, size_t size)
{
    if (n <= 2) {
        size_t len = 0;
        out[0] = '\0';
        for (int i = 0; i < n && len < size; i++)
            len += (size_t)snprintf(out + len, size - len, "%s%s %.4g",
                                    i ? ", " : "", names[i], values[i]);
        return;
    }
    double lo = values[0], hi = values[0], sum = 0;
    for (int i = 0; i < n; i++) {
        lo = fmin(lo, values[i]);
        hi = fmax(hi, values[i]);
        sum += log(values[i]);
    }
    snprintf(out, size, "%d hyperparameters: geometric mean %.3g, range "
             "%.3g .. %.3g", n, exp(sum / n), lo, hi);
}

/* The library's progress: a line per step (unless -q), every note. */
static void progress(const hpo_hypergrad_progress *p, void *data)
{
    const hg_opts *o = data;
    if (p->note) {
        fprintf(stderr, "hpo hypergrad: %s\n", p->note);
        return;
    }
    if (o->quiet)
        return;
    char hs[200];
    hypers_text(p->n_hyper, p->names, p->values, hs, sizeof hs);
    fprintf(stderr, "hpo hypergrad: step %d/%d: validation %.6g, test %.6g "
            "(%s)\n", p->step, p->n_steps, p->val_loss, p->test_loss, hs);
}

static void print_row(const char *method, double val, double test,
                      double metric, long fits)
{
    printf("%-12s %6ld  %-14.6g %-14.6g", method, fits, val, test);
    if (!isnan(metric))
        printf(" %.4f", metric);
    printf("\n");
}

/* The same problem tuned by each sampler of the list at the fits the
 * descent spent. */
static int compare(const hg_opts *o, hpo__hg_problem *p, hpo_storage *storage,
                   const char *study_name, int fits)
{
    const char *list = o->samplers ? o->samplers : "grid,random,tpe,gp";
    char *copy = strdup(list), *save = NULL;
    if (!copy) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILED;
    }
    int code = 0;
    for (char *s = strtok_r(copy, ",", &save); s && !code;
         s = strtok_r(NULL, ",", &save)) {
        char name[300];
        snprintf(name, sizeof name, "%s-%s", study_name, s);
        hpo__hg_result r;
        hpo__msg m = {0};
        long before = p->fits;
        if (!o->quiet)
            fprintf(stderr, "hpo hypergrad: %s, %d fits...\n", s, fits);
        int rc = hpo__hg_blackbox(p, s, fits, o->run.seed, storage, name, &r,
                                  &m);
        if (rc != HPO_OK) {
            cli_error(CMD, "%s: %s", s, hpo__msg_get(&m));
            code = CLI_EXIT_REFUSED(rc);
        } else {
            print_row(s, r.best_val_loss, r.best_test_loss, r.best_val_metric,
                      p->fits - before);
        }
        hpo__msg_free(&m);
    }
    free(copy);
    return code;
}

/* The summary, and with --compare the table. */
static int report(const hg_opts *o, hpo__hg_session *s, hpo_storage *storage,
                  const char *study_name, const hpo_hypergrad_result *r)
{
    char hs[200];
    hypers_text(r->n_hyper, (const char *const *)r->names, r->best, hs,
                sizeof hs);
    printf("%s: best validation loss %.6g, its test loss %.6g, %d steps, "
           "%ld fits%s\n  at %s\n", s->plan.model->name, r->val_loss,
           r->test_loss, r->n_steps, r->fits,
           r->halvings ? " (step size halved)" : "", hs);
    if (!o->compare)
        return 0;
    printf("\n%-12s %6s  %-14s %-14s%s\n", "method", "fits", "validation",
           "test", isnan(r->val_metric) ? "" : " val error");
    print_row("hypergrad", r->val_loss, r->test_loss, r->val_metric,
              r->fits);
    return compare(o, s->p, storage, study_name, r->n_steps);
}

/* The study the steps are stored in: none without --storage. */
static int open_study(hpo_storage *storage, const char *name,
                      hpo_study **out)
{
    *out = NULL;
    if (!storage)
        return 0;
    hpo_study *study = hpo_study_new();
    if (!study || hpo_study_set_storage(study, storage) != HPO_OK ||
        hpo_study_open(study, name, HPO_OPEN_CREATE) != HPO_OK) {
        cli_error(CMD, "study '%s': %s", name,
                  study ? hpo_study_errmsg(study) : "out of memory");
        hpo_study_free(study);
        return CLI_EXIT_USAGE;
    }
    *out = study;
    return 0;
}

static int descend(const hg_opts *o, hpo__hg_session *s,
                   hpo_storage *storage, const char *study_name)
{
    hpo_study *study;
    int code = open_study(storage, study_name, &study);
    if (code)
        return code;
    hpo_hypergrad_result r;
    hpo__msg m = {0};
    int rc = hpo__hg_session_descend(s, study, &r, &m);
    if (rc != HPO_OK) {
        cli_error(CMD, "%s", hpo__msg_get(&m));
        code = rc == HPO_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    } else {
        code = report(o, s, storage, study_name, &r);
    }
    hpo_hypergrad_result_free(&r);
    hpo_study_free(study);
    hpo__msg_free(&m);
    return code;
}

static int run_model(const hg_opts *o)
{
    hpo__hg_session s;
    hpo__msg m = {0};
    hpo_storage *storage = NULL;
    int rc = hpo__hg_session_open(&s, &o->run, &m), code = 0;
    if (rc != HPO_OK) {
        cli_error(CMD, "%s", hpo__msg_get(&m));
        hpo__msg_free(&m);
        return CLI_EXIT_REFUSED(rc);
    }
    if (o->storage)
        code = cli_open_storage(CMD, o->storage, 0, &storage);
    char study_name[200];
    if (o->study)
        snprintf(study_name, sizeof study_name, "%s", o->study);
    else
        snprintf(study_name, sizeof study_name, "hypergrad-%s",
                 s.plan.model->name);
    if (!code && !o->quiet)
        fprintf(stderr, "hpo hypergrad: %s on %s: %d train, %d validation, "
                "%d test rows, %d features, %d hyperparameter(s)\n",
                s.plan.model->name, o->run.data_path, s.rows[0], s.rows[1],
                s.rows[2], s.data.n_features, s.p->n_hyper);
    if (!code)
        code = descend(o, &s, storage, study_name);
    hpo__hg_session_close(&s);
    hpo_storage_close(storage);
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
    if (!hpo__hg_model_find(argv[1])) {
        cli_error(CMD, "unknown model '%s' (hpo hypergrad --help lists "
                  "them)", argv[1]);
        return CLI_EXIT_USAGE;
    }
    hg_opts o = {0};
    hpo_hypergrad_options_default(&o.run);
    o.run.model = argv[1];
    o.run.progress = progress;
    o.run.progress_data = &o;
    int rc = parse(&o, argc - 1, argv + 1);
    if (rc >= 0)
        return rc;
    return run_model(&o);
}
