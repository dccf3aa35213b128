/*
 * storage_contract.h — what every database backend must do, checked the
 * same way for each: test_sqlite.c and test_postgres.c open a fresh
 * storage their own way, hand it to these bodies, and keep for themselves
 * only what is backend-specific (raw SQL on the tables, URLs, faults).
 *
 * Included by one test program each (static functions; check.h first).
 */
#ifndef HPO_TEST_STORAGE_CONTRACT_H
#define HPO_TEST_STORAGE_CONTRACT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "storage/storage.h"

/* Open url, checking it opens (the storage's message printed if not). */
static inline hpo_storage *contract_open_ok(const char *url)
{
    hpo_storage *st = NULL;
    int rc = hpo_storage_open(&st, url);
    if (rc != HPO_OK)
        fprintf(stderr, "open %s: %s\n", url, hpo_storage_errmsg(st));
    CHECK_RC(rc, HPO_OK);
    return st;
}

/* ---- helpers -------------------------------------------------------------- */

/* A study with n objectives: d0, then MAXIMIZE. */
static int64_t make_study(hpo_storage *st, const char *name, int n,
                          hpo_direction d0)
{
    hpo_direction dirs[2] = {d0, HPO_MAXIMIZE};
    int64_t id = 0;
    CHECK_RC(hpo__st_create_study(st, name, n, dirs, &id), HPO_OK);
    return id;
}

static hpo__dist float_dist(double low, double high, int log, double step)
{
    hpo__dist d;
    memset(&d, 0, sizeof d);
    d.kind = HPO__FLOAT;
    d.low = low;
    d.high = high;
    d.log = log;
    d.step = step;
    return d;
}

static hpo__dist int_dist(double low, double high, double step)
{
    hpo__dist d = float_dist(low, high, 0, step);
    d.kind = HPO__INT;
    return d;
}

/* A categorical whose choices point at static strings (never freed). */
static hpo__dist cat_dist(int n, char **choices)
{
    hpo__dist d;
    memset(&d, 0, sizeof d);
    d.kind = HPO__CATEGORICAL;
    d.n_choices = n;
    d.choices = choices;
    return d;
}

/* An empty trial in state s; its number into *number unless NULL. */
static int64_t new_trial(hpo_storage *st, int64_t study, hpo_trial_state s,
                         int *number)
{
    hpo__trial_rec t;
    hpo__rec_init(&t);
    t.state = s;
    int64_t id = 0;
    int num = -1;
    CHECK_RC(hpo__st_create_trial(st, study, &t, &id, &num), HPO_OK);
    if (number)
        *number = num;
    return id;
}

/* ---- studies ------------------------------------------------------------ */

/* Create, find, list, attributes, delete, on an empty storage.  Leaves
 * one study "beta" with no trials, and a new "alpha"; the caller then
 * checks no trial row outlived its study. */
static void contract_studies(hpo_storage *st)
{
    int64_t a = make_study(st, "alpha", 1, HPO_MAXIMIZE);
    int64_t b = make_study(st, "beta", 2, HPO_MINIMIZE);
    CHECK(a > 0 && b > a);
    hpo_direction dir1 = HPO_MINIMIZE;
    int64_t dup;
    CHECK_RC(hpo__st_create_study(st, "alpha", 1, &dir1, &dup), HPO_EEXIST);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "alpha");

    hpo__study_info info;
    CHECK_RC(hpo__st_find_study(st, "beta", &info), HPO_OK);
    CHECK(info.id == b && info.n_directions == 2 && info.n_trials == 0);
    CHECK(info.directions[0] == HPO_MINIMIZE &&
          info.directions[1] == HPO_MAXIMIZE);
    CHECK(info.name && strcmp(info.name, "beta") == 0);
    hpo__study_info_free(&info, 1);
    CHECK_RC(hpo__st_find_study(st, "gamma", &info), HPO_ENOTFOUND);

    new_trial(st, a, HPO_RUNNING, NULL);
    hpo__study_info *list;
    int n;
    CHECK_RC(hpo__st_list_studies(st, &list, &n), HPO_OK);
    CHECK(n == 2);
    if (n == 2) {
        CHECK(strcmp(list[0].name, "alpha") == 0 && list[0].n_trials == 1);
        CHECK(list[0].n_directions == 1 &&
              list[0].directions[0] == HPO_MAXIMIZE);
        CHECK(strcmp(list[1].name, "beta") == 0 && list[1].n_directions == 2);
    }
    hpo__study_info_free(list, n);
    free(list);

    CHECK_RC(hpo__st_set_study_attr(st, a, 0, "owner", "\"ada\""), HPO_OK);
    CHECK_RC(hpo__st_set_study_attr(st, a, 0, "owner", "\"bob\""), HPO_OK);
    CHECK_RC(hpo__st_set_study_attr(st, a, 1, "search_space", "{\"x\": 1}"),
             HPO_OK);
    CHECK_RC(hpo__st_set_study_attr(st, 999, 0, "k", "1"), HPO_ENOTFOUND);
    hpo__attrs attrs = {0};
    CHECK_RC(hpo__st_get_study_attrs(st, a, 0, &attrs), HPO_OK);
    CHECK(attrs.n == 1);
    CHECK(hpo__attrs_get(&attrs, "owner") &&
          strcmp(hpo__attrs_get(&attrs, "owner"), "\"bob\"") == 0);
    hpo__attrs_free(&attrs);
    CHECK_RC(hpo__st_get_study_attrs(st, a, 1, &attrs), HPO_OK);
    CHECK(attrs.n == 1 && hpo__attrs_get(&attrs, "search_space"));
    hpo__attrs_free(&attrs);

    CHECK_RC(hpo__st_delete_study(st, a), HPO_OK);
    CHECK_RC(hpo__st_delete_study(st, a), HPO_ENOTFOUND);
    CHECK_RC(hpo__st_find_study(st, "alpha", &info), HPO_ENOTFOUND);
    int count = -1;
    CHECK_RC(hpo__st_count_trials(st, a, &count), HPO_ENOTFOUND);
    /* an id beyond int4 (PostgreSQL's column): not found, not an error */
    CHECK_RC(hpo__st_count_trials(st, (int64_t)1 << 40, &count),
             HPO_ENOTFOUND);
    CHECK_RC(hpo__st_count_trials(st, b, &count), HPO_OK);
    CHECK(count == 0);
    /* the name is free again */
    CHECK(make_study(st, "alpha", 1, HPO_MINIMIZE) > 0);
}

/* ---- order ------------------------------------------------------------------ */

/* A trial's params and intermediate values read back in the order they
 * were stored, in a whole-study read and a read from an id on: the
 * backends' indexes give them by name and by step, and a reader that kept
 * that order would reorder trials' params (past HPO_NAME_INDEX_FROM too,
 * where lookups by name go through an index rebuilt after the reorder). */
__attribute__((unused)) static void contract_order(hpo_storage *st)
{
    enum { N = HPO_NAME_INDEX_FROM + 4 };
    int64_t study = make_study(st, "order", 1, HPO_MINIMIZE);
    int64_t id = new_trial(st, study, HPO_RUNNING, NULL);
    hpo__dist d = float_dist(0, 100, 0, 0);
    for (int i = 0; i < N; i++) { /* names in falling order: z19 ... z00 */
        char name[16];
        snprintf(name, sizeof name, "z%02d", N - 1 - i);
        hpo__param p = {name, d, i};
        CHECK_RC(hpo__st_set_param(st, id, &p), HPO_OK);
    }
    for (int system = 0; system < 2; system++) {
        CHECK_RC(hpo__st_set_trial_attr(st, id, system, "zeta", "1"), HPO_OK);
        CHECK_RC(hpo__st_set_trial_attr(st, id, system, "alpha", "2"), HPO_OK);
    }
    static const int64_t steps[] = {5, 2, 9, 0};
    for (int i = 0; i < 4; i++)
        CHECK_RC(hpo__st_set_intermediate(st, id, steps[i], 10.0 * i),
                 HPO_OK);
    for (int since = 0; since < 2; since++) {
        hpo__trial_list all = {0};
        CHECK_RC(hpo__st_get_trials(st, study, since ? id : 0, &all),
                 HPO_OK);
        CHECK(all.n == 1);
        const hpo__trial_rec *t = all.n == 1 ? &all.v[0] : NULL;
        CHECK(t && t->n_params == N && t->n_inter == 4);
        for (int i = 0; t && i < t->n_params; i++) {
            char name[16];
            snprintf(name, sizeof name, "z%02d", N - 1 - i);
            CHECK(strcmp(t->params[i].name, name) == 0);
            CHECK(t->params[i].internal == i);
            const hpo__param *found = hpo__rec_param(t, name);
            CHECK(found && found->internal == i);
        }
        for (int i = 0; t && i < t->n_inter; i++)
            CHECK(t->inter[i].step == steps[i] &&
                  t->inter[i].value == 10.0 * i);
        for (int system = 0; t && system < 2; system++) {
            const hpo__attrs *a = system ? &t->system_attrs : &t->user_attrs;
            CHECK(a->n == 2 && strcmp(a->v[0].key, "zeta") == 0 &&
                  strcmp(a->v[1].key, "alpha") == 0);
        }
        hpo__list_free(&all);
    }
}

/* ---- what late results need (core/late.c) --------------------------------- */

/* A finished trial created whole, and a given WAITING trial claimed.  Run
 * on every backend by test_late_result.c. */
__attribute__((unused)) static void contract_late_trials(hpo_storage *st)
{
    int64_t study = make_study(st, "late", 1, HPO_MINIMIZE);
    hpo__trial_rec t;
    hpo__rec_init(&t);
    t.state = HPO_COMPLETE;
    int64_t id = 0;
    int number = -1;
    CHECK_RC(hpo__st_create_trial(st, study, &t, &id, &number), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "needs its values");
    double v = 2.5;
    hpo__dist d = float_dist(0, 1, 0, 0);
    CHECK_RC(hpo__rec_set_values(&t, 1, &v), HPO_OK);
    CHECK_RC(hpo__rec_add_param(&t, "x", &d, 0.25), HPO_OK);
    CHECK(hpo__rec_add_inter(&t, 3, 1.5) == 1);
    CHECK_RC(hpo__attrs_set(&t.system_attrs, "late_result_of", "0"), HPO_OK);
    CHECK_RC(hpo__attrs_set(&t.user_attrs, "epochs", "3"), HPO_OK);
    t.start_s = 1.7e9;
    t.complete_s = 1.7e9 + 4;
    CHECK_RC(hpo__st_create_trial(st, study, &t, &id, &number), HPO_OK);
    CHECK(number == 0);
    t.state = (hpo_trial_state)9;
    CHECK_RC(hpo__st_create_trial(st, study, &t, &id, &number), HPO_EINVAL);
    hpo__rec_free(&t);

    hpo__trial_rec got;
    CHECK_RC(hpo__st_get_trial(st, id, &got), HPO_OK);
    CHECK(got.state == HPO_COMPLETE && got.n_values == 1 &&
          got.values[0] == 2.5);
    CHECK(got.n_params == 1 && got.params[0].internal == 0.25);
    CHECK(got.n_inter == 1 && got.inter[0].step == 3);
    CHECK(hpo__attrs_get(&got.system_attrs, "late_result_of") &&
          hpo__attrs_get(&got.user_attrs, "epochs"));
    CHECK_NEAR(got.complete_s - got.start_s, 4, 1e-3);
    hpo__rec_free(&got);
    /* refused as finished, named by its number (its id is 1 here) */
    CHECK_RC(hpo__st_finish_trial(st, id, HPO_FAIL, 0, NULL), HPO_EFINISHED);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st),
                       "trial 0 is already finished (COMPLETE)");

    int waiting_no;
    int64_t waiting = new_trial(st, study, HPO_WAITING, &waiting_no);
    int64_t other = new_trial(st, study, HPO_WAITING, NULL);
    CHECK_RC(hpo__st_claim_trial(st, other, 0), HPO_OK); /* not the oldest */
    CHECK_RC(hpo__st_claim_trial(st, other, 0), HPO_DONE);
    CHECK_RC(hpo__st_claim_trial(st, id, 0), HPO_DONE); /* finished */
    CHECK_RC(hpo__st_claim_trial(st, 999999, 0), HPO_ENOTFOUND);
    CHECK_RC(hpo__st_get_trial(st, other, &got), HPO_OK);
    CHECK(got.state == HPO_RUNNING && !isnan(got.start_s));
    hpo__rec_free(&got);
    int64_t claimed = 0;
    CHECK_RC(hpo__st_claim_waiting(st, study, &claimed), HPO_OK);
    CHECK(claimed == waiting);
    CHECK_RC(hpo__st_claim_waiting(st, study, &claimed), HPO_DONE);
}

/* ---- heartbeats ----------------------------------------------------------- */

/* A trial of a worker that beats gets its first heartbeat in the very
 * transaction that makes it RUNNING, created (tmpl.beat) or claimed
 * (claim_waiting's or claim_trial's beat): a worker killed right after that commit leaves a trial that
 * goes stale, not one that stays RUNNING for ever.  Without the flag
 * (a worker without heartbeats) the trial has none and never goes stale.
 * No heartbeat() call here: the storage alone must have written them. */
__attribute__((unused)) static void contract_first_beat(hpo_storage *st)
{
    int64_t s = make_study(st, "first-beat", 1, HPO_MINIMIZE);
    hpo__trial_rec t;
    hpo__rec_init(&t);
    t.state = HPO_RUNNING;
    t.beat = 1;
    int64_t created = 0, claimed = 0;
    int number;
    CHECK_RC(hpo__st_create_trial(st, s, &t, &created, &number), HPO_OK);
    new_trial(st, s, HPO_RUNNING, NULL); /* no beat: never stale */
    int64_t waiting = new_trial(st, s, HPO_WAITING, NULL);
    CHECK_RC(hpo__st_claim_waiting_beat(st, s, 1, &claimed), HPO_OK);
    CHECK(claimed == waiting);
    new_trial(st, s, HPO_WAITING, NULL);
    CHECK_RC(hpo__st_claim_waiting_beat(st, s, 0, &claimed), HPO_OK);
    int64_t given = new_trial(st, s, HPO_WAITING, NULL);
    CHECK_RC(hpo__st_claim_trial(st, given, 1), HPO_OK);
    CHECK_RC(hpo__st_claim_trial(st, new_trial(st, s, HPO_WAITING, NULL), 0),
             HPO_OK);
    usleep(300 * 1000);
    int64_t *ids = NULL;
    int n = 0;
    CHECK_RC(hpo__st_stale_trials(st, s, 0.1, &ids, &n), HPO_OK);
    CHECK(n == 3 && ids && ids[0] == created && ids[1] == waiting &&
          ids[2] == given);
    free(ids);
}

/* ---- compare-and-set of study system attributes ------------------------- */

/* The study's system attribute `key` now, malloc'd; NULL when absent. */
static char *sys_attr_copy(hpo_storage *st, int64_t study, const char *key)
{
    hpo__attrs attrs = {0};
    CHECK_RC(hpo__st_get_study_attrs(st, study, 1, &attrs), HPO_OK);
    const char *v = hpo__attrs_get(&attrs, key);
    char *copy = v ? hpo__strdup(v) : NULL;
    hpo__attrs_free(&attrs);
    return copy;
}

static int sys_attr_is(hpo_storage *st, int64_t study, const char *key,
                       const char *want)
{
    char *now = sys_attr_copy(st, study, key);
    int same = now && strcmp(now, want) == 0;
    if (!same)
        fprintf(stderr, "  %s = %s, wanted %s\n", key, now ? now : "(absent)",
                want);
    free(now);
    return same;
}

/* Absent -> set; a second "absent" loses; the right expected value wins, a
 * stale one loses; equal JSON in other text is not equal; the user
 * attribute of the same key is another attribute. */
__attribute__((unused)) static void contract_cas(hpo_storage *st)
{
    int64_t s = make_study(st, "cas", 1, HPO_MINIMIZE);
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "pop", NULL, "[1]"), HPO_OK);
    CHECK(sys_attr_is(st, s, "pop", "[1]"));
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "pop", NULL, "[2]"), HPO_DONE);
    CHECK(sys_attr_is(st, s, "pop", "[1]"));
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "pop", "[1]", "[1, 2]"),
             HPO_OK);
    CHECK(sys_attr_is(st, s, "pop", "[1, 2]"));
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "pop", "[1]", "[3]"), HPO_DONE);
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "pop", "[1,2]", "[3]"),
             HPO_DONE);
    CHECK(sys_attr_is(st, s, "pop", "[1, 2]"));
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "gone", "1", "2"), HPO_DONE);
    CHECK(sys_attr_copy(st, s, "gone") == NULL);

    CHECK_RC(hpo__st_set_study_attr(st, s, 0, "u", "\"user\""), HPO_OK);
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "u", NULL, "\"sys\""), HPO_OK);
    hpo__attrs user = {0};
    CHECK_RC(hpo__st_get_study_attrs(st, s, 0, &user), HPO_OK);
    CHECK(user.n == 1 && strcmp(hpo__attrs_get(&user, "u"), "\"user\"") == 0);
    hpo__attrs_free(&user);

    CHECK_RC(hpo__st_cas_study_sys_attr(st, 999999, "k", NULL, "1"),
             HPO_ENOTFOUND);
    CHECK_STR_CONTAINS(hpo_storage_errmsg(st), "999999");
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "k", NULL, NULL), HPO_EINVAL);
    CHECK_RC(hpo__st_cas_study_sys_attr(st, s, "", NULL, "1"), HPO_EINVAL);
}

/* n increments of the counter `key` by read, compare-and-set, and on a
 * lost race read again; *lost counts the races lost.  0, or 1 on an
 * error (said on stderr). */
static int cas_increments(hpo_storage *st, int64_t study, const char *key,
                          int n, long *lost)
{
    for (int i = 0; i < n; i++) {
        int rc;
        do {
            char *now = sys_attr_copy(st, study, key);
            char next[32];
            snprintf(next, sizeof next, "%ld", (now ? atol(now) : 0) + 1);
            usleep(100); /* widen the window: the workers interleave */
            rc = hpo__st_cas_study_sys_attr(st, study, key, now, next);
            free(now);
            if (rc == HPO_DONE)
                (*lost)++;
        } while (rc == HPO_DONE);
        if (rc != HPO_OK) {
            fprintf(stderr, "cas: %s\n", hpo_storage_errmsg(st));
            return 1;
        }
    }
    return 0;
}

/* Two processes on one database each add 200 to a counter: no update is
 * lost (a plain read-then-set loses some as soon as they interleave). */
__attribute__((unused)) static void contract_cas_counter(const char *url)
{
    enum { PER_PROCESS = 200 };
    hpo_storage *st = NULL;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    int64_t s = make_study(st, "cas-counter", 1, HPO_MINIMIZE);
    hpo_storage_close(st);
    /* Both start at once (at the pipe's end of file), so they interleave. */
    int go[2];
    CHECK(pipe(go) == 0);
    pid_t pid[2];
    for (int p = 0; p < 2; p++) {
        pid[p] = fork();
        if (pid[p] == 0) {
            hpo_storage *mine = NULL;
            long lost = 0;
            char byte;
            close(go[1]);
            int bad = hpo_storage_open(&mine, url) != HPO_OK ||
                      read(go[0], &byte, 1) != 0 ||
                      cas_increments(mine, s, "counter", PER_PROCESS, &lost);
            fprintf(stderr, "note: process %d lost %ld races\n", p, lost);
            hpo_storage_close(mine);
            _exit(bad);
        }
    }
    close(go[0]);
    close(go[1]);
    for (int p = 0; p < 2; p++) {
        int status = -1;
        waitpid(pid[p], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    CHECK(sys_attr_is(st, s, "counter", "400"));
    hpo_storage_close(st);
}

/* ---- batched writes (storage version 4) --------------------------------- */

/* create_trials stores n RUNNING templates with their params and user
 * attributes, numbered on from the study's last; finish_trial_attrs sets
 * the attributes and the result together, and refuses a finished trial
 * without storing its attributes. */
__attribute__((unused)) static void contract_batch(hpo_storage *st)
{
    int64_t s = make_study(st, "batch", 1, HPO_MINIMIZE);
    new_trial(st, s, HPO_FAIL, NULL); /* number 0 */
    hpo__trial_rec t[3];
    hpo__dist d = float_dist(0, 1, 0, 0);
    for (int i = 0; i < 3; i++) {
        hpo__rec_init(&t[i]);
        t[i].state = HPO_RUNNING;
        CHECK_RC(hpo__rec_add_param(&t[i], "x", &d, 0.25 * i), HPO_OK);
        char json[16];
        snprintf(json, sizeof json, "%d", 10 + i);
        CHECK_RC(hpo__attrs_set(&t[i].user_attrs, "conf", json), HPO_OK);
    }
    int64_t ids[3];
    int numbers[3];
    CHECK_RC(hpo__st_create_trials(st, s, t, 3, ids, numbers), HPO_OK);
    for (int i = 0; i < 3; i++) {
        CHECK(numbers[i] == i + 1);
        hpo__trial_rec got;
        hpo__rec_init(&got);
        CHECK_RC(hpo__st_get_trial(st, ids[i], &got), HPO_OK);
        CHECK(got.state == HPO_RUNNING && got.n_params == 1 &&
              got.params[0].internal == 0.25 * i);
        CHECK(atoi(hpo__attrs_get(&got.user_attrs, "conf")) == 10 + i);
        hpo__rec_free(&got);
        hpo__rec_free(&t[i]);
    }
    hpo__attrs at = {0};
    CHECK_RC(hpo__attrs_set(&at, "exit_status", "0"), HPO_OK);
    double v = 1.5;
    CHECK_RC(hpo__st_finish_trial_attrs(st, ids[0], HPO_COMPLETE, 1, &v, &at),
             HPO_OK);
    hpo__trial_rec got;
    hpo__rec_init(&got);
    CHECK_RC(hpo__st_get_trial(st, ids[0], &got), HPO_OK);
    CHECK(got.state == HPO_COMPLETE && got.n_values == 1 &&
          got.values[0] == 1.5);
    const char *es = hpo__attrs_get(&got.user_attrs, "exit_status");
    CHECK(es && strcmp(es, "0") == 0);
    hpo__rec_free(&got);
    hpo__attrs_free(&at);
    CHECK_RC(hpo__attrs_set(&at, "late", "1"), HPO_OK);
    CHECK_RC(hpo__st_finish_trial_attrs(st, ids[0], HPO_FAIL, 0, NULL, &at),
             HPO_EFINISHED);
    hpo__rec_init(&got);
    CHECK_RC(hpo__st_get_trial(st, ids[0], &got), HPO_OK);
    CHECK(got.state == HPO_COMPLETE && !hpo__attrs_get(&got.user_attrs, "late"));
    hpo__rec_free(&got);
    hpo__attrs_free(&at);
}

#endif
