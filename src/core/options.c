/* options.c — plug-in specs "name:key=value,key=value" (NLopt's
 * string-keyed options).  The plug-in reads what it knows; the core then
 * refuses whatever nobody read, so a typo is an error, not a silent no-op. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int add_pair(hpo__opts *o, const char *item, size_t len, hpo__msg *m)
{
    const char *eq = memchr(item, '=', len);
    if (!eq || eq == item)
        return hpo__fail(m, HPO_EINVAL,
                         "option '%.*s' of '%s' is not key=value", (int)len,
                         item, o->name);
    size_t key_len = (size_t)(eq - item);
    for (int i = 0; i < o->n; i++) /* which one would the user mean? */
        if (strlen(o->keys[i]) == key_len && !strncmp(o->keys[i], item, key_len))
            return hpo__fail(m, HPO_EINVAL, "option '%s' of '%s' is given twice",
                             o->keys[i], o->name);
    int n = o->n + 1;
    char **k = realloc(o->keys, (size_t)n * sizeof *k);
    if (k)
        o->keys = k;
    char **v = realloc(o->values, (size_t)n * sizeof *v);
    if (v)
        o->values = v;
    unsigned char *u = realloc(o->used, (size_t)n);
    if (u)
        o->used = u;
    if (!k || !v || !u)
        return hpo__oom(m);
    o->keys[o->n] = hpo__strndup(item, (size_t)(eq - item));
    o->values[o->n] = hpo__strndup(eq + 1, len - (size_t)(eq - item) - 1);
    o->used[o->n] = 0;
    o->n = n;
    return o->keys[n - 1] && o->values[n - 1] ? HPO_OK : hpo__oom(m);
}

int hpo__opts_parse(hpo__opts *o, const char *spec, hpo__msg *m)
{
    memset(o, 0, sizeof *o);
    if (!spec || !*spec)
        return hpo__fail(m, HPO_EINVAL, "empty name");
    const char *colon = strchr(spec, ':');
    size_t name_len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (!(o->name = hpo__strndup(spec, name_len)))
        return hpo__oom(m);
    const char *p = colon ? colon + 1 : NULL;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int rc = add_pair(o, p, len, m);
        if (rc) {
            hpo__opts_free(o);
            return rc;
        }
        p = comma ? comma + 1 : NULL;
    }
    return HPO_OK;
}

void hpo__opts_free(hpo__opts *o)
{
    for (int i = 0; i < o->n; i++) {
        free(o->keys[i]);
        free(o->values[i]);
    }
    free(o->keys);
    free(o->values);
    free(o->used);
    free(o->name);
    memset(o, 0, sizeof *o);
}

static const char *lookup(hpo__opts *o, const char *key)
{
    const char *found = NULL;
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0) {
            o->used[i] = 1;
            found = o->values[i]; /* keys are distinct (add_pair) */
        }
    return found;
}

const char *hpo__opts_str(hpo__opts *o, const char *key)
{
    return lookup(o, key);
}

int hpo__opts_check_used(const hpo__opts *o, const char *what, hpo__msg *m)
{
    for (int i = 0; i < o->n; i++)
        if (!o->used[i])
            return hpo__fail(m, HPO_EINVAL, "%s '%s' has no option '%s'", what,
                             o->name, o->keys[i]);
    return HPO_OK;
}
