/*
 * test_tpe.c — the tpe sampler through the public API: it finds branin's
 * optimum, keeps every value inside int/step/log/categorical domains,
 * repeats itself for a seed, starts with the random sampler's trials, and
 * works multivariate (also grouped, on a conditional space), with constant
 * liar on 4 threads, with pruned trials, two objectives and constraints.
 */
#include <time.h>

#include "check.h"
#include "core/study.h"
#include "hpo.h"
#include "study_helpers.h"
#include "samplers/tpe.h"

static double branin(double x1, double x2)
{
    double b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, t = 1 / (8 * M_PI);
    double r = x2 - b * x1 * x1 + c * x1 - 6;
    return r * r + 10 * (1 - t) * cos(x1) + 10;
}

static int branin_objective(hpo_trial *t, void *data, double *values)
{
    double x1, x2;
    int rc = hpo_trial_suggest_float(t, "x1", -5, 10, 0, 0, &x1);
    if (!rc)
        rc = hpo_trial_suggest_float(t, "x2", 0, 15, 0, 0, &x2);
    if (rc)
        return rc;
    values[0] = branin(x1, x2);
    return HPO_OK;
}

static hpo_study *tpe_study(const char *spec, uint64_t seed)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, spec), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    return s;
}

static void open_study(hpo_study *s)
{
    CHECK_RC(hpo_study_open(s, "tpe-test", HPO_OPEN_CREATE), HPO_OK);
}

static double branin_regret(const char *spec, uint64_t seed, int n_trials,
                            int n_jobs)
{
    hpo_study *s = tpe_study(spec, seed);
    open_study(s);
    hpo_optimize_options o = {.n_trials = n_trials, .n_jobs = n_jobs};
    CHECK_RC(hpo_study_optimize(s, branin_objective, NULL, &o), HPO_OK);
    double regret = best_value(s) - BRANIN_MIN;
    hpo_study_free(s);
    return regret;
}

static double median_branin_regret(const char *spec, int n_jobs)
{
    double r[9];
    for (int seed = 0; seed < 9; seed++)
        r[seed] = branin_regret(spec, (uint64_t)seed, 100, n_jobs);
    qsort(r, 9, sizeof r[0], by_double);
    return r[4];
}

/* Median of 9 seeds.  Random search reaches about 0.2 here; Optuna 3.1's
 * TPE about 0.02 (0.029 over 40 seeds, ours 0.026). */
static void test_finds_branin_optimum(void)
{
    double regret = median_branin_regret("tpe", 1);
    fprintf(stderr, "  tpe branin regret after 100 trials: %g\n", regret);
    CHECK(regret < 0.05);
}

static void test_multivariate_finds_branin_optimum(void)
{
    double regret = median_branin_regret("tpe:multivariate=true", 1);
    fprintf(stderr, "  multivariate branin regret: %g\n", regret);
    CHECK(regret < 0.1);
}

static int slow_branin_objective(hpo_trial *t, void *data, double *values)
{
    struct timespec pause = {0, 500000}; /* so that the workers overlap */
    nanosleep(&pause, NULL);
    return branin_objective(t, data, values);
}

/* Four threads ask while others still run: constant liar counts the
 * running ones as bad, and the search still works.  Which trials overlap
 * depends on thread timing, so one run's regret is a draw: the median of
 * three seeds is what is checked (one run under ASan once gave 0.349). */
static double four_jobs_regret(uint64_t seed)
{
    hpo_study *s = tpe_study("tpe:constant_liar=true", seed);
    open_study(s);
    hpo_optimize_options o = {.n_trials = 100, .n_jobs = 4};
    CHECK_RC(hpo_study_optimize(s, slow_branin_objective, NULL, &o), HPO_OK);
    int counts[5] = {0};
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    CHECK(counts[HPO_COMPLETE] == 100);
    double regret = best_value(s) - BRANIN_MIN;
    hpo_study_free(s);
    return regret;
}

static void test_constant_liar_four_jobs(void)
{
    double r[3];
    for (int k = 0; k < 3; k++)
        r[k] = four_jobs_regret(3 + (uint64_t)k);
    double median = r[0] > r[1] ? (r[1] > r[2] ? r[1] : fmin(r[0], r[2]))
                                : (r[0] > r[2] ? r[0] : fmin(r[1], r[2]));
    fprintf(stderr, "  constant liar, 4 jobs: regrets %g %g %g, median %g\n",
            r[0], r[1], r[2], median);
    CHECK(median < 0.3);
}

/* Mean distance between the points of `n` trials asked at once (none told)
 * after 30 completed ones, in units of the domain. */
static double pending_spread(const char *spec, uint64_t seed)
{
    enum { N_PENDING = 6 };
    hpo_study *s = tpe_study(spec, seed);
    open_study(s);
    hpo_optimize_options o = {.n_trials = 30};
    CHECK_RC(hpo_study_optimize(s, branin_objective, NULL, &o), HPO_OK);
    double x[N_PENDING][2];
    hpo_trial *t[N_PENDING];
    for (int i = 0; i < N_PENDING; i++) {
        CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
        CHECK_RC(hpo_trial_suggest_float(t[i], "x1", -5, 10, 0, 0, &x[i][0]),
                 HPO_OK);
        CHECK_RC(hpo_trial_suggest_float(t[i], "x2", 0, 15, 0, 0, &x[i][1]),
                 HPO_OK);
    }
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < N_PENDING; i++)
        for (int j = 0; j < i; j++, pairs++)
            sum += hypot(x[i][0] - x[j][0], x[i][1] - x[j][1]) / 15;
    for (int i = 0; i < N_PENDING; i++)
        hpo_trial_free(t[i]);
    hpo_study_free(s);
    return sum / pairs;
}

/* Without the liar, trials asked together all chase the same good region;
 * with it, each pending trial repels the next. */
static void test_constant_liar_spreads_pending_trials(void)
{
    double liar = 0, plain = 0;
    for (uint64_t seed = 0; seed < 5; seed++) {
        liar += pending_spread("tpe:constant_liar=true", seed) / 5;
        plain += pending_spread("tpe:constant_liar=false", seed) / 5;
    }
    fprintf(stderr, "  pending spread: liar %g, without %g\n", liar, plain);
    CHECK(liar > plain);
}

/* ---- domains ------------------------------------------------------------ */

static const char *const COLORS[] = {"red", "green", "blue"};

typedef struct mixed_point {
    double x, lr, q;
    int64_t n, k, big;
    int color;
} mixed_point;

static int suggest_mixed(hpo_trial *t, mixed_point *p)
{
    int rc = 0;
    rc |= hpo_trial_suggest_float(t, "x", -3, 3, 0, 0, &p->x);
    rc |= hpo_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, HPO_LOG, &p->lr);
    rc |= hpo_trial_suggest_float(t, "q", 0, 1, 0.25, 0, &p->q);
    rc |= hpo_trial_suggest_int(t, "n", 1, 20, 1, 0, &p->n);
    rc |= hpo_trial_suggest_int(t, "k", 2, 30, 4, 0, &p->k);
    rc |= hpo_trial_suggest_int(t, "big", 1, 1000, 1, HPO_LOG, &p->big);
    rc |= hpo_trial_suggest_categorical(t, "color", COLORS, 3, &p->color);
    return rc;
}

static int mixed_in_domain(const mixed_point *p)
{
    double q4 = p->q * 4;
    return p->x >= -3 && p->x <= 3 && p->lr >= 1e-5 && p->lr <= 1e-1 &&
           q4 == floor(q4) && p->q >= 0 && p->q <= 1 && p->n >= 1 &&
           p->n <= 20 && p->k >= 2 && p->k <= 30 && (p->k - 2) % 4 == 0 &&
           p->big >= 1 && p->big <= 1000 && p->color >= 0 && p->color < 3;
}

static double mixed_value(const mixed_point *p)
{
    return (p->x - 1) * (p->x - 1) + pow(log10(p->lr) + 3, 2) +
           (p->q - 0.75) * (p->q - 0.75) + fabs((double)p->n - 13) / 4 +
           fabs((double)p->k - 18) / 8 + fabs(log((double)p->big / 50)) +
           (p->color == 2 ? 0 : 1);
}

typedef struct mixed_log {
    int n_outside;
    int n;
    mixed_point points[200];
} mixed_log;

static int mixed_objective(hpo_trial *t, void *data, double *values)
{
    mixed_log *log = data;
    mixed_point p;
    memset(&p, 0, sizeof p); /* the tests memcmp points: no stray padding */
    if (suggest_mixed(t, &p))
        return HPO_EINVAL;
    log->n_outside += !mixed_in_domain(&p);
    int k = hpo_trial_number(t);
    if (k >= 0 && k < 200)
        log->points[k] = p;
    log->n++;
    values[0] = mixed_value(&p);
    return HPO_OK;
}

static double run_mixed(const char *spec, uint64_t seed, int n_trials,
                        mixed_log *log)
{
    hpo_study *s = tpe_study(spec, seed);
    open_study(s);
    hpo_optimize_options o = {.n_trials = n_trials};
    CHECK_RC(hpo_study_optimize(s, mixed_objective, log, &o), HPO_OK);
    double best = best_value(s);
    hpo_study_free(s);
    return best;
}

static void test_domains_respected(void)
{
    const char *specs[] = {"tpe", "tpe:multivariate=true",
                           "tpe:consider_endpoints=true,prior_weight=2",
                           "tpe:exact_density=true"};
    for (int i = 0; i < 4; i++) {
        static mixed_log log;
        memset(&log, 0, sizeof log);
        double best = run_mixed(specs[i], 5, 80, &log);
        CHECK(log.n == 80);
        CHECK(log.n_outside == 0);
        /* Random search's best of 80 here is about 2.5; the model's
         * trials should do clearly better. */
        fprintf(stderr, "  %s mixed best: %g\n", specs[i], best);
        CHECK(best < 2.0);
    }
}

static void test_reproducible(void)
{
    static mixed_log a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    run_mixed("tpe", 11, 40, &a);
    run_mixed("tpe", 11, 40, &b);
    run_mixed("tpe", 12, 40, &c);
    CHECK(memcmp(a.points, b.points, sizeof a.points) == 0);
    CHECK(memcmp(a.points, c.points, sizeof a.points) != 0);
}

/* Start-up trials are the random sampler's own draws. */
static void test_startup_is_random(void)
{
    static mixed_log a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    run_mixed("tpe:n_startup_trials=7", 4, 12, &a);
    run_mixed("random", 4, 12, &b);
    CHECK(memcmp(a.points, b.points, 7 * sizeof a.points[0]) == 0);
    CHECK(memcmp(&a.points[7], &b.points[7], 5 * sizeof a.points[0]) != 0);
}

static void test_bad_options_refused(void)
{
    const char *bad[] = {"tpe:gamma=0", "tpe:gamma=1.5",
                         "tpe:n_ei_candidates=0", "tpe:prior_weight=-1",
                         "tpe:group=true", "tpe:no_such_option=1",
                         "tpe:n_startup_trials=-2"};
    for (int i = 0; i < 7; i++) {
        hpo_study *s = hpo_study_new();
        CHECK(hpo_study_set_sampler(s, bad[i]) == HPO_EINVAL);
        hpo_study_free(s);
    }
}

/* ---- conditional space: groups ------------------------------------------ */

static const char *const MODELS[] = {"linear", "tree"};

typedef struct cond_log {
    int bad;
} cond_log;

/* linear: alpha (log) matters; tree: depth (int) and split (step). */
static int conditional_objective(hpo_trial *t, void *data, double *values)
{
    cond_log *log = data;
    int model;
    double shared;
    if (hpo_trial_suggest_categorical(t, "model", MODELS, 2, &model) ||
        hpo_trial_suggest_float(t, "shared", 0, 1, 0, 0, &shared))
        return HPO_EINVAL;
    if (model == 0) {
        double alpha;
        if (hpo_trial_suggest_float(t, "alpha", 1e-4, 10, 0, HPO_LOG, &alpha))
            return HPO_EINVAL;
        log->bad += !(alpha >= 1e-4 && alpha <= 10);
        values[0] = 1 + pow(log10(alpha) + 2, 2) + shared;
    } else {
        int64_t depth;
        double split;
        if (hpo_trial_suggest_int(t, "depth", 1, 12, 1, 0, &depth) ||
            hpo_trial_suggest_float(t, "split", 0, 0.5, 0.1, 0, &split))
            return HPO_EINVAL;
        log->bad += !(depth >= 1 && depth <= 12 && split >= 0 &&
                      split <= 0.5 + 1e-12 &&
                      fabs(split * 10 - nearbyint(split * 10)) < 1e-9);
        values[0] = fabs((double)depth - 8) / 4 + fabs(split - 0.3) + shared;
    }
    return HPO_OK;
}

static void test_group_on_conditional_space(void)
{
    const char *specs[] = {"tpe:multivariate=true,group=true",
                           "tpe:multivariate=true", "tpe"};
    for (int i = 0; i < 3; i++) {
        cond_log log = {0};
        hpo_study *s = tpe_study(specs[i], 8);
        open_study(s);
        hpo_optimize_options o = {.n_trials = 80};
        CHECK_RC(hpo_study_optimize(s, conditional_objective, &log, &o),
                 HPO_OK);
        double best = best_value(s);
        fprintf(stderr, "  %s conditional best: %g\n", specs[i], best);
        CHECK(log.bad == 0);
        CHECK(best < 0.3);
        hpo_study_free(s);
    }
}

/* ---- pruned trials ------------------------------------------------------- */

/* Trials whose x is far from 2 are pruned after a few steps; TPE must
 * still learn from the completed ones and rank the pruned ones after. */
static int pruned_objective(hpo_trial *t, void *data, double *values)
{
    double x;
    if (hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x))
        return HPO_EINVAL;
    double f = (x - 2) * (x - 2);
    for (int step = 0; step < 3; step++)
        hpo_trial_report(t, step, f + 3 - step);
    if (fabs(x - 2) > 5)
        return HPO_PRUNED;
    values[0] = f;
    return HPO_OK;
}

static void test_pruned_trials(void)
{
    hpo_study *s = tpe_study("tpe", 2);
    open_study(s);
    hpo_optimize_options o = {.n_trials = 60};
    CHECK_RC(hpo_study_optimize(s, pruned_objective, NULL, &o), HPO_OK);
    int counts[5] = {0};
    CHECK_RC(hpo_study_count_trials(s, counts), HPO_OK);
    CHECK(counts[HPO_PRUNED_STATE] > 0);
    CHECK(best_value(s) < 0.05);
    hpo_study_free(s);
}

/* ---- two objectives ------------------------------------------------------ */

/* min (x^2 + y^2, (x-2)^2 + (y-2)^2): the front is the segment from (0,0)
 * to (2,2).  MOTPE should concentrate near it. */
static int two_objectives(hpo_trial *t, void *data, double *values)
{
    double x, y;
    if (hpo_trial_suggest_float(t, "x", -5, 5, 0, 0, &x) ||
        hpo_trial_suggest_float(t, "y", -5, 5, 0, 0, &y))
        return HPO_EINVAL;
    values[0] = x * x + y * y;
    values[1] = (x - 2) * (x - 2) + (y - 2) * (y - 2);
    double *dist = data;
    int k = hpo_trial_number(t);
    if (k >= 0 && k < 100)
        dist[k] = fabs(x - y) / M_SQRT2 + fmax(0, -x) + fmax(0, x - 2);
    return HPO_OK;
}

static void test_multi_objective(void)
{
    double dist[100];
    hpo_study *s = tpe_study("tpe", 6);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    CHECK_RC(hpo_study_add_direction(s, HPO_MINIMIZE), HPO_OK);
    open_study(s);
    hpo_optimize_options o = {.n_trials = 100};
    CHECK_RC(hpo_study_optimize(s, two_objectives, dist, &o), HPO_OK);
    hpo_study_free(s);
    /* Distance to the front: random points average about 2.4. */
    double early = 0, late = 0;
    for (int k = 0; k < 10; k++)
        early += dist[k] / 10;
    for (int k = 60; k < 100; k++)
        late += dist[k] / 40;
    fprintf(stderr, "  MOTPE distance to front: start-up %g, last 40 %g\n",
            early, late);
    CHECK(late < 1.0);
    CHECK(late < early);
}

/* MOTPE's weights: each good trial's hypervolume contribution over the
 * largest.  Front (0,1), (.5,.5), (1,0) and the dominated (1,1); reference
 * 1.1 x the worst point: contributions .05, .25, .05 and 0. */
static void test_motpe_weights(void)
{
    double y2[] = {0, 1, 0.5, 0.5, 1, 0, 1, 1};
    double w[4];
    tpe_mo_weights(y2, 2, 4, w);
    CHECK_NEAR(w[0], 0.2, 1e-9);
    CHECK_NEAR(w[1], 1.0, 1e-9);
    CHECK_NEAR(w[2], 0.2, 1e-9);
    CHECK(w[3] < 1e-9);
    /* Three objectives: a symmetric front and a dominated point; a row
     * without values (a RUNNING member) gets the smallest weight. */
    double y3[] = {0, .5, .5, .5, 0, .5, .5, .5, 0, .6, .6, .6, NAN, NAN, NAN};
    double w3[5];
    tpe_mo_weights(y3, 3, 5, w3);
    for (int i = 0; i < 3; i++)
        CHECK_NEAR(w3[i], 1.0, 1e-9);
    CHECK(w3[3] < 1e-6 && w3[4] < 1e-6);
    /* One objective's worth of members: default weights. */
    double one[] = {3, 4};
    tpe_mo_weights(one, 2, 1, w);
    CHECK(w[0] == 1);
}

/* ---- the Parzen estimators against Optuna 3.1 ------------------------------ */

/*
 * Optuna 3.1's _ParzenEstimator (default parameters: prior, magic clip, no
 * endpoints, default weights) built on these observations, one parameter
 * each; its weights, mus and sigmas (as fractions of its widened range, so
 * they read as hpo's unit encoding), its categorical kernels (row by
 * component) and log_pdf at pts, printed from Python through its private
 * API.  The float case has 28 observations, so the weights ramp; ties
 * among equal weights leave no room for numpy's sort order.
 */
#define FLOAT_DIST(lo, hi, st, lg)                                          \
    {.kind = HPO__FLOAT, .low = lo, .high = hi, .step = st, .log = lg}
#define INT_DIST(lo, hi, st, lg)                                            \
    {.kind = HPO__INT, .low = lo, .high = hi, .step = st, .log = lg}
#define CAT_DIST(n) {.kind = HPO__CATEGORICAL, .n_choices = n}

typedef struct pinned_parzen {
    const char *name;
    hpo__dist dist;
    int n_obs, n_pts;
    double obs[28], pts[6];
    double weight[29], mu[29], sigma[29], cat_weight[18], log_pdf[6];
} pinned_parzen;

static const pinned_parzen OPTUNA_PARZEN[] = {
    {.name = "float", .dist = FLOAT_DIST(-5, 5, 0, 0),
     .n_obs = 28, .n_pts = 5,
     .obs = {
         1.47760103331, 4.54648713413, -2.64918070454, -3.86382243778,
         3.64484520063, 2.92458596446, -4.39847879986, -1.79114641118,
         4.86003750697, 0.538768261497, -4.99887215537, 0.749386048315,
         4.80576362251, -1.98777841561, -4.29353501305, 3.0941751106,
         3.49620015828, -3.9951073933, -2.46670497478, 4.6307501034,
         1.27341166422, -4.95889426722, 0.00444078402855, 4.95774992607,
         -1.28199834817, -4.62739306836, 2.47442658776, 3.98976058361},
     .pts = {-5, -1.25, 0.4, 3.3, 5},
     .weight = {
         0.00129617627997, 0.0187945560596, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393, 0.0362929358393,
         0.0362929358393, 0.0362929358393},
     .mu = {
         0.647760103331, 0.954648713413, 0.235081929546, 0.113617756222,
         0.864484520063, 0.792458596446, 0.0601521200142, 0.320885358882,
         0.986003750697, 0.55387682615, 0.000112784463494, 0.574938604831,
         0.980576362251, 0.301222158439, 0.070646498695, 0.80941751106,
         0.849620015828, 0.10048926067, 0.253329502522, 0.96307501034,
         0.627341166422, 0.00411057327844, 0.500444078403, 0.995774992607,
         0.371800165183, 0.0372606931643, 0.747442658776, 0.898976058361,
         0.5},
     .sigma = {
         0.0996825554456, 0.0556726550515, 0.121464173324, 0.121464173324,
         0.0344915382984, 0.0450159376696, 0.0333333333333,
         0.0509148063019, 0.0333333333333, 0.0534327477469,
         0.0333333333333, 0.0524025615905, 0.0333333333333,
         0.0478926559177, 0.0333333333333, 0.0402025047675,
         0.0402025047675, 0.0333333333333, 0.0478926559177,
         0.0333333333333, 0.0524025615905, 0.0333333333333,
         0.0534327477469, 0.0333333333333, 0.128199834817, 0.0333333333333,
         0.0996825554456, 0.0556726550515, 1},
     .log_pdf = {
         -2.15557860727, -2.58170249911, -2.44462204997, -2.31691435856,
         -2.15606219198},
    },
    {.name = "log float", .dist = FLOAT_DIST(1e-4, 1, 0, 1),
     .n_obs = 6, .n_pts = 4,
     .obs = {0.01, 0.5, 0.0003, 0.02, 0.0001, 0.07},
     .pts = {0.0001, 0.001, 0.015, 0.9},
     .weight = {
         0.142857142857, 0.142857142857, 0.142857142857, 0.142857142857,
         0.142857142857, 0.142857142857, 0.142857142857},
     .mu = {
         0.5, 0.924742501084, 0.11928031368, 0.575257498916, 0,
         0.711274510004, 0.5},
     .sigma = {
         0.38071968632, 0.21346799108, 0.38071968632, 0.136017011088,
         0.125, 0.21346799108, 1},
     .log_pdf = {
         -1.01107204524, -1.15847704092, -0.946199266762, -1.2633107629},
    },
    {.name = "int", .dist = INT_DIST(1, 20, 1, 0),
     .n_obs = 8, .n_pts = 6,
     .obs = {7, 3, 7, 12, 20, 1, 7, 9},
     .pts = {1, 2, 7, 8, 15, 20},
     .weight = {
         0.111111111111, 0.111111111111, 0.111111111111, 0.111111111111,
         0.111111111111, 0.111111111111, 0.111111111111, 0.111111111111,
         0.111111111111},
     .mu = {0.325, 0.125, 0.325, 0.575, 0.975, 0.025, 0.325, 0.425, 0.5},
     .sigma = {0.2, 0.2, 0.1, 0.4, 0.4, 0.1, 0.1, 0.1, 1},
     .log_pdf = {
         -2.76691277527, -2.75079179829, -2.37513393285, -2.38546026207,
         -3.76755918263, -3.90023527797},
    },
    {.name = "log int", .dist = INT_DIST(1, 100, 1, 1),
     .n_obs = 6, .n_pts = 6,
     .obs = {1, 2, 2, 50, 100, 7},
     .pts = {1, 2, 3, 10, 99, 100},
     .weight = {
         0.142857142857, 0.142857142857, 0.142857142857, 0.142857142857,
         0.142857142857, 0.142857142857, 0.142857142857},
     .mu = {
         0.130700986003, 0.261401972007, 0.261401972007, 0.868358554868,
         0.999059540872, 0.497625042378, 0.5},
     .sigma = {
         0.130700986003, 0.130700986003, 0.236223070371, 0.368358554868,
         0.130700986003, 0.236223070371, 1},
     .log_pdf = {
         -1.11318389338, -0.996924883868, -1.03041275671, -1.19364355187,
         -1.08850298111, -1.08964769063},
    },
    {.name = "float step", .dist = FLOAT_DIST(0, 1, 0.1, 0),
     .n_obs = 5, .n_pts = 4,
     .obs = {0.3, 0, 1, 0.3, 0.5},
     .pts = {0, 0.3, 0.4, 1},
     .weight = {
         0.166666666667, 0.166666666667, 0.166666666667, 0.166666666667,
         0.166666666667, 0.166666666667},
     .mu = {
         0.318181818182, 0.0454545454545, 0.954545454545, 0.318181818182,
         0.5, 0.5},
     .sigma = {
         0.272727272727, 0.272727272727, 0.454545454545, 0.181818181818,
         0.181818181818, 1},
     .log_pdf = {
         -2.46473974971, -2.05020085421, -2.05699258906, -3.14272815303},
    },
    {.name = "int step", .dist = INT_DIST(0, 10, 2, 0),
     .n_obs = 4, .n_pts = 4,
     .obs = {4, 10, 0, 4},
     .pts = {0, 2, 4, 10},
     .weight = {0.2, 0.2, 0.2, 0.2, 0.2},
     .mu = {
         0.416666666667, 0.916666666667, 0.0833333333333, 0.416666666667,
         0.5},
     .sigma = {
         0.333333333333, 0.416666666667, 0.333333333333, 0.166666666667, 1},
     .log_pdf = {-1.92142167486, -1.62114995752, -1.487050852, -2.22980038849},
    },
    {.name = "categorical", .dist = CAT_DIST(3),
     .n_obs = 5, .n_pts = 3,
     .obs = {0, 2, 2, 1, 2},
     .pts = {0, 1, 2},
     .weight = {
         0.166666666667, 0.166666666667, 0.166666666667, 0.166666666667,
         0.166666666667, 0.166666666667},
     .cat_weight = {
         0.777777777778, 0.111111111111, 0.111111111111, 0.111111111111,
         0.111111111111, 0.777777777778, 0.111111111111, 0.111111111111,
         0.777777777778, 0.111111111111, 0.777777777778, 0.111111111111,
         0.111111111111, 0.111111111111, 0.777777777778, 0.333333333333,
         0.333333333333, 0.333333333333},
     .log_pdf = {-1.34992671695, -1.34992671695, -0.730887508543},
    },
};

static void check_pinned_parzen(const pinned_parzen *p)
{
    tpe_opts o = {.n_startup_trials = 10, .n_ei_candidates = 24,
                  .gamma = 0.1, .gamma_max = 25, .prior_weight = 1,
                  .magic_clip = 1};
    tpe_axis axis;
    tpe_axis_init(&axis, &p->dist);
    double x[28], w[28];
    for (int i = 0; i < p->n_obs; i++)
        x[i] = tpe_axis_encode(&axis, p->obs[i]);
    tpe_default_weights(p->n_obs, w);
    hpo_plugin_ctx ctx = {0};
    tpe_parzen pe;
    CHECK_RC(tpe_parzen_build(&pe, &ctx, &axis, 1, x, w, p->n_obs, NULL, &o),
             HPO_OK);
    int nch = axis.n_choices;
    for (int k = 0; k < pe.n_comp; k++) {
        CHECK_NEAR(pe.weight[k], p->weight[k], 1e-9);
        if (!nch) {
            CHECK_NEAR(pe.mu[k], p->mu[k], 1e-9);
            CHECK_NEAR(pe.sigma[k], p->sigma[k], 1e-9);
            continue;
        }
        for (int c = 0; c < nch; c++) {
            double kernel = pe.mu[k] < 0    ? 1.0 / nch
                            : pe.mu[k] == c ? exp(pe.log_hit[0])
                                            : exp(pe.log_miss[0]);
            CHECK_NEAR(kernel, p->cat_weight[k * nch + c], 1e-9);
        }
    }
    for (int i = 0; i < p->n_pts; i++) {
        double u = tpe_axis_encode(&axis, p->pts[i]);
        CHECK_NEAR(tpe_parzen_log_pdf(&pe, &u), p->log_pdf[i], 1e-7);
    }
    hpo__scratch_release(&ctx.scratch);
}

static void test_parzen_matches_optuna(void)
{
    size_t n = sizeof OPTUNA_PARZEN / sizeof OPTUNA_PARZEN[0];
    for (size_t i = 0; i < n; i++)
        check_pinned_parzen(&OPTUNA_PARZEN[i]);
}

/*
 * An exact tie: good trials chose c twice; bad ones a 2 times, b 3 times,
 * c 7 times (in this order).  With prior weight 1, l = (2, 2, 5) / 9 and
 * g = (65, 84.5, 162.5) / 312, so l/g is 48/65 for both a and c.  Rounding
 * of the two sums used to decide it (c always); as in exact arithmetic the
 * first drawn of the tied candidates must win, a with probability
 * l(a) / (l(a) + l(c)) = 2/7.
 */
static void test_exact_ties_follow_the_draw(void)
{
    tpe_opts o = {.n_startup_trials = 10, .n_ei_candidates = 24,
                  .gamma = 0.1, .gamma_max = 25, .prior_weight = 1,
                  .magic_clip = 1};
    hpo__dist dist = CAT_DIST(3);
    tpe_axis axis;
    tpe_axis_init(&axis, &dist);
    double good[] = {2, 2}, bad[12], wg[2], wb[12];
    for (int i = 0; i < 12; i++)
        bad[i] = i < 2 ? 0 : i < 5 ? 1 : 2;
    tpe_default_weights(2, wg);
    tpe_default_weights(12, wb);
    hpo__rng rng;
    hpo__rng_seed(&rng, 5);
    hpo_plugin_ctx ctx = {.rng = &rng};
    tpe_parzen l, g;
    CHECK_RC(tpe_parzen_build(&l, &ctx, &axis, 1, good, wg, 2, NULL, &o),
             HPO_OK);
    CHECK_RC(tpe_parzen_build(&g, &ctx, &axis, 1, bad, wb, 12, NULL, &o),
             HPO_OK);
    int chosen[3] = {0};
    for (int k = 0; k < 700; k++) {
        double best;
        CHECK_RC(tpe_pick(&ctx, &l, &g, 24, &best), HPO_OK);
        chosen[(int)best]++;
    }
    fprintf(stderr, "  tie picks: %d %d %d\n", chosen[0], chosen[1],
            chosen[2]);
    CHECK(chosen[0] > 150 && chosen[0] < 250); /* 200 expected */
    CHECK(chosen[1] == 0);
    hpo__scratch_release(&ctx.scratch);
}

/* ---- constraints ---------------------------------------------------------- */

/* min x^2 subject to x >= 3 (constraint 3 - x <= 0), reported through
 * hpo_trial_set_constraints (Optuna's constraints_func). */
typedef struct constrained_run {
    int with_constraints;
    int feasible; /* among trials 30..59 */
} constrained_run;

static int constrained_objective(hpo_trial *t, void *data, double *values)
{
    constrained_run *run = data;
    double x;
    if (hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x))
        return HPO_EINVAL;
    if (run->with_constraints) {
        double c = 3 - x;
        int rc = hpo_trial_set_constraints(t, &c, 1);
        if (rc)
            return rc;
    }
    if (hpo_trial_number(t) >= 30)
        run->feasible += x >= 3;
    values[0] = x * x;
    return HPO_OK;
}

static int feasible_late_trials(int with_constraints)
{
    constrained_run run = {with_constraints, 0};
    hpo_study *s = tpe_study("tpe", 9);
    open_study(s);
    hpo_optimize_options o = {.n_trials = 60};
    CHECK_RC(hpo_study_optimize(s, constrained_objective, &run, &o), HPO_OK);
    hpo_study_free(s);
    return run.feasible;
}

static void test_constraints(void)
{
    int with = feasible_late_trials(1), without = feasible_late_trials(0);
    /* The optimum x = 3 sits on the boundary, so about half the trials
     * near it are infeasible; without constraints TPE crowds around the
     * infeasible x = 0. */
    fprintf(stderr, "  feasible among the last 30: %d with constraints, "
                    "%d without\n", with, without);
    CHECK(with >= 12);
    CHECK(with >= without + 8);
}

/* ---- a parameter whose bounds change mid-study ---------------------------- */

static int narrowing_objective(hpo_trial *t, void *data, double *values)
{
    int *outside = data;
    double high = hpo_trial_number(t) < 30 ? 10 : 5;
    double x;
    if (hpo_trial_suggest_float(t, "x", 0, high, 0, 0, &x))
        return HPO_EINVAL;
    *outside += !(x >= 0 && x <= high);
    values[0] = (x - 4) * (x - 4);
    return HPO_OK;
}

static void test_bounds_change(void)
{
    int outside = 0;
    hpo_study *s = tpe_study("tpe", 12);
    open_study(s);
    hpo_optimize_options o = {.n_trials = 60};
    CHECK_RC(hpo_study_optimize(s, narrowing_objective, &outside, &o),
             HPO_OK);
    CHECK(outside == 0);
    CHECK(best_value(s) < 0.01);
    hpo_study_free(s);
}

int main(void)
{
    RUN(test_finds_branin_optimum);
    RUN(test_multivariate_finds_branin_optimum);
    RUN(test_constant_liar_four_jobs);
    RUN(test_constant_liar_spreads_pending_trials);
    RUN(test_domains_respected);
    RUN(test_reproducible);
    RUN(test_startup_is_random);
    RUN(test_bad_options_refused);
    RUN(test_group_on_conditional_space);
    RUN(test_pruned_trials);
    RUN(test_multi_objective);
    RUN(test_motpe_weights);
    RUN(test_parzen_matches_optuna);
    RUN(test_exact_ties_follow_the_draw);
    RUN(test_constraints);
    RUN(test_bounds_change);
    return CHECK_DONE();
}
