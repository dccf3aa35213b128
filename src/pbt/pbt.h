/*
 * pbt.h — the insides of population-based training (src/pbt/), shared by
 * its files: options (pbt_options.c), exploration (pbt_explore.c, pb2.c),
 * the population as read from the study (pbt_members.c), the driver
 * (pbt_run.c) and the lineage (pbt_lineage.c).
 *
 * The population lives only in the study: every member-interval is a
 * trial with user attributes pbt_member, pbt_interval, pbt_parent,
 * pbt_parent_trial, pbt_attempt, checkpoint_in and (once it succeeded)
 * checkpoint.  Everything a worker decides is read back from there, so
 * workers in several processes or on several machines share one
 * population.
 */
#ifndef HPO_PBT_H
#define HPO_PBT_H

#include "../core/internal.h"
#include "hpo.h"

/* The options of a "pbt:..." spec (hpo_pbt_new). */
typedef struct hpo__pbt_opts {
    int64_t population;  /* members */
    int64_t intervals;   /* ready intervals each member trains */
    int64_t interval;    /* resource units (steps) per interval */
    double quantile;     /* bottom/top fraction for truncation selection */
    double resample_probability;
    const char *perturb; /* "0.8/1.2" */
    int explore;         /* HPO__PBT_PERTURB or HPO__PBT_PB2 */
    int64_t max_failures; /* failed attempts of one member-interval */
    double pb2_kappa;    /* PB2's UCB exploration weight */
    double down, up;     /* perturb's two factors, parsed */
} hpo__pbt_opts;

enum { HPO__PBT_PERTURB = 0, HPO__PBT_PB2 = 1 };

/* Parse "pbt:key=value,..." (the name may be omitted: "" is all
 * defaults).  HPO_EINVAL with a message in m. */
int hpo__pbt_opts_parse(hpo__pbt_opts *o, const char *spec, hpo__msg *m);

/* A fresh random point of the space (internal values, space order). */
void hpo__pbt_sample(const hpo_space *s, hpo__rng *r, double *out);
/* Jaderberg et al.'s explore: each parameter, with probability
 * resample_probability, resampled from its distribution; otherwise a
 * number multiplied by o->down or o->up (even odds), clipped to its
 * bounds and snapped to its grid (an int that would not move moves one
 * step), a categorical moved to a neighbouring choice. */
void hpo__pbt_perturb(const hpo_space *s, const hpo__pbt_opts *o,
                      hpo__rng *r, const double *in, double *out);

/* One member as the study tells it. */
typedef struct hpo__pbt_member {
    int completed;      /* intervals done: 1 + the highest COMPLETE one */
    int running;        /* has a RUNNING trial */
    int fails;          /* FAIL trials at interval `completed` */
    int last;           /* index (in the trial array) of its latest
                           COMPLETE trial, or -1 */
    int last_fail;      /* of its latest FAIL at `completed`, or -1 */
} hpo__pbt_member;

/* The population read from trials[0..n) (ordered by number). */
typedef struct hpo__pbt_view {
    int n_members;
    hpo__pbt_member *m;
    hpo_trial **t;
    int n;
    int min_completed;
} hpo__pbt_view;

/* An integer user attribute (pbt_member, ...), or def when absent. */
int hpo__pbt_attr_int(const hpo_trial *t, const char *key, int def);
/* A string user attribute, unquoted into buf ("" when absent). */
void hpo__pbt_attr_str(const hpo_trial *t, const char *key, char *buf,
                       size_t size);
int hpo__pbt_view_build(hpo__pbt_view *v, hpo_trial **t, int n,
                        int n_members);
void hpo__pbt_view_free(hpo__pbt_view *v);
/* The COMPLETE trial of member m at interval k, or -1. */
int hpo__pbt_view_find(const hpo__pbt_view *v, int m, int k);

/* The index in t[0..n) of trial `number`, or -1. */
int hpo__pbt_trial_index(hpo_trial *const *t, int n, int number);
/* A trial's parameters as internal values in space order (NaN: absent). */
void hpo__pbt_trial_values(const hpo_space *s, const hpo_trial *t,
                           double *out);

/* Truncation selection at interval k (k >= 1) for member m: the members
 * with a COMPLETE trial at interval k-1, ranked by its score; when m is in
 * the bottom quantile (or forced), *parent gets the trial index (in v->t)
 * of a top-quantile member's interval k-1, chosen at random; else -1.
 * Returns how many members were ranked. */
int hpo__pbt_select(const hpo__pbt_view *v, int m, int k, double quantile,
                    hpo_direction dir, int forced, hpo__rng *r, int *parent);

/* PB2's choice of new values for an exploited member (pb2.c): a GP over
 * (time, parameters in the unit cube) fitted to the change in score over
 * each member's last interval, maximised by UCB inside the space.
 * Falls back to hpo__pbt_perturb when there is too little data. */
int hpo__pb2_explore(const hpo_space *s, const hpo__pbt_opts *o,
                     const hpo__pbt_view *v, int k, hpo_direction dir,
                     hpo__rng *r, const double *in, double *out);

#endif
