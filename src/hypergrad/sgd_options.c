/*
 * sgd_options.c — the SGD models' configuration given as text (`hpo
 * hypergrad mlp --schedule S --tune LIST`, and the same fields of
 * hpo_hypergrad_options): which of the learning rate, momentum and weight
 * decay are tuned, and whether as one value or one per epoch (Franceschi
 * et al. 2017 tune per-epoch schedules; sgd.h).
 */
#include <stdlib.h>
#include <string.h>

#include "session.h"

int hpo__sgd_schedule_parse(const char *name, hpo__sgd_mode *out,
                            hpo__msg *m)
{
    if (name && strcmp(name, "per-epoch") == 0)
        *out = HPO__SGD_PER_EPOCH;
    else if (name && strcmp(name, "constant") == 0)
        *out = HPO__SGD_CONSTANT;
    else
        return hpo__fail(m, HPO_EINVAL, "'%s' is not per-epoch or constant",
                         name ? name : "");
    return HPO_OK;
}

int hpo__sgd_tune_parse(const char *list, hpo__sgd_mode mode,
                        hpo__sgd_mode mode_out[HPO__SGD_KINDS], hpo__msg *m)
{
    static const char *const names[HPO__SGD_KINDS] = {"lr", "momentum",
                                                      "weight_decay"};
    hpo__sgd_mode want[HPO__SGD_KINDS] = {HPO__SGD_FIXED, HPO__SGD_FIXED,
                                          HPO__SGD_FIXED};
    char *copy = strdup(list ? list : ""), *save = NULL;
    if (!copy)
        return hpo__oom(m);
    int rc = HPO_OK;
    for (char *t = strtok_r(copy, ",", &save); t && rc == HPO_OK;
         t = strtok_r(NULL, ",", &save)) {
        int k = 0;
        while (k < HPO__SGD_KINDS && strcmp(t, names[k]) != 0)
            k++;
        if (k == HPO__SGD_KINDS)
            rc = hpo__fail(m, HPO_EINVAL, "'%s' is not lr, momentum or "
                           "weight_decay", t);
        else
            want[k] = mode;
    }
    free(copy);
    if (rc == HPO_OK)
        memcpy(mode_out, want, sizeof want);
    return rc;
}
