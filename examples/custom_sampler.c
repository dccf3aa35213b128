/* custom_sampler.c — write a sampler of your own and register it.
 *
 * "local" is a local search: each parameter of a new trial is the best
 * trial's value moved by a normal step of `scale` (in the unit cube of its
 * domain); until a trial has completed it samples uniformly.  It shows the
 * whole interface a sampler needs (include/hpo_plugin.h, docs/plugins.md):
 *
 *   - a state struct and an option table: the core parses
 *     "local:scale=0.05" into the state and refuses unknown or out-of-range
 *     options, and hpo_plugin_describe() documents them;
 *   - sample_independent, reading the study only through the context
 *     (hpo_ctx_best) and drawing only from the context's random stream, so
 *     a seeded study is reproducible;
 *   - hpo_register_sampler, then hpo_study_set_sampler(s, "local").
 *
 * It minimizes (x - 1)^2 + (y + 2)^2 on [-5, 5]^2 and prints what it found.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <hpo.h>
#include <hpo_plugin.h>

typedef struct local {
    double scale; /* filled by the core from the option table */
} local;

static const hpo_option local_options[] = {
    {"scale", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,
     "standard deviation of a step, as a share of each parameter's range",
     offsetof(local, scale), HPO_OPTION_LOW_OPEN},
    {0},
};

/* [0, 1] folded back into itself: a step past an end bounces off it. */
static double reflect(double u)
{
    u = fmod(fabs(u), 2.0);
    return u > 1 ? 2 - u : u;
}

static int local_sample(void *state, hpo_plugin_ctx *ctx, const char *name,
                        const hpo_dist *dist, double *value)
{
    const local *self = state;
    const hpo_record *best;
    int rc = hpo_ctx_best(ctx, &best);
    if (rc != HPO_OK && rc != HPO_ENOTFOUND)
        return rc; /* a storage error: the core passes it up */
    int i = rc == HPO_OK ? hpo_record_param_index(best, name) : -1;
    if (i < 0) { /* nothing to start from yet: uniform */
        *value = hpo_dist_from_unit(dist, hpo_ctx_uniform(ctx));
        return HPO_OK;
    }
    double u = hpo_dist_to_unit(dist, hpo_record_param_value(best, i));
    *value = hpo_dist_from_unit(dist, reflect(u + self->scale *
                                              hpo_ctx_normal(ctx)));
    return HPO_OK;
}

static const hpo_sampler_type local_sampler = {
    .head = {
        .version = HPO_PLUGIN_VERSION,
        .name = "local",
        .summary = "Gaussian steps around the best trial (example)",
        .options = local_options,
        .state_size = sizeof(local),
    },
    .sample_independent = local_sample,
};

static int objective(hpo_trial *trial, void *data, double *values)
{
    (void)data;
    double x, y;
    int rc = hpo_trial_suggest_float(trial, "x", -5, 5, 0, 0, &x);
    if (rc == HPO_OK)
        rc = hpo_trial_suggest_float(trial, "y", -5, 5, 0, 0, &y);
    if (rc == HPO_OK)
        values[0] = (x - 1) * (x - 1) + (y + 2) * (y + 2);
    return rc;
}

static int fail(hpo_study *study, int rc, const char *what)
{
    fprintf(stderr, "custom_sampler: %s: %s: %s\n", what, hpo_errstr(rc),
            study ? hpo_study_errmsg(study) : hpo_register_errmsg());
    return 1;
}

int main(void)
{
    int rc = hpo_register_sampler(&local_sampler);
    if (rc != HPO_OK)
        return fail(NULL, rc, "register");
    char *about = hpo_plugin_describe(&local_sampler.head, 0);
    printf("%s", about ? about : "");
    free(about);

    hpo_study *study = hpo_study_new();
    /* The option table refuses what it does not allow, with a message. */
    if (hpo_study_set_sampler(study, "local:scale=2") == HPO_OK)
        return fail(study, HPO_EINVAL, "scale=2 was accepted");
    printf("refused: %s\n", hpo_study_errmsg(study));

    hpo_optimize_options options = {.n_trials = 200};
    hpo_trial *best = NULL;
    if ((rc = hpo_study_set_sampler(study, "local:scale=0.05")) != HPO_OK ||
        (rc = hpo_study_set_seed(study, 1)) != HPO_OK ||
        (rc = hpo_study_open(study, "local-search", HPO_OPEN_CREATE)) != HPO_OK ||
        (rc = hpo_study_optimize(study, objective, NULL, &options)) != HPO_OK ||
        (rc = hpo_study_best_trial(study, &best)) != HPO_OK)
        return fail(study, rc, "study");
    double x = NAN, y = NAN, v = hpo_trial_value(best, 0);
    hpo_trial_param(best, "x", &x);
    hpo_trial_param(best, "y", &y);
    printf("best of 200 trials: value %.6f at x = %.4f, y = %.4f\n", v, x, y);
    printf("within 0.01 of the minimum 0 at (1, -2): %s\n",
           v < 0.01 ? "yes" : "no");
    hpo_trial_free(best);
    hpo_study_free(study);
    return 0;
}
