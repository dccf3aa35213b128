/*
 * test_halving.c — the arithmetic of successive halving, ASHA and Hyperband
 * (src/pruners/halving.c) against Li et al., "Hyperband: A Novel
 * Bandit-Based Approach to Hyperparameter Optimization", JMLR 18(185),
 * 2018 (Table 1: R = 81, eta = 3), Li et al., "A System for Massively
 * Parallel Hyperparameter Tuning", MLSys 2020 (ASHA's promotions), and
 * Optuna 3.1's SuccessiveHalvingPruner / HyperbandPruner (their rules, and
 * bracket ids printed by Optuna 3.1.0 itself).
 */
#include <stdint.h>

#include "check.h"
#include "pruners/halving.h"

/* Table 1 of Li et al. 2018, hand-copied: bracket s, round i -> (n_i, r_i). */
static const struct {
    int s, i;
    int64_t n_i;
    double r_i;
} paper_table[] = {
    {4, 0, 81, 1},  {4, 1, 27, 3},  {4, 2, 9, 9},  {4, 3, 3, 27}, {4, 4, 1, 81},
    {3, 0, 34, 3},  {3, 1, 11, 9},  {3, 2, 3, 27}, {3, 3, 1, 81},
    {2, 0, 15, 9},  {2, 1, 5, 27},  {2, 2, 1, 81},
    {1, 0, 8, 27},  {1, 1, 2, 81},
    {0, 0, 5, 81},
};

static void test_paper_table(void)
{
    hpo__msg m = {0};
    hpo__hyperband hb;
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, 3, &m), HPO_OK);
    CHECK(hb.n_brackets == 5);
    int n = (int)(sizeof paper_table / sizeof paper_table[0]);
    for (int k = 0; k < n; k++) {
        int64_t n_i = -1;
        double r_i = -1;
        CHECK_RC(hpo__hyperband_round(&hb, paper_table[k].s, paper_table[k].i,
                                      &n_i, &r_i, &m), HPO_OK);
        if (n_i != paper_table[k].n_i || r_i != paper_table[k].r_i)
            fprintf(stderr, "bracket %d round %d: n_i %lld r_i %g\n",
                    paper_table[k].s, paper_table[k].i, (long long)n_i, r_i);
        CHECK(n_i == paper_table[k].n_i);
        CHECK(r_i == paper_table[k].r_i);
    }
    /* Every round of every bracket is in the table: 5 + 4 + 3 + 2 + 1. */
    CHECK(n == 15);
    int64_t n_i;
    double r_i;
    CHECK_RC(hpo__hyperband_round(&hb, 5, 0, &n_i, &r_i, &m), HPO_EINVAL);
    CHECK_RC(hpo__hyperband_round(&hb, 2, 3, &n_i, &r_i, &m), HPO_EINVAL);
    CHECK_RC(hpo__hyperband_round(&hb, -1, 0, &n_i, &r_i, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "brackets are 0..4");
    /* Optuna's allocation budgets (ids 0..4) are the paper's n of
     * s = 4..0: [81, 34, 15, 8, 5], printed by Optuna 3.1.0. */
    CHECK(hb.n[4] == 81 && hb.n[3] == 34 && hb.n[2] == 15 && hb.n[1] == 8 &&
          hb.n[0] == 5 && hb.total == 143);
    hpo__msg_free(&m);
}

/* Optuna's bracket id b runs successive halving with rate b; with R / r a
 * power of eta its rungs are the paper's rounds of bracket s = s_max - b. */
static void test_brackets_are_rates(void)
{
    hpo__msg m = {0};
    hpo__hyperband hb;
    CHECK_RC(hpo__hyperband_init(&hb, 2, 162, 3, &m), HPO_OK);
    CHECK(hb.n_brackets == 5);
    for (int b = 0; b < hb.n_brackets; b++) {
        hpo__sha sha;
        hpo__hyperband_sha(&hb, b, &sha);
        CHECK(sha.min_resource == 2 && sha.eta == 3 && sha.rate == b);
        int s = hb.n_brackets - 1 - b;
        for (int i = 0; i <= s; i++) {
            int64_t step, n_i;
            double r_i;
            CHECK_RC(hpo__sha_rung_step(&sha, i, &step, &m), HPO_OK);
            CHECK_RC(hpo__hyperband_round(&hb, s, i, &n_i, &r_i, &m), HPO_OK);
            CHECK(r_i == (double)step);
        }
    }
    hpo__msg_free(&m);
}

/* s_max = floor(log_eta(R / r)) exactly.  Optuna 3.1 takes math.log in
 * floating point and makes 5 brackets for R = 243, eta = 3 (log rounds to
 * 4.999...); the paper's rule, followed here, makes 6. */
static void test_bracket_count(void)
{
    static const struct {
        int64_t r, R, eta;
        int want;
    } cases[] = {
        {1, 243, 3, 6}, {1, 242, 3, 5}, {1, 244, 3, 6}, {1, 80, 3, 4},
        {2, 18, 3, 3},  {2, 17, 3, 2},  {5, 5, 3, 1},   {1, 100, 2, 7},
        {1, 125, 5, 4}, {1, 1000, 10, 4}, {2, 100, 2, 6},
        {1, INT64_C(1) << 40, 2, 41}, {1, (INT64_C(1) << 40) - 1, 2, 40},
    };
    hpo__msg m = {0};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        hpo__hyperband hb;
        CHECK_RC(hpo__hyperband_init(&hb, cases[k].r, cases[k].R, cases[k].eta,
                                     &m), HPO_OK);
        if (hb.n_brackets != cases[k].want)
            fprintf(stderr, "r %lld R %lld eta %lld: %d brackets\n",
                    (long long)cases[k].r, (long long)cases[k].R,
                    (long long)cases[k].eta, hb.n_brackets);
        CHECK(hb.n_brackets == cases[k].want);
    }
    /* 63 brackets of up to 63 * 2^62 / 63 trials: the budget overflows. */
    hpo__hyperband hb;
    CHECK_RC(hpo__hyperband_init(&hb, 1, INT64_MAX, 2, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "overflow");
    hpo__msg_free(&m);
}

/* Bracket ids as Optuna 3.1.0's HyperbandPruner._get_bracket_id gives
 * them for trials 0..19 (printed by /usr/bin/python3 with optuna 3.1.0). */
static void test_bracket_hash(void)
{
    static const struct {
        const char *study;
        int64_t r, R, eta;
        int ids[20];
    } cases[] = {
        {"hb-study", 1, 81, 3,
         {1, 0, 0, 0, 0, 0, 1, 0, 1, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"\xc3\xa9-study", 2, 100, 2, /* "é-study", UTF-8 */
         {1, 1, 4, 1, 3, 2, 0, 5, 0, 1, 0, 5, 1, 0, 1, 0, 0, 4, 3, 2}},
    };
    hpo__msg m = {0};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        hpo__hyperband hb;
        CHECK_RC(hpo__hyperband_init(&hb, cases[k].r, cases[k].R, cases[k].eta,
                                     &m), HPO_OK);
        for (int t = 0; t < 20; t++) {
            int id = hpo__hyperband_bracket_id(&hb, cases[k].study, t);
            if (id != cases[k].ids[t])
                fprintf(stderr, "%s trial %d: bracket %d, Optuna %d\n",
                        cases[k].study, t, id, cases[k].ids[t]);
            CHECK(id == cases[k].ids[t]);
        }
    }
    /* é-study's budgets, as Optuna prints them: [32, 20, 12, 8, 6, 6]. */
    hpo__hyperband hb;
    CHECK_RC(hpo__hyperband_init(&hb, 2, 100, 2, &m), HPO_OK);
    CHECK(hb.n[5] == 32 && hb.n[4] == 20 && hb.n[3] == 12 && hb.n[2] == 8 &&
          hb.n[1] == 6 && hb.n[0] == 6);
    /* Large trial numbers stay in range and are stable. */
    for (int64_t t = 1000000000000LL; t < 1000000000100LL; t++) {
        int id = hpo__hyperband_bracket_id(&hb, "s", t);
        CHECK(id >= 0 && id < hb.n_brackets);
        CHECK(id == hpo__hyperband_bracket_id(&hb, "s", t));
    }
    hpo__msg_free(&m);
}

static void test_hyperband_refuses(void)
{
    hpo__msg m = {0};
    hpo__hyperband hb;
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, 1, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "reduction_factor is 1, must be >= 2");
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, 0, &m), HPO_EINVAL);
    CHECK_RC(hpo__hyperband_init(&hb, 1, 81, -3, &m), HPO_EINVAL);
    CHECK_RC(hpo__hyperband_init(&hb, 0, 81, 3, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "min_resource is 0, must be >= 1");
    CHECK_RC(hpo__hyperband_init(&hb, -1, 81, 3, &m), HPO_EINVAL);
    CHECK_RC(hpo__hyperband_init(&hb, 10, 9, 3, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "max_resource 9 is below min_resource 10");
    CHECK_RC(hpo__hyperband_init(&hb, 1, 0, 3, &m), HPO_EINVAL);
    CHECK_RC(hpo__hyperband_init(&hb, 1, -81, 3, &m), HPO_EINVAL);
    hpo__msg_free(&m);
}

/* Rung steps min_resource * eta^(rate + k) and the rung of a step, for
 * several (min_resource, eta, rate) triples. */
static void test_rung_arithmetic(void)
{
    static const struct {
        int64_t r, eta, rate;
        int64_t steps[4];         /* rungs 0..3 */
        int64_t probe[6];         /* steps ... */
        int rung[6];              /* ... and their rungs */
    } cases[] = {
        {1, 3, 0, {1, 3, 9, 27}, {0, 1, 2, 3, 26, 27}, {0, 1, 1, 2, 3, 4}},
        {1, 4, 0, {1, 4, 16, 64}, {0, 3, 4, 15, 16, 1000}, {0, 1, 2, 2, 3, 5}},
        {2, 4, 1, {8, 32, 128, 512}, {0, 7, 8, 31, 32, 511}, {0, 0, 1, 1, 2, 3}},
        {5, 2, 0, {5, 10, 20, 40}, {4, 5, 9, 10, 39, 40}, {0, 1, 1, 2, 3, 4}},
        {3, 3, 2, {27, 81, 243, 729}, {0, 26, 27, 80, 81, 243}, {0, 0, 1, 1, 2, 3}},
    };
    hpo__msg m = {0};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        hpo__sha sha;
        CHECK_RC(hpo__sha_init(&sha, cases[c].r, cases[c].eta, cases[c].rate,
                               &m), HPO_OK);
        for (int k = 0; k < 4; k++) {
            int64_t step = -1;
            CHECK_RC(hpo__sha_rung_step(&sha, k, &step, &m), HPO_OK);
            CHECK(step == cases[c].steps[k]);
        }
        for (int k = 0; k < 6; k++) {
            int rung = -1;
            CHECK_RC(hpo__sha_rung_of_step(&sha, cases[c].probe[k], &rung, &m),
                     HPO_OK);
            if (rung != cases[c].rung[k])
                fprintf(stderr, "case %zu step %lld: rung %d\n", c,
                        (long long)cases[c].probe[k], rung);
            CHECK(rung == cases[c].rung[k]);
        }
    }
    /* The largest rungs: 2^62 fits, 2^63 does not. */
    hpo__sha sha;
    int64_t step;
    int rung;
    CHECK_RC(hpo__sha_init(&sha, 1, 2, 0, &m), HPO_OK);
    CHECK_RC(hpo__sha_rung_step(&sha, 62, &step, &m), HPO_OK);
    CHECK(step == INT64_C(1) << 62);
    CHECK_RC(hpo__sha_rung_step(&sha, 63, &step, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "exceeds 2^63");
    CHECK_RC(hpo__sha_rung_step(&sha, -1, &step, &m), HPO_EINVAL);
    CHECK_RC(hpo__sha_rung_of_step(&sha, INT64_MAX, &rung, &m), HPO_OK);
    CHECK(rung == 63);
    CHECK_RC(hpo__sha_rung_of_step(&sha, -1, &rung, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "step -1: steps are >= 0");
    char key[32];
    hpo__sha_rung_key(3, key, sizeof key);
    CHECK(strcmp(key, "completed_rung_3") == 0);
    hpo__msg_free(&m);
}

static void test_sha_refuses(void)
{
    hpo__msg m = {0};
    hpo__sha sha = {7, 7, 7};
    CHECK_RC(hpo__sha_init(&sha, 1, 1, 0, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "reduction_factor is 1, must be >= 2");
    CHECK_RC(hpo__sha_init(&sha, 0, 4, 0, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "min_resource is 0, must be >= 1");
    CHECK_RC(hpo__sha_init(&sha, -5, 4, 0, &m), HPO_EINVAL);
    CHECK_RC(hpo__sha_init(&sha, 1, 4, -1, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "min_early_stopping_rate is -1");
    CHECK(sha.min_resource == 7 && sha.eta == 7 && sha.rate == 7);
    hpo__msg_free(&m);
}

static void test_auto_resources(void)
{
    hpo__msg m = {0};
    int64_t out = -1;
    CHECK_RC(hpo__sha_auto_min_resource(NULL, 0, &out, &m), HPO_OK);
    CHECK(out == 0);
    static const struct {
        int64_t steps[3];
        int n;
        int64_t min_r, max_r;
    } cases[] = {
        {{0}, 1, 1, 1},          {{99}, 1, 1, 100},
        {{199}, 1, 1, 200},      {{200}, 1, 2, 201},
        {{250, 1000, 7}, 3, 10, 1001}, {{242}, 1, 2, 243},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        CHECK_RC(hpo__sha_auto_min_resource(cases[c].steps, cases[c].n, &out,
                                            &m), HPO_OK);
        CHECK(out == cases[c].min_r);
        CHECK_RC(hpo__hyperband_auto_max_resource(cases[c].steps, cases[c].n,
                                                  &out, &m), HPO_OK);
        CHECK(out == cases[c].max_r);
    }
    CHECK_RC(hpo__hyperband_auto_max_resource(NULL, 0, &out, &m), HPO_OK);
    CHECK(out == 0);
    int64_t bad[2] = {10, -1};
    CHECK_RC(hpo__sha_auto_min_resource(bad, 2, &out, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "last step -1");
    CHECK_RC(hpo__hyperband_auto_max_resource(bad, 2, &out, &m), HPO_EINVAL);
    int64_t huge = INT64_MAX;
    CHECK_RC(hpo__hyperband_auto_max_resource(&huge, 1, &out, &m), HPO_EINVAL);
    hpo__msg_free(&m);
}

/* Promote value among the rung's other values? -1 on error. */
static int promote(const hpo__rung *r, double v, int64_t eta, int64_t boot,
                   hpo_direction d)
{
    hpo__msg m = {0};
    int p = -1;
    if (hpo__rung_promotable(r, v, eta, boot, d, &p, &m) != HPO_OK)
        p = -1;
    hpo__msg_free(&m);
    return p;
}

static void add(hpo__rung *r, double v)
{
    hpo__msg m = {0};
    CHECK_RC(hpo__rung_add(r, v, &m), HPO_OK);
    hpo__msg_free(&m);
}

/* ASHA, eta = 3, minimize: trials reach rung 0 in the order 2, 0, 4, 1, 3,
 * 6, 5 (not their numbers' order), each decided when it arrives, then
 * recorded.  The same value is judged differently as the rung fills. */
static void test_asha_out_of_order(void)
{
    static const struct {
        int trial;
        double value;
        int promote; /* Optuna 3.1's answer at that moment */
    } seq[] = {
        {2, 0.50, 1}, /* alone: the best so far goes on */
        {0, 0.70, 0}, /* n = 2, idx 0: 0.50 is better */
        {4, 0.30, 1}, /* n = 3, idx 0: new best */
        {1, 0.40, 0}, /* n = 4, idx 0: 0.30 better */
        {3, 0.90, 0}, /* n = 5, idx 0 */
        {6, 0.40, 1}, /* n = 6, idx 1: only 0.30 is better: goes on */
        {5, 0.45, 0}, /* n = 7, idx 1: 0.30, 0.40, 0.40 better */
    };
    hpo__rung r = {0};
    for (size_t k = 0; k < sizeof seq / sizeof seq[0]; k++) {
        int p = promote(&r, seq[k].value, 3, 0, HPO_MINIMIZE);
        if (p != seq[k].promote)
            fprintf(stderr, "trial %d value %g: %d\n", seq[k].trial,
                    seq[k].value, p);
        CHECK(p == seq[k].promote);
        add(&r, seq[k].value);
    }
    /* A late trial with 0.40 (the value trial 1 was stopped with) now goes
     * on when the rung has filled with worse ones: n = 9, idx 2. */
    add(&r, 0.95);
    CHECK(promote(&r, 0.40, 3, 0, HPO_MINIMIZE) == 1);
    add(&r, 0.10);
    add(&r, 0.20);
    CHECK(promote(&r, 0.40, 3, 0, HPO_MINIMIZE) == 0); /* n = 11, idx 2 */
    for (int k = 1; k < r.n; k++)
        CHECK(r.v[k - 1] <= r.v[k]);
    hpo__rung_free(&r);
    CHECK(r.v == NULL && r.n == 0 && r.cap == 0);
}

static void test_ties_and_maximize(void)
{
    hpo__rung r = {0};
    add(&r, 1);
    add(&r, 1);
    add(&r, 1);
    /* n = 4, idx 0: a tie with the best promotes, in both directions. */
    CHECK(promote(&r, 1, 3, 0, HPO_MINIMIZE) == 1);
    CHECK(promote(&r, 1, 3, 0, HPO_MAXIMIZE) == 1);
    add(&r, 0);
    add(&r, 2);
    /* {0, 1, 1, 1, 2} + ours: n = 6, idx 1. */
    CHECK(promote(&r, 1, 3, 0, HPO_MINIMIZE) == 1);  /* only 0 is better */
    CHECK(promote(&r, 1, 3, 0, HPO_MAXIMIZE) == 1);  /* only 2 is better */
    CHECK(promote(&r, 1.5, 3, 0, HPO_MINIMIZE) == 0);
    CHECK(promote(&r, 1.5, 3, 0, HPO_MAXIMIZE) == 1);
    CHECK(promote(&r, 0.5, 3, 0, HPO_MAXIMIZE) == 0);
    CHECK(promote(&r, 0.5, 3, 0, HPO_MINIMIZE) == 1);
    /* eta = 2: n = 6, idx 2: the top half. */
    CHECK(promote(&r, 1, 2, 0, HPO_MAXIMIZE) == 1);
    CHECK(promote(&r, 0.5, 2, 0, HPO_MAXIMIZE) == 0);
    /* Infinities are ordered values. */
    CHECK(promote(&r, -INFINITY, 3, 0, HPO_MINIMIZE) == 1);
    CHECK(promote(&r, INFINITY, 3, 0, HPO_MAXIMIZE) == 1);
    CHECK(promote(&r, INFINITY, 3, 0, HPO_MINIMIZE) == 0);
    add(&r, INFINITY);
    add(&r, -INFINITY);
    CHECK(r.v[0] == -INFINITY && r.v[r.n - 1] == INFINITY);
    hpo__rung_free(&r);
}

/* n <= bootstrap_count values at the rung (its own included): no promotion. */
static void test_bootstrap(void)
{
    hpo__rung r = {0};
    CHECK(promote(&r, 0, 3, 2, HPO_MINIMIZE) == 0);
    add(&r, 5);
    CHECK(promote(&r, 0, 3, 2, HPO_MINIMIZE) == 0);
    add(&r, 6);
    CHECK(promote(&r, 0, 3, 2, HPO_MINIMIZE) == 1);
    CHECK(promote(&r, 0, 3, 3, HPO_MINIMIZE) == 0);
    hpo__rung_free(&r);
}

/* Optuna's _is_trial_promotable_to_next_rung, literally: sort every
 * competing value (the others and ours) and index. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int optuna_rule(const double *others, int n_others, double v,
                       int64_t eta, int64_t boot, hpo_direction d)
{
    double all[64];
    memcpy(all, others, (size_t)n_others * sizeof *all);
    all[n_others] = v;
    int n = n_others + 1;
    if (n <= boot)
        return 0;
    int idx = (int)(n / eta) - 1;
    if (idx == -1)
        idx = 0;
    qsort(all, (size_t)n, sizeof *all, cmp_double);
    return d == HPO_MAXIMIZE ? v >= all[n - 1 - idx] : v <= all[idx];
}

/* Many random sequences with many ties: the incremental decision equals
 * Optuna's sort-and-index at every step. */
static void test_matches_optuna_rule(void)
{
    uint64_t x = 12345;
    int mismatches = 0, decisions = 0;
    for (int seq = 0; seq < 400; seq++) {
        hpo__rung r = {0};
        double others[64];
        int64_t eta = 2 + seq % 4, boot = seq % 7 == 0 ? seq % 5 : 0;
        hpo_direction d = seq % 2 ? HPO_MAXIMIZE : HPO_MINIMIZE;
        for (int k = 0; k < 40; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            double v = (double)((x >> 33) % 9) / 4; /* 9 levels: ties */
            decisions++;
            if (promote(&r, v, eta, boot, d) !=
                optuna_rule(others, k, v, eta, boot, d))
                mismatches++;
            others[k] = v;
            add(&r, v);
        }
        hpo__rung_free(&r);
    }
    CHECK(decisions == 16000);
    CHECK(mismatches == 0);
}

static void test_rung_refuses(void)
{
    hpo__msg m = {0};
    hpo__rung r = {0};
    int p = 7;
    CHECK_RC(hpo__rung_add(&r, NAN, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "NaN");
    CHECK(r.n == 0);
    add(&r, 1);
    CHECK_RC(hpo__rung_promotable(&r, NAN, 3, 0, HPO_MINIMIZE, &p, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "NaN");
    CHECK_RC(hpo__rung_promotable(&r, 1, 1, 0, HPO_MINIMIZE, &p, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "reduction_factor is 1");
    CHECK_RC(hpo__rung_promotable(&r, 1, 3, 0, (hpo_direction)0, &p, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "neither minimize nor maximize");
    CHECK(p == 7);
    hpo__rung_free(&r);
    hpo__msg_free(&m);
}

int main(void)
{
    RUN(test_paper_table);
    RUN(test_brackets_are_rates);
    RUN(test_bracket_count);
    RUN(test_bracket_hash);
    RUN(test_hyperband_refuses);
    RUN(test_rung_arithmetic);
    RUN(test_sha_refuses);
    RUN(test_auto_resources);
    RUN(test_asha_out_of_order);
    RUN(test_ties_and_maximize);
    RUN(test_bootstrap);
    RUN(test_matches_optuna_rule);
    RUN(test_rung_refuses);
    return CHECK_DONE();
}
