/*
 * report_emit.h — writing JSON text fast and safe for an HTML page: the
 * report's document holds 100,000 trials, so it is written straight to a
 * stream rather than built as a cJSON tree first.
 */
#ifndef HPO_CLI_REPORT_EMIT_H
#define HPO_CLI_REPORT_EMIT_H

#include <stdio.h>

/* A JSON string literal of text (NULL: null).  Invalid UTF-8 bytes become
 * '?', control characters and "<" \u escapes. */
void emit_string(FILE *out, const char *text);
/* An integer. */
void emit_int(FILE *out, long long v);
/* A double that reads back exactly; NaN as null, ±inf as ±1e999. */
void emit_number(FILE *out, double v);
/* Seconds since the epoch to the millisecond; NaN as null. */
void emit_time(FILE *out, double t);
/* JSON text as stored (an attribute), with "<" as \u003c; NULL as null. */
void emit_raw(FILE *out, const char *json);

#endif
