/*
 * irace_scenario.c — the part of irace's scenario.txt that `hpo race`
 * uses (irace 3.5 manual, §5.6 "Scenario options").  irace sources the
 * file as R; we read its usual form, one `name = value` (or `name <-
 * value`) a line, '#' comments, a value that opens a parenthesis or brace
 * running on to the line that closes it.
 *
 * As irace: a variable that is not one of irace's options is an error
 * (unless its name starts with '.'), and relative paths are taken from the
 * scenario file's directory.  irace's other options are skipped: hpo race
 * takes the target command, the budget and so on from its own flags.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irace_files.h"
#include "irace_text.h"

/* irace 3.5's option names (its R/irace-options.R). */
static const char *const irace_options[] = {
    "scenarioFile", "execDir", "parameterFile", "forbiddenExps",
    "forbiddenFile", "initConfigurations", "configurationsFile", "logFile",
    "recoveryFile", "instances", "trainInstancesDir", "trainInstancesFile",
    "sampleInstances", "testInstancesDir", "testInstancesFile",
    "testInstances", "testNbElites", "testIterationElites", "testType",
    "firstTest", "eachTest", "targetRunner", "targetRunnerLauncher",
    "targetRunnerLauncherArgs", "targetRunnerRetries", "targetRunnerData",
    "targetRunnerParallel", "targetEvaluator", "deterministic",
    "maxExperiments", "maxTime", "budgetEstimation", "minMeasurableTime",
    "parallel", "loadBalancing", "mpi", "batchmode", "digits", "quiet",
    "debugLevel", "seed", "softRestart", "softRestartThreshold", "elitist",
    "elitistNewInstances", "elitistLimit", "repairConfiguration", "capping",
    "cappingType", "boundType", "boundMax", "boundDigits", "boundPar",
    "boundAsTimeout", "postselection", "aclib", "nbIterations",
    "nbExperimentsPerIteration", "minNbSurvival", "nbConfigurations", "mu",
    "confidence", NULL};

/* testType's spellings irace accepts, and the name we keep. */
static const char *const test_types[][2] = {
    {"F-test", "F-test"},
    {"friedman", "F-test"},
    {"t-test", "t-test"},
    {"t.none", "t-test"},
    {"t-test-bonferroni", "t-test-bonferroni"},
    {"t.bonferroni", "t-test-bonferroni"},
    {"t-test-holm", "t-test-holm"},
    {"t.holm", "t-test-holm"}};

typedef struct reader {
    const char *path;
    char *dir; /* the scenario file's directory */
    char *err;
    size_t errlen;
    int line;
} reader;

#define fail_at(r, ...)                                                        \
    hpo__irace_fail_at((r)->err, (r)->errlen, (r)->path, (r)->line, __VA_ARGS__)

static int known(const char *name)
{
    for (int i = 0; irace_options[i]; i++)
        if (!strcmp(irace_options[i], name))
            return 1;
    return 0;
}

/* A quoted R string: its text, malloc'd into *out. */
static int string_value(reader *r, const char *name, const char *v, char **out)
{
    size_t k = strlen(v);
    if (k < 2 || (v[0] != '"' && v[0] != '\'') || v[k - 1] != v[0] ||
        memchr(v + 1, v[0], k - 2))
        return fail_at(r, "%s must be a quoted string, found %s", name, v);
    free(*out);
    *out = strndup(v + 1, k - 2);
    return *out ? HPO_OK
                : hpo__irace_fail(r->err, r->errlen, HPO_ENOMEM,
                                  "%s: out of memory", r->path);
}

static int path_value(reader *r, const char *name, const char *v, char **out)
{
    int rc = string_value(r, name, v, out);
    if (rc != HPO_OK || !**out || (*out)[0] == '/')
        return rc;
    char *full = hpo__irace_join(r->dir, *out);
    if (!full)
        return hpo__irace_fail(r->err, r->errlen, HPO_ENOMEM,
                               "%s: out of memory", r->path);
    free(*out);
    *out = full;
    return HPO_OK;
}

static int number_value(reader *r, const char *name, const char *v, double lo,
                        int whole, double *out)
{
    if (!hpo__irace_number(v, out) || *out < lo ||
        (whole && *out != floor(*out)))
        return fail_at(r, "%s must be %s >= %g, found %s", name,
                       whole ? "an integer" : "a number", lo, v);
    return HPO_OK;
}

static int int_value(reader *r, const char *name, const char *v, double lo,
                     int *out)
{
    double d;
    int rc = number_value(r, name, v, lo, 1, &d);
    if (rc == HPO_OK && d > 1e9)
        rc = fail_at(r, "%s is too large: %s", name, v);
    if (rc == HPO_OK)
        *out = (int)d;
    return rc;
}

static int seed_value(reader *r, const char *v, irace_scenario *sc)
{
    double d;
    if (!strcmp(v, "NA") || !strcmp(v, "NULL")) { /* irace: a random seed */
        sc->has_seed = 0;
        return HPO_OK;
    }
    int rc = number_value(r, "seed", v, 0, 1, &d);
    if (rc == HPO_OK && d > 9007199254740991.0)
        rc = fail_at(r, "seed is too large: %s", v);
    if (rc == HPO_OK) {
        sc->has_seed = 1;
        sc->seed = (uint64_t)d;
    }
    return rc;
}

static int test_type_value(reader *r, const char *v, irace_scenario *sc)
{
    char *s = NULL;
    int rc = string_value(r, "testType", v, &s);
    for (size_t i = 0;
         rc == HPO_OK && i < sizeof test_types / sizeof *test_types; i++)
        if (!strcmp(s, test_types[i][0])) {
            snprintf(sc->test_type, sizeof sc->test_type, "%s",
                     test_types[i][1]);
            free(s);
            return HPO_OK;
        }
    if (rc == HPO_OK)
        rc = fail_at(r,
                     "testType must be one of F-test, t-test, "
                     "t-test-bonferroni, t-test-holm, found \"%s\"",
                     s);
    free(s);
    return rc;
}

static int assign(reader *r, const char *name, const char *v,
                  irace_scenario *sc)
{
    double d;
    int rc = HPO_OK;
    if (!strcmp(name, "parameterFile"))
        return path_value(r, name, v, &sc->parameter_file);
    if (!strcmp(name, "trainInstancesDir"))
        return path_value(r, name, v, &sc->train_instances_dir);
    if (!strcmp(name, "trainInstancesFile"))
        return path_value(r, name, v, &sc->train_instances_file);
    if (!strcmp(name, "testInstancesDir"))
        return path_value(r, name, v, &sc->test_instances_dir);
    if (!strcmp(name, "testInstancesFile"))
        return path_value(r, name, v, &sc->test_instances_file);
    if (!strcmp(name, "maxExperiments")) {
        rc = number_value(r, name, v, 0, 1, &d);
        if (rc == HPO_OK && d > 9007199254740991.0) /* 2^53 - 1 */
            rc = fail_at(r, "%s is too large: %s", name, v);
        sc->max_experiments = rc == HPO_OK ? (int64_t)d : 0;
    } else if (!strcmp(name, "maxTime")) {
        rc = number_value(r, name, v, 0, 0, &sc->max_time);
    } else if (!strcmp(name, "seed")) {
        rc = seed_value(r, v, sc);
    } else if (!strcmp(name, "parallel")) {
        rc = int_value(r, name, v, 0, &sc->parallel);
    } else if (!strcmp(name, "firstTest")) {
        rc = int_value(r, name, v, 1, &sc->first_test);
    } else if (!strcmp(name, "eachTest")) {
        rc = int_value(r, name, v, 1, &sc->each_test);
    } else if (!strcmp(name, "testType")) {
        rc = test_type_value(r, v, sc);
    } else if (name[0] != '.' && !known(name)) {
        rc = fail_at(r,
                     "unknown variable '%s' (irace rejects it too; names of "
                     "your own start with '.')",
                     name);
    }
    return rc;
}

/* How many brackets a value leaves open (outside quotes). */
static int open_brackets(const char *s)
{
    int depth = 0;
    char quote = 0;
    for (; *s; s++) {
        if (quote)
            quote = *s == quote ? 0 : quote;
        else if (*s == '"' || *s == '\'')
            quote = *s;
        else
            depth += (*s == '(' || *s == '{' || *s == '[') -
                     (*s == ')' || *s == '}' || *s == ']');
    }
    return depth;
}

/* One assignment starting at line i; *i moves past its last line. */
static int statement(reader *r, hpo__irace_lines *l, int *i, irace_scenario *sc)
{
    char *s = hpo__irace_strip(l->line[*i]);
    r->line = *i + 1;
    if (!s)
        return fail_at(r, "unterminated quote");
    if (!*s)
        return HPO_OK;
    size_t k = 0;
    while (isalnum((unsigned char)s[k]) || s[k] == '.' || s[k] == '_')
        k++;
    char *v = hpo__irace_skip(s + k);
    if (!k || !(*v == '=' || (v[0] == '<' && v[1] == '-')))
        return fail_at(r, "expected NAME = VALUE, found '%s'", s);
    v = hpo__irace_skip(v + (*v == '=' ? 1 : 2));
    s[k] = '\0'; /* after reading past the operator: it may be s[k] */
    if (!*v)
        return fail_at(r, "%s has no value", s);
    /* A value with open brackets (a function, a vector) ends further on;
     * only options we skip are written that way. */
    for (int depth = open_brackets(v); depth > 0 && *i + 1 < l->n;) {
        char *more = hpo__irace_strip(l->line[++*i]);
        depth += more ? open_brackets(more) : 0;
    }
    return assign(r, s, v, sc);
}

void irace_scenario_free(irace_scenario *sc)
{
    free(sc->parameter_file);
    free(sc->train_instances_dir);
    free(sc->train_instances_file);
    free(sc->test_instances_dir);
    free(sc->test_instances_file);
    sc->parameter_file = sc->train_instances_dir = sc->train_instances_file =
        sc->test_instances_dir = sc->test_instances_file = NULL;
}

int irace_read_scenario(const char *path, irace_scenario *sc, char *err,
                        size_t errlen)
{
    memset(sc, 0, sizeof *sc);
    sc->first_test = 5;
    sc->each_test = 1;
    snprintf(sc->test_type, sizeof sc->test_type, "F-test");
    reader r = {.path = path, .err = err, .errlen = errlen};
    hpo__irace_lines l;
    int rc = hpo__irace_read_lines(path, &l, err, errlen);
    if (rc != HPO_OK)
        return rc;
    if (!(r.dir = hpo__irace_dirname(path)))
        rc =
            hpo__irace_fail(err, errlen, HPO_ENOMEM, "%s: out of memory", path);
    for (int i = 0; rc == HPO_OK && i < l.n; i++)
        rc = statement(&r, &l, &i, sc);
    free(r.dir);
    hpo__irace_lines_free(&l);
    return rc;
}
