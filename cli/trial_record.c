/*
 * trial_record.c — a finished trial as one line (see trial_record.h).
 */
#define _GNU_SOURCE 1 /* open_memstream */
#include "trial_record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jsontext.h"
#include "progress.h"

/* Writing into a memory stream only fails when memory runs out, which
 * fclose reports. */
static void put_params(FILE *f, const hpo_trial *t)
{
    int n = hpo_trial_n_params(t);
    fputc('{', f);
    for (int i = 0; i < n; i++) {
        char *name = json_quote(hpo_trial_param_name(t, i));
        const char *text = hpo_trial_param_text(t, i);
        char *value = hpo_trial_param_kind(t, i) == HPO_PARAM_CATEGORICAL
                          ? json_quote(text) : NULL;
        fprintf(f, "%s%s: %s", i ? ", " : "", name ? name : "\"?\"",
                value ? value : text ? text : "null");
        free(name);
        free(value);
    }
    fputc('}', f);
}

char *trial_params_json(const hpo_trial *t)
{
    char *text = NULL;
    size_t size;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    put_params(f, t);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void put_values(FILE *f, const hpo_trial *t, double best,
                       int best_number)
{
    int n = hpo_trial_n_values(t);
    if (n == 1) {
        fprintf(f, " value=%.6g", hpo_trial_value(t, 0));
        if (best_number >= 0)
            fprintf(f, " (best %.6g at trial %d)", best, best_number);
        return;
    }
    fputs(" values=[", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%.6g", i ? ", " : "", hpo_trial_value(t, i));
    fputc(']', f);
}

/* " at step S (value V)": the last intermediate value a pruned trial
 * reported, where the pruner stopped it. */
static void put_last_step(FILE *f, const hpo_trial *t)
{
    int n = hpo_trial_n_intermediate(t);
    if (n <= 0)
        return;
    int64_t step;
    double value;
    hpo_trial_intermediate(t, n - 1, &step, &value);
    fprintf(f, " at step %lld (value %.6g)", (long long)step, value);
}

static void put_duration(FILE *f, const hpo_trial *t)
{
    double s = hpo_trial_end_time(t) - hpo_trial_start_time(t);
    if (isnan(s))
        return;
    if (s < 60) {
        fprintf(f, " %.2fs", s < 0 ? 0 : s);
    } else {
        char text[32];
        progress_format_duration(text, sizeof text, s);
        fprintf(f, " %s", text);
    }
}

char *trial_record(const hpo_trial *t, double best, int best_number)
{
    char *text = NULL;
    size_t size;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    hpo_trial_state state = hpo_trial_state_of(t);
    fprintf(f, "trial %d %s", hpo_trial_number(t), hpo_state_name(state));
    if (state == HPO_COMPLETE)
        put_values(f, t, best, best_number);
    else if (state == HPO_PRUNED_STATE)
        put_last_step(f, t);
    fputs(" params ", f);
    put_params(f, t);
    put_duration(f, t);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
