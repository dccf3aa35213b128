/*
 * optimize.c — hpo_study_optimize: n_jobs threads, each a loop of
 * ask -> objective -> tell, until the trial budget, the resource budget,
 * the timeout, the sampler, a callback or hpo_study_stop() ends the run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"
#include "study.h"

typedef struct run {
    hpo_study *study;
    hpo_objective_fn objective;
    void *data;
    hpo_optimize_options opt;
    double deadline;          /* monotonic seconds; 0 = none */
    atomic_int started;       /* trials handed out */
    atomic_int stop_reason;   /* first reason to stop, 0 while running */
    pthread_mutex_t callback_lock;
    pthread_mutex_t tally_lock; /* guards tally */
    hpo__resource_tally tally;  /* the study's resource, for the budget */
} run;

static void stop_with(run *r, int reason)
{
    int none = 0;
    atomic_compare_exchange_strong(&r->stop_reason, &none, reason);
}

/* Is there resource left in the study's budget?  Read from storage before
 * every start, since other workers spend from the same budget. */
static int resource_left(run *r)
{
    int64_t used = 0;
    pthread_mutex_lock(&r->tally_lock);
    int rc = hpo__resource_tally_used(r->study, &r->tally, &used);
    pthread_mutex_unlock(&r->tally_lock);
    if (rc != HPO_OK) {
        stop_with(r, rc);
        return 0;
    }
    if (used < r->opt.budget_resource)
        return 1;
    stop_with(r, HPO_OK); /* the budget is spent: done, as after n_trials */
    return 0;
}

/* Claim a slot in the trial budget, or say why not. */
static int may_start(run *r)
{
    if (atomic_load(&r->stop_reason))
        return 0;
    if (atomic_load(&r->study->stop_requested)) {
        stop_with(r, HPO_STOPPED);
        return 0;
    }
    if (atomic_load(&r->study->sampler_done)) {
        stop_with(r, HPO_DONE);
        return 0;
    }
    if (r->deadline > 0 && hpo__monotonic() >= r->deadline) {
        stop_with(r, HPO_TIMEOUT);
        return 0;
    }
    if (r->opt.budget_resource > 0 && !resource_left(r))
        return 0;
    if (r->opt.n_trials > 0 &&
        atomic_fetch_add(&r->started, 1) >= r->opt.n_trials) {
        stop_with(r, HPO_OK);
        return 0;
    }
    return 1;
}

static hpo_trial_state state_of_result(int rc)
{
    if (rc == HPO_OK)
        return HPO_COMPLETE;
    return rc == HPO_PRUNED ? HPO_PRUNED_STATE : HPO_FAIL;
}

/* Keep why a trial failed where hpo trials and Optuna can show it: the
 * reason the objective gave as its user attribute fail_reason, else the
 * trial's error message, else the code's name. */
static void record_failure(hpo_study *s, hpo_trial *t, int rc)
{
    const char *given = hpo_trial_user_attr(t, "fail_reason");
    char *json = NULL;
    if (given) {
        json = hpo__strdup(given);
    } else {
        const char *why = hpo_trial_errmsg(t);
        json = *why ? hpo__asprintf("\"%s\"", why)
                    : hpo__asprintf("\"%s: objective failed\"", hpo_errname(rc));
        /* A message is plain text: keep the JSON string well formed. */
        for (char *p = json ? json + 1 : NULL; p && p[1]; p++)
            if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
                *p = '\'';
    }
    if (json)
        hpo__st_set_trial_attr(s->storage, t->rec.id, 1, "fail_reason", json);
    free(json);
}

/* A tell the storage refused (busy past its timeout, full, away for a
 * moment): once more, then at least FAIL, so that the trial does not stay
 * RUNNING with nobody running it.  The first error stands (it stops the
 * run) unless the result got stored after all. */
static int tell_again(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                      const double *values, int rc)
{
    if (hpo_study_tell(s, t, state, values, s->n_dirs) == HPO_OK)
        return HPO_OK;
    char *why = hpo__strdup(hpo_trial_errmsg(t));
    hpo_study_tell(s, t, HPO_FAIL, NULL, 0);
    if (why) /* the reason the run stops, not the FAIL's */
        hpo__msg_set(&t->msg, why);
    free(why);
    return rc;
}

static int run_one(run *r)
{
    hpo_study *s = r->study;
    hpo_trial *t;
    int rc = hpo_study_ask(s, &t);
    if (rc != HPO_OK)
        return rc;
    double values[HPO_MAX_OBJECTIVES];
    for (int i = 0; i < HPO_MAX_OBJECTIVES; i++)
        values[i] = NAN;
    int result = r->objective(t, r->data, values);
    hpo_trial_state state = state_of_result(result);
    if (state == HPO_FAIL)
        record_failure(s, t, result);
    rc = hpo_study_tell(s, t, state, values, s->n_dirs);
    if (rc == HPO_EINVAL) /* the objective broke tell's rules: a failure */
        rc = hpo_study_tell(s, t, HPO_FAIL, NULL, 0);
    if (rc < 0 && rc != HPO_EFINISHED)
        rc = tell_again(s, t, state, values, rc);
    if (rc < 0) /* the trial's handle goes away: keep why on the study */
        hpo__msg_set(&s->msg, hpo_trial_errmsg(t));
    if (rc == HPO_OK && r->opt.callback) {
        pthread_mutex_lock(&r->callback_lock);
        if (r->opt.callback(s, t, r->opt.callback_data))
            stop_with(r, HPO_STOPPED);
        pthread_mutex_unlock(&r->callback_lock);
    }
    hpo_trial_free(t);
    return rc;
}

static void *worker(void *arg)
{
    run *r = arg;
    while (may_start(r)) {
        int rc = run_one(r);
        if (rc == HPO_DONE)
            stop_with(r, HPO_DONE);
        else if (rc < 0)
            stop_with(r, rc);
    }
    return NULL;
}

int hpo_study_optimize(hpo_study *s, hpo_objective_fn objective, void *data,
                       const hpo_optimize_options *options)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study before optimize");
    if (!objective)
        return hpo__fail(&s->msg, HPO_EINVAL, "optimize needs an objective");
    run r = {.study = s, .objective = objective, .data = data};
    if (options)
        r.opt = *options;
    if (r.opt.n_trials < 0 || r.opt.timeout_s < 0 || r.opt.n_jobs < 0 ||
        r.opt.budget_resource < 0 || r.opt.max_resource < 0)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "n_trials, timeout_s, n_jobs, budget_resource and "
                         "max_resource must not be negative");
    int rc = r.opt.n_trials > 0 ? hpo_study_plan_trials(s, r.opt.n_trials)
                                : HPO_OK;
    if (rc != HPO_OK)
        return rc;
    r.tally.max_resource = r.opt.max_resource;
    if (r.opt.timeout_s > 0)
        r.deadline = hpo__monotonic() + r.opt.timeout_s;
    atomic_store(&s->stop_requested, 0);
    hpo__msg_set(&s->msg, NULL);
    pthread_mutex_init(&r.callback_lock, NULL);
    pthread_mutex_init(&r.tally_lock, NULL);
    int n_jobs = r.opt.n_jobs > 1 ? r.opt.n_jobs : 1;
    pthread_t *threads = calloc((size_t)n_jobs, sizeof *threads);
    int started = 0;
    for (int i = 1; threads && i < n_jobs; i++, started++)
        if (pthread_create(&threads[i], NULL, worker, &r))
            break;
    worker(&r); /* the calling thread is worker 0 */
    for (int i = 1; i <= started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    pthread_mutex_destroy(&r.callback_lock);
    pthread_mutex_destroy(&r.tally_lock);
    hpo__resource_tally_free(&r.tally);
    int reason = atomic_load(&r.stop_reason);
    if (reason < 0 && !*hpo__msg_get(&s->msg))
        hpo__fail(&s->msg, reason, "optimize stopped: %s", hpo_errstr(reason));
    return reason;
}
