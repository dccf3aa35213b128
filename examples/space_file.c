/* space_file.c — a search space declared in a JSON file (space.json), as the
 * CLI's --space reads it, instead of suggested one call at a time.
 *
 *     ./space_file space.json
 *
 * hpo_trial_suggest_all() draws every *active* parameter of the declared
 * space: in space.json "momentum" exists only when optimizer is "sgd" and
 * "beta1" only when it is "adam".  The program shows that by counting.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpo.h>

#define N_TRIALS 30

/* A made-up validation loss; any mix of the parameters would do.  A
 * parameter the trial does not have (an inactive conditional one) is NaN. */
static double param_or_nan(const hpo_trial *trial, const char *name)
{
    double v;
    return hpo_trial_param(trial, name, &v) ? v : NAN;
}

static int objective(hpo_trial *trial, void *data, double *value)
{
    (void)data;
    int rc = hpo_trial_suggest_all(trial);
    if (rc != HPO_OK)
        return rc;
    double distance = log10(param_or_nan(trial, "lr")) + 3.0;
    value[0] = distance * distance + param_or_nan(trial, "dropout") +
               0.01 * param_or_nan(trial, "layers");
    return HPO_OK;
}

/* The text of a parameter of a finished trial, or NULL if it has none. */
static const char *param_text(const hpo_trial *trial, const char *name)
{
    for (int i = 0; i < hpo_trial_n_params(trial); i++)
        if (!strcmp(hpo_trial_param_name(trial, i), name))
            return hpo_trial_param_text(trial, i);
    return NULL;
}

/* Count the trials that have momentum / beta1, and whether each appeared
 * only with its optimizer. */
static void show_conditions(hpo_trial **trials, int n)
{
    int n_momentum = 0, n_beta1 = 0, consistent = 1;
    for (int i = 0; i < n; i++) {
        const char *opt = param_text(trials[i], "optimizer");
        int has_momentum = param_text(trials[i], "momentum") != NULL;
        int has_beta1 = param_text(trials[i], "beta1") != NULL;
        n_momentum += has_momentum;
        n_beta1 += has_beta1;
        if (!opt || has_momentum != !strcmp(opt, "sgd") ||
            has_beta1 != !strcmp(opt, "adam"))
            consistent = 0;
    }
    printf("momentum in %d trials, beta1 in %d trials; each only with its "
           "optimizer: %s\n",
           n_momentum, n_beta1, consistent ? "yes" : "NO");
}

static int run(hpo_study *study, hpo_space *space, const char *path)
{
    int rc = hpo_space_load_file(space, path);
    if (rc != HPO_OK) {
        fprintf(stderr, "space_file: %s\n", hpo_space_errmsg(space));
        return rc;
    }
    char *json = hpo_space_to_json(space);
    printf("%d parameters from %s:\n%s\n", hpo_space_size(space), path,
           json ? json : "?");
    free(json);

    hpo_optimize_options options = {.n_trials = N_TRIALS};
    if ((rc = hpo_study_set_seed(study, 3)) == HPO_OK &&
        (rc = hpo_study_set_space(study, space)) == HPO_OK &&
        (rc = hpo_study_open(study, "space-file", HPO_OPEN_CREATE)) == HPO_OK)
        rc = hpo_study_optimize(study, objective, NULL, &options);
    hpo_trial **trials = NULL, *best = NULL;
    int n = 0;
    if (rc == HPO_OK && (rc = hpo_study_trials(study, &trials, &n)) == HPO_OK)
        rc = hpo_study_best_trial(study, &best);
    if (rc != HPO_OK) {
        fprintf(stderr, "space_file: %s: %s\n", hpo_errstr(rc),
                hpo_study_errmsg(study));
        hpo_trials_free(trials, n);
        return rc;
    }
    show_conditions(trials, n);
    printf("best trial #%d, value %g:\n", hpo_trial_number(best),
           hpo_trial_value(best, 0));
    for (int i = 0; i < hpo_trial_n_params(best); i++)
        printf("  %-13s %s\n", hpo_trial_param_name(best, i),
               hpo_trial_param_text(best, i));
    hpo_trial_free(best);
    hpo_trials_free(trials, n);
    return HPO_OK;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "space.json";
    hpo_study *study = hpo_study_new();
    hpo_space *space = hpo_space_new();
    int rc = study && space ? run(study, space, path) : HPO_ENOMEM;
    hpo_space_free(space);
    hpo_study_free(study);
    return rc == HPO_OK ? 0 : 1;
}
