"""svm_breast_cancer.py -- the reference side of `hpo-bench svm`:
Optuna 3.1 (its default sampler, TPE) tuning scikit-learn's SVC (which wraps
the same libsvm) on the very folds hpo uses.

    /usr/bin/python3 svm_breast_cancer.py --data breast_cancer.csv \
        --folds folds.json --seeds 0,1,... --budgets 20,50 --out result.json

folds.json is written by hpo-bench: {"folds": [{"train": [...], "test":
[...]}, ...]} with 0-based row indices of the CSV's data rows.  Each fold's
features are standardized from its training rows only (StandardScaler, the
population standard deviation, as hpo's scale.c), the score is the mean of
the fold errors (1 - accuracy), and the space is C = 2^a, a in [-5, 15],
gamma = 2^b, b in [-15, 3], log-uniform.  The guide's 110-point grid is
scored too, as a check that both sides compute the same CV error.
"""
import argparse
import json
import time

import numpy as np
import optuna
import sklearn
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def prepare(x, folds):
    """Each fold's scaled training and test rows, made once."""
    out = []
    for f in folds:
        tr, te = np.array(f["train"]), np.array(f["test"])
        scaler = StandardScaler().fit(x[tr])
        out.append((scaler.transform(x[tr]), tr, scaler.transform(x[te]), te))
    return out


def cv_error(prepared, y, c, gamma):
    errors = []
    for xtr, tr, xte, te in prepared:
        model = SVC(C=c, gamma=gamma, kernel="rbf", tol=1e-3)
        model.fit(xtr, y[tr])
        errors.append(float(np.mean(model.predict(xte) != y[te])))
    return float(np.mean(errors))


def tune(prepared, y, seed, n_trials, budgets):
    objective_s = 0.0

    def objective(trial):
        nonlocal objective_s
        c = trial.suggest_float("C", 2.0 ** -5, 2.0 ** 15, log=True)
        gamma = trial.suggest_float("gamma", 2.0 ** -15, 2.0 ** 3, log=True)
        t0 = time.perf_counter()
        value = cv_error(prepared, y, c, gamma)
        objective_s += time.perf_counter() - t0
        return value

    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler)
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=n_trials)
    wall = time.perf_counter() - t0
    values = [t.value for t in study.trials]
    best = [min(values[:b]) for b in budgets]
    return {"seed": seed, "best": best, "seconds": wall,
            "objective_seconds": objective_s, "n_trials": len(values)}


def grid(prepared, y):
    t0 = time.perf_counter()
    best = None
    for a in range(-5, 16, 2):
        for b in range(-15, 4, 2):
            e = cv_error(prepared, y, 2.0 ** a, 2.0 ** b)
            if best is None or e < best[0]:
                best = (e, 2.0 ** a, 2.0 ** b)
    return {"best": best[0], "C": best[1], "gamma": best[2],
            "seconds": time.perf_counter() - t0, "points": 110}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--folds", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--budgets", required=True)
    ap.add_argument("--no-grid", action="store_true")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    x, y = load(args.data)
    with open(args.folds) as f:
        folds = json.load(f)["folds"]
    prepared = prepare(x, folds)
    budgets = [int(b) for b in args.budgets.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = [tune(prepared, y, s, max(budgets), budgets) for s in seeds]
    out = {"optuna": optuna.__version__, "sklearn": sklearn.__version__,
           "runs": runs}
    if not args.no_grid:
        out["grid"] = grid(prepared, y)
    with open(args.out, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
