/*
 * run_config.c — reading a run configuration file (run_config.h).
 */
#define _GNU_SOURCE 1 /* getline */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run_config.h"

#define MAX_WORDS 4096

typedef struct reader {
    const char *cmd, *path;
    int line;
} reader;

static int bad(const reader *r, const char *what, const char *text)
{
    cli_error(r->cmd, "%s:%d: %s%s%s%s", r->path, r->line, what,
              text ? " '" : "", text ? text : "", text ? "'" : "");
    return CLI_EXIT_USAGE;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* One word of a command line from *p on (quotes as a shell has them,
 * nothing expanded): written into out, which has room for it; *p moves
 * past it.  -1 on an unterminated quote. */
static int word(const char **p, char *out)
{
    const char *s = *p;
    char quote = 0;
    for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
        if (quote == '\'' && *s == '\'')
            quote = 0;
        else if (quote == '"' && *s == '"')
            quote = 0;
        else if (!quote && (*s == '\'' || *s == '"'))
            quote = *s;
        else if (*s == '\\' && quote != '\'' && s[1])
            *out++ = *++s;
        else
            *out++ = *s;
    }
    *out = '\0';
    *p = s;
    return quote ? -1 : 0;
}

static int split_command(const reader *r, const char *text, char ***out)
{
    char **v = calloc(MAX_WORDS + 1, sizeof *v);
    int n = 0;
    while (v && *text) {
        while (*text == ' ' || *text == '\t')
            text++;
        if (!*text)
            break;
        if (n == MAX_WORDS || !(v[n] = malloc(strlen(text) + 1)))
            break;
        if (word(&text, v[n++]) != 0) {
            *out = v;
            return bad(r, "a quote is not closed in the command", NULL);
        }
    }
    *out = v;
    if (!v || (*text && n < MAX_WORDS)) {
        cli_error(r->cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    if (*text)
        return bad(r, "the command has too many words", NULL);
    return n ? 0 : bad(r, "'command' needs a value", NULL);
}

static const cli_option *find(const cli_option *opts, const int *refused,
                              const char *name)
{
    for (; opts->name; opts++)
        if (strcmp(opts->name, name) == 0) {
            for (const int *r = refused; *r; r++)
                if (*r == opts->id)
                    return NULL;
            return opts;
        }
    return NULL;
}

/* A flag's value: none, "true" or "false" (then *skip). */
static int flag_value(const reader *r, const char *name, const char *value,
                      int *skip)
{
    *skip = value && strcmp(value, "false") == 0;
    if (!value || *skip || strcmp(value, "true") == 0)
        return 0;
    char what[160];
    snprintf(what, sizeof what, "'%s' is a flag: give its name alone, or "
             "= true or = false, not", name);
    return bad(r, what, value);
}

static int add(run_config *c, int id, const char *value, int line)
{
    run_config_entry *v = realloc(c->v, sizeof *v * (size_t)(c->n + 1));
    if (!v)
        return -1;
    c->v = v;
    v[c->n] = (run_config_entry){id, NULL, line};
    if (value && !(v[c->n].value = strdup(value)))
        return -1;
    c->n++;
    return 0;
}

/* The option's name (after an optional "--": letters, digits, '-'),
 * then blanks, an optional '=' and blanks, then its value (NULL if none):
 * "param = x=int:1:3", "--param x=int:1:3" and "--param=x=int:1:3" are
 * the same line. */
static void split_line(char *text, char **name, char **value)
{
    if (strncmp(text, "--", 2) == 0)
        text += 2;
    *name = text;
    text += strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789-");
    char *end = text;
    text += strspn(text, " \t");
    if (*text == '=')
        text = trim(text + 1);
    *value = *text ? text : NULL;
    if (end == *name || (*end && *end != ' ' && *end != '\t' && *end != '='))
        *value = *name; /* not a name: reported as unknown whole */
    else
        *end = '\0';
}

/* One line that is not blank or a comment. */
static int take_line(const reader *r, char *text, const cli_option *opts,
                     const int *refused, run_config *c)
{
    char *name, *value;
    split_line(text, &name, &value);
    if (value == name)
        return bad(r, "not NAME = VALUE:", name);
    if (strcmp(name, "command") == 0) {
        if (c->command) {
            cli_error(r->cmd, "%s:%d: the command is given twice (also on "
                      "line %d)", r->path, r->line, c->command_line);
            return CLI_EXIT_USAGE;
        }
        c->command_line = r->line;
        return split_command(r, value ? value : "", &c->command);
    }
    const cli_option *o = find(opts, refused, name);
    int skip = 0, rc;
    if (!o)
        return bad(r, "unknown option", name);
    if (o->takes_value && (!value || !*value)) {
        char what[120];
        snprintf(what, sizeof what, "'%s' needs a value (%s = VALUE)", name,
                 name);
        return bad(r, what, NULL);
    }
    if (!o->takes_value && (rc = flag_value(r, name, value, &skip)))
        return rc;
    if (!skip && add(c, o->id, o->takes_value ? value : NULL, r->line)) {
        cli_error(r->cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    return 0;
}

int run_config_load(const char *cmd, const char *path, const cli_option *opts,
                    const int *refused, run_config *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error(cmd, "--config '%s': %s", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    reader r = {cmd, path, 0};
    char *line = NULL;
    size_t cap = 0;
    int rc = (out->path = strdup(path)) ? 0 : CLI_EXIT_FAILED;
    while (!rc && getline(&line, &cap, f) >= 0) {
        r.line++;
        char *text = trim(line);
        if (*text == '#' || !*text)
            continue;
        rc = take_line(&r, text, opts, refused, out);
    }
    free(line);
    fclose(f);
    if (rc)
        run_config_free(out);
    return rc;
}

void run_config_free(run_config *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->v[i].value);
    free(c->v);
    for (int i = 0; c->command && c->command[i]; i++)
        free(c->command[i]);
    free(c->command);
    free(c->path);
    memset(c, 0, sizeof *c);
}

void run_config_blame(const run_config *c, int line)
{
    static char where[4096 + 32];
    if (!c) {
        cli_error_where(NULL);
        return;
    }
    snprintf(where, sizeof where, "%s:%d", c->path, line);
    cli_error_where(where);
}
