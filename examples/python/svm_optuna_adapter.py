#!/usr/bin/env python3
"""The seed's SVM example through Optuna, with hpo's GP sampler inside it.

An RBF support-vector machine (scikit-learn's SVC) on breast_cancer.csv:
C and gamma log-uniform over the libsvm guide's ranges (C in 2^-5..2^15,
gamma in 2^-15..2^3), the 5-fold stratified cross-validation error
(features standardized on each training fold) minimized: the objective of
svm_breast_cancer.py.  The Optuna script is unchanged but for one line:
the sampler is hpo.optuna.GPSampler().

    PYTHONPATH=python /usr/bin/python3 examples/python/svm_optuna_adapter.py [n_trials]

Data: $HPO_DATA_DIR/breast_cancer.csv (default ../shared/data).
"""

import os
import sys

import optuna

import hpo.optuna
# The objective is the one of the direct example beside this file: the same
# SVM, folds and ranges, so only the driver differs.
from svm_breast_cancer import DATA_DIR, load, make_objective


def main(n_trials=30, seed=0):
    x, y = load(os.path.join(DATA_DIR, "breast_cancer.csv"))
    study = optuna.create_study(sampler=hpo.optuna.GPSampler(seed=seed))
    study.optimize(make_objective(x, y), n_trials=n_trials)
    return study


if __name__ == "__main__":
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    print("best CV error %.5f at C=%.4g gamma=%.4g" % (
        study.best_value, study.best_params["C"], study.best_params["gamma"]))
