/*
 * optuna_schema.h — Optuna 3.x's RDB layout as data: the tables, the
 * version markers, and how enums, non-finite numbers and datetimes are
 * encoded in its columns.  Shared by the SQLite and PostgreSQL backends;
 * it knows no database library.  The layout is described in
 * /work/shared/OPTUNA_SCHEMA.md (docs/ once published).
 */
#ifndef HPO_OPTUNA_SCHEMA_H
#define HPO_OPTUNA_SCHEMA_H

#include <stddef.h>

#include "hpo.h"

/* version_info.schema_version of every Optuna 3.x database. */
#define HPO__OPTUNA_SCHEMA_VERSION 12

/* The alembic markers hpo reads and writes.  3.0.0.d is what Optuna 3.0 and
 * 3.1 accept; 3.2.0.a (Optuna 3.2 to 4.x) adds one index on trials. */
typedef struct hpo__optuna_marker {
    const char *marker;          /* alembic_version.version_num */
    const char *library_version; /* what version_info.library_version says */
    int has_study_index;         /* create index trials_study_id_key */
} hpo__optuna_marker;

extern const hpo__optuna_marker hpo__optuna_marker_3_0; /* "v3.0.0.d" */
extern const hpo__optuna_marker hpo__optuna_marker_3_2; /* "v3.2.0.a" */

/* The marker for a user's "optuna=X" option ("3", "3.0", "3.1" -> 3.0.0.d;
 * "3.2" ... "3.6", "4", "4.x", "5" -> 3.2.0.a), or NULL if unknown. */
const hpo__optuna_marker *hpo__optuna_marker_for_version(const char *v);
/* The marker record for a stored version_num, or NULL if hpo does not know
 * it (then the database must not be touched). */
const hpo__optuna_marker *hpo__optuna_marker_find(const char *version_num);

/* SQL dialects the DDL is written for. */
typedef enum hpo__sql_dialect {
    HPO__SQL_SQLITE = 0,
    HPO__SQL_POSTGRES = 1
} hpo__sql_dialect;

/* Number of statements that create the schema (every one idempotent:
 * IF NOT EXISTS), and the i-th one for a dialect, malloc'd (NULL when
 * memory runs out).  They do not include trials_study_id_key: that one is
 * hpo__optuna_study_index_ddl, run only for markers that have it. */
int hpo__optuna_ddl_count(hpo__sql_dialect d);
char *hpo__optuna_ddl(hpo__sql_dialect d, int i);
extern const char hpo__optuna_study_index_ddl[];
/* hpo's own index on trials (study_id, state), created in every database
 * hpo opens: it makes claiming a WAITING trial and counting a study's
 * trials index lookups instead of table scans.  Optuna ignores indexes it
 * did not make, and the name cannot collide with its migrations. */
extern const char hpo__optuna_hpo_index_ddl[];
/* hpo's index for the next trial number (max + 1, not a count). */
extern const char hpo__optuna_number_index_ddl[];

/* Enum columns hold names.  _parse returns 0 and sets *out, or -1 for a
 * name hpo does not know. */
const char *hpo__optuna_state_name(hpo_trial_state s);
int hpo__optuna_state_parse(const char *name, hpo_trial_state *out);
const char *hpo__optuna_direction_name(hpo_direction d);
int hpo__optuna_direction_parse(const char *name, hpo_direction *out);

/* trial_values.value_type / trial_intermediate_values.*_type for a value:
 * "FINITE", "INF_POS", "INF_NEG" or "NAN".  Non-finite values are stored
 * as NULL next to their type (hpo__optuna_value_is_null). */
const char *hpo__optuna_value_type(double v);
int hpo__optuna_value_is_null(double v);
/* The value a (stored number, type) pair means; is_null says the column
 * was NULL.  An unknown type or a NULL FINITE gives NaN. */
double hpo__optuna_value_decode(const char *type, int is_null, double stored);

/* Datetimes: naive local time "YYYY-MM-DD HH:MM:SS.ffffff" (26 chars). */
#define HPO__OPTUNA_DATETIME_LEN 27 /* with the terminating NUL */
/* Format seconds since the epoch; returns 0, or -1 if out of range. */
int hpo__optuna_datetime_format(double epoch_s,
                                char buf[HPO__OPTUNA_DATETIME_LEN]);
/* Parse that form (also with fewer fractional digits, no fraction, or a 'T'
 * separator); returns 0 and the epoch seconds, or -1. */
int hpo__optuna_datetime_parse(const char *text, double *epoch_s);

#endif
