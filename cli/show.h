/*
 * show.h — how `hpo best`, `hpo trials` and `hpo tune` write trials.
 */
#ifndef HPO_CLI_SHOW_H
#define HPO_CLI_SHOW_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "hpo.h"

/* A value for a table: "%.6g", "inf", or "-" for NaN (no value). */
void show_number(char *buf, size_t size, double v);
/* A double as JSON: a number that always has a point or an exponent
 * (1.0, not 1); null for NaN; "inf" / "-inf" as strings, since JSON has
 * no infinities. */
cJSON *show_number_json(double v);
/* The i-th parameter of a trial as JSON: a float (1.0) or an integer;
 * for a categorical, its choice with the type the distribution gives it
 * (a string choice "1" stays the string "1"). */
cJSON *show_param_json(const hpo_trial *t, int i);
/* A trial as a JSON object: number, state, value (null if none; only for
 * one objective), values, constraints and feasible (when the trial has
 * constraints), params and, when full is set, intermediate
 * values, user and system attributes, times and duration. */
cJSON *show_trial_json(const hpo_trial *t, int n_objectives, int full);
/* Seconds from start to end, NaN when not finished. */
double show_duration(const hpo_trial *t);
/* Print a cJSON document (indented by two spaces) and free it.  0, or -1
 * if out of memory. */
int show_print_json(FILE *out, cJSON *doc);
/* The same, or with compact set on one line without blanks. */
int show_print_json_as(FILE *out, cJSON *doc, int compact);

#endif
