/*
 * test_parallel_asks.c — parallel workers never duplicate a proposal.
 *
 * Several asks before any tell (threads of hpo_study_optimize, `hpo tune
 * --jobs N`, several worker processes) leave RUNNING trials the model has
 * no value for.  Every model-based sampler must keep the next proposal
 * away from them: with `hpo tune --jobs 2` the gp sampler proposed two
 * running trials at lr 0.09481026 and 0.09481028, every other parameter
 * equal.  Here, for gp, tpe, rf, rbf and auto, after the start-up
 * trials, ROUNDS batches of BATCH asks before any tell must be pairwise
 * apart by more than TOL in the unit cube (the largest coordinate difference): in a
 * continuous space, and in one where x and y lie on a grid of step 0.1
 * after a longer start (there univariate TPE without constant liar and
 * the forest's lies alone gave pairs a hair apart in lr).
 */
#include "check.h"
#include <stdint.h>

#include "hpo.h"

#define BATCH 4
#define ROUNDS 3
#define TOL 1e-3
#define DIM 3

static const char *const samplers[] = {"gp", "tpe", "rf", "rbf", "auto"};
/* 15 and 23: seeds on which the forest's lies alone crowded (rf). */
static const uint64_t seeds[] = {1, 2, 3, 15, 23};

/* Two spaces: lr on a log scale, as in the report, and two floats, plain
 * or on a grid of `step`; and how many trials run one at a time first
 * (past every sampler's 10 start-up trials). */
static const struct {
    double step;
    int n_sequential;
} spaces[] = {{0, 14}, {0.1, 40}};

static hpo_space *space_new(double step)
{
    hpo_space *space = hpo_space_new();
    CHECK_RC(hpo_space_add_float(space, "lr", 1e-4, 1, 0, HPO_LOG), HPO_OK);
    CHECK_RC(hpo_space_add_float(space, "x", 0, 1, step, 0), HPO_OK);
    CHECK_RC(hpo_space_add_float(space, "y", 0, 1, step, 0), HPO_OK);
    return space;
}

/* The trial's point in the unit cube. */
static void unit_point(const hpo_trial *t, double *u)
{
    for (int i = 0; i < DIM; i++) {
        const char *name = hpo_trial_param_name(t, i);
        double v = hpo_trial_param_value(t, i);
        int k = name[0] == 'l' ? 0 : name[0] == 'x' ? 1 : 2;
        u[k] = k == 0 ? (log(v) - log(1e-4)) / -log(1e-4) : v;
    }
}

/* A smooth bowl with its minimum inside (lr 0.1, x 0.3, y 0.6): the models
 * agree on where it is, which is where duplicates come from. */
static double bowl(const double *u)
{
    double a = u[0] - 0.75, b = u[1] - 0.3, c = u[2] - 0.6;
    return a * a + b * b + c * c;
}

static void tell_point(hpo_study *s, hpo_trial *t)
{
    double u[DIM], v;
    unit_point(t, u);
    v = bowl(u);
    CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &v, 1), HPO_OK);
    hpo_trial_free(t);
}

static double apart(const double *a, const double *b)
{
    double d = 0;
    for (int i = 0; i < DIM; i++)
        d = fmax(d, fabs(a[i] - b[i]));
    return d;
}

static void run_sampler(const char *name, uint64_t seed, int sp)
{
    hpo_study *s = hpo_study_new();
    hpo_space *space = space_new(spaces[sp].step);
    CHECK_RC(hpo_study_set_space(s, space), HPO_OK);
    hpo_space_free(space);
    CHECK_RC(hpo_study_set_sampler(s, name), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, seed), HPO_OK);
    CHECK_RC(hpo_study_open(s, "parallel", HPO_OPEN_CREATE), HPO_OK);
    for (int i = 0; i < spaces[sp].n_sequential; i++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        tell_point(s, t);
    }
    for (int r = 0; r < ROUNDS; r++) {
        hpo_trial *t[BATCH];
        double u[BATCH][DIM];
        for (int i = 0; i < BATCH; i++) {
            CHECK_RC(hpo_study_ask(s, &t[i]), HPO_OK);
            CHECK_RC(hpo_trial_suggest_all(t[i]), HPO_OK);
            unit_point(t[i], u[i]);
        }
        for (int i = 0; i < BATCH; i++)
            for (int j = 0; j < i; j++) {
                double d = apart(u[i], u[j]);
                CHECK(d > TOL);
                if (!(d > TOL))
                    fprintf(stderr, "  %s space %d seed %llu round %d: asks %d "
                            "and %d %.3g apart\n", name, sp,
                            (unsigned long long)seed, r, j, i, d);
            }
        for (int i = 0; i < BATCH; i++)
            tell_point(s, t[i]);
    }
    hpo_study_free(s);
}

static void test_batches_spread(void)
{
    for (size_t k = 0; k < sizeof samplers / sizeof samplers[0]; k++)
        for (int sp = 0; sp < 2; sp++)
            for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
                run_sampler(samplers[k], seeds[i], sp);
}

int main(void)
{
    RUN(test_batches_spread);
    return CHECK_DONE();
}
