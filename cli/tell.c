/*
 * tell.c — `hpo tell --study NAME --trial N --value V [V2 ...]` or
 * `--state fail|pruned`: finish a trial `hpo ask` started, as Optuna's
 * `optuna tell` does.
 *
 * Everything is checked before anything is written: the trial exists, is
 * RUNNING (a finished trial is never changed: telling it again is an
 * error, or with --skip-if-finished a no-op), and gets one number per
 * objective.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "ask_config.h"
#include "cli.h"
#include "jsontext.h"

#define CMD "tell"

enum { OPT_TRIAL = 1, OPT_VALUE, OPT_STATE, OPT_SKIP, OPT_ATTR, OPT_HELP };

#define MAX_ATTRS 64

static const cli_option tell_options[] = {
    {"trial", 0, 1, OPT_TRIAL},
    {"trial-number", 0, 1, OPT_TRIAL}, /* Optuna's spelling */
    {"value", 0, 1, OPT_VALUE},
    {"values", 0, 1, OPT_VALUE},
    {"state", 0, 1, OPT_STATE},
    {"skip-if-finished", 0, 0, OPT_SKIP},
    {"attr", 0, 1, OPT_ATTR},
    {"storage", 0, 1, CLI_OPT_STORAGE},
    {"study", 0, 1, CLI_OPT_STUDY},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void tell_help(FILE *out)
{
    fprintf(out,
"usage: hpo tell --study NAME [--storage URL] --trial N --value V [V2 ...]\n"
"       hpo tell --study NAME [--storage URL] --trial N --state fail|pruned\n"
"\n"
"Finish trial N, which hpo ask started: COMPLETE with one value per\n"
"objective, or FAIL, or PRUNED (its last intermediate value, if any, is\n"
"its value, as Optuna records it).  A NaN value makes the trial FAIL.\n"
"\n"
"      --storage URL       the study's storage (default $HPO_STORAGE, else\n"
"                          %s)\n"
"      --study NAME        the study\n"
"      --trial N           the trial's number, as hpo ask printed it\n"
"      --value V [V2 ...]  its value(s), one per objective\n"
"      --state S           complete (the default with --value), fail or\n"
"                          pruned\n"
"      --skip-if-finished  a trial already finished is left as it is, and\n"
"                          this is not an error\n"
"      --attr NAME=VALUE   also store a user attribute (a metric), typed as\n"
"                          '@hpo attr' types it; repeat for several\n"
"\n"
"Prints the trial's number, state and values.\n"
"Exit status: 0 done, 1 a storage error, 2 bad usage, no such study or\n"
"trial, a trial already finished, or a wrong number of values.\n",
            CLI_DEFAULT_STORAGE);
}

typedef struct tell_opts {
    cli_run_opts run;
    int64_t trial;
    int trial_given, skip_if_finished, state_given;
    hpo_trial_state state;
    double values[HPO_MAX_OBJECTIVES];
    int n_values;
    const char *attrs[MAX_ATTRS]; /* NAME=VALUE, borrowed from argv */
    int n_attrs;
} tell_opts;

static int add_value(tell_opts *o, const char *text)
{
    if (o->n_values == HPO_MAX_OBJECTIVES) {
        cli_error(CMD, "--value: at most %d values", HPO_MAX_OBJECTIVES);
        return CLI_EXIT_USAGE;
    }
    if (!cli_text_to_double(text, &o->values[o->n_values])) {
        cli_error(CMD, "--value: '%s' is not a number", text);
        return CLI_EXIT_USAGE;
    }
    o->n_values++;
    return 0;
}

static int take_state(tell_opts *o, const char *v)
{
    static const struct { const char *name; hpo_trial_state state; } names[] = {
        {"complete", HPO_COMPLETE}, {"fail", HPO_FAIL}, {"pruned", HPO_PRUNED_STATE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(v, names[i].name) == 0) {
            o->state = names[i].state;
            o->state_given = 1;
            return 0;
        }
    cli_error(CMD, "--state: '%s' is not complete, fail or pruned", v);
    return CLI_EXIT_USAGE;
}

/* --value takes the arguments after it that are not options: negative
 * numbers included, so `--value -1.5 2` is two values. */
static int take_values(tell_opts *o, cli_args *a, const char *first)
{
    int rc = add_value(o, first);
    double ignored;
    while (!rc && a->i < a->argc &&
           (a->argv[a->i][0] != '-' || cli_text_to_double(a->argv[a->i], &ignored)))
        rc = add_value(o, a->argv[a->i++]);
    return rc;
}

static int take_option(tell_opts *o, cli_args *a, int id, const char *v)
{
    switch (id) {
    case OPT_TRIAL:
        o->trial_given = 1;
        return cli_parse_int(CMD, "--trial", v, 0, INT32_MAX, &o->trial)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_VALUE:
        return take_values(o, a, v);
    case OPT_STATE:
        return take_state(o, v);
    case OPT_SKIP:
        o->skip_if_finished = 1;
        return 0;
    case OPT_ATTR:
        if (!strchr(v, '=') || *v == '=') {
            cli_error(CMD, "--attr: '%s' is not NAME=VALUE", v);
            return CLI_EXIT_USAGE;
        }
        if (o->n_attrs == MAX_ATTRS) {
            cli_error(CMD, "--attr: at most %d attributes", MAX_ATTRS);
            return CLI_EXIT_USAGE;
        }
        o->attrs[o->n_attrs++] = v;
        return 0;
    }
    return cli_take_run_option(CMD, id, v, &o->run);
}

/* The flags agree with each other: -1 to go on, else an exit code. */
static int check_flags(tell_opts *o)
{
    const char *missing = !o->run.study_name ? "--study"
                          : !o->trial_given  ? "--trial"
                          : !o->n_values && !o->state_given
                              ? "--value (or --state fail|pruned)"
                              : NULL;
    if (missing) {
        cli_error(CMD, "%s is required", missing);
        return CLI_EXIT_USAGE;
    }
    if (!o->state_given)
        o->state = HPO_COMPLETE;
    if (o->state == HPO_COMPLETE && !o->n_values) {
        cli_error(CMD, "--state complete needs --value");
        return CLI_EXIT_USAGE;
    }
    if (o->state != HPO_COMPLETE && o->n_values) {
        cli_error(CMD, "--state %s takes no --value", o->state == HPO_FAIL
                  ? "fail" : "pruned (its value is its last report)");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

static int parse_options(tell_opts *o, int argc, char **argv)
{
    cli_args a;
    const char *v;
    int id, rc = 0;
    cli_args_init(&a, CMD, argc, argv);
    while (!rc && (id = cli_next_option(&a, tell_options, &v)) > 0) {
        if (id == OPT_HELP) {
            tell_help(stdout);
            return CLI_EXIT_OK;
        }
        rc = take_option(o, &a, id, v);
    }
    if (rc)
        return rc;
    if (id < 0)
        return CLI_EXIT_USAGE;
    if ((rc = cli_no_operands(&a, "")))
        return rc;
    return check_flags(o);
}

/* "trial 3 COMPLETE 0.25" (the values as stored, every digit needed). */
static void print_told(const hpo_trial *t)
{
    printf("trial %d %s", hpo_trial_number(t),
           hpo_state_name(hpo_trial_state_of(t)));
    for (int i = 0; i < hpo_trial_n_values(t); i++) {
        /* the shortest text that reads back as the stored value */
        char text[32];
        double v = hpo_trial_value(t, i);
        snprintf(text, sizeof text, "%.15g", v);
        if (strtod(text, NULL) != v)
            snprintf(text, sizeof text, "%.17g", v);
        printf(" %s", text);
    }
    printf("\n");
}

/* Why trial t cannot be told: 0 if it can; else an exit code after the
 * message (with --skip-if-finished a finished trial is a no-op, 0 after
 * saying so on stdout, with *skip set). */
static int check_trial(const tell_opts *o, hpo_study *study,
                       const hpo_trial *t, int *skip)
{
    hpo_trial_state state = hpo_trial_state_of(t);
    int n_obj = hpo_study_n_objectives(study);
    *skip = 0;
    if (state == HPO_WAITING) {
        cli_error(CMD, "trial %d is waiting (enqueued, not asked yet): hpo "
                  "ask hands it out first", hpo_trial_number(t));
        return CLI_EXIT_USAGE;
    }
    if (state != HPO_RUNNING && o->skip_if_finished) {
        *skip = 1;
        printf("trial %d is already finished (%s): skipped\n",
               hpo_trial_number(t), hpo_state_name(state));
        return 0;
    }
    if (state != HPO_RUNNING) {
        cli_error(CMD, "trial %d is already finished (%s); it is left as it "
                  "is (--skip-if-finished makes this no error)",
                  hpo_trial_number(t), hpo_state_name(state));
        return CLI_EXIT_USAGE;
    }
    if (o->state == HPO_COMPLETE && o->n_values != n_obj) {
        cli_error(CMD, "--value: %d value%s given, the study has %d "
                  "objective%s", o->n_values, o->n_values == 1 ? "" : "s",
                  n_obj, n_obj == 1 ? "" : "s");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* The --attr values on the trial, before it is told; 0 or an exit code
 * (nothing is told then). */
static int set_attrs(const tell_opts *o, hpo_trial *t)
{
    for (int i = 0; i < o->n_attrs; i++) {
        const char *eq = strchr(o->attrs[i], '=');
        char *name = strndup(o->attrs[i], (size_t)(eq - o->attrs[i]));
        char *json = json_from_text(eq + 1);
        int rc = name && json ? hpo_trial_set_user_attr(t, name, json)
                              : HPO_ENOMEM;
        free(name);
        free(json);
        if (rc != HPO_OK) {
            cli_error(CMD, "--attr '%s': %s", o->attrs[i],
                      rc == HPO_ENOMEM ? "out of memory" : hpo_trial_errmsg(t));
            return rc == HPO_ENOMEM || rc == HPO_ESTORAGE ? CLI_EXIT_FAILED
                                                          : CLI_EXIT_USAGE;
        }
    }
    return 0;
}

static int tell(const tell_opts *o, hpo_study *study)
{
    hpo_trial *t = NULL;
    int skip, rc = hpo_study_trial(study, (int)o->trial, &t);
    if (rc == HPO_ENOTFOUND) {
        cli_error(CMD, "--trial: study '%s' has no trial %d",
                  hpo_study_name(study), (int)o->trial);
        return CLI_EXIT_USAGE;
    }
    if (rc != HPO_OK) {
        cli_error(CMD, "%s", hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    int exit = check_trial(o, study, t, &skip);
    if (!exit && !skip)
        exit = set_attrs(o, t);
    if (!exit && !skip) {
        rc = hpo_study_tell(study, t, o->state, o->values, o->n_values);
        if (rc == HPO_OK) {
            print_told(t);
        } else {
            cli_error(CMD, "trial %d: %s", (int)o->trial, hpo_trial_errmsg(t));
            exit = rc == HPO_EFINISHED ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
        }
    }
    hpo_trial_free(t);
    return exit;
}

int cli_tell(int argc, char **argv)
{
    tell_opts o = {0};
    int rc = parse_options(&o, argc, argv);
    if (rc >= 0)
        return rc;
    ask_flags f = {.storage_url = cli_storage_url(o.run.storage_url),
                   .study_name = o.run.study_name};
    hpo_storage *storage = NULL;
    hpo_study *study = NULL;
    f.space = hpo_space_new();
    rc = f.space ? ask_open_study(CMD, &f, 0, &storage, &study)
                 : CLI_EXIT_FAILED;
    if (!f.space)
        cli_error(CMD, "out of memory");
    if (rc == CLI_EXIT_OK)
        rc = tell(&o, study);
    hpo_study_free(study);
    hpo_storage_close(storage);
    hpo_space_free(f.space);
    return rc;
}
