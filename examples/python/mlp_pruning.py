#!/usr/bin/python3
"""Pruning from Python, without PyTorch: scikit-learn's MLPClassifier on
the 8x8 digits, trained one epoch at a time with partial_fit; each epoch's
validation error is reported to the study, whose pruner (the median rule
by default) stops the trials whose curves fall behind.

    PYTHONPATH=python /usr/bin/python3 examples/python/mlp_pruning.py \
        [--data ../shared/data/digits.csv] [--trials 20] [--epochs 20] \
        [--pruner median:n_startup_trials=5]
"""
import argparse
import os
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

import hpo

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.environ.get("HPO_DATA_DIR") or os.path.join(HERE, "..", "..", "..", "shared", "data")


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, y = data[:, :-1] / 16.0, data[:, -1].astype(int)  # pixels 0..16
    return train_test_split(x, y, test_size=0.25, stratify=y, random_state=0)


def make_objective(split, epochs):
    x_train, x_valid, y_train, y_valid = split
    classes = np.unique(y_train)

    def objective(trial):
        units = trial.suggest_int("units", 8, 256, log=True)
        alpha = trial.suggest_float("alpha", 1e-6, 1e-1, log=True)
        lr = trial.suggest_float("learning_rate_init", 1e-4, 1e-1, log=True)
        model = MLPClassifier(hidden_layer_sizes=(units,), alpha=alpha,
                              learning_rate_init=lr, random_state=trial.number)
        error = 1.0
        for epoch in range(epochs):
            model.partial_fit(x_train, y_train, classes=classes)
            error = 1.0 - model.score(x_valid, y_valid)
            trial.report(error, epoch)
            if trial.should_prune():
                raise hpo.TrialPruned()
        return error

    return objective


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(DATA_DIR, "digits.csv"))
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--pruner", default="median:n_startup_trials=5")
    ap.add_argument("--storage", default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    study = hpo.create_study(study_name="mlp-digits", storage=args.storage,
                             sampler="tpe", pruner=args.pruner, seed=args.seed,
                             load_if_exists=True)
    study.optimize(make_objective(load(args.data), args.epochs), n_trials=args.trials)
    pruned = study.get_trials(states=[hpo.TrialState.PRUNED])
    complete = study.get_trials(states=[hpo.TrialState.COMPLETE])
    best = study.best_trial
    epochs_run = sum(len(t.intermediate_values) for t in study.trials)
    print("%d complete, %d pruned; %d of %d epochs trained; best validation "
          "error %.4f (trial #%d: %s)" % (len(complete), len(pruned), epochs_run,
                                          len(study.trials) * args.epochs,
                                          best.value, best.number, best.params))


if __name__ == "__main__":
    main()
