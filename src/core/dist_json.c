/*
 * dist_json.c — Optuna's distribution_json: written with each parameter,
 * and read back from databases that Python Optuna (or anyone) wrote.
 *
 * Reading is as strict as Optuna's json_to_distribution, which passes the
 * attributes to the class's constructor: an attribute the class does not
 * take, a missing bound or a value of the wrong type is an error naming
 * the class and the attribute, never a default that would make a sampler
 * draw from another domain.  The text itself goes through hpo__json_parse
 * (no trailing text, no key twice, valid UTF-8).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "internal.h"
#include "json.h"

/* ---- writing ---------------------------------------------------------------- */

static void add_exact(cJSON *obj, const char *key, double x)
{
    cJSON_AddItemToObject(obj, key, hpo__json_number(x, 1));
}

/* A whole number as digits ("1000000000000000", not cJSON's "1e+15", which
 * Python reads as a float). */
static void add_int(cJSON *obj, const char *key, double x)
{
    char text[32];
    snprintf(text, sizeof text, "%.0f", x);
    cJSON_AddItemToObject(obj, key, cJSON_CreateRaw(text));
}

static cJSON *attributes_json(const hpo__dist *d)
{
    cJSON *a = cJSON_CreateObject();
    if (!a)
        return NULL;
    if (d->kind == HPO__CATEGORICAL) {
        cJSON *list = cJSON_AddArrayToObject(a, "choices");
        for (int i = 0; list && i < d->n_choices; i++)
            cJSON_AddItemToArray(list, cJSON_Parse(d->choices[i]));
        return a;
    }
    if (d->kind == HPO__INT) {
        add_int(a, "low", d->low);
        add_int(a, "high", d->high);
        add_int(a, "step", d->step);
    } else {
        add_exact(a, "low", d->low);
        add_exact(a, "high", d->high);
        if (d->step > 0)
            add_exact(a, "step", d->step);
        else
            cJSON_AddNullToObject(a, "step");
    }
    cJSON_AddBoolToObject(a, "log", d->log);
    return a;
}

static const char *class_name(const hpo__dist *d)
{
    switch (d->kind) {
    case HPO__FLOAT: return "FloatDistribution";
    case HPO__INT: return "IntDistribution";
    case HPO__CATEGORICAL: return "CategoricalDistribution";
    }
    return "?";
}

char *hpo__dist_to_json(const hpo__dist *d)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "name", class_name(d));
    cJSON_AddItemToObject(root, "attributes", attributes_json(d));
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return out;
}

/* ---- reading ---------------------------------------------------------------- */

/* Optuna's current classes and the deprecated ones it still reads, with
 * the attributes each constructor takes. */
typedef struct dist_class {
    const char *name;
    hpo__kind kind;
    int log;              /* the deprecated log classes */
    const char *step_key; /* "step", "q" or NULL */
    const char *keys[5];
} dist_class;

static const dist_class classes[] = {
    {"FloatDistribution", HPO__FLOAT, 0, "step", {"low", "high", "log", "step"}},
    {"UniformDistribution", HPO__FLOAT, 0, NULL, {"low", "high"}},
    {"LogUniformDistribution", HPO__FLOAT, 1, NULL, {"low", "high"}},
    {"DiscreteUniformDistribution", HPO__FLOAT, 0, "q", {"low", "high", "q"}},
    {"IntDistribution", HPO__INT, 0, "step", {"low", "high", "log", "step"}},
    {"IntUniformDistribution", HPO__INT, 0, "step", {"low", "high", "step"}},
    {"IntLogUniformDistribution", HPO__INT, 1, "step", {"low", "high", "step"}},
    {"CategoricalDistribution", HPO__CATEGORICAL, 0, NULL, {"choices"}},
};

static const dist_class *find_class(const char *name)
{
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (strcmp(classes[i].name, name) == 0)
            return &classes[i];
    return NULL;
}

static int known_key(const dist_class *c, const char *key)
{
    for (int i = 0; c->keys[i]; i++)
        if (strcmp(c->keys[i], key) == 0)
            return 1;
    return 0;
}

static int read_choices(hpo__dist *d, const cJSON *a, hpo__msg *m)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(a, "choices");
    if (!cJSON_IsArray(list))
        return hpo__fail(m, HPO_EINVAL,
                         "CategoricalDistribution needs a list \"choices\"");
    int n = cJSON_GetArraySize(list);
    d->choices = calloc((size_t)(n ? n : 1), sizeof(char *));
    if (!d->choices)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    const cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        if (!(d->choices[d->n_choices] = cJSON_PrintUnformatted(c)))
            return hpo__fail(m, HPO_ENOMEM, "out of memory");
        d->n_choices++;
    }
    return HPO_OK;
}

/* A number attribute: required, or else absent / null (left as is). */
static int read_number(const dist_class *c, const cJSON *a, const char *key,
                       int required, double *out, hpo__msg *m)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, key);
    if (!required && (!v || cJSON_IsNull(v)))
        return HPO_OK;
    if (!cJSON_IsNumber(v))
        return hpo__fail(m, HPO_EINVAL, "%s needs a number \"%s\"", c->name,
                         key);
    *out = v->valuedouble;
    return HPO_OK;
}

static int read_numeric(hpo__dist *d, const dist_class *c, const cJSON *a,
                        hpo__msg *m)
{
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(a, "log");
    if (log && !cJSON_IsBool(log))
        return hpo__fail(m, HPO_EINVAL, "%s: \"log\" must be true or false",
                         c->name);
    d->log = c->log || cJSON_IsTrue(log);
    d->step = c->kind == HPO__INT ? 1 : 0;
    int rc = read_number(c, a, "low", 1, &d->low, m);
    if (!rc)
        rc = read_number(c, a, "high", 1, &d->high, m);
    const cJSON *step = c->step_key ? cJSON_GetObjectItemCaseSensitive(
                                          a, c->step_key)
                                    : NULL;
    if (!rc && step)
        rc = read_number(c, a, c->step_key, 0, &d->step, m);
    /* A float's 0 would mean "no step" here, where Optuna refuses it. */
    if (!rc && cJSON_IsNumber(step) && !(step->valuedouble > 0))
        rc = hpo__fail(m, HPO_EINVAL, "%s: \"%s\" must be positive (got %g)",
                       c->name, c->step_key, step->valuedouble);
    return rc;
}

static int read_class(hpo__dist *d, const char *cls, const cJSON *a,
                      hpo__msg *m)
{
    const dist_class *c = find_class(cls);
    if (!c)
        return hpo__fail(m, HPO_EINVAL, "unknown distribution class '%.80s'",
                         cls);
    for (const cJSON *k = a->child; k; k = k->next)
        if (!known_key(c, k->string))
            return hpo__fail(m, HPO_EINVAL, "%s has no attribute \"%.80s\"",
                             c->name, k->string);
    d->kind = c->kind;
    return c->kind == HPO__CATEGORICAL ? read_choices(d, a, m)
                                       : read_numeric(d, c, a, m);
}

int hpo__dist_from_json(hpo__dist *d, const char *json, hpo__msg *m)
{
    memset(d, 0, sizeof *d);
    cJSON *root;
    int rc = hpo__json_parse(json, "distribution_json", &root, m);
    if (rc)
        return rc;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(root, "attributes");
    rc = cJSON_IsString(name) && cJSON_IsObject(attrs)
             ? read_class(d, name->valuestring, attrs, m)
             : hpo__fail(m, HPO_EINVAL,
                         "distribution_json lacks name or attributes");
    if (rc == HPO_OK)
        rc = hpo__dist_check(d, "(stored)", m);
    cJSON_Delete(root);
    if (rc != HPO_OK)
        hpo__dist_free(d);
    return rc;
}
