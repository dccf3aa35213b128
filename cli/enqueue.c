/*
 * enqueue.c — `hpo enqueue --study NAME --param NAME=VALUE ... | --params
 * JSON`: add trials with fixed parameters to a study hpo tune started;
 * tune and every worker take enqueued trials before sampling new ones.
 *
 * Values are typed and checked against the space stored with the study
 * (study_config.h), so a typo is one clear error here rather than a
 * trial that fails later: floats and ints are numbers within their
 * bounds (on the step grid, if any; ints whole), categorical values are
 * one of the choices.  Parameters left out are sampled as usual.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "args.h"
#include "cli.h"
#include "core/json.h"
#include "study_config.h"

#define CMD "enqueue"

enum { OPT_STORAGE = 1, OPT_STUDY, OPT_PARAM, OPT_PARAMS, OPT_HELP };

static const cli_option enqueue_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"param", 'p', 1, OPT_PARAM},
    {"params", 0, 1, OPT_PARAMS},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void enqueue_help(FILE *out)
{
    fprintf(out,
"usage: hpo enqueue --study NAME [--storage URL] --param NAME=VALUE ...\n"
"       hpo enqueue --study NAME [--storage URL] --params JSON\n"
"\n"
"Add a trial with fixed parameters to a study that hpo tune started; hpo\n"
"tune and hpo worker run enqueued trials first, oldest first.  Values are\n"
"checked against the study's stored search space; parameters left out are\n"
"sampled as usual.\n"
"\n"
"      --storage URL       the study's storage (default $HPO_STORAGE,\n"
"                          else %s)\n"
"      --study NAME        the study (required)\n"
"  -p, --param NAME=VALUE  one parameter: lr=0.01, depth=4, kernel=rbf\n"
"      --params JSON       a JSON object {\"lr\": 0.01, \"kernel\": \"rbf\"}, or\n"
"                          an array of them (one trial each)\n"
"\n"
"Prints how many trials were enqueued and how many now wait.\n"
"Exit status: 0 done, 1 a storage error, 2 bad usage, no such study, or a\n"
"value outside the study's space.\n", CLI_DEFAULT_STORAGE);
}

/* ---- checking one value against its parameter ------------------------------ */

/* The text of a categorical choice: a string as it is, anything else as
 * JSON ("1", "true"). */
static char *choice_text(const cJSON *c)
{
    return cJSON_IsString(c) ? strdup(c->valuestring)
                             : cJSON_PrintUnformatted(c);
}

static cJSON *categorical_value(const cJSON *def, const char *text,
                                char *err, size_t size)
{
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(def, "choices");
    const cJSON *c;
    char list[256] = "";
    cJSON_ArrayForEach(c, choices) {
        char *t = choice_text(c);
        int same = t && strcmp(t, text) == 0;
        if (t && strlen(list) + strlen(t) + 3 < sizeof list)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     *list ? ", " : "", t);
        free(t);
        if (same)
            return cJSON_Duplicate(c, 1);
    }
    snprintf(err, size, "'%s' is not one of its choices (%s)", text, list);
    return NULL;
}

static double field(const cJSON *def, const char *key, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(def, key);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

/* Is v on the grid low, low+step, ..., high (up to rounding)? */
static int on_grid(double v, double low, double step)
{
    double k = (v - low) / step;
    return fabs(k - round(k)) <= 1e-9 * fmax(1.0, fabs(k));
}

/* The shortest text that reads back as v: 0.1, not 0.10000000000000001. */
typedef struct num_text {
    char s[32];
} num_text;

static num_text text_of(double v)
{
    num_text t;
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(t.s, sizeof t.s, "%.*g", digits, v);
        if (strtod(t.s, NULL) == v)
            break;
    }
    return t;
}

static cJSON *numeric_value(const cJSON *def, int is_int, double v,
                            char *err, size_t size)
{
    double low = field(def, "low", -INFINITY), high = field(def, "high", INFINITY);
    double step = field(def, "step", is_int ? 1 : 0);
    if (!isfinite(v)) {
        snprintf(err, size, "%s is not a finite number", text_of(v).s);
        return NULL;
    }
    if (is_int && v != floor(v)) {
        snprintf(err, size, "%s is not a whole number", text_of(v).s);
        return NULL;
    }
    if (v < low || v > high) {
        snprintf(err, size, "%s is out of range (%s to %s)", text_of(v).s,
                 text_of(low).s, text_of(high).s);
        return NULL;
    }
    if (step > 0 && !on_grid(v, low, step)) {
        snprintf(err, size, "%s is not on its grid %s, %s, ..., %s",
                 text_of(v).s, text_of(low).s, text_of(low + step).s,
                 text_of(high).s);
        return NULL;
    }
    return cJSON_CreateNumber(v);
}

/* The value as enqueue stores it (a number, or the categorical's choice),
 * from its text (--param) or its JSON (--params, then text is NULL). */
static cJSON *typed_value(const cJSON *def, const char *text, const cJSON *json,
                          char *err, size_t size)
{
    const char *type = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(def, "type"));
    if (type && strcmp(type, "categorical") == 0) {
        char *t = text ? strdup(text) : choice_text(json);
        cJSON *v = t ? categorical_value(def, t, err, size) : NULL;
        free(t);
        return v;
    }
    int is_int = type && strcmp(type, "int") == 0;
    double v;
    if (text ? !cli_text_to_double(text, &v) : !cJSON_IsNumber(json)) {
        char *t = text ? strdup(text) : cJSON_PrintUnformatted(json);
        snprintf(err, size, "%s is not a number", t ? t : "the value");
        free(t);
        return NULL;
    }
    if (!text)
        v = json->valuedouble;
    return numeric_value(def, is_int, v, err, size);
}

/* ---- a whole trial --------------------------------------------------------- */

static void names_of(const cJSON *space, char *list, size_t size)
{
    const cJSON *p;
    *list = '\0';
    cJSON_ArrayForEach(p, space)
        if (strlen(list) + strlen(p->string) + 3 < size)
            snprintf(list + strlen(list), size - strlen(list), "%s%s",
                     *list ? ", " : "", p->string);
}

/* Add name=value to trial, checked; 0 or -1 after printing why. */
static int add_value(cJSON *trial, const cJSON *space, const char *flag,
                     const char *name, const char *text, const cJSON *json)
{
    char err[512], names[256];
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(space, name);
    if (!def) {
        names_of(space, names, sizeof names);
        cli_error(CMD, "%s: no parameter '%s' in the study's space (%s)", flag,
                  name, names);
        return -1;
    }
    if (cJSON_GetObjectItemCaseSensitive(trial, name)) {
        cli_error(CMD, "%s: parameter '%s' is given twice", flag, name);
        return -1;
    }
    cJSON *v = typed_value(def, text, json, err, sizeof err);
    if (!v) {
        cli_error(CMD, "%s: parameter '%s': %s", flag, name, err);
        return -1;
    }
    /* never a trial enqueued without one of its values */
    if (!trial || !hpo__json_put(trial, name, v)) {
        cli_error(CMD, "%s: out of memory", flag);
        return -1;
    }
    return 0;
}

/* One trial from --param NAME=VALUE flags. */
static cJSON *trial_from_flags(char **params, int n, const cJSON *space)
{
    cJSON *trial = cJSON_CreateObject();
    for (int i = 0; trial && i < n; i++) {
        char *eq = strchr(params[i], '=');
        if (!eq || eq == params[i]) {
            cli_error(CMD, "--param: '%s' is not NAME=VALUE", params[i]);
            goto bad;
        }
        char *name = strndup(params[i], (size_t)(eq - params[i]));
        int rc = name ? add_value(trial, space, "--param", name, eq + 1, NULL)
                      : -1;
        free(name);
        if (rc)
            goto bad;
    }
    return trial;
bad:
    cJSON_Delete(trial);
    return NULL;
}

static cJSON *trial_from_json(const cJSON *given, const cJSON *space)
{
    if (!cJSON_IsObject(given)) {
        cli_error(CMD, "--params: a trial is a JSON object {\"name\": value}");
        return NULL;
    }
    cJSON *trial = cJSON_CreateObject();
    const cJSON *p;
    cJSON_ArrayForEach(p, given)
        if (add_value(trial, space, "--params", p->string, NULL, p) != 0) {
            cJSON_Delete(trial);
            return NULL;
        }
    return trial;
}

/* The trials to enqueue, as a JSON array of checked objects. */
static cJSON *trials_to_enqueue(char **params, int n_params,
                                const char *params_json, const cJSON *space)
{
    cJSON *list = cJSON_CreateArray();
    if (!params_json) {
        cJSON *t = trial_from_flags(params, n_params, space);
        if (!t || !hpo__json_put(list, NULL, t)) { /* frees t */
            if (t)
                cli_error(CMD, "out of memory");
            cJSON_Delete(list);
            return NULL;
        }
        return list;
    }
    const char *why = "out of memory";
    size_t at = 0;
    /* The library's rule: no \u0000 to cut a name, no trailing text. */
    cJSON *given = hpo__json_check(params_json, &why, &at) == 0
                       ? cJSON_ParseWithOpts(params_json, NULL, 1)
                       : NULL;
    if (!given) {
        cli_error(CMD, "--params: not valid JSON: %s at offset %zu in '%.200s'",
                  why, at, params_json);
        cJSON_Delete(list);
        return NULL;
    }
    int is_array = cJSON_IsArray(given);
    cJSON *one = is_array ? given->child : given;
    for (; one; one = is_array ? one->next : NULL) {
        cJSON *t = trial_from_json(one, space);
        if (!t || !hpo__json_put(list, NULL, t)) { /* frees t */
            if (t)
                cli_error(CMD, "out of memory");
            cJSON_Delete(list);
            list = NULL;
            break;
        }
    }
    cJSON_Delete(given);
    return list;
}

/* ---- the command ----------------------------------------------------------- */

static int count_waiting(hpo_study *study)
{
    hpo_trial **trials;
    int n, waiting = 0;
    if (hpo_study_trials(study, &trials, &n) != HPO_OK)
        return -1;
    for (int i = 0; i < n; i++)
        waiting += hpo_trial_state_of(trials[i]) == HPO_WAITING;
    hpo_trials_free(trials, n);
    return waiting;
}

static int enqueue_all(hpo_study *study, const cJSON *list)
{
    const cJSON *t;
    int n = 0;
    cJSON_ArrayForEach(t, list) {
        char *json = cJSON_PrintUnformatted(t);
        int rc = json ? hpo_study_enqueue(study, json) : HPO_ENOMEM;
        free(json);
        if (rc != HPO_OK) {
            cli_error(CMD, "after %d trial%s: %s", n, n == 1 ? "" : "s",
                      hpo_study_errmsg(study));
            return CLI_EXIT_FAILED;
        }
        n++;
    }
    int waiting = count_waiting(study);
    printf("enqueued %d trial%s in study %s", n, n == 1 ? "" : "s",
           hpo_study_name(study));
    if (waiting >= 0)
        printf(" (%d waiting)", waiting);
    printf("\n");
    return CLI_EXIT_OK;
}

static int enqueue(const char *url, const char *name, char **params,
                   int n_params, const char *params_json)
{
    hpo_storage *storage = NULL;
    hpo_study *study = NULL;
    study_config cfg = {0};
    cJSON *space = NULL, *list = NULL;
    char err[512];
    int rc = cli_open_study(CMD, url, name, &storage, &study);
    if (rc != CLI_EXIT_OK)
        goto done;
    const char *json = hpo_study_system_attr(study, STUDY_CONFIG_ATTR);
    if (!json) {
        cli_error(CMD, "study %s has no stored search space (it was not "
                  "created by hpo tune); use hpo tune", name);
        rc = CLI_EXIT_USAGE;
    } else if (study_config_parse(json, &cfg, err, sizeof err) != 0 ||
               !(space = cJSON_Parse(cfg.space_json))) {
        cli_error(CMD, "study %s: %s", name, err);
        rc = CLI_EXIT_FAILED;
    } else if (!(list = trials_to_enqueue(params, n_params, params_json,
                                          space))) {
        rc = CLI_EXIT_USAGE;
    } else {
        rc = enqueue_all(study, list);
    }
done:
    cJSON_Delete(list);
    cJSON_Delete(space);
    study_config_free(&cfg);
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}

int cli_enqueue(int argc, char **argv)
{
    cli_args a;
    const char *v, *url = NULL, *name = NULL, *json = NULL;
    int id, n_params = 0;
    char **params = calloc((size_t)argc, sizeof *params);
    if (!params)
        return CLI_EXIT_FAILED;
    cli_args_init(&a, CMD, argc, argv);
    while ((id = cli_next_option(&a, enqueue_options, &v)) > 0) {
        if (id == OPT_HELP) {
            enqueue_help(stdout);
            free(params);
            return CLI_EXIT_OK;
        }
        if (id == OPT_STORAGE)
            url = v;
        else if (id == OPT_STUDY)
            name = v;
        else if (id == OPT_PARAM)
            params[n_params++] = (char *)v;
        else
            json = v;
    }
    int rc = id < 0 ? CLI_EXIT_USAGE : -1;
    if (rc < 0 && a.i < argc) {
        cli_error(CMD, "unexpected argument '%s'", argv[a.i]);
        rc = CLI_EXIT_USAGE;
    } else if (rc < 0 && (!name || !*name)) {
        cli_error(CMD, "--study is required");
        rc = CLI_EXIT_USAGE;
    } else if (rc < 0 && (n_params > 0) == (json != NULL)) {
        cli_error(CMD, "give the parameters as --param NAME=VALUE flags or "
                  "as --params JSON (one of the two)");
        rc = CLI_EXIT_USAGE;
    }
    if (rc < 0)
        rc = enqueue(cli_storage_url(url), name, params, n_params, json);
    free(params);
    return rc;
}
