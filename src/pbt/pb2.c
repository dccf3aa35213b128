/*
 * pb2.c — PB2's explore (Parker-Holder, Nguyen & Roberts 2020, "Provably
 * Efficient Online Hyperparameter Optimization with Population-Based
 * Bandits", algorithm 2): the new hyperparameters of an exploited member
 * are chosen by GP-UCB on a time-varying GP of how much each interval
 * improved the score, as a function of (time, hyperparameters).
 *
 * Data: every COMPLETE member-interval of the last WINDOW intervals whose
 * starting checkpoint (pbt_parent_trial) has a score; x = (interval /
 * intervals, the hyperparameters in the unit cube), y = the improvement
 * over the interval (start score - end score when minimizing).  The GP is
 * hpo's own (samplers/gp_model.c: Matérn-5/2 ARD, hyperparameters by
 * L-BFGS through NLopt); the UCB mean + kappa * sd at the current time is
 * maximized over random candidates of the space and perturbations of the
 * copied member's values, so the choice stays inside the bounds.
 *
 * Deviations from the paper:
 *   1. Time enters as an ARD input of the Matérn kernel rather than
 *      through the paper's time-varying kernel with a forgetting factor;
 *      the window of the last WINDOW intervals does the forgetting.
 *   2. y is standardized within each interval: improvements shrink by
 *      orders of magnitude as training converges, and a GP over raw
 *      improvements would see only the first intervals.
 *   3. Members being trained are not added as pending points (the
 *      paper's batch rule); with fewer than MIN_POINTS data it perturbs
 *      as PBT does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../samplers/gp_model.h"
#include "pbt.h"

#define WINDOW 4
#define MIN_POINTS 4
#define N_RANDOM 256
#define N_LOCAL 64

typedef struct pb2_data {
    int n, d;      /* points; d = 1 + parameters */
    double *x, *y; /* n x d, n */
    int *interval; /* of each point, for the per-interval scaling */
} pb2_data;

static void add_point(pb2_data *p, const hpo_space *s, const hpo_trial *t,
                      double time, double improvement, int k)
{
    double *row = p->x + (size_t)p->n * p->d;
    row[0] = time;
    for (int j = 0; j < s->n; j++) {
        double x;
        row[1 + j] = hpo_trial_param(t, s->p[j].name, &x)
                         ? hpo__dist_to_unit(&s->p[j].dist, x)
                         : 0.5;
    }
    p->y[p->n] = improvement;
    p->interval[p->n++] = k;
}

static int collect(pb2_data *p, const hpo_space *s, const hpo__pbt_opts *o,
                   const hpo__pbt_view *v, int now, hpo_direction dir)
{
    p->d = 1 + s->n;
    p->x = malloc(sizeof(double) * (size_t)(v->n ? v->n : 1) * p->d);
    p->y = malloc(sizeof(double) * (size_t)(v->n ? v->n : 1));
    p->interval = malloc(sizeof(int) * (size_t)(v->n ? v->n : 1));
    if (!p->x || !p->y || !p->interval)
        return HPO_ENOMEM;
    double span = o->intervals > 1 ? (double)(o->intervals - 1) : 1;
    for (int i = 0; i < v->n; i++) {
        const hpo_trial *t = v->t[i];
        int k = hpo__pbt_attr_int(t, "pbt_interval", -1);
        if (hpo_trial_state_of(t) != HPO_COMPLETE || k < now - WINDOW ||
            k >= now)
            continue;
        int from = hpo__pbt_trial_index(
            v->t, v->n, hpo__pbt_attr_int(t, "pbt_parent_trial", -1));
        if (from < 0)
            continue;
        double start = hpo_trial_value(v->t[from], 0);
        double end = hpo_trial_value(t, 0);
        double gain = dir == HPO_MAXIMIZE ? end - start : start - end;
        if (isfinite(gain))
            add_point(p, s, t, k / span, gain, k);
    }
    return HPO_OK;
}

/* The mean and standard deviation of the improvements of interval k. */
static void interval_moments(const pb2_data *p, int k, double *mean,
                             double *sd)
{
    double sum = 0, sq = 0;
    int c = 0;
    for (int b = 0; b < p->n; b++)
        if (p->interval[b] == k) {
            sum += p->y[b];
            c++;
        }
    *mean = sum / c;
    for (int b = 0; b < p->n; b++)
        if (p->interval[b] == k)
            sq += (p->y[b] - *mean) * (p->y[b] - *mean);
    *sd = c > 1 ? sqrt(sq / (c - 1)) : 0;
}

/* Deviation 2: z-scores within each interval. */
static int scale_per_interval(pb2_data *p)
{
    double *z = malloc(sizeof(double) * (size_t)(p->n ? p->n : 1));
    if (!z)
        return HPO_ENOMEM;
    for (int a = 0; a < p->n; a++) {
        double mean, sd;
        interval_moments(p, p->interval[a], &mean, &sd);
        z[a] = sd > 0 ? (p->y[a] - mean) / sd : 0;
    }
    memcpy(p->y, z, sizeof(double) * (size_t)p->n);
    free(z);
    return HPO_OK;
}

static double urand(void *r)
{
    return hpo__rng_uniform(r);
}

/* UCB at time `time` of the unit point u (d - 1 coordinates). */
static double ucb(const gp_model *m, double time, const double *u,
                  double kappa, double *row, double *work)
{
    row[0] = time;
    memcpy(row + 1, u, sizeof(double) * (size_t)(m->d - 1));
    double mean, var;
    gp_predict(m, row, &mean, &var, NULL, NULL, work);
    return mean + kappa * sqrt(var > 0 ? var : 0);
}

/* The best of N_RANDOM random candidates and N_LOCAL perturbations of
 * `from` (the copied member's values), as internal values in out. */
static int maximize(const gp_model *m, const hpo_space *s,
                    const hpo__pbt_opts *o, double time, hpo__rng *r,
                    const double *from, double *out)
{
    int d = s->n;
    double *cand = malloc(sizeof(double) * (size_t)d * 2);
    double *row = malloc(sizeof(double) * (size_t)(d + 1));
    double *work = malloc(sizeof(double) * (size_t)(2 * m->n + 2));
    if (!cand || !row || !work) {
        free(cand), free(row), free(work);
        return HPO_ENOMEM;
    }
    double *vals = cand + d, best = -HUGE_VAL;
    for (int c = 0; c < N_RANDOM + N_LOCAL; c++) {
        if (c < N_RANDOM)
            hpo__pbt_sample(s, r, vals);
        else
            hpo__pbt_perturb(s, o, r, from, vals);
        for (int j = 0; j < d; j++)
            cand[j] = hpo__dist_to_unit(&s->p[j].dist, vals[j]);
        double a = ucb(m, time, cand, o->pb2_kappa, row, work);
        if (a > best) {
            best = a;
            memcpy(out, vals, sizeof(double) * (size_t)d);
        }
    }
    free(cand), free(row), free(work);
    return HPO_OK;
}

int hpo__pb2_explore(const hpo_space *s, const hpo__pbt_opts *o,
                     const hpo__pbt_view *v, int k, hpo_direction dir,
                     hpo__rng *r, const double *in, double *out)
{
    pb2_data p = {0};
    gp_model m = {0};
    int rc = collect(&p, s, o, v, k, dir);
    if (rc == HPO_OK && p.n < MIN_POINTS) {
        hpo__pbt_perturb(s, o, r, in, out); /* deviation 3 */
    } else if (rc == HPO_OK && (rc = scale_per_interval(&p)) == HPO_OK) {
        rc = gp_model_init(&m, p.d) || gp_model_reserve(&m, p.n) ? HPO_ENOMEM
                                                                  : HPO_OK;
        if (rc == HPO_OK) {
            memcpy(m.x, p.x, sizeof(double) * (size_t)p.n * p.d);
            memcpy(m.y, p.y, sizeof(double) * (size_t)p.n);
            m.n = p.n;
            double span = o->intervals > 1 ? (double)(o->intervals - 1) : 1;
            if (gp_model_fit(&m, 2, 60, urand, r) != 0)
                hpo__pbt_perturb(s, o, r, in, out); /* no model: PBT */
            else
                rc = maximize(&m, s, o, k / span, r, in, out);
        }
    }
    gp_model_free(&m);
    free(p.x);
    free(p.y);
    free(p.interval);
    return rc;
}
