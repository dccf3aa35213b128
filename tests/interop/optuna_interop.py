"""Python Optuna's side of the SQLite interop test (run by
tests/test_sqlite_interop.c with Debian's /usr/bin/python3).

    optuna_interop.py check-hpo DB EXPECTED.json
        Load every study of EXPECTED (a dump hpo wrote of studies it stored in
        DB) with Optuna and compare states, params, values, intermediate
        values, user attributes and the best trial.
    optuna_interop.py refused DB
        Optuna must refuse DB (a v3.2.0.a marker on Optuna 3.1).
    optuna_interop.py make DB
        Create study "py" and run 10 trials (one pruned) for hpo to continue.
    optuna_interop.py check-continued DB
        After hpo ran 10 more trials: 20 trials numbered 0..19, hpo's params in
        Optuna's distributions; then Optuna continues with trial 20.

Exit status 0 when everything matches; the first mismatch is printed.
"""

import json
import math
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def url(db):
    """A SQLite file's path, or already a URL (postgresql://...)."""
    return db if "://" in db else "sqlite:///" + db


def number(text_or_value):
    """hpo writes non-finite numbers as strings (JSON has no inf)."""
    if isinstance(text_or_value, str):
        return float(text_or_value)
    return text_or_value


def same_float(a, b):
    if a is None or b is None:
        return a is b
    if math.isnan(a) and math.isnan(b):
        return True
    return a == b


class Mismatch(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Mismatch(what)


def check_trial(t, want, where):
    where = "%s trial %d" % (where, want["number"])
    expect(t.number == want["number"], where + ": number %d" % t.number)
    expect(t.state.name == want["state"],
           where + ": state %s, hpo wrote %s" % (t.state.name, want["state"]))
    values = t.values
    want_values = want["values"]
    if want_values is None:
        expect(values is None, where + ": values %r, hpo wrote none" % values)
    else:
        want_values = [number(v) for v in want_values]
        expect(values is not None and len(values) == len(want_values)
               and all(same_float(a, b) for a, b in zip(values, want_values)),
               where + ": values %r, hpo wrote %r" % (values, want_values))
    expect(set(t.params) == set(want["params"]),
           where + ": params %r, hpo wrote %r" % (t.params, want["params"]))
    for name, value in want["params"].items():
        got = t.params[name]
        dist = t.distributions[name]
        if isinstance(dist, optuna.distributions.IntDistribution):
            expect(isinstance(got, int) and got == value,
                   where + ": %s = %r, hpo wrote %r" % (name, got, value))
        elif isinstance(dist, optuna.distributions.FloatDistribution):
            expect(isinstance(got, float) and got == value,
                   where + ": %s = %r, hpo wrote %r" % (name, got, value))
        else:
            expect(got == value,
                   where + ": %s = %r, hpo wrote %r" % (name, got, value))
        expect(dist._contains(dist.to_internal_repr(got)),
               where + ": %s = %r outside %r" % (name, got, dist))
    inter = {int(k): number(v) for k, v in want["intermediate"].items()}
    expect(set(t.intermediate_values) == set(inter),
           where + ": steps %r, hpo wrote %r" % (sorted(t.intermediate_values),
                                                 sorted(inter)))
    for step, v in inter.items():
        expect(same_float(t.intermediate_values[step], v),
               where + ": step %d = %r, hpo wrote %r"
               % (step, t.intermediate_values[step], v))
    expect(t.user_attrs == want["user_attrs"],
           where + ": user attrs %r, hpo wrote %r" % (t.user_attrs,
                                                      want["user_attrs"]))
    if t.state.is_finished():
        expect(t.datetime_start is not None
               and t.datetime_complete is not None
               and t.datetime_complete >= t.datetime_start,
               where + ": datetimes %r %r" % (t.datetime_start,
                                              t.datetime_complete))


def check_hpo(db, expected_path):
    with open(expected_path) as f:
        expected = json.load(f)
    storage = optuna.storages.RDBStorage(url(db))
    summaries = optuna.get_all_study_summaries(storage)
    names = sorted(s.study_name for s in summaries)
    expect(names == sorted(s["name"] for s in expected["studies"]),
           "studies %r" % names)
    for want in expected["studies"]:
        study = optuna.load_study(study_name=want["name"], storage=storage)
        where = "study %s" % want["name"]
        expect([d.name for d in study.directions] == want["directions"],
               where + ": directions %r" % study.directions)
        expect(study.user_attrs == want["user_attrs"],
               where + ": user attrs %r" % study.user_attrs)
        trials = study.get_trials(deepcopy=False)
        expect(len(trials) == len(want["trials"]),
               where + ": %d trials, hpo wrote %d" % (len(trials),
                                                      len(want["trials"])))
        for t, w in zip(trials, want["trials"]):
            check_trial(t, w, where)
        if want.get("best") is not None:
            best = study.best_trial
            expect(best.number == want["best"]["number"]
                   and best.value == number(want["best"]["value"]),
                   where + ": best trial %d (%r), hpo says %r"
                   % (best.number, best.value, want["best"]))
        if len(study.directions) > 1:
            front = sorted(t.number for t in study.best_trials)
            expect(front == sorted(want["pareto"]),
                   where + ": Pareto front %r, hpo says %r"
                   % (front, want["pareto"]))
    print("optuna %s read %d studies as hpo wrote them"
          % (optuna.__version__, len(expected["studies"])))


def refused(db):
    try:
        optuna.load_study(study_name="single", storage=url(db))
    except RuntimeError as e:
        print("optuna %s refuses it as expected: %s"
              % (optuna.__version__, str(e).splitlines()[0]))
        return
    raise Mismatch("optuna %s opened a v3.2.0.a database" % optuna.__version__)


def objective(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    units = trial.suggest_int("units", 16, 256, step=16)
    kernel = trial.suggest_categorical("kernel", ["rbf", "linear", "poly"])
    x = trial.suggest_float("x", -2.0, 2.0, step=0.5)
    value = (math.log10(lr) + 3) ** 2 + units / 256 + x * x
    value += {"rbf": 0.0, "linear": 0.5, "poly": 1.0}[kernel]
    for step in range(3):
        trial.report(value + 1.0 / (step + 1), step)
    if trial.number == 4:
        raise optuna.TrialPruned()
    trial.set_user_attr("from", "python")
    return value


def make(db):
    study = optuna.create_study(study_name="py", storage=url(db),
                                sampler=optuna.samplers.RandomSampler(seed=3))
    study.set_user_attr("origin", "python")
    study.optimize(objective, n_trials=10)
    print("optuna %s wrote 10 trials" % optuna.__version__)


def check_continued(db):
    study = optuna.load_study(study_name="py", storage=url(db))
    trials = study.get_trials(deepcopy=False)
    expect([t.number for t in trials] == list(range(20)),
           "numbers %r" % [t.number for t in trials])
    for t in trials:
        expect(t.state.is_finished(), "trial %d is %s" % (t.number, t.state))
        if t.state == optuna.trial.TrialState.COMPLETE:
            expect(set(t.params) == {"lr", "units", "kernel", "x"},
                   "trial %d params %r" % (t.number, t.params))
            expect(isinstance(t.params["units"], int),
                   "trial %d units %r" % (t.number, t.params["units"]))
    hpo_trials = trials[10:]
    expect(all(t.user_attrs.get("from") == "hpo" for t in hpo_trials),
           "hpo's trials lack their user attribute")
    expect(all(t.state == optuna.trial.TrialState.COMPLETE
               for t in hpo_trials), "hpo's trials are not all COMPLETE")
    expect(study.best_trial.number in range(20), "no best trial")
    # Optuna goes on where hpo stopped, with hpo's distributions.
    study.optimize(objective, n_trials=1)
    last = study.get_trials(deepcopy=False)[-1]
    expect(last.number == 20 and last.state.is_finished(),
           "Optuna's next trial is %d %s" % (last.number, last.state))
    print("optuna %s sees trials 0..19 and continues with %d"
          % (optuna.__version__, last.number))


def main(argv):
    commands = {"check-hpo": check_hpo, "refused": refused, "make": make,
                "check-continued": check_continued}
    if len(argv) < 3 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        commands[argv[1]](*argv[2:])
    except Mismatch as e:
        print("MISMATCH: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
