/*
 * protocol.c — the line protocol between `hpo tune` and its children
 * (see protocol.h for the grammar).
 */
#include "protocol.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "jsontext.h"
#include "text.h"

#define SPACES " \t\r\v\f"
/* Words read from a protocol line: "@hpo value" (or "@hpo constraints")
 * plus the numbers, and one more so that an extra number is noticed. */
#define MAX_NUMBERS (HPO_MAX_OBJECTIVES > HPO_MAX_CONSTRAINTS \
                         ? HPO_MAX_OBJECTIVES : HPO_MAX_CONSTRAINTS)
#define MAX_WORDS (MAX_NUMBERS + 3)

void protocol_init(protocol *p, int n_objectives)
{
    memset(p, 0, sizeof *p);
    p->n_objectives = n_objectives;
}

void protocol_free(protocol *p)
{
    free(p->attr_json);
    p->attr_json = NULL;
}

/* A number as C reads it, whole word; not one that overflows a double
 * ("1e999" is no more a result than "1e99999").  An underflow is the
 * nearest double (0 or a subnormal), which is what the child meant. */
static int read_number(const char *word, double *out)
{
    char *end;
    if (!*word)
        return 0;
    errno = 0;
    double v = strtod(word, &end);
    if (*end != '\0' || (errno == ERANGE && isinf(v)))
        return 0;
    *out = v;
    return 1;
}

/* Split `line` in place into at most max words; returns how many. */
static int split_words(char *line, char **words, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, SPACES, &save); w && n < max;
         w = strtok_r(NULL, SPACES, &save))
        words[n++] = w;
    return n;
}

static int is_protocol_line(const char *line)
{
    line += strspn(line, SPACES);
    return strncmp(line, "@hpo", 4) == 0 &&
           (line[4] == '\0' || strchr(SPACES, line[4]));
}

/* Record the first malformed line; the later ones add nothing. */
static protocol_event malformed(protocol *p, const char *text,
                                const char *why)
{
    if (p->error[0])
        return PROTOCOL_ERROR;
    snprintf(p->error, sizeof p->error, "stdout line %d: bad protocol line "
             "'%s': %s", p->line_no, text, why);
    return PROTOCOL_ERROR;
}

static protocol_event read_report(protocol *p, const char *text,
                                  char **words, int n, int64_t *step,
                                  double *value)
{
    char why[128];
    if (n != 4)
        return malformed(p, text, "expected '@hpo report STEP VALUE'");
    if (!cli_text_to_i64(words[2], step)) {
        snprintf(why, sizeof why, "step '%.40s' is not a whole number",
                 words[2]);
        return malformed(p, text, why);
    }
    if (!read_number(words[3], value)) {
        snprintf(why, sizeof why, "'%.40s' is not a number", words[3]);
        return malformed(p, text, why);
    }
    return PROTOCOL_REPORT;
}

/* words[2..n-1] as numbers into v; 0, or -1 with the line recorded. */
static int read_numbers(protocol *p, const char *text, char **words, int n,
                        double *v)
{
    char why[128];
    for (int i = 2; i < n; i++)
        if (!read_number(words[i], &v[i - 2])) {
            snprintf(why, sizeof why, "'%.40s' is not a number", words[i]);
            malformed(p, text, why);
            return -1;
        }
    return 0;
}

static protocol_event read_constraints(protocol *p, const char *text,
                                       char **words, int n)
{
    char why[128];
    int got = n - 2;
    if (got < 1 || got > HPO_MAX_CONSTRAINTS) {
        snprintf(why, sizeof why, "expected 1 to %d constraint values, got "
                 "%d%s", HPO_MAX_CONSTRAINTS, got, got < 1 ? "" : " or more");
        return malformed(p, text, why);
    }
    double c[HPO_MAX_CONSTRAINTS];
    if (read_numbers(p, text, words, n, c) != 0)
        return PROTOCOL_ERROR;
    for (int i = 0; i < got; i++)
        if (c[i] != c[i])
            return malformed(p, text, "a constraint value is nan");
    memcpy(p->constraints, c, sizeof(double) * (size_t)got);
    p->n_constraints = got;
    return PROTOCOL_CONSTRAINTS;
}

static protocol_event read_value(protocol *p, const char *text, char **words,
                                 int n)
{
    char why[128];
    int got = n - 2;
    if (got != p->n_objectives) {
        const char *more = n == MAX_WORDS ? " or more" : "";
        if (p->n_objectives == 1)
            snprintf(why, sizeof why, "expected one value, got %d%s", got,
                     more);
        else
            snprintf(why, sizeof why, "expected %d values (one per "
                     "objective), got %d%s", p->n_objectives, got, more);
        return malformed(p, text, why);
    }
    double v[HPO_MAX_OBJECTIVES];
    if (read_numbers(p, text, words, n, v) != 0)
        return PROTOCOL_ERROR;
    memcpy(p->value, v, sizeof(double) * (size_t)got);
    p->have_value = 1;
    return PROTOCOL_VALUE;
}

/* The line as a malformed-line message quotes it: without its leading
 * and trailing blanks, its first 100 bytes, made printable. */
static void quote_line(char *text, size_t size, const char *line, size_t len)
{
    size_t start = 0;
    while (start < len && line[start] && strchr(SPACES, line[start]))
        start++;
    while (len > start && line[len - 1] && strchr(SPACES, line[len - 1]))
        len--;
    text_excerpt(text, size, line + start, len - start, 100);
}

/* Attribute names hpo writes on a trial itself (tune_trial.c). */
static int is_reserved(const char *name)
{
    static const char *const own[] = {"fail_reason", "exit_status", "signal",
                                      "stdout_tail", "stderr_tail",
                                      "skipped_reason", NULL};
    for (int i = 0; own[i]; i++)
        if (strcmp(name, own[i]) == 0)
            return 1;
    return 0;
}

/* `@hpo attr NAME VALUE`: the value is the rest of the line, blanks and
 * all, so it is cut from the line before the words are split. */
static protocol_event read_attr(protocol *p, const char *text, char *rest)
{
    rest += strspn(rest, SPACES);
    size_t name_len = strcspn(rest, SPACES);
    char *value = rest + name_len;
    value += strspn(value, SPACES);
    size_t value_len = strlen(value);
    while (value_len && strchr(SPACES, value[value_len - 1]))
        value[--value_len] = '\0';
    if (!name_len || !value_len)
        return malformed(p, text, "expected '@hpo attr NAME VALUE'");
    if (name_len >= sizeof p->attr_name)
        return malformed(p, text, "the name is too long");
    memcpy(p->attr_name, rest, name_len);
    p->attr_name[name_len] = '\0';
    if (is_reserved(p->attr_name))
        return malformed(p, text, "hpo writes that attribute itself");
    free(p->attr_json);
    if (!(p->attr_json = json_from_text(value)))
        return malformed(p, text, "out of memory");
    return PROTOCOL_ATTR;
}

/* "@hpo attr": the rest of the line after it, else NULL. */
static char *attr_rest(char *line)
{
    line += strspn(line, SPACES) + 4; /* "@hpo" */
    line += strspn(line, SPACES);
    if (strncmp(line, "attr", 4) != 0 || (line[4] && !strchr(SPACES, line[4])))
        return NULL;
    return line + 4;
}

static protocol_event read_protocol_line(protocol *p, char *line, size_t len,
                                         int64_t *step, double *value)
{
    char text[200];
    quote_line(text, sizeof text, line, len);
    char *rest = attr_rest(line);
    if (rest)
        return read_attr(p, text, rest);

    char *words[MAX_WORDS];
    int n = split_words(line, words, MAX_WORDS);
    if (n >= 2 && strcmp(words[1], "report") == 0)
        return read_report(p, text, words, n, step, value);
    if (n >= 2 && strcmp(words[1], "value") == 0)
        return read_value(p, text, words, n);
    if (n >= 2 && strcmp(words[1], "constraints") == 0)
        return read_constraints(p, text, words, n);
    return malformed(p, text, "expected '@hpo value V', '@hpo report STEP V', "
                     "'@hpo constraints C...' or '@hpo attr NAME VALUE'");
}

/* Does the line end with n_objectives numbers?  Then remember them. */
static void read_trailing_numbers(protocol *p, const char *line)
{
    double v[HPO_MAX_OBJECTIVES];
    const char *end = line + strlen(line);
    for (int k = p->n_objectives - 1; k >= 0; k--) {
        while (end > line && strchr(SPACES, end[-1]))
            end--;
        const char *begin = end;
        while (begin > line && !strchr(SPACES, begin[-1]))
            begin--;
        size_t len = (size_t)(end - begin);
        char word[64];
        if (len == 0 || len >= sizeof word)
            return;
        memcpy(word, begin, len);
        word[len] = '\0';
        if (!read_number(word, &v[k]))
            return;
        end = begin;
    }
    memcpy(p->number, v, sizeof(double) * (size_t)p->n_objectives);
    p->have_number = 1;
}

/* A line that is not text, or was cut: it counts for nothing, turns the
 * last-number rule off, and as a protocol line is malformed. */
static protocol_event not_text(protocol *p, const char *line, size_t len,
                               int cut)
{
    p->n_not_text++;
    if (!is_protocol_line(line))
        return PROTOCOL_NONE;
    char text[200];
    quote_line(text, sizeof text, line, len);
    return malformed(p, text, cut ? "the line is too long"
                                  : "the line is not text (a NUL or control "
                                    "byte, or invalid UTF-8)");
}

protocol_event protocol_feed(protocol *p, char *line, size_t len, int cut,
                             int64_t *step, double *value)
{
    p->line_no++;
    if (cut || !text_is_clean(line, len))
        return not_text(p, line, len, cut);
    if (is_protocol_line(line))
        return read_protocol_line(p, line, len, step, value);
    read_trailing_numbers(p, line);
    return PROTOCOL_NONE;
}

protocol_event protocol_feed_line(protocol *p, char *line, int64_t *step,
                                  double *value)
{
    return protocol_feed(p, line, strlen(line), 0, step, value);
}

int protocol_result(const protocol *p, double *values, char *reason,
                    size_t size)
{
    if (p->error[0]) {
        snprintf(reason, size, "%s", p->error);
        return -1;
    }
    const double *v = p->have_value ? p->value
                      : p->have_number && !p->n_not_text ? p->number : NULL;
    if (!v) {
        char why[160] = "";
        if (p->n_not_text)
            snprintf(why, sizeof why, "; %d of its %d stdout lines %s not "
                     "text, so only '@hpo value' counts", p->n_not_text,
                     p->line_no, p->n_not_text == 1 ? "was" : "were");
        if (p->n_objectives == 1)
            snprintf(reason, size, "printed no objective value%s", why);
        else
            snprintf(reason, size, "printed no objective values (expected "
                     "'@hpo value' with %d numbers)%s", p->n_objectives, why);
        return -1;
    }
    memcpy(values, v, sizeof(double) * (size_t)p->n_objectives);
    return 0;
}
