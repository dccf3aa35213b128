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
