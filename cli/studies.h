/*
 * studies.h — the listing of a storage's studies as JSON, shared by
 * `hpo studies --format json` and the dashboard's /api/studies.
 */
#ifndef HPO_CLI_STUDIES_H
#define HPO_CLI_STUDIES_H

#include <cjson/cJSON.h>

#include "hpo.h"

/* [{"name": ..., "directions": ["minimize", ...], "n_trials": N}, ...];
 * NULL when out of memory. */
cJSON *studies_json(const hpo_study_summary *list, int n);

#endif
