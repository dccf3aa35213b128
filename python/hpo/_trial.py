"""The define-by-run trial: suggest, report, should_prune, attributes.

A Trial wraps one hpo_trial handle asked from a study.  It is told once
(Study.tell, or by optimize); after that every method raises
TrialFinishedError instead of touching the handle.  Its methods take a lock
of their own, so a trial handed to another thread cannot corrupt the C
handle (hpo_trial is not thread-safe); the handle is freed when the trial
is told or garbage-collected.
"""

import json
import math
import numbers
import threading

from ._errors import TrialFinishedError
from ._native import HPO_LOG, check, ffi, lib
from ._frozen import read_attrs
from ._scratch import scratch

__all__ = ["Trial"]

_CHOICE_TYPES = (str, int, float, bool, type(None))


_FAST = {numbers.Real: (float, int), numbers.Integral: (int,)}


def _require(value, kinds, what):
    if type(value) in _FAST[kinds]:  # the common case, without ABC checks
        return value
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise TypeError("%s must be %s, not %s" % (
            what, "an int" if kinds is numbers.Integral else "a real number",
            type(value).__name__))
    return value


def _name(name):
    if not isinstance(name, str):
        raise TypeError("a parameter name must be a str, not %s"
                        % type(name).__name__)
    return name.encode("utf-8")


def _choice_json(choice):
    if not isinstance(choice, _CHOICE_TYPES):
        raise TypeError("a categorical choice must be str, int, float, bool "
                        "or None, not %s" % type(choice).__name__)
    if isinstance(choice, float) and not math.isfinite(choice):
        raise ValueError("a categorical choice must be finite, not %r" % choice)
    return json.dumps(choice).encode("utf-8")


class Trial:
    """A running trial (Optuna's Trial)."""

    __slots__ = ("study", "number", "_h", "_lock", "_params", "__weakref__")

    def __init__(self, study, handle):
        self.study = study
        self._h = handle
        self._lock = threading.Lock()
        self.number = lib.hpo_trial_number(handle)
        self._params = {}
        study._trials.add(self)  # the study frees it first if closed first

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h is not None:
            try:
                lib.hpo_trial_free(h)  # never told: it stays RUNNING in storage
            except Exception:
                pass  # interpreter shutdown: the module's globals are gone

    def _release(self):
        """Free the handle without telling (the study is being closed)."""
        with self._lock:
            h, self._h = self._h, None
            if h is not None:
                lib.hpo_trial_free(h)

    def _handle(self):
        if self._h is None:
            raise TrialFinishedError(
                "trial %d is finished (told, or its study closed): it takes "
                "no more suggestions, reports or attributes" % self.number)
        return self._h

    def _check(self, rc):
        return check(rc, self._h, lib.hpo_trial_errmsg)

    # ---- suggest ----------------------------------------------------------

    def suggest_float(self, name, low, high, *, step=None, log=False):
        """A float in [low, high]; log samples in log space, step on a grid."""
        key = _name(name)
        low = float(_require(low, numbers.Real, "low"))
        high = float(_require(high, numbers.Real, "high"))
        step = 0.0 if step is None else float(_require(step, numbers.Real, "step"))
        flags = HPO_LOG if log else 0
        out = scratch().f
        with self._lock:
            h = self._handle()
            self._check(lib.hpo_trial_suggest_float(h, key, low, high, step,
                                                    flags, out))
            value = out[0]
        self._params[name] = value
        return value

    def suggest_int(self, name, low, high, step=1, log=False):
        """An int in [low, high]; log samples in log space, step on a grid."""
        key = _name(name)
        low = int(_require(low, numbers.Integral, "low"))
        high = int(_require(high, numbers.Integral, "high"))
        step = int(_require(step, numbers.Integral, "step"))
        flags = HPO_LOG if log else 0
        out = scratch().i
        with self._lock:
            h = self._handle()
            try:
                rc = lib.hpo_trial_suggest_int(h, key, low, high, step, flags,
                                               out)
            except OverflowError:
                raise ValueError("parameter '%s': bounds must fit in 64 bits"
                                 % name) from None
            self._check(rc)
            value = int(out[0])
        self._params[name] = value
        return value

    def suggest_categorical(self, name, choices):
        """One of `choices` (str, int, float, bool or None), returned as the
        very object given: types round-trip."""
        key = _name(name)
        if isinstance(choices, (str, bytes)) or not hasattr(choices, "__len__"):
            raise TypeError("choices must be a list or tuple, not %s"
                            % type(choices).__name__)
        choices = list(choices)
        texts = [ffi.new("char[]", _choice_json(c)) for c in choices]
        array = ffi.new("const char *[]", texts)
        index = ffi.new("int *")
        with self._lock:
            h = self._handle()
            self._check(lib.hpo_trial_suggest_categorical_json(
                h, key, array, len(choices), index))
        value = choices[index[0]]
        self._params[name] = value
        return value

    # ---- pruning ------------------------------------------------------------

    def report(self, value, step):
        """An intermediate value at a step (an epoch), for the pruner."""
        value = float(_require(value, numbers.Real, "value"))
        step = int(_require(step, numbers.Integral, "step"))
        with self._lock:
            self._check(lib.hpo_trial_report(self._handle(), step, value))

    def should_prune(self):
        """True when the study's pruner says to stop this trial now."""
        with self._lock:
            verdict = self._check(lib.hpo_trial_should_prune(self._handle()))
        return verdict == 1

    # ---- attributes ---------------------------------------------------------

    def set_user_attr(self, key, value):
        """Keep a JSON-serializable value with the trial."""
        if not isinstance(key, str):
            raise TypeError("an attribute key must be a str")
        js = json.dumps(value).encode("utf-8")
        with self._lock:
            self._check(lib.hpo_trial_set_user_attr(self._handle(),
                                                    key.encode("utf-8"), js))

    @property
    def user_attrs(self):
        with self._lock:
            return read_attrs(lib.hpo_trial_user_attr_at, self._handle())

    @property
    def params(self):
        """The parameters suggested so far, with their Python types."""
        return dict(self._params)

    # ---- the study's side -----------------------------------------------------

    def _tell(self, state, values):
        """Tell the trial (Study.tell calls this) and release the handle.
        Returns the number of the trial that holds the result: this one's,
        or a new one's when it had been failed under us (a late result,
        hpo_study_tell)."""
        n = len(values) if values else 0
        array = ffi.NULL
        if n:
            array = scratch().values if n <= 16 else ffi.new("double[]", n)
            for i, v in enumerate(values):
                array[i] = v
        with self._lock:
            h = self._handle()
            rc = lib.hpo_study_tell(self.study._h, h, state, array, n)
            try:
                check(rc, h, lib.hpo_trial_errmsg)
                return lib.hpo_trial_number(h)
            finally:
                if rc >= 0 or rc == lib.HPO_EFINISHED:
                    self._h = None
                    lib.hpo_trial_free(h)
                    self.study._trials.discard(self)

    def _fail_quietly(self):
        """Tell FAIL if the trial is still open; never raises (used while an
        exception is already on its way)."""
        with self._lock:
            h, self._h = self._h, None
            if h is not None:
                lib.hpo_study_tell(self.study._h, h, lib.HPO_FAIL, ffi.NULL, 0)
                lib.hpo_trial_free(h)
                self.study._trials.discard(self)

    def __repr__(self):
        return "Trial(number=%d, params=%r)" % (self.number, self._params)
