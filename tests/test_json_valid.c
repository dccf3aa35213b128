/* test_json_valid.c — hpo__json_valid, the allocation-free JSON check that
 * tells "out of memory" from "not JSON" when cJSON_Parse fails: it must
 * accept only text cJSON parses, and the texts hpo stores. */
#include <cJSON.h>

#include "check.h"
#include "core/json.h"

static const char *const valid[] = {
    "0", "-0", "1.5", "-12e+3", "3E-2", "1e999", "\"\"", "\"a\\\"b\\\\c\"",
    "\"\\u00e9\\ud83d\\ude00\"", "\"\\/\\b\\f\\n\\r\\t\"", "true", "false",
    "null", "[]", "{}", " [ 1 , 2 ] ", "{\"a\": [1, {\"b\": null}]}",
    "{\"name\":\"FloatDistribution\",\"attributes\":{\"low\":0.0,"
    "\"high\":1.0,\"step\":null,\"log\":false}}",
    "\"caf\xc3\xa9\"", "\n\t{\"x\":1}\r\n",
};

static const char *const invalid[] = {
    "", " ", "01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "NaN",
    "Infinity", "tru", "nul", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}",
    "{a:1}", "{\"a\":1,}", "[", "]", "\"abc", "\"\\x\"", "\"\\u12\"",
    "\"\\udc00\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"a\tb\"",
    "1 2", "[1] x", "{\"a\":1}}",
};

static void test_valid_texts_parse(void)
{
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        int ok = hpo__json_valid(valid[i]);
        if (!ok)
            fprintf(stderr, "  refused: %s\n", valid[i]);
        CHECK(ok);
        cJSON *v = cJSON_Parse(valid[i]);
        CHECK(v != NULL); /* so a failed parse of it can only be memory */
        cJSON_Delete(v);
    }
}

static void test_invalid_texts(void)
{
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        int ok = hpo__json_valid(invalid[i]);
        if (ok)
            fprintf(stderr, "  accepted: %s\n", invalid[i]);
        CHECK(!ok);
    }
    CHECK(!hpo__json_valid(NULL));
}

static void test_depth(void)
{
    char deep[2 * 600 + 1];
    for (int depth = 500; depth <= 600; depth += 100) {
        memset(deep, '[', (size_t)depth);
        memset(deep + depth, ']', (size_t)depth);
        deep[2 * depth] = 0;
        CHECK(hpo__json_valid(deep) == (depth <= 512));
    }
}

static void test_parse_reports_oom_only_for_json(void)
{
    int oom = 1;
    cJSON *v = hpo__json_parse("{\"a\": 1}", &oom);
    CHECK(v != NULL && !oom);
    cJSON_Delete(v);
    CHECK(hpo__json_parse("{a: 1}", &oom) == NULL && !oom);
    CHECK(hpo__json_parse(NULL, &oom) == NULL && !oom);
}

int main(void)
{
    RUN(test_valid_texts_parse);
    RUN(test_invalid_texts);
    RUN(test_depth);
    RUN(test_parse_reports_oom_only_for_json);
    return CHECK_DONE();
}
