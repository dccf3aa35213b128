/* ask_tell.c — driving a study yourself instead of through a callback.
 *
 * Part 1: a training loop that reports its loss after every epoch and stops
 * early when the median pruner says the trial is worse than the median of
 * the finished ones at the same epoch.
 *
 * Part 2: a study with two objectives, both minimized, and its Pareto front:
 * the trials no other trial beats on both objectives at once.
 *
 * The ask/tell order for one trial:
 *
 *   hpo_study_ask ──> suggest ... ──> report / should_prune ... ──> hpo_study_tell
 *                                          │ (pruned)                  ^
 *                                          └── tell HPO_PRUNED_STATE ──┘
 */
#include <math.h>
#include <stdio.h>

#include <hpo.h>

#define N_EPOCHS 20

static int fail(hpo_study *study, int rc, const char *what)
{
    fprintf(stderr, "ask_tell: %s: %s: %s\n", what, hpo_errstr(rc),
            hpo_study_errmsg(study));
    return rc;
}

/* A made-up learning curve: the loss falls like 1/epoch towards a floor
 * that is lowest for a learning rate of 1e-3. */
static double loss_at(double lr, int epoch)
{
    double distance = log10(lr) + 3.0;
    return 0.05 + 0.1 * distance * distance + 1.0 / (epoch + 1);
}

/* Run one trial to its end or until pruned.  *pruned tells which. */
static int train_one(hpo_study *study, hpo_trial *trial, int *pruned)
{
    double lr, loss = NAN;
    int rc = hpo_trial_suggest_float(trial, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr);
    if (rc != HPO_OK)
        return rc;
    *pruned = 0;
    for (int epoch = 0; epoch < N_EPOCHS; epoch++) {
        loss = loss_at(lr, epoch);
        if ((rc = hpo_trial_report(trial, epoch, loss)) != HPO_OK)
            return rc;
        int stop = hpo_trial_should_prune(trial);
        if (stop < 0)
            return stop;
        if (stop) {
            *pruned = 1;
            return hpo_study_tell(study, trial, HPO_PRUNED_STATE, NULL, 0);
        }
    }
    return hpo_study_tell(study, trial, HPO_COMPLETE, &loss, 1);
}

static int pruning_demo(void)
{
    hpo_study *study = hpo_study_new();
    int rc = hpo_study_set_seed(study, 7);
    if (rc == HPO_OK)
        rc = hpo_study_set_pruner(study, "median");
    if (rc == HPO_OK)
        rc = hpo_study_open(study, "pruning", HPO_OPEN_CREATE);
    int n_pruned = 0, n_complete = 0;
    for (int i = 0; rc == HPO_OK && i < 40; i++) {
        hpo_trial *trial;
        if ((rc = hpo_study_ask(study, &trial)) != HPO_OK)
            break;
        int pruned = 0;
        rc = train_one(study, trial, &pruned);
        if (rc != HPO_OK)
            fprintf(stderr, "trial #%d: %s\n", hpo_trial_number(trial),
                    hpo_trial_errmsg(trial));
        n_pruned += pruned;
        n_complete += !pruned;
        hpo_trial_free(trial);
    }
    hpo_trial *best = NULL;
    if (rc == HPO_OK)
        rc = hpo_study_best_trial(study, &best);
    if (rc != HPO_OK) {
        rc = fail(study, rc, "pruning study");
        hpo_study_free(study);
        return rc;
    }
    double lr = NAN;
    hpo_trial_param(best, "lr", &lr);
    printf("pruning: %d complete, %d pruned; best trial #%d: lr = %.3g, "
           "loss %.4f\n",
           n_complete, n_pruned, hpo_trial_number(best), lr,
           hpo_trial_value(best, 0));
    hpo_trial_free(best);
    hpo_study_free(study);
    return HPO_OK;
}

/* Two conflicting objectives of (x, y): the distance to (0, 0) and the
 * distance to (2, 0).  The front runs along the segment between them. */
static int evaluate_two(hpo_trial *trial, double values[2])
{
    double x, y;
    int rc = hpo_trial_suggest_float(trial, "x", -1, 3, 0, 0, &x);
    if (rc == HPO_OK)
        rc = hpo_trial_suggest_float(trial, "y", -1, 1, 0, 0, &y);
    values[0] = x * x + y * y;
    values[1] = (x - 2) * (x - 2) + y * y;
    return rc;
}

static int pareto_demo(void)
{
    hpo_study *study = hpo_study_new();
    int rc = hpo_study_set_seed(study, 11);
    if (rc == HPO_OK)
        rc = hpo_study_add_direction(study, HPO_MINIMIZE);
    if (rc == HPO_OK)
        rc = hpo_study_add_direction(study, HPO_MINIMIZE);
    if (rc == HPO_OK)
        rc = hpo_study_open(study, "two-objectives", HPO_OPEN_CREATE);
    for (int i = 0; rc == HPO_OK && i < 60; i++) {
        hpo_trial *trial;
        if ((rc = hpo_study_ask(study, &trial)) != HPO_OK)
            break;
        double values[2];
        rc = evaluate_two(trial, values);
        if (rc == HPO_OK)
            rc = hpo_study_tell(study, trial, HPO_COMPLETE, values, 2);
        hpo_trial_free(trial);
    }
    hpo_trial **front = NULL;
    int n = 0;
    if (rc == HPO_OK)
        rc = hpo_study_pareto_front(study, &front, &n);
    if (rc != HPO_OK) {
        rc = fail(study, rc, "two-objective study");
        hpo_study_free(study);
        return rc;
    }
    printf("pareto front: %d of 60 trials\n", n);
    for (int i = 0; i < n; i++)
        printf("  trial #%-3d  f1 = %7.4f  f2 = %7.4f\n",
               hpo_trial_number(front[i]), hpo_trial_value(front[i], 0),
               hpo_trial_value(front[i], 1));
    hpo_trials_free(front, n);
    hpo_study_free(study);
    return HPO_OK;
}

int main(void)
{
    if (pruning_demo() != HPO_OK || pareto_demo() != HPO_OK)
        return 1;
    return 0;
}
