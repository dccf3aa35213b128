/*
 * irace_files_stub.c — TEMPORARY, for the race branch only: a minimal
 * reader of irace's instances lists and parameters.txt behind
 * irace_files.h, so `hpo race` builds and is tested before the iraceio
 * branch (which owns irace_files.h and the real readers) is merged.
 * DELETE THIS FILE AT MERGE: the iraceio branch defines these functions.
 *
 * It reads: `name "switch" r|i|c|o (values) [| parent %in% c(...)]`, with
 * r,log and i,log; no forbidden lists, no dependent bounds.
 */
#include "irace_files.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void irace_switches_free(char **switches, int n)
{
    for (int i = 0; switches && i < n; i++)
        free(switches[i]);
    free(switches);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int push(char ***v, int *n, const char *s)
{
    char **w = realloc(*v, (size_t)(*n + 1) * sizeof *w);
    if (!w)
        return -1;
    *v = w;
    if (!(w[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

int irace_read_instances(const char *path, const char *dir, char ***out,
                         int *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %m", path);
        return HPO_EIO;
    }
    char line[4096], full[8192];
    int line_no = 0, rc = HPO_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        line_no++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        snprintf(full, sizeof full, "%s%s%s", dir && *dir ? dir : "",
                 dir && *dir ? "/" : "", s);
        FILE *probe = dir && *dir ? fopen(full, "r") : NULL;
        if (dir && *dir && !probe) {
            snprintf(err, errlen, "%s:%d: no such file %s", path, line_no, full);
            rc = HPO_EINVAL;
        }
        if (probe)
            fclose(probe);
        if (!rc && push(out, n, full)) {
            snprintf(err, errlen, "out of memory");
            rc = HPO_ENOMEM;
        }
    }
    fclose(f);
    if (!rc && *n == 0) {
        snprintf(err, errlen, "%s: empty", path);
        rc = HPO_EINVAL;
    }
    if (rc) {
        irace_switches_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* The items of "(a, b, c)" into v[] (quotes dropped); their count. */
static int items(char *s, char **v, int max)
{
    char *open = strchr(s, '('), *close = strrchr(s, ')');
    if (!open || !close || close < open)
        return -1;
    *close = '\0';
    int n = 0;
    for (char *tok = strtok(open + 1, ","); tok && n < max;
         tok = strtok(NULL, ",")) {
        tok = trim(tok);
        size_t len = strlen(tok);
        if (len >= 2 && (tok[0] == '"' || tok[0] == '\'') &&
            tok[len - 1] == tok[0]) {
            tok[len - 1] = '\0';
            tok++;
        }
        v[n++] = tok;
    }
    return n;
}

static int add_param(hpo_space *sp, const char *name, const char *type,
                     char *domain)
{
    char *v[256];
    char spec[8192];
    int log = strstr(type, "log") != NULL;
    int n = items(domain, v, 256);
    if (n < 1)
        return HPO_EINVAL;
    if (type[0] == 'c' || type[0] == 'o') {
        int k = snprintf(spec, sizeof spec, "%s=cat:", name);
        for (int i = 0; i < n; i++)
            k += snprintf(spec + k, sizeof spec - (size_t)k, "%s%s",
                          i ? "," : "", v[i]);
    } else if (n == 2 && (type[0] == 'r' || type[0] == 'i')) {
        snprintf(spec, sizeof spec, "%s=%s:%s:%s%s", name,
                 type[0] == 'r' ? "float" : "int", v[0], v[1],
                 log ? ":log" : "");
    } else {
        return HPO_EINVAL;
    }
    return hpo_space_parse_param(sp, spec);
}

static int add_condition(hpo_space *sp, const char *name, char *cond)
{
    char parent[512], *v[256];
    if (sscanf(cond, " %511[A-Za-z0-9_.] %%in%%", parent) != 1)
        return HPO_EINVAL;
    int n = items(cond, v, 256);
    if (n < 1)
        return HPO_EINVAL;
    return hpo_space_set_condition(sp, name, parent, (const char *const *)v, n);
}

static int parse_line(hpo_space *sp, char *s, char ***sw, int *n)
{
    char name[512], swtch[512], type[32];
    int used = 0;
    if (sscanf(s, " %511s \"%511[^\"]\" %31s %n", name, swtch, type, &used) < 3)
        return HPO_EINVAL;
    char *rest = s + used, *bar = strchr(rest, '|');
    if (bar)
        *bar = '\0';
    int rc = add_param(sp, name, type, rest);
    if (!rc && bar)
        rc = add_condition(sp, name, bar + 1);
    if (!rc && push(sw, n, swtch))
        rc = HPO_ENOMEM;
    return rc;
}

int irace_parse_parameters(const char *path, hpo_space *space,
                           char ***switches, int *n, char *err, size_t errlen)
{
    *switches = NULL;
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %m", path);
        return HPO_EIO;
    }
    char line[8192];
    int line_no = 0, rc = HPO_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        line_no++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (*s && (rc = parse_line(space, s, switches, n)))
            snprintf(err, errlen, "%s:%d: cannot read this parameter (%s)",
                     path, line_no, hpo_space_errmsg(space));
    }
    fclose(f);
    if (rc) {
        irace_switches_free(*switches, *n);
        *switches = NULL;
        *n = 0;
    }
    return rc;
}
