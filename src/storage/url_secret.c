/*
 * url_secret.c — the secrets a storage URL carries, and the URL without
 * them.
 *
 * A URL may hold a password in two places: the user information
 * (postgresql://user:PASSWORD@host/db) and key=value options
 * (?password=..., sslpassword=..., also in libpq's "key=value" form).
 * hpo_url_redact() shows such a URL with "***" in their place; the
 * storage handle keeps the secrets themselves (raw and percent-decoded)
 * and hpo__storage_error() blanks them out of every message, because a
 * message may quote text hpo did not write: libpq's parse errors repeat
 * the whole URI, password included.
 *
 * Deliberately generous: the user information ends at the LAST '@' before
 * the options, so a password with an unencoded '@' or '/' is still hidden
 * even where libpq would parse the URL otherwise.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "storage.h"

#define MAX_SPANS 16

typedef struct span {
    size_t start, len;
} span;

/* The last '@' in [from, to), or NULL. */
static const char *last_at(const char *from, const char *to)
{
    const char *at = NULL;
    for (const char *p = from; p < to; p++)
        if (*p == '@')
            at = p;
    return at;
}

/* The '@' that ends user:PASSWORD@, or NULL: the later of two readings.
 * libpq ends the user information at the first '@' before the first
 * '/', so its password may hold '?' or '#' (then to the last '@' before a
 * '?' that follows, for a password holding '@'); the generous reading
 * takes the last '@' before any '?' or '#', so a password with an
 * unencoded '/' is hidden too. */
static const char *userinfo_end(const char *auth)
{
    const char *generous = last_at(auth, auth + strcspn(auth, "?#"));
    const char *slash = auth + strcspn(auth, "/");
    const char *first = memchr(auth, '@', (size_t)(slash - auth));
    const char *libpq = NULL;
    if (first) {
        const char *query = memchr(first, '?', (size_t)(slash - first));
        libpq = last_at(first, query ? query : slash);
    }
    return libpq && (!generous || libpq > generous) ? libpq : generous;
}

/* The password of user:PASSWORD@ after "scheme://". */
static int userinfo_span(const char *url, span *s)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return 0;
    const char *auth = sep + 3;
    const char *at = userinfo_end(auth);
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (!colon)
        return 0;
    s->start = (size_t)(colon + 1 - url);
    s->len = (size_t)(at - colon - 1);
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Does an option's key, %XX-decoded as libpq decodes it, end in
 * "password" ("pass%77ord", "sslpassword")? */
static int is_password_key(const char *key, size_t n)
{
    static const char word[] = "password";
    char decoded[256];
    size_t k = 0;
    if (n >= sizeof decoded)
        return 1; /* no such key: hiding its value is harmless */
    for (size_t i = 0; i < n; i++) {
        int hi = i + 2 < n ? hex_value(key[i + 1]) : -1;
        int lo = hi >= 0 ? hex_value(key[i + 2]) : -1;
        if (key[i] == '%' && lo >= 0) {
            decoded[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            decoded[k++] = key[i];
        }
    }
    return k >= sizeof word - 1 &&
           memcmp(decoded + k - (sizeof word - 1), word, sizeof word - 1) == 0;
}

/* The values of every ...password=VALUE option: a key that starts the
 * string or follows '?', '&', ';' or a blank, and decodes to a name
 * ending in "password"; its value runs to the next '&' or blank.
 * Options inside the user information (`inside`, hidden whole already)
 * are skipped. */
static int option_spans(const char *url, const span *inside, span *spans,
                        int n)
{
    for (const char *eq = url; n < MAX_SPANS && (eq = strchr(eq, '='));
         eq++) {
        const char *k = eq;
        while (k > url && !strchr("?&; \t", k[-1]))
            k--;
        size_t start = (size_t)(eq + 1 - url);
        if (!is_password_key(k, (size_t)(eq - k)) ||
            (inside && start >= inside->start &&
             start <= inside->start + inside->len))
            continue;
        spans[n].start = start;
        /* the last span left hides the rest of the URL, however many
         * more passwords it holds */
        spans[n].len = n == MAX_SPANS - 1 ? strlen(eq + 1)
                                          : strcspn(eq + 1, "& \t");
        n++;
    }
    return n;
}

/* Every secret of url, in order of position. */
static int secret_spans(const char *url, span *spans)
{
    int n = userinfo_span(url, &spans[0]);
    n = option_spans(url, n ? &spans[0] : NULL, spans, n);
    for (int i = 1; i < n; i++) /* insertion sort: n is tiny */
        for (int j = i; j > 0 && spans[j].start < spans[j - 1].start; j--) {
            span t = spans[j];
            spans[j] = spans[j - 1];
            spans[j - 1] = t;
        }
    int merged = 0; /* overlapping spans made one (a key ending in
                     * "password" before "://" holds the user information) */
    for (int i = 0; i < n; i++) {
        span *last = merged ? &spans[merged - 1] : NULL;
        size_t end = spans[i].start + spans[i].len;
        if (last && spans[i].start <= last->start + last->len) {
            if (end > last->start + last->len)
                last->len = end - last->start;
        } else {
            spans[merged++] = spans[i];
        }
    }
    return merged;
}

/* Append n bytes to out (of `size`), counting what the whole needs. */
static void put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len < size) {
        size_t room = size - 1 - *len;
        memcpy(out + *len, s, n < room ? n : room);
    }
    *len += n;
}

size_t hpo_url_redact(const char *url, char *out, size_t size)
{
    span spans[MAX_SPANS];
    size_t len = 0, at = 0;
    if (!url)
        url = "";
    int n = secret_spans(url, spans);
    for (int i = 0; i < n; i++) {
        put(out, size, &len, url + at, spans[i].start - at);
        put(out, size, &len, "***", 3);
        at = spans[i].start + spans[i].len;
    }
    put(out, size, &len, url + at, strlen(url + at));
    if (size > 0)
        out[len < size ? len : size - 1] = '\0';
    return len;
}

/* s with %XX decoded (what libpq hands the server); NULL if no memory. */
static char *percent_decoded(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s; s++) {
        int hi, lo;
        if (*s == '%' && (hi = hex_value(s[1])) >= 0 &&
            (lo = hex_value(s[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

int hpo__url_secrets(const char *url, char ***out)
{
    span spans[MAX_SPANS];
    *out = NULL;
    int has_userinfo = userinfo_span(url, &spans[0]);
    int n = secret_spans(url, spans), k = 0;
    if (n == 0)
        return HPO_OK;
    char **v = calloc((size_t)(3 * n + 1), sizeof *v);
    if (!v)
        return HPO_ENOMEM;
    for (int i = 0; i < n; i++) {
        if (spans[i].len == 0)
            continue;
        char *raw = hpo__strndup(url + spans[i].start, spans[i].len);
        v[k++] = raw;
        if (raw)
            v[k++] = percent_decoded(raw);
        if (!raw || !v[k - 1]) {
            hpo__secrets_free(v);
            return HPO_ENOMEM;
        }
        /* An unencoded '@' in the password: libpq ends the user
         * information at the first one and takes the rest for the host,
         * which its messages then show. */
        const char *at = i == 0 && has_userinfo ? strchr(raw, '@') : NULL;
        if (at && at[1] && (v[k++] = hpo__strdup(at + 1)) == NULL) {
            hpo__secrets_free(v);
            return HPO_ENOMEM;
        }
    }
    *out = v;
    return HPO_OK;
}

void hpo__secrets_free(char **secrets)
{
    if (!secrets)
        return;
    for (char **p = secrets; *p; p++)
        free(*p);
    free(secrets);
}

/* text with every occurrence of s replaced by "***"; text itself when s
 * is not in it; NULL if no memory (text is freed then). */
static char *blank_out(char *text, const char *s)
{
    size_t n = strlen(s), count = 0;
    for (const char *p = text; (p = strstr(p, s)); p += n)
        count++;
    if (count == 0)
        return text;
    size_t size = strlen(text) + count * 3 + 1;
    char *out = malloc(size), *o = out;
    if (!out) {
        free(text);
        return NULL;
    }
    const char *p = text;
    for (const char *hit; (hit = strstr(p, s)); p = hit + n) {
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, "***", 3);
        o += 3;
    }
    strcpy(o, p);
    free(text);
    return out;
}

char *hpo__scrub_secrets(char *text, char *const *secrets)
{
    for (char *const *s = secrets; text && s && *s; s++)
        if (**s)
            text = blank_out(text, *s);
    return text;
}
