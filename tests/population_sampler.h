/*
 * population_sampler.h — checks every population sampler on the shared
 * generation driver (src/samplers/generation.h) must pass, whatever its
 * algorithm: the population survives reopening an SQLite study, two study
 * handles on one file share it, a corrupt stored state is an error naming
 * the attribute (nothing overwritten), and int / step / log / categorical
 * parameters stay legal.  tests/test_ga_sampler.c and test_de_sampler.c
 * include it with their sampler's name.
 */
#ifndef HPO_POPULATION_SAMPLER_H
#define HPO_POPULATION_SAMPLER_H

#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/internal.h"
#include "hpo.h"

static char pop_dir[64];
/* Storages the studies borrow, closed after the studies are freed. */
static hpo_storage *pop_storages[8];
static int pop_n_storages;

static void pop_close_storages(void)
{
    for (int i = 0; i < pop_n_storages; i++)
        hpo_storage_close(pop_storages[i]);
    pop_n_storages = 0;
}

/* A scratch directory for the SQLite files; 0 on failure. */
static int pop_dir_make(void)
{
    snprintf(pop_dir, sizeof pop_dir, "/tmp/hpo_pop_XXXXXX");
    if (!mkdtemp(pop_dir)) {
        perror("mkdtemp");
        return 0;
    }
    return 1;
}

static void pop_dir_remove(void)
{
    char *rm = hpo__asprintf("rm -rf '%s'", pop_dir);
    if (rm && system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", pop_dir);
    free(rm);
}

/* A study "pop" on file (NULL: in memory) with sampler spec, seed, space. */
static hpo_study *pop_study(const char *file, const char *spec, uint64_t seed,
                            const hpo_space *sp)
{
    hpo_study *s = hpo_study_new();
    if (file) {
        hpo_storage *st = NULL;
        char *url = hpo__asprintf("sqlite:///%s/%s", pop_dir, file);
        CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
        CHECK_RC(hpo_study_set_storage(s, st), HPO_OK);
        if (pop_n_storages < 8)
            pop_storages[pop_n_storages++] = st;
        free(url);
    }
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_open(s, "pop", HPO_OPEN_CREATE | HPO_OPEN_LOAD),
             HPO_OK);
    return s;
}

typedef double (*pop_fn)(const hpo_trial *t);

/* Sphere around 0.3 in every parameter (its internal value). */
static double pop_sphere(const hpo_trial *t)
{
    double v = 0;
    for (int i = 0; i < hpo_trial_n_params(t); i++) {
        double d = hpo_trial_param_value(t, i) - 0.3;
        v += d * d;
    }
    return v;
}

/* One ask-suggest-tell; the trial's number, or -1. */
static int pop_step(hpo_study *s, pop_fn f)
{
    hpo_trial *t = NULL;
    int rc = hpo_study_ask(s, &t);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK) {
        fprintf(stderr, "ask: %s\n", hpo_study_errmsg(s));
        return -1;
    }
    rc = hpo_trial_suggest_all(t);
    CHECK_RC(rc, HPO_OK);
    if (rc != HPO_OK)
        fprintf(stderr, "suggest: %s\n", hpo_trial_errmsg(t));
    double v = f(t);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    int number = hpo_trial_number(t);
    hpo_trial_free(t);
    return number;
}

static void pop_run(hpo_study *s, int n, pop_fn f)
{
    for (int i = 0; i < n; i++)
        pop_step(s, f);
}

/* A whole-number field of a JSON text (or of its "state" object when
 * inner), -1 when absent. */
static long pop_field(const char *json, int inner, const char *key)
{
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    const cJSON *o = inner ? cJSON_GetObjectItemCaseSensitive(root, "state")
                           : root;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    long x = cJSON_IsNumber(v) ? (long)v->valuedouble : -1;
    cJSON_Delete(root);
    return x;
}

static char pop_key_buf[64];

static const char *pop_key(const char *name, const char *what)
{
    snprintf(pop_key_buf, sizeof pop_key_buf, "hpo:%s:%s", name, what);
    return pop_key_buf;
}

/* The stored state's generation, -1 when there is none. */
static long pop_generation(hpo_study *s, const char *name)
{
    return pop_field(hpo_study_system_attr(s, pop_key(name, "state")), 0,
                     "generation");
}

/* gen[i], member[i] of every trial (-1 when not a member); the count. */
static int pop_members(hpo_study *s, const char *name, long *gen, long *member,
                       int cap)
{
    hpo_trial **ts = NULL;
    int n = 0;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    for (int i = 0; i < n && i < cap; i++) {
        const char *a = hpo_trial_system_attr(ts[i], pop_key(name, "member"));
        gen[i] = pop_field(a, 0, "generation");
        member[i] = pop_field(a, 0, "member");
    }
    hpo_trials_free(ts, n);
    return n < cap ? n : cap;
}

/* A float space of dim parameters in [0, 1]. */
static hpo_space *pop_space(int dim)
{
    hpo_space *sp = hpo_space_new();
    for (int i = 0; i < dim; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", i);
        CHECK_RC(hpo_space_add_float(sp, name, 0, 1, 0, 0), HPO_OK);
    }
    return sp;
}

/* ---- the checks ------------------------------------------------------------ */

/* A new handle on the same SQLite file continues generation g, not 0. */
static void pop_check_reopen(const char *name, const char *spec, int n_first)
{
    hpo_space *sp = pop_space(3);
    hpo_study *a = pop_study("reopen.db", spec, 1, sp);
    pop_run(a, n_first, pop_sphere);
    long g = pop_generation(a, name);
    CHECK(g >= 2);
    hpo_study_free(a);
    pop_close_storages();
    hpo_study *b = pop_study("reopen.db", spec, 1, sp);
    CHECK(pop_generation(b, name) == g);
    int number = pop_step(b, pop_sphere);
    long gen[1024], member[1024];
    int n = pop_members(b, name, gen, member, 1024);
    CHECK(number == n_first && n == n_first + 1);
    CHECK(n > number && gen[number] >= g);
    hpo_study_free(b);
    pop_close_storages();
    hpo_space_free(sp);
}

/* Two handles on one file, asking in turn, fill the same generations. */
static void pop_check_two_handles(const char *name, const char *spec, int n)
{
    hpo_space *sp = pop_space(3);
    hpo_study *h[2] = {pop_study("shared.db", spec, 2, sp),
                       pop_study("shared.db", spec, 2, sp)};
    int by[1024];
    for (int i = 0; i < n && i < 1024; i++) {
        int number = pop_step(h[i % 2], pop_sphere);
        if (number >= 0 && number < 1024)
            by[number] = i % 2;
    }
    long gen[1024], member[1024];
    int m = pop_members(h[0], name, gen, member, 1024);
    CHECK(m == n);
    /* every generation with two or more members has both handles' */
    int mixed = 0, generations = 0;
    for (long g = 0; g <= pop_generation(h[0], name); g++) {
        int seen[2] = {0, 0};
        for (int i = 0; i < m; i++)
            if (gen[i] == g)
                seen[by[i]] = 1;
        generations += seen[0] || seen[1];
        mixed += seen[0] && seen[1];
    }
    CHECK(generations >= 3);
    CHECK(mixed >= generations - 1); /* the current one may be just begun */
    /* member numbers within a generation are 0, 1, 2, ... with no gap */
    for (int i = 1; i < m; i++)
        if (gen[i] == gen[i - 1])
            CHECK(member[i] == member[i - 1] + 1);
    hpo_study_free(h[0]);
    hpo_study_free(h[1]);
    pop_close_storages();
    hpo_space_free(sp);
}

/* stored replaced by bad (a corrupt state): the next ask fails with
 * HPO_EINVAL naming the attribute, and the attribute is left as it was. */
static void pop_expect_refused(hpo_study *s, const char *name,
                               const char *bad)
{
    const char *key = pop_key(name, "state");
    char *k = hpo__strdup(key);
    CHECK_RC(hpo_study_set_system_attr(s, k, bad), HPO_OK);
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), k);
    const char *after = hpo_study_system_attr(s, k);
    CHECK(after && strcmp(after, bad) == 0);
    hpo_trial_free(t);
    free(k);
}

/* A state that is not JSON, one that is not this sampler's (same space,
 * so the driver does not start afresh), and one with a member outside
 * its domain. */
static void pop_check_corrupt(const char *name, const char *spec, int n,
                              const char *foreign_state,
                              const char *bad_state)
{
    hpo_space *sp = pop_space(2);
    hpo_study *s = pop_study(NULL, spec, 3, sp);
    pop_run(s, n, pop_sphere);
    const char *stored = hpo_study_system_attr(s, pop_key(name, "state"));
    cJSON *root = cJSON_Parse(stored);
    CHECK(root != NULL);
    pop_expect_refused(s, name, "[1, 2]");
    const char *states[2] = {foreign_state, bad_state};
    for (int i = 0; i < 2; i++) {
        cJSON_ReplaceItemInObjectCaseSensitive(root, "state",
                                               cJSON_Parse(states[i]));
        char *text = cJSON_PrintUnformatted(root);
        pop_expect_refused(s, name, text);
        free(text);
    }
    cJSON_Delete(root);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* Ints (with a step and on a log scale), stepped and log floats and a
 * categorical: every trial's values legal, over several generations. */
static double pop_mixed_value(const hpo_trial *t)
{
    double v = 0;
    for (int i = 0; i < hpo_trial_n_params(t); i++) {
        double x = hpo_trial_param_value(t, i);
        const char *nm = hpo_trial_param_name(t, i);
        if (strcmp(nm, "n") == 0)
            CHECK(x >= -4 && x <= 8 && fmod(x + 4, 3) == 0);
        else if (strcmp(nm, "k") == 0)
            CHECK(x >= 1 && x <= 1000 && x == floor(x));
        else if (strcmp(nm, "s") == 0)
            CHECK(x >= 0 && x <= 1 && fabs(x * 4 - nearbyint(x * 4)) < 1e-9);
        else if (strcmp(nm, "lr") == 0)
            CHECK(x >= 1e-5 && x <= 1e-1);
        else if (strcmp(nm, "c") == 0)
            CHECK(x == 0 || x == 1 || x == 2);
        v += nm[0] == 'c' ? (x == 2 ? 0 : 100) : fabs(log(x + 5));
    }
    return v;
}

static void pop_check_mixed(const char *spec, int n)
{
    hpo_space *sp = hpo_space_new();
    const char *choices[3] = {"a", "b", "c"};
    CHECK_RC(hpo_space_add_int(sp, "n", -4, 8, 3, 0), HPO_OK);
    CHECK_RC(hpo_space_add_int(sp, "k", 1, 1000, 1, HPO_LOG), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "s", 0, 1, 0.25, 0), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "lr", 1e-5, 1e-1, 0, HPO_LOG), HPO_OK);
    CHECK_RC(hpo_space_add_categorical(sp, "c", choices, 3), HPO_OK);
    hpo_study *s = pop_study(NULL, spec, 4, sp);
    pop_run(s, n, pop_mixed_value);
    /* the categorical's best choice is found */
    hpo_trial *best = NULL;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    double c = NAN;
    CHECK(best && hpo_trial_param(best, "c", &c) && c == 2);
    hpo_trial_free(best);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* A space that changes (another handle declares fewer parameters): a new
 * population starts at generation g + 1, and goes on. */
static void pop_check_space_change(const char *name, const char *spec, int n)
{
    hpo_space *three = pop_space(3), *two = pop_space(2);
    hpo_study *a = pop_study("change.db", spec, 11, three);
    pop_run(a, n, pop_sphere);
    long g = pop_generation(a, name);
    hpo_study *b = pop_study("change.db", spec, 11, two);
    pop_run(b, 1, pop_sphere);
    CHECK(pop_generation(b, name) == g + 1);
    pop_run(b, n, pop_sphere);
    CHECK(pop_generation(b, name) >= g + 3);
    hpo_study_free(a);
    hpo_study_free(b);
    pop_close_storages();
    hpo_space_free(three);
    hpo_space_free(two);
}

/* A conditional space: y only when kind is "b".  Every trial completes,
 * and the best finds kind "b" with y near 0.3. */
static double pop_conditional_value(const hpo_trial *t)
{
    double kind = NAN, y = NAN;
    CHECK(hpo_trial_param(t, "kind", &kind));
    int has_y = hpo_trial_param(t, "y", &y);
    CHECK(has_y == (kind == 1));
    return kind == 1 ? (y - 0.3) * (y - 0.3) : 1;
}

static void pop_check_conditional(const char *spec, int n)
{
    hpo_space *sp = hpo_space_new();
    const char *kinds[2] = {"a", "b"}, *when[1] = {"b"};
    CHECK_RC(hpo_space_add_categorical(sp, "kind", kinds, 2), HPO_OK);
    CHECK_RC(hpo_space_add_float(sp, "y", 0, 1, 0, 0), HPO_OK);
    CHECK_RC(hpo_space_set_condition(sp, "y", "kind", when, 1), HPO_OK);
    hpo_study *s = pop_study(NULL, spec, 12, sp);
    pop_run(s, n, pop_conditional_value);
    hpo_trial *best = NULL;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    CHECK(best && hpo_trial_value(best, 0) < 0.01);
    hpo_trial_free(best);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* What the common checks need to know of a sampler. */
typedef struct pop_sampler {
    const char *name;     /* "ga": its attributes are hpo:ga:... */
    const char *spec;     /* a small population (4 to 6) for 3 parameters */
    int reopen_trials;    /* trials that reach generation 2 with spec */
    const char *foreign_state; /* another sampler's state */
    const char *bad_state; /* this sampler's, with a coordinate out of range
                              (2 parameters) */
} pop_sampler;

#define POP_RUN(call)                                                    \
    do {                                                                 \
        int before_ = check_failures;                                    \
        call;                                                            \
        fprintf(stderr, "%s %s\n", check_failures == before_ ? "ok  " : \
                "FAIL", #call);                                          \
    } while (0)

/* Every common check (pop_dir_make first). */
static void pop_check_common(const pop_sampler *c)
{
    POP_RUN(pop_check_reopen(c->name, c->spec, c->reopen_trials));
    POP_RUN(pop_check_two_handles(c->name, c->spec, 40));
    POP_RUN(pop_check_corrupt(c->name, c->spec, 6, c->foreign_state,
                              c->bad_state));
    POP_RUN(pop_check_mixed(c->spec, 120));
    POP_RUN(pop_check_space_change(c->name, c->spec, c->reopen_trials));
    POP_RUN(pop_check_conditional(c->spec, 60));
}

/* The best value of n trials of spec on pop_sphere over [0, 1]^dim. */
static double pop_best_of(const char *spec, uint64_t seed, int dim, int n)
{
    hpo_space *sp = pop_space(dim);
    hpo_study *s = pop_study(NULL, spec, seed, sp);
    pop_run(s, n, pop_sphere);
    hpo_trial *b = NULL;
    CHECK_RC(hpo_study_best_trial(s, &b), HPO_OK);
    double best = b ? hpo_trial_value(b, 0) : INFINITY;
    hpo_trial_free(b);
    hpo_study_free(s);
    hpo_space_free(sp);
    return best;
}

#endif
