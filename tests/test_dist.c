/* test_dist.c — distributions: edge cases of validation, the unit-cube
 * encoding, text, Optuna's distribution_json, and the declared space's
 * parsers with their error messages; the refusals of loose input (issue 9)
 * and sampling over the widest ranges. */
#include "check.h"
#include "core/internal.h"
#include "core/json.h"

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

/* ---- loose input checks (issue 9) ----------------------------------------- */

/* A call's code and message against the wanted message: "" wants
 * HPO_OK; `exact` compares the whole text, else a part of it. */
static void expect_message(const char *input, int rc, const char *msg,
                           const char *want, int exact)
{
    const char *got = rc ? msg : "";
    check_count++;
    if ((rc == HPO_OK) != (*want == 0) ||
        (exact ? strcmp(got, want) != 0 : !strstr(got, want))) {
        check_failures++;
        fprintf(stderr, "%s: got rc %d [%s], wanted [%s]\n", input, rc, got,
                want);
    }
}

/* spec -> the exact message of hpo_space_parse_param, or "" for OK. */
static void expect_compact(const char *spec, const char *want)
{
    hpo_space *s = hpo_space_new();
    int rc = hpo_space_parse_param(s, spec);
    expect_message(spec, rc, hpo_space_errmsg(s), want, 1);
    hpo_space_free(s);
}

static void test_compact_refusals(void)
{
    static const char *const range =
        " is out of range (ints lie within -9007199254740991..9007199254740991, "
        "the integers a double holds exactly)";
    char want[512];
    snprintf(want, sizeof want, "parameter 'x': int bound 100000000000000000000%s", range);
    expect_compact("x=int:0:99999999999999999999", want);
    snprintf(want, sizeof want, "parameter 'x': int bound -9223372036854775808%s", range);
    expect_compact("x=int:-9223372036854775808:9223372036854775807", want);
    expect_compact("x=int:-9007199254740991:9007199254740991", "");
    snprintf(want, sizeof want, "parameter 'x': int bound 9007199254740992%s", range);
    expect_compact("x=int:0:9007199254740992", want);
    expect_compact("x=float:0:1:step=0",
                   "parameter 'x': step must be positive (got 0; leave it out "
                   "for a continuous range)");
    expect_compact("x=float:0:1:step=-0.5", "parameter 'x': step must be positive (got -0.5)");
    expect_compact("x=float:0:1:step=nan", "parameter 'x': step must be positive (got nan)");
    expect_compact("x=float:nan:1", "parameter 'x': bounds must be finite (got nan..1)");
    expect_compact("x=float:0:inf", "parameter 'x': bounds must be finite (got 0..inf)");
    expect_compact("x=float:1:0", "parameter 'x': low 1 is above high 0");
    expect_compact("x=float:0:1:log", "parameter 'x': a log scale needs low > 0 (got 0)");
    expect_compact("x=float:-1:1:log", "parameter 'x': a log scale needs low > 0 (got -1)");
    expect_compact("x=int:0:10:log", "parameter 'x': a log scale needs low >= 1 for ints (got 0)");
    expect_compact("x=int:1:10:step=0", "parameter 'x': int step must be a whole number >= 1 (got 0)");
    expect_compact("x=int:1:10:step=-1", "parameter 'x': int step must be a whole number >= 1 (got -1)");
    expect_compact("x=int:1.5:3", "parameter 'x': int bounds must be whole numbers (got 1.5..3)");
    expect_compact("x=int:1.000000001:3",
                   "parameter 'x': int bounds must be whole numbers (got 1.000000001..3)");
    expect_compact("x=float:0:1e999", "'x=float:0:1e999': high '1e999' is out of range");
    expect_compact("x=float:1e-999:1", "'x=float:1e-999:1': low '1e-999' is out of range");
    expect_compact("x=float:0:1:step=1e-300",
                   "parameter 'x': step 1e-300 makes more than 9007199254740991 "
                   "values over 0..1 (leave it out for a continuous range)");
    expect_compact("x=float:-1.7e308:1.7e308:step=1e307", "");
    expect_compact("x=float:0:1:log:log", "'x=float:0:1:log:log': log is given twice");
    expect_compact("x=float:0:1:step=0.5:step=0.25",
                   "'x=float:0:1:step=0.5:step=0.25': step is given twice");
    expect_compact("x\xff=float:0:1",
                   "parameter name 'x\\xff' is not valid UTF-8 (byte 0xff at offset 1)");
    expect_compact("x\xed\xa0\x80=float:0:1", /* a UTF-16 surrogate */
                   "parameter name 'x\\xed\\xa0\\x80' is not valid UTF-8 (byte 0xed at offset 1)");
    expect_compact("x=cat:a,\xc0\xaf", /* an overlong '/' */
                   "parameter 'x': choice '\\xc0\\xaf' is not valid UTF-8 (byte 0xc0 at offset 0)");
    expect_compact("x=cat:a,b,a", "parameter 'x': choice \"a\" is given twice");
    expect_compact("\xc3\xa9t\xc3\xa9=cat:caf\xc3\xa9,th\xc3\xa9", ""); /* été */
    expect_compact("x=float: 1:2", "'x=float: 1:2': low ' 1' is not a number");
    char name[600];
    memset(name, 'n', 513);
    strcpy(name + 513, "=float:0:1");
    hpo_space *s = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(s, name), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "a parameter name has 1 to 512 characters (got 513: 'nnn");
    name[512] = 0; /* 512 characters is the most, as Optuna's column */
    CHECK_RC(hpo_space_add_float(s, name, 0, 1, 0, 0), HPO_OK);
    hpo_space_free(s);
}

/* doc -> the exact message of hpo_space_parse_json(..., "t.json"). */
static void expect_doc(const char *doc, const char *want)
{
    hpo_space *s = hpo_space_new();
    int rc = hpo_space_parse_json(s, doc, "t.json");
    expect_message(doc, rc, hpo_space_errmsg(s), want, 1);
    hpo_space_free(s);
}

static void test_space_file_refusals(void)
{
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0.001, \"high\": 1, \"Log\": true}}",
               "t.json:1: parameter 'x': unknown key \"Log\" (a float parameter "
               "takes type, low, high, step, log, if)");
    expect_doc("{\"x\": {\"type\": \"int\", \"low\": 1, \"high\": 9, \"steps\": 2}}",
               "t.json:1: parameter 'x': unknown key \"steps\" (an int parameter "
               "takes type, low, high, step, log, if)");
    expect_doc("{\"x\": {\"type\": \"categorical\", \"choices\": [\"a\"], \"low\": 0}}",
               "t.json:1: parameter 'x': unknown key \"low\" (a categorical "
               "parameter takes type, choices, if)");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"low\": 0.5}}",
               "t.json:1: parameter 'x': the key \"low\" is given twice");
    expect_doc("{\"x\": \"float:0:1\",\n \"x\": \"int:0:3\"}",
               "t.json:1: parameter 'x' is given twice");
    expect_doc("{\"a\\u0000b\": \"float:0:1\"}",
               "t.json:1:4: not valid JSON: the escape \\u0000 (a NUL character "
               "would cut the text there), near '\\u0000b\": \"float:0:1\"}'");
    expect_doc("{\"x\": {\"type\": \"cat\", \"choices\": [\"a\\u0000b\", \"a\"]}}",
               "t.json:1:37: not valid JSON: the escape \\u0000 (a NUL character "
               "would cut the text there), near '\\u0000b\", \"a\"]}}'");
    expect_doc("{\"x\xff\": \"float:0:1\"}",
               "t.json:1:4: not valid JSON: invalid UTF-8, near '\\xff\": \"float:0:1\"}'");
    expect_doc("{\"x\": \"float:0:1\"} {}",
               "t.json:1:20: not valid JSON: more text after the value, near '{}'");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": +1, \"high\": 2}}",
               "t.json:1:32: not valid JSON: not a value, near '+1, \"high\": 2}}'");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"step\": 0}}",
               "t.json:1: parameter 'x': step must be positive (got 0; leave it "
               "out for a continuous range)");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"step\": -1}}",
               "t.json:1: parameter 'x': step must be positive (got -1)");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"step\": null}}",
               "t.json:1: parameter 'x': \"step\" must be a number");
    expect_doc("{\"x\": {\"type\": \"int\", \"low\": 0, \"high\": 10, \"step\": 0}}",
               "t.json:1: parameter 'x': int step must be a whole number >= 1 (got 0)");
    expect_doc("{\"x\": {\"type\": \"int\", \"low\": 0, \"high\": 99999999999999999999}}",
               "t.json:1: parameter 'x': int bound 100000000000000000000 is out of "
               "range (ints lie within -9007199254740991..9007199254740991, the "
               "integers a double holds exactly)");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1e400}}",
               "t.json:1: parameter 'x': bounds must be finite (got 0..inf)");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 1, \"high\": 0}}",
               "t.json:1: parameter 'x': low 1 is above high 0");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"log\": true}}",
               "t.json:1: parameter 'x': a log scale needs low > 0 (got 0)");
    expect_doc("{\"x\": \"float:0:1:step=0\"}",
               "t.json:1: parameter 'x': step must be positive (got 0; leave it "
               "out for a continuous range)");
    expect_doc("{\"a=b\": \"float:0:1\"}", ""); /* the name is the key, '=' and all */
    expect_doc("{\"k\": \"cat:a,b\", \"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, "
               "\"if\": {\"k\": []}}}",
               "t.json:1: parameter 'x': a condition on 'k' needs at least one of its choices");
    expect_doc("{\"x\": {\"type\": \"float\", \"low\": -1.7e308, \"high\": 1.7e308}}", "");
}

static void test_suggest_refusals(void)
{
    hpo_study *st = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(st, "random"), HPO_OK);
    CHECK_RC(hpo_study_open(st, "s", HPO_OPEN_CREATE), HPO_OK);
    hpo_trial *t;
    CHECK_RC(hpo_study_ask(st, &t), HPO_OK);
    double x;
    int64_t n;
    int k;
    CHECK_RC(hpo_trial_suggest_float(t, "a", 0, 1, -0.1, 0, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "parameter 'a': step must be positive (got -0.1)");
    CHECK_RC(hpo_trial_suggest_float(t, "a", NAN, 1, 0, 0, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "bounds must be finite (got nan..1)");
    CHECK_RC(hpo_trial_suggest_float(t, "a", 0, INFINITY, 0, 0, &x), HPO_EINVAL);
    CHECK_RC(hpo_trial_suggest_float(t, "a", 2, 1, 0, 0, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "low 2 is above high 1");
    CHECK_RC(hpo_trial_suggest_float(t, "a", 0, 1, 0, HPO_LOG, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "a log scale needs low > 0 (got 0)");
    CHECK_RC(hpo_trial_suggest_int(t, "b", INT64_MIN, INT64_MAX, 1, 0, &n), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "int bound -9223372036854775808 is out of range");
    CHECK_RC(hpo_trial_suggest_int(t, "b", 0, (INT64_C(1) << 53) + 1, 1, 0, &n), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "int bound 9007199254740992 is out of range");
    CHECK_RC(hpo_trial_suggest_int(t, "b", 0, 10, -1, 0, &n), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "int step must be a whole number >= 1 (got -1)");
    CHECK_RC(hpo_trial_suggest_float(t, "c\xff", 0, 1, 0, 0, &x), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t), "parameter name 'c\\xff' is not valid UTF-8");
    const char *bad[] = {"ok", "\xe2\x82"}; /* a cut 3-byte sequence */
    CHECK_RC(hpo_trial_suggest_categorical(t, "d", bad, 2, &k), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_trial_errmsg(t),
                       "parameter 'd': choice '\\xe2\\x82' is not valid UTF-8 "
                       "(byte 0xe2 at offset 0)");
    CHECK(hpo_trial_n_params(t) == 0); /* nothing refused was stored */
    CHECK_RC(hpo_trial_suggest_int(t, "b", -9007199254740991, 9007199254740991, 1, 0, &n),
             HPO_OK);
    CHECK(n >= -9007199254740991 && n <= 9007199254740991);
    hpo_trial_free(t);
    hpo_study_free(st);
}

/* A float over almost all doubles and an int over every exactly held
 * integer: each sampler's values lie inside, on both sides of 0, and are
 * not one value over and over. */
static void check_wide_ranges(const char *sampler, int n_trials, int min_distinct)
{
    hpo_space *sp = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(sp, "x=float:-1.7e308:1.7e308"), HPO_OK);
    CHECK_RC(hpo_space_parse_param(sp, "n=int:-9007199254740991:9007199254740991"), HPO_OK);
    hpo_study *st = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(st, sampler), HPO_OK);
    CHECK_RC(hpo_study_set_seed(st, 3), HPO_OK);
    CHECK_RC(hpo_study_set_space(st, sp), HPO_OK);
    CHECK_RC(hpo_study_open(st, "wide", HPO_OPEN_CREATE), HPO_OK);
    double xs[64], ns[64];
    int got = 0;
    for (int i = 0; i < n_trials; i++) {
        hpo_trial *t;
        if (hpo_study_ask(st, &t) != HPO_OK)
            break; /* an exhausted grid */
        CHECK_RC(hpo_trial_suggest_all(t), HPO_OK);
        CHECK(hpo_trial_param(t, "x", &xs[got]) && hpo_trial_param(t, "n", &ns[got]));
        /* a minimum inside, where no sampler's values pile up on a bound */
        double a = xs[got] / 1.7e308 - 0.3, b = ns[got] / 9007199254740991.0 + 0.2;
        double v = a * a + b * b;
        CHECK_RC(hpo_study_tell(st, t, HPO_COMPLETE, &v, 1), HPO_OK);
        hpo_trial_free(t);
        got++;
    }
    int distinct_x = 0, distinct_n = 0, neg = 0, pos = 0, inside = 1;
    for (int i = 0; i < got; i++) {
        inside &= xs[i] >= -1.7e308 && xs[i] <= 1.7e308;
        inside &= ns[i] >= -9007199254740991.0 && ns[i] <= 9007199254740991.0 &&
                  ns[i] == floor(ns[i]);
        neg += xs[i] < 0;
        pos += xs[i] > 0;
        int seen_x = 0, seen_n = 0;
        for (int j = 0; j < i; j++) {
            seen_x |= xs[j] == xs[i];
            seen_n |= ns[j] == ns[i];
        }
        distinct_x += !seen_x;
        distinct_n += !seen_n;
    }
    check_count++;
    if (!inside || neg == 0 || pos == 0 || distinct_x < min_distinct ||
        distinct_n < min_distinct) {
        check_failures++;
        fprintf(stderr, "%s: %d trials, inside %d, %d < 0, %d > 0, %d distinct x, %d distinct n\n",
                sampler, got, inside, neg, pos, distinct_x, distinct_n);
    }
    hpo_study_free(st);
    hpo_space_free(sp);
}

static void test_wide_ranges_every_sampler(void)
{
    const char *samplers[] = {"random", "qmc", "tpe", "gp", "rf", "auto"};
    for (int i = 0; i < 6; i++)
        check_wide_ranges(samplers[i], 20, 15);
    check_wide_ranges("grid:points=5", 30, 5); /* 5 x 5 values, ends included */
    hpo__dist d = {.kind = HPO__FLOAT, .low = -1.7e308, .high = 1.7e308};
    CHECK(hpo__dist_from_unit(&d, 0) == -1.7e308);
    CHECK(hpo__dist_from_unit(&d, 1) == 1.7e308);
    CHECK_NEAR(hpo__dist_from_unit(&d, 0.75), 0.85e308, 1e295);
    CHECK_NEAR(hpo__dist_to_unit(&d, 0.85e308), 0.75, 1e-12);
    CHECK(hpo__dist_snap(&d, 1e308) == 1e308);
    hpo__dist s = {.kind = HPO__FLOAT, .low = -1e308, .high = 1e308, .step = 1e308};
    CHECK(hpo__dist_cardinality(&s) == 3);
    CHECK(hpo__dist_from_unit(&s, 0.99) == 1e308);
    CHECK(hpo__dist_snap(&s, 0.6e308) == 1e308);
    CHECK(hpo__dist_contains(&s, 1e308) && hpo__dist_contains(&s, 0));
}

/* 100,000 choices parse in n log n (the duplicate check sorted, not
 * pairwise); the test runs at all within ctest's timeout. */
static void test_many_choices(void)
{
    enum { N = 100000 };
    size_t size = 64 + (size_t)N * 12;
    char *doc = malloc(size), *p = doc;
    p += sprintf(p, "{\"c\": {\"type\": \"categorical\", \"choices\": [");
    for (int i = 0; i < N; i++)
        p += sprintf(p, "%s\"c%d\"", i ? "," : "", i);
    strcpy(p, "]}}");
    hpo_space *s = hpo_space_new();
    CHECK_RC(hpo_space_parse_json(s, doc, "many.json"), HPO_OK);
    CHECK(hpo_space_size(s) == 1 && s->p[0].dist.n_choices == N);
    hpo_space_free(s);
    strcpy(p, ",\"c77\"]}}"); /* one given twice, at the end */
    s = hpo_space_new();
    CHECK_RC(hpo_space_parse_json(s, doc, "many.json"), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_space_errmsg(s), "parameter 'c': choice \"c77\" is given twice");
    hpo_space_free(s);
    free(doc);

    const char **choices = malloc(N * sizeof *choices);
    char *texts = malloc((size_t)N * 8);
    for (int i = 0; i < N; i++) {
        sprintf(texts + (size_t)i * 8, "%d", i);
        choices[i] = texts + (size_t)i * 8;
    }
    hpo_study *st = hpo_study_new();
    CHECK_RC(hpo_study_open(st, "many", HPO_OPEN_CREATE), HPO_OK);
    for (int i = 0; i < 3; i++) {
        hpo_trial *t;
        int k = -1;
        CHECK_RC(hpo_study_ask(st, &t), HPO_OK);
        CHECK_RC(hpo_trial_suggest_categorical(t, "c", choices, N, &k), HPO_OK);
        CHECK(k >= 0 && k < N);
        double v = k;
        CHECK_RC(hpo_study_tell(st, t, HPO_COMPLETE, &v, 1), HPO_OK);
        hpo_trial_free(t);
    }
    hpo_study_free(st);
    free(choices);
    free(texts);
}

/* distribution_json written by someone else: each corruption is a clear
 * error naming what is wrong, never a default. */
static void expect_stored(const char *json, const char *want)
{
    hpo__msg m = {0};
    hpo__dist d;
    int rc = hpo__dist_from_json(&d, json, &m);
    expect_message(json, rc, hpo__msg_get(&m), want, 0);
    if (rc == HPO_OK)
        hpo__dist_free(&d);
    hpo__msg_free(&m);
}

#define FD(attrs) "{\"name\": \"FloatDistribution\", \"attributes\": {" attrs "}}"
#define ID(attrs) "{\"name\": \"IntDistribution\", \"attributes\": {" attrs "}}"
#define CD(attrs) "{\"name\": \"CategoricalDistribution\", \"attributes\": {" attrs "}}"

static void test_stored_distributions(void)
{
    expect_stored(FD("\"low\": 0, \"high\": 1, \"log\": false, \"step\": null"), "");
    expect_stored(FD("\"low\": 0, \"high\": 1") " trailing",
                  "distribution_json: not valid JSON: more text after the value at offset 67");
    expect_stored(FD("\"low\": 0, \"high\": 1, \"low\": 0.5"),
                  "distribution_json: the key \"low\" is given twice");
    expect_stored(FD("\"low\": 0, \"high\": 1, \"Log\": true"),
                  "FloatDistribution has no attribute \"Log\"");
    expect_stored(FD("\"low\": 0, \"high\": 1, \"q\": 0.5"),
                  "FloatDistribution has no attribute \"q\"");
    expect_stored(FD("\"low\": 0, \"high\": 1, \"log\": \"yes\""),
                  "FloatDistribution: \"log\" must be true or false");
    expect_stored(FD("\"low\": 0, \"high\": 1, \"step\": \"x\""),
                  "FloatDistribution needs a number \"step\"");
    expect_stored(FD("\"low\": 0, \"high\": 1, \"step\": 0"),
                  "FloatDistribution: \"step\" must be positive (got 0)");
    expect_stored(FD("\"low\": 0"), "FloatDistribution needs a number \"high\"");
    expect_stored(FD("\"low\": 2, \"high\": 1"), "low 2 is above high 1");
    expect_stored(FD("\"low\": 0, \"high\": 1e999"), "bounds must be finite (got 0..inf)");
    expect_stored(ID("\"low\": 1.5, \"high\": 3"), "int bounds must be whole numbers (got 1.5..3)");
    expect_stored(ID("\"low\": 0, \"high\": 9223372036854775807"),
                  "int bound 9223372036854775808 is out of range");
    expect_stored(ID("\"low\": 0, \"high\": 10, \"step\": 0"),
                  "IntDistribution: \"step\" must be positive (got 0)");
    expect_stored(ID("\"low\": 0, \"high\": 10, \"step\": null"), "");
    expect_stored(CD("\"choices\": \"a\""), "CategoricalDistribution needs a list \"choices\"");
    expect_stored(CD("\"choices\": []"), "needs at least one choice");
    expect_stored(CD("\"choices\": [\"a\", \"a\"]"), "choice \"a\" is given twice");
    expect_stored(CD("\"choices\": [\"a\\u0000\"]"), "the escape \\u0000");
    expect_stored(CD("\"choices\": [\"\xff\"]"), "invalid UTF-8 at offset 64");
    expect_stored("{\"name\": 3, \"attributes\": {}}", "distribution_json lacks name or attributes");
    expect_stored("[1]", "distribution_json lacks name or attributes");
    expect_stored("", "the text ends where a value should be");
    expect_stored("{\"name\": \"Nope\", \"attributes\": {}}", "unknown distribution class 'Nope'");
    expect_stored("{\"name\": \"DiscreteUniformDistribution\", \"attributes\": "
                  "{\"low\": 0, \"high\": 1, \"q\": 0.25}}", "");
    expect_stored("{\"name\": \"IntLogUniformDistribution\", \"attributes\": "
                  "{\"low\": 1, \"high\": 64, \"step\": 1}}", "");
    expect_stored("{\"name\": \"UniformDistribution\", \"attributes\": "
                  "{\"low\": 0, \"high\": 1, \"step\": 0.5}}",
                  "UniformDistribution has no attribute \"step\"");
    /* Ints are written as digits: Python reads 1e+15 as a float. */
    hpo__dist big = {.kind = HPO__INT, .low = 0, .high = 1e15, .step = 1};
    char *json = hpo__dist_to_json(&big);
    CHECK_STR_CONTAINS(json, "\"high\":1000000000000000,");
    free(json);
}

/* The JSON hpo keeps: what Python's json.loads reads, less NaN. */
/* Copies of a categorical share one block of choices (dist.c), from a
 * dist built by hand or parsed, freed in any order (ASan would see a
 * block freed early or twice); each still reads and compares equal. */
static void test_shared_choices(void)
{
    char *texts[] = {"\"adam\"", "\"sgd\"", "3"};
    hpo__dist by_hand = {.kind = HPO__CATEGORICAL, .n_choices = 3,
                         .choices = texts};
    hpo__dist a, b, c;
    CHECK_RC(hpo__dist_copy(&a, &by_hand), HPO_OK);
    CHECK(a.choices != texts && a.shared != NULL);
    CHECK_RC(hpo__dist_copy(&b, &a), HPO_OK);
    CHECK_RC(hpo__dist_copy(&c, &b), HPO_OK);
    CHECK(b.choices == a.choices && c.shared == a.shared);
    hpo__dist_free(&a);
    CHECK(a.choices == NULL && a.n_choices == 0);
    CHECK(hpo__dist_equal(&b, &by_hand));
    hpo__dist_free(&b);
    CHECK(strcmp(c.choices[0], "\"adam\"") == 0 &&
          strcmp(c.choices[2], "3") == 0 && hpo__dist_equal(&c, &by_hand));
    hpo__dist_free(&c);

    hpo__dist parsed, d;
    hpo__msg m = {0};
    CHECK_RC(hpo__dist_from_json(&parsed, "{\"name\": \"CategoricalDistribution"
                                 "\", \"attributes\": {\"choices\": [\"x\", "
                                 "null]}}", &m), HPO_OK);
    CHECK_RC(hpo__dist_copy(&d, &parsed), HPO_OK);
    hpo__dist_free(&parsed);
    CHECK(d.n_choices == 2 && strcmp(d.choices[1], "null") == 0);
    hpo__dist_free(&d);
    hpo__msg_free(&m);
}

static void test_json_check(void)
{
    static const char *const good[] = {
        "1", "-0.5e+3", "0", "\"a\"", " {\"a\": [1, 2, {\"b\": null}]} ",
        "true", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"caf\xc3\xa9\"",
        "\"\xf0\x9f\x98\x80\"", "[]", "{}", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", NULL};
    static const char *const bad[] = {
        "+1", "01", ".5", "1.", "1e", "1 2", "{\"a\":1}x", "\"\\u0000\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
        "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "[1,]", "{\"a\":1,}", "NaN",
        "Infinity", "", "\"a\tb\"", "\"\\x\"", "{1: 2}", "[1 2]", "tru", "\"abc",
        NULL};
    const char *why;
    size_t at;
    for (int i = 0; good[i]; i++) {
        int rc = hpo__json_check(good[i], &why, &at);
        CHECK(rc == 0);
        if (rc)
            fprintf(stderr, "  refused %s: %s at %zu\n", good[i], why, at);
    }
    for (int i = 0; bad[i]; i++) {
        int rc = hpo__json_check(bad[i], &why, &at);
        CHECK(rc != 0);
        if (!rc)
            fprintf(stderr, "  accepted %s\n", bad[i]);
    }
    char deep[1300], digits[80];
    memset(deep, '[', 1200);
    deep[1200] = 0;
    CHECK(hpo__json_check(deep, &why, &at) != 0 && strstr(why, "nested too deeply"));
    memset(digits, '7', 70);
    digits[70] = 0;
    CHECK(hpo__json_check(digits, &why, &at) != 0 && strstr(why, "longer than 63"));
    hpo__msg m = {0};
    cJSON *root;
    CHECK_RC(hpo__json_parse("{\"x\": {\"b\": 1, \"b\": 2}}", "doc", &root, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "doc: the key \"b\" is given twice");
    CHECK_RC(hpo__json_parse("{\"a\": 1, \"b\": [{\"a\": 2}]}", "doc", &root, &m), HPO_OK);
    cJSON_Delete(root);
    hpo__msg_free(&m);
}

int main(void)
{
    RUN(test_float_validation);
    RUN(test_int_validation);
    RUN(test_unit_encoding);
    RUN(test_optuna_json);
    RUN(test_compact_params);
    RUN(test_json_space);
    RUN(test_compact_refusals);
    RUN(test_space_file_refusals);
    RUN(test_suggest_refusals);
    RUN(test_wide_ranges_every_sampler);
    RUN(test_many_choices);
    RUN(test_stored_distributions);
    RUN(test_json_check);
    RUN(test_shared_choices);
    return CHECK_DONE();
}
