/*
 * test_sqlite.c — the SQLite storage through the storage wrappers: studies,
 * trials, the invariants of storage.h under threads and processes, Optuna's
 * encodings as stored in the file, the version marker, and the faults a
 * user meets (missing directory, read-only file, not a database, a lock
 * held too long).
 */
#if !__has_include(<sqlite3.h>)
#include <stdio.h>
int main(void)
{
    fprintf(stderr, "SKIP: built without SQLite (libsqlite3-dev)\n");
    return 0;
}
#else
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "storage/optuna_schema.h"
#include "storage/storage.h"
#include "storage_contract.h"

static char dir[64];
static pid_t parent_pid;

static char *url_of(const char *file, const char *query)
{
    return hpo__asprintf("sqlite:///%s/%s%s", dir, file, query ? query : "");
}

static char *path_of(const char *file)
{
    return hpo__asprintf("%s/%s", dir, file);
}

static hpo_storage *open_ok(const char *file, const char *query)
{
    char *url = url_of(file, query);
    hpo_storage *st = NULL;
    int rc = hpo_storage_open(&st, url);
    if (rc != HPO_OK)
        fprintf(stderr, "open %s: %s\n", url, hpo_storage_errmsg(st));
    CHECK_RC(rc, HPO_OK);
    free(url);
    return st;
}

/* One text from the raw file, for checking what Python will read. */
static char *raw_text(const char *file, const char *sql)
{
    char *path = path_of(file);
    sqlite3 *db;
    sqlite3_stmt *q;
    char *out = NULL;
    sqlite3_open(path, &db);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            out = hpo__strdup((const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
    } else {
        fprintf(stderr, "raw %s: %s\n", sql, sqlite3_errmsg(db));
    }
    sqlite3_close(db);
    free(path);
    return out;
}

static void raw_exec(const char *file, const char *sql)
{
    char *path = path_of(file);
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

/* ------------------------------------------------------------------------- */

/* What the parser must give: mktime() of the fields, as a reader that
 * called it for every datetime would. */
static double reference_epoch(const char *text)
{
    struct tm tm = {0};
    double sec;
    sscanf(text, "%d-%d-%d %d:%d:%lf", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
           &tm.tm_hour, &tm.tm_min, &sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_sec = (int)sec;
    tm.tm_isdst = -1;
    return (double)mktime(&tm) + (sec - (int)sec);
}

/* The parser keeps the last hour's mktime(): across both daylight-saving
 * changes of two zones, in 7-minute steps, and after the zone itself
 * changes, it still agrees with mktime() of every datetime. */
static void test_datetime_parse_cache(void)
{
    static const char *const zones[] = {"Europe/Berlin", "America/New_York",
                                        "UTC"};
    static const double starts[] = {1711748000, 1729900000}; /* Mar, Oct 2024 */
    const char *saved = getenv("TZ");
    char *keep = saved ? strdup(saved) : NULL;
    for (int z = 0; z < 3; z++) {
        setenv("TZ", zones[z], 1);
        tzset();
        for (int s = 0; s < 2; s++)
            for (double t = starts[s]; t < starts[s] + 3 * 86400; t += 420.25) {
                char buf[HPO__OPTUNA_DATETIME_LEN];
                double back = 0;
                CHECK(hpo__optuna_datetime_format(t, buf) == 0);
                CHECK(hpo__optuna_datetime_parse(buf, &back) == 0);
                CHECK_NEAR(back, reference_epoch(buf), 1e-6);
            }
    }
    double d = 0, d2 = 0;
    CHECK(hpo__optuna_datetime_parse("2024-05-01", &d) == 0);
    CHECK(hpo__optuna_datetime_parse("2024-05-01 00:00:00", &d2) == 0);
    CHECK(d == d2);
    CHECK(hpo__optuna_datetime_parse("2024-05-01X", &d) == -1);
    CHECK(hpo__optuna_datetime_parse("2024-05-01 10:00", &d) == -1);
    CHECK(hpo__optuna_datetime_parse("2024/05/01", &d) == -1);
    CHECK(hpo__optuna_datetime_parse("", &d) == -1);
    if (keep)
        setenv("TZ", keep, 1);
    else
        unsetenv("TZ");
    tzset();
    free(keep);
}

static void test_schema_encodings(void)
{
    char buf[HPO__OPTUNA_DATETIME_LEN];
    double now = hpo__now(), back = 0, t2 = 0;
    CHECK(hpo__optuna_datetime_format(now, buf) == 0 && strlen(buf) == 26);
    CHECK(hpo__optuna_datetime_parse(buf, &back) == 0);
    CHECK_NEAR(back, now, 1e-6);
    CHECK(hpo__optuna_datetime_parse("2024-05-01T10:00:00.5", &back) == 0);
    CHECK(hpo__optuna_datetime_parse("2024-05-01 10:00:00", &t2) == 0);
    CHECK_NEAR(back - t2, 0.5, 1e-9);
    CHECK(hpo__optuna_datetime_parse("yesterday", &back) == -1);
    CHECK(hpo__optuna_datetime_format(NAN, buf) == -1);

    CHECK(strcmp(hpo__optuna_value_type(1.5), "FINITE") == 0);
    CHECK(strcmp(hpo__optuna_value_type(-INFINITY), "INF_NEG") == 0);
    CHECK(strcmp(hpo__optuna_value_type(NAN), "NAN") == 0);
    CHECK(hpo__optuna_value_decode("INF_POS", 1, 0) == INFINITY);
    CHECK(hpo__optuna_value_decode("FINITE", 0, 2.5) == 2.5);
    CHECK(isnan(hpo__optuna_value_decode("NAN", 1, 0)));
    hpo_trial_state state;
    CHECK(hpo__optuna_state_parse("PRUNED", &state) == 0 &&
          state == HPO_PRUNED_STATE);
    CHECK(hpo__optuna_state_parse("pruned", &state) == -1);

    CHECK(hpo__optuna_marker_for_version("3.1") == &hpo__optuna_marker_3_0);
    CHECK(hpo__optuna_marker_for_version("3.6") == &hpo__optuna_marker_3_2);
    CHECK(hpo__optuna_marker_for_version("4.2") == &hpo__optuna_marker_3_2);
    CHECK(hpo__optuna_marker_for_version("2.10") == NULL);
    CHECK(hpo__optuna_marker_find("v3.2.0.a") == &hpo__optuna_marker_3_2);

    /* The PostgreSQL spelling: native enums first, SERIAL keys. */
    int n_pg = hpo__optuna_ddl_count(HPO__SQL_POSTGRES);
    CHECK(n_pg == hpo__optuna_ddl_count(HPO__SQL_SQLITE) + 4);
    char *first = hpo__optuna_ddl(HPO__SQL_POSTGRES, 0);
    CHECK_STR_CONTAINS(first, "CREATE TYPE studydirection AS ENUM");
    free(first);
    int found_trials = 0;
    for (int i = 0; i < n_pg; i++) {
        char *sql = hpo__optuna_ddl(HPO__SQL_POSTGRES, i);
        CHECK(sql && !strchr(sql, '@'));
        if (sql && strstr(sql, "EXISTS trials (")) {
            found_trials = 1;
            CHECK_STR_CONTAINS(sql, "trial_id SERIAL NOT NULL");
            CHECK_STR_CONTAINS(sql, "state trialstate NOT NULL");
            CHECK_STR_CONTAINS(sql, "TIMESTAMP WITHOUT TIME ZONE");
        }
        free(sql);
    }
    CHECK(found_trials);
}

static void test_url(void)
{
    static const char *const bad[] = {
        "sqlite://", "sqlite:///", "sqlite:/x.db", "sqlite:///x.db?optuna=2.9",
        "sqlite:///x.db?bogus=1", "sqlite:///x.db?timeout=soon",
        "sqlite:///x.db?optuna",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hpo_storage *st = NULL;
        CHECK_RC(hpo_storage_open(&st, bad[i]), HPO_EINVAL);
        CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "sqlite");
        hpo_storage_close(st);
    }
    hpo_storage *st = NULL;
    CHECK_RC(hpo_storage_open(&st, "sqlite:///:memory:"), HPO_OK);
    int64_t id = make_study(st, "m", 1, HPO_MINIMIZE);
    CHECK(id > 0);
    hpo_storage_close(st);
    /* a relative path lands in the working directory */
    char cwd[512];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(chdir(dir) == 0);
    CHECK_RC(hpo_storage_open(&st, "sqlite:///rel.db?timeout=5&optuna=3.1"),
             HPO_OK);
    hpo_storage_close(st);
    CHECK(access("rel.db", F_OK) == 0);
    CHECK(chdir(cwd) == 0);
}

static void test_studies(void)
{
    hpo_storage *st = open_ok("studies.db", NULL);
    contract_studies(st);
    contract_order(st);
    contract_batch(st);
    hpo_storage_close(st);
    char *left = raw_text("studies.db",
                          "SELECT count(*) FROM trials WHERE study_id NOT IN"
                          " (SELECT study_id FROM studies)");
    CHECK(left && strcmp(left, "0") == 0);
    free(left);
}

/* A trial with every kind of content, finished COMPLETE. */
static int64_t rich_trial(hpo_storage *st, int64_t study)
{
    static char *choices[] = {"\"rbf\"", "\"linear\"", "3", "true", "null"};
    hpo__trial_rec t;
    hpo__rec_init(&t);
    t.state = HPO_RUNNING;
    hpo__dist lr = float_dist(1e-5, 1e-1, 1, 0);
    hpo__dist units = int_dist(16, 256, 16);
    hpo__dist kernel = cat_dist(5, choices);
    hpo__rec_add_param(&t, "lr", &lr, 0.00123);
    hpo__rec_add_param(&t, "units", &units, 64);
    hpo__rec_add_param(&t, "kernel", &kernel, 1);
    hpo__attrs_set(&t.system_attrs, "fixed_params", "{\"lr\": 0.00123}");
    int64_t id;
    int number;
    CHECK_RC(hpo__st_create_trial(st, study, &t, &id, &number), HPO_OK);
    hpo__rec_free(&t);

    hpo__dist x = float_dist(0, 1, 0, 0.25);
    hpo__param p = {"x", x, 0.75};
    CHECK_RC(hpo__st_set_param(st, id, &p), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 0, 0.5), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 0, 99), HPO_OK); /* kept first */
    CHECK_RC(hpo__st_set_intermediate(st, id, 1, NAN), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 2, INFINITY), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 3, -INFINITY), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 10, 0.25), HPO_OK);
    CHECK_RC(hpo__st_set_trial_attr(st, id, 0, "note", "{\"a\": [1, 2]}"),
             HPO_OK);
    CHECK_RC(hpo__st_set_trial_attr(st, id, 1, "grid_id", "7"), HPO_OK);
    double v[2] = {INFINITY, -INFINITY};
    CHECK_RC(hpo__st_finish_trial(st, id, HPO_COMPLETE, 2, v), HPO_OK);
    return id;
}

static void check_rich(const hpo__trial_rec *r)
{
    CHECK(r->state == HPO_COMPLETE);
    CHECK(r->n_values == 2 && r->values && isinf(r->values[0]) &&
          r->values[0] > 0 && isinf(r->values[1]) && r->values[1] < 0);
    CHECK(r->n_params == 4);
    const hpo__param *lr = hpo__rec_param(r, "lr");
    CHECK(lr && lr->internal == 0.00123 && lr->dist.kind == HPO__FLOAT &&
          lr->dist.log && lr->dist.low == 1e-5 && lr->dist.high == 1e-1);
    const hpo__param *units = hpo__rec_param(r, "units");
    CHECK(units && units->internal == 64 && units->dist.kind == HPO__INT &&
          units->dist.step == 16 && units->dist.high == 256);
    const hpo__param *k = hpo__rec_param(r, "kernel");
    CHECK(k && k->internal == 1 && k->dist.kind == HPO__CATEGORICAL &&
          k->dist.n_choices == 5);
    if (k && k->dist.n_choices == 5)
        CHECK(strcmp(k->dist.choices[1], "\"linear\"") == 0 &&
              strcmp(k->dist.choices[4], "null") == 0);
    const hpo__param *x = hpo__rec_param(r, "x");
    CHECK(x && x->internal == 0.75 && x->dist.step == 0.25);
    CHECK(r->n_inter == 5);
    if (r->n_inter == 5) {
        CHECK(r->inter[0].step == 0 && r->inter[0].value == 0.5);
        CHECK(r->inter[1].step == 1 && isnan(r->inter[1].value));
        CHECK(isinf(r->inter[2].value) && r->inter[2].value > 0);
        CHECK(isinf(r->inter[3].value) && r->inter[3].value < 0);
        CHECK(r->inter[4].step == 10 && r->inter[4].value == 0.25);
    }
    CHECK(hpo__attrs_get(&r->user_attrs, "note") &&
          strcmp(hpo__attrs_get(&r->user_attrs, "note"), "{\"a\": [1, 2]}") ==
              0);
    CHECK(hpo__attrs_get(&r->system_attrs, "grid_id") &&
          hpo__attrs_get(&r->system_attrs, "fixed_params"));
    CHECK(isfinite(r->start_s) && isfinite(r->complete_s) &&
          r->complete_s >= r->start_s);
    CHECK(fabs(r->complete_s - hpo__now()) < 60);
}

static void test_trials(void)
{
    hpo_storage *st = open_ok("trials.db", NULL);
    int64_t s = make_study(st, "s", 2, HPO_MINIMIZE);
    int64_t id = rich_trial(st, s);

    hpo__trial_rec r;
    CHECK_RC(hpo__st_get_trial(st, id, &r), HPO_OK);
    check_rich(&r);
    CHECK(r.number == 0 && r.id == id);
    hpo__rec_free(&r);
    CHECK_RC(hpo__st_get_trial(st, id + 100, &r), HPO_ENOTFOUND);
    hpo__rec_free(&r);

    /* invariant 3: a finished trial never changes */
    double v = 1;
    CHECK_RC(hpo__st_finish_trial(st, id, HPO_FAIL, 0, NULL), HPO_EFINISHED);
    CHECK_RC(hpo__st_finish_trial(st, id, HPO_COMPLETE, 1, &v), HPO_EFINISHED);
    hpo__param p = {"late", float_dist(0, 1, 0, 0), 0.5};
    CHECK_RC(hpo__st_set_param(st, id, &p), HPO_EFINISHED);
    CHECK_RC(hpo__st_set_intermediate(st, id, 50, 1), HPO_EFINISHED);
    CHECK_RC(hpo__st_set_trial_attr(st, id, 0, "late", "1"), HPO_EFINISHED);
    CHECK_RC(hpo__st_finish_trial(st, 12345, HPO_FAIL, 0, NULL),
             HPO_ENOTFOUND);
    CHECK_RC(hpo__st_get_trial(st, id, &r), HPO_OK);
    check_rich(&r);
    hpo__rec_free(&r);

    /* what Python reads: enums by name, ±inf as NULL + type, datetimes */
    char *t = raw_text("trials.db", "SELECT state FROM trials WHERE number=0");
    CHECK(t && strcmp(t, "COMPLETE") == 0);
    free(t);
    t = raw_text("trials.db", "SELECT coalesce(value, 'NULL') || ' ' ||"
                              " value_type FROM trial_values"
                              " WHERE objective = 0");
    CHECK(t && strcmp(t, "NULL INF_POS") == 0);
    free(t);
    t = raw_text("trials.db", "SELECT group_concat(intermediate_value_type)"
                              " FROM trial_intermediate_values");
    CHECK(t && strcmp(t, "FINITE,NAN,INF_POS,INF_NEG,FINITE") == 0);
    free(t);
    t = raw_text("trials.db", "SELECT direction FROM study_directions"
                              " WHERE objective = 1");
    CHECK(t && strcmp(t, "MAXIMIZE") == 0);
    free(t);
    t = raw_text("trials.db", "SELECT param_value FROM trial_params"
                              " WHERE param_name='units'");
    CHECK(t && strcmp(t, "64.0") == 0);
    free(t);
    t = raw_text("trials.db", "SELECT distribution_json FROM trial_params"
                              " WHERE param_name='units'");
    CHECK_STR_CONTAINS(t, "\"IntDistribution\"");
    free(t);
    t = raw_text("trials.db", "SELECT datetime_complete FROM trials");
    int y, mo, d, h, mi, sec, us, used = 0;
    CHECK(t && strlen(t) == 26);
    CHECK(t && sscanf(t, "%4d-%2d-%2d %2d:%2d:%2d.%6d%n", &y, &mo, &d, &h, &mi,
                      &sec, &us, &used) == 7 && used == 26);
    free(t);
    hpo_storage_close(st);
}

static void test_waiting(void)
{
    hpo_storage *st = open_ok("waiting.db", NULL);
    int64_t s = make_study(st, "w", 1, HPO_MINIMIZE);
    int64_t claimed;
    CHECK_RC(hpo__st_claim_waiting(st, s, &claimed), HPO_DONE);
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        hpo__trial_rec t;
        hpo__rec_init(&t);
        t.state = HPO_WAITING;
        t.start_s = hpo__now(); /* ignored: WAITING has not started */
        hpo__attrs_set(&t.system_attrs, "fixed_params", "{\"x\": 1}");
        int number;
        CHECK_RC(hpo__st_create_trial(st, s, &t, &ids[i], &number), HPO_OK);
        CHECK(number == i);
        hpo__rec_free(&t);
    }
    char *t = raw_text("waiting.db", "SELECT count(*) FROM trials WHERE"
                                     " datetime_start IS NULL");
    CHECK(t && strcmp(t, "3") == 0);
    free(t);
    for (int i = 0; i < 3; i++) {
        CHECK_RC(hpo__st_claim_waiting(st, s, &claimed), HPO_OK);
        CHECK(claimed == ids[i]); /* oldest first */
    }
    CHECK_RC(hpo__st_claim_waiting(st, s, &claimed), HPO_DONE);
    hpo__trial_rec r;
    CHECK_RC(hpo__st_get_trial(st, ids[0], &r), HPO_OK);
    CHECK(r.state == HPO_RUNNING && isfinite(r.start_s) &&
          isnan(r.complete_s));
    CHECK(hpo__attrs_get(&r.system_attrs, "fixed_params") != NULL);
    hpo__rec_free(&r);
    hpo_storage_close(st);
}

/* ---- threads ------------------------------------------------------------ */

typedef struct worker {
    hpo_storage *st;
    int64_t study;
    int n;
    int got[256];
    int64_t claimed[256];
    int n_got;
    int errors;
} worker;

static void *create_many(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < w->n; i++) {
        hpo__trial_rec t;
        hpo__rec_init(&t);
        t.state = HPO_RUNNING;
        int64_t id;
        int number;
        if (hpo__st_create_trial(w->st, w->study, &t, &id, &number) != HPO_OK)
            w->errors++;
        else
            w->got[w->n_got++] = number;
    }
    return NULL;
}

static void test_threads_numbers(void)
{
    hpo_storage *st = open_ok("threads.db", NULL);
    int64_t s = make_study(st, "t", 1, HPO_MINIMIZE);
    static worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){.st = st, .study = s, .n = 50};
        pthread_create(&th[i], NULL, create_many, &w[i]);
    }
    int seen[200] = {0}, bad = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(w[i].errors == 0);
        for (int k = 0; k < w[i].n_got; k++) {
            int n = w[i].got[k];
            if (n < 0 || n >= 200 || seen[n]++)
                bad++;
        }
    }
    CHECK(bad == 0);
    for (int n = 0; n < 200; n++)
        CHECK(seen[n] == 1);
    hpo_storage_close(st);
}

static void *claim_all(void *arg)
{
    worker *w = arg;
    int64_t id;
    int rc;
    while ((rc = hpo__st_claim_waiting(w->st, w->study, &id)) == HPO_OK)
        w->claimed[w->n_got++] = id;
    if (rc != HPO_DONE)
        w->errors++;
    return NULL;
}

static void test_claim_race(void)
{
    /* Each thread has its own handle (connection): the race is decided by
     * SQLite's locks, as between processes. */
    hpo_storage *st = open_ok("claim.db", NULL);
    int64_t s = make_study(st, "c", 1, HPO_MINIMIZE);
    int64_t first = 0;
    for (int i = 0; i < 40; i++) {
        int64_t id = new_trial(st, s, HPO_WAITING, NULL);
        if (i == 0)
            first = id;
    }
    static worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){.st = open_ok("claim.db", NULL), .study = s};
        pthread_create(&th[i], NULL, claim_all, &w[i]);
    }
    int seen[40] = {0}, total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(w[i].errors == 0);
        for (int k = 0; k < w[i].n_got; k++) {
            int64_t off = w[i].claimed[k] - first;
            CHECK(off >= 0 && off < 40);
            if (off >= 0 && off < 40)
                seen[off]++;
            total++;
        }
        hpo_storage_close(w[i].st);
    }
    CHECK(total == 40);
    for (int i = 0; i < 40; i++)
        CHECK(seen[i] == 1);
    hpo_storage_close(st);
}

/* ---- processes ---------------------------------------------------------- */

static void test_fork_numbers(void)
{
    hpo_storage *st = open_ok("fork.db", NULL);
    int64_t s = make_study(st, "f", 1, HPO_MINIMIZE);
    hpo_storage_close(st);
    enum { PER_PROCESS = 60 };
    pid_t pid[2];
    for (int p = 0; p < 2; p++) {
        pid[p] = fork();
        if (pid[p] == 0) {
            hpo_storage *mine = NULL;
            char *url = url_of("fork.db", NULL);
            int bad = hpo_storage_open(&mine, url) != HPO_OK;
            for (int i = 0; !bad && i < PER_PROCESS; i++) {
                hpo__trial_rec t;
                hpo__rec_init(&t);
                t.state = HPO_RUNNING;
                int64_t id;
                int number;
                bad = hpo__st_create_trial(mine, s, &t, &id, &number) != HPO_OK;
                if (bad)
                    fprintf(stderr, "child: %s\n", hpo_storage_errmsg(mine));
            }
            hpo_storage_close(mine);
            free(url);
            _exit(bad);
        }
    }
    for (int p = 0; p < 2; p++) {
        int status = -1;
        waitpid(pid[p], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    st = open_ok("fork.db", NULL);
    hpo__trial_list all = {0};
    CHECK_RC(hpo__st_get_trials(st, s, 0, &all), HPO_OK);
    CHECK(all.n == 2 * PER_PROCESS);
    for (int i = 0; i < all.n; i++)
        CHECK(all.v[i].number == i); /* ordered, gapless, unique */
    hpo__list_free(&all);
    hpo_storage_close(st);
}

/* ---- reopen and read back ----------------------------------------------- */

static int same_rec(const hpo__trial_rec *a, const hpo__trial_rec *b)
{
    if (a->id != b->id || a->number != b->number || a->state != b->state ||
        a->n_values != b->n_values || a->n_params != b->n_params ||
        a->n_inter != b->n_inter || a->user_attrs.n != b->user_attrs.n ||
        a->system_attrs.n != b->system_attrs.n)
        return 0;
    for (int i = 0; i < a->n_values; i++)
        if (memcmp(&a->values[i], &b->values[i], sizeof(double)) != 0)
            return 0;
    for (int i = 0; i < a->n_params; i++)
        if (strcmp(a->params[i].name, b->params[i].name) ||
            a->params[i].internal != b->params[i].internal ||
            !hpo__dist_equal(&a->params[i].dist, &b->params[i].dist))
            return 0;
    for (int i = 0; i < a->n_inter; i++)
        if (a->inter[i].step != b->inter[i].step ||
            !(a->inter[i].value == b->inter[i].value ||
              (isnan(a->inter[i].value) && isnan(b->inter[i].value))))
            return 0;
    for (int i = 0; i < a->user_attrs.n; i++)
        if (strcmp(a->user_attrs.v[i].json, b->user_attrs.v[i].json))
            return 0;
    if (!(a->start_s == b->start_s ||
          (isnan(a->start_s) && isnan(b->start_s))))
        return 0;
    /* written to the microsecond */
    return fabs(a->complete_s - b->complete_s) < 1e-6 ||
           (isnan(a->complete_s) && isnan(b->complete_s));
}

static void test_reopen(void)
{
    hpo_storage *st = open_ok("reopen.db", NULL);
    int64_t s = make_study(st, "r", 2, HPO_MINIMIZE);
    rich_trial(st, s);
    int64_t mid = new_trial(st, s, HPO_RUNNING, NULL);
    new_trial(st, s, HPO_WAITING, NULL);
    int64_t failed = new_trial(st, s, HPO_RUNNING, NULL);
    CHECK_RC(hpo__st_finish_trial(st, failed, HPO_FAIL, 0, NULL), HPO_OK);
    hpo__trial_list before = {0}, after = {0}, tail = {0};
    CHECK_RC(hpo__st_get_trials(st, s, 0, &before), HPO_OK);
    hpo_storage_close(st);

    st = open_ok("reopen.db", NULL);
    CHECK_RC(hpo__st_get_trials(st, s, 0, &after), HPO_OK);
    CHECK(before.n == 4 && after.n == 4);
    for (int i = 0; i < before.n && i < after.n; i++)
        CHECK(same_rec(&before.v[i], &after.v[i]));
    if (after.n == 4) {
        check_rich(&after.v[0]);
        CHECK(after.v[3].state == HPO_FAIL && after.v[3].n_values == 0);
        CHECK(after.v[2].state == HPO_WAITING && isnan(after.v[2].start_s));
    }
    /* min_trial_id: only the newer ones, appended to what is there */
    CHECK_RC(hpo__st_get_trials(st, s, mid, &tail), HPO_OK);
    CHECK(tail.n == 3 && tail.v[0].id == mid);
    CHECK_RC(hpo__st_get_trials(st, s, mid, &tail), HPO_OK);
    CHECK(tail.n == 6);
    CHECK_RC(hpo__st_get_trials(st, s + 50, 0, &tail), HPO_ENOTFOUND);
    hpo__list_free(&before);
    hpo__list_free(&after);
    hpo__list_free(&tail);
    hpo_storage_close(st);
}

/* ---- heartbeats --------------------------------------------------------- */

static void test_first_beat(void)
{
    hpo_storage *st = open_ok("first_beat.db", NULL);
    contract_first_beat(st);
    hpo_storage_close(st);
}

static void test_heartbeat(void)
{
    hpo_storage *st = open_ok("beat.db", NULL);
    int64_t s = make_study(st, "h", 1, HPO_MINIMIZE);
    int64_t a = new_trial(st, s, HPO_RUNNING, NULL);
    int64_t b = new_trial(st, s, HPO_RUNNING, NULL);
    new_trial(st, s, HPO_RUNNING, NULL); /* no heartbeat: never stale */
    CHECK_RC(hpo__st_heartbeat(st, a), HPO_OK);
    CHECK_RC(hpo__st_heartbeat(st, b), HPO_OK);
    CHECK_RC(hpo__st_heartbeat(st, 9999), HPO_ENOTFOUND);
    int64_t *ids;
    int n;
    CHECK_RC(hpo__st_stale_trials(st, s, 60, &ids, &n), HPO_OK);
    CHECK(n == 0);
    free(ids);
    /* a's worker went quiet an hour ago */
    raw_exec("beat.db", "UPDATE trial_heartbeats SET heartbeat ="
                        " datetime('now', '-1 hour') || '.000000'"
                        " WHERE trial_id = (SELECT min(trial_id) FROM trials)");
    CHECK_RC(hpo__st_stale_trials(st, s, 60, &ids, &n), HPO_OK);
    CHECK(n == 1 && ids && ids[0] == a);
    free(ids);
    CHECK_RC(hpo__st_finish_trial(st, a, HPO_FAIL, 0, NULL), HPO_OK);
    CHECK_RC(hpo__st_stale_trials(st, s, 60, &ids, &n), HPO_OK);
    CHECK(n == 0);
    free(ids);
    char *t = raw_text("beat.db", "SELECT heartbeat FROM trial_heartbeats"
                                  " ORDER BY trial_id DESC");
    CHECK(t && strlen(t) == 26 && t[19] == '.');
    free(t);
    hpo_storage_close(st);
}

/* ---- version markers ---------------------------------------------------- */

static void test_markers(void)
{
    hpo_storage *st = open_ok("m31.db", NULL);
    hpo_storage_close(st);
    char *t = raw_text("m31.db", "SELECT version_num FROM alembic_version");
    CHECK(t && strcmp(t, "v3.0.0.d") == 0);
    free(t);
    t = raw_text("m31.db", "SELECT schema_version FROM version_info");
    CHECK(t && strcmp(t, "12") == 0);
    free(t);

    st = open_ok("m32.db", "?optuna=3.2");
    hpo_storage_close(st);
    t = raw_text("m32.db", "SELECT version_num FROM alembic_version");
    CHECK(t && strcmp(t, "v3.2.0.a") == 0);
    free(t);
    t = raw_text("m32.db", "SELECT count(*) FROM sqlite_master WHERE"
                           " name = 'trials_study_id_key'");
    CHECK(t && strcmp(t, "1") == 0);
    free(t);

    /* an existing marker wins over the option */
    st = open_ok("m32.db", NULL);
    hpo_storage_close(st);
    st = open_ok("m31.db", "?optuna=4");
    hpo_storage_close(st);
    t = raw_text("m32.db", "SELECT group_concat(version_num)"
                           " FROM alembic_version");
    CHECK(t && strcmp(t, "v3.2.0.a") == 0);
    free(t);
    t = raw_text("m31.db", "SELECT group_concat(version_num)"
                           " FROM alembic_version");
    CHECK(t && strcmp(t, "v3.0.0.d") == 0);
    free(t);

    /* empty version tables are filled, each on its own */
    raw_exec("m31.db", "DELETE FROM alembic_version; DELETE FROM version_info");
    st = open_ok("m31.db", "?optuna=3.2");
    hpo_storage_close(st);
    t = raw_text("m31.db", "SELECT version_num FROM alembic_version");
    CHECK(t && strcmp(t, "v3.2.0.a") == 0);
    free(t);
    raw_exec("m31.db", "DELETE FROM version_info");
    st = open_ok("m31.db", NULL);
    hpo_storage_close(st);
    t = raw_text("m31.db", "SELECT schema_version || ' ' || library_version"
                           " FROM version_info");
    CHECK(t && strcmp(t, "12 3.2.0") == 0);
    free(t);

    /* an unstamped pre-Optuna-3 database is refused */
    raw_exec("old.db", "CREATE TABLE version_info (version_info_id INTEGER"
                       " NOT NULL PRIMARY KEY, schema_version INTEGER,"
                       " library_version VARCHAR(256));"
                       " INSERT INTO version_info VALUES (1, 11, '2.0.0')");
    char *old = url_of("old.db", NULL);
    CHECK_RC(hpo_storage_open(&st, old), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "schema_version 11");
    hpo_storage_close(st);
    free(old);

    /* an unknown marker is refused and the file left alone */
    raw_exec("m31.db", "UPDATE alembic_version SET version_num = 'v9.9.9.z'");
    char *url = url_of("m31.db", NULL);
    CHECK_RC(hpo_storage_open(&st, url), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "v9.9.9.z");
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "m31.db");
    hpo_storage_close(st);
    free(url);
}

/* ---- faults ------------------------------------------------------------- */

static void test_faults(void)
{
    hpo_storage *st = NULL;
    char *url = hpo__asprintf("sqlite:///%s/no/such/dir/x.db", dir);
    CHECK_RC(hpo_storage_open(&st, url), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "no/such/dir");
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "does not exist");
    hpo_storage_close(st);
    free(url);

    char *path = path_of("junk.db");
    FILE *f = fopen(path, "w");
    for (int i = 0; f && i < 200; i++)
        fputs("this is not an sqlite file at all\n", f);
    if (f)
        fclose(f);
    url = url_of("junk.db", NULL);
    CHECK_RC(hpo_storage_open(&st, url), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "file is not a database");
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "junk.db");
    hpo_storage_close(st);
    free(url);
    free(path);

    /* read-only: root writes whatever the mode bits say, so as root the
     * check runs in a child that has dropped to user nobody */
    st = open_ok("ro.db", NULL);
    hpo_storage_close(st);
    path = path_of("ro.db");
    chmod(path, 0444);
    chmod(dir, 0755);
    pid_t pid = geteuid() == 0 ? fork() : 0;
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(99);
        url = url_of("ro.db", NULL);
        int before = check_failures;
        CHECK_RC(hpo_storage_open(&st, url), HPO_ESTORAGE);
        CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "ro.db");
        CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "read-only");
        hpo_storage_close(st);
        free(url);
        if (getpid() != parent_pid)
            _exit(check_failures - before);
    } else {
        int status = -1;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    chmod(dir, 0700);
    free(path);

    /* a writer that holds the lock past the busy timeout */
    st = open_ok("locked.db", "?timeout=0.2");
    int64_t s = make_study(st, "l", 1, HPO_MINIMIZE);
    path = path_of("locked.db");
    sqlite3 *other;
    sqlite3_open(path, &other);
    CHECK(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
          SQLITE_OK);
    hpo__trial_rec t;
    hpo__rec_init(&t);
    t.state = HPO_RUNNING;
    int64_t id;
    int number;
    double t0 = hpo__monotonic();
    CHECK_RC(hpo__st_create_trial(st, s, &t, &id, &number), HPO_ESTORAGE);
    double waited = hpo__monotonic() - t0;
    CHECK(waited >= 0.15 && waited < 5);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "database is locked");
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "locked.db");
    /* reads go on under WAL while the writer holds its lock */
    int count = -1;
    CHECK_RC(hpo__st_count_trials(st, s, &count), HPO_OK);
    CHECK(count == 0);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    CHECK_RC(hpo__st_create_trial(st, s, &t, &id, &number), HPO_OK);
    CHECK(number == 0);
    hpo_storage_close(st);
    free(path);
}

/* ---- speed: reading 10,000 trials --------------------------------------- */

static void test_read_big(void)
{
    hpo_storage *st = open_ok("speed.db", NULL);
    int64_t s = make_study(st, "big", 1, HPO_MINIMIZE);
    hpo_storage_close(st);
    /* Filled in one raw transaction: this measures reading, not fsync. */
    char *path = path_of("speed.db");
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *tr, *pa, *va, *iv;
    sqlite3_prepare_v2(db, "INSERT INTO trials (number, study_id, state,"
                           " datetime_start, datetime_complete) VALUES"
                           " (?1, ?2, 'COMPLETE', '2024-05-01 10:00:00.000000',"
                           " '2024-05-01 10:00:01.500000')", -1, &tr, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO trial_params (trial_id, param_name,"
                           " param_value, distribution_json) VALUES"
                           " (?1, ?2, ?3, ?4)", -1, &pa, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO trial_values (trial_id, objective,"
                           " value, value_type) VALUES (?1, 0, ?2, 'FINITE')",
                       -1, &va, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO trial_intermediate_values (trial_id,"
                           " step, intermediate_value, intermediate_value_type)"
                           " VALUES (?1, ?2, ?3, 'FINITE')", -1, &iv, NULL);
    static const char *const names[] = {"x", "y", "kernel"};
    static const char *const dists[] = {
        "{\"name\": \"FloatDistribution\", \"attributes\": {\"low\": -5.0,"
        " \"high\": 5.0, \"log\": false, \"step\": null}}",
        "{\"name\": \"IntDistribution\", \"attributes\": {\"low\": 1,"
        " \"high\": 100, \"log\": true, \"step\": 1}}",
        "{\"name\": \"CategoricalDistribution\", \"attributes\":"
        " {\"choices\": [\"a\", \"b\", \"c\"]}}"};
    enum { N = 10000 };
    for (int i = 0; i < N; i++) {
        sqlite3_bind_int(tr, 1, i);
        sqlite3_bind_int64(tr, 2, s);
        sqlite3_step(tr);
        sqlite3_reset(tr);
        int64_t id = sqlite3_last_insert_rowid(db);
        for (int k = 0; k < 3; k++) {
            sqlite3_bind_int64(pa, 1, id);
            sqlite3_bind_text(pa, 2, names[k], -1, SQLITE_STATIC);
            sqlite3_bind_double(pa, 3, k == 0 ? i * 1e-3 : k == 1 ? 7 : 2);
            sqlite3_bind_text(pa, 4, dists[k], -1, SQLITE_STATIC);
            sqlite3_step(pa);
            sqlite3_reset(pa);
        }
        sqlite3_bind_int64(va, 1, id);
        sqlite3_bind_double(va, 2, i);
        sqlite3_step(va);
        sqlite3_reset(va);
        for (int k = 0; k < 3; k++) {
            sqlite3_bind_int64(iv, 1, id);
            sqlite3_bind_int(iv, 2, k);
            sqlite3_bind_double(iv, 3, k + i);
            sqlite3_step(iv);
            sqlite3_reset(iv);
        }
    }
    sqlite3_finalize(tr);
    sqlite3_finalize(pa);
    sqlite3_finalize(va);
    sqlite3_finalize(iv);
    CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    free(path);

    st = open_ok("speed.db", NULL);
    hpo__trial_list all = {0};
    double t0 = hpo__monotonic();
    CHECK_RC(hpo__st_get_trials(st, s, 0, &all), HPO_OK);
    double dt = hpo__monotonic() - t0;
    fprintf(stderr, "note: get_trials read %d trials in %.3f s\n", all.n, dt);
    /* No bound on dt: tests assert behaviour, not timing (the query
     * plans that keep reads fast are checked by test_sqlite_plans). */
    CHECK(all.n == N);
    if (all.n == N) {
        const hpo__trial_rec *last = &all.v[N - 1];
        CHECK(last->number == N - 1 && last->n_params == 3 &&
              last->n_inter == 3 && last->n_values == 1 &&
              last->values[0] == N - 1);
        CHECK(fabs(last->complete_s - last->start_s - 1.5) < 1e-6);
        CHECK(hpo__rec_param(last, "y")->dist.log == 1);
    }
    hpo__list_free(&all);

    /* and creating trials through the backend, one transaction each */
    t0 = hpo__monotonic();
    for (int i = 0; i < 200; i++)
        new_trial(st, s, HPO_RUNNING, NULL);
    fprintf(stderr, "note: create_trial %.2f ms each\n",
            (hpo__monotonic() - t0) / 200 * 1e3);
    hpo_storage_close(st);
}

int main(void)
{
    parent_pid = getpid();
    snprintf(dir, sizeof dir, "/tmp/hpo_sqlite_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_schema_encodings);
    RUN(test_datetime_parse_cache);
    RUN(test_url);
    RUN(test_studies);
    RUN(test_trials);
    RUN(test_waiting);
    RUN(test_threads_numbers);
    RUN(test_claim_race);
    RUN(test_fork_numbers);
    RUN(test_reopen);
    RUN(test_heartbeat);
    RUN(test_first_beat);
    RUN(test_markers);
    RUN(test_faults);
    RUN(test_read_big);
    char *rm = hpo__asprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    free(rm);
    return CHECK_DONE();
}
#endif
