/*
 * url_redact.c — a --storage URL as the tool prints it: without its
 * password.
 *
 * A PostgreSQL URL may carry a password (postgresql://user:pw@host/db, or
 * ?password=pw among its options).  Error messages and progress lines end
 * up in terminals, CI logs and bug reports, so every place that prints a
 * URL prints it through cli_redact_url().
 */
#include <string.h>

#include "cli.h"

/* Append up to n bytes of src to out (of `size`, holding *len bytes). */
static void put(char *out, size_t size, size_t *len, const char *src, size_t n)
{
    if (*len + 1 >= size)
        return;
    if (n > size - 1 - *len)
        n = size - 1 - *len;
    memcpy(out + *len, src, n);
    *len += n;
    out[*len] = '\0';
}

/* The query part with every password=VALUE as password=***. */
static void put_query(char *out, size_t size, size_t *len, const char *q)
{
    static const char key[] = "password=";
    while (*q) {
        size_t n = strcspn(q, "&");
        if (strncmp(q, key, sizeof key - 1) == 0) {
            put(out, size, len, key, sizeof key - 1);
            put(out, size, len, "***", 3);
        } else {
            put(out, size, len, q, n);
        }
        q += n;
        if (*q == '&')
            put(out, size, len, q++, 1);
    }
}

void cli_redact_url(const char *url, char *out, size_t size)
{
    size_t len = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    const char *scheme_end = strstr(url, "://");
    if (!scheme_end) {
        put(out, size, &len, url, strlen(url));
        return;
    }
    const char *authority = scheme_end + 3;
    const char *rest = authority + strcspn(authority, "/?#");
    put(out, size, &len, url, (size_t)(authority - url));
    /* user:password@host — the last '@' ends the user information. */
    const char *at = NULL;
    for (const char *p = authority; p < rest; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(authority, ':', (size_t)(at - authority))
                           : NULL;
    if (colon) {
        put(out, size, &len, authority, (size_t)(colon - authority));
        put(out, size, &len, ":***", 4);
        put(out, size, &len, at, (size_t)(rest - at));
    } else {
        put(out, size, &len, authority, (size_t)(rest - authority));
    }
    const char *query = strchr(rest, '?');
    put(out, size, &len, rest, query ? (size_t)(query - rest) : strlen(rest));
    if (query) {
        put(out, size, &len, "?", 1);
        put_query(out, size, &len, query + 1);
    }
}
