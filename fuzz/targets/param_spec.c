/*
 * param_spec — the CLI's compact parameter form, `--param NAME=TYPE:ARGS`
 * (hpo_space_parse_param, src/core/space.c).
 *
 * Input: one spec a line, all added to one space, so that a condition
 * (":if=PARENT=a|b") can name an earlier line's parameter.  A refused spec
 * is fine; whatever was accepted must keep space_check.h's invariants.
 *
 * Dictionary: fuzz/dict/param_spec.dict
 */
#include "space_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *cursor = text, *line;
    hpo_space *s = hpo_space_new();
    while ((line = fuzz_next_line(&cursor, text + size)) != NULL) {
        int rc = hpo_space_parse_param(s, line);
        FUZZ_CHECK(rc == HPO_OK || *hpo_space_errmsg(s),
                   "code %d without a message", rc);
    }
    fuzz_check_space(s);
    hpo_space_free(s);
    free(text);
    return 0;
}
