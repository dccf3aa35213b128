/*
 * pruning_hpo.c — hpo's side of `hpo-bench pruning` (pruning.c): the same
 * loop as optuna_pruning.py's Run, in process, through libhpo's public
 * API and the XGBoost learner stepped one boosting round at a time.
 *
 * A method is "SAMPLER[+PRUNER]" in hpo's own specs, options included
 * ("tpe+hyperband:min_resource=1,max_resource=243").  Each trial suggests
 * BENCHMARKS.md's 7 parameters in optuna_pruning.py's order and ranges,
 * trains up to 243 rounds on hpo's hold-out split, reports the validation
 * log-loss after every round at step = round, and stops when the pruner
 * says so (verdict 1) or when the budget of rounds is spent (then it is
 * told PRUNED and never counts).  A trial stopped by verdict 2 (it had all
 * the resource its pruner gives) is told COMPLETE with its last value.
 * The run is written as optuna_pruning.py writes one: {"final", "curve":
 * [[rounds spent, best COMPLETE value so far], ...], "trials", "pruned",
 * "seconds"}.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "bench.h"

#include "../src/ml/learner.h"

#define MAX_ROUNDS 243

typedef struct hpo_run {
    const hpo__dataset *d;
    const hpo__split *split;
    long budget, spent;
    double best;
    int complete, pruned;
    cJSON *curve;
} hpo_run;

/* BENCHMARKS.md's xgb_spam space, as optuna_pruning.py's params_of. */
static int suggest_params(hpo_trial *t, hpo__hparams *p)
{
    static const struct {
        const char *name;
        double low, high;
        int log, is_int;
    } space[] = {
        {"eta", 1e-3, 1.0, 1, 0},
        {"max_depth", 1, 12, 0, 1},
        {"subsample", 0.5, 1.0, 0, 0},
        {"colsample_bytree", 0.3, 1.0, 0, 0},
        {"min_child_weight", 0.1, 100.0, 1, 0},
        {"lambda", 1e-3, 100.0, 1, 0},
        {"alpha", 1e-3, 10.0, 1, 0},
    };
    int rc = HPO_OK;
    for (size_t k = 0; rc == HPO_OK && k < sizeof space / sizeof *space; k++) {
        double v;
        if (space[k].is_int) {
            int64_t i;
            rc = hpo_trial_suggest_int(t, space[k].name, (int64_t)space[k].low,
                                       (int64_t)space[k].high, 1, 0, &i);
            v = (double)i;
        } else {
            rc = hpo_trial_suggest_float(t, space[k].name, space[k].low,
                                         space[k].high, 0,
                                         space[k].log ? HPO_LOG : 0, &v);
        }
        if (rc == HPO_OK && hpo__hparams_set(p, space[k].name, v))
            rc = HPO_ENOMEM;
    }
    if (rc == HPO_OK && hpo__hparams_set(p, "num_round", MAX_ROUNDS))
        rc = HPO_ENOMEM;
    return rc;
}

/* Train round by round: *state is how the trial ends, *value its last
 * log-loss. */
static int train(hpo_run *r, hpo_trial *t, const hpo__hparams *params,
                 hpo_trial_state *state, double *value)
{
    const hpo__learner_type *xgb = &hpo__learner_xgboost;
    const hpo__split *s = r->split;
    hpo__fit_input in = {.d = r->d, .rows = s->train, .n_rows = s->n_train,
                         .params = params, .output = HPO__OUTPUT_PROBA,
                         .eval_rows = s->test, .n_eval = s->n_test};
    hpo__msg m = {0};
    void *model = NULL;
    double *proba = malloc(sizeof(double) * 2 * (size_t)s->n_test);
    int rc = proba ? hpo__learner_fit_start(xgb, &in, &model, &m) : HPO_ENOMEM;
    *state = HPO_PRUNED_STATE;
    for (int round = 1; rc == HPO_OK && round <= MAX_ROUNDS; round++) {
        if (r->spent >= r->budget)
            break; /* cut by the budget: PRUNED, never counts */
        if ((rc = xgb->fit_step(model, &m)) == HPO_OK)
            rc = hpo__learner_predict(xgb, model, r->d, s->test, s->n_test,
                                      HPO__OUTPUT_PROBA, proba, &m);
        if (rc != HPO_OK)
            break;
        r->spent++;
        *value = hpo__metric_compute(HPO__METRIC_LOGLOSS, r->d, s->test,
                                     s->n_test, proba);
        int verdict = hpo_trial_report(t, round, *value);
        if (verdict == HPO_OK && round < MAX_ROUNDS)
            verdict = hpo_trial_should_prune(t);
        if (verdict < 0)
            rc = verdict;
        else if (verdict == 1)
            break;
        else if (verdict == 2 || round == MAX_ROUNDS) {
            *state = HPO_COMPLETE;
            break;
        }
    }
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench pruning: %s\n",
                *hpo__msg_get(&m) ? hpo__msg_get(&m) : hpo_trial_errmsg(t));
    if (model)
        xgb->free_model(model);
    free(proba);
    hpo__msg_free(&m);
    return rc;
}

static int one_trial(hpo_run *r, hpo_study *study)
{
    hpo_trial *t;
    int rc = hpo_study_ask(study, &t);
    if (rc != HPO_OK) {
        fprintf(stderr, "hpo-bench pruning: %s\n", hpo_study_errmsg(study));
        return rc;
    }
    hpo__hparams params = {0};
    hpo_trial_state state = HPO_PRUNED_STATE;
    double value = NAN;
    rc = suggest_params(t, &params);
    if (rc == HPO_OK)
        rc = train(r, t, &params, &state, &value);
    if (rc == HPO_OK)
        rc = hpo_study_tell(study, t, state, &value, 1);
    if (rc == HPO_OK && state == HPO_COMPLETE) {
        r->complete++;
        if (value < r->best)
            r->best = value;
        cJSON *point = cJSON_CreateArray();
        cJSON_AddItemToArray(point, cJSON_CreateNumber((double)r->spent));
        cJSON_AddItemToArray(point, cJSON_CreateNumber(r->best));
        cJSON_AddItemToArray(r->curve, point);
    } else if (rc == HPO_OK) {
        r->pruned++;
    }
    hpo__hparams_free(&params);
    hpo_trial_free(t);
    return rc;
}

/* A study with the method's sampler and pruner; NULL on error. */
static hpo_study *make_study(const char *method, int seed)
{
    char sampler[256];
    snprintf(sampler, sizeof sampler, "%s", method);
    char *plus = strchr(sampler, '+');
    const char *pruner = plus ? plus + 1 : "none";
    if (plus)
        *plus = '\0';
    hpo_study *s = hpo_study_new();
    int rc = s ? HPO_OK : HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = hpo_study_set_sampler(s, sampler);
    if (rc == HPO_OK)
        rc = hpo_study_set_pruner(s, pruner);
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, (uint64_t)seed);
    if (rc == HPO_OK)
        rc = hpo_study_add_direction(s, HPO_MINIMIZE);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, "xgb_spam", HPO_OPEN_CREATE);
    if (rc != HPO_OK) {
        fprintf(stderr, "hpo-bench pruning: %s: %s\n", method,
                s ? hpo_study_errmsg(s) : "out of memory");
        hpo_study_free(s);
        return NULL;
    }
    return s;
}

cJSON *bench_pruning_hpo_run(const hpo__dataset *d, const hpo__split *split,
                             const char *method, int seed, long budget)
{
    hpo_study *study = make_study(method, seed);
    if (!study)
        return NULL;
    hpo_run r = {.d = d, .split = split, .budget = budget, .best = INFINITY,
                 .curve = cJSON_CreateArray()};
    double start = bench_now_s();
    int rc = HPO_OK;
    while (rc == HPO_OK && r.spent < r.budget)
        rc = one_trial(&r, study);
    hpo_study_free(study);
    if (rc != HPO_OK) {
        cJSON_Delete(r.curve);
        return NULL;
    }
    cJSON *run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "seed", seed);
    if (r.complete)
        cJSON_AddNumberToObject(run, "final", r.best);
    else
        cJSON_AddNullToObject(run, "final");
    cJSON_AddItemToObject(run, "curve", r.curve);
    cJSON_AddNumberToObject(run, "rounds", r.spent);
    cJSON_AddNumberToObject(run, "trials", r.complete + r.pruned);
    cJSON_AddNumberToObject(run, "complete", r.complete);
    cJSON_AddNumberToObject(run, "pruned", r.pruned);
    cJSON_AddNumberToObject(run, "seconds", bench_now_s() - start);
    return run;
}
