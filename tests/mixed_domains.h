/*
 * mixed_domains.h — one search space with every kind of domain (float,
 * log float, stepped float, stepped int, log int, categorical, a single
 * choice), for the model-based samplers' tests: the values a sampler
 * proposes must be exactly legal.  Included by tests that use it.
 */
#ifndef HPO_TEST_MIXED_DOMAINS_H
#define HPO_TEST_MIXED_DOMAINS_H

#include "check.h"
#include "hpo.h"

#define MIXED_PARAMS 7
static const char *const MIXED_NAMES[MIXED_PARAMS] = {"f", "lf", "sf", "i",
                                                      "li", "c", "o"};

static hpo_space *mixed_space(void)
{
    hpo_space *sp = hpo_space_new();
    const char *const specs[MIXED_PARAMS] = {
        "f=float:-2:3",      "lf=float:1e-4:1:log", "sf=float:0:1:step=0.25",
        "i=int:-3:9:step=3", "li=int:1:1000:log",   "c=cat:red,green,blue",
        "o=cat:one"};
    for (int i = 0; i < MIXED_PARAMS; i++)
        CHECK_RC(hpo_space_parse_param(sp, specs[i]), HPO_OK);
    return sp;
}

static int mixed_legal(const double *v)
{
    return v[0] >= -2 && v[0] <= 3 && v[1] >= 1e-4 && v[1] <= 1 &&
           v[2] >= 0 && v[2] <= 1 && fmod(v[2], 0.25) == 0 && v[3] >= -3 &&
           v[3] <= 9 && fmod(v[3] + 3, 3) == 0 && v[4] >= 1 && v[4] <= 1000 &&
           v[4] == floor(v[4]) && (v[5] == 0 || v[5] == 1 || v[5] == 2) &&
           v[6] == 0;
}

/* n trials of an opened study over mixed_space(): each trial's values into
 * out[k], each checked legal; returns the best objective value. */
static double mixed_run(hpo_study *s, int n, double (*out)[MIXED_PARAMS])
{
    double best = INFINITY;
    for (int k = 0; k < n; k++) {
        hpo_trial *t = NULL;
        CHECK_RC(hpo_study_ask(s, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        for (int i = 0; i < MIXED_PARAMS; i++) {
            out[k][i] = NAN;
            CHECK(hpo_trial_param(t, MIXED_NAMES[i], &out[k][i]) == 1);
        }
        CHECK(mixed_legal(out[k]));
        double *v = out[k];
        double y = (v[0] - 1) * (v[0] - 1) + pow(log10(v[1]) + 2, 2) +
                   fabs(v[2] - 0.5) + fabs(v[3] - 3) / 3 +
                   fabs(log10(v[4]) - 1) + (v[5] == 1 ? 0 : 1);
        best = y < best ? y : best;
        CHECK_RC(hpo_study_tell(s, t, HPO_COMPLETE, &y, 1), HPO_OK);
        hpo_trial_free(t);
    }
    return best;
}

#endif
