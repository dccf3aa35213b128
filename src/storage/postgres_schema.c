/*
 * postgres_schema.c — Optuna's schema and version marker in a PostgreSQL
 * database (the DDL itself is optuna_schema.c's, in its PostgreSQL
 * spelling).
 *
 * Everything happens in one transaction that first takes a
 * transaction-level advisory lock, so workers starting together against an
 * empty database create the schema once: the others wait for the lock and
 * then find it complete.  (CREATE ... IF NOT EXISTS alone is not enough:
 * two sessions creating the same table or enum type at once collide on
 * the catalogs' unique indexes.)
 *
 * Only absent objects are created.  Besides saving work, this keeps an
 * open from taking the SHARE lock that even CREATE INDEX IF NOT EXISTS
 * takes on its table, which would stall every worker writing trials.
 *
 * The marker rules are SQLite's (sqlite_conn.c): an existing marker wins,
 * an unknown one is refused before anything is changed, an unstamped
 * pre-Optuna-3 schema is refused, empty version tables are stamped.
 */
#include "postgres_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pg_advisory_xact_lock key: an arbitrary constant that every hpo
 * uses for this one purpose. */
#define SCHEMA_LOCK_KEY "7530323932413553"

/* One value of a one-parameter query (NULL parameter: none). */
static int query_text(hpo_storage *st, hpo__pg *p, const char *sql,
                      const char *param, char *out, size_t size, int *rows)
{
    PGresult *r = PQexecParams(p->conn, sql, param ? 1 : 0, NULL,
                               param ? &param : NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = hpo__pg_result_error(st, p, r);
        PQclear(r);
        return rc;
    }
    *rows = PQntuples(r);
    out[0] = 0;
    if (*rows > 0 && !PQgetisnull(r, 0, 0))
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return HPO_OK;
}

/* The object a DDL statement makes: the word after "IF NOT EXISTS" (tables,
 * indexes) or "CREATE TYPE" (the enum blocks).  0 if there is none. */
static int ddl_object(const char *sql, char *name, size_t size, int *is_type)
{
    static const char *const markers[] = {"IF NOT EXISTS ", "CREATE TYPE "};
    for (int i = 0; i < 2; i++) {
        const char *at = strstr(sql, markers[i]);
        if (!at)
            continue;
        at += strlen(markers[i]);
        size_t n = strcspn(at, " (");
        if (n == 0 || n >= size)
            return 0;
        memcpy(name, at, n);
        name[n] = 0;
        *is_type = i == 1;
        return 1;
    }
    return 0;
}

static int object_exists(hpo_storage *st, hpo__pg *p, const char *name,
                         int is_type, int *yes)
{
    char found[8];
    int rows;
    int rc = query_text(st, p,
                        is_type ? "SELECT to_regtype($1) IS NOT NULL"
                                : "SELECT to_regclass($1) IS NOT NULL",
                        name, found, sizeof found, &rows);
    *yes = rc == HPO_OK && strcmp(found, "t") == 0;
    return rc;
}

/* Run a DDL statement unless what it creates is already there. */
static int create_absent(hpo_storage *st, hpo__pg *p, const char *sql)
{
    char name[128];
    int is_type, exists = 0;
    if (ddl_object(sql, name, sizeof name, &is_type)) {
        int rc = object_exists(st, p, name, is_type, &exists);
        if (rc != HPO_OK)
            return rc;
    }
    return exists ? HPO_OK : hpo__pg_exec_sql(st, p, sql);
}

static int create_tables(hpo_storage *st, hpo__pg *p)
{
    for (int i = 0; i < hpo__optuna_ddl_count(HPO__SQL_POSTGRES); i++) {
        char *sql = hpo__optuna_ddl(HPO__SQL_POSTGRES, i);
        if (!sql)
            return hpo__pg_no_memory(st);
        int rc = create_absent(st, p, sql);
        free(sql);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

/* The marker in alembic_version: *found NULL and *empty 1 when the table
 * is absent or empty. */
static int read_marker(hpo_storage *st, hpo__pg *p,
                       const hpo__optuna_marker **found, int *empty)
{
    int exists, rows;
    char first[64];
    *found = NULL;
    *empty = 1;
    int rc = object_exists(st, p, "alembic_version", 0, &exists);
    if (rc != HPO_OK || !exists)
        return rc;
    rc = query_text(st, p, "SELECT version_num FROM alembic_version", NULL,
                    first, sizeof first, &rows);
    if (rc != HPO_OK || rows == 0)
        return rc;
    *empty = 0;
    *found = hpo__optuna_marker_find(first);
    if (rows > 1 || !*found)
        return hpo__storage_error(
            st, HPO_ESTORAGE,
            "postgresql: %s: Optuna schema version '%s'%s is not one hpo "
            "knows (%s, %s); the database was left untouched",
            p->where, first, rows > 1 ? " (with several alembic heads)" : "",
            hpo__optuna_marker_3_0.marker, hpo__optuna_marker_3_2.marker);
    return HPO_OK;
}

/* Is version_info empty?  An unstamped database whose schema_version is not
 * Optuna 3's predates alembic: Python would migrate it, hpo cannot. */
static int check_schema_version(hpo_storage *st, hpo__pg *p,
                                int alembic_empty, int *empty)
{
    char text[32];
    int rows;
    int rc = query_text(st, p,
                        "SELECT schema_version FROM version_info"
                        " WHERE version_info_id = 1",
                        NULL, text, sizeof text, &rows);
    if (rc != HPO_OK)
        return rc;
    *empty = rows == 0;
    int version = *empty ? HPO__OPTUNA_SCHEMA_VERSION : atoi(text);
    if (alembic_empty && version != HPO__OPTUNA_SCHEMA_VERSION)
        return hpo__storage_error(st, HPO_ESTORAGE,
                                  "postgresql: %s: Optuna schema_version %d "
                                  "predates Optuna 3 (%d); upgrade it with "
                                  "`optuna storage upgrade`",
                                  p->where, version,
                                  HPO__OPTUNA_SCHEMA_VERSION);
    return HPO_OK;
}

static int stamp(hpo_storage *st, hpo__pg *p, int alembic_empty,
                 int version_empty)
{
    hpo__pg_args a = {0};
    if (version_empty) {
        hpo__pg_arg_id(&a, HPO__OPTUNA_SCHEMA_VERSION);
        hpo__pg_arg_text(&a, p->marker->library_version);
        if (hpo__pg_run_stmt(st, p, HPO__PGQ_VERSION_SET, &a) != HPO_OK)
            return HPO_ESTORAGE;
    }
    if (alembic_empty) {
        a.n = 0;
        hpo__pg_arg_text(&a, p->marker->marker);
        if (hpo__pg_run_stmt(st, p, HPO__PGQ_ALEMBIC_SET, &a) != HPO_OK)
            return HPO_ESTORAGE;
    }
    return HPO_OK;
}

static int schema_body(hpo_storage *st, hpo__pg *p, void *arg)
{
    const hpo__optuna_marker *wanted = arg, *found;
    int alembic_empty, version_empty;
    int rc = hpo__pg_exec_sql(
        st, p, "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ")");
    if (rc == HPO_OK)
        rc = read_marker(st, p, &found, &alembic_empty);
    if (rc == HPO_OK)
        rc = create_tables(st, p);
    if (rc == HPO_OK)
        rc = check_schema_version(st, p, alembic_empty, &version_empty);
    if (rc != HPO_OK)
        return rc;
    p->marker = found ? found : wanted;
    rc = stamp(st, p, alembic_empty, version_empty);
    if (rc == HPO_OK && p->marker->has_study_index)
        rc = create_absent(st, p, hpo__optuna_study_index_ddl);
    if (rc == HPO_OK)
        rc = create_absent(st, p, hpo__optuna_hpo_index_ddl);
    if (rc == HPO_OK)
        rc = create_absent(st, p, hpo__optuna_number_index_ddl);
    return rc;
}

int hpo__pg_init_schema(hpo_storage *st, hpo__pg *p,
                        const hpo__optuna_marker *wanted)
{
    /* Idempotent: after a lost connection it simply runs again. */
    hpo__pg_tx tx = {1, schema_body, NULL, (void *)wanted};
    return hpo__pg_transact(st, p, &tx);
}
