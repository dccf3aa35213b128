/*
 * best.c — `hpo best`: the best trial of a study, or for several
 * objectives its Pareto front; also what `hpo tune` prints at its end.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "show.h"

enum { OPT_STORAGE = 1, OPT_STUDY, OPT_FORMAT, OPT_HELP };

static const cli_option best_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"format", 'f', 1, OPT_FORMAT},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void best_help(FILE *out)
{
    fprintf(out,
"usage: hpo best --study NAME [--storage URL] [--format text|json]\n"
"\n"
"Print the best trial of a study: its number, value and parameters.  For a\n"
"study with several objectives, print every trial of the Pareto front.\n"
"\n"
"      --storage URL   where the study is (default $HPO_STORAGE, else\n"
"                      %s)\n"
"      --study NAME    the study\n"
"  -f, --format F      text (default) or json\n"
"\n"
"Exit status: 0 done, 1 no trial completed or a storage error, 2 bad usage\n"
"or no such study.\n", CLI_DEFAULT_STORAGE);
}

static void print_params(FILE *out, const hpo_trial *t)
{
    for (int i = 0; i < hpo_trial_n_params(t); i++)
        fprintf(out, "  %s = %s\n", hpo_trial_param_name(t, i),
                hpo_trial_param_text(t, i) ? hpo_trial_param_text(t, i)
                                           : "(out of memory)");
}

/* The values, and the constraints when the trial has any (the best trial
 * and the front hold only feasible trials: every constraint <= 0). */
static void print_values(FILE *out, const hpo_trial *t)
{
    char num[32];
    for (int i = 0; i < hpo_trial_n_values(t); i++) {
        show_number(num, sizeof num, hpo_trial_value(t, i));
        fprintf(out, "%s%s", i ? " " : "", num);
    }
    double c[HPO_MAX_CONSTRAINTS];
    int n = hpo_trial_constraints(t, c, HPO_MAX_CONSTRAINTS);
    for (int i = 0; i < n && i < HPO_MAX_CONSTRAINTS; i++) {
        show_number(num, sizeof num, c[i]);
        fprintf(out, "%s%s", i ? " " : " (constraints ", num);
    }
    if (n > 0)
        fputc(')', out);
}

/* The study's best trial; for a race (`hpo race`), the final elite's
 * summary trial that "race_best_trial" names, not the luckiest single
 * experiment. */
static int best_trial(hpo_study *study, hpo_trial **best)
{
    const char *race = hpo_study_user_attr(study, "race_best_trial");
    char *end;
    long number = race ? strtol(race, &end, 10) : -1;
    if (race && *end == '\0' && number >= 0 && number <= INT_MAX &&
        hpo_study_trial(study, (int)number, best) == HPO_OK) {
        if (hpo_trial_state_of(*best) == HPO_COMPLETE)
            return HPO_OK;
        hpo_trial_free(*best);
    }
    return hpo_study_best_trial(study, best);
}

static int print_single(FILE *out, hpo_study *study, int json)
{
    hpo_trial *best;
    int rc = best_trial(study, &best);
    if (rc != HPO_OK)
        return rc;
    if (json) {
        show_print_json(out, show_trial_json(best, 1, 0));
    } else {
        fprintf(out, "best trial %d: value ", hpo_trial_number(best));
        print_values(out, best);
        fputc('\n', out);
        print_params(out, best);
    }
    hpo_trial_free(best);
    return HPO_OK;
}

static int print_front(FILE *out, hpo_study *study, int json)
{
    hpo_trial **front;
    int n;
    int rc = hpo_study_pareto_front(study, &front, &n);
    if (rc != HPO_OK)
        return rc;
    if (n == 0) {
        hpo_trials_free(front, n);
        return HPO_ENOTFOUND;
    }
    if (json) {
        cJSON *a = cJSON_CreateArray();
        for (int i = 0; i < n; i++)
            cJSON_AddItemToArray(
                a, show_trial_json(front[i], hpo_study_n_objectives(study), 0));
        show_print_json(out, a);
    } else {
        fprintf(out, "pareto front: %d trial%s\n", n, n == 1 ? "" : "s");
        for (int i = 0; i < n; i++) {
            fprintf(out, "trial %d: values ", hpo_trial_number(front[i]));
            print_values(out, front[i]);
            fputc('\n', out);
            print_params(out, front[i]);
        }
    }
    hpo_trials_free(front, n);
    return HPO_OK;
}

int cli_print_best(FILE *out, hpo_study *study, int json)
{
    if (hpo_study_n_objectives(study) == 1)
        return print_single(out, study, json);
    return print_front(out, study, json);
}

int cli_best(int argc, char **argv)
{
    cli_args a;
    const char *v, *url = NULL, *name = NULL;
    int id, json = 0;
    cli_args_init(&a, "best", argc, argv);
    while ((id = cli_next_option(&a, best_options, &v)) > 0) {
        if (id == OPT_HELP) {
            best_help(stdout);
            return CLI_EXIT_OK;
        } else if (id == OPT_STORAGE) {
            url = v;
        } else if (id == OPT_STUDY) {
            name = v;
        } else if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
            json = strcmp(v, "json") == 0;
        } else {
            cli_error("best", "--format: '%s' is not text or json", v);
            return CLI_EXIT_USAGE;
        }
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    if (a.i < argc) {
        cli_error("best", "unexpected argument '%s'", argv[a.i]);
        return CLI_EXIT_USAGE;
    }
    if (!name) {
        cli_error("best", "--study is required");
        return CLI_EXIT_USAGE;
    }
    hpo_storage *storage;
    hpo_study *study;
    url = cli_storage_url(url);
    int rc = cli_open_study("best", url, name, &storage, &study);
    if (rc == CLI_EXIT_OK) {
        int r = cli_print_best(stdout, study, json);
        if (r == HPO_ENOTFOUND && hpo_study_n_objectives(study) > 1) {
            cli_error("best", "no feasible trial of '%s' completed", name);
            rc = CLI_EXIT_FAILED;
        } else if (r != HPO_OK) {
            cli_error("best", "%s", hpo_study_errmsg(study));
            rc = CLI_EXIT_FAILED;
        }
    }
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}
