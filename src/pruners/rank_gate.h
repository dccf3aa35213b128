/*
 * rank_gate.h — which rungs of a successive halving may prune: those whose
 * ranking of the trials agrees with the final ranking (internal; used by
 * successive_halving.c and so by the `auto` pruner).
 *
 * Low-fidelity bias: a rung at a few steps ranks trials by how fast they
 * learn, not by where they end (xgb_spam: the best configurations have a
 * small learning rate and look poor for dozens of rounds).  The gate
 * measures the agreement on the study itself: over the COMPLETE trials
 * that recorded a value at rung k ("completed_rung_<k>"), Spearman's rank
 * correlation between those values and the trials' final values, taken
 * over the better half of them by final value.  The better half, because
 * those are the trials a pruner must not lose, and because over all
 * trials the configurations that are poor at every fidelity make any
 * rung look trustworthy (xgb_spam, 60 random configurations: 0.78 at
 * rung 1 over all trials, 0.02 over the better half; docs/pruners.md).
 *
 * A rung is trusted when at least min_trials pairs are known for it and,
 * for it and every higher rung that has min_trials pairs, the one-sided
 * 95% lower confidence bound of that correlation exceeds min_correlation
 * (0: a positive agreement, shown beyond chance).  The bound scales the
 * evidence asked for with the trials seen: over a better half of 5
 * trials it needs a correlation of 0.83, of 10 0.56, of 30 0.31.  Rungs
 * at the full fidelity (the largest last step of the COMPLETE trials) or
 * later never prune: a trial there has done its work.
 *
 * The evidence is unselected: a trial that went on past a rung allowed
 * to prune was chosen by it (marked with the trial system attribute
 * HPO__SELECTED_KEY) and is left out, since its values say how the
 * survivors rank, not how the rung ranks the field.  So that evidence
 * keeps coming once rungs prune, the pruner exempts witness trials (every
 * n-th by number) from pruning: a rung trusted by chance is then found
 * out as they complete, and trust can be lost and won again.  The check
 * is re-read as trials complete (after each of the first twenty, then
 * whenever their number has grown by a twentieth).
 */
#ifndef HPO_RANK_GATE_H
#define HPO_RANK_GATE_H

#include "rung_index.h"

#define HPO__SELECTED_KEY "hpo:successive_halving:selected"

typedef struct hpo__rung_pairs {
    double *at_rung, *final; /* one pair per unselected COMPLETE trial */
    int n, cap;
} hpo__rung_pairs;

typedef struct hpo__rank_gate {
    int64_t min_trials;     /* 0: no gate, every rung prunes */
    double min_correlation; /* in [-1, 1] */
    hpo__watermark w;       /* COMPLETE trials folded in */
    hpo__rung_pairs pairs[HPO__MAX_RUNGS];
    double correlation[HPO__MAX_RUNGS]; /* NaN: too few pairs */
    double bound[HPO__MAX_RUNGS];       /* its lower confidence bound */
    int first_trusted;      /* HPO__MAX_RUNGS when none is */
    /* The largest last step of the COMPLETE trials (the full fidelity;
     * INT64_MAX without a gate): rungs there or later never prune, as a
     * trial that reached them has done its work.  Their values equal the
     * final ones, so they are not evidence either. */
    int64_t end_step;
    int end_rung; /* the lowest rung recorded at end_step or later */
    int n_complete;         /* COMPLETE trials folded in */
    int n_read;             /* ... at the last reading of the rungs */
} hpo__rank_gate;

void hpo__rank_gate_init(hpo__rank_gate *g, int64_t min_trials,
                         double min_correlation);
void hpo__rank_gate_free(hpo__rank_gate *g);
/* Fold in the newly finished trials of h[0..n-1] (rungs as sha says);
 * direction d says which final values are better.  *first_trusted is the lowest rung that may
 * prune (0 without a gate, HPO__MAX_RUNGS when none may yet); *changed
 * is 1 when it differs from the previous call's. */
int hpo__rank_gate_update(hpo__rank_gate *g, const hpo__trial_rec *h, int n,
                          const hpo__sha *sha, hpo_direction d,
                          int *first_trusted, int *changed, hpo__msg *m);

#endif
