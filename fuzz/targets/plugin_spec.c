/*
 * plugin_spec — `--sampler NAME:KEY=VALUE,...` and `--pruner ...`
 * (hpo_study_set_sampler / hpo_study_set_pruner: src/core/options.c and
 * each plug-in's option reading).
 *
 * Input: the first line is a sampler spec, the second a pruner spec; both
 * are applied to a fresh study (nothing is opened).  Invariant: a refused
 * spec has a message.
 *
 * Dictionary: fuzz/dict/plugin_spec.dict
 */
#include "fuzz.h"
#include "hpo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *cursor = text;
    const char *sampler = fuzz_next_line(&cursor, text + size);
    const char *pruner = fuzz_next_line(&cursor, text + size);
    hpo_study *s = hpo_study_new();
    FUZZ_CHECK(s != NULL, "out of memory");
    int rc = hpo_study_set_sampler(s, sampler ? sampler : "");
    FUZZ_CHECK(rc == HPO_OK || *hpo_study_errmsg(s), "sampler: code %d "
               "without a message", rc);
    if (pruner) {
        rc = hpo_study_set_pruner(s, pruner);
        FUZZ_CHECK(rc == HPO_OK || *hpo_study_errmsg(s), "pruner: code %d "
                   "without a message", rc);
    }
    hpo_study_free(s);
    free(text);
    return 0;
}
