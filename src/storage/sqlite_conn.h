/*
 * sqlite_conn.h — what the files of the SQLite backend share: the
 * connection record, its cached statements, and the transaction helpers.
 *
 * Files:
 *   sqlite_conn.c  open (URL, pragmas, schema, version marker), close,
 *                  statements, transactions, error text
 *   sqlite_read.c  reading trials with one query per table
 *   sqlite.c       the storage methods (hpo__storage_sqlite)
 *
 * Locking: one connection per storage handle; every method holds `lock`
 * for its whole transaction, so a handle is safe to share between threads.
 * Between processes SQLite's own file locks order the transactions.
 */
#ifndef HPO_SQLITE_CONN_H
#define HPO_SQLITE_CONN_H

#include <pthread.h>
#include <sys/types.h>
#include <sqlite3.h>

#include "optuna_schema.h"
#include "dist_cache.h"
#include "storage.h"

/* Every statement the backend runs, prepared once per connection.
 * Ranges of trials are read with ?1 = study_id, ?2..?3 = trial_id range:
 * READ_* through the study's index (a whole study: the first read),
 * READ_*_SINCE by the trial_id range first ("+study_id" keeps SQLite from
 * scanning the study's whole index instead, which made every refresh of
 * a long study, and every read of one trial, read all of it). */

/* A whole study's rows of one table, the study's trials in the outer
 * loop (its index on (study_id, number)) and each trial's rows through the
 * table's index on trial_id: grouped by trial, in no order within it (the
 * reader needs no more, row_decode.c): nothing to sort, no list of ids
 * to build. */
#define HPO__SQLITE_READ_WHOLE(columns, table, alias)                        \
    "SELECT " alias ".trial_id, " columns " FROM trials t JOIN " table       \
    " ON " alias ".trial_id = t.trial_id WHERE t.study_id = ?1 AND"          \
    " t.trial_id BETWEEN ?2 AND ?3 ORDER BY t.number"
#define HPO__SQLITE_READ_SINCE(columns, table, alias, order)                 \
    "SELECT " alias ".trial_id, " columns " FROM " table " WHERE " alias     \
    ".trial_id BETWEEN ?2 AND ?3 AND " alias ".trial_id IN (SELECT trial_id" \
    " FROM trials WHERE trial_id BETWEEN ?2 AND ?3 AND +study_id = ?1)"      \
    " ORDER BY " alias ".trial_id" order
#define HPO__SQLITE_STATEMENTS(X)                                            \
    X(BEGIN_READ, "BEGIN")                                                   \
    X(BEGIN_WRITE, "BEGIN IMMEDIATE")                                        \
    X(COMMIT, "COMMIT")                                                      \
    X(ROLLBACK, "ROLLBACK")                                                  \
    X(STUDY_ID_BY_NAME, "SELECT study_id FROM studies WHERE study_name = ?1") \
    X(STUDY_EXISTS, "SELECT 1 FROM studies WHERE study_id = ?1")             \
    X(STUDY_INSERT, "INSERT INTO studies (study_name) VALUES (?1)")          \
    X(DIRECTION_INSERT, "INSERT INTO study_directions"                       \
      " (direction, study_id, objective) VALUES (?1, ?2, ?3)")               \
    X(STUDY_LIST, "SELECT study_id, study_name,"                             \
      " (SELECT count(*) FROM trials t WHERE t.study_id = s.study_id)"       \
      " FROM studies s ORDER BY study_id")                                   \
    X(DIRECTIONS_ALL, "SELECT study_id, objective, direction"                \
      " FROM study_directions ORDER BY study_id, objective")                 \
    X(DIRECTIONS_OF, "SELECT objective, direction FROM study_directions"     \
      " WHERE study_id = ?1 ORDER BY objective")                             \
    X(DEL_PARAMS, "DELETE FROM trial_params WHERE trial_id IN"               \
      " (SELECT trial_id FROM trials WHERE study_id = ?1)")                  \
    X(DEL_VALUES, "DELETE FROM trial_values WHERE trial_id IN"               \
      " (SELECT trial_id FROM trials WHERE study_id = ?1)")                  \
    X(DEL_INTER, "DELETE FROM trial_intermediate_values WHERE trial_id IN"   \
      " (SELECT trial_id FROM trials WHERE study_id = ?1)")                  \
    X(DEL_TRIAL_USER, "DELETE FROM trial_user_attributes WHERE trial_id IN"  \
      " (SELECT trial_id FROM trials WHERE study_id = ?1)")                  \
    X(DEL_TRIAL_SYSTEM, "DELETE FROM trial_system_attributes WHERE"          \
      " trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?1)")      \
    X(DEL_HEARTBEATS, "DELETE FROM trial_heartbeats WHERE trial_id IN"       \
      " (SELECT trial_id FROM trials WHERE study_id = ?1)")                  \
    X(DEL_TRIALS, "DELETE FROM trials WHERE study_id = ?1")                  \
    X(DEL_DIRECTIONS, "DELETE FROM study_directions WHERE study_id = ?1")    \
    X(DEL_STUDY_USER, "DELETE FROM study_user_attributes WHERE study_id = ?1") \
    X(DEL_STUDY_SYSTEM, "DELETE FROM study_system_attributes"                \
      " WHERE study_id = ?1")                                                \
    X(DEL_STUDY, "DELETE FROM studies WHERE study_id = ?1")                  \
    X(STUDY_USER_SET, "INSERT INTO study_user_attributes"                    \
      " (study_id, \"key\", value_json) VALUES (?1, ?2, ?3)"                 \
      " ON CONFLICT (study_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    X(STUDY_SYSTEM_SET, "INSERT INTO study_system_attributes"                \
      " (study_id, \"key\", value_json) VALUES (?1, ?2, ?3)"                 \
      " ON CONFLICT (study_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    /* compare-and-set: insert only when absent, update only when equal */   \
    X(STUDY_SYSTEM_ADD, "INSERT INTO study_system_attributes"                \
      " (study_id, \"key\", value_json) VALUES (?1, ?2, ?3)"                 \
      " ON CONFLICT (study_id, \"key\") DO NOTHING")                         \
    X(STUDY_SYSTEM_SWAP, "UPDATE study_system_attributes SET value_json = ?3" \
      " WHERE study_id = ?1 AND \"key\" = ?2 AND value_json = ?4")           \
    X(STUDY_USER_GET, "SELECT \"key\", value_json FROM study_user_attributes" \
      " WHERE study_id = ?1 ORDER BY study_user_attribute_id")               \
    X(STUDY_SYSTEM_GET, "SELECT \"key\", value_json"                         \
      " FROM study_system_attributes WHERE study_id = ?1"                    \
      " ORDER BY study_system_attribute_id")                                 \
    X(TRIAL_COUNT, "SELECT count(*) FROM trials WHERE study_id = ?1")        \
    /* max + 1 through hpo_trials_study_number: the same as the count        \
     * while numbers are gapless, without reading every trial */             \
    X(TRIAL_NEXT, "SELECT number + 1 FROM trials WHERE study_id = ?1"        \
      " ORDER BY number DESC LIMIT 1")                                       \
    X(TRIAL_INSERT, "INSERT INTO trials (number, study_id, state,"           \
      " datetime_start, datetime_complete) VALUES (?1, ?2, ?3, ?4, ?5)")     \
    X(TRIAL_STATE, "SELECT state, study_id, number FROM trials"              \
      " WHERE trial_id = ?1")                                                \
    X(OLDEST_WAITING, "SELECT trial_id FROM trials WHERE study_id = ?1"      \
      " AND state = 'WAITING' ORDER BY number, trial_id LIMIT 1")            \
    X(TRIAL_START, "UPDATE trials SET state = 'RUNNING', datetime_start = ?2" \
      " WHERE trial_id = ?1 AND state = 'WAITING'")                          \
    X(TRIAL_FINISH, "UPDATE trials SET state = ?2, datetime_complete = ?3"   \
      " WHERE trial_id = ?1")                                                \
    X(PARAM_SET, "INSERT INTO trial_params (trial_id, param_name,"           \
      " param_value, distribution_json) VALUES (?1, ?2, ?3, ?4)"             \
      " ON CONFLICT (trial_id, param_name) DO UPDATE SET"                    \
      " param_value = excluded.param_value,"                                 \
      " distribution_json = excluded.distribution_json")                     \
    X(INTER_SET, "INSERT INTO trial_intermediate_values (trial_id, step,"    \
      " intermediate_value, intermediate_value_type) VALUES (?1, ?2, ?3, ?4)" \
      " ON CONFLICT (trial_id, step) DO NOTHING")                            \
    X(VALUE_SET, "INSERT INTO trial_values (trial_id, objective, value,"     \
      " value_type) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, objective)" \
      " DO UPDATE SET value = excluded.value,"                               \
      " value_type = excluded.value_type")                                   \
    X(TRIAL_USER_SET, "INSERT INTO trial_user_attributes"                    \
      " (trial_id, \"key\", value_json) VALUES (?1, ?2, ?3)"                 \
      " ON CONFLICT (trial_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    X(TRIAL_SYSTEM_SET, "INSERT INTO trial_system_attributes"                \
      " (trial_id, \"key\", value_json) VALUES (?1, ?2, ?3)"                 \
      " ON CONFLICT (trial_id, \"key\") DO UPDATE"                           \
      " SET value_json = excluded.value_json")                               \
    X(READ_TRIALS, "SELECT trial_id, number, state, datetime_start,"         \
      " datetime_complete FROM trials WHERE study_id = ?1"                   \
      " AND trial_id BETWEEN ?2 AND ?3 ORDER BY number, trial_id")           \
    X(READ_VALUES, HPO__SQLITE_READ_WHOLE("v.objective, v.value,"           \
      " v.value_type", "trial_values v", "v"))                               \
    X(READ_PARAMS, HPO__SQLITE_READ_WHOLE("p.param_name, p.param_value,"     \
      " p.distribution_json, p.param_id", "trial_params p", "p"))            \
    X(READ_INTER, HPO__SQLITE_READ_WHOLE("i.step, i.intermediate_value,"     \
      " i.intermediate_value_type, i.trial_intermediate_value_id",           \
      "trial_intermediate_values i", "i"))                                   \
    X(READ_USER_ATTRS, HPO__SQLITE_READ_WHOLE("a.\"key\", a.value_json,"      \
      " a.trial_user_attribute_id", "trial_user_attributes a", "a"))         \
    X(READ_SYSTEM_ATTRS, HPO__SQLITE_READ_WHOLE("a.\"key\", a.value_json,"    \
      " a.trial_system_attribute_id", "trial_system_attributes a", "a"))     \
    X(READ_TRIALS_SINCE, "SELECT trial_id, number, state, datetime_start,"   \
      " datetime_complete FROM trials WHERE trial_id BETWEEN ?2 AND ?3"      \
      " AND +study_id = ?1 ORDER BY number, trial_id")                       \
    X(READ_VALUES_SINCE, HPO__SQLITE_READ_SINCE("v.objective, v.value,"      \
      " v.value_type", "trial_values v", "v", ", v.objective"))              \
    X(READ_PARAMS_SINCE, HPO__SQLITE_READ_SINCE("p.param_name,"              \
      " p.param_value, p.distribution_json, p.param_id", "trial_params p",   \
      "p", ""))                                                              \
    X(READ_INTER_SINCE, HPO__SQLITE_READ_SINCE("i.step,"                     \
      " i.intermediate_value, i.intermediate_value_type,"                    \
      " i.trial_intermediate_value_id", "trial_intermediate_values i", "i",  \
      ""))                                                                   \
    X(READ_USER_ATTRS_SINCE, HPO__SQLITE_READ_SINCE("a.\"key\", a.value_json," \
      " a.trial_user_attribute_id", "trial_user_attributes a", "a", ""))     \
    X(READ_SYSTEM_ATTRS_SINCE, HPO__SQLITE_READ_SINCE("a.\"key\","           \
      " a.value_json, a.trial_system_attribute_id",                          \
      "trial_system_attributes a", "a", ""))                                 \
    X(HEARTBEAT, "INSERT INTO trial_heartbeats (trial_id, heartbeat)"        \
      " VALUES (?1, " HPO__SQLITE_NOW_UTC ") ON CONFLICT (trial_id)"         \
      " DO UPDATE SET heartbeat = excluded.heartbeat")                       \
    X(STALE, "SELECT t.trial_id FROM trials t JOIN trial_heartbeats h"       \
      " ON h.trial_id = t.trial_id WHERE t.study_id = ?1"                    \
      " AND t.state = 'RUNNING'"                                             \
      " AND (julianday('now') - julianday(h.heartbeat)) * 86400.0 > ?2"      \
      " ORDER BY t.number")                                                  \
    X(SYNC_NORMAL, "PRAGMA synchronous = NORMAL")                            \
    X(SYNC_FULL, "PRAGMA synchronous = FULL")                                \
    X(ALEMBIC_GET, "SELECT version_num FROM alembic_version")                \
    X(ALEMBIC_SET, "INSERT INTO alembic_version (version_num) VALUES (?1)")  \
    X(VERSION_GET, "SELECT schema_version FROM version_info"                 \
      " WHERE version_info_id = 1")                                          \
    X(VERSION_SET, "INSERT INTO version_info (version_info_id,"              \
      " schema_version, library_version) VALUES (1, ?1, ?2)")

/* The database's own clock, as SQLAlchemy's func.now() gives it on SQLite
 * (UTC), with six fractional digits so Python reads it exactly. */
#define HPO__SQLITE_NOW_UTC "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"

typedef enum hpo__sqlite_stmt_id {
#define HPO__SQLITE_STMT_ENUM(name, sql) HPO__Q_##name,
    HPO__SQLITE_STATEMENTS(HPO__SQLITE_STMT_ENUM)
#undef HPO__SQLITE_STMT_ENUM
    HPO__Q_COUNT
} hpo__sqlite_stmt_id;

/* Parsed distribution_json texts, so reading 10,000 trials parses each
 * distinct distribution once. */

typedef struct hpo__sqlite {
    sqlite3 *db;
    char *path;             /* as given in the URL, for messages */
    double timeout_s;       /* busy timeout */
    const char *sync;       /* PRAGMA synchronous: "NORMAL" unless asked */
    int sync_full;          /* ?sync=full: durable writes sync the WAL */
    int syncing;            /* the connection's synchronous is FULL now */
    const hpo__optuna_marker *marker; /* the database's */
    int watch_file;         /* a real file: check it is still there */
    dev_t dev;              /* ... the file opened, to notice it deleted */
    ino_t ino;
    int lock_ready;
    pthread_mutex_t lock;
    sqlite3_stmt *stmt[HPO__Q_COUNT];
    hpo__dist_cache dists;
} hpo__sqlite;

/* sqlite_conn.c */
int hpo__sqlite_open(hpo_storage *st, hpo__sqlite *s, const char *url);
void hpo__sqlite_close(hpo__sqlite *s);
/* Read sqlite:///PATH?OPTIONS into s->path (malloc'd), s->timeout_s,
 * s->sync and *marker.  The first step of hpo__sqlite_open, alone for the
 * fuzz harness. */
int hpo__sqlite_parse_url(hpo_storage *st, hpo__sqlite *s, const char *url,
                          const hpo__optuna_marker **marker);
/* The error SQLite reports now, naming the file: returns HPO_ESTORAGE. */
int hpo__sqlite_error(hpo_storage *st, hpo__sqlite *s);
/* The cached statement, reset and with no bindings; NULL after recording
 * the error on st. */
sqlite3_stmt *hpo__sqlite_stmt(hpo_storage *st, hpo__sqlite *s,
                               hpo__sqlite_stmt_id id);
/* Step a statement that returns no rows (or whose rows are ignored). */
int hpo__sqlite_exec(hpo_storage *st, hpo__sqlite *s, sqlite3_stmt *q);
/* What hpo__sqlite_begin begins.  Under ?sync=full only a DURABLE write
 * (one that finishes a trial or changes a study) syncs the WAL before its
 * commit returns; a WRITE (a running trial's row, parameters, reports,
 * heartbeats) is appended to the WAL unsynced and becomes durable with the
 * next synced commit, since the WAL only grows in commit order (see
 * docs/durability.md). */
enum { HPO__SQLITE_READ = 0, HPO__SQLITE_WRITE = 1, HPO__SQLITE_DURABLE = 2 };

/* Take the lock and begin a transaction (a write: BEGIN IMMEDIATE,
 * waiting out other writers up to the busy timeout).  On error the lock
 * is released again. */
int hpo__sqlite_begin(hpo_storage *st, hpo__sqlite *s, int write);
/* Commit when rc >= 0, else roll back; release the lock; return rc (or the
 * commit's error). */
int hpo__sqlite_end(hpo_storage *st, hpo__sqlite *s, int rc);

/* Binding helpers: a non-finite double binds NULL; a NULL text binds NULL. */
void hpo__sqlite_bind_double(sqlite3_stmt *q, int i, double v);
void hpo__sqlite_bind_text(sqlite3_stmt *q, int i, const char *text);
/* "now" or an epoch time as Optuna's naive local datetime text; NaN binds
 * NULL. */
void hpo__sqlite_bind_time(sqlite3_stmt *q, int i, double epoch_s);
/* A column read as an epoch time: NULL or unreadable text gives NaN. */
double hpo__sqlite_column_time(sqlite3_stmt *q, int i);

/* sqlite_read.c: append the study's trials with ids in [min_id, max_id] to
 * out, ordered by number; inside a transaction begun by the caller. */
int hpo__sqlite_read_trials(hpo_storage *st, hpo__sqlite *s, int64_t study_id,
                            int64_t min_id, int64_t max_id,
                            hpo__trial_list *out);

#endif
