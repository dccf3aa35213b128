#!/usr/bin/python3
"""The field's seed example through the hpo Python package: an RBF SVM
(scikit-learn's SVC) on breast_cancer, C and gamma log-uniform over the
ranges of Hsu, Chang & Lin's practical guide (C = 2^-5 .. 2^15,
gamma = 2^-15 .. 2^3), scored by 5-fold stratified cross-validation.

    PYTHONPATH=python /usr/bin/python3 examples/python/svm_breast_cancer.py \
        [--data ../shared/data/breast_cancer.csv] [--trials 30] \
        [--storage sqlite:///svm.db]

The study is stored where --storage says (in memory by default); with a
SQLite URL, `hpo best` and Python Optuna open it too.
"""
import argparse
import os

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import hpo

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.environ.get("HPO_DATA_DIR") or os.path.join(HERE, "..", "..", "..", "shared", "data")


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def make_objective(x, y):
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

    def objective(trial):
        c = trial.suggest_float("C", 2.0 ** -5, 2.0 ** 15, log=True)
        gamma = trial.suggest_float("gamma", 2.0 ** -15, 2.0 ** 3, log=True)
        model = make_pipeline(StandardScaler(), SVC(C=c, gamma=gamma))
        accuracy = cross_val_score(model, x, y, cv=folds).mean()
        return 1.0 - accuracy  # the CV error, minimized

    return objective


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(DATA_DIR, "breast_cancer.csv"))
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--storage", default=None)
    ap.add_argument("--sampler", default="auto")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    x, y = load(args.data)
    study = hpo.create_study(study_name="svm-breast-cancer", storage=args.storage,
                             sampler=args.sampler, seed=args.seed,
                             load_if_exists=True)
    study.optimize(make_objective(x, y), n_trials=args.trials)
    best = study.best_trial
    print("best of %d trials: trial #%d, CV error %.4f at C = %.4g, gamma = %.4g"
          % (len(study.trials), best.number, best.value, best.params["C"],
             best.params["gamma"]))


if __name__ == "__main__":
    main()
