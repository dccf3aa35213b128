/*
 * show.c — writing trials as text and JSON (see show.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h" /* hpo__format_double */
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
    /* The shortest precision that reads back exactly, and always
     * with a point or an exponent: 1.0 stays a float for a reader that
     * tells 1 from 1.0 (Python's json), as Optuna's floats are. */
    char buf[40];
    hpo__format_double(buf, sizeof buf - 2, v);
    if (!strpbrk(buf, ".eE"))
        strcat(buf, ".0");
    return cJSON_CreateRaw(buf);
}

/* A categorical value is its choice as the distribution holds it, so a
 * choice "1" stays a string and a choice 1 (from Optuna) a number. */
static cJSON *choice_json(const hpo_trial *t, int i)
{
    const char *dist = hpo_trial_param_distribution(t, i);
    cJSON *d = dist ? cJSON_Parse(dist) : NULL;
    cJSON *choices = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(d, "attributes"), "choices");
    double index = hpo_trial_param_value(t, i);
    cJSON *choice = NULL;
    if (cJSON_IsArray(choices) && index >= 0 &&
        index < cJSON_GetArraySize(choices))
        choice = cJSON_Duplicate(cJSON_GetArrayItem(choices, (int)index), 1);
    cJSON_Delete(d);
    if (choice)
        return choice;
    const char *text = hpo_trial_param_text(t, i);
    return cJSON_CreateString(text ? text : "");
}

cJSON *show_param_json(const hpo_trial *t, int i)
{
    switch (hpo_trial_param_kind(t, i)) {
    case HPO_PARAM_CATEGORICAL:
        return choice_json(t, i);
    case HPO_PARAM_INT:
        return cJSON_CreateNumber(hpo_trial_param_value(t, i));
    default:
        return show_number_json(hpo_trial_param_value(t, i));
    }
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
                              show_param_json(t, i));
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

typedef const char *(*attr_at_fn)(const hpo_trial *, int, const char **);

/* Every attribute, its JSON text parsed; text that does not parse (a
 * storage written by another tool) is kept as a string. */
static cJSON *attrs_json(const hpo_trial *t, attr_at_fn attr_at)
{
    cJSON *o = cJSON_CreateObject();
    const char *key, *json = NULL;
    for (int i = 0; (key = attr_at(t, i, &json)) != NULL; i++) {
        cJSON *v = json ? cJSON_Parse(json) : NULL;
        if (!v)
            v = json ? cJSON_CreateString(json) : cJSON_CreateNull();
        cJSON_AddItemToObject(o, key, v);
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
    double c[HPO_MAX_CONSTRAINTS];
    int n_c = hpo_trial_constraints(t, c, HPO_MAX_CONSTRAINTS);
    if (n_c > 0) {
        cJSON *list = cJSON_CreateArray();
        for (int i = 0; i < n_c && i < HPO_MAX_CONSTRAINTS; i++)
            cJSON_AddItemToArray(list, show_number_json(c[i]));
        cJSON_AddItemToObject(o, "constraints", list);
        cJSON_AddBoolToObject(o, "feasible", hpo_trial_is_feasible(t));
    }
    cJSON_AddItemToObject(o, "params", params_json(t));
    if (full) {
        cJSON_AddItemToObject(o, "intermediate_values", intermediate_json(t));
        cJSON_AddItemToObject(o, "user_attrs",
                              attrs_json(t, hpo_trial_user_attr_at));
        cJSON_AddItemToObject(o, "system_attrs",
                              attrs_json(t, hpo_trial_system_attr_at));
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
    return show_print_json_as(out, doc, 0);
}

/* cJSON indents with tabs and puts one after each key's colon; inside
 * strings a tab is always escaped (\t), so every raw tab is layout. */
static void print_spaced(FILE *out, const char *text)
{
    int line_start = 1;
    for (; *text; text++) {
        if (*text == '\t')
            fputs(line_start ? "  " : " ", out);
        else
            fputc(*text, out);
        if (*text == '\n')
            line_start = 1;
        else if (*text != '\t')
            line_start = 0;
    }
    fputc('\n', out);
}

int show_print_json_as(FILE *out, cJSON *doc, int compact)
{
    char *text = !doc ? NULL : compact ? cJSON_PrintUnformatted(doc)
                                       : cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return -1;
    if (compact)
        fprintf(out, "%s\n", text);
    else
        print_spaced(out, text);
    free(text);
    return 0;
}
