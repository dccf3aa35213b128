/*
 * option_table.c — a plug-in's options from its table (hpo_option): the one
 * place that parses, range-checks and documents them.  "--help", the docs
 * and the refusals all come from the same rows, as NLopt's and libsvm's
 * parameter tables do, so an option is described once.
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plugin.h"

static int is_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

/* The index of word in "a|b|c", or -1. */
static int enum_index(const char *choices, const char *word)
{
    size_t len = strlen(word);
    int i = 0;
    for (const char *p = choices; p; i++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, word, n) == 0)
            return i;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static int has_range(const hpo_option *o)
{
    return !(o->low == 0 && o->high == 0);
}

static int in_range(const hpo_option *o, double x)
{
    if (!has_range(o))
        return 1;
    int low_ok = o->flags & HPO_OPTION_LOW_OPEN ? x > o->low : x >= o->low;
    int high_ok = o->flags & HPO_OPTION_HIGH_OPEN ? x < o->high : x <= o->high;
    return low_ok && high_ok;
}

/* "[1, inf)", "(1, 10]" into buf. */
static void range_text(const hpo_option *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s%g, %g%s",
             o->flags & HPO_OPTION_LOW_OPEN || isinf(o->low) ? "(" : "[",
             o->low, o->high,
             o->flags & HPO_OPTION_HIGH_OPEN || isinf(o->high) ? ")" : "]");
}

static int out_of_range(const char *plugin, const hpo_option *o,
                        const char *text, hpo__msg *m)
{
    char range[64];
    range_text(o, range, sizeof range);
    return hpo__fail(m, HPO_EINVAL, "%s: option %s=%s is outside %s", plugin,
                     o->name, text, range);
}

static int parse_number(const char *plugin, const hpo_option *o,
                        const char *text, void *field, hpo__msg *m)
{
    int is_int = o->type == HPO_OPTION_INT;
    if ((o->flags & HPO_OPTION_AUTO) && strcmp(text, "auto") == 0) {
        if (is_int)
            *(int64_t *)field = HPO_AUTO_INT;
        else
            *(double *)field = NAN;
        return HPO_OK;
    }
    char *end;
    errno = 0;
    double x = is_int ? (double)strtoll(text, &end, 10) : strtod(text, &end);
    if (!*text || *end || errno || (!is_int && isnan(x)))
        return hpo__fail(m, HPO_EINVAL, "%s: option %s='%s' is not %s%s",
                         plugin, o->name, text,
                         is_int ? "a whole number" : "a number",
                         o->flags & HPO_OPTION_AUTO ? " or auto" : "");
    if (!in_range(o, x))
        return out_of_range(plugin, o, text, m);
    if (is_int)
        *(int64_t *)field = strtoll(text, NULL, 10);
    else
        *(double *)field = x;
    return HPO_OK;
}

static int parse_bool(const char *plugin, const hpo_option *o,
                      const char *text, int *field, hpo__msg *m)
{
    if (!strcasecmp(text, "true") || !strcmp(text, "1") ||
        !strcasecmp(text, "yes"))
        *field = 1;
    else if (!strcasecmp(text, "false") || !strcmp(text, "0") ||
             !strcasecmp(text, "no"))
        *field = 0;
    else
        return hpo__fail(m, HPO_EINVAL,
                         "%s: option %s='%s' is not true or false", plugin,
                         o->name, text);
    return HPO_OK;
}

static int parse_enum(const char *plugin, const hpo_option *o,
                      const char *text, int *field, hpo__msg *m)
{
    int i = enum_index(o->choices, text);
    if (i < 0)
        return hpo__fail(m, HPO_EINVAL, "%s: option %s='%s' is not one of %s",
                         plugin, o->name, text, o->choices);
    *field = i;
    return HPO_OK;
}

static int keep_string(hpo__plugin *p, const char *text, const char **field,
                       hpo__msg *m)
{
    if (!text) {
        *field = NULL;
        return HPO_OK;
    }
    char **v = realloc(p->strings, (size_t)(p->n_strings + 1) * sizeof *v);
    if (!v)
        return hpo__oom(m);
    p->strings = v;
    if (!(v[p->n_strings] = hpo__strdup(text)))
        return hpo__oom(m);
    *field = v[p->n_strings++];
    return HPO_OK;
}

/* Parse text (the user's or the default) into the option's field. */
static int parse_one(hpo__plugin *p, const hpo_option *o, const char *text,
                     hpo__msg *m)
{
    void *field = (char *)p->state + o->offset;
    const char *plugin = p->head->name;
    switch (o->type) {
    case HPO_OPTION_INT:
    case HPO_OPTION_FLOAT:
        return parse_number(plugin, o, text, field, m);
    case HPO_OPTION_BOOL:
        return parse_bool(plugin, o, text, field, m);
    case HPO_OPTION_ENUM:
        return parse_enum(plugin, o, text, field, m);
    case HPO_OPTION_STRING:
        return keep_string(p, text, field, m);
    }
    return hpo__fail(m, HPO_EINVAL, "%s: option %s has an unknown type",
                     plugin, o->name);
}

int hpo__options_apply(hpo__plugin *p, hpo__opts *o, hpo__msg *m)
{
    const hpo_option *t = p->head->options;
    for (int i = 0; t && t[i].name; i++) {
        const char *text = o ? hpo__opts_str(o, t[i].name) : NULL;
        if (!text)
            text = t[i].def;
        if (!text && t[i].type != HPO_OPTION_STRING)
            continue; /* no default: the field keeps its zero */
        int rc = parse_one(p, &t[i], text, m);
        if (rc)
            return rc;
    }
    return HPO_OK;
}

int hpo__options_check_required(const hpo_plugin_head *head, hpo__opts *o,
                                 hpo__msg *m)
{
    const hpo_option *t = head->options;
    for (int i = 0; t && t[i].name; i++)
        if ((t[i].flags & HPO_OPTION_REQUIRED) && !hpo__opts_str(o, t[i].name))
            return hpo__fail(m, HPO_EINVAL,
                             "%s: option %s is required (%s), as in %s:%s=...",
                             head->name, t[i].name,
                             t[i].help ? t[i].help : "no default", head->name,
                             t[i].name);
    return HPO_OK;
}

/* Each row is well formed and its default parses: checked when a type is
 * registered, so a plug-in's table mistakes show before any user sees
 * them.  Parsing the defaults needs a state to write into. */
int hpo__options_check_table(const hpo_plugin_head *head, hpo__msg *m)
{
    const hpo_option *t = head->options;
    for (int i = 0; t && t[i].name; i++) {
        if (!is_name(t[i].name))
            return hpo__fail(m, HPO_EINVAL,
                             "%s: option name '%s' is not [a-z0-9_]+",
                             head->name, t[i].name);
        if (t[i].type == HPO_OPTION_ENUM && !t[i].choices)
            return hpo__fail(m, HPO_EINVAL, "%s: enum option %s has no choices",
                             head->name, t[i].name);
        if (t[i].offset + sizeof(double) > head->state_size)
            return hpo__fail(m, HPO_EINVAL,
                             "%s: option %s lies outside the state (%zu "
                             "bytes)",
                             head->name, t[i].name, head->state_size);
        for (int j = 0; j < i; j++)
            if (strcmp(t[i].name, t[j].name) == 0)
                return hpo__fail(m, HPO_EINVAL, "%s: option %s twice",
                                 head->name, t[i].name);
    }
    hpo__plugin p = {.head = head};
    if (!(p.state = calloc(1, head->state_size ? head->state_size : 1)))
        return hpo__oom(m);
    int rc = hpo__options_apply(&p, NULL, m);
    free(p.state);
    for (int i = 0; i < p.n_strings; i++)
        free(p.strings[i]);
    free(p.strings);
    return rc;
}

static const char *type_word(const hpo_option *o)
{
    switch (o->type) {
    case HPO_OPTION_INT:
        return "int";
    case HPO_OPTION_FLOAT:
        return "float";
    case HPO_OPTION_BOOL:
        return "bool";
    case HPO_OPTION_STRING:
        return "text";
    case HPO_OPTION_ENUM:
        return o->choices;
    }
    return "?";
}

/* Text that grows by appends; NULL once out of memory (then stays NULL). */
static char *append(char *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *append(char *out, const char *fmt, ...)
{
    if (!out)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *more = hpo__vasprintf(fmt, ap);
    va_end(ap);
    char *joined = more ? hpo__asprintf("%s%s", out, more) : NULL;
    free(more);
    free(out);
    return joined;
}

/* "int in [0, inf), or auto": the option's type and what it accepts. */
static void accepts_text(const hpo_option *o, char *buf, size_t size)
{
    char range[64] = "";
    if ((o->type == HPO_OPTION_INT || o->type == HPO_OPTION_FLOAT) &&
        has_range(o))
        range_text(o, range, sizeof range);
    snprintf(buf, size, "%s%s%s%s", type_word(o), *range ? " in " : "", range,
             o->flags & HPO_OPTION_AUTO ? ", or auto" : "");
}

/* A markdown table cell: '|' would end the cell, so it is escaped. */
static char *cell(char *out, const char *text)
{
    char *esc = malloc(2 * strlen(text) + 1), *e = esc;
    if (!esc) {
        free(out);
        return NULL;
    }
    for (const char *c = text; *c; c++) {
        if (*c == '|')
            *e++ = '\\';
        *e++ = *c;
    }
    *e = '\0';
    out = append(out, "%s", esc);
    free(esc);
    return out;
}

static const char *default_text(const hpo_option *o)
{
    if (o->flags & HPO_OPTION_REQUIRED)
        return "(required)";
    return o->def ? o->def : "";
}

static char *describe_text(char *out, const hpo_plugin_head *h)
{
    out = append(out, "    %-20s %s\n", h->name, h->summary ? h->summary : "");
    const hpo_option *t = h->options;
    for (int i = 0; t && t[i].name; i++) {
        char accepts[192];
        accepts_text(&t[i], accepts, sizeof accepts);
        out = append(out, "        %s=%s  (%s) %s\n", t[i].name,
                     default_text(&t[i]), accepts,
                     t[i].help ? t[i].help : "");
    }
    return out;
}

static char *describe_markdown(char *out, const hpo_plugin_head *h)
{
    out = append(out, "### `%s`\n\n%s\n\n", h->name,
                 h->summary ? h->summary : "");
    const hpo_option *t = h->options;
    if (!t || !t[0].name)
        return append(out, "No options.\n\n");
    out = append(out, "| option | default | accepts | what |\n"
                      "| --- | --- | --- | --- |\n");
    for (int i = 0; t[i].name; i++) {
        char accepts[192];
        accepts_text(&t[i], accepts, sizeof accepts);
        out = append(out, "| `%s` | `%s` | ", t[i].name,
                     default_text(&t[i]));
        out = cell(out, accepts);
        out = append(out, " | ");
        out = cell(out, t[i].help ? t[i].help : "");
        out = append(out, " |\n");
    }
    return append(out, "\n");
}

char *hpo_plugin_describe(const hpo_plugin_head *head, int markdown)
{
    if (!head || !head->name)
        return NULL;
    char *out = hpo__strdup("");
    return markdown ? describe_markdown(out, head) : describe_text(out, head);
}
