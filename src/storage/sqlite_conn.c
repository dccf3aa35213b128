/*
 * sqlite_conn.c — the SQLite backend's connection: URL, pragmas, Optuna's
 * schema and version marker, cached statements and transactions.
 *
 * URL:  sqlite:///PATH[?KEY=VALUE&...], as SQLAlchemy spells it:
 *         sqlite:///study.db         relative to the working directory
 *         sqlite:////abs/study.db    absolute (four slashes)
 *         sqlite:///:memory:         private to the handle (tests)
 *       Options:
 *         optuna=3.1   (the default) stamp a new database with alembic
 *                      v3.0.0.d, which Optuna 3.0 and 3.1 open (Debian
 *                      bookworm's python3-optuna is 3.1)
 *         optuna=3.2   (also 3.3..3.9, 4, 4.x, 5) stamp v3.2.0.a and create
 *                      the index trials_study_id_key, for Optuna >= 3.2 and
 *                      optuna-dashboard >= 0.20
 *         timeout=S    wait up to S seconds for other writers (default 30)
 *         sync=LEVEL   PRAGMA synchronous: off, normal (default) or full
 *       The option only chooses the marker of a database hpo creates: an
 *       existing database keeps its own marker, and one whose marker hpo
 *       does not know is refused untouched.
 *
 * Every open first checks, reading only, that the file is one hpo may use
 * (a new or empty database, or an Optuna database of a version hpo knows;
 * not another program's database, a damaged or a read-only file): a
 * refused file keeps every byte and gets no -wal or -shm file.  Then it
 * sets foreign_keys on, WAL journaling (readers never wait for the writer)
 * and the busy timeout, and adds hpo's indexes to trials (see
 * optuna_schema.c).
 */
#include "sqlite_conn.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define DEFAULT_TIMEOUT_S 30.0

static const char *const statement_sql[HPO__Q_COUNT] = {
#define HPO__SQLITE_STMT_SQL(name, sql) [HPO__Q_##name] = sql,
    HPO__SQLITE_STATEMENTS(HPO__SQLITE_STMT_SQL)
#undef HPO__SQLITE_STMT_SQL
};

/* ------------------------------------------------------------------------- */
/* Errors, statements, bindings                                               */
/* ------------------------------------------------------------------------- */

int hpo__sqlite_error(hpo_storage *st, hpo__sqlite *s)
{
    int code = sqlite3_errcode(s->db) & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return hpo__storage_error(
            st, HPO_ESTORAGE,
            "sqlite: %s: %s (gave up waiting for other writers after at most "
            "%g s; "
            "raise the wait with ?timeout=SECONDS)",
            s->path, sqlite3_errmsg(s->db), s->timeout_s);
    return hpo__storage_error(st, HPO_ESTORAGE, "sqlite: %s: %s", s->path,
                              sqlite3_errmsg(s->db));
}

sqlite3_stmt *hpo__sqlite_stmt(hpo_storage *st, hpo__sqlite *s,
                               hpo__sqlite_stmt_id id)
{
    sqlite3_stmt *q = s->stmt[id];
    if (q) {
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        return q;
    }
    if (sqlite3_prepare_v3(s->db, statement_sql[id], -1,
                           SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
        hpo__sqlite_error(st, s);
        return NULL;
    }
    return s->stmt[id] = q;
}

int hpo__sqlite_exec(hpo_storage *st, hpo__sqlite *s, sqlite3_stmt *q)
{
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        hpo__sqlite_error(st, s);
        sqlite3_reset(q);
        return HPO_ESTORAGE;
    }
    sqlite3_reset(q);
    return HPO_OK;
}

void hpo__sqlite_bind_double(sqlite3_stmt *q, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(q, i, v);
    else
        sqlite3_bind_null(q, i);
}

void hpo__sqlite_bind_text(sqlite3_stmt *q, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(q, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

void hpo__sqlite_bind_time(sqlite3_stmt *q, int i, double epoch_s)
{
    char buf[HPO__OPTUNA_DATETIME_LEN];
    if (hpo__optuna_datetime_format(epoch_s, buf) == 0)
        sqlite3_bind_text(q, i, buf, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

double hpo__sqlite_column_time(sqlite3_stmt *q, int i)
{
    double t;
    if (sqlite3_column_type(q, i) == SQLITE_NULL)
        return NAN;
    if (hpo__optuna_datetime_parse((const char *)sqlite3_column_text(q, i),
                                   &t) != 0)
        return NAN;
    return t;
}

/* ------------------------------------------------------------------------- */
/* Transactions                                                               */
/* ------------------------------------------------------------------------- */

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* SQLite goes on writing to a file that was deleted or replaced under it,
 * into an inode nobody can open again: refuse, so no finished trial is
 * reported stored where it will never be found. */
static int check_still_there(hpo_storage *st, hpo__sqlite *s)
{
    struct stat sb;
    if (!s->watch_file)
        return HPO_OK;
    if (stat(s->path, &sb) != 0)
        return hpo__storage_error(st, HPO_ESTORAGE,
                                  "sqlite: %s: the database file was deleted "
                                  "while open (%s); nothing more is written",
                                  s->path, strerror(errno));
    if (sb.st_dev != s->dev || sb.st_ino != s->ino)
        return hpo__storage_error(st, HPO_ESTORAGE,
                                  "sqlite: %s: the database file was replaced "
                                  "while open; nothing more is written",
                                  s->path);
    return HPO_OK;
}

/* Under ?sync=full, switch the connection's synchronous to what this
 * write needs: one fsync per finished trial instead of one per commit
 * (ask, each parameter, tell), which under other processes' disk load is
 * what made sync=full slow. */
static int set_sync_level(hpo_storage *st, hpo__sqlite *s, int write)
{
    int full = write == HPO__SQLITE_DURABLE;
    if (!s->sync_full || !write || full == s->syncing)
        return HPO_OK;
    sqlite3_stmt *q =
        hpo__sqlite_stmt(st, s, full ? HPO__Q_SYNC_FULL : HPO__Q_SYNC_NORMAL);
    if (!q || hpo__sqlite_exec(st, s, q) != HPO_OK)
        return HPO_ESTORAGE;
    s->syncing = full;
    return HPO_OK;
}

int hpo__sqlite_begin(hpo_storage *st, hpo__sqlite *s, int write)
{
    if (write && check_still_there(st, s) != HPO_OK)
        return HPO_ESTORAGE;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q =
        set_sync_level(st, s, write) != HPO_OK ? NULL
        : hpo__sqlite_stmt(st, s, write ? HPO__Q_BEGIN_WRITE : HPO__Q_BEGIN_READ);
    if (!q) {
        pthread_mutex_unlock(&s->lock);
        return HPO_ESTORAGE;
    }
    /* The busy handler waits inside step; a few BUSY codes (WAL recovery
     * by another process) return at once, so retry until the deadline. */
    double deadline = hpo__monotonic() + s->timeout_s;
    for (;;) {
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc == SQLITE_DONE)
            return HPO_OK;
        if ((rc & 0xff) != SQLITE_BUSY || hpo__monotonic() >= deadline) {
            hpo__sqlite_error(st, s);
            pthread_mutex_unlock(&s->lock);
            return HPO_ESTORAGE;
        }
        sleep_ms(5);
    }
}

static void rollback(hpo__sqlite *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int hpo__sqlite_end(hpo_storage *st, hpo__sqlite *s, int rc)
{
    if (rc >= 0) {
        sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_COMMIT);
        if (!q || hpo__sqlite_exec(st, s, q) != HPO_OK)
            rc = HPO_ESTORAGE;
    }
    if (rc < 0)
        rollback(s);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* URL                                                                        */
/* ------------------------------------------------------------------------- */

static int parse_option(hpo_storage *st, hpo__sqlite *s, const char *opt,
                        size_t len, const hpo__optuna_marker **marker)
{
    const char *eq = memchr(opt, '=', len);
    if (!eq)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "sqlite: option '%.*s' needs a value "
                                  "(KEY=VALUE)",
                                  (int)len, opt);
    size_t klen = (size_t)(eq - opt);
    char value[64];
    size_t vlen = len - klen - 1;
    if (vlen >= sizeof value)
        vlen = sizeof value - 1;
    memcpy(value, eq + 1, vlen);
    value[vlen] = 0;
    if (klen == 6 && strncmp(opt, "optuna", 6) == 0) {
        *marker = hpo__optuna_marker_for_version(value);
        if (!*marker)
            return hpo__storage_error(
                st, HPO_EINVAL,
                "sqlite: optuna=%s: unknown Optuna version (use 3.1 for "
                "Optuna 3.0-3.1, 3.2 for Optuna 3.2 and later)",
                value);
        return HPO_OK;
    }
    if (klen == 7 && strncmp(opt, "timeout", 7) == 0) {
        char *end;
        double t = strtod(value, &end);
        if (end == value || *end || !(t >= 0) || t > 1e6)
            return hpo__storage_error(st, HPO_EINVAL,
                                      "sqlite: timeout=%s: not a number of "
                                      "seconds",
                                      value);
        s->timeout_s = t;
        return HPO_OK;
    }
    if (klen == 4 && strncmp(opt, "sync", 4) == 0) {
        static const char *const levels[] = {"OFF", "NORMAL", "FULL", NULL};
        for (int i = 0; levels[i]; i++)
            if (strcasecmp(value, levels[i]) == 0) {
                s->sync = levels[i];
                return HPO_OK;
            }
        return hpo__storage_error(st, HPO_EINVAL,
                                  "sqlite: sync=%s: expected off, normal or "
                                  "full",
                                  value);
    }
    return hpo__storage_error(st, HPO_EINVAL,
                              "sqlite: unknown URL option '%.*s' (known: "
                              "optuna, timeout, sync)",
                              (int)klen, opt);
}

/* Split sqlite:///PATH?OPTIONS into s->path, the wanted marker and the
 * timeout. */
static int parse_url(hpo_storage *st, hpo__sqlite *s, const char *url,
                     const hpo__optuna_marker **marker)
{
    static const char prefix[] = "sqlite:///";
    if (strncmp(url, prefix, sizeof prefix - 1) != 0)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "sqlite: '%s' is not a sqlite:///PATH URL "
                                  "(use sqlite:///rel.db or "
                                  "sqlite:////abs/path.db)",
                                  url);
    const char *path = url + sizeof prefix - 1;
    const char *query = strchr(path, '?');
    size_t path_len = query ? (size_t)(query - path) : strlen(path);
    if (path_len == 0)
        return hpo__storage_error(st, HPO_EINVAL,
                                  "sqlite: '%s' names no file", url);
    s->path = hpo__strndup(path, path_len);
    if (!s->path)
        return hpo__storage_error(st, HPO_ENOMEM, "sqlite: out of memory");
    for (const char *opt = query ? query + 1 : NULL; opt && *opt;) {
        size_t len = strcspn(opt, "&");
        int rc = len ? parse_option(st, s, opt, len, marker) : HPO_OK;
        if (rc != HPO_OK)
            return rc;
        opt += len + (opt[len] == '&');
    }
    return HPO_OK;
}

/* SQLite says only "unable to open database file"; say which part is
 * missing. */
static int check_directory(hpo_storage *st, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return HPO_OK;
    char *dir = hpo__strndup(path, (size_t)(slash - path));
    if (!dir)
        return hpo__storage_error(st, HPO_ENOMEM, "sqlite: out of memory");
    struct stat sb;
    int rc = HPO_OK;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        rc = hpo__storage_error(st, HPO_ESTORAGE,
                                "sqlite: cannot open %s: directory %s does "
                                "not exist",
                                path, dir);
    free(dir);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Schema and version marker                                                  */
/* ------------------------------------------------------------------------- */

/* Run SQL outside a transaction.  Some statements (switching the journal
 * to WAL while another process opens the same new file) return BUSY at
 * once without calling the busy handler: retry those until the timeout. */
static int exec_sql(hpo_storage *st, hpo__sqlite *s, const char *sql)
{
    double deadline = hpo__monotonic() + s->timeout_s;
    int rc;
    while ((rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) != SQLITE_OK) {
        if ((rc & 0xff) != SQLITE_BUSY || hpo__monotonic() >= deadline)
            return hpo__sqlite_error(st, s);
        sleep_ms(5);
    }
    return HPO_OK;
}

/* Does the database have a table of this name? */
static int has_table(hpo_storage *st, hpo__sqlite *s, const char *name,
                     int *yes)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                           " AND name = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return hpo__sqlite_error(st, s);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    *yes = rc == SQLITE_ROW;
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return hpo__sqlite_error(st, s);
    return HPO_OK;
}

/* The marker stored in alembic_version: *found NULL and *empty 1 when the
 * table is absent or empty. */
static int read_marker(hpo_storage *st, hpo__sqlite *s,
                       const hpo__optuna_marker **found, int *empty)
{
    int exists = 0;
    int rc = has_table(st, s, "alembic_version", &exists);
    *found = NULL;
    *empty = 1;
    if (rc != HPO_OK || !exists)
        return rc;
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_ALEMBIC_GET);
    if (!q)
        return HPO_ESTORAGE;
    int n = 0;
    char first[64] = "";
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (n++ == 0 && sqlite3_column_text(q, 0))
            snprintf(first, sizeof first, "%s",
                     (const char *)sqlite3_column_text(q, 0));
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return hpo__sqlite_error(st, s);
    if (n == 0)
        return HPO_OK;
    *empty = 0;
    *found = hpo__optuna_marker_find(first);
    if (n > 1 || !*found)
        return hpo__storage_error(
            st, HPO_ESTORAGE,
            "sqlite: %s: Optuna schema version '%s'%s is not one hpo knows "
            "(%s, %s); the database was left untouched",
            s->path, first, n > 1 ? " (with several alembic heads)" : "",
            hpo__optuna_marker_3_0.marker, hpo__optuna_marker_3_2.marker);
    return HPO_OK;
}

/* Is version_info empty?  Refuse an unstamped pre-alembic Optuna database
 * (schema_version < 12): Python would migrate it from its base revision,
 * hpo cannot.  Once stamped, the alembic marker alone decides, as in
 * Python. */
static int check_schema_version(hpo_storage *st, hpo__sqlite *s,
                                int alembic_empty, int *empty)
{
    sqlite3_stmt *q = hpo__sqlite_stmt(st, s, HPO__Q_VERSION_GET);
    if (!q)
        return HPO_ESTORAGE;
    int rc = sqlite3_step(q);
    *empty = rc != SQLITE_ROW;
    int version = *empty ? HPO__OPTUNA_SCHEMA_VERSION
                         : sqlite3_column_int(q, 0);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return hpo__sqlite_error(st, s);
    if (alembic_empty && version != HPO__OPTUNA_SCHEMA_VERSION)
        return hpo__storage_error(st, HPO_ESTORAGE,
                                  "sqlite: %s: Optuna schema_version %d "
                                  "predates Optuna 3 (%d); upgrade it with "
                                  "`optuna storage upgrade`",
                                  s->path, version,
                                  HPO__OPTUNA_SCHEMA_VERSION);
    return HPO_OK;
}

static int create_tables(hpo_storage *st, hpo__sqlite *s)
{
    for (int i = 0; i < hpo__optuna_ddl_count(HPO__SQL_SQLITE); i++) {
        char *sql = hpo__optuna_ddl(HPO__SQL_SQLITE, i);
        if (!sql)
            return hpo__storage_error(st, HPO_ENOMEM, "sqlite: out of memory");
        int rc = exec_sql(st, s, sql);
        free(sql);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

/* Stamp the version tables where they are empty, as Python's first process
 * would. */
static int stamp(hpo_storage *st, hpo__sqlite *s, int alembic_empty,
                 int version_empty)
{
    sqlite3_stmt *q;
    if (version_empty) {
        if (!(q = hpo__sqlite_stmt(st, s, HPO__Q_VERSION_SET)))
            return HPO_ESTORAGE;
        sqlite3_bind_int(q, 1, HPO__OPTUNA_SCHEMA_VERSION);
        sqlite3_bind_text(q, 2, s->marker->library_version, -1, SQLITE_STATIC);
        if (hpo__sqlite_exec(st, s, q) != HPO_OK)
            return HPO_ESTORAGE;
    }
    if (alembic_empty) {
        if (!(q = hpo__sqlite_stmt(st, s, HPO__Q_ALEMBIC_SET)))
            return HPO_ESTORAGE;
        sqlite3_bind_text(q, 1, s->marker->marker, -1, SQLITE_STATIC);
        if (hpo__sqlite_exec(st, s, q) != HPO_OK)
            return HPO_ESTORAGE;
    }
    return HPO_OK;
}

/* A database with tables of its own and none of Optuna's belongs to some
 * other program: refuse it rather than add Optuna's tables beside them. */
static int check_is_optuna(hpo_storage *st, hpo__sqlite *s)
{
    static const char *const optuna_tables[] = {"alembic_version", "studies",
                                                 "version_info", NULL};
    int yes = 0, rc = HPO_OK;
    for (int i = 0; optuna_tables[i] && !yes && rc == HPO_OK; i++)
        rc = has_table(st, s, optuna_tables[i], &yes);
    if (rc != HPO_OK || yes)
        return rc;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK)
        return hpo__sqlite_error(st, s);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        rc = hpo__storage_error(st, HPO_ESTORAGE,
                                "sqlite: %s: not an Optuna database (it has "
                                "a table '%s' and none of Optuna's); the "
                                "database was left untouched",
                                s->path,
                                (const char *)sqlite3_column_text(q, 0));
    else if (step != SQLITE_DONE)
        rc = hpo__sqlite_error(st, s);
    sqlite3_finalize(q);
    return rc;
}

/* Everything that decides whether hpo may use the database, read without
 * writing: the first open runs it in a read transaction before anything
 * persistent (the journal mode, the schema) is changed, and the write
 * transaction runs it again, since another process may have created the
 * schema in between. */
static int inspect(hpo_storage *st, hpo__sqlite *s,
                   const hpo__optuna_marker **found, int *alembic_empty,
                   int *version_empty)
{
    int has_version = 0;
    int rc = read_marker(st, s, found, alembic_empty);
    if (rc == HPO_OK)
        rc = check_is_optuna(st, s);
    if (rc == HPO_OK)
        rc = has_table(st, s, "version_info", &has_version);
    *version_empty = 1;
    if (rc == HPO_OK && has_version)
        rc = check_schema_version(st, s, *alembic_empty, version_empty);
    return rc;
}

static int init_schema(hpo_storage *st, hpo__sqlite *s,
                       const hpo__optuna_marker *wanted)
{
    const hpo__optuna_marker *found;
    int alembic_empty, version_empty;
    int rc = inspect(st, s, &found, &alembic_empty, &version_empty);
    if (rc == HPO_OK)
        rc = create_tables(st, s);
    if (rc != HPO_OK)
        return rc;
    s->marker = found ? found : wanted;
    rc = stamp(st, s, alembic_empty, version_empty);
    if (rc == HPO_OK && s->marker->has_study_index)
        rc = exec_sql(st, s, hpo__optuna_study_index_ddl);
    if (rc == HPO_OK)
        rc = exec_sql(st, s, hpo__optuna_hpo_index_ddl);
    if (rc == HPO_OK)
        rc = exec_sql(st, s, hpo__optuna_number_index_ddl);
    return rc;
}

/* The read-only pass of inspect, before the first write. */
static int check_before_writing(hpo_storage *st, hpo__sqlite *s)
{
    const hpo__optuna_marker *found;
    int alembic_empty, version_empty;
    int rc = hpo__sqlite_begin(st, s, 0);
    if (rc != HPO_OK)
        return rc;
    rc = inspect(st, s, &found, &alembic_empty, &version_empty);
    return hpo__sqlite_end(st, s, rc);
}

/* ------------------------------------------------------------------------- */
/* Open and close                                                             */
/* ------------------------------------------------------------------------- */

static int set_pragmas(hpo_storage *st, hpo__sqlite *s, int in_memory)
{
    /* SQLite quietly opens a write-protected file read-only; say so before
     * the first write fails with a vaguer text. */
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return hpo__storage_error(st, HPO_ESTORAGE,
                                  "sqlite: %s: the file is read-only (hpo "
                                  "writes trials to it)",
                                  s->path);
    sqlite3_busy_timeout(s->db, (int)(s->timeout_s * 1000));
    int rc = exec_sql(st, s, "PRAGMA foreign_keys = ON");
    /* The journal mode is written into the file: only once the file is
     * known to be one hpo may use. */
    if (rc == HPO_OK)
        rc = check_before_writing(st, s);
    if (rc == HPO_OK && !in_memory)
        rc = exec_sql(st, s, "PRAGMA journal_mode = WAL");
    /* In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash
     * of the process or the machine never corrupts the file, and a power
     * cut may lose only the last commits.  sync=full pays an fsync per
     * commit (Python Optuna's default, and most of its cost). */
    char pragma[48];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %s", s->sync);
    if (rc == HPO_OK && !in_memory)
        rc = exec_sql(st, s, pragma);
    s->sync_full = s->syncing = !in_memory && strcmp(s->sync, "FULL") == 0;
    return rc;
}

int hpo__sqlite_open(hpo_storage *st, hpo__sqlite *s, const char *url)
{
    const hpo__optuna_marker *wanted = &hpo__optuna_marker_3_0;
    s->timeout_s = DEFAULT_TIMEOUT_S;
    s->sync = "NORMAL";
    if (pthread_mutex_init(&s->lock, NULL) != 0)
        return hpo__storage_error(st, HPO_ENOMEM, "sqlite: no mutex");
    s->lock_ready = 1;
    int rc = parse_url(st, s, url, &wanted);
    if (rc != HPO_OK)
        return rc;
    int in_memory = strcmp(s->path, ":memory:") == 0;
    if (!in_memory && (rc = check_directory(st, s->path)) != HPO_OK)
        return rc;
    if (sqlite3_open_v2(s->path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        if (!s->db)
            return hpo__storage_error(st, HPO_ENOMEM, "sqlite: out of memory");
        return hpo__sqlite_error(st, s);
    }
    if ((rc = set_pragmas(st, s, in_memory)) != HPO_OK)
        return rc;
    struct stat sb;
    if (!in_memory && stat(s->path, &sb) == 0) {
        s->watch_file = 1;
        s->dev = sb.st_dev;
        s->ino = sb.st_ino;
    }
    if ((rc = hpo__sqlite_begin(st, s, 1)) != HPO_OK)
        return rc;
    return hpo__sqlite_end(st, s, init_schema(st, s, wanted));
}

void hpo__sqlite_close(hpo__sqlite *s)
{
    for (int i = 0; i < HPO__Q_COUNT; i++)
        sqlite3_finalize(s->stmt[i]); /* NULL is a no-op */
    memset(s->stmt, 0, sizeof s->stmt);
    hpo__dist_cache_free(&s->dists);
    if (s->db)
        sqlite3_close_v2(s->db);
    s->db = NULL;
    free(s->path);
    s->path = NULL;
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    s->lock_ready = 0;
}

/* The URL parser alone, for fuzz/targets/sqlite_url.c: opens nothing. */
int hpo__sqlite_parse_url(hpo_storage *st, hpo__sqlite *s, const char *url,
                          const hpo__optuna_marker **marker)
{
    return parse_url(st, s, url, marker);
}
