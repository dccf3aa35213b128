/*
 * test_pbt.c — population-based training (src/pbt/): explore's factors and
 * resampling odds, exploit copying the right checkpoint and
 * hyperparameters, failed intervals retried and replaced, the lineage,
 * checkpoints cleaned up, and PBT beating random search on a toy problem
 * whose best learning rate changes during training.
 */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"
#include "pbt/pbt.h"
#include "../bench/pbt_toy.h"

static char dir[256];

static void fresh_dir(const char *name)
{
    snprintf(dir, sizeof dir, "%s/pbt-%s-%d", HPO_BINARY_DIR, name, getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

static int count_files(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s' | wc -l", dir);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f && fscanf(f, "%d", &n) != 1)
        n = -1;
    if (f)
        pclose(f);
    return n;
}

static hpo_study *study_seeded(const char *params[], int n, const char *url,
                               hpo_storage **st, uint64_t seed)
{
    hpo_space *sp = hpo_space_new();
    for (int i = 0; i < n; i++)
        CHECK_RC(hpo_space_parse_param(sp, params[i]), HPO_OK);
    hpo_study *s = hpo_study_new();
    *st = NULL;
    if (url) {
        CHECK_RC(hpo_storage_open(st, url), HPO_OK);
        hpo_study_set_storage(s, *st);
    }
    hpo_study_set_seed(s, seed);
    CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    CHECK_RC(hpo_study_open(s, "pbt", HPO_OPEN_CREATE), HPO_OK);
    hpo_space_free(sp);
    return s;
}

static hpo_study *study_with(const char *params[], int n, const char *url,
                             hpo_storage **st)
{
    return study_seeded(params, n, url, st, 7);
}

/* ---- explore ---------------------------------------------------------------- */

static void test_options(void)
{
    hpo__pbt_opts o;
    hpo__msg m = {0};
    CHECK_RC(hpo__pbt_opts_parse(&o, "pbt:population=16,interval=2,"
                                 "quantile=0.25,resample_probability=0.5,"
                                 "perturb=0.5/2,explore=pb2", &m), HPO_OK);
    CHECK(o.population == 16 && o.interval == 2 && o.explore == HPO__PBT_PB2);
    CHECK(o.quantile == 0.25 && o.resample_probability == 0.5);
    CHECK(o.down == 0.5 && o.up == 2);
    CHECK_RC(hpo__pbt_opts_parse(&o, NULL, &m), HPO_OK);
    CHECK(o.population == 8 && o.intervals == 10 && o.quantile == 0.2);
    CHECK(o.down == 0.8 && o.up == 1.2 && o.resample_probability == 0.25);
    CHECK_RC(hpo__pbt_opts_parse(&o, "pbt:popul=3", &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "popul");
    CHECK_RC(hpo__pbt_opts_parse(&o, "pbt:perturb=1.2/0.8", &m), HPO_EINVAL);
    CHECK_RC(hpo__pbt_opts_parse(&o, "pbt:quantile=0.7", &m), HPO_EINVAL);
    CHECK_RC(hpo__pbt_opts_parse(&o, "tpe", &m), HPO_EINVAL);
    hpo__msg_free(&m);
}

/* x = 5 in [0, 100]: explore gives exactly 4 or 6 unless it resampled,
 * each with the odds asked for (20,000 draws, fixed seed: within 4
 * standard deviations). */
static void test_perturb_odds(void)
{
    hpo_space *sp = hpo_space_new();
    hpo_space_parse_param(sp, "x=float:0:100");
    hpo__pbt_opts o;
    hpo__msg m = {0};
    hpo__pbt_opts_parse(&o, "pbt:resample_probability=0.25", &m);
    hpo__rng r;
    hpo__rng_seed(&r, 11);
    int down = 0, up = 0, other = 0, n = 20000;
    for (int i = 0; i < n; i++) {
        double in = 5, out;
        hpo__pbt_perturb(sp, &o, &r, &in, &out);
        if (out == 5 * 0.8)
            down++;
        else if (out == 5 * 1.2)
            up++;
        else
            other++;
        CHECK(out >= 0 && out <= 100);
    }
    double sd = sqrt(n * 0.25 * 0.75);
    CHECK(fabs(other - 0.25 * n) < 4 * sd);
    CHECK(fabs(down - 0.375 * n) < 4 * sqrt(n * 0.375 * 0.625));
    CHECK(fabs(up - 0.375 * n) < 4 * sqrt(n * 0.375 * 0.625));
    hpo_space_free(sp);
    hpo__msg_free(&m);
}

/* Bounds clip, ints round (and always move), logs stay in range, and a
 * categorical moves to a neighbour. */
static void test_perturb_bounds(void)
{
    hpo_space *sp = hpo_space_new();
    hpo_space_parse_param(sp, "a=float:0:10");
    hpo_space_parse_param(sp, "n=int:1:8");
    hpo_space_parse_param(sp, "lr=float:1e-4:1e-1:log");
    hpo_space_parse_param(sp, "opt=cat:sgd,adam,rms");
    hpo__pbt_opts o;
    hpo__msg m = {0};
    hpo__pbt_opts_parse(&o, "pbt:resample_probability=0", &m);
    hpo__rng r;
    hpo__rng_seed(&r, 3);
    for (int i = 0; i < 200; i++) {
        double in[4] = {9.5, 2, 0.1, 0}, out[4];
        hpo__pbt_perturb(sp, &o, &r, in, out);
        CHECK(out[0] == 10 || out[0] == 9.5 * 0.8);
        CHECK(out[1] == 1 || out[1] == 3); /* 2*0.8 and 2*1.2 round to 2 */
        CHECK(out[2] == 0.1 || fabs(out[2] - 0.08) < 1e-15);
        CHECK(out[3] == 1); /* sgd's only neighbour is adam */
    }
    hpo_space_free(sp);
    hpo__msg_free(&m);
}

/* ---- exploit ---------------------------------------------------------------- */

/* The trainer of the exploit test: score = x (lower is better); the
 * checkpoint holds "member trial", and the member records what it
 * loaded. */
static char loaded[8][64][64]; /* [member][interval] = checkpoint text */

static int copy_trainer(hpo_trial *t, int member, const char *in,
                        const char *out, double *score, void *data)
{
    (void)data;
    double x;
    hpo_trial_param(t, "x", &x);
    int k = 0;
    const char *ks = hpo_trial_user_attr(t, "pbt_interval");
    if (ks)
        k = atoi(ks);
    loaded[member][k][0] = '\0';
    if (in) {
        FILE *f = fopen(in, "r");
        CHECK(f != NULL);
        if (f) {
            if (!fgets(loaded[member][k], sizeof loaded[member][k], f))
                loaded[member][k][0] = '\0';
            fclose(f);
        }
    }
    FILE *f = fopen(out, "w");
    fprintf(f, "member %d trial %d", member, hpo_trial_number(t));
    fclose(f);
    *score = x;
    return HPO_OK;
}

static void test_exploit_copies_best(void)
{
    fresh_dir("exploit");
    const char *params[] = {"x=float:0:100"};
    hpo_storage *st;
    hpo_study *s = study_with(params, 1, NULL, &st);
    hpo_pbt *p;
    CHECK_RC(hpo_pbt_new(&p, s, "pbt:population=5,intervals=2,"
                         "resample_probability=0", dir), HPO_OK);
    CHECK_RC(hpo_pbt_run(p, copy_trainer, NULL, 1), HPO_OK);
    hpo_trial **t;
    int n;
    hpo_study_trials(s, &t, &n);
    CHECK(n == 10);
    /* Interval 0: find the best and the worst member. */
    int best = -1, worst = -1;
    double bx = 1e9, wx = -1, x;
    for (int i = 0; i < 5; i++) {
        hpo_trial_param(t[i], "x", &x);
        int m = atoi(hpo_trial_user_attr(t[i], "pbt_member"));
        if (x < bx)
            bx = x, best = m;
        if (x > wx)
            wx = x, worst = m;
    }
    for (int i = 5; i < 10; i++) {
        int m = atoi(hpo_trial_user_attr(t[i], "pbt_member"));
        hpo_trial_param(t[i], "x", &x);
        int parent = atoi(hpo_trial_user_attr(t[i], "pbt_parent"));
        char want[64];
        if (m == worst) {
            CHECK(parent == best);
            CHECK(x == bx * 0.8 || x == bx * 1.2);
            snprintf(want, sizeof want, "member %d trial", best);
        } else {
            CHECK(parent == -1);
            double x0;
            hpo_trial_param(t[m], "x", &x0);
            CHECK(x == x0); /* the others go on as they were */
            snprintf(want, sizeof want, "member %d trial", m);
        }
        CHECK_STR_CONTAINS(loaded[m][1], want);
    }
    /* Only the survivors' checkpoints are left. */
    CHECK(count_files() == 5);
    hpo_trial **sv;
    int ns;
    CHECK_RC(hpo_pbt_survivors(s, &sv, &ns), HPO_OK);
    CHECK(ns == 5);
    for (int i = 0; i < ns; i++) {
        CHECK(strcmp(hpo_trial_user_attr(sv[i], "pbt_interval"), "1") == 0);
        struct stat sb;
        char path[512];
        hpo__pbt_attr_str(sv[i], "checkpoint", path, sizeof path);
        CHECK(stat(path, &sb) == 0);
    }
    hpo_trials_free(sv, ns);
    char *text;
    CHECK_RC(hpo_pbt_lineage(s, &text), HPO_OK);
    char want[64];
    snprintf(want, sizeof want, "<- copied member %d", best);
    CHECK_STR_CONTAINS(text, want);
    CHECK_STR_CONTAINS(text, "[survivor]");
    free(text);
    hpo_trials_free(t, n);
    hpo_pbt_free(p);
    hpo_study_free(s);
}

/* ---- failures --------------------------------------------------------------- */

typedef struct flaky {
    int mode; /* 0 error, 1 nan, 2 no checkpoint */
    int calls;
} flaky;

/* Member 1 fails its interval 1 twice, once by each way of failing. */
static int flaky_trainer(hpo_trial *t, int member, const char *in,
                         const char *out, double *score, void *data)
{
    flaky *f = data;
    const char *ks = hpo_trial_user_attr(t, "pbt_interval");
    if (member == 1 && ks && atoi(ks) == 1 && f->calls < 2) {
        int mode = (f->mode + f->calls++) % 3;
        if (mode == 0)
            return HPO_EFAIL;
        *score = mode == 1 ? NAN : 1;
        if (mode == 1) {
            FILE *o = fopen(out, "w");
            fclose(o);
        }
        return HPO_OK;
    }
    return copy_trainer(t, member, in, out, score, NULL);
}

static void check_flaky(int mode)
{
    fresh_dir("flaky");
    const char *params[] = {"x=float:0:100"};
    hpo_storage *st;
    hpo_study *s = study_with(params, 1, NULL, &st);
    hpo_pbt *p;
    flaky f = {mode, 0};
    CHECK_RC(hpo_pbt_new(&p, s, "pbt:population=4,intervals=3", dir), HPO_OK);
    CHECK_RC(hpo_pbt_run(p, flaky_trainer, &f, 1), HPO_OK);
    hpo_trial **t;
    int n, fails = 0, first = -1, second = -1, third = -1;
    hpo_study_trials(s, &t, &n);
    CHECK(n == 14);
    for (int i = 0; i < n; i++) {
        if (atoi(hpo_trial_user_attr(t[i], "pbt_member")) != 1 ||
            atoi(hpo_trial_user_attr(t[i], "pbt_interval")) != 1)
            continue;
        if (hpo_trial_state_of(t[i]) == HPO_FAIL) {
            fails++;
            CHECK(hpo_trial_user_attr(t[i], "fail_reason") != NULL);
        }
        int a = atoi(hpo_trial_user_attr(t[i], "pbt_attempt"));
        if (a == 0)
            first = i;
        else if (a == 1)
            second = i;
        else
            third = i;
    }
    CHECK(fails == 2);
    CHECK(first >= 0 && second >= 0 && third >= 0);
    if (first >= 0 && second >= 0) { /* the retry: same start, same params */
        CHECK(strcmp(hpo_trial_user_attr(t[first], "checkpoint_in"),
                     hpo_trial_user_attr(t[second], "checkpoint_in")) == 0);
        CHECK(hpo_trial_param_value(t[first], 0) ==
              hpo_trial_param_value(t[second], 0));
    }
    if (third >= 0) { /* then replaced by exploit */
        CHECK(hpo_trial_state_of(t[third]) == HPO_COMPLETE);
        CHECK(atoi(hpo_trial_user_attr(t[third], "pbt_parent")) != -1);
    }
    CHECK(count_files() == 4);
    hpo_trials_free(t, n);
    hpo_pbt_free(p);
    hpo_study_free(s);
}

static void test_failed_intervals(void)
{
    check_flaky(0); /* an error, then a NaN score */
    check_flaky(1); /* a NaN score, then no checkpoint */
}

/* A trainer that always fails stops the run with a clear message. */
static int broken_trainer(hpo_trial *t, int member, const char *in,
                          const char *out, double *score, void *data)
{
    (void)t, (void)member, (void)in, (void)out, (void)score, (void)data;
    return HPO_EFAIL;
}

static void test_always_failing(void)
{
    fresh_dir("broken");
    const char *params[] = {"x=float:0:1"};
    hpo_storage *st;
    hpo_study *s = study_with(params, 1, NULL, &st);
    hpo_pbt *p;
    CHECK_RC(hpo_pbt_new(&p, s, "pbt:population=3,intervals=2", dir), HPO_OK);
    CHECK_RC(hpo_pbt_run(p, broken_trainer, NULL, 1), HPO_EFAIL);
    CHECK_STR_CONTAINS(hpo_pbt_errmsg(p), "failed 3 times at interval 0");
    hpo_pbt_free(p);
    hpo_study_free(s);
}

/* ---- the toy problem ---------------------------------------------------------- */

static double best_of(hpo_study *s)
{
    hpo_trial **sv;
    int n;
    double best = INFINITY;
    hpo_pbt_survivors(s, &sv, &n);
    for (int i = 0; i < n; i++)
        best = fmin(best, hpo_trial_value(sv[i], 0));
    hpo_trials_free(sv, n);
    return best;
}

static double random_search(uint64_t seed, int members, int intervals)
{
    hpo_space *sp = hpo_space_new();
    hpo_space_parse_param(sp, "lr=float:1e-4:1:log");
    hpo__rng r;
    hpo__rng_seed(&r, seed);
    double best = INFINITY;
    for (int m = 0; m < members; m++) {
        double lr, w = 1, score = 0;
        hpo__pbt_sample(sp, &r, &lr);
        for (int k = 0; k < intervals; k++)
            score = pbt_toy_interval(&w, lr);
        best = fmin(best, score);
    }
    hpo_space_free(sp);
    return best;
}

/* Median-free comparison: PBT (or PB2) against random search with the
 * same members and the same total intervals, seed by seed. */
static int wins_over_random(const char *spec)
{
    const char *params[] = {"lr=float:1e-4:1:log"};
    int wins = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        fresh_dir("toy");
        hpo_storage *st;
        hpo_study *s = study_seeded(params, 1, NULL, &st, seed);
        hpo_pbt *p;
        CHECK_RC(hpo_pbt_new(&p, s, spec, dir), HPO_OK);
        CHECK_RC(hpo_pbt_run(p, pbt_toy_train, NULL, 1), HPO_OK);
        double pbt = best_of(s), rnd = random_search(seed, 8, 20);
        wins += pbt < rnd;
        fprintf(stderr, "%s seed %llu: %.3g, random %.3g\n", spec,
                (unsigned long long)seed, pbt, rnd);
        hpo_pbt_free(p);
        hpo_study_free(s);
    }
    return wins;
}

static void test_beats_random(void)
{
    CHECK(wins_over_random("pbt:population=8,intervals=20") >= 4);
}

static void test_pb2_beats_random(void)
{
    CHECK(wins_over_random("pbt:population=8,intervals=20,explore=pb2") >= 4);
}

/* Two threads on one SQLite study share the population: every member
 * trains each interval exactly once. */
static void test_sqlite_threads(void)
{
    fresh_dir("sqlite");
    char url[512];
    snprintf(url, sizeof url, "sqlite:///%s.db", dir);
    char db[300];
    snprintf(db, sizeof db, "%s.db", dir);
    remove(db);
    const char *params[] = {"lr=float:1e-4:1:log"};
    hpo_storage *st;
    hpo_study *s = study_with(params, 1, url, &st);
    hpo_pbt *p;
    CHECK_RC(hpo_pbt_new(&p, s, "pbt:population=4,intervals=3", dir), HPO_OK);
    CHECK_RC(hpo_pbt_run(p, pbt_toy_train, NULL, 2), HPO_OK);
    int counts[5];
    hpo_study_count_trials(s, counts);
    CHECK(counts[HPO_COMPLETE] == 12 && counts[HPO_FAIL] == 0);
    CHECK(count_files() == 4);
    hpo_pbt_free(p);
    hpo_study_free(s);
    hpo_storage_close(st);
    remove(db);
}

/* A member taken by a worker that died before creating its trial (the
 * claim is there, no trial is) is taken over once the claim is old. */
static void test_stale_claim(void)
{
    fresh_dir("stale");
    const char *params[] = {"x=float:0:100"};
    hpo_storage *st;
    hpo_study *s = study_with(params, 1, NULL, &st);
    CHECK_RC(hpo_study_set_system_attr(s, "pbt:member:1", "[0,0,1000.0]"),
             HPO_OK);
    hpo_pbt *p;
    CHECK_RC(hpo_pbt_new(&p, s, "pbt:population=3,intervals=2", dir), HPO_OK);
    CHECK_RC(hpo_pbt_run(p, copy_trainer, NULL, 1), HPO_OK);
    int counts[5];
    hpo_study_count_trials(s, counts);
    CHECK(counts[HPO_COMPLETE] == 6);
    hpo_pbt_free(p);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_options);
    RUN(test_perturb_odds);
    RUN(test_perturb_bounds);
    RUN(test_exploit_copies_best);
    RUN(test_failed_intervals);
    RUN(test_always_failing);
    RUN(test_beats_random);
    RUN(test_pb2_beats_random);
    RUN(test_sqlite_threads);
    RUN(test_stale_claim);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return CHECK_DONE();
}
