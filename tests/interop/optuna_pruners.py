"""Python Optuna's side of tests/test_pruner_interop.c (Debian's
/usr/bin/python3 with Optuna 3.1).

    optuna_pruners.py DB STUDY PRUNER
        Load STUDY (written by hpo into the SQLite file DB with the pruner
        PRUNER: successive_halving, hyperband, median or percentile,
        options as in the C test),
        run the same trials in order in an Optuna study of the same name with
        Optuna's own pruner, and compare every trial's state, last step and
        completed_rung_<k> attributes.

Exit status 0 when everything matches; the first mismatch is printed.
"""

import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def pruner(kind):
    if kind == "median":
        return optuna.pruners.MedianPruner()
    if kind == "percentile":
        return optuna.pruners.PercentilePruner(25.0, n_warmup_steps=2,
                                               interval_steps=3)
    if kind == "successive_halving":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1,
                                                      reduction_factor=2)
    return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=27,
                                          reduction_factor=3)


def objective(trial):
    x = trial.suggest_float("x", 0, 1)
    y = trial.suggest_float("y", 0, 1)
    v = 0.0
    for step in range(1, 28):
        v = x + y / step
        trial.report(v, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return v


def rungs(t):
    return {k: v for k, v in t.system_attrs.items()
            if k.startswith("completed_rung_")}


def main(db, name, kind):
    hpo = optuna.load_study(study_name=name, storage="sqlite:///" + db)
    py = optuna.create_study(study_name=name, pruner=pruner(kind))
    for t in hpo.trials:
        py.enqueue_trial(t.params)
    py.optimize(objective, n_trials=len(hpo.trials))
    for a, b in zip(hpo.trials, py.trials):
        if (a.state, a.last_step, rungs(a)) != (b.state, b.last_step, rungs(b)):
            print("trial %d: hpo %s step %s %s, optuna %s step %s %s" % (
                a.number, a.state.name, a.last_step, rungs(a), b.state.name,
                b.last_step, rungs(b)))
            return 1
    pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in py.trials)
    print("%s: %d trials, %d pruned, the same in Optuna %s" % (
        kind, len(py.trials), pruned, optuna.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
