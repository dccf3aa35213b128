/*
 * main.c — the hpo tool: dispatch to a subcommand.
 *
 * Like Lua's lua.c, the tool is just another client of the library's
 * public API (include/hpo.h).  Exit codes are one documented list
 * (cli.h, `hpo --help`, docs/cli.md).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "interrupt.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"tune", cli_tune, "run a command once per trial and optimize its output"},
    {"worker", cli_worker, "join a study hpo tune started and run its trials"},
    {"pbt", cli_pbt, "population-based training of a command with checkpoints"},
    {"enqueue", cli_enqueue, "add a trial with fixed parameters to a study"},
    {"best", cli_best, "print the best trial (or the Pareto front) of a study"},
    {"trials", cli_trials, "list the trials of a study (table, csv, json)"},
    {"studies", cli_studies, "list the studies of a storage (table, csv, json)"},
    {"delete-study", cli_delete_study, "delete a study and all its trials"},
    {"create-study", cli_create_study, "create an empty study (for ask and tell)"},
    {"ask", cli_ask, "start a trial and print its parameters as JSON"},
    {"tell", cli_tell, "finish a trial hpo ask started with its value(s)"},
    {"learn", cli_learn, "cross-validate one configuration of a learner"},
    {"tune-model", cli_tune_model, "tune a learner (svm, linear, xgboost, mlp) in-process"},
    {"hypergrad", cli_hypergrad, "tune ridge, logistic or krr by hypergradients"},
    {"nested-cv", cli_nested_cv, "estimate a tuned learner's error by nested CV"},
    {"importance", cli_importance, "how much each parameter decided the objective"},
    {"dashboard", cli_dashboard, "serve the studies as live web pages (read-only)"},
    {"report", cli_report, "write a study as one HTML page with plots"},
    {"race", cli_race, "iterated racing (irace) of a command over instances"},
    {NULL, NULL, NULL},
};

/* The samplers and pruners by name (--sampler, --pruner); their options
 * are in hpo tune --help. */
static void list_plugins(FILE *out)
{
    const char *name, *summary;
    fprintf(out, "\nSamplers (--sampler NAME[:k=v,...]; options in hpo tune "
            "--help):\n");
    for (int i = 0; (name = hpo_sampler_name(i, &summary)) != NULL; i++)
        fprintf(out, "  %-13s %s\n", name, summary ? summary : "");
    fprintf(out, "\nPruners (--pruner NAME[:k=v,...]):\n");
    for (int i = 0; (name = hpo_pruner_name(i, &summary)) != NULL; i++)
        fprintf(out, "  %-13s %s\n", name, summary ? summary : "");
}

static void usage(FILE *out)
{
    fprintf(out,
"usage: hpo COMMAND [options]\n"
"\n"
"Commands:\n");
    for (const subcommand *c = subcommands; c->name; c++)
        fprintf(out, "  %-13s %s\n", c->name, c->summary);
    list_plugins(out);
    fprintf(out,
"\n"
"Examples:\n"
"  hpo tune --study demo -n 50 -p lr=float:1e-5:1e-1:log -p depth=int:1:12 \\\n"
"      -- ./train --lr {lr} --depth {depth}\n"
"  hpo worker --storage postgresql://USER@HOST/DB --study demo\n"
"  hpo enqueue --study demo --param lr=0.01 --param depth=4\n"
"  hpo best --study demo\n"
"  hpo trials --study demo --format csv > trials.csv\n"
"  hpo studies\n"
"  hpo delete-study --study demo --yes\n"
"  hpo create-study --study loop -p x=float:-5:5\n"
"  hpo ask --study loop         # {\"number\": 0, \"params\": {\"x\": 1.25}}\n"
"  hpo tell --study loop --trial 0 --value 1.5625\n"
"  hpo report --study demo -o report.html\n"
"\n"
"Studies live in --storage URL: sqlite:///FILE.db (default: the\n"
"environment variable HPO_STORAGE, else %s), memory: or\n"
"postgresql://USER@HOST/DB.  'hpo COMMAND --help' tells more;\n"
"hpo --version prints the version.\n"
"\n"
"Exit status:\n"
"  0    success\n"
"  1    every trial failed, no trial completed (best), a deletion not\n"
"       confirmed, or a runtime error (storage, memory, the sampler)\n"
"  2    bad usage: an unknown or malformed option, a bad search space,\n"
"       a command that cannot be executed, no such study or storage file\n"
"  130  interrupted by Ctrl-C (SIGINT); 143 for SIGTERM\n",
            CLI_DEFAULT_STORAGE);
}

/* The child runner dups pipes onto 0, 1 and 2; make sure a pipe can never
 * be given one of those numbers because hpo was started with one closed. */
static void ensure_standard_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0)
            open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
}

int main(int argc, char **argv)
{
    ensure_standard_fds();
    /* hpo writes to pipes (its stdout may be one); a reader that went away
     * is an error to report, not a reason to die silently. */
    signal(SIGPIPE, SIG_IGN);
    /* Ctrl-C and SIGTERM: a running study stops cleanly; before or after
     * one, hpo exits at once (interrupt.h). */
    if (interrupt_install() != 0) {
        cli_error(NULL, "cannot install the signal handlers");
        return CLI_EXIT_FAILED;
    }
    if (cli_hide_url_passwords(argc, argv) != 0) {
        cli_error(NULL, "out of memory");
        return CLI_EXIT_FAILED;
    }
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        if (strcmp(cmd, "help") == 0 && argc > 2) {
            char *help_argv[] = {argv[2], "--help", NULL};
            for (const subcommand *c = subcommands; c->name; c++)
                if (strcmp(c->name, argv[2]) == 0)
                    return c->run(2, help_argv);
        }
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("hpo %s (libhpo %s)\n", HPO_VERSION_STRING, hpo_version());
        return CLI_EXIT_OK;
    }
    for (const subcommand *c = subcommands; c->name; c++)
        if (strcmp(c->name, cmd) == 0)
            return c->run(argc - 1, argv + 1);
    /* Unlisted: it writes docs/plugin-options.md. */
    if (strcmp(cmd, "help-plugins") == 0)
        return cli_help_plugins(argc - 1, argv + 1);
    cli_error(NULL, "unknown command '%s' (see hpo --help)", cmd);
    return CLI_EXIT_USAGE;
}
