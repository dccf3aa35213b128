/*
 * jsontext.c — JSON string quoting for attribute values, through cJSON.
 */
#include "jsontext.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0 && s[0] >= 0xC2)
        n = 2;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3;
    else if ((s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
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
        size_t n = utf8_len(s + i);
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
