#!/usr/bin/python3
"""optuna_adapters.py -- hpo's samplers inside Optuna (python/hpo/optuna/)
beside Optuna 3.1's own, in one run (run by hand; docs/benchmarks.md,
"Optuna adapters").

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONPATH=python \\
        /usr/bin/python3 bench/optuna_adapters.py tpe [--problem hartmann6] [--trials 1000] [--seeds 0-2]
    ... bench/optuna_adapters.py gp [--trials 100] [--seeds 0-4] [--problems branin,...]

tpe: the same Optuna script (study.optimize on a suite problem) with
optuna.samplers.TPESampler and with hpo.optuna.TPESampler, and with
Optuna's RandomSampler as the floor (Optuna's own storage and trial
bookkeeping, which both sides pay): wall time per trial over the whole run
and over its last 100 trials, final regret; medians over seeds; ratio =
Optuna's / hpo's time.

gp: hpo.optuna.GPSampler against Optuna's best sampler (the best median of
its random, TPE, multivariate TPE and CMA-ES, as BENCHMARKS.md's "Optuna
best") on the 7 synthetic problems: median regret after the budget; ratio =
hpo / Optuna's best; the count of problems where it is at most one half.

The problems are bench/optuna_ref.py's (bench/problems.c in Python).
"""

import argparse
import os
import statistics
import sys
import time
import warnings

import optuna

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "python"))

import hpo.optuna  # noqa: E402
from optuna_ref import PROBLEMS  # noqa: E402

# f* of BENCHMARKS.md's synthetic suite.
F_STAR = {"branin": 0.397887357729738, "hartmann6": -3.32236801141551,
          "rosenbrock4": 0.0, "ackley10": 0.0, "levy8": 0.0,
          "styblinski_tang8": -313.329325630171, "mixed4": 0.0}

OPTUNA_SAMPLERS = {
    "random": lambda s: optuna.samplers.RandomSampler(seed=s),
    "tpe": lambda s: optuna.samplers.TPESampler(seed=s),
    "tpe-mv": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True),
    "cmaes": lambda s: optuna.samplers.CmaEsSampler(seed=s),
}


def run(problem, sampler, n_trials):
    """The Optuna script both sides share: wall time per trial (whole run,
    last 100 trials) and the regret at the end."""
    study = optuna.create_study(sampler=sampler)
    stamps = []

    def objective(trial):
        return problem.f(problem.suggest(trial))[0]

    def stamp(study, trial):
        stamps.append(time.perf_counter())

    start = time.perf_counter()
    study.optimize(objective, n_trials=n_trials, callbacks=[stamp])
    total = stamps[-1] - start
    last = stamps[-1] - stamps[-101] if len(stamps) > 100 else total
    return {"ms": 1e3 * total / n_trials,
            "ms_last100": 1e3 * last / min(100, n_trials),
            "regret": study.best_value - F_STAR[problem.name]}


def seeds_of(text):
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(s) for s in text.split(",")]


def median_of(rows, key):
    return statistics.median(r[key] for r in rows)


def bench_tpe(args):
    problem = PROBLEMS[args.problem]
    sides = [("Optuna RandomSampler (floor)",
              lambda s: optuna.samplers.RandomSampler(seed=s)),
             ("Optuna TPESampler", lambda s: optuna.samplers.TPESampler(seed=s)),
             ("hpo.optuna.TPESampler", lambda s: hpo.optuna.TPESampler(seed=s))]
    results = {name: [] for name, _ in sides}
    for seed in args.seeds:
        for name, make in sides:
            r = run(problem, make(seed), args.trials)
            results[name].append(r)
            print("# seed %d %-30s %8.3f ms/trial (last 100: %8.3f)  regret %.4g"
                  % (seed, name, r["ms"], r["ms_last100"], r["regret"]),
                  flush=True)
    print("\n%s, %d trials, seeds %s (medians)\n" % (args.problem, args.trials,
                                                   ",".join(map(str, args.seeds))))
    print("| sampler | ms/trial | ms/trial, last 100 | regret |")
    print("|---|---|---|---|")
    for name, _ in sides:
        rows = results[name]
        print("| %s | %.3f | %.3f | %.4g |" % (
            name, median_of(rows, "ms"), median_of(rows, "ms_last100"),
            median_of(rows, "regret")))
    opt, ours = results["Optuna TPESampler"], results["hpo.optuna.TPESampler"]
    floor = results["Optuna RandomSampler (floor)"]
    print("\nratio Optuna TPE / hpo TPE, time per trial: %.1fx (last 100: %.1fx);"
          " Optuna's floor alone allows %.1fx"
          % (median_of(opt, "ms") / median_of(ours, "ms"),
             median_of(opt, "ms_last100") / median_of(ours, "ms_last100"),
             median_of(opt, "ms") / median_of(floor, "ms")))


def bench_gp(args):
    names = list(OPTUNA_SAMPLERS)
    print("| problem | hpo.optuna.GPSampler | " + " | ".join(
        "Optuna " + n for n in names) + " | Optuna best | ratio | ms/trial hpo / Optuna best |")
    print("|---|---|" + "---|" * len(names) + "---|---|---|")
    halves = 0
    for pname in args.problems:
        problem = PROBLEMS[pname]
        ours = [run(problem, hpo.optuna.GPSampler(seed=s), args.trials)
                for s in args.seeds]
        theirs = {n: [run(problem, OPTUNA_SAMPLERS[n](s), args.trials)
                      for s in args.seeds] for n in names}
        med = {n: median_of(rows, "regret") for n, rows in theirs.items()}
        best = min(names, key=lambda n: med[n])
        gp = median_of(ours, "regret")
        ratio = gp / med[best] if med[best] > 0 else float("nan")
        halves += gp <= 0.5 * med[best]
        print("| %s | %.3g | %s | %.3g (%s) | %.3g | %.1f / %.1f |" % (
            pname, gp, " | ".join("%.3g" % med[n] for n in names), med[best],
            best, ratio, median_of(ours, "ms"), median_of(theirs[best], "ms")),
            flush=True)
    print("\nhpo.optuna.GPSampler <= half of Optuna's best on %d of %d problems "
          "(%d trials, seeds %s)" % (halves, len(args.problems), args.trials,
                                     ",".join(map(str, args.seeds))))


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("tpe")
    t.add_argument("--problem", default="hartmann6", choices=sorted(F_STAR))
    t.add_argument("--trials", type=int, default=1000)
    t.add_argument("--seeds", type=seeds_of, default=seeds_of("0-2"))
    g = sub.add_parser("gp")
    g.add_argument("--problems", type=lambda s: s.split(","),
                   default=list(F_STAR))
    g.add_argument("--trials", type=int, default=100)
    g.add_argument("--seeds", type=seeds_of, default=seeds_of("0-4"))
    args = ap.parse_args()
    bench_tpe(args) if args.what == "tpe" else bench_gp(args)


if __name__ == "__main__":
    main()
