/* json.h — what libhpo adds to cJSON. */
#ifndef HPO_JSON_H
#define HPO_JSON_H

#include <cJSON.h>

struct hpo__msg;

/* A number that reads back as exactly the same double.  cJSON's own
 * printer settles for 15 digits when they come back within an epsilon,
 * which changes the last bit of some values (a fixed parameter, a bound).
 * Whole values keep a ".0" when float_style is set, as Python writes
 * floats. */
cJSON *hpo__json_number(double x, int float_style);

/* Is text exactly one JSON value hpo may keep (json_check.c: RFC 8259, valid
 * UTF-8, no \u0000)?  0, or -1 with a phrase in *why and the byte offset
 * of the problem in *offset. */
int hpo__json_check(const char *text, const char **why, size_t *offset);
/* The first object key given twice anywhere in item, or NULL (*failed set
 * when memory ran out). */
const char *hpo__json_twice(const cJSON *item, int *failed);
/* Parse text that hpo keeps or trusts: hpo__json_check, cJSON, no key
 * twice.  *out (free with cJSON_Delete) or NULL with a message in *m that
 * starts with `what`. */
int hpo__json_parse(const char *text, const char *what, cJSON **out,
                    struct hpo__msg *m);

#endif
