/*
 * pbt_lineage.c — where every member's weights came from, as a tree read
 * from the study's trials: a COMPLETE member-interval's parent is the
 * trial whose checkpoint it started from (its own member's previous
 * interval, or the top member it copied by exploit); an interval that
 * started from nothing is a root.  Failed attempts are not nodes (they
 * left no checkpoint), but are counted on the node that replaced them.
 *
 * A node with one child continues on the next line at the same depth, so
 * a member that was never replaced reads as a column, and the tree only
 * indents where a checkpoint was copied into another member.
 */
#define _GNU_SOURCE 1
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbt.h"

typedef struct lineage {
    hpo_trial **t;
    int n;
    int *parent;   /* index of the parent node, or -1 */
    int *is_node;  /* a COMPLETE member-interval */
    int *last_k;   /* per trial: is it the final node of its member? */
    int max_k;
    FILE *out;
} lineage;

static void put_params(const lineage *l, int i)
{
    const hpo_trial *t = l->t[i];
    for (int p = 0; p < hpo_trial_n_params(t); p++) {
        const char *text = hpo_trial_param_text(t, p);
        fprintf(l->out, " %s=%s", hpo_trial_param_name(t, p),
                text ? text : "?");
    }
}

/* "copied from member 3: lr 0.01 -> 0.012" when the member changed. */
static void put_exploit(const lineage *l, int i)
{
    int par = l->parent[i];
    const hpo_trial *t = l->t[i], *pt = l->t[par];
    int m = hpo__pbt_attr_int(t, "pbt_member", -1);
    int pm = hpo__pbt_attr_int(pt, "pbt_member", -1);
    if (pm == m)
        return;
    fprintf(l->out, "  <- copied member %d (trial %d)", pm,
            hpo_trial_number(pt));
    for (int p = 0; p < hpo_trial_n_params(t); p++) {
        int q = hpo_trial_param_index(pt, hpo_trial_param_name(t, p));
        const char *after = hpo_trial_param_text(t, p);
        char before[128] = "-";
        if (q >= 0) {
            const char *b = hpo_trial_param_text(pt, q);
            snprintf(before, sizeof before, "%s", b ? b : "?");
        }
        if (after && strcmp(before, after) != 0)
            fprintf(l->out, " %s %s->%s", hpo_trial_param_name(t, p), before,
                    after);
    }
}

static void put_node(const lineage *l, int i, const char *prefix,
                     const char *branch)
{
    const hpo_trial *t = l->t[i];
    fprintf(l->out, "%s%strial %d  member %d  interval %d  score %.6g",
            prefix, branch, hpo_trial_number(t),
            hpo__pbt_attr_int(t, "pbt_member", -1),
            hpo__pbt_attr_int(t, "pbt_interval", -1), hpo_trial_value(t, 0));
    if (hpo__pbt_attr_int(t, "pbt_attempt", 0) > 0)
        fprintf(l->out, "  (attempt %d)",
                hpo__pbt_attr_int(t, "pbt_attempt", 0) + 1);
    if (l->parent[i] < 0 || hpo__pbt_attr_int(l->t[l->parent[i]],
                                              "pbt_member", -1) !=
                                hpo__pbt_attr_int(t, "pbt_member", -1))
        put_params(l, i);
    if (l->parent[i] >= 0)
        put_exploit(l, i);
    if (l->last_k[i])
        fprintf(l->out, "  [survivor]");
    fputc('\n', l->out);
}

static void walk(const lineage *l, int i, const char *prefix, int depth)
{
    for (;;) {
        int kids = 0, only = -1;
        for (int c = 0; c < l->n; c++)
            if (l->parent[c] == i) {
                kids++;
                only = c;
            }
        if (kids == 0)
            return;
        if (kids == 1) { /* a column: no new indentation */
            put_node(l, only, prefix, "");
            i = only;
            continue;
        }
        int seen = 0;
        for (int c = 0; c < l->n; c++) {
            if (l->parent[c] != i)
                continue;
            int last = ++seen == kids;
            put_node(l, c, prefix, last ? "`- " : "|- ");
            char *sub = NULL;
            if (asprintf(&sub, "%s%s", prefix, last ? "   " : "|  ") < 0)
                return;
            if (depth < 10000)
                walk(l, c, sub, depth + 1);
            free(sub);
        }
        return;
    }
}

static int build(lineage *l)
{
    l->parent = malloc(sizeof(int) * (size_t)(l->n ? l->n : 1));
    l->is_node = calloc((size_t)(l->n ? l->n : 1), sizeof(int));
    l->last_k = calloc((size_t)(l->n ? l->n : 1), sizeof(int));
    if (!l->parent || !l->is_node || !l->last_k)
        return HPO_ENOMEM;
    int n_members = 0;
    for (int i = 0; i < l->n; i++) {
        int m = hpo__pbt_attr_int(l->t[i], "pbt_member", -1);
        int k = hpo__pbt_attr_int(l->t[i], "pbt_interval", -1);
        l->parent[i] = -1;
        l->is_node[i] = m >= 0 && k >= 0 &&
                        hpo_trial_state_of(l->t[i]) == HPO_COMPLETE;
        if (m + 1 > n_members)
            n_members = m + 1;
        if (l->is_node[i] && k > l->max_k)
            l->max_k = k;
    }
    for (int i = 0; i < l->n; i++) {
        if (!l->is_node[i])
            continue;
        int pt = hpo__pbt_attr_int(l->t[i], "pbt_parent_trial", -1);
        int p = pt >= 0 ? hpo__pbt_trial_index(l->t, l->n, pt) : -1;
        l->parent[i] = p >= 0 && l->is_node[p] ? p : -1;
        l->last_k[i] = hpo__pbt_attr_int(l->t[i], "pbt_interval", -1) ==
                       l->max_k;
    }
    return n_members;
}

int hpo_pbt_lineage(hpo_study *study, char **text)
{
    *text = NULL;
    lineage l = {0};
    int rc = hpo_study_trials(study, &l.t, &l.n);
    if (rc != HPO_OK)
        return rc;
    size_t size = 0;
    int members = build(&l);
    if (members >= 0 && (l.out = open_memstream(text, &size))) {
        fprintf(l.out, "lineage of study %s: %d members, %d intervals\n",
                hpo_study_name(study), members, members ? l.max_k + 1 : 0);
        for (int i = 0; i < l.n; i++)
            if (l.is_node[i] && l.parent[i] < 0) {
                put_node(&l, i, "", "");
                walk(&l, i, "", 0);
            }
        fclose(l.out);
    }
    rc = members < 0 ? members : *text ? HPO_OK : HPO_ENOMEM;
    free(l.parent);
    free(l.is_node);
    free(l.last_k);
    hpo_trials_free(l.t, l.n);
    return rc;
}
