/*
 * space.c — declared search spaces: built by calls, by the CLI's compact
 * "name=kind:args" form, or from a JSON document, and turned back to JSON.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "internal.h"
#include "json.h"

static int no_memory(hpo_space *s)
{
    return hpo__fail(&s->msg, HPO_ENOMEM, "out of memory");
}

hpo_space *hpo_space_new(void)
{
    return calloc(1, sizeof(hpo_space));
}

static void param_free(hpo__space_param *p)
{
    free(p->name);
    hpo__dist_free(&p->dist);
    free(p->cond);
}

void hpo_space_free(hpo_space *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        param_free(&s->p[i]);
    free(s->p);
    hpo__msg_free(&s->msg);
    free(s);
}

const char *hpo_space_errmsg(const hpo_space *s)
{
    return s ? hpo__msg_get(&s->msg) : "no space";
}

int hpo_space_size(const hpo_space *s)
{
    return s ? s->n : 0;
}

const char *hpo_space_name(const hpo_space *s, int i)
{
    return s && i >= 0 && i < s->n ? s->p[i].name : NULL;
}

int hpo__space_find(const hpo_space *s, const char *name)
{
    for (int i = 0; s && i < s->n; i++)
        if (strcmp(s->p[i].name, name) == 0)
            return i;
    return -1;
}

int hpo__space_active(const hpo_space *s, int i, const double *values)
{
    const hpo__space_param *p = &s->p[i];
    if (p->parent < 0)
        return 1;
    double v = values[p->parent];
    if (isnan(v) || !hpo__space_active(s, p->parent, values))
        return 0;
    for (int k = 0; k < p->n_cond; k++)
        if (p->cond[k] == (int)v)
            return 1;
    return 0;
}

static int check_name(hpo_space *s, const char *name)
{
    int rc = hpo__check_name(&s->msg, "parameter name", name);
    if (rc)
        return rc;
    if (hpo__space_find(s, name) >= 0)
        return hpo__fail(&s->msg, HPO_EINVAL, "parameter '%s' is given twice",
                         name);
    if (s->n >= HPO_MAX_PARAMS)
        return hpo__fail(&s->msg, HPO_EINVAL, "more than %d parameters",
                         HPO_MAX_PARAMS);
    return HPO_OK;
}

/* Takes ownership of *d (freed on failure). */
static int add_dist(hpo_space *s, const char *name, hpo__dist *d)
{
    int rc = check_name(s, name);
    if (rc == HPO_OK)
        rc = hpo__dist_check(d, name, &s->msg);
    char *copy = rc == HPO_OK ? hpo__strdup(name) : NULL;
    if (rc == HPO_OK &&
        (!copy || hpo__grow((void **)&s->p, &s->cap, s->n + 1, sizeof *s->p)))
        rc = no_memory(s);
    if (rc != HPO_OK) {
        free(copy);
        hpo__dist_free(d);
        return rc;
    }
    hpo__space_param *p = &s->p[s->n++];
    memset(p, 0, sizeof *p);
    p->name = copy;
    p->dist = *d;
    p->parent = -1;
    return HPO_OK;
}

int hpo_space_add_float(hpo_space *s, const char *name, double low,
                        double high, double step, int flags)
{
    hpo__dist d = {.kind = HPO__FLOAT, .low = low, .high = high,
                   .step = step, .log = !!(flags & HPO_LOG)};
    return add_dist(s, name, &d);
}

int hpo_space_add_int(hpo_space *s, const char *name, int64_t low,
                      int64_t high, int64_t step, int flags)
{
    hpo__dist d = {.kind = HPO__INT, .low = (double)low, .high = (double)high,
                   .step = step ? (double)step : 1, .log = !!(flags & HPO_LOG)};
    return add_dist(s, name, &d);
}

/* Choices are kept as JSON text; strings get quoted here. */
static char *quote_json(const char *text)
{
    cJSON *str = cJSON_CreateString(text);
    char *out = str ? cJSON_PrintUnformatted(str) : NULL;
    cJSON_Delete(str);
    return out;
}

/* Each choice a string of valid UTF-8 (it is stored as JSON text). */
static int check_choice_texts(hpo_space *s, const char *name,
                              const char *const *choices, int n)
{
    int rc = check_name(s, name);
    if (rc == HPO_OK && n > 0 && !choices)
        rc = hpo__fail(&s->msg, HPO_EINVAL, "parameter '%s': no choices",
                       name);
    for (int i = 0; rc == HPO_OK && i < n; i++) {
        char what[HPO_MAX_NAME * 4 + 32];
        snprintf(what, sizeof what, "parameter '%s': choice", name);
        rc = choices[i] ? hpo__check_text(&s->msg, what, choices[i])
                        : hpo__fail(&s->msg, HPO_EINVAL,
                                    "parameter '%s': choice %d is NULL", name,
                                    i);
    }
    return rc;
}

/* A choice given as JSON text must be one scalar, as Optuna's
 * CategoricalDistribution takes (None, bool, int, float, str); it is kept
 * as cJSON prints it, the form it has when read back from a database. */
static int json_choice(hpo_space *s, const char *name, int i,
                       const char *text, char **out)
{
    char what[HPO_MAX_NAME * 4 + 48];
    snprintf(what, sizeof what, "parameter '%s': choice %d", name, i);
    cJSON *v = NULL;
    int rc = hpo__json_parse(text, what, &v, &s->msg);
    if (rc == HPO_OK && (cJSON_IsArray(v) || cJSON_IsObject(v)))
        rc = hpo__fail(&s->msg, HPO_EINVAL,
                       "%s: a choice is a string, number, bool or null",
                       what);
    if (rc == HPO_OK && !(*out = cJSON_PrintUnformatted(v)))
        rc = no_memory(s);
    cJSON_Delete(v);
    return rc;
}

static int add_categorical(hpo_space *s, const char *name,
                           const char *const *choices, int n, int as_json)
{
    hpo__dist d = {.kind = HPO__CATEGORICAL};
    int rc = check_choice_texts(s, name, choices, n);
    if (rc)
        return rc;
    if (n > 0 && !(d.choices = calloc((size_t)n, sizeof(char *))))
        return no_memory(s);
    for (; rc == HPO_OK && d.n_choices < n; d.n_choices++) {
        const char *c = choices[d.n_choices];
        char **slot = &d.choices[d.n_choices];
        if (as_json)
            rc = json_choice(s, name, d.n_choices, c, slot);
        else if (!(*slot = quote_json(c)))
            rc = no_memory(s);
    }
    if (rc) {
        hpo__dist_free(&d);
        return rc;
    }
    return add_dist(s, name, &d);
}

int hpo_space_add_categorical(hpo_space *s, const char *name,
                              const char *const *choices, int n)
{
    return add_categorical(s, name, choices, n, 0);
}

int hpo_space_add_categorical_json(hpo_space *s, const char *name,
                                   const char *const *choices_json, int n)
{
    return add_categorical(s, name, choices_json, n, 1);
}

int hpo_space_set_condition(hpo_space *s, const char *name, const char *parent,
                            const char *const *choices, int n)
{
    int i = hpo__space_find(s, name), j = hpo__space_find(s, parent);
    if (i < 0)
        return hpo__fail(&s->msg, HPO_EINVAL, "no parameter '%s'", name);
    if (j < 0 || j >= i)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': condition parent '%s' must be an "
                         "earlier parameter",
                         name, parent);
    const hpo__dist *pd = &s->p[j].dist;
    if (n < 1 || !choices) /* a condition no choice meets: never active */
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': a condition on '%s' needs at least "
                         "one of its choices",
                         name, parent);
    if (pd->kind != HPO__CATEGORICAL)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': condition parent '%s' must be "
                         "categorical",
                         name, parent);
    int *cond = calloc((size_t)(n > 0 ? n : 1), sizeof *cond);
    if (!cond)
        return no_memory(s);
    for (int k = 0; k < n; k++) {
        cond[k] = hpo__dist_find_choice(pd, choices[k]);
        if (cond[k] < 0) {
            free(cond);
            return hpo__fail(&s->msg, HPO_EINVAL,
                             "parameter '%s': '%s' is not a choice of '%s'",
                             name, choices[k], parent);
        }
    }
    free(s->p[i].cond);
    s->p[i].cond = cond;
    s->p[i].n_cond = n;
    s->p[i].parent = j;
    return HPO_OK;
}

int hpo__space_copy(hpo_space *dst, const hpo_space *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->n)
        return HPO_OK;
    if (!(dst->p = calloc((size_t)src->n, sizeof *dst->p)))
        return HPO_ENOMEM;
    dst->cap = src->n;
    for (int i = 0; i < src->n; i++) {
        hpo__space_param *d = &dst->p[i];
        const hpo__space_param *p = &src->p[i];
        *d = *p;
        d->name = hpo__strdup(p->name);
        d->cond = NULL;
        int rc = hpo__dist_copy(&d->dist, &p->dist);
        if (p->n_cond && (d->cond = malloc((size_t)p->n_cond * sizeof(int))))
            memcpy(d->cond, p->cond, (size_t)p->n_cond * sizeof(int));
        dst->n = i + 1;
        if (rc || !d->name || (p->n_cond && !d->cond))
            return HPO_ENOMEM;
    }
    return HPO_OK;
}

/* ---- the compact form: name=kind:args ---------------------------------- */

/* Split `s` on ':' into at most max fields (the last keeps the rest). */
static int split_fields(char *s, char **fields, int max)
{
    int n = 0;
    while (s && n < max) {
        fields[n++] = s;
        char *c = strchr(s, ':');
        if (c)
            *c = '\0';
        s = c ? c + 1 : NULL;
    }
    return n;
}

static int parse_number(hpo_space *s, const char *spec, const char *what,
                        const char *text, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (!*text || *end || isspace((unsigned char)*text)) /* strtod skips it */
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': %s '%s' is not a number", spec, what, text);
    if (errno == ERANGE) /* beyond a double, or too small to tell from 0 */
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': %s '%s' is out of range", spec, what, text);
    *out = x;
    return HPO_OK;
}

/* A step written out must be one: 0 does not mean "continuous" there, as
 * it does for hpo_space_add_float (where it is the way to say none). */
static int given_step(hpo_space *s, const char *name, double step)
{
    if (step > 0)
        return HPO_OK;
    return hpo__fail(&s->msg, HPO_EINVAL,
                     "parameter '%s': step must be positive (got %g%s)", name,
                     step, step == 0 ? "; leave it out for a continuous range"
                                     : "");
}

typedef struct compact {
    const char *spec; /* the whole flag, for messages */
    const char *name;
    char *kind;
    char *fields[8];
    int n_fields;
    char *cond; /* "PARENT=c1|c2" or NULL */
} compact;

/* log or step=S after LOW:HIGH, each at most once. */
static int compact_modifier(hpo_space *s, const compact *c, const char *f,
                            int is_int, int *log, int *has_step, double *step)
{
    if (!strcmp(f, "log")) {
        if (*log)
            return hpo__fail(&s->msg, HPO_EINVAL, "'%s': log is given twice",
                             c->spec);
        *log = 1;
        return HPO_OK;
    }
    if (strncmp(f, "step=", 5) != 0)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': unknown modifier '%s' (expected log or "
                         "step=S)",
                         c->spec, f);
    if (*has_step)
        return hpo__fail(&s->msg, HPO_EINVAL, "'%s': step is given twice",
                         c->spec);
    *has_step = 1;
    int rc = parse_number(s, c->spec, "step", f + 5, step);
    /* An int's step is checked with its bounds (hpo__dist_check). */
    return rc || is_int ? rc : given_step(s, c->name, *step);
}

/* Numbers: LOW:HIGH[:log][:step=S] */
static int compact_numeric(hpo_space *s, compact *c, int is_int)
{
    double low = 0, high = 0, step = is_int ? 1 : 0;
    int log = 0;
    if (c->n_fields < 2)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': %s needs LOW:HIGH (as in %s=%s:1:10)", c->spec,
                         c->kind, c->name, c->kind);
    int rc = parse_number(s, c->spec, "low", c->fields[0], &low);
    if (!rc)
        rc = parse_number(s, c->spec, "high", c->fields[1], &high);
    int has_step = 0;
    for (int i = 2; !rc && i < c->n_fields; i++)
        rc = compact_modifier(s, c, c->fields[i], is_int, &log, &has_step,
                              &step);
    if (rc)
        return rc;
    hpo__dist d = {.kind = is_int ? HPO__INT : HPO__FLOAT, .low = low,
                   .high = high, .step = step, .log = log};
    return add_dist(s, c->name, &d);
}

static int split_list(char *text, char sep, char ***out)
{
    int n = 1;
    for (char *p = text; *p; p++)
        n += *p == sep;
    char **v = calloc((size_t)n, sizeof *v);
    if (!v)
        return -1;
    for (int i = 0; i < n; i++) {
        v[i] = text;
        char *c = strchr(text, sep);
        if (c) {
            *c = '\0';
            text = c + 1;
        }
    }
    *out = v;
    return n;
}

static int compact_categorical(hpo_space *s, compact *c)
{
    if (c->n_fields != 1 || !*c->fields[0])
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': cat needs a comma-separated list of choices "
                         "(as in %s=cat:a,b,c)",
                         c->spec, c->name);
    char **choices;
    int n = split_list(c->fields[0], ',', &choices);
    if (n < 0)
        return no_memory(s);
    int rc = HPO_OK;
    for (int i = 0; i < n && !rc; i++)
        if (!*choices[i])
            rc = hpo__fail(&s->msg, HPO_EINVAL, "'%s': an empty choice",
                           c->spec);
    if (!rc)
        rc = hpo_space_add_categorical(s, c->name, (const char *const *)choices, n);
    free(choices);
    return rc;
}

static int compact_condition(hpo_space *s, compact *c)
{
    char *eq = strchr(c->cond, '=');
    if (!eq || eq == c->cond || !eq[1])
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': a condition reads if=PARENT=choice1|choice2",
                         c->spec);
    *eq = '\0';
    char **choices;
    int n = split_list(eq + 1, '|', &choices);
    if (n < 0)
        return no_memory(s);
    int rc = hpo_space_set_condition(s, c->name, c->cond,
                                     (const char *const *)choices, n);
    free(choices);
    return rc;
}

/* Pull a trailing ":if=..." off the field list. */
static void take_condition(compact *c)
{
    if (c->n_fields > 0 && !strncmp(c->fields[c->n_fields - 1], "if=", 3)) {
        c->cond = c->fields[c->n_fields - 1] + 3;
        c->n_fields--;
    }
}

/* name and rest ("TYPE:ARGS", modified in place) of spec, the whole text
 * for messages. */
static int parse_compact(hpo_space *s, const char *spec, const char *name,
                         char *rest)
{
    compact c = {.spec = spec, .name = name};
    char *colon = strchr(rest, ':');
    c.kind = rest;
    if (colon)
        *colon = '\0';
    c.n_fields = colon ? split_fields(colon + 1, c.fields, 8) : 0;
    int is_cat = !strcmp(c.kind, "cat") || !strcmp(c.kind, "categorical");
    take_condition(&c);
    int rc;
    if (!strcmp(c.kind, "float"))
        rc = compact_numeric(s, &c, 0);
    else if (!strcmp(c.kind, "int"))
        rc = compact_numeric(s, &c, 1);
    else if (is_cat)
        rc = compact_categorical(s, &c);
    else
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "'%s': unknown type '%s' (expected float, int or "
                         "cat)",
                         spec, c.kind);
    if (rc == HPO_OK && c.cond)
        rc = compact_condition(s, &c);
    return rc;
}

int hpo_space_parse_param(hpo_space *s, const char *spec)
{
    if (!spec)
        return hpo__fail(&s->msg, HPO_EINVAL, "no parameter given");
    char *buf = hpo__strdup(spec);
    if (!buf)
        return no_memory(s);
    char *eq = strchr(buf, '=');
    int rc = eq && eq != buf
                 ? (*eq = '\0', parse_compact(s, spec, buf, eq + 1))
                 : hpo__fail(&s->msg, HPO_EINVAL,
                             "'%s': expected NAME=TYPE:ARGS (as in "
                             "lr=float:1e-5:1e-1:log)",
                             spec);
    free(buf);
    return rc;
}

/* ---- JSON documents ------------------------------------------------------ */

/* Line and column (1-based) of a position in text. */
static void line_col(const char *text, const char *pos, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; p < pos && *p; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* The line where "name" first appears as a key: a good-enough place to
 * point at for errors about that parameter (cJSON keeps no positions). */
static int key_line(const char *text, const char *name)
{
    char *needle = hpo__asprintf("\"%s\"", name);
    const char *at = needle ? strstr(text, needle) : NULL;
    free(needle);
    int line = 0, col;
    if (at)
        line_col(text, at, &line, &col);
    return line;
}

static int json_number(hpo_space *s, const cJSON *obj, const char *key,
                       const char *name, int required, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v && !required)
        return HPO_OK;
    if (!cJSON_IsNumber(v))
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': \"%s\" must be a number", name, key);
    *out = v->valuedouble;
    return HPO_OK;
}

static int json_choices(hpo_space *s, const char *name, const cJSON *list)
{
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': \"choices\" must be a non-empty "
                         "list",
                         name);
    hpo__dist d = {.kind = HPO__CATEGORICAL};
    int n = cJSON_GetArraySize(list);
    if (!(d.choices = calloc((size_t)n, sizeof(char *))))
        return no_memory(s);
    const cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        if (cJSON_IsArray(c) || cJSON_IsObject(c)) {
            hpo__dist_free(&d);
            return hpo__fail(&s->msg, HPO_EINVAL,
                             "parameter '%s': a choice must be a string, "
                             "number, boolean or null",
                             name);
        }
        if (!(d.choices[d.n_choices++] = cJSON_PrintUnformatted(c))) {
            hpo__dist_free(&d);
            return no_memory(s);
        }
    }
    return add_dist(s, name, &d);
}

static int json_numeric(hpo_space *s, const char *name, const cJSON *obj,
                        int is_int)
{
    hpo__dist d = {.kind = is_int ? HPO__INT : HPO__FLOAT,
                   .step = is_int ? 1 : 0};
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(obj, "log");
    if (log && !cJSON_IsBool(log))
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': \"log\" must be true or false",
                         name);
    d.log = cJSON_IsTrue(log);
    int rc = json_number(s, obj, "low", name, 1, &d.low);
    if (!rc)
        rc = json_number(s, obj, "high", name, 1, &d.high);
    if (!rc)
        rc = json_number(s, obj, "step", name, 0, &d.step);
    /* An int's step is checked with its bounds (hpo__dist_check). */
    if (!rc && !is_int && cJSON_GetObjectItemCaseSensitive(obj, "step"))
        rc = given_step(s, name, d.step);
    return rc ? rc : add_dist(s, name, &d);
}

/* Every key of a parameter's object is one its type reads: a misspelt or
 * wrongly-cased key ("Log") would otherwise be ignored without a word. */
static int json_keys(hpo_space *s, const char *name, const cJSON *obj,
                     const char *type, const char *const *known)
{
    for (const cJSON *k = obj->child; k; k = k->next) {
        int i = 0;
        while (known[i] && strcmp(known[i], k->string) != 0)
            i++;
        if (known[i])
            continue;
        char list[128] = "", shown[96];
        for (i = 0; known[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     i ? ", " : "", known[i]);
        hpo__text_shown(shown, sizeof shown, k->string);
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': unknown key \"%s\" (%s parameter "
                         "takes %s)",
                         name, shown, type, list);
    }
    return HPO_OK;
}

static const char *const numeric_keys[] = {"type", "low", "high", "step",
                                           "log", "if", NULL};
static const char *const categorical_keys[] = {"type", "choices", "if", NULL};

static int json_condition(hpo_space *s, const char *name, const cJSON *cond)
{
    if (!cJSON_IsObject(cond) || cJSON_GetArraySize(cond) != 1)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': \"if\" must be {\"PARENT\": "
                         "[choices]}",
                         name);
    const cJSON *list = cond->child;
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 1;
    const char **choices = calloc((size_t)(n ? n : 1), sizeof *choices);
    char **owned = calloc((size_t)(n ? n : 1), sizeof *owned);
    int rc = choices && owned ? HPO_OK : no_memory(s);
    const cJSON *one = cJSON_IsArray(list) ? list->child : list;
    for (int i = 0; !rc && i < n; i++, one = one ? one->next : NULL) {
        owned[i] = cJSON_IsString(one) ? hpo__strdup(one->valuestring)
                                       : cJSON_PrintUnformatted(one);
        choices[i] = owned[i];
        if (!owned[i])
            rc = no_memory(s);
    }
    if (!rc)
        rc = hpo_space_set_condition(s, name, list->string, choices, n);
    for (int i = 0; owned && i < n; i++)
        free(owned[i]);
    free(owned);
    free(choices);
    return rc;
}

static int json_param(hpo_space *s, const cJSON *item)
{
    const char *name = item->string;
    if (cJSON_IsString(item)) { /* the name may hold '=': no split */
        char *spec = hpo__asprintf("%s=%s", name, item->valuestring);
        char *rest = hpo__strdup(item->valuestring);
        int rc = spec && rest ? parse_compact(s, spec, name, rest)
                              : no_memory(s);
        free(spec);
        free(rest);
        return rc;
    }
    if (!cJSON_IsObject(item))
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': expected an object or a spec "
                         "string",
                         name);
    int failed = 0;
    const char *twice = hpo__json_twice(item, &failed);
    if (failed)
        return no_memory(s);
    if (twice)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': the key \"%.80s\" is given twice",
                         name, twice);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    const char *t = cJSON_IsString(type) ? type->valuestring : "";
    int is_float = !strcmp(t, "float"), is_int = !strcmp(t, "int");
    int is_cat = !strcmp(t, "categorical") || !strcmp(t, "cat");
    if (!is_float && !is_int && !is_cat)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "parameter '%s': \"type\" must be \"float\", "
                         "\"int\" or \"categorical\"",
                         name);
    int rc = json_keys(s, name, item,
                       is_cat ? "a categorical" : is_int ? "an int" : "a float",
                       is_cat ? categorical_keys : numeric_keys);
    if (!rc && is_cat)
        rc = json_choices(s, name,
                          cJSON_GetObjectItemCaseSensitive(item, "choices"));
    else if (!rc)
        rc = json_numeric(s, name, item, is_int);
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(item, "if");
    if (!rc && cond)
        rc = json_condition(s, name, cond);
    return rc;
}

/* "FILE:LINE:COL: not valid JSON: WHY, near '...'", on one line. */
static int not_json(hpo_space *s, const char *src, const char *text,
                    const char *at, const char *why)
{
    int line, col;
    line_col(text, at, &line, &col);
    char near[24], shown[96];
    snprintf(near, sizeof near, "%s", at);
    hpo__text_shown(shown, sizeof shown, near);
    return hpo__fail(&s->msg, HPO_EINVAL,
                     "%s:%d:%d: not valid JSON: %s, near '%s'", src, line, col,
                     why, shown);
}

int hpo_space_parse_json(hpo_space *s, const char *text, const char *source)
{
    const char *src = source ? source : "space";
    const char *why;
    size_t at;
    if (!text)
        return hpo__fail(&s->msg, HPO_EINVAL, "%s: no text", src);
    if (hpo__json_check(text, &why, &at))
        return not_json(s, src, text, text + at, why);
    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    if (!root)
        return hpo__fail(&s->msg, HPO_ENOMEM, "%s: out of memory", src);
    int rc = HPO_OK;
    if (!cJSON_IsObject(root) || !root->child)
        rc = hpo__fail(&s->msg, HPO_EINVAL,
                       "%s: expected an object of parameters, as "
                       "{\"lr\": \"float:1e-5:1e-1:log\"}",
                       src);
    for (const cJSON *item = root->child; !rc && item; item = item->next) {
        rc = json_param(s, item);
        if (rc == HPO_EINVAL) {
            char *inner = hpo__strdup(hpo__msg_get(&s->msg));
            hpo__fail(&s->msg, rc, "%s:%d: %s", src, key_line(text, item->string),
                      inner ? inner : "");
            free(inner);
        }
    }
    cJSON_Delete(root);
    return rc;
}

int hpo_space_load_file(hpo_space *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hpo__fail(&s->msg, HPO_EIO, "%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    char buf[8192];
    size_t got;
    while (mem && (got = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, got, mem);
    int read_error = ferror(f);
    fclose(f);
    if (mem)
        fclose(mem);
    if (!text)
        return hpo__fail(&s->msg, HPO_ENOMEM, "%s: out of memory", path);
    /* An editor's byte order mark is not JSON; skip it. */
    size_t bom = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
    int rc = read_error ? hpo__fail(&s->msg, HPO_EIO, "%s: read error", path)
             : len == 0 ? hpo__fail(&s->msg, HPO_EINVAL, "%s: the file is empty",
                                    path)
             : strlen(text) != len
                 ? hpo__fail(&s->msg, HPO_EINVAL,
                             "%s: a NUL byte at offset %zu (not a text file)",
                             path, strlen(text))
                 : hpo_space_parse_json(s, text + bom, path);
    free(text);
    return rc;
}

/* ---- back to JSON ---------------------------------------------------------- */

/* Each part is checked: a space missing one (out of memory) is stored
 * with a study by the hpo tool, and would be refused as different. */
static int domain_json(cJSON *o, const hpo__dist *d)
{
    if (d->kind == HPO__CATEGORICAL) {
        cJSON *list = NULL;
        int ok = cJSON_AddStringToObject(o, "type", "categorical") &&
                 (list = cJSON_AddArrayToObject(o, "choices"));
        for (int i = 0; ok && i < d->n_choices; i++)
            ok = hpo__json_put(list, NULL, cJSON_Parse(d->choices[i]));
        return ok;
    }
    return cJSON_AddStringToObject(o, "type",
                                   d->kind == HPO__INT ? "int" : "float") &&
           hpo__json_put(o, "low", hpo__json_number(d->low, 0)) &&
           hpo__json_put(o, "high", hpo__json_number(d->high, 0)) &&
           (!d->log || cJSON_AddTrueToObject(o, "log")) &&
           (!(d->step > 0 && !(d->kind == HPO__INT && d->step == 1)) ||
            hpo__json_put(o, "step", hpo__json_number(d->step, 0)));
}

static cJSON *param_json(const hpo_space *s, const hpo__space_param *p)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && domain_json(o, &p->dist);
    if (ok && p->parent >= 0) {
        const hpo__space_param *par = &s->p[p->parent];
        cJSON *cond = cJSON_AddObjectToObject(o, "if");
        cJSON *list = cond ? cJSON_AddArrayToObject(cond, par->name) : NULL;
        ok = list != NULL;
        for (int k = 0; ok && k < p->n_cond; k++)
            ok = hpo__json_put(list, NULL,
                               cJSON_Parse(par->dist.choices[p->cond[k]]));
    }
    if (ok)
        return o;
    cJSON_Delete(o);
    return NULL;
}

char *hpo_space_to_json(const hpo_space *s)
{
    cJSON *root = cJSON_CreateObject();
    int ok = root != NULL;
    for (int i = 0; ok && i < s->n; i++)
        ok = hpo__json_put(root, s->p[i].name, param_json(s, &s->p[i]));
    char *out = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    return out;
}
