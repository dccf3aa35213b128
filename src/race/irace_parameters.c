/*
 * irace_parameters.c — irace's parameters.txt (irace 3.5 manual, §5.1
 * "Parameter space") read into an hpo space.  One parameter a line:
 *
 *     name  "switch"  type  (domain)  [| condition]   [# comment]
 *
 * types r, i, c, o and r,log, i,log; domains (low, high) for r and i, a
 * list of quoted or bare values for c and o.  A `[global]` section with
 * `digits = N` is read and ignored (digits only rounds irace's own output).
 *
 * Deviations, each refused with "FILE:LINE: ..." rather than read
 * differently:
 *   1. Conditions: hpo makes a parameter depend on one categorical (or
 *      ordinal) parent's values, so only `P %in% c(...)`, `P == V`,
 *      `P != V` and their `&`/`&&`, `|`/`||` combinations on that same
 *      parent are read
 *      (as the set of P's values they allow); comparisons such as
 *      `x > 2.5` or several parents are refused.
 *   2. Dependent domains (`i (1, ants)`) and `[forbidden]` constraints
 *      have no counterpart in hpo and are refused.
 *   3. Two parameters may not share a switch, unless it is only dashes
 *      and spaces (then the value makes the option, as "--" with "mmas").
 *      irace does not check this; a shared switch is a mistake in a file.
 *   4. An ordinal parameter becomes a categorical one whose choices keep
 *      the file's order (hpo has no ordered type).
 * irace sorts parameters so that a condition's parent comes first; so do
 * we (a stable order: otherwise the file's).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irace_files.h"
#include "irace_text.h"

typedef struct iparam {
    char *name, *sw;
    char type; /* 'r', 'i', 'c' or 'o' */
    int log;
    int line;
    double lo, hi;
    char **values; /* c and o: the choices; r and i: the two bounds' text */
    int n_values;
    char *domain;           /* the text between the parentheses, for messages */
    char *cond;             /* the text after '|', or NULL */
    int parent;             /* -1: unconditional */
    unsigned char *allowed; /* per value of the parent */
    int mark;               /* ordering: 0 new, 1 visiting, 2 placed */
} iparam;

typedef struct parser {
    const char *path;
    char *err;
    size_t errlen;
    iparam *p;
    int n, cap;
    int *order, n_order;
} parser;

#define fail_at(ps, line, ...)                                                 \
    hpo__irace_fail_at((ps)->err, (ps)->errlen, (ps)->path, line, __VA_ARGS__)

static int oom(parser *ps)
{
    return hpo__irace_fail(ps->err, ps->errlen, HPO_ENOMEM, "%s: out of memory",
                           ps->path);
}

static void param_free(iparam *q)
{
    free(q->name);
    free(q->sw);
    for (int i = 0; i < q->n_values; i++)
        free(q->values[i]);
    free(q->values);
    free(q->domain);
    free(q->cond);
    free(q->allowed);
}

static int find(const parser *ps, const char *name, size_t len)
{
    for (int i = 0; i < ps->n; i++)
        if (strlen(ps->p[i].name) == len && !memcmp(ps->p[i].name, name, len))
            return i;
    return -1;
}

static int name_char(int c)
{
    return isalnum(c) || c == '.' || c == '_' || c >= 0x80;
}

/* The first word of s, for messages. */
static int word_len(const char *s)
{
    int k = 0;
    while (s[k] && !isspace((unsigned char)s[k]))
        k++;
    return k;
}

static int add_value(parser *ps, iparam *q, const char *s, size_t len)
{
    char **v = realloc(q->values, (size_t)(q->n_values + 1) * sizeof *v);
    if (!v)
        return oom(ps);
    q->values = v;
    if (!(v[q->n_values] = strndup(s, len)))
        return oom(ps);
    q->n_values++;
    return HPO_OK;
}

/* One value of a domain list: "quoted", or bare up to ',' or ')' outside
 * parentheses (so that irace's `min(ants, 10)` stays one value). */
static int domain_value(parser *ps, iparam *q, int line, const char **sp)
{
    const char *s = hpo__irace_skip(*sp), *start = s;
    size_t len;
    if (*s == '"' || *s == '\'') {
        const char *close = strchr(s + 1, *s);
        if (!close)
            return fail_at(ps, line, "unterminated quote in the domain of '%s'",
                           q->name);
        start = s + 1;
        len = (size_t)(close - start);
        s = hpo__irace_skip(close + 1);
    } else {
        int depth = 0;
        while (*s && (depth > 0 || (*s != ',' && *s != ')'))) {
            depth += (*s == '(') - (*s == ')');
            s++;
        }
        len = (size_t)(s - start);
        while (len && isspace((unsigned char)start[len - 1]))
            len--;
        if (!len)
            return fail_at(ps, line,
                           "empty value in the domain of '%s' (an empty string "
                           "is written \"\")",
                           q->name);
    }
    if (!*s)
        return fail_at(ps, line, "the domain of '%s' lacks its closing ')'",
                       q->name);
    if (*s != ',' && *s != ')')
        return fail_at(ps, line, "unexpected '%c' in the domain of '%s'", *s,
                       q->name);
    *sp = s;
    return add_value(ps, q, start, len);
}

static int read_domain(parser *ps, iparam *q, int line, const char **sp)
{
    const char *s = hpo__irace_skip(*sp), *open = s;
    if (*s != '(')
        return fail_at(ps, line,
                       "the domain of '%s' must be a list within parentheses, "
                       "found '%s'",
                       q->name, *s ? s : "end of line");
    s++;
    for (;;) {
        int rc = domain_value(ps, q, line, &s);
        if (rc != HPO_OK)
            return rc;
        if (*s++ == ')')
            break;
    }
    if (!(q->domain = strndup(open + 1, (size_t)(s - open - 2))))
        return oom(ps);
    *sp = s;
    return HPO_OK;
}

static int check_numeric(parser *ps, iparam *q)
{
    int line = q->line;
    if (q->n_values != 2)
        return fail_at(ps, line,
                       "the domain of '%s' must be two numbers (low, high), "
                       "found (%s)",
                       q->name, q->domain);
    double b[2];
    for (int k = 0; k < 2; k++) {
        if (hpo__irace_number(q->values[k], &b[k]))
            continue;
        for (const char *c = q->values[k]; *c; c++)
            if (isalpha((unsigned char)*c))
                return fail_at(ps, line,
                               "the domain (%s) of '%s' depends on other "
                               "parameters: hpo takes only constant bounds",
                               q->domain, q->name);
        return fail_at(ps, line,
                       "incorrect numeric range (%s) for parameter '%s'",
                       q->domain, q->name);
    }
    if (q->type == 'i')
        for (int k = 0; k < 2; k++)
            if (b[k] != floor(b[k]) || fabs(b[k]) > 9007199254740991.0)
                return fail_at(ps, line,
                               "for parameter type 'i' values must be integers "
                               "(%s) for parameter '%s'",
                               q->domain, q->name);
    if (b[0] >= b[1])
        return fail_at(
            ps, line,
            "lower bound must be smaller than upper bound in numeric "
            "range (%s) for parameter '%s'",
            q->domain, q->name);
    if (q->log && b[0] <= 0)
        return fail_at(ps, line,
                       "the domain (%s) of log-scale parameter '%s' must be "
                       "positive",
                       q->domain, q->name);
    q->lo = b[0];
    q->hi = b[1];
    return HPO_OK;
}

static int check_values(parser *ps, iparam *q)
{
    for (int i = 0; i < q->n_values; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(q->values[i], q->values[j]))
                return fail_at(ps, q->line,
                               "duplicated value \"%s\" for parameter '%s'",
                               q->values[i], q->name);
    /* irace's rule: numeric ordinal values are a discretized range and
     * must increase. */
    double prev = -INFINITY, v;
    for (int i = 0; q->type == 'o' && i < q->n_values; i++) {
        if (!hpo__irace_number(q->values[i], &v))
            return HPO_OK;
        if (v <= prev)
            return fail_at(ps, q->line,
                           "the values (%s) of ordinal parameter '%s' look "
                           "numeric but do not increase",
                           q->domain, q->name);
        prev = v;
    }
    return HPO_OK;
}

/* A switch is shared by mistake unless it only prefixes the value (as
 * "--" before "mmas", or irace's " " for a bare value). */
static int prefix_only(const char *sw)
{
    return sw[strspn(sw, "- ")] == '\0';
}

static int check_switch(parser *ps, const iparam *q)
{
    if (prefix_only(q->sw))
        return HPO_OK;
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(ps->p[i].sw, q->sw))
            return fail_at(
                ps, q->line,
                "duplicated switch \"%s\" of parameter '%s' (also of "
                "'%s' on line %d)",
                q->sw, q->name, ps->p[i].name, ps->p[i].line);
    return HPO_OK;
}

static const struct {
    const char *word;
    char type;
    int log;
} types[] = {{"r", 'r', 0}, {"i", 'i', 0},     {"c", 'c', 0},
             {"o", 'o', 0}, {"r,log", 'r', 1}, {"i,log", 'i', 1}};

static int read_type(parser *ps, iparam *q, const char **sp)
{
    const char *s = hpo__irace_skip(*sp);
    size_t k = 0;
    while (s[k] && !isspace((unsigned char)s[k]) && s[k] != '(')
        k++;
    for (size_t t = 0; t < sizeof types / sizeof *types; t++)
        if (strlen(types[t].word) == k && !memcmp(types[t].word, s, k)) {
            q->type = types[t].type;
            q->log = types[t].log;
            *sp = s + k;
            return HPO_OK;
        }
    return fail_at(
        ps, q->line,
        "unknown parameter type '%.*s' for '%s' (irace's types: c, i, "
        "r, o, i,log, r,log)",
        (int)k, s, q->name);
}

static int read_switch(parser *ps, iparam *q, const char **sp)
{
    const char *s = hpo__irace_skip(*sp);
    if (*s != '"')
        return fail_at(
            ps, q->line,
            "the switch of '%s' must be a double-quoted string, found "
            "'%.*s'",
            q->name, word_len(s), s);
    const char *close = strchr(s + 1, '"');
    if (!close) /* the line's quotes pair up, so only after odd ones */
        return fail_at(ps, q->line, "unterminated quote in the switch of '%s'",
                       q->name);
    if (!(q->sw = strndup(s + 1, (size_t)(close - s - 1))))
        return oom(ps);
    *sp = close + 1;
    return HPO_OK;
}

static int read_name(parser *ps, iparam *q, const char **sp)
{
    const char *s = *sp;
    size_t k = 0;
    while (name_char((unsigned char)s[k]))
        k++;
    if (!k || (s[k] && !isspace((unsigned char)s[k])))
        return fail_at(ps, q->line,
                       "parameter name must be alphanumeric ('.' and '_' "
                       "allowed), found '%.*s'",
                       word_len(s), s);
    int other = find(ps, s, k);
    if (other >= 0)
        return fail_at(ps, q->line,
                       "duplicated parameter name '%.*s' (first on "
                       "line %d)",
                       (int)k, s, ps->p[other].line);
    if (!(q->name = strndup(s, k)))
        return oom(ps);
    *sp = s + k;
    return HPO_OK;
}

static int read_condition(parser *ps, iparam *q, const char *s)
{
    s = hpo__irace_skip(s);
    if (!*s)
        return HPO_OK;
    if (*s != '|')
        return fail_at(ps, q->line,
                       "expected '|' before the condition of '%s', found '%s'",
                       q->name, s);
    s = hpo__irace_skip(s + 1);
    if (!*s)
        return fail_at(ps, q->line, "expected a condition after '|' for '%s'",
                       q->name);
    return (q->cond = strdup(s)) ? HPO_OK : oom(ps);
}

static int read_param(parser *ps, int line, const char *s)
{
    iparam q = {.line = line, .parent = -1};
    int rc = read_name(ps, &q, &s);
    if (rc == HPO_OK)
        rc = read_switch(ps, &q, &s);
    if (rc == HPO_OK)
        rc = read_type(ps, &q, &s);
    if (rc == HPO_OK)
        rc = read_domain(ps, &q, line, &s);
    if (rc == HPO_OK)
        rc = q.type == 'r' || q.type == 'i' ? check_numeric(ps, &q)
                                            : check_values(ps, &q);
    if (rc == HPO_OK)
        rc = check_switch(ps, &q);
    if (rc == HPO_OK)
        rc = read_condition(ps, &q, s);
    if (rc == HPO_OK && ps->n == ps->cap) {
        int cap = ps->cap ? 2 * ps->cap : 16;
        iparam *p = realloc(ps->p, (size_t)cap * sizeof *p);
        if (!p)
            rc = oom(ps);
        else {
            ps->p = p;
            ps->cap = cap;
        }
    }
    if (rc != HPO_OK) {
        param_free(&q);
        return rc;
    }
    ps->p[ps->n++] = q;
    return HPO_OK;
}

/* `digits = N` (1..15), the only option irace has in [global]. */
static int read_global(parser *ps, int line, const char *s)
{
    size_t k = strcspn(s, " \t=");
    const char *v = hpo__irace_skip(s + k);
    double d;
    if (k != 6 || strncmp(s, "digits", 6) || *v != '=')
        return fail_at(
            ps, line,
            "unknown global option '%.*s' (irace's [global] has only "
            "digits)",
            (int)k, s);
    v = hpo__irace_skip(v + 1);
    if (!hpo__irace_number(v, &d) || d != floor(d) || d < 1 || d > 15)
        return fail_at(ps, line,
                       "'digits' must be an integer within [1, 15], "
                       "found '%s'",
                       v);
    return HPO_OK;
}

static int read_lines(parser *ps, hpo__irace_lines *l)
{
    int global = 0;
    for (int i = 0; i < l->n; i++) {
        char *s = hpo__irace_strip(l->line[i]);
        int rc = HPO_OK;
        if (!s)
            return fail_at(ps, i + 1, "unterminated quote");
        if (!*s)
            continue;
        if (*s == '[') {
            if (!strncmp(s, "[global]", 8) && !*hpo__irace_skip(s + 8))
                global = 1;
            else if (!strncmp(s, "[forbidden]", 11))
                return fail_at(ps, i + 1,
                               "[forbidden] constraints are not supported by "
                               "hpo");
            else
                return fail_at(ps, i + 1, "unknown section '%s'", s);
        } else if (global) {
            rc = read_global(ps, i + 1, s);
        } else {
            rc = read_param(ps, i + 1, s);
        }
        if (rc != HPO_OK)
            return rc;
    }
    if (!ps->n)
        return hpo__irace_fail(ps->err, ps->errlen, HPO_EINVAL,
                               "%s: no parameter definition found", ps->path);
    return HPO_OK;
}

/* ---- conditions ---------------------------------------------------------
 * A condition is read as the set of its parent's values under which it
 * holds: an atom `P %in% c(v, ...)` or `P == v` is that set, `&` the
 * intersection, `|` the union.  Anything else is "not supported".
 */

enum {
    T_END,
    T_NAME,
    T_NUM,
    T_STR,
    T_IN,
    T_EQ,
    T_NE,
    T_AND,
    T_OR,
    T_LP,
    T_RP,
    T_COMMA,
    T_OTHER
};

typedef struct cparse {
    parser *ps;
    iparam *q;
    const char *s;
    const char *tok; /* the last token's text */
    size_t len;
} cparse;

typedef struct cset {
    int parent;
    unsigned char *in;
} cset;

static int next(cparse *c)
{
    const char *s = hpo__irace_skip(c->s);
    int kind = T_OTHER;
    size_t k = 1;
    c->tok = s;
    if (!*s) {
        kind = T_END;
        k = 0;
    } else if (*s == '"' || *s == '\'') {
        const char *close = strchr(s + 1, *s);
        k = close ? (size_t)(close - s) + 1 : strlen(s);
        kind = close ? T_STR : T_OTHER;
    } else if (!strncmp(s, "%in%", 4)) {
        kind = T_IN;
        k = 4;
    } else if (!strncmp(s, "==", 2) || !strncmp(s, "!=", 2)) {
        kind = *s == '=' ? T_EQ : T_NE;
        k = 2;
    } else if (*s == '&' || *s == '|') {
        kind = *s == '&' ? T_AND : T_OR;
        k = s[1] == s[0] ? 2 : 1;
    } else if (*s == '(' || *s == ')' || *s == ',') {
        kind = *s == '(' ? T_LP : *s == ')' ? T_RP : T_COMMA;
    } else if (name_char((unsigned char)*s) || *s == '-' || *s == '+') {
        k = 1;
        while (name_char((unsigned char)s[k]) ||
               ((s[k] == '-' || s[k] == '+') && (s[k - 1] | 32) == 'e'))
            k++;
        kind = isalpha((unsigned char)*s) ||
                       (*s == '.' && !isdigit((unsigned char)s[1]))
                   ? T_NAME
                   : T_NUM;
    }
    c->len = k;
    c->s = s + k;
    return kind;
}

static int peek(cparse *c)
{
    cparse save = *c;
    int kind = next(c);
    *c = save;
    return kind;
}

static int unsupported(cparse *c)
{
    return fail_at(
        c->ps, c->q->line,
        "condition %s is not supported by hpo (only PARENT %%in%% "
        "c(...) or PARENT == V on a categorical or ordinal parameter)",
        c->q->cond);
}

/* Mark the parent's value named by the token just read. */
static int value(cparse *c, int kind, cset *out)
{
    const iparam *p = &c->ps->p[out->parent];
    const char *t = c->tok;
    size_t len = c->len;
    if (kind == T_STR) {
        t++;
        len -= 2;
    } else if (kind != T_NUM && kind != T_NAME) {
        return unsupported(c);
    }
    char *text = strndup(t, len);
    if (!text)
        return oom(c->ps);
    double a, b;
    int hit = 0;
    for (int j = 0; j < p->n_values; j++)
        if (!strcmp(p->values[j], text) ||
            (kind == T_NUM && hpo__irace_number(text, &a) &&
             hpo__irace_number(p->values[j], &b) && a == b))
            out->in[j] = hit = 1;
    int rc = hit ? HPO_OK
                 : fail_at(c->ps, c->q->line,
                           "\"%s\" in the condition of '%s' is not a value of "
                           "'%s'",
                           text, c->q->name, p->name);
    free(text);
    return rc;
}

static int atom_values(cparse *c, cset *out)
{
    int kind = next(c), rc;
    if (kind == T_EQ)
        return value(c, next(c), out);
    if (kind == T_NE) { /* the other values */
        rc = value(c, next(c), out);
        for (int j = 0; j < c->ps->p[out->parent].n_values; j++)
            out->in[j] = !out->in[j];
        return rc;
    }
    if (kind != T_IN || next(c) != T_NAME || c->len != 1 || *c->tok != 'c' ||
        next(c) != T_LP)
        return unsupported(c);
    for (;;) {
        rc = value(c, next(c), out);
        if (rc != HPO_OK)
            return rc;
        kind = next(c);
        if (kind == T_RP)
            return HPO_OK;
        if (kind != T_COMMA)
            return unsupported(c);
    }
}

static int chain(cparse *c, cset *out, int op);

static int atom(cparse *c, cset *out)
{
    int kind = next(c);
    if (kind == T_LP) {
        int rc = chain(c, out, T_OR);
        if (rc == HPO_OK && next(c) != T_RP)
            rc = unsupported(c);
        return rc;
    }
    if (kind != T_NAME)
        return unsupported(c);
    int j = find(c->ps, c->tok, c->len);
    if (j < 0)
        return fail_at(c->ps, c->q->line,
                       "the condition of '%s' names '%.*s', which is not a "
                       "parameter",
                       c->q->name, (int)c->len, c->tok);
    const iparam *p = &c->ps->p[j];
    if (p->type != 'c' && p->type != 'o')
        return unsupported(c);
    out->parent = j;
    if (!(out->in = calloc((size_t)p->n_values, 1)))
        return oom(c->ps);
    return atom_values(c, out);
}

/* Fold b into a (and: intersection, or: union); b is freed. */
static int combine(cparse *c, cset *a, cset *b, int kind)
{
    int same = a->parent == b->parent;
    for (int j = 0; same && j < c->ps->p[a->parent].n_values; j++)
        a->in[j] = kind == T_AND ? a->in[j] & b->in[j] : a->in[j] | b->in[j];
    free(b->in);
    b->in = NULL;
    return same ? HPO_OK : unsupported(c);
}

/* A chain of operands joined by op: '|' joins '&' chains, '&' atoms
 * (R's precedence). */
static int chain(cparse *c, cset *out, int op)
{
    int rc = op == T_OR ? chain(c, out, T_AND) : atom(c, out);
    while (rc == HPO_OK && peek(c) == op) {
        cset b = {-1, NULL};
        next(c);
        rc = op == T_OR ? chain(c, &b, T_AND) : atom(c, &b);
        rc = rc == HPO_OK ? combine(c, out, &b, op) : rc;
        free(b.in);
    }
    return rc;
}

static int resolve_condition(parser *ps, iparam *q)
{
    cparse c = {.ps = ps, .q = q, .s = q->cond};
    cset out = {-1, NULL};
    int rc = chain(&c, &out, T_OR);
    if (rc == HPO_OK && next(&c) != T_END)
        rc = unsupported(&c);
    if (rc == HPO_OK && out.parent == q - ps->p)
        rc = fail_at(ps, q->line, "the condition of '%s' depends on itself",
                     q->name);
    if (rc == HPO_OK && !memchr(out.in, 1, (size_t)ps->p[out.parent].n_values))
        rc = fail_at(ps, q->line, "condition %s of '%s' never holds", q->cond,
                     q->name);
    if (rc != HPO_OK) {
        free(out.in);
        return rc;
    }
    q->parent = out.parent;
    q->allowed = out.in;
    return HPO_OK;
}

/* Parents first, otherwise the file's order; a cycle is an error. */
static int place(parser *ps, int i)
{
    iparam *q = &ps->p[i];
    if (q->mark == 2)
        return HPO_OK;
    if (q->mark == 1)
        return fail_at(ps, q->line,
                       "the conditions of '%s' and its parents form a cycle",
                       q->name);
    q->mark = 1;
    int rc = q->parent >= 0 ? place(ps, q->parent) : HPO_OK;
    if (rc != HPO_OK)
        return rc;
    q->mark = 2;
    ps->order[ps->n_order++] = i;
    return HPO_OK;
}

static int order(parser *ps)
{
    for (int i = 0; i < ps->n; i++) {
        int rc = ps->p[i].cond ? resolve_condition(ps, &ps->p[i]) : HPO_OK;
        if (rc != HPO_OK)
            return rc;
    }
    if (!(ps->order = malloc((size_t)ps->n * sizeof *ps->order)))
        return oom(ps);
    for (int i = 0; i < ps->n; i++) {
        int rc = place(ps, i);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

/* ---- into the space ---------------------------------------------------- */

static int space_fail(parser *ps, const iparam *q, hpo_space *space, int rc)
{
    return hpo__irace_fail(ps->err, ps->errlen, rc, "%s:%d: %s", ps->path,
                           q->line, hpo_space_errmsg(space));
}

static int add_param(parser *ps, const iparam *q, hpo_space *space)
{
    int flags = q->log ? HPO_LOG : 0, rc;
    if (q->type == 'r')
        rc = hpo_space_add_float(space, q->name, q->lo, q->hi, 0, flags);
    else if (q->type == 'i')
        rc = hpo_space_add_int(space, q->name, (int64_t)q->lo, (int64_t)q->hi,
                               1, flags);
    else
        rc = hpo_space_add_categorical(
            space, q->name, (const char *const *)q->values, q->n_values);
    return rc == HPO_OK ? HPO_OK : space_fail(ps, q, space, rc);
}

static int add_condition(parser *ps, const iparam *q, hpo_space *space)
{
    const iparam *p = &ps->p[q->parent];
    const char **pick = malloc((size_t)p->n_values * sizeof *pick);
    int n = 0;
    if (!pick)
        return oom(ps);
    for (int j = 0; j < p->n_values; j++)
        if (q->allowed[j])
            pick[n++] = p->values[j];
    int rc = hpo_space_set_condition(space, q->name, p->name, pick, n);
    free(pick);
    return rc == HPO_OK ? HPO_OK : space_fail(ps, q, space, rc);
}

static int build(parser *ps, hpo_space *space, char **sw)
{
    for (int k = 0; k < ps->n; k++) {
        const iparam *q = &ps->p[ps->order[k]];
        int rc = add_param(ps, q, space);
        if (rc != HPO_OK)
            return rc;
        if (!(sw[k] = strdup(q->sw)))
            return oom(ps);
    }
    for (int k = 0; k < ps->n; k++) {
        const iparam *q = &ps->p[ps->order[k]];
        int rc = q->parent >= 0 ? add_condition(ps, q, space) : HPO_OK;
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

void irace_switches_free(char **switches, int n)
{
    for (int i = 0; switches && i < n; i++)
        free(switches[i]);
    free(switches);
}

int irace_parse_parameters(const char *path, hpo_space *space, char ***switches,
                           int *n, char *err, size_t errlen)
{
    parser ps = {.path = path, .err = err, .errlen = errlen};
    hpo__irace_lines l;
    char **sw = NULL;
    *switches = NULL;
    *n = 0;
    int rc = hpo__irace_read_lines(path, &l, err, errlen);
    if (rc != HPO_OK)
        return rc;
    rc = read_lines(&ps, &l);
    if (rc == HPO_OK)
        rc = order(&ps);
    if (rc == HPO_OK &&
        !(sw = calloc((size_t)(ps.n > 0 ? ps.n : 1), sizeof *sw)))
        rc = oom(&ps);
    if (rc == HPO_OK)
        rc = build(&ps, space, sw);
    if (rc == HPO_OK) {
        *switches = sw;
        *n = ps.n;
    } else {
        irace_switches_free(sw, ps.n);
    }
    for (int i = 0; i < ps.n; i++)
        param_free(&ps.p[i]);
    free(ps.p);
    free(ps.order);
    hpo__irace_lines_free(&l);
    return rc;
}
