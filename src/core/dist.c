/*
 * dist.c — parameter distributions: validation, the unit-cube encoding
 * model-based samplers work in, and text (Optuna's distribution_json is in
 * dist_json.c).
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

/* Steps are compared with a relative tolerance: 0.1 does not divide 1.0
 * exactly in binary, but a user writing step=0.1 means it does. */
static int is_whole(double x)
{
    return fabs(x - nearbyint(x)) <= 1e-8 * fmax(1.0, fabs(x));
}

/* (x - low) / step, also where x - low is beyond the double range (a float
 * axis over most of it, -1.7e308..1.7e308): halving is exact. */
static double steps_from_low(const hpo__dist *d, double x)
{
    double diff = x - d->low;
    if (isfinite(diff))
        return diff / d->step;
    return (0.5 * x - 0.5 * d->low) / (0.5 * d->step);
}

/* low + k * step; fma keeps a k * step beyond the double range from
 * overflowing on the way to a value inside it. */
static double at_step(const hpo__dist *d, double k)
{
    double v = d->low + k * d->step;
    return isfinite(v) ? v : fma(k, d->step, d->low);
}

double hpo__lerp(double low, double high, double t)
{
    double span = high - low, v;
    if (isfinite(span))
        v = low + t * span;
    else /* both halves are exact, and their sum stays in range */
        v = 2 * (0.5 * low + t * (0.5 * high - 0.5 * low));
    return fmin(fmax(v, low), high);
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
    if (d->step == 0)
        return HPO_OK;
    double n = steps_from_low(d, d->high);
    if (!(n < HPO_MAX_EXACT_INT))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': step %g makes more than %.0f values "
                         "over %g..%g (leave it out for a continuous range)",
                         name, d->step, HPO_MAX_EXACT_INT, d->low, d->high);
    if (!is_whole(n))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': step %g does not divide the range "
                         "%g..%g",
                         name, d->step, d->low, d->high);
    return HPO_OK;
}

/* Ints are exact: no tolerance, and no bound a double cannot hold with
 * every integer below it. */
static int exact_int(double x)
{
    return x == floor(x) && fabs(x) <= HPO_MAX_EXACT_INT;
}

static int check_int(const hpo__dist *d, const char *name, hpo__msg *m)
{
    if (d->low != floor(d->low) || d->high != floor(d->high)) {
        char low[32], high[32]; /* every digit: 1.000000001 is no int */
        hpo__format_double(low, sizeof low, d->low);
        hpo__format_double(high, sizeof high, d->high);
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': int bounds must be whole numbers "
                         "(got %s..%s)",
                         name, low, high);
    }
    if (!exact_int(d->low) || !exact_int(d->high))
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': int bound %.0f is out of range "
                         "(ints lie within -%.0f..%.0f, the integers a "
                         "double holds exactly)",
                         name, exact_int(d->low) ? d->high : d->low,
                         HPO_MAX_EXACT_INT, HPO_MAX_EXACT_INT);
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

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct choices, found by sorting copies of the pointers: 100,000
 * choices cost n log n comparisons, not n^2 / 2. */
static int check_choices(const hpo__dist *d, const char *name, hpo__msg *m)
{
    if (d->n_choices < 1)
        return hpo__fail(m, HPO_EINVAL,
                         "parameter '%s': needs at least one choice", name);
    if (d->n_choices == 1)
        return HPO_OK;
    char **sorted = malloc((size_t)d->n_choices * sizeof *sorted);
    if (!sorted)
        return hpo__fail(m, HPO_ENOMEM, "parameter '%s': out of memory", name);
    memcpy(sorted, d->choices, (size_t)d->n_choices * sizeof *sorted);
    qsort(sorted, (size_t)d->n_choices, sizeof *sorted, by_text);
    int rc = HPO_OK;
    for (int i = 1; i < d->n_choices && !rc; i++)
        if (strcmp(sorted[i - 1], sorted[i]) == 0)
            rc = hpo__fail(m, HPO_EINVAL,
                           "parameter '%s': choice %.80s is given twice", name,
                           sorted[i]);
    free(sorted);
    return rc;
}

int hpo__dist_check(const hpo__dist *d, const char *name, hpo__msg *m)
{
    if (d->kind == HPO__CATEGORICAL)
        return check_choices(d, name, m);
    if (d->kind != HPO__FLOAT && d->kind != HPO__INT)
        return hpo__fail(m, HPO_EINVAL, "parameter '%s': unknown kind %d",
                         name, (int)d->kind);
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

/* A categorical's choices in one allocation: the count of dists that
 * share it, then the array, then the texts.  Copies share it, so the
 * 100,000 trials of a study read from storage (and their copies) hold one
 * block per distribution rather than n_choices + 1 allocations each. */
struct hpo__choices_block {
    int refs; /* updated atomically: copies live in several threads */
    char *array[];
};

static int share_choices(hpo__dist *dst, const hpo__dist *src)
{
    size_t bytes = sizeof(struct hpo__choices_block) +
                   (size_t)src->n_choices * sizeof(char *);
    for (int i = 0; i < src->n_choices; i++)
        bytes += strlen(src->choices[i]) + 1;
    struct hpo__choices_block *b = malloc(bytes);
    if (!b)
        return HPO_ENOMEM;
    b->refs = 1;
    char **array = b->array;
    char *text = (char *)(array + src->n_choices);
    for (int i = 0; i < src->n_choices; i++) {
        size_t len = strlen(src->choices[i]) + 1;
        array[i] = memcpy(text, src->choices[i], len);
        text += len;
    }
    dst->choices = array;
    dst->shared = b;
    return HPO_OK;
}

int hpo__dist_copy(hpo__dist *dst, const hpo__dist *src)
{
    *dst = *src;
    if (src->shared) {
        __atomic_fetch_add(&src->shared->refs, 1, __ATOMIC_RELAXED);
        return HPO_OK;
    }
    dst->choices = NULL;
    if (src->kind != HPO__CATEGORICAL || src->n_choices == 0)
        return HPO_OK;
    return share_choices(dst, src);
}

void hpo__dist_free(hpo__dist *d)
{
    if (d->shared) {
        if (__atomic_sub_fetch(&d->shared->refs, 1, __ATOMIC_ACQ_REL) == 0)
            free(d->shared);
    } else if (d->choices) {
        for (int i = 0; i < d->n_choices; i++)
            free(d->choices[i]);
        free(d->choices);
    }
    d->choices = NULL;
    d->shared = NULL;
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
    return nearbyint(steps_from_low(d, d->high)) + 1;
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
    return d->step == 0 || is_whole(steps_from_low(d, x));
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
    if (is_discrete(d))
        x = fmin(at_step(d, nearbyint(steps_from_low(d, x))), d->high);
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
        return d->kind == HPO__CATEGORICAL ? k : at_step(d, k);
    }
    if (d->log) {
        double lo = log(d->low), hi = log(d->high);
        return fmin(fmax(exp(lo + u * (hi - lo)), d->low), d->high);
    }
    return hpo__lerp(d->low, d->high, u);
}

double hpo__dist_to_unit(const hpo__dist *d, double x)
{
    if (d->kind == HPO__INT && d->log) {
        double lo = log(d->low - 0.5), hi = log(d->high + 0.5);
        return (log(x) - lo) / (hi - lo);
    }
    if (d->kind == HPO__CATEGORICAL || is_discrete(d)) {
        double n = hpo__dist_cardinality(d);
        double k = d->kind == HPO__CATEGORICAL ? x : steps_from_low(d, x);
        return (k + 0.5) / n;
    }
    if (d->high == d->low)
        return 0.5;
    if (d->log)
        return (log(x) - log(d->low)) / (log(d->high) - log(d->low));
    double span = d->high - d->low;
    if (!isfinite(span)) /* halves, as in hpo__lerp */
        return (0.5 * x - 0.5 * d->low) / (0.5 * d->high - 0.5 * d->low);
    return (x - d->low) / span;
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
        if (x >= 0 && x < d->n_choices)
            format_choice(d->choices[(int)x], buf, size);
        else
            snprintf(buf, size, "?");
    } else if (d->kind == HPO__INT && fabs(x) <= HPO_MAX_EXACT_INT) {
        snprintf(buf, size, "%lld", (long long)nearbyint(x));
    } else {
        hpo__format_double(buf, size, x);
    }
}

/* Does a choice (JSON text) read as text, a string choice unquoted? */
static int choice_reads_as(const char *json, const char *text)
{
    cJSON *v = cJSON_Parse(json);
    int same = v && cJSON_IsString(v) && strcmp(v->valuestring, text) == 0;
    cJSON_Delete(v);
    return same;
}

int hpo__dist_find_choice(const hpo__dist *d, const char *text)
{
    for (int i = 0; i < d->n_choices; i++)
        if (strcmp(d->choices[i], text) == 0 ||
            choice_reads_as(d->choices[i], text))
            return i;
    return -1;
}
