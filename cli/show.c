/*
 * show.c — writing trials as text and JSON (see show.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "show.h"

void show_number(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.6g", v);
}

cJSON *show_number_json(double v)
{
    if (isnan(v))
        return cJSON_CreateNull();
    if (isinf(v))
        return cJSON_CreateString(v > 0 ? "inf" : "-inf");
    return cJSON_CreateNumber(v);
}

cJSON *show_param_json(const char *text)
{
    double v;
    if (cli_text_to_double(text, &v) && isfinite(v))
        return cJSON_CreateNumber(v);
    return cJSON_CreateString(text);
}

double show_duration(const hpo_trial *t)
{
    return hpo_trial_end_time(t) - hpo_trial_start_time(t);
}

static cJSON *values_json(const hpo_trial *t)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < hpo_trial_n_values(t); i++)
        cJSON_AddItemToArray(a, show_number_json(hpo_trial_value(t, i)));
    return a;
}

static cJSON *params_json(const hpo_trial *t)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < hpo_trial_n_params(t); i++)
        cJSON_AddItemToObject(o, hpo_trial_param_name(t, i),
                              show_param_json(hpo_trial_param_text(t, i)));
    return o;
}

static cJSON *intermediate_json(const hpo_trial *t)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < hpo_trial_n_intermediate(t); i++) {
        int64_t step;
        double v;
        char key[24];
        hpo_trial_intermediate(t, i, &step, &v);
        snprintf(key, sizeof key, "%lld", (long long)step);
        cJSON_AddItemToObject(o, key, show_number_json(v));
    }
    return o;
}

/* The user attributes we know of (the API has no way to list them). */
static cJSON *user_attrs_json(const hpo_trial *t)
{
    static const char *const keys[] = {"fail_reason", "exit_status",
                                       "signal", "stderr_tail"};
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *json = hpo_trial_user_attr(t, keys[i]);
        cJSON *v = json ? cJSON_Parse(json) : NULL;
        if (v)
            cJSON_AddItemToObject(o, keys[i], v);
    }
    return o;
}

cJSON *show_trial_json(const hpo_trial *t, int n_objectives, int full)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "number", hpo_trial_number(t));
    cJSON_AddStringToObject(o, "state",
                            hpo_state_name(hpo_trial_state_of(t)));
    if (n_objectives == 1)
        cJSON_AddItemToObject(o, "value",
                              show_number_json(hpo_trial_value(t, 0)));
    cJSON_AddItemToObject(o, "values", values_json(t));
    cJSON_AddItemToObject(o, "params", params_json(t));
    if (full) {
        cJSON_AddItemToObject(o, "intermediate_values", intermediate_json(t));
        cJSON_AddItemToObject(o, "user_attrs", user_attrs_json(t));
        cJSON_AddItemToObject(o, "start_time",
                              show_number_json(hpo_trial_start_time(t)));
        cJSON_AddItemToObject(o, "end_time",
                              show_number_json(hpo_trial_end_time(t)));
        cJSON_AddItemToObject(o, "duration_s",
                              show_number_json(show_duration(t)));
    }
    return o;
}

int show_print_json(FILE *out, cJSON *doc)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return -1;
    fprintf(out, "%s\n", text);
    free(text);
    return 0;
}
