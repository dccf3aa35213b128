/*
 * pg_harness.h — a throw-away PostgreSQL server for C tests, through
 * tests/pg/pg_server.sh, plus raw SQL to look at what a backend stored.
 *
 *   if (pg_start() != 0) return 1;     // FAILS when binaries are missing
 *   char *url = pg_db_url("mine", "?optuna=3.2");  // creates DB "mine"
 *   char *v = pg_raw_text("mine", "SELECT ...");    // first value or NULL
 *   pg_stop();
 *
 * The server dies with the test process even when ctest kills it
 * (PG_SERVER_WATCH).  Include after check.h; static functions only.
 */
#ifndef HPO_PG_HARNESS_H
#define HPO_PG_HARNESS_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PG_SERVER_SH HPO_SOURCE_DIR "/tests/pg/pg_server.sh"

static char pg_base[256]; /* postgresql://postgres@127.0.0.1:PORT */
static char pg_dir[256];  /* the cluster's directory */
static int pg_port;

static void pg_chomp(char *s)
{
    s[strcspn(s, "\r\n")] = 0;
}

/* Start the server; 0, or 1 after saying why (missing binaries included:
 * CI installs them, so their absence is a failure, not a skip). */
static int pg_start(void)
{
    char cmd[512], url[256] = "";
    snprintf(cmd, sizeof cmd, "PG_SERVER_WATCH=%d bash '%s' start",
             (int)getpid(), PG_SERVER_SH);
    FILE *f = popen(cmd, "r");
    if (!f || !fgets(url, sizeof url, f) || !fgets(pg_dir, sizeof pg_dir, f)) {
        int status = f ? pclose(f) : -1;
        fprintf(stderr,
                "FAIL: could not start a PostgreSQL test server (%s, status "
                "%d).  If the server binaries are missing, run "
                "scripts/setup.sh (it installs postgresql).\n",
                PG_SERVER_SH, status);
        return 1;
    }
    pclose(f);
    pg_chomp(url);
    pg_chomp(pg_dir);
    /* url = postgresql://postgres@127.0.0.1:PORT/postgres */
    char *slash = strrchr(url, '/');
    if (slash)
        *slash = 0;
    snprintf(pg_base, sizeof pg_base, "%s", url);
    const char *colon = strrchr(pg_base, ':');
    pg_port = colon ? atoi(colon + 1) : 0;
    fprintf(stderr, "note: test server %s in %s\n", pg_base, pg_dir);
    return 0;
}

/* pg_server.sh WHAT DIR [MODE]: "stop", "restart" ("fast"/"immediate"). */
static int pg_server_cmd(const char *what, const char *mode)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "bash '%s' %s '%s' %s", PG_SERVER_SH, what,
             pg_dir, mode ? mode : "");
    return system(cmd);
}

static void pg_stop(void)
{
    if (pg_dir[0] && pg_server_cmd("stop", NULL) != 0)
        fprintf(stderr, "note: could not stop the server in %s\n", pg_dir);
}

static void pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *pg_raw_connect(const char *db)
{
    char url[320];
    snprintf(url, sizeof url, "%s/%s", pg_base, db);
    PGconn *c = PQconnectdb(url);
    PQsetNoticeProcessor(c, pg_quiet, NULL); /* "does not exist, skipping" */
    if (PQstatus(c) != CONNECTION_OK)
        fprintf(stderr, "raw connect %s: %s", url, PQerrorMessage(c));
    return c;
}

/* Run SQL on database db; 0 if it worked. */
static int pg_raw_exec(const char *db, const char *sql)
{
    PGconn *c = pg_raw_connect(db);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
             PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "raw %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

/* The first value of a query (malloc'd), or NULL. */
static char *pg_raw_text(const char *db, const char *sql)
{
    PGconn *c = pg_raw_connect(db);
    PGresult *r = PQexec(c, sql);
    char *out = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
        !PQgetisnull(r, 0, 0))
        out = strdup(PQgetvalue(r, 0, 0));
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "raw %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return out;
}

/* Create database db (dropping an old one) and return its URL with query
 * appended (malloc'd). */
static char *pg_db_url(const char *db, const char *query)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
    pg_raw_exec("postgres", sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
    pg_raw_exec("postgres", sql);
    size_t n = strlen(pg_base) + strlen(db) + (query ? strlen(query) : 0) + 2;
    char *url = malloc(n);
    snprintf(url, n, "%s/%s%s", pg_base, db, query ? query : "");
    return url;
}

#endif
