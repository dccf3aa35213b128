/* json.h — what libhpo adds to cJSON. */
#ifndef HPO_JSON_H
#define HPO_JSON_H

#include <cJSON.h>

/* A number that reads back as exactly the same double.  cJSON's own
 * printer settles for 15 digits when they come back within an epsilon,
 * which changes the last bit of some values (a fixed parameter, a bound).
 * Whole values keep a ".0" when float_style is set, as Python writes
 * floats. */
cJSON *hpo__json_number(double x, int float_style);

/* Add item to obj under key (to an array: key NULL): 1, or 0 when item is
 * NULL or memory runs out, with the item freed (cJSON keeps an item it
 * could not add).  A document is written only when every put returned 1:
 * one missing part, stored, could make a study unreadable. */
int hpo__json_put(cJSON *obj, const char *key, cJSON *item);

/* Is text JSON (json_valid.c)?  Decided without allocating. */
int hpo__json_valid(const char *text);
/* cJSON_Parse that tells the two failures apart: NULL with *oom set when
 * the text is JSON, so that only memory can have run out. */
cJSON *hpo__json_parse(const char *text, int *oom);

#endif
