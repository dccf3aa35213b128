/*
 * irace_text.c — reading irace's text files: whole files as numbered
 * lines, comments, and error messages in the "FILE:LINE: ..." form.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpo.h"
#include "irace_text.h"

int hpo__irace_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int hpo__irace_fail_at(char *err, size_t errlen, const char *path, int line,
                       const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return hpo__irace_fail(err, errlen, HPO_EINVAL, "%s:%d: %s", path, line,
                           msg);
}

static int slurp(const char *path, char **out, size_t *len, char *err,
                 size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hpo__irace_fail(err, errlen, HPO_EIO, "%s: %s", path,
                               strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return hpo__irace_fail(err, errlen, HPO_ENOMEM, "%s: out of memory",
                               path);
    if (bad) {
        free(buf);
        return hpo__irace_fail(err, errlen, HPO_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return HPO_OK;
}

int hpo__irace_read_lines(const char *path, hpo__irace_lines *l, char *err,
                          size_t errlen)
{
    size_t len = 0;
    memset(l, 0, sizeof *l);
    int rc = slurp(path, &l->text, &len, err, errlen);
    if (rc != HPO_OK)
        return rc;
    int n = 1;
    for (size_t i = 0; i < len; i++)
        n += l->text[i] == '\n';
    l->line = malloc((size_t)n * sizeof *l->line);
    if (!l->line) {
        hpo__irace_lines_free(l);
        return hpo__irace_fail(err, errlen, HPO_ENOMEM, "%s: out of memory",
                               path);
    }
    char *s = l->text;
    for (;;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        size_t k = strlen(s);
        if (k && s[k - 1] == '\r') /* a file written on Windows */
            s[k - 1] = '\0';
        l->line[l->n++] = s;
        if (!nl)
            break;
        s = nl + 1;
    }
    /* A final newline ends the last line rather than starting one. */
    if (l->n > 1 && !*l->line[l->n - 1] && len && l->text[len - 1] == '\n')
        l->n--;
    return HPO_OK;
}

void hpo__irace_lines_free(hpo__irace_lines *l)
{
    free(l->text);
    free(l->line);
    memset(l, 0, sizeof *l);
}

char *hpo__irace_skip(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return (char *)s;
}

char *hpo__irace_strip(char *s)
{
    char quote = 0;
    char *p = s;
    for (; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '#') {
            break;
        }
    }
    if (quote)
        return NULL;
    *p = '\0';
    while (p > s && isspace((unsigned char)p[-1]))
        *--p = '\0';
    return hpo__irace_skip(s);
}

char *hpo__irace_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

char *hpo__irace_join(const char *dir, const char *path)
{
    if (!dir || !*dir || path[0] == '/')
        return strdup(path);
    char *out = NULL;
    if (asprintf(&out, "%s/%s", dir, path) < 0)
        return NULL;
    return out;
}

int hpo__irace_number(const char *s, double *v)
{
    char *end;
    if (!*s || isspace((unsigned char)*s))
        return 0;
    *v = strtod(s, &end);
    if (end == s)
        return 0;
    if (end[0] == 'L' && end[1] == '\0') /* R's integer suffix */
        end++;
    return *end == '\0' && isfinite(*v);
}
