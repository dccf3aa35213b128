/* test_sqlite_faults.c — a database that goes away or stays locked in the
 * middle of a study: a clear error, and no COMPLETE trial lost. */
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"

static char dir[] = "/tmp/hpo-faults-XXXXXX";

static hpo_study *open_at(hpo_storage **st, const char *url)
{
    CHECK_RC(hpo_storage_open(st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, *st);
    CHECK_RC(hpo_study_open(s, "f", HPO_OPEN_CREATE | HPO_OPEN_LOAD), HPO_OK);
    return s;
}

static int run_trial(hpo_study *s, hpo_trial **out)
{
    int rc = hpo_study_ask(s, out);
    if (rc)
        return rc;
    double x;
    hpo_trial_suggest_float(*out, "x", 0, 1, 0, 0, &x);
    return hpo_study_tell(s, *out, HPO_COMPLETE, &x, 1);
}

static void test_deleted_file(void)
{
    char path[256], url[300];
    snprintf(path, sizeof path, "%s/gone.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    hpo_storage *st;
    hpo_study *s = open_at(&st, url);
    hpo_trial *t;
    CHECK_RC(run_trial(s, &t), HPO_OK);
    hpo_trial_free(t);
    unlink(path);
    CHECK_RC(hpo_study_ask(s, &t), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "was deleted while open");
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* Another process holds the write lock past the busy timeout: the tell
 * fails with SQLite's "database is locked" and the trial stays RUNNING;
 * told again once the lock is gone, it is stored. */
static void test_locked_then_released(void)
{
    char path[256], url[300];
    snprintf(path, sizeof path, "%s/locked.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s?timeout=0.3", path);
    hpo_storage *st;
    hpo_study *s = open_at(&st, url);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    sqlite3 *other;
    CHECK(sqlite3_open(path, &other) == SQLITE_OK);
    CHECK(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    double v = 1.5;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "locked");
    sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(other);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
    hpo_trial *best;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    CHECK(hpo_trial_value(best, 0) == 1.5);
    hpo_trial_free(best);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static void test_garbage_file(void)
{
    char path[256], url[300];
    snprintf(path, sizeof path, "%s/garbage.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    FILE *f = fopen(path, "w");
    fputs("this is not a database, it is a shopping list\n", f);
    for (int i = 0; i < 200; i++)
        fputs("eggs milk bread\n", f);
    fclose(f);
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "garbage.db");
    hpo_storage_close(st);
}

/* Eight processes open one new file at the same moment: switching the
 * journal to WAL may answer BUSY without waiting, and must be retried. */
static void test_concurrent_open_of_a_new_file(void)
{
    char url[300];
    snprintf(url, sizeof url, "sqlite:///%s/race.db", dir);
    int go[2];
    CHECK(pipe(go) == 0);
    pid_t pids[8];
    for (int i = 0; i < 8; i++) {
        if ((pids[i] = fork()) == 0) {
            char c;
            close(go[1]);
            if (read(go[0], &c, 1) < 0) /* wait for the start signal */
                _exit(3);
            hpo_storage *st;
            int rc = hpo_storage_open(&st, url);
            hpo_study *s = hpo_study_new();
            hpo_study_set_storage(s, st);
            if (rc == HPO_OK)
                rc = hpo_study_open(s, "race", HPO_OPEN_CREATE | HPO_OPEN_LOAD);
            if (rc != HPO_OK)
                fprintf(stderr, "open: %s %s\n", hpo_storage_errmsg(st),
                        hpo_study_errmsg(s));
            hpo_study_free(s);
            hpo_storage_close(st);
            _exit(rc == HPO_OK ? 0 : 1);
        }
    }
    close(go[0]);
    close(go[1]); /* every child's read returns now */
    int ok = 0;
    for (int i = 0; i < 8; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    CHECK(ok == 8);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    RUN(test_deleted_file);
    RUN(test_locked_then_released);
    RUN(test_garbage_file);
    RUN(test_concurrent_open_of_a_new_file);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return CHECK_DONE();
}
