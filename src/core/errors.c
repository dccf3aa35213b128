/* errors.c — names and texts of status codes, states and directions, all
 * from the one table in hpo.h. */
#include "internal.h"

const char *hpo_version(void)
{
    return HPO_VERSION_STRING;
}

const char *hpo_errstr(int code)
{
    switch (code) {
#define HPO__STATUS_TEXT(name, value, text) \
    case value:                             \
        return text;
        HPO_STATUS_MAP(HPO__STATUS_TEXT)
#undef HPO__STATUS_TEXT
    }
    return "unknown status code";
}

const char *hpo_errname(int code)
{
    switch (code) {
#define HPO__STATUS_NAME(name, value, text) \
    case value:                             \
        return #name;
        HPO_STATUS_MAP(HPO__STATUS_NAME)
#undef HPO__STATUS_NAME
    }
    return "UNKNOWN";
}

const char *hpo_state_name(hpo_trial_state state)
{
    switch (state) {
    case HPO_RUNNING: return "RUNNING";
    case HPO_COMPLETE: return "COMPLETE";
    case HPO_PRUNED_STATE: return "PRUNED";
    case HPO_FAIL: return "FAIL";
    case HPO_WAITING: return "WAITING";
    }
    return "UNKNOWN";
}

const char *hpo_direction_name(hpo_direction direction)
{
    switch (direction) {
    case HPO_MINIMIZE: return "MINIMIZE";
    case HPO_MAXIMIZE: return "MAXIMIZE";
    }
    return "NOT_SET";
}
