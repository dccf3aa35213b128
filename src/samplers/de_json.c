/*
 * de_json.c — differential evolution's state (de_core.h) as JSON, so that
 * workers on several machines can share one population through storage.
 *
 *   Algorithms: R. Storn, K. Price, J. Global Optimization 11, 1997
 *   (rand/1/bin); R. Tanabe, A. Fukunaga, IEEE CEC 2013 (SHADE).
 *
 * The document (values minimized; a failed member's +inf is null, since
 * JSON has no infinity):
 *
 *   {"strategy": "shade" | "rand1bin", "dim": n, "pop": N, "h": H,
 *    "f": F, "cr": CR, "k": k, "generation": g, "evaluated": 0|1,
 *    "pending": 0|1, "x": [[...] x N], "fx": [...], "archive": [[...]],
 *    "m_f": [...], "m_cr": [...], "u": [[...] x N], "f_i": [...],
 *    "cr_i": [...]}
 *
 * Every number is checked on the way in (coordinates in [0, 1], F in
 * (0, 1] and CR in [0, 1] in the memory, sizes as stated), so a corrupt or
 * foreign state is an error naming its field, never a crash later.
 */
#include <math.h>
#include <string.h>

#include "core/json.h"
#include "samplers/de_core.h"

/* ---- writing ------------------------------------------------------------- */

static cJSON *number(double x)
{
    return isfinite(x) ? hpo__json_number(x, 1) : cJSON_CreateNull();
}

static cJSON *vec(const double *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        if (!hpo__json_put(a, NULL, number(v[i]))) {
            cJSON_Delete(a);
            return NULL;
        }
    return a;
}

static cJSON *rows(const double *v, int n, int dim)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        if (!hpo__json_put(a, NULL, vec(v + (size_t)i * dim, dim))) {
            cJSON_Delete(a);
            return NULL;
        }
    return a;
}

cJSON *hpo__de_to_json(const hpo__de *s, hpo__msg *m)
{
    cJSON *j = cJSON_CreateObject();
    int ok = j &&
        hpo__json_put(j, "strategy", cJSON_CreateString(
            s->strategy == HPO__DE_SHADE ? "shade" : "rand1bin")) &&
        hpo__json_put(j, "dim", cJSON_CreateNumber(s->dim)) &&
        hpo__json_put(j, "pop", cJSON_CreateNumber(s->pop)) &&
        hpo__json_put(j, "h", cJSON_CreateNumber(s->h)) &&
        hpo__json_put(j, "f", number(s->f)) &&
        hpo__json_put(j, "cr", number(s->cr)) &&
        hpo__json_put(j, "k", cJSON_CreateNumber(s->k)) &&
        hpo__json_put(j, "generation", cJSON_CreateNumber(s->generation)) &&
        hpo__json_put(j, "evaluated", cJSON_CreateNumber(s->evaluated)) &&
        hpo__json_put(j, "pending", cJSON_CreateNumber(s->pending)) &&
        hpo__json_put(j, "x", rows(s->x, s->pop, s->dim)) &&
        hpo__json_put(j, "fx", vec(s->fx, s->pop)) &&
        hpo__json_put(j, "archive", rows(s->archive, s->n_archive, s->dim)) &&
        hpo__json_put(j, "m_f", vec(s->m_f, s->h)) &&
        hpo__json_put(j, "m_cr", vec(s->m_cr, s->h)) &&
        hpo__json_put(j, "u", rows(s->u, s->pop, s->dim)) &&
        hpo__json_put(j, "f_i", vec(s->f_i, s->pop)) &&
        hpo__json_put(j, "cr_i", vec(s->cr_i, s->pop));
    if (!ok) {
        cJSON_Delete(j);
        hpo__oom(m);
        return NULL;
    }
    return j;
}

/* ---- reading ------------------------------------------------------------- */

static int get_int(const cJSON *j, const char *key, int lo, int hi, int *out,
                   hpo__msg *m)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!(d >= lo && d <= hi && d == floor(d)))
        return hpo__fail(m, HPO_EINVAL,
                         "de state: \"%s\" is not a whole number in [%d, %d]",
                         key, lo, hi);
    *out = (int)d;
    return HPO_OK;
}

static int get_num(const cJSON *j, const char *key, double *out, hpo__msg *m)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!cJSON_IsNumber(v))
        return hpo__fail(m, HPO_EINVAL, "de state: \"%s\" is not a number", key);
    *out = v->valuedouble;
    return HPO_OK;
}

/* n numbers in [lo, hi] from array a (null reads as +inf when nulls). */
static int read_vec(const cJSON *a, const char *key, int n, double lo,
                    double hi, int nulls, double *out, hpo__msg *m)
{
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return hpo__fail(m, HPO_EINVAL,
                         "de state: \"%s\" is not an array of %d numbers", key, n);
    int i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, a) {
        double d = cJSON_IsNull(v) && nulls ? INFINITY
                   : cJSON_IsNumber(v)      ? v->valuedouble
                                            : NAN;
        if (!(d >= lo && d <= hi) && !(nulls && d == INFINITY))
            return hpo__fail(m, HPO_EINVAL,
                             "de state: \"%s\"[%d] is not a number in [%g, %g]",
                             key, i, lo, hi);
        out[i++] = d;
    }
    return HPO_OK;
}

/* n rows of dim coordinates in [0, 1]. */
static int read_rows(const cJSON *j, const char *key, int n, int dim,
                     double *out, hpo__msg *m)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return hpo__fail(m, HPO_EINVAL,
                         "de state: \"%s\" is not an array of %d rows", key, n);
    int i = 0, rc = HPO_OK;
    const cJSON *row;
    cJSON_ArrayForEach(row, a) {
        rc = read_vec(row, key, dim, 0, 1, 0, out + (size_t)i++ * dim, m);
        if (rc != HPO_OK)
            return rc;
    }
    return rc;
}

static int read_strategy(const cJSON *j, hpo__de_strategy *out, hpo__msg *m)
{
    const char *s = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(j, "strategy"));
    if (s && !strcmp(s, "shade"))
        *out = HPO__DE_SHADE;
    else if (s && !strcmp(s, "rand1bin"))
        *out = HPO__DE_RAND1BIN;
    else
        return hpo__fail(m, HPO_EINVAL,
                         "de state: \"strategy\" is not \"shade\" or \"rand1bin\"");
    return HPO_OK;
}

/* The sizes and constants, then the arrays they size. */
static int read_header(hpo__de *s, const cJSON *j, hpo__msg *m)
{
    hpo__de_strategy st = HPO__DE_SHADE;
    int dim = 0, pop = 0, h = 0;
    double f = 0, cr = 0;
    int rc = read_strategy(j, &st, m);
    if (rc == HPO_OK) rc = get_int(j, "dim", 1, HPO__DE_MAX_DIM, &dim, m);
    if (rc == HPO_OK) rc = get_int(j, "pop", 4, HPO__DE_MAX_POP, &pop, m);
    if (rc == HPO_OK) rc = get_int(j, "h", 1, HPO__DE_MAX_POP, &h, m);
    if (rc == HPO_OK) rc = get_num(j, "f", &f, m);
    if (rc == HPO_OK) rc = get_num(j, "cr", &cr, m);
    if (rc == HPO_OK) rc = hpo__de_alloc(s, st, dim, pop, h, f, cr, m);
    if (rc == HPO_OK) rc = get_int(j, "k", 0, h - 1, &s->k, m);
    if (rc == HPO_OK) rc = get_int(j, "generation", 0, 2147483647, &s->generation, m);
    if (rc == HPO_OK) rc = get_int(j, "evaluated", 0, 1, &s->evaluated, m);
    if (rc == HPO_OK) rc = get_int(j, "pending", 0, 1, &s->pending, m);
    return rc;
}

#define FIELD(key) cJSON_GetObjectItemCaseSensitive(j, key)

static int read_arrays(hpo__de *s, const cJSON *j, hpo__msg *m)
{
    const cJSON *ar = FIELD("archive");
    int na = cJSON_IsArray(ar) ? cJSON_GetArraySize(ar) : -1;
    if (na < 0 || na > s->pop)
        return hpo__fail(m, HPO_EINVAL,
                         "de state: \"archive\" is not an array of at most %d rows",
                         s->pop);
    s->n_archive = na;
    int rc = read_rows(j, "x", s->pop, s->dim, s->x, m);
    if (rc == HPO_OK) rc = read_rows(j, "archive", na, s->dim, s->archive, m);
    if (rc == HPO_OK) rc = read_rows(j, "u", s->pop, s->dim, s->u, m);
    if (rc == HPO_OK) rc = read_vec(FIELD("fx"), "fx", s->pop, -HUGE_VAL, HUGE_VAL, 1, s->fx, m);
    if (rc == HPO_OK) rc = read_vec(FIELD("m_f"), "m_f", s->h, 0, 1, 0, s->m_f, m);
    if (rc == HPO_OK) rc = read_vec(FIELD("m_cr"), "m_cr", s->h, 0, 1, 0, s->m_cr, m);
    if (rc == HPO_OK) rc = read_vec(FIELD("f_i"), "f_i", s->pop, 0, 2, 0, s->f_i, m);
    if (rc == HPO_OK) rc = read_vec(FIELD("cr_i"), "cr_i", s->pop, 0, 1, 0, s->cr_i, m);
    return rc;
}

int hpo__de_from_json(hpo__de *s, const cJSON *j, hpo__msg *m)
{
    memset(s, 0, sizeof *s);
    if (!cJSON_IsObject(j))
        return hpo__fail(m, HPO_EINVAL, "de state: not a JSON object");
    int rc = read_header(s, j, m);
    if (rc == HPO_OK)
        rc = read_arrays(s, j, m);
    if (rc != HPO_OK)
        hpo__de_free(s);
    return rc;
}
