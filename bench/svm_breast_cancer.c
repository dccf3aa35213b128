/*
 * svm_breast_cancer.c — `hpo-bench svm`: the svm_breast_cancer row of
 * BENCHMARKS.md.  libsvm's C-SVC with the RBF kernel on breast_cancer.csv,
 * 5-fold stratified CV error on folds fixed by seed 0, C = 2^a, a in
 * [-5, 15], gamma = 2^b, b in [-15, 3] (Hsu, Chang & Lin's practical
 * guide), measured three ways in one run:
 *
 *   1. the guide's 110-point grid, evaluated in-process: the target;
 *   2. hpo's sampler (the default, or --sampler) on an in-memory study with
 *      the objective hpo tune-model uses: the median over seeds of the best
 *      CV error after each budget, the time per trial, and hpo's own
 *      overhead (the optimize loop's time outside the objective) as a
 *      share of one CV evaluation (BENCHMARKS.md asks for < 1%);
 *   3. with --vs-optuna, Optuna 3.1's default sampler (TPE) tuning
 *      scikit-learn's SVC (the same libsvm) on the same folds, whose row
 *      indices hpo writes for it (svm_breast_cancer.py), same seeds and
 *      budgets, with its time per trial; it scores the grid too, as a check
 *      that both sides compute the same CV error.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>

#include "bench.h"

#if HPO_HAVE_ML

#include "../src/ml/learner.h"

#define MAX_TRIALS 10000

typedef struct svm_bench {
    hpo__dataset d;
    hpo__folds folds;
    hpo__eval_cache *cache;
    int n_budgets, budgets[BENCH_MAX_BUDGETS];
    int n_seeds, seeds[BENCH_MAX_SEEDS];
    const char *sampler; /* NULL: the library's default */
} svm_bench;

static const char *data_path(void)
{
    return bench_data_path("breast_cancer.csv");
}

static int setup(svm_bench *b)
{
    hpo__msg m = {0};
    hpo__cv_spec spec = {.kind = HPO__CV_STRATIFIED, .k = 5, .seed = 0};
    int rc = hpo__data_load(&b->d, data_path(), NULL, &m);
    if (rc == HPO_OK)
        rc = hpo__cv_split(&b->d, NULL, 0, &spec, &b->folds, &m);
    if (rc == HPO_OK &&
        !(b->cache = hpo__eval_cache_new(&hpo__learner_svm, &b->d, &b->folds,
                                         0)))
        rc = hpo__fail(&m, HPO_ENOMEM, "out of memory");
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench svm: %s (set HPO_DATA_DIR to the folder "
                "of breast_cancer.csv)\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc == HPO_OK ? 0 : -1;
}

/* ---- the guide's grid ------------------------------------------------------ */

typedef struct grid_result {
    double best, c, gamma, seconds;
} grid_result;

static int run_grid(svm_bench *b, grid_result *g)
{
    g->best = INFINITY;
    double start = bench_now_s();
    for (int a = -5; a <= 15; a += 2)
        for (int e = -15; e <= 3; e += 2) {
            hpo__hparams p = {0};
            hpo__eval_result r;
            hpo__msg m = {0};
            hpo__hparams_set(&p, "C", ldexp(1, a));
            hpo__hparams_set(&p, "gamma", ldexp(1, e));
            hpo__eval_options o = {.cache = b->cache};
            int rc = hpo__evaluate(&hpo__learner_svm, &p, &b->d, &b->folds,
                                   HPO__METRIC_ERROR, &o, &r, &m);
            hpo__hparams_free(&p);
            if (rc != HPO_OK) {
                fprintf(stderr, "hpo-bench svm: grid: %s\n", hpo__msg_get(&m));
                hpo__msg_free(&m);
                return -1;
            }
            if (r.mean < g->best)
                *g = (grid_result){r.mean, ldexp(1, a), ldexp(1, e), 0};
            hpo__eval_result_free(&r);
        }
    g->seconds = bench_now_s() - start;
    return 0;
}

/* ---- hpo's sampler ----------------------------------------------------------- */

typedef struct timed_objective {
    hpo__ml_objective ob;
    double objective_s;
    int n;
    double values[MAX_TRIALS]; /* in trial order */
} timed_objective;

static int timed_run(hpo_trial *trial, void *data, double *values)
{
    timed_objective *to = data;
    double start = bench_now_s();
    int rc = hpo__ml_objective_run(trial, &to->ob, values);
    to->objective_s += bench_now_s() - start;
    if (to->n < MAX_TRIALS)
        to->values[to->n++] = rc == HPO_OK ? values[0] : NAN;
    return rc;
}

typedef struct seed_result {
    double best[BENCH_MAX_BUDGETS];
    double seconds, objective_s;
    int n_trials;
} seed_result;

static int run_hpo_seed(svm_bench *b, int seed, timed_objective *to,
                        seed_result *out)
{
    hpo_study *s = hpo_study_new();
    hpo_space *space = hpo_space_new();
    hpo__msg m = {0};
    int max = b->budgets[b->n_budgets - 1];
    int rc = hpo__learner_default_space(&hpo__learner_svm,
                                        HPO__CLASSIFICATION, space, &m);
    if (rc == HPO_OK && b->sampler)
        rc = hpo_study_set_sampler(s, b->sampler);
    if (rc == HPO_OK)
        rc = hpo_study_set_seed(s, (uint64_t)seed);
    if (rc == HPO_OK)
        rc = hpo_study_set_space(s, space);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, "svm_breast_cancer", HPO_OPEN_CREATE);
    to->n = 0;
    to->objective_s = 0;
    double start = bench_now_s();
    if (rc == HPO_OK) {
        hpo_optimize_options o = {.n_trials = max};
        rc = hpo_study_optimize(s, timed_run, to, &o);
    }
    out->seconds = bench_now_s() - start;
    out->objective_s = to->objective_s;
    out->n_trials = to->n;
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench svm: seed %d: %s\n", seed,
                *hpo_study_errmsg(s) ? hpo_study_errmsg(s) : hpo__msg_get(&m));
    for (int k = 0; k < b->n_budgets; k++) {
        out->best[k] = INFINITY;
        for (int i = 0; i < b->budgets[k] && i < to->n; i++)
            if (to->values[i] < out->best[k])
                out->best[k] = to->values[i];
    }
    hpo__msg_free(&m);
    hpo_space_free(space);
    hpo_study_free(s);
    return rc == HPO_OK ? 0 : -1;
}

/* ---- the reference ------------------------------------------------------------ */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (text)
        text[n] = '\0';
    fclose(f);
    return text;
}

static void join_ints(char *buf, size_t size, const int *v, int n)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%d", i ? "," : "", v[i]);
    }
}

/* Run svm_breast_cancer.py on the folds; its JSON (owned) or NULL. */
static cJSON *run_reference(const svm_bench *b)
{
    char dir[] = "/tmp/hpo-bench-svm.XXXXXX";
    if (!mkdtemp(dir))
        return NULL;
    char folds[600], out[600], seeds[4096], budgets[256];
    snprintf(folds, sizeof folds, "%s/folds.json", dir);
    snprintf(out, sizeof out, "%s/out.json", dir);
    join_ints(seeds, sizeof seeds, b->seeds, b->n_seeds);
    join_ints(budgets, sizeof budgets, b->budgets, b->n_budgets);
    cJSON *json = NULL;
    if (bench_write_folds(folds, &b->folds) == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            execl(bench_python(), bench_python(),
                  HPO_BENCH_SOURCE_DIR "/svm_breast_cancer.py", "--data",
                  data_path(), "--folds", folds, "--seeds", seeds,
                  "--budgets", budgets, "--out", out, (char *)NULL);
            _exit(127);
        }
        int status = 0;
        if (pid > 0 && waitpid(pid, &status, 0) == pid &&
            WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            char *text = read_all(out);
            json = text ? cJSON_Parse(text) : NULL;
            free(text);
        }
    }
    if (!json)
        fprintf(stderr, "hpo-bench svm: the reference (%s %s/"
                "svm_breast_cancer.py) failed\n", bench_python(),
                HPO_BENCH_SOURCE_DIR);
    unlink(folds);
    unlink(out);
    rmdir(dir);
    return json;
}

/* ---- the table ------------------------------------------------------------------ */

static void print_cell(const double *v, int n)
{
    double *c = malloc(sizeof *c * (size_t)(n ? n : 1));
    memcpy(c, v, sizeof *c * (size_t)n);
    printf("  %.5f [%.5f, %.5f]", bench_quantile(c, n, 0.5),
           bench_quantile(c, n, 0.25), bench_quantile(c, n, 0.75));
    free(c);
}

static void print_row(const char *label, const svm_bench *b,
                      double best[][BENCH_MAX_SEEDS], double ms_per_trial,
                      int n, const char *extra)
{
    printf("%-26s", label);
    for (int k = 0; k < b->n_budgets; k++)
        print_cell(best[k], n);
    printf("  %8.1f ms  %s\n", ms_per_trial, extra);
}

static int usage(void)
{
    fprintf(stderr,
"usage: hpo-bench svm [--budgets 20,50] [--seeds 0-9] [--sampler SPEC]\n"
"                     [--vs-optuna] [--json FILE]\n"
"svm_breast_cancer (BENCHMARKS.md): the guide's 110-point grid, hpo's\n"
"sampler and, with --vs-optuna, Optuna 3.1 TPE + scikit-learn's SVC on the\n"
"same folds; data from $HPO_DATA_DIR or ../shared/data.\n");
    return 2;
}

static int parse(svm_bench *b, int argc, char **argv, int *vs_optuna,
                 const char **json_path)
{
    const char *budgets = "20,50", *seeds = "0-9", *v;
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = bench_option(argc, argv, &i, "--budgets", &v)))
            budgets = v;
        else if ((r = bench_option(argc, argv, &i, "--seeds", &v)))
            seeds = v;
        else if ((r = bench_option(argc, argv, &i, "--sampler", &v)))
            b->sampler = v;
        else if ((r = bench_option(argc, argv, &i, "--json", &v)))
            *json_path = v;
        else if (strcmp(argv[i], "--vs-optuna") == 0)
            *vs_optuna = 1, r = 1;
        if (r <= 0)
            return -1;
    }
    b->n_budgets = bench_parse_ints(budgets, b->budgets, BENCH_MAX_BUDGETS);
    b->n_seeds = bench_parse_seeds(seeds, b->seeds, BENCH_MAX_SEEDS);
    if (b->n_budgets < 1 || b->n_seeds < 1 ||
        b->budgets[b->n_budgets - 1] > MAX_TRIALS)
        return -1;
    return 0;
}

static double ref_number(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Optuna's row and its grid check; 0, or -1 if its JSON is malformed. */
static int print_reference(const svm_bench *b, const cJSON *ref,
                           double hpo_ms, cJSON *report)
{
    static double best[BENCH_MAX_BUDGETS][BENCH_MAX_SEEDS];
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(ref, "runs");
    int n = cJSON_GetArraySize(runs);
    if (n != b->n_seeds)
        return -1;
    double seconds = 0, trials = 0, objective = 0;
    for (int s = 0; s < n; s++) {
        const cJSON *r = cJSON_GetArrayItem(runs, s);
        const cJSON *bl = cJSON_GetObjectItemCaseSensitive(r, "best");
        for (int k = 0; k < b->n_budgets; k++)
            best[k][s] = cJSON_GetArrayItem(bl, k)
                             ? cJSON_GetArrayItem(bl, k)->valuedouble : NAN;
        seconds += ref_number(r, "seconds");
        objective += ref_number(r, "objective_seconds");
        trials += ref_number(r, "n_trials");
    }
    double ms = seconds * 1000 / trials;
    char extra[160];
    snprintf(extra, sizeof extra, "sampler %.2f ms/trial outside the "
             "objective; hpo/ref time %.2f",
             (seconds - objective) * 1000 / trials, hpo_ms / ms);
    print_row("Optuna TPE + sklearn SVC", b, best, ms, n, extra);
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(ref, "grid");
    printf("reference grid check: best %.6f at C=%g gamma=%g in %.2f s "
           "(optuna %s, scikit-learn %s)\n", ref_number(g, "best"),
           ref_number(g, "C"), ref_number(g, "gamma"),
           ref_number(g, "seconds"),
           cJSON_GetStringValue(cJSON_GetObjectItem(ref, "optuna")),
           cJSON_GetStringValue(cJSON_GetObjectItem(ref, "sklearn")));
    cJSON_AddItemToObject(report, "reference", cJSON_Duplicate(ref, 1));
    return 0;
}

static int report_hpo(const svm_bench *b, const grid_result *g,
                      seed_result *runs, cJSON *report, double *ms_out)
{
    static double best[BENCH_MAX_BUDGETS][BENCH_MAX_SEEDS];
    double seconds = 0, objective = 0, trials = 0;
    for (int s = 0; s < b->n_seeds; s++) {
        for (int k = 0; k < b->n_budgets; k++)
            best[k][s] = runs[s].best[k];
        seconds += runs[s].seconds;
        objective += runs[s].objective_s;
        trials += runs[s].n_trials;
    }
    double ms = seconds * 1000 / trials;
    double overhead_ms = (seconds - objective) * 1000 / trials;
    double eval_ms = objective * 1000 / trials;
    char label[64], extra[160];
    snprintf(label, sizeof label, "hpo %s",
             b->sampler ? b->sampler : "(default sampler)");
    snprintf(extra, sizeof extra, "overhead %.3f ms/trial = %.3f%% of a CV "
             "evaluation", overhead_ms, 100 * overhead_ms / eval_ms);
    print_row(label, b, best, ms, b->n_seeds, extra);
    int reaches = 0;
    for (int s = 0; s < b->n_seeds; s++)
        reaches += runs[s].best[b->n_budgets - 1] <= g->best;
    cJSON *h = cJSON_AddObjectToObject(report, "hpo");
    cJSON_AddNumberToObject(h, "ms_per_trial", ms);
    cJSON_AddNumberToObject(h, "overhead_ms_per_trial", overhead_ms);
    cJSON_AddNumberToObject(h, "overhead_percent", 100 * overhead_ms / eval_ms);
    cJSON *med = cJSON_AddArrayToObject(h, "median_best");
    for (int k = 0; k < b->n_budgets; k++) {
        double c[BENCH_MAX_SEEDS];
        memcpy(c, best[k], sizeof(double) * (size_t)b->n_seeds);
        cJSON_AddItemToArray(med, cJSON_CreateNumber(
                                      bench_quantile(c, b->n_seeds, 0.5)));
    }
    printf("hpo reaches the grid's best after %d trials in %d of %d seeds\n",
           b->budgets[b->n_budgets - 1], reaches, b->n_seeds);
    *ms_out = ms;
    return 0;
}

int bench_svm(int argc, char **argv)
{
    static svm_bench b;
    static timed_objective to;
    static seed_result runs[BENCH_MAX_SEEDS];
    int vs_optuna = 0, failed = 0;
    const char *json_path = NULL;
    if (parse(&b, argc, argv, &vs_optuna, &json_path) != 0)
        return usage();
    if (setup(&b) != 0)
        return 1;
    grid_result g;
    if (run_grid(&b, &g) != 0)
        return 1;
    printf("svm_breast_cancer: libsvm C-SVC (rbf), 5-fold stratified CV "
           "error, folds seed 0, %d rows\n", b.d.n_rows);
    printf("guide grid (110 points, in-process): best %.6f at C=%g gamma=%g, "
           "%.1f ms per evaluation\n\n", g.best, g.c, g.gamma,
           g.seconds * 1000 / 110);
    printf("%-26s", "median best [25%, 75%]");
    for (int k = 0; k < b.n_budgets; k++)
        printf("  after %-21d", b.budgets[k]);
    printf("  per trial\n");
    fflush(stdout);
    to.ob = (hpo__ml_objective){.t = &hpo__learner_svm, .d = &b.d,
                                .folds = &b.folds,
                                .metric = HPO__METRIC_ERROR,
                                .cache = b.cache};
    for (int s = 0; s < b.n_seeds; s++)
        failed |= run_hpo_seed(&b, b.seeds[s], &to, &runs[s]) != 0;
    cJSON *report = cJSON_CreateObject();
    cJSON_AddNumberToObject(report, "grid_best", g.best);
    double hpo_ms = 0;
    report_hpo(&b, &g, runs, report, &hpo_ms);
    if (vs_optuna) {
        cJSON *ref = run_reference(&b);
        if (!ref || print_reference(&b, ref, hpo_ms, report) != 0)
            failed = 1;
        cJSON_Delete(ref);
    }
    if (json_path && bench_write_json(json_path, report) != 0)
        failed = 1;
    cJSON_Delete(report);
    hpo__eval_cache_free(b.cache);
    hpo__folds_free(&b.folds);
    hpo__data_free(&b.d);
    return failed;
}

#else

int bench_svm(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "hpo-bench svm: built without the learners "
            "(HPO_WITH_ML=OFF)\n");
    return 2;
}

#endif
