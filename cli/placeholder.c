/*
 * placeholder.c — expanding `{name}` in command arguments (placeholder.h).
 */
#include "placeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "core/hpoconf.h" /* HPO_MAX_NAME */
#include "strbuf.h"

static int is_word(const char *name, size_t len, const char *word)
{
    return strlen(word) == len && strncmp(name, word, len) == 0;
}

/* Is the placeholder text [name, name+len) a parameter, "trial", "seed"
 * or one of the extra names? */
static int known_name(const char *name, size_t len, const hpo_space *space,
                      const char *const *extra)
{
    if (is_word(name, len, "trial") || is_word(name, len, "seed"))
        return 1;
    for (int i = 0; extra && extra[i]; i++)
        if (is_word(name, len, extra[i]))
            return 1;
    for (int i = 0; i < hpo_space_size(space); i++) {
        const char *p = hpo_space_name(space, i);
        if (strlen(p) == len && strncmp(p, name, len) == 0)
            return 1;
    }
    return 0;
}

int placeholder_check(const char *text, const hpo_space *space, char *err,
                      size_t size)
{
    return placeholder_check_names(text, space, NULL, err, size);
}

int placeholder_check_instance(const char *text, const hpo_space *space,
                               char *err, size_t size)
{
    static const char *const instance[] = {"instance", NULL};
    return placeholder_check_names(text, space, instance, err, size);
}

/* What a placeholder may be, for a message: "{trial} or {seed}", or with
 * the extra names "{trial}, {seed}, {instance}". */
static void known_list(const char *const *extra, char *out, size_t size)
{
    if (!extra || !extra[0]) {
        snprintf(out, size, "{trial} or {seed}");
        return;
    }
    size_t used = (size_t)snprintf(out, size, "{trial}, {seed}");
    for (int i = 0; extra[i] && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, ", {%s}", extra[i]);
}

int placeholder_check_names(const char *text, const hpo_space *space,
                            const char *const *extra, char *err, size_t size)
{
    for (const char *s = text; *s; s++) {
        if (s[0] == '{' && s[1] == '{') {
            s++;
            continue;
        }
        if (s[0] == '}') {
            if (s[1] == '}')
                s++;
            continue;
        }
        if (s[0] != '{')
            continue;
        const char *close = strchr(s + 1, '}');
        if (!close) {
            snprintf(err, size, "'{' without its '}' (write {{ for a "
                     "literal brace)");
            return -1;
        }
        size_t len = (size_t)(close - s - 1);
        if (!known_name(s + 1, len, space, extra)) {
            char known[160];
            known_list(extra, known, sizeof known);
            snprintf(err, size, "unknown placeholder '{%.*s}' (a parameter "
                     "name, %s; write {{ and }} for literal braces)",
                     (int)(len > 100 ? 100 : len), s + 1, known);
            return -1;
        }
        s = close;
    }
    return 0;
}

/* The trial's parameter called name[0..len), looked up by the trial's
 * index (a linear search made a command of N placeholders cost N^2). */
static int param_index(const hpo_trial *trial, const char *name, size_t len)
{
    char small[HPO_MAX_NAME * 4 + 1]; /* the longest name, in UTF-8 */
    if (len >= sizeof small)
        return -1; /* longer than any name */
    memcpy(small, name, len);
    small[len] = '\0';
    return hpo_trial_param_index(trial, small);
}

/* An extra name (placeholder_check_names): the trial's user attribute of
 * that name when it is a JSON string, unquoted; else nothing. */
static void put_attr(strbuf *b, const char *name, size_t len,
                     const hpo_trial *trial)
{
    char key[HPO_MAX_NAME * 4 + 1];
    if (len >= sizeof key)
        return;
    memcpy(key, name, len);
    key[len] = '\0';
    const char *json = hpo_trial_user_attr(trial, key);
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    if (cJSON_IsString(v))
        strbuf_put(b, v->valuestring, strlen(v->valuestring));
    cJSON_Delete(v);
}

static void put_value(strbuf *b, const char *name, size_t len,
                      const hpo_trial *trial, uint32_t seed,
                      const char *instance)
{
    int i = param_index(trial, name, len);
    if (i >= 0) {
        const char *v = hpo_trial_param_text(trial, i);
        if (v)
            strbuf_put(b, v, strlen(v));
        else
            b->failed = 1; /* out of memory: no command at all */
        return;
    }
    if (len == 5 && strncmp(name, "trial", 5) == 0) {
        char num[24];
        int n = snprintf(num, sizeof num, "%d", hpo_trial_number(trial));
        strbuf_put(b, num, (size_t)n);
    }
    if (len == 4 && strncmp(name, "seed", 4) == 0) {
        char num[24];
        int n = snprintf(num, sizeof num, "%u", (unsigned)seed);
        strbuf_put(b, num, (size_t)n);
        return;
    }
    if (instance && is_word(name, len, "instance")) {
        strbuf_put(b, instance, strlen(instance));
        return;
    }
    put_attr(b, name, len, trial);
    /* An inactive parameter expands to nothing. */
}

char *placeholder_expand_instance(const char *text, const hpo_trial *trial,
                                  uint32_t seed, const char *instance)
{
    strbuf b = {0};
    for (const char *s = text; *s; s++) {
        if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
            strbuf_put(&b, s, 1);
            s++;
        } else if (s[0] == '{' && strchr(s + 1, '}')) {
            const char *close = strchr(s + 1, '}');
            put_value(&b, s + 1, (size_t)(close - s - 1), trial, seed,
                      instance);
            s = close;
        } else {
            strbuf_put(&b, s, 1);
        }
    }
    return strbuf_take(&b);
}

char *placeholder_expand(const char *text, const hpo_trial *trial,
                         uint32_t seed)
{
    return placeholder_expand_instance(text, trial, seed, NULL);
}
