/*
 * gp_ehvi.c — exact expected hypervolume improvement for two objectives
 * (Emmerich, Giannakoglou & Naujoks 2006, "Single- and Multiobjective
 * Evolutionary Optimization Assisted by Gaussian Random Field Metamodels";
 * the exact O(m) form of Emmerich, Deutz & Klinkenberg 2011,
 * "Hypervolume-based Expected Improvement: Monotonicity Properties and
 * Exact Computation"), computed in log space after Ament et al. 2023 so
 * that far from the front it keeps a gradient instead of underflowing.
 *
 * The improvement a new point Y brings is the area of the part of the
 * non-dominated region A (below the reference point, dominated by no front
 * point) that Y dominates: HVI(Y) = integral over z in A of [Y <= z].  So
 * EHVI = integral over A of P(Y1 <= z1) P(Y2 <= z2) dz.  With the front
 * sorted by f1, A is a staircase of m + 1 vertical strips
 *     S_i = [a_i, b_i) x (-inf, c_i),
 *     a_0 = -inf, a_i = f1(p_i), b_i = f1(p_i+1) (b_m = r1),
 *     c_0 = r2,   c_i = f2(p_i),
 * and the integral factorizes on each strip:
 *     EHVI = sum_i sd1 [h(beta_i) - h(alpha_i)] * sd2 h(gamma_i),
 * with h(u) = u Phi(u) + phi(u) (h' = Phi), alpha = (a - mu1)/sd1,
 * beta = (b - mu1)/sd1, gamma = (c - mu2)/sd2.  Each factor's log comes
 * from gp_log_h; the difference h(beta) - h(alpha) as
 * h(beta) (1 - exp(log h(alpha) - log h(beta))), and the strips are summed
 * by a running log-sum-exp.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp_acq.h"
#include "gp_ehvi.h"

static int by_f1_then_f2(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    if (a[0] != b[0])
        return (a[0] > b[0]) - (a[0] < b[0]);
    return (a[1] > b[1]) - (a[1] < b[1]);
}

void gp_front2_build(gp_front2 *f, const double *y, int stride,
                     const unsigned char *use, int n, double ref1,
                     double ref2, double *storage)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        const double *p = y + (size_t)i * stride;
        if ((use && !use[i]) || !(p[0] < ref1 && p[1] < ref2))
            continue;
        storage[2 * k] = p[0];
        storage[2 * k + 1] = p[1];
        k++;
    }
    qsort(storage, (size_t)k, 2 * sizeof(double), by_f1_then_f2);
    /* Sweep by f1: a point is on the front iff its f2 beats every point
     * before it. */
    int m = 0;
    for (int i = 0; i < k; i++)
        if (m == 0 || storage[2 * i + 1] < storage[2 * (m - 1) + 1]) {
            storage[2 * m] = storage[2 * i];
            storage[2 * m + 1] = storage[2 * i + 1];
            m++;
        }
    f->m = m;
    f->pt = storage;
    f->ref[0] = ref1;
    f->ref[1] = ref2;
}

double gp_front2_volume(const gp_front2 *f)
{
    double v = 0;
    for (int i = 0; i < f->m; i++) {
        double right = i + 1 < f->m ? f->pt[2 * (i + 1)] : f->ref[0];
        v += (right - f->pt[2 * i]) * (f->ref[1] - f->pt[2 * i + 1]);
    }
    return v;
}

/* log of sd [h(beta) - h(alpha)] (alpha = -inf when a is), and its
 * derivatives in mu and sd. */
static double log_strip_width(double a, double b, double mu, double sd,
                              double *dmu, double *dsd)
{
    double beta = (b - mu) / sd, dbeta;
    double lb = gp_log_h(beta, &dbeta);
    /* r_mu = (Phi(b) - Phi(a)) / (h(b) - h(a)), r_sd likewise for u Phi(u):
     * d/dmu = -r_mu / sd, d/dsd = -r_sd / sd. */
    double value = lb, r_mu = dbeta, r_sd = beta * dbeta;
    if (isfinite(a)) {
        double alpha = (a - mu) / sd, dalpha;
        double diff = gp_log_h(alpha, &dalpha) - lb;
        double rho = exp(diff), gap = -expm1(diff);
        if (!(gap > 0))
            return -HUGE_VAL; /* a strip too thin to resolve */
        value += log(gap);
        if (gap > 1e-10) {
            r_mu = (dbeta - dalpha * rho) / gap;
            r_sd = (beta * dbeta - alpha * dalpha * rho) / gap;
        } else { /* the limits as alpha -> beta: phi/Phi, (Phi + u phi)/Phi */
            r_mu = 1 / dbeta - beta;
            r_sd = 1 + beta * r_mu;
        }
    }
    *dmu = -r_mu / sd;
    *dsd = (1 - r_sd) / sd;
    return value + log(sd);
}

/* log of sd h(gamma): the expected improvement below c. */
static double log_strip_height(double c, double mu, double sd, double *dmu,
                               double *dsd)
{
    double gamma = (c - mu) / sd, dgamma;
    double value = log(sd) + gp_log_h(gamma, &dgamma);
    *dmu = -dgamma / sd;
    *dsd = (1 - gamma * dgamma) / sd;
    return value;
}

/* A running log-sum-exp of terms with gradients (4 partials each). */
typedef struct lse {
    double max, sum, grad[4];
} lse;

static void lse_add(lse *s, double term, const double g[4])
{
    if (!(term > -HUGE_VAL))
        return;
    if (term > s->max) {
        double scale = s->max > -HUGE_VAL ? exp(s->max - term) : 0;
        s->sum *= scale;
        for (int k = 0; k < 4; k++)
            s->grad[k] *= scale;
        s->max = term;
    }
    double w = exp(term - s->max);
    s->sum += w;
    for (int k = 0; k < 4; k++)
        s->grad[k] += w * g[k];
}

double gp_log_ehvi2(const gp_front2 *f, const double mu[2],
                    const double sd[2], double dmu[2], double dsd[2])
{
    lse s = {-HUGE_VAL, 0, {0, 0, 0, 0}};
    for (int i = 0; i <= f->m; i++) {
        double a = i == 0 ? -HUGE_VAL : f->pt[2 * (i - 1)];
        double b = i < f->m ? f->pt[2 * i] : f->ref[0];
        double c = i == 0 ? f->ref[1] : f->pt[2 * (i - 1) + 1];
        double g[4]; /* d/dmu1, d/dsd1, d/dmu2, d/dsd2 */
        double term = log_strip_width(a, b, mu[0], sd[0], &g[0], &g[1]) +
                      log_strip_height(c, mu[1], sd[1], &g[2], &g[3]);
        lse_add(&s, term, g);
    }
    if (dmu) {
        double norm = s.sum > 0 ? 1 / s.sum : 0;
        dmu[0] = s.grad[0] * norm;
        dsd[0] = s.grad[1] * norm;
        dmu[1] = s.grad[2] * norm;
        dsd[1] = s.grad[3] * norm;
    }
    return s.sum > 0 ? s.max + log(s.sum) : -HUGE_VAL;
}
