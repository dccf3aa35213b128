/*
 * pbt_run.c — the population-based training driver (Jaderberg et al.
 * 2017), asynchronous as in the paper's section 3: a worker takes the
 * member that is furthest behind, decides its next interval from the
 * scores in storage, trains it and stores the result as a trial.
 *
 *   read trials --> pick a member (not running, fewest intervals done)
 *        |             |
 *        |        claim it: CAS of study system attribute
 *        |        "pbt:member:M" from an older [interval, attempt]
 *        |             |
 *        |        plan:  attempt 0, interval 0   fresh sample
 *        |               attempt 0, interval k   exploit (bottom quantile
 *        |                                       copies a top member's
 *        |                                       interval k-1) + explore,
 *        |                                       or go on as it was
 *        |               attempt 1               the failed attempt again
 *        |                                       (same checkpoint, params)
 *        |               attempt >= 2            exploit, forced
 *        v             |
 *   ask a trial, fix its params, train(checkpoint_in -> DIR/...ckpt.tmp)
 *        success: rename to DIR/...ckpt, tell COMPLETE with the score
 *        failure, NaN score, no checkpoint file: remove it, tell FAIL
 *
 * A worker that dies leaves its trial RUNNING; the heartbeat check of any
 * other worker fails it, and the member is taken again at attempt 1: from
 * its last good checkpoint.  Checkpoints of interval i are deleted once
 * every member has finished interval i + 2 (no decision can read them any
 * more: a member deciding interval k reads interval k - 1); at the end
 * only the last interval's (the survivors') remain.
 *
 * Deviations from the paper: members are compared at the same interval
 * (pbt_select.c); a failed interval is retried once before the member is
 * replaced by exploit.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/json.h"
#include "../core/study.h"
#include "pbt.h"

struct hpo_pbt {
    hpo_study *study;
    hpo__pbt_opts o;
    char *dir;
    hpo__msg msg;
    pthread_mutex_t mu;
    int rc;           /* the first error of any thread */
    int gc_below;     /* intervals below this are cleaned (this process) */
    hpo_pbt_train_fn train;
    void *data;
};

/* One member-interval to run. */
typedef struct plan {
    int member, interval, attempt;
    int parent, parent_trial; /* -1: none copied */
    double *values;
    char ckpt_in[4096];
} plan;

const char *hpo_pbt_errmsg(const hpo_pbt *p)
{
    return p ? hpo__msg_get(&p->msg) : "no pbt";
}

static int mkdir_p(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return ENAMETOOLONG;
    for (char *s = buf + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return errno;
            *s = '/';
        }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return errno;
    return 0;
}

int hpo_pbt_new(hpo_pbt **out, hpo_study *study, const char *spec,
                const char *checkpoint_dir)
{
    hpo_pbt *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return HPO_ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    p->study = study;
    int rc = hpo__pbt_opts_parse(&p->o, spec, &p->msg);
    if (rc)
        return rc;
    if (!study)
        return HPO_OK; /* the spec checked, nothing more */
    if (!study->opened)
        return hpo__fail(&p->msg, HPO_EMISUSE, "pbt: open the study first");
    if (!study->space || study->space->n == 0)
        return hpo__fail(&p->msg, HPO_EINVAL, "pbt: the study has no "
                         "declared space (hpo_study_set_space)");
    if (study->n_dirs != 1)
        return hpo__fail(&p->msg, HPO_EINVAL, "pbt: the study must have one "
                         "objective (the score)");
    if (!checkpoint_dir || !*checkpoint_dir)
        checkpoint_dir = "hpo-checkpoints";
    if (strlen(checkpoint_dir) > 4000)
        return hpo__fail(&p->msg, HPO_EINVAL, "pbt: checkpoint directory "
                         "name too long");
    if (!(p->dir = hpo__strdup(checkpoint_dir)))
        return hpo__oom(&p->msg);
    int err = mkdir_p(p->dir);
    if (err)
        return hpo__fail(&p->msg, HPO_EIO, "pbt: checkpoint directory '%s': "
                         "%s", p->dir, strerror(err));
    return HPO_OK;
}

void hpo_pbt_free(hpo_pbt *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->mu);
    hpo__msg_free(&p->msg);
    free(p->dir);
    free(p);
}

/* The first error wins; every thread stops at its next step. */
static int set_error(hpo_pbt *p, int rc, const char *text)
{
    pthread_mutex_lock(&p->mu);
    if (!p->rc) {
        p->rc = rc;
        hpo__msg_set(&p->msg, text);
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

static int failed(hpo_pbt *p)
{
    pthread_mutex_lock(&p->mu);
    int rc = p->rc;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* ---- claiming a member ---------------------------------------------------- */

/* A claim with no trial after this long is taken over: its worker died
 * between the compare-and-set and creating the trial (the member shows no
 * RUNNING trial, or it would not be picked). */
#define CLAIM_STALE_S 60.0

/* Take member m for [k, a] unless a worker has taken it for this or a
 * later attempt (less than CLAIM_STALE_S ago, for this one): 1 taken,
 * 0 someone else has it, < 0 storage error.  The value is
 * [interval, attempt, time taken]. */
static int claim(hpo_pbt *p, int m, int k, int a)
{
    hpo_study *s = p->study;
    char key[64], want[96];
    double now_s = hpo__now();
    snprintf(key, sizeof key, "pbt:member:%d", m);
    snprintf(want, sizeof want, "[%d,%d,%.3f]", k, a, now_s);
    hpo__attrs attrs = {0};
    int rc = hpo__st_get_study_attrs(s->storage, s->id, 1, &attrs);
    if (rc) {
        hpo__attrs_free(&attrs);
        return set_error(p, rc, hpo_storage_errmsg(s->storage));
    }
    const char *now = hpo__attrs_get(&attrs, key);
    int k0 = -1, a0 = -1;
    double t0 = 0;
    if (now && sscanf(now, "[%d,%d,%lf]", &k0, &a0, &t0) != 3)
        k0 = a0 = -1;
    int older = !now || k0 < k || (k0 == k && a0 < a) ||
                (k0 == k && a0 == a && now_s - t0 > CLAIM_STALE_S);
    rc = older ? hpo__st_cas_study_sys_attr(s->storage, s->id, key, now, want)
               : HPO_DONE;
    hpo__attrs_free(&attrs);
    if (rc == HPO_OK)
        return 1;
    if (rc == HPO_DONE)
        return 0;
    return set_error(p, rc, hpo_storage_errmsg(s->storage));
}

/* ---- planning -------------------------------------------------------------- */

static void rng_for(const hpo_pbt *p, const plan *pl, hpo__rng *r)
{
    uint64_t stream = ((uint64_t)pl->member << 40) ^
                      ((uint64_t)pl->interval << 12) ^ (uint64_t)pl->attempt;
    hpo__rng_derive(r, p->study->seed, stream ^ 0x9b7e5f1bULL);
}

/* Copy trial i's checkpoint and values into pl, then explore. */
static int exploit(hpo_pbt *p, const hpo__pbt_view *v, plan *pl, int i,
                   hpo__rng *r)
{
    const hpo_space *sp = p->study->space;
    double *from = malloc(sizeof *from * (size_t)sp->n);
    if (!from)
        return HPO_ENOMEM;
    hpo__pbt_trial_values(sp, v->t[i], from);
    pl->parent = hpo__pbt_attr_int(v->t[i], "pbt_member", -1);
    pl->parent_trial = hpo_trial_number(v->t[i]);
    hpo__pbt_attr_str(v->t[i], "checkpoint", pl->ckpt_in, sizeof pl->ckpt_in);
    int rc = HPO_OK;
    if (p->o.explore == HPO__PBT_PB2)
        rc = hpo__pb2_explore(sp, &p->o, v, pl->interval, p->study->dirs[0], r,
                              from, pl->values);
    else
        hpo__pbt_perturb(sp, &p->o, r, from, pl->values);
    free(from);
    return rc;
}

/* Go on from trial i (the member's own, or the failed attempt's). */
static void continue_from(hpo_pbt *p, const hpo_trial *t, plan *pl, int own)
{
    hpo__pbt_trial_values(p->study->space, t, pl->values);
    if (own) {
        hpo__pbt_attr_str(t, "checkpoint", pl->ckpt_in, sizeof pl->ckpt_in);
        pl->parent_trial = hpo_trial_number(t);
    } else { /* a retry: what the failed attempt started from */
        hpo__pbt_attr_str(t, "checkpoint_in", pl->ckpt_in,
                          sizeof pl->ckpt_in);
        pl->parent = hpo__pbt_attr_int(t, "pbt_parent", -1);
        pl->parent_trial = hpo__pbt_attr_int(t, "pbt_parent_trial", -1);
    }
}

static int make_plan(hpo_pbt *p, const hpo__pbt_view *v, plan *pl)
{
    const hpo__pbt_member *mm = &v->m[pl->member];
    hpo__rng r;
    rng_for(p, pl, &r);
    pl->parent = pl->parent_trial = -1;
    pl->ckpt_in[0] = '\0';
    if (pl->attempt == 1 && mm->last_fail >= 0) {
        continue_from(p, v->t[mm->last_fail], pl, 0);
        return HPO_OK;
    }
    int forced = pl->attempt >= 2, parent = -1;
    if (pl->interval > 0) {
        int n = hpo__pbt_select(v, pl->member, pl->interval, p->o.quantile,
                                p->study->dirs[0], forced, &r, &parent);
        if (n < 0)
            return n;
    }
    if (parent >= 0)
        return exploit(p, v, pl, parent, &r);
    if (pl->interval > 0 && mm->last >= 0 && !forced) {
        continue_from(p, v->t[mm->last], pl, 1);
        return HPO_OK;
    }
    hpo__pbt_sample(p->study->space, &r, pl->values);
    return HPO_OK;
}

/* ---- running one interval --------------------------------------------------- */

/* {"lr": 0.01, "kernel": "rbf"} from internal values (the form of an
 * enqueued trial's fixed_params, which suggest reads). */
static char *params_json(const hpo_space *sp, const double *x)
{
    cJSON *obj = cJSON_CreateObject();
    int ok = obj != NULL;
    for (int i = 0; ok && i < sp->n; i++) {
        const hpo__dist *d = &sp->p[i].dist;
        cJSON *item = d->kind == HPO__CATEGORICAL
                          ? cJSON_Parse(d->choices[(int)x[i]])
                          : hpo__json_number(x[i], d->kind == HPO__FLOAT);
        ok = item && hpo__json_put(obj, sp->p[i].name, item);
    }
    char *text = ok ? cJSON_PrintUnformatted(obj) : NULL;
    cJSON_Delete(obj);
    return text;
}

static int set_int(hpo_trial *t, const char *key, int v)
{
    char text[24];
    snprintf(text, sizeof text, "%d", v);
    return hpo_trial_set_user_attr(t, key, text);
}

static int set_str(hpo_trial *t, const char *key, const char *v)
{
    cJSON *s = cJSON_CreateString(v);
    char *json = s ? cJSON_PrintUnformatted(s) : NULL;
    cJSON_Delete(s);
    int rc = json ? hpo_trial_set_user_attr(t, key, json) : HPO_ENOMEM;
    free(json);
    return rc;
}

/* The trial's fixed values, and the attributes that make it a member's
 * interval (and, stored, the lineage). */
static int prepare_trial(hpo_pbt *p, hpo_trial *t, const plan *pl,
                         const char *tmp)
{
    (void)p;
    int rc = hpo_trial_suggest_all(t); /* the fixed values */
    if (rc == HPO_OK)
        rc = set_int(t, "pbt_member", pl->member);
    if (rc == HPO_OK)
        rc = set_int(t, "pbt_interval", pl->interval);
    if (rc == HPO_OK)
        rc = set_int(t, "pbt_attempt", pl->attempt);
    if (rc == HPO_OK)
        rc = set_int(t, "pbt_parent", pl->parent);
    if (rc == HPO_OK)
        rc = set_int(t, "pbt_parent_trial", pl->parent_trial);
    if (rc == HPO_OK)
        rc = set_str(t, "checkpoint_in", pl->ckpt_in);
    if (rc == HPO_OK)
        rc = set_str(t, "checkpoint_out", tmp);
    return rc;
}

static void warn(hpo_pbt *p, hpo_trial *t, const char *why)
{
    hpo__study_log(p->study, 2, "pbt: member %d interval %d (trial %d) "
                   "failed: %s", hpo__pbt_attr_int(t, "pbt_member", -1),
                   hpo__pbt_attr_int(t, "pbt_interval", -1),
                   hpo_trial_number(t), why);
    if (!hpo_trial_user_attr(t, "fail_reason"))
        set_str(t, "fail_reason", why);
}

/* What became of the interval: COMPLETE with its checkpoint in place, or
 * FAIL (the reason stored and logged, the partial checkpoint removed). */
static int finish(hpo_pbt *p, hpo_trial *t, const plan *pl, int rc,
                  double score, const char *tmp, const char *final)
{
    struct stat st;
    const char *why = NULL;
    char buf[256];
    if (rc != HPO_OK) {
        /* The trainer's own reason when it left one (hpo pbt's child
         * runner does: "exited with status 3"). */
        hpo__pbt_attr_str(t, "fail_reason", buf, sizeof buf);
        if (!buf[0])
            snprintf(buf, sizeof buf, "training returned %s",
                     hpo_errname(rc));
        why = buf;
    } else if (isnan(score)) {
        why = "score is not a number (nan)";
    } else if (stat(tmp, &st) != 0) {
        why = "no checkpoint written";
    } else if (rename(tmp, final) != 0) {
        snprintf(buf, sizeof buf, "cannot move the checkpoint into place: %s",
                 strerror(errno));
        why = buf;
    }
    if (why) {
        remove(tmp);
        warn(p, t, why);
        return hpo_study_tell(p->study, t, HPO_FAIL, NULL, 0);
    }
    int64_t step = (int64_t)(pl->interval + 1) * p->o.interval;
    rc = set_str(t, "checkpoint", final);
    if (rc == HPO_OK)
        rc = hpo_trial_report(t, step, score);
    if (rc == HPO_OK)
        rc = hpo_study_tell(p->study, t, HPO_COMPLETE, &score, 1);
    if (rc == HPO_OK && pl->parent >= 0)
        hpo__study_log(p->study, 1, "pbt: member %d interval %d (trial %d) "
                       "score %.6g, from member %d's checkpoint (trial %d)",
                       pl->member, pl->interval, hpo_trial_number(t), score,
                       pl->parent, pl->parent_trial);
    else if (rc == HPO_OK)
        hpo__study_log(p->study, 1, "pbt: member %d interval %d (trial %d) "
                       "score %.6g", pl->member, pl->interval,
                       hpo_trial_number(t), score);
    return rc;
}

static int run_interval(hpo_pbt *p, const plan *pl)
{
    hpo_trial *t = NULL;
    char *json = params_json(p->study->space, pl->values);
    int rc = json ? hpo__study_ask_fixed(p->study, json, &t) : HPO_ENOMEM;
    free(json);
    if (rc != HPO_OK)
        return set_error(p, rc, hpo_study_errmsg(p->study));
    char final[4200], tmp[4210];
    snprintf(final, sizeof final, "%s/m%d-i%d-t%d.ckpt", p->dir, pl->member,
             pl->interval, hpo_trial_number(t));
    snprintf(tmp, sizeof tmp, "%s.tmp", final);
    remove(tmp);
    if ((rc = prepare_trial(p, t, pl, tmp)) != HPO_OK) {
        set_error(p, rc, hpo_trial_errmsg(t));
        hpo_study_tell(p->study, t, HPO_FAIL, NULL, 0);
        hpo_trial_free(t);
        return rc;
    }
    double score = NAN;
    rc = p->train(t, pl->member, pl->ckpt_in[0] ? pl->ckpt_in : NULL, tmp,
                  &score, p->data);
    rc = finish(p, t, pl, rc, score, tmp, final);
    if (rc != HPO_OK)
        set_error(p, rc, hpo_trial_errmsg(t));
    hpo_trial_free(t);
    return rc;
}

/* ---- checkpoints no member needs ------------------------------------------- */

static void remove_attr_file(const hpo_trial *t, const char *key)
{
    char path[4096];
    hpo__pbt_attr_str(t, key, path, sizeof path);
    if (path[0])
        remove(path);
}

/* Intervals below min_completed - 1 are read by no decision any more (a
 * member deciding interval k reads k - 1, and no member is behind
 * min_completed); each process cleans each interval once. */
static void collect(hpo_pbt *p, const hpo__pbt_view *v)
{
    int below = v->min_completed - 1;
    pthread_mutex_lock(&p->mu);
    int from = p->gc_below;
    if (below > p->gc_below)
        p->gc_below = below;
    pthread_mutex_unlock(&p->mu);
    if (below <= from)
        return;
    for (int i = 0; i < v->n; i++) {
        int k = hpo__pbt_attr_int(v->t[i], "pbt_interval", -1);
        if (k < from || k >= below)
            continue;
        remove_attr_file(v->t[i], "checkpoint");
        remove_attr_file(v->t[i], "checkpoint_out");
    }
}

/* ---- the loop ------------------------------------------------------------- */

/* The member to run next (fewest intervals done, not running, starting
 * the search at `salt` so workers spread), or -1; *exhausted gets a
 * member that failed max_failures times, or -1. */
static int pick(const hpo_pbt *p, const hpo__pbt_view *v, int salt,
                int *exhausted)
{
    int best = -1;
    *exhausted = -1;
    for (int j = 0; j < v->n_members; j++) {
        int m = (j + salt) % v->n_members;
        const hpo__pbt_member *mm = &v->m[m];
        if (mm->running || mm->completed >= p->o.intervals)
            continue;
        if (mm->fails >= p->o.max_failures) {
            *exhausted = m;
            continue;
        }
        if (best < 0 || mm->completed < v->m[best].completed)
            best = m;
    }
    return best;
}

static int exhausted_error(hpo_pbt *p, const hpo__pbt_view *v, int m)
{
    char reason[512] = "";
    const hpo__pbt_member *mm = &v->m[m];
    if (mm->last_fail >= 0)
        hpo__pbt_attr_str(v->t[mm->last_fail], "fail_reason", reason,
                          sizeof reason);
    char text[800];
    snprintf(text, sizeof text, "pbt: member %d failed %d times at interval "
             "%d (last: %s)", m, mm->fails, mm->completed,
             reason[0] ? reason : "no reason stored");
    return set_error(p, HPO_EFAIL, text);
}

enum { STEP_RAN, STEP_WAIT, STEP_DONE };

/* One decision: STEP_RAN, STEP_WAIT (others are running what is left),
 * STEP_DONE, or an error. */
static int step(hpo_pbt *p, int salt)
{
    hpo_trial **t = NULL;
    int n = 0;
    int rc = hpo_study_trials(p->study, &t, &n);
    if (rc != HPO_OK)
        return set_error(p, rc, hpo_study_errmsg(p->study));
    hpo__pbt_view v;
    plan pl = {0};
    if ((rc = hpo__pbt_view_build(&v, t, n, (int)p->o.population))) {
        hpo_trials_free(t, n);
        return set_error(p, rc, "out of memory");
    }
    collect(p, &v);
    int exhausted, m = pick(p, &v, salt, &exhausted);
    if (v.min_completed >= p->o.intervals)
        rc = STEP_DONE;
    else if (m < 0 && exhausted >= 0)
        rc = exhausted_error(p, &v, exhausted);
    else if (m < 0)
        rc = STEP_WAIT;
    else {
        pl.member = m;
        pl.interval = v.m[m].completed;
        pl.attempt = v.m[m].fails;
        int got = claim(p, m, pl.interval, pl.attempt);
        pl.values = got > 0 ? malloc(sizeof(double) *
                                     (size_t)p->study->space->n)
                            : NULL;
        if (got < 0)
            rc = got;
        else if (got == 0)
            rc = STEP_WAIT; /* another worker has it: look again soon */
        else if (!pl.values)
            rc = set_error(p, HPO_ENOMEM, "out of memory");
        else if ((rc = make_plan(p, &v, &pl)) != HPO_OK)
            rc = set_error(p, rc, "pbt: planning the next interval failed");
        else
            rc = -1000; /* run it, after the trials are released */
    }
    hpo__pbt_view_free(&v);
    hpo_trials_free(t, n);
    if (rc == -1000)
        rc = run_interval(p, &pl) == HPO_OK ? STEP_RAN : failed(p);
    free(pl.values);
    return rc;
}

static void nap(double *wait_s)
{
    struct timespec ts = {0, (long)(*wait_s * 1e9)};
    nanosleep(&ts, NULL);
    if (*wait_s < 0.5)
        *wait_s *= 2;
}

typedef struct worker {
    hpo_pbt *p;
    int salt;
    int rc;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    hpo_pbt *p = w->p;
    double wait_s = 0.02;
    for (;;) {
        if (failed(p) || atomic_load(&p->study->stop_requested)) {
            w->rc = failed(p) ? failed(p) : HPO_STOPPED;
            return NULL;
        }
        int rc = step(p, w->salt);
        if (rc < 0 || rc == STEP_DONE) {
            w->rc = rc == STEP_DONE ? HPO_OK : rc;
            return NULL;
        }
        if (rc == STEP_WAIT) {
            /* A worker that died holds its member until its heartbeat is
             * stale: look for such trials while waiting. */
            hpo_study_fail_stale_trials(p->study, NULL);
            nap(&wait_s);
        } else {
            wait_s = 0.02;
        }
    }
}

int hpo_pbt_run(hpo_pbt *p, hpo_pbt_train_fn train, void *data, int n_jobs)
{
    if (!p || !train)
        return HPO_EINVAL;
    if (!p->study)
        return hpo__fail(&p->msg, HPO_EMISUSE, "pbt: not set up");
    p->train = train;
    p->data = data;
    p->rc = HPO_OK;
    if (n_jobs < 1)
        n_jobs = 1;
    worker *w = calloc((size_t)n_jobs, sizeof *w);
    pthread_t *th = calloc((size_t)n_jobs, sizeof *th);
    if (!w || !th) {
        free(w);
        free(th);
        return hpo__oom(&p->msg);
    }
    int started = 0;
    for (int i = 0; i < n_jobs; i++) {
        /* Threads start their search at different members (fewer lost
         * claims); worker 0 at member 0, so a seeded single-worker run
         * numbers its trials the same every time. */
        w[i] = (worker){.p = p, .salt = i % (int)p->o.population};
        if (i > 0 && pthread_create(&th[i], NULL, work, &w[i]) != 0)
            break;
        started = i + 1;
    }
    work(&w[0]);
    for (int i = 1; i < started; i++)
        pthread_join(th[i], NULL);
    int rc = HPO_OK;
    for (int i = 0; i < started && rc == HPO_OK; i++)
        rc = w[i].rc;
    free(w);
    free(th);
    return rc;
}
