/*
 * sqlite.c — the SQLite storage: studies in a file laid out as Optuna 3.x's
 * RDB schema, so Python Optuna (and its dashboard) opens what hpo writes
 * and hpo continues what Python started.
 *
 * URL: sqlite:///PATH[?optuna=3.1|3.2&timeout=S].  By default a new file is
 * stamped v3.0.0.d, which Optuna 3.0-3.1 (Debian's python3-optuna) opens;
 * ?optuna=3.2 (or 4) stamps v3.2.0.a for Optuna >= 3.2.  An existing file
 * keeps its marker; an unknown marker is refused.  See sqlite_conn.c.
 *
 * How each invariant of storage.h is kept:
 *   1. Every method is one transaction: writes BEGIN IMMEDIATE (taking the
 *      file's write lock up front, waiting up to the busy timeout, so two
 *      writers never deadlock on a lock upgrade), reads a deferred BEGIN
 *      (WAL: a consistent snapshot that never blocks the writer).
 *   2. A trial's number is the count of the study's trials, read inside the
 *      write transaction that inserts it: gapless and unique across
 *      processes, as Python's own (count of earlier trial ids).
 *   3. Every change to a trial first reads its state in the same write
 *      transaction and refuses a finished one (HPO_EFINISHED).
 *   4. claim_waiting selects the oldest WAITING trial and turns it RUNNING
 *      in one write transaction: no other writer runs in between.
 *   5. One connection per handle behind a mutex (sqlite_conn.h).
 *   6. Errors carry SQLite's text and the file name.
 *
 * Encodings (optuna_schema.c): enums by name; ±inf values as NULL plus a
 * type; datetimes as naive local "YYYY-MM-DD HH:MM:SS.ffffff"; heartbeats
 * in the database's clock (UTC, as SQLAlchemy's func.now() on SQLite), so
 * hpo and Python workers judge each other's heartbeats alike.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_conn.h"

/* ------------------------------------------------------------------------- */
/* Small helpers used inside a transaction                                    */
/* ------------------------------------------------------------------------- */


static int no_memory(hpo_storage *st)
{
    return hpo__storage_error(st, HPO_ENOMEM, "sqlite: out of memory");
}

/* HPO_OK if the study exists, HPO_ENOTFOUND if not. */
static int study_exists(hpo_storage *st, hpo__sqlite *s, int64_t study_id)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_STUDY_EXISTS);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return HPO_OK;
    if (rc == SQLITE_DONE)
        return hpo__storage_no_study(st, study_id);
    return hpo__sqlite_error(st, s);
}

/* Read a trial's state, and its study and number unless NULL:
 * HPO_ENOTFOUND if absent.  Messages name a trial by its number, as
 * hpo trials shows it, never by its id. */
static int trial_state_number(hpo_storage *st, hpo__sqlite *s,
                              int64_t trial_id, hpo_trial_state *state,
                              int64_t *study_id, int *number)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_STATE);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, trial_id);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        return rc == SQLITE_DONE ? hpo__storage_no_trial(st, trial_id)
                                 : hpo__sqlite_error(st, s);
    }
    const char *name = (const char *)sqlite3_column_text(q, 0);
    int known = hpo__optuna_state_parse(name, state) == 0;
    int num = sqlite3_column_int(q, 2);
    if (study_id)
        *study_id = sqlite3_column_int64(q, 1);
    if (number)
        *number = num;
    rc = known ? HPO_OK
               : hpo__storage_error(st, HPO_ESTORAGE,
                                    "sqlite: %s: trial %d has unknown "
                                    "state '%s'",
                                    s->path, num, name ? name : "NULL");
    sqlite3_reset(q);
    return rc;
}

static int trial_state(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                       hpo_trial_state *state, int64_t *study_id)
{
    return trial_state_number(st, s, trial_id, state, study_id, NULL);
}

/* A trial that may still change: it exists and is not finished. */
static int trial_open(hpo_storage *st, hpo__sqlite *s, int64_t trial_id)
{
    hpo_trial_state state;
    int number;
    int rc = trial_state_number(st, s, trial_id, &state, NULL, &number);
    if (rc == HPO_OK && hpo__state_finished(state))
        rc = hpo__storage_error(st, HPO_EFINISHED,
                                "trial %d is already finished (%s)", number,
                                hpo__optuna_state_name(state));
    return rc;
}

/* Run a prepared insert/update with a (trial or study) id, a key and a
 * text: the attribute upserts. */
static int put_attr(hpo_storage *st, hpo__sqlite *s, hpo__sqlite_stmt_id id,
                    int64_t owner, const char *key, const char *json)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, id);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, owner);
    hpo__sqlite_bind_text(q, 2, key);
    hpo__sqlite_bind_text(q, 3, json);
    return hpo__sqlite_exec(st, s, q);
}

static int put_param(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                     const hpo__param *p)
{
    char *json = hpo__dist_to_json(&p->dist);
    if (!json)
        return no_memory(st);
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_PARAM_SET);
    int rc = HPO_ESTORAGE;
    if (q) {
        sqlite3_bind_int64(q, 1, trial_id);
        hpo__sqlite_bind_text(q, 2, p->name);
        sqlite3_bind_double(q, 3, p->internal);
        hpo__sqlite_bind_text(q, 4, json);
        rc = hpo__sqlite_exec(st, s, q);
    }
    free(json);
    return rc;
}

static int put_intermediate(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                            int64_t step, double value)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_INTER_SET);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, trial_id);
    sqlite3_bind_int64(q, 2, step);
    hpo__sqlite_bind_double(q, 3, value);
    hpo__sqlite_bind_text(q, 4, hpo__optuna_value_type(value));
    return hpo__sqlite_exec(st, s, q);
}

/* Objective values: trial_values has no NAN type, so NaN is refused. */
static int put_values(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                      int n, const double *values)
{
    for (int i = 0; i < n; i++) {
        if (isnan(values[i]))
            return hpo__storage_error(st, HPO_EINVAL,
                                      "NaN is never stored as a value");
        sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_VALUE_SET);
        if (!q)
            return HPO_ESTORAGE;
        sqlite3_bind_int64(q, 1, trial_id);
        sqlite3_bind_int(q, 2, i);
        hpo__sqlite_bind_double(q, 3, values[i]);
        hpo__sqlite_bind_text(q, 4, hpo__optuna_value_type(values[i]));
        int rc = hpo__sqlite_exec(st, s, q);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

/* ------------------------------------------------------------------------- */
/* Open and close                                                             */
/* ------------------------------------------------------------------------- */

static int sql_open(hpo_storage *st, void *state, const char *url)
{
    int rc = hpo__sqlite_open(st, state, url);
    if (rc != HPO_OK) /* the core frees a failed state without close */
        hpo__sqlite_close(state);
    return rc;
}

static void sql_close(void *state)
{
    hpo__sqlite_close(state);
}

/* ------------------------------------------------------------------------- */
/* Studies                                                                    */
/* ------------------------------------------------------------------------- */

static int study_id_by_name(hpo_storage *st, hpo__sqlite *s, const char *name,
                            int64_t *id)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_STUDY_ID_BY_NAME);
    if (!q)
        return HPO_ESTORAGE;
    hpo__sqlite_bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (rc == SQLITE_DONE)
        return hpo__storage_error(st, HPO_ENOTFOUND, "no study named '%s'",
                                  name);
    return rc == SQLITE_ROW ? HPO_OK : hpo__sqlite_error(st, s);
}

static int create_study_tx(hpo_storage *st, hpo__sqlite *s, const char *name,
                           int n_dirs, const hpo_direction *dirs, int64_t *id)
{
    int64_t existing;
    int rc = study_id_by_name(st, s, name, &existing);
    if (rc == HPO_OK)
        return hpo__storage_error(st, HPO_EEXIST, "study '%s' already exists",
                                  name);
    if (rc != HPO_ENOTFOUND)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_STUDY_INSERT);
    if (!q)
        return HPO_ESTORAGE;
    hpo__sqlite_bind_text(q, 1, name);
    if ((rc = hpo__sqlite_exec(st, s, q)) != HPO_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(s->db);
    for (int i = 0; i < n_dirs; i++) {
        const char *dir = hpo__optuna_direction_name(dirs[i]);
        if (!dir)
            return hpo__storage_error(st, HPO_EINVAL,
                                      "direction %d is neither minimize nor "
                                      "maximize",
                                      (int)dirs[i]);
        if (!(q = hpo__sqlite_stmt(st, s, HPO__Q_DIRECTION_INSERT)))
            return HPO_ESTORAGE;
        sqlite3_bind_text(q, 1, dir, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, *id);
        sqlite3_bind_int(q, 3, i);
        if ((rc = hpo__sqlite_exec(st, s, q)) != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

static int sql_create_study(hpo_storage *st, void *state, const char *name,
                            int n_dirs, const hpo_direction *dirs,
                            int64_t *study_id)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(
        st, s, create_study_tx(st, s, name, n_dirs, dirs, study_id));
}

/* Fill info's directions from study_directions. */
static int read_directions(hpo_storage *st, hpo__sqlite *s,
                           hpo__study_info *info)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_DIRECTIONS_OF);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, info->id);
    int step, rc = HPO_OK;
    info->n_directions = 0;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        int objective = sqlite3_column_int(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        if (objective < 0 || objective >= HPO_MAX_OBJECTIVES ||
            hpo__optuna_direction_parse(name,
                                        &info->directions[objective]) != 0)
            rc = hpo__storage_error(st, HPO_ESTORAGE,
                                    "sqlite: %s: study '%s' has direction "
                                    "'%s' for objective %d",
                                    s->path, info->name,
                                    name ? name : "NULL", objective);
        else if (objective >= info->n_directions)
            info->n_directions = objective + 1;
    }
    if (rc == HPO_OK && step != SQLITE_DONE)
        rc = hpo__sqlite_error(st, s);
    sqlite3_reset(q);
    return rc;
}

static int count_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id, int *n)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_COUNT);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int(q, 0);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? HPO_OK : hpo__sqlite_error(st, s);
}

/* The next trial number of the study: 0 for the first. */
static int next_number_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                          int *n)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_NEXT);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HPO_OK
                                                 : hpo__sqlite_error(st, s);
}

static int find_study_tx(hpo_storage *st, hpo__sqlite *s, const char *name,
                         hpo__study_info *info)
{
    int rc = study_id_by_name(st, s, name, &info->id);
    if (rc != HPO_OK)
        return rc;
    if (!(info->name = hpo__strdup(name)))
        return no_memory(st);
    rc = read_directions(st, s, info);
    if (rc == HPO_OK)
        rc = count_tx(st, s, info->id, &info->n_trials);
    return rc;
}

static int sql_find_study(hpo_storage *st, void *state, const char *name,
                          hpo__study_info *info)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    rc = hpo__sqlite_end(st, s, find_study_tx(st, s, name, info));
    if (rc != HPO_OK) {
        hpo__study_info_free(info, 1);
        info->name = NULL;
    }
    return rc;
}

/* Directions of every study, joined onto the listed ones by id (both are
 * ordered by study id). */
static int list_directions(hpo_storage *st, hpo__sqlite *s,
                           hpo__study_info *v, int n)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_DIRECTIONS_ALL);
    if (!q)
        return HPO_ESTORAGE;
    int i = 0, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        int objective = sqlite3_column_int(q, 1);
        while (i < n && v[i].id < id)
            i++;
        hpo_direction d;
        if (i == n || v[i].id != id || objective < 0 ||
            objective >= HPO_MAX_OBJECTIVES ||
            hpo__optuna_direction_parse(
                (const char *)sqlite3_column_text(q, 2), &d) != 0)
            continue; /* find_study reports a bad row when it matters */
        v[i].directions[objective] = d;
        if (objective >= v[i].n_directions)
            v[i].n_directions = objective + 1;
    }
    sqlite3_reset(q);
    return step == SQLITE_DONE ? HPO_OK : hpo__sqlite_error(st, s);
}

static int list_tx(hpo_storage *st, hpo__sqlite *s, hpo__study_info **out,
                   int *n)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_STUDY_LIST);
    if (!q)
        return HPO_ESTORAGE;
    int cap = 0, step, rc = HPO_OK;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        if (hpo__grow((void **)out, &cap, *n + 1, sizeof **out) != HPO_OK) {
            rc = no_memory(st);
            break;
        }
        hpo__study_info *info = &(*out)[*n];
        memset(info, 0, sizeof *info);
        info->id = sqlite3_column_int64(q, 0);
        info->name = hpo__strdup((const char *)sqlite3_column_text(q, 1));
        info->n_trials = sqlite3_column_int(q, 2);
        (*n)++;
        if (!info->name)
            rc = no_memory(st);
    }
    if (rc == HPO_OK && step != SQLITE_DONE)
        rc = hpo__sqlite_error(st, s);
    sqlite3_reset(q);
    if (rc == HPO_OK)
        rc = list_directions(st, s, *out, *n);
    return rc;
}

static int sql_list_studies(hpo_storage *st, void *state,
                            hpo__study_info **out, int *n)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    rc = hpo__sqlite_end(st, s, list_tx(st, s, out, n));
    if (rc != HPO_OK) {
        hpo__study_info_free(*out, *n);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static int delete_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id)
{
    /* Children first: foreign keys are enforced. */
    static const hpo__sqlite_stmt_id order[] = {
        HPO__Q_DEL_PARAMS,       HPO__Q_DEL_VALUES,     HPO__Q_DEL_INTER,
        HPO__Q_DEL_TRIAL_USER,   HPO__Q_DEL_TRIAL_SYSTEM,
        HPO__Q_DEL_HEARTBEATS,   HPO__Q_DEL_TRIALS,     HPO__Q_DEL_DIRECTIONS,
        HPO__Q_DEL_STUDY_USER,   HPO__Q_DEL_STUDY_SYSTEM, HPO__Q_DEL_STUDY,
    };
    int rc = study_exists(st, s, study_id);
    for (size_t i = 0; rc == HPO_OK && i < sizeof order / sizeof *order; i++) {
        sqlite3_stmt *q = hpo__sqlite_stmt(st, s, order[i]);
        if (!q)
            return HPO_ESTORAGE;
        sqlite3_bind_int64(q, 1, study_id);
        rc = hpo__sqlite_exec(st, s, q);
    }
    return rc;
}

static int sql_delete_study(hpo_storage *st, void *state, int64_t study_id)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s, delete_tx(st, s, study_id));
}

static int sql_set_study_attr(hpo_storage *st, void *state, int64_t study_id,
                              int system, const char *key, const char *json)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    rc = study_exists(st, s, study_id);
    if (rc == HPO_OK)
        rc = put_attr(st, s,
                      system ? HPO__Q_STUDY_SYSTEM_SET : HPO__Q_STUDY_USER_SET,
                      study_id, key, json);
    return hpo__sqlite_end(st, s, rc);
}

/* One conditional statement; whether it changed a row tells who won. */
static int cas_attr_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                       const char *key, const char *expected, const char *json)
{
    int rc = study_exists(st, s, study_id);
    if (rc != HPO_OK)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(
        st, s, expected ? HPO__Q_STUDY_SYSTEM_SWAP : HPO__Q_STUDY_SYSTEM_ADD);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    hpo__sqlite_bind_text(q, 2, key);
    hpo__sqlite_bind_text(q, 3, json);
    if (expected)
        hpo__sqlite_bind_text(q, 4, expected);
    rc = hpo__sqlite_exec(st, s, q);
    if (rc != HPO_OK)
        return rc;
    return sqlite3_changes(s->db) == 1 ? HPO_OK : HPO_DONE;
}

static int sql_cas_study_sys_attr(hpo_storage *st, void *state,
                                  int64_t study_id, const char *key,
                                  const char *expected, const char *json)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s,
                           cas_attr_tx(st, s, study_id, key, expected, json));
}

static int study_attrs_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                          int system, hpo__attrs *out)
{
    int rc = study_exists(st, s, study_id);
    if (rc != HPO_OK)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(
        st, s, system ? HPO__Q_STUDY_SYSTEM_GET : HPO__Q_STUDY_USER_GET);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    int step;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(q, 0);
        const char *json = (const char *)sqlite3_column_text(q, 1);
        if (key && hpo__attrs_set(out, key, json ? json : "null") != HPO_OK)
            rc = no_memory(st);
    }
    if (rc == HPO_OK && step != SQLITE_DONE)
        rc = hpo__sqlite_error(st, s);
    sqlite3_reset(q);
    return rc;
}

static int sql_get_study_attrs(hpo_storage *st, void *state, int64_t study_id,
                               int system, hpo__attrs *out)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s,
                           study_attrs_tx(st, s, study_id, system, out));
}

/* ------------------------------------------------------------------------- */
/* Trials                                                                     */
/* ------------------------------------------------------------------------- */

static int insert_trial_row(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                            const hpo__trial_rec *t, int number, int64_t *id)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_INSERT);
    if (!q)
        return HPO_ESTORAGE;
    /* A RUNNING trial starts now; a WAITING one has not started (Optuna
     * leaves its datetime_start NULL until a worker claims it). */
    double start = t->start_s;
    if (t->state == HPO_RUNNING && !isfinite(start))
        start = hpo__now();
    if (t->state == HPO_WAITING)
        start = NAN;
    sqlite3_bind_int(q, 1, number);
    sqlite3_bind_int64(q, 2, study_id);
    hpo__sqlite_bind_text(q, 3, hpo__optuna_state_name(t->state));
    hpo__sqlite_bind_time(q, 4, start);
    hpo__sqlite_bind_time(q, 5, t->complete_s);
    int rc = hpo__sqlite_exec(st, s, q);
    if (rc == HPO_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* Record a heartbeat of trial_id now, inside the caller's transaction. */
static int put_heartbeat(hpo_storage *st, hpo__sqlite *s, int64_t trial_id)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_HEARTBEAT);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, trial_id);
    return hpo__sqlite_exec(st, s, q);
}

static int create_trial_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                           const hpo__trial_rec *t, int64_t *id, int *number)
{
    int rc = study_exists(st, s, study_id);
    if (rc == HPO_OK)
        rc = next_number_tx(st, s, study_id, number);
    if (rc == HPO_OK)
        rc = insert_trial_row(st, s, study_id, t, *number, id);
    for (int i = 0; rc == HPO_OK && i < t->n_params; i++)
        rc = put_param(st, s, *id, &t->params[i]);
    for (int i = 0; rc == HPO_OK && i < t->n_inter; i++)
        rc = put_intermediate(st, s, *id, t->inter[i].step,
                              t->inter[i].value);
    if (rc == HPO_OK)
        rc = put_values(st, s, *id, t->n_values, t->values);
    for (int i = 0; rc == HPO_OK && i < t->user_attrs.n; i++)
        rc = put_attr(st, s, HPO__Q_TRIAL_USER_SET, *id,
                      t->user_attrs.v[i].key, t->user_attrs.v[i].json);
    for (int i = 0; rc == HPO_OK && i < t->system_attrs.n; i++)
        rc = put_attr(st, s, HPO__Q_TRIAL_SYSTEM_SET, *id,
                      t->system_attrs.v[i].key, t->system_attrs.v[i].json);
    if (rc == HPO_OK && t->beat && t->state == HPO_RUNNING)
        rc = put_heartbeat(st, s, *id);
    return rc;
}

static int sql_create_trial(hpo_storage *st, void *state, int64_t study_id,
                            const hpo__trial_rec *tmpl, int64_t *trial_id,
                            int *number)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(
        st, s, tmpl->state == HPO_RUNNING ? HPO__SQLITE_WRITE
                                          : HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(
        st, s, create_trial_tx(st, s, study_id, tmpl, trial_id, number));
}

static int sql_create_trials(hpo_storage *st, void *state, int64_t study_id,
                             const hpo__trial_rec *tmpls, int n,
                             int64_t *trial_ids, int *numbers)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_WRITE);
    if (rc != HPO_OK)
        return rc;
    for (int i = 0; i < n && rc == HPO_OK; i++)
        rc = create_trial_tx(st, s, study_id, &tmpls[i], &trial_ids[i],
                             &numbers[i]);
    rc = hpo__sqlite_end(st, s, rc);
    if (rc != HPO_OK) /* rolled back: none of them exists */
        for (int i = 0; i < n; i++)
            trial_ids[i] = 0;
    return rc;
}

static int claim_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                    int beat, int64_t *trial_id)
{
    int rc = study_exists(st, s, study_id);
    if (rc != HPO_OK)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_OLDEST_WAITING);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        *trial_id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (step == SQLITE_DONE)
        return HPO_DONE;
    if (step != SQLITE_ROW)
        return hpo__sqlite_error(st, s);
    if (!(q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_START)))
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, *trial_id);
    hpo__sqlite_bind_time(q, 2, hpo__now());
    rc = hpo__sqlite_exec(st, s, q);
    if (rc == HPO_OK && beat)
        rc = put_heartbeat(st, s, *trial_id);
    return rc;
}

static int sql_claim_waiting(hpo_storage *st, void *state, int64_t study_id,
                             int beat, int64_t *trial_id)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 1);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s, claim_tx(st, s, study_id, beat, trial_id));
}

static int claim_trial_tx(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                          int beat)
{
    hpo_trial_state state;
    int rc = trial_state(st, s, trial_id, &state, NULL);
    if (rc != HPO_OK)
        return rc;
    if (state != HPO_WAITING)
        return HPO_DONE;
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_START);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, trial_id);
    hpo__sqlite_bind_time(q, 2, hpo__now());
    rc = hpo__sqlite_exec(st, s, q);
    if (rc == HPO_OK && beat)
        rc = put_heartbeat(st, s, trial_id);
    return rc;
}

static int sql_claim_trial(hpo_storage *st, void *state, int64_t trial_id,
                           int beat)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 1);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s, claim_trial_tx(st, s, trial_id, beat));
}

static int sql_set_param(hpo_storage *st, void *state, int64_t trial_id,
                         const hpo__param *p)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 1);
    if (rc != HPO_OK)
        return rc;
    rc = trial_open(st, s, trial_id);
    if (rc == HPO_OK)
        rc = put_param(st, s, trial_id, p);
    return hpo__sqlite_end(st, s, rc);
}

static int sql_set_intermediate(hpo_storage *st, void *state, int64_t trial_id,
                                int64_t step, double value)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 1);
    if (rc != HPO_OK)
        return rc;
    rc = trial_open(st, s, trial_id);
    if (rc == HPO_OK)
        rc = put_intermediate(st, s, trial_id, step, value);
    return hpo__sqlite_end(st, s, rc);
}

static int sql_set_trial_attr(hpo_storage *st, void *state, int64_t trial_id,
                              int system, const char *key, const char *json)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 1);
    if (rc != HPO_OK)
        return rc;
    rc = trial_open(st, s, trial_id);
    if (rc == HPO_OK)
        rc = put_attr(st, s,
                      system ? HPO__Q_TRIAL_SYSTEM_SET : HPO__Q_TRIAL_USER_SET,
                      trial_id, key, json);
    return hpo__sqlite_end(st, s, rc);
}

static int finish_tx(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                     hpo_trial_state final_state, int n, const double *values)
{
    int rc = trial_open(st, s, trial_id);
    if (rc == HPO_OK)
        rc = put_values(st, s, trial_id, n, values);
    if (rc != HPO_OK)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_TRIAL_FINISH);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, trial_id);
    hpo__sqlite_bind_text(q, 2, hpo__optuna_state_name(final_state));
    hpo__sqlite_bind_time(q, 3, hpo__now());
    return hpo__sqlite_exec(st, s, q);
}

static int sql_finish_trial(hpo_storage *st, void *state, int64_t trial_id,
                            hpo_trial_state final_state, int n,
                            const double *values)
{
    hpo__sqlite *s = state;
    if (!hpo__state_finished(final_state))
        return hpo__storage_error(st, HPO_EINVAL,
                                  "a trial finishes COMPLETE, PRUNED or FAIL");
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(
        st, s, finish_tx(st, s, trial_id, final_state, n, values));
}

static int sql_finish_trial_attrs(hpo_storage *st, void *state,
                                  int64_t trial_id, hpo_trial_state final_state,
                                  int n, const double *values,
                                  const hpo__attrs *attrs)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, HPO__SQLITE_DURABLE);
    if (rc != HPO_OK)
        return rc;
    rc = trial_open(st, s, trial_id); /* a finished trial takes no attrs */
    for (int i = 0; i < attrs->n && rc == HPO_OK; i++)
        rc = put_attr(st, s, HPO__Q_TRIAL_USER_SET, trial_id, attrs->v[i].key,
                      attrs->v[i].json);
    if (rc == HPO_OK)
        rc = finish_tx(st, s, trial_id, final_state, n, values);
    return hpo__sqlite_end(st, s, rc);
}

static int get_trial_tx(hpo_storage *st, hpo__sqlite *s, int64_t trial_id,
                        hpo__trial_rec *out)
{
    hpo_trial_state state;
    int64_t study_id;
    hpo__trial_list one = {0};
    int rc = trial_state(st, s, trial_id, &state, &study_id);
    if (rc == HPO_OK)
        rc = hpo__sqlite_read_trials(st, s, study_id, trial_id, trial_id,
                                     &one);
    if (rc == HPO_OK && one.n != 1)
        rc = hpo__storage_no_trial(st, trial_id);
    if (rc == HPO_OK) { /* move the record: no copy */
        hpo__rec_free(out);
        *out = one.v[0];
        one.n = 0;
    }
    hpo__list_free(&one);
    return rc;
}

static int sql_get_trial(hpo_storage *st, void *state, int64_t trial_id,
                         hpo__trial_rec *out)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s, get_trial_tx(st, s, trial_id, out));
}

static int sql_get_trials(hpo_storage *st, void *state, int64_t study_id,
                          int64_t min_trial_id, hpo__trial_list *out)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    rc = study_exists(st, s, study_id);
    if (rc == HPO_OK)
        rc = hpo__sqlite_read_trials(st, s, study_id, min_trial_id, INT64_MAX,
                                     out);
    return hpo__sqlite_end(st, s, rc);
}

static int sql_count_trials(hpo_storage *st, void *state, int64_t study_id,
                            int *n)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    rc = study_exists(st, s, study_id);
    if (rc == HPO_OK)
        rc = count_tx(st, s, study_id, n);
    return hpo__sqlite_end(st, s, rc);
}

/* ------------------------------------------------------------------------- */
/* Liveness                                                                   */
/* ------------------------------------------------------------------------- */

static int sql_heartbeat(hpo_storage *st, void *state, int64_t trial_id)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 1);
    if (rc != HPO_OK)
        return rc;
    hpo_trial_state ts;
    rc = trial_state(st, s, trial_id, &ts, NULL);
    if (rc == HPO_OK)
        rc = put_heartbeat(st, s, trial_id);
    return hpo__sqlite_end(st, s, rc);
}

static int stale_tx(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                    double grace_s, int64_t **ids, int *n)
{
    int rc = study_exists(st, s, study_id);
    if (rc != HPO_OK)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_STALE);
    if (!q)
        return HPO_ESTORAGE;
    sqlite3_bind_int64(q, 1, study_id);
    sqlite3_bind_double(q, 2, grace_s);
    int cap = 0, step;
    while (rc == HPO_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        if (hpo__grow((void **)ids, &cap, *n + 1, sizeof **ids) != HPO_OK)
            rc = no_memory(st);
        else
            (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    }
    if (rc == HPO_OK && step != SQLITE_DONE)
        rc = hpo__sqlite_error(st, s);
    sqlite3_reset(q);
    return rc;
}

static int sql_stale_trials(hpo_storage *st, void *state, int64_t study_id,
                            double grace_s, int64_t **ids, int *n)
{
    hpo__sqlite *s = state;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    rc = hpo__sqlite_end(st, s, stale_tx(st, s, study_id, grace_s, ids, n));
    if (rc != HPO_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

const hpo__storage_type hpo__storage_sqlite = {
    .version = HPO__STORAGE_VERSION,
    .scheme = "sqlite",
    .state_size = sizeof(hpo__sqlite),
    .open = sql_open,
    .close = sql_close,
    .create_study = sql_create_study,
    .find_study = sql_find_study,
    .list_studies = sql_list_studies,
    .delete_study = sql_delete_study,
    .set_study_attr = sql_set_study_attr,
    .get_study_attrs = sql_get_study_attrs,
    .create_trial = sql_create_trial,
    .claim_waiting = sql_claim_waiting,
    .set_param = sql_set_param,
    .set_intermediate = sql_set_intermediate,
    .set_trial_attr = sql_set_trial_attr,
    .finish_trial = sql_finish_trial,
    .get_trial = sql_get_trial,
    .get_trials = sql_get_trials,
    .count_trials = sql_count_trials,
    .heartbeat = sql_heartbeat,
    .stale_trials = sql_stale_trials,
    .claim_trial = sql_claim_trial,
    .cas_study_sys_attr = sql_cas_study_sys_attr,
    .finish_trial_attrs = sql_finish_trial_attrs,
    .create_trials = sql_create_trials,
};
