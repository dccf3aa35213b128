/*
 * halving.c — rungs of successive halving / ASHA and brackets of
 * Hyperband, as pure arithmetic (see halving.h for the interface).
 *
 * Papers: Li et al., "Hyperband: A Novel Bandit-Based Approach to
 * Hyperparameter Optimization", JMLR 18(185), 2018 (Algorithm 1, Table 1);
 * Li et al., "A System for Massively Parallel Hyperparameter Tuning",
 * MLSys 2020 (ASHA, Algorithm 2).  Written after reading Optuna 3.1's
 * optuna/pruners/_successive_halving.py and _hyperband.py.
 *
 * Followed from Optuna 3.1:
 *  1. Rung k of a successive halving is complete at step
 *     min_resource * eta^(min_early_stopping_rate + k); a trial's value at
 *     that step is stored as "completed_rung_<k>".
 *  2. Promotion compares the trial's value with the value at index
 *     n / eta - 1 (0 when that is -1, so the first eta - 1 trials at a rung
 *     go on only when best so far: Optuna cannot suspend and resume a
 *     trial, as ASHA would) among the n values including its own; ties
 *     promote; with n <= bootstrap_count nothing is promoted.
 *  3. `auto` min_resource = max(largest last step of the COMPLETE trials
 *     / 100, 1), fixed once known; `auto` max_resource = that largest last
 *     step + 1.
 *  4. Bracket ids run 0..s_max with 0 the most aggressive (rate 0); bracket
 *     id b is a successive halving with min_early_stopping_rate b.  Its
 *     share of trials is the paper's n of bracket s = s_max - b, and a trial
 *     goes to the bracket where crc32("<study name>_<trial number>")
 *     modulo the sum of the shares falls, walking ids upward.  The same
 *     study name and trial number give the same bracket on any worker.
 * Followed from the paper instead (deviations from Optuna):
 *  5. s_max = floor(log_eta(R / r)) is computed exactly, as the largest s
 *     with r * eta^s <= R.  Optuna takes math.log in floating point, which
 *     rounds log_3(243) down to 4.999..., so for R / r = 243 and eta = 3
 *     Optuna makes 5 brackets where the paper (and hpo) make 6.
 *  6. hpo__hyperband_round gives the paper's r_i = R * eta^(i - s), anchored
 *     at the maximum resource; Optuna's rungs, anchored at min_resource
 *     (item 1), agree with it when R / r is a power of eta.
 *  7. The rung values are kept sorted per rung, so a decision is a binary
 *     search rather than Optuna's sort of every competing value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "halving.h"

/* base^exp into *out; 0 when it does not fit in an int64_t. */
static int pow_fits(int64_t base, int64_t exp, int64_t *out)
{
    int64_t p = 1;
    for (int64_t i = 0; i < exp; i++)
        if (__builtin_mul_overflow(p, base, &p))
            return 0;
    *out = p;
    return 1;
}

static int check_eta(int64_t eta, hpo__msg *m)
{
    if (eta < 2)
        return hpo__fail(m, HPO_EINVAL,
                         "reduction_factor is %lld, must be >= 2",
                         (long long)eta);
    return HPO_OK;
}

static int check_min_resource(int64_t r, hpo__msg *m)
{
    if (r < 1)
        return hpo__fail(m, HPO_EINVAL, "min_resource is %lld, must be >= 1",
                         (long long)r);
    return HPO_OK;
}

int hpo__sha_init(hpo__sha *sha, int64_t min_resource, int64_t eta,
                  int64_t rate, hpo__msg *m)
{
    int rc = check_min_resource(min_resource, m);
    if (!rc)
        rc = check_eta(eta, m);
    if (!rc && rate < 0)
        rc = hpo__fail(m, HPO_EINVAL,
                       "min_early_stopping_rate is %lld, must be >= 0",
                       (long long)rate);
    if (!rc)
        *sha = (hpo__sha){min_resource, eta, rate};
    return rc;
}

/* The step of rung k into *step; 0 when it does not fit in an int64_t. */
static int rung_step_fits(const hpo__sha *sha, int k, int64_t *step)
{
    int64_t p = 1;
    return pow_fits(sha->eta, sha->rate + k, &p) &&
           !__builtin_mul_overflow(p, sha->min_resource, step);
}

int hpo__sha_rung_step(const hpo__sha *sha, int k, int64_t *step,
                       hpo__msg *m)
{
    if (k < 0)
        return hpo__fail(m, HPO_EINVAL, "rung %d: rungs start at 0", k);
    if (!rung_step_fits(sha, k, step))
        return hpo__fail(m, HPO_EINVAL,
                         "rung %d: its step %lld * %lld^%lld exceeds 2^63",
                         k, (long long)sha->min_resource,
                         (long long)sha->eta, (long long)(sha->rate + k));
    return HPO_OK;
}

int hpo__sha_rung_of_step(const hpo__sha *sha, int64_t step, int *rung,
                          hpo__msg *m)
{
    if (step < 0)
        return hpo__fail(m, HPO_EINVAL, "step %lld: steps are >= 0",
                         (long long)step);
    /* At most 63 rung steps fit in an int64_t, so this loop is short. */
    int k = 0;
    int64_t at;
    while (rung_step_fits(sha, k, &at) && at <= step)
        k++;
    *rung = k;
    return HPO_OK;
}

void hpo__sha_rung_key(int k, char *buf, size_t size)
{
    snprintf(buf, size, "completed_rung_%d", k);
}

/* The largest of last_steps[0..n-1] (-1 when n == 0). */
static int largest_step(const int64_t *last_steps, int n, int64_t *out,
                        hpo__msg *m)
{
    int64_t best = -1;
    for (int i = 0; i < n; i++) {
        if (last_steps[i] < 0)
            return hpo__fail(m, HPO_EINVAL, "last step %lld: steps are >= 0",
                             (long long)last_steps[i]);
        if (last_steps[i] > best)
            best = last_steps[i];
    }
    *out = best;
    return HPO_OK;
}

int hpo__sha_auto_min_resource(const int64_t *last_steps, int n,
                               int64_t *out, hpo__msg *m)
{
    int64_t last = -1;
    int rc = largest_step(last_steps, n, &last, m);
    if (!rc)
        *out = last < 0 ? 0 : last / 100 > 1 ? last / 100 : 1;
    return rc;
}

int hpo__hyperband_auto_max_resource(const int64_t *last_steps, int n,
                                     int64_t *out, hpo__msg *m)
{
    int64_t last = -1;
    int rc = largest_step(last_steps, n, &last, m);
    if (!rc && last == INT64_MAX)
        rc = hpo__fail(m, HPO_EINVAL, "last step %lld leaves no room for +1",
                       (long long)last);
    if (!rc)
        *out = last + 1; /* 0 when there is none */
    return rc;
}

/* ---- the rung's sorted values ------------------------------------------ */

/* How many values in r are < v (lower) or <= v (upper): binary search. */
static int count_below(const hpo__rung *r, double v, int or_equal)
{
    int lo = 0, hi = r->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (r->v[mid] < v || (or_equal && r->v[mid] == v))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int hpo__rung_add(hpo__rung *r, double value, hpo__msg *m)
{
    if (isnan(value))
        return hpo__fail(m, HPO_EINVAL, "a rung value is NaN");
    if (r->n == INT32_MAX)
        return hpo__fail(m, HPO_EINVAL, "a rung holds at most %d values",
                         INT32_MAX);
    if (hpo__grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v))
        return hpo__oom(m);
    int at = count_below(r, value, 1);
    memmove(r->v + at + 1, r->v + at, (size_t)(r->n - at) * sizeof *r->v);
    r->v[at] = value;
    r->n++;
    return HPO_OK;
}

void hpo__rung_free(hpo__rung *r)
{
    free(r->v);
    *r = (hpo__rung){0};
}

int hpo__rung_promotable(const hpo__rung *r, double value, int64_t eta,
                         int64_t bootstrap_count, hpo_direction d,
                         int *promote, hpo__msg *m)
{
    int rc = check_eta(eta, m);
    if (rc)
        return rc;
    if (isnan(value))
        return hpo__fail(m, HPO_EINVAL, "the value at the rung is NaN");
    if (d != HPO_MINIMIZE && d != HPO_MAXIMIZE)
        return hpo__fail(m, HPO_EINVAL, "direction %d is neither minimize "
                         "nor maximize", (int)d);
    int64_t n = (int64_t)r->n + 1;
    int64_t idx = n / eta - 1 < 0 ? 0 : n / eta - 1;
    /* With the values in best-first order, ours is no worse than the one
     * at idx exactly when at most idx of the others are strictly better:
     * one binary search, O(log n). */
    int64_t better = d == HPO_MINIMIZE ? count_below(r, value, 0)
                                       : r->n - count_below(r, value, 1);
    *promote = n > bootstrap_count && better <= idx;
    return HPO_OK;
}

/* ---- Hyperband --------------------------------------------------------- */

int hpo__hyperband_init(hpo__hyperband *hb, int64_t min_resource,
                        int64_t max_resource, int64_t eta, hpo__msg *m)
{
    int rc = check_min_resource(min_resource, m);
    if (!rc)
        rc = check_eta(eta, m);
    if (!rc && max_resource < min_resource)
        rc = hpo__fail(m, HPO_EINVAL,
                       "max_resource %lld is below min_resource %lld",
                       (long long)max_resource, (long long)min_resource);
    if (rc)
        return rc;
    *hb = (hpo__hyperband){.min_resource = min_resource,
                           .max_resource = max_resource, .eta = eta};
    int s_max = 0;
    int64_t p = 1;
    while (pow_fits(eta, s_max + 1, &p) && p <= max_resource / min_resource)
        s_max++;
    hb->n_brackets = s_max + 1;
    for (int s = 0; s <= s_max; s++) {
        /* n = ceil((s_max + 1) * eta^s / (s + 1)), in integers. */
        int64_t num;
        pow_fits(eta, s, &p); /* fits: eta^s <= R / r */
        if (__builtin_mul_overflow(p, (int64_t)hb->n_brackets, &num))
            return hpo__fail(m, HPO_EINVAL, "%d brackets of %lld^%d trials "
                             "overflow", hb->n_brackets, (long long)eta, s);
        hb->n[s] = num / (s + 1) + (num % (s + 1) != 0);
        if (__builtin_add_overflow(hb->total, hb->n[s], &hb->total))
            return hpo__fail(m, HPO_EINVAL, "%d brackets of up to %lld^%d "
                             "trials overflow", hb->n_brackets,
                             (long long)eta, s_max);
    }
    return HPO_OK;
}

int hpo__hyperband_round(const hpo__hyperband *hb, int s, int i,
                         int64_t *n_i, double *r_i, hpo__msg *m)
{
    if (s < 0 || s >= hb->n_brackets || i < 0 || i > s)
        return hpo__fail(m, HPO_EINVAL,
                         "round %d of bracket %d: brackets are 0..%d, "
                         "rounds 0..s", i, s, hb->n_brackets - 1);
    int64_t p = 1;
    pow_fits(hb->eta, i, &p); /* fits: eta^i <= eta^s <= R / r */
    *n_i = hb->n[s] / p;
    *r_i = (double)hb->max_resource / pow((double)hb->eta, s - i);
    return HPO_OK;
}

/* CRC-32 (IEEE 802.3, reflected, as zlib and Python's binascii.crc32),
 * continued from crc over n bytes; bit by bit, as the inputs are short. */
static uint32_t crc32_add(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
    }
    return ~crc;
}

int hpo__hyperband_bracket_id(const hpo__hyperband *hb,
                              const char *study_name, int64_t trial_number)
{
    char tail[32];
    int len = snprintf(tail, sizeof tail, "_%lld", (long long)trial_number);
    uint32_t crc = crc32_add(0, study_name, strlen(study_name));
    crc = crc32_add(crc, tail, (size_t)len);
    int64_t left = (int64_t)(crc % (uint64_t)hb->total);
    int id = 0;
    while ((left -= hb->n[hb->n_brackets - 1 - id]) >= 0)
        id++;
    return id;
}

void hpo__hyperband_sha(const hpo__hyperband *hb, int bracket_id,
                        hpo__sha *sha)
{
    *sha = (hpo__sha){hb->min_resource, hb->eta, bracket_id};
}
