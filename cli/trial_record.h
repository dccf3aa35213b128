/*
 * trial_record.h — one finished trial as one line of text, the record
 * `hpo tune` and the other commands that run trials log for it:
 *
 *   trial 12 COMPLETE value=0.0312 (best 0.0301 at trial 9)
 *       params {"C": 3.2, "gamma": 0.01} 1.24s
 *   trial 3 COMPLETE values=[0.12, 4.5] params {"x": 0.5} 0.31s
 *   trial 13 PRUNED at step 4 (value 0.41) params {"eta": 0.3} 0.52s
 *   trial 14 FAIL params {"x": 0.9} 0.02s
 *
 * Values as %.6g (the stored ones keep full precision: hpo trials), the
 * parameters as a JSON object in the trial's order (categorical choices
 * as strings), the duration from the trial's start and end times.
 */
#ifndef HPO_CLI_TRIAL_RECORD_H
#define HPO_CLI_TRIAL_RECORD_H

#include "hpo.h"

/* The line (malloc'd; NULL when out of memory).  best_number >= 0 adds
 * "(best B at trial N)" after a COMPLETE trial's value. */
char *trial_record(const hpo_trial *t, double best, int best_number);
/* {"C": 3.2, "kernel": "rbf"} (malloc'd; NULL when out of memory). */
char *trial_params_json(const hpo_trial *t);

#endif
