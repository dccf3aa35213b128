/*
 * tpe_parzen.c — the Parzen estimators of TPE: a weighted mixture of
 * truncated Gaussians (numerical axes) and smoothed one-hot kernels
 * (categorical axes), one component per observation plus a uniform prior
 * (Bergstra et al., "Algorithms for Hyper-Parameter Optimization", NIPS
 * 2011; the components as Optuna 3.1's _ParzenEstimator and Watanabe,
 * "Tree-structured Parzen Estimator: Understanding Its Algorithm
 * Components", 2023, describe them).
 *
 * Everything numerical works on the unit encoding, where the domain is
 * [0, 1]; bandwidths are therefore fractions of the (transformed) range:
 *   univariate:   the larger gap to a sorted neighbour (the prior's centre
 *                 0.5 and, with consider_endpoints, 0 and 1 among them);
 *   multivariate: 0.2 n^(-1/(d+4)) (Scott's rule as Optuna uses it);
 *   both clipped to [1/min(100, n + 2), 1] (the "magic clip"; n + 2 =
 *                 observations, the prior, and one).
 * Ints and steps (equal bins) take the Gaussian's mass over their bin;
 * log ints are continuous in log space and rounded, as in Optuna.
 * A categorical kernel gives its observed choice 1 + a and the others a,
 * a = prior_weight / n_components, normalised; the prior is uniform.
 * By default a continuous kernel's density omits 1/sigma, as Optuna 3.1's
 * truncnorm.logpdf does (optuna#5109); exact_density=true restores it.
 * Speed (deviation 4 in tpe.c): exponentials by a polynomial, negligible
 * terms dropped, and a window over the sorted components.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tpe.h"

#define SIGMA0_MAGNITUDE 0.2
#define LOG_SQRT_2PI 0.91893853320467274178
/* Beyond this many bandwidths from both ends a Gaussian's mass inside
 * [0, 1] is 1 to double precision. */
#define FAR_Z 8.5

void tpe_axis_init(tpe_axis *a, const hpo__dist *d)
{
    a->dist = d;
    a->n_choices = d->kind == HPO__CATEGORICAL ? d->n_choices : 0;
    a->n_bins = 0;
    int binned = (d->kind == HPO__INT && !d->log) ||
                 (d->kind == HPO__FLOAT && d->step > 0);
    if (binned)
        a->n_bins = (int)fmin(hpo__dist_cardinality(d), 1e9);
}

double tpe_axis_encode(const tpe_axis *a, double internal)
{
    if (a->n_choices)
        return internal;
    return hpo__dist_to_unit(a->dist, internal);
}

double tpe_axis_decode(const tpe_axis *a, double x)
{
    if (a->n_choices)
        return x;
    return hpo__dist_from_unit(a->dist, x);
}

/* Onto a legal value: a bin's centre, a whole log int, an index. */
static double snap(const tpe_axis *a, double x)
{
    if (a->n_choices)
        return x;
    if (a->n_bins) {
        double k = fmin(floor(fmax(x, 0) * a->n_bins), a->n_bins - 1);
        return (k + 0.5) / a->n_bins;
    }
    return hpo__dist_to_unit(a->dist, hpo__dist_from_unit(a->dist, x));
}

static double normal_cdf(double z)
{
    return 0.5 * erfc(-z * M_SQRT1_2);
}

/* Mass of N(0,1) over [a, b], accurate in both tails. */
static double normal_mass(double a, double b)
{
    if (a > 0)
        return 0.5 * (erfc(a * M_SQRT1_2) - erfc(b * M_SQRT1_2));
    return normal_cdf(b) - normal_cdf(a);
}

typedef struct sorted_mu {
    double mu;
    int index;
} sorted_mu;

static int mu_less(sorted_mu a, sorted_mu b)
{
    return a.mu < b.mu || (a.mu == b.mu && a.index < b.index);
}

/* Quicksort by (mu, index) without qsort's indirect calls: this sort runs
 * once per parameter per trial over the whole history. */
static void swap_mu(sorted_mu *a, sorted_mu *b)
{
    sorted_mu t = *a;
    *a = *b;
    *b = t;
}

static void sort_mus(sorted_mu *v, int n)
{
    while (n > 16) {
        /* Median of three to the end, then Lomuto's partition (the keys
         * are distinct: the index breaks ties). */
        int m = n / 2;
        if (mu_less(v[m], v[0]))
            swap_mu(&v[m], &v[0]);
        if (mu_less(v[n - 1], v[0]))
            swap_mu(&v[n - 1], &v[0]);
        if (mu_less(v[m], v[n - 1]))
            swap_mu(&v[m], &v[n - 1]);
        sorted_mu pivot = v[n - 1];
        int store = 0;
        for (int i = 0; i < n - 1; i++)
            if (mu_less(v[i], pivot))
                swap_mu(&v[i], &v[store++]);
        swap_mu(&v[store], &v[n - 1]);
        /* Recurse into the smaller side, loop on the larger. */
        if (store < n - store - 1) {
            sort_mus(v, store);
            v += store + 1;
            n -= store + 1;
        } else {
            sort_mus(v + store + 1, n - store - 1);
            n = store;
        }
    }
    for (int i = 1; i < n; i++) {
        sorted_mu t = v[i];
        int j = i;
        for (; j > 0 && mu_less(t, v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
}

/* Univariate bandwidths: the larger gap to a neighbour among the
 * observations and the prior's centre (sigma[n_obs] is the prior's). */
static int neighbour_sigmas(hpo_plugin_ctx *ctx, const double *mu,
                            int n_obs, const int *presorted,
                            int consider_endpoints, double *sigma,
                            sorted_mu **sorted)
{
    int n = n_obs + 1;
    sorted_mu *s = hpo__scratch(ctx, sizeof *s * (size_t)(n + 2));
    if (!s)
        return hpo__oom(ctx->msg);
    if (presorted) {
        /* Merge the prior's centre into the given order (its index is the
         * largest, so it follows equal values). */
        int at = 1, prior_done = 0;
        for (int i = 0; i < n_obs; i++) {
            int r = presorted[i];
            if (!prior_done && mu[r] > 0.5) {
                s[at++] = (sorted_mu){0.5, n_obs};
                prior_done = 1;
            }
            s[at++] = (sorted_mu){mu[r], r};
        }
        if (!prior_done)
            s[at++] = (sorted_mu){0.5, n_obs};
    } else {
        for (int i = 0; i < n_obs; i++)
            s[i + 1] = (sorted_mu){mu[i], i};
        s[n] = (sorted_mu){0.5, n_obs};
        sort_mus(s + 1, n);
    }
    s[0].mu = 0;
    s[n + 1].mu = 1;
    for (int i = 1; i <= n; i++) {
        double left = s[i].mu - s[i - 1].mu, right = s[i + 1].mu - s[i].mu;
        if (!consider_endpoints && n >= 2) {
            if (i == 1)
                left = right;
            if (i == n)
                right = left;
        }
        sigma[s[i].index] = left > right ? left : right;
    }
    *sorted = s + 1;
    return HPO_OK;
}

/*
 * The window of a univariate continuous estimator: its observation
 * components by mu, with how far each reaches (WINDOW_Z bandwidths).  A
 * component beyond its reach adds less than e^-40 of its own peak to the
 * mixture, which always holds the prior's density (at least its weight
 * times 0.24), so skipping it changes log_pdf by far less than 1e-12 —
 * and with the history at 1,000 trials most components are out of reach
 * of any one candidate.
 */
#define WINDOW_Z 9.0

static int build_window(tpe_parzen *pe, hpo_plugin_ctx *ctx,
                        const sorted_mu *sorted, int n_obs)
{
    size_t n = (size_t)n_obs + 1;
    pe->win_index = hpo__scratch(ctx, sizeof(int) * n);
    pe->win_mu = hpo__scratch(ctx, sizeof(double) * n);
    pe->win_inv_sigma = hpo__scratch(ctx, sizeof(double) * n);
    pe->win_offset = hpo__scratch(ctx, sizeof(double) * n);
    pe->win_reach_right = hpo__scratch(ctx, sizeof(double) * n);
    pe->win_reach_left = hpo__scratch(ctx, sizeof(double) * n);
    if (!pe->win_index || !pe->win_mu || !pe->win_reach_right ||
        !pe->win_reach_left || !pe->win_inv_sigma || !pe->win_offset)
        return hpo__oom(ctx->msg);
    int m = 0;
    for (int i = 0; i <= n_obs; i++) {
        int k = sorted[i].index;
        if (k == n_obs)
            continue; /* the prior reaches everywhere: always summed */
        pe->win_index[m] = k;
        pe->win_mu[m] = pe->mu[k];
        pe->win_inv_sigma[m] = pe->inv_sigma[k];
        pe->win_offset[m] = pe->log_weight[k] + pe->log_norm[k];
        double reach = WINDOW_Z * pe->sigma[k];
        double right = pe->mu[k] + reach;
        pe->win_reach_right[m] =
            m > 0 && pe->win_reach_right[m - 1] > right
                ? pe->win_reach_right[m - 1]
                : right;
        pe->win_reach_left[m] = pe->mu[k] - reach;
        m++;
    }
    for (int i = m - 2; i >= 0; i--)
        if (pe->win_reach_left[i + 1] < pe->win_reach_left[i])
            pe->win_reach_left[i] = pe->win_reach_left[i + 1];
    pe->n_window = m;
    return HPO_OK;
}

static void mixture_weights(tpe_parzen *pe, const double *w, int n_obs,
                            double prior_weight)
{
    double total = prior_weight;
    for (int i = 0; i < n_obs; i++)
        total += w[i];
    double cum = 0;
    for (int k = 0; k < pe->n_comp; k++) {
        double wk = (k < n_obs ? w[k] : prior_weight) / total;
        pe->weight[k] = wk;
        pe->log_weight[k] = log(wk);
        cum += wk;
        pe->cum_weight[k] = cum;
    }
}

static int numerical_axis(tpe_parzen *pe, hpo_plugin_ctx *ctx, int j,
                          const double *obs, int n_obs, const int *presorted,
                          const tpe_opts *o)
{
    int na = pe->n_axes, nc = pe->n_comp;
    sorted_mu *sorted = NULL;
    double *mu = hpo__scratch(ctx, sizeof(double) * (size_t)nc);
    double *sig = hpo__scratch(ctx, sizeof(double) * (size_t)nc);
    if (!mu || !sig)
        return hpo__oom(ctx->msg);
    for (int i = 0; i < n_obs; i++)
        mu[i] = obs[(size_t)i * na + j];
    mu[n_obs] = 0.5;
    if (o->multivariate) {
        double s = SIGMA0_MAGNITUDE *
                   pow(n_obs > 1 ? n_obs : 1, -1.0 / (na + 4));
        for (int i = 0; i < n_obs; i++)
            sig[i] = s;
    } else {
        int rc = neighbour_sigmas(ctx, mu, n_obs, na == 1 ? presorted : NULL,
                                  o->consider_endpoints, sig, &sorted);
        if (rc)
            return rc;
    }
    double min_sigma = o->magic_clip ? 1.0 / fmin(100.0, n_obs + 2.0) : 1e-12;
    for (int k = 0; k < nc; k++) {
        double s = sig[k] < min_sigma ? min_sigma : sig[k] > 1 ? 1.0 : sig[k];
        if (k == n_obs)
            s = 1.0;
        double m = mu[k];
        double z = 1.0;
        if (m < FAR_Z * s || 1 - m < FAR_Z * s)
            z = normal_mass(-m / s, (1 - m) / s);
        size_t at = (size_t)j * nc + k;
        pe->mu[at] = m;
        pe->sigma[at] = s;
        pe->inv_sigma[at] = 1 / s;
        pe->log_norm[at] = pe->axes[j].n_bins
                               ? -log(z)
                               : -LOG_SQRT_2PI - log(z) -
                                     (o->exact_density ? log(s) : 0);
    }
    if (sorted && na == 1 && !pe->axes[j].n_bins)
        return build_window(pe, ctx, sorted, n_obs);
    return HPO_OK;
}

static void categorical_axis(tpe_parzen *pe, int j, const double *obs,
                             int n_obs, const tpe_opts *o)
{
    int na = pe->n_axes, nch = pe->axes[j].n_choices;
    double a = o->prior_weight / pe->n_comp;
    double denom = a * nch + 1;
    pe->log_hit[j] = log((a + 1) / denom);
    pe->log_miss[j] = log(a / denom);
    for (int k = 0; k < pe->n_comp; k++)
        pe->mu[(size_t)j * pe->n_comp + k] =
            k < n_obs ? obs[(size_t)k * na + j] : -1;
}

int tpe_parzen_build(tpe_parzen *pe, hpo_plugin_ctx *ctx,
                     const tpe_axis *axes, int n_axes, const double *obs,
                     const double *w, int n_obs, const int *sorted,
                     const tpe_opts *o)
{
    memset(pe, 0, sizeof *pe);
    pe->n_axes = n_axes;
    pe->n_comp = n_obs + 1;
    pe->axes = axes;
    size_t nc = (size_t)pe->n_comp, cells = nc * (size_t)n_axes;
    pe->weight = hpo__scratch(ctx, sizeof(double) * nc);
    pe->cum_weight = hpo__scratch(ctx, sizeof(double) * nc);
    pe->log_weight = hpo__scratch(ctx, sizeof(double) * nc);
    pe->terms = hpo__scratch(ctx, sizeof(double) * nc);
    pe->mu = hpo__scratch(ctx, sizeof(double) * cells);
    pe->sigma = hpo__scratch(ctx, sizeof(double) * cells);
    pe->inv_sigma = hpo__scratch(ctx, sizeof(double) * cells);
    pe->log_norm = hpo__scratch(ctx, sizeof(double) * cells);
    pe->log_hit = hpo__scratch(ctx, sizeof(double) * (size_t)n_axes);
    pe->log_miss = hpo__scratch(ctx, sizeof(double) * (size_t)n_axes);
    if (!pe->weight || !pe->cum_weight || !pe->log_weight || !pe->terms ||
        !pe->mu || !pe->sigma || !pe->inv_sigma || !pe->log_norm || !pe->log_hit ||
        !pe->log_miss)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "tpe: out of memory");
    mixture_weights(pe, w, n_obs, o->prior_weight);
    for (int j = 0; j < n_axes; j++) {
        if (axes[j].n_choices) {
            categorical_axis(pe, j, obs, n_obs, o);
        } else if (numerical_axis(pe, ctx, j, obs, n_obs, sorted, o)) {
            return hpo__fail(ctx->msg, HPO_ENOMEM, "tpe: out of memory");
        }
    }
    return HPO_OK;
}

/* A draw from N(mu, sigma) truncated to [0, 1], by rejection: the mass
 * inside is at least a third whenever mu is in [0, 1] and sigma <= 1. */
static double truncated_normal(double mu, double sigma, hpo__rng *rng)
{
    for (int tries = 0; tries < 1000; tries++) {
        double x = mu + sigma * hpo__rng_normal(rng);
        if (x >= 0 && x <= 1)
            return x;
    }
    return fmin(fmax(mu, 0), 1);
}

static int draw_component(const tpe_parzen *pe, hpo__rng *rng)
{
    double u = hpo__rng_uniform(rng);
    int lo = 0, hi = pe->n_comp - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (pe->cum_weight[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void tpe_parzen_sample(const tpe_parzen *pe, hpo__rng *rng, double *x)
{
    int k = draw_component(pe, rng);
    for (int j = 0; j < pe->n_axes; j++) {
        const tpe_axis *a = &pe->axes[j];
        size_t at = (size_t)j * pe->n_comp + k;
        if (a->n_choices) {
            /* The kernel is "its choice with 1/denom, else uniform". */
            double keep = exp(pe->log_hit[j]) - exp(pe->log_miss[j]);
            int c = (int)pe->mu[at];
            if (c >= 0 && hpo__rng_uniform(rng) < keep)
                x[j] = c;
            else
                x[j] = (double)hpo__rng_below(rng, (uint64_t)a->n_choices);
        } else {
            x[j] = snap(a, truncated_normal(pe->mu[at], pe->sigma[at], rng));
        }
    }
}

/* Add each component's log kernel at x on axis j to terms. */
static void add_axis_terms(const tpe_parzen *pe, int j, double x,
                           double *terms)
{
    const tpe_axis *a = &pe->axes[j];
    int nc = pe->n_comp;
    const double *mu = pe->mu + (size_t)j * nc;
    const double *sigma = pe->sigma + (size_t)j * nc;
    const double *log_norm = pe->log_norm + (size_t)j * nc;
    if (a->n_choices) {
        double prior = -log((double)a->n_choices);
        for (int k = 0; k < nc; k++)
            terms[k] += mu[k] < 0    ? prior
                        : mu[k] == x ? pe->log_hit[j]
                                     : pe->log_miss[j];
    } else if (a->n_bins) {
        double h = 0.5 / a->n_bins;
        for (int k = 0; k < nc; k++) {
            double s = sigma[k];
            double m = normal_mass((x - h - mu[k]) / s, (x + h - mu[k]) / s);
            if (m > 1e-300) {
                terms[k] += log(m) + log_norm[k];
            } else {
                /* Far in the tail: the density at the centre times the
                 * bin's width. */
                double z = (x - mu[k]) / s;
                terms[k] += -0.5 * z * z - LOG_SQRT_2PI + log(2 * h / s) +
                            log_norm[k];
            }
        }
    } else {
        /* The hot loop: plain arithmetic the compiler vectorises. */
        const double *inv_sigma = pe->inv_sigma + (size_t)j * nc;
        for (int k = 0; k < nc; k++) {
            double z = (x - mu[k]) * inv_sigma[k];
            terms[k] += log_norm[k] - 0.5 * z * z;
        }
    }
}

/* Terms this far below the largest add less than 1e-17 of it. */
#define NEGLIGIBLE_LOG 40.0

/* exp(t) for t in [-NEGLIGIBLE_LOG, 0],
 * written without branches, tables or libm calls so that the loop over
 * the components (the sampler's hot spot) is vectorised:
 * exp(t) = 2^n exp(r), n = round(t / ln 2), |r| <= ln(2)/2, exp(r) by its
 * Taylor polynomial of degree 8 (relative error below 1e-8: the sums
 * only rank candidates, and ties that close are decided by chance).  n is read from the low bits of the
 * rounded double (the 1.5 * 2^52 trick), so no float-to-int conversion. */
/* Floating-point exception flags are never read here; without them GCC
 * may turn the clamp below into a vector select. */
#define NO_TRAPS __attribute__((optimize("no-trapping-math")))

static inline NO_TRAPS double exp_nonpositive(double t)
{
    const double shifter = 6755399441055744.0; /* 1.5 * 2^52 */
    double shifted = t * M_LOG2E + shifter;
    double n = shifted - shifter;
    double r = t - n * M_LN2;
    double p = 1.0 / 40320;
    p = p * r + 1.0 / 5040;
    p = p * r + 1.0 / 720;
    p = p * r + 1.0 / 120;
    p = p * r + 1.0 / 24;
    p = p * r + 1.0 / 6;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    uint64_t bits, shifter_bits;
    memcpy(&bits, &shifted, sizeof bits);
    memcpy(&shifter_bits, &shifter, sizeof bits);
    bits = (bits - shifter_bits + 1023) << 52; /* 2^n */
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* terms[k] <- exp(terms[k] - top), terms more than NEGLIGIBLE_LOG below
 * counting as that far. */
static NO_TRAPS void exp_shifted(double *terms, int nc, double top)
{
    /* Unrolled so that several polynomial chains overlap (each is a long
     * chain of dependent multiply-adds). */
#pragma GCC unroll 4
    for (int k = 0; k < nc; k++) {
        double t = terms[k] - top;
        terms[k] = exp_nonpositive(t < -NEGLIGIBLE_LOG ? -NEGLIGIBLE_LOG : t);
    }
}

/* log of the sum of exp(terms[0..n)). */
static double log_sum_exp(double *terms, int n)
{
    double top = -INFINITY;
    for (int k = 0; k < n; k++)
        if (terms[k] > top)
            top = terms[k];
    if (top == -INFINITY)
        return top;
    /* Two loops: the map vectorises, the sum (order fixed) does not. */
    exp_shifted(terms, n, top);
    double sum = 0;
    for (int k = 0; k < n; k++)
        sum += terms[k];
    return top + log(sum);
}

/* The univariate continuous case through the window: only the components
 * whose reach covers x, plus the prior. */
static double windowed_log_pdf(const tpe_parzen *pe, double x)
{
    int lo = 0, hi = pe->n_window;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (pe->win_mu[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Both reaches are monotone: the first component whose running
     * maximum of right reaches gets to x, and the first whose suffix
     * minimum of left reaches lies beyond it. */
    int a = 0, hi_a = lo;
    while (a < hi_a) {
        int mid = (a + hi_a) / 2;
        if (pe->win_reach_right[mid] < x)
            a = mid + 1;
        else
            hi_a = mid;
    }
    int b = lo, hi_b = pe->n_window;
    while (b < hi_b) {
        int mid = (b + hi_b) / 2;
        if (pe->win_reach_left[mid] <= x)
            b = mid + 1;
        else
            hi_b = mid;
    }
    double *terms = pe->terms;
    const double *mu = pe->win_mu + a, *inv_sigma = pe->win_inv_sigma + a;
    const double *offset = pe->win_offset + a;
    int n = b - a;
    for (int i = 0; i < n; i++) {
        double z = (x - mu[i]) * inv_sigma[i];
        terms[i] = offset[i] - 0.5 * z * z;
    }
    int k = pe->n_comp - 1; /* the prior */
    double z = (x - pe->mu[k]) * pe->inv_sigma[k];
    terms[n++] = pe->log_weight[k] + pe->log_norm[k] - 0.5 * z * z;
    return log_sum_exp(terms, n);
}

double tpe_parzen_log_pdf(const tpe_parzen *pe, const double *x)
{
    if (pe->win_index)
        return windowed_log_pdf(pe, x[0]);
    int nc = pe->n_comp;
    double *terms = pe->terms;
    memcpy(terms, pe->log_weight, sizeof(double) * (size_t)nc);
    for (int j = 0; j < pe->n_axes; j++)
        add_axis_terms(pe, j, x[j], terms);
    return log_sum_exp(terms, nc);
}

int tpe_pick(hpo_plugin_ctx *ctx, const tpe_parzen *below,
             const tpe_parzen *above, int n_candidates, double *best)
{
    int na = below->n_axes;
    double *x = hpo__scratch(ctx, sizeof(double) * (size_t)na);
    if (!x)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "tpe: out of memory");
    double best_score = -INFINITY;
    for (int c = 0; c < n_candidates; c++) {
        tpe_parzen_sample(below, ctx->rng, x);
        double score =
            tpe_parzen_log_pdf(below, x) - tpe_parzen_log_pdf(above, x);
        /* Ties (deviation 7 in tpe.c): only a clear gain replaces the
         * first-drawn candidate, so equal ratios are not decided by
         * rounding. */
        if (c == 0 || score > best_score + TPE_TIE_LOG_RATIO) {
            best_score = score;
            memcpy(best, x, sizeof(double) * (size_t)na);
        }
    }
    return HPO_OK;
}
