/*
 * protocol — what a child prints on its standard output, read line by
 * line (protocol_feed_line, protocol_result; cli/protocol.c and the
 * grammar in cli/protocol.h).  Children are arbitrary programs: their
 * output may be anything, binary included.
 *
 * Input: the first byte chooses the number of objectives (1 to
 * HPO_MAX_OBJECTIVES); the rest is the child's output, cut at '\n'.
 * Invariants, beyond no crash:
 *   - a malformed protocol line fails the trial: once a line was
 *     PROTOCOL_ERROR the result is -1;
 *   - an `@hpo value` line that was taken gives a result;
 *   - a refusal always says why, within the buffer it was given;
 *   - a NaN result comes only from output that spells "nan" (the value is
 *     never made up; a NaN then fails the trial in tune_trial.c);
 *   - reported constraints are never NaN.
 *
 * Dictionary: fuzz/dict/protocol.dict
 */
#include <math.h>
#include <strings.h>

#include "fuzz.h"
#include "core/json.h"
#include "protocol.h"

/* Does [s, s+n) hold "nan" in any case? */
static int spells_nan(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (strncasecmp((const char *)s + i, "nan", 3) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    protocol p;
    protocol_init(&p, 1 + data[0] % HPO_MAX_OBJECTIVES);
    char *text = fuzz_text(data + 1, size - 1), *cursor = text, *line;
    int errors = 0, values = 0;
    while ((line = fuzz_next_line(&cursor, text + size - 1)) != NULL) {
        int64_t step = 0;
        double value = 0;
        protocol_event e = protocol_feed_line(&p, line, &step, &value);
        FUZZ_CHECK(e >= PROTOCOL_NONE && e <= PROTOCOL_ERROR, "event %d", e);
        errors += e == PROTOCOL_ERROR;
        values += e == PROTOCOL_VALUE;
        if (e == PROTOCOL_ATTR) { /* what the library will be given */
            const char *why;
            size_t at;
            FUZZ_CHECK(p.attr_name[0] && p.attr_json &&
                           hpo__json_check(p.attr_json, &why, &at) == 0,
                       "attr '%s' is not stored as JSON", p.attr_name);
        }
    }
    FUZZ_CHECK(p.n_constraints >= 0 && p.n_constraints <= HPO_MAX_CONSTRAINTS,
               "%d constraints", p.n_constraints);
    for (int i = 0; i < p.n_constraints; i++)
        FUZZ_CHECK(!isnan(p.constraints[i]), "constraint %d is NaN", i);

    double v[HPO_MAX_OBJECTIVES];
    char reason[512], small[16];
    memset(reason, 'x', sizeof reason);
    int rc = protocol_result(&p, v, reason, sizeof reason);
    FUZZ_CHECK(rc == 0 || rc == -1, "result %d", rc);
    if (errors)
        FUZZ_CHECK(rc == -1, "a malformed line, yet a result");
    else if (values)
        FUZZ_CHECK(rc == 0, "an @hpo value line, yet no result: %s", reason);
    if (rc == 0) {
        for (int i = 0; i < p.n_objectives; i++)
            FUZZ_CHECK(!isnan(v[i]) || spells_nan(data + 1, size - 1),
                       "value %d is a NaN the output never printed", i);
    } else {
        FUZZ_CHECK(memchr(reason, '\0', sizeof reason) && reason[0],
                   "refused without a reason");
        memset(small, 'x', sizeof small);
        protocol_result(&p, v, small, sizeof small);
        FUZZ_CHECK(memchr(small, '\0', sizeof small) != NULL,
                   "the reason overflows a small buffer");
    }
    protocol_free(&p);
    free(text);
    return 0;
}
