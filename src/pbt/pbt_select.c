/*
 * pbt_select.c — truncation selection (Jaderberg et al. 2017, appendix
 * A.1): rank the population by its latest score; a member in the bottom
 * quantile copies a member of the top quantile chosen uniformly.
 *
 * Members are compared at the same interval (the one member m has just
 * finished), not by whatever score each has last reported: with several
 * workers some members run ahead, and a later interval's score of a model
 * trained longer says nothing about its hyperparameters.  The copied
 * checkpoint is that interval's, so what is copied is what was ranked.
 * The quantile's size is ceil(n * quantile), at most n / 2 (so top and
 * bottom never overlap), as Ray Tune's PBT sizes it.
 */
#include <math.h>
#include <stdlib.h>

#include "pbt.h"

/* Of the top q members, one other than m at random; when m is the only
 * one and the choice is forced (m failed), the best member after it. */
static int pick_top(const hpo__pbt_view *v, const hpo__value_index *rank,
                    int n, int q, int m, int forced, hpo__rng *r)
{
    int others = 0, mine = -1;
    for (int a = 0; a < q; a++) {
        if (hpo__pbt_attr_int(v->t[rank[a].index], "pbt_member", -1) == m)
            mine = a;
        else
            others++;
    }
    if (others == 0)
        return forced && q < n ? rank[q].index : -1;
    int pick = (int)hpo__rng_below(r, (uint64_t)others);
    if (mine >= 0 && pick >= mine)
        pick++;
    return rank[pick].index;
}

int hpo__pbt_select(const hpo__pbt_view *v, int m, int k, double quantile,
                    hpo_direction dir, int forced, hpo__rng *r, int *parent)
{
    *parent = -1;
    hpo__value_index *rank = malloc(sizeof *rank * (size_t)v->n_members);
    if (!rank)
        return HPO_ENOMEM;
    int n = 0, pos = -1, my_i = hpo__pbt_view_find(v, m, k - 1);
    for (int j = 0; j < v->n_members; j++) {
        int i = hpo__pbt_view_find(v, j, k - 1);
        if (i < 0)
            continue;
        double s = hpo_trial_value(v->t[i], 0);
        rank[n].value = dir == HPO_MAXIMIZE ? -s : s; /* best first */
        rank[n].index = i;
        n++;
    }
    hpo__sort_by_value(rank, n);
    for (int a = 0; a < n; a++)
        if (rank[a].index == my_i)
            pos = a;
    int q = (int)ceil(n * quantile);
    if (q > n / 2)
        q = n / 2;
    if (q > 0 && (forced || (pos >= 0 && pos >= n - q)))
        *parent = pick_top(v, rank, n, q, m, forced, r);
    free(rank);
    return n;
}
