/*
 * cmaes_json.c — the CMA-ES state (cmaes_core.h; N. Hansen, "The CMA
 * Evolution Strategy: A Tutorial", arXiv:1604.00772) as readable JSON, so
 * a study's distribution can live in storage and be read by any worker:
 *
 *   {"format": "hpo-cmaes", "version": 1, "n": 2, "lambda": 6,
 *    "separable": false, "generation": 3, "evaluations": 18,
 *    "sigma": 0.21, "sigma0": 0.3, "tol_fun": 1e-12, "tol_x": 3e-13,
 *    "mean": [..], "cov": [[..], [..]],
 *    "p_sigma": [..], "p_c": [..], "eigen_generation": 3,
 *    "eigen_sqrt": [..], "eigenvectors": [[..], [..]],
 *    "margin_scale": [..], "pending": true, "candidates": [[..], ..],
 *    "samples": [[..], ..], "last_spread": 0.5,
 *    "best_history": [..], "median_history": [..],
 *    "restart": {"mode": "ipop", "lambda_default": 6, "sigma_default": 0.3,
 *                "restarts": 0, "large_runs": 0, "evals_large": 0,
 *                "evals_small": 0, "small": false},
 *    "lr_adapt": true, "lra": {"eta_mean": 0.8, "eta_cov": 0.3,
 *                "v_mean": 0.2, "v_cov": 0.1, "e_mean": [..], "e_cov": [[..], ..]},
 *    "popsize_adapt": true, "psa": {"lambda_r": 11.3, "gamma_theta": 0.9,
 *                "gamma_s": 0.9, "gamma_c": 0.5, "p_theta": [..]}}
 *
 * "cov" is C by rows (its diagonal alone when separable); "eigenvectors"
 * holds B's columns, the principal axes (absent when separable).
 * "candidates" are the pending generation's points to evaluate, "samples"
 * the points its update learns from (they differ only where the margin's
 * scale "margin_scale" is not 1).  "lra" is the learning-rate adaptation's
 * state (cmaes_lra.c), there when "lr_adapt" is true; a state without
 * "lr_adapt" (written before it existed) reads as false.  "psa" is the
 * population size adaptation's (cmaes_psa.c; "p_theta" the mean's n then
 * the covariance's n*n, or n when separable), the same way with
 * "popsize_adapt"; "lambda" is then the next generation's.  The
 * strategy parameters follow from n, lambda and separable and are not
 * stored.  Numbers are written to read back as the same doubles, so a
 * state read back draws the same generation from the same draws.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmaes_core.h"
#include "core/json.h"

static const char *const mode_names[] = {"none", "ipop", "bipop"};

/* v[0..len) as a JSON array appended at p, each number with 17 digits,
 * which always read back exactly (hpo__format_exact: no snprintf, where
 * the shortest text costs up to three snprintf and strtod pairs); the end
 * of the text.  Every value of a valid state is finite (its reader
 * refuses others); the others are written as hpo__json_number writes
 * them. */
static char *put_array(char *p, const double *v, int len)
{
    *p++ = '[';
    for (int i = 0; i < len; i++) {
        if (i)
            *p++ = ',';
        if (isfinite(v[i]))
            hpo__format_exact(p, 32, v[i]);
        else
            strcpy(p, isnan(v[i]) ? "NaN" : v[i] > 0 ? "Infinity" : "-Infinity");
        p += strlen(p);
    }
    *p++ = ']';
    *p = '\0';
    return p;
}

/* An array of len numbers (flat) or of rows such arrays (row r at
 * v + r*len) as one raw node: a state of n = 10 has ~500 numbers and its
 * history up to 4,000 more, written every generation, and a node per
 * number cost more than printing them. */
static cJSON *numbers(const double *v, int rows, int len, int flat)
{
    size_t cap = (size_t)rows * ((size_t)len * 26 + 3) + 40;
    char *buf = malloc(cap), *p = buf;
    if (!buf)
        return NULL;
    if (flat) {
        put_array(p, v, len);
    } else {
        *p++ = '[';
        for (int r = 0; r < rows; r++) {
            if (r)
                *p++ = ',';
            p = put_array(p, v + (size_t)r * len, len);
        }
        strcpy(p, "]");
    }
    cJSON *a = cJSON_CreateRaw(buf);
    free(buf);
    return a;
}

static cJSON *vec(const double *v, int len)
{
    return numbers(v, 1, len, 1);
}

/* rows of len doubles each, row r at v + r*len */
static cJSON *mat(const double *v, int rows, int len)
{
    return numbers(v, rows, len, 0);
}

static cJSON *restart_json(const hpo__cmaes_restarts *rs)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o
        && hpo__json_put(o, "mode", cJSON_CreateString(mode_names[rs->mode]))
        && hpo__json_put(o, "lambda_default", cJSON_CreateNumber(rs->lambda_default))
        && hpo__json_put(o, "sigma_default", hpo__json_number(rs->sigma_default, 0))
        && hpo__json_put(o, "restarts", cJSON_CreateNumber(rs->restarts))
        && hpo__json_put(o, "large_runs", cJSON_CreateNumber(rs->large_runs))
        && hpo__json_put(o, "evals_large", cJSON_CreateNumber((double)rs->evals_large))
        && hpo__json_put(o, "evals_small", cJSON_CreateNumber((double)rs->evals_small))
        && hpo__json_put(o, "small", cJSON_CreateBool(rs->small));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *lra_json(const hpo__cmaes *es)
{
    const hpo__cmaes_lra *l = &es->lra;
    int n = es->n;
    cJSON *o = cJSON_CreateObject();
    int ok = o
        && hpo__json_put(o, "eta_mean", hpo__json_number(l->eta_mean, 0))
        && hpo__json_put(o, "eta_cov", hpo__json_number(l->eta_cov, 0))
        && hpo__json_put(o, "v_mean", hpo__json_number(l->v_mean, 0))
        && hpo__json_put(o, "v_cov", hpo__json_number(l->v_cov, 0))
        && hpo__json_put(o, "e_mean", vec(l->e_mean, n))
        && hpo__json_put(o, "e_cov", es->separable ? vec(l->e_cov, n)
                                                   : mat(l->e_cov, n, n));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *psa_json(const hpo__cmaes *es)
{
    const hpo__cmaes_psa *p = &es->psa;
    int n = es->n;
    cJSON *o = cJSON_CreateObject();
    int ok = o
        && hpo__json_put(o, "lambda_r", hpo__json_number(p->lambda_r, 0))
        && hpo__json_put(o, "gamma_theta", hpo__json_number(p->gamma_theta, 0))
        && hpo__json_put(o, "gamma_s", hpo__json_number(p->gamma_s, 0))
        && hpo__json_put(o, "gamma_c", hpo__json_number(p->gamma_c, 0))
        && hpo__json_put(o, "p_theta", vec(p->p_theta, es->separable ? 2 * n : n + n * n));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *hpo__cmaes_to_json(const hpo__cmaes *es)
{
    int n = es->n, sep = es->separable;
    cJSON *o = cJSON_CreateObject();
    int ok = o
        && hpo__json_put(o, "format", cJSON_CreateString("hpo-cmaes"))
        && hpo__json_put(o, "version", cJSON_CreateNumber(1))
        && hpo__json_put(o, "n", cJSON_CreateNumber(n))
        && hpo__json_put(o, "lambda", cJSON_CreateNumber(es->lambda))
        && hpo__json_put(o, "separable", cJSON_CreateBool(sep))
        && hpo__json_put(o, "generation", cJSON_CreateNumber((double)es->generation))
        && hpo__json_put(o, "evaluations", cJSON_CreateNumber((double)es->evaluations))
        && hpo__json_put(o, "sigma", hpo__json_number(es->sigma, 0))
        && hpo__json_put(o, "sigma0", hpo__json_number(es->sigma0, 0))
        && hpo__json_put(o, "tol_fun", hpo__json_number(es->tol_fun, 0))
        && hpo__json_put(o, "tol_x", hpo__json_number(es->tol_x, 0))
        && hpo__json_put(o, "mean", vec(es->mean, n))
        && hpo__json_put(o, "cov", sep ? vec(es->C, n) : mat(es->C, n, n))
        && hpo__json_put(o, "p_sigma", vec(es->ps, n))
        && hpo__json_put(o, "p_c", vec(es->pc, n))
        && hpo__json_put(o, "eigen_generation", cJSON_CreateNumber((double)es->eigen_generation))
        && hpo__json_put(o, "eigen_sqrt", vec(es->D, n))
        && (sep || hpo__json_put(o, "eigenvectors", mat(es->B, n, n)))
        && hpo__json_put(o, "pending", cJSON_CreateBool(es->pending))
        && hpo__json_put(o, "margin_scale", vec(es->A, n))
        && (!es->pending || hpo__json_put(o, "candidates", mat(es->x, es->lambda, n)))
        && (!es->pending || hpo__json_put(o, "samples", mat(es->xr, es->lambda, n)))
        && hpo__json_put(o, "last_spread", isfinite(es->last_spread)
                                               ? hpo__json_number(es->last_spread, 0)
                                               : cJSON_CreateNull())
        && hpo__json_put(o, "best_history", vec(es->best_hist, es->hist_len))
        && hpo__json_put(o, "median_history", vec(es->median_hist, es->hist_len))
        && hpo__json_put(o, "restart", restart_json(&es->rs))
        && hpo__json_put(o, "lr_adapt", cJSON_CreateBool(es->lra.on))
        && (!es->lra.on || hpo__json_put(o, "lra", lra_json(es)))
        && hpo__json_put(o, "popsize_adapt", cJSON_CreateBool(es->psa.on))
        && (!es->psa.on || hpo__json_put(o, "psa", psa_json(es)));
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

/* ---- reading ---- */

typedef struct reader {
    const cJSON *root;
    hpo__msg *m;
    int rc;
} reader;

static int bad(reader *r, const char *key, const char *what)
{
    if (r->rc == HPO_OK)
        r->rc = hpo__fail(r->m, HPO_EINVAL, "cmaes state: \"%s\" %s", key, what);
    return 0;
}

static double num(reader *r, const cJSON *o, const char *key, double lo, double hi)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(it) || !(it->valuedouble >= lo && it->valuedouble <= hi))
        return bad(r, key, "is missing or out of range");
    return it->valuedouble;
}

static long whole(reader *r, const cJSON *o, const char *key, double hi)
{
    double v = num(r, o, key, 0, hi);
    if (v != floor(v))
        return bad(r, key, "is not a whole number");
    return (long)v;
}

static int flag(reader *r, const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsBool(it))
        return bad(r, key, "is missing or not true/false");
    return cJSON_IsTrue(it);
}

/* An array of len finite numbers into out (out may be NULL to only check). */
static int read_vec(reader *r, const cJSON *a, const char *key, double *out, int len)
{
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != len)
        return bad(r, key, "is missing or of the wrong length");
    int i = 0;
    for (const cJSON *it = a->child; it; it = it->next, i++) {
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
            return bad(r, key, "holds a value that is not a finite number");
        out[i] = it->valuedouble;
    }
    return 1;
}

static int read_mat(reader *r, const cJSON *a, const char *key, double *out, int rows, int len)
{
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != rows)
        return bad(r, key, "is missing or of the wrong shape");
    int k = 0;
    for (const cJSON *it = a->child; it; it = it->next, k++)
        if (!read_vec(r, it, key, out + (size_t)k * len, len))
            return 0;
    return 1;
}

static void read_restart(reader *r, const cJSON *o, hpo__cmaes_restarts *rs)
{
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(o, "mode");
    int found = 0;
    for (int i = 0; cJSON_IsString(mode) && i < 3; i++)
        if (!strcmp(mode->valuestring, mode_names[i])) {
            rs->mode = (hpo__cmaes_restart_mode)i;
            found = 1;
        }
    if (!found)
        bad(r, "mode", "is not none, ipop or bipop");
    rs->lambda_default = (int)whole(r, o, "lambda_default", 1e6);
    rs->sigma_default = num(r, o, "sigma_default", 1e-300, 1e300);
    rs->restarts = (int)whole(r, o, "restarts", 1e9);
    rs->large_runs = (int)whole(r, o, "large_runs", 60);
    rs->evals_large = whole(r, o, "evals_large", 1e15);
    rs->evals_small = whole(r, o, "evals_small", 1e15);
    rs->small = flag(r, o, "small");
}

/* The histories, of the same length; a longer one than the stagnation
 * window (a state written before the window was capped at 2,000) keeps
 * its latest window, which is all the tests read. */
static int read_history(reader *r, hpo__cmaes *es)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(r->root, "best_history");
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(r->root, "median_history");
    int len = cJSON_IsArray(b) ? cJSON_GetArraySize(b) : 0;
    if (len == 0)
        return cJSON_IsArray(b) ? 1 : bad(r, "best_history", "is missing");
    es->best_hist = malloc((size_t)len * sizeof(double));
    es->median_hist = malloc((size_t)len * sizeof(double));
    if (!es->best_hist || !es->median_hist) {
        r->rc = hpo__oom(r->m);
        return 0;
    }
    if (!read_vec(r, b, "best_history", es->best_hist, len)
        || !read_vec(r, md, "median_history", es->median_hist, len))
        return 0;
    int keep = hpo__cmaes_stag_window(es);
    if (len > keep) {
        memmove(es->best_hist, es->best_hist + len - keep, (size_t)keep * sizeof(double));
        memmove(es->median_hist, es->median_hist + len - keep, (size_t)keep * sizeof(double));
        len = keep;
    }
    es->hist_len = es->hist_cap = len;
    return 1;
}

/* "lr_adapt" and "lra": absent in a state written before them, which
 * reads as off. */
static void read_lra(reader *r, hpo__cmaes *es)
{
    hpo__cmaes_lra *l = &es->lra;
    int n = es->n;
    hpo__cmaes_lra_reset(es);
    if (!cJSON_GetObjectItemCaseSensitive(r->root, "lr_adapt"))
        return;
    l->on = flag(r, r->root, "lr_adapt");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->root, "lra");
    if (r->rc != HPO_OK || !l->on)
        return;
    if (!cJSON_IsObject(o)) {
        bad(r, "lra", "is missing while lr_adapt is true");
        return;
    }
    l->eta_mean = num(r, o, "eta_mean", 1e-300, 1);
    l->eta_cov = num(r, o, "eta_cov", 1e-300, 1);
    l->v_mean = num(r, o, "v_mean", 0, 1e300);
    l->v_cov = num(r, o, "v_cov", 0, 1e300);
    const cJSON *em = cJSON_GetObjectItemCaseSensitive(o, "e_mean");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(o, "e_cov");
    if (r->rc == HPO_OK)
        (void)(read_vec(r, em, "e_mean", l->e_mean, n)
               && (es->separable ? read_vec(r, ec, "e_cov", l->e_cov, n)
                                 : read_mat(r, ec, "e_cov", l->e_cov, n, n)));
}

/* "popsize_adapt" and "psa": absent in a state written before them,
 * which reads as off. */
static void read_psa(reader *r, hpo__cmaes *es)
{
    hpo__cmaes_psa *p = &es->psa;
    int n = es->n;
    hpo__cmaes_psa_reset(es);
    if (!cJSON_GetObjectItemCaseSensitive(r->root, "popsize_adapt"))
        return;
    p->on = flag(r, r->root, "popsize_adapt");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->root, "psa");
    if (r->rc != HPO_OK || !p->on)
        return;
    if (!cJSON_IsObject(o)) {
        bad(r, "psa", "is missing while popsize_adapt is true");
        return;
    }
    p->lambda_r = num(r, o, "lambda_r", 2, 1e6);
    p->gamma_theta = num(r, o, "gamma_theta", 0, 1e300);
    p->gamma_s = num(r, o, "gamma_s", 0, 1e300);
    p->gamma_c = num(r, o, "gamma_c", 0, 1e300);
    if (r->rc == HPO_OK)
        (void)read_vec(r, cJSON_GetObjectItemCaseSensitive(o, "p_theta"), "p_theta",
                       p->p_theta, es->separable ? 2 * n : n + n * n);
}

static const cJSON *get(const reader *r, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(r->root, key);
}

static void read_body(reader *r, hpo__cmaes *es)
{
    int n = es->n, sep = es->separable;
    es->generation = whole(r, r->root, "generation", 1e15);
    es->evaluations = whole(r, r->root, "evaluations", 1e15);
    es->sigma = num(r, r->root, "sigma", 1e-300, 1e300);
    es->sigma0 = num(r, r->root, "sigma0", 1e-300, 1e300);
    es->tol_fun = num(r, r->root, "tol_fun", 0, 1e300);
    es->tol_x = num(r, r->root, "tol_x", 0, 1e300);
    es->eigen_generation = whole(r, r->root, "eigen_generation", 1e15);
    es->pending = flag(r, r->root, "pending");
    const cJSON *spread = get(r, "last_spread");
    es->last_spread = cJSON_IsNumber(spread) ? spread->valuedouble : HUGE_VAL;
    if (r->rc == HPO_OK)
        (void)(read_vec(r, get(r, "mean"), "mean", es->mean, n)
            && (sep ? read_vec(r, get(r, "cov"), "cov", es->C, n)
                    : read_mat(r, get(r, "cov"), "cov", es->C, n, n))
            && read_vec(r, get(r, "p_sigma"), "p_sigma", es->ps, n)
            && read_vec(r, get(r, "p_c"), "p_c", es->pc, n)
            && read_vec(r, get(r, "eigen_sqrt"), "eigen_sqrt", es->D, n)
            && (sep || read_mat(r, get(r, "eigenvectors"), "eigenvectors", es->B, n, n))
            && read_vec(r, get(r, "margin_scale"), "margin_scale", es->A, n)
            && (!es->pending
                || (read_mat(r, get(r, "candidates"), "candidates", es->x, es->lambda, n)
                    && read_mat(r, get(r, "samples"), "samples", es->xr, es->lambda, n)))
            && read_history(r, es));
    for (int i = 0; r->rc == HPO_OK && i < n; i++)
        if (!(es->D[i] > 0) || !(es->A[i] > 0) || !(es->mean[i] >= 0 && es->mean[i] <= 1)
            || !((sep ? es->C[i] : es->C[(size_t)i * n + i]) > 0))
            bad(r, "mean", "or the covariance, eigen_sqrt or margin_scale is not a valid distribution");
    const cJSON *rs = get(r, "restart");
    if (r->rc == HPO_OK && !cJSON_IsObject(rs))
        bad(r, "restart", "is missing");
    else if (r->rc == HPO_OK)
        read_restart(r, rs, &es->rs);
    if (r->rc == HPO_OK)
        read_lra(r, es);
    if (r->rc == HPO_OK)
        read_psa(r, es);
}

int hpo__cmaes_from_json(hpo__cmaes *es, const char *json, hpo__msg *m)
{
    cJSON *root = NULL;
    memset(es, 0, sizeof *es);
    int rc = hpo__json_parse(json, "cmaes state", &root, m);
    if (rc == HPO_OK)
        rc = hpo__cmaes_from_object(es, root, m);
    cJSON_Delete(root);
    return rc;
}

int hpo__cmaes_from_object(hpo__cmaes *es, const cJSON *root, hpo__msg *m)
{
    memset(es, 0, sizeof *es);
    reader r = {root, m, HPO_OK};
    const cJSON *fmt = get(&r, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "hpo-cmaes") != 0)
        bad(&r, "format", "is not \"hpo-cmaes\" (a state of another sampler?)");
    else if (whole(&r, root, "version", 1e9) != 1 && r.rc == HPO_OK)
        bad(&r, "version", "is not 1");
    es->n = (int)whole(&r, root, "n", 1e5);
    es->lambda = (int)whole(&r, root, "lambda", 1e6);
    es->separable = flag(&r, root, "separable");
    if (r.rc == HPO_OK && (es->n < 1 || es->lambda < 2))
        bad(&r, "n", "or \"lambda\" is too small");
    if (r.rc == HPO_OK)
        r.rc = hpo__cmaes_alloc(es, m);
    if (r.rc == HPO_OK)
        read_body(&r, es);
    if (r.rc != HPO_OK)
        hpo__cmaes_free_run(es);
    return r.rc;
}
