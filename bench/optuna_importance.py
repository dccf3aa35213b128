#!/usr/bin/python3
"""Optuna's side of `hpo-bench importance`: get_param_importances with
FanovaImportanceEvaluator (Optuna 3.1: sklearn's RandomForestRegressor, 64
trees, max_depth 64) on studies hpo stored in SQLite.  Only the call is
timed, in CPU seconds of this process (sklearn fits on one thread):
loading the study is not.

usage: optuna_importance.py --storage URL --studies A,B,... --seed S --out PATH
writes {"version": V, "studies": {name: {"seconds": s, "importances": {...}}}}
"""
import argparse
import json
import time

import optuna
from optuna.importance import FanovaImportanceEvaluator, get_param_importances

optuna.logging.set_verbosity(optuna.logging.WARNING)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--storage", required=True)
    ap.add_argument("--studies", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    result = {"version": optuna.__version__, "studies": {}}
    for name in a.studies.split(","):
        study = optuna.load_study(study_name=name, storage=a.storage)
        study.get_trials(deepcopy=False)  # warm the cache: time the method
        t0 = time.process_time()
        imp = get_param_importances(
            study, evaluator=FanovaImportanceEvaluator(seed=a.seed))
        seconds = time.process_time() - t0
        result["studies"][name] = {
            "seconds": seconds,
            "importances": {k: float(v) for k, v in imp.items()},
        }
    with open(a.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
