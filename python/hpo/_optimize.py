"""Study.optimize: a loop of ask -> objective -> tell, in Python.

Why a Python loop and not hpo_study_optimize with a cffi callback: the
callback saves well under a microsecond a trial, under 5 % of what the
binding costs anyway (bench/python_overhead.py, docs/benchmarks.md), and the
loop keeps Python's exceptions Python's.  A KeyboardInterrupt or an
objective's exception is caught where it happens, the trial is told FAIL
(never left RUNNING), and the exception propagates unchanged; a callback
would have to smuggle it through C.

States, as Optuna gives them:
    objective returns a number (or one per objective) -> COMPLETE
    returns NaN                                       -> FAIL (libhpo's rule)
    returns something that is not a number            -> FAIL, warned
    raises TrialPruned                                -> PRUNED
    raises an exception listed in catch               -> FAIL, the run goes on
    raises anything else (KeyboardInterrupt too)      -> FAIL, re-raised

n_jobs > 1 runs the loop on that many threads (the calling thread is one of
them).  libhpo's calls release the GIL (cffi does so around every call), so
the sampler of one thread works while another runs Python.
"""

import gc
import numbers
import os
import sys
import threading
import time
import warnings

from ._errors import SearchSpaceExhausted, TrialPruned
from ._frozen import TrialState
from ._native import lib

__all__ = ["optimize"]


class _Run:
    """What the workers share: the budget, the deadline, the first error."""

    def __init__(self, study, n_trials, timeout):
        self.study = study
        self.lock = threading.Lock()
        self.remaining = n_trials  # None: no limit
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.error = None  # the first exception that stops the run
        self.done = 0

    def may_start(self):
        if self.error is not None or self.study._stop.is_set():
            return False
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return False
        if self.remaining is None:
            return True
        with self.lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True

    def fail(self, exc):
        with self.lock:
            if self.error is None:
                self.error = exc


def _as_values(result, n_objectives):
    """The objective's result as floats, or None (and a warning) when it is
    not one number per objective: Optuna fails such a trial."""
    if isinstance(result, numbers.Real) and not isinstance(result, bool):
        values = [float(result)]
    elif isinstance(result, (list, tuple)):
        try:
            values = [float(v) for v in result]
        except (TypeError, ValueError):
            values = None
    else:
        try:  # numpy scalars and other objects with __float__
            values = [float(result)]
        except (TypeError, ValueError):
            values = None
    if values is None or len(values) != n_objectives:
        warnings.warn("the objective returned %r: %d number(s) expected; the "
                      "trial is FAIL" % (result, n_objectives), RuntimeWarning,
                      stacklevel=4)
        return None
    return values


def _run_trial(study, func, catch, n_objectives):
    """One trial; returns its number, or raises what must stop the run."""
    trial = study.ask()
    number = trial.number
    try:
        result = func(trial)
    except TrialPruned:
        number = trial._tell(TrialState.PRUNED, None)
    except catch as e:
        _tell_fail(trial, e)
    except BaseException as e:
        _tell_fail(trial, e)
        raise
    else:
        values = _as_values(result, n_objectives)
        try:
            if values is None:
                trial._tell(TrialState.FAIL, None)
            else:
                number = trial._tell(TrialState.COMPLETE, values)
        except BaseException:
            trial._fail_quietly()  # Ctrl-C during tell: not left RUNNING
            raise
    return number


def _tell_fail(trial, exc):
    """FAIL with the reason kept where `hpo trials` and Optuna show it."""
    try:
        trial.set_user_attr("fail_reason", "%s: %s" % (type(exc).__name__, exc))
    except BaseException:
        pass  # a trial told already, or the attribute refused: FAIL anyway
    trial._fail_quietly()


def _worker(run, func, catch, callbacks, n_objectives, gc_after_trial, progress):
    study = run.study
    try:
        while run.may_start():
            try:
                number = _run_trial(study, func, catch, n_objectives)
            except SearchSpaceExhausted:  # nothing left to propose (a grid)
                return
            if gc_after_trial:
                gc.collect()
            with run.lock:
                run.done += 1
            if progress:
                progress(run)
            if callbacks:
                frozen = study._frozen_by_number(number)
                with run.lock:
                    for cb in callbacks:
                        cb(study, frozen)
    except BaseException as e:
        run.fail(e)


def _progress_line(total):
    def show(run):
        sys.stderr.write("\rhpo: %d%s trials" % (
            run.done, "/%d" % total if total else ""))
        sys.stderr.flush()
    return show


def _check_args(n_trials, timeout, n_jobs, catch):
    if n_trials is not None and (isinstance(n_trials, bool) or
                                 not isinstance(n_trials, int) or n_trials < 0):
        raise ValueError("n_trials must be a non-negative int or None")
    if timeout is not None and (not isinstance(timeout, numbers.Real) or
                                timeout < 0):
        raise ValueError("timeout must be a non-negative number of seconds or None")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0:
        raise ValueError("n_jobs must be a positive int or -1 (one per CPU)")
    if n_jobs < 0:
        n_jobs = os.cpu_count() or 1
    if isinstance(catch, type):
        catch = (catch,)
    catch = tuple(catch)
    if not all(isinstance(c, type) and issubclass(c, Exception) for c in catch):
        raise TypeError("catch must be a tuple of Exception classes")
    return n_jobs, catch


def optimize(study, func, n_trials=None, timeout=None, n_jobs=1, catch=(),
             callbacks=None, gc_after_trial=False, show_progress_bar=False):
    if not callable(func):
        raise TypeError("the objective must be callable")
    n_jobs, catch = _check_args(n_trials, timeout, n_jobs, catch)
    h = study._handle()
    if n_trials:  # samplers that plan for the budget (auto) read it
        study._check(lib.hpo_study_plan_trials(h, n_trials))
    study._stop.clear()
    run = _Run(study, n_trials, timeout)
    progress = _progress_line(n_trials) if show_progress_bar else None
    args = (run, func, catch, list(callbacks or ()), len(study.directions),
            gc_after_trial, progress)
    threads = [threading.Thread(target=_worker, args=args, daemon=True)
               for _ in range(n_jobs - 1)]
    for t in threads:
        t.start()
    try:
        _worker(*args)  # the calling thread is worker 0 (it gets Ctrl-C)
    finally:
        for t in threads:
            _join(t, run)
        if progress:
            sys.stderr.write("\n")
    if run.error is not None:
        raise run.error


def _join(thread, run):
    """Join a worker; a Ctrl-C meanwhile stops the others and is raised once
    they have told their trials."""
    while True:
        try:
            thread.join()
            return
        except BaseException as e:
            run.fail(e)
            run.study._stop.set()
