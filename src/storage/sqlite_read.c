/*
 * sqlite_read.c — read many trials at once.
 *
 * One query per table (trials, values, params, intermediate values, user
 * and system attributes), each filtered by study and trial-id range and
 * ordered by trial id, instead of six queries per trial: reading 10,000
 * trials is six statements.  Rows are routed to their record through an
 * id -> slot table sorted by id.  Distinct distribution_json texts are
 * parsed once and kept in a small per-connection cache.
 */
#include "sqlite_conn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct id_slot {
    int64_t id;
    int index; /* in out->v */
} id_slot;

typedef struct reader {
    hpo_storage *st;
    hpo__sqlite *s;
    int64_t study_id, min_id, max_id;
    hpo__trial_list *out;
    id_slot *slots;
    int n_slots, cap_slots;
} reader;

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const id_slot *)a)->id, y = ((const id_slot *)b)->id;
    return (x > y) - (x < y);
}

/* The record of a trial id read by read_trial_rows, or NULL if the row
 * belongs to a trial that appeared after it (a concurrent writer cannot
 * cause that inside one transaction, but be safe). */
static hpo__trial_rec *find_rec(reader *r, int64_t id)
{
    id_slot key = {id, 0};
    if (r->n_slots == 0)
        return NULL;
    id_slot *hit = bsearch(&key, r->slots, (size_t)r->n_slots,
                           sizeof *r->slots, by_id);
    return hit ? &r->out->v[hit->index] : NULL;
}

static sqlite3_stmt *range_query(reader *r, hpo__sqlite_stmt_id id)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(r->st, r->s, id);
    if (q) {
        sqlite3_bind_int64(q, 1, r->study_id);
        sqlite3_bind_int64(q, 2, r->min_id);
        sqlite3_bind_int64(q, 3, r->max_id);
    }
    return q;
}

/* Finish a row loop: SQLITE_DONE is success. */
static int loop_end(reader *r, sqlite3_stmt *q, int step_rc, int rc)
{
    if (rc == HPO_OK && step_rc != SQLITE_DONE)
        rc = hpo__sqlite_error(r->st, r->s);
    sqlite3_reset(q);
    return rc;
}

static int no_memory(reader *r)
{
    return hpo__storage_error(r->st, HPO_ENOMEM, "sqlite: out of memory");
}

static int read_trial_rows(reader *r)
{
    sqlite3_stmt *q = range_query(r, HPO__Q_READ_TRIALS);
    if (!q)
        return HPO_ESTORAGE;
    int step = SQLITE_DONE, rc = HPO_OK;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        if (hpo__grow((void **)&r->slots, &r->cap_slots, r->n_slots + 1,
                      sizeof *r->slots) != HPO_OK) {
            rc = no_memory(r);
            break;
        }
        hpo__trial_rec *rec = hpo__list_push(r->out);
        if (!rec) {
            rc = no_memory(r);
            break;
        }
        rec->id = sqlite3_column_int64(q, 0);
        rec->number = sqlite3_column_int(q, 1);
        const char *state = (const char *)sqlite3_column_text(q, 2);
        if (hpo__optuna_state_parse(state, &rec->state) != 0)
            rc = hpo__storage_error(r->st, HPO_ESTORAGE,
                                    "sqlite: %s: trial %lld has unknown "
                                    "state '%s'",
                                    r->s->path, (long long)rec->id,
                                    state ? state : "NULL");
        rec->start_s = hpo__sqlite_column_time(q, 3);
        rec->complete_s = hpo__sqlite_column_time(q, 4);
        r->slots[r->n_slots++] = (id_slot){rec->id, r->out->n - 1};
    }
    rc = loop_end(r, q, step, rc);
    if (r->n_slots > 1)
        qsort(r->slots, (size_t)r->n_slots, sizeof *r->slots, by_id);
    return rc;
}

/* Values arrive ordered by (trial, objective); gather a trial's values
 * and hand them over when the trial changes. */
static int flush_values(reader *r, int64_t id, int n, const double *values)
{
    hpo__trial_rec *rec = n ? find_rec(r, id) : NULL;
    if (rec && hpo__rec_set_values(rec, n, values) != HPO_OK)
        return no_memory(r);
    return HPO_OK;
}

static int read_values(reader *r)
{
    sqlite3_stmt *q = range_query(r, HPO__Q_READ_VALUES);
    if (!q)
        return HPO_ESTORAGE;
    double values[HPO_MAX_OBJECTIVES];
    int64_t current = -1;
    int n = 0, step = SQLITE_DONE, rc = HPO_OK;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        int objective = sqlite3_column_int(q, 1);
        if (id != current) {
            rc = flush_values(r, current, n, values);
            current = id;
            n = 0;
        }
        if (objective < 0 || objective >= HPO_MAX_OBJECTIVES) {
            rc = hpo__storage_error(r->st, HPO_ESTORAGE,
                                    "sqlite: %s: trial %lld has a value for "
                                    "objective %d (hpo handles %d)",
                                    r->s->path, (long long)id, objective,
                                    HPO_MAX_OBJECTIVES);
            break;
        }
        while (n <= objective)
            values[n++] = NAN; /* an objective with no row has no value */
        values[objective] = hpo__optuna_value_decode(
            (const char *)sqlite3_column_text(q, 3),
            sqlite3_column_type(q, 2) == SQLITE_NULL,
            sqlite3_column_double(q, 2));
    }
    rc = loop_end(r, q, step, rc);
    if (rc == HPO_OK)
        rc = flush_values(r, current, n, values);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Distributions                                                              */
/* ------------------------------------------------------------------------- */

/* The parsed distribution of a distribution_json text; NULL after
 * recording the error. */
static const hpo__dist *parse_dist(reader *r, const char *json,
                                   int64_t trial_id, const char *name)
{
    hpo__msg m = {0};
    const hpo__dist *d = hpo__dist_cache_get(&r->s->dists, json, &m);
    if (!d && !m.text)
        no_memory(r);
    else if (!d)
        hpo__storage_error(r->st, HPO_ESTORAGE,
                           "sqlite: %s: trial %lld, parameter '%s': %s",
                           r->s->path, (long long)trial_id, name,
                           hpo__msg_get(&m));
    hpo__msg_free(&m);
    return d;
}

static int read_params(reader *r)
{
    sqlite3_stmt *q = range_query(r, HPO__Q_READ_PARAMS);
    if (!q)
        return HPO_ESTORAGE;
    int step = SQLITE_DONE, rc = HPO_OK;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        const char *json = (const char *)sqlite3_column_text(q, 3);
        hpo__trial_rec *rec = find_rec(r, id);
        if (!rec || !name)
            continue;
        const hpo__dist *d = parse_dist(r, json ? json : "", id, name);
        if (!d)
            rc = HPO_ESTORAGE; /* the message is set */
        else if (hpo__rec_add_param(rec, name, d,
                                    sqlite3_column_double(q, 2)) != HPO_OK)
            rc = no_memory(r);
    }
    return loop_end(r, q, step, rc);
}

static int read_intermediate(reader *r)
{
    sqlite3_stmt *q = range_query(r, HPO__Q_READ_INTER);
    if (!q)
        return HPO_ESTORAGE;
    int step = SQLITE_DONE, rc = HPO_OK;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        hpo__trial_rec *rec = find_rec(r, sqlite3_column_int64(q, 0));
        if (!rec)
            continue;
        double v = hpo__optuna_value_decode(
            (const char *)sqlite3_column_text(q, 3),
            sqlite3_column_type(q, 2) == SQLITE_NULL,
            sqlite3_column_double(q, 2));
        if (hpo__rec_add_inter(rec, sqlite3_column_int64(q, 1), v) < 0)
            rc = no_memory(r);
    }
    return loop_end(r, q, step, rc);
}

static int read_attrs(reader *r, int system)
{
    sqlite3_stmt *q = range_query(
        r, system ? HPO__Q_READ_SYSTEM_ATTRS : HPO__Q_READ_USER_ATTRS);
    if (!q)
        return HPO_ESTORAGE;
    int step = SQLITE_DONE, rc = HPO_OK;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        hpo__trial_rec *rec = find_rec(r, sqlite3_column_int64(q, 0));
        const char *key = (const char *)sqlite3_column_text(q, 1);
        const char *json = (const char *)sqlite3_column_text(q, 2);
        if (!rec || !key)
            continue;
        hpo__attrs *a = system ? &rec->system_attrs : &rec->user_attrs;
        if (hpo__attrs_set(a, key, json ? json : "null") != HPO_OK)
            rc = no_memory(r);
    }
    return loop_end(r, q, step, rc);
}

int hpo__sqlite_read_trials(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                            int64_t min_id, int64_t max_id,
                            hpo__trial_list *out)
{
    reader r = {st, s, study_id, min_id, max_id, out, NULL, 0, 0};
    int first = out->n;
    int rc = read_trial_rows(&r);
    if (rc == HPO_OK && r.n_slots > 0) {
        rc = read_values(&r);
        if (rc == HPO_OK)
            rc = read_params(&r);
        if (rc == HPO_OK)
            rc = read_intermediate(&r);
        if (rc == HPO_OK)
            rc = read_attrs(&r, 0);
        if (rc == HPO_OK)
            rc = read_attrs(&r, 1);
    }
    free(r.slots);
    if (rc != HPO_OK) { /* leave *out as it was */
        while (out->n > first)
            hpo__rec_free(&out->v[--out->n]);
    }
    return rc;
}
