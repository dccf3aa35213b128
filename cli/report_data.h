/*
 * report_data.h — a study as one JSON document: what `hpo report` inlines
 * into its HTML page and what a server (the dashboard) can send as is.
 * The renderer (report/assets/report.js) reads nothing else.
 *
 * The document (version 1; docs/cli.md, "The report's data"):
 *
 *   {"format": "hpo-report", "version": 1, "hpo_version": "0.1.0",
 *    "generated_at": EPOCH_S,
 *    "study": {"name": ..., "directions": ["minimize", ...],
 *              "attrs": {"hpo:cli": ...}},
 *    "counts": {"COMPLETE": n, "PRUNED": n, "FAIL": n, "RUNNING": n,
 *               "WAITING": n},
 *    "n_trials": M, "n_included": K, "n_curves": C, "n_curves_total": CT,
 *    "time_origin": EPOCH_S (the first trial's start; "t" counts from it),
 *    "params": [{"name": "lr", "distribution": OPTUNA_DISTRIBUTION_JSON}],
 *    "trials": [{"n": NUMBER, "s": "COMPLETE", "v": [VALUES],
 *                "p": [VALUE or null per params entry],
 *                "t": [START_S, END_S], "iv": [[STEP, VALUE], ...],
 *                "c": [CONSTRAINTS], "ua": {USER_ATTRS}, "w": WORKER,
 *                "fail": REASON}, ...],
 *    "importance": {"method": "...", "values": [["lr", 0.8], ...]}}
 *
 * Parameter values are internal values: a categorical's choice index.
 * Numbers are written so they read back exactly (17 digits, integers
 * as such); NaN (no value) is null;
 * ±infinity is 1e999 / -1e999 (JSON.parse and Python read them as
 * infinities).  Absent members ("iv", "c", "ua", "w", "fail") mean none.
 * Every "<" in a string is written \u003c, so the document can sit
 * inside an HTML <script> element.
 */
#ifndef HPO_CLI_REPORT_DATA_H
#define HPO_CLI_REPORT_DATA_H

#include <stdio.h>

#include "hpo.h"

/* Parameter importance from elsewhere (src/analysis): names and values,
 * most important first, and the method's name ("fanova"). */
typedef struct report_importance {
    const char *method;
    int n;
    const char *const *names;
    const double *values;
} report_importance;

typedef struct report_data_opts {
    /* Down-sampling for huge studies; 0 keeps everything. */
    int max_trials; /* trials in "trials": every best-so-far improvement
                       of the first objective, then an even sample */
    int max_curves; /* trials that keep their intermediate values */
    int max_steps;  /* intermediate values per trial (an even sample
                       that keeps the last step) */
    /* NULL: "importance" is the normalised |Spearman rank correlation|
     * of each parameter with the first objective (report_rank.c). */
    const report_importance *importance;
} report_data_opts;

/* The defaults `hpo report` uses. */
#define REPORT_MAX_TRIALS 0
#define REPORT_MAX_CURVES 2000
#define REPORT_MAX_STEPS 1000

/* Write the document of `study` whose trials (ordered by number) are
 * trials[0..n-1].  0, or -1 when memory ran out (the output is then
 * incomplete); write errors are the caller's to find (ferror). */
int report_data_write(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                      const report_data_opts *o);

/* Pick at most max of n items to keep: every index whose score improves
 * on all before it (NaN never does), then evenly spaced others; keep[i]
 * is set to 1 for the kept.  max <= 0 or n <= max keeps all. */
void report_pick(const double *score, int n, int max, unsigned char *keep);

#endif
