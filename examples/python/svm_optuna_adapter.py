#!/usr/bin/env python3
"""The seed's SVM example through Optuna, with hpo's GP sampler inside it.

An RBF support-vector machine (scikit-learn's SVC) on breast_cancer.csv:
C and gamma log-uniform over the libsvm guide's ranges (C in 2^-5..2^15,
gamma in 2^-15..2^3), the 5-fold stratified cross-validation error
(features standardized on each training fold) minimized.  The Optuna script
is unchanged but for one line: the sampler is hpo.optuna.GPSampler().

    PYTHONPATH=python /usr/bin/python3 examples/python/svm_optuna_adapter.py [n_trials]

Data: $HPO_DATA_DIR/breast_cancer.csv (default ../shared/data).
"""

import os
import sys

import numpy as np
import optuna
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import hpo.optuna


def load_breast_cancer():
    here = os.path.dirname(os.path.abspath(__file__))
    data_dir = os.environ.get("HPO_DATA_DIR",
                              os.path.join(here, "..", "..", "..", "shared",
                                           "data"))
    table = np.loadtxt(os.path.join(data_dir, "breast_cancer.csv"),
                       delimiter=",", skiprows=1)
    return table[:, :-1], table[:, -1].astype(int)


def make_objective(x, y):
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

    def objective(trial):
        c = trial.suggest_float("C", 2.0 ** -5, 2.0 ** 15, log=True)
        gamma = trial.suggest_float("gamma", 2.0 ** -15, 2.0 ** 3, log=True)
        model = make_pipeline(StandardScaler(), SVC(C=c, gamma=gamma))
        return 1.0 - cross_val_score(model, x, y, cv=folds).mean()

    return objective


def main(n_trials=30, seed=0):
    x, y = load_breast_cancer()
    study = optuna.create_study(sampler=hpo.optuna.GPSampler(seed=seed))
    study.optimize(make_objective(x, y), n_trials=n_trials)
    return study


if __name__ == "__main__":
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    print("best CV error %.5f at C=%.4g gamma=%.4g" % (
        study.best_value, study.best_params["C"], study.best_params["gamma"]))
