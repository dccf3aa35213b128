/*
 * postgres_conn.c — the PostgreSQL backend's connection: the URL, the
 * session, prepared statements, errors, and the transaction runner that
 * carries a call across a lost connection.
 *
 * URL:  postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?KEY=VALUE&...]
 *       (or postgres://), handed to libpq, which understands the URI form
 *       and its query options (sslmode=, connect_timeout=, ...).  hpo's
 *       own option, removed before libpq sees the URL:
 *         optuna=3.1   (the default) stamp a new database v3.0.0.d, for
 *                      Optuna 3.0-3.1 (Debian's python3-optuna)
 *         optuna=3.2   (also 3.3..3.9, 4, 4.x, 5) stamp v3.2.0.a and create
 *                      the index trials_study_id_key, for Optuna >= 3.2
 *         sync=full    SET synchronous_commit = on for hpo's sessions
 *                      (every commit waits for the server's WAL flush,
 *                      the server's default); sync=normal keeps the
 *                      server's setting.  Either way hpo's commits are
 *                      all synchronous (docs/durability.md says why).
 *       As on SQLite, an existing database keeps its marker, and one whose
 *       marker hpo does not know is refused untouched.
 *
 * Defaults that the URL may override: connect_timeout=10 (a server that
 * does not answer is reported, not waited for forever),
 * application_name=hpo, client_encoding=UTF8.  Every session sets
 * DateStyle ISO (timestamps read back as "YYYY-MM-DD HH:MM:SS[.ffffff]")
 * and extra_float_digits 3 (doubles read back exactly on any server
 * version); notices are dropped, since the library never prints.
 */
#include "postgres_conn.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_RETRY_S 30.0
#define FIRST_BACKOFF_S 0.1
#define MAX_BACKOFF_S 2.0

static const char *const statement_sql[HPO__PGQ_COUNT] = {
#define HPO__PG_STMT_SQL(name, sql) [HPO__PGQ_##name] = sql,
    HPO__PG_STATEMENTS(HPO__PG_STMT_SQL)
#undef HPO__PG_STMT_SQL
};

static const char session_sql[] =
    "SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3;"
    " SET client_min_messages = warning";

/* ------------------------------------------------------------------------- */
/* Errors                                                                     */
/* ------------------------------------------------------------------------- */

int hpo__pg_no_memory(hpo_storage *st)
{
    return hpo__storage_error(st, HPO_ENOMEM, "postgresql: out of memory");
}

/* libpq's messages span lines ("ERROR:  ...\nDETAIL:  ...\n\tIs the
 * server running ...?"): one line, single spaces, no trailing newline. */
static void one_line(char *text)
{
    char *out = text;
    int space = 0;
    for (const char *in = text; *in; in++) {
        if (isspace((unsigned char)*in)) {
            space = out != text;
            continue;
        }
        if (space)
            *out++ = ' ';
        space = 0;
        *out++ = *in;
    }
    *out = 0;
}

static int record(hpo_storage *st, hpo__pg *p, const char *what,
                  const char *libpq_text)
{
    char *text = hpo__strdup(libpq_text && *libpq_text ? libpq_text
                                                       : "no message");
    if (!text)
        return hpo__pg_no_memory(st);
    one_line(text);
    hpo__storage_error(st, HPO_ESTORAGE, "postgresql: %s: %s%s",
                       p->where ? p->where : "?", what, text);
    free(text);
    return HPO_ESTORAGE;
}

/* Connection failures (class 08), and the server going away: admin or
 * crash shutdown, or not accepting connections yet (57P01..57P03). */
static int is_lost(const char *sqlstate)
{
    return strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 ||
           strcmp(sqlstate, "57P02") == 0 || strcmp(sqlstate, "57P03") == 0;
}

int hpo__pg_result_error(hpo_storage *st, hpo__pg *p, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    snprintf(p->sqlstate, sizeof p->sqlstate, "%s", state ? state : "");
    p->lost = PQstatus(p->conn) != CONNECTION_OK || is_lost(p->sqlstate);
    p->conflict = strcmp(p->sqlstate, "40001") == 0 || /* serialization */
                  strcmp(p->sqlstate, "40P01") == 0;   /* deadlock */
    const char *msg = r ? PQresultErrorMessage(r) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(p->conn);
    return record(st, p, "", msg);
}

/* ------------------------------------------------------------------------- */
/* Statements and arguments                                                   */
/* ------------------------------------------------------------------------- */

static int result_ok(const PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    return r && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK);
}

static int prepare(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id)
{
    char name[16];
    snprintf(name, sizeof name, "hpo_%d", (int)id);
    PGresult *r = PQprepare(p->conn, name, statement_sql[id], 0, NULL);
    int rc = result_ok(r) ? HPO_OK : hpo__pg_result_error(st, p, r);
    PQclear(r);
    if (rc == HPO_OK)
        p->prepared[id] = 1;
    return rc;
}

PGresult *hpo__pg_exec(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                       const hpo__pg_args *a)
{
    if (!p->prepared[id] && prepare(st, p, id) != HPO_OK)
        return NULL;
    char name[16];
    snprintf(name, sizeof name, "hpo_%d", (int)id);
    PGresult *r = PQexecPrepared(p->conn, name, a ? a->n : 0,
                                 a ? a->v : NULL, NULL, NULL, 0);
    if (result_ok(r))
        return r;
    hpo__pg_result_error(st, p, r);
    PQclear(r);
    return NULL;
}

int hpo__pg_run_stmt(hpo_storage *st, hpo__pg *p, hpo__pg_stmt_id id,
                     const hpo__pg_args *a)
{
    PGresult *r = hpo__pg_exec(st, p, id, a);
    PQclear(r);
    return r ? HPO_OK : HPO_ESTORAGE;
}

int hpo__pg_exec_sql(hpo_storage *st, hpo__pg *p, const char *sql)
{
    PGresult *r = PQexec(p->conn, sql);
    int rc = result_ok(r) ? HPO_OK : hpo__pg_result_error(st, p, r);
    PQclear(r);
    return rc;
}

void hpo__pg_arg_id(hpo__pg_args *a, int64_t v)
{
    snprintf(a->buf[a->n], sizeof a->buf[a->n], "%" PRId64, v);
    a->v[a->n] = a->buf[a->n];
    a->n++;
}

void hpo__pg_arg_double(hpo__pg_args *a, double v)
{
    /* ±inf is stored as NULL next to its type (Optuna's encoding). */
    if (isfinite(v)) {
        snprintf(a->buf[a->n], sizeof a->buf[a->n], "%.17g", v);
        a->v[a->n] = a->buf[a->n];
    } else {
        a->v[a->n] = NULL;
    }
    a->n++;
}

void hpo__pg_arg_text(hpo__pg_args *a, const char *text)
{
    a->v[a->n++] = text;
}

void hpo__pg_arg_time(hpo__pg_args *a, double epoch_s)
{
    if (hpo__optuna_datetime_format(epoch_s, a->buf[a->n]) == 0)
        a->v[a->n] = a->buf[a->n];
    else
        a->v[a->n] = NULL;
    a->n++;
}

double hpo__pg_double(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NAN;
    return strtod(PQgetvalue(r, row, col), NULL);
}

int64_t hpo__pg_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *hpo__pg_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

double hpo__pg_time(const PGresult *r, int row, int col)
{
    double t;
    if (PQgetisnull(r, row, col) ||
        hpo__optuna_datetime_parse(PQgetvalue(r, row, col), &t) != 0)
        return NAN;
    return t;
}

/* ------------------------------------------------------------------------- */
/* Connecting                                                                 */
/* ------------------------------------------------------------------------- */

static void drop_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The session settings every connection needs; after a reconnect too.
 * Prepared statements do not survive a reconnect: forget them. */
static int start_session(hpo_storage *st, hpo__pg *p)
{
    memset(p->prepared, 0, sizeof p->prepared);
    return hpo__pg_exec_sql(st, p, session_sql);
}

/* Remove hpo's own options from the URL's query; the rest is libpq's. */
static int split_url(hpo_storage *st, const char *url, char **libpq_url,
                     const hpo__optuna_marker **marker)
{
    const char *query = strchr(url, '?');
    size_t base = query ? (size_t)(query - url) : strlen(url);
    /* sync=full (9 bytes) becomes 37: room for it at every 9 bytes */
    char *out = malloc(strlen(url) * 5 + 2);
    if (!out)
        return hpo__pg_no_memory(st);
    memcpy(out, url, base);
    size_t len = base;
    for (const char *opt = query ? query + 1 : NULL; opt && *opt;) {
        size_t n = strcspn(opt, "&");
        if (n == 6 && strncmp(opt, "optuna", 6) == 0) {
            free(out);
            return hpo__storage_error(st, HPO_EINVAL,
                                      "postgresql: option 'optuna' needs a "
                                      "value (optuna=3.1 or optuna=3.2)");
        }
        if (n >= 7 && strncmp(opt, "optuna=", 7) == 0) {
            char value[32];
            snprintf(value, sizeof value, "%.*s", (int)(n - 7), opt + 7);
            if (!(*marker = hpo__optuna_marker_for_version(value))) {
                free(out);
                return hpo__storage_error(
                    st, HPO_EINVAL,
                    "postgresql: optuna=%s: unknown Optuna version (use 3.1 "
                    "for Optuna 3.0-3.1, 3.2 for Optuna 3.2 and later)",
                    value);
            }
        } else if (n == 9 && strncmp(opt, "sync=full", 9) == 0) {
            /* the server's WAL flushed at every commit, whatever the
             * server's own synchronous_commit says */
            static const char full[] = "options=-c%20synchronous_commit%3Don";
            out[len] = len == base ? '?' : '&';
            memcpy(out + len + 1, full, sizeof full - 1);
            len += sizeof full;
        } else if (n == 11 && strncmp(opt, "sync=normal", 11) == 0) {
            /* the server's own setting (on unless configured otherwise) */
        } else if (strncmp(opt, "sync", 4) == 0 && (n == 4 || opt[4] == '=')) {
            free(out);
            return hpo__storage_error(st, HPO_EINVAL,
                                      "postgresql: %.*s: use sync=full or "
                                      "sync=normal",
                                      (int)(n < 40 ? n : 40), opt);
        } else if (n > 0) {
            out[len] = len == base ? '?' : '&';
            len++;
            memcpy(out + len, opt, n);
            len += n;
        }
        opt += n + (opt[n] == '&');
    }
    out[len] = 0;
    *libpq_url = out;
    return HPO_OK;
}

/* Reject what libpq cannot parse before connecting: a typo in the URL is
 * the user's (HPO_EINVAL), not the server's. */
static int check_url(hpo_storage *st, const char *url)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &err);
    if (opts) {
        PQconninfoFree(opts);
        return HPO_OK;
    }
    char shown[1024];
    hpo_url_redact(url, shown, sizeof shown);
    if (err)
        one_line(err);
    /* libpq's text may quote the whole URI: hpo__storage_error blanks the
     * password out of it. */
    hpo__storage_error(st, HPO_EINVAL, "postgresql: %s: %s", shown,
                       err ? err : "out of memory");
    PQfreemem(err);
    return HPO_EINVAL;
}

static int reconnect(hpo_storage *st, hpo__pg *p, double deadline,
                     double *backoff_s);

static int connect_url(hpo_storage *st, hpo__pg *p, const char *url)
{
    /* Entries before dbname are defaults: the URL's own settings, expanded
     * from dbname, override them. */
    const char *keys[] = {"connect_timeout", "application_name",
                          "client_encoding", "dbname", NULL};
    const char *values[] = {"10", "hpo", "UTF8", url, NULL};
    p->conn = PQconnectdbParams(keys, values, 1);
    if (!p->conn)
        return hpo__pg_no_memory(st);
    PQsetNoticeProcessor(p->conn, drop_notice, NULL);
    const char *user = PQuser(p->conn), *db = PQdb(p->conn);
    p->where = hpo__asprintf("%s@%s:%s/%s", user ? user : "?",
                             PQhost(p->conn), PQport(p->conn), db ? db : "?");
    if (!p->where)
        return hpo__pg_no_memory(st);
    if (PQstatus(p->conn) != CONNECTION_OK)
        return record(st, p, "cannot connect: ", PQerrorMessage(p->conn));
    int rc = start_session(st, p);
    if (rc != HPO_OK && p->lost) {
        /* The server answered, then went away (a restart): wait for it as
         * a running study would, rather than fail the open. */
        double backoff_s = FIRST_BACKOFF_S;
        rc = reconnect(st, p, hpo__monotonic() + p->retry_s, &backoff_s);
    }
    return rc;
}

int hpo__pg_open(hpo_storage *st, hpo__pg *p, const char *url)
{
    const hpo__optuna_marker *wanted = &hpo__optuna_marker_3_0;
    p->retry_s = DEFAULT_RETRY_S;
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return hpo__storage_error(st, HPO_ENOMEM, "postgresql: no mutex");
    p->lock_ready = 1;
    const char *why_not = hpo__pq_load();
    if (why_not)
        return hpo__storage_error(st, HPO_ESTORAGE, "postgresql: %s", why_not);
    char *libpq_url = NULL;
    int rc = split_url(st, url, &libpq_url, &wanted);
    if (rc == HPO_OK)
        rc = check_url(st, libpq_url);
    if (rc == HPO_OK)
        rc = connect_url(st, p, libpq_url);
    free(libpq_url);
    if (rc == HPO_OK)
        rc = hpo__pg_init_schema(st, p, wanted);
    return rc;
}

void hpo__pg_close(hpo__pg *p)
{
    hpo__dist_cache_free(&p->dists);
    if (p->conn)
        PQfinish(p->conn);
    p->conn = NULL;
    free(p->where);
    p->where = NULL;
    if (p->lock_ready)
        pthread_mutex_destroy(&p->lock);
    p->lock_ready = 0;
}

/* ------------------------------------------------------------------------- */
/* Transactions                                                               */
/* ------------------------------------------------------------------------- */

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

/* PQreset until the server answers, backing off, until the deadline. */
static int reconnect(hpo_storage *st, hpo__pg *p, double deadline,
                     double *backoff_s)
{
    for (;;) {
        PQreset(p->conn);
        if (PQstatus(p->conn) == CONNECTION_OK &&
            start_session(st, p) == HPO_OK)
            return HPO_OK;
        double left = deadline - hpo__monotonic();
        if (left <= 0) {
            char what[96];
            snprintf(what, sizeof what,
                     "the connection was lost and did not come back within "
                     "%g s: ",
                     p->retry_s);
            return record(st, p, what, PQerrorMessage(p->conn));
        }
        sleep_s(*backoff_s < left ? *backoff_s : left);
        *backoff_s = fmin(*backoff_s * 2, MAX_BACKOFF_S);
    }
}

typedef enum outcome {
    DONE,           /* rc is the answer */
    RUN_AGAIN,      /* rolled back by a conflict: nothing happened */
    LOST,           /* the connection broke before COMMIT was sent */
    LOST_IN_COMMIT  /* ... while COMMIT was on its way: unknown */
} outcome;

static outcome classify(const hpo__pg *p)
{
    return p->lost ? LOST : p->conflict ? RUN_AGAIN : DONE;
}

static int commit(hpo_storage *st, hpo__pg *p, int write, int rc,
                  outcome *how)
{
    if (hpo__pg_exec_sql(st, p, "COMMIT") == HPO_OK)
        return rc;
    *how = classify(p);
    /* A read-only transaction has nothing to lose: what it read stands. */
    if (!write && *how == LOST) {
        *how = DONE;
        return rc;
    }
    if (*how == LOST)
        *how = LOST_IN_COMMIT;
    return HPO_ESTORAGE;
}

/* One run of a body in its own transaction. */
static int attempt(hpo_storage *st, hpo__pg *p, int write,
                   int (*body)(hpo_storage *, hpo__pg *, void *), void *arg,
                   outcome *how)
{
    p->lost = p->conflict = 0;
    *how = DONE;
    if (PQstatus(p->conn) != CONNECTION_OK) {
        *how = LOST;
        return record(st, p, "", PQerrorMessage(p->conn));
    }
    /* A ROLLBACK that failed earlier must not leave us inside a
     * transaction (or an aborted one) now. */
    if (PQtransactionStatus(p->conn) != PQTRANS_IDLE)
        PQclear(PQexec(p->conn, "ROLLBACK"));
    if (hpo__pg_exec_sql(st, p,
                         write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                               : "BEGIN ISOLATION LEVEL REPEATABLE READ "
                                 "READ ONLY") != HPO_OK) {
        *how = classify(p);
        return HPO_ESTORAGE;
    }
    int rc = body(st, p, arg);
    if (p->lost) {
        *how = LOST;
        return rc < 0 ? rc : HPO_ESTORAGE;
    }
    if (rc >= 0)
        return commit(st, p, write, rc, how);
    int conflict = p->conflict;
    PQclear(PQexec(p->conn, "ROLLBACK"));
    *how = conflict ? RUN_AGAIN : DONE;
    return rc;
}

int hpo__pg_transact(hpo_storage *st, hpo__pg *p, const hpo__pg_tx *tx)
{
    pthread_mutex_lock(&p->lock);
    double deadline = hpo__monotonic() + p->retry_s;
    double backoff_s = FIRST_BACKOFF_S;
    int verifying = 0, rc;
    for (;;) {
        outcome how;
        if (verifying) {
            rc = attempt(st, p, 0, tx->verify, tx->arg, &how);
            if (how == DONE && rc == HPO__PG_RERUN) {
                verifying = 0; /* it did not commit: run it again */
                continue;
            }
        } else {
            rc = attempt(st, p, tx->write, tx->body, tx->arg, &how);
            if (how == LOST_IN_COMMIT && tx->verify)
                verifying = 1;
        }
        if (how == DONE)
            break;
        if (hpo__monotonic() >= deadline && how == RUN_AGAIN)
            break; /* rc and the message say which conflict */
        if (how == RUN_AGAIN) {
            /* 0-10 ms from the clock's low digits, to break the lockstep
             * (not rand(): the library leaves the program's RNG alone). */
            sleep_s(fmod(hpo__monotonic() * 1e6, 10.0) * 1e-3);
            continue;
        }
        if ((rc = reconnect(st, p, deadline, &backoff_s)) != HPO_OK)
            break;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* The URL splitter alone, for fuzz/targets/pg_url.c: connects nowhere. */
int hpo__pg_split_url(hpo_storage *st, const char *url, char **libpq_url,
                      const hpo__optuna_marker **marker)
{
    return split_url(st, url, libpq_url, marker);
}
