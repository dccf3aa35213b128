/*
 * generation.h — the generations of a population-based sampler (GA, DE,
 * CMA-ES, NSGA-II/III), shared by every worker through storage
 * (generation.c).
 *
 * Two kinds of record, both readable JSON:
 *
 *   study system attribute "hpo:<name>:state"
 *       {"generation": g, "space": {param: distribution, ...},
 *        "state": {...the algorithm's own fields for generation g...}}
 *   trial system attribute "hpo:<name>:member"
 *       {"generation": g, "member": k, ...what the sampler adds: the
 *        candidate in the unit cube, the F and CR it drew, ...}
 *
 * A trial joins the current generation g when it is sampled (member k =
 * the members g already has, so a generation may be over-filled when
 * workers outnumber its size: each algorithm says what the extra members
 * mean).  Whichever worker first sees generation g ready (the algorithm's
 * rule: lambda COMPLETE members for CMA-ES, one finished member per
 * target for DE, ...) computes generation g+1 and writes it with
 * compare-and-set on the old text; a worker that loses the race reads the
 * winner's state and goes on from there.  Nothing lives only in a
 * process: a restarted process, or a worker on another machine, continues
 * the same population.
 *
 * When the space the sampler covers changes (a define-by-run study whose
 * common parameters change), the stored state no longer fits: a new
 * population starts at generation g+1, with a line in the study's log.
 * A state that does not parse is an error naming the attribute (nothing
 * is overwritten).
 */
#ifndef HPO_GENERATION_H
#define HPO_GENERATION_H

#include <cJSON.h>

#include "sampler.h"

/* One trial of the current generation. */
typedef struct hpo__gen_member {
    const hpo__trial_rec *rec; /* borrowed from the call's history */
    int member;                /* its index k in the generation */
    cJSON *attr;               /* its member attribute, parsed */
    int number;                /* the trial's number */
} hpo__gen_member;

/* What hpo__gen_sync read; lives in the sampler's state between calls
 * (the watermark is a cache), its members only within one call. */
typedef struct hpo__gen {
    char *text;      /* the stored state's text */
    cJSON *root;     /* parsed; NULL (and state NULL) when text is what
                        this process wrote and ops->adopt took it */
    const cJSON *state; /* root's "state": the algorithm's fields */
    long generation;
    hpo__gen_member *m; /* members of `generation`, by trial number (kept
                           between calls, rec excepted, so that the next
                           scan parses only new members' attributes) */
    int n, cap;
    hpo__gen_member *spare; /* the other buffer of scan's double buffering */
    int cap_spare;
    int n_finished;  /* members COMPLETE, PRUNED or FAIL */
    int n_complete;  /* members COMPLETE */
    /* Trials numbered below `settled` are finished and belong to a
     * generation before `settled_gen` (or to none): never read again. */
    int settled;
    long settled_gen;
    /* A copy of the last space found equal to the stored state's "space",
     * while the stored text is unchanged (a cache: printing and comparing
     * the space at every trial cost 0.3 ms at 30 parameters). */
    hpo_space *space_ok;
    cJSON *space_node;  /* space_ok as the stored "space" (with space_ok) */
    int space_checked;  /* the stored text's "space" was compared with it */
} hpo__gen;

/* The algorithm behind a population sampler. */
typedef struct hpo__gen_ops {
    const char *name; /* the keys "hpo:<name>:state", "hpo:<name>:member" */
    /* A first generation for space, as the algorithm's state object. */
    int (*first)(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                 cJSON **state);
    /* Can the current generation end (1) or not yet (0)? */
    int (*ready)(void *st, hpo_plugin_ctx *ctx, const hpo__gen *g);
    /* The next generation's state from the current one and its members. */
    int (*next)(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                const hpo__gen *g, cJSON **state);
    /* Optional: the state the last `next` made was stored as text (this
     * process won the compare-and-set).  HPO_OK when the algorithm keeps
     * what it built for that text, so that the driver neither parses it
     * nor fills g->root and g->state until the stored text changes (a
     * generation is read back by its writer without a parse); anything
     * else and the text is read back as any other. */
    int (*adopt)(void *st, const char *text);
} hpo__gen_ops;

/* Bring g up to date for space: read the stored state (writing the first
 * one when there is none), advance it while the algorithm says the
 * current generation is ready, and collect the current generation's
 * members.  HPO_OK, or an error with a message in ctx->msg. */
int hpo__gen_sync(hpo__gen *g, const hpo__gen_ops *ops, void *st,
                  hpo_plugin_ctx *ctx, const hpo_space *space);

/* Make the current trial member g->n of generation g->generation, with
 * the fields of extra (an object, taken; NULL for none). */
int hpo__gen_join(hpo__gen *g, const hpo__gen_ops *ops, hpo_plugin_ctx *ctx,
                  cJSON *extra);

void hpo__gen_free(hpo__gen *g);

/* The first position of trials[0..n) (ordered by number) numbered >=
 * number: a binary search. */
int hpo__gen_first_at(const hpo__trial_rec *trials, int n, int number);

/* A trial's objective i as a value to minimise (negated for a maximised
 * objective); NaN when it has none (not COMPLETE). */
double hpo__gen_minimised(hpo_plugin_ctx *ctx, const hpo__trial_rec *r,
                          int i);

/* Numbers of a JSON array: HPO_OK when obj[key] is an array of exactly n
 * numbers or nulls (copied to out, null as NaN), else HPO_EINVAL with a
 * message naming `what` and key. */
int hpo__gen_read_vector(const cJSON *obj, const char *key, double *out,
                         int n, const char *what, hpo__msg *m);
/* An array of n numbers, exact to the bit, a NaN or an infinity as null
 * (JSON has no token for them); NULL when memory runs out. */
cJSON *hpo__gen_vector(const double *x, int n);

/* The distributions of space's parameters, contiguous (as the GA's and
 * DE's cores take them), in the call's scratch memory; NULL with a
 * message when memory runs out. */
hpo__dist *hpo__gen_dists(hpo_plugin_ctx *ctx, const hpo_space *space);
/* An HPO_EINVAL from reading the algorithm's fields out of g->state made
 * an error naming the study attribute, with the reader's message; other
 * codes returned unchanged. */
int hpo__gen_bad_state(const hpo__gen_ops *ops, hpo_plugin_ctx *ctx, int rc);

#endif
