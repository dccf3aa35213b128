/*
 * json_check.c — the JSON text hpo reads as a document or keeps as an
 * attribute: exactly one value in RFC 8259's grammar, in valid UTF-8,
 * without the escape \u0000 and without an object key given twice.
 *
 * Why stricter than cJSON:
 *   1. cJSON reads "+1", "01", ".5" and a value followed by more text;
 *      Python's json.loads (Optuna's reader) refuses each, so an attribute
 *      kept verbatim would break load_study.
 *   2. \u0000 becomes a NUL byte in cJSON's C strings: a name or a choice
 *      would be cut there.
 *   3. With a key twice cJSON answers the first value and Python the last:
 *      hpo and Optuna would read two different documents.
 * NaN and Infinity, which Python also reads, are refused with cJSON, and
 * so is a number longer than cJSON reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json.h"

typedef struct scan {
    const char *p;   /* the next byte */
    const char *at;  /* where the first problem is */
    const char *why; /* what it is */
    int depth;
} scan;

static int bad(scan *s, const char *at, const char *why)
{
    s->at = at;
    s->why = why;
    return -1;
}

static void skip_space(scan *s)
{
    while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
        s->p++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

/* A \uXXXX escape (a surrogate pair takes two); s->p is at the '\'. */
static int unicode_escape(scan *s)
{
    const char *at = s->p;
    unsigned u, low;
    if (hex4(at + 2, &u))
        return bad(s, at, "\\u needs four hex digits");
    if (u == 0)
        return bad(s, at, "the escape \\u0000 (a NUL character would cut "
                          "the text there)");
    s->p += 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return bad(s, at, "a lone UTF-16 surrogate escape");
    if (u < 0xD800 || u > 0xDBFF)
        return 0;
    if (s->p[0] != '\\' || s->p[1] != 'u' || hex4(s->p + 2, &low) ||
        low < 0xDC00 || low > 0xDFFF)
        return bad(s, at, "a lone UTF-16 surrogate escape");
    s->p += 6;
    return 0;
}

static int string(scan *s)
{
    const char *start = s->p++;
    for (;;) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            s->p++;
            return 0;
        }
        if (c == '\0')
            return bad(s, start, "a string without its closing quote");
        if (c < 0x20)
            return bad(s, s->p, "a control character inside a string");
        if (c == '\\') {
            char e = s->p[1];
            if (e == 'u') {
                if (unicode_escape(s))
                    return -1;
            } else if (e && strchr("\"\\/bfnrt", e)) {
                s->p += 2;
            } else {
                return bad(s, s->p, "an unknown escape");
            }
            continue;
        }
        int len = hpo__utf8_seq(s->p);
        if (!len)
            return bad(s, s->p, "invalid UTF-8");
        s->p += len;
    }
}

static int digits(scan *s)
{
    const char *from = s->p;
    while (*s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > from ? 0 : -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(scan *s)
{
    const char *at = s->p;
    if (*s->p == '-')
        s->p++;
    if (*s->p == '0')
        s->p++;
    else if (digits(s))
        return bad(s, at, "not a value");
    if (*s->p == '.' && (s->p++, digits(s)))
        return bad(s, at, "a number with nothing after its '.'");
    if (*s->p == 'e' || *s->p == 'E') {
        s->p++;
        if (*s->p == '+' || *s->p == '-')
            s->p++;
        if (digits(s))
            return bad(s, at, "a number with an empty exponent");
    }
    if (s->p - at > 63) /* cJSON 1.7.15 reads numbers into 64 bytes */
        return bad(s, at, "a number longer than 63 characters");
    return 0;
}

static int value(scan *s);

/* Members of an object ('{' already taken) or items of an array. */
static int members(scan *s, char close, int keyed)
{
    skip_space(s);
    if (*s->p == close) {
        s->p++;
        return 0;
    }
    for (;;) {
        skip_space(s);
        if (keyed) {
            if (*s->p != '"')
                return bad(s, s->p, "expected a quoted key");
            if (string(s))
                return -1;
            skip_space(s);
            if (*s->p != ':')
                return bad(s, s->p, "expected ':' after a key");
            s->p++;
        }
        if (value(s))
            return -1;
        skip_space(s);
        if (*s->p == close) {
            s->p++;
            return 0;
        }
        if (*s->p != ',')
            return bad(s, s->p, keyed ? "expected ',' or '}'"
                                      : "expected ',' or ']'");
        s->p++;
    }
}

static int literal(scan *s, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(s->p, word, n) != 0)
        return bad(s, s->p, "not a value");
    s->p += n;
    return 0;
}

static int value(scan *s)
{
    skip_space(s);
    switch (*s->p) {
    case '{':
    case '[': {
        if (++s->depth > HPO_MAX_JSON_DEPTH)
            return bad(s, s->p, "nested too deeply");
        char close = *s->p == '{' ? '}' : ']';
        s->p++;
        int rc = members(s, close, close == '}');
        s->depth--;
        return rc;
    }
    case '"': return string(s);
    case 't': return literal(s, "true");
    case 'f': return literal(s, "false");
    case 'n': return literal(s, "null");
    case '\0': return bad(s, s->p, "the text ends where a value should be");
    default: return number(s);
    }
}

int hpo__json_check(const char *text, const char **why, size_t *offset)
{
    scan s = {.p = text};
    int rc = value(&s);
    if (!rc) {
        skip_space(&s);
        if (*s.p)
            rc = bad(&s, s.p, "more text after the value");
    }
    if (rc) {
        *why = s.why;
        *offset = (size_t)(s.at - text);
    }
    return rc;
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string,
                  (*(const cJSON *const *)b)->string);
}

/* The key given twice among obj's members, or NULL; sorted, so an object
 * of many keys costs n log n. */
static const char *twice_here(const cJSON *obj, int *failed)
{
    int n = cJSON_GetArraySize(obj);
    if (n < 2)
        return NULL;
    const cJSON **keys = malloc((size_t)n * sizeof *keys);
    if (!keys) {
        *failed = 1;
        return NULL;
    }
    int i = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        keys[i++] = c;
    qsort(keys, (size_t)n, sizeof *keys, by_key);
    const char *twice = NULL;
    for (i = 1; i < n && !twice; i++)
        if (strcmp(keys[i - 1]->string, keys[i]->string) == 0)
            twice = keys[i]->string;
    free(keys);
    return twice;
}

const char *hpo__json_twice(const cJSON *item, int *failed)
{
    const char *twice = NULL;
    if (cJSON_IsObject(item) && (twice = twice_here(item, failed)))
        return twice;
    for (const cJSON *c = item->child; c && !twice && !*failed; c = c->next)
        twice = hpo__json_twice(c, failed);
    return twice;
}

int hpo__json_parse(const char *text, const char *what, cJSON **out,
                    hpo__msg *m)
{
    const char *why;
    size_t at;
    *out = NULL;
    if (!text)
        return hpo__fail(m, HPO_EINVAL, "%s: no JSON text", what);
    if (hpo__json_check(text, &why, &at))
        return hpo__fail(m, HPO_EINVAL, "%s: not valid JSON: %s at offset %zu",
                         what, why, at);
    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    int failed = 0;
    const char *twice = root ? hpo__json_twice(root, &failed) : NULL;
    int rc = !root || failed ? hpo__fail(m, HPO_ENOMEM, "%s: out of memory", what)
             : twice ? hpo__fail(m, HPO_EINVAL,
                                 "%s: the key \"%.80s\" is given twice", what,
                                 twice)
                     : HPO_OK;
    if (rc)
        cJSON_Delete(root);
    else
        *out = root;
    return rc;
}

int hpo__check_attr(hpo__msg *m, const char *key, const char *json)
{
    int rc = hpo__check_name(m, "attribute key", key);
    if (rc)
        return rc;
    char shown[96], what[128];
    hpo__text_shown(shown, sizeof shown, key);
    snprintf(what, sizeof what, "attribute '%s'", shown);
    cJSON *v;
    rc = hpo__json_parse(json, what, &v, m);
    cJSON_Delete(v);
    return rc;
}
