/*
 * test_nsga_sampler.c — the nsga2 and nsga3 samplers through the study
 * API: the parents chosen by fronts and crowding distance on a
 * hand-checked example, constrained domination, ZDT1's hypervolume beyond
 * random search's, NSGA-III's spread over DTLZ2's front, one objective,
 * exact mixed domains, the population in an SQLite file (reopened, shared
 * by two handles, a changed space), a corrupt state and bad options.
 */
#include <cJSON.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"
#include "mixed_domains.h"
#include "problems.h"

static hpo_study *study(const char *spec, uint64_t seed, const hpo_space *sp,
                        int n_obj)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    if (sp)
        CHECK_RC(hpo_study_set_space(s, sp), HPO_OK);
    for (int i = 0; i < n_obj; i++)
        CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    return s;
}

/* A space of n floats x0 .. x{n-1} in [0, 1]. */
static hpo_space *box(int n)
{
    hpo_space *sp = hpo_space_new();
    for (int i = 0; i < n; i++) {
        char spec[32];
        snprintf(spec, sizeof spec, "x%d=float:0:1", i);
        CHECK_RC(hpo_space_parse_param(sp, spec), HPO_OK);
    }
    return sp;
}

/* Ask a trial and read its n box parameters into x. */
static hpo_trial *ask(hpo_study *s, int n, double *x)
{
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
    if (!t)
        return NULL;
    CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", i);
        CHECK(hpo_trial_param(t, name, &x[i]) == 1);
    }
    return t;
}

static void tell(hpo_study *s, hpo_trial *t, const double *v, int n)
{
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, v, n), HPO_OK);
    hpo_trial_free(t);
}

/* The stored state of sampler `name`, parsed (NULL when absent). */
static cJSON *state_of(hpo_study *s, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "hpo:%s:state", name);
    const char *text = hpo_study_system_attr(s, key);
    return text ? cJSON_Parse(text) : NULL;
}

static double generation_of(const cJSON *root)
{
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(root, "generation");
    return cJSON_IsNumber(g) ? g->valuedouble : -1;
}

/* The i-th number of state's array `key` (NaN for null or absent). */
static double state_at(const cJSON *root, const char *key, int i)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "state");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, key);
    const cJSON *x = cJSON_GetArrayItem(a, i);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static int n_parents(const cJSON *root)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "state");
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "parents"));
}

/* The parent trial numbered `number`'s position in the state, or -1. */
static int parent_pos(const cJSON *root, int number)
{
    for (int i = 0; i < n_parents(root); i++)
        if (state_at(root, "parents", i) == number)
            return i;
    return -1;
}

/* The generation a trial joined, from its member attribute key (-1: none). */
static double member_generation_of(hpo_trial *t, const char *key)
{
    const char *text = hpo_trial_system_attr(t, key);
    cJSON *a = text ? cJSON_Parse(text) : NULL;
    double g = generation_of(a);
    cJSON_Delete(a);
    return g;
}

/* ---- the selection, hand-checked ------------------------------------------ */

/* Ask n trials of one generation and tell them the given values. */
static void generation(hpo_study *s, const double (*v)[2], int n)
{
    hpo_trial *t[8];
    double x[1];
    for (int i = 0; i < n; i++)
        t[i] = ask(s, 1, x);
    for (int i = 0; i < n; i++)
        tell(s, t[i], v[i], 2);
}

/*
 * Population 4.  Generation 0: A (1,4), B (2,2), C (4,1), D (3,3): fronts
 * {A,B,C} {D}, all four kept; crowding A, C and D infinite, B
 * (4-1)/3 + (4-1)/3 = 2.  Generation 1: E (1.5,1.5), F (5,5), G (0.5,6),
 * H (6,0.2).  Front 0 of the eight is {A, C, E, G, H}, one too many: the
 * crowding distances (ranges 5.5 and 5.8) are G, H infinite, E 3/5.5 +
 * 3/5.8 = 1.0627, C 4.5/5.5 + 1.3/5.8 = 1.0423, A 1/5.5 + 4.5/5.8 = 0.9577:
 * A goes.
 */
static void test_selection_by_fronts_and_crowding(void)
{
    hpo_space *sp = box(1);
    hpo_study *s = study("nsga2:population_size=4", 1, sp, 2);
    CHECK_RC(hpo_study_open(s, "sel", HPO_OPEN_CREATE), HPO_OK);
    const double g0[4][2] = {{1, 4}, {2, 2}, {4, 1}, {3, 3}};
    const double g1[4][2] = {{1.5, 1.5}, {5, 5}, {0.5, 6}, {6, 0.2}};
    generation(s, g0, 4);
    generation(s, g1, 4); /* its first ask makes generation 1 */
    cJSON *st1 = state_of(s, "nsga2");
    double x[1];
    tell(s, ask(s, 1, x), (double[2]){9, 9}, 2); /* makes generation 2 */
    cJSON *st2 = state_of(s, "nsga2");
    CHECK(generation_of(st1) == 1 && generation_of(st2) == 2);
    CHECK(n_parents(st1) == 4 && n_parents(st2) == 4);
    /* generation 1's parents: trials 0-3 */
    CHECK(state_at(st1, "rank", parent_pos(st1, 1)) == 0);
    CHECK(state_at(st1, "rank", parent_pos(st1, 3)) == 1);
    CHECK_NEAR(state_at(st1, "crowding", parent_pos(st1, 1)), 2, 1e-12);
    CHECK(isnan(state_at(st1, "crowding", parent_pos(st1, 0))));
    CHECK(isnan(state_at(st1, "crowding", parent_pos(st1, 3))));
    /* generation 2's: C, E, G, H = trials 2, 4, 6, 7 */
    CHECK(parent_pos(st2, 0) < 0 && parent_pos(st2, 2) >= 0 &&
          parent_pos(st2, 4) >= 0 && parent_pos(st2, 6) >= 0 &&
          parent_pos(st2, 7) >= 0);
    for (int i = 0; i < 4; i++)
        CHECK(state_at(st2, "rank", i) == 0);
    CHECK_NEAR(state_at(st2, "crowding", parent_pos(st2, 4)),
               3 / 5.5 + 3 / 5.8, 1e-12);
    CHECK_NEAR(state_at(st2, "crowding", parent_pos(st2, 2)),
               4.5 / 5.5 + 1.3 / 5.8, 1e-12);
    cJSON_Delete(st1);
    cJSON_Delete(st2);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* Population 2.  Generation 0: A (1,1) violating by 1, B (5,5) feasible;
 * generation 1: C (0.5,0.5) violating by 2, D (6,6) feasible.  C and A
 * dominate in objectives, but constrained domination keeps B and D. */
static void test_constrained_domination(void)
{
    hpo_space *sp = box(1);
    hpo_study *s = study("nsga2:population_size=2", 2, sp, 2);
    CHECK_RC(hpo_study_open(s, "cons", HPO_OPEN_CREATE), HPO_OK);
    const double v[4][2] = {{1, 1}, {5, 5}, {0.5, 0.5}, {6, 6}};
    const double c[4] = {1, -1, 2, 0};
    double x[1];
    for (int g = 0; g < 2; g++) {
        hpo_trial *t[2] = {ask(s, 1, x), ask(s, 1, x)};
        for (int i = 0; i < 2; i++) {
            CHECK_RC(hpo_trial_set_constraints(t[i], &c[2 * g + i], 1),
                     HPO_OK);
            tell(s, t[i], v[2 * g + i], 2);
        }
    }
    tell(s, ask(s, 1, x), (double[2]){9, 9}, 2);
    cJSON *st = state_of(s, "nsga2");
    CHECK(generation_of(st) == 2);
    CHECK(parent_pos(st, 1) >= 0 && parent_pos(st, 3) >= 0);
    CHECK(state_at(st, "rank", parent_pos(st, 1)) == 0);
    CHECK(state_at(st, "rank", parent_pos(st, 3)) == 1);
    cJSON_Delete(st);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* A conditional space: each trial suggests only its branch's parameter;
 * the other branch's gene is random when a child switches branch. */
static void test_conditional_space(void)
{
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(sp, "kind=cat:a,b"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(sp, "xa=float:0:1:if=kind=a"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(sp, "xb=float:0:1:if=kind=b"), HPO_OK);
    hpo_study *s = study("nsga2:population_size=10", 10, sp, 0);
    CHECK_RC(hpo_study_open(s, "cond", HPO_OPEN_CREATE), HPO_OK);
    double best = INFINITY;
    for (int k = 0; k < 200; k++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        double kind = NAN, xa = NAN, xb = NAN;
        CHECK(hpo_trial_param(t, "kind", &kind) == 1);
        int a = hpo_trial_param(t, "xa", &xa) == 1;
        int b = hpo_trial_param(t, "xb", &xb) == 1;
        CHECK(a == (kind == 0) && b == (kind == 1));
        double y = a ? 0.1 + (xa - 0.3) * (xa - 0.3) : (xb - 0.7) * (xb - 0.7);
        best = fmin(best, y);
        tell(s, t, &y, 1);
    }
    fprintf(stderr, "  conditional space: best %g after 200 trials\n", best);
    CHECK(best < 1e-3);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* More workers than the population: 15 asks before any tell over-fill
 * generation 0, and all 15 compete for its 10 places. */
static void test_overfilled_generation(void)
{
    hpo_space *sp = box(1);
    hpo_study *s = study("nsga2:population_size=10", 11, sp, 0);
    CHECK_RC(hpo_study_open(s, "over", HPO_OPEN_CREATE), HPO_OK);
    hpo_trial *t[15];
    double x[1];
    for (int i = 0; i < 15; i++) {
        t[i] = ask(s, 1, x);
        CHECK(member_generation_of(t[i], "hpo:nsga2:member") == 0);
    }
    for (int i = 0; i < 15; i++) {
        double y = 15 - i; /* the later trials are the better */
        tell(s, t[i], &y, 1);
    }
    hpo_trial *next = ask(s, 1, x);
    CHECK(member_generation_of(next, "hpo:nsga2:member") == 1);
    cJSON *st = state_of(s, "nsga2");
    CHECK(n_parents(st) == 10);
    for (int i = 0; i < 10; i++)
        CHECK(state_at(st, "parents", i) >= 5 && state_at(st, "rank", i) == i);
    cJSON_Delete(st);
    hpo_trial_free(next);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* ---- quality -------------------------------------------------------------- */

enum { ZDT_DIM = 30 };

static double zdt1_hypervolume(const char *spec, int n)
{
    hpo_space *sp = box(ZDT_DIM);
    hpo_study *s = study(spec, 3, sp, 2);
    CHECK_RC(hpo_study_open(s, "zdt1", HPO_OPEN_CREATE), HPO_OK);
    const bench_problem *p = bench_problem_find("zdt1");
    double *pts = malloc(sizeof(double) * 2 * (size_t)n), x[ZDT_DIM];
    for (int k = 0; k < n; k++) {
        hpo_trial *t = ask(s, ZDT_DIM, x);
        p->f(x, pts + 2 * k);
        tell(s, t, pts + 2 * k, 2);
    }
    double hv = bench_hypervolume2d(pts, n, p->ref);
    free(pts);
    hpo_study_free(s);
    hpo_space_free(sp);
    return hv;
}

/* The true front's hypervolume is 120.667; random search stays near 96. */
static void test_zdt1_hypervolume(void)
{
    double nsga = zdt1_hypervolume("nsga2", 2000);
    double random = zdt1_hypervolume("random", 2000);
    fprintf(stderr, "  zdt1, 2000 trials: nsga2 %.3f, random %.3f\n", nsga,
            random);
    CHECK(nsga > 112);
    CHECK(random < 105);
}

/* Every kind of domain, exactly legal; a categorical and the steps are
 * bred too, with either crossover and either mutation. */
static void test_mixed_domains(void)
{
    const char *specs[2] = {
        "nsga2:population_size=10",
        "nsga2:population_size=10,crossover=sbx,mutation=gaussian"};
    for (int i = 0; i < 2; i++) {
        hpo_space *sp = mixed_space();
        hpo_study *s = study(specs[i], 4, sp, 0);
        CHECK_RC(hpo_study_open(s, "mixed", HPO_OPEN_CREATE), HPO_OK);
        static double out[300][MIXED_PARAMS];
        double best = mixed_run(s, 300, out);
        fprintf(stderr, "  mixed domains, %s: best %g after 300 trials\n",
                specs[i], best);
        CHECK(best < 1);
        hpo_study_free(s);
        hpo_space_free(sp);
    }
}

/* One objective: the fronts are the values in order. */
static void test_one_objective(void)
{
    double best[2];
    const char *specs[2] = {"nsga2:population_size=20", "random"};
    for (int m = 0; m < 2; m++) {
        hpo_space *sp = box(5);
        hpo_study *s = study(specs[m], 6, sp, 0);
        CHECK_RC(hpo_study_open(s, "one", HPO_OPEN_CREATE), HPO_OK);
        best[m] = INFINITY;
        for (int k = 0; k < 600; k++) {
            double x[5], y = 0;
            hpo_trial *t = ask(s, 5, x);
            for (int i = 0; i < 5; i++)
                y += (x[i] - 0.3) * (x[i] - 0.3);
            best[m] = fmin(best[m], y);
            tell(s, t, &y, 1);
        }
        hpo_study_free(s);
        hpo_space_free(sp);
    }
    fprintf(stderr, "  sphere5, 600 trials: nsga2 %g, random %g\n", best[0],
            best[1]);
    CHECK(best[0] < 1e-3);
    CHECK(best[1] > 5e-3);
}

/* A maximised objective is negated: the population climbs. */
static void test_maximize(void)
{
    hpo_space *sp = box(3);
    hpo_study *s = study("nsga2:population_size=20", 13, sp, 0);
    CHECK_RC(hpo_study_add_direction(s, HPO_MAXIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "max", HPO_OPEN_CREATE), HPO_OK);
    double best = -INFINITY;
    for (int k = 0; k < 400; k++) {
        double x[3], y = 0;
        hpo_trial *t = ask(s, 3, x);
        for (int i = 0; i < 3; i++)
            y -= (x[i] - 0.7) * (x[i] - 0.7);
        best = fmax(best, y);
        tell(s, t, &y, 1);
    }
    fprintf(stderr, "  maximize: best %g after 400 trials\n", best);
    CHECK(best > -1e-3);
    hpo_study_free(s);
    hpo_space_free(sp);
}

/* DTLZ2 (bench/problems.c): 3 objectives, 12 variables; the front is the
 * unit sphere's positive octant. */
enum { DTLZ_DIM = 12 };

/* How many of the 91 reference lines (12 divisions) are nearest to one of
 * the final parents, and the parents' largest distance from the origin
 * (1 on the front).  At 4,600 trials (50 generations of 92) nsga3 covers
 * 89, nsga2 56: crowding distance does not spread a 3-D front. */
static int lines_covered(const char *spec, double *worst_norm)
{
    enum { N = 4600 };
    hpo_space *sp = box(DTLZ_DIM);
    hpo_study *s = study(spec, 7, sp, 3);
    CHECK_RC(hpo_study_open(s, "dtlz2", HPO_OPEN_CREATE), HPO_OK);
    static double f[N][3];
    for (int k = 0; k < N; k++) {
        double x[DTLZ_DIM];
        hpo_trial *t = ask(s, DTLZ_DIM, x);
        bench_problem_find("dtlz2")->f(x, f[k]);
        tell(s, t, f[k], 3);
    }
    cJSON *st = state_of(s, strncmp(spec, "nsga3", 5) ? "nsga2" : "nsga3");
    unsigned char hit[13][13] = {{0}};
    int lines = 0;
    *worst_norm = 0;
    for (int i = 0; i < n_parents(st); i++) {
        const double *y = f[(int)state_at(st, "parents", i)];
        double norm = sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2]);
        *worst_norm = fmax(*worst_norm, norm);
        int best_a = 0, best_b = 0;
        double best_d = INFINITY;
        for (int a = 0; a <= 12; a++)
            for (int b = 0; a + b <= 12; b++) {
                double w[3] = {a / 12.0, b / 12.0, (12 - a - b) / 12.0};
                double ww = 0, yw = 0;
                for (int k = 0; k < 3; k++)
                    ww += w[k] * w[k], yw += y[k] * w[k];
                double d = norm * norm - yw * yw / ww;
                if (d < best_d)
                    best_d = d, best_a = a, best_b = b;
            }
        lines += !hit[best_a][best_b];
        hit[best_a][best_b] = 1;
    }
    cJSON_Delete(st);
    hpo_study_free(s);
    hpo_space_free(sp);
    return lines;
}

static void test_nsga3_spreads_over_dtlz2(void)
{
    double norm3, norm2;
    int lines3 = lines_covered("nsga3", &norm3);
    int lines2 = lines_covered("nsga2:population_size=92", &norm2);
    fprintf(stderr, "  dtlz2, 4600 trials: lines nsga3 %d (|f| <= %.3f), "
            "nsga2 %d (|f| <= %.3f) of 91\n", lines3, norm3, lines2, norm2);
    CHECK(lines3 >= 75 && lines3 >= lines2 + 15);
    CHECK(norm3 < 1.1);
}

/* ---- the population in storage ------------------------------------------- */

static char db_dir[64], db_url[128];

static int make_db(const char *name)
{
    snprintf(db_dir, sizeof db_dir, "/tmp/hpo-nsga-XXXXXX");
    if (!mkdtemp(db_dir))
        return 0;
    snprintf(db_url, sizeof db_url, "sqlite:///%s/%s.db", db_dir, name);
    hpo_storage *st = NULL;
    int rc = hpo_storage_open(&st, db_url);
    hpo_storage_close(st);
    if (rc == HPO_EUNSUPPORTED)
        fprintf(stderr, "  (built without SQLite; skipped)\n");
    return rc == HPO_OK;
}

static void remove_db(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s.db", db_dir, name);
    unlink(path);
    rmdir(db_dir);
}

static hpo_study *on_file(hpo_storage **st, const hpo_space *sp, int flags)
{
    CHECK_RC(hpo_storage_open(st, db_url), HPO_OK);
    hpo_study *s = study("nsga2:population_size=10", 5, sp, 0);
    CHECK_RC(hpo_study_set_storage(s, *st), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "pop", flags), HPO_OK);
    return s;
}

static void front_values(const double *x, double *v)
{
    v[0] = x[0];
    v[1] = 1 - sqrt(x[0]) + x[1];
}

/* The generation the trial joined (-1: none). */
static double member_generation(hpo_trial *t)
{
    return member_generation_of(t, "hpo:nsga2:member");
}


/* A new handle on the file continues generation g; a changed space starts
 * a new population at g + 1. */
static void test_state_survives_reopening(void)
{
    if (!make_db("reopen"))
        return;
    hpo_space *sp = box(2);
    hpo_storage *st;
    hpo_study *s = on_file(&st, sp, HPO_OPEN_CREATE);
    for (int k = 0; k < 45; k++) {
        double x[2], v[2];
        hpo_trial *t = ask(s, 2, x);
        front_values(x, v);
        tell(s, t, v, 2);
    }
    cJSON *before = state_of(s, "nsga2");
    double g = generation_of(before);
    CHECK(g == 4);
    hpo_study_free(s);
    hpo_storage_close(st);

    s = on_file(&st, sp, HPO_OPEN_LOAD);
    double x[2];
    hpo_trial *t = ask(s, 2, x);
    CHECK(member_generation(t) == g);
    cJSON *after = state_of(s, "nsga2");
    CHECK(cJSON_Compare(before, after, 1));
    hpo_trial_free(t);
    hpo_study_free(s);
    hpo_storage_close(st);

    hpo_space *sp3 = box(3);
    s = on_file(&st, sp3, HPO_OPEN_LOAD);
    double x3[3];
    t = ask(s, 3, x3);
    cJSON *fresh = state_of(s, "nsga2");
    CHECK(generation_of(fresh) == g + 1 && n_parents(fresh) == 0);
    CHECK(member_generation(t) == g + 1);
    hpo_trial_free(t);
    cJSON_Delete(before);
    cJSON_Delete(after);
    cJSON_Delete(fresh);
    hpo_study_free(s);
    hpo_storage_close(st);
    hpo_space_free(sp);
    hpo_space_free(sp3);
    remove_db("reopen");
}

/* Define-by-run: the space is the parameters every completed trial has.
 * When later trials drop y it shrinks to {x}, and the same handle (whose
 * driver remembers the space it last found equal) starts a new
 * population. */
static void test_space_shrinks_in_one_handle(void)
{
    hpo_study *s = study("nsga2:population_size=5", 12, NULL, 0);
    CHECK_RC(hpo_study_open(s, "shrink", HPO_OPEN_CREATE), HPO_OK);
    double g_before = -1;
    for (int k = 0; k < 40; k++) {
        hpo_trial *t = NULL;
        double x, y = 0;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), HPO_OK);
        /* Trial 32, in the middle of a generation, is the first without
         * y; trial 33's ask sees the space shrink. */
        if (k < 32)
            CHECK_RC(hpo_trial_suggest_float(t, "y", 0, 1, 0, 0, &y), HPO_OK);
        cJSON *st = state_of(s, "nsga2");
        const cJSON *space = cJSON_GetObjectItemCaseSensitive(st, "space");
        if (k == 32)
            g_before = generation_of(st);
        if (k == 33) {
            CHECK(g_before >= 5 && generation_of(st) == g_before + 1);
            CHECK(cJSON_GetArraySize(space) == 1 &&
                  cJSON_GetObjectItemCaseSensitive(space, "x") != NULL);
            CHECK(n_parents(st) == 0);
        }
        cJSON_Delete(st);
        double v = x * x + y;
        tell(s, t, &v, 1);
    }
    hpo_study_free(s);
}

/* Two handles asking in turn fill the same generations. */
static void test_two_handles_share_a_population(void)
{
    if (!make_db("shared"))
        return;
    hpo_space *sp = box(2);
    hpo_storage *st[2];
    hpo_study *s[2];
    s[0] = on_file(&st[0], sp, HPO_OPEN_CREATE);
    s[1] = on_file(&st[1], sp, HPO_OPEN_LOAD);
    enum { ROUNDS = 25 };
    double gen[2 * ROUNDS];
    for (int r = 0; r < ROUNDS; r++)
        for (int h = 0; h < 2; h++) {
            double x[2], v[2];
            hpo_trial *t = ask(s[h], 2, x);
            CHECK(hpo_trial_number(t) == 2 * r + h);
            gen[2 * r + h] = member_generation(t);
            front_values(x, v);
            tell(s[h], t, v, 2);
        }
    /* Generations of 10 each, numbered in turn whichever handle asked. */
    for (int k = 0; k < 2 * ROUNDS; k++)
        CHECK(gen[k] == k / 10);
    cJSON *a = state_of(s[0], "nsga2"), *b = state_of(s[1], "nsga2");
    CHECK(generation_of(a) == 4 && cJSON_Compare(a, b, 1));
    cJSON_Delete(a);
    cJSON_Delete(b);
    for (int h = 0; h < 2; h++) {
        hpo_study_free(s[h]);
        hpo_storage_close(st[h]);
    }
    hpo_space_free(sp);
    remove_db("shared");
}

/* ---- bad input ------------------------------------------------------------ */

static void expect_ask_fails(hpo_study *s, const char *needle)
{
    hpo_trial *t = NULL;
    CHECK_RC(hpo_study_ask(s, &t), HPO_EINVAL);
    CHECK(t == NULL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), needle);
}

/* A state that is not nsga2's: HPO_EINVAL naming the attribute, the text
 * left as it was. */
static void test_corrupt_state(void)
{
    hpo_space *sp = box(2);
    hpo_study *s = study("nsga2:population_size=10", 8, sp, 2);
    CHECK_RC(hpo_study_open(s, "corrupt", HPO_OPEN_CREATE), HPO_OK);
    for (int k = 0; k < 25; k++) {
        double x[2], v[2];
        hpo_trial *t = ask(s, 2, x);
        front_values(x, v);
        tell(s, t, v, 2);
    }
    const char *key = "hpo:nsga2:state";
    char *good = strdup(hpo_study_system_attr(s, key));
    char *p = strstr(good, "\"parents\":[");
    CHECK(p != NULL);
    const char *bad[2] = {"[1, 2]", NULL};
    char corrupt[8192];
    snprintf(corrupt, sizeof corrupt, "%.*s\"parents\":\"x\",\"old\":%s",
             (int)(p - good), good, p + strlen("\"parents\":"));
    bad[1] = corrupt;
    for (int i = 0; i < 2; i++) {
        CHECK_RC(hpo_study_set_system_attr(s, key, bad[i]), HPO_OK);
        expect_ask_fails(s, key);
        CHECK(strcmp(hpo_study_system_attr(s, key), bad[i]) == 0);
    }
    free(good);
    hpo_study_free(s);
    hpo_space_free(sp);
}

static void test_bad_options(void)
{
    const char *bad[] = {"nsga2:population_size=1", "nsga2:crossover=blx",
                         "nsga2:mutation_prob=2",
                         "nsga3:divisions=4,reference_points=1 0"};
    for (int i = 0; i < 4; i++) {
        hpo_study *s = hpo_study_new();
        CHECK_RC(hpo_study_set_sampler(s, bad[i]), HPO_EINVAL);
        hpo_study_free(s);
    }
    /* Points of two objectives for a study of three. */
    hpo_space *sp = box(2);
    hpo_study *s = study("nsga3:reference_points=1 0;0 1", 9, sp, 3);
    CHECK_RC(hpo_study_open(s, "refs", HPO_OPEN_CREATE), HPO_OK);
    expect_ask_fails(s, "reference_points row 1");
    hpo_study_free(s);
    /* Given ones work. */
    s = study("nsga3:reference_points=1 0;0.5 0.5;0 1,population_size=8", 9,
              sp, 2);
    CHECK_RC(hpo_study_open(s, "refs", HPO_OPEN_CREATE), HPO_OK);
    for (int k = 0; k < 40; k++) {
        double x[2], v[2];
        hpo_trial *t = ask(s, 2, x);
        front_values(x, v);
        tell(s, t, v, 2);
    }
    cJSON *st = state_of(s, "nsga3");
    CHECK(generation_of(st) == 4 && n_parents(st) == 8);
    cJSON_Delete(st);
    hpo_study_free(s);
    hpo_space_free(sp);
}

int main(void)
{
    RUN(test_selection_by_fronts_and_crowding);
    RUN(test_constrained_domination);
    RUN(test_mixed_domains);
    RUN(test_conditional_space);
    RUN(test_overfilled_generation);
    RUN(test_one_objective);
    RUN(test_maximize);
    RUN(test_zdt1_hypervolume);
    RUN(test_nsga3_spreads_over_dtlz2);
    RUN(test_state_survives_reopening);
    RUN(test_two_handles_share_a_population);
    RUN(test_space_shrinks_in_one_handle);
    RUN(test_corrupt_state);
    RUN(test_bad_options);
    return CHECK_DONE();
}
