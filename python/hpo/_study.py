"""Studies: create_study / load_study and the Study object (Optuna's API
over hpo_study).

A Study owns one hpo_study handle, freed by close(), by `with`, or when the
object is collected.  Threads: ask, tell, optimize and the readers may be
called from several threads at once (libhpo's study is thread-safe for
them); the calls that change the study's settings or attributes take the
study's lock, so the message of a failed call is the one that call set.
"""

import json
import threading
import uuid
import weakref

from ._errors import MisuseError, NotFoundError, SearchSpaceExhausted
from ._frozen import (StudyDirection, TrialState, frozen_list,
                      frozen_from_handle, read_attrs)
from ._native import HPO_OPEN_CREATE, HPO_OPEN_LOAD, check, ffi, lib, text
from ._scratch import scratch
from ._storage import as_storage
from ._trial import Trial

__all__ = ["Study", "create_study", "load_study", "delete_study"]


def _direction(d):
    if isinstance(d, str):
        try:
            return StudyDirection[d.upper()]
        except KeyError:
            raise ValueError("a direction is 'minimize' or 'maximize', not %r"
                             % d) from None
    if isinstance(d, int) and d in (1, 2):
        return StudyDirection(d)
    raise ValueError("a direction is 'minimize' or 'maximize', not %r" % (d,))


def _spec(value, what):
    if not isinstance(value, str):
        raise TypeError("%s must be a spec string such as 'tpe' or "
                        "'median:n_startup_trials=5' (hpo.%ss() lists them), "
                        "not %s" % (what, what, type(value).__name__))
    return value.encode("utf-8")


def _seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise TypeError("seed must be a non-negative int, not %r" % (seed,))
    return seed & 0xFFFFFFFFFFFFFFFF


class Study:
    """An open study.  Make one with hpo.create_study or hpo.load_study."""

    def __init__(self, handle, storage):
        self._h = handle
        self._storage = storage  # kept alive while the study borrows it
        self._lock = threading.RLock()
        self._trials = weakref.WeakSet()  # asked, not yet told
        self._finalizer = weakref.finalize(self, _free_study, handle,
                                           self._trials)
        self._stop = threading.Event()
        if storage is not None:
            storage._studies.add(self)
        self.study_name = text(lib.hpo_study_name(handle))
        n = lib.hpo_study_n_objectives(handle)
        self.directions = [StudyDirection(lib.hpo_study_direction(handle, i))
                           for i in range(n)]

    # ---- life -----------------------------------------------------------------

    @property
    def closed(self):
        return not self._finalizer.alive

    def close(self):
        """Free the study's handle; its trials stay stored."""
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if not self._finalizer.alive:
            raise MisuseError("study '%s' is closed" % self.study_name)
        return self._h

    def _check(self, rc):
        return check(rc, self._h, lib.hpo_study_errmsg)

    @property
    def direction(self):
        if len(self.directions) != 1:
            raise RuntimeError("study '%s' has %d objectives: use .directions"
                               % (self.study_name, len(self.directions)))
        return self.directions[0]

    # ---- ask and tell -----------------------------------------------------------

    def ask(self):
        """A new trial (an enqueued one first)."""
        out = scratch().trial
        out[0] = ffi.NULL
        trial = None
        try:
            rc = lib.hpo_study_ask(self._handle(), out)
            if rc == lib.HPO_DONE:
                raise SearchSpaceExhausted("study '%s': the sampler has nothing "
                                           "left to propose" % self.study_name)
            self._check(rc)
            trial = Trial(self, out[0])
            return trial
        except BaseException:
            # Ctrl-C between the C call and the Trial: not left RUNNING.
            if trial is None and out[0] != ffi.NULL:
                lib.hpo_study_tell(self._h, out[0], lib.HPO_FAIL, ffi.NULL, 0)
                lib.hpo_trial_free(out[0])
            raise

    def tell(self, trial, values=None, state=None, skip_if_finished=False):
        """Finish a trial (a Trial or its number) and return it frozen.

        state defaults to COMPLETE, which needs values (one per objective);
        PRUNED and FAIL take none.  A NaN value makes the trial FAIL."""
        state = TrialState.COMPLETE if state is None else TrialState(state)
        values = _values(values, state)
        if not isinstance(trial, Trial):
            trial = self._trial_by_number(trial)
        number = trial.number
        try:
            number = trial._tell(state, values)
        except Exception as e:
            if not (skip_if_finished and getattr(e, "code", 0) == lib.HPO_EFINISHED):
                raise
        return self._frozen_by_number(number)

    def _trial_by_number(self, number):
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError("tell takes a Trial or a trial number, not %s"
                            % type(number).__name__)
        out = ffi.new("hpo_trial **")
        self._check(lib.hpo_study_trial(self._handle(), number, out))
        return Trial(self, out[0])

    def _frozen_by_number(self, number):
        out = ffi.new("hpo_trial **")
        self._check(lib.hpo_study_trial(self._handle(), number, out))
        try:
            return frozen_from_handle(out[0])
        finally:
            lib.hpo_trial_free(out[0])

    def enqueue_trial(self, params, user_attrs=None):
        """Queue a trial with fixed parameters; workers take it first.
        Categorical values are given as the choice itself."""
        if not isinstance(params, dict):
            raise TypeError("params must be a dict, not %s" % type(params).__name__)
        if user_attrs:
            raise NotImplementedError("enqueue_trial: user_attrs are not "
                                      "supported; set them in the objective")
        with self._lock:
            self._check(lib.hpo_study_enqueue(
                self._handle(), json.dumps(params).encode("utf-8")))

    # ---- optimize -------------------------------------------------------------

    def optimize(self, func, n_trials=None, timeout=None, n_jobs=1, catch=(),
                 callbacks=None, gc_after_trial=False, show_progress_bar=False):
        """Run func(trial) -> value(s) on n_trials trials (see _optimize)."""
        from ._optimize import optimize
        optimize(self, func, n_trials=n_trials, timeout=timeout, n_jobs=n_jobs,
                 catch=catch, callbacks=callbacks, gc_after_trial=gc_after_trial,
                 show_progress_bar=show_progress_bar)

    def stop(self):
        """Ask a running optimize to stop after the trials in flight."""
        self._handle()
        self._stop.set()

    # ---- reading --------------------------------------------------------------

    def get_trials(self, deepcopy=True, states=None):
        """The study's trials (FrozenTrial), ordered by number; states
        limits them to some TrialStates."""
        out, n = ffi.new("hpo_trial ***"), ffi.new("int *")
        if states is None:
            self._check(lib.hpo_study_trials(self._handle(), out, n))
        else:
            mask = 0
            for s in states:
                mask |= 1 << int(TrialState(s))
            self._check(lib.hpo_study_trials_in(self._handle(), mask, out, n))
        return frozen_list(out[0], n[0])

    @property
    def trials(self):
        return self.get_trials()

    @property
    def best_trial(self):
        """The best COMPLETE trial; ValueError-like NotFoundError if none."""
        out = ffi.new("hpo_trial **")
        rc = lib.hpo_study_best_trial(self._handle(), out)
        if rc == lib.HPO_ENOTFOUND:
            raise _NoBestTrial("study '%s' has no COMPLETE trial yet"
                               % self.study_name, rc)
        self._check(rc)
        try:
            return frozen_from_handle(out[0])
        finally:
            lib.hpo_trial_free(out[0])

    @property
    def best_value(self):
        return self.best_trial.value

    @property
    def best_params(self):
        return self.best_trial.params

    @property
    def best_trials(self):
        """The Pareto front (any number of objectives)."""
        out, n = ffi.new("hpo_trial ***"), ffi.new("int *")
        self._check(lib.hpo_study_pareto_front(self._handle(), out, n))
        return frozen_list(out[0], n[0])

    def trials_dataframe(self):
        """The trials as a pandas DataFrame (ImportError without pandas)."""
        from ._dataframe import trials_dataframe
        return trials_dataframe(self)

    # ---- attributes -------------------------------------------------------------

    def set_user_attr(self, key, value):
        if not isinstance(key, str):
            raise TypeError("an attribute key must be a str")
        with self._lock:
            self._check(lib.hpo_study_set_user_attr(
                self._handle(), key.encode("utf-8"),
                json.dumps(value).encode("utf-8")))

    @property
    def user_attrs(self):
        with self._lock:
            return read_attrs(lib.hpo_study_user_attr_at, self._handle())

    def __repr__(self):
        return "Study(%r)" % self.study_name


def _free_study(handle, open_trials):
    """Free the trials still open first: an untold hpo_trial reaches into its
    study when freed (they stay RUNNING in storage, as in C)."""
    for trial in list(open_trials):
        trial._release()
    lib.hpo_study_free(handle)


class _NoBestTrial(NotFoundError, ValueError):
    """No best trial: a ValueError as Optuna raises."""


def _values(values, state):
    if state != TrialState.COMPLETE:
        if values is not None:
            raise ValueError("a %s trial takes no values" % state.name)
        return None
    if values is None:
        raise ValueError("a COMPLETE trial needs its value(s)")
    if not isinstance(values, (list, tuple)):
        values = [values]
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise TypeError("values must be numbers, not %r" % (values,)) from None


def _set_space(h, search_space):
    """Declare the study's space (grid and qmc need one) from hpo's JSON
    space document: {"x": "float:-1:1", "k": {"type": "int", "low": 0,
    "high": 3}, "c": "cat:a,b"} (a dict, or its JSON text)."""
    if isinstance(search_space, dict):
        search_space = json.dumps(search_space)
    if not isinstance(search_space, str):
        raise TypeError("search_space must be a dict or JSON text, not %s"
                        % type(search_space).__name__)
    space = lib.hpo_space_new()
    if space == ffi.NULL:
        raise MemoryError("hpo_space_new")
    try:
        check(lib.hpo_space_parse_json(space, search_space.encode("utf-8"),
                                       b"search_space"),
              space, lib.hpo_space_errmsg)
        check(lib.hpo_study_set_space(h, space), h, lib.hpo_study_errmsg)
    finally:
        lib.hpo_space_free(space)


def _new_handle(storage, sampler, pruner, seed, directions, search_space=None):
    """hpo_study_new with its options set (freed on error)."""
    h = lib.hpo_study_new()
    if h == ffi.NULL:
        raise MemoryError("hpo_study_new")
    try:
        def ok(rc):
            check(rc, h, lib.hpo_study_errmsg)
        if storage is not None:
            ok(lib.hpo_study_set_storage(h, storage._handle()))
        for d in directions:
            ok(lib.hpo_study_add_direction(h, int(_direction(d))))
        if sampler is not None:
            ok(lib.hpo_study_set_sampler(h, _spec(sampler, "sampler")))
        if pruner is not None:
            ok(lib.hpo_study_set_pruner(h, _spec(pruner, "pruner")))
        if seed is not None:
            ok(lib.hpo_study_set_seed(h, _seed(seed)))
        if search_space is not None:
            _set_space(h, search_space)
        return h
    except BaseException:
        lib.hpo_study_free(h)
        raise


def _open(name, storage, sampler, pruner, seed, directions, flags,
          search_space=None):
    if not isinstance(name, str):
        raise TypeError("study_name must be a str, not %s" % type(name).__name__)
    storage = as_storage(storage)
    h = _new_handle(storage, sampler, pruner, seed, directions, search_space)
    rc = lib.hpo_study_open(h, name.encode("utf-8"), flags)
    if rc < 0:
        try:
            check(rc, h, lib.hpo_study_errmsg)
        finally:
            lib.hpo_study_free(h)
    return Study(h, storage)


def create_study(study_name=None, storage=None, sampler="auto", pruner=None,
                 direction=None, directions=None, seed=None,
                 load_if_exists=False, search_space=None):
    """Create a study (or load it with load_if_exists).

    storage: None (a private in-memory storage), a URL ("sqlite:///x.db",
    "postgresql://...", "memory:") or an hpo.Storage.  sampler and pruner are
    hpo spec strings ("tpe:multivariate=true", "median:n_startup_trials=5");
    hpo.samplers() and hpo.pruners() list the names.  search_space declares
    the space up front (grid and qmc need it): a dict in hpo's JSON space
    form, {"x": "float:-1:1", "c": "cat:a,b"}."""
    if direction is not None and directions is not None:
        raise ValueError("give direction or directions, not both")
    if directions is None:
        directions = [direction or "minimize"]
    if not directions:
        raise ValueError("directions must name at least one direction")
    if study_name is None:
        study_name = "no-name-" + str(uuid.uuid4())
    flags = HPO_OPEN_CREATE | (HPO_OPEN_LOAD if load_if_exists else 0)
    return _open(study_name, storage, sampler, pruner, seed, directions, flags,
                 search_space)


def load_study(study_name, storage, sampler=None, pruner=None, seed=None,
               search_space=None):
    """Open a stored study (NotFoundError if it is not there)."""
    if storage is None:
        raise ValueError("load_study needs a storage: a private in-memory one "
                         "would be empty")
    return _open(study_name, storage, sampler, pruner, seed, [], HPO_OPEN_LOAD,
                 search_space)


def delete_study(study_name, storage):
    """Delete a stored study and its trials."""
    st = as_storage(storage)
    st.delete_study(study_name)
