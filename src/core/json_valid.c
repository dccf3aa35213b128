/*
 * json_valid.c — is a text JSON?  Answered without allocating, so that a
 * cJSON_Parse that failed can be told apart: on valid text only memory
 * can have run out (cJSON says NULL either way).
 *
 * The grammar is RFC 8259's, slightly stricter than cJSON: nothing but
 * whitespace after the value, no control characters in strings, no
 * unpaired surrogate escapes, at most 512 levels (cJSON: 1000).  So text
 * this accepts, cJSON parses, given memory.
 */
#include <string.h>

#include "json.h"

#define MAX_DEPTH 512

static const char *value(const char *p, int depth);

static const char *space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
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
            return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

/* \uXXXX after the backslash and u: a surrogate pair counts as one. */
static const char *unicode_escape(const char *p)
{
    unsigned u, low;
    if (!hex4(p, &u) || (u >= 0xDC00 && u <= 0xDFFF))
        return NULL;
    p += 4;
    if (u < 0xD800 || u > 0xDBFF)
        return p;
    if (p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &low) || low < 0xDC00 ||
        low > 0xDFFF)
        return NULL;
    return p + 6;
}

static const char *string(const char *p)
{
    for (p++; *p != '"'; ) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return NULL; /* the end of the text included */
        if (c != '\\') {
            p++;
            continue;
        }
        if (p[1] == 'u')
            p = unicode_escape(p + 2);
        else if (p[1] && strchr("\"\\/bfnrt", p[1]))
            p += 2;
        else
            return NULL;
        if (!p)
            return NULL;
    }
    return p + 1;
}

static const char *digits(const char *p)
{
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

static const char *number(const char *p)
{
    if (*p == '-')
        p++;
    p = *p == '0' ? p + 1 : digits(p);
    if (p && *p == '.')
        p = digits(p + 1);
    if (p && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        p = digits(p);
    }
    return p;
}

/* [ value, ... ] or { "key": value, ... }, from the opening bracket. */
static const char *container(const char *p, int depth, char close)
{
    p = space(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (close == '}') {
            if (*p != '"' || !(p = string(p)))
                return NULL;
            p = space(p);
            if (*p++ != ':')
                return NULL;
        }
        if (!(p = value(p, depth + 1)))
            return NULL;
        p = space(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *value(const char *p, int depth)
{
    if (depth > MAX_DEPTH)
        return NULL;
    p = space(p);
    switch (*p) {
    case '{': return container(p, depth, '}');
    case '[': return container(p, depth, ']');
    case '"': return string(p);
    case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
    default: return *p == '-' || (*p >= '0' && *p <= '9') ? number(p) : NULL;
    }
}

int hpo__json_valid(const char *text)
{
    const char *end = text ? value(text, 0) : NULL;
    return end && *space(end) == '\0';
}

cJSON *hpo__json_parse(const char *text, int *oom)
{
    cJSON *v = text ? cJSON_Parse(text) : NULL;
    *oom = !v && hpo__json_valid(text);
    return v;
}
