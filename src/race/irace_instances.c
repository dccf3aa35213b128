/*
 * irace_instances.c — irace's instance lists (trainInstancesFile,
 * testInstancesFile): one instance a line, '#' to the end of a line is a
 * comment, blank lines are skipped, and a directory (trainInstancesDir)
 * prefixes every line.  Without a file, every file under the directory is
 * an instance, sorted by path, as irace's list.files(recursive = TRUE).
 *
 * Deviation: irace passes a line on without looking at it; with a
 * directory we check that the instance exists (its first word, when the
 * line carries arguments after it), so a typo is one clear error before
 * any run instead of a failed experiment per configuration.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irace_files.h"
#include "irace_text.h"

typedef struct list {
    char **v;
    int n, cap;
} list;

static int push(list *l, char *s)
{
    if (!s)
        return HPO_ENOMEM;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) {
            free(s);
            return HPO_ENOMEM;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return HPO_OK;
}

/* irace's comment rule: everything from the first '#' (instance names
 * are not quoted), then white space trimmed. */
static char *strip(char *s)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    size_t k = strlen(s);
    while (k && isspace((unsigned char)s[k - 1]))
        s[--k] = '\0';
    return hpo__irace_skip(s);
}

/* Does the instance exist: the whole line, else its first word (an
 * instance followed by its own arguments)? */
static int exists(const char *inst, char **missing)
{
    struct stat st;
    *missing = NULL;
    if (!stat(inst, &st))
        return 1;
    size_t k = strcspn(inst, " \t");
    if (!inst[k])
        return 0;
    char *first = strndup(inst, k);
    if (!first || !stat(first, &st)) { /* out of memory: the run will tell */
        free(first);
        return 1;
    }
    *missing = first;
    return 0;
}

static int from_file(const char *path, const char *dir, list *out, char *err,
                     size_t errlen)
{
    hpo__irace_lines l;
    int rc = hpo__irace_read_lines(path, &l, err, errlen);
    for (int i = 0; rc == HPO_OK && i < l.n; i++) {
        char *s = strip(l.line[i]), *missing;
        if (!*s)
            continue;
        char *inst = hpo__irace_join(dir, s);
        if (inst && dir && *dir && !exists(inst, &missing)) {
            rc = hpo__irace_fail(err, errlen, HPO_EINVAL,
                                 "%s:%d: no such file %s", path, i + 1,
                                 missing ? missing : inst);
            free(missing);
            free(inst);
            break;
        }
        rc = push(out, inst);
        if (rc != HPO_OK)
            hpo__irace_fail(err, errlen, rc, "%s: out of memory", path);
    }
    hpo__irace_lines_free(&l);
    return rc;
}

static int walk(const char *dir, list *out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d)
        return hpo__irace_fail(err, errlen, HPO_EINVAL, "%s: %s", dir,
                               strerror(errno));
    int rc = HPO_OK;
    struct dirent *e;
    while (rc == HPO_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.') /* hidden, '.' and '..': not listed */
            continue;
        char *p = hpo__irace_join(dir, e->d_name);
        struct stat st;
        if (!p)
            rc = hpo__irace_fail(err, errlen, HPO_ENOMEM, "out of memory");
        else if (!stat(p, &st) && S_ISDIR(st.st_mode)) {
            rc = walk(p, out, err, errlen);
            free(p);
        } else if (push(out, p) != HPO_OK) {
            rc = hpo__irace_fail(err, errlen, HPO_ENOMEM, "out of memory");
        }
    }
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int irace_read_instances(const char *path, const char *dir, char ***out, int *n,
                         char *err, size_t errlen)
{
    list l = {0};
    int rc;
    *out = NULL;
    *n = 0;
    if (path && *path) {
        rc = from_file(path, dir, &l, err, errlen);
    } else if (dir && *dir) {
        rc = walk(dir, &l, err, errlen);
        if (rc == HPO_OK)
            qsort(l.v, (size_t)l.n, sizeof *l.v, by_path);
        path = dir;
    } else {
        rc = hpo__irace_fail(err, errlen, HPO_EINVAL,
                             "no instances: give an instances file or an "
                             "instances directory");
    }
    if (rc == HPO_OK && !l.n)
        rc = hpo__irace_fail(err, errlen, HPO_EINVAL,
                             "%s: empty: no instance in it (blank lines and "
                             "'#' comments are skipped)",
                             path);
    if (rc != HPO_OK) {
        irace_switches_free(l.v, l.n);
        return rc;
    }
    *out = l.v;
    *n = l.n;
    return HPO_OK;
}
