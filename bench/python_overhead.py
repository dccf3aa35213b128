#!/usr/bin/python3
"""python_overhead.py -- the Python binding's own cost per trial: study.optimize
with a trivial objective (one float, x^2), hpo's package against Optuna's
in-memory study, each the median of --repeat runs of --trials trials in a
fresh study.

    PYTHONPATH=python HPO_LIBRARY=build/libhpo.so OMP_NUM_THREADS=1 \
        /usr/bin/python3 bench/python_overhead.py [--trials 1000] [--repeat 5]

Rows:
  optuna tpe       Optuna 3.1's default sampler (TPESampler), InMemoryStorage
  optuna random    Optuna's RandomSampler, InMemoryStorage
  hpo random       hpo.create_study(sampler="random"), memory: storage
  hpo tpe          hpo.create_study(sampler="tpe") (Optuna-compatible TPE)
  hpo auto         hpo's default sampler (GP for one float)
  loop: python     the bare mechanism behind hpo's optimize: ask, suggest,
                   tell through cffi in a Python loop (no Trial objects)
  loop: callback   the alternative: hpo_study_optimize in C calling the
                   objective through an ffi.callback
The two loop rows run --loop-trials trials (20,000: 1,000 take a few
milliseconds, too short to time on a shared machine).  The ratio column is
trials/s over Optuna's default (TPE).
"""
import argparse
import statistics
import time

import hpo
from hpo._native import ffi, lib


def trivial(trial):
    x = trial.suggest_float("x", -10.0, 10.0)
    return x * x


def run_hpo(sampler, n):
    study = hpo.create_study(sampler=sampler, seed=1)
    t0 = time.perf_counter()
    study.optimize(trivial, n_trials=n)
    dt = time.perf_counter() - t0
    study.close()
    return dt


def run_optuna(sampler_name, n):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = (optuna.samplers.TPESampler(seed=1) if sampler_name == "tpe"
               else optuna.samplers.RandomSampler(seed=1))
    study = optuna.create_study(sampler=sampler)
    t0 = time.perf_counter()
    study.optimize(trivial, n_trials=n)
    return time.perf_counter() - t0


def raw_study():
    h = lib.hpo_study_new()
    lib.hpo_study_set_sampler(h, b"random")
    lib.hpo_study_set_seed(h, 1)
    assert lib.hpo_study_open(h, b"raw", 1) == 0
    return h


def run_loop_python(n):
    h = raw_study()
    out, x = ffi.new("hpo_trial **"), ffi.new("double *")
    v = ffi.new("double[1]")
    t0 = time.perf_counter()
    for _ in range(n):
        lib.hpo_study_ask(h, out)
        t = out[0]
        lib.hpo_trial_suggest_float(t, b"x", -10.0, 10.0, 0.0, 0, x)
        v[0] = x[0] * x[0]
        lib.hpo_study_tell(h, t, lib.HPO_COMPLETE, v, 1)
        lib.hpo_trial_free(t)
    dt = time.perf_counter() - t0
    lib.hpo_study_free(h)
    return dt


def run_loop_callback(n):
    h = raw_study()
    x = ffi.new("double *")

    @ffi.callback("int(hpo_trial *, void *, double *)", onerror=lambda *a: -10)
    def objective(t, data, values):
        lib.hpo_trial_suggest_float(t, b"x", -10.0, 10.0, 0.0, 0, x)
        values[0] = x[0] * x[0]
        return 0
    opts = ffi.new("hpo_optimize_options *", {"n_trials": n})
    t0 = time.perf_counter()
    lib.hpo_study_optimize(h, objective, ffi.NULL, opts)
    dt = time.perf_counter() - t0
    lib.hpo_study_free(h)
    return dt


def main():
    ap = argparse.ArgumentParser(description="hpo's Python binding vs Optuna: trials/s")
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--loop-trials", type=int, default=20000)
    ap.add_argument("--skip-auto", action="store_true",
                    help="leave out hpo's default sampler (GP: slow per trial)")
    args = ap.parse_args()
    n = args.trials
    rows = [("optuna tpe (default)", lambda: run_optuna("tpe", n)),
            ("optuna random", lambda: run_optuna("random", n)),
            ("hpo random", lambda: run_hpo("random", n)),
            ("hpo tpe", lambda: run_hpo("tpe", n))]
    if not args.skip_auto:
        rows.append(("hpo auto (default)", lambda: run_hpo("auto", n)))
    m = args.loop_trials
    loops = [("loop: python ask/tell (random)", lambda: run_loop_python(m)),
             ("loop: C optimize + ffi.callback (random)", lambda: run_loop_callback(m))]
    rates = {}
    print("%d trials, median of %d runs, trivial objective (one float)" % (n, args.repeat))
    print("| side, sampler | trials/s | x Optuna default |")
    print("| --- | ---: | ---: |")
    for name, fn in rows + loops:
        count = m if (name, fn) in loops else n
        rate = count / statistics.median(fn() for _ in range(args.repeat))
        rates[name] = rate
        base = rates["optuna tpe (default)"]
        print("| %s | %.0f | %.1f |" % (name, rate, rate / base), flush=True)


if __name__ == "__main__":
    main()
