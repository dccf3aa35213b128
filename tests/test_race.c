/*
 * test_race.c — iterated racing (src/race/) on in-process targets: a
 * clearly worse configuration is dropped and exact ties are kept; elites
 * keep their results (no configuration runs twice on one instance and
 * seed); the model concentrates near the optimum; the budget is kept and
 * one below irace's minimum is refused with the minimum in the message.
 */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hpo.h"

static const char *const instances[] = {"i0", "i1", "i2", "i3", "i4",
                                        "i5", "i6", "i7", "i8", "i9"};

static hpo_study *make_study(const char *const *specs, int n, uint64_t seed,
                             hpo_direction dir)
{
    hpo_study *s = hpo_study_new();
    hpo_space *sp = hpo_space_new();
    for (int i = 0; i < n; i++)
        CHECK_RC(hpo_space_parse_param(sp, specs[i]), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, dir), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    CHECK_RC(hpo_study_open(s, "race", HPO_OPEN_CREATE), HPO_OK);
    hpo_space_free(sp);
    return s;
}

/* An instance's own difficulty, the same for every configuration. */
static double instance_effect(int index, uint32_t seed)
{
    return index * 0.37 + (seed % 1000) * 1e-3;
}

/* k = a and k = b tie exactly; k = bad is worse by 10 everywhere. */
static int eval_ties(hpo_trial *t, const char *instance, int index,
                     uint32_t seed, void *data, double *value)
{
    (void)instance, (void)data;
    double k;
    if (hpo_trial_param(t, "k", &k) != 1)
        return HPO_EINVAL;
    *value = instance_effect(index, seed) + (k == 2 ? 10 : 0);
    return HPO_OK;
}

static int race_ok(hpo_study *s, const hpo_race_options *o,
                   hpo_race_elite **el, int *n)
{
    int rc = hpo_study_race(s, o, el, n);
    if (rc != HPO_OK)
        fprintf(stderr, "race: %s\n", hpo_study_errmsg(s));
    return rc;
}

static int attr_int(const hpo_trial *t, const char *key)
{
    const char *v = hpo_trial_user_attr(t, key);
    return v ? atoi(v) : -1;
}

/* A race over k = a, b, bad of 60 experiments. */
static hpo_study *race_k(hpo_direction dir, hpo_race_eval_fn eval,
                         hpo_race_elite **el, int *n)
{
    const char *spec[] = {"k=cat:a,b,bad"};
    hpo_study *s = make_study(spec, 1, 7, dir);
    hpo_race_options o = {.instances = instances, .n_instances = 10,
                          .budget = 60, .eval = eval};
    CHECK_RC(race_ok(s, &o, el, n), HPO_OK);
    return s;
}

/* The choice of k of elite e (its summary trial). */
static double elite_k(hpo_study *s, const hpo_race_elite *el, int e)
{
    hpo_trial *t;
    double k = -1;
    CHECK_RC(hpo_study_trial(s, el[e].trial, &t), HPO_OK);
    hpo_trial_param(t, "k", &k);
    hpo_trial_free(t);
    return k;
}

static void test_drops_worse_keeps_ties(void)
{
    hpo_race_elite *el;
    int n;
    hpo_study *s = race_k(HPO_MINIMIZE, eval_ties, &el, &n);
    hpo_trial **all;
    int n_all;
    CHECK_RC(hpo_study_trials(s, &all, &n_all), HPO_OK);
    int runs[64] = {0}, is_bad[64] = {0}, n_bad = 0, experiments = 0;
    for (int i = 0; i < n_all; i++) {
        const char *phase = hpo_trial_user_attr(all[i], "race_phase");
        int c = attr_int(all[i], "configuration");
        double k;
        hpo_trial_param(all[i], "k", &k);
        if (phase || c < 0 || c >= 64)
            continue;
        experiments++;
        runs[c]++;
        is_bad[c] = k == 2;
    }
    for (int c = 0; c < 64; c++)
        if (is_bad[c]) {
            n_bad++;
            CHECK(runs[c] <= 5); /* dropped at the first test */
        }
    CHECK(n_bad > 0);
    CHECK(experiments <= 60);
    /* The ties survive: both a and b among the elites, bad never. */
    int seen_a = 0, seen_b = 0;
    for (int e = 0; e < n; e++) {
        double k = elite_k(s, el, e);
        CHECK(k != 2);
        seen_a |= k == 0;
        seen_b |= k == 1;
    }
    CHECK(seen_a && seen_b);
    CHECK(n >= 2);
    /* The best elite is the study's "race_best_trial". */
    const char *best = hpo_study_user_attr(s, "race_best_trial");
    CHECK(best && atoi(best) == el[0].trial);
    free(el);
    hpo_trials_free(all, n_all);
    hpo_study_free(s);
}

/* Noise in [-2, 2) that depends on the configuration and the seed, so
 * that ranks differ from instance to instance as on a real target. */
static double noise(double x, double y, uint32_t seed)
{
    uint64_t h = (uint64_t)(int64_t)(x * 1e6) * 31 +
                 (uint64_t)(int64_t)(y * 1e6) * 17 + seed;
    h ^= h >> 13;
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return 4.0 * ((double)(h % 1000) / 1000.0 - 0.5);
}

/* A bowl around (3, -2), plus the instance's difficulty and noise. */
static int eval_bowl(hpo_trial *t, const char *instance, int index,
                     uint32_t seed, void *data, double *value)
{
    (void)instance, (void)data;
    double x, y;
    if (hpo_trial_param(t, "x", &x) != 1 || hpo_trial_param(t, "y", &y) != 1)
        return HPO_EINVAL;
    *value = (x - 3) * (x - 3) + (y + 2) * (y + 2) +
             instance_effect(index, seed) + noise(x, y, seed);
    return HPO_OK;
}

/* Every (configuration, instance, seed) ran at most once: an elite kept
 * its results from earlier iterations instead of running again. */
static void test_elites_keep_results(void)
{
    const char *spec[] = {"x=float:-10:10", "y=float:-10:10"};
    hpo_study *s = make_study(spec, 2, 12, HPO_MINIMIZE);
    hpo_race_options o = {.instances = instances, .n_instances = 10,
                          .budget = 300, .eval = eval_bowl, .n_jobs = 2};
    hpo_race_elite *el;
    int n;
    CHECK_RC(race_ok(s, &o, &el, &n), HPO_OK);
    hpo_trial **all;
    int n_all;
    CHECK_RC(hpo_study_trials(s, &all, &n_all), HPO_OK);
    int experiments = 0, dup = 0, carried = 0;
    for (int i = 0; i < n_all; i++) {
        if (hpo_trial_user_attr(all[i], "race_phase"))
            continue;
        experiments++;
        for (int j = 0; j < i; j++)
            if (!hpo_trial_user_attr(all[j], "race_phase") &&
                attr_int(all[i], "configuration") ==
                    attr_int(all[j], "configuration") &&
                attr_int(all[i], "seed") == attr_int(all[j], "seed") &&
                attr_int(all[i], "instance_index") ==
                    attr_int(all[j], "instance_index"))
                dup++;
        /* A configuration of iteration 1 that ran in a later one: an
         * elite carried over. */
        if (attr_int(all[i], "race_iteration") > 1)
            for (int j = 0; j < n_all; j++)
                if (attr_int(all[j], "race_iteration") == 1 &&
                    attr_int(all[j], "configuration") ==
                        attr_int(all[i], "configuration")) {
                    carried++;
                    break;
                }
    }
    CHECK(dup == 0);
    CHECK(carried > 0);
    CHECK(experiments <= 300);
    CHECK(experiments > 250); /* the budget is spent, not left over */
    /* The sampling model concentrated near the optimum (3, -2) of a
     * domain 20 wide (irace's fast-shrinking sd: a few units off is
     * what one run of 300 experiments gives on some seeds). */
    hpo_trial *t;
    CHECK_RC(hpo_study_trial(s, el[0].trial, &t), HPO_OK);
    double x = 99, y = 99;
    hpo_trial_param(t, "x", &x);
    hpo_trial_param(t, "y", &y);
    CHECK(sqrt((x - 3) * (x - 3) + (y + 2) * (y + 2)) < 2);
    hpo_trial_free(t);
    /* The last iteration's configurations lie nearer than the first's. */
    double d1 = 0, dl = 0;
    int n1 = 0, nl = 0, last = 0;
    for (int i = 0; i < n_all; i++)
        if (attr_int(all[i], "race_iteration") > last)
            last = attr_int(all[i], "race_iteration");
    CHECK(last >= 3);
    for (int i = 0; i < n_all; i++) {
        int it = attr_int(all[i], "race_iteration");
        if (hpo_trial_param(all[i], "x", &x) != 1 ||
            hpo_trial_param(all[i], "y", &y) != 1)
            continue;
        double d = sqrt((x - 3) * (x - 3) + (y + 2) * (y + 2));
        if (it == 1)
            d1 += d, n1++;
        else if (it == last)
            dl += d, nl++;
    }
    CHECK(n1 > 0 && nl > 0);
    if (n1 > 0 && nl > 0)
        CHECK(dl / nl < 0.5 * d1 / n1);
    free(el);
    hpo_trials_free(all, n_all);
    hpo_study_free(s);
}

static void test_budget_too_small(void)
{
    const char *spec[] = {"x=float:-10:10", "y=float:-10:10"};
    hpo_study *s = make_study(spec, 2, 1, HPO_MINIMIZE);
    hpo_race_options o = {.instances = instances, .n_instances = 10,
                          .budget = 50, .eval = eval_bowl};
    hpo_race_elite *el;
    int n;
    CHECK_RC(hpo_study_race(s, &o, &el, &n), HPO_EINVAL);
    char want[64];
    snprintf(want, sizeof want, "at least %lld",
             (long long)hpo_race_min_budget(2, &o));
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), want);
    CHECK(hpo_race_min_budget(2, &o) == 4 * 3 * (5 + 1 + 2));
    hpo_study_free(s);
}

/* A failing experiment scores the worst; the race goes on. */
static int eval_fail_bad(hpo_trial *t, const char *instance, int index,
                         uint32_t seed, void *data, double *value)
{
    double k;
    hpo_trial_param(t, "k", &k);
    if (k == 2)
        return HPO_EFAIL;
    return eval_ties(t, instance, index, seed, data, value);
}

static void test_failures_count_worst(void)
{
    hpo_race_elite *el;
    int n;
    hpo_study *s = race_k(HPO_MAXIMIZE, eval_fail_bad, &el, &n);
    CHECK(n >= 1);
    for (int e = 0; e < n; e++) {
        CHECK(isfinite(el[e].mean));
        CHECK(elite_k(s, el, e) != 2);
    }
    free(el);
    hpo_study_free(s);
}

/* Each experiment is created with its params and labels in one write
 * (hpo__study_ask_preset): read back from SQLite by another handle, every
 * experiment has its params, its instance and a configuration, and the
 * conditional param is there only when active. */
static void test_experiments_stored_whole(void)
{
    char path[] = "/tmp/hpo-race-preset-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    char url[128];
    snprintf(url, sizeof url, "sqlite:///%s", path);
    const char *spec[] = {"k=cat:a,b,bad", "x=float:0:1",
                          "y=float:0:1:if=k=a"};
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_space *sp = hpo_space_new();
    for (int i = 0; i < 3; i++)
        CHECK_RC(hpo_space_parse_param(sp, spec[i]), HPO_OK);
    CHECK_RC(hpo_study_set_storage(s, st), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "race", HPO_OPEN_CREATE), HPO_OK);
    hpo_race_options o = {.instances = instances, .n_instances = 10,
                          .budget = 120, .eval = eval_ties};
    hpo_race_elite *el;
    int n;
    CHECK_RC(race_ok(s, &o, &el, &n), HPO_OK);

    hpo_study *r = hpo_study_new();
    CHECK_RC(hpo_study_set_storage(r, st), HPO_OK);
    CHECK_RC(hpo_study_open(r, "race", HPO_OPEN_LOAD), HPO_OK);
    hpo_trial **all;
    int nt;
    CHECK_RC(hpo_study_trials(r, &all, &nt), HPO_OK);
    CHECK(nt > 100);
    int experiments = 0;
    for (int i = 0; i < nt; i++) {
        double k = -1, x = -1, y = -1;
        CHECK(hpo_trial_param(all[i], "k", &k) == 1);
        CHECK(hpo_trial_param(all[i], "x", &x) == 1 && x >= 0 && x <= 1);
        CHECK(hpo_trial_param(all[i], "y", &y) == (k == 0 ? 1 : 0));
        CHECK(attr_int(all[i], "configuration") >= 0);
        if (hpo_trial_user_attr(all[i], "instance"))
            experiments++;
    }
    CHECK(experiments > 100 && experiments <= 120);
    hpo_trials_free(all, nt);
    free(el);
    hpo_study_free(r);
    hpo_study_free(s);
    hpo_space_free(sp);
    hpo_storage_close(st);
    unlink(path);
}

int main(void)
{
    RUN(test_drops_worse_keeps_ties);
    RUN(test_elites_keep_results);
    RUN(test_budget_too_small);
    RUN(test_failures_count_worst);
    RUN(test_experiments_stored_whole);
    return CHECK_DONE();
}
