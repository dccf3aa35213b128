/*
 * test_auto.c — the `auto` sampler's choice of model (src/samplers/auto.c),
 * read from the study system attribute "hpo:auto" where it is stored:
 *
 *   conditional (declared, or trials differ) -> tpe:multivariate=true
 *   mostly categorical                      -> tpe:multivariate=true
 *   8 to 16 numeric parameters, none categorical, a planned budget of
 *     at most 100 trials                    -> rbf
 *   at most 16 numeric-majority parameters  -> gp
 *   more                                    -> tpe
 *
 * and the protocol around it: random (no choice) while a define-by-run
 * space is unknown, one decision that later trials do not change, and a
 * choice already stored (by another worker) taken as it is.
 */
#include "check.h"
#include "hpo.h"

#define TPE_MV "\"tpe:multivariate=true\""

static hpo_study *open_study(hpo_space *space)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_seed(s, 3), HPO_OK);
    if (space)
        CHECK_RC(hpo_study_set_space(s, space), HPO_OK);
    CHECK_RC(hpo_study_open(s, "auto", HPO_OPEN_CREATE), HPO_OK);
    hpo_space_free(space);
    return s;
}

/* The stored choice ("" when none), compared with want. */
static int chose(hpo_study *s, const char *want)
{
    const char *got = hpo_study_system_attr(s, "hpo:auto");
    if (!got)
        got = "";
    if (strcmp(got, want) != 0)
        fprintf(stderr, "  hpo:auto is '%s', expected '%s'\n", got, want);
    return strcmp(got, want) == 0;
}

/* One trial of a declared space: every active parameter suggested. */
static void run_declared_trial(hpo_study *s, hpo_space *space)
{
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double sum = 0;
    for (int i = 0; i < hpo_space_size(space); i++) {
        const char *name = hpo_space_name(space, i);
        double x = 0;
        int index = 0;
        if (name[0] == 'c') { /* the categoricals of these tests: c... */
            static const char *const abc[] = {"a", "b", "c"};
            CHECK_RC(hpo_trial_suggest_categorical(t, name, abc, 3, &index), HPO_OK);
            x = index;
        } else if (name[0] == 'x') {
            CHECK_RC(hpo_trial_suggest_float(t, name, 0, 1, 0, 0, &x), HPO_OK);
        } else {
            continue; /* conditional ones: not needed for the choice */
        }
        sum += x;
    }
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &sum, 1), HPO_OK);
    hpo_trial_free(t);
}

static hpo_space *floats(int n)
{
    hpo_space *space = hpo_space_new();
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", i);
        CHECK_RC(hpo_space_add_float(space, name, 0, 1, 0, 0), HPO_OK);
    }
    return space;
}

/* Decided at the first trial of a declared space. */
static void check_declared(hpo_space *space, const char *want)
{
    hpo_space *copy = hpo_space_new();
    char *json = hpo_space_to_json(space);
    CHECK_RC(hpo_space_parse_json(copy, json, "test"), HPO_OK);
    free(json);
    hpo_study *s = open_study(space);
    CHECK(chose(s, ""));
    run_declared_trial(s, copy);
    CHECK(chose(s, want));
    run_declared_trial(s, copy);
    CHECK(chose(s, want));
    hpo_space_free(copy);
    hpo_study_free(s);
}

static void test_small_numeric_space_gets_gp(void)
{
    check_declared(floats(3), "\"gp\"");
    check_declared(floats(16), "\"gp\"");
    /* One categorical among three floats: still numeric. */
    hpo_space *space = floats(3);
    const char *const abc[] = {"a", "b", "c"};
    CHECK_RC(hpo_space_add_categorical(space, "c", abc, 3), HPO_OK);
    check_declared(space, "\"gp\"");
}

/* 8 to 16 numeric parameters and a planned budget of at most 100 trials:
 * rbf (measured ahead of gp there, docs/benchmarks.md); otherwise gp. */
static void check_planned(hpo_space *space, int budget, const char *want)
{
    hpo_space *copy = hpo_space_new();
    char *json = hpo_space_to_json(space);
    CHECK_RC(hpo_space_parse_json(copy, json, "test"), HPO_OK);
    free(json);
    hpo_study *s = open_study(space);
    if (budget)
        CHECK_RC(hpo_study_plan_trials(s, budget), HPO_OK);
    run_declared_trial(s, copy);
    CHECK(chose(s, want));
    hpo_space_free(copy);
    hpo_study_free(s);
}

static void test_numeric_space_with_small_budget_gets_rbf(void)
{
    check_planned(floats(8), 50, "\"rbf\"");
    check_planned(floats(16), 100, "\"rbf\"");
    check_planned(floats(8), 101, "\"gp\"");
    check_planned(floats(8), 0, "\"gp\"");
    check_planned(floats(7), 50, "\"gp\"");
    check_planned(floats(17), 50, "\"tpe\"");
    hpo_space *space = floats(9);
    const char *const abc[] = {"a", "b", "c"};
    CHECK_RC(hpo_space_add_categorical(space, "c", abc, 3), HPO_OK);
    check_planned(space, 50, "\"gp\"");
}

static void test_large_numeric_space_gets_tpe(void)
{
    check_declared(floats(17), "\"tpe\"");
    check_declared(floats(40), "\"tpe\"");
}

static void test_mostly_categorical_space_gets_multivariate_tpe(void)
{
    const char *const abc[] = {"a", "b", "c"};
    hpo_space *space = hpo_space_new();
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        CHECK_RC(hpo_space_add_categorical(space, name, abc, 3), HPO_OK);
    }
    CHECK_RC(hpo_space_add_float(space, "x", 0, 1, 0, 0), HPO_OK);
    check_declared(space, "\"tpe:multivariate=true\"");
}

static void test_declared_conditional_space_gets_multivariate_tpe(void)
{
    hpo_space *space = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(space, "c=cat:a,b,c"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(space, "x=float:0:1"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(space, "lr=float:1e-4:1:log:if=c=a"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(space, "depth=int:1:9:if=c=b|c"), HPO_OK);
    check_declared(space, TPE_MV);
}

/* A define-by-run trial: x0..x(n-1), plus y only when `with_y`. */
static void run_dbr_trial(hpo_study *s, int n, int with_y)
{
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    double sum = 0, x = 0;
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", i);
        CHECK_RC(hpo_trial_suggest_float(t, name, 0, 1, 0, 0, &x), HPO_OK);
        sum += (x - 0.3) * (x - 0.3);
    }
    if (with_y) {
        CHECK_RC(hpo_trial_suggest_float(t, "y", 1e-3, 1, 0, HPO_LOG, &x), HPO_OK);
        sum += x;
    }
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &sum, 1), HPO_OK);
    hpo_trial_free(t);
}

static void test_define_by_run_flat_space_waits_then_gets_gp(void)
{
    hpo_study *s = open_study(NULL);
    /* Five trials complete before the space counts as known (the sixth
     * ask decides); until then auto samples at random. */
    for (int k = 0; k < 5; k++) {
        run_dbr_trial(s, 4, 0);
        CHECK(chose(s, ""));
    }
    run_dbr_trial(s, 4, 0);
    CHECK(chose(s, "\"gp\""));
    /* Decided once: a later trial with another parameter changes nothing. */
    run_dbr_trial(s, 4, 1);
    run_dbr_trial(s, 4, 0);
    CHECK(chose(s, "\"gp\""));
    hpo_study_free(s);
}

static void test_define_by_run_large_space_gets_tpe(void)
{
    hpo_study *s = open_study(NULL);
    for (int k = 0; k < 6; k++)
        run_dbr_trial(s, 20, 0);
    CHECK(chose(s, "\"tpe\""));
    hpo_study_free(s);
}

static void test_define_by_run_conditional_space_gets_multivariate_tpe(void)
{
    hpo_study *s = open_study(NULL);
    run_dbr_trial(s, 2, 0);
    CHECK(chose(s, ""));
    run_dbr_trial(s, 2, 1);
    /* Two completed trials with different parameters: conditional, known
     * at once. */
    run_dbr_trial(s, 2, 0);
    CHECK(chose(s, TPE_MV));
    hpo_study_free(s);
}

static void test_stored_choice_is_kept(void)
{
    /* Another worker decided rf for a space auto would give gp. */
    hpo_study *s = open_study(floats(2));
    CHECK_RC(hpo_study_set_system_attr(s, "hpo:auto", "\"rf\""), HPO_OK);
    hpo_space *copy = floats(2);
    for (int k = 0; k < 3; k++)
        run_declared_trial(s, copy);
    CHECK(chose(s, "\"rf\""));
    hpo_space_free(copy);
    hpo_study_free(s);
}

/* The budget run_spheres' studies are told (hpo_study_plan_trials), 0
 * for none. */
static int plan_budget = 0;

/* A study of `n_obj` objectives over `space` (taken) with the auto
 * sampler's options `spec`, run for n trials of a sphere centred at 0.3
 * (second objective: centred at 0.7). */
static hpo_study *run_spheres(const char *spec, hpo_space *space, int n_obj,
                              int n)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_seed(s, 5), HPO_OK);
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    for (int k = 0; k < n_obj; k++)
        CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, space), HPO_OK);
    CHECK_RC(hpo_study_open(s, "handover", HPO_OPEN_CREATE), HPO_OK);
    if (plan_budget)
        CHECK_RC(hpo_study_plan_trials(s, plan_budget), HPO_OK);
    for (int i = 0; i < n; i++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        if (!t)
            break;
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        double v[2] = {0, 0};
        for (int j = 0; j < hpo_space_size(space); j++) {
            double x = 0;
            hpo_trial_param(t, hpo_space_name(space, j), &x);
            v[0] += (x - 0.3) * (x - 0.3);
            v[1] += (x - 0.7) * (x - 0.7);
        }
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, n_obj), HPO_OK);
        hpo_trial_free(t);
    }
    hpo_space_free(space);
    return s;
}

/* Does trial `number` of s carry the system attribute key? */
static int trial_has(hpo_study *s, int number, const char *key)
{
    hpo_trial **ts;
    int n = 0, has = 0;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    if (number < n)
        has = hpo_trial_system_attr(ts[number], key) != NULL;
    hpo_trials_free(ts, n);
    return has;
}

/* After `handover` trials a numeric gp study goes on with cmaes, which
 * starts from the gp's trials; it says so in hpo:auto:handover. */
static void test_gp_hands_over_to_cmaes(void)
{
    hpo_study *s = run_spheres("auto:handover=20", floats(3), 1, 40);
    CHECK(chose(s, "\"gp\""));
    const char *h = hpo_study_system_attr(s, "hpo:auto:handover");
    CHECK(h && strstr(h, "\"cmaes\"") && strstr(h, "\"at_trial\": 20"));
    CHECK(!trial_has(s, 18, "hpo:cmaes:member"));
    CHECK(trial_has(s, 19, "hpo:cmaes:member"));
    CHECK(trial_has(s, 39, "hpo:cmaes:member"));
    hpo_study_free(s);
}

/* handover=0 keeps the gp; a categorical parameter keeps it too (CMA-ES
 * would sample it at random). */
static void test_no_handover(void)
{
    hpo_study *s = run_spheres("auto:handover=0", floats(2), 1, 25);
    CHECK(!hpo_study_system_attr(s, "hpo:auto:handover"));
    CHECK(!trial_has(s, 24, "hpo:cmaes:member"));
    hpo_study_free(s);
    hpo_space *space = floats(2);
    const char *const abc[] = {"a", "b", "c"};
    CHECK_RC(hpo_space_add_categorical(space, "c", abc, 3), HPO_OK);
    s = run_spheres("auto:handover=10", space, 1, 25);
    CHECK(chose(s, "\"gp\""));
    CHECK(!hpo_study_system_attr(s, "hpo:auto:handover"));
    hpo_study_free(s);
}

/* The study's budget moves the hand-over (handover=auto): a study of
 * 1,000 trials hands over after 150 and says why; without a budget it
 * has not by then (300, the old default); an explicit handover wins over
 * the budget; a budget of 300 keeps the gp past 300 trials ... */
static void test_budget_moves_the_handover(void)
{
    plan_budget = 1000;
    hpo_study *s = run_spheres("auto", floats(3), 1, 152);
    CHECK(hpo_study_system_attr(s, "hpo:n_trials") &&
          strcmp(hpo_study_system_attr(s, "hpo:n_trials"), "1000") == 0);
    const char *h = hpo_study_system_attr(s, "hpo:auto:handover");
    CHECK(h && strstr(h, "\"cmaes\"") && strstr(h, "\"at_trial\": 150") &&
          strstr(h, "\"handover\": 150") && strstr(h, "\"budget\": 1000"));
    CHECK(!trial_has(s, 148, "hpo:cmaes:member"));
    CHECK(trial_has(s, 151, "hpo:cmaes:member"));
    hpo_study_free(s);
    s = run_spheres("auto:handover=20", floats(3), 1, 25);
    h = hpo_study_system_attr(s, "hpo:auto:handover");
    CHECK(h && strstr(h, "\"at_trial\": 20") && strstr(h, "\"budget\": null"));
    hpo_study_free(s);
    plan_budget = 0;
    s = run_spheres("auto", floats(3), 1, 152);
    CHECK(!hpo_study_system_attr(s, "hpo:auto:handover"));
    hpo_study_free(s);
}

/* ... and hpo_study_optimize records its n_trials as the budget, unless a
 * larger one is stored (another worker's longer run). */
static int sphere_objective(hpo_trial *t, void *data, double *v)
{
    (void)data;
    double x = 0;
    int rc = hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
    v[0] = (x - 0.3) * (x - 0.3);
    return rc;
}

static void test_optimize_records_the_budget(void)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_open(s, "budget", HPO_OPEN_CREATE), HPO_OK);
    hpo_optimize_options o = {.n_trials = 5};
    CHECK_RC(hpo_study_optimize(s, sphere_objective, NULL, &o), HPO_OK);
    const char *b = hpo_study_system_attr(s, "hpo:n_trials");
    CHECK(b && strcmp(b, "5") == 0);
    CHECK_RC(hpo_study_optimize(s, sphere_objective, NULL, &o), HPO_OK);
    b = hpo_study_system_attr(s, "hpo:n_trials");
    CHECK(b && strcmp(b, "10") == 0); /* 5 trials then, 5 more */
    CHECK_RC(hpo_study_plan_trials(s, 1000), HPO_OK);
    CHECK_RC(hpo_study_optimize(s, sphere_objective, NULL, &o), HPO_OK);
    b = hpo_study_system_attr(s, "hpo:n_trials");
    CHECK(b && strcmp(b, "1010") == 0); /* the larger plan holds */
    CHECK_RC(hpo_study_plan_trials(s, -1), HPO_EINVAL);
    hpo_study_free(s);
}

/* Several objectives: nsga2 after mo_gp_handover trials of the gp (two
 * parameters), after mo_handover trials of tpe (twenty). */
static void test_several_objectives_hand_over_to_nsga2(void)
{
    hpo_study *s = run_spheres("auto:mo_gp_handover=15,mo_handover=0",
                               floats(2), 2, 30);
    const char *h = hpo_study_system_attr(s, "hpo:auto:handover");
    CHECK(h && strstr(h, "\"nsga2\""));
    CHECK(!trial_has(s, 13, "hpo:nsga2:member"));
    CHECK(trial_has(s, 29, "hpo:nsga2:member"));
    hpo_study_free(s);
    s = run_spheres("auto:mo_handover=12,mo_gp_handover=0", floats(20), 2, 20);
    CHECK(chose(s, "\"tpe\""));
    CHECK(!trial_has(s, 10, "hpo:nsga2:member"));
    CHECK(trial_has(s, 11, "hpo:nsga2:member"));
    hpo_study_free(s);
    s = run_spheres("auto:mo_gp_handover=0", floats(2), 2, 20);
    CHECK(!hpo_study_system_attr(s, "hpo:auto:handover"));
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_small_numeric_space_gets_gp);
    RUN(test_numeric_space_with_small_budget_gets_rbf);
    RUN(test_large_numeric_space_gets_tpe);
    RUN(test_mostly_categorical_space_gets_multivariate_tpe);
    RUN(test_declared_conditional_space_gets_multivariate_tpe);
    RUN(test_define_by_run_flat_space_waits_then_gets_gp);
    RUN(test_define_by_run_large_space_gets_tpe);
    RUN(test_define_by_run_conditional_space_gets_multivariate_tpe);
    RUN(test_stored_choice_is_kept);
    RUN(test_gp_hands_over_to_cmaes);
    RUN(test_no_handover);
    RUN(test_several_objectives_hand_over_to_nsga2);
    RUN(test_budget_moves_the_handover);
    RUN(test_optimize_records_the_budget);
    return CHECK_DONE();
}
