/* custom_pruner.c — write a pruner of your own and register it.
 *
 * "margin" stops a trial whose latest intermediate value is worse than the
 * best trial's value at the same step by more than `margin`.  It shows what
 * a pruner needs (include/hpo_plugin.h, docs/plugins.md):
 *
 *   - an option table, parsed by the core into the state;
 *   - should_prune, which reads the current trial (hpo_ctx_trial) and the
 *     study (hpo_ctx_best, hpo_ctx_direction) through the context and
 *     answers with a verdict;
 *   - hpo_register_pruner, then hpo_study_set_pruner(s, "margin:...").
 *
 * The trials train a made-up model for 20 epochs; its loss falls like
 * 1/epoch towards a floor that is lowest for a learning rate of 1e-3.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hpo.h>
#include <hpo_plugin.h>

#define N_TRIALS 60
#define N_EPOCHS 20

typedef struct margin {
    double margin;
} margin;

static const hpo_option margin_options[] = {
    {"margin", HPO_OPTION_FLOAT, "0.1", 0, INFINITY, NULL,
     "how much worse than the best trial at the same step a trial may be",
     offsetof(margin, margin), 0},
    {0},
};

/* The value r reported at step, or NaN. */
static double value_at(const hpo_record *r, int64_t step)
{
    for (int i = 0; i < hpo_record_n_intermediate(r); i++) {
        int64_t s;
        double v;
        hpo_record_intermediate(r, i, &s, &v);
        if (s == step)
            return v;
    }
    return NAN;
}

static int margin_should_prune(void *state, hpo_plugin_ctx *ctx,
                               hpo_verdict *verdict)
{
    const margin *self = state;
    const hpo_record *trial = hpo_ctx_trial(ctx), *best;
    int n = hpo_record_n_intermediate(trial);
    int rc = hpo_ctx_best(ctx, &best);
    if (rc == HPO_ENOTFOUND || n == 0)
        return HPO_OK; /* nothing to compare with: go on */
    if (rc != HPO_OK)
        return rc;
    int64_t step;
    double now;
    hpo_record_intermediate(trial, n - 1, &step, &now);
    double ref = value_at(best, step);
    if (isnan(ref))
        return HPO_OK;
    double worse_by = hpo_ctx_direction(ctx, 0) == HPO_MINIMIZE ? now - ref
                                                                : ref - now;
    if (worse_by > self->margin)
        *verdict = HPO_VERDICT_PRUNE;
    return HPO_OK;
}

static const hpo_pruner_type margin_pruner = {
    .head = {
        .version = HPO_PLUGIN_VERSION,
        .name = "margin",
        .summary = "stop a trial worse than the best trial at the same step "
                   "by more than a margin (example)",
        .options = margin_options,
        .state_size = sizeof(margin),
    },
    .should_prune = margin_should_prune,
};

static double loss_at(double lr, int epoch)
{
    double distance = log10(lr) + 3.0;
    return 0.05 + 0.1 * distance * distance + 1.0 / (epoch + 1);
}

/* One trial to its end or until pruned; *pruned tells which. */
static int train_one(hpo_study *study, hpo_trial *trial, int *pruned)
{
    double lr, loss = NAN;
    int rc = hpo_trial_suggest_float(trial, "lr", 1e-5, 1e-1, 0, HPO_LOG, &lr);
    for (int epoch = 0; rc == HPO_OK && epoch < N_EPOCHS; epoch++) {
        loss = loss_at(lr, epoch);
        if ((rc = hpo_trial_report(trial, epoch, loss)) != HPO_OK)
            return rc;
        if ((*pruned = hpo_trial_should_prune(trial)) < 0)
            return *pruned;
        if (*pruned) /* stored PRUNED with its last reported loss */
            return hpo_study_tell(study, trial, HPO_PRUNED_STATE, NULL, 0);
    }
    return rc ? rc : hpo_study_tell(study, trial, HPO_COMPLETE, &loss, 1);
}

static int fail(hpo_study *study, int rc, const char *what)
{
    fprintf(stderr, "custom_pruner: %s: %s: %s\n", what, hpo_errstr(rc),
            study ? hpo_study_errmsg(study) : hpo_register_errmsg());
    return 1;
}

int main(void)
{
    int rc = hpo_register_pruner(&margin_pruner);
    if (rc != HPO_OK)
        return fail(NULL, rc, "register");
    hpo_study *study = hpo_study_new();
    if ((rc = hpo_study_set_pruner(study, "margin:margin=0.05")) != HPO_OK ||
        (rc = hpo_study_set_seed(study, 3)) != HPO_OK ||
        (rc = hpo_study_open(study, "margin", HPO_OPEN_CREATE)) != HPO_OK)
        return fail(study, rc, "study");
    int n_pruned = 0;
    for (int k = 0; k < N_TRIALS; k++) {
        hpo_trial *trial;
        int pruned = 0;
        if ((rc = hpo_study_ask(study, &trial)) != HPO_OK ||
            (rc = train_one(study, trial, &pruned)) != HPO_OK)
            return fail(study, rc, "trial");
        n_pruned += pruned;
        hpo_trial_free(trial);
    }
    hpo_trial *best;
    if ((rc = hpo_study_best_trial(study, &best)) != HPO_OK)
        return fail(study, rc, "best");
    double lr = NAN;
    hpo_trial_param(best, "lr", &lr);
    printf("margin pruner: %d complete, %d pruned; best trial #%d: lr = %.3g, "
           "loss %.4f\n", N_TRIALS - n_pruned, n_pruned,
           hpo_trial_number(best), lr, hpo_trial_value(best, 0));
    hpo_trial_free(best);
    hpo_study_free(study);
    return 0;
}
