/*
 * ask_config.c — the space and sampler of `hpo ask` and `hpo tell`
 * (see ask_config.h): read, stored once, and set on the study handle.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "args.h"
#include "ask_config.h"
#include "cli.h"
#include "core/json.h"
#include "study_config.h"

typedef struct stored {
    char *space_json, *sampler; /* owned; NULL when absent */
} stored;

static void stored_free(stored *s)
{
    free(s->space_json);
    free(s->sampler);
    memset(s, 0, sizeof *s);
}

/* "hpo:ask": {"space": {...}, "sampler": "spec" | null}; 0 or -1. */
static int parse_ask_attr(const char *json, stored *out)
{
    cJSON *o = cJSON_Parse(json);
    const cJSON *space = cJSON_GetObjectItemCaseSensitive(o, "space");
    const cJSON *sampler = cJSON_GetObjectItemCaseSensitive(o, "sampler");
    int ok = cJSON_IsObject(space) &&
             (out->space_json = cJSON_PrintUnformatted(space)) != NULL &&
             (!cJSON_IsString(sampler) ||
              (out->sampler = strdup(sampler->valuestring)) != NULL);
    cJSON_Delete(o);
    return ok ? 0 : -1;
}

/* What hpo tune stored, else what ask stored; 0 (nothing stored leaves
 * both NULL) or an exit code after printing why. */
static int read_stored(const char *cmd, hpo_study *study, stored *out)
{
    char err[512];
    const char *json = hpo_study_system_attr(study, STUDY_CONFIG_ATTR);
    memset(out, 0, sizeof *out);
    if (json) {
        study_config c;
        if (study_config_parse(json, &c, err, sizeof err) != 0) {
            cli_error(cmd, "study '%s': %s", hpo_study_name(study), err);
            return CLI_EXIT_FAILED;
        }
        out->space_json = c.space_json;
        out->sampler = c.sampler;
        c.space_json = c.sampler = NULL;
        study_config_free(&c);
        return 0;
    }
    json = hpo_study_system_attr(study, ASK_CONFIG_ATTR);
    if (json && parse_ask_attr(json, out) != 0) {
        stored_free(out);
        cli_error(cmd, "study '%s': the stored %s attribute is not "
                  "{\"space\": {...}, \"sampler\": ...}",
                  hpo_study_name(study), ASK_CONFIG_ATTR);
        return CLI_EXIT_FAILED;
    }
    return 0;
}

static int store(const char *cmd, hpo_study *study, const char *space_json,
                 const char *sampler)
{
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (o && hpo__json_put(o, "space", cJSON_Parse(space_json)) &&
        hpo__json_put(o, "sampler", sampler ? cJSON_CreateString(sampler)
                                            : cJSON_CreateNull()))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc = text ? hpo_study_set_system_attr(study, ASK_CONFIG_ATTR, text)
                  : HPO_ENOMEM;
    free(text);
    if (rc == HPO_OK)
        return 0;
    cli_error(cmd, "storing the study's search space: %s",
              rc == HPO_ENOMEM ? "out of memory" : hpo_study_errmsg(study));
    return CLI_EXIT_FAILED;
}

int ask_config_settle(const char *cmd, hpo_study *study, const char *space_json,
                      const char *sampler)
{
    stored s;
    char what[1024];
    int rc = read_stored(cmd, study, &s);
    if (rc)
        return rc;
    if (!s.space_json) {
        rc = store(cmd, study, space_json, sampler);
    } else if (study_config_compare_spaces(s.space_json, space_json, what,
                                           sizeof what) != 0) {
        cli_error(cmd, "study '%s': %s (leave out --param and --space to use "
                  "the stored space)", hpo_study_name(study), what);
        rc = CLI_EXIT_USAGE;
    }
    stored_free(&s);
    return rc;
}

/* The flags' space settled with the study, then what is stored. */
static int settle_and_read(const char *cmd, hpo_study *probe,
                           const ask_flags *f, stored *s)
{
    int rc = 0;
    if (hpo_space_size(f->space) > 0) {
        char *given = hpo_space_to_json(f->space);
        rc = given ? ask_config_settle(cmd, probe, given, f->sampler)
                   : CLI_EXIT_FAILED;
        if (!given)
            cli_error(cmd, "out of memory");
        free(given);
    }
    return rc ? rc : read_stored(cmd, probe, s);
}

/* Sampler, space and seed on a new handle, then open it. */
static int configure(const char *cmd, const ask_flags *f, const stored *s,
                     hpo_study *study)
{
    hpo_space *space = hpo_space_new();
    const char *sampler = f->sampler ? f->sampler : s->sampler;
    int rc = space ? HPO_OK : HPO_ENOMEM;
    if (rc == HPO_OK && s->space_json &&
        (rc = hpo_space_parse_json(space, s->space_json, "the stored space"))) {
        cli_error(cmd, "study '%s': %s", f->study_name, hpo_space_errmsg(space));
        hpo_space_free(space);
        return CLI_EXIT_FAILED;
    }
    if (rc == HPO_OK && sampler &&
        (rc = hpo_study_set_sampler(study, sampler)) != HPO_OK) {
        cli_error(cmd, "%s: %s", f->sampler ? "--sampler" : "the stored sampler",
                  hpo_study_errmsg(study));
        hpo_space_free(space);
        return CLI_EXIT_REFUSED(rc);
    }
    if (rc == HPO_OK && s->space_json)
        rc = hpo_study_set_space(study, space);
    if (rc == HPO_OK && f->have_seed)
        rc = hpo_study_set_seed(study, f->seed);
    if (rc == HPO_OK)
        rc = hpo_study_open(study, f->study_name, HPO_OPEN_LOAD);
    hpo_space_free(space);
    if (rc == HPO_OK)
        return 0;
    cli_error(cmd, "--study '%s': %s", f->study_name,
              rc == HPO_ENOMEM && !space ? "out of memory"
                                         : hpo_study_errmsg(study));
    return CLI_EXIT_FAILED;
}

int ask_open_study(const char *cmd, const ask_flags *f, int need_space,
                   hpo_storage **storage, hpo_study **study)
{
    hpo_study *probe = NULL;
    stored s = {0};
    *study = NULL;
    int rc = cli_open_study(cmd, f->storage_url, f->study_name, storage, &probe);
    if (rc == CLI_EXIT_OK)
        rc = settle_and_read(cmd, probe, f, &s);
    hpo_study_free(probe);
    if (rc == CLI_EXIT_OK && need_space && !s.space_json) {
        cli_error(cmd, "study '%s' has no stored search space: give it with "
                  "--param NAME=SPEC or --space FILE (once: later asks use "
                  "the stored one)", f->study_name);
        rc = CLI_EXIT_USAGE;
    }
    if (rc == CLI_EXIT_OK && !(*study = hpo_study_new())) {
        cli_error(cmd, "out of memory");
        rc = CLI_EXIT_FAILED;
    }
    if (rc == CLI_EXIT_OK) {
        hpo_study_set_storage(*study, *storage);
        rc = configure(cmd, f, &s, *study);
    }
    stored_free(&s);
    return rc;
}
