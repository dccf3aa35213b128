/*
 * report_data.c — a study as the report's JSON document (report_data.h).
 *
 * Written straight to the stream, trial by trial: a 100,000-trial study
 * is ~15 MB of JSON and a cJSON tree of it would cost more time and
 * memory than the whole report may take (docs/benchmarks.md).
 */
#include "report_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_emit.h"
#include "report_rank.h"
#include "core/internal.h" /* hpo__value_index */

/* The parameters of the study, in the order they first appear. */
typedef struct params {
    int n;
    const char **names;        /* borrowed from the trials */
    char **dists;              /* Optuna's distribution JSON, first seen */
    unsigned char *categorical;
} params;

static void params_free(params *ps)
{
    for (int k = 0; k < ps->n; k++)
        free(ps->dists[k]);
    free(ps->names);
    free(ps->dists);
    free(ps->categorical);
}

static int params_add(params *ps, const hpo_trial *t, int i)
{
    size_t m = (size_t)ps->n + 1;
    const char **names = realloc(ps->names, sizeof *names * m);
    if (names)
        ps->names = names;
    char **dists = realloc(ps->dists, sizeof *dists * m);
    if (dists)
        ps->dists = dists;
    unsigned char *cat = realloc(ps->categorical, m);
    if (cat)
        ps->categorical = cat;
    /* The distribution's text is the trial's until its next call. */
    const char *d = hpo_trial_param_distribution(t, i);
    char *dist = names && dists && cat ? strdup(d ? d : "null") : NULL;
    if (!dist)
        return -1;
    ps->names[ps->n] = hpo_trial_param_name(t, i);
    ps->dists[ps->n] = dist;
    ps->categorical[ps->n] = hpo_trial_param_kind(t, i) == HPO_PARAM_CATEGORICAL;
    ps->n++;
    return 0;
}

static int params_known(const params *ps, const char *name)
{
    for (int k = 0; k < ps->n; k++)
        if (strcmp(ps->names[k], name) == 0)
            return 1;
    return 0;
}

/* A trial whose parameters are all known (the usual case) costs one
 * constant-time look-up per known parameter. */
static int params_collect(params *ps, hpo_trial **trials, int n)
{
    for (int i = 0; i < n; i++) {
        const hpo_trial *t = trials[i];
        int have = 0;
        for (int k = 0; k < ps->n; k++)
            have += hpo_trial_param_index(t, ps->names[k]) >= 0;
        if (have == hpo_trial_n_params(t))
            continue;
        for (int p = 0; p < hpo_trial_n_params(t); p++)
            if (!params_known(ps, hpo_trial_param_name(t, p)) &&
                params_add(ps, t, p) != 0)
                return -1;
    }
    return 0;
}

void report_pick(const double *score, int n, int max, unsigned char *keep)
{
    if (n <= 0)
        return;
    if (max <= 0 || n <= max) {
        memset(keep, 1, (size_t)n);
        return;
    }
    memset(keep, 0, (size_t)n);
    int kept = 0;
    double best = INFINITY;
    for (int i = 0; i < n && kept < max; i++)
        if (score[i] < best) {
            best = score[i];
            keep[i] = 1;
            kept++;
        }
    /* Evenly spaced over the rest; the first and the last are kept. */
    int room = max - kept;
    for (int j = 0; j < room; j++) {
        int i = room > 1 ? (int)((double)j * (n - 1) / (room - 1)) : 0;
        while (i < n && keep[i])
            i++;
        if (i < n) {
            keep[i] = 1;
        }
    }
}

/* The first objective as a score to minimise; NaN unless COMPLETE. */
static double score_of(hpo_study *study, const hpo_trial *t)
{
    if (hpo_trial_state_of(t) != HPO_COMPLETE || hpo_trial_n_values(t) < 1)
        return NAN;
    double v = hpo_trial_value(t, 0);
    return hpo_study_direction(study, 0) == HPO_MAXIMIZE ? -v : v;
}

static double last_intermediate(hpo_study *study, const hpo_trial *t)
{
    int64_t step;
    double v;
    hpo_trial_intermediate(t, hpo_trial_n_intermediate(t) - 1, &step, &v);
    return hpo_study_direction(study, 0) == HPO_MAXIMIZE ? -v : v;
}

/* Which trials go in (keep) and which of those keep their intermediate
 * values (curve).  *n_curves_total: trials that have any. */
static int choose(hpo_study *study, hpo_trial **trials, int n,
                  const report_data_opts *o, unsigned char *keep,
                  unsigned char *curve, int *n_curves_total)
{
    *n_curves_total = 0;
    if (n <= 0)
        return 0;
    double *score = calloc((size_t)n, sizeof *score);
    int *at = calloc((size_t)n, sizeof *at);
    if (!score || !at) {
        free(score);
        free(at);
        return -1;
    }
    for (int i = 0; i < n; i++)
        score[i] = score_of(study, trials[i]);
    report_pick(score, n, o->max_trials, keep);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (keep[i] && hpo_trial_n_intermediate(trials[i]) > 0) {
            at[m] = i;
            score[m++] = last_intermediate(study, trials[i]);
        }
    unsigned char *tmp = malloc((size_t)(m > 0 ? m : 1));
    if (tmp) {
        report_pick(score, m, o->max_curves, tmp);
        memset(curve, 0, (size_t)n);
        for (int j = 0; j < m; j++)
            curve[at[j]] = tmp[j];
    }
    *n_curves_total = m;
    int rc = tmp ? 0 : -1;
    free(tmp);
    free(score);
    free(at);
    return rc;
}

static void write_intermediate(FILE *out, const hpo_trial *t, int max_steps)
{
    int m = hpo_trial_n_intermediate(t);
    int keep = max_steps > 0 && m > max_steps ? max_steps : m;
    fputs(",\"iv\":[", out);
    for (int j = 0; j < keep; j++) {
        /* An even sample that ends on the last step reported. */
        int i = keep > 1 ? (int)((double)j * (m - 1) / (keep - 1)) : m - 1;
        int64_t step;
        double v;
        hpo_trial_intermediate(t, i, &step, &v);
        fputs(j ? ",[" : "[", out);
        emit_int(out, (long long)step);
        putc(',', out);
        emit_number(out, v);
        putc(']', out);
    }
    putc(']', out);
}

/* The trial's worker, when something stored says: a user or system
 * attribute "worker" or "hostname". */
static const char *worker_of(const hpo_trial *t)
{
    const char *keys[] = {"worker", "hostname"};
    for (int k = 0; k < 2; k++) {
        const char *w = hpo_trial_user_attr(t, keys[k]);
        if (!w)
            w = hpo_trial_system_attr(t, keys[k]);
        if (w)
            return w;
    }
    return NULL;
}

static void write_user_attrs(FILE *out, const hpo_trial *t)
{
    const char *json, *key = hpo_trial_user_attr_at(t, 0, &json);
    if (!key)
        return;
    fputs(",\"ua\":{", out);
    for (int i = 0; key; key = hpo_trial_user_attr_at(t, ++i, &json)) {
        if (i)
            putc(',', out);
        emit_string(out, key);
        putc(':', out);
        emit_raw(out, json);
    }
    putc('}', out);
}

static void write_constraints(FILE *out, const hpo_trial *t)
{
    double c[HPO_MAX_CONSTRAINTS];
    int m = hpo_trial_constraints(t, c, HPO_MAX_CONSTRAINTS);
    if (m <= 0)
        return;
    fputs(",\"c\":[", out);
    for (int i = 0; i < m && i < HPO_MAX_CONSTRAINTS; i++) {
        if (i)
            putc(',', out);
        emit_number(out, c[i]);
    }
    putc(']', out);
}

static void write_trial(FILE *out, const hpo_trial *t, const params *ps,
                        int with_curve, int max_steps, double origin)
{
    fputs("{\"n\":", out);
    emit_int(out, hpo_trial_number(t));
    fputs(",\"s\":\"", out);
    fputs(hpo_state_name(hpo_trial_state_of(t)), out);
    fputs("\",\"v\":[", out);
    for (int i = 0; i < hpo_trial_n_values(t); i++) {
        if (i)
            putc(',', out);
        emit_number(out, hpo_trial_value(t, i));
    }
    fputs("],\"p\":[", out);
    for (int k = 0; k < ps->n; k++) {
        int at = hpo_trial_param_index(t, ps->names[k]);
        if (k)
            putc(',', out);
        emit_number(out, at >= 0 ? hpo_trial_param_value(t, at) : NAN);
    }
    fputs("],\"t\":[", out);
    emit_time(out, hpo_trial_start_time(t) - origin);
    putc(',', out);
    emit_time(out, hpo_trial_end_time(t) - origin);
    putc(']', out);
    if (with_curve && hpo_trial_n_intermediate(t) > 0)
        write_intermediate(out, t, max_steps);
    write_constraints(out, t);
    write_user_attrs(out, t);
    const char *w = worker_of(t);
    if (w) {
        fputs(",\"w\":", out);
        emit_raw(out, w);
    }
    const char *why = hpo_trial_user_attr(t, "fail_reason");
    if (!why)
        why = hpo_trial_system_attr(t, "fail_reason");
    if (why && hpo_trial_state_of(t) == HPO_FAIL) {
        fputs(",\"fail\":", out);
        emit_raw(out, why);
    }
    putc('}', out);
}

static void write_study(FILE *out, hpo_study *study)
{
    fputs("\"study\":{\"name\":", out);
    emit_string(out, hpo_study_name(study));
    fputs(",\"directions\":[", out);
    for (int i = 0; i < hpo_study_n_objectives(study); i++)
        fprintf(out, "%s\"%s\"", i ? "," : "",
                hpo_study_direction(study, i) == HPO_MAXIMIZE ? "maximize"
                                                              : "minimize");
    fputs("],\"attrs\":{", out);
    /* What the CLI keeps about how the study was run (its space, the
     * learner): shown in the report's header. */
    const char *keys[] = {"hpo:cli", "hpo:model"};
    int any = 0;
    for (int k = 0; k < 2; k++) {
        const char *v = hpo_study_system_attr(study, keys[k]);
        if (!v)
            continue;
        fprintf(out, "%s\"%s\":", any++ ? "," : "", keys[k]);
        emit_raw(out, v);
    }
    fputs("}}", out);
}

static void write_counts(FILE *out, hpo_trial **trials, int n)
{
    int counts[5] = {0};
    for (int i = 0; i < n; i++) {
        int s = (int)hpo_trial_state_of(trials[i]);
        if (s >= 0 && s < 5)
            counts[s]++;
    }
    fputs(",\"counts\":{", out);
    for (int s = 0; s < 5; s++)
        fprintf(out, "%s\"%s\":%d", s ? "," : "",
                hpo_state_name((hpo_trial_state)s), counts[s]);
    putc('}', out);
}

static void write_params(FILE *out, const params *ps)
{
    fputs(",\"params\":[", out);
    for (int k = 0; k < ps->n; k++) {
        fputs(k ? ",{\"name\":" : "{\"name\":", out);
        emit_string(out, ps->names[k]);
        fputs(",\"distribution\":", out);
        emit_raw(out, ps->dists[k]);
        putc('}', out);
    }
    putc(']', out);
}

static int by_value_desc(const void *a, const void *b)
{
    const hpo__value_index *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? 1 : -1;
    return x->index - y->index;
}

static void write_importance_of(FILE *out, const report_importance *imp)
{
    fputs(",\"importance\":{\"method\":", out);
    emit_string(out, imp->method);
    fputs(",\"values\":[", out);
    for (int k = 0; k < imp->n; k++) {
        fputs(k ? ",[" : "[", out);
        emit_string(out, imp->names[k]);
        putc(',', out);
        emit_number(out, imp->values[k]);
        putc(']', out);
    }
    fputs("]}", out);
}

/* The given importance, or the rank-correlation stand-in, most
 * important first. */
static int write_importance(FILE *out, hpo_trial **trials, int n,
                            const params *ps, const report_importance *given)
{
    if (given) {
        write_importance_of(out, given);
        return 0;
    }
    size_t m = (size_t)ps->n + 1;
    double *imp = malloc(sizeof *imp * m), *sorted = malloc(sizeof *sorted * m);
    hpo__value_index *order = malloc(sizeof *order * m);
    const char **names = malloc(sizeof *names * m);
    int rc = imp && sorted && order && names
                 ? report_rank_importance(trials, n, ps->names, ps->categorical,
                                          ps->n, imp)
                 : -1;
    if (rc == 0) {
        for (int k = 0; k < ps->n; k++)
            order[k] = (hpo__value_index){imp[k], k};
        qsort(order, (size_t)ps->n, sizeof *order, by_value_desc);
        for (int k = 0; k < ps->n; k++) {
            names[k] = ps->names[order[k].index];
            sorted[k] = order[k].value;
        }
        report_importance r = {REPORT_RANK_METHOD, ps->n, names, sorted};
        write_importance_of(out, &r);
    }
    free(imp);
    free(sorted);
    free(order);
    free(names);
    return rc;
}

/* Times are written from the first start on: 12.345, not 1796658121.123
 * (a seventh of a big document). */
static void write_trials(FILE *out, hpo_trial **trials, int n, const params *ps,
                         const unsigned char *keep, const unsigned char *curve,
                         int max_steps)
{
    int kept = 0, curves = 0;
    double origin = INFINITY;
    for (int i = 0; i < n; i++) {
        kept += keep[i];
        curves += curve[i];
        double t0 = hpo_trial_start_time(trials[i]);
        if (t0 < origin)
            origin = t0;
    }
    if (!isfinite(origin))
        origin = 0;
    fputs(",\"time_origin\":", out);
    emit_time(out, origin);
    fprintf(out, ",\"n_included\":%d,\"n_curves\":%d,\"trials\":[", kept,
            curves);
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        if (!first)
            fputs(",\n", out);
        first = 0;
        write_trial(out, trials[i], ps, curve[i], max_steps, origin);
    }
    putc(']', out);
}

int report_data_write(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                      const report_data_opts *o)
{
    params ps = {0};
    unsigned char *keep = malloc((size_t)(n > 0 ? n : 1));
    unsigned char *curve = malloc((size_t)(n > 0 ? n : 1));
    int n_curves_total = 0;
    int rc = keep && curve ? params_collect(&ps, trials, n) : -1;
    if (rc == 0)
        rc = choose(study, trials, n, o, keep, curve, &n_curves_total);
    if (rc == 0) {
        fprintf(out, "{\"format\":\"hpo-report\",\"version\":1,"
                     "\"hpo_version\":\"%s\",\"generated_at\":",
                hpo_version());
        emit_time(out, (double)time(NULL));
        putc(',', out);
        write_study(out, study);
        write_counts(out, trials, n);
        fprintf(out, ",\"n_trials\":%d,\"n_curves_total\":%d", n,
                n_curves_total);
        write_params(out, &ps);
        rc = write_importance(out, trials, n, &ps, o->importance);
        write_trials(out, trials, n, &ps, keep, curve, o->max_steps);
        fputs("}\n", out);
    }
    params_free(&ps);
    free(keep);
    free(curve);
    return rc;
}
