/*
 * study_config.c — the "hpo:cli" study attribute (see study_config.h):
 * to JSON, from JSON, and the comparison `hpo tune` makes before it
 * continues a study.
 */
#define _GNU_SOURCE 1 /* asprintf */
#include "study_config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/internal.h"
#include "core/json.h"
#include "jsontext.h"

void study_config_free(study_config *c)
{
    if (c->command)
        for (char **p = c->command; *p; p++)
            free(*p);
    free(c->command);
    free(c->space_json);
    free(c->sampler);
    free(c->pruner);
    memset(c, 0, sizeof *c);
}

/* ---- to JSON --------------------------------------------------------------- */

static cJSON *seconds_or_null(double s)
{
    return s > 0 ? hpo__json_number(s, 0) : cJSON_CreateNull();
}

static cJSON *string_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Each part is checked (hpo__json_put): an hpo:cli missing one, stored
 * when memory ran out, would leave a study no worker can join. */
static int add_command(cJSON *o, char *const *command)
{
    cJSON *list = cJSON_AddArrayToObject(o, "command");
    int ok = list != NULL;
    for (int i = 0; ok && command && command[i]; i++)
        ok = hpo__json_put(list, NULL, cJSON_CreateString(command[i]));
    return ok;
}

static int add_space(cJSON *o, const char *space_json)
{
    hpo__msg m = {0};
    cJSON *space;
    int rc = hpo__json_parse(space_json ? space_json : "{}", "space", &space,
                             &m);
    hpo__msg_free(&m);
    return rc != HPO_ENOMEM &&
           hpo__json_put(o, "space", space ? space : cJSON_CreateObject());
}

static int add_directions(cJSON *o, const study_config *c)
{
    cJSON *dirs = cJSON_AddArrayToObject(o, "directions");
    int ok = dirs != NULL;
    for (int i = 0; ok && i < c->n_directions; i++)
        ok = hpo__json_put(dirs, NULL, cJSON_CreateString(
            c->directions[i] == HPO_MAXIMIZE ? "maximize" : "minimize"));
    return ok;
}

static cJSON *count_or_null(int64_t n)
{
    return n > 0 ? cJSON_CreateNumber((double)n) : cJSON_CreateNull();
}

char *study_config_to_json(const study_config *c)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && add_command(o, c->command) && add_space(o, c->space_json) &&
             add_directions(o, c) &&
             hpo__json_put(o, "sampler", string_or_null(c->sampler)) &&
             hpo__json_put(o, "pruner", string_or_null(c->pruner)) &&
             hpo__json_put(o, "trial_timeout",
                           seconds_or_null(c->trial_timeout_s)) &&
             hpo__json_put(o, "heartbeat", seconds_or_null(c->heartbeat_s)) &&
             hpo__json_put(o, "grace", seconds_or_null(c->grace_s)) &&
             cJSON_AddNumberToObject(o, "retry_failed", c->retry_failed) &&
             hpo__json_put(o, "target_complete",
                           count_or_null(c->target_complete)) &&
             hpo__json_put(o, "target_resource",
                           count_or_null(c->target_resource)) &&
             hpo__json_put(o, "max_resource", count_or_null(c->max_resource));
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

int study_config_check(const study_config *c, char *err, size_t size)
{
    for (int i = 0; c->command && c->command[i]; i++) {
        long bad = json_invalid_utf8(c->command[i]);
        if (bad >= 0) {
            snprintf(err, size,
                     "argument %d of the command is not valid UTF-8 (byte "
                     "0x%02x at offset %ld): the command is stored with the "
                     "study as text",
                     i + 1, (unsigned char)c->command[i][bad], bad);
            return -1;
        }
    }
    return 0;
}

int study_name_check(const char *name, char *err, size_t size)
{
    hpo__msg m = {0};
    int rc = hpo__check_name(&m, "study name", name);
    if (rc)
        snprintf(err, size, "--study: %s", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc ? -1 : 0;
}

/* ---- from JSON ------------------------------------------------------------- */

/* A field that is a number >= 0 or null (0); -1 if it is something else. */
static int number_field(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = 0;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !isfinite(v->valuedouble))
        return -1;
    *out = v->valuedouble;
    return 0;
}

/* A field that is a string (copied) or null (NULL); -1 otherwise. */
static int string_field(const cJSON *o, const char *key, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    return (*out = strdup(v->valuestring)) ? 0 : -1;
}

static int parse_command(const cJSON *o, study_config *c)
{
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(o, "command");
    int n = cJSON_GetArraySize(cmd);
    if (!cJSON_IsArray(cmd) || n == 0)
        return -1;
    if (!(c->command = calloc((size_t)n + 1, sizeof *c->command)))
        return -1;
    for (int i = 0; i < n; i++) {
        const cJSON *arg = cJSON_GetArrayItem(cmd, i);
        if (!cJSON_IsString(arg) || !(c->command[i] = strdup(arg->valuestring)))
            return -1;
    }
    return 0;
}

static int parse_directions(const cJSON *o, study_config *c)
{
    const cJSON *dirs = cJSON_GetObjectItemCaseSensitive(o, "directions");
    const cJSON *d;
    if (!dirs)
        return 0;
    if (!cJSON_IsArray(dirs) || cJSON_GetArraySize(dirs) > HPO_MAX_OBJECTIVES)
        return -1;
    cJSON_ArrayForEach(d, dirs) {
        const char *s = cJSON_GetStringValue(d);
        if (!s || (strcmp(s, "minimize") != 0 && strcmp(s, "maximize") != 0))
            return -1;
        c->directions[c->n_directions++] =
            strcmp(s, "maximize") == 0 ? HPO_MAXIMIZE : HPO_MINIMIZE;
    }
    return 0;
}

/* A whole number field, or null / absent for 0. */
static int count_field(const cJSON *o, const char *key, int64_t *out)
{
    double v;
    if (number_field(o, key, &v) || v > 1e15 || v != floor(v))
        return -1;
    *out = (int64_t)v;
    return 0;
}

static int parse_fields(const cJSON *o, study_config *c, const char **bad)
{
    double retry;
    const cJSON *space = cJSON_GetObjectItemCaseSensitive(o, "space");
    if ((*bad = "command", parse_command(o, c)) ||
        (*bad = "space", !cJSON_IsObject(space)) ||
        !(c->space_json = cJSON_PrintUnformatted(space)) ||
        (*bad = "directions", parse_directions(o, c)) ||
        (*bad = "sampler", string_field(o, "sampler", &c->sampler)) ||
        (*bad = "pruner", string_field(o, "pruner", &c->pruner)) ||
        (*bad = "trial_timeout", number_field(o, "trial_timeout", &c->trial_timeout_s)) ||
        (*bad = "heartbeat", number_field(o, "heartbeat", &c->heartbeat_s)) ||
        (*bad = "grace", number_field(o, "grace", &c->grace_s)) ||
        (*bad = "retry_failed", number_field(o, "retry_failed", &retry)) ||
        retry > 1e9 || retry != floor(retry) ||
        (*bad = "target_complete", count_field(o, "target_complete", &c->target_complete)) ||
        (*bad = "target_resource", count_field(o, "target_resource", &c->target_resource)) ||
        (*bad = "max_resource", count_field(o, "max_resource", &c->max_resource)))
        return -1;
    c->retry_failed = (int)retry;
    return 0;
}

int study_config_parse(const char *json, study_config *c, char *err,
                       size_t size)
{
    memset(c, 0, sizeof *c);
    /* As strict as the library with JSON it keeps: a key twice or text
     * after the object is a damaged attribute, not one to guess at. */
    hpo__msg m = {0};
    cJSON *o = NULL;
    const char *bad = NULL;
    int rc = 0;
    if (hpo__json_parse(json, "the stored " STUDY_CONFIG_ATTR " attribute", &o,
                        &m) != HPO_OK) {
        snprintf(err, size, "%s", hpo__msg_get(&m));
        rc = -1;
    } else if (!cJSON_IsObject(o)) {
        snprintf(err, size, "the stored %s attribute is not a JSON object",
                 STUDY_CONFIG_ATTR);
        rc = -1;
    } else if (parse_fields(o, c, &bad) != 0) {
        snprintf(err, size, "the stored %s attribute has a bad \"%s\"",
                 STUDY_CONFIG_ATTR, bad);
        rc = -1;
    }
    cJSON_Delete(o);
    hpo__msg_free(&m);
    if (rc)
        study_config_free(c);
    return rc;
}

/* ---- comparing ------------------------------------------------------------- */

char *study_config_command_text(char *const *command)
{
    size_t size = 1;
    for (int i = 0; command && command[i]; i++)
        size += strlen(command[i]) * 4 + 3;
    char *text = malloc(size), *p = text;
    if (!text)
        return NULL;
    *p = '\0';
    for (int i = 0; command && command[i]; i++) {
        const char *a = command[i];
        int plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO"
                                    "PQRSTUVWXYZ0123456789_-+=/.,:@%{}") ==
                              strlen(a);
        if (i)
            *p++ = ' ';
        if (plain) {
            p = stpcpy(p, a);
            continue;
        }
        *p++ = '\'';
        for (; *a; a++) {
            if (*a == '\'')
                p = stpcpy(p, "'\\''"); /* a quote inside quotes */
            else
                *p++ = *a;
        }
        *p++ = '\'';
        *p = '\0';
    }
    return text;
}

static int compare_commands(char *const *stored, char *const *given,
                            char *what, size_t size)
{
    int i = 0;
    while (stored[i] && given[i] && strcmp(stored[i], given[i]) == 0)
        i++;
    if (!stored[i] && !given[i])
        return 0;
    char *s = study_config_command_text(stored);
    char *g = study_config_command_text(given);
    snprintf(what, size, "the command differs: stored '%.300s', given '%.300s'",
             s ? s : "?", g ? g : "?");
    free(s);
    free(g);
    return -1;
}

/* One parameter's definition as compact JSON, for a message. */
static void param_text(const cJSON *p, char *buf, size_t size)
{
    char *text = cJSON_PrintUnformatted(p);
    snprintf(buf, size, "%s", text ? text : "?");
    free(text);
}

static int compare_spaces(const cJSON *stored, const cJSON *given, char *what,
                          size_t size)
{
    const cJSON *p;
    char a[256], b[256];
    cJSON_ArrayForEach(p, stored) {
        const cJSON *q = cJSON_GetObjectItemCaseSensitive(given, p->string);
        if (!q) {
            snprintf(what, size, "the search space differs: parameter '%s' "
                     "is stored but not given", p->string);
            return -1;
        }
        if (!cJSON_Compare(p, q, 1)) {
            param_text(p, a, sizeof a);
            param_text(q, b, sizeof b);
            snprintf(what, size, "the search space differs: parameter '%s' "
                     "is stored as %s, given as %s", p->string, a, b);
            return -1;
        }
    }
    cJSON_ArrayForEach(p, given)
        if (!cJSON_GetObjectItemCaseSensitive(stored, p->string)) {
            snprintf(what, size, "the search space differs: parameter '%s' "
                     "is given but not stored", p->string);
            return -1;
        }
    const cJSON *q = given->child;
    for (p = stored->child; p && q; p = p->next, q = q->next)
        if (strcmp(p->string, q->string) != 0) {
            snprintf(what, size, "the search space differs: the parameters "
                     "are in another order ('%s' where '%s' is stored)",
                     q->string, p->string);
            return -1;
        }
    return 0;
}

int study_config_compare(const study_config *stored,
                         const study_config *given, char *what, size_t size)
{
    if (compare_commands(stored->command, given->command, what, size))
        return -1;
    return study_config_compare_spaces(stored->space_json, given->space_json,
                                       what, size);
}

int study_config_compare_spaces(const char *stored, const char *given,
                                char *what, size_t size)
{
    cJSON *s = cJSON_Parse(stored ? stored : "{}");
    cJSON *g = cJSON_Parse(given ? given : "{}");
    int rc = 0;
    if (!s || !g) {
        snprintf(what, size, "the search space differs (unreadable)");
        rc = -1;
    } else {
        rc = compare_spaces(s, g, what, size);
    }
    cJSON_Delete(s);
    cJSON_Delete(g);
    return rc;
}
