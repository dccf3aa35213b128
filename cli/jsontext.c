/*
 * jsontext.c — JSON string quoting for attribute values, through cJSON.
 */
#include "jsontext.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <math.h>
#include <stdio.h>

#include "core/internal.h" /* hpo__utf8_seq, hpo__format_double */
#include "core/json.h"

long json_invalid_utf8(const char *text)
{
    const char *p = text;
    int n;
    while (*p && (n = hpo__utf8_seq(p)) > 0)
        p += n;
    return *p ? (long)(p - text) : -1;
}

/* A copy of text where invalid UTF-8 bytes are '?': a child's stderr may
 * hold anything, and a JSON document must not. */
static char *valid_utf8(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = hpo__utf8_len(s + i, len - i);
        if (n == 0) {
            out[i++] = '?';
        } else {
            memcpy(out + i, s + i, n);
            i += n;
        }
    }
    out[len] = '\0';
    return out;
}

char *json_quote(const char *text)
{
    char *clean = valid_utf8(text ? text : "");
    if (!clean)
        return NULL;
    cJSON *s = cJSON_CreateString(clean);
    free(clean);
    if (!s)
        return NULL;
    char *out = cJSON_PrintUnformatted(s);
    cJSON_Delete(s);
    return out;
}

char *json_unquote(const char *json)
{
    if (!json)
        return NULL;
    cJSON *v = cJSON_Parse(json);
    char *out;
    if (v && cJSON_IsString(v))
        out = strdup(cJSON_GetStringValue(v));
    else
        out = strdup(json);
    cJSON_Delete(v);
    return out;
}

char *json_from_text(const char *value)
{
    const char *why;
    size_t at;
    char *end;
    if (hpo__json_check(value, &why, &at) == 0) /* 12, 0.5, true, [1] */
        return strdup(value);
    double v = *value ? strtod(value, &end) : NAN;
    if (*value && *end == '\0' && isfinite(v)) { /* .5, +1, 0x10: as JSON */
        char buf[40];
        if (v == floor(v) && fabs(v) < 9007199254740992.0)
            snprintf(buf, sizeof buf, "%.0f", v);
        else
            hpo__format_double(buf, sizeof buf, v);
        return strdup(buf);
    }
    return json_quote(value);
}
