/*
 * test_plugin_core.c — the plug-in core (include/hpo_plugin.h) through its
 * public interface, with plug-ins defined here:
 *
 *   - option tables: every type, ranges with open ends, auto, defaults,
 *     refusals naming the option; bad tables refused at registration;
 *   - registration: version, duplicate and bad names, a pruner without
 *     should_prune, hpo_register_errmsg;
 *   - errors: a method failing without a message gets one naming the
 *     plug-in and the method; after_trial's error comes back from
 *     hpo_study_tell with the trial stored;
 *   - a sampler calling the context's study accessors (best trial, study
 *     attributes, compare-and-set) from sample_independent, where the core
 *     holds the study's lock, does not deadlock (the complaint about
 *     hpo_study_best_trial);
 *   - a pruner's sampler_view decides what the sampler sees.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hpo_plugin.h"

/* ---- option tables ------------------------------------------------------ */

typedef struct opts_state {
    int64_t n;
    double x;
    int flag;
    int mode;
    const char *label;
    double rate;
} opts_state;

static opts_state seen; /* what init found in the state */
static char seen_label[32]; /* its label, which lives only as long as the
                               plug-in */

static const hpo_option opts_table[] = {
    {"n", HPO_OPTION_INT, "3", 1, 10, NULL, "an int in [1, 10], or auto",
     offsetof(opts_state, n), HPO_OPTION_AUTO},
    {"x", HPO_OPTION_FLOAT, "0.5", 0, 1, NULL, "a float in (0, 1]",
     offsetof(opts_state, x), HPO_OPTION_LOW_OPEN},
    {"flag", HPO_OPTION_BOOL, "false", 0, 0, NULL, "a bool",
     offsetof(opts_state, flag), 0},
    {"mode", HPO_OPTION_ENUM, "b", 0, 0, "a|b|c", "an enum",
     offsetof(opts_state, mode), 0},
    {"label", HPO_OPTION_STRING, "none", 0, 0, NULL, "a string",
     offsetof(opts_state, label), 0},
    {"rate", HPO_OPTION_FLOAT, "1", 0, INFINITY, NULL, "a float > 0",
     offsetof(opts_state, rate), HPO_OPTION_LOW_OPEN | HPO_OPTION_AUTO},
    {0},
};

static int opts_init(void *state, hpo_plugin_ctx *ctx)
{
    (void)ctx;
    seen = *(opts_state *)state;
    snprintf(seen_label, sizeof seen_label, "%s",
             seen.label ? seen.label : "(null)");
    return HPO_OK;
}

static const hpo_sampler_type opts_sampler = {
    .head = {HPO_PLUGIN_VERSION, "test_opts", "option table test",
             opts_table, sizeof(opts_state), opts_init, NULL},
};

/* hpo_study_set_sampler(spec): its code, and its message in msg. */
static int try_spec(const char *spec, char *msg, size_t size)
{
    hpo_study *s = hpo_study_new();
    memset(&seen, 0, sizeof seen);
    seen_label[0] = '\0';
    int rc = hpo_study_set_sampler(s, spec);
    snprintf(msg, size, "%s", hpo_study_errmsg(s));
    hpo_study_free(s);
    return rc;
}

static void test_option_values(void)
{
    char msg[256];
    CHECK_RC(try_spec("test_opts", msg, sizeof msg), HPO_OK);
    CHECK(seen.n == 3 && seen.x == 0.5 && seen.flag == 0 && seen.mode == 1);
    CHECK(strcmp(seen_label, "none") == 0 && seen.rate == 1);
    CHECK_RC(try_spec("test_opts:n=10,x=1,flag=yes,mode=c,label=hi,rate=1e-9",
                      msg, sizeof msg), HPO_OK);
    CHECK(seen.n == 10 && seen.x == 1 && seen.flag == 1 && seen.mode == 2);
    CHECK(strcmp(seen_label, "hi") == 0 && seen.rate == 1e-9);
    CHECK_RC(try_spec("test_opts:n=auto,rate=auto,flag=0", msg, sizeof msg),
             HPO_OK);
    CHECK(seen.n == HPO_AUTO_INT && isnan(seen.rate) && seen.flag == 0);
}

static void test_option_refusals(void)
{
    static const struct {
        const char *spec, *says;
    } bad[] = {
        {"test_opts:nope=1", "nope"},
        {"test_opts:n=abc", "n='abc' is not a whole number or auto"},
        {"test_opts:n=0", "n=0 is outside [1, 10]"},
        {"test_opts:n=11", "n=11 is outside [1, 10]"},
        {"test_opts:x=0", "x=0 is outside (0, 1]"}, /* the open end */
        {"test_opts:x=1.5", "x=1.5 is outside (0, 1]"},
        {"test_opts:x=auto", "x='auto' is not a number"}, /* no AUTO flag */
        {"test_opts:rate=0", "rate=0 is outside (0, inf)"},
        {"test_opts:flag=maybe", "flag='maybe' is not true or false"},
        {"test_opts:mode=d", "mode='d' is not one of a|b|c"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[256];
        CHECK_RC(try_spec(bad[i].spec, msg, sizeof msg), HPO_EINVAL);
        CHECK_STR_CONTAINS(msg, bad[i].says);
    }
}

/* A table mistake is refused when the type is registered. */
static void expect_bad_table(const hpo_option *table, size_t state_size,
                             const char *says)
{
    hpo_sampler_type t = {
        .head = {HPO_PLUGIN_VERSION, "test_bad_table", "", table, state_size,
                 NULL, NULL},
    };
    CHECK_RC(hpo_register_sampler(&t), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_register_errmsg(), says);
}

static void test_bad_tables(void)
{
    static const hpo_option out_of_range[] = {
        {"k", HPO_OPTION_INT, "0", 1, 5, NULL, "", 0, 0}, {0}};
    static const hpo_option twice[] = {
        {"k", HPO_OPTION_INT, "1", 0, 0, NULL, "", 0, 0},
        {"k", HPO_OPTION_INT, "1", 0, 0, NULL, "", 8, 0}, {0}};
    static const hpo_option outside[] = {
        {"k", HPO_OPTION_FLOAT, "1", 0, 0, NULL, "", 16, 0}, {0}};
    static const hpo_option bad_name[] = {
        {"K-1", HPO_OPTION_INT, "1", 0, 0, NULL, "", 0, 0}, {0}};
    static const hpo_option no_choices[] = {
        {"k", HPO_OPTION_ENUM, "a", 0, 0, NULL, "", 0, 0}, {0}};
    expect_bad_table(out_of_range, 8, "k=0 is outside [1, 5]");
    expect_bad_table(twice, 16, "option k twice");
    expect_bad_table(outside, 16, "option k lies outside the state");
    expect_bad_table(bad_name, 8, "'K-1' is not [a-z0-9_]+");
    expect_bad_table(no_choices, 8, "enum option k has no choices");
    /* None of them was added. */
    for (int i = 0; hpo_sampler_at(i); i++)
        CHECK(strcmp(hpo_sampler_at(i)->head.name, "test_bad_table") != 0);
}

/* ---- registration --------------------------------------------------------- */

static int never_prune(void *state, hpo_plugin_ctx *ctx, hpo_verdict *v)
{
    (void)state, (void)ctx;
    *v = HPO_VERDICT_CONTINUE;
    return HPO_OK;
}

static void test_registration(void)
{
    static const hpo_sampler_type old = {
        .head = {HPO_PLUGIN_VERSION + 1, "test_old", "", NULL, 0, NULL, NULL}};
    CHECK_RC(hpo_register_sampler(&old), HPO_EINCOMPAT);
    CHECK_STR_CONTAINS(hpo_register_errmsg(), "interface version");

    CHECK_RC(hpo_register_sampler(&opts_sampler), HPO_OK);
    CHECK_RC(hpo_register_sampler(&opts_sampler), HPO_EEXIST);
    CHECK_STR_CONTAINS(hpo_register_errmsg(), "'test_opts' exists already");
    static const hpo_sampler_type tpe = {
        .head = {HPO_PLUGIN_VERSION, "tpe", "", NULL, 0, NULL, NULL}};
    CHECK_RC(hpo_register_sampler(&tpe), HPO_EEXIST); /* a built-in's name */

    static const hpo_sampler_type bad = {
        .head = {HPO_PLUGIN_VERSION, "Bad-Name", "", NULL, 0, NULL, NULL}};
    CHECK_RC(hpo_register_sampler(&bad), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_register_errmsg(), "'Bad-Name' is not [a-z0-9_]+");

    static const hpo_pruner_type no_method = {
        .head = {HPO_PLUGIN_VERSION, "test_lazy", "", NULL, 0, NULL, NULL}};
    CHECK_RC(hpo_register_pruner(&no_method), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_register_errmsg(), "has no should_prune");
    static const hpo_pruner_type fine = {
        .head = {HPO_PLUGIN_VERSION, "test_lazy", "", NULL, 0, NULL, NULL},
        .should_prune = never_prune};
    CHECK_RC(hpo_register_pruner(&fine), HPO_OK);
    CHECK_RC(hpo_register_pruner(NULL), HPO_EINVAL);

    /* Registered types come after the built-ins, and are described. */
    int found = 0;
    for (int i = 0; hpo_sampler_at(i); i++)
        found += hpo_sampler_at(i) == &opts_sampler;
    CHECK(found == 1);
    char *text = hpo_plugin_describe(&opts_sampler.head, 0);
    CHECK_STR_CONTAINS(text, "        x=0.5  (float in (0, 1]) a float");
    free(text);
    text = hpo_plugin_describe(&opts_sampler.head, 1);
    CHECK_STR_CONTAINS(text, "| `mode` | `b` | a\\|b\\|c | an enum |");
    free(text);
}

/* ---- errors --------------------------------------------------------------- */

static int silent_failure(void *state, hpo_plugin_ctx *ctx, const char *name,
                          const hpo_dist *dist, double *value)
{
    (void)state, (void)ctx, (void)name, (void)dist, (void)value;
    return HPO_EINVAL; /* no hpo_ctx_fail: the core must say who failed */
}

static int after_fails(void *state, hpo_plugin_ctx *ctx, hpo_trial_state st,
                       const double *values, int n)
{
    (void)state, (void)st, (void)values, (void)n;
    return hpo_ctx_fail(ctx, HPO_EINVAL, "after_trial says no");
}

static const hpo_sampler_type silent_sampler = {
    .head = {HPO_PLUGIN_VERSION, "test_silent", "", NULL, 0, NULL, NULL},
    .sample_independent = silent_failure};
static const hpo_sampler_type after_sampler = {
    .head = {HPO_PLUGIN_VERSION, "test_after", "", NULL, 0, NULL, NULL},
    .after_trial = after_fails};

static hpo_study *open_with(const char *sampler, const char *pruner)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, sampler), HPO_OK);
    if (pruner)
        CHECK_RC(hpo_study_set_pruner(s, pruner), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 5), HPO_OK);
    CHECK_RC(hpo_study_open(s, sampler, HPO_OPEN_CREATE), HPO_OK);
    return s;
}

/* n trials of f(x) = x on [0, 1], each told COMPLETE. */
static void run_trials(hpo_study *s, int n)
{
    for (int k = 0; k < n; k++) {
        hpo_trial *t;
        double x;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &x, 1), HPO_OK);
        hpo_trial_free(t);
    }
}

static void test_method_errors(void)
{
    CHECK_RC(hpo_register_sampler(&silent_sampler), HPO_OK);
    CHECK_RC(hpo_register_sampler(&after_sampler), HPO_OK);

    hpo_study *s = open_with("test_silent", NULL);
    hpo_trial *t;
    double x;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "test_silent: sample_independent");
    hpo_trial_free(t);
    hpo_study_free(s);

    s = open_with("test_after", NULL);
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
    double v = x * x;
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "after_trial says no");
    hpo_trial_free(t);
    hpo_trial **trials;
    int n;
    CHECK_RC(hpo_study_trials(s, &trials, &n), HPO_OK);
    CHECK(n == 1 && hpo_trial_state_of(trials[0]) == HPO_COMPLETE &&
          hpo_trial_value(trials[0], 0) == v);
    hpo_trials_free(trials, n);
    hpo_study_free(s);
}

/* ---- accessors under the study's lock -------------------------------------- */

static int n_best_seen, n_cas_ok, n_cas_done;

static int accessor_sample(void *state, hpo_plugin_ctx *ctx, const char *name,
                           const hpo_dist *dist, double *value)
{
    (void)state, (void)name;
    const hpo_record *best;
    int rc = hpo_ctx_best(ctx, &best);
    if (rc != HPO_OK && rc != HPO_ENOTFOUND)
        return rc;
    n_best_seen += rc == HPO_OK;
    const char *json;
    if ((rc = hpo_ctx_study_attr(ctx, "test:count", &json)))
        return rc;
    int count = json ? atoi(json) : 0;
    char next[32];
    snprintf(next, sizeof next, "%d", count + 1);
    /* Set from the value just read: succeeds.  Again from the same old
     * value: another "worker" got there first, HPO_DONE. */
    rc = hpo_ctx_study_attr_cas(ctx, "test:count", json, next);
    n_cas_ok += rc == HPO_OK;
    rc = hpo_ctx_study_attr_cas(ctx, "test:count", json, next);
    n_cas_done += rc == HPO_DONE;
    if ((rc = hpo_ctx_set_study_attr(ctx, "test:last", next)))
        return rc;
    *value = hpo_dist_from_unit(dist, hpo_ctx_uniform(ctx));
    return HPO_OK;
}

static const hpo_sampler_type accessor_sampler = {
    .head = {HPO_PLUGIN_VERSION, "test_accessors", "", NULL, 0, NULL, NULL},
    .sample_independent = accessor_sample};

static void test_accessors_do_not_deadlock(void)
{
    CHECK_RC(hpo_register_sampler(&accessor_sampler), HPO_OK);
    alarm(60); /* a deadlock fails here, not at ctest's timeout */
    hpo_study *s = open_with("test_accessors", NULL);
    run_trials(s, 5);
    alarm(0);
    CHECK(n_best_seen == 4); /* every trial after the first */
    CHECK(n_cas_ok == 5 && n_cas_done == 5);
    const char *json = hpo_study_system_attr(s, "test:count");
    CHECK(json && strcmp(json, "5") == 0);
    hpo_study_free(s);
}

/* ---- sampler_view ---------------------------------------------------------- */

static int view_bad; /* trials the sampler saw that it should not have */
static int view_seen_last;

static int hide_odd(void *state, hpo_plugin_ctx *ctx, int n,
                    unsigned char *keep, double *value)
{
    (void)state;
    for (int i = 0; i < n; i++) {
        const hpo_record *r = hpo_ctx_trial_at(ctx, i);
        keep[i] = hpo_record_number(r) % 2 == 0;
        if (hpo_record_state(r) == HPO_COMPLETE)
            value[i] = 1000 + hpo_record_number(r);
    }
    return HPO_OK;
}

static const hpo_pruner_type even_pruner = {
    .head = {HPO_PLUGIN_VERSION, "test_even", "", NULL, 0, NULL, NULL},
    .should_prune = never_prune,
    .sampler_view = hide_odd};

static int spy_sample(void *state, hpo_plugin_ctx *ctx, const char *name,
                      const hpo_dist *dist, double *value)
{
    (void)state, (void)name;
    int n = hpo_ctx_n_trials(ctx);
    if (n < 0)
        return n;
    for (int i = 0; i < n; i++) {
        const hpo_record *r = hpo_ctx_trial_at(ctx, i);
        int number = hpo_record_number(r);
        int complete = hpo_record_state(r) == HPO_COMPLETE;
        view_bad += number % 2 != 0;
        view_bad += complete && hpo_record_value(r, 0) != 1000 + number;
    }
    view_seen_last = n;
    *value = hpo_dist_from_unit(dist, hpo_ctx_uniform(ctx));
    return HPO_OK;
}

static const hpo_sampler_type spy_sampler = {
    .head = {HPO_PLUGIN_VERSION, "test_spy", "", NULL, 0, NULL, NULL},
    .sample_independent = spy_sample};

static void test_sampler_view(void)
{
    CHECK_RC(hpo_register_pruner(&even_pruner), HPO_OK);
    CHECK_RC(hpo_register_sampler(&spy_sampler), HPO_OK);
    hpo_study *s = open_with("test_spy", "test_even");
    run_trials(s, 9);
    CHECK(view_bad == 0);
    /* Trial 8 saw trials 0, 2, 4, 6 and itself (running). */
    CHECK(view_seen_last == 5);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_registration);
    RUN(test_option_values);
    RUN(test_option_refusals);
    RUN(test_bad_tables);
    RUN(test_method_errors);
    RUN(test_accessors_do_not_deadlock);
    RUN(test_sampler_view);
    return CHECK_DONE();
}
