/* record.c — trial records, attribute maps and record lists: the values
 * storage keeps and samplers read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- attributes ---------------------------------------------------------- */

/* Insertion sort of n elements of `size` bytes by keys, moving the keys
 * along: a trial has few params or attributes, and they usually come in order. */
static void sort_by_keys(void *elems, size_t size, int64_t *keys, int n)
{
    char *e = elems, tmp[sizeof(hpo__param)];
    for (int i = 1; i < n; i++) {
        int j = i;
        int64_t k = keys[i];
        if (keys[j - 1] <= k)
            continue;
        memcpy(tmp, e + (size_t)i * size, size);
        for (; j > 0 && keys[j - 1] > k; j--) {
            keys[j] = keys[j - 1];
            memcpy(e + (size_t)j * size, e + (size_t)(j - 1) * size, size);
        }
        keys[j] = k;
        memcpy(e + (size_t)j * size, tmp, size);
    }
}


const char *hpo__attrs_get(const hpo__attrs *a, const char *key)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->v[i].key, key) == 0)
            return a->v[i].json;
    return NULL;
}

int hpo__attrs_set(hpo__attrs *a, const char *key, const char *json)
{
    char *copy = hpo__strdup(json);
    if (!copy)
        return HPO_ENOMEM;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->v[i].key, key) == 0) {
            free(a->v[i].json);
            a->v[i].json = copy;
            return HPO_OK;
        }
    char *kcopy = hpo__strdup(key);
    if (!kcopy || hpo__grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v)) {
        free(copy);
        free(kcopy);
        return HPO_ENOMEM;
    }
    a->v[a->n].key = kcopy;
    a->v[a->n].json = copy;
    a->n++;
    return HPO_OK;
}

int hpo__attrs_copy(hpo__attrs *dst, const hpo__attrs *src)
{
    memset(dst, 0, sizeof *dst);
    for (int i = 0; i < src->n; i++)
        if (hpo__attrs_set(dst, src->v[i].key, src->v[i].json)) {
            hpo__attrs_free(dst);
            return HPO_ENOMEM;
        }
    return HPO_OK;
}

void hpo__attrs_order(hpo__attrs *a, int64_t *keys)
{
    sort_by_keys(a->v, sizeof *a->v, keys, a->n);
}

void hpo__attrs_free(hpo__attrs *a)
{
    for (int i = 0; i < a->n; i++) {
        free(a->v[i].key);
        free(a->v[i].json);
    }
    free(a->v);
    memset(a, 0, sizeof *a);
}

/* ---- trial records --------------------------------------------------------- */

int hpo__state_finished(hpo_trial_state s)
{
    return s == HPO_COMPLETE || s == HPO_PRUNED_STATE || s == HPO_FAIL;
}

void hpo__rec_init(hpo__trial_rec *r)
{
    memset(r, 0, sizeof *r);
    r->start_s = NAN;
    r->complete_s = NAN;
}

void hpo__rec_free(hpo__trial_rec *r)
{
    for (int i = 0; i < r->n_params; i++) {
        free(r->params[i].name);
        hpo__dist_free(&r->params[i].dist);
    }
    free(r->params);
    hpo__name_index_free(&r->by_name);
    free(r->values);
    free(r->inter);
    hpo__attrs_free(&r->user_attrs);
    hpo__attrs_free(&r->system_attrs);
    hpo__rec_init(r);
}

int hpo__rec_copy(hpo__trial_rec *dst, const hpo__trial_rec *src)
{
    hpo__rec_init(dst);
    dst->id = src->id;
    dst->number = src->number;
    dst->state = src->state;
    dst->start_s = src->start_s;
    dst->complete_s = src->complete_s;
    int rc = hpo__rec_set_values(dst, src->n_values, src->values);
    for (int i = 0; rc == HPO_OK && i < src->n_params; i++)
        rc = hpo__rec_add_param(dst, src->params[i].name, &src->params[i].dist,
                                src->params[i].internal);
    if (rc == HPO_OK && src->n_inter) {
        dst->inter = malloc((size_t)src->n_inter * sizeof *dst->inter);
        if (!dst->inter)
            rc = HPO_ENOMEM;
        else {
            memcpy(dst->inter, src->inter, (size_t)src->n_inter * sizeof *dst->inter);
            dst->n_inter = dst->cap_inter = src->n_inter;
        }
    }
    if (rc == HPO_OK)
        rc = hpo__attrs_copy(&dst->user_attrs, &src->user_attrs);
    if (rc == HPO_OK)
        rc = hpo__attrs_copy(&dst->system_attrs, &src->system_attrs);
    if (rc != HPO_OK)
        hpo__rec_free(dst);
    return rc;
}

const hpo__param *hpo__rec_param(const hpo__trial_rec *r, const char *name)
{
    if (r->by_name.cap) {
        int i = hpo__name_index_get(&r->by_name, name);
        return i >= 0 ? &r->params[i] : NULL;
    }
    for (int i = 0; i < r->n_params; i++)
        if (strcmp(r->params[i].name, name) == 0)
            return &r->params[i];
    return NULL;
}

/* Index the params by name once there are many of them (all at once when
 * the index starts, then each as it is added). */
static int index_params(hpo__trial_rec *r, int n)
{
    if (n <= HPO_NAME_INDEX_FROM)
        return HPO_OK;
    for (int i = r->by_name.cap ? n - 1 : 0; i < n; i++)
        if (hpo__name_index_put(&r->by_name, r->params[i].name, i)) {
            hpo__name_index_free(&r->by_name); /* back to searching */
            return HPO_ENOMEM;
        }
    return HPO_OK;
}

int hpo__rec_add_param(hpo__trial_rec *r, const char *name, const hpo__dist *d,
                       double internal)
{
    hpo__param *p = (hpo__param *)hpo__rec_param(r, name);
    if (p) {
        hpo__dist copy;
        if (hpo__dist_copy(&copy, d))
            return HPO_ENOMEM;
        hpo__dist_free(&p->dist);
        p->dist = copy;
        p->internal = internal;
        return HPO_OK;
    }
    if (hpo__grow((void **)&r->params, &r->cap_params, r->n_params + 1,
                  sizeof *r->params))
        return HPO_ENOMEM;
    p = &r->params[r->n_params];
    if (!(p->name = hpo__strdup(name)))
        return HPO_ENOMEM;
    if (hpo__dist_copy(&p->dist, d) || index_params(r, r->n_params + 1)) {
        hpo__dist_free(&p->dist);
        free(p->name);
        return HPO_ENOMEM;
    }
    p->internal = internal;
    r->n_params++;
    return HPO_OK;
}

int hpo__rec_order_params(hpo__trial_rec *r, int64_t *keys)
{
    sort_by_keys(r->params, sizeof *r->params, keys, r->n_params);
    if (!r->by_name.cap)
        return HPO_OK;
    hpo__name_index_free(&r->by_name); /* positions moved: index anew */
    return index_params(r, r->n_params);
}

void hpo__rec_order_inter(hpo__trial_rec *r, int64_t *keys)
{
    _Static_assert(sizeof(hpo__step_value) <= sizeof(hpo__param) &&
                       sizeof(hpo__attr) <= sizeof(hpo__param),
                   "sort_by_keys's buffer holds every kind of element");
    sort_by_keys(r->inter, sizeof *r->inter, keys, r->n_inter);
}

int hpo__rec_add_inter(hpo__trial_rec *r, int64_t step, double value)
{
    for (int i = 0; i < r->n_inter; i++)
        if (r->inter[i].step == step)
            return 0;
    if (hpo__grow((void **)&r->inter, &r->cap_inter, r->n_inter + 1,
                  sizeof *r->inter))
        return HPO_ENOMEM;
    r->inter[r->n_inter].step = step;
    r->inter[r->n_inter].value = value;
    r->n_inter++;
    return 1;
}

int hpo__rec_set_values(hpo__trial_rec *r, int n, const double *values)
{
    double *v = NULL;
    if (n > 0) {
        if (!(v = malloc((size_t)n * sizeof *v)))
            return HPO_ENOMEM;
        memcpy(v, values, (size_t)n * sizeof *v);
    }
    free(r->values);
    r->values = v;
    r->n_values = n;
    return HPO_OK;
}

/* ---- lists --------------------------------------------------------------- */

hpo__trial_rec *hpo__list_push(hpo__trial_list *l)
{
    if (hpo__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return NULL;
    hpo__trial_rec *r = &l->v[l->n++];
    hpo__rec_init(r);
    return r;
}

void hpo__list_free(hpo__trial_list *l)
{
    for (int i = 0; i < l->n; i++)
        hpo__rec_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}
