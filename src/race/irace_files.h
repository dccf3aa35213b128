/*
 * irace_files.h — irace's own scenario files read into hpo, so that irace
 * users bring what they have to `hpo race`:
 *
 *   parameters.txt   (irace_parameters.c)  -> an hpo_space plus each
 *                    parameter's command-line switch;
 *   instances lists  (irace_instances.c)   -> an array of instance strings;
 *   scenario.txt     (irace_instances.c)   -> the few settings hpo race uses.
 *
 * The syntax is irace 3.5's (its manual, "Parameter space" and "Scenario
 * options").  What hpo cannot express is refused with "FILE:LINE: ..." in
 * err rather than read differently: see irace_parameters.c for the list.
 * Every function here returns 0 (HPO_OK) or a negative hpo status
 * (HPO_EINVAL for bad input, HPO_EIO for an unreadable file, HPO_ENOMEM),
 * always with a message in err (truncated to errlen).
 */
#ifndef HPO_IRACE_FILES_H
#define HPO_IRACE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "hpo.h"

/* Parse irace's parameters.txt into an hpo space; 0 or HPO_EINVAL with a
 * message "FILE:LINE: ..." in err.  Each parameter's switch (e.g.
 * "--alpha ") is kept verbatim so a command line can be built: *switches
 * gets one malloc'd string per parameter, in space order (caller frees
 * with irace_switches_free).  Space order is the file's order, except that
 * a parameter whose condition names a later one moves after it (irace
 * sorts by dependency too).  r -> float, r,log -> float log, i -> int,
 * i,log -> int log, c -> categorical, o -> categorical with the choices in
 * the file's order (hpo has no ordinal type: an ordinal is an ordered
 * categorical). */
int irace_parse_parameters(const char *path, hpo_space *space, char ***switches,
                           int *n, char *err, size_t errlen);
void irace_switches_free(char **switches, int n);

/* Read an instances list (one per line, '#' comments, blank lines
 * skipped, optional directory prefix `dir`, which may be NULL or "");
 * 0 or HPO_EINVAL ("FILE: empty" / "FILE:LINE: no such file X").  With a
 * directory each instance is dir/line and must name an existing file (as
 * irace checks); without one, lines are taken as they are (they may be
 * arguments rather than files).  *out: n malloc'd strings; free with
 * irace_switches_free(*out, *n). */
int irace_read_instances(const char *path, const char *dir, char ***out, int *n,
                         char *err, size_t errlen);

/* The subset of irace's scenario.txt that hpo race uses.  Strings are
 * malloc'd (NULL when absent; then irace's default applies, noted below);
 * relative paths are resolved against the scenario file's directory, as
 * irace does for the paths it reads from a scenario file. */
typedef struct irace_scenario {
    char *parameter_file;       /* parameterFile ("./parameters.txt") */
    char *train_instances_dir;  /* trainInstancesDir ("./Instances") */
    char *train_instances_file; /* trainInstancesFile (none: every file of the dir) */
    char *test_instances_dir;   /* testInstancesDir (none) */
    char *test_instances_file;  /* testInstancesFile (none) */
    int64_t max_experiments;    /* maxExperiments (0: unset) */
    double max_time;            /* maxTime in seconds (0: unset) */
    int has_seed;               /* seed given (irace's default: NA, random) */
    uint64_t seed;
    int parallel;               /* parallel (0: unset, one at a time) */
    int first_test;             /* firstTest (5) */
    int each_test;              /* eachTest (1) */
    char test_type[16];         /* testType: "F-test" (default) or "t-test",
                                   also t-test-bonferroni, t-test-holm */
} irace_scenario;

/* Read scenario.txt (R assignments `name = value` or `name <- value`,
 * '#' comments).  Options outside the subset above are skipped; a
 * malformed line or a bad value of a known option is HPO_EINVAL with
 * "FILE:LINE: ...".  *sc is filled with the defaults first; free its
 * strings with irace_scenario_free (also after an error). */
int irace_read_scenario(const char *path, irace_scenario *sc, char *err,
                        size_t errlen);
void irace_scenario_free(irace_scenario *sc);

#endif
