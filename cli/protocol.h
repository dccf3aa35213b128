/*
 * protocol.h — reading a trial's result from its child's standard output.
 *
 * The child speaks in lines.  A line whose first word is `@hpo` is a
 * protocol line:
 *
 *     @hpo value V [V2 ...]   the final value(s), one per objective
 *     @hpo report STEP V      an intermediate value at a whole-number step
 *                             (hpo_trial_report's rules: a repeated step
 *                             is ignored with a warning, a step going back
 *                             or below 0 fails the trial; NaN is stored)
 *     @hpo constraints C [C2 ...]
 *                             constraint values, each <= 0 when satisfied
 *                             (Optuna's constraints_func); the last wins
 *     @hpo attr NAME VALUE    a named metric kept beside the value, as the
 *                             trial's user attribute NAME (which Optuna
 *                             reads): VALUE, the rest of the line, is
 *                             stored as itself when it is JSON (0.93, 12,
 *                             true, [1, 2], {"a": 1}, "text"), as a JSON
 *                             number when it is another finite C number
 *                             (.5, 0x10), else as a string (nan, some
 *                             words); the last line for a NAME wins.  The
 *                             names hpo writes itself (fail_reason,
 *                             exit_status, signal, stdout_tail,
 *                             stderr_tail, skipped_reason) are refused
 *
 * Without an `@hpo value` line, the result is the last line whose last
 * words are numbers (one per objective): "loss 0.25" gives 0.25.  The last
 * `@hpo value` line wins over everything else.  Numbers are C numbers:
 * "1e-3", "-2", "0x1p-3", "inf", "nan" (a NaN value makes the trial FAIL);
 * one too large for a double ("1e999") is not a number.
 *
 * Only text counts (text.h: valid UTF-8, no NUL or control bytes but tab,
 * CR, backspace and escape).  A protocol line that is not text, or longer
 * than the runner keeps, is malformed.  Once any line is not text (or was
 * cut), the "last number" rule is off for the trial: in binary output a
 * short line such as "4" is chance, not a result.  Only `@hpo value` can
 * give the value then.
 */
#ifndef HPO_CLI_PROTOCOL_H
#define HPO_CLI_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "hpo.h"

typedef enum protocol_event {
    PROTOCOL_NONE,   /* an ordinary line (maybe holding a number) */
    PROTOCOL_REPORT, /* an `@hpo report` line: *step and *value are set */
    PROTOCOL_VALUE,  /* an `@hpo value` line */
    PROTOCOL_CONSTRAINTS, /* an `@hpo constraints` line */
    PROTOCOL_ATTR,   /* an `@hpo attr` line: attr_name and attr_json set */
    PROTOCOL_ERROR   /* a malformed protocol line: see protocol.error */
} protocol_event;

typedef struct protocol {
    int n_objectives;
    int line_no; /* lines seen so far */
    int n_not_text; /* of them: not text, or cut (too long) */
    int have_value, have_number;
    double value[HPO_MAX_OBJECTIVES];  /* from `@hpo value` */
    double number[HPO_MAX_OBJECTIVES]; /* from the last numeric line */
    int n_constraints;                 /* 0: none reported */
    double constraints[HPO_MAX_CONSTRAINTS];
    char error[400];                   /* the first malformed line */
    char attr_name[1024];              /* the last `@hpo attr` line's */
    char *attr_json;                   /* its value as JSON, malloc'd */
} protocol;

void protocol_init(protocol *p, int n_objectives);
/* Release what the lines left (attr_json). */
void protocol_free(protocol *p);

/* Read one line of output: its `len` bytes without the newline (they may
 * hold NUL bytes; line[len] must be '\0'; the line may be modified).
 * `cut`: the line was longer than the caller kept, and this is its start. */
protocol_event protocol_feed(protocol *p, char *line, size_t len, int cut,
                             int64_t *step, double *value);

/* The same for a NUL-terminated line that was not cut. */
protocol_event protocol_feed_line(protocol *p, char *line, int64_t *step,
                                  double *value);

/* The trial's values: 0 and values[0..n_objectives-1] set, or -1 with a
 * reason ("printed no objective value", or the malformed line). */
int protocol_result(const protocol *p, double *values, char *reason,
                    size_t size);

#endif
