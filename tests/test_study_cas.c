/*
 * test_study_cas.c — compare-and-set of study system attributes, the
 * primitive plug-ins share state through (a population, a CMA-ES state):
 * the storage contract on memory and SQLite, a counter raised by two
 * threads (memory) and by two processes on one SQLite file with no update
 * lost, and the core's accessor (hpo__study_sys_attr_cas): JSON checked,
 * and after a lost race the study's cache shows the winner's value.
 * PostgreSQL runs the same contract in test_postgres.c.
 */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "core/study.h"
#include "samplers/sampler.h"
#include "storage/storage.h"
/* only its compare-and-set bodies are used here */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "storage_contract.h"
#pragma GCC diagnostic pop

static char dir[64];

static char *sqlite_url(const char *file)
{
    return hpo__asprintf("sqlite:///%s/%s", dir, file);
}

static int have_sqlite(void)
{
    hpo_storage *probe = NULL;
    char *url = sqlite_url("probe.db");
    int rc = hpo_storage_open(&probe, url);
    hpo_storage_close(probe);
    free(url);
    if (rc == HPO_EUNSUPPORTED)
        fprintf(stderr, "note: built without SQLite: its checks skipped\n");
    return rc != HPO_EUNSUPPORTED;
}

/* ---- the storage contract ------------------------------------------------ */

static void test_memory_contract(void)
{
    hpo_storage *st = contract_open_ok("memory:");
    contract_cas(st);
    hpo_storage_close(st);
}

static void test_sqlite_contract(void)
{
    if (!have_sqlite())
        return;
    char *url = sqlite_url("contract.db");
    hpo_storage *st = contract_open_ok(url);
    contract_cas(st);
    hpo_storage_close(st);
    free(url);
}

/* ---- no lost update ------------------------------------------------------ */

typedef struct counter_arg {
    hpo_storage *st;
    int64_t study;
    long lost;
    int bad;
} counter_arg;

static void *count_up(void *arg)
{
    counter_arg *c = arg;
    c->bad = cas_increments(c->st, c->study, "counter", 200, &c->lost);
    return NULL;
}

/* One memory storage, two threads. */
static void test_memory_counter(void)
{
    hpo_storage *st = contract_open_ok("memory:");
    int64_t s = make_study(st, "threads", 1, HPO_MINIMIZE);
    counter_arg c[2] = {{st, s, 0, 0}, {st, s, 0, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, count_up, &c[i]);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        CHECK(c[i].bad == 0);
    }
    fprintf(stderr, "note: threads lost %ld and %ld races\n", c[0].lost,
            c[1].lost);
    CHECK(sys_attr_is(st, s, "counter", "400"));
    hpo_storage_close(st);
}

static void test_sqlite_counter(void)
{
    if (!have_sqlite())
        return;
    char *url = sqlite_url("counter.db");
    contract_cas_counter(url);
    free(url);
}

/* ---- the core's accessor ----------------------------------------------- */

static void core_accessor(const char *url)
{
    hpo_storage *st = contract_open_ok(url), *other = contract_open_ok(url);
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_storage(s, st), HPO_OK);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", NULL, "1"), HPO_EMISUSE);
    CHECK_RC(hpo_study_open(s, "core", HPO_OPEN_CREATE), HPO_OK);

    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", NULL, "{\"gen\": 1}"), HPO_OK);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", NULL, "{gen"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "ga");
    /* expected borrowed from the study's cache, as a plug-in reads it */
    const char *now = hpo_study_system_attr(s, "ga");
    CHECK(now && strcmp(now, "{\"gen\": 1}") == 0);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", now, "{\"gen\": 2}"), HPO_OK);
    CHECK(strcmp(hpo_study_system_attr(s, "ga"), "{\"gen\": 2}") == 0);

    /* another worker wins; the loser's cache shows the winner */
    CHECK_RC(hpo__st_set_study_attr(other, s->id, 1, "ga", "{\"gen\": 3}"),
             HPO_OK);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", "{\"gen\": 2}", "{\"gen\": 4}"),
             HPO_DONE);
    const char *cached = hpo__attrs_get(&s->attr_cache, "ga");
    CHECK(cached && strcmp(cached, "{\"gen\": 3}") == 0);

    CHECK_RC(hpo__st_delete_study(other, s->id), HPO_OK);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", NULL, "1"), HPO_ENOTFOUND);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "no study");
    hpo_study_free(s);
    hpo_storage_close(other);
    hpo_storage_close(st);
}

static void test_core_memory(void)
{
    /* one in-memory storage per handle: the "other worker" is the same
     * handle here */
    hpo_storage *st = contract_open_ok("memory:");
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_storage(s, st), HPO_OK);
    CHECK_RC(hpo_study_open(s, "core", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", NULL, "[1]"), HPO_OK);
    CHECK_RC(hpo__st_set_study_attr(st, s->id, 1, "ga", "[2]"), HPO_OK);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", "[1]", "[3]"), HPO_DONE);
    const char *cached = hpo__attrs_get(&s->attr_cache, "ga");
    CHECK(cached && strcmp(cached, "[2]") == 0);
    CHECK_RC(hpo__study_sys_attr_cas(s, "ga", "[2]", "[3]"), HPO_OK);
    CHECK(strcmp(hpo_study_system_attr(s, "ga"), "[3]") == 0);
    hpo_study_free(s);
    hpo_storage_close(st);
}

static void test_core_sqlite(void)
{
    if (!have_sqlite())
        return;
    char *url = sqlite_url("core.db");
    core_accessor(url);
    free(url);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hpo_cas_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_memory_contract);
    RUN(test_sqlite_contract);
    RUN(test_memory_counter);
    RUN(test_sqlite_counter);
    RUN(test_core_memory);
    RUN(test_core_sqlite);
    char *rm = hpo__asprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "note: could not remove %s\n", dir);
    free(rm);
    return CHECK_DONE();
}
