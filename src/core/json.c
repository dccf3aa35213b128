/* json.c — exact numbers for cJSON documents, and building them whole. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "json.h"

cJSON *hpo__json_number(double x, int float_style)
{
    if (!isfinite(x)) /* JSON has no token for these; Python writes these */
        return cJSON_CreateRaw(isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
    char buf[40];
    hpo__format_double(buf, sizeof buf - 2, x);
    if (float_style && !strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return cJSON_CreateRaw(buf);
}

int hpo__json_put(cJSON *obj, const char *key, cJSON *item)
{
    int ok = item && (key ? cJSON_AddItemToObject(obj, key, item)
                          : cJSON_AddItemToArray(obj, item));
    if (!ok)
        cJSON_Delete(item);
    return ok;
}
