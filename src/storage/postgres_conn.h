/*
 * postgres_conn.h — what the files of the PostgreSQL backend share: the
 * connection record, its prepared statements, and the transaction runner
 * that survives a lost connection.
 *
 * Files:
 *   postgres_conn.c  URL, connect, session settings, statements, errors,
 *                    the transaction runner (retry, reconnect, verify)
 *   postgres_schema.c  Optuna's schema and version marker, created under
 *                    an advisory lock
 *   postgres_read.c  reading trials with one query per table
 *   postgres.c       the storage methods (hpo__storage_postgres)
 *
 * Locking: one connection per storage handle; a transaction holds `lock`
 * from BEGIN to COMMIT (and through any reconnect), so a handle is safe to
 * share between threads.  Between connections PostgreSQL's row locks order
 * the writers (see postgres.c).
 */
#ifndef HPO_POSTGRES_CONN_H
#define HPO_POSTGRES_CONN_H

#include <pthread.h>

#include "optuna_schema.h"
#include "postgres_lib.h"
#include "dist_cache.h"
#include "storage.h"

/* Every statement the backend runs, prepared once per connection (and
 * again after a reconnect).  Parameters are sent as text; ids are int4
 * columns, so callers keep ids inside int4 (postgres.c: id_in_range).
 * Ranges of trials are read with $1 = study_id, $2..$3 = trial_id range. */
#define HPO__PG_STATEMENTS(X)                                                \
    X(STUDY_ID_BY_NAME, "SELECT study_id FROM studies WHERE study_name = $1") \
    X(STUDY_EXISTS, "SELECT 1 FROM studies WHERE study_id = $1")             \
    X(STUDY_LOCK, "SELECT 1 FROM studies WHERE study_id = $1 FOR UPDATE")    \
    X(STUDY_INSERT, "INSERT INTO studies (study_name) VALUES ($1)"           \
      " RETURNING study_id")                                                 \
    X(DIRECTION_INSERT, "INSERT INTO study_directions"                       \
      " (direction, study_id, objective) VALUES ($1, $2, $3)")               \
    X(STUDY_LIST, "SELECT study_id, study_name,"                             \
      " (SELECT count(*) FROM trials t WHERE t.study_id = s.study_id)"       \
      " FROM studies s ORDER BY study_id")                                   \
    X(DIRECTIONS_ALL, "SELECT study_id, objective, direction"                \
      " FROM study_directions ORDER BY study_id, objective")                 \
    X(DIRECTIONS_OF, "SELECT objective, direction FROM study_directions"     \
      " WHERE study_id = $1 ORDER BY objective")                             \
    X(DEL_PARAMS, "DELETE FROM trial_params WHERE trial_id IN"               \
      " (SELECT trial_id FROM trials WHERE study_id = $1)")                  \
    X(DEL_VALUES, "DELETE FROM trial_values WHERE trial_id IN"               \
      " (SELECT trial_id FROM trials WHERE study_id = $1)")                  \
    X(DEL_INTER, "DELETE FROM trial_intermediate_values WHERE trial_id IN"   \
      " (SELECT trial_id FROM trials WHERE study_id = $1)")                  \
    X(DEL_TRIAL_USER, "DELETE FROM trial_user_attributes WHERE trial_id IN"  \
      " (SELECT trial_id FROM trials WHERE study_id = $1)")                  \
    X(DEL_TRIAL_SYSTEM, "DELETE FROM trial_system_attributes WHERE"          \
      " trial_id IN (SELECT trial_id FROM trials WHERE study_id = $1)")      \
    X(DEL_HEARTBEATS, "DELETE FROM trial_heartbeats WHERE trial_id IN"       \
      " (SELECT trial_id FROM trials WHERE study_id = $1)")                  \
    X(DEL_TRIALS, "DELETE FROM trials WHERE study_id = $1")                  \
    X(DEL_DIRECTIONS, "DELETE FROM study_directions WHERE study_id = $1")    \
    X(DEL_STUDY_USER, "DELETE FROM study_user_attributes WHERE study_id = $1") \
    X(DEL_STUDY_SYSTEM, "DELETE FROM study_system_attributes"                \
      " WHERE study_id = $1")                                                \
    X(DEL_STUDY, "DELETE FROM studies WHERE study_id = $1")                  \
    X(STUDY_USER_SET, "INSERT INTO study_user_attributes"                    \
      " (study_id, \"key\", value_json) VALUES ($1, $2, $3)"                 \
      " ON CONFLICT (study_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    X(STUDY_SYSTEM_SET, "INSERT INTO study_system_attributes"                \
      " (study_id, \"key\", value_json) VALUES ($1, $2, $3)"                 \
      " ON CONFLICT (study_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    /* compare-and-set: insert only when absent, update only when equal; \
     * a row back means this transaction won */                          \
    X(STUDY_SYSTEM_ADD, "INSERT INTO study_system_attributes"                \
      " (study_id, \"key\", value_json) VALUES ($1, $2, $3)"                 \
      " ON CONFLICT (study_id, \"key\") DO NOTHING RETURNING 1")              \
    X(STUDY_SYSTEM_SWAP, "UPDATE study_system_attributes SET value_json = $3" \
      " WHERE study_id = $1 AND \"key\" = $2 AND value_json = $4"             \
      " RETURNING 1")                                                        \
    X(STUDY_USER_GET, "SELECT \"key\", value_json FROM study_user_attributes" \
      " WHERE study_id = $1 ORDER BY study_user_attribute_id")               \
    X(STUDY_SYSTEM_GET, "SELECT \"key\", value_json"                         \
      " FROM study_system_attributes WHERE study_id = $1"                    \
      " ORDER BY study_system_attribute_id")                                 \
    X(TRIAL_COUNT, "SELECT count(*) FROM trials WHERE study_id = $1")        \
    X(TRIAL_NEXT, "SELECT number + 1 FROM trials WHERE study_id = $1"      \
      " ORDER BY number DESC LIMIT 1")                                     \
    X(TRIAL_INSERT, "INSERT INTO trials (number, study_id, state,"           \
      " datetime_start, datetime_complete) VALUES ($1, $2, $3, $4, $5)"      \
      " RETURNING trial_id")                                                 \
    X(TRIAL_STATE, "SELECT state, study_id, number FROM trials"              \
      " WHERE trial_id = $1")                                                \
    X(TRIAL_LOCK, "SELECT state, study_id, number FROM trials"               \
      " WHERE trial_id = $1 FOR NO KEY UPDATE")                              \
    X(OLDEST_WAITING, "SELECT trial_id FROM trials WHERE study_id = $1"      \
      " AND state = 'WAITING' ORDER BY trial_id LIMIT 1"                     \
      " FOR UPDATE SKIP LOCKED")                                             \
    X(TRIAL_START, "UPDATE trials SET state = 'RUNNING', datetime_start = $2" \
      " WHERE trial_id = $1 AND state = 'WAITING'")                          \
    X(TRIAL_STARTED_AT, "SELECT 1 FROM trials WHERE trial_id = $1"           \
      " AND state <> 'WAITING' AND datetime_start = $2")                     \
    X(TRIAL_FINISH, "UPDATE trials SET state = $2, datetime_complete = $3"   \
      " WHERE trial_id = $1")                                                \
    X(PARAM_SET, "INSERT INTO trial_params (trial_id, param_name,"           \
      " param_value, distribution_json) VALUES ($1, $2, $3, $4)"             \
      " ON CONFLICT (trial_id, param_name) DO UPDATE SET"                    \
      " param_value = excluded.param_value,"                                 \
      " distribution_json = excluded.distribution_json")                     \
    X(INTER_SET, "INSERT INTO trial_intermediate_values (trial_id, step,"    \
      " intermediate_value, intermediate_value_type) VALUES ($1, $2, $3, $4)" \
      " ON CONFLICT (trial_id, step) DO NOTHING")                            \
    X(VALUE_SET, "INSERT INTO trial_values (trial_id, objective, value,"     \
      " value_type) VALUES ($1, $2, $3, $4) ON CONFLICT (trial_id, objective)" \
      " DO UPDATE SET value = excluded.value,"                               \
      " value_type = excluded.value_type")                                   \
    X(TRIAL_USER_SET, "INSERT INTO trial_user_attributes"                    \
      " (trial_id, \"key\", value_json) VALUES ($1, $2, $3)"                 \
      " ON CONFLICT (trial_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    X(TRIAL_SYSTEM_SET, "INSERT INTO trial_system_attributes"                \
      " (trial_id, \"key\", value_json) VALUES ($1, $2, $3)"                 \
      " ON CONFLICT (trial_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    X(READ_TRIALS, "SELECT trial_id, number, state, datetime_start,"         \
      " datetime_complete FROM trials WHERE study_id = $1"                   \
      " AND trial_id BETWEEN $2 AND $3 ORDER BY number, trial_id")           \
    X(READ_VALUES, "SELECT v.trial_id, v.objective, v.value, v.value_type"   \
      " FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id"        \
      " WHERE t.study_id = $1 AND v.trial_id BETWEEN $2 AND $3"              \
      " ORDER BY v.trial_id, v.objective")                                   \
    X(READ_PARAMS, "SELECT p.trial_id, p.param_name, p.param_value,"         \
      " p.distribution_json, p.param_id FROM trial_params p"                 \
      " JOIN trials t ON t.trial_id = p.trial_id"                            \
      " WHERE t.study_id = $1 AND p.trial_id BETWEEN $2 AND $3"              \
      " ORDER BY p.trial_id, p.param_id")                                    \
    X(READ_INTER, "SELECT i.trial_id, i.step, i.intermediate_value,"         \
      " i.intermediate_value_type, i.trial_intermediate_value_id"            \
      " FROM trial_intermediate_values i"                                    \
      " JOIN trials t ON t.trial_id = i.trial_id"                            \
      " WHERE t.study_id = $1 AND i.trial_id BETWEEN $2 AND $3"              \
      " ORDER BY i.trial_id, i.trial_intermediate_value_id")                 \
    X(READ_USER_ATTRS, "SELECT a.trial_id, a.\"key\", a.value_json,"         \
      " a.trial_user_attribute_id"                                           \
      " FROM trial_user_attributes a JOIN trials t ON t.trial_id = a.trial_id" \
      " WHERE t.study_id = $1 AND a.trial_id BETWEEN $2 AND $3"              \
      " ORDER BY a.trial_id, a.trial_user_attribute_id")                     \
    X(READ_SYSTEM_ATTRS, "SELECT a.trial_id, a.\"key\", a.value_json,"       \
      " a.trial_system_attribute_id"                                         \
      " FROM trial_system_attributes a"                                      \
      " JOIN trials t ON t.trial_id = a.trial_id"                            \
      " WHERE t.study_id = $1 AND a.trial_id BETWEEN $2 AND $3"              \
      " ORDER BY a.trial_id, a.trial_system_attribute_id")                   \
    X(HEARTBEAT, "INSERT INTO trial_heartbeats (trial_id, heartbeat)"        \
      " VALUES ($1, LOCALTIMESTAMP) ON CONFLICT (trial_id)"                  \
      " DO UPDATE SET heartbeat = excluded.heartbeat")                       \
    X(STALE, "SELECT t.trial_id FROM trials t JOIN trial_heartbeats h"       \
      " ON h.trial_id = t.trial_id WHERE t.study_id = $1"                    \
      " AND t.state = 'RUNNING'"                                             \
      " AND h.heartbeat < LOCALTIMESTAMP"                                    \
      " - $2::double precision * interval '1 second'"                        \
      " ORDER BY t.number")                                                  \
    X(ALEMBIC_GET, "SELECT version_num FROM alembic_version")                \
    X(ALEMBIC_SET, "INSERT INTO alembic_version (version_num) VALUES ($1)")  \
    X(VERSION_GET, "SELECT schema_version FROM version_info"                 \
      " WHERE version_info_id = 1")                                          \
    X(VERSION_SET, "INSERT INTO version_info (version_info_id,"              \
      " schema_version, library_version) VALUES (1, $1, $2)")

typedef enum hpo__pg_stmt_id {
#define HPO__PG_STMT_ENUM(name, sql) HPO__PGQ_##name,
    HPO__PG_STATEMENTS(HPO__PG_STMT_ENUM)
#undef HPO__PG_STMT_ENUM
    HPO__PGQ_COUNT
} hpo__pg_stmt_id;

/* Parsed distribution_json texts, so reading 10,000 trials parses each
 * distinct distribution once. */

typedef struct hpo__pg {
    PGconn *conn;
    char *where;      /* "user@host:port/db", never the password */
    double retry_s;   /* how long a lost server is waited for */
    const hpo__optuna_marker *marker; /* the database's */
    int lock_ready;
    pthread_mutex_t lock;
    unsigned char prepared[HPO__PGQ_COUNT];
    /* What the last failed statement said, for the runner: */
    int lost;          /* the connection is gone (class 08, 57P0x, EOF) */
    int conflict;      /* serialization failure or deadlock: run again */
    char sqlstate[6];
    hpo__dist_cache dists;
} hpo__pg;

/* Text parameters of one statement; values NULL are SQL NULL. */
#define HPO__PG_MAX_ARGS 6
typedef struct hpo__pg_args {
    int n;
    const char *v[HPO__PG_MAX_ARGS];
    char buf[HPO__PG_MAX_ARGS][40]; /* numbers and datetimes */
} hpo__pg_args;

void hpo__pg_arg_id(hpo__pg_args *a, int64_t v);
void hpo__pg_arg_double(hpo__pg_args *a, double v); /* non-finite: NULL */
void hpo__pg_arg_text(hpo__pg_args *a, const char *text);
void hpo__pg_arg_time(hpo__pg_args *a, double epoch_s); /* NaN: NULL */

/* postgres_conn.c */
int hpo__pg_open(hpo_storage *st, hpo__pg *p, const char *url);
void hpo__pg_close(hpo__pg *p);
/* Split hpo's own options (optuna=) off the URL: *libpq_url (malloc'd) is
 * what libpq gets.  The first step of hpo__pg_open, alone for the fuzz
 * harness. */
int hpo__pg_split_url(hpo_storage *st, const char *url, char **libpq_url,
                      const hpo__optuna_marker **marker);
/* Run a prepared statement; its result (COMMAND_OK or TUPLES_OK, free
 * with PQclear), or NULL after recording the error on st (and setting
 * p->lost / p->conflict / p->sqlstate). */
PGresult *hpo__pg_exec(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                       const hpo__pg_args *a);
/* Run a prepared statement whose rows are not needed. */
int hpo__pg_run_stmt(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                     const hpo__pg_args *a);
/* Run plain SQL (DDL, SET): HPO_OK or HPO_ESTORAGE. */
int hpo__pg_exec_sql(hpo_storage *st, hpo__pg *p, const char *sql);
/* Record a failed result's error; returns HPO_ESTORAGE. */
int hpo__pg_result_error(hpo_storage *st, hpo__pg *p, const PGresult *r);
int hpo__pg_no_memory(hpo_storage *st);

/* Column helpers; a NULL column reads as NaN / 0 / NULL. */
double hpo__pg_double(const PGresult *r, int row, int col);
int64_t hpo__pg_int(const PGresult *r, int row, int col);
const char *hpo__pg_text(const PGresult *r, int row, int col);
double hpo__pg_time(const PGresult *r, int row, int col);

/*
 * One transaction, run until it is known to have happened or failed:
 *
 *   BEGIN ── body ──> COMMIT ──> done
 *     │        │         │
 *     │    lost/conflict │ lost while COMMIT was on its way
 *     v        v         v
 *   reconnect, run again     reconnect, then `verify` (its own
 *   (nothing was committed)  transaction) reads whether the commit
 *                            happened: HPO_OK yes (done), HPO__PG_RERUN
 *                            no (run again); NULL verify: the body is
 *                            idempotent and simply runs again.
 *
 * Reconnects back off from 0.1 s, doubling to 2 s, for up to retry_s in
 * all; then the call fails with HPO_ESTORAGE and libpq's text.  The body
 * must start from scratch each time it runs (reset its outputs).  A body
 * returns HPO_OK, a positive status (kept, committed) or a negative error
 * (rolled back).
 */
#define HPO__PG_RERUN 1000
typedef struct hpo__pg_tx {
    int write; /* READ COMMITTED read-write, else REPEATABLE READ READ ONLY */
    int (*body)(hpo_storage *st, hpo__pg *p, void *arg);
    int (*verify)(hpo_storage *st, hpo__pg *p, void *arg);
    void *arg;
} hpo__pg_tx;

int hpo__pg_transact(hpo_storage *st, hpo__pg *p, const hpo__pg_tx *tx);

/* postgres_schema.c: create what is absent of Optuna's schema and check
 * or stamp the version marker (`wanted` for a new database), in one
 * transaction under an advisory lock. */
int hpo__pg_init_schema(hpo_storage *st, hpo__pg *p,
                        const hpo__optuna_marker *wanted);

/* postgres_read.c: append the study's trials with ids in [min_id, max_id]
 * to out, ordered by number; inside a transaction begun by the caller.
 * On error out is left as it was. */
int hpo__pg_read_trials(hpo_storage *st, hpo__pg *p, int64_t study_id,
                        int64_t min_id, int64_t max_id, hpo__trial_list *out);

#endif
