/*
 * arg_redact.c — secrets out of a child's command (arg_redact.h).
 *
 * Each argument is read as words (split at blanks and quotes, so that
 * `sh -c "./train --token=abc"` is seen through); a word is rewritten
 * when it carries a secret, everything between words is copied.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "arg_redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hpo.h"
#include "strbuf.h"

#define DELIMS " \t\n\"'`"
#define HIDDEN "***"

/* Does a flag or variable name look like it names a secret? */
static int secret_name(const char *name, size_t len)
{
    static const char *const exact[] = {"key", "pw", "pwd", "auth", NULL};
    static const char *const endings[] = {
        "password", "passwd", "passphrase", "secret", "token", "apikey",
        "accesskey", "secretkey", "privatekey", "credential", "credentials",
        NULL};
    while (len > 0 && strchr("-_.", name[len - 1]))
        len--;
    size_t start = len;
    while (start > 0 && !strchr("-_.", name[start - 1]))
        start--;
    char part[64];
    size_t n = len - start;
    if (n == 0 || n >= sizeof part)
        return 0;
    for (size_t i = 0; i < n; i++)
        part[i] = (char)tolower((unsigned char)name[start + i]);
    part[n] = '\0';
    for (int i = 0; exact[i]; i++)
        if (strcmp(part, exact[i]) == 0)
            return 1;
    for (int i = 0; endings[i]; i++) {
        size_t e = strlen(endings[i]);
        if (n >= e && strcmp(part + n - e, endings[i]) == 0)
            return 1;
    }
    return 0;
}

/* A value that is one placeholder, {name}: a parameter, not a secret. */
static int is_placeholder(const char *v, size_t len)
{
    return len >= 2 && v[0] == '{' && v[len - 1] == '}' &&
           !memchr(v + 1, '{', len - 2);
}

/* How one argument is read: `pending` carries "the next word is a
 * secret" across words and arguments; `found` is set when a secret's
 * value is already HIDDEN. */
typedef struct reader {
    int pending;
    int found;
} reader;

/* A value in a secret's place: HIDDEN, unless it is a placeholder. */
static void put_value(reader *r, strbuf *o, const char *v, size_t len)
{
    if (len == 3 && memcmp(v, HIDDEN, 3) == 0)
        r->found = 1;
    if (len == 0 || is_placeholder(v, len))
        strbuf_put(o, v, len);
    else
        strbuf_put(o, HIDDEN, 3);
}

/* A URL with its password hidden (hpo_url_redact). */
static void put_url(reader *r, strbuf *o, const char *w, size_t len)
{
    char *word = strndup(w, len);
    size_t need = word ? hpo_url_redact(word, NULL, 0) + 1 : 0;
    char *shown = word ? malloc(need) : NULL;
    if (!shown) {
        o->failed = 1;
    } else {
        hpo_url_redact(word, shown, need);
        if (strcmp(shown, word) == 0 &&
            (strstr(word, ":" HIDDEN "@") || strstr(word, "password=" HIDDEN)))
            r->found = 1;
        strbuf_put(o, shown, strlen(shown));
    }
    free(word);
    free(shown);
}

static void put_word(reader *r, strbuf *o, const char *w, size_t len)
{
    const char *eq = memchr(w, '=', len);
    size_t dashes = strspn(w, "-");
    if (r->pending) {
        r->pending = 0;
        if (!(len > 2 && w[0] == '-' && w[1] == '-')) { /* not a flag */
            put_value(r, o, w, len);
            return;
        }
    }
    if (memmem(w, len, "://", 3)) {
        put_url(r, o, w, len);
    } else if (eq && eq > w + dashes &&
               secret_name(w + dashes, (size_t)(eq - w) - dashes)) {
        strbuf_put(o, w, (size_t)(eq + 1 - w));
        put_value(r, o, eq + 1, len - (size_t)(eq + 1 - w));
    } else {
        if (!eq && dashes > 0 && dashes < len &&
            secret_name(w + dashes, len - dashes))
            r->pending = 1;
        strbuf_put(o, w, len);
    }
}

/* One argument, read as words; NULL if out of memory. */
static char *redact_arg(reader *r, const char *arg)
{
    strbuf o = {0};
    const char *p = arg;
    while (*p) {
        size_t gap = strspn(p, DELIMS);
        strbuf_put(&o, p, gap);
        p += gap;
        size_t len = strcspn(p, DELIMS);
        if (len > 0)
            put_word(r, &o, p, len);
        p += len;
    }
    return strbuf_take(&o);
}

char **arg_redact_command(char *const *command)
{
    int n = 0;
    while (command[n])
        n++;
    char **v = calloc((size_t)n + 1, sizeof *v);
    reader r = {0};
    for (int i = 0; v && i < n; i++) {
        if (!(v[i] = redact_arg(&r, command[i]))) {
            for (int k = 0; k < i; k++)
                free(v[k]);
            free(v);
            return NULL;
        }
    }
    return v;
}

const char *arg_redacted_in(char *const *command)
{
    reader r = {0};
    for (int i = 0; command[i]; i++) {
        char *copy = redact_arg(&r, command[i]);
        free(copy);
        if (r.found)
            return command[i];
    }
    return NULL;
}
