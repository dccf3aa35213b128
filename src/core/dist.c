/*
 * dist.c — parameter distributions: validation, the unit-cube encoding
 * model-based samplers work in, text, and Optuna's distribution_json.
 *
 * Internal values are doubles: floats and ints as themselves, a categorical
 * as the index of its choice (Optuna's param_value column).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "internal.h"
#include "json.h"

/* Steps are compared with a relative tolerance: 0.1 does not divide 1.0
 * exactly in binary, but a user writing step=0.1 means it does. */
static int is_whole(double x)
{
    return fabs(x - nearbyint(x)) <= 1e-8 * fmax(1.0, fabs(x));
}

static int check_float(const hpo__dist *d, const char *name, hpo__msg *m)
{
    if (d->log && d->low <= 0)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': a log scale needs low > 0 (got %g)",
                         name, d->low);
    if (d->step < 0 || !isfinite(d->step))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': step must be positive (got %g)",
                         name, d->step);
    if (d->step > 0 && d->log)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': log and step cannot be combined",
                         name);
    if (d->step > 0 && !is_whole((d->high - d->low) / d->step))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': step %g does not divide the range "
                         "%g..%g",
                         name, d->step, d->low, d->high);
    return HPO_OK;
}

static int check_int(const hpo__dist *d, const char *name, hpo__msg *m)
{
    /* Exactly whole: is_whole's tolerance took 1e-320 or 3.000000001 for
     * an int, which then read back from distribution_json as another. */
    if (d->low != floor(d->low) || d->high != floor(d->high))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': int bounds must be whole numbers "
                         "(got %g..%g)",
                         name, d->low, d->high);
    if (!(d->step >= 1) || !isfinite(d->step) || d->step != floor(d->step))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': int step must be a whole number "
                         ">= 1 (got %g)",
                         name, d->step);
    if (d->log && d->low < 1)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': a log scale needs low >= 1 for "
                         "ints (got %g)",
                         name, d->low);
    if (d->log && d->step != 1)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': log and step cannot be combined",
                         name);
    if (fmod(d->high - d->low, d->step) != 0)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': step %g does not divide the range "
                         "%g..%g",
                         name, d->step, d->low, d->high);
    return HPO_OK;
}

int hpo__dist_check(const hpo__dist *d, const char *name, hpo__msg *m)
{
    if (d->kind == HPO__CATEGORICAL) {
        if (d->n_choices < 1)
            return hpo__fail(m, HPO_EINVAL,
                             "parameter '%s': needs at least one choice",
                             name);
        for (int i = 0; i < d->n_choices; i++)
            for (int j = 0; j < i; j++)
                if (strcmp(d->choices[i], d->choices[j]) == 0)
                    return hpo__fail(m, HPO_EINVAL,
                                     "parameter '%s': choice %s is given "
                                     "twice",
                                     name, d->choices[i]);
        return HPO_OK;
    }
    if (!isfinite(d->low) || !isfinite(d->high))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': bounds must be finite (got %g..%g)",
                         name, d->low, d->high);
    if (d->low > d->high)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': low %g is above high %g", name,
                         d->low, d->high);
    return d->kind == HPO__FLOAT ? check_float(d, name, m)
                                 : check_int(d, name, m);
}

int hpo__dist_copy(hpo__dist *dst, const hpo__dist *src)
{
    *dst = *src;
    dst->choices = NULL;
    if (src->kind != HPO__CATEGORICAL || src->n_choices == 0)
        return HPO_OK;
    dst->choices = calloc((size_t)src->n_choices, sizeof(char *));
    if (!dst->choices)
        return HPO_ENOMEM;
    for (int i = 0; i < src->n_choices; i++)
        if (!(dst->choices[i] = hpo__strdup(src->choices[i]))) {
            hpo__dist_free(dst);
            return HPO_ENOMEM;
        }
    return HPO_OK;
}

void hpo__dist_free(hpo__dist *d)
{
    if (d->choices)
        for (int i = 0; i < d->n_choices; i++)
            free(d->choices[i]);
    free(d->choices);
    d->choices = NULL;
    d->n_choices = 0;
}

static int same_choices(const hpo__dist *a, const hpo__dist *b)
{
    if (a->n_choices != b->n_choices)
        return 0;
    for (int i = 0; i < a->n_choices; i++)
        if (strcmp(a->choices[i], b->choices[i]) != 0)
            return 0;
    return 1;
}

int hpo__dist_compatible(const hpo__dist *a, const hpo__dist *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == HPO__CATEGORICAL)
        return same_choices(a, b);
    return a->log == b->log && (a->step > 0) == (b->step > 0);
}

int hpo__dist_equal(const hpo__dist *a, const hpo__dist *b)
{
    if (!hpo__dist_compatible(a, b))
        return 0;
    if (a->kind == HPO__CATEGORICAL)
        return 1;
    return a->low == b->low && a->high == b->high && a->step == b->step;
}

/* Number of legal values of a stepped axis (ints, stepped floats). */
static double n_steps(const hpo__dist *d)
{
    return nearbyint((d->high - d->low) / d->step) + 1;
}

static int is_discrete(const hpo__dist *d)
{
    return d->kind != HPO__FLOAT || d->step > 0;
}

double hpo__dist_cardinality(const hpo__dist *d)
{
    if (d->kind == HPO__CATEGORICAL)
        return d->n_choices;
    return is_discrete(d) ? n_steps(d) : 0;
}

int hpo__dist_contains(const hpo__dist *d, double x)
{
    if (!isfinite(x))
        return 0;
    if (d->kind == HPO__CATEGORICAL)
        return x >= 0 && x < d->n_choices && x == floor(x);
    if (x < d->low || x > d->high)
        return 0;
    if (d->kind == HPO__INT)
        return fmod(x - d->low, d->step) == 0;
    return d->step == 0 || is_whole((x - d->low) / d->step);
}

double hpo__dist_snap(const hpo__dist *d, double x)
{
    if (d->kind == HPO__CATEGORICAL) {
        double k = nearbyint(x);
        return fmin(fmax(k, 0), d->n_choices - 1);
    }
    if (x < d->low)
        x = d->low;
    if (x > d->high)
        x = d->high;
    if (is_discrete(d)) {
        double k = nearbyint((x - d->low) / d->step);
        x = fmin(d->low + k * d->step, d->high);
    }
    return x;
}

/*
 * Unit-cube encoding.  Discrete axes (ints, steps, categoricals) split
 * [0, 1) into one equal bin per value, so a uniform u gives each value the
 * same chance; to_unit returns the bin's centre.  Log axes are linear in
 * log space (log ints over [low - 0.5, high + 0.5], as Optuna does, so the
 * end values get their fair share).
 */
double hpo__dist_from_unit(const hpo__dist *d, double u)
{
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    if (d->kind == HPO__INT && d->log) {
        double lo = log(d->low - 0.5), hi = log(d->high + 0.5);
        return hpo__dist_snap(d, nearbyint(exp(lo + u * (hi - lo))));
    }
    if (d->kind == HPO__CATEGORICAL || is_discrete(d)) {
        double n = hpo__dist_cardinality(d);
        double k = fmin(floor(u * n), n - 1);
        return d->kind == HPO__CATEGORICAL ? k : d->low + k * d->step;
    }
    if (d->log) {
        double lo = log(d->low), hi = log(d->high);
        return fmin(fmax(exp(lo + u * (hi - lo)), d->low), d->high);
    }
    return fmin(d->low + u * (d->high - d->low), d->high);
}

double hpo__dist_to_unit(const hpo__dist *d, double x)
{
    if (d->kind == HPO__INT && d->log) {
        double lo = log(d->low - 0.5), hi = log(d->high + 0.5);
        return (log(x) - lo) / (hi - lo);
    }
    if (d->kind == HPO__CATEGORICAL || is_discrete(d)) {
        double n = hpo__dist_cardinality(d);
        double k = d->kind == HPO__CATEGORICAL ? x : (x - d->low) / d->step;
        return (k + 0.5) / n;
    }
    if (d->high == d->low)
        return 0.5;
    if (d->log)
        return (log(x) - log(d->low)) / (log(d->high) - log(d->low));
    return (x - d->low) / (d->high - d->low);
}

/* A string choice is shown without its quotes; other JSON as written. */
static void format_choice(const char *json, char *buf, size_t size)
{
    cJSON *v = cJSON_Parse(json);
    if (v && cJSON_IsString(v))
        snprintf(buf, size, "%s", v->valuestring);
    else
        snprintf(buf, size, "%s", json);
    cJSON_Delete(v);
}

void hpo__dist_format(const hpo__dist *d, double x, char *buf, size_t size)
{
    if (d->kind == HPO__CATEGORICAL) {
        int k = (int)x;
        if (k >= 0 && k < d->n_choices)
            format_choice(d->choices[k], buf, size);
        else
            snprintf(buf, size, "?");
    } else if (d->kind == HPO__INT && fabs(x) <= 9007199254740991.0) {
        /* (long long) of a value beyond its range is undefined, and an
         * int bound read from a database may be 1e130: past 2^53 - 1,
         * where doubles stop holding every integer, print a double. */
        snprintf(buf, size, "%lld", (long long)nearbyint(x));
    } else {
        hpo__format_double(buf, size, x);
    }
}

int hpo__dist_find_choice(const hpo__dist *d, const char *text)
{
    char shown[HPO_MAX_NAME + 8];
    for (int i = 0; i < d->n_choices; i++) {
        if (strcmp(d->choices[i], text) == 0)
            return i;
        format_choice(d->choices[i], shown, sizeof shown);
        if (strcmp(shown, text) == 0)
            return i;
    }
    return -1;
}

/* ---- Optuna's distribution_json -------------------------------------- */

static void add_exact(cJSON *obj, const char *key, double x)
{
    cJSON_AddItemToObject(obj, key, hpo__json_number(x, 1));
}

/* A whole number as digits ("1000000000000000", not cJSON's "1e+15", which
 * Python reads as a float); cJSON also rounds 9007199254740991 to 15
 * digits, so an int bound near 2^53 did not read back. */
static void add_int(cJSON *obj, const char *key, double x)
{
    char text[320]; /* DBL_MAX has 309 digits */
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

static double num_attr(const cJSON *a, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int read_choices(hpo__dist *d, const cJSON *a, hpo__msg *m)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(a, "choices");
    if (!cJSON_IsArray(list))
        return hpo__fail(m, HPO_EINVAL, "distribution has no choices list");
    int n = cJSON_GetArraySize(list);
    d->choices = calloc((size_t)(n ? n : 1), sizeof(char *));
    if (!d->choices)
        return HPO_ENOMEM;
    const cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        if (!(d->choices[d->n_choices] = cJSON_PrintUnformatted(c)))
            return HPO_ENOMEM;
        d->n_choices++;
    }
    return HPO_OK;
}

/* Optuna's current classes and the deprecated ones it still reads. */
static int read_class(hpo__dist *d, const char *cls, const cJSON *a,
                      hpo__msg *m)
{
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(a, "log");
    d->low = num_attr(a, "low", NAN);
    d->high = num_attr(a, "high", NAN);
    d->log = cJSON_IsTrue(log);
    if (!strcmp(cls, "CategoricalDistribution")) {
        d->kind = HPO__CATEGORICAL;
        return read_choices(d, a, m);
    }
    if (!strcmp(cls, "FloatDistribution") || !strcmp(cls, "UniformDistribution")) {
        d->kind = HPO__FLOAT;
        d->step = num_attr(a, "step", 0);
    } else if (!strcmp(cls, "LogUniformDistribution")) {
        d->kind = HPO__FLOAT;
        d->log = 1;
    } else if (!strcmp(cls, "DiscreteUniformDistribution")) {
        d->kind = HPO__FLOAT;
        d->step = num_attr(a, "q", 0);
    } else if (!strcmp(cls, "IntDistribution") || !strcmp(cls, "IntUniformDistribution")) {
        d->kind = HPO__INT;
        d->step = num_attr(a, "step", 1);
    } else if (!strcmp(cls, "IntLogUniformDistribution")) {
        d->kind = HPO__INT;
        d->log = 1;
        d->step = 1;
    } else {
        return hpo__fail(m, HPO_EINVAL, "unknown distribution class '%s'", cls);
    }
    return HPO_OK;
}

int hpo__dist_from_json(hpo__dist *d, const char *json, hpo__msg *m)
{
    memset(d, 0, sizeof *d);
    cJSON *root = cJSON_Parse(json);
    if (!root)
        return hpo__fail(m, HPO_EINVAL, "distribution_json does not parse: %.80s",
                         json);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(root, "attributes");
    int rc = cJSON_IsString(name) && cJSON_IsObject(attrs)
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
