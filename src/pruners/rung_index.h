/*
 * rung_index.h — the values every trial of a study recorded at each rung
 * ("completed_rung_<k>" system attributes, Optuna's), kept sorted per rung
 * and per group (Hyperband's brackets; one group for successive halving),
 * and brought up to date from the history incrementally: finished trials
 * are folded in once, past a watermark; the few still running are kept in
 * a pending list and read at each decision, since their workers (on other
 * machines too) may add rungs at any time.  A decision then costs the new
 * trials, the running ones and a binary search — not a rescan of the
 * history.
 *
 * hpo__asha_judge is Optuna 3.1's SuccessiveHalvingPruner.prune on it.
 */
#ifndef HPO_RUNG_INDEX_H
#define HPO_RUNG_INDEX_H

#include "halving.h"
#include "pruner.h"

#define HPO__MAX_RUNGS 64 /* rung steps fit an int64_t with eta >= 2 */

/* The group of a trial: 0 <= group < n_groups. */
typedef int (*hpo__group_fn)(void *arg, const hpo__trial_rec *t);

typedef struct hpo__rung_index {
    int n_groups;
    hpo__rung (*rungs)[HPO__MAX_RUNGS]; /* [group][rung], finished trials */
    hpo__watermark w;        /* finished trials folded in */
    unsigned char *group;    /* the group of each position < n_grouped */
    int n_grouped, cap_group;
} hpo__rung_index;

int hpo__rung_index_init(hpo__rung_index *ix, int n_groups, hpo__msg *m);
void hpo__rung_index_free(hpo__rung_index *ix);
/* Fold in what changed in the history h[0..n-1] (by number) since the
 * last call; group_fn(arg, trial) gives each new trial's group. */
int hpo__rung_index_update(hpo__rung_index *ix, const hpo__trial_rec *h,
                           int n, hpo__group_fn group_fn, void *arg,
                           hpo__msg *m);

/* Which rungs may prune (rank_gate.h): those from first_rung on that end
 * before end_step; the others only record.  selected is set to 1 when the
 * trial went on past a rung that may prune (it was chosen by it). */
typedef struct hpo__rung_limits {
    int first_rung;
    int64_t end_step;
    int selected;
} hpo__rung_limits;

/* Optuna's SuccessiveHalvingPruner.prune for the current trial of ctx in
 * `group`, the index just updated from h: while its last step has reached
 * its next rung, record its value there (completed_rung_<k>) and prune
 * unless it is promotable among the group's values at that rung.  A NaN
 * or infinite value at a rung prunes (JSON attributes cannot hold
 * infinities).  lim NULL: every rung may prune (Optuna's rule). */
int hpo__asha_judge(hpo__rung_index *ix, int group, const hpo__sha *sha,
                    int64_t bootstrap_count, hpo__rung_limits *lim,
                    const hpo__trial_rec *h, hpo_plugin_ctx *ctx,
                    hpo_verdict *verdict);

/* A resource every worker must use alike (min_resource, max_resource):
 * the study system attribute `key` when set; else `estimate` (> 0) stored
 * there by compare-and-set, the first worker's winning; *out = 0 when
 * neither is known yet. */
int hpo__shared_resource(hpo_plugin_ctx *ctx, const char *key,
                         int64_t estimate, int64_t *out);
/* A trial's value at rung k ("completed_rung_<k>"): 1 when it has a
 * readable one (not NaN), else 0. */
int hpo__rung_value(const hpo__trial_rec *t, int k, double *v);
/* The largest last step of the COMPLETE trials of h[0..n-1]; -1: none. */
int64_t hpo__largest_complete_step(const hpo__trial_rec *h, int n);
/* HPO_EINVAL unless the study has one objective (rungs rank one value). */
int hpo__need_one_objective(hpo_plugin_ctx *ctx, const char *who);

#endif
