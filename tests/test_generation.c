/*
 * test_generation.c — the generations of a population sampler shared
 * through storage (src/samplers/generation.c), driven by a toy algorithm
 * registered here: a generation of SIZE complete members, whose state is
 * the best value seen.  Checked: membership (generation, member index) of
 * each trial; a generation advances once SIZE members are complete, not
 * when they are failed or still running, and over-fills when more trials
 * run at once; a study reopened from its SQLite file, and two handles on
 * one file, continue one population; a corrupt state is an error naming
 * the attribute and is left as it was; a changed space starts a new
 * population at the next generation, with a warning.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "samplers/generation.h"

#define SIZE 4

/* ---- the toy algorithm ---------------------------------------------------- */

typedef struct toy_state {
    hpo__gen gen;
    hpo_space *inferred;
} toy_state;

static int toy_first(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                     cJSON **state)
{
    (void)st, (void)ctx, (void)space;
    *state = cJSON_CreateObject();
    return *state && cJSON_AddNullToObject(*state, "best") ? HPO_OK
                                                            : HPO_ENOMEM;
}

static int toy_ready(void *st, hpo_plugin_ctx *ctx, const hpo__gen *g)
{
    (void)st, (void)ctx;
    return g->n_complete >= SIZE;
}

/* The best of the stored best and the members' values. */
static int toy_next(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                    const hpo__gen *g, cJSON **state)
{
    (void)st, (void)space;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(g->state, "best");
    double best = cJSON_IsNumber(b) ? b->valuedouble : INFINITY;
    for (int i = 0; i < g->n; i++) {
        double v = hpo__gen_minimised(ctx, g->m[i].rec, 0);
        if (v < best)
            best = v;
    }
    *state = cJSON_CreateObject();
    return *state && cJSON_AddNumberToObject(*state, "best", best)
               ? HPO_OK
               : HPO_ENOMEM;
}

static const hpo__gen_ops toy_ops = {"toy", toy_first, toy_ready, toy_next, NULL};

static void toy_destroy(void *state)
{
    toy_state *st = state;
    hpo__gen_free(&st->gen);
    hpo_space_free(st->inferred);
}

static int toy_infer(void *state, hpo_plugin_ctx *ctx, const hpo_space **space)
{
    toy_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

static int toy_relative(void *state, hpo_plugin_ctx *ctx,
                        const hpo_space *space, double *values)
{
    toy_state *st = state;
    int rc = hpo__gen_sync(&st->gen, &toy_ops, st, ctx, space);
    if (rc != HPO_OK)
        return rc;
    for (int i = 0; i < space->n; i++)
        values[i] = hpo__dist_from_unit(&space->p[i].dist,
                                        hpo_ctx_uniform(ctx));
    return hpo__gen_join(&st->gen, &toy_ops, ctx, NULL);
}

static const hpo_sampler_type toy_sampler = {
    .head = {HPO_PLUGIN_VERSION, "toy", "a test population", NULL,
             sizeof(toy_state), NULL, toy_destroy},
    .infer_relative_space = toy_infer,
    .sample_relative = toy_relative,
};

/* ---- helpers -------------------------------------------------------------- */

static char db_url[300];

static void fresh_db(void)
{
    static char dir[] = "/tmp/hpo_generation_XXXXXX";
    static int made;
    if (!made && mkdtemp(dir))
        made = 1;
    char path[200];
    snprintf(path, sizeof path, "%s/g.db", dir);
    unlink(path);
    snprintf(db_url, sizeof db_url, "sqlite:///%s", path);
}

static const char *warning; /* the last warning logged */
static char warning_buf[400];

static void on_log(int level, const char *message, void *data)
{
    (void)data;
    if (level == 2) {
        snprintf(warning_buf, sizeof warning_buf, "%s", message);
        warning = warning_buf;
    }
}

/* A study of the toy sampler over `specs` (NULL: memory storage). */
static hpo_study *toy_study(hpo_storage *storage, const char *spec_x,
                            const char *spec_y)
{
    hpo_study *s = hpo_study_new();
    if (storage)
        CHECK_RC(hpo_study_set_storage(s, storage), HPO_OK);
    CHECK_RC(hpo_study_set_sampler(s, "toy"), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 3), HPO_OK);
    hpo_study_set_log(s, on_log, NULL);
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(sp, spec_x), HPO_OK);
    if (spec_y)
        CHECK_RC(hpo_space_parse_param(sp, spec_y), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    hpo_space_free(sp);
    CHECK_RC(hpo_study_open(s, "toy", HPO_OPEN_CREATE | HPO_OPEN_LOAD),
             HPO_OK);
    return s;
}

static hpo_trial *ask(hpo_study *s)
{
    hpo_trial *t = NULL;
    int rc = hpo_study_ask(s, &t);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK)
        fprintf(stderr, "  ask: %s\n", hpo_study_errmsg(s));
    else
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
    return t;
}

static void tell(hpo_study *s, hpo_trial *t, double value)
{
    if (!t)
        return;
    CHECK_RC(hpo_study_tell(s, t, isnan(value) ? HPO_FAIL : HPO_COMPLETE,
                            &value, isnan(value) ? 0 : 1),
             HPO_OK);
    hpo_trial_free(t);
}

/* Does trial t belong to generation gen as member k? */
static int is_member(const hpo_trial *t, int gen, int k)
{
    if (!t)
        return 0;
    const char *a = hpo_trial_system_attr(t, "hpo:toy:member");
    char want[80];
    snprintf(want, sizeof want, "{\"generation\":%d,\"member\":%d}", gen, k);
    if (!a || strcmp(a, want) != 0) {
        fprintf(stderr, "  trial %d: %s, wanted %s\n", hpo_trial_number(t),
                a ? a : "(none)", want);
        return 0;
    }
    return 1;
}

/* Run n trials, trial number i valued 100 - i. */
static void run(hpo_study *s, int n)
{
    for (int i = 0; i < n; i++) {
        hpo_trial *t = ask(s);
        tell(s, t, t ? 100 - hpo_trial_number(t) : 0);
    }
}

static const char *state_of(hpo_study *s)
{
    const char *st = hpo_study_system_attr(s, "hpo:toy:state");
    return st ? st : "(none)";
}

/* ---- tests ---------------------------------------------------------------- */

/* Trial i is member i % SIZE of generation i / SIZE; the state of
 * generation 2 knows the best of generations 0 and 1 (100 - 7). */
static void test_sequential(void)
{
    hpo_study *s = toy_study(NULL, "x=float:0:1", NULL);
    for (int i = 0; i < 10; i++) {
        hpo_trial *t = ask(s);
        CHECK(is_member(t, i / SIZE, i % SIZE));
        tell(s, t, 100 - i);
    }
    CHECK_STR_CONTAINS(state_of(s), "\"generation\":2,");
    CHECK_STR_CONTAINS(state_of(s), "\"best\":93}");
    hpo_study_free(s);
}

/* Six trials at once (workers outnumbering the generation): all join
 * generation 0; the next generation starts once they are told. */
static void test_overfill(void)
{
    hpo_study *s = toy_study(NULL, "x=float:0:1", NULL);
    hpo_trial *t[6];
    for (int i = 0; i < 6; i++) {
        t[i] = ask(s);
        CHECK(is_member(t[i], 0, i));
    }
    for (int i = 0; i < 6; i++)
        tell(s, t[i], i);
    hpo_trial *next = ask(s);
    CHECK(is_member(next, 1, 0));
    CHECK_STR_CONTAINS(state_of(s), "\"best\":0}");
    tell(s, next, 0);
    hpo_study_free(s);
}

/* Failed members do not complete a generation; more trials join it. */
static void test_failed_members(void)
{
    hpo_study *s = toy_study(NULL, "x=float:0:1", NULL);
    for (int i = 0; i < SIZE; i++) {
        hpo_trial *t = ask(s);
        tell(s, t, i % 2 ? NAN : 1.0);
    }
    hpo_trial *t = ask(s);
    CHECK(is_member(t, 0, SIZE));
    tell(s, t, 1);
    t = ask(s);
    CHECK(is_member(t, 0, SIZE + 1));
    tell(s, t, 1);
    t = ask(s); /* two failed, four complete: generation 1 */
    CHECK(is_member(t, 1, 0));
    tell(s, t, 1);
    hpo_study_free(s);
}

/* A study reopened from its file continues generation 1 at member 2. */
static void test_reopen(void)
{
    fresh_db();
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, db_url), HPO_OK);
    hpo_study *s = toy_study(st, "x=float:0:1", NULL);
    run(s, 6);
    hpo_study_free(s);
    hpo_storage_close(st);

    CHECK_RC(hpo_storage_open(&st, db_url), HPO_OK);
    s = toy_study(st, "x=float:0:1", NULL);
    hpo_trial *t = ask(s);
    CHECK(is_member(t, 1, 2));
    tell(s, t, 0);
    hpo_study_free(s);
    hpo_storage_close(st);
}

/* Two handles, each with its own connection to one file, taking turns:
 * one sequence of members, one advance per generation. */
static void test_two_handles(void)
{
    fresh_db();
    hpo_storage *sa, *sb;
    CHECK_RC(hpo_storage_open(&sa, db_url), HPO_OK);
    CHECK_RC(hpo_storage_open(&sb, db_url), HPO_OK);
    hpo_study *a = toy_study(sa, "x=float:0:1", NULL);
    hpo_study *b = toy_study(sb, "x=float:0:1", NULL);
    for (int i = 0; i < 10; i++) {
        hpo_study *s = i % 2 ? b : a;
        hpo_trial *t = ask(s);
        CHECK(is_member(t, i / SIZE, i % SIZE));
        tell(s, t, 100 - i);
    }
    CHECK_STR_CONTAINS(state_of(a), "\"generation\":2,");
    CHECK_STR_CONTAINS(state_of(b), "\"best\":93}");
    hpo_study_free(a);
    hpo_study_free(b);
    hpo_storage_close(sa);
    hpo_storage_close(sb);
}

/* Not our state: an error naming the attribute; the text stays. */
static void test_corrupt_state(void)
{
    const char *bad = "{\"nope\":1}";
    hpo_study *s = toy_study(NULL, "x=float:0:1", NULL);
    CHECK_RC(hpo_study_set_system_attr(s, "hpo:toy:state", bad), HPO_OK);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "hpo:toy:state");
    CHECK(strcmp(state_of(s), bad) == 0);
    if (t)
        hpo_trial_free(t);
    hpo_study_free(s);
}

/* Another space on the same study: a new population at generation 2 (the
 * stored one was at 1), with a warning. */
static void test_space_change(void)
{
    fresh_db();
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, db_url), HPO_OK);
    hpo_study *s = toy_study(st, "x=float:0:1", NULL);
    run(s, 5);
    hpo_study_free(s);
    warning = NULL;
    s = toy_study(st, "x=float:0:1", "y=int:1:5");
    hpo_trial *t = ask(s);
    CHECK(is_member(t, 2, 0));
    CHECK(warning && strstr(warning, "space changed"));
    CHECK_STR_CONTAINS(state_of(s), "\"y\":");
    CHECK_STR_CONTAINS(state_of(s), "\"best\":null");
    tell(s, t, 0);
    hpo_study_free(s);
    hpo_storage_close(st);
}

int main(void)
{
    CHECK_RC(hpo_register_sampler(&toy_sampler), HPO_OK);
    RUN(test_sequential);
    RUN(test_overfill);
    RUN(test_failed_members);
    RUN(test_reopen);
    RUN(test_two_handles);
    RUN(test_corrupt_state);
    RUN(test_space_change);
    return CHECK_DONE();
}
