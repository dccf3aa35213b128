/*
 * test_irace_files.c — irace's parameters.txt, instances lists and the
 * scenario subset read into hpo (src/race/irace_*.c): irace's own
 * ACOTSP-like example, every type and condition form, and each file irace
 * would reject (or hpo cannot express) giving "FILE:LINE: message".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"
#include "race/irace_files.h"

static char tmp[256];

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void test_acotsp_example(void)
{
    hpo_space *sp = hpo_space_new();
    char **sw = NULL, err[512] = "";
    int n = 0;
    CHECK_RC(irace_parse_parameters(HPO_SOURCE_DIR
                                    "/tests/data/irace/parameters-acotsp.txt",
                                    sp, &sw, &n, err, sizeof err),
             HPO_OK);
    if (n != 19) {
        fprintf(stderr, "%s\n", err);
        CHECK(n == 19);
        hpo_space_free(sp);
        return;
    }
    CHECK(hpo_space_size(sp) == 19);
    /* The file's order, except restart moved after its parent tabu. */
    const char *names[] = {"algorithm", "localsearch", "alpha",  "beta",
                           "rho",       "ants",        "nnants", "q0",
                           "rasrank",   "elitistants", "nnls",   "dlb",
                           "tabu",      "restart",     "mode",   "level",
                           "onq0",      "q1",          "phase"};
    for (int i = 0; i < 19; i++)
        CHECK(!strcmp(hpo_space_name(sp, i), names[i]));
    /* Switches are kept verbatim, trailing spaces included. */
    CHECK(!strcmp(sw[0], "--"));
    CHECK(!strcmp(sw[4], "--rho  "));
    CHECK(!strcmp(sw[12], "--tabu="));
    CHECK(!strcmp(sw[13], "--restart "));
    CHECK(!strcmp(sw[14], ""));
    CHECK(!strcmp(sw[16], " ") && !strcmp(sw[17], " "));
    /* The space as JSON with its white space removed. */
    char *json = hpo_space_to_json(sp), *w = json;
    for (const char *r = json; *r; r++)
        if (*r != '\t' && *r != '\n' && *r != ' ')
            *w++ = *r;
    *w = '\0';
    CHECK_STR_CONTAINS(json, "\"alpha\":{\"type\":\"float\",\"low\":0,"
                             "\"high\":5}");
    CHECK_STR_CONTAINS(json, "\"rho\":{\"type\":\"float\",\"low\":0.01,"
                             "\"high\":1,\"log\":true}");
    CHECK_STR_CONTAINS(json, "\"ants\":{\"type\":\"int\",\"low\":5,"
                             "\"high\":100,\"log\":true}");
    CHECK_STR_CONTAINS(json, "\"nnants\":{\"type\":\"int\",\"low\":5,"
                             "\"high\":100}");
    /* An ordinal keeps its order as a categorical. */
    CHECK_STR_CONTAINS(json, "\"localsearch\":{\"type\":\"categorical\","
                             "\"choices\":[\"0\",\"1\",\"2\",\"3\"]}");
    CHECK_STR_CONTAINS(json, "\"level\":{\"type\":\"categorical\","
                             "\"choices\":[\"low\",\"medium\",\"high\"]}");
    CHECK_STR_CONTAINS(json, "\"mode\":{\"type\":\"categorical\","
                             "\"choices\":[\"fast\",\"ab\",\"\"]}");
    CHECK_STR_CONTAINS(json, "\"q0\":{\"type\":\"float\",\"low\":0,"
                             "\"high\":1,\"if\":{\"algorithm\":[\"acs\"]}}");
    CHECK_STR_CONTAINS(json, "\"rasrank\":{\"type\":\"int\",\"low\":1,"
                             "\"high\":100,\"if\":{\"algorithm\":[\"ras\"]}}");
    CHECK_STR_CONTAINS(json, "\"elitistants\":{\"type\":\"int\",\"low\":1,"
                             "\"high\":750,\"if\":{\"algorithm\":[\"eas\"]}}");
    /* Numeric literals match the categorical parent's values. */
    CHECK_STR_CONTAINS(json, "\"if\":{\"localsearch\":[\"1\",\"2\",\"3\"]}");
    /* A conjunction on one parent is the intersection. */
    CHECK_STR_CONTAINS(json, "\"dlb\":{\"type\":\"categorical\",\"choices\":"
                             "[\"0\",\"1\"],\"if\":{\"localsearch\":[\"2\","
                             "\"3\"]}}");
    /* != is every other value. */
    CHECK_STR_CONTAINS(json, "\"phase\":{\"type\":\"categorical\","
                             "\"choices\":[\"x\",\"y\"],\"if\":{"
                             "\"localsearch\":[\"1\",\"2\",\"3\"]}}");
    /* A disjunction the union, in the parent's order. */
    CHECK_STR_CONTAINS(json, "\"restart\":{\"type\":\"categorical\","
                             "\"choices\":[\"yes\",\"no\"],\"if\":{\"tabu\":"
                             "[\"on\",\"maybe\"]}}");
    free(json);
    irace_switches_free(sw, n);
    hpo_space_free(sp);
}

/* Parse text as FILE and expect an error whose message contains want. */
static void expect_error(const char *text, const char *want)
{
    const char *path = write_file("p.txt", text);
    hpo_space *sp = hpo_space_new();
    char **sw = (char **)1, err[512] = "", full[600];
    int n = -1;
    snprintf(full, sizeof full, "%s/%s", tmp, want);
    int rc = irace_parse_parameters(path, sp, &sw, &n, err, sizeof err);
    CHECK(rc == HPO_EINVAL);
    CHECK(sw == NULL && n == 0);
    if (!strstr(err, full))
        fprintf(stderr, "for:\n%s\n got: %s\nwant: %s\n", text, err, full);
    CHECK_STR_CONTAINS(err, full);
    hpo_space_free(sp);
}

static void test_parameter_errors(void)
{
    expect_error("x \"--x \" f (1, 2)\n",
                 "p.txt:1: unknown parameter type 'f' for 'x' (irace's types: "
                 "c, i, r, o, i,log, r,log)");
    expect_error("x \"--x \" c,log (a, b)\n",
                 "p.txt:1: unknown parameter type 'c,log' for 'x'");
    expect_error("# first\n\nx \"--x \" r 1, 2\n",
                 "p.txt:3: the domain of 'x' must be a list within "
                 "parentheses, found '1, 2'");
    expect_error("x \"--x \" r (5, 1)\n",
                 "p.txt:1: lower bound must be smaller than upper bound in "
                 "numeric range (5, 1) for parameter 'x'");
    expect_error("x \"--x \" i (3, 3)\n",
                 "p.txt:1: lower bound must be smaller than upper bound in "
                 "numeric range (3, 3) for parameter 'x'");
    expect_error("x \"--x \" i (1.5, 3)\n",
                 "p.txt:1: for parameter type 'i' values must be integers "
                 "(1.5, 3) for parameter 'x'");
    expect_error("x \"--x \" r (0, 1, 2)\n",
                 "p.txt:1: the domain of 'x' must be two numbers (low, high), "
                 "found (0, 1, 2)");
    expect_error("x \"--x \" r (0, abc-)\n",
                 "p.txt:1: the domain (0, abc-) of 'x' depends on other "
                 "parameters: hpo takes only constant bounds");
    expect_error("ants \"--a \" i (5, 100)\nx \"--x \" i (1, min(ants, 10))\n",
                 "p.txt:2: the domain (1, min(ants, 10)) of 'x' depends on "
                 "other parameters");
    expect_error(
        "x \"--x \" r (0, 1..2)\n",
        "p.txt:1: incorrect numeric range (0, 1..2) for parameter 'x'");
    expect_error("x \"--x \" r,log (0, 10)\n",
                 "p.txt:1: the domain (0, 10) of log-scale parameter 'x' must "
                 "be positive");
    expect_error("x \"--x \" r (0, 1\n",
                 "p.txt:1: the domain of 'x' lacks its closing ')'");
    expect_error("x \"--x \" c (a, , b)\n",
                 "p.txt:1: empty value in the domain of 'x'");
    expect_error("x \"--x \" c (\"a\" b, c)\n",
                 "p.txt:1: unexpected 'b' in the domain of 'x'");
    expect_error("x \"--x \" c (a, b, a)\n",
                 "p.txt:1: duplicated value \"a\" for parameter 'x'");
    expect_error("x \"--x \" o (1, 3, 2)\n",
                 "p.txt:1: the values (1, 3, 2) of ordinal parameter 'x' look "
                 "numeric but do not increase");
    expect_error("x \"--x \" r (0, 1)\n\nx \"--y \" r (0, 1)\n",
                 "p.txt:3: duplicated parameter name 'x' (first on line 1)");
    expect_error("x \"--x \" r (0, 1)\ny \"--x \" r (0, 1)\n",
                 "p.txt:2: duplicated switch \"--x \" of parameter 'y' (also "
                 "of 'x' on line 1)");
    expect_error("x \"--x  r (1, 2)\n", "p.txt:1: unterminated quote");
    expect_error("x --x r (1, 2)\n",
                 "p.txt:1: the switch of 'x' must be a double-quoted string, "
                 "found '--x'");
    expect_error("x-y \"--x \" r (1, 2)\n",
                 "p.txt:1: parameter name must be alphanumeric ('.' and '_' "
                 "allowed), found 'x-y'");
    expect_error("x \"--x \" r (1, 2) a == 1\n",
                 "p.txt:1: expected '|' before the condition of 'x', found "
                 "'a == 1'");
    expect_error("x \"--x \" r (1, 2) |  # nothing\n",
                 "p.txt:1: expected a condition after '|' for 'x'");
    expect_error("# nothing but comments\n\n", "p.txt: no parameter definition "
                                               "found");
    expect_error("x \"--x \" r (0, 1)\n[forbidden]\nx > 0.5\n",
                 "p.txt:2: [forbidden] constraints are not supported by hpo");
    expect_error("x \"--x \" r (0, 1)\n[global]\ndigits = 4\nfoo = 1\n",
                 "p.txt:4: unknown global option 'foo' (irace's [global] has "
                 "only digits)");
    expect_error("x \"--x \" r (0, 1)\n[global]\ndigits = 20\n",
                 "p.txt:3: 'digits' must be an integer within [1, 15], found "
                 "'20'");
    expect_error("x \"--x \" r (0, 1)\n[other]\n",
                 "p.txt:2: unknown section '[other]'");
}

static void test_condition_errors(void)
{
    const char *msg = "is not supported by hpo (only PARENT %in% c(...) or "
                      "PARENT == V on a categorical or ordinal parameter)";
    char want[512];
    snprintf(want, sizeof want, "p.txt:2: condition x > 2 %s", msg);
    expect_error("x \"--x \" r (0, 5)\ny \"--y \" r (0, 1) | x > 2\n", want);
    snprintf(want, sizeof want, "p.txt:2: condition x == 2 %s", msg);
    expect_error("x \"--x \" r (0, 5)\ny \"--y \" r (0, 1) | x == 2\n", want);
    snprintf(want, sizeof want, "p.txt:3: condition a == \"1\" & b == \"2\" %s",
             msg);
    expect_error("a \"-a \" c (1, 2)\nb \"-b \" c (1, 2)\n"
                 "y \"--y \" r (0, 1) | a == \"1\" & b == \"2\"\n",
                 want);
    snprintf(want, sizeof want, "p.txt:2: condition a < \"1\" %s", msg);
    expect_error("a \"-a \" c (1, 2)\ny \"--y \" r (0, 1) | a < \"1\"\n", want);
    snprintf(want, sizeof want, "p.txt:2: condition !(a == \"1\") %s", msg);
    expect_error("a \"-a \" c (1, 2)\ny \"--y \" r (0, 1) | !(a == \"1\")\n",
                 want);
    snprintf(want, sizeof want, "p.txt:2: condition a %%in%% \"1\" %s", msg);
    expect_error("a \"-a \" c (1, 2)\ny \"--y \" r (0, 1) | a %in% \"1\"\n",
                 want);
    expect_error("y \"--y \" r (0, 1) | mode == \"x\"\n",
                 "p.txt:1: the condition of 'y' names 'mode', which is not a "
                 "parameter");
    expect_error("a \"-a \" c (x1, x2)\ny \"--y \" r (0, 1) | a == \"x3\"\n",
                 "p.txt:2: \"x3\" in the condition of 'y' is not a value of "
                 "'a'");
    expect_error("a \"-a \" c (x1, x2)\n"
                 "y \"--y \" r (0, 1) | a == \"x1\" & a == \"x2\"\n",
                 "p.txt:2: condition a == \"x1\" & a == \"x2\" of 'y' never "
                 "holds");
    expect_error("a \"-a \" c (x, y) | b == \"x\"\nb \"-b \" c (x, y) | a == "
                 "\"y\"\n",
                 "p.txt:1: the conditions of 'a' and its parents form a "
                 "cycle");
    /* Quotes that pair up on the line but not within the condition. */
    snprintf(want, sizeof want, "p.txt:2: condition a == \"q' %s", msg);
    expect_error("a \"-a \" c (q, r)\ny \"--y \" c (a'b) | a == \"q'\n", want);
    expect_error("a \"-a \" c (x, y) | a == \"x\"\n",
                 "p.txt:1: the condition of 'a' depends on itself");
}

static void test_unreadable(void)
{
    hpo_space *sp = hpo_space_new();
    char **sw, err[512];
    int n;
    CHECK_RC(irace_parse_parameters("/nonexistent/parameters.txt", sp, &sw, &n,
                                    err, sizeof err),
             HPO_EIO);
    CHECK_STR_CONTAINS(err, "/nonexistent/parameters.txt: No such file");
    hpo_space_free(sp);
}

static void test_instances(void)
{
    char dir[300], sub[320], err[512], **v;
    int n;
    snprintf(dir, sizeof dir, "%s/inst", tmp);
    snprintf(sub, sizeof sub, "%s/inst/more", tmp);
    mkdir(dir, 0700);
    mkdir(sub, 0700);
    write_file("inst/a.tsp", "x");
    write_file("inst/b.tsp", "x");
    write_file("inst/more/c.tsp", "x");
    write_file("inst/.hidden", "x");
    /* Without a directory the lines are taken as they are. */
    const char *list = write_file(
        "list.txt", "# training instances\n\n  a.tsp  \nb.tsp # the second\n"
                    "more/c.tsp --opt 3\n   \n");
    CHECK_RC(irace_read_instances(list, NULL, &v, &n, err, sizeof err), HPO_OK);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(!strcmp(v[0], "a.tsp"));
        CHECK(!strcmp(v[1], "b.tsp"));
        CHECK(!strcmp(v[2], "more/c.tsp --opt 3"));
    }
    irace_switches_free(v, n);
    /* With one each line is prefixed and must exist (its first word when
     * it carries arguments). */
    CHECK_RC(irace_read_instances(list, dir, &v, &n, err, sizeof err), HPO_OK);
    CHECK(n == 3);
    char want[400];
    snprintf(want, sizeof want, "%s/more/c.tsp --opt 3", dir);
    CHECK(n == 3 && !strcmp(v[2], want));
    irace_switches_free(v, n);
    list = write_file("list.txt", "a.tsp\n\n# gone\nmissing.tsp\n");
    CHECK_RC(irace_read_instances(list, dir, &v, &n, err, sizeof err),
             HPO_EINVAL);
    snprintf(want, sizeof want, "list.txt:4: no such file %s/missing.tsp", dir);
    CHECK_STR_CONTAINS(err, want);
    CHECK(v == NULL && n == 0);
    list = write_file("list.txt", "a.tsp\nmissing.tsp --seed 3\n");
    CHECK_RC(irace_read_instances(list, dir, &v, &n, err, sizeof err),
             HPO_EINVAL);
    snprintf(want, sizeof want, "list.txt:2: no such file %s/missing.tsp\n",
             dir);
    want[strlen(want) - 1] = '\0';
    CHECK_STR_CONTAINS(err, want);
    /* Empty: only comments and blank lines. */
    list = write_file("list.txt", "# nothing\n\n   \n");
    CHECK_RC(irace_read_instances(list, NULL, &v, &n, err, sizeof err),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(err, "list.txt: empty");
    CHECK_RC(irace_read_instances("/nonexistent/list", NULL, &v, &n, err,
                                  sizeof err),
             HPO_EIO);
    /* A directory alone: every file under it, sorted, hidden ones left. */
    CHECK_RC(irace_read_instances(NULL, dir, &v, &n, err, sizeof err), HPO_OK);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(strstr(v[0], "inst/a.tsp") && strstr(v[1], "inst/b.tsp") &&
              strstr(v[2], "inst/more/c.tsp"));
    }
    irace_switches_free(v, n);
    CHECK_RC(irace_read_instances(NULL, NULL, &v, &n, err, sizeof err),
             HPO_EINVAL);
}

static void test_scenario(void)
{
    irace_scenario sc;
    char err[512];
    const char *path =
        write_file("scenario.txt",
                   "## irace scenario\n"
                   "parameterFile = \"./parameters.txt\"\n"
                   "trainInstancesDir <- \"inst\"   # relative to this file\n"
                   "trainInstancesFile = \"/abs/list.txt\"\n"
                   "testInstancesFile = 'test.txt'\n"
                   "maxExperiments=5000\n"
                   "maxTime = 0\n"
                   "seed = 123\n"
                   "parallel<-4\n"
                   "firstTest = 6\n"
                   "eachTest = 2\n"
                   "testType = \"t.holm\"\n"
                   "execDir = \"./arena\"\n"
                   ".mine = 3\n"
                   "targetRunner = function(experiment, scenario) {\n"
                   "  list(cost = 1)\n"
                   "}\n"
                   "digits = 4\n");
    CHECK_RC(irace_read_scenario(path, &sc, err, sizeof err), HPO_OK);
    char want[400];
    snprintf(want, sizeof want, "%s/./parameters.txt", tmp);
    CHECK(sc.parameter_file && !strcmp(sc.parameter_file, want));
    snprintf(want, sizeof want, "%s/inst", tmp);
    CHECK(sc.train_instances_dir && !strcmp(sc.train_instances_dir, want));
    CHECK(sc.train_instances_file &&
          !strcmp(sc.train_instances_file, "/abs/list.txt"));
    snprintf(want, sizeof want, "%s/test.txt", tmp);
    CHECK(sc.test_instances_file && !strcmp(sc.test_instances_file, want));
    CHECK(sc.test_instances_dir == NULL);
    CHECK(sc.max_experiments == 5000 && sc.max_time == 0);
    CHECK(sc.has_seed && sc.seed == 123);
    CHECK(sc.parallel == 4 && sc.first_test == 6 && sc.each_test == 2);
    CHECK(!strcmp(sc.test_type, "t-test-holm"));
    irace_scenario_free(&sc);

    /* Defaults. */
    path = write_file("scenario.txt", "# all defaults\nseed = NA\n");
    CHECK_RC(irace_read_scenario(path, &sc, err, sizeof err), HPO_OK);
    CHECK(!sc.parameter_file && !sc.has_seed && sc.max_experiments == 0);
    CHECK(sc.first_test == 5 && sc.each_test == 1);
    CHECK(!strcmp(sc.test_type, "F-test"));
    irace_scenario_free(&sc);

    struct {
        const char *text, *want;
    } bad[] = {
        {"maxExperiments = 100\nparametersFile = \"p.txt\"\n",
         "scenario.txt:2: unknown variable 'parametersFile' (irace rejects it "
         "too; names of your own start with '.')"},
        {"maxExperiments = -1\n",
         "scenario.txt:1: maxExperiments must be an integer >= 0, found -1"},
        {"maxExperiments = 6e99\n", /* fuzz: was cast to int64_t */
         "scenario.txt:1: maxExperiments is too large: 6e99"},
        {"firstTest = 2.5\n",
         "scenario.txt:1: firstTest must be an integer >= 1, found 2.5"},
        {"parameterFile = parameters.txt\n",
         "scenario.txt:1: parameterFile must be a quoted string, found "
         "parameters.txt"},
        {"testType = \"wilcoxon\"\n",
         "scenario.txt:1: testType must be one of F-test, t-test, "
         "t-test-bonferroni, t-test-holm, found \"wilcoxon\""},
        {"\nmaxTime 100\n", "scenario.txt:2: expected NAME = VALUE, found "
                            "'maxTime 100'"},
        {"parameterFile = \"p.txt\n", "scenario.txt:1: unterminated quote"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        path = write_file("scenario.txt", bad[i].text);
        CHECK_RC(irace_read_scenario(path, &sc, err, sizeof err), HPO_EINVAL);
        snprintf(want, sizeof want, "%s/%s", tmp, bad[i].want);
        if (!strstr(err, want))
            fprintf(stderr, " got: %s\nwant: %s\n", err, want);
        CHECK_STR_CONTAINS(err, want);
        irace_scenario_free(&sc);
    }
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/hpo-irace-XXXXXX");
    if (!mkdtemp(tmp))
        return 1;
    RUN(test_acotsp_example);
    RUN(test_parameter_errors);
    RUN(test_condition_errors);
    RUN(test_unreadable);
    RUN(test_instances);
    RUN(test_scenario);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return CHECK_DONE();
}
