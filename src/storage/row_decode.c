/*
 * row_decode.c — trial records from the rows of the six trial queries.
 *
 * Reading 10,000 trials is six queries, not 60,000: one per table, each
 * with its rows grouped by trial.  The trials query comes first and fills
 * the records; the rows of the other five are routed to their record
 * through an id -> slot table sorted by id.  Params, intermediate values
 * and attributes may come in their index's order within a trial (by
 * name, step, key) and are put back in the order they were stored.
 * Distinct distribution_json texts are parsed once, in the connection's
 * cache.  See row_decode.h for the driver's part.
 */
#include "row_decode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct id_slot {
    int64_t id;
    int index; /* in out->v */
} id_slot;

typedef struct reader {
    hpo_storage *st;
    const hpo__row_source *src;
    hpo__trial_list *out;
    id_slot *slots;
    int n_slots, cap_slots;
    /* Values arrive grouped by trial: the trial being gathered, and its
     * values so far (by objective, whatever order they come in). */
    int64_t values_of;
    int n_values;
    double values[HPO_MAX_OBJECTIVES];
    /* Params, intermediate values and attributes arrive grouped by trial
     * but not in the order they were stored (that would cost SQLite a sort): the
     * trial being gathered and the row ids of what it has so far. */
    hpo__trial_rec *group;
    int64_t *keys;
    int n_keys, cap_keys;
} reader;

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const id_slot *)a)->id, y = ((const id_slot *)b)->id;
    return (x > y) - (x < y);
}

/* The record of a trial id read by trial_row, or NULL if the row belongs
 * to a trial that appeared after it (a concurrent writer cannot cause that
 * inside one transaction, but be safe). */
static hpo__trial_rec *find_rec(reader *r, int64_t id)
{
    id_slot key = {id, 0};
    if (r->n_slots == 0)
        return NULL;
    id_slot *hit = bsearch(&key, r->slots, (size_t)r->n_slots,
                           sizeof *r->slots, by_id);
    return hit ? &r->out->v[hit->index] : NULL;
}

/* How a message names a trial: by its number, as hpo trials shows it,
 * once its row has been read; by its id otherwise. */
static void trial_name(reader *r, int64_t id, char *buf, size_t size)
{
    const hpo__trial_rec *rec = find_rec(r, id);
    if (rec)
        snprintf(buf, size, "trial %d", rec->number);
    else
        snprintf(buf, size, "the trial with id %lld", (long long)id);
}

static int no_memory(reader *r)
{
    return hpo__storage_error(r->st, HPO_ENOMEM, "%s: out of memory",
                              r->src->backend);
}

/* A value and its value_type column, as Optuna stores them. */
static double stored_value(reader *r, int value_col, int type_col)
{
    const hpo__row_source *src = r->src;
    return hpo__optuna_value_decode(src->text(src->self, type_col),
                                    src->is_null(src->self, value_col),
                                    src->real(src->self, value_col));
}

/* Run one query and hand each row to on_row, until the rows end or an
 * error. */
static int each_row(reader *r, hpo__trial_table table,
                    int (*on_row)(reader *r))
{
    const hpo__row_source *src = r->src;
    int rc = src->open(src->self, table);
    if (rc != HPO_OK)
        return rc;
    int more = 0;
    while (rc == HPO_OK && (more = src->next(src->self)) > 0)
        rc = on_row(r);
    if (rc == HPO_OK && more < 0)
        rc = more;
    src->close(src->self);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* One row of each table                                                      */
/* ------------------------------------------------------------------------- */

static int trial_row(reader *r)
{
    const hpo__row_source *src = r->src;
    if (hpo__grow((void **)&r->slots, &r->cap_slots, r->n_slots + 1,
                  sizeof *r->slots) != HPO_OK)
        return no_memory(r);
    hpo__trial_rec *rec = hpo__list_push(r->out);
    if (!rec)
        return no_memory(r);
    int rc = HPO_OK;
    rec->id = src->int64(src->self, 0);
    rec->number = (int)src->int64(src->self, 1);
    const char *state = src->text(src->self, 2);
    if (hpo__optuna_state_parse(state, &rec->state) != 0)
        rc = hpo__storage_error(r->st, HPO_ESTORAGE,
                                "%s: %s: trial %d has unknown state '%s'",
                                src->backend, src->where, rec->number,
                                state ? state : "NULL");
    rec->start_s = src->time_s(src->self, 3);
    rec->complete_s = src->time_s(src->self, 4);
    r->slots[r->n_slots++] = (id_slot){rec->id, r->out->n - 1};
    return rc;
}

/* Hand the gathered values to their trial. */
static int flush_values(reader *r)
{
    hpo__trial_rec *rec = r->n_values ? find_rec(r, r->values_of) : NULL;
    if (rec && hpo__rec_set_values(rec, r->n_values, r->values) != HPO_OK)
        return no_memory(r);
    return HPO_OK;
}

static int value_row(reader *r)
{
    const hpo__row_source *src = r->src;
    int64_t id = src->int64(src->self, 0);
    int64_t objective = src->int64(src->self, 1);
    if (id != r->values_of) {
        int rc = flush_values(r);
        r->values_of = id;
        r->n_values = 0;
        if (rc != HPO_OK)
            return rc;
    }
    if (objective < 0 || objective >= HPO_MAX_OBJECTIVES) {
        char trial[64];
        trial_name(r, id, trial, sizeof trial);
        return hpo__storage_error(r->st, HPO_ESTORAGE,
                                  "%s: %s: %s has a value for objective %lld "
                                  "(hpo handles %d)",
                                  src->backend, src->where, trial,
                                  (long long)objective, HPO_MAX_OBJECTIVES);
    }
    while (r->n_values <= objective)
        r->values[r->n_values++] = NAN; /* an objective with no row */
    r->values[objective] = stored_value(r, 2, 3);
    return HPO_OK;
}

/* The parsed distribution of a distribution_json text; NULL after
 * recording the error. */
static const hpo__dist *parse_dist(reader *r, const char *json,
                                   const hpo__trial_rec *rec, const char *name)
{
    hpo__msg m = {0};
    const hpo__dist *d = NULL;
    int rc = hpo__dist_cache_get(r->src->dists, json, &d, &m);
    if (rc == HPO_ENOMEM)
        no_memory(r);
    else if (rc)
        hpo__storage_error(r->st, HPO_ESTORAGE,
                           "%s: %s: trial %d, parameter '%s': %s",
                           r->src->backend, r->src->where, rec->number, name,
                           hpo__msg_get(&m));
    hpo__msg_free(&m);
    return d;
}

/* Put what the gathered trial has of the table (params, intermediate
 * values, attributes) in the order of their row ids, when every one of
 * them came with its id. */
static int order_group(reader *r, hpo__trial_table table)
{
    hpo__trial_rec *rec = r->group;
    r->group = NULL;
    if (!rec)
        return HPO_OK;
    hpo__attrs *attrs = table == HPO__ROWS_USER_ATTRS ? &rec->user_attrs
                                                      : &rec->system_attrs;
    switch (table) {
    case HPO__ROWS_PARAMS:
        if (r->n_keys == rec->n_params && hpo__rec_order_params(rec, r->keys))
            return no_memory(r);
        break;
    case HPO__ROWS_INTER:
        if (r->n_keys == rec->n_inter)
            hpo__rec_order_inter(rec, r->keys);
        break;
    case HPO__ROWS_USER_ATTRS:
    case HPO__ROWS_SYSTEM_ATTRS:
        if (r->n_keys == attrs->n)
            hpo__attrs_order(attrs, r->keys);
        break;
    default:
        break;
    }
    return HPO_OK;
}

/* Note the row id (column `col`) of what a row added to rec, when it
 * added one (`added`), starting a new group at a new trial. */
static int note_row_id(reader *r, hpo__trial_table table,
                       hpo__trial_rec *rec, int col, int added)
{
    if (rec != r->group) {
        int rc = order_group(r, table);
        if (rc != HPO_OK)
            return rc;
        r->group = rec;
        r->n_keys = 0;
    }
    if (!added)
        return HPO_OK;
    if (hpo__grow((void **)&r->keys, &r->cap_keys, r->n_keys + 1,
                  sizeof *r->keys) != HPO_OK)
        return no_memory(r);
    r->keys[r->n_keys++] = r->src->int64(r->src->self, col);
    return HPO_OK;
}

static int param_row(reader *r)
{
    const hpo__row_source *src = r->src;
    int64_t id = src->int64(src->self, 0);
    const char *name = src->text(src->self, 1);
    const char *json = src->text(src->self, 3);
    hpo__trial_rec *rec = find_rec(r, id);
    if (!rec || !name)
        return HPO_OK;
    const hpo__dist *d = parse_dist(r, json ? json : "", rec, name);
    if (!d)
        return HPO_ESTORAGE; /* the message is set */
    double v = src->real(src->self, 2);
    /* A numeric value may lie outside its bounds (an enqueued one, as in
     * Optuna), but a categorical one indexes the choices. */
    if (isnan(v) || (d->kind == HPO__CATEGORICAL && !hpo__dist_contains(d, v)))
        return hpo__storage_error(r->st, HPO_ESTORAGE,
                                  "%s: %s: trial %d, parameter '%s': value "
                                  "%g is not a value of its distribution",
                                  src->backend, src->where, rec->number, name,
                                  v);
    int had = rec->n_params;
    if (hpo__rec_add_param(rec, name, d, v) != HPO_OK)
        return no_memory(r);
    return note_row_id(r, HPO__ROWS_PARAMS, rec, 4, rec->n_params > had);
}

static int intermediate_row(reader *r)
{
    const hpo__row_source *src = r->src;
    hpo__trial_rec *rec = find_rec(r, src->int64(src->self, 0));
    if (!rec)
        return HPO_OK;
    double v = stored_value(r, 2, 3);
    int added = hpo__rec_add_inter(rec, src->int64(src->self, 1), v);
    if (added < 0)
        return no_memory(r);
    return note_row_id(r, HPO__ROWS_INTER, rec, 4, added);
}

static int attr_row(reader *r, int system)
{
    const hpo__row_source *src = r->src;
    hpo__trial_rec *rec = find_rec(r, src->int64(src->self, 0));
    const char *key = src->text(src->self, 1);
    const char *json = src->text(src->self, 2);
    if (!rec || !key)
        return HPO_OK;
    hpo__attrs *a = system ? &rec->system_attrs : &rec->user_attrs;
    int had = a->n;
    if (hpo__attrs_set(a, key, json ? json : "null") != HPO_OK)
        return no_memory(r);
    return note_row_id(r, system ? HPO__ROWS_SYSTEM_ATTRS
                                 : HPO__ROWS_USER_ATTRS,
                       rec, 3, a->n > had);
}

static int user_attr_row(reader *r)
{
    return attr_row(r, 0);
}

static int system_attr_row(reader *r)
{
    return attr_row(r, 1);
}

/* ------------------------------------------------------------------------- */
/* The six queries                                                            */
/* ------------------------------------------------------------------------- */

static int read_details(reader *r)
{
    int rc = each_row(r, HPO__ROWS_VALUES, value_row);
    if (rc == HPO_OK)
        rc = flush_values(r);
    if (rc == HPO_OK)
        rc = each_row(r, HPO__ROWS_PARAMS, param_row);
    if (rc == HPO_OK)
        rc = order_group(r, HPO__ROWS_PARAMS);
    if (rc == HPO_OK)
        rc = each_row(r, HPO__ROWS_INTER, intermediate_row);
    if (rc == HPO_OK)
        rc = order_group(r, HPO__ROWS_INTER);
    if (rc == HPO_OK)
        rc = each_row(r, HPO__ROWS_USER_ATTRS, user_attr_row);
    if (rc == HPO_OK)
        rc = order_group(r, HPO__ROWS_USER_ATTRS);
    if (rc == HPO_OK)
        rc = each_row(r, HPO__ROWS_SYSTEM_ATTRS, system_attr_row);
    if (rc == HPO_OK)
        rc = order_group(r, HPO__ROWS_SYSTEM_ATTRS);
    return rc;
}

int hpo__rows_read_trials(hpo_storage *st, const hpo__row_source *src,
                          hpo__trial_list *out)
{
    reader r = {.st = st, .src = src, .out = out, .values_of = -1};
    int first = out->n;
    int rc = each_row(&r, HPO__ROWS_TRIALS, trial_row);
    if (r.n_slots > 1)
        qsort(r.slots, (size_t)r.n_slots, sizeof *r.slots, by_id);
    if (rc == HPO_OK && r.n_slots > 0)
        rc = read_details(&r);
    free(r.slots);
    free(r.keys);
    if (rc != HPO_OK) { /* leave *out as it was */
        while (out->n > first)
            hpo__rec_free(&out->v[--out->n]);
    }
    return rc;
}
