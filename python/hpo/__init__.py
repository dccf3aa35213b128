"""hpo: hyperparameter optimization over libhpo, with Optuna's API.

    import hpo

    def objective(trial):
        x = trial.suggest_float("x", -10, 10)
        return (x - 2) ** 2

    study = hpo.create_study(sampler="tpe", seed=1)
    study.optimize(objective, n_trials=100)
    print(study.best_params)

docs/python.md is the manual; include/hpo.h documents what lies beneath.
"""

from ._errors import (DuplicatedStudyError, HpoError, HpoIOError,
                      HpoMemoryError, HpoVersionError, IncompatibleError,
                      InvalidArgumentError, MisuseError, NotFoundError,
                      ObjectiveFailedError, SearchSpaceExhausted, StorageError,
                      TrialFinishedError, TrialPruned, UnsupportedError)
from ._native import library_path, library_version
from ._frozen import FrozenTrial, StudyDirection, TrialState
from ._trial import Trial
from ._storage import Storage
from ._study import Study, create_study, delete_study, load_study
from ._dataframe import trials_records
from ._registry import pruners, samplers

__version__ = "0.1.0"

__all__ = [
    "create_study", "load_study", "delete_study", "Study", "Trial",
    "FrozenTrial", "TrialState", "StudyDirection", "Storage", "TrialPruned",
    "samplers", "pruners", "trials_records", "library_path", "library_version",
    "HpoError", "InvalidArgumentError", "HpoMemoryError", "MisuseError",
    "NotFoundError", "DuplicatedStudyError", "StorageError",
    "TrialFinishedError", "IncompatibleError", "HpoIOError",
    "ObjectiveFailedError", "UnsupportedError", "HpoVersionError",
    "SearchSpaceExhausted",
]
