/* quickstart.c — the smallest complete hpo program.
 *
 * It tunes three parameters of a toy "loss" with the random sampler:
 * a float x, an int y and a categorical optimizer.  The loss is smallest at
 * x = 1.5, y = -2, optimizer = "adam", where it is 0.
 *
 * Build it against an installed hpo with either of
 *     cc quickstart.c $(pkg-config --cflags --libs hpo)
 *     cmake -S examples -B build && cmake --build build    (find_package)
 */
#include <stdio.h>

#include <hpo.h>

static const char *const optimizers[] = {"sgd", "adam", "rmsprop"};

/* Called once per trial: ask the trial for values, fill value[0] with the
 * loss, return HPO_OK.  Any other return marks the trial FAIL. */
static int objective(hpo_trial *trial, void *data, double *value)
{
    (void)data;
    double x;
    int64_t y;
    int optimizer;
    int rc = hpo_trial_suggest_float(trial, "x", -5, 5, 0, 0, &x);
    if (rc == HPO_OK)
        rc = hpo_trial_suggest_int(trial, "y", -5, 5, 1, 0, &y);
    if (rc == HPO_OK)
        rc = hpo_trial_suggest_categorical(trial, "optimizer", optimizers, 3,
                                           &optimizer);
    if (rc != HPO_OK)
        return rc;
    double penalty = optimizer == 1 ? 0.0 : 1.0; /* only "adam" is free */
    value[0] = (x - 1.5) * (x - 1.5) + (double)((y + 2) * (y + 2)) + penalty;
    return HPO_OK;
}

int main(void)
{
    hpo_study *study = hpo_study_new();
    if (!study) {
        fprintf(stderr, "quickstart: out of memory\n");
        return 1;
    }
    int rc = hpo_study_set_sampler(study, "random");
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(study, 42);
    if (rc == HPO_OK)
        rc = hpo_study_open(study, "quickstart", HPO_OPEN_CREATE);
    hpo_optimize_options options = {.n_trials = 200};
    if (rc == HPO_OK)
        rc = hpo_study_optimize(study, objective, NULL, &options);
    hpo_trial *best = NULL;
    if (rc == HPO_OK)
        rc = hpo_study_best_trial(study, &best);
    if (rc != HPO_OK) {
        fprintf(stderr, "quickstart: %s: %s\n", hpo_errstr(rc),
                hpo_study_errmsg(study));
        hpo_study_free(study);
        return 1;
    }

    printf("hpo %s: best of %d trials is trial #%d, value %g\n",
           hpo_version(), options.n_trials, hpo_trial_number(best),
           hpo_trial_value(best, 0));
    for (int i = 0; i < hpo_trial_n_params(best); i++)
        printf("  %s = %s\n", hpo_trial_param_name(best, i),
               hpo_trial_param_text(best, i));

    hpo_trial_free(best);
    hpo_study_free(study);
    return 0;
}
