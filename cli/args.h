/*
 * args.h — option parsing shared by the subcommands.
 *
 * Options are GNU style: `--name VALUE`, `--name=VALUE`, `-x VALUE`,
 * flags without a value, and `--` ending the options.  Every error is one
 * line on stderr, "hpo CMD: what is wrong", and the caller exits with
 * CLI_EXIT_USAGE.
 */
#ifndef HPO_CLI_ARGS_H
#define HPO_CLI_ARGS_H

#include <stdint.h>
#include <stdio.h>

typedef struct cli_option {
    const char *name; /* long name without the dashes: "trials" */
    char short_name;  /* 'q', or 0 for none */
    int takes_value;
    int id;           /* returned by cli_next_option(); > 0 */
} cli_option;

typedef struct cli_args {
    const char *cmd; /* the subcommand, for messages: "tune" */
    int argc;
    char **argv;
    int i; /* the next argument to look at */
} cli_args;

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv);

/*
 * The next option among `opts` (terminated by a zeroed entry): its id,
 * with *value set for options that take one.  Returns 0 when the options
 * end (at `--`, which is consumed, or at the first argument that is not
 * an option); a->i then indexes the first remaining argument.  Returns -1
 * after printing an error (unknown option, missing or unexpected value).
 */
int cli_next_option(cli_args *a, const cli_option *opts, const char **value);

/* What cli_take_options returns when the help option is given. */
#define CLI_HELP_ASKED (-2)

/*
 * A subcommand's option loop: hand every option to take(data, id, value),
 * which returns 0 to go on or an exit code.  Returns -1 when the options
 * end (a->i then indexes the first remaining argument), CLI_HELP_ASKED at
 * the option help_id (nothing after it is read), CLI_EXIT_USAGE after a
 * bad option (printed), or take's exit code.
 */
int cli_take_options(cli_args *a, const cli_option *opts, int help_id,
                     int (*take)(void *data, int id, const char *value),
                     void *data);

/* No argument may follow the options: 0, or CLI_EXIT_USAGE after
 * "unexpected argument 'ARG'" followed by hint ("" for none). */
int cli_no_operands(const cli_args *a, const char *hint);

/*
 * The options of a study run, as tune, worker, tune-model and nested-cv
 * take them (each lists in its table those it has): --trials, --timeout,
 * --jobs, --sampler, --pruner, --seed, --storage, --study, and the log
 * options (-q, -v, --log-level, --log-file).
 * Their ids are above any subcommand's own.
 */
enum {
    CLI_OPT_TRIALS = 200, CLI_OPT_TIMEOUT, CLI_OPT_JOBS, CLI_OPT_SAMPLER,
    CLI_OPT_PRUNER, CLI_OPT_SEED, CLI_OPT_STORAGE, CLI_OPT_STUDY,
    CLI_OPT_QUIET, CLI_OPT_BUDGET_RESOURCE, CLI_OPT_MAX_RESOURCE,
    CLI_OPT_VERBOSE, CLI_OPT_LOG_LEVEL, CLI_OPT_LOG_FILE
};

/* What the run says and where (logging.h): -q, -v, --log-level,
 * --log-file; every command that runs trials has them. */
#define CLI_LOG_OPTIONS                                                    \
    {"quiet", 'q', 0, CLI_OPT_QUIET}, {"verbose", 'v', 0, CLI_OPT_VERBOSE}, \
    {"log-level", 0, 1, CLI_OPT_LOG_LEVEL},                                \
    {"log-file", 0, 1, CLI_OPT_LOG_FILE}

/* Their help lines. */
#define CLI_LOG_HELP                                                       \
"  -q, --quiet             no progress, no per-trial lines, no summary\n"  \
"                          (--log-level error)\n"                          \
"  -v, --verbose           more: in-trial steps, the library's debug lines\n" \
"                          (--log-level debug)\n"                          \
"      --log-level L       debug, info (default), warning or error: what\n" \
"                          standard error shows\n"                         \
"      --log-file FILE     append every line, timestamped, to FILE (info\n" \
"                          and above whatever the terminal shows; debug\n" \
"                          too with -v)\n"

/* The resource budget's entries (tune and tune-model): not in
 * CLI_RUN_OPTIONS, since nested-cv has no use for them. */
#define CLI_RESOURCE_OPTIONS                                               \
    {"budget-resource", 0, 1, CLI_OPT_BUDGET_RESOURCE},                    \
    {"max-resource", 0, 1, CLI_OPT_MAX_RESOURCE}

/* Their help lines. */
#define CLI_RESOURCE_HELP                                                  \
"      --budget-resource N start no trial once the study's trials have used\n" \
"                          N more units of resource (reported steps: epochs,\n" \
"                          rounds); running trials finish\n"                \
"      --max-resource R    a trial that completes without reports counts R\n" \
"                          units (default 1)\n"

/* The most a resource option takes: kept exactly as a JSON number. */
#define CLI_RESOURCE_MAX 1000000000000000LL

/* Their table entries, but --timeout (not every subcommand has it). */
#define CLI_RUN_OPTIONS                                                    \
    {"trials", 'n', 1, CLI_OPT_TRIALS}, {"jobs", 'j', 1, CLI_OPT_JOBS},    \
    {"sampler", 0, 1, CLI_OPT_SAMPLER}, {"pruner", 0, 1, CLI_OPT_PRUNER},  \
    {"seed", 0, 1, CLI_OPT_SEED}, {"storage", 0, 1, CLI_OPT_STORAGE},      \
    {"study", 0, 1, CLI_OPT_STUDY}, CLI_LOG_OPTIONS

typedef struct cli_run_opts {
    const char *storage_url, *study_name, *sampler, *pruner;
    int64_t n_trials, jobs;
    int64_t max_jobs; /* the most --jobs accepts; set before parsing */
    int trials_given;
    double timeout_s;
    int have_seed;
    uint64_t seed;
    int quiet;
    int verbose;             /* -v */
    int have_log_level, log_level; /* --log-level (logging.h's log_level) */
    const char *log_file;    /* --log-file */
    int64_t budget_resource; /* --budget-resource; 0 = none */
    int64_t max_resource;    /* --max-resource; 0 = count 1 */
} cli_run_opts;

/* Is id one of those options? */
int cli_is_run_option(int id);
/* Take one of them: 0, or CLI_EXIT_USAGE after printing why. */
int cli_take_run_option(const char *cmd, int id, const char *value,
                        cli_run_opts *o);

/* Every sampler (pruners 0) or pruner (1) with its options, from their
 * tables (hpo_plugin_describe): text for --help, or markdown for
 * docs/plugin-options.md.  -1 when out of memory. */
int cli_list_registry(FILE *out, int pruners, int markdown);

/* While `where` is set (not NULL), cli_error prints "hpo CMD: WHERE:
 * message": a run configuration file's "FILE:LINE". */
void cli_error_where(const char *where);

/* "hpo CMD: message" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Value parsers: 0 on success, else -1 after printing
 * "hpo CMD: --FLAG: 'TEXT' is not a whole number" or the like. */
int cli_parse_int(const char *cmd, const char *flag, const char *text,
                  int64_t min, int64_t max, int64_t *out);
int cli_parse_u64(const char *cmd, const char *flag, const char *text,
                  uint64_t *out);
/* Seconds, > 0: "90", "1.5", "30s", "10m", "2h". */
int cli_parse_duration(const char *cmd, const char *flag, const char *text,
                       double *seconds);

/* Does `text` spell a whole number / any number (nan and inf included)
 * with nothing else around it? */
int cli_text_to_i64(const char *text, int64_t *out);
int cli_text_to_double(const char *text, double *out);

#endif
