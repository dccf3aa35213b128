/*
 * space_json — a JSON space file, `--space FILE` (hpo_space_parse_json,
 * src/core/space.c), which is also how `hpo worker` reads the space a
 * study stored.
 *
 * Input: the file's text.  A refused file is fine; an accepted one must
 * keep space_check.h's invariants.
 *
 * Dictionary: fuzz/dict/json.dict
 */
#include "space_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    hpo_space *s = hpo_space_new();
    int rc = hpo_space_parse_json(s, text, "fuzz.json");
    FUZZ_CHECK(rc == HPO_OK || *hpo_space_errmsg(s),
               "code %d without a message", rc);
    if (rc == HPO_OK)
        fuzz_check_space(s);
    hpo_space_free(s);
    free(text);
    return 0;
}
