"""Finished trials as plain Python objects (Optuna's FrozenTrial), read
out of a libhpo trial handle once so no C object outlives the call.

A categorical parameter is stored as the index of its choice; its value is
taken from the choices in the parameter's distribution (Optuna's
distribution_json), which keeps the choices' JSON types: str, int, float,
bool or None.
"""

import datetime
import enum
import json

from ._native import ffi, lib, text

__all__ = ["TrialState", "StudyDirection", "FrozenTrial", "frozen_from_handle"]


class TrialState(enum.IntEnum):
    """Numbers match hpo_trial_state and Optuna's TrialState."""

    RUNNING = 0
    COMPLETE = 1
    PRUNED = 2
    FAIL = 3
    WAITING = 4

    def is_finished(self):
        return self in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


class StudyDirection(enum.IntEnum):
    """Numbers match hpo_direction and Optuna's StudyDirection."""

    MINIMIZE = 1
    MAXIMIZE = 2


class FrozenTrial:
    """A snapshot of one trial: what was stored when it was read."""

    __slots__ = ("number", "state", "values", "params", "user_attrs",
                 "system_attrs", "intermediate_values", "datetime_start",
                 "datetime_complete", "distributions")

    def __init__(self, number, state, values, params, user_attrs=None,
                 system_attrs=None, intermediate_values=None,
                 datetime_start=None, datetime_complete=None,
                 distributions=None):
        self.number = number
        self.state = TrialState(state)
        self.values = values
        self.params = params
        self.user_attrs = user_attrs or {}
        self.system_attrs = system_attrs or {}
        self.intermediate_values = intermediate_values or {}
        self.datetime_start = datetime_start
        self.datetime_complete = datetime_complete
        self.distributions = distributions or {}

    @property
    def value(self):
        """The single objective's value (None if the trial has none)."""
        if self.values is None:
            return None
        if len(self.values) != 1:
            raise RuntimeError("trial %d has %d objectives: use .values"
                               % (self.number, len(self.values)))
        return self.values[0]

    @property
    def duration(self):
        if self.datetime_start is None or self.datetime_complete is None:
            return None
        return self.datetime_complete - self.datetime_start

    def __repr__(self):
        return ("FrozenTrial(number=%d, state=%s, values=%r, params=%r)"
                % (self.number, self.state.name, self.values, self.params))

    def __eq__(self, other):
        if not isinstance(other, FrozenTrial):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None


# distribution_json text -> its parsed form; studies reuse a few texts.
_distribution_cache = {}


def _distribution(handle, i):
    raw = lib.hpo_trial_param_distribution(handle, i)
    key = text(raw)
    d = _distribution_cache.get(key)
    if d is None:
        d = json.loads(key) if key else {}
        if len(_distribution_cache) < 4096:
            _distribution_cache[key] = d
    return d


def _param_value(handle, i, kind, raw, dist):
    if kind == lib.HPO_PARAM_INT:
        return int(raw)
    if kind == lib.HPO_PARAM_CATEGORICAL:
        return dist["attributes"]["choices"][int(raw)]
    return raw


def _params(handle):
    params, dists = {}, {}
    for i in range(lib.hpo_trial_n_params(handle)):
        name = text(lib.hpo_trial_param_name(handle, i))
        kind = lib.hpo_trial_param_kind(handle, i)
        dist = _distribution(handle, i)
        params[name] = _param_value(handle, i, kind,
                                    lib.hpo_trial_param_value(handle, i), dist)
        dists[name] = dist
    return params, dists


def read_attrs(at, handle):
    """Every attribute of a listing function (hpo_*_attr_at) as a dict."""
    out, js = {}, ffi.new("const char **")
    i = 0
    while True:
        key = at(handle, i, js)
        if key == ffi.NULL:
            return out
        out[text(key)] = json.loads(text(js[0]))
        i += 1


def _intermediate(handle):
    step, value = ffi.new("int64_t *"), ffi.new("double *")
    out = {}
    for i in range(lib.hpo_trial_n_intermediate(handle)):
        lib.hpo_trial_intermediate(handle, i, step, value)
        out[int(step[0])] = value[0]
    return out


def _time(seconds):
    if seconds != seconds:  # NaN: not started / not finished
        return None
    return datetime.datetime.fromtimestamp(seconds)


def frozen_from_handle(handle):
    """Copy everything a trial handle holds into a FrozenTrial."""
    n = lib.hpo_trial_n_values(handle)
    values = [lib.hpo_trial_value(handle, i) for i in range(n)] or None
    params, dists = _params(handle)
    return FrozenTrial(
        number=lib.hpo_trial_number(handle),
        state=lib.hpo_trial_state_of(handle),
        values=values,
        params=params,
        user_attrs=read_attrs(lib.hpo_trial_user_attr_at, handle),
        system_attrs=read_attrs(lib.hpo_trial_system_attr_at, handle),
        intermediate_values=_intermediate(handle),
        datetime_start=_time(lib.hpo_trial_start_time(handle)),
        datetime_complete=_time(lib.hpo_trial_end_time(handle)),
        distributions=dists)


def frozen_list(array, n):
    """FrozenTrials from an owned hpo_trial** array (freed here)."""
    try:
        return [frozen_from_handle(array[i]) for i in range(n)]
    finally:
        lib.hpo_trials_free(array, n)
