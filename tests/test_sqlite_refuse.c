/*
 * test_sqlite_refuse.c — a database hpo refuses is left exactly as it was:
 * the same bytes, and no -wal, -shm or -journal file beside it.
 *
 * Cases: an Optuna schema version hpo does not know (one head, several
 * heads), an Optuna database from before Optuna 3, an SQLite database of
 * some other program, a file that is not a database, a database whose
 * pages are damaged, and a read-only file.  Before the fix the unknown
 * version was refused only after the journal had been switched to WAL (a
 * change to the file's header) and the other program's database got
 * Optuna's tables added to it.
 */
#if !__has_include(<sqlite3.h>)
#include <stdio.h>
int main(void)
{
    fprintf(stderr, "SKIP: built without SQLite (libsqlite3-dev)\n");
    return 0;
}
#else
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "storage/storage.h"

static char dir[64];

static char *path_of(const char *file, const char *suffix)
{
    return hpo__asprintf("%s/%s%s", dir, file, suffix);
}

/* The whole file, for a byte-for-byte comparison; *len = -1 when absent. */
static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    *len = -1;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)*len + 1);
    if (buf && fread(buf, 1, (size_t)*len, f) != (size_t)*len)
        *len = -2;
    fclose(f);
    return buf;
}

/* Build FILE with SQL through plain SQLite (rollback journal, as Optuna
 * leaves its files). */
static void raw_db(const char *file, const char *sql)
{
    char *path = path_of(file, "");
    unlink(path);
    sqlite3 *db;
    sqlite3_open(path, &db);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fprintf(stderr, "raw %s: %s\n", sql, err);
    CHECK(err == NULL);
    sqlite3_free(err);
    sqlite3_close(db);
    free(path);
}

static void write_file(const char *file, long offset, const char *text,
                       int times)
{
    char *path = path_of(file, "");
    FILE *f = fopen(path, offset ? "r+b" : "wb");
    CHECK(f != NULL);
    if (f) {
        fseek(f, offset, SEEK_SET);
        for (int i = 0; i < times; i++)
            fputs(text, f);
        fclose(f);
    }
    free(path);
}

static int exists(const char *file, const char *suffix)
{
    char *path = path_of(file, suffix);
    struct stat sb;
    int yes = stat(path, &sb) == 0;
    free(path);
    return yes;
}

/* Open FILE with hpo, expect a refusal naming `reason`, and find the file
 * as it was.  Returns the number of failed checks. */
static int refused_untouched(const char *file, const char *reason)
{
    int before = check_failures;
    char *path = path_of(file, "");
    long len0, len1;
    char *bytes0 = slurp(path, &len0);
    CHECK(len0 > 0);
    char *url = hpo__asprintf("sqlite:///%s", path);
    hpo_storage *st = NULL;
    CHECK_RC(hpo_storage_open(&st, url), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), reason);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), file);
    hpo_storage_close(st);
    char *bytes1 = slurp(path, &len1);
    CHECK(len1 == len0 && bytes0 && bytes1 &&
          memcmp(bytes0, bytes1, (size_t)len0) == 0);
    CHECK(!exists(file, "-wal"));
    CHECK(!exists(file, "-shm"));
    CHECK(!exists(file, "-journal"));
    if (check_failures != before)
        fprintf(stderr, "  ... in the case %s\n", file);
    free(bytes0);
    free(bytes1);
    free(url);
    free(path);
    return check_failures - before;
}

/* Optuna 3's tables as far as these cases need them. */
#define OPTUNA_TABLES                                                      \
    "CREATE TABLE studies (study_id INTEGER NOT NULL PRIMARY KEY,"          \
    " study_name VARCHAR(512) NOT NULL);"                                  \
    "CREATE TABLE version_info (version_info_id INTEGER NOT NULL"          \
    " PRIMARY KEY, schema_version INTEGER, library_version VARCHAR(256));" \
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL"       \
    " PRIMARY KEY);"                                                       \
    "INSERT INTO studies VALUES (1, 'kept');"

static void test_unknown_version(void)
{
    raw_db("future.db", OPTUNA_TABLES
           "INSERT INTO version_info VALUES (1, 12, '9.0.0');"
           "INSERT INTO alembic_version VALUES ('v9.9.9.z');");
    refused_untouched("future.db", "v9.9.9.z");
    raw_db("heads.db", OPTUNA_TABLES
           "INSERT INTO version_info VALUES (1, 12, '3.1.0');"
           "INSERT INTO alembic_version VALUES ('v3.0.0.d');"
           "INSERT INTO alembic_version VALUES ('v3.2.0.a');");
    refused_untouched("heads.db", "several alembic heads");
    raw_db("old.db", OPTUNA_TABLES
           "INSERT INTO version_info VALUES (1, 11, '2.0.0');");
    refused_untouched("old.db", "schema_version 11");
}

static void test_not_optuna(void)
{
    raw_db("shopping.db", "CREATE TABLE shopping (item TEXT, n INTEGER);"
                          "INSERT INTO shopping VALUES ('eggs', 12);");
    refused_untouched("shopping.db", "not an Optuna database");
}

static void test_corrupt(void)
{
    write_file("junk.db", 0, "this is not an sqlite file at all\n", 200);
    refused_untouched("junk.db", "not a database");
    /* a real database whose pages after the first are overwritten */
    raw_db("damaged.db", OPTUNA_TABLES
           "INSERT INTO version_info VALUES (1, 12, '3.1.0');"
           "INSERT INTO alembic_version VALUES ('v3.0.0.d');");
    write_file("damaged.db", 4096, "\xff\x13garbage", 1500);
    refused_untouched("damaged.db", "damaged.db");
}

/* As root the mode bits do not stop writes, so the open runs in a child
 * that has dropped to user nobody. */
static void test_read_only(void)
{
    raw_db("ro.db", OPTUNA_TABLES
           "INSERT INTO version_info VALUES (1, 12, '3.1.0');"
           "INSERT INTO alembic_version VALUES ('v3.0.0.d');");
    char *path = path_of("ro.db", "");
    chmod(path, 0444);
    chmod(dir, 0755);
    pid_t pid = geteuid() == 0 ? fork() : 0;
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(99);
        int failed = refused_untouched("ro.db", "read-only");
        if (pid == 0 && getuid() == 65534)
            _exit(failed);
    } else {
        int status = -1;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    chmod(dir, 0700);
    free(path);
}

/* The refusals must not stop what is allowed: a fresh file and an empty
 * one become Optuna databases. */
static void test_fresh_still_created(void)
{
    write_file("empty.db", 0, "", 0);
    const char *files[] = {"empty.db", "new.db"};
    for (int i = 0; i < 2; i++) {
        char *url = hpo__asprintf("sqlite:///%s/%s", dir, files[i]);
        hpo_storage *st = NULL;
        CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
        hpo_storage_close(st);
        free(url);
    }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hpo_refuse_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_unknown_version);
    RUN(test_not_optuna);
    RUN(test_corrupt);
    RUN(test_read_only);
    RUN(test_fresh_still_created);
    char *rm = hpo__asprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    free(rm);
    return CHECK_DONE();
}
#endif
