/* test_trial_names.c — messages name a trial by its number, as `hpo
 * trials` shows it, never by its internal id: a trial refused as
 * finished, and the rows of a damaged database (an unknown state, a value
 * for an objective hpo does not have, an unreadable distribution).  The
 * trials are in the second study of a file, so number 0 is id 4 (SQLite;
 * the memory storage for the refusal too). */
#include <sqlite3.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "storage/storage.h"

static char dir[] = "/tmp/hpo-names-XXXXXX";

/* Three trials in study "first", then one COMPLETE in "second": its id. */
static int64_t second_study_trial(hpo_storage *st, int64_t *study)
{
    hpo_direction d = HPO_MINIMIZE;
    int64_t first, id = 0;
    int number;
    CHECK_RC(hpo__st_create_study(st, "first", 1, &d, &first), HPO_OK);
    CHECK_RC(hpo__st_create_study(st, "second", 1, &d, study), HPO_OK);
    hpo__trial_rec t;
    hpo__rec_init(&t);
    t.state = HPO_RUNNING;
    for (int i = 0; i < 3; i++)
        CHECK_RC(hpo__st_create_trial(st, first, &t, &id, &number), HPO_OK);
    hpo__dist dist = {.kind = HPO__FLOAT, .low = 0, .high = 1};
    CHECK_RC(hpo__rec_add_param(&t, "x", &dist, 0.5), HPO_OK);
    CHECK_RC(hpo__st_create_trial(st, *study, &t, &id, &number), HPO_OK);
    hpo__rec_free(&t);
    CHECK(id == 4 && number == 0);
    double v = 1;
    CHECK_RC(hpo__st_finish_trial(st, id, HPO_COMPLETE, 1, &v), HPO_OK);
    return id;
}

static void check_refusal(const char *url)
{
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    int64_t study;
    int64_t id = second_study_trial(st, &study);
    CHECK_RC(hpo__st_finish_trial(st, id, HPO_FAIL, 0, NULL), HPO_EFINISHED);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st),
                       "trial 0 is already finished (COMPLETE)");
    CHECK_RC(hpo__st_set_intermediate(st, id, 1, 0.5), HPO_EFINISHED);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "trial 0 is already");
    hpo_storage_close(st);
}

static void test_refusal_memory(void)
{
    check_refusal("memory:");
}

static void test_refusal_sqlite(void)
{
    char url[300];
    snprintf(url, sizeof url, "sqlite:///%s/refused.db", dir);
    check_refusal(url);
}

/* Damage the stored trial with sql, read the study: the message. */
static void check_damage(const char *sql, const char *want)
{
    static int k;
    char path[300], url[320];
    snprintf(path, sizeof path, "%s/damaged%d.db", dir, k++);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    int64_t study;
    second_study_trial(st, &study);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    hpo__trial_list all = {0};
    CHECK_RC(hpo__st_get_trials(st, study, 0, &all), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), want);
    hpo__list_free(&all);
    hpo_storage_close(st);
}

static void test_damaged_rows(void)
{
    check_damage("UPDATE trials SET state = 'BOGUS' WHERE trial_id = 4",
                 "trial 0 has unknown state 'BOGUS'");
    check_damage("UPDATE trial_values SET objective = 99 WHERE trial_id = 4",
                 "trial 0 has a value for objective 99");
    check_damage("UPDATE trial_params SET distribution_json = 'nonsense'"
                 " WHERE trial_id = 4",
                 "trial 0, parameter 'x'");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    RUN(test_refusal_memory);
    RUN(test_refusal_sqlite);
    RUN(test_damaged_rows);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return CHECK_DONE();
}
