/*
 * pbt_members.c — the population as the study's trials tell it.  Nothing
 * about a member is kept anywhere else, so any worker that reads the
 * trials sees the same population.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "pbt.h"

int hpo__pbt_attr_int(const hpo_trial *t, const char *key, int def)
{
    const char *json = hpo_trial_user_attr(t, key);
    if (!json)
        return def;
    char *end;
    long v = strtol(json, &end, 10);
    return end != json ? (int)v : def;
}

void hpo__pbt_attr_str(const hpo_trial *t, const char *key, char *buf,
                       size_t size)
{
    buf[0] = '\0';
    const char *json = hpo_trial_user_attr(t, key);
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    if (cJSON_IsString(v) && strlen(v->valuestring) < size)
        strcpy(buf, v->valuestring);
    cJSON_Delete(v);
}

static void note(hpo__pbt_view *v, int i)
{
    const hpo_trial *t = v->t[i];
    int m = hpo__pbt_attr_int(t, "pbt_member", -1);
    int k = hpo__pbt_attr_int(t, "pbt_interval", -1);
    if (m < 0 || m >= v->n_members || k < 0)
        return; /* not a member-interval: ignored */
    hpo__pbt_member *p = &v->m[m];
    switch (hpo_trial_state_of(t)) {
    case HPO_COMPLETE:
        if (k + 1 > p->completed) {
            p->completed = k + 1;
            p->last = i;
        }
        break;
    case HPO_RUNNING:
    case HPO_WAITING:
        p->running = 1;
        break;
    default:
        break;
    }
}

/* FAILs count at the member's next interval only (a retried or replaced
 * interval leaves its earlier failures behind). */
static void count_fails(hpo__pbt_view *v)
{
    for (int i = 0; i < v->n; i++) {
        const hpo_trial *t = v->t[i];
        int m = hpo__pbt_attr_int(t, "pbt_member", -1);
        if (m < 0 || m >= v->n_members || hpo_trial_state_of(t) != HPO_FAIL)
            continue;
        if (hpo__pbt_attr_int(t, "pbt_interval", -1) == v->m[m].completed) {
            v->m[m].fails++;
            v->m[m].last_fail = i;
        }
    }
}

int hpo__pbt_view_build(hpo__pbt_view *v, hpo_trial **t, int n,
                        int n_members)
{
    memset(v, 0, sizeof *v);
    v->m = calloc((size_t)n_members, sizeof *v->m);
    if (!v->m)
        return HPO_ENOMEM;
    v->n_members = n_members;
    v->t = t;
    v->n = n;
    for (int m = 0; m < n_members; m++)
        v->m[m].last = v->m[m].last_fail = -1;
    for (int i = 0; i < n; i++)
        note(v, i);
    count_fails(v);
    v->min_completed = v->m[0].completed;
    for (int m = 1; m < n_members; m++)
        if (v->m[m].completed < v->min_completed)
            v->min_completed = v->m[m].completed;
    return HPO_OK;
}

void hpo__pbt_view_free(hpo__pbt_view *v)
{
    free(v->m);
    v->m = NULL;
}

int hpo__pbt_view_find(const hpo__pbt_view *v, int m, int k)
{
    for (int i = v->n - 1; i >= 0; i--)
        if (hpo_trial_state_of(v->t[i]) == HPO_COMPLETE &&
            hpo__pbt_attr_int(v->t[i], "pbt_member", -1) == m &&
            hpo__pbt_attr_int(v->t[i], "pbt_interval", -1) == k)
            return i;
    return -1;
}

int hpo__pbt_trial_index(hpo_trial *const *t, int n, int number)
{
    for (int i = 0; number >= 0 && i < n; i++)
        if (hpo_trial_number(t[i]) == number)
            return i;
    return -1;
}

void hpo__pbt_trial_values(const hpo_space *s, const hpo_trial *t,
                           double *out)
{
    for (int i = 0; i < s->n; i++) {
        double x;
        out[i] = hpo_trial_param(t, s->p[i].name, &x) ? x : NAN;
    }
}

int hpo_pbt_survivors(hpo_study *study, hpo_trial ***out, int *n)
{
    *out = NULL;
    *n = 0;
    hpo_trial **t;
    int nt;
    int rc = hpo_study_trials(study, &t, &nt);
    if (rc != HPO_OK)
        return rc;
    int members = 0;
    for (int i = 0; i < nt; i++) {
        int m = hpo__pbt_attr_int(t[i], "pbt_member", -1);
        if (m + 1 > members)
            members = m + 1;
    }
    hpo__pbt_view v;
    if (members == 0 || hpo__pbt_view_build(&v, t, nt, members) != HPO_OK) {
        hpo_trials_free(t, nt);
        return members == 0 ? HPO_OK : HPO_ENOMEM;
    }
    hpo_trial **keep = calloc((size_t)members, sizeof *keep);
    for (int m = 0; keep && m < members; m++)
        if (v.m[m].last >= 0) {
            keep[(*n)++] = t[v.m[m].last];
            t[v.m[m].last] = NULL; /* moved */
        }
    hpo__pbt_view_free(&v);
    hpo_trials_free(t, nt);
    *out = keep;
    return keep ? HPO_OK : HPO_ENOMEM;
}
