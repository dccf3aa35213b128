/*
 * space_check.h — the invariants every accepted search space keeps, for
 * the harnesses that build spaces (param_spec, space_json).
 *
 * A space is stored as hpo_space_to_json()'s text (the study attribute
 * "hpo:cli") and read back by `hpo worker` with hpo_space_parse_json(): so
 * the text of an accepted space must read back, and as the same space.
 * Every parameter must also pass the distribution check the library
 * applies, and its condition must point at an earlier categorical.
 */
#ifndef HPO_FUZZ_SPACE_CHECK_H
#define HPO_FUZZ_SPACE_CHECK_H

#include "core/internal.h"
#include "fuzz.h"

static inline void fuzz_check_params(const hpo_space *s)
{
    for (int i = 0; i < s->n; i++) {
        const hpo__space_param *p = &s->p[i];
        hpo__msg m = {0};
        FUZZ_CHECK(hpo__dist_check(&p->dist, p->name, &m) == HPO_OK,
                   "parameter %d: %s", i, hpo__msg_get(&m));
        hpo__msg_free(&m);
        FUZZ_CHECK(p->parent < i, "parameter %d: parent %d", i, p->parent);
        for (int k = 0; p->parent >= 0 && k < p->n_cond; k++)
            FUZZ_CHECK(p->cond[k] >= 0 &&
                           p->cond[k] < s->p[p->parent].dist.n_choices,
                       "parameter %d: condition choice %d", i, p->cond[k]);
    }
}

static inline void fuzz_check_space(const hpo_space *s)
{
    fuzz_check_params(s);
    if (hpo_space_size(s) == 0)
        return; /* an empty object is refused on reading, by design */
    char *text = hpo_space_to_json(s);
    FUZZ_CHECK(text != NULL, "hpo_space_to_json failed");
    hpo_space *back = hpo_space_new();
    int rc = hpo_space_parse_json(back, text, "round trip");
    FUZZ_CHECK(rc == HPO_OK, "the space's own JSON is refused: %s\n%s",
               hpo_space_errmsg(back), text);
    char *again = hpo_space_to_json(back);
    FUZZ_CHECK(again && strcmp(text, again) == 0,
               "the space reads back differently:\n%s\n%s", text,
               again ? again : "(null)");
    free(again);
    free(text);
    hpo_space_free(back);
}

#endif
