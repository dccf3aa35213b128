/*
 * args.c — GNU-style option parsing and value parsers with one-line
 * errors that name the flag and the offending text.
 */
#define _GNU_SOURCE 1 /* asprintf */
#include "args.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hpo_plugin.h"
#include "logging.h"

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv)
{
    a->cmd = cmd;
    a->argc = argc;
    a->argv = argv;
    a->i = 1; /* argv[0] is the subcommand */
}

/* Where the values being taken come from, when not the command line. */
static const char *error_where;

void cli_error_where(const char *where)
{
    error_where = where;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cli_message_line(fmt, ap);
    va_end(ap);
    char *line = NULL;
    if (asprintf(&line, "hpo%s%s: %s%s%s", cmd ? " " : "", cmd ? cmd : "",
                 error_where ? error_where : "", error_where ? ": " : "",
                 msg ? msg : "out of memory") < 0)
        line = NULL;
    fprintf(stderr, "%s\n", line ? line : "hpo: out of memory");
    log_file_error(line ? line : "hpo: out of memory");
    free(line);
    free(msg);
}

static const cli_option *find_long(const cli_option *opts, const char *name,
                                   size_t len)
{
    for (; opts->name; opts++)
        if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
            return opts;
    return NULL;
}

static const cli_option *find_short(const cli_option *opts, char c)
{
    for (; opts->name; opts++)
        if (opts->short_name && opts->short_name == c)
            return opts;
    return NULL;
}

/* The value of an option that takes one: after '=' or the next argument. */
static int take_value(cli_args *a, const cli_option *o, const char *inline_v,
                      const char *spelled, const char **value)
{
    if (!o->takes_value) {
        if (inline_v) {
            cli_error(a->cmd, "%s takes no value", spelled);
            return -1;
        }
        *value = NULL;
        return o->id;
    }
    if (inline_v) {
        *value = inline_v;
        return o->id;
    }
    if (a->i >= a->argc) {
        cli_error(a->cmd, "%s needs a value", spelled);
        return -1;
    }
    *value = a->argv[a->i++];
    return o->id;
}

int cli_next_option(cli_args *a, const cli_option *opts, const char **value)
{
    *value = NULL;
    if (a->i >= a->argc)
        return 0;
    const char *arg = a->argv[a->i];
    if (strcmp(arg, "--") == 0) {
        a->i++;
        return 0;
    }
    if (arg[0] != '-' || arg[1] == '\0')
        return 0; /* the first operand */
    a->i++;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const cli_option *o = find_long(opts, name, len);
        if (!o) {
            cli_error(a->cmd, "unknown option '--%.*s' (see hpo %s --help)",
                      (int)len, name, a->cmd);
            return -1;
        }
        char spelled[80];
        snprintf(spelled, sizeof spelled, "--%s", o->name);
        return take_value(a, o, eq ? eq + 1 : NULL, spelled, value);
    }
    /* A short option: -q, or -n VALUE / -nVALUE. */
    const cli_option *o = find_short(opts, arg[1]);
    if (!o) {
        cli_error(a->cmd, "unknown option '%s' (see hpo %s --help)", arg,
                  a->cmd);
        return -1;
    }
    char spelled[8];
    snprintf(spelled, sizeof spelled, "-%c", arg[1]);
    if (arg[2] != '\0' && !o->takes_value) {
        cli_error(a->cmd, "unknown option '%s' (see hpo %s --help)", arg,
                  a->cmd);
        return -1;
    }
    return take_value(a, o, arg[2] ? arg + 2 : NULL, spelled, value);
}

int cli_take_options(cli_args *a, const cli_option *opts, int help_id,
                     int (*take)(void *data, int id, const char *value),
                     void *data)
{
    const char *v;
    int id;
    while ((id = cli_next_option(a, opts, &v)) > 0) {
        if (id == help_id)
            return CLI_HELP_ASKED;
        int rc = take(data, id, v);
        if (rc)
            return rc;
    }
    return id < 0 ? CLI_EXIT_USAGE : -1;
}

int cli_no_operands(const cli_args *a, const char *hint)
{
    if (a->i >= a->argc)
        return 0;
    cli_error(a->cmd, "unexpected argument '%s'%s", a->argv[a->i], hint);
    return CLI_EXIT_USAGE;
}

/* ------------------------------------------------------------------------- */
/* The options of a study run                                                 */
/* ------------------------------------------------------------------------- */

int cli_is_run_option(int id)
{
    return id >= CLI_OPT_TRIALS && id <= CLI_OPT_LOG_FILE;
}

/* A number of resource units: a whole number from 1 on. */
static int parse_resource(const char *cmd, const char *flag, const char *text,
                          int64_t *out)
{
    int64_t v;
    if (!cli_text_to_i64(text, &v) || v < 1 || v > CLI_RESOURCE_MAX) {
        cli_error(cmd, "%s: '%s' is not a whole number of resource units "
                  "from 1 to %lld (steps: epochs, boosting rounds)", flag,
                  text, (long long)CLI_RESOURCE_MAX);
        return -1;
    }
    *out = v;
    return 0;
}

/* --log-level's names, in logging.h's order. */
static int parse_log_level(const char *cmd, const char *text, int *out)
{
    static const char *const names[] = {"debug", "info", "warning", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return 0;
        }
    cli_error(cmd, "--log-level: '%s' is not debug, info, warning or error",
              text);
    return -1;
}

/* A flag's value parser answers 0 or -1; an option answers an exit code. */
static int usage_if(int failed)
{
    return failed ? CLI_EXIT_USAGE : 0;
}

int cli_take_run_option(const char *cmd, int id, const char *v,
                        cli_run_opts *o)
{
    switch (id) {
    case CLI_OPT_TRIALS:
        o->trials_given = 1;
        return usage_if(cli_parse_int(cmd, "--trials", v, 1, INT_MAX,
                                      &o->n_trials));
    case CLI_OPT_TIMEOUT:
        return usage_if(cli_parse_duration(cmd, "--timeout", v,
                                           &o->timeout_s));
    case CLI_OPT_JOBS:
        return usage_if(cli_parse_int(cmd, "--jobs", v, 1, o->max_jobs,
                                      &o->jobs));
    case CLI_OPT_SAMPLER:
        o->sampler = v;
        return 0;
    case CLI_OPT_PRUNER:
        o->pruner = v;
        return 0;
    case CLI_OPT_SEED:
        o->have_seed = 1;
        return usage_if(cli_parse_u64(cmd, "--seed", v, &o->seed));
    case CLI_OPT_STORAGE:
        o->storage_url = v;
        return 0;
    case CLI_OPT_STUDY:
        if (!*v) {
            cli_error(cmd, "--study: the name is empty");
            return CLI_EXIT_USAGE;
        }
        o->study_name = v;
        return 0;
    case CLI_OPT_QUIET:
        o->quiet = 1;
        return 0;
    case CLI_OPT_VERBOSE:
        o->verbose = 1;
        return 0;
    case CLI_OPT_LOG_LEVEL:
        o->have_log_level = 1;
        return usage_if(parse_log_level(cmd, v, &o->log_level));
    case CLI_OPT_LOG_FILE:
        if (!*v) {
            cli_error(cmd, "--log-file: the name is empty");
            return CLI_EXIT_USAGE;
        }
        o->log_file = v;
        return 0;
    case CLI_OPT_BUDGET_RESOURCE:
        return usage_if(parse_resource(cmd, "--budget-resource", v,
                                       &o->budget_resource));
    case CLI_OPT_MAX_RESOURCE:
        return usage_if(parse_resource(cmd, "--max-resource", v,
                                       &o->max_resource));
    }
    return CLI_EXIT_USAGE;
}

/* Both plug-in types start with their head. */
static const hpo_plugin_head *plugin_at(int pruners, int i)
{
    return pruners ? (const hpo_plugin_head *)hpo_pruner_at(i)
                   : (const hpo_plugin_head *)hpo_sampler_at(i);
}

int cli_list_registry(FILE *out, int pruners, int markdown)
{
    const hpo_plugin_head *h;
    for (int i = 0; (h = plugin_at(pruners, i)) != NULL; i++) {
        char *text = hpo_plugin_describe(h, markdown);
        if (!text)
            return -1;
        fputs(text, out);
        free(text);
    }
    return 0;
}

int cli_text_to_i64(const char *text, int64_t *out)
{
    char *end;
    if (!text || !*text)
        return 0;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return 0;
    *out = (int64_t)v;
    return 1;
}

int cli_text_to_double(const char *text, double *out)
{
    char *end;
    if (!text || !*text)
        return 0;
    double v = strtod(text, &end);
    if (*end != '\0' || end == text)
        return 0;
    *out = v;
    return 1;
}

int cli_parse_int(const char *cmd, const char *flag, const char *text,
                  int64_t min, int64_t max, int64_t *out)
{
    int64_t v;
    if (!cli_text_to_i64(text, &v)) {
        cli_error(cmd, "%s: '%s' is not a whole number", flag, text);
        return -1;
    }
    if (v < min || v > max) {
        if (max == INT64_MAX)
            cli_error(cmd, "%s: '%s' is too small (at least %" PRId64 ")",
                      flag, text, min);
        else
            cli_error(cmd, "%s: '%s' is out of range (%" PRId64 " to %" PRId64
                      ")", flag, text, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_u64(const char *cmd, const char *flag, const char *text,
                  uint64_t *out)
{
    char *end;
    if (!text || !*text || text[0] == '-') {
        cli_error(cmd, "%s: '%s' is not a whole number >= 0", flag, text);
        return -1;
    }
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end != '\0' || errno == ERANGE) {
        cli_error(cmd, "%s: '%s' is not a whole number >= 0", flag, text);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int cli_parse_duration(const char *cmd, const char *flag, const char *text,
                       double *seconds)
{
    char *end;
    double v = strtod(text, &end);
    double unit = 1;
    if (end != text) {
        if (strcmp(end, "s") == 0)
            end++;
        else if (strcmp(end, "m") == 0)
            unit = 60, end++;
        else if (strcmp(end, "h") == 0)
            unit = 3600, end++;
    }
    if (end == text || *end != '\0' || !isfinite(v)) {
        cli_error(cmd, "%s: '%s' is not a duration (seconds, or a number "
                  "followed by s, m or h)", flag, text);
        return -1;
    }
    if (v <= 0) {
        cli_error(cmd, "%s: '%s' must be more than 0", flag, text);
        return -1;
    }
    *seconds = v * unit;
    return 0;
}
