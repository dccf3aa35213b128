/*
 * test_hypergrad_outer.c — the outer loop on a made-up problem whose
 * minimum is known: Adam and L-BFGS reach it, the step halves (and says
 * so) where the loss is not finite, HOAG's tolerance decreases, bad
 * options are refused, and every step is a trial with its parameters.
 */
#include <math.h>

#include "check.h"
#include "hypergrad/hypergrad.h"

/* val = sum (h_i - 1)^2, not finite beyond h_i = 3 (a "divergent fit"). */
typedef struct bowl {
    hpo__hg_problem base;
    double last_tol[64];
    int n_calls;
} bowl;

static const char *bowl_name(const hpo__hg_problem *p, int i)
{
    static const char *const names[] = {"a", "b", "c"};
    (void)p;
    return names[i];
}

static void bowl_bounds(const hpo__hg_problem *p, int i, double *lo,
                        double *hi)
{
    (void)p, (void)i;
    *lo = exp(-10);
    *hi = exp(10);
}

static int bowl_value(hpo__hg_problem *p, const double *h, double tol,
                      double *val, double *grad, hpo__msg *m)
{
    (void)m;
    bowl *b = (bowl *)p;
    if (b->n_calls < 64)
        b->last_tol[b->n_calls] = tol;
    b->n_calls++;
    p->fits++;
    *val = 0;
    for (int i = 0; i < p->n_hyper; i++) {
        *val += (h[i] - 1) * (h[i] - 1);
        if (grad)
            grad[i] = 2 * (h[i] - 1);
        if (h[i] > 3)
            *val = NAN;
    }
    return HPO_OK;
}

static double bowl_test(const hpo__hg_problem *p)
{
    (void)p;
    return 0.5;
}

static bowl make_bowl(int n)
{
    bowl b;
    memset(&b, 0, sizeof b);
    b.base = (hpo__hg_problem){"bowl", n, bowl_name, bowl_bounds, bowl_value,
                               bowl_test, NULL, 0, NULL};
    return b;
}

static int n_notes;
static char last_note[300];
static void note(void *ud, const char *text)
{
    (void)ud;
    n_notes++;
    snprintf(last_note, sizeof last_note, "%s", text);
}

static void test_adam_reaches_minimum(void)
{
    bowl b = make_bowl(3);
    double h[3] = {-2, 0, 2};
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 200);
    o.step_size = 0.2;
    hpo__hg_result r;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(&b.base, h, &o, NULL, &r, &m), HPO_OK);
    CHECK(r.best_val_loss < 1e-3);
    for (int i = 0; i < 3; i++)
        CHECK_NEAR(h[i], 1, 0.05);
    CHECK(r.steps_done == 200 && r.fits == 200);
    /* HOAG: tol0 * decay^k, decreasing */
    CHECK_NEAR(b.last_tol[0], 1e-6, 1e-18);
    CHECK_NEAR(b.last_tol[2], 1e-6 * 0.81, 1e-18);
    hpo__msg_free(&m);
}

static void test_divergence_halves_the_step(void)
{
    bowl b = make_bowl(1);
    double h = 0;
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 60);
    o.step_size = 8; /* the first step lands beyond 3: not finite */
    o.note = note;
    n_notes = 0;
    hpo__hg_result r;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(&b.base, &h, &o, NULL, &r, &m), HPO_OK);
    CHECK(r.halvings >= 1);
    CHECK(n_notes >= r.halvings);
    CHECK_STR_CONTAINS(last_note, "halved");
    CHECK(isfinite(r.best_val_loss) && r.best_val_loss < 0.05);
    hpo__msg_free(&m);
}

static void test_lbfgs_reaches_minimum_and_stores_trials(void)
{
    bowl b = make_bowl(2);
    double h[2] = {-1, 2.5};
    hpo_study *st = hpo_study_new();
    CHECK_RC(hpo_study_open(st, "bowl", HPO_OPEN_CREATE), HPO_OK);
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 30);
    o.method = HPO__HG_LBFGS;
    hpo__hg_result r;
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(&b.base, h, &o, st, &r, &m), HPO_OK);
    CHECK(r.best_val_loss < 1e-8);
    CHECK_NEAR(h[0], 1, 1e-4);
    hpo_trial **ts;
    int nt = 0;
    CHECK_RC(hpo_study_trials(st, &ts, &nt), HPO_OK);
    CHECK(nt == r.steps_done);
    double a;
    CHECK(hpo_trial_param(ts[0], "a", &a) == 1);
    CHECK_NEAR(a, exp(-1), 1e-12);
    CHECK(hpo_trial_state_of(ts[0]) == HPO_COMPLETE);
    CHECK(strcmp(hpo_trial_user_attr(ts[0], "test_loss"), "0.5") == 0);
    CHECK(hpo_trial_param_distribution(ts[0], 0) != NULL);
    CHECK_STR_CONTAINS(hpo_trial_param_distribution(ts[0], 0), "\"log\":true");
    hpo_trials_free(ts, nt);
    hpo_study_free(st);
    hpo__msg_free(&m);
}

static void test_bad_options(void)
{
    bowl b = make_bowl(1);
    double h = 0;
    hpo__hg_outer_opts o;
    hpo__hg_outer_defaults(&o, 0);
    hpo__msg m = {0};
    CHECK_RC(hpo__hg_descend(&b.base, &h, &o, NULL, NULL, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "steps");
    hpo__hg_outer_defaults(&o, 5);
    o.tol_decay = 2;
    CHECK_RC(hpo__hg_descend(&b.base, &h, &o, NULL, NULL, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "tol_decay");
    hpo__msg_free(&m);
}

int main(void)
{
    RUN(test_adam_reaches_minimum);
    RUN(test_divergence_halves_the_step);
    RUN(test_lbfgs_reaches_minimum_and_stores_trials);
    RUN(test_bad_options);
    return CHECK_DONE();
}
