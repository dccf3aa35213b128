/*
 * ga_population_json.c — a GA population as JSON, so that workers on
 * several machines can share one through storage:
 *
 *   {"kind": "ga", "version": 1, "n_genes": 2, "size": 4, "n_elite": 1,
 *    "patience": 0, "generation": 3, "stale": 1, "best": 0.25,
 *    "genes": [[0.5, 2], ...], "fitness": [0.25, null, ...]}
 *
 * One row of genes and one fitness per member (n of them; n < size while
 * the first generation fills).  Numbers are written so they read back as
 * the same doubles; +inf (a failed member, or no best yet) is null.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/json.h"
#include "ga_population.h"

#define GA_JSON_VERSION 1

static cJSON *fitness_json(double f)
{
    return isfinite(f) ? hpo__json_number(f, 0) : cJSON_CreateNull();
}

static cJSON *row_json(const double *x, int n)
{
    cJSON *row = cJSON_CreateArray();
    for (int i = 0; row && i < n; i++)
        if (!hpo__json_put(row, NULL, hpo__json_number(x[i], 0))) {
            cJSON_Delete(row);
            return NULL;
        }
    return row;
}

static int put_int(cJSON *o, const char *key, int v)
{
    return hpo__json_put(o, key, cJSON_CreateNumber(v));
}

static int put_members(cJSON *o, const hpo__ga_pop *p)
{
    cJSON *genes = cJSON_CreateArray(), *fit = cJSON_CreateArray();
    int ok = genes && fit;
    for (int i = 0; ok && i < p->n; i++)
        ok = hpo__json_put(genes, NULL, row_json(hpo__ga_member(p, i), p->n_genes)) &&
             hpo__json_put(fit, NULL, fitness_json(p->fitness[i]));
    if (!ok) {
        cJSON_Delete(genes);
        cJSON_Delete(fit);
        return 0;
    }
    return hpo__json_put(o, "genes", genes) & hpo__json_put(o, "fitness", fit);
}

char *hpo__ga_pop_to_json(const hpo__ga_pop *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int ok = hpo__json_put(o, "kind", cJSON_CreateString("ga")) &&
             put_int(o, "version", GA_JSON_VERSION) &&
             put_int(o, "n_genes", p->n_genes) && put_int(o, "size", p->size) &&
             put_int(o, "n_elite", p->n_elite) &&
             put_int(o, "patience", p->patience) &&
             put_int(o, "generation", p->generation) &&
             put_int(o, "stale", p->stale) &&
             hpo__json_put(o, "best", fitness_json(p->best)) && put_members(o, p);
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

/* ---- reading ---------------------------------------------------------- */

static int get_int(const cJSON *o, const char *key, int lo, int *out,
                   hpo__msg *m)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!(x >= lo && x <= INT_MAX && x == floor(x)))
        return hpo__fail(m, HPO_EINVAL,
                         "ga state: \"%s\" must be a whole number >= %d", key,
                         lo);
    *out = (int)x;
    return HPO_OK;
}

/* A fitness: a number, or null for +inf. */
static int get_fitness(const cJSON *v, double *out)
{
    if (cJSON_IsNull(v)) {
        *out = INFINITY;
        return 1;
    }
    *out = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    return cJSON_IsNumber(v) && isfinite(*out);
}

static int get_row(const cJSON *row, int n, double *x)
{
    if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != n)
        return 0;
    int i = 0;
    for (const cJSON *v = row->child; v; v = v->next, i++) {
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return 0;
        x[i] = v->valuedouble;
    }
    return 1;
}

static int get_members(hpo__ga_pop *p, const cJSON *o, hpo__msg *m)
{
    const cJSON *genes = cJSON_GetObjectItemCaseSensitive(o, "genes");
    const cJSON *fit = cJSON_GetObjectItemCaseSensitive(o, "fitness");
    int n = cJSON_GetArraySize(genes);
    if (!cJSON_IsArray(genes) || !cJSON_IsArray(fit) || n > p->size ||
        cJSON_GetArraySize(fit) != n)
        return hpo__fail(m, HPO_EINVAL,
                         "ga state: \"genes\" and \"fitness\" must be arrays "
                         "of one entry per member (at most %d)", p->size);
    const cJSON *row = genes->child, *f = fit->child;
    for (int i = 0; i < n; i++, row = row->next, f = f->next)
        if (!get_row(row, p->n_genes, hpo__ga_member(p, i)) ||
            !get_fitness(f, &p->fitness[i]))
            return hpo__fail(m, HPO_EINVAL,
                             "ga state: member %d is not %d finite genes and "
                             "a fitness (a number or null)", i, p->n_genes);
    p->n = n;
    return HPO_OK;
}

static int get_counters(hpo__ga_pop *p, const cJSON *o, hpo__msg *m)
{
    int rc = get_int(o, "generation", 0, &p->generation, m);
    if (rc == HPO_OK)
        rc = get_int(o, "stale", 0, &p->stale, m);
    if (rc == HPO_OK && !get_fitness(cJSON_GetObjectItemCaseSensitive(o, "best"),
                                     &p->best))
        rc = hpo__fail(m, HPO_EINVAL,
                       "ga state: \"best\" must be a number or null");
    if (rc == HPO_OK)
        rc = get_members(p, o, m);
    if (rc == HPO_OK && (p->stale > p->generation ||
                         (p->generation > 0 && p->n < p->size)))
        rc = hpo__fail(m, HPO_EINVAL,
                       "ga state: generation %d, %d stale, %d of %d members "
                       "do not fit together", p->generation, p->stale, p->n,
                       p->size);
    return rc;
}

static int from_object(hpo__ga_pop *p, const cJSON *o, hpo__msg *m)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "ga") != 0)
        return hpo__fail(m, HPO_EINVAL,
                         "ga state: not a GA population (\"kind\" is not \"ga\")");
    int version = 0, n_genes = 0, size = 0, n_elite = 0, patience = 0;
    int rc = get_int(o, "version", 1, &version, m);
    if (rc == HPO_OK && version != GA_JSON_VERSION)
        rc = hpo__fail(m, HPO_EINVAL, "ga state: version %d, this hpo reads %d",
                       version, GA_JSON_VERSION);
    if (rc == HPO_OK)
        rc = get_int(o, "n_genes", 0, &n_genes, m);
    if (rc == HPO_OK)
        rc = get_int(o, "size", 0, &size, m);
    if (rc == HPO_OK)
        rc = get_int(o, "n_elite", 0, &n_elite, m);
    if (rc == HPO_OK)
        rc = get_int(o, "patience", 0, &patience, m);
    if (rc == HPO_OK)
        rc = hpo__ga_pop_init(p, n_genes, size, n_elite, patience, m);
    return rc == HPO_OK ? get_counters(p, o, m) : rc;
}

int hpo__ga_pop_from_json(hpo__ga_pop *p, const char *text, hpo__msg *m)
{
    memset(p, 0, sizeof *p);
    cJSON *root;
    int rc = hpo__json_parse(text, "ga state", &root, m);
    if (rc != HPO_OK)
        return rc;
    rc = from_object(p, root, m);
    cJSON_Delete(root);
    if (rc != HPO_OK)
        hpo__ga_pop_free(p);
    return rc;
}

int hpo__ga_pop_from_object(hpo__ga_pop *p, const cJSON *o, hpo__msg *m)
{
    memset(p, 0, sizeof *p);
    int rc = from_object(p, o, m);
    if (rc != HPO_OK)
        hpo__ga_pop_free(p);
    return rc;
}
