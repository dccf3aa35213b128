"""A private in-memory hpo study that shadows one Optuna study.

Both adapters (sampler and pruner) keep one of these per Optuna study and
mirror Optuna's trials into it, so hpo's C samplers and pruners see the
study's history whatever storage Optuna uses.  This file is the only one in
the subpackage that calls libhpo: creating the study, asking (with or
without a fixed set of parameters), suggesting with an Optuna distribution,
reporting, telling.
"""

import json
import math

from optuna.distributions import (CategoricalDistribution, FloatDistribution,
                                  IntDistribution)
from optuna.study import StudyDirection
from optuna.trial import TrialState

from hpo._native import ffi, lib

_DIRECTIONS = {StudyDirection.MINIMIZE: lib.HPO_MINIMIZE,
               StudyDirection.MAXIMIZE: lib.HPO_MAXIMIZE}
_STATES = {TrialState.COMPLETE: lib.HPO_COMPLETE,
           TrialState.PRUNED: lib.HPO_PRUNED_STATE,
           TrialState.FAIL: lib.HPO_FAIL}
_LOG = 1  # HPO_LOG, a #define cffi's ABI mode does not see


class HpoOptunaError(RuntimeError):
    """libhpo refused a call of the Optuna adapters; the message is hpo's."""


def _text(p):
    return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""


def _error(code, message):
    name = _text(lib.hpo_errname(code))
    text = "hpo: %s (%s)" % (message or _text(lib.hpo_errstr(code)), name)
    return ValueError(text) if code == lib.HPO_EINVAL else HpoOptunaError(text)


def check_spec(kind, spec):
    """Refuse an unknown sampler or pruner spec at construction, with hpo's
    message, rather than at the first trial."""
    s = lib.hpo_study_new()
    if s == ffi.NULL:
        raise MemoryError("hpo: out of memory")
    try:
        setter = lib.hpo_study_set_sampler if kind == "sampler" \
            else lib.hpo_study_set_pruner
        rc = setter(s, spec.encode())
        if rc != lib.HPO_OK:
            raise _error(rc, _text(lib.hpo_study_errmsg(s)))
    finally:
        lib.hpo_study_free(s)


def choice_labels(choices):
    """hpo's categorical choices are strings: each Optuna choice (None, bool,
    int, float, str) as its JSON text, so 1, 1.0, True and "1" stay apart."""
    return [json.dumps(c) for c in choices]


class HpoStudy:
    """One hpo study in memory, with a sampler and/or pruner spec."""

    def __init__(self, directions, sampler="random", pruner="none",
                 seed=None):
        s = lib.hpo_study_new()
        if s == ffi.NULL:
            raise MemoryError("hpo: out of memory")
        self._s = ffi.gc(s, lib.hpo_study_free)
        self.n_objectives = len(directions)
        self._d = ffi.new("double *")
        self._i = ffi.new("int64_t *")
        self._k = ffi.new("int *")
        self._values = ffi.new("double[]", max(1, self.n_objectives))
        self._out = ffi.new("hpo_trial **")
        for d in directions:
            if d not in _DIRECTIONS:
                raise ValueError("hpo: study direction %r is neither "
                                 "minimize nor maximize" % (d,))
            self._check(lib.hpo_study_add_direction(self._s, _DIRECTIONS[d]))
        self._check(lib.hpo_study_set_sampler(self._s, sampler.encode()))
        self._check(lib.hpo_study_set_pruner(self._s, pruner.encode()))
        if seed is not None:
            self._check(lib.hpo_study_set_seed(self._s, seed & (2**64 - 1)))
        self._check(lib.hpo_study_open(self._s, b"optuna-mirror", 1))

    def _check(self, rc):
        if rc < 0:
            raise _error(rc, _text(lib.hpo_study_errmsg(self._s)))
        return rc

    # ---- trials ------------------------------------------------------------

    def ask(self):
        """A new trial, its joint parameters chosen by hpo's sampler."""
        self._check(lib.hpo_study_ask(self._s, self._out))
        return ffi.gc(self._out[0], lib.hpo_trial_free)

    def ask_fixed(self, params_json):
        """A new trial holding parameters chosen elsewhere (a mirror)."""
        self._check(lib.hpo_study_ask_fixed(self._s, params_json.encode(),
                                            self._out))
        return ffi.gc(self._out[0], lib.hpo_trial_free)

    def suggest(self, t, name, dist):
        """hpo's value for `name` on trial t in Optuna's type for `dist`.
        Raises KeyError (not an error of the study) when hpo refuses the
        distribution for this name (another kind than before)."""
        b = name.encode()
        if isinstance(dist, FloatDistribution):
            rc = lib.hpo_trial_suggest_float(
                t, b, dist.low, dist.high, dist.step or 0.0,
                _LOG if dist.log else 0, self._d)
            value = float(self._d[0])
        elif isinstance(dist, IntDistribution):
            rc = lib.hpo_trial_suggest_int(
                t, b, dist.low, dist.high, dist.step, _LOG if dist.log else 0,
                self._i)
            value = int(self._i[0])
        elif isinstance(dist, CategoricalDistribution):
            keep = [ffi.new("char[]", x.encode())
                    for x in choice_labels(dist.choices)]
            rc = lib.hpo_trial_suggest_categorical(
                t, b, ffi.new("char *[]", keep), len(keep), self._k)
            value = dist.choices[self._k[0]] if rc == lib.HPO_OK else None
        else:
            raise KeyError(name)  # a distribution hpo does not know
        if rc == lib.HPO_EINCOMPAT:
            raise KeyError(name)
        if rc != lib.HPO_OK:
            raise _error(rc, _text(lib.hpo_trial_errmsg(t)))
        return value

    def report(self, t, step, value):
        rc = lib.hpo_trial_report(t, step, value)
        if rc < 0:
            raise _error(rc, _text(lib.hpo_trial_errmsg(t)))

    def report_from(self, t, intermediate, after=-1):
        """Report Optuna's intermediate values of steps above `after`, in
        step order (hpo keeps steps going forward); returns the last step."""
        for step in sorted(k for k in intermediate if k > after):
            self.report(t, step, intermediate[step])
            after = step
        return after

    def should_prune(self, t):
        rc = lib.hpo_trial_should_prune(t)
        if rc < 0:
            raise _error(rc, _text(lib.hpo_trial_errmsg(t)))
        return rc

    def tell(self, t, state, values):
        """Finish t as Optuna finished its trial.  A COMPLETE trial without
        the study's number of values is told FAIL."""
        code = _STATES.get(state, lib.HPO_FAIL)
        n = 0
        if code == lib.HPO_COMPLETE:
            if values is None or len(values) != self.n_objectives:
                code = lib.HPO_FAIL
            else:
                for i, v in enumerate(values):
                    self._values[i] = v
                n = self.n_objectives
        rc = lib.hpo_study_tell(self._s, t, code,
                                self._values if n else ffi.NULL, n)
        if rc < 0 and rc != lib.HPO_EFINISHED:
            raise _error(rc, _text(lib.hpo_trial_errmsg(t)))

    def mirror(self, trial, state, values, intermediate=True):
        """Record a finished Optuna trial that hpo did not sample: its
        parameters fixed, each suggested with its distribution (a kind hpo
        refuses for that name is left out), the last intermediate value of a
        single-objective trial (what a PRUNED trial's value is; all of them
        when `intermediate` is "all"), then its state and values."""
        fixed = {}
        for name, dist in trial.distributions.items():
            v = trial.params[name]
            if isinstance(dist, CategoricalDistribution):
                v = json.dumps(v)
            elif isinstance(v, float) and not math.isfinite(v):
                continue
            fixed[name] = v
        t = self.ask_fixed(json.dumps(fixed))
        for name, dist in trial.distributions.items():
            if name in fixed:
                try:
                    self.suggest(t, name, dist)
                except (KeyError, ValueError):
                    pass  # another kind than hpo saw before under this name
        self.report_intermediate(t, trial.intermediate_values, intermediate)
        self.tell(t, state, values)

    def report_intermediate(self, t, intermediate, which):
        if self.n_objectives != 1 or not intermediate or not which:
            return
        if which == "all":
            self.report_from(t, intermediate)
        else:
            last = max(intermediate)
            self.report(t, last, intermediate[last])
