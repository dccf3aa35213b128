/*
 * pbt_options.c — "pbt:population=16,intervals=20,..." parsed from one
 * option table, as the samplers' and pruners' specs are (option_table.c),
 * so help text, range checks and typo refusals come from the same rows.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/plugin.h"
#include "pbt.h"

#define F(x) offsetof(hpo__pbt_opts, x)

static const hpo_option pbt_options[] = {
    {"population", HPO_OPTION_INT, "8", 2, 100000, NULL,
     "members trained side by side", F(population), 0},
    {"intervals", HPO_OPTION_INT, "10", 1, 1000000, NULL,
     "ready intervals each member trains", F(intervals), 0},
    {"interval", HPO_OPTION_INT, "1", 1, 1e12, NULL,
     "resource units (epochs) in one interval: the step each interval's "
     "score is reported at", F(interval), 0},
    {"quantile", HPO_OPTION_FLOAT, "0.2", 0, 0.5,
     NULL, "bottom fraction that copies the top fraction", F(quantile),
     HPO_OPTION_LOW_OPEN},
    {"resample_probability", HPO_OPTION_FLOAT, "0.25", 0, 1, NULL,
     "chance that explore resamples a parameter instead of perturbing it",
     F(resample_probability), 0},
    {"perturb", HPO_OPTION_STRING, "0.8/1.2", 0, 0, NULL,
     "explore's two factors DOWN/UP", F(perturb), 0},
    {"explore", HPO_OPTION_ENUM, "perturb", 0, 0, "perturb|pb2",
     "new values of exploited members: random perturbation or PB2's GP "
     "bandit", F(explore), 0},
    {"max_failures", HPO_OPTION_INT, "3", 1, 1000, NULL,
     "failed attempts of one member-interval before the run stops",
     F(max_failures), 0},
    {"kappa", HPO_OPTION_FLOAT, "2", 0, 100, NULL,
     "PB2's UCB weight on the GP's standard deviation", F(pb2_kappa), 0},
    {0},
};

static const hpo_plugin_head pbt_head = {
    .version = HPO_PLUGIN_VERSION,
    .name = "pbt",
    .summary = "population-based training (Jaderberg et al. 2017)",
    .options = pbt_options,
    .state_size = sizeof(hpo__pbt_opts),
};

/* "0.8/1.2" into o->down and o->up: two positive factors, down < up. */
static int parse_factors(hpo__pbt_opts *o, hpo__msg *m)
{
    char *end;
    const char *s = o->perturb ? o->perturb : "";
    o->down = strtod(s, &end);
    int ok = end != s && *end == '/';
    if (ok) {
        const char *u = end + 1;
        o->up = strtod(u, &end);
        ok = end != u && !*end;
    }
    if (!ok || !(o->down > 0) || !(o->up > o->down) || !isfinite(o->up))
        return hpo__fail(m, HPO_EINVAL, "pbt: option perturb='%s' is not "
                         "DOWN/UP with 0 < DOWN < UP (e.g. 0.8/1.2)", s);
    return HPO_OK;
}

int hpo__pbt_opts_parse(hpo__pbt_opts *o, const char *spec, hpo__msg *m)
{
    memset(o, 0, sizeof *o);
    if (!spec || !*spec)
        spec = "pbt";
    hpo__opts opts;
    int rc = hpo__opts_parse(&opts, spec, m);
    if (rc)
        return rc;
    hpo__plugin p = {.head = &pbt_head, .state = o};
    if (strcmp(opts.name, "pbt") != 0)
        rc = hpo__fail(m, HPO_EINVAL, "'%s' is not a pbt spec (pbt:key=value,"
                       "...)", opts.name);
    if (!rc)
        rc = hpo__options_apply(&p, &opts, m);
    if (!rc)
        rc = hpo__opts_check_used(&opts, "schedule", m);
    if (!rc)
        rc = parse_factors(o, m);
    o->perturb = NULL; /* the text lives in p.strings, freed here */
    for (int i = 0; i < p.n_strings; i++)
        free(p.strings[i]);
    free(p.strings);
    hpo__opts_free(&opts);
    return rc;
}
