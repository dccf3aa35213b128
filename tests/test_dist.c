/* test_dist.c — distributions: edge cases of validation, the unit-cube
 * encoding, text, Optuna's distribution_json, and the declared space's
 * parsers with their error messages. */
#include "check.h"
#include "core/internal.h"

static void test_float_validation(void)
{
    hpo_space *s = hpo_space_new();
    CHECK_RC(hpo_space_add_float(s, "a", 0, 1, 0, HPO_LOG), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "log scale needs low > 0");
    CHECK_RC(hpo_space_add_float(s, "b", -1, 1, 0, HPO_LOG), HPO_EINVAL);
    CHECK_RC(hpo_space_add_float(s, "c", 2, 1, 0, 0), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "low 2 is above high 1");
    CHECK_RC(hpo_space_add_float(s, "d", 0, 1, 0.3, 0), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "does not divide");
    CHECK_RC(hpo_space_add_float(s, "e", 0, 1, 0.1, 0), HPO_OK);
    CHECK_RC(hpo_space_add_float(s, "f", 1e-3, 1, 0.1, HPO_LOG), HPO_EINVAL);
    CHECK_RC(hpo_space_add_float(s, "g", 0, INFINITY, 0, 0), HPO_EINVAL);
    CHECK_RC(hpo_space_add_float(s, "h", NAN, 1, 0, 0), HPO_EINVAL);
    CHECK_RC(hpo_space_add_float(s, "i", 1, 1, 0, 0), HPO_OK); /* a point */
    CHECK_RC(hpo_space_add_float(s, "e", 0, 1, 0, 0), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "given twice");
    CHECK(hpo_space_size(s) == 2);
    hpo_space_free(s);
}

static void test_int_validation(void)
{
    hpo_space *s = hpo_space_new();
    CHECK_RC(hpo_space_add_int(s, "a", 0, 10, 1, HPO_LOG), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "low >= 1");
    CHECK_RC(hpo_space_add_int(s, "b", 1, 10, 2, HPO_LOG), HPO_EINVAL);
    CHECK_RC(hpo_space_add_int(s, "c", 1, 10, 2, 0), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "does not divide");
    CHECK_RC(hpo_space_add_int(s, "d", 16, 256, 16, 0), HPO_OK);
    CHECK_RC(hpo_space_add_int(s, "e", 1, 1024, 1, HPO_LOG), HPO_OK);
    CHECK_RC(hpo_space_add_int(s, "f", 5, 4, 1, 0), HPO_EINVAL);
    hpo_space_free(s);
}

static void test_unit_encoding(void)
{
    hpo__dist d = {.kind = HPO__INT, .low = 16, .high = 256, .step = 16};
    CHECK(hpo__dist_cardinality(&d) == 16);
    for (int k = 0; k < 16; k++) {
        double v = 16 + 16 * k;
        CHECK(hpo__dist_from_unit(&d, hpo__dist_to_unit(&d, v)) == v);
    }
    CHECK(hpo__dist_from_unit(&d, 0) == 16);
    CHECK(hpo__dist_from_unit(&d, 1) == 256);
    hpo__dist lg = {.kind = HPO__FLOAT, .low = 1e-5, .high = 1e-1, .log = 1};
    CHECK_NEAR(hpo__dist_from_unit(&lg, 0.5), 1e-3, 1e-12);
    CHECK_NEAR(hpo__dist_to_unit(&lg, 1e-3), 0.5, 1e-12);
    CHECK(hpo__dist_from_unit(&lg, 1) <= 1e-1);
    hpo__dist il = {.kind = HPO__INT, .low = 1, .high = 1000, .step = 1, .log = 1};
    for (double u = 0; u <= 1; u += 0.01) {
        double v = hpo__dist_from_unit(&il, u);
        CHECK(hpo__dist_contains(&il, v));
    }
    hpo__dist st = {.kind = HPO__FLOAT, .low = 0, .high = 1, .step = 0.1};
    CHECK(hpo__dist_contains(&st, 0.3));
    CHECK(!hpo__dist_contains(&st, 0.35));
    CHECK_NEAR(hpo__dist_snap(&st, 0.349), 0.3, 1e-12);
}

static void test_optuna_json(void)
{
    hpo__msg m = {0};
    hpo__dist d;
    CHECK_RC(hpo__dist_from_json(&d, "{\"name\": \"IntDistribution\", \"attributes\": "
                                     "{\"log\": false, \"step\": 2, \"low\": 1, \"high\": 9}}",
                                 &m), HPO_OK);
    CHECK(d.kind == HPO__INT && d.step == 2 && d.low == 1 && d.high == 9);
    char *json = hpo__dist_to_json(&d);
    CHECK_STR_CONTAINS(json, "\"name\":\"IntDistribution\"");
    CHECK_STR_CONTAINS(json, "\"step\":2");
    free(json);
    hpo__dist_free(&d);
    CHECK_RC(hpo__dist_from_json(&d, "{\"name\": \"LogUniformDistribution\", "
                                     "\"attributes\": {\"low\": 0.001, \"high\": 1}}",
                                 &m), HPO_OK);
    CHECK(d.kind == HPO__FLOAT && d.log == 1);
    hpo__dist_free(&d);
    CHECK_RC(hpo__dist_from_json(&d, "{\"name\": \"CategoricalDistribution\", "
                                     "\"attributes\": {\"choices\": [\"a\", 3, true, null]}}",
                                 &m), HPO_OK);
    CHECK(d.n_choices == 4);
    char buf[64];
    hpo__dist_format(&d, 0, buf, sizeof buf);
    CHECK(strcmp(buf, "a") == 0);
    hpo__dist_format(&d, 1, buf, sizeof buf);
    CHECK(strcmp(buf, "3") == 0);
    json = hpo__dist_to_json(&d);
    CHECK_STR_CONTAINS(json, "[\"a\",3,true,null]");
    free(json);
    hpo__dist_free(&d);
    CHECK_RC(hpo__dist_from_json(&d, "{\"name\": \"FloatDistribution\", \"attributes\": "
                                     "{\"log\": false, \"step\": null, \"low\": 0, \"high\": 1}}",
                                 &m), HPO_OK);
    CHECK(d.kind == HPO__FLOAT && d.step == 0);
    json = hpo__dist_to_json(&d);
    CHECK_STR_CONTAINS(json, "\"step\":null");
    free(json);
    hpo__dist_free(&d);
    CHECK_RC(hpo__dist_from_json(&d, "{\"name\": \"Nope\", \"attributes\": {}}", &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "unknown distribution class 'Nope'");
    hpo__msg_free(&m);
}

static void test_compact_params(void)
{
    hpo_space *s = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(s, "lr=float:1e-5:1e-1:log"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(s, "depth=int:1:12"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(s, "units=int:16:256:step=16"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(s, "kernel=cat:rbf,linear,poly"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(s, "degree=int:2:5:if=kernel=poly"), HPO_OK);
    CHECK(hpo_space_size(s) == 5);
    CHECK_RC(hpo_space_parse_param(s, "x=float:1"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "'x=float:1': float needs LOW:HIGH");
    CHECK_RC(hpo_space_parse_param(s, "x=float:a:1"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "low 'a' is not a number");
    CHECK_RC(hpo_space_parse_param(s, "x=floot:0:1"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "unknown type 'floot'");
    CHECK_RC(hpo_space_parse_param(s, "x=float:0:1:lg"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "unknown modifier 'lg'");
    CHECK_RC(hpo_space_parse_param(s, "float:0:1"), HPO_EINVAL);
    CHECK_RC(hpo_space_parse_param(s, "k=cat:a,,b"), HPO_EINVAL);
    CHECK_RC(hpo_space_parse_param(s, "z=int:1:3:if=kernel=cubic"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "'cubic' is not a choice of 'kernel'");
    hpo_space_free(s);
}

static void test_json_space(void)
{
    hpo_space *s = hpo_space_new();
    const char *doc = "{\n"
                      "  \"lr\": {\"type\": \"float\", \"low\": 1e-5, \"high\": 0.1, \"log\": true},\n"
                      "  \"depth\": \"int:1:12\",\n"
                      "  \"kernel\": {\"type\": \"categorical\", \"choices\": [\"rbf\", \"poly\", 3]},\n"
                      "  \"degree\": {\"type\": \"int\", \"low\": 2, \"high\": 5, \"if\": {\"kernel\": [\"poly\"]}}\n"
                      "}\n";
    CHECK_RC(hpo_space_parse_json(s, doc, "space.json"), HPO_OK);
    CHECK(hpo_space_size(s) == 4);
    char *back = hpo_space_to_json(s);
    hpo_space *s2 = hpo_space_new();
    CHECK_RC(hpo_space_parse_json(s2, back, "round trip"), HPO_OK);
    CHECK(hpo_space_size(s2) == 4);
    CHECK(s2->p[3].parent == 2 && s2->p[3].n_cond == 1 && s2->p[3].cond[0] == 1);
    free(back);
    hpo_space_free(s2);
    hpo_space_free(s);

    s = hpo_space_new();
    CHECK_RC(hpo_space_parse_json(s, "{\n  \"a\": {\"type\": \"float\", \"low\": 1,,}\n}", "bad.json"),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "bad.json:2:");
    CHECK_RC(hpo_space_parse_json(s, "{\n\n  \"a\": {\"type\": \"float\", \"low\": 3, \"high\": 1}\n}",
                                  "s.json"),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "s.json:3: parameter 'a': low 3 is above high 1");
    CHECK_RC(hpo_space_parse_json(s, "{\"a\": {\"type\": \"float\", \"low\": \"x\", \"high\": 1}}", "t.json"),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "\"low\" must be a number");
    CHECK_RC(hpo_space_parse_json(s, "[1,2]", "u.json"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "expected an object of parameters");
    CHECK_RC(hpo_space_load_file(s, "/nonexistent/space.json"), HPO_EIO);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "/nonexistent/space.json: No such file");
    hpo_space_free(s);
}

int main(void)
{
    RUN(test_float_validation);
    RUN(test_int_validation);
    RUN(test_unit_encoding);
    RUN(test_optuna_json);
    RUN(test_compact_params);
    RUN(test_json_space);
    return CHECK_DONE();
}
