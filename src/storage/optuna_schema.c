/*
 * optuna_schema.c — Optuna 3.x's RDB schema (schema_version 12, alembic
 * v3.0.0.d / v3.2.0.a) written from its description, for hpo's SQL
 * backends.
 *
 * The DDL is one template per table.  Tokens in @...@ stand for what the
 * dialects spell differently: the surrogate key (a rowid alias INTEGER on
 * SQLite, SERIAL on PostgreSQL), doubles, datetimes and the four enums
 * (plain VARCHAR on SQLite, native enum types on PostgreSQL, created
 * first).  Table, column, constraint and index names are Optuna's own, so
 * `optuna storage upgrade` can later migrate a file hpo created.
 *
 * Deliberate deviation: two extra indexes, which Python Optuna ignores
 * (its own names are untouched):
 *   hpo_trials_study_state_number on trials (study_id, state, number), so
 *     claiming the oldest WAITING trial is a lookup, not a scan;
 *   hpo_trials_study_number on trials (study_id, number), so the next
 *     trial number is max + 1 in one lookup instead of a count of every
 *     trial (the count made asking slower as a study grew).
 * With only the second index SQLite would pick it for the WAITING query
 * and scan; the three-column one keeps that query a lookup.
 */
#include "optuna_schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------- */
/* Version markers                                                            */
/* ------------------------------------------------------------------------- */

const hpo__optuna_marker hpo__optuna_marker_3_0 = {"v3.0.0.d", "3.1.0", 0};
const hpo__optuna_marker hpo__optuna_marker_3_2 = {"v3.2.0.a", "3.2.0", 1};

const hpo__optuna_marker *hpo__optuna_marker_for_version(const char *v)
{
    static const char *const old[] = {"3", "3.0", "3.1", NULL};
    if (!v)
        return NULL;
    for (int i = 0; old[i]; i++)
        if (strcmp(v, old[i]) == 0)
            return &hpo__optuna_marker_3_0;
    /* 3.2 .. 3.9, 4, 4.x, 5, 5.x: all read v3.2.0.a. */
    if (strncmp(v, "3.", 2) == 0 && v[2] >= '2' && v[2] <= '9' && v[3] == 0)
        return &hpo__optuna_marker_3_2;
    if ((v[0] == '4' || v[0] == '5') && (v[1] == 0 || v[1] == '.'))
        return &hpo__optuna_marker_3_2;
    return NULL;
}

const hpo__optuna_marker *hpo__optuna_marker_find(const char *version_num)
{
    if (!version_num)
        return NULL;
    if (strcmp(version_num, hpo__optuna_marker_3_0.marker) == 0)
        return &hpo__optuna_marker_3_0;
    if (strcmp(version_num, hpo__optuna_marker_3_2.marker) == 0)
        return &hpo__optuna_marker_3_2;
    return NULL;
}

/* ------------------------------------------------------------------------- */
/* DDL                                                                        */
/* ------------------------------------------------------------------------- */

/* PostgreSQL has no CREATE TYPE IF NOT EXISTS; this block is idempotent. */
#define PG_ENUM(name, values)                                              \
    "DO $$ BEGIN CREATE TYPE " name " AS ENUM (" values ");"              \
    " EXCEPTION WHEN duplicate_object THEN NULL; END $$"

static const char *const pg_enums[] = {
    PG_ENUM("studydirection", "'NOT_SET', 'MINIMIZE', 'MAXIMIZE'"),
    PG_ENUM("trialstate",
            "'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'"),
    PG_ENUM("trialvaluetype", "'FINITE', 'INF_POS', 'INF_NEG'"),
    PG_ENUM("trialintermediatevaluetype",
            "'FINITE', 'INF_POS', 'INF_NEG', 'NAN'"),
};
#define N_PG_ENUMS ((int)(sizeof pg_enums / sizeof pg_enums[0]))

/* Study and trial attribute tables share one shape. */
#define ATTR_TABLE(table, id, owner, owner_table)                          \
    "CREATE TABLE IF NOT EXISTS " table " ("                              \
    " " id " @ID@,"                                                       \
    " " owner " INTEGER,"                                                 \
    " \"key\" VARCHAR(512),"                                              \
    " value_json TEXT,"                                                   \
    " PRIMARY KEY (" id "),"                                              \
    " UNIQUE (" owner ", \"key\"),"                                       \
    " FOREIGN KEY(" owner ") REFERENCES " owner_table " (" owner "))"

static const char *const tables[] = {
    "CREATE TABLE IF NOT EXISTS studies ("
    " study_id @ID@,"
    " study_name VARCHAR(512) NOT NULL,"
    " PRIMARY KEY (study_id))",

    "CREATE UNIQUE INDEX IF NOT EXISTS ix_studies_study_name"
    " ON studies (study_name)",

    "CREATE TABLE IF NOT EXISTS version_info ("
    " version_info_id INTEGER NOT NULL,"
    " schema_version INTEGER,"
    " library_version VARCHAR(256),"
    " PRIMARY KEY (version_info_id),"
    " CHECK (version_info_id=1))",

    "CREATE TABLE IF NOT EXISTS study_directions ("
    " study_direction_id @ID@,"
    " direction @DIRECTION@ NOT NULL,"
    " study_id INTEGER NOT NULL,"
    " objective INTEGER NOT NULL,"
    " PRIMARY KEY (study_direction_id),"
    " UNIQUE (study_id, objective),"
    " FOREIGN KEY(study_id) REFERENCES studies (study_id))",

    ATTR_TABLE("study_user_attributes", "study_user_attribute_id",
               "study_id", "studies"),
    ATTR_TABLE("study_system_attributes", "study_system_attribute_id",
               "study_id", "studies"),

    "CREATE TABLE IF NOT EXISTS trials ("
    " trial_id @ID@,"
    " number INTEGER,"
    " study_id INTEGER,"
    " state @STATE@ NOT NULL,"
    " datetime_start @DATETIME@,"
    " datetime_complete @DATETIME@,"
    " PRIMARY KEY (trial_id),"
    " FOREIGN KEY(study_id) REFERENCES studies (study_id))",

    ATTR_TABLE("trial_user_attributes", "trial_user_attribute_id",
               "trial_id", "trials"),
    ATTR_TABLE("trial_system_attributes", "trial_system_attribute_id",
               "trial_id", "trials"),

    "CREATE TABLE IF NOT EXISTS trial_params ("
    " param_id @ID@,"
    " trial_id INTEGER,"
    " param_name VARCHAR(512),"
    " param_value @DOUBLE@,"
    " distribution_json TEXT,"
    " PRIMARY KEY (param_id),"
    " UNIQUE (trial_id, param_name),"
    " FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",

    "CREATE TABLE IF NOT EXISTS trial_values ("
    " trial_value_id @ID@,"
    " trial_id INTEGER NOT NULL,"
    " objective INTEGER NOT NULL,"
    " value @DOUBLE@,"
    " value_type @VALUETYPE@ NOT NULL,"
    " PRIMARY KEY (trial_value_id),"
    " UNIQUE (trial_id, objective),"
    " FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",

    "CREATE TABLE IF NOT EXISTS trial_intermediate_values ("
    " trial_intermediate_value_id @ID@,"
    " trial_id INTEGER NOT NULL,"
    " step INTEGER NOT NULL,"
    " intermediate_value @DOUBLE@,"
    " intermediate_value_type @INTERTYPE@ NOT NULL,"
    " PRIMARY KEY (trial_intermediate_value_id),"
    " UNIQUE (trial_id, step),"
    " FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",

    "CREATE TABLE IF NOT EXISTS trial_heartbeats ("
    " trial_heartbeat_id @ID@,"
    " trial_id INTEGER NOT NULL,"
    " heartbeat @DATETIME@ NOT NULL,"
    " PRIMARY KEY (trial_heartbeat_id),"
    " UNIQUE (trial_id),"
    " FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",

    "CREATE TABLE IF NOT EXISTS alembic_version ("
    " version_num VARCHAR(32) NOT NULL,"
    " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
};
#define N_TABLES ((int)(sizeof tables / sizeof tables[0]))

const char hpo__optuna_study_index_ddl[] =
    "CREATE INDEX IF NOT EXISTS trials_study_id_key ON trials (study_id)";

const char hpo__optuna_hpo_index_ddl[] =
    "CREATE INDEX IF NOT EXISTS hpo_trials_study_state_number"
    " ON trials (study_id, state, number)";
const char hpo__optuna_number_index_ddl[] =
    "CREATE INDEX IF NOT EXISTS hpo_trials_study_number"
    " ON trials (study_id, number)";

/* token -> {SQLite spelling, PostgreSQL spelling} */
static const char *const tokens[][3] = {
    {"@ID@", "INTEGER NOT NULL", "SERIAL NOT NULL"},
    {"@DOUBLE@", "FLOAT", "DOUBLE PRECISION"},
    {"@DATETIME@", "DATETIME", "TIMESTAMP WITHOUT TIME ZONE"},
    {"@STATE@", "VARCHAR(8)", "trialstate"},
    {"@DIRECTION@", "VARCHAR(8)", "studydirection"},
    {"@VALUETYPE@", "VARCHAR(7)", "trialvaluetype"},
    {"@INTERTYPE@", "VARCHAR(7)", "trialintermediatevaluetype"},
};
#define N_TOKENS ((int)(sizeof tokens / sizeof tokens[0]))

/* Replace every @TOKEN@ of the template by its spelling in dialect d. */
static char *expand(const char *tmpl, hpo__sql_dialect d)
{
    size_t cap = strlen(tmpl) * 2 + 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = tmpl; *p;) {
        const char *word = NULL;
        size_t skip = 1;
        for (int t = 0; t < N_TOKENS && *p == '@'; t++) {
            size_t n = strlen(tokens[t][0]);
            if (strncmp(p, tokens[t][0], n) == 0) {
                word = tokens[t][1 + (d == HPO__SQL_POSTGRES)];
                skip = n;
                break;
            }
        }
        size_t add = word ? strlen(word) : 1;
        if (len + add + 1 > cap) {
            char *bigger = realloc(out, cap = (len + add + 1) * 2);
            if (!bigger) {
                free(out);
                return NULL;
            }
            out = bigger;
        }
        memcpy(out + len, word ? word : p, add);
        len += add;
        p += skip;
    }
    out[len] = 0;
    return out;
}

int hpo__optuna_ddl_count(hpo__sql_dialect d)
{
    return N_TABLES + (d == HPO__SQL_POSTGRES ? N_PG_ENUMS : 0);
}

char *hpo__optuna_ddl(hpo__sql_dialect d, int i)
{
    if (d == HPO__SQL_POSTGRES) {
        if (i < N_PG_ENUMS)
            return expand(pg_enums[i], d);
        i -= N_PG_ENUMS;
    }
    if (i < 0 || i >= N_TABLES)
        return NULL;
    return expand(tables[i], d);
}

/* ------------------------------------------------------------------------- */
/* Enums                                                                      */
/* ------------------------------------------------------------------------- */

static const char *const state_names[] = {
    [HPO_RUNNING] = "RUNNING", [HPO_COMPLETE] = "COMPLETE",
    [HPO_PRUNED_STATE] = "PRUNED", [HPO_FAIL] = "FAIL",
    [HPO_WAITING] = "WAITING",
};
#define N_STATES ((int)(sizeof state_names / sizeof state_names[0]))

const char *hpo__optuna_state_name(hpo_trial_state s)
{
    if ((int)s < 0 || (int)s >= N_STATES)
        return NULL;
    return state_names[s];
}

int hpo__optuna_state_parse(const char *name, hpo_trial_state *out)
{
    for (int i = 0; name && i < N_STATES; i++)
        if (strcmp(name, state_names[i]) == 0) {
            *out = (hpo_trial_state)i;
            return 0;
        }
    return -1;
}

const char *hpo__optuna_direction_name(hpo_direction d)
{
    switch (d) {
    case HPO_MINIMIZE:
        return "MINIMIZE";
    case HPO_MAXIMIZE:
        return "MAXIMIZE";
    }
    return NULL;
}

int hpo__optuna_direction_parse(const char *name, hpo_direction *out)
{
    if (name && strcmp(name, "MINIMIZE") == 0)
        *out = HPO_MINIMIZE;
    else if (name && strcmp(name, "MAXIMIZE") == 0)
        *out = HPO_MAXIMIZE;
    else
        return -1; /* NOT_SET is never written by Optuna 3 */
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Values                                                                     */
/* ------------------------------------------------------------------------- */

const char *hpo__optuna_value_type(double v)
{
    if (isnan(v))
        return "NAN";
    if (isinf(v))
        return v > 0 ? "INF_POS" : "INF_NEG";
    return "FINITE";
}

int hpo__optuna_value_is_null(double v)
{
    return !isfinite(v);
}

double hpo__optuna_value_decode(const char *type, int is_null, double stored)
{
    if (!type)
        return NAN;
    if (strcmp(type, "FINITE") == 0)
        return is_null ? NAN : stored;
    if (strcmp(type, "INF_POS") == 0)
        return INFINITY;
    if (strcmp(type, "INF_NEG") == 0)
        return -INFINITY;
    return NAN; /* "NAN" or a type from the future */
}

/* ------------------------------------------------------------------------- */
/* Datetimes                                                                  */
/* ------------------------------------------------------------------------- */

int hpo__optuna_datetime_format(double epoch_s,
                                char buf[HPO__OPTUNA_DATETIME_LEN])
{
    if (!isfinite(epoch_s) || epoch_s < 0 || epoch_s > 253402300799.0)
        return -1;
    double whole = floor(epoch_s);
    long usec = lround((epoch_s - whole) * 1e6);
    if (usec >= 1000000) { /* rounding reached the next second */
        whole += 1;
        usec -= 1000000;
    }
    time_t t = (time_t)whole;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -1;
    int n = snprintf(buf, HPO__OPTUNA_DATETIME_LEN,
                     "%04d-%02d-%02d %02d:%02d:%02d.%06ld", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, usec);
    return n == HPO__OPTUNA_DATETIME_LEN - 1 ? 0 : -1;
}

/* 1 to max decimal digits at *p: their value, or -1 when there is none. */
static int take_digits(const char **p, int max)
{
    int v = 0, n = 0;
    for (; n < max && **p >= '0' && **p <= '9'; n++, (*p)++)
        v = v * 10 + (**p - '0');
    return n ? v : -1;
}

/* "YYYY-MM-DD" then, unless the text ends there, a ' ' or 'T' and
 * "HH:MM:SS"; fields of fewer digits are taken too.  *rest is where the
 * seconds end (or the day, without a time).  0, or -1. */
static int split_datetime(const char *p, int f[6], const char **rest)
{
    static const char seps[6] = {'-', '-', 0, ':', ':', 0};
    static const int widths[6] = {4, 2, 2, 2, 2, 2};
    for (int i = 0; i < 6; i++) {
        if (i == 3) { /* the time is optional, its separator is not */
            if (*p == 0) {
                f[3] = f[4] = f[5] = 0;
                break;
            }
            if (*p != ' ' && *p != 'T')
                return -1;
            p++;
        }
        if ((f[i] = take_digits(&p, widths[i])) < 0)
            return -1;
        if (seps[i] && *p++ != seps[i])
            return -1;
    }
    *rest = p;
    return 0;
}

/* mktime() of a naive local time.  Trials arrive in time order, so the
 * start of the last hour seen is kept (per thread): zones change their
 * offset on the hour, and mktime() costs a study of 100,000 trials a
 * tenth of a second.  The cache is keyed on the zone's name too. */
static time_t local_epoch(const int f[6])
{
    static __thread int last[4] = {-1, -1, -1, -1};
    static __thread time_t last_hour;
    static __thread char last_tz[64];
    const char *tz = getenv("TZ");
    if (!tz)
        tz = "";
    if (memcmp(last, f, sizeof last) != 0 || strcmp(tz, last_tz) != 0) {
        struct tm tm = {0};
        tm.tm_year = f[0] - 1900;
        tm.tm_mon = f[1] - 1;
        tm.tm_mday = f[2];
        tm.tm_hour = f[3];
        tm.tm_isdst = -1; /* naive local time: let the zone rules decide */
        last_hour = mktime(&tm);
        memcpy(last, f, sizeof last);
        snprintf(last_tz, sizeof last_tz, "%s", tz);
    }
    return last_hour + f[4] * 60 + f[5];
}

int hpo__optuna_datetime_parse(const char *text, double *epoch_s)
{
    int f[6];
    const char *p;
    if (!text || split_datetime(text, f, &p) != 0)
        return -1;
    /* A fraction is a decimal fraction of the second; Optuna always writes
     * six digits, where this reading and SQLAlchemy's agree. */
    double frac = 0, scale = 0.1;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    time_t t = local_epoch(f);
    if (t == (time_t)-1 && !(f[0] == 1969 || f[0] == 1970))
        return -1;
    *epoch_s = (double)t + frac;
    return 0;
}
