/* test_sqlite_plans.c — the statements the SQLite backend runs for every
 * trial do not read the whole study: their query plans (EXPLAIN QUERY
 * PLAN, on a database laid out by hpo) scan no table, and the range reads
 * of a refresh (READ_*_SINCE) go by trial id, not through the study's
 * whole index.  A plan that scanned the study made `hpo tune` slow down
 * as it grew. */
#include <sqlite3.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"
#include "storage/sqlite_conn.h"

typedef struct statement {
    const char *name, *sql;
} statement;

static const statement statements[] = {
#define HPO__TEST_STMT(name, sql) {#name, sql},
    HPO__SQLITE_STATEMENTS(HPO__TEST_STMT)
#undef HPO__TEST_STMT
};

/* Run for each trial (ask, suggest, report, tell, heartbeats, refresh). */
static const char *const per_trial[] = {
    "TRIAL_NEXT", "TRIAL_INSERT", "TRIAL_STATE", "OLDEST_WAITING",
    "TRIAL_START", "TRIAL_FINISH", "PARAM_SET", "INTER_SET", "VALUE_SET",
    "TRIAL_USER_SET", "TRIAL_SYSTEM_SET", "READ_TRIALS_SINCE",
    "READ_VALUES_SINCE", "READ_PARAMS_SINCE", "READ_INTER_SINCE",
    "READ_USER_ATTRS_SINCE", "READ_SYSTEM_ATTRS_SINCE", "HEARTBEAT", "STALE",
    "STUDY_SYSTEM_ADD", "STUDY_SYSTEM_SWAP", /* plug-ins' shared state */
    NULL,
};

static const char *sql_of(const char *name)
{
    for (size_t i = 0; i < sizeof statements / sizeof *statements; i++)
        if (strcmp(statements[i].name, name) == 0)
            return statements[i].sql;
    return NULL;
}

/* The plan's lines, joined by " | ". */
static void plan_of(sqlite3 *db, const char *sql, char *out, size_t size)
{
    char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, size, "cannot prepare: %s", sqlite3_errmsg(db));
    } else {
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t used = strlen(out);
            snprintf(out + used, size - used, "%s | ",
                     (const char *)sqlite3_column_text(st, 3));
        }
    }
    sqlite3_finalize(st);
    sqlite3_free(q);
}

static char path[300];

static void test_per_trial_plans(void)
{
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    for (int i = 0; per_trial[i]; i++) {
        const char *sql = sql_of(per_trial[i]);
        CHECK(sql != NULL);
        if (!sql)
            continue;
        char plan[2048];
        plan_of(db, sql, plan, sizeof plan);
        int scans = strstr(plan, "SCAN ") != NULL ||
                    strstr(plan, "cannot prepare") != NULL;
        /* a range read that names only the study reads all of it */
        int whole = strncmp(per_trial[i], "READ_", 5) == 0 &&
                    strstr(plan, "(study_id=?)") != NULL;
        if (scans || whole)
            fprintf(stderr, "%s: %s\n", per_trial[i], plan);
        CHECK(!scans && !whole);
    }
    sqlite3_close(db);
}

/* The range reads sort nothing: within a trial the rows come in the
 * index's order and row_decode.c restores the stored one (a sort per
 * trial was a fifth of reading a 100,000-trial study for hpo report). */
static void test_no_sorting_reads(void)
{
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    for (size_t i = 0; i < sizeof statements / sizeof *statements; i++) {
        /* (a refresh's few new trials are sorted by number) */
        if (strncmp(statements[i].name, "READ_", 5) != 0 ||
            strcmp(statements[i].name, "READ_TRIALS_SINCE") == 0)
            continue;
        char plan[2048];
        plan_of(db, statements[i].sql, plan, sizeof plan);
        if (strstr(plan, "TEMP B-TREE"))
            fprintf(stderr, "%s: %s\n", statements[i].name, plan);
        CHECK(!strstr(plan, "TEMP B-TREE") && !strstr(plan, "cannot"));
    }
    sqlite3_close(db);
}

int main(void)
{
    char dir[] = "/tmp/hpo-plans-XXXXXX", url[320];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/p.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    /* A study with some trials, so the tables exist and hold rows. */
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    CHECK_RC(hpo_study_open(s, "p", HPO_OPEN_CREATE), HPO_OK);
    for (int k = 0; k < 20; k++) {
        hpo_trial *t;
        double x;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
        hpo_study_tell(s, t, HPO_COMPLETE, &x, 1);
        hpo_trial_free(t);
    }
    hpo_study_free(s);
    hpo_storage_close(st);
    RUN(test_per_trial_plans);
    RUN(test_no_sorting_reads);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return CHECK_DONE();
}
