/*
 * halving.h — the arithmetic under successive halving, ASHA and Hyperband,
 * independent of the pruner interface (internal; the pruners build on it).
 *
 * Papers: L. Li, K. Jamieson, G. DeSalvo, A. Rostamizadeh, A. Talwalkar,
 * "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
 * Optimization", JMLR 18(185), 2018 (Algorithm 1, Table 1); L. Li,
 * K. Jamieson, A. Rostamizadeh, E. Gonina, J. Ben-tzur, M. Hardt, B. Recht,
 * A. Talwalkar, "A System for Massively Parallel Hyperparameter Tuning",
 * MLSys 2020 (ASHA, Algorithm 2).  Conventions (option names, rung steps,
 * the promotion rule and its ties, the bracket hash, the `auto` rules)
 * are those of Optuna 3.1's SuccessiveHalvingPruner and HyperbandPruner;
 * halving.c lists where it follows the paper instead.
 *
 * Resources are integer steps (Optuna's `step` of trial.report); eta is
 * Optuna's integer reduction_factor (>= 2).  Every function that can meet
 * bad input returns HPO_EINVAL with a message on m; nothing here touches a
 * study, so the pruners decide what a refused value means for a trial
 * (Optuna prunes a trial whose value at a rung is NaN).
 */
#ifndef HPO_HALVING_H
#define HPO_HALVING_H

#include <stdint.h>

#include "../core/internal.h"

/* ---- successive halving / ASHA rungs ----------------------------------- */

typedef struct hpo__sha {
    int64_t min_resource; /* r: steps of rung 0 before the rate applies */
    int64_t eta;          /* reduction_factor */
    int64_t rate;         /* min_early_stopping_rate, ASHA's s */
} hpo__sha;

/* Check and keep (min_resource >= 1, eta >= 2, rate >= 0). */
int hpo__sha_init(hpo__sha *sha, int64_t min_resource, int64_t eta,
                  int64_t rate, hpo__msg *m);
/* The step at which rung k is complete: min_resource * eta^(rate + k).
 * HPO_EINVAL when k < 0 or the step does not fit in an int64_t. */
int hpo__sha_rung_step(const hpo__sha *sha, int k, int64_t *step,
                       hpo__msg *m);
/* The rung a trial that reported at `step` is in: the number of rungs
 * whose step is <= step (0 before the first, k once rungs 0..k-1 are
 * complete).  HPO_EINVAL for a negative step. */
int hpo__sha_rung_of_step(const hpo__sha *sha, int64_t step, int *rung,
                          hpo__msg *m);
/* The system attribute Optuna stores a trial's value at rung k under:
 * "completed_rung_<k>". */
void hpo__sha_rung_key(int k, char *buf, size_t size);
/* Optuna's `auto` min_resource: max(L / 100, 1) with L the largest last
 * step of the COMPLETE trials given (their last_steps[0..n-1]); *out = 0
 * when n == 0 (not yet known: never prune).  HPO_EINVAL for a negative
 * step. */
int hpo__sha_auto_min_resource(const int64_t *last_steps, int n,
                               int64_t *out, hpo__msg *m);

/* The values recorded at one rung, kept sorted so that a promotion
 * decision is one binary search: O(log n) compares.  Adding a value is a
 * binary search plus a memmove of the larger values (n * 8 bytes at
 * worst: 80 kB, a few microseconds, at 10,000 trials), never a rescan of
 * the trials.  Zero-initialise; free with hpo__rung_free. */
typedef struct hpo__rung {
    double *v;
    int n, cap;
} hpo__rung;

/* Record a value (NaN refused: HPO_EINVAL; +-inf are ordered values). */
int hpo__rung_add(hpo__rung *r, double value, hpo__msg *m);
void hpo__rung_free(hpo__rung *r);
/* Optuna's rule: a trial whose value at this rung is `value`, and whose
 * value is not yet in r (r holds the OTHER trials that completed the
 * rung), is promoted when, among the n = r->n + 1 values with its own,
 * it is no worse than the one at index n / eta - 1 (index 0 when that is
 * -1) in best-first order; ties promote.  With n <= bootstrap_count it
 * is never promoted.  *promote = 1 or 0; HPO_EINVAL for NaN, eta < 2 or
 * a direction other than HPO_MINIMIZE / HPO_MAXIMIZE. */
int hpo__rung_promotable(const hpo__rung *r, double value, int64_t eta,
                         int64_t bootstrap_count, hpo_direction d,
                         int *promote, hpo__msg *m);

/* ---- Hyperband brackets ------------------------------------------------ */

#define HPO__HYPERBAND_MAX_BRACKETS 64 /* eta >= 2 and int64 resources */

typedef struct hpo__hyperband {
    int64_t min_resource, max_resource, eta;
    int n_brackets; /* s_max + 1 */
    /* n[s]: the paper's n for bracket s (s = 0..s_max), which is also
     * Optuna's trial allocation budget of bracket id s_max - s. */
    int64_t n[HPO__HYPERBAND_MAX_BRACKETS];
    int64_t total; /* sum of n[]: the modulus of the bracket hash */
} hpo__hyperband;

/* s_max = the largest s with min_resource * eta^s <= max_resource (the
 * paper's floor(log_eta(R / r)), computed exactly); needs min_resource
 * >= 1, max_resource >= min_resource, eta >= 2. */
int hpo__hyperband_init(hpo__hyperband *hb, int64_t min_resource,
                        int64_t max_resource, int64_t eta, hpo__msg *m);
/* Round i (0..s) of the paper's bracket s (0..s_max): n_i configurations
 * run with r_i = R * eta^(i - s) resource each (Algorithm 1). */
int hpo__hyperband_round(const hpo__hyperband *hb, int s, int i,
                         int64_t *n_i, double *r_i, hpo__msg *m);
/* Optuna's bracket id of a trial (0 = the most aggressive bracket, the
 * paper's s = s_max): crc32("<study_name>_<trial_number>") modulo the
 * total budget, walked through the budgets of ids 0, 1, ... */
int hpo__hyperband_bracket_id(const hpo__hyperband *hb,
                              const char *study_name, int64_t trial_number);
/* The successive halving a bracket id runs in Optuna: min_resource, eta
 * and min_early_stopping_rate = the bracket id. */
void hpo__hyperband_sha(const hpo__hyperband *hb, int bracket_id,
                        hpo__sha *sha);
/* Optuna's `auto` max_resource: the largest last step of the COMPLETE
 * trials given, plus one; *out = 0 when n == 0.  HPO_EINVAL for a
 * negative step. */
int hpo__hyperband_auto_max_resource(const int64_t *last_steps, int n,
                                     int64_t *out, hpo__msg *m);

#endif
