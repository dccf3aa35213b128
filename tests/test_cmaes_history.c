/* The CMA-ES history the termination tests read (cmaes_stop.c) stays
 * bounded: a long run keeps at most the capped stagnation window, so its
 * stored state stops growing; an old state with a longer history loads
 * (its latest window kept) and the tests still fire on it. */
#include <cJSON.h>

#include "check.h"
#include "samplers/cmaes_core.h"

#define CAP 2000 /* MAX_STAG_WINDOW in cmaes_stop.c */

/* Back to the first generation's distribution (random values make C
 * drift to a degenerate one over thousands of generations); the
 * generation count and the history stay. */
static void fresh_distribution(hpo__cmaes *es)
{
    int n = es->n;
    for (int i = 0; i < n; i++) {
        es->mean[i] = 0.5;
        es->ps[i] = es->pc[i] = 0;
        es->D[i] = 1;
        for (int j = 0; j < n; j++)
            es->C[i * n + j] = es->B[i * n + j] = i == j;
    }
    es->sigma = 0.3;
}

/* 12,000 generations of values that ignore x: the window alone would be
 * 120 + 30 n / lambda + 2,400 generations. */
static void test_long_run_bounded(void)
{
    hpo__cmaes es;
    hpo__rng rng;
    hpo__msg m = {0};
    hpo__rng_seed(&rng, 5);
    CHECK_RC(hpo__cmaes_init(&es, 2, NULL, 0.3, 0, 0, &m), HPO_OK);
    double f[64];
    size_t longest = 0;
    int failed = 0;
    for (int g = 0; g < 12000 && !failed; g++) {
        if (g % 100 == 0)
            fresh_distribution(&es);
        failed = hpo__cmaes_ask(&es, NULL, &rng, &m) != HPO_OK;
        for (int k = 0; k < es.lambda; k++)
            f[k] = hpo__rng_uniform(&rng);
        failed = failed || hpo__cmaes_tell(&es, f, &m) != HPO_OK;
        if (g % 1000 == 999) {
            char *text = hpo__cmaes_to_json(&es);
            size_t len = text ? strlen(text) : 0;
            longest = len > longest ? len : longest;
            free(text);
        }
    }
    CHECK(!failed);
    CHECK(es.generation == 12000);
    CHECK(es.hist_len == CAP);
    CHECK(hpo__cmaes_stag_window(&es) == CAP);
    /* two histories of CAP numbers of at most 24 characters, and the rest */
    CHECK(longest > 0 && longest < 2 * CAP * 25 + 4096);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
}

/* A fresh state's JSON with generation gen and histories of len values:
 * best[i] = b0 + db i, median[i] = best[i] + 1; last_spread spread. */
static char *old_state(long gen, int len, double b0, double db, double spread)
{
    hpo__cmaes es;
    hpo__msg m = {0};
    CHECK_RC(hpo__cmaes_init(&es, 3, NULL, 0.3, 0, 0, &m), HPO_OK);
    char *text = hpo__cmaes_to_json(&es);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
    cJSON *o = cJSON_Parse(text);
    free(text);
    double *b = malloc(sizeof(double) * (size_t)len);
    double *md = malloc(sizeof(double) * (size_t)len);
    for (int i = 0; i < len; i++) {
        b[i] = b0 + db * i;
        md[i] = b[i] + 1;
    }
    cJSON_ReplaceItemInObject(o, "generation", cJSON_CreateNumber((double)gen));
    cJSON_ReplaceItemInObject(o, "evaluations", cJSON_CreateNumber(7.0 * gen));
    cJSON_ReplaceItemInObject(o, "last_spread", cJSON_CreateNumber(spread));
    cJSON_ReplaceItemInObject(o, "best_history", cJSON_CreateDoubleArray(b, len));
    cJSON_ReplaceItemInObject(o, "median_history", cJSON_CreateDoubleArray(md, len));
    free(b);
    free(md);
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* Written before the cap: 20,000 generations of history, getting worse
 * (stalled): it loads with the latest CAP kept, and stagnation fires. */
static void test_old_long_history_stalled(void)
{
    char *text = old_state(100000, 20000, 1.0, 1.0, 5.0);
    hpo__cmaes es;
    hpo__msg m = {0};
    CHECK_RC(hpo__cmaes_from_json(&es, text, &m), HPO_OK);
    CHECK(es.hist_len == CAP);
    CHECK(es.best_hist[0] == 1.0 + 18000 && es.best_hist[CAP - 1] == 1.0 + 19999);
    CHECK(es.median_hist[CAP - 1] == 2.0 + 19999);
    CHECK(hpo__cmaes_stop(&es) == HPO__CMAES_STAGNATION);
    char *again = hpo__cmaes_to_json(&es);
    CHECK(again && strlen(again) < strlen(text) / 5);
    free(again);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
    free(text);
}

/* A long flat history (and a flat last generation) stops by TolFun. */
static void test_old_long_history_flat(void)
{
    char *text = old_state(100000, 20000, 3.0, 0.0, 0.0);
    hpo__cmaes es;
    hpo__msg m = {0};
    CHECK_RC(hpo__cmaes_from_json(&es, text, &m), HPO_OK);
    CHECK(es.hist_len == CAP);
    CHECK(hpo__cmaes_stop(&es) == HPO__CMAES_TOLFUN);
    hpo__cmaes_free(&es);
    hpo__msg_free(&m);
    free(text);
}

int main(void)
{
    RUN(test_long_run_bounded);
    RUN(test_old_long_history_stalled);
    RUN(test_old_long_history_flat);
    return CHECK_DONE();
}
