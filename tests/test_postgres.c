/*
 * test_postgres.c — the PostgreSQL storage against a throw-away server
 * (tests/pg/pg_server.sh): the semantic checks of test_sqlite.c (studies,
 * trials, invariants under threads and processes, Optuna's encodings as
 * stored, the version marker), schema creation racing, interop with
 * Debian's Python Optuna both ways, and the faults: server down at start,
 * a connection killed, a COMMIT whose answer is lost (injected), and the
 * server restarted — cleanly and by a crash — in the middle of a run.
 *
 * No server binaries is a FAILURE with a pointer to scripts/setup.sh (CI
 * installs them); only a build without libpq skips.
 */
#if !__has_include(<libpq-fe.h>)
#include <stdio.h>
int main(void)
{
    fprintf(stderr, "SKIP: built without PostgreSQL (libpq-dev)\n");
    return 0;
}
#else
#include <cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "pg/pg_harness.h"
#include "storage/optuna_schema.h"
#include "storage/storage.h"
#include "storage_contract.h"

#if HPO_FAULTS
#include "core/faults.h"
/* The next COMMIT loses its connection after the server committed
 * (FAULT_COMMITTED) or before it could (FAULT_NOT_COMMITTED). */
enum { FAULT_NONE, FAULT_COMMITTED, FAULT_NOT_COMMITTED };
static void lose_next_commit(int mode)
{
    hpo__fault_arm(HPO__FAULT_PG, 1,
                   mode == FAULT_COMMITTED ? HPO__FAULT_PG_LOST_AFTER
                                           : HPO__FAULT_PG_LOST,
                   "COMMIT");
}
#endif

#define PYTHON "/usr/bin/python3"
#define INTEROP HPO_SOURCE_DIR "/tests/interop/optuna_interop.py"

/* A fresh database and a storage on it. */
static hpo_storage *fresh(const char *db, const char *query)
{
    char *url = pg_db_url(db, query);
    hpo_storage *st = contract_open_ok(url);
    free(url);
    return st;
}

static char *url_of(const char *db, const char *query)
{
    return hpo__asprintf("%s/%s%s", pg_base, db, query ? query : "");
}

static int text_is(const char *db, const char *sql, const char *want)
{
    char *got = pg_raw_text(db, sql);
    int same = got && strcmp(got, want) == 0;
    if (!same)
        fprintf(stderr, "  %s -> '%s', wanted '%s'\n", sql,
                got ? got : "(null)", want);
    free(got);
    return same;
}

/* ---- URLs and a server that is not there -------------------------------- */

static void test_url(void)
{
    char *bad[] = {
        url_of("u", "?optuna=2.9"), url_of("u", "?optuna"),
        url_of("u", "?bogus=1"), url_of("u", "?sync=sometimes"),
        hpo__asprintf("postgresql://postgres:secretpw@127.0.0.1:%d/u?x=1",
                      pg_port),
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hpo_storage *st = NULL;
        CHECK_RC(hpo_storage_open(&st, bad[i]), HPO_EINVAL);
        CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "postgresql: ");
        CHECK(!strstr(hpo_storage_errmsg(st), "secretpw"));
        hpo_storage_close(st);
        free(bad[i]);
    }
    char *db = pg_db_url("u", NULL);
    free(db);
    /* postgres:// too, with libpq's own options next to hpo's */
    char *url = hpo__asprintf("postgres://postgres@127.0.0.1:%d/u?sslmode="
                              "disable&optuna=3.1&application_name=hpo_test",
                              pg_port);
    hpo_storage *st = contract_open_ok(url);
    CHECK(make_study(st, "m", 1, HPO_MINIMIZE) > 0);
    CHECK(text_is("postgres", "SELECT count(*) FROM pg_stat_activity"
                              " WHERE application_name = 'hpo_test'", "1"));
    hpo_storage_close(st);
    free(url);
    /* ?sync=full and ?sync=normal are hpo's (docs/durability.md) */
    const char *syncs[] = {"?sync=full", "?sync=normal&sync=full"};
    for (int i = 0; i < 2; i++) {
        url = url_of("u", syncs[i]);
        st = contract_open_ok(url);
        CHECK(make_study(st, syncs[i], 1, HPO_MINIMIZE) > 0);
        hpo_storage_close(st);
        free(url);
    }
}

static void test_server_down(void)
{
    /* Nothing listens on port 9 (discard) of the loopback. */
    hpo_storage *st = NULL;
    double t0 = hpo__monotonic();
    CHECK_RC(hpo_storage_open(&st, "postgresql://ada:pw@127.0.0.1:9/db"),
             HPO_ESTORAGE);
    double waited = hpo__monotonic() - t0;
    const char *msg = hpo_storage_errmsg(st);
    fprintf(stderr, "note: down server reported in %.3f s: %s\n", waited, msg);
    CHECK(waited < 3);
    CHECK_STR_CONTAINS(msg, "postgresql: ada@127.0.0.1:9/db: cannot connect");
    CHECK_STR_CONTAINS(msg, "Connection refused");
    CHECK(!strchr(msg, '\n') && !strstr(msg, ":pw"));
    hpo_storage_close(st);
}

/* ---- studies ------------------------------------------------------------ */

static void test_studies(void)
{
    hpo_storage *st = fresh("studies", NULL);
    contract_studies(st);
    contract_order(st);
    contract_batch(st);
    hpo_storage_close(st);
    CHECK(text_is("studies", "SELECT count(*) FROM trials WHERE study_id"
                             " NOT IN (SELECT study_id FROM studies)", "0"));
}

/* ---- trials ------------------------------------------------------------- */

static char *choices[] = {"\"rbf\"", "\"linear\"", "3", "true", "null"};

/* A trial with every kind of content, finished COMPLETE. */
static int64_t rich_trial(hpo_storage *st, int64_t study)
{
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

    hpo__param p = {"x", float_dist(0, 1, 0, 0.25), 0.75};
    CHECK_RC(hpo__st_set_param(st, id, &p), HPO_OK);
    hpo__param third = {"third", float_dist(0, 1, 0, 0), 1.0 / 3};
    CHECK_RC(hpo__st_set_param(st, id, &third), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 0, 0.1 + 0.2), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 0, 99), HPO_OK); /* kept first */
    CHECK_RC(hpo__st_set_intermediate(st, id, 1, NAN), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 2, INFINITY), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 3, -INFINITY), HPO_OK);
    CHECK_RC(hpo__st_set_intermediate(st, id, 10, 1e-300), HPO_OK);
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
    CHECK(r->n_params == 5);
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
    const hpo__param *third = hpo__rec_param(r, "third");
    CHECK(third && third->internal == 1.0 / 3); /* every bit */
    CHECK(r->n_inter == 5);
    if (r->n_inter == 5) {
        CHECK(r->inter[0].step == 0 && r->inter[0].value == 0.1 + 0.2);
        CHECK(r->inter[1].step == 1 && isnan(r->inter[1].value));
        CHECK(isinf(r->inter[2].value) && r->inter[2].value > 0);
        CHECK(isinf(r->inter[3].value) && r->inter[3].value < 0);
        CHECK(r->inter[4].step == 10 && r->inter[4].value == 1e-300);
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
    hpo_storage *st = fresh("trials", NULL);
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
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "already finished (COMPLETE)");
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
    hpo_storage_close(st);

    /* what Python reads: native enums by name, ±inf as NULL + type */
    const char *db = "trials";
    CHECK(text_is(db, "SELECT state FROM trials WHERE number = 0",
                  "COMPLETE"));
    CHECK(text_is(db, "SELECT coalesce(value::text, 'NULL') || ' ' ||"
                      " value_type FROM trial_values WHERE objective = 0",
                  "NULL INF_POS"));
    CHECK(text_is(db, "SELECT string_agg(intermediate_value_type::text, ','"
                      " ORDER BY trial_intermediate_value_id)"
                      " FROM trial_intermediate_values",
                  "FINITE,NAN,INF_POS,INF_NEG,FINITE"));
    CHECK(text_is(db, "SELECT direction FROM study_directions"
                      " WHERE objective = 1", "MAXIMIZE"));
    CHECK(text_is(db, "SELECT param_value FROM trial_params"
                      " WHERE param_name = 'units'", "64"));
    char *json = pg_raw_text(db, "SELECT distribution_json FROM trial_params"
                                 " WHERE param_name = 'units'");
    CHECK_STR_CONTAINS(json, "\"IntDistribution\"");
    free(json);
    CHECK(text_is(db, "SELECT string_agg(udt_name, ',' ORDER BY column_name)"
                      " FROM information_schema.columns WHERE table_name ="
                      " 'trials' AND column_name IN ('state',"
                      " 'datetime_start')", "timestamp,trialstate"));
    CHECK(text_is(db, "SELECT data_type FROM information_schema.columns"
                      " WHERE table_name = 'trial_values' AND column_name ="
                      " 'value'", "double precision"));
    /* naive local time, as Python's datetime.now() */
    char *t = pg_raw_text(db, "SELECT datetime_complete FROM trials");
    double when = 0;
    CHECK(t && hpo__optuna_datetime_parse(t, &when) == 0 &&
          fabs(when - hpo__now()) < 60);
    free(t);
}

static void test_waiting(void)
{
    hpo_storage *st = fresh("waiting", NULL);
    int64_t s = make_study(st, "w", 1, HPO_MINIMIZE);
    int64_t claimed;
    CHECK_RC(hpo__st_claim_waiting(st, s, &claimed), HPO_DONE);
    CHECK_RC(hpo__st_claim_waiting(st, s + 7, &claimed), HPO_ENOTFOUND);
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
    CHECK(text_is("waiting", "SELECT count(*) FROM trials WHERE"
                             " datetime_start IS NULL", "3"));
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
    int own; /* close st at the end */
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
        if (hpo__st_create_trial(w->st, w->study, &t, &id, &number) != HPO_OK) {
            fprintf(stderr, "create: %s\n", hpo_storage_errmsg(w->st));
            w->errors++;
        } else {
            w->got[w->n_got++] = number;
        }
    }
    return NULL;
}

static void test_threads_numbers(void)
{
    /* Two threads share a handle (its mutex orders them), two have their
     * own connection (the study row lock orders them). */
    hpo_storage *st = fresh("threads", NULL);
    char *url = url_of("threads", NULL);
    int64_t s = make_study(st, "t", 1, HPO_MINIMIZE);
    static worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){.st = i < 2 ? st : contract_open_ok(url), .own = i >= 2,
                        .study = s, .n = 50};
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
        if (w[i].own)
            hpo_storage_close(w[i].st);
    }
    CHECK(bad == 0);
    for (int n = 0; n < 200; n++)
        CHECK(seen[n] == 1);
    hpo_storage_close(st);
    free(url);
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
    hpo_storage *st = fresh("claim", NULL);
    char *url = url_of("claim", NULL);
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
        w[i] = (worker){.st = contract_open_ok(url), .study = s};
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
    free(url);
}

/* ---- processes ---------------------------------------------------------- */

static void test_fork_numbers(void)
{
    hpo_storage *st = fresh("fork", NULL);
    int64_t s = make_study(st, "f", 1, HPO_MINIMIZE);
    hpo_storage_close(st);
    enum { PER_PROCESS = 60 };
    char *url = url_of("fork", NULL);
    pid_t pid[2];
    for (int p = 0; p < 2; p++) {
        pid[p] = fork();
        if (pid[p] == 0) {
            hpo_storage *mine = NULL;
            int bad = hpo_storage_open(&mine, url) != HPO_OK;
            for (int i = 0; !bad && i < PER_PROCESS; i++) {
                hpo__trial_rec t;
                hpo__rec_init(&t);
                t.state = HPO_RUNNING;
                int64_t id;
                int number;
                bad = hpo__st_create_trial(mine, s, &t, &id, &number) != HPO_OK;
            }
            if (bad)
                fprintf(stderr, "child: %s\n", hpo_storage_errmsg(mine));
            hpo_storage_close(mine);
            _exit(bad);
        }
    }
    for (int p = 0; p < 2; p++) {
        int status = -1;
        waitpid(pid[p], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    st = contract_open_ok(url);
    hpo__trial_list all = {0};
    CHECK_RC(hpo__st_get_trials(st, s, 0, &all), HPO_OK);
    CHECK(all.n == 2 * PER_PROCESS);
    for (int i = 0; i < all.n; i++)
        CHECK(all.v[i].number == i); /* ordered, gapless, unique */
    hpo__list_free(&all);
    hpo_storage_close(st);
    free(url);
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
    return a->complete_s == b->complete_s ||
           (isnan(a->complete_s) && isnan(b->complete_s));
}

static void test_reopen(void)
{
    hpo_storage *st = fresh("reopen", NULL);
    int64_t s = make_study(st, "r", 2, HPO_MINIMIZE);
    rich_trial(st, s);
    int64_t mid = new_trial(st, s, HPO_RUNNING, NULL);
    new_trial(st, s, HPO_WAITING, NULL);
    int64_t failed = new_trial(st, s, HPO_RUNNING, NULL);
    CHECK_RC(hpo__st_finish_trial(st, failed, HPO_FAIL, 0, NULL), HPO_OK);
    hpo__trial_list before = {0}, after = {0}, tail = {0};
    CHECK_RC(hpo__st_get_trials(st, s, 0, &before), HPO_OK);
    hpo_storage_close(st);

    char *url = url_of("reopen", NULL);
    st = contract_open_ok(url);
    free(url);
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
    CHECK(tail.n == 6);
    hpo__list_free(&before);
    hpo__list_free(&after);
    hpo__list_free(&tail);
    hpo_storage_close(st);
}

/* ---- heartbeats --------------------------------------------------------- */

static void test_first_beat(void)
{
    hpo_storage *st = fresh("first_beat", NULL);
    contract_first_beat(st);
    hpo_storage_close(st);
}

static void test_heartbeat(void)
{
    hpo_storage *st = fresh("beat", NULL);
    int64_t s = make_study(st, "h", 1, HPO_MINIMIZE);
    int64_t a = new_trial(st, s, HPO_RUNNING, NULL);
    int64_t b = new_trial(st, s, HPO_RUNNING, NULL);
    new_trial(st, s, HPO_RUNNING, NULL); /* no heartbeat: never stale */
    CHECK_RC(hpo__st_heartbeat(st, a), HPO_OK);
    CHECK_RC(hpo__st_heartbeat(st, b), HPO_OK);
    CHECK_RC(hpo__st_heartbeat(st, b), HPO_OK); /* one row per trial */
    CHECK_RC(hpo__st_heartbeat(st, 9999), HPO_ENOTFOUND);
    int64_t *ids;
    int n;
    CHECK_RC(hpo__st_stale_trials(st, s, 60, &ids, &n), HPO_OK);
    CHECK(n == 0);
    free(ids);
    /* a's worker went quiet an hour ago (by the server's clock) */
    pg_raw_exec("beat", "UPDATE trial_heartbeats SET heartbeat = heartbeat"
                        " - interval '1 hour' WHERE trial_id ="
                        " (SELECT min(trial_id) FROM trials)");
    CHECK_RC(hpo__st_stale_trials(st, s, 60, &ids, &n), HPO_OK);
    CHECK(n == 1 && ids && ids[0] == a);
    free(ids);
    CHECK_RC(hpo__st_finish_trial(st, a, HPO_FAIL, 0, NULL), HPO_OK);
    CHECK_RC(hpo__st_stale_trials(st, s, 60, &ids, &n), HPO_OK);
    CHECK(n == 0);
    free(ids);
    CHECK_RC(hpo__st_stale_trials(st, s + 9, 60, &ids, &n), HPO_ENOTFOUND);
    CHECK(text_is("beat", "SELECT count(*) FROM trial_heartbeats", "2"));
    CHECK(text_is("beat", "SELECT bool_and(abs(extract(epoch FROM"
                          " LOCALTIMESTAMP - heartbeat)) < 60)"
                          " FROM trial_heartbeats WHERE trial_id <> "
                          " (SELECT min(trial_id) FROM trials)", "t"));
    hpo_storage_close(st);
}

/* ---- version markers and the schema ------------------------------------- */

static void test_markers(void)
{
    hpo_storage *st = fresh("m31", NULL);
    hpo_storage_close(st);
    CHECK(text_is("m31", "SELECT version_num FROM alembic_version",
                  "v3.0.0.d"));
    CHECK(text_is("m31", "SELECT schema_version FROM version_info", "12"));
    CHECK(text_is("m31", "SELECT count(*) FROM pg_indexes WHERE indexname"
                         " = 'trials_study_id_key'", "0"));
    CHECK(text_is("m31", "SELECT string_agg(typname, ',' ORDER BY typname)"
                         " FROM pg_type WHERE typtype = 'e'",
                  "studydirection,trialintermediatevaluetype,trialstate,"
                  "trialvaluetype"));

    st = fresh("m32", "?optuna=3.2");
    hpo_storage_close(st);
    CHECK(text_is("m32", "SELECT version_num FROM alembic_version",
                  "v3.2.0.a"));
    CHECK(text_is("m32", "SELECT count(*) FROM pg_indexes WHERE indexname"
                         " = 'trials_study_id_key'", "1"));

    /* an existing marker wins over the option */
    char *u31 = url_of("m31", "?optuna=4"), *u32 = url_of("m32", NULL);
    hpo_storage_close(contract_open_ok(u31));
    hpo_storage_close(contract_open_ok(u32));
    CHECK(text_is("m31", "SELECT string_agg(version_num, ',')"
                         " FROM alembic_version", "v3.0.0.d"));
    CHECK(text_is("m32", "SELECT string_agg(version_num, ',')"
                         " FROM alembic_version", "v3.2.0.a"));

    /* empty version tables are filled */
    pg_raw_exec("m31", "DELETE FROM alembic_version; DELETE FROM version_info");
    hpo_storage_close(contract_open_ok(u31));
    CHECK(text_is("m31", "SELECT version_num FROM alembic_version",
                  "v3.2.0.a"));
    CHECK(text_is("m31", "SELECT schema_version || ' ' || library_version"
                         " FROM version_info", "12 3.2.0"));

    /* an unknown marker is refused and the database left alone */
    pg_raw_exec("m31", "UPDATE alembic_version SET version_num = 'v9.9.9.z'");
    pg_raw_exec("m31", "DROP INDEX hpo_trials_study_state");
    CHECK_RC(hpo_storage_open(&st, u31), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "v9.9.9.z");
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "/m31");
    hpo_storage_close(st);
    CHECK(text_is("m31", "SELECT count(*) FROM pg_indexes WHERE indexname"
                         " = 'hpo_trials_study_state'", "0"));

    /* an unstamped pre-Optuna-3 schema is refused */
    free(pg_db_url("old", NULL));
    pg_raw_exec("old", "CREATE TABLE version_info (version_info_id INTEGER"
                       " NOT NULL PRIMARY KEY, schema_version INTEGER,"
                       " library_version VARCHAR(256));"
                       " INSERT INTO version_info VALUES (1, 11, '2.0.0')");
    char *old = url_of("old", NULL);
    CHECK_RC(hpo_storage_open(&st, old), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "schema_version 11");
    hpo_storage_close(st);
    free(old);
    free(u31);
    free(u32);
}

typedef struct opener {
    const char *url;
    pthread_barrier_t *go;
    int rc;
    char msg[256];
} opener;

static void *open_at_once(void *arg)
{
    opener *o = arg;
    hpo_storage *st = NULL;
    pthread_barrier_wait(o->go);
    o->rc = hpo_storage_open(&st, o->url);
    snprintf(o->msg, sizeof o->msg, "%s", hpo_storage_errmsg(st));
    hpo_storage_close(st);
    return NULL;
}

static void test_schema_race(void)
{
    /* Four workers find an empty database at the same moment. */
    enum { N = 4 };
    char *url = pg_db_url("race", NULL);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    opener o[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        o[i] = (opener){.url = url, .go = &go};
        pthread_create(&th[i], NULL, open_at_once, &o[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        if (o[i].rc != HPO_OK)
            fprintf(stderr, "open %d: %s\n", i, o[i].msg);
        CHECK_RC(o[i].rc, HPO_OK);
    }
    pthread_barrier_destroy(&go);
    CHECK(text_is("race", "SELECT count(*) FROM alembic_version", "1"));
    CHECK(text_is("race", "SELECT count(*) FROM version_info", "1"));
    CHECK(text_is("race", "SELECT count(*) FROM pg_tables WHERE schemaname"
                          " = 'public'", "13"));
    free(url);
}

/* ---- interop with Python Optuna ------------------------------------------ */

static int run_python(const char *command, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s '%s' %s '%s' %s%s%s", PYTHON, INTEROP,
             command, a, b ? "'" : "", b ? b : "", b ? "'" : "");
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* JSON has no inf or NaN: write them as strings Python's float() reads. */
static cJSON *number_json(double v)
{
    if (isnan(v))
        return cJSON_CreateString("nan");
    if (isinf(v))
        return cJSON_CreateString(v > 0 ? "inf" : "-inf");
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return cJSON_CreateRaw(buf);
}

/* What hpo holds of a trial, in optuna_interop.py check-hpo's format. */
static cJSON *trial_json(const hpo_trial *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "number", hpo_trial_number(t));
    cJSON_AddStringToObject(o, "state", hpo_state_name(hpo_trial_state_of(t)));
    if (hpo_trial_n_values(t) == 0) {
        cJSON_AddNullToObject(o, "values");
    } else {
        cJSON *v = cJSON_AddArrayToObject(o, "values");
        for (int i = 0; i < hpo_trial_n_values(t); i++)
            cJSON_AddItemToArray(v, number_json(hpo_trial_value(t, i)));
    }
    cJSON *params = cJSON_AddObjectToObject(o, "params");
    for (int i = 0; i < hpo_trial_n_params(t); i++) {
        const char *name = hpo_trial_param_name(t, i);
        if (strcmp(name, "kernel") == 0)
            cJSON_AddStringToObject(params, name, hpo_trial_param_text(t, i));
        else
            cJSON_AddItemToObject(params, name,
                                  number_json(hpo_trial_param_value(t, i)));
    }
    cJSON *inter = cJSON_AddObjectToObject(o, "intermediate");
    for (int i = 0; i < hpo_trial_n_intermediate(t); i++) {
        int64_t step;
        double v;
        char key[32];
        hpo_trial_intermediate(t, i, &step, &v);
        snprintf(key, sizeof key, "%lld", (long long)step);
        cJSON_AddItemToObject(inter, key, number_json(v));
    }
    cJSON *attrs = cJSON_AddObjectToObject(o, "user_attrs");
    const char *fold = hpo_trial_user_attr(t, "fold");
    if (fold)
        cJSON_AddItemToObject(attrs, "fold", cJSON_Parse(fold));
    return o;
}

static cJSON *study_json(hpo_study *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", hpo_study_name(s));
    cJSON *dirs = cJSON_AddArrayToObject(o, "directions");
    for (int i = 0; i < hpo_study_n_objectives(s); i++)
        cJSON_AddItemToArray(dirs, cJSON_CreateString(hpo_direction_name(
                                       hpo_study_direction(s, i))));
    cJSON *attrs = cJSON_AddObjectToObject(o, "user_attrs");
    const char *purpose = hpo_study_user_attr(s, "purpose");
    if (purpose)
        cJSON_AddItemToObject(attrs, "purpose", cJSON_Parse(purpose));
    hpo_trial **trials;
    int n;
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    cJSON *list = cJSON_AddArrayToObject(o, "trials");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(list, trial_json(trials[i]));
    hpo_trials_free(trials, n);
    if (hpo_study_n_objectives(s) == 1) {
        hpo_trial *best;
        CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
        cJSON *b = cJSON_AddObjectToObject(o, "best");
        cJSON_AddNumberToObject(b, "number", hpo_trial_number(best));
        cJSON_AddItemToObject(b, "value",
                              number_json(hpo_trial_value(best, 0)));
        hpo_trial_free(best);
    } else {
        CHECK_RC(hpo_study_pareto_front(s, &trials, &n), HPO_OK);
        cJSON *front = cJSON_AddArrayToObject(o, "pareto");
        for (int i = 0; i < n; i++)
            cJSON_AddItemToArray(front,
                                 cJSON_CreateNumber(hpo_trial_number(trials[i])));
        hpo_trials_free(trials, n);
    }
    return o;
}

static const char *const kernels[] = {"rbf", "linear", "poly"};

/* One trial of the single-objective study; its fate depends on its number. */
static void run_single_trial(hpo_study *s)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    if (!t)
        return;
    double lr, x;
    int64_t units;
    int k;
    CHECK_RC(hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr),
             HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", -2, 2, 0.5, 0, &x), HPO_OK);
    CHECK_RC(hpo_trial_suggest_int(t, "units", 16, 256, 16, 0, &units), HPO_OK);
    CHECK_RC(hpo_trial_suggest_categorical(t, "kernel", kernels, 3, &k),
             HPO_OK);
    double value = log10(lr) * log10(lr) + x * x + (double)units / 256 + k;
    int number = hpo_trial_number(t);
    for (int step = 0; step < 3; step++)
        CHECK_RC(hpo_trial_report(t, step, value + 1.0 / (step + 1)), HPO_OK);
    if (number == 2) {
        CHECK_RC(hpo_trial_report(t, 3, NAN), HPO_OK);
        CHECK_RC(hpo_trial_report(t, 4, INFINITY), HPO_OK);
        CHECK_RC(hpo_trial_report(t, 5, -INFINITY), HPO_OK);
    }
    CHECK_RC(hpo_trial_set_user_attr(t, "fold", "[1, 2.5, \"a\", null]"),
             HPO_OK);
    if (number == 3)
        CHECK_RC(hpo_study_tell(s, t, HPO_PRUNED_STATE, NULL, 0), HPO_OK);
    else if (number == 5)
        CHECK_RC(hpo_study_tell(s, t, HPO_FAIL, NULL, 0), HPO_OK);
    else
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &value, 1), HPO_OK);
    hpo_trial_free(t);
}

static void run_multi_trial(hpo_study *s, int i)
{
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    if (!t)
        return;
    double a;
    CHECK_RC(hpo_trial_suggest_float(t, "a", 0, 1, 0, 0, &a), HPO_OK);
    /* minimize a, maximize a: all on the front but trial 3 (±inf) */
    double v[2] = {a, a};
    if (i == 3) {
        v[0] = INFINITY;
        v[1] = -INFINITY;
    }
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, 2), HPO_OK);
    hpo_trial_free(t);
}

static void test_hpo_to_optuna(void)
{
    char *url = pg_db_url("hpo_wrote", NULL);
    hpo_storage *st = contract_open_ok(url);
    hpo_study *single = hpo_study_new();
    hpo_study_set_storage(single, st);
    hpo_study_set_seed(single, 7);
    CHECK_RC(hpo_study_open(single, "single", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_set_user_attr(single, "purpose", "\"interop\""), HPO_OK);
    for (int i = 0; i < 8; i++)
        run_single_trial(single);
    hpo_study *multi = hpo_study_new();
    hpo_study_set_storage(multi, st);
    hpo_study_set_seed(multi, 8);
    hpo_study_add_direction(multi, HPO_MINIMIZE);
    hpo_study_add_direction(multi, HPO_MAXIMIZE);
    CHECK_RC(hpo_study_open(multi, "multi", HPO_OPEN_CREATE), HPO_OK);
    for (int i = 0; i < 5; i++)
        run_multi_trial(multi, i);

    cJSON *root = cJSON_CreateObject();
    cJSON *studies = cJSON_AddArrayToObject(root, "studies");
    cJSON_AddItemToArray(studies, study_json(single));
    cJSON_AddItemToArray(studies, study_json(multi));
    char *text = cJSON_Print(root);
    char expected[] = "/tmp/hpo_pg_expected_XXXXXX";
    int fd = mkstemp(expected);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(text);
    cJSON_Delete(root);
    hpo_study_free(single);
    hpo_study_free(multi);
    hpo_storage_close(st);
    CHECK_RC(run_python("check-hpo", url, expected), 0);
    unlink(expected);
    free(url);

    /* a v3.2.0.a marker is refused by Debian's Optuna 3.1 */
    url = pg_db_url("marker32", "?optuna=3.2");
    hpo_storage_close(contract_open_ok(url));
    char *plain = url_of("marker32", NULL);
    if (system(PYTHON " -c 'import optuna,sys; sys.exit(optuna.__version__ "
                      ">= \"3.2\")'") == 0)
        CHECK_RC(run_python("refused", plain, NULL), 0);
    else
        fprintf(stderr, "note: optuna >= 3.2: the refusal is not tested\n");
    free(plain);
    free(url);
}

static int continue_objective(hpo_trial *t, void *data, double *value)
{
    double lr, x;
    int64_t units;
    int k, rc;
    (void)data;
    if ((rc = hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr)) ||
        (rc = hpo_trial_suggest_int(t, "units", 16, 256, 16, 0, &units)) ||
        (rc = hpo_trial_suggest_categorical(t, "kernel", kernels, 3, &k)) ||
        (rc = hpo_trial_suggest_float(t, "x", -2, 2, 0.5, 0, &x)))
        return rc;
    value[0] = (log10(lr) + 3) * (log10(lr) + 3) + (double)units / 256 + x * x +
               0.5 * k;
    return hpo_trial_set_user_attr(t, "from", "\"hpo\"");
}

static void test_optuna_to_hpo(void)
{
    /* Python creates the schema itself here: hpo must accept its DDL. */
    char *url = pg_db_url("py_wrote", NULL);
    CHECK_RC(run_python("make", url, NULL), 0);
    hpo_storage *st = contract_open_ok(url);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    hpo_study_set_seed(s, 11);
    int rc = hpo_study_open(s, "py", HPO_OPEN_LOAD);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK)
        fprintf(stderr, "open: %s\n", hpo_study_errmsg(s));
    CHECK_STR_CONTAINS(hpo_study_user_attr(s, "origin"), "python");
    hpo_trial **trials;
    int n;
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    CHECK(n == 10);
    for (int i = 0; i < n; i++) {
        double units;
        CHECK(hpo_trial_number(trials[i]) == i);
        CHECK(hpo_trial_param(trials[i], "units", &units) == 1 &&
              fmod(units, 16) == 0);
    }
    CHECK(n > 4 && hpo_trial_state_of(trials[4]) == HPO_PRUNED_STATE);
    hpo_trials_free(trials, n);

    hpo_optimize_options o = {.n_trials = 10};
    rc = hpo_study_optimize(s, continue_objective, NULL, &o);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK)
        fprintf(stderr, "optimize: %s\n", hpo_study_errmsg(s));
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    CHECK(n == 20);
    for (int i = 0; i < n; i++)
        CHECK(hpo_trial_number(trials[i]) == i);
    hpo_trials_free(trials, n);
    hpo_study_free(s);
    hpo_storage_close(st);
    CHECK_RC(run_python("check-continued", url, NULL), 0);
    free(url);
}

/* Compare-and-set: the contract, and two processes raising one counter
 * lose no update. */
static void test_cas(void)
{
    hpo_storage *st = fresh("cas", NULL);
    contract_cas(st);
    hpo_storage_close(st);
    char *url = pg_db_url("cascount", NULL);
    contract_cas_counter(url);
    free(url);
}

/* ---- faults ------------------------------------------------------------- */

#if HPO_FAULTS /* the fault hooks of test builds (src/core/faults.h) */
static int trial_rows(const char *db, int64_t trial_id, const char *table)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE trial_id = %lld",
             table, (long long)trial_id);
    char *t = pg_raw_text(db, sql);
    int n = t ? atoi(t) : -1;
    free(t);
    return n;
}

/* The answer to COMMIT lost: a write that did commit is recognised, not
 * applied twice; one that did not is run again. */
static void test_lost_commit(void)
{
    const char *db = "lost";
    hpo_storage *st = fresh(db, NULL);
    int64_t s = make_study(st, "l", 1, HPO_MINIMIZE);
    for (int mode = FAULT_COMMITTED; mode <= FAULT_NOT_COMMITTED; mode++) {
        int64_t t = new_trial(st, s, HPO_RUNNING, NULL);
        double v = 1.5 * mode;
        lose_next_commit(mode);
        CHECK_RC(hpo__st_finish_trial(st, t, HPO_COMPLETE, 1, &v), HPO_OK);
        CHECK(hpo__fault_fired(HPO__FAULT_PG));
        hpo__trial_rec r;
        CHECK_RC(hpo__st_get_trial(st, t, &r), HPO_OK);
        CHECK(r.state == HPO_COMPLETE && r.n_values == 1 && r.values[0] == v);
        hpo__rec_free(&r);
        CHECK(trial_rows(db, t, "trial_values") == 1);

        int count0 = -1, count1 = -1, number = -1;
        CHECK_RC(hpo__st_count_trials(st, s, &count0), HPO_OK);
        lose_next_commit(mode);
        new_trial(st, s, HPO_RUNNING, &number);
        CHECK_RC(hpo__st_count_trials(st, s, &count1), HPO_OK);
        CHECK(count1 == count0 + 1 && number == count0);

        int64_t w1 = new_trial(st, s, HPO_WAITING, NULL);
        int64_t w2 = new_trial(st, s, HPO_WAITING, NULL), got = 0;
        lose_next_commit(mode);
        CHECK_RC(hpo__st_claim_waiting(st, s, &got), HPO_OK);
        CHECK(got == w1);
        CHECK_RC(hpo__st_claim_waiting(st, s, &got), HPO_OK);
        CHECK(got == w2);
        CHECK_RC(hpo__st_claim_waiting(st, s, &got), HPO_DONE);

        hpo__param p = {"x", float_dist(0, 1, 0, 0), 0.5};
        lose_next_commit(mode);
        CHECK_RC(hpo__st_set_param(st, w1, &p), HPO_OK);
        CHECK(trial_rows(db, w1, "trial_params") == 1);

        char name[16];
        snprintf(name, sizeof name, "made%d", mode);
        hpo_direction dir = HPO_MINIMIZE;
        int64_t made = 0;
        lose_next_commit(mode);
        CHECK_RC(hpo__st_create_study(st, name, 1, &dir, &made), HPO_OK);
        hpo__study_info info;
        CHECK_RC(hpo__st_find_study(st, name, &info), HPO_OK);
        CHECK(info.id == made && info.n_directions == 1);
        hpo__study_info_free(&info, 1);
        lose_next_commit(mode);
        CHECK_RC(hpo__st_delete_study(st, made), HPO_OK);
        CHECK_RC(hpo__st_find_study(st, name, &info), HPO_ENOTFOUND);

        /* a compare-and-set that committed is not run again (it would
         * lose against its own value), one that did not is */
        const char *before = mode == FAULT_COMMITTED ? NULL : "1";
        const char *after = mode == FAULT_COMMITTED ? "1" : "2";
        lose_next_commit(mode);
        CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "gen", before, after),
                 HPO_OK);
        CHECK(hpo__fault_fired(HPO__FAULT_PG));
        CHECK(sys_attr_is(st, s, "gen", after));
    }
    hpo__fault_disarm();
    hpo__trial_list all = {0};
    CHECK_RC(hpo__st_get_trials(st, s, 0, &all), HPO_OK);
    for (int i = 0; i < all.n; i++)
        CHECK(all.v[i].number == i);
    CHECK(all.n == 8); /* 4 per mode: no trial twice */
    hpo__list_free(&all);
    hpo_storage_close(st);
}
#endif

/* The server ends our session (as an admin or a failover would). */
static void test_killed_session(void)
{
    hpo_storage *st = fresh("killed", NULL);
    int64_t s = make_study(st, "k", 1, HPO_MINIMIZE);
    int64_t t = new_trial(st, s, HPO_RUNNING, NULL);
    CHECK(text_is("postgres", "SELECT count(pg_terminate_backend(pid))"
                              " FROM pg_stat_activity WHERE datname ="
                              " 'killed'", "1"));
    double v = 2;
    CHECK_RC(hpo__st_finish_trial(st, t, HPO_COMPLETE, 1, &v), HPO_OK);
    int n = -1;
    CHECK_RC(hpo__st_count_trials(st, s, &n), HPO_OK);
    CHECK(n == 1);
    CHECK(text_is("killed", "SELECT state FROM trials", "COMPLETE"));
    hpo_storage_close(st);
}

typedef struct runner {
    hpo_storage *st;
    int64_t study;
    atomic_int done;
    atomic_int restarts; /* set by the main thread */
    int n, errors;
    int64_t ids[2000];
} runner;

/* Trials one after another, as a worker runs them, until 10 more have
 * finished after the second restart. */
static void *run_trials(void *arg)
{
    runner *w = arg;
    int after = 0;
    while (w->n < 2000 && after < 10) {
        hpo__trial_rec t;
        hpo__rec_init(&t);
        t.state = HPO_RUNNING;
        int64_t id = 0;
        int number, rc;
        double v = w->n;
        hpo__param p = {"x", float_dist(0, 1000, 0, 0), v};
        if ((rc = hpo__st_create_trial(w->st, w->study, &t, &id, &number)) ||
            (rc = hpo__st_set_param(w->st, id, &p)) ||
            (rc = hpo__st_set_intermediate(w->st, id, 0, v)) ||
            (rc = hpo__st_heartbeat(w->st, id)) ||
            (rc = hpo__st_finish_trial(w->st, id, HPO_COMPLETE, 1, &v))) {
            fprintf(stderr, "trial %d: %s\n", w->n, hpo_storage_errmsg(w->st));
            w->errors++;
            break;
        }
        if (number != w->n)
            w->errors++;
        w->ids[w->n++] = id;
        atomic_store(&w->done, w->n);
        if (atomic_load(&w->restarts) == 2)
            after++;
    }
    return NULL;
}

static void wait_done(runner *w, int n)
{
    for (int i = 0; i < 3000 && atomic_load(&w->done) < n; i++)
        usleep(1000);
}

static void test_server_restart(void)
{
    const char *db = "restart";
    static runner w;
    w = (runner){.st = fresh(db, NULL)};
    w.study = make_study(w.st, "r", 1, HPO_MINIMIZE);
    pthread_t th;
    pthread_create(&th, NULL, run_trials, &w);
    wait_done(&w, 10);
    double t0 = hpo__monotonic();
    CHECK(pg_server_cmd("restart", "fast") == 0); /* sessions are ended */
    atomic_store(&w.restarts, 1);
    int at = atomic_load(&w.done);
    wait_done(&w, at + 10);
    CHECK(pg_server_cmd("restart", "immediate") == 0); /* a crash */
    atomic_store(&w.restarts, 2);
    pthread_join(th, NULL);
    fprintf(stderr, "note: %d trials through two restarts in %.2f s\n", w.n,
            hpo__monotonic() - t0);
    CHECK(w.errors == 0);
    CHECK(w.n >= 30);
    /* every trial the worker saw finish is stored, COMPLETE, once */
    hpo__trial_list all = {0};
    CHECK_RC(hpo__st_get_trials(w.st, w.study, 0, &all), HPO_OK);
    CHECK(all.n == w.n);
    for (int i = 0; i < all.n && i < w.n; i++) {
        const hpo__trial_rec *r = &all.v[i];
        CHECK(r->id == w.ids[i] && r->number == i);
        CHECK(r->state == HPO_COMPLETE && r->n_values == 1 &&
              r->values[0] == i && r->n_params == 1 && r->n_inter == 1);
    }
    hpo__list_free(&all);
    char want[16];
    snprintf(want, sizeof want, "%d", w.n);
    CHECK(text_is(db, "SELECT count(*) FROM trial_values", want));
    CHECK(text_is(db, "SELECT count(*) FROM trial_heartbeats", want));
    hpo_storage_close(w.st);
}

/* ---- speed: reading 10,000 trials --------------------------------------- */

static void test_read_speed(void)
{
    const char *db = "speed";
    hpo_storage *st = fresh(db, NULL);
    int64_t s = make_study(st, "big", 1, HPO_MINIMIZE);
    /* Filled by the server itself: this measures reading. */
    char *fill = hpo__asprintf(
        "INSERT INTO trials (number, study_id, state, datetime_start,"
        " datetime_complete) SELECT g, %lld, 'COMPLETE', '2024-05-01"
        " 10:00:00', '2024-05-01 10:00:01.5' FROM generate_series(0, 9999) g;"
        "INSERT INTO trial_params (trial_id, param_name, param_value,"
        " distribution_json) SELECT trial_id, p.name, CASE p.name WHEN 'x'"
        " THEN number * 1e-3 WHEN 'y' THEN 7 ELSE 2 END, p.json FROM trials,"
        " (VALUES ('x', '{\"name\": \"FloatDistribution\", \"attributes\":"
        " {\"low\": -5.0, \"high\": 5.0, \"log\": false, \"step\": null}}'),"
        " ('y', '{\"name\": \"IntDistribution\", \"attributes\": {\"low\": 1,"
        " \"high\": 100, \"log\": true, \"step\": 1}}'), ('kernel',"
        " '{\"name\": \"CategoricalDistribution\", \"attributes\":"
        " {\"choices\": [\"a\", \"b\", \"c\"]}}')) AS p(name, json);"
        "INSERT INTO trial_values (trial_id, objective, value, value_type)"
        " SELECT trial_id, 0, number, 'FINITE' FROM trials;"
        "INSERT INTO trial_intermediate_values (trial_id, step,"
        " intermediate_value, intermediate_value_type) SELECT trial_id, k,"
        " number + k, 'FINITE' FROM trials, generate_series(0, 2) k",
        (long long)s);
    CHECK(pg_raw_exec(db, fill) == 0);
    free(fill);

    hpo__trial_list all = {0};
    double t0 = hpo__monotonic();
    CHECK_RC(hpo__st_get_trials(st, s, 0, &all), HPO_OK);
    double dt = hpo__monotonic() - t0;
    fprintf(stderr, "note: get_trials read %d trials in %.3f s\n", all.n, dt);
    CHECK(all.n == 10000);
    /* The time is printed, not asserted: tests assert behaviour. */
    if (all.n == 10000) {
        const hpo__trial_rec *last = &all.v[9999];
        CHECK(last->number == 9999 && last->n_params == 3 &&
              last->n_inter == 3 && last->n_values == 1 &&
              last->values[0] == 9999);
        CHECK(fabs(last->complete_s - last->start_s - 1.5) < 1e-6);
        CHECK(hpo__rec_param(last, "y") && hpo__rec_param(last, "y")->dist.log);
        CHECK(hpo__rec_param(last, "x") &&
              hpo__rec_param(last, "x")->internal == 9.999);
    }
    hpo__list_free(&all);

    /* and creating trials through the backend, one transaction each */
    t0 = hpo__monotonic();
    for (int i = 0; i < 200; i++)
        new_trial(st, s, HPO_RUNNING, NULL);
    fprintf(stderr, "note: create_trial %.2f ms each (10,000 trials in the"
                    " study)\n", (hpo__monotonic() - t0) / 200 * 1e3);
    hpo_storage_close(st);
}

/* ---- names and text refused before anything is written (issue 9) ------- */

/* PostgreSQL refuses invalid UTF-8 itself, but only after the study row
 * exists: hpo checks first, so nothing is left behind; and a corrupt
 * distribution_json or choice index read back is an error, not a crash. */
static void test_refused_text(void)
{
    char *url = pg_db_url("refused", NULL);
    hpo_storage *st = contract_open_ok(url);
    free(url);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    CHECK_RC(hpo_study_open(s, "bad\xffname", HPO_OPEN_CREATE), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "study name 'bad\\xffname' is not valid UTF-8");
    int64_t id;
    hpo_direction dir = HPO_MINIMIZE;
    CHECK_RC(hpo__st_create_study(st, "x\xed\xa0\x80", 1, &dir, &id), HPO_EINVAL);
    CHECK(text_is("refused", "SELECT count(*) FROM studies", "0"));

    CHECK_RC(hpo_study_open(s, "ok", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_set_user_attr(s, "k", "\"\xff\""), HPO_EINVAL);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double x;
    CHECK_RC(hpo_trial_suggest_float(t, "x\xff", 0, 1, 0, 0, &x), HPO_EINVAL);
    CHECK_RC(hpo_trial_set_user_attr(t, "k\xff", "1"), HPO_EINVAL);
    CHECK(text_is("refused", "SELECT count(*) FROM study_user_attributes", "0"));
    CHECK(text_is("refused", "SELECT count(*) FROM trial_params", "0"));
    CHECK(text_is("refused", "SELECT count(*) FROM trial_user_attributes", "0"));
    const char *ch[] = {"a", "b", "c"};
    int k;
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    CHECK_RC(hpo_trial_suggest_categorical(t, "c", ch, 3, &k), HPO_OK);
    double v = 1;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);

    hpo__trial_list all = {0};
    CHECK(pg_raw_exec("refused", "UPDATE trial_params SET distribution_json = "
                                 "'{\"name\": \"FloatDistribution\", \"attributes\": "
                                 "{\"low\": 0, \"high\": 1, \"Log\": true}}' "
                                 "WHERE param_name = 'x'") == 0);
    CHECK_RC(hpo__st_get_trials(st, 1, 0, &all), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st),
                       "parameter 'x': FloatDistribution has no attribute \"Log\"");
    CHECK(pg_raw_exec("refused", "DELETE FROM trial_params WHERE param_name = 'x'") == 0);
    CHECK(pg_raw_exec("refused", "UPDATE trial_params SET param_value = 7") == 0);
    CHECK_RC(hpo__st_get_trials(st, 1, 0, &all), HPO_ESTORAGE);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st),
                       "parameter 'c': value 7 is not a value of its distribution");
    hpo__list_free(&all);
    hpo_study_free(s);
    hpo_storage_close(st);
}

int main(void)
{
    hpo_storage *probe = NULL;
    int rc = hpo_storage_open(&probe, "postgresql://x@127.0.0.1:9/x");
    hpo_storage_close(probe);
    if (rc == HPO_EUNSUPPORTED) {
        fprintf(stderr, "SKIP: built without PostgreSQL (HPO_WITH_POSTGRES)\n");
        return 0;
    }
    if (pg_start() != 0)
        return 1;
    double t0 = hpo__monotonic();
    RUN(test_url);
    RUN(test_server_down);
    RUN(test_studies);
    RUN(test_trials);
    RUN(test_waiting);
    RUN(test_threads_numbers);
    RUN(test_claim_race);
    RUN(test_fork_numbers);
    RUN(test_cas);
    RUN(test_reopen);
    RUN(test_heartbeat);
    RUN(test_first_beat);
    RUN(test_markers);
    RUN(test_schema_race);
    RUN(test_hpo_to_optuna);
    RUN(test_optuna_to_hpo);
#if HPO_FAULTS
    RUN(test_lost_commit);
#endif
    RUN(test_killed_session);
    RUN(test_server_restart);
    RUN(test_read_speed);
    RUN(test_refused_text);
    fprintf(stderr, "note: tests ran in %.1f s\n", hpo__monotonic() - t0);
    pg_stop();
    return CHECK_DONE();
}
#endif
