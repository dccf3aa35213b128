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

#endif
