/*
 * faults.h — fault injection for test builds (as SQLite's SQLITE_TEST).
 *
 * Compiled only with -DHPO_FAULTS=ON (the default of the sanitizer build):
 * faults.c then sits in libhpo and every program of that build is linked
 * with --wrap for the functions below, so each call site in libhpo and the
 * hpo tool goes through a counter without a line of theirs changing.  A
 * normal build has neither the file nor the wrapping, and no code of the
 * library refers to it: nothing here can run in production.
 *
 *   kind    counts calls to                      an injected failure
 *   alloc   malloc calloc realloc strdup         returns NULL (-1 for
 *           strndup asprintf vasprintf, and      asprintf), as when memory
 *           cJSON's allocations (its hooks)      runs out
 *   sqlite  sqlite3_step sqlite3_exec            returns the code armed
 *                                                (SQLITE_BUSY, _IOERR or
 *                                                _FULL) without running;
 *                                                sqlite3_errcode/errmsg on
 *                                                that connection say so
 *   pg      PQexec PQexecParams PQexecPrepared   the connection is lost:
 *           PQprepare                            before the call reaches
 *                                                the server (LOST), or after
 *                                                it ran there and before
 *                                                the answer came (LOST_AFTER)
 *
 * Arming one kind fails its nth call from then on, once; the others keep
 * counting only if armed too.  From a shell, for the hpo tool:
 *
 *   HPO_FAULT=alloc:N | sqlite:N[:busy|ioerr|full] | pg:N[:lost|lost_after]
 *       [:match=SQL-PREFIX]
 *   HPO_FAULT_LOG=FILE    at exit, append "KIND CALLS FIRED" for the armed
 *                         kind (the sweep stops once CALLS < N)
 */
#ifndef HPO_FAULTS_H
#define HPO_FAULTS_H

typedef enum hpo__fault_kind {
    HPO__FAULT_ALLOC = 0,
    HPO__FAULT_SQLITE = 1,
    HPO__FAULT_PG = 2,
    HPO__FAULT_KINDS = 3
} hpo__fault_kind;

/* What an injected pg fault does (the `code` of hpo__fault_arm). */
enum { HPO__FAULT_PG_LOST = 1, HPO__FAULT_PG_LOST_AFTER = 2 };

/* Count the calls of `kind` from now and fail the nth (1-based) with
 * `code`; n = 0 only counts.  With `match`, only SQLite and libpq calls
 * whose SQL text (or prepared statement's name) starts with it count. */
void hpo__fault_arm(hpo__fault_kind kind, long n, int code, const char *match);
/* Stop counting every kind (the counts stay readable). */
void hpo__fault_disarm(void);
/* Calls of `kind` counted since it was armed; did its fault fire? */
long hpo__fault_calls(hpo__fault_kind kind);
int hpo__fault_fired(hpo__fault_kind kind);
const char *hpo__fault_kind_name(hpo__fault_kind kind);

#endif
