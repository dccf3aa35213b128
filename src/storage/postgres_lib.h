/*
 * postgres_lib.h — libpq, opened when a postgresql:// storage is first
 * opened (lazy_lib.h), not when hpo starts.
 *
 * Why: libpq brings OpenSSL, Kerberos and LDAP; loading them cost every
 * start of hpo (and of each program linking libhpo) about as much as the
 * rest of its libraries together, though most runs use SQLite.
 *
 * The backend's files include this instead of <libpq-fe.h>: each PQ*
 * function name below then calls through hpo__pq, a table of pointers
 * with libpq's own types.  hpo__pq_load must have succeeded before any of
 * them is called (hpo__pg_open does it first).
 *
 * Test builds with fault injection (HPO_FAULTS) link libpq instead, so
 * that the linker's --wrap still reaches its calls (src/core/faults.h):
 * the table then holds the linked functions and hpo__pq_load does
 * nothing.
 */
#ifndef HPO_POSTGRES_LIB_H
#define HPO_POSTGRES_LIB_H

#include <libpq-fe.h>

#include "../core/lazy_lib.h"

#define HPO__PQ_FUNCTIONS(X, t)                                               \
    X(t, PQclear) X(t, PQconnectdbParams) X(t, PQconninfoFree)                \
    X(t, PQconninfoParse) X(t, PQdb) X(t, PQerrorMessage) X(t, PQexec)        \
    X(t, PQexecParams) X(t, PQexecPrepared) X(t, PQfinish) X(t, PQfreemem)    \
    X(t, PQgetisnull) X(t, PQgetvalue) X(t, PQhost) X(t, PQntuples)           \
    X(t, PQport) X(t, PQprepare) X(t, PQreset) X(t, PQresultErrorField)       \
    X(t, PQresultErrorMessage) X(t, PQresultStatus)                           \
    X(t, PQsetNoticeProcessor) X(t, PQstatus) X(t, PQtransactionStatus)       \
    X(t, PQuser)

typedef struct hpo__pq_functions {
    HPO__PQ_FUNCTIONS(HPO__LAZY_FIELD, hpo__pq)
} hpo__pq_functions;

extern hpo__pq_functions hpo__pq;

/* Open libpq once.  NULL when it is usable, else why not. */
const char *hpo__pq_load(void);

#ifndef HPO__PQ_TABLE_ITSELF
#define PQclear (hpo__pq.PQclear)
#define PQconnectdbParams (hpo__pq.PQconnectdbParams)
#define PQconninfoFree (hpo__pq.PQconninfoFree)
#define PQconninfoParse (hpo__pq.PQconninfoParse)
#define PQdb (hpo__pq.PQdb)
#define PQerrorMessage (hpo__pq.PQerrorMessage)
#define PQexec (hpo__pq.PQexec)
#define PQexecParams (hpo__pq.PQexecParams)
#define PQexecPrepared (hpo__pq.PQexecPrepared)
#define PQfinish (hpo__pq.PQfinish)
#define PQfreemem (hpo__pq.PQfreemem)
#define PQgetisnull (hpo__pq.PQgetisnull)
#define PQgetvalue (hpo__pq.PQgetvalue)
#define PQhost (hpo__pq.PQhost)
#define PQntuples (hpo__pq.PQntuples)
#define PQport (hpo__pq.PQport)
#define PQprepare (hpo__pq.PQprepare)
#define PQreset (hpo__pq.PQreset)
#define PQresultErrorField (hpo__pq.PQresultErrorField)
#define PQresultErrorMessage (hpo__pq.PQresultErrorMessage)
#define PQresultStatus (hpo__pq.PQresultStatus)
#define PQsetNoticeProcessor (hpo__pq.PQsetNoticeProcessor)
#define PQstatus (hpo__pq.PQstatus)
#define PQtransactionStatus (hpo__pq.PQtransactionStatus)
#define PQuser (hpo__pq.PQuser)
#endif

#endif
