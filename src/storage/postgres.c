/*
 * postgres.c — the PostgreSQL storage: studies in a database laid out as
 * Optuna 3.x's RDB schema (native enum types, SERIAL keys, double
 * precision, timestamp without time zone), so Python Optuna opens what hpo
 * writes and hpo continues what Python started — from many machines.
 *
 * URL: postgresql://USER[:PASS]@HOST[:PORT]/DB[?optuna=3.1|3.2&libpq...]
 * (or postgres://); see postgres_conn.c.
 *
 * How each invariant of storage.h is kept:
 *   1. Every method is one transaction (hpo__pg_transact): writes READ
 *      COMMITTED with row locks, reads REPEATABLE READ READ ONLY (one
 *      snapshot for all the queries of a read).
 *   2. create_trial locks the study row (SELECT ... FOR UPDATE), counts the
 *      study's trials and inserts, as Python Optuna does: creators of one
 *      study queue on that lock, and each counts what the previous one
 *      committed, so numbers are gapless and unique across machines.
 *   3. Every change to a trial first locks its row (FOR NO KEY UPDATE) and
 *      reads its state: a finished trial is refused (HPO_EFINISHED), and no
 *      finish can slip in between the check and the write.
 *   4. claim_waiting takes the oldest WAITING row FOR UPDATE SKIP LOCKED:
 *      racing workers each lock a different row, or none.
 *   5. One connection per handle behind a mutex (postgres_conn.h).
 *   6. Errors carry PostgreSQL's text and user@host:port/db.
 *
 * A lost connection (server restart, network) is reconnected and the
 * transaction run again (postgres_conn.c).  When the connection broke
 * while COMMIT was on its way, a write is not simply run again — that
 * could apply it twice — but checked first: each non-idempotent method
 * has a `verify` that reads whether its commit happened (finish_trial: is
 * the trial finished in the state we set?  create_trial: does the trial id
 * we inserted exist?).  So a worker never reports a trial finished that is
 * not stored, and never stores one twice.
 *
 * Encodings (optuna_schema.c): enums by name; ±inf values as NULL plus a
 * type; datetimes as naive local time; heartbeats in the server's clock
 * (LOCALTIMESTAMP, what SQLAlchemy's func.now() stores in a timestamp
 * without time zone), so hpo and Python workers judge heartbeats alike.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postgres_conn.h"

/* Ids are int4 columns: one outside that range names nothing (and would
 * make PostgreSQL fail on the parameter instead of finding no row). */
static int id_in_range(int64_t id)
{
    return id >= 0 && id <= INT32_MAX;
}

#define INT4_MAX_ID ((int64_t)INT32_MAX)

/* ------------------------------------------------------------------------- */
/* Small helpers used inside a transaction                                    */
/* ------------------------------------------------------------------------- */

/* Run a statement with one id argument; its result or NULL. */
static PGresult *by_id(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                       int64_t value)
{
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, value);
    return hpo__pg_exec(st, p, id, &a);
}

/* HPO_OK if the statement (by study id) finds a row, HPO_ENOTFOUND if not. */
static int study_row(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                     int64_t study_id)
{
    if (!id_in_range(study_id))
        return hpo__storage_no_study(st, study_id);
    PGresult *r = by_id(st, p, id, study_id);
    if (!r)
        return HPO_ESTORAGE;
    int found = PQntuples(r) > 0;
    PQclear(r);
    return found ? HPO_OK : hpo__storage_no_study(st, study_id);
}

static int study_exists(hpo_storage *st, hpo__pg *p, int64_t study_id)
{
    return study_row(st, p, HPO__PGQ_STUDY_EXISTS, study_id);
}

/* Read (and with `lock`, lock) a trial's row: state, study and number. */
static int trial_row(hpo_storage *st, hpo__pg *p, int64_t trial_id, int lock,
                     hpo_trial_state *state, int64_t *study_id, int *number)
{
    if (!id_in_range(trial_id))
        return hpo__storage_no_trial(st, trial_id);
    PGresult *r = by_id(st, p, lock ? HPO__PGQ_TRIAL_LOCK : HPO__PGQ_TRIAL_STATE,
                        trial_id);
    if (!r)
        return HPO_ESTORAGE;
    int rc = HPO_OK;
    if (PQntuples(r) == 0) {
        rc = hpo__storage_no_trial(st, trial_id);
    } else if (hpo__optuna_state_parse(hpo__pg_text(r, 0, 0), state) != 0) {
        const char *name = hpo__pg_text(r, 0, 0);
        rc = hpo__storage_error(st, HPO_ESTORAGE,
                                "postgresql: %s: trial %lld has unknown "
                                "state '%s'",
                                p->where, (long long)hpo__pg_int(r, 0, 2),
                                name ? name : "NULL");
    } else {
        if (study_id)
            *study_id = hpo__pg_int(r, 0, 1);
        if (number)
            *number = (int)hpo__pg_int(r, 0, 2);
    }
    PQclear(r);
    return rc;
}

/* Messages name a trial by its number, as hpo trials shows it. */
static int already_finished(hpo_storage *st, int number, hpo_trial_state state)
{
    return hpo__storage_error(st, HPO_EFINISHED,
                              "trial %d is already finished (%s)", number,
                              hpo__optuna_state_name(state));
}

/* Lock a trial that may still change: it exists and is not finished. */
static int trial_open(hpo_storage *st, hpo__pg *p, int64_t trial_id)
{
    hpo_trial_state state;
    int number = -1;
    int rc = trial_row(st, p, trial_id, 1, &state, NULL, &number);
    if (rc == HPO_OK && hpo__state_finished(state))
        rc = already_finished(st, number, state);
    return rc;
}

static int put_attr(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                    int64_t owner, const char *key, const char *json)
{
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, owner);
    hpo__pg_arg_text(&a, key);
    hpo__pg_arg_text(&a, json);
    return hpo__pg_run_stmt(st, p, id, &a);
}

static int put_param(hpo_storage *st, hpo__pg *p, int64_t trial_id,
                     const hpo__param *prm)
{
    char *json = hpo__dist_to_json(&prm->dist);
    if (!json)
        return hpo__pg_no_memory(st);
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, trial_id);
    hpo__pg_arg_text(&a, prm->name);
    hpo__pg_arg_double(&a, prm->internal);
    hpo__pg_arg_text(&a, json);
    int rc = hpo__pg_run_stmt(st, p, HPO__PGQ_PARAM_SET, &a);
    free(json);
    return rc;
}

static int put_intermediate(hpo_storage *st, hpo__pg *p, int64_t trial_id,
                            int64_t step, double value)
{
    if (step < INT32_MIN || step > INT32_MAX)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "step %lld does not fit Optuna's integer "
                                  "column",
                                  (long long)step);
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, trial_id);
    hpo__pg_arg_id(&a, step);
    hpo__pg_arg_double(&a, value);
    hpo__pg_arg_text(&a, hpo__optuna_value_type(value));
    return hpo__pg_run_stmt(st, p, HPO__PGQ_INTER_SET, &a);
}

/* Objective values: trial_values has no NAN type, so NaN is refused. */
static int put_values(hpo_storage *st, hpo__pg *p, int64_t trial_id, int n,
                      const double *values)
{
    for (int i = 0; i < n; i++) {
        if (isnan(values[i]))
            return hpo__storage_error(st, HPO_EINVAL,
                                      "NaN is never stored as a value");
        hpo__pg_args a = {0};
        hpo__pg_arg_id(&a, trial_id);
        hpo__pg_arg_id(&a, i);
        hpo__pg_arg_double(&a, values[i]);
        hpo__pg_arg_text(&a, hpo__optuna_value_type(values[i]));
        int rc = hpo__pg_run_stmt(st, p, HPO__PGQ_VALUE_SET, &a);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

/* Run a body in one transaction; verify NULL: it is idempotent. */
static int transact(hpo_storage *st, void *state, int write,
                    int (*body)(hpo_storage *, hpo__pg *, void *),
                    int (*verify)(hpo_storage *, hpo__pg *, void *), void *arg)
{
    hpo__pg_tx tx = {write, body, verify, arg};
    return hpo__pg_transact(st, state, &tx);
}

/* ------------------------------------------------------------------------- */
/* Open and close                                                             */
/* ------------------------------------------------------------------------- */

static int pg_open(hpo_storage *st, void *state, const char *url)
{
    int rc = hpo__pg_open(st, state, url);
    if (rc != HPO_OK) /* the core frees a failed state without close */
        hpo__pg_close(state);
    return rc;
}

static void pg_close(void *state)
{
    hpo__pg_close(state);
}

/* ------------------------------------------------------------------------- */
/* Studies                                                                    */
/* ------------------------------------------------------------------------- */

typedef struct study_arg {
    const char *name;
    int n_dirs;
    const hpo_direction *dirs;
    int64_t id;
} study_arg;

/* The id of the study named a->name: HPO_ENOTFOUND if none. */
static int study_id_by_name(hpo_storage *st, hpo__pg *p, const char *name,
                            int64_t *id)
{
    hpo__pg_args a = {0};
    hpo__pg_arg_text(&a, name);
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_STUDY_ID_BY_NAME, &a);
    if (!r)
        return HPO_ESTORAGE;
    int found = PQntuples(r) > 0;
    if (found)
        *id = hpo__pg_int(r, 0, 0);
    PQclear(r);
    return found ? HPO_OK
                 : hpo__storage_error(st, HPO_ENOTFOUND,
                                      "no study named '%s'", name);
}

static int study_taken(hpo_storage *st, const char *name)
{
    return hpo__storage_error(st, HPO_EEXIST, "study '%s' already exists",
                              name);
}

static int insert_directions(hpo_storage *st, hpo__pg *p, const study_arg *s)
{
    for (int i = 0; i < s->n_dirs; i++) {
        const char *dir = hpo__optuna_direction_name(s->dirs[i]);
        if (!dir)
            return hpo__storage_error(st, HPO_EINVAL,
                                      "direction %d is neither minimize nor "
                                      "maximize",
                                      (int)s->dirs[i]);
        hpo__pg_args a = {0};
        hpo__pg_arg_text(&a, dir);
        hpo__pg_arg_id(&a, s->id);
        hpo__pg_arg_id(&a, i);
        if (hpo__pg_run_stmt(st, p, HPO__PGQ_DIRECTION_INSERT, &a) != HPO_OK)
            return HPO_ESTORAGE;
    }
    return HPO_OK;
}

static int create_study_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    study_arg *s = arg;
    int64_t existing;
    s->id = 0;
    int rc = study_id_by_name(st, p, s->name, &existing);
    if (rc == HPO_OK)
        return study_taken(st, s->name);
    if (rc != HPO_ENOTFOUND)
        return rc;
    hpo__pg_args a = {0};
    hpo__pg_arg_text(&a, s->name);
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_STUDY_INSERT, &a);
    if (!r) /* another worker created it since we looked */
        return strcmp(p->sqlstate, "23505") == 0 ? study_taken(st, s->name)
                                                 : HPO_ESTORAGE;
    s->id = hpo__pg_int(r, 0, 0);
    PQclear(r);
    return insert_directions(st, p, s);
}

/* After an unknown COMMIT: is our study (by name and id) there? */
static int create_study_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    study_arg *s = arg;
    int64_t id;
    int rc = study_id_by_name(st, p, s->name, &id);
    if (rc == HPO_ENOTFOUND)
        return HPO__PG_RERUN;
    if (rc != HPO_OK)
        return rc;
    return id == s->id ? HPO_OK : HPO__PG_RERUN;
}

static int pg_create_study(hpo_storage *st, void *state, const char *name,
                           int n_dirs, const hpo_direction *dirs,
                           int64_t *study_id)
{
    study_arg s = {name, n_dirs, dirs, 0};
    int rc = transact(st, state, 1, create_study_body, create_study_verify,
                      &s);
    if (rc == HPO_OK)
        *study_id = s.id;
    return rc;
}

/* Fill info's directions from study_directions. */
static int read_directions(hpo_storage *st, hpo__pg *p, hpo__study_info *info)
{
    PGresult *r = by_id(st, p, HPO__PGQ_DIRECTIONS_OF, info->id);
    if (!r)
        return HPO_ESTORAGE;
    int rc = HPO_OK;
    info->n_directions = 0;
    for (int i = 0; rc == HPO_OK && i < PQntuples(r); i++) {
        int64_t objective = hpo__pg_int(r, i, 0);
        const char *name = hpo__pg_text(r, i, 1);
        if (objective < 0 || objective >= HPO_MAX_OBJECTIVES ||
            hpo__optuna_direction_parse(name,
                                        &info->directions[objective]) != 0)
            rc = hpo__storage_error(st, HPO_ESTORAGE,
                                    "postgresql: %s: study '%s' has "
                                    "direction '%s' for objective %lld",
                                    p->where, info->name,
                                    name ? name : "NULL",
                                    (long long)objective);
        else if (objective >= info->n_directions)
            info->n_directions = (int)objective + 1;
    }
    PQclear(r);
    return rc;
}

static int count_trials_of(hpo_storage *st, hpo__pg *p, int64_t study_id,
                           int *n)
{
    PGresult *r = by_id(st, p, HPO__PGQ_TRIAL_COUNT, study_id);
    if (!r)
        return HPO_ESTORAGE;
    *n = (int)hpo__pg_int(r, 0, 0);
    PQclear(r);
    return HPO_OK;
}

/* The next trial number of the study: 0 for the first. */
static int next_number_of(hpo_storage *st, hpo__pg *p, int64_t study_id,
                          int *n)
{
    PGresult *r = by_id(st, p, HPO__PGQ_TRIAL_NEXT, study_id);
    if (!r)
        return HPO_ESTORAGE;
    *n = PQntuples(r) ? (int)hpo__pg_int(r, 0, 0) : 0;
    PQclear(r);
    return HPO_OK;
}

typedef struct find_arg {
    const char *name;
    hpo__study_info *info;
} find_arg;

static int find_study_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    find_arg *f = arg;
    hpo__study_info *info = f->info;
    hpo__study_info_free(info, 1);
    memset(info, 0, sizeof *info);
    int rc = study_id_by_name(st, p, f->name, &info->id);
    if (rc != HPO_OK)
        return rc;
    if (!(info->name = hpo__strdup(f->name)))
        return hpo__pg_no_memory(st);
    rc = read_directions(st, p, info);
    if (rc == HPO_OK)
        rc = count_trials_of(st, p, info->id, &info->n_trials);
    return rc;
}

static int pg_find_study(hpo_storage *st, void *state, const char *name,
                         hpo__study_info *info)
{
    find_arg f = {name, info};
    int rc = transact(st, state, 0, find_study_body, NULL, &f);
    if (rc != HPO_OK) {
        hpo__study_info_free(info, 1);
        info->name = NULL;
    }
    return rc;
}

typedef struct list_arg {
    hpo__study_info **out;
    int *n;
} list_arg;

static void list_reset(list_arg *l)
{
    hpo__study_info_free(*l->out, *l->n);
    free(*l->out);
    *l->out = NULL;
    *l->n = 0;
}

/* Directions of every study, joined onto the listed ones by id (both are
 * ordered by study id). */
static int list_directions(hpo_storage *st, hpo__pg *p, hpo__study_info *v,
                           int n)
{
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_DIRECTIONS_ALL, NULL);
    if (!r)
        return HPO_ESTORAGE;
    for (int row = 0, i = 0; row < PQntuples(r); row++) {
        int64_t id = hpo__pg_int(r, row, 0);
        int64_t objective = hpo__pg_int(r, row, 1);
        while (i < n && v[i].id < id)
            i++;
        hpo_direction d;
        if (i == n || v[i].id != id || objective < 0 ||
            objective >= HPO_MAX_OBJECTIVES ||
            hpo__optuna_direction_parse(hpo__pg_text(r, row, 2), &d) != 0)
            continue; /* find_study reports a bad row when it matters */
        v[i].directions[objective] = d;
        if (objective >= v[i].n_directions)
            v[i].n_directions = (int)objective + 1;
    }
    PQclear(r);
    return HPO_OK;
}

static int list_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    list_arg *l = arg;
    list_reset(l);
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_STUDY_LIST, NULL);
    if (!r)
        return HPO_ESTORAGE;
    int rows = PQntuples(r), rc = HPO_OK;
    if (rows > 0 && !(*l->out = calloc((size_t)rows, sizeof **l->out)))
        rc = hpo__pg_no_memory(st);
    for (int i = 0; rc == HPO_OK && i < rows; i++) {
        hpo__study_info *info = &(*l->out)[i];
        info->id = hpo__pg_int(r, i, 0);
        info->name = hpo__strdup(hpo__pg_text(r, i, 1));
        info->n_trials = (int)hpo__pg_int(r, i, 2);
        *l->n = i + 1;
        if (!info->name)
            rc = hpo__pg_no_memory(st);
    }
    PQclear(r);
    if (rc == HPO_OK)
        rc = list_directions(st, p, *l->out, *l->n);
    return rc;
}

static int pg_list_studies(hpo_storage *st, void *state, hpo__study_info **out,
                           int *n)
{
    list_arg l = {out, n};
    int rc = transact(st, state, 0, list_body, NULL, &l);
    if (rc != HPO_OK)
        list_reset(&l);
    return rc;
}

static int delete_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    /* Children first: foreign keys are enforced.  The study row is locked
     * first, so a trial being created meanwhile waits and then finds no
     * study. */
    static const hpo__pg_stmt_id order[] = {
        HPO__PGQ_DEL_PARAMS,       HPO__PGQ_DEL_VALUES,
        HPO__PGQ_DEL_INTER,        HPO__PGQ_DEL_TRIAL_USER,
        HPO__PGQ_DEL_TRIAL_SYSTEM, HPO__PGQ_DEL_HEARTBEATS,
        HPO__PGQ_DEL_TRIALS,       HPO__PGQ_DEL_DIRECTIONS,
        HPO__PGQ_DEL_STUDY_USER,   HPO__PGQ_DEL_STUDY_SYSTEM,
        HPO__PGQ_DEL_STUDY,
    };
    int64_t study_id = *(const int64_t *)arg;
    int rc = study_row(st, p, HPO__PGQ_STUDY_LOCK, study_id);
    for (size_t i = 0; rc == HPO_OK && i < sizeof order / sizeof *order; i++) {
        hpo__pg_args a = {0};
        hpo__pg_arg_id(&a, study_id);
        rc = hpo__pg_run_stmt(st, p, order[i], &a);
    }
    return rc;
}

/* After an unknown COMMIT: a study that is gone was deleted. */
static int delete_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    int rc = study_exists(st, p, *(const int64_t *)arg);
    return rc == HPO_ENOTFOUND ? HPO_OK : rc == HPO_OK ? HPO__PG_RERUN : rc;
}

static int pg_delete_study(hpo_storage *st, void *state, int64_t study_id)
{
    return transact(st, state, 1, delete_body, delete_verify, &study_id);
}

typedef struct attr_arg {
    int64_t owner;
    int system;
    const char *key, *json;
    hpo__attrs got; /* get_study_attrs: read here, handed over at the end */
} attr_arg;

static int set_study_attr_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    attr_arg *a = arg;
    int rc = study_exists(st, p, a->owner);
    if (rc == HPO_OK)
        rc = put_attr(st, p,
                      a->system ? HPO__PGQ_STUDY_SYSTEM_SET
                                : HPO__PGQ_STUDY_USER_SET,
                      a->owner, a->key, a->json);
    return rc;
}

static int pg_set_study_attr(hpo_storage *st, void *state, int64_t study_id,
                             int system, const char *key, const char *json)
{
    attr_arg a = {study_id, system, key, json, {0}};
    return transact(st, state, 1, set_study_attr_body, NULL, &a);
}

typedef struct cas_arg {
    int64_t study_id;
    const char *key, *expected, *json;
    int won; /* what the body answered: HPO_OK or HPO_DONE */
} cas_arg;

/* One conditional statement.  Under READ COMMITTED a racing UPDATE waits
 * for the winner's row lock and then re-checks its WHERE against the new
 * value; a racing INSERT waits on the unique key: the loser changes no
 * row either way. */
static int cas_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    cas_arg *c = arg;
    int rc = study_exists(st, p, c->study_id);
    if (rc != HPO_OK)
        return rc;
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, c->study_id);
    hpo__pg_arg_text(&a, c->key);
    hpo__pg_arg_text(&a, c->json);
    if (c->expected)
        hpo__pg_arg_text(&a, c->expected);
    PGresult *r = hpo__pg_exec(st, p,
                               c->expected ? HPO__PGQ_STUDY_SYSTEM_SWAP
                                           : HPO__PGQ_STUDY_SYSTEM_ADD,
                               &a);
    if (!r)
        return HPO_ESTORAGE;
    c->won = PQntuples(r) == 1 ? HPO_OK : HPO_DONE;
    PQclear(r);
    return c->won;
}

/* After an unknown COMMIT: our value there means ours committed; the
 * expected one still there means it did not.  A third value means another
 * worker wrote after us or instead of us, and which cannot be told: an
 * error rather than a guess, since either wrong answer makes the caller
 * lose or repeat an update.  (Another worker writing the very text we
 * wrote looks like ours: values that name their writer or generation
 * keep that apart.) */
static int cas_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    cas_arg *c = arg;
    if (c->won == HPO_DONE) /* it changed nothing: losing stands */
        return HPO_DONE;
    PGresult *r = by_id(st, p, HPO__PGQ_STUDY_SYSTEM_GET, c->study_id);
    if (!r)
        return HPO_ESTORAGE;
    const char *now = NULL;
    for (int i = 0; !now && i < PQntuples(r); i++) {
        const char *key = hpo__pg_text(r, i, 0);
        if (key && strcmp(key, c->key) == 0)
            now = hpo__pg_text(r, i, 1);
    }
    int ours = now && strcmp(now, c->json) == 0;
    int before = c->expected ? now && strcmp(now, c->expected) == 0 : !now;
    PQclear(r);
    if (ours)
        return HPO_OK;
    if (before)
        return HPO__PG_RERUN;
    return hpo__storage_error(st, HPO_ESTORAGE,
                              "postgresql: %s: the connection was lost while "
                              "committing a compare-and-set of '%s', and the "
                              "value has changed since: whether it was "
                              "applied is unknown",
                              p->where, c->key);
}

static int pg_cas_study_sys_attr(hpo_storage *st, void *state,
                                 int64_t study_id, const char *key,
                                 const char *expected, const char *json)
{
    cas_arg c = {study_id, key, expected, json, HPO_OK};
    return transact(st, state, 1, cas_body, cas_verify, &c);
}

static int study_attrs_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    attr_arg *a = arg;
    hpo__attrs_free(&a->got);
    memset(&a->got, 0, sizeof a->got);
    int rc = study_exists(st, p, a->owner);
    if (rc != HPO_OK)
        return rc;
    PGresult *r = by_id(st, p,
                        a->system ? HPO__PGQ_STUDY_SYSTEM_GET
                                  : HPO__PGQ_STUDY_USER_GET,
                        a->owner);
    if (!r)
        return HPO_ESTORAGE;
    for (int i = 0; rc == HPO_OK && i < PQntuples(r); i++) {
        const char *key = hpo__pg_text(r, i, 0);
        const char *json = hpo__pg_text(r, i, 1);
        if (key && hpo__attrs_set(&a->got, key, json ? json : "null") != HPO_OK)
            rc = hpo__pg_no_memory(st);
    }
    PQclear(r);
    return rc;
}

static int pg_get_study_attrs(hpo_storage *st, void *state, int64_t study_id,
                              int system, hpo__attrs *out)
{
    attr_arg a = {study_id, system, NULL, NULL, {0}};
    int rc = transact(st, state, 0, study_attrs_body, NULL, &a);
    for (int i = 0; rc == HPO_OK && i < a.got.n; i++)
        if (hpo__attrs_set(out, a.got.v[i].key, a.got.v[i].json) != HPO_OK)
            rc = hpo__pg_no_memory(st);
    hpo__attrs_free(&a.got);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Trials                                                                     */
/* ------------------------------------------------------------------------- */

/* Record a heartbeat of trial_id now, inside the caller's transaction. */
static int put_heartbeat(hpo_storage *st, hpo__pg *p, int64_t trial_id)
{
    PGresult *r = by_id(st, p, HPO__PGQ_HEARTBEAT, trial_id);
    PQclear(r);
    return r ? HPO_OK : HPO_ESTORAGE;
}

typedef struct create_arg {
    int64_t study_id;
    const hpo__trial_rec *t;
    int64_t id;
    int number;
} create_arg;

static int insert_trial_row(hpo_storage *st, hpo__pg *p, create_arg *c)
{
    /* A RUNNING trial starts now; a WAITING one has not started (Optuna
     * leaves its datetime_start NULL until a worker claims it). */
    const hpo__trial_rec *t = c->t;
    double start = t->start_s;
    if (t->state == HPO_RUNNING && !isfinite(start))
        start = hpo__now();
    if (t->state == HPO_WAITING)
        start = NAN;
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, c->number);
    hpo__pg_arg_id(&a, c->study_id);
    hpo__pg_arg_text(&a, hpo__optuna_state_name(t->state));
    hpo__pg_arg_time(&a, start);
    hpo__pg_arg_time(&a, t->complete_s);
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_TRIAL_INSERT, &a);
    if (!r)
        return HPO_ESTORAGE;
    c->id = hpo__pg_int(r, 0, 0);
    PQclear(r);
    return HPO_OK;
}

static int trial_contents(hpo_storage *st, hpo__pg *p, int64_t id,
                          const hpo__trial_rec *t)
{
    int rc = HPO_OK;
    for (int i = 0; rc == HPO_OK && i < t->n_params; i++)
        rc = put_param(st, p, id, &t->params[i]);
    for (int i = 0; rc == HPO_OK && i < t->n_inter; i++)
        rc = put_intermediate(st, p, id, t->inter[i].step, t->inter[i].value);
    if (rc == HPO_OK)
        rc = put_values(st, p, id, t->n_values, t->values);
    for (int i = 0; rc == HPO_OK && i < t->user_attrs.n; i++)
        rc = put_attr(st, p, HPO__PGQ_TRIAL_USER_SET, id,
                      t->user_attrs.v[i].key, t->user_attrs.v[i].json);
    for (int i = 0; rc == HPO_OK && i < t->system_attrs.n; i++)
        rc = put_attr(st, p, HPO__PGQ_TRIAL_SYSTEM_SET, id,
                      t->system_attrs.v[i].key, t->system_attrs.v[i].json);
    return rc;
}

static int create_trial_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    create_arg *c = arg;
    c->id = 0;
    /* The lock orders every creator of this study: the count below sees
     * what the previous holder committed. */
    int rc = study_row(st, p, HPO__PGQ_STUDY_LOCK, c->study_id);
    if (rc == HPO_OK)
        rc = next_number_of(st, p, c->study_id, &c->number);
    if (rc == HPO_OK)
        rc = insert_trial_row(st, p, c);
    if (rc == HPO_OK)
        rc = trial_contents(st, p, c->id, c->t);
    if (rc == HPO_OK && c->t->beat && c->t->state == HPO_RUNNING)
        rc = put_heartbeat(st, p, c->id);
    return rc;
}

/* After an unknown COMMIT: the trial id we inserted exists iff it did. */
static int create_trial_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    create_arg *c = arg;
    hpo_trial_state state;
    int rc = c->id ? trial_row(st, p, c->id, 0, &state, NULL, &c->number)
                   : HPO_ENOTFOUND;
    return rc == HPO_ENOTFOUND ? HPO__PG_RERUN : rc;
}

/* create_trials: every template in one transaction. */
typedef struct creates_arg {
    int n;
    create_arg *each;
} creates_arg;

static int create_trials_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    creates_arg *c = arg;
    int rc = HPO_OK;
    for (int i = 0; i < c->n; i++)
        c->each[i].id = 0; /* a rerun starts over */
    for (int i = 0; i < c->n && rc == HPO_OK; i++)
        rc = create_trial_body(st, p, &c->each[i]);
    return rc;
}

/* After an unknown COMMIT: the last trial exists iff all of them do. */
static int create_trials_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    creates_arg *c = arg;
    return create_trial_verify(st, p, &c->each[c->n - 1]);
}

static int pg_create_trials(hpo_storage *st, void *state, int64_t study_id,
                            const hpo__trial_rec *tmpls, int n,
                            int64_t *trial_ids, int *numbers)
{
    if (n <= 0)
        return HPO_OK;
    create_arg *each = calloc((size_t)n, sizeof *each);
    if (!each)
        return hpo__storage_error(st, HPO_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        each[i] = (create_arg){study_id, &tmpls[i], 0, 0};
    creates_arg c = {n, each};
    int rc = transact(st, state, 1, create_trials_body, create_trials_verify,
                      &c);
    for (int i = 0; i < n; i++) {
        trial_ids[i] = rc == HPO_OK ? each[i].id : 0;
        numbers[i] = each[i].number;
    }
    free(each);
    return rc;
}

static int pg_create_trial(hpo_storage *st, void *state, int64_t study_id,
                           const hpo__trial_rec *tmpl, int64_t *trial_id,
                           int *number)
{
    create_arg c = {study_id, tmpl, 0, 0};
    int rc = transact(st, state, 1, create_trial_body, create_trial_verify,
                      &c);
    if (rc == HPO_OK) {
        *trial_id = c.id;
        *number = c.number;
    }
    return rc;
}

typedef struct claim_arg {
    int64_t study_id;
    int beat; /* the first heartbeat with the claim */
    int64_t id;
    char start[HPO__OPTUNA_DATETIME_LEN]; /* the datetime_start written */
} claim_arg;

/* Turn the locked WAITING trial c->id RUNNING, starting now. */
static int start_claimed(hpo_storage *st, hpo__pg *p, claim_arg *c)
{
    if (hpo__optuna_datetime_format(hpo__now(), c->start) != 0)
        return hpo__storage_error(st, HPO_ESTORAGE,
                                  "postgresql: the clock is out of range");
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, c->id);
    hpo__pg_arg_text(&a, c->start);
    int rc = hpo__pg_run_stmt(st, p, HPO__PGQ_TRIAL_START, &a);
    if (rc == HPO_OK && c->beat)
        rc = put_heartbeat(st, p, c->id);
    return rc;
}

static int claim_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    claim_arg *c = arg;
    c->id = 0;
    int rc = study_exists(st, p, c->study_id);
    if (rc != HPO_OK)
        return rc;
    PGresult *r = by_id(st, p, HPO__PGQ_OLDEST_WAITING, c->study_id);
    if (!r)
        return HPO_ESTORAGE;
    int found = PQntuples(r) > 0;
    if (found)
        c->id = hpo__pg_int(r, 0, 0);
    PQclear(r);
    return found ? start_claimed(st, p, c) : HPO_DONE;
}

/* After an unknown COMMIT: the trial is ours if it left WAITING with the
 * very start time (to the microsecond) we wrote. */
static int claim_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    claim_arg *c = arg;
    if (!c->id)
        return HPO__PG_RERUN;
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, c->id);
    hpo__pg_arg_text(&a, c->start);
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_TRIAL_STARTED_AT, &a);
    if (!r)
        return HPO_ESTORAGE;
    int ours = PQntuples(r) > 0;
    PQclear(r);
    return ours ? HPO_OK : HPO__PG_RERUN;
}

static int pg_claim_waiting(hpo_storage *st, void *state, int64_t study_id,
                            int beat, int64_t *trial_id)
{
    claim_arg c;
    memset(&c, 0, sizeof c);
    c.study_id = study_id;
    c.beat = beat;
    int rc = transact(st, state, 1, claim_body, claim_verify, &c);
    if (rc == HPO_OK)
        *trial_id = c.id;
    return rc;
}

static int claim_trial_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    claim_arg *c = arg;
    hpo_trial_state state;
    int rc = trial_row(st, p, c->id, 1, &state, NULL, NULL);
    if (rc != HPO_OK)
        return rc;
    return state == HPO_WAITING ? start_claimed(st, p, c) : HPO_DONE;
}

static int pg_claim_trial(hpo_storage *st, void *state, int64_t trial_id,
                          int beat)
{
    claim_arg c;
    memset(&c, 0, sizeof c);
    c.id = trial_id;
    c.beat = beat;
    return transact(st, state, 1, claim_trial_body, claim_verify, &c);
}

typedef struct change_arg {
    int64_t trial_id;
    const hpo__param *param;
    int64_t step;
    double value;
    int system;
    const char *key, *json;
} change_arg;

static int set_param_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    change_arg *c = arg;
    int rc = trial_open(st, p, c->trial_id);
    return rc == HPO_OK ? put_param(st, p, c->trial_id, c->param) : rc;
}

static int pg_set_param(hpo_storage *st, void *state, int64_t trial_id,
                        const hpo__param *prm)
{
    change_arg c = {.trial_id = trial_id, .param = prm};
    return transact(st, state, 1, set_param_body, NULL, &c);
}

static int set_inter_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    change_arg *c = arg;
    int rc = trial_open(st, p, c->trial_id);
    return rc == HPO_OK
               ? put_intermediate(st, p, c->trial_id, c->step, c->value)
               : rc;
}

static int pg_set_intermediate(hpo_storage *st, void *state, int64_t trial_id,
                               int64_t step, double value)
{
    change_arg c = {.trial_id = trial_id, .step = step, .value = value};
    return transact(st, state, 1, set_inter_body, NULL, &c);
}

static int set_trial_attr_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    change_arg *c = arg;
    int rc = trial_open(st, p, c->trial_id);
    return rc == HPO_OK ? put_attr(st, p,
                                   c->system ? HPO__PGQ_TRIAL_SYSTEM_SET
                                             : HPO__PGQ_TRIAL_USER_SET,
                                   c->trial_id, c->key, c->json)
                        : rc;
}

static int pg_set_trial_attr(hpo_storage *st, void *state, int64_t trial_id,
                             int system, const char *key, const char *json)
{
    change_arg c = {.trial_id = trial_id, .system = system, .key = key,
                    .json = json};
    return transact(st, state, 1, set_trial_attr_body, NULL, &c);
}

typedef struct finish_arg {
    int64_t trial_id;
    hpo_trial_state final_state;
    int n;
    const double *values;
    const hpo__attrs *attrs; /* user attributes set with it; NULL: none */
} finish_arg;

static int finish_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    finish_arg *f = arg;
    int rc = trial_open(st, p, f->trial_id);
    for (int i = 0; f->attrs && i < f->attrs->n && rc == HPO_OK; i++)
        rc = put_attr(st, p, HPO__PGQ_TRIAL_USER_SET, f->trial_id,
                      f->attrs->v[i].key, f->attrs->v[i].json);
    if (rc == HPO_OK)
        rc = put_values(st, p, f->trial_id, f->n, f->values);
    if (rc != HPO_OK)
        return rc;
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, f->trial_id);
    hpo__pg_arg_text(&a, hpo__optuna_state_name(f->final_state));
    hpo__pg_arg_time(&a, hpo__now());
    return hpo__pg_run_stmt(st, p, HPO__PGQ_TRIAL_FINISH, &a);
}

/* After an unknown COMMIT: finished in our state means it was ours (the
 * row lock let no one else finish it in between); still open means it
 * did not commit. */
static int finish_verify(hpo_storage *st, hpo__pg *p, void *arg)
{
    finish_arg *f = arg;
    hpo_trial_state state;
    int number = -1;
    int rc = trial_row(st, p, f->trial_id, 0, &state, NULL, &number);
    if (rc != HPO_OK)
        return rc;
    if (!hpo__state_finished(state))
        return HPO__PG_RERUN;
    return state == f->final_state ? HPO_OK
                                   : already_finished(st, number, state);
}

static int pg_finish_trial(hpo_storage *st, void *state, int64_t trial_id,
                           hpo_trial_state final_state, int n,
                           const double *values)
{
    if (!hpo__state_finished(final_state))
        return hpo__storage_error(st, HPO_EINVAL,
                                  "a trial finishes COMPLETE, PRUNED or FAIL");
    finish_arg f = {trial_id, final_state, n, values, NULL};
    return transact(st, state, 1, finish_body, finish_verify, &f);
}

static int pg_finish_trial_attrs(hpo_storage *st, void *state,
                                 int64_t trial_id, hpo_trial_state final_state,
                                 int n, const double *values,
                                 const hpo__attrs *attrs)
{
    finish_arg f = {trial_id, final_state, n, values, attrs};
    return transact(st, state, 1, finish_body, finish_verify, &f);
}

typedef struct read_arg {
    int64_t id; /* trial (get_trial) or study (get_trials, count) */
    int64_t min_trial_id;
    hpo__trial_list *out;
    int n;
} read_arg;

static int get_trial_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    read_arg *g = arg;
    hpo_trial_state state;
    int64_t study_id = 0;
    hpo__list_free(g->out);
    int rc = trial_row(st, p, g->id, 0, &state, &study_id, NULL);
    if (rc == HPO_OK)
        rc = hpo__pg_read_trials(st, p, study_id, g->id, g->id, g->out);
    if (rc == HPO_OK && g->out->n != 1)
        rc = hpo__storage_no_trial(st, g->id);
    return rc;
}

static int pg_get_trial(hpo_storage *st, void *state, int64_t trial_id,
                        hpo__trial_rec *out)
{
    hpo__trial_list one = {0};
    read_arg g = {trial_id, 0, &one, 0};
    int rc = transact(st, state, 0, get_trial_body, NULL, &g);
    if (rc == HPO_OK) { /* move the record: no copy */
        hpo__rec_free(out);
        *out = one.v[0];
        one.n = 0;
    }
    hpo__list_free(&one);
    return rc;
}

static int get_trials_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    read_arg *g = arg;
    int rc = study_exists(st, p, g->id);
    if (rc != HPO_OK || g->min_trial_id > INT4_MAX_ID)
        return rc;
    /* On error the reader leaves out as it was, so a rerun appends once. */
    return hpo__pg_read_trials(st, p, g->id,
                               g->min_trial_id > 0 ? g->min_trial_id : 0,
                               INT4_MAX_ID, g->out);
}

static int pg_get_trials(hpo_storage *st, void *state, int64_t study_id,
                         int64_t min_trial_id, hpo__trial_list *out)
{
    read_arg g = {study_id, min_trial_id, out, 0};
    return transact(st, state, 0, get_trials_body, NULL, &g);
}

static int count_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    read_arg *g = arg;
    int rc = study_exists(st, p, g->id);
    return rc == HPO_OK ? count_trials_of(st, p, g->id, &g->n) : rc;
}

static int pg_count_trials(hpo_storage *st, void *state, int64_t study_id,
                           int *n)
{
    read_arg g = {study_id, 0, NULL, 0};
    int rc = transact(st, state, 0, count_body, NULL, &g);
    if (rc == HPO_OK)
        *n = g.n;
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Liveness                                                                   */
/* ------------------------------------------------------------------------- */

static int heartbeat_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    int64_t trial_id = *(const int64_t *)arg;
    hpo_trial_state state;
    int rc = trial_row(st, p, trial_id, 0, &state, NULL, NULL);
    return rc == HPO_OK ? put_heartbeat(st, p, trial_id) : rc;
}

static int pg_heartbeat(hpo_storage *st, void *state, int64_t trial_id)
{
    return transact(st, state, 1, heartbeat_body, NULL, &trial_id);
}

typedef struct stale_arg {
    int64_t study_id;
    double grace_s;
    int64_t **ids;
    int *n;
} stale_arg;

static int stale_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    stale_arg *s = arg;
    free(*s->ids);
    *s->ids = NULL;
    *s->n = 0;
    int rc = study_exists(st, p, s->study_id);
    if (rc != HPO_OK)
        return rc;
    hpo__pg_args a = {0};
    hpo__pg_arg_id(&a, s->study_id);
    hpo__pg_arg_double(&a, s->grace_s);
    PGresult *r = hpo__pg_exec(st, p, HPO__PGQ_STALE, &a);
    if (!r)
        return HPO_ESTORAGE;
    int rows = PQntuples(r);
    if (rows > 0 && !(*s->ids = malloc((size_t)rows * sizeof **s->ids)))
        rc = hpo__pg_no_memory(st);
    for (int i = 0; rc == HPO_OK && i < rows; i++)
        (*s->ids)[(*s->n)++] = hpo__pg_int(r, i, 0);
    PQclear(r);
    return rc;
}

static int pg_stale_trials(hpo_storage *st, void *state, int64_t study_id,
                           double grace_s, int64_t **ids, int *n)
{
    stale_arg s = {study_id, isfinite(grace_s) ? grace_s : 0, ids, n};
    int rc = transact(st, state, 0, stale_body, NULL, &s);
    if (rc != HPO_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

#define PG_METHODS                                                          \
    .version = HPO__STORAGE_VERSION, .state_size = sizeof(hpo__pg),         \
    .open = pg_open, .close = pg_close, .create_study = pg_create_study,    \
    .find_study = pg_find_study, .list_studies = pg_list_studies,           \
    .delete_study = pg_delete_study, .set_study_attr = pg_set_study_attr,   \
    .get_study_attrs = pg_get_study_attrs,                                  \
    .create_trial = pg_create_trial, .claim_waiting = pg_claim_waiting,     \
    .set_param = pg_set_param, .set_intermediate = pg_set_intermediate,     \
    .set_trial_attr = pg_set_trial_attr, .finish_trial = pg_finish_trial,   \
    .get_trial = pg_get_trial, .get_trials = pg_get_trials,                 \
    .count_trials = pg_count_trials, .heartbeat = pg_heartbeat,             \
    .stale_trials = pg_stale_trials, .claim_trial = pg_claim_trial,        \
    .cas_study_sys_attr = pg_cas_study_sys_attr,                            \
    .finish_trial_attrs = pg_finish_trial_attrs,                            \
    .create_trials = pg_create_trials

const hpo__storage_type hpo__storage_postgres = {
    .scheme = "postgresql",
    PG_METHODS,
};

/* libpq (and SQLAlchemy) also accept the short scheme. */
const hpo__storage_type hpo__storage_postgres_short = {
    .scheme = "postgres",
    PG_METHODS,
};
