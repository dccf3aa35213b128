/*
 * test_history_cursor.c — hpo_ctx_next_finished hands out each finished
 * trial once, in the order trials are first seen finished, however they
 * finish (out of order, several at once, one left running).
 *
 * A registered pruner drains its cursor at every should_prune and records
 * the numbers it was handed; the test drives trials through the public
 * API and compares.
 */
#include "check.h"
#include "hpo.h"
#include "hpo_plugin.h"

#define MAX_SEEN 64

typedef struct spy {
    hpo_history_cursor cursor;
} spy;

static int seen[MAX_SEEN], n_seen;

static int spy_should_prune(void *state, hpo_plugin_ctx *ctx,
                            hpo_verdict *verdict)
{
    spy *p = state;
    const hpo_record *r;
    int rc;
    while ((rc = hpo_ctx_next_finished(ctx, &p->cursor, &r)) == 1)
        if (n_seen < MAX_SEEN)
            seen[n_seen++] = hpo_record_number(r);
    *verdict = HPO_VERDICT_CONTINUE;
    return rc;
}

static void spy_destroy(void *state)
{
    hpo_history_cursor_free(&((spy *)state)->cursor);
}

static const hpo_pruner_type spy_type = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "cursor_spy",
             .summary = "records what its history cursor hands out",
             .state_size = sizeof(spy),
             .destroy = spy_destroy},
    .should_prune = spy_should_prune,
};

static hpo_study *open_study(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_set_pruner(s, "cursor_spy"), HPO_OK);
    CHECK_RC(hpo_study_open(s, "cursor", HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static void tell(hpo_study *s, hpo_trial *t, hpo_trial_state state)
{
    double v = 1;
    CHECK_RC(hpo_study_tell(s, t, state, &v, 1), HPO_OK);
}

/* Drain the cursor through a trial's should_prune. */
static void look(hpo_trial *probe)
{
    CHECK_RC(hpo_trial_should_prune(probe), 0);
}

static void test_each_finished_trial_once(void)
{
    hpo_study *s = open_study();
    hpo_trial *t[6];
    for (int i = 0; i < 6; i++)
        CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
    n_seen = 0;
    look(t[5]); /* nothing finished yet */
    CHECK(n_seen == 0);
    tell(s, t[2], HPO_COMPLETE);
    tell(s, t[0], HPO_PRUNED_STATE);
    look(t[5]);
    CHECK(n_seen == 2 && seen[0] == 0 && seen[1] == 2);
    look(t[5]); /* nothing new: nothing again */
    CHECK(n_seen == 2);
    tell(s, t[4], HPO_FAIL);
    tell(s, t[1], HPO_COMPLETE);
    look(t[5]);
    CHECK(n_seen == 4 && seen[2] + seen[3] == 5);
    hpo_trial *late;
    CHECK_RC(hpo_study_ask(s, &late), HPO_OK);
    tell(s, late, HPO_COMPLETE); /* trial 6, after 3 that still runs */
    look(t[5]);
    CHECK(n_seen == 5 && seen[4] == 6);
    tell(s, t[3], HPO_COMPLETE);
    look(t[5]);
    CHECK(n_seen == 6 && seen[5] == 3);
    for (int i = 0; i < 6; i++)
        hpo_trial_free(t[i]);
    hpo_trial_free(late);
    hpo_study_free(s);
}

int main(void)
{
    CHECK_RC(hpo_register_pruner(&spy_type), HPO_OK);
    RUN(test_each_finished_trial_once);
    return CHECK_DONE();
}
