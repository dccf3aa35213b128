#!/usr/bin/python3
"""optuna_ref.py -- the Optuna side of hpo-bench's side-by-side runs.

hpo-bench (bench/*.c) starts this script with Debian's /usr/bin/python3
(python3-optuna 3.1) and reads the JSON it writes.  It is not meant to be
run by hand, but can be:

    optuna_ref.py quality --plan PLAN.json --out OUT.json
    optuna_ref.py throughput --trials 5000 --out OUT.json
    optuna_ref.py scaling --sampler EXPR --params 16,64 --trials 40 --seeds 0,1 --clock cpu --out OUT.json
    optuna_ref.py eval --points POINTS.json --out OUT.json
    optuna_ref.py storage --url URL --procs P [--trials N] [--seconds S] --out OUT.json
    optuna_ref.py latency --url URL --sizes 100,10000 --asks 200 --fill-seconds 120 --out OUT.json

PLAN.json: {"jobs": [{"problem": "branin", "method": "random",
                      "sampler": "optuna.samplers.RandomSampler(seed=seed)",
                      "budgets": [20, 50, 100], "seeds": [0, 1, ...]}]}
The sampler is a Python expression from hpo-bench's method table
(bench/methods.c), evaluated with `optuna`, `seed`, `problem` and
`grid_sampler` in scope: the pairing of methods lives there only.

The problems repeat bench/problems.c in Python; `hpo-bench check` compares
the two at random points.  Measurement is the same on both sides: one
ask/suggest/tell loop per seed to the largest budget, read at each budget;
overhead = time of ask + suggests + tell minus the objective's own time.
"""

import argparse
import collections
import json
import math
import multiprocessing
import queue
import random
import statistics
import sys
import threading
import time
import warnings

import optuna


# ---------------------------------------------------------------------------
# Problems (bench/problems.c)
# ---------------------------------------------------------------------------

class Param:
    def __init__(self, name, kind, low=0.0, high=0.0, log=False, choices=(),
                 parent=None, when=()):
        self.name, self.kind = name, kind
        self.low, self.high, self.log = low, high, log
        self.choices = list(choices)
        # A condition: active only when the earlier categorical `parent` is
        # active and takes one of the choice indices in `when`.
        self.parent, self.when = parent, tuple(when)

    def suggest(self, trial):
        """The value as bench/problems.c sees it (categorical: its index)."""
        if self.kind == "float":
            return trial.suggest_float(self.name, self.low, self.high, log=self.log)
        if self.kind == "int":
            return trial.suggest_int(self.name, int(self.low), int(self.high), log=self.log)
        return self.choices.index(trial.suggest_categorical(self.name, self.choices))


class Problem:
    def __init__(self, name, params, f, n_objectives=1, ref=None):
        self.name, self.params, self.f = name, params, f
        self.n_objectives, self.ref = n_objectives, ref

    def suggest(self, trial):
        """Define-by-run: the active parameters in order; NaN for the
        inactive ones (bench_problem_suggest)."""
        x, index = [], {}
        for p in self.params:
            active = p.parent is None or (
                not math.isnan(x[index[p.parent]]) and int(x[index[p.parent]]) in p.when)
            index[p.name] = len(x)
            x.append(p.suggest(trial) if active else math.nan)
        return x


def box(prefix, dim, low, high):
    return [Param("%s%d" % (prefix, i), "float", low, high) for i in range(dim)]


def branin(x):
    a, b, c = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi
    r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
    q = x[1] - b * x[0] ** 2 + c * x[0] - r
    return [a * q * q + s * (1 - t) * math.cos(x[0]) + s]


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - 1e-4 * HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return [-total]


def rosenbrock4(x):
    return [sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(3))]


def ackley10(x):
    d = 10
    squares = sum(v * v for v in x)
    cosines = sum(math.cos(2 * math.pi * v) for v in x)
    return [-20 * math.exp(-0.2 * math.sqrt(squares / d)) - math.exp(cosines / d) + 20 + math.e]


def levy8(x):
    w = [1 + (v - 1) / 4 for v in x]
    total = math.sin(math.pi * w[0]) ** 2
    for i in range(len(w) - 1):
        total += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    total += (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)
    return [total]


def styblinski_tang8(x):
    return [sum(v ** 4 - 16 * v * v + 5 * v for v in x) / 2]


def mixed4(x):
    penalty = [0.5, 0.0, 1.0]
    return [(x[0] - 1.2) ** 2 + (math.log10(x[1]) + 2) ** 2 + ((x[2] - 7) / 3) ** 2
            + penalty[int(x[3])]]


def sparse_bool60(x):
    b = [1.0 if v >= 0.5 else -1.0 for v in x]  # choice 0 is "-1", 1 is "+1"
    return [-5 * b[3] * b[17] - 4 * b[8] * b[22] * b[41] - 3 * b[11]
            - 3 * b[29] * b[50] - 2 * b[5] * b[36] * b[58] - 1.5 * b[0] * b[44]
            - 1 * b[13] * b[27] * b[52]]


SVM, TREE, LINEAR = 0, 1, 2


def cond_model(x):
    """Model selection (bench/problems.c): a bowl per kind, floors 0, 0.1, 0.3."""
    kind = int(x[0])
    if kind == SVM:
        u, w = math.log10(x[1]) - 1, math.log10(x[2]) + 2.5
        return [0.6 * (u + w) * (u + w) + 0.08 * (u - w) * (u - w)]
    if kind == TREE:
        p, q, m = (x[3] - 7) / 4, math.log(x[4] / 5), x[5] - 0.5
        return [0.1 + p * p + 0.3 * q * q + 0.3 * p * q + 2 * m * m]
    a, r = math.log10(x[6]) + 3, x[7] - 0.3
    return [0.3 + 0.25 * a * a + 2 * r * r]


CAT_A = [[0.4, 0.5, 0.3, 0.6], [0.9, 0.0, 1.0, 1.1], [0.8, 0.7, 0.6, 0.9]]
CAT_B = [[0.5, 0.6, 0.7], [0.3, 0.4, 0.5], [0.6, 0.2, 0.8], [1.0, 0.9, 0.0], [0.4, 0.5, 0.6]]
CAT_C = [[0.6, 0.4, 0.5, 0.7, 0.6], [0.3, 0.5, 0.2, 0.4, 0.5],
         [0.8, 0.9, 0.7, 0.0, 0.9], [0.5, 0.3, 0.6, 0.5, 0.4]]
CAT_D6, CAT_D7 = [0.3, 0.0, 0.5], [0.4, 0.2, 0.0, 0.6]
CAT_U, CAT_V = [0.2, 0.7, 0.5], [0.3, 0.8, 0.6, 0.1]
CAT_SIZES = [3, 4, 5, 3, 4, 5, 3, 4]


def cat_heavy(x):
    c = [int(v) for v in x[:8]]
    du, dv = x[8] - CAT_U[c[0]], x[9] - CAT_V[c[4]]
    return [CAT_A[c[0]][c[1]] + CAT_B[c[2]][c[3]] + CAT_C[c[4]][c[5]]
            + CAT_D6[c[6]] + CAT_D7[c[7]] + 2 * du * du + 2 * dv * dv]


def zdt_g(x):
    return 1 + 9 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    g = zdt_g(x)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = zdt_g(x)
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def zdt3(x):
    g = zdt_g(x)
    r = x[0] / g
    return [x[0], g * (1 - math.sqrt(r) - r * math.sin(10 * math.pi * x[0]))]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b),
            (1 + g) * math.sin(a)]


PROBLEMS = {p.name: p for p in [
    Problem("branin", [Param("x1", "float", -5, 10), Param("x2", "float", 0, 15)], branin),
    Problem("hartmann6", box("x", 6, 0, 1), hartmann6),
    Problem("rosenbrock4", box("x", 4, -5, 10), rosenbrock4),
    Problem("ackley10", box("x", 10, -32.768, 32.768), ackley10),
    Problem("levy8", box("x", 8, -10, 10), levy8),
    Problem("styblinski_tang8", box("x", 8, -5, 5), styblinski_tang8),
    Problem("mixed4", [Param("x", "float", -5, 5), Param("y", "float", 1e-4, 1, log=True),
                       Param("n", "int", 1, 20), Param("c", "cat", choices=["a", "b", "c"])],
            mixed4),
    Problem("zdt1", box("x", 30, 0, 1), zdt1, 2, (11.0, 11.0)),
    Problem("zdt2", box("x", 30, 0, 1), zdt2, 2, (11.0, 11.0)),
    Problem("zdt3", box("x", 30, 0, 1), zdt3, 2, (11.0, 11.0)),
    Problem("sparse_bool60", [Param("b%d" % i, "cat", choices=["-1", "+1"]) for i in range(60)],
            sparse_bool60),
    Problem("cond_model", [
        Param("kind", "cat", choices=["svm", "tree", "linear"]),
        Param("C", "float", 1e-3, 1e3, log=True, parent="kind", when=[SVM]),
        Param("gamma", "float", 1e-4, 1, log=True, parent="kind", when=[SVM]),
        Param("depth", "int", 1, 12, parent="kind", when=[TREE]),
        Param("min_leaf", "int", 1, 50, parent="kind", when=[TREE]),
        Param("max_features", "float", 0.1, 1, parent="kind", when=[TREE]),
        Param("alpha", "float", 1e-6, 1, log=True, parent="kind", when=[LINEAR]),
        Param("l1_ratio", "float", 0, 1, parent="kind", when=[LINEAR])], cond_model),
    Problem("cat_heavy", [Param("c%d" % i, "cat", choices="abcde"[:n])
                          for i, n in enumerate(CAT_SIZES)]
            + [Param("x0", "float", 0, 1), Param("x1", "float", 0, 1)], cat_heavy),
    Problem("dtlz2", box("x", 12, 0, 1), dtlz2, 3, (1.1, 1.1, 1.1)),
]}


def hypervolume2d(points, ref):
    """Area dominated by minimized 2-D points within ref (bench/hypervolume.c)."""
    inside = sorted((a, b) for a, b in points if a < ref[0] and b < ref[1])
    area, level = 0.0, ref[1]
    for a, b in inside:
        if b < level:
            area += (ref[0] - a) * (level - b)
            level = b
    return area


def hypervolume(points, ref):
    """Two or three minimized objectives (bench/hypervolume.c): in 3-D the
    non-dominated points sliced along the third objective."""
    if len(ref) == 2:
        return hypervolume2d(points, ref)
    front = []  # lexicographic order: only an earlier point can dominate
    for p in sorted({tuple(p) for p in points if all(a < r for a, r in zip(p, ref))}):
        if not any(q[1] <= p[1] and q[2] <= p[2] for q in front):
            front.append(p)
    front.sort(key=lambda p: p[2])
    volume = 0.0
    for i, p in enumerate(front):
        top = front[i + 1][2] if i + 1 < len(front) else ref[2]
        volume += hypervolume2d([q[:2] for q in front[:i + 1]], ref) * (top - p[2])
    return volume


# ---------------------------------------------------------------------------
# The grid, laid out as hpo's grid sampler lays it out (src/samplers/grid.c)
# ---------------------------------------------------------------------------

def spaced(low, high, log, i, n):
    if n <= 1:
        return math.sqrt(low * high) if log else 0.5 * (low + high)
    if i == 0:
        return low
    if i == n - 1:
        return high
    t = i / (n - 1)
    return math.exp(math.log(low) + t * (math.log(high) - math.log(low))) if log \
        else low + t * (high - low)


def grid_sampler(problem, points, seed):
    space = {}
    for p in problem.params:
        if p.kind == "cat":
            values = list(p.choices)
        elif p.kind == "int":
            card = int(p.high - p.low) + 1
            if card <= points:
                values = list(range(int(p.low), int(p.high) + 1))
            else:  # round() and C's nearbyint() both round half to even
                values = sorted({int(p.low) + round(i * (card - 1) / (points - 1))
                                 for i in range(points)})
        else:
            values = [spaced(p.low, p.high, p.log, i, points) for i in range(points)]
        space[p.name] = values
    return optuna.samplers.GridSampler(space, seed=seed)


def make_sampler(expression, problem, seed):
    scope = {"optuna": optuna, "seed": seed, "problem": problem, "grid_sampler": grid_sampler}
    return eval(expression, scope)  # the expression comes from bench/methods.c


# ---------------------------------------------------------------------------
# quality
# ---------------------------------------------------------------------------

def run_one(problem, expression, seed, budgets):
    sampler = make_sampler(expression, problem, seed)
    directions = ["minimize"] * problem.n_objectives
    study = optuna.create_study(directions=directions, sampler=sampler)
    values, overhead = [], []
    for _ in range(max(budgets)):
        start = time.perf_counter()
        trial = study.ask()
        x = problem.suggest(trial)
        f_start = time.perf_counter()
        v = problem.f(x)
        f_time = time.perf_counter() - f_start
        stop = False
        try:
            study.tell(trial, v if problem.n_objectives > 1 else v[0])
        except RuntimeError as e:
            # GridSampler calls study.stop() when its grid is used up, which
            # Optuna 3.1 refuses outside optimize(); the trial is stored.
            if "Study.stop" not in str(e):
                raise
            stop = True
        overhead.append(time.perf_counter() - start - f_time)
        values.append(v)
        if stop:
            break

    result = {"problem": problem.name, "seed": seed, "ok": True, "n_trials": len(values),
              "metric": [], "overhead_mean_ms": [], "overhead_last100_ms": []}
    for b in budgets:
        seen = values[:b]
        if problem.n_objectives == 1:
            metric = min(v[0] for v in seen)
        else:
            metric = hypervolume(seen, problem.ref)
        window = overhead[:b]
        result["metric"].append(metric)
        result["overhead_mean_ms"].append(1e3 * sum(window) / len(window))
        last = window[-100:]
        result["overhead_last100_ms"].append(1e3 * sum(last) / len(last))
    return result


def quality(args):
    with open(args.plan) as f:
        plan = json.load(f)
    results = []
    for job in plan["jobs"]:
        problem = PROBLEMS[job["problem"]]
        start = time.perf_counter()
        for seed in job["seeds"]:
            r = run_one(problem, job["sampler"], seed, job["budgets"])
            r["method"] = job["method"]
            results.append(r)
        print("optuna: %-16s %-8s %d seeds, %.1f s" % (job["problem"], job["method"],
              len(job["seeds"]), time.perf_counter() - start), file=sys.stderr)
    return {"results": results}


# ---------------------------------------------------------------------------
# throughput
# ---------------------------------------------------------------------------

def throughput(args):
    """study.ask()/suggest/tell on an in-memory study, one float, x^2."""
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    per_trial_ms = []
    start = time.perf_counter()
    for _ in range(args.trials):
        t0 = time.perf_counter()
        trial = study.ask()
        x = trial.suggest_float("x", -10, 10)
        study.tell(trial, x * x)
        per_trial_ms.append(1e3 * (time.perf_counter() - t0))
    total = time.perf_counter() - start
    return {"n_trials": args.trials, "total_s": total, "per_trial_ms": per_trial_ms}


def scaling(args):
    """Per-trial cost against the number of parameters (hpo-bench scaling):
    an in-memory study, N floats x0..x{N-1} in [-10, 10] suggested define-by-run,
    objective sum of squares; the time of ask + suggests + tell per trial
    (process CPU time, or wall time with --clock wall)."""
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    runs = []
    for n in [int(v) for v in args.params.split(",")]:
        names = ["x%d" % j for j in range(n)]
        for seed in [int(v) for v in args.seeds.split(",")]:
            sampler = eval(args.sampler, {"optuna": optuna, "seed": seed})
            study = optuna.create_study(sampler=sampler)
            per_trial_ms = []
            for _ in range(args.trials):
                t0 = clock()
                trial = study.ask()
                total = 0.0
                for name in names:
                    x = trial.suggest_float(name, -10, 10)
                    total += x * x
                study.tell(trial, total)
                per_trial_ms.append(1e3 * (clock() - t0))
            runs.append({"n_params": n, "seed": seed, "per_trial_ms": per_trial_ms})
            print("optuna: scaling N=%d seed %d: %.1f ms/trial" % (
                n, seed, statistics.mean(per_trial_ms)), file=sys.stderr)
    return {"runs": runs}


# ---------------------------------------------------------------------------
# storage: P processes on one study in a database, and ask latency there
# ---------------------------------------------------------------------------

STORAGE_STUDY = "storage-bench"
OPEN_ATTEMPTS = 20           # a worker retries create_study this often
FAILURES_IN_A_ROW = 100      # then the storage is taken as gone
LOCKED = "database is locked"


def failure_kind(error):
    """A short name for a failure, so that equal ones are counted together."""
    text = str(error).strip()
    if LOCKED in text:
        return LOCKED
    first = text.splitlines()[0] if text else ""
    return "%s: %s" % (type(error).__name__, first[:160])


def storage_worker(url, index, n_trials, seconds, barrier, results):
    """One process of the storage row: open (create or load) the study, wait
    for the others, then ask/suggest/tell until the time or count is up."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    failures = collections.Counter()
    study = None
    for _ in range(OPEN_ATTEMPTS):
        try:
            study = optuna.create_study(
                storage=url, study_name=STORAGE_STUDY, load_if_exists=True,
                sampler=optuna.samplers.RandomSampler(seed=index + 1))
            break
        except Exception as e:  # the concurrent creation of the schema
            failures["open: " + failure_kind(e)] += 1
            time.sleep(0.1)
    try:
        barrier.wait(timeout=600)
    except threading.BrokenBarrierError:
        pass
    start = time.monotonic()
    deadline = start + seconds if seconds > 0 else math.inf
    done = in_a_row = 0
    while study is not None and (n_trials == 0 or done < n_trials) \
            and time.monotonic() < deadline:
        try:
            trial = study.ask()
            x = trial.suggest_float("x", -10, 10)
            study.tell(trial, x * x)
            done += 1
            in_a_row = 0
        except Exception as e:  # counted and reported, as the issue asks
            failures[failure_kind(e)] += 1
            in_a_row += 1
            if in_a_row == FAILURES_IN_A_ROW:
                break
    results.put({"opened": study is not None, "completed": done,
                 "failures": dict(failures), "t_start": start, "t_end": time.monotonic()})


def gather(processes, results):
    reports = []
    while len(reports) < len(processes):
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            if not any(p.is_alive() for p in processes):
                try:
                    reports.append(results.get(timeout=1))
                except queue.Empty:
                    break
    for p in processes:
        p.join()
    return reports


def check_storage_study(url, completed):
    """The study should hold exactly the completed trials, numbered 0..N-1."""
    study = optuna.load_study(storage=url, study_name=STORAGE_STUDY)
    trials = study.get_trials(deepcopy=False)
    numbers = sorted(t.number for t in trials)
    states = collections.Counter(t.state.name for t in trials)
    if numbers != list(range(len(trials))):
        return False, "check: trial numbers are not 0..%d" % (len(trials) - 1)
    if len(trials) != completed or states["COMPLETE"] != completed:
        held = ", ".join("%d %s" % (n, s) for s, n in sorted(states.items()))
        return False, "check: the study holds %d trials (%s), the workers completed %d" % (
            len(trials), held, completed)
    return True, ""


def durability(url):
    """What a commit of Optuna's own connections pays for, as the database
    says: SQLite "journal_mode/synchronous", PostgreSQL
    "synchronous_commit/fsync"."""
    try:
        engine = optuna.storages.RDBStorage(url).engine
        with engine.connect() as c:
            if url.startswith("sqlite"):
                mode = c.exec_driver_sql("PRAGMA journal_mode").scalar()
                sync = c.exec_driver_sql("PRAGMA synchronous").scalar()
                names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
                return "%s/%s" % (mode, names.get(sync, sync))
            commit = c.exec_driver_sql("SHOW synchronous_commit").scalar()
            return "%s/%s" % (commit, c.exec_driver_sql("SHOW fsync").scalar())
    except Exception as e:  # reported, never fatal to the row
        return "? (%s)" % type(e).__name__


def storage(args):
    """Trials/s of args.procs processes on one study at args.url."""
    context = multiprocessing.get_context("spawn")  # no inherited connections
    barrier = context.Barrier(args.procs)
    results = context.Queue()
    processes = []
    for k in range(args.procs):
        share = args.trials // args.procs + (k < args.trials % args.procs) if args.trials else 0
        p = context.Process(target=storage_worker,
                            args=(args.url, k, share, args.seconds, barrier, results))
        p.start()
        processes.append(p)
    reports = gather(processes, results)
    opened = [r for r in reports if r["opened"]]
    failures = collections.Counter()
    for r in reports:
        failures.update(r["failures"])
    completed = sum(r["completed"] for r in reports)
    wall = max(r["t_end"] for r in opened) - min(r["t_start"] for r in opened) if opened else 0
    notes = ["%s (%d times)" % (kind, n) for kind, n in failures.most_common()]
    if len(reports) < args.procs:
        notes.append("%d of %d workers did not report" % (args.procs - len(reports), args.procs))
    check_ok = False
    if completed:
        check_ok, complaint = check_storage_study(args.url, completed)
        if complaint:
            notes.append(complaint)
    trial_failures = sum(n for kind, n in failures.items() if not kind.startswith("open: "))
    return {"durability": durability(args.url), "completed": completed, "wall_s": wall, "failed": trial_failures,
            "locked": failures[LOCKED], "open_failed": sum(failures.values()) - trial_failures,
            "check_ok": check_ok, "note": "; ".join(notes)}


def latency(args):
    """Median ask (+ suggest + tell) latency in a study filled to each size.

    The study is filled with study.add_trial (one transaction per trial,
    Optuna's fastest way), for at most args.fill_seconds in all; a size not
    reached in time is timed at the size reached (its "stored")."""
    sizes = [int(v) for v in args.sizes.split(",")]
    study = optuna.create_study(storage=args.url, study_name="latency",
                                sampler=optuna.samplers.RandomSampler(seed=0))
    distributions = {"x": optuna.distributions.FloatDistribution(-10, 10)}
    rng = random.Random(0)
    stored, fill_s, rows = 0, 0.0, []
    for size in sizes:
        start = time.perf_counter()
        while stored < size and fill_s + time.perf_counter() - start < args.fill_seconds:
            x = rng.uniform(-10, 10)
            study.add_trial(optuna.trial.create_trial(
                params={"x": x}, distributions=distributions, value=x * x))
            stored += 1
        fill_s += time.perf_counter() - start
        row = {"target": size, "stored": stored}
        cycle_ms, ask_ms = [], []
        for _ in range(args.asks):
            t0 = time.perf_counter()
            trial = study.ask()
            t1 = time.perf_counter()
            x = trial.suggest_float("x", -10, 10)
            study.tell(trial, x * x)
            cycle_ms.append(1e3 * (time.perf_counter() - t0))
            ask_ms.append(1e3 * (t1 - t0))
            stored += 1
        row["cycle_ms"] = statistics.median(cycle_ms)
        row["ask_ms"] = statistics.median(ask_ms)
        rows.append(row)
        print("optuna: latency at %d stored: %.3f ms (filled in %.1f s)" % (
            row["stored"], row["cycle_ms"], fill_s), file=sys.stderr)
    return {"sizes": rows, "fill_s": fill_s}


# ---------------------------------------------------------------------------
# eval: the problems at given points, to check them against problems.c
# ---------------------------------------------------------------------------

def evaluate(args):
    with open(args.points) as f:
        points = json.load(f)
    return {name: [PROBLEMS[name].f(x) for x in xs] for name, xs in points.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--plan", required=True)
    t = sub.add_parser("throughput")
    t.add_argument("--trials", type=int, default=5000)
    sc = sub.add_parser("scaling")
    sc.add_argument("--sampler", required=True)
    sc.add_argument("--params", required=True)
    sc.add_argument("--trials", type=int, default=40)
    sc.add_argument("--seeds", default="0")
    sc.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    e = sub.add_parser("eval")
    e.add_argument("--points", required=True)
    st = sub.add_parser("storage")
    st.add_argument("--url", required=True)
    st.add_argument("--procs", type=int, default=1)
    st.add_argument("--trials", type=int, default=0)      # in all; 0 = no limit
    st.add_argument("--seconds", type=float, default=10)  # 0 = no limit
    lt = sub.add_parser("latency")
    lt.add_argument("--url", required=True)
    lt.add_argument("--sizes", default="100,10000")
    lt.add_argument("--asks", type=int, default=200)
    lt.add_argument("--fill-seconds", type=float, default=120)
    for p in (q, t, e, st, lt, sc):
        p.add_argument("--out", required=True)
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")  # ExperimentalWarning of QMCSampler
    run = {"quality": quality, "throughput": throughput, "eval": evaluate,
           "storage": storage, "latency": latency, "scaling": scaling}[args.command]
    result = run(args)
    result = {"optuna_version": optuna.__version__, "python": sys.version.split()[0], **result}
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
