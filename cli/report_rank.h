/*
 * report_rank.h — the report's stand-in for parameter importance when no
 * importance is given: how strongly each parameter's rank goes with the
 * first objective's rank.
 */
#ifndef HPO_CLI_REPORT_RANK_H
#define HPO_CLI_REPORT_RANK_H

#include "hpo.h"

#define REPORT_RANK_METHOD "spearman"

/* out[p] = |Spearman's rank correlation| between parameter names[p] and
 * the first objective over the COMPLETE trials that have both (a finite
 * value), normalised to sum to 1 (all 0 when nothing correlates).  A
 * categorical parameter (categorical[p] set) has each choice replaced by
 * the mean objective of its trials first, so that an unordered choice
 * still ranks.  0, or -1 when memory ran out. */
int report_rank_importance(hpo_trial **trials, int n, const char *const *names,
                           const unsigned char *categorical, int n_params,
                           double *out);

#endif
