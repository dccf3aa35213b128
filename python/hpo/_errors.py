"""hpo's status codes as Python exceptions.

Every call into libhpo that returns a negative status goes through check(),
which raises the subclass of HpoError for that code with the message libhpo
kept on the handle (hpo_study_errmsg, hpo_trial_errmsg, ...).  Each subclass
also derives from the built-in exception a Python user would expect
(HPO_EINVAL is a ValueError, HPO_EUNSUPPORTED a NotImplementedError), so
code written against Optuna's exceptions keeps catching them.
"""

__all__ = [
    "HpoError", "InvalidArgumentError", "HpoMemoryError", "MisuseError",
    "NotFoundError", "DuplicatedStudyError", "StorageError",
    "TrialFinishedError", "IncompatibleError", "HpoIOError",
    "ObjectiveFailedError", "UnsupportedError", "HpoVersionError",
    "SearchSpaceExhausted", "TrialPruned", "error_for",
]


class HpoError(Exception):
    """A call into libhpo failed; .code is hpo's status, .name its name."""

    code = None
    name = "ERROR"

    def __init__(self, message, code=None):
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidArgumentError(HpoError, ValueError):
    code, name = -1, "EINVAL"


class HpoMemoryError(HpoError, MemoryError):
    code, name = -2, "ENOMEM"


class MisuseError(HpoError, RuntimeError):
    code, name = -3, "EMISUSE"


class NotFoundError(HpoError, LookupError):
    code, name = -4, "ENOTFOUND"


class DuplicatedStudyError(HpoError):
    code, name = -5, "EEXIST"


class StorageError(HpoError, OSError):
    code, name = -6, "ESTORAGE"


class TrialFinishedError(HpoError, RuntimeError):
    code, name = -7, "EFINISHED"


class IncompatibleError(HpoError, ValueError):
    code, name = -8, "EINCOMPAT"


class HpoIOError(HpoError, OSError):
    code, name = -9, "EIO"


class ObjectiveFailedError(HpoError):
    code, name = -10, "EFAIL"


class UnsupportedError(HpoError, NotImplementedError):
    code, name = -11, "EUNSUPPORTED"


class HpoVersionError(HpoError, ImportError):
    """libhpo was found but its version does not match this package."""

    name = "VERSION"


class SearchSpaceExhausted(HpoError, StopIteration):
    """ask() when the sampler has nothing left to propose (an exhausted
    grid: HPO_DONE); optimize ends quietly on it."""

    code, name = 1, "DONE"


class TrialPruned(Exception):
    """Raise it from an objective to end the trial as PRUNED (as Optuna's)."""


_BY_CODE = {cls.code: cls for cls in (
    InvalidArgumentError, HpoMemoryError, MisuseError, NotFoundError,
    DuplicatedStudyError, StorageError, TrialFinishedError, IncompatibleError,
    HpoIOError, ObjectiveFailedError, UnsupportedError)}


def error_for(code, message):
    """The exception for status `code` (negative) carrying `message`."""
    cls = _BY_CODE.get(code, HpoError)
    return cls(message, code)
