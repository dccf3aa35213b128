/* test_pruner_interop.c — hpo's successive_halving, hyperband, median and
 * percentile decide as Optuna 3.1's SuccessiveHalvingPruner,
 * HyperbandPruner, MedianPruner and PercentilePruner do, and store
 * what Optuna stores: hpo runs 40 trials of each into SQLite, then
 * tests/interop/optuna_pruners.py replays their parameters through Optuna
 * with its own pruner and compares every trial's state, last step and
 * completed_rung_<k> attributes (Hyperband's brackets: crc32 of the same
 * study name).  Skipped without SQLite or Debian's python3 with Optuna. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hpo.h"

#define PYTHON "/usr/bin/python3"
#define SCRIPT HPO_SOURCE_DIR "/tests/interop/optuna_pruners.py"

/* The objective of optuna_pruners.py: x + y / step at steps 1..27. */
static int objective(hpo_trial *t, void *data, double *out)
{
    (void)data;
    double x, y, v = 0;
    int rc = hpo_trial_suggest_float(t, "x", 0, 1, 0, 0, &x);
    if (!rc)
        rc = hpo_trial_suggest_float(t, "y", 0, 1, 0, 0, &y);
    for (int step = 1; step <= 27 && !rc; step++) {
        v = x + y / step;
        rc = hpo_trial_report(t, step, v);
        if (!rc && hpo_trial_should_prune(t) == 1)
            return HPO_PRUNED;
    }
    out[0] = v;
    return rc;
}

static void run(const char *db, const char *name, const char *pruner,
                const char *kind)
{
    char url[256], cmd[1024];
    snprintf(url, sizeof url, "sqlite:///%s", db);
    hpo_storage *st;
    CHECK_RC(hpo_storage_open(&st, url), HPO_OK);
    hpo_study *s = hpo_study_new();
    hpo_study_set_storage(s, st);
    hpo_study_set_seed(s, 11);
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_set_pruner(s, pruner), HPO_OK);
    CHECK_RC(hpo_study_open(s, name, HPO_OPEN_CREATE), HPO_OK);
    hpo_optimize_options o = {.n_trials = 40};
    CHECK_RC(hpo_study_optimize(s, objective, NULL, &o), HPO_OK);
    hpo_study_free(s);
    hpo_storage_close(st);
    snprintf(cmd, sizeof cmd, "%s '%s' '%s' '%s' '%s'", PYTHON, SCRIPT, db,
             name, kind);
    int status = system(cmd);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_same_as_optuna(void)
{
    char dir[] = "/tmp/hpo-pruner-interop-XXXXXX", db[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(db, sizeof db, "%s/p.db", dir);
    run(db, "sh", "successive_halving:min_resource=1,reduction_factor=2",
        "successive_halving");
    run(db, "hb", "hyperband:min_resource=1,max_resource=27,"
                  "reduction_factor=3",
        "hyperband");
    run(db, "med", "median", "median");
    run(db, "pct", "percentile:percentile=25,n_warmup_steps=2,interval_steps=3",
        "percentile");
    unlink(db);
    rmdir(dir);
}

int main(void)
{
    hpo_storage *st;
    if (hpo_storage_open(&st, "sqlite:///:memory:") != HPO_OK ||
        system(PYTHON " -c 'import optuna' 2>/dev/null") != 0) {
        fprintf(stderr, "skipped: no SQLite or no Optuna\n");
        return 0;
    }
    hpo_storage_close(st);
    RUN(test_same_as_optuna);
    return CHECK_DONE();
}
