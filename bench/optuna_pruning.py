"""optuna_pruning.py -- the reference side of `hpo-bench pruning`: Optuna
3.1's samplers and pruners on xgb_spam (BENCHMARKS.md), at equal total
boosting rounds.

    /usr/bin/python3 optuna_pruning.py --data spam.csv --split split.json \
        --seeds 0,1,2 --methods tpe,random,tpe+median --budget-rounds 14580 \
        --out result.json

split.json is written by hpo-bench from hpo's own split (hpo__cv_split,
stratified hold-out, test fraction 0.2, seed 0): {"folds": [{"train":
[...], "test": [...]}]}, 0-based indices of the CSV's data rows,
ascending.  So
both sides train on the very same rows in the same order.

Each trial trains XGBoost (binary:logistic, tree_method=hist, nthread=1,
seed=0, as src/ml/xgboost.c) one round at a time up to 243 rounds,
reports the validation log-loss (p clipped to [1e-15, 1 - 1e-15], as
src/ml/metrics.c) after every round as the intermediate value at step =
round, and stops when the pruner says so.  Every round trained counts
toward the budget.  The trial running when the budget runs out stops
there and is told PRUNED: it never finished, so it never counts.

The anytime curve follows Optuna's convention (study.best_value): the
best value among COMPLETE trials, where a trial's value is its log-loss
after its 243rd round; pruned trials never count, whatever their
intermediate values.  Each point is (rounds spent when a trial completed,
best complete value so far).
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import optuna
import xgboost as xgb

MAX_ROUNDS = 243  # 3^5
EPS = 1e-15


def sampler_of(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError("unknown sampler " + name)


def pruner_of(name):
    """Optuna's defaults, except Hyperband's resources (the task's 1..243)."""
    if name is None:
        return optuna.pruners.NopPruner()
    if name == "median":
        return optuna.pruners.MedianPruner()
    if name == "sh":
        return optuna.pruners.SuccessiveHalvingPruner()
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(
            min_resource=1, max_resource=MAX_ROUNDS, reduction_factor=3)
    raise ValueError("unknown pruner " + name)


def method_parts(method):
    """'tpe' -> ('tpe', None); 'random+sh' -> ('random', 'sh')."""
    sampler, _, pruner = method.partition("+")
    return sampler, pruner or None


def load(path, split_path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    with open(split_path) as f:
        split = json.load(f)["folds"][0]
    tr, te = np.array(split["train"]), np.array(split["test"])
    x, y = data[:, :-1].astype(np.float32), data[:, -1]
    # Two threads never: hpo trains on one (nthread=1) and so do we.
    dtrain = xgb.DMatrix(x[tr], label=y[tr], nthread=1)
    dvalid = xgb.DMatrix(x[te], label=y[te], nthread=1)
    return dtrain, dvalid, y[te]


def logloss(p, y):
    """In doubles, as metrics.c: XGBoost's float32 would round 1 - 1e-15
    up to 1 and make a confident mistake cost infinity."""
    p = np.clip(p.astype(np.float64), EPS, 1.0 - EPS)
    return float(-np.mean(np.log(np.where(y == 1, p, 1.0 - p))))


def params_of(trial):
    """BENCHMARKS.md's xgb_spam space."""
    return {
        "eta": trial.suggest_float("eta", 1e-3, 1.0, log=True),
        "max_depth": trial.suggest_int("max_depth", 1, 12),
        "subsample": trial.suggest_float("subsample", 0.5, 1.0),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.3, 1.0),
        "min_child_weight": trial.suggest_float("min_child_weight", 0.1, 100.0,
                                                log=True),
        "lambda": trial.suggest_float("lambda", 1e-3, 100.0, log=True),
        "alpha": trial.suggest_float("alpha", 1e-3, 10.0, log=True),
    }


class Run:
    """One study: ask, train round by round, tell, until the budget."""

    def __init__(self, data, method, seed, budget):
        self.dtrain, self.dvalid, self.yvalid = data
        sampler, pruner = method_parts(method)
        self.study = optuna.create_study(sampler=sampler_of(sampler, seed),
                                         pruner=pruner_of(pruner))
        self.budget, self.spent = budget, 0
        self.curve, self.best = [], math.inf
        self.complete = self.pruned = 0

    def train(self, trial, params):
        """The trial's final log-loss, or None when pruned or cut."""
        fixed = {"objective": "binary:logistic", "tree_method": "hist",
                 "nthread": 1, "seed": 0, "verbosity": 0}
        booster = xgb.Booster({**fixed, **params}, [self.dtrain, self.dvalid])
        value = math.nan
        for r in range(1, MAX_ROUNDS + 1):
            if self.spent >= self.budget:
                return None
            booster.update(self.dtrain, r - 1)
            self.spent += 1
            # dvalid is in the booster's cache: each predict adds one tree.
            value = logloss(booster.predict(self.dvalid), self.yvalid)
            trial.report(value, r)
            if r < MAX_ROUNDS and trial.should_prune():
                return None
        return value

    def one_trial(self):
        trial = self.study.ask()
        value = self.train(trial, params_of(trial))
        if value is None:
            self.study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            self.pruned += 1
            return
        self.study.tell(trial, value)
        self.complete += 1
        if value < self.best:
            self.best = value
        self.curve.append([self.spent, self.best])

    def result(self, seconds):
        best = None
        if self.complete:
            best = {"value": self.study.best_value,
                    "params": self.study.best_params}
        return {"seed": None, "final": self.best if self.complete else None,
                "curve": self.curve, "rounds": self.spent,
                "trials": self.complete + self.pruned,
                "complete": self.complete, "pruned": self.pruned,
                "seconds": seconds, "best": best}


def run(data, method, seed, budget):
    t0 = time.perf_counter()
    r = Run(data, method, seed, budget)
    while r.spent < budget:
        r.one_trial()
    out = r.result(time.perf_counter() - t0)
    out["seed"] = seed
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--methods", required=True)
    ap.add_argument("--budget-rounds", type=int, default=60 * MAX_ROUNDS)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = load(args.data, args.split)
    seeds = [int(s) for s in args.seeds.split(",")]
    methods = args.methods.split(",")
    for m in methods:  # refuse a bad name before any training
        sampler, pruner = method_parts(m)
        sampler_of(sampler, 0), pruner_of(pruner)
    runs = {}
    for m in methods:
        runs[m] = []
        for s in seeds:
            r = run(data, m, s, args.budget_rounds)
            print("optuna_pruning: %s seed %d: best %s after %d rounds, "
                  "%d trials (%d pruned), %.1f s" % (
                      m, s, r["final"], r["rounds"], r["trials"], r["pruned"],
                      r["seconds"]), file=sys.stderr, flush=True)
            runs[m].append(r)
    out = {"optuna": optuna.__version__, "xgboost": xgb.__version__,
           "budget_rounds": args.budget_rounds, "max_rounds": MAX_ROUNDS,
           "runs": runs}
    with open(args.out, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
