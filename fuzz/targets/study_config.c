/*
 * study_config — the study attribute "hpo:cli" that `hpo worker` and
 * `hpo enqueue` read back from a database (study_config_parse,
 * cli/study_config.c).  A database is input like any other: it may be old,
 * edited by hand, or written by another tool.
 *
 * Input: the attribute's JSON text.  An accepted configuration must write
 * itself back (study_config_to_json) as text that parses to an equal
 * configuration, and its command must print (study_config_command_text).
 * Equal as study_config_compare sees it, which is cJSON_Compare: with a
 * key repeated inside the space that compares a space unequal to itself,
 * so such spaces are compared as text only (a space file with a repeated
 * key is refused where it is read, hpo_space_parse_json).  So are spaces
 * nested deeper than hpo writes them: cJSON_Compare walks an object's
 * members from both sides, 2^depth visits when the two sides are equal;
 * `hpo tune` compares a stored space with its own (at most 4 deep), which
 * differs at the first level the stored one is deeper.
 *
 * Dictionary: fuzz/dict/json.dict
 */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "study_config.h"

static int has_repeated_key(const cJSON *node)
{
    for (const cJSON *a = node ? node->child : NULL; a; a = a->next) {
        for (const cJSON *b = a->next; cJSON_IsObject(node) && b; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return 1;
        if (has_repeated_key(a))
            return 1;
    }
    return 0;
}

static int depth(const cJSON *node)
{
    int most = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        int d = depth(c);
        most = d > most ? d : most;
    }
    return node ? most + 1 : 0;
}

static void check_same(const study_config *a, const study_config *b)
{
    char what[512];
    cJSON *space = cJSON_Parse(a->space_json);
    int comparable = !has_repeated_key(space) && depth(space) <= 8;
    cJSON_Delete(space);
    FUZZ_CHECK(!comparable || study_config_compare(a, b, what, sizeof what) == 0,
               "%s", what);
    FUZZ_CHECK(strcmp(a->space_json, b->space_json) == 0, "the space changed");
    int i = 0;
    while (a->command[i] && b->command[i] &&
           strcmp(a->command[i], b->command[i]) == 0)
        i++;
    FUZZ_CHECK(!a->command[i] && !b->command[i], "argument %d changed", i);
    FUZZ_CHECK(a->n_directions == b->n_directions &&
                   a->retry_failed == b->retry_failed &&
                   a->target_complete == b->target_complete &&
                   a->trial_timeout_s == b->trial_timeout_s &&
                   a->heartbeat_s == b->heartbeat_s && a->grace_s == b->grace_s,
               "the settings changed on the way back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    char err[256] = "";
    study_config c;
    if (study_config_parse(text, &c, err, sizeof err) != 0) {
        FUZZ_CHECK(err[0], "refused without a reason");
        free(text);
        return 0;
    }
    char *shown = study_config_command_text(c.command);
    FUZZ_CHECK(shown != NULL, "no command text");
    free(shown);
    char *json = study_config_to_json(&c);
    FUZZ_CHECK(json != NULL, "study_config_to_json failed");
    study_config back;
    FUZZ_CHECK(study_config_parse(json, &back, err, sizeof err) == 0,
               "its own JSON is refused: %s\n%s", err, json);
    check_same(&c, &back);
    study_config_free(&back);
    study_config_free(&c);
    free(json);
    free(text);
    return 0;
}
