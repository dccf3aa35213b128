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

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Does the option's key (up to '=') name a password once %XX-decoded, as
 * libpq decodes it ("pass%77ord" is "password"; so is "sslpassword")? */
static int is_password_key(const char *opt, size_t n)
{
    static const char word[] = "password";
    char key[256];
    size_t k = 0;
    if (!memchr(opt, '=', n))
        return 0;
    if (n >= sizeof key)
        return 1; /* no such key: hiding its value is harmless */
    for (size_t i = 0; i < n && opt[i] != '='; i++) {
        int hi = i + 2 < n ? hex_digit(opt[i + 1]) : -1;
        int lo = hi >= 0 ? hex_digit(opt[i + 2]) : -1;
        if (opt[i] == '%' && lo >= 0) {
            key[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            key[k++] = opt[i];
        }
    }
    key[k] = '\0';
    return k >= sizeof word - 1 &&
           strcmp(key + k - (sizeof word - 1), word) == 0;
}

/* The query part with every password's VALUE as ***. */
static void put_query(char *out, size_t size, size_t *len, const char *q)
{
    while (*q) {
        size_t n = strcspn(q, "&");
        if (is_password_key(q, n)) {
            put(out, size, len, q, (size_t)(strchr(q, '=') + 1 - q));
            put(out, size, len, "***", 3);
        } else {
            put(out, size, len, q, n);
        }
        q += n;
        if (*q == '&')
            put(out, size, len, q++, 1);
    }
}

/*
 * The '@' that ends user:password@, or NULL.  libpq takes the user
 * information up to the first '@' before the first '/', so a password may
 * hold '?' or '#'; a password with an unencoded '@' is hidden whole by
 * going on to the last '@' before the query that follows the first one.
 */
static const char *user_info_end(const char *authority)
{
    const char *slash = authority + strcspn(authority, "/");
    const char *first = memchr(authority, '@', (size_t)(slash - authority));
    if (!first)
        return NULL;
    const char *query = memchr(first, '?', (size_t)(slash - first));
    const char *end = query ? query : slash, *at = first;
    for (const char *p = first; p < end; p++)
        if (*p == '@')
            at = p;
    return at;
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
    const char *at = user_info_end(authority);
    const char *colon = at ? memchr(authority, ':', (size_t)(at - authority))
                           : NULL;
    if (colon) {
        rest = at + strcspn(at, "/?#");
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
