/*
 * rank_gate.c — trust a rung only when its ranking agrees with the final
 * ranking on the study's own COMPLETE trials (see rank_gate.h).
 *
 * The check between rungs is the one Bohdal et al. make to grow PASHA's
 * maximum resource (Bohdal, Balles, Wistuba, Ermis, Archambeau, Zappella,
 * "PASHA: Efficient HPO and NAS with Progressive Resource Allocation",
 * ICLR 2023): do two fidelities rank the configurations alike?  Here it
 * decides instead from which rung a successive halving may prune, and
 * compares each rung with the full fidelity by Spearman's correlation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../math/ranks.h" /* hpo__spearman */
#include "rank_gate.h"

void hpo__rank_gate_init(hpo__rank_gate *g, int64_t min_trials,
                         double min_correlation)
{
    memset(g, 0, sizeof *g);
    g->min_trials = min_trials;
    g->min_correlation = min_correlation;
    g->first_trusted = min_trials > 0 ? HPO__MAX_RUNGS : 0;
    g->end_step = INT64_MAX;
    g->end_rung = HPO__MAX_RUNGS;
    for (int k = 0; k < HPO__MAX_RUNGS; k++)
        g->correlation[k] = g->bound[k] = NAN;
}

void hpo__rank_gate_free(hpo__rank_gate *g)
{
    for (int k = 0; k < HPO__MAX_RUNGS; k++) {
        free(g->pairs[k].at_rung);
        free(g->pairs[k].final);
    }
    hpo__watermark_free(&g->w);
    memset(g, 0, sizeof *g);
}

/* o[0..n-1] = x's values with their indices, in increasing order. */
static void sort_with_index(const double *x, int n, hpo__value_index *o)
{
    for (int i = 0; i < n; i++)
        o[i] = (hpo__value_index){x[i], i};
    hpo__sort_by_value(o, n);
}

/* ---- the pairs ------------------------------------------------------------ */

static int add_pair(hpo__rung_pairs *p, double at_rung, double final)
{
    int cap = p->cap;
    if (hpo__grow((void **)&p->at_rung, &cap, p->n + 1, sizeof(double)) ||
        hpo__grow((void **)&p->final, &p->cap, p->n + 1, sizeof(double)))
        return HPO_ENOMEM;
    p->at_rung[p->n] = at_rung;
    p->final[p->n++] = final;
    return HPO_OK;
}

/* A finished trial: when COMPLETE with a final value and not chosen by a
 * rung that pruned, one pair per rung it recorded. */
static int fold(void *arg, const hpo__trial_rec *t, int at)
{
    (void)at;
    hpo__rank_gate *g = arg;
    double final = hpo_record_value(t, 0), v;
    int64_t last;
    if (t->state != HPO_COMPLETE || !isfinite(final) ||
        !hpo__last_step(t, &last, &v))
        return HPO_OK;
    if (g->end_step == INT64_MAX || last > g->end_step)
        g->end_step = last; /* selected or not, it shows the full fidelity */
    if (hpo_record_system_attr(t, HPO__SELECTED_KEY))
        return HPO_OK;
    for (int k = 0; k < HPO__MAX_RUNGS && hpo__rung_value(t, k, &v); k++) {
        if (!isfinite(v))
            continue;
        if (add_pair(&g->pairs[k], v, final))
            return HPO_ENOMEM;
    }
    g->n_complete++;
    return HPO_OK;
}

/* The one-sided 95% lower confidence bound of a Spearman correlation rho
 * over m pairs: Fisher's z with Fieller, Hartley and Pearson's variance
 * 1.06 / (m - 3) (Biometrika 44, 1957); NaN when m <= 3. */
static double lower_bound(double rho, int m)
{
    if (m <= 3 || isnan(rho))
        return NAN;
    return tanh(atanh(rho) - 1.6448536269514722 * sqrt(1.06 / (m - 3)));
}

/* The correlation at one rung over the better half of its pairs by final
 * value (NaN with fewer than min_trials pairs). */
static int rung_correlation(const hpo__rank_gate *g, int k, hpo_direction d,
                            double *rho, hpo__msg *m)
{
    const hpo__rung_pairs *p = &g->pairs[k];
    *rho = NAN;
    if (p->n < g->min_trials || p->n < 2)
        return HPO_OK;
    int half = (p->n + 1) / 2;
    hpo__value_index *order = malloc((size_t)p->n * sizeof *order);
    double *x = malloc((size_t)half * sizeof *x);
    double *y = malloc((size_t)half * sizeof *y);
    int rc = order && x && y ? HPO_OK : hpo__oom(m);
    if (!rc) {
        sort_with_index(p->final, p->n, order);
        for (int i = 0; i < half; i++) { /* the better half by final value */
            int j = order[d == HPO_MAXIMIZE ? p->n - 1 - i : i].index;
            x[i] = p->at_rung[j];
            y[i] = p->final[j];
        }
        rc = hpo__spearman(x, y, half, rho, m);
    }
    free(order), free(x), free(y);
    return rc;
}

/* The lowest rung such that it and every higher rung below the full
 * fidelity with enough pairs agree with the final ranking. */
static int first_trusted(const hpo__rank_gate *g)
{
    int first = HPO__MAX_RUNGS;
    for (int k = g->end_rung - 1; k >= 0; k--) {
        if (g->pairs[k].n < g->min_trials)
            continue; /* too few pairs: neither trusted nor refused */
        if (!(g->bound[k] > g->min_correlation))
            break;
        first = k;
    }
    return first;
}

int hpo__rank_gate_update(hpo__rank_gate *g, const hpo__trial_rec *h, int n,
                          const hpo__sha *sha, hpo_direction d, int *first,
                          int *changed, hpo__msg *m)
{
    *changed = 0;
    *first = g->first_trusted;
    if (g->min_trials == 0)
        return HPO_OK;
    int rc = hpo__watermark_update(&g->w, h, n, fold, g, m);
    /* Re-read when the COMPLETE trials have grown by a twentieth since the
     * last reading (each new one while few): the correlations move little
     * per trial once there are many, and a reading sorts every pair, so
     * reading at each would cost O(n^2 log n) over a study. */
    if (rc || g->n_complete < g->n_read + 1 + g->n_read / 20)
        return rc;
    g->n_read = g->n_complete;
    if (g->end_step == 0)
        g->end_rung = 0; /* no rung ends before step 0 */
    else if ((rc = hpo__sha_rung_of_step(sha, g->end_step - 1, &g->end_rung,
                                         m)))
        return rc;
    for (int k = 0; k < HPO__MAX_RUNGS && !rc && g->pairs[k].n > 0; k++) {
        rc = rung_correlation(g, k, d, &g->correlation[k], m);
        g->bound[k] = lower_bound(g->correlation[k], (g->pairs[k].n + 1) / 2);
    }
    if (rc)
        return rc;
    int now = first_trusted(g);
    *changed = now != g->first_trusted;
    *first = g->first_trusted = now;
    return HPO_OK;
}
