/*
 * faults.c — the test build's fault injection (faults.h says what and
 * how).  Built only with HPO_FAULTS; the build then links every program
 * with --wrap=FUNCTION for each function below, so a call to malloc in
 * libhpo reaches __wrap_malloc here, which counts it and either fails it
 * or calls the real one (__real_malloc).
 *
 * Calls in this file go to the __real_ functions, so the counter never
 * counts itself.
 */
#define _GNU_SOURCE
#include "faults.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

typedef struct fault {
    atomic_int armed;
    atomic_long calls;
    atomic_int fired;
    long n;
    int code;
    char match[64];
} fault;

static fault faults[HPO__FAULT_KINDS];

static const char *const kind_names[HPO__FAULT_KINDS] = {"alloc", "sqlite",
                                                         "pg"};

const char *hpo__fault_kind_name(hpo__fault_kind kind)
{
    return kind >= 0 && kind < HPO__FAULT_KINDS ? kind_names[kind] : "?";
}

void hpo__fault_arm(hpo__fault_kind kind, long n, int code, const char *match)
{
    fault *f = &faults[kind];
    atomic_store(&f->armed, 0);
    f->n = n;
    f->code = code;
    snprintf(f->match, sizeof f->match, "%s", match ? match : "");
    atomic_store(&f->calls, 0);
    atomic_store(&f->fired, 0);
    atomic_store(&f->armed, 1);
}

void hpo__fault_disarm(void)
{
    for (int k = 0; k < HPO__FAULT_KINDS; k++)
        atomic_store(&faults[k].armed, 0);
}

long hpo__fault_calls(hpo__fault_kind kind)
{
    return atomic_load(&faults[kind].calls);
}

int hpo__fault_fired(hpo__fault_kind kind)
{
    return atomic_load(&faults[kind].fired);
}

/* HPO_FAULT_TRACE=1: where each fault is injected (sanitizer builds), to
 * find the call site behind a sweep's finding. */
static void trace(hpo__fault_kind kind)
{
#if defined(__SANITIZE_ADDRESS__)
    const char *on = getenv("HPO_FAULT_TRACE");
    if (on && *on == '1') {
        fprintf(stderr, "hpo fault: %s call %ld fails here:\n",
                kind_names[kind], atomic_load(&faults[kind].calls));
        __sanitizer_print_stack_trace();
    }
#else
    (void)kind;
#endif
}

/* Count a call; the code to fail it with, or 0 to let it run. */
static int hit(hpo__fault_kind kind, const char *sql)
{
    fault *f = &faults[kind];
    if (!atomic_load(&f->armed))
        return 0;
    if (f->match[0] && (!sql || strncmp(sql, f->match, strlen(f->match)) != 0))
        return 0;
    if (atomic_fetch_add(&f->calls, 1) + 1 != f->n)
        return 0;
    atomic_store(&f->fired, 1);
    trace(kind);
    return f->code ? f->code : 1;
}

/* ------------------------------------------------------------------------- */
/* Allocation                                                                 */
/* ------------------------------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_vasprintf(char **out, const char *fmt, va_list ap);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_vasprintf(char **out, const char *fmt, va_list ap);
int __wrap_asprintf(char **out, const char *fmt, ...);

void *__wrap_malloc(size_t size)
{
    return hit(HPO__FAULT_ALLOC, NULL) ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return hit(HPO__FAULT_ALLOC, NULL) ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return hit(HPO__FAULT_ALLOC, NULL) ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return hit(HPO__FAULT_ALLOC, NULL) ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return hit(HPO__FAULT_ALLOC, NULL) ? NULL : __real_strndup(s, n);
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
    if (hit(HPO__FAULT_ALLOC, NULL)) {
        *out = NULL;
        return -1;
    }
    return __real_vasprintf(out, fmt, ap);
}

int __wrap_asprintf(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = __wrap_vasprintf(out, fmt, ap);
    va_end(ap);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* SQLite                                                                     */
/* ------------------------------------------------------------------------- */

#if HPO_HAVE_SQLITE
#include <sqlite3.h>

int __real_sqlite3_step(sqlite3_stmt *q);
int __real_sqlite3_exec(sqlite3 *db, const char *sql,
                        int (*cb)(void *, int, char **, char **), void *arg,
                        char **err);
int __real_sqlite3_errcode(sqlite3 *db);
int __real_sqlite3_extended_errcode(sqlite3 *db);
const char *__real_sqlite3_errmsg(sqlite3 *db);

int __wrap_sqlite3_step(sqlite3_stmt *q);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql,
                        int (*cb)(void *, int, char **, char **), void *arg,
                        char **err);
int __wrap_sqlite3_errcode(sqlite3 *db);
int __wrap_sqlite3_extended_errcode(sqlite3 *db);
const char *__wrap_sqlite3_errmsg(sqlite3 *db);

/* The connection whose last call was failed here, until its next call:
 * its error code and message are the injected ones. */
static _Thread_local sqlite3 *injected_db;
static _Thread_local int injected_code;
static _Thread_local char injected_text[96];

static int sqlite_hit(sqlite3 *db, const char *sql)
{
    int code = hit(HPO__FAULT_SQLITE, sql);
    injected_db = code ? db : NULL;
    injected_code = code;
    if (code)
        snprintf(injected_text, sizeof injected_text, "%s (injected fault)",
                 sqlite3_errstr(code));
    return code;
}

int __wrap_sqlite3_step(sqlite3_stmt *q)
{
    int code = sqlite_hit(sqlite3_db_handle(q), sqlite3_sql(q));
    return code ? code : __real_sqlite3_step(q);
}

int __wrap_sqlite3_exec(sqlite3 *db, const char *sql,
                        int (*cb)(void *, int, char **, char **), void *arg,
                        char **err)
{
    int code = sqlite_hit(db, sql);
    if (!code)
        return __real_sqlite3_exec(db, sql, cb, arg, err);
    if (err)
        *err = sqlite3_mprintf("%s", injected_text);
    return code;
}

int __wrap_sqlite3_errcode(sqlite3 *db)
{
    return db == injected_db ? injected_code : __real_sqlite3_errcode(db);
}

int __wrap_sqlite3_extended_errcode(sqlite3 *db)
{
    return db == injected_db ? injected_code
                             : __real_sqlite3_extended_errcode(db);
}

const char *__wrap_sqlite3_errmsg(sqlite3 *db)
{
    return db == injected_db ? injected_text : __real_sqlite3_errmsg(db);
}
#endif

/* ------------------------------------------------------------------------- */
/* libpq                                                                      */
/* ------------------------------------------------------------------------- */

#if HPO_HAVE_POSTGRES
#include <libpq-fe.h>
#include <sys/socket.h>

PGresult *__real_PQexec(PGconn *c, const char *sql);
PGresult *__real_PQexecParams(PGconn *c, const char *sql, int n,
                              const Oid *types, const char *const *values,
                              const int *lengths, const int *formats,
                              int result_format);
PGresult *__real_PQexecPrepared(PGconn *c, const char *name, int n,
                                const char *const *values, const int *lengths,
                                const int *formats, int result_format);
PGresult *__real_PQprepare(PGconn *c, const char *name, const char *sql,
                           int n, const Oid *types);

PGresult *__wrap_PQexec(PGconn *c, const char *sql);
PGresult *__wrap_PQexecParams(PGconn *c, const char *sql, int n,
                              const Oid *types, const char *const *values,
                              const int *lengths, const int *formats,
                              int result_format);
PGresult *__wrap_PQexecPrepared(PGconn *c, const char *name, int n,
                                const char *const *values, const int *lengths,
                                const int *formats, int result_format);
PGresult *__wrap_PQprepare(PGconn *c, const char *name, const char *sql,
                           int n, const Oid *types);

/* The network goes away under the connection: the server sees the client
 * gone (and rolls back what it had open), libpq sees its socket dead. */
static void cut(PGconn *c)
{
    int fd = PQsocket(c);
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR);
}

/* Before a call: LOST cuts the connection first, so the call fails as a
 * real one would. */
static int pg_before(PGconn *c, const char *sql)
{
    int code = hit(HPO__FAULT_PG, sql);
    if (code == HPO__FAULT_PG_LOST)
        cut(c);
    return code;
}

/* After a call: LOST_AFTER throws its answer away and cuts the
 * connection; the caller gets what libpq says of a dead connection. */
static PGresult *pg_after(PGconn *c, int code, PGresult *r)
{
    if (code != HPO__FAULT_PG_LOST_AFTER)
        return r;
    PQclear(r);
    cut(c);
    return __real_PQexec(c, "SELECT 1");
}

PGresult *__wrap_PQexec(PGconn *c, const char *sql)
{
    int code = pg_before(c, sql);
    return pg_after(c, code, __real_PQexec(c, sql));
}

PGresult *__wrap_PQexecParams(PGconn *c, const char *sql, int n,
                              const Oid *types, const char *const *values,
                              const int *lengths, const int *formats,
                              int result_format)
{
    int code = pg_before(c, sql);
    return pg_after(c, code,
                    __real_PQexecParams(c, sql, n, types, values, lengths,
                                        formats, result_format));
}

PGresult *__wrap_PQexecPrepared(PGconn *c, const char *name, int n,
                                const char *const *values, const int *lengths,
                                const int *formats, int result_format)
{
    int code = pg_before(c, name);
    return pg_after(c, code,
                    __real_PQexecPrepared(c, name, n, values, lengths,
                                          formats, result_format));
}

PGresult *__wrap_PQprepare(PGconn *c, const char *name, const char *sql,
                           int n, const Oid *types)
{
    int code = pg_before(c, sql);
    return pg_after(c, code, __real_PQprepare(c, name, sql, n, types));
}
#endif

/* ------------------------------------------------------------------------- */
/* Arming from the environment (the hpo tool)                                 */
/* ------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int code;
} code_names[] = {
#if HPO_HAVE_SQLITE
    {"busy", SQLITE_BUSY}, {"ioerr", SQLITE_IOERR}, {"full", SQLITE_FULL},
#endif
    {"lost", HPO__FAULT_PG_LOST}, {"lost_after", HPO__FAULT_PG_LOST_AFTER},
};

static int armed_kind = -1;

static void write_log(void)
{
    const char *path = getenv("HPO_FAULT_LOG");
    FILE *f = path && armed_kind >= 0 ? fopen(path, "a") : NULL;
    if (!f)
        return;
    fprintf(f, "%s %ld %d\n", kind_names[armed_kind],
            hpo__fault_calls(armed_kind), hpo__fault_fired(armed_kind));
    fclose(f);
}

/* "KIND:N[:CODE][:match=PREFIX]"; a spec that does not parse arms
 * nothing (the sweep then sees no log line and says so). */
static void arm_from_spec(const char *spec)
{
    char kind[16] = "", rest[160] = "";
    long n = 0;
    if (sscanf(spec, "%15[a-z]:%ld%159s", kind, &n, rest) < 2)
        return;
    int k;
    for (k = 0; k < HPO__FAULT_KINDS && strcmp(kind, kind_names[k]); k++)
        ;
    if (k == HPO__FAULT_KINDS)
        return;
    int code = k == HPO__FAULT_PG ? HPO__FAULT_PG_LOST : 0;
#if HPO_HAVE_SQLITE
    if (k == HPO__FAULT_SQLITE)
        code = SQLITE_IOERR;
#endif
    const char *match = NULL;
    for (char *part = strtok(rest, ":"); part; part = strtok(NULL, ":")) {
        if (strncmp(part, "match=", 6) == 0)
            match = part + 6;
        for (size_t i = 0; i < sizeof code_names / sizeof code_names[0]; i++)
            if (strcmp(part, code_names[i].name) == 0)
                code = code_names[i].code;
    }
    hpo__fault_arm(k, n, code, match);
    armed_kind = k;
    atexit(write_log);
}

/* cJSON allocates through its hooks, in its own library where --wrap does
 * not reach: point them at the counted malloc. */
__attribute__((constructor)) static void faults_init(void)
{
    cJSON_Hooks hooks = {__wrap_malloc, free};
    cJSON_InitHooks(&hooks);
    const char *spec = getenv("HPO_FAULT");
    if (spec && *spec)
        arm_from_spec(spec);
}
