"""hpo's samplers and pruners inside Optuna 3.1 (python/hpo/optuna/).

Run: PYTHONPATH=python HPO_LIBRARY=build/libhpo.so /usr/bin/python3 -m
unittest tests/python/test_optuna_adapters.py (ctest: python_optuna_adapters).
The tests follow Optuna's own sampler tests where they apply:
reproducibility, domains, conditional spaces, several objectives, pruned
and failed trials, RDB storage, n_jobs, and a budgeted optimum.
"""

import json
import math
import os
import statistics
import sys
import tempfile
import unittest
import warnings

import optuna
from optuna.distributions import CategoricalDistribution
from optuna.trial import TrialState

import hpo.optuna
from hpo._native import ffi, lib

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

CHOICES = ("a", 1, None, 2.5, True)


def mixed_objective(trial):
    """Every distribution kind Optuna has; returns a value that depends on
    all of them and checks each is in its domain and of its type."""
    x = trial.suggest_float("x", -3.0, 2.0)
    lg = trial.suggest_float("lg", 1e-4, 1.0, log=True)
    st = trial.suggest_float("st", 0.0, 1.0, step=0.125)
    n = trial.suggest_int("n", -5, 7)
    nl = trial.suggest_int("nl", 1, 1000, log=True)
    ns = trial.suggest_int("ns", 0, 30, step=3)
    c = trial.suggest_categorical("c", CHOICES)
    checks = [isinstance(x, float) and -3.0 <= x <= 2.0,
              isinstance(lg, float) and 1e-4 <= lg <= 1.0,
              isinstance(st, float) and 0 <= st <= 1
              and abs(st / 0.125 - round(st / 0.125)) < 1e-9,
              type(n) is int and -5 <= n <= 7,
              type(nl) is int and 1 <= nl <= 1000,
              type(ns) is int and 0 <= ns <= 30 and ns % 3 == 0,
              any(c is k or (type(c) is type(k) and c == k) for k in CHOICES)]
    if not all(checks):
        raise AssertionError("out of domain: %r" % (trial.params,))
    return (x - 1) ** 2 + abs(math.log10(lg) + 2) + st + abs(n) + nl / 100 \
        + ns / 10 + CHOICES.index(c)


def quadratic(trial):
    x = trial.suggest_float("x", -5, 5)
    y = trial.suggest_float("y", -5, 5)
    return (x - 1.5) ** 2 + (y + 0.5) ** 2


def study_counts(sampler, study):
    """The trials the sampler's hpo shadow study holds, by state."""
    sh = sampler._registry.get(study)
    counts = ffi.new("int[5]")
    assert lib.hpo_study_count_trials(sh.hpo._s, counts) == lib.HPO_OK
    return list(counts)


def params_of(study):
    return [t.params for t in study.trials]


class SamplerBasics(unittest.TestCase):
    def test_create_study_unchanged(self):
        study = optuna.create_study(sampler=hpo.optuna.GPSampler())
        study.optimize(quadratic, n_trials=14)
        self.assertEqual(len(study.trials), 14)
        self.assertTrue(all(t.state == TrialState.COMPLETE
                            for t in study.trials))
        self.assertLess(study.best_value, 25.0)

    def test_reproducible_with_a_seed(self):
        for cls in (hpo.optuna.TPESampler, hpo.optuna.GPSampler,
                    hpo.optuna.RFSampler):
            runs = []
            for seed in (3, 3, 4):
                study = optuna.create_study(sampler=cls(seed=seed))
                study.optimize(quadratic, n_trials=13)
                runs.append(params_of(study))
            self.assertEqual(runs[0], runs[1], cls.__name__)
            self.assertNotEqual(runs[0], runs[2], cls.__name__)

    def test_domains_and_types_respected(self):
        for sampler in (hpo.optuna.TPESampler(seed=1),
                        hpo.optuna.RFSampler(seed=1, n_startup_trials=5),
                        hpo.optuna.AutoSampler(seed=1)):
            study = optuna.create_study(sampler=sampler)
            study.optimize(mixed_objective, n_trials=40)  # raises if not
            states = {t.state for t in study.trials}
            self.assertEqual(states, {TrialState.COMPLETE}, repr(sampler))
            seen = {type(t.params["c"]) for t in study.trials}
            self.assertGreater(len(seen), 2, "categorical types: %r" % seen)
            self.assertEqual(study_counts(sampler, study)[lib.HPO_COMPLETE],
                             40)

    def test_conditional_parameters(self):
        def objective(trial):
            kind = trial.suggest_categorical("kind", ["svm", "tree"])
            if kind == "svm":
                c = trial.suggest_float("svm_c", 1e-3, 1e3, log=True)
                return abs(math.log10(c) - 1)
            depth = trial.suggest_int("tree_depth", 1, 12)
            return abs(depth - 4) / 4 + 0.5

        for sampler in (hpo.optuna.TPESampler(seed=2, multivariate=True,
                                              group=True),
                        hpo.optuna.RFSampler(seed=2)):
            study = optuna.create_study(sampler=sampler)
            study.optimize(objective, n_trials=40)
            for t in study.trials:
                want = {"kind", "svm_c"} if t.params["kind"] == "svm" \
                    else {"kind", "tree_depth"}
                self.assertEqual(set(t.params), want)
            kinds = {t.params["kind"] for t in study.trials}
            self.assertEqual(kinds, {"svm", "tree"})
            self.assertLess(study.best_value, 0.3)

    def test_several_objectives(self):
        def objective(trial):
            x = trial.suggest_float("x", 0, 1)
            y = trial.suggest_float("y", 0, 1)
            return x, (1 - x) ** 2 + y

        for sampler in (hpo.optuna.TPESampler(seed=0),
                        hpo.optuna.GPSampler(seed=0),
                        hpo.optuna.NSGAIISampler(seed=0)):
            study = optuna.create_study(directions=["minimize", "minimize"],
                                        sampler=sampler)
            study.optimize(objective, n_trials=24)
            self.assertEqual(len(study.best_trials) > 0, True)
            counts = study_counts(sampler, study)
            self.assertEqual(counts[lib.HPO_COMPLETE], 24)
            sh = sampler._registry.get(study)
            self.assertEqual(lib.hpo_study_n_objectives(sh.hpo._s), 2)

    def test_several_objectives_refused_clearly(self):
        def objective(trial):
            return trial.suggest_float("x", 0, 1), 1.0

        study = optuna.create_study(directions=["minimize", "maximize"],
                                    sampler=hpo.optuna.CmaEsSampler(seed=0))
        with self.assertRaisesRegex(hpo.optuna.HpoOptunaError, "one objective"):
            study.optimize(objective, n_trials=2)

    def test_bad_spec_is_a_clear_error(self):
        with self.assertRaisesRegex(ValueError, "unknown sampler 'nope'"):
            hpo.optuna.Sampler("nope")
        with self.assertRaisesRegex(ValueError, "n_startup_trials"):
            hpo.optuna.TPESampler(n_startup_trials=-3)
        with self.assertRaisesRegex(ValueError, "unknown pruner"):
            hpo.optuna.Pruner("nope")
        with self.assertRaisesRegex(ValueError, "seed"):
            hpo.optuna.GPSampler(seed=-1)
        with self.assertRaises(TypeError):
            hpo.optuna.Sampler(3)
        self.assertEqual(hpo.optuna.TPESampler(multivariate=True,
                                               gamma=0.25).spec,
                         "tpe:multivariate=true,gamma=0.25")


class SamplerHistory(unittest.TestCase):
    def test_pruned_and_failed_trials_do_not_break_sampling(self):
        def objective(trial):
            x = trial.suggest_float("x", -5, 5)
            if trial.number % 5 == 1:
                raise RuntimeError("a failing trial")
            if trial.number % 5 == 2:
                trial.report(x * x + 100, step=3)
                raise optuna.TrialPruned()
            if trial.number % 5 == 3:
                return float("nan")
            return x * x

        sampler = hpo.optuna.TPESampler(seed=0, n_startup_trials=5)
        study = optuna.create_study(sampler=sampler)
        study.optimize(objective, n_trials=40, catch=(RuntimeError,))
        states = [t.state for t in study.trials]
        self.assertEqual(states.count(TrialState.PRUNED), 8)
        self.assertEqual(states.count(TrialState.FAIL), 16)
        counts = study_counts(sampler, study)
        self.assertEqual(counts[lib.HPO_COMPLETE], 16)
        self.assertEqual(counts[lib.HPO_PRUNED_STATE], 8)
        self.assertEqual(counts[lib.HPO_FAIL], 16)
        self.assertEqual(counts[lib.HPO_RUNNING], 0)
        self.assertLess(study.best_value, 1.0)

    def test_enqueued_trials_keep_their_values_and_are_mirrored(self):
        sampler = hpo.optuna.TPESampler(seed=0)
        study = optuna.create_study(sampler=sampler)
        study.enqueue_trial({"x": 1.25, "c": None})
        study.enqueue_trial({"x": -2.0})

        def objective(trial):
            x = trial.suggest_float("x", -5, 5)
            c = trial.suggest_categorical("c", ["p", None, 3])
            return x * x + (0 if c is None else 1)

        study.optimize(objective, n_trials=12)
        self.assertEqual(study.trials[0].params, {"x": 1.25, "c": None})
        self.assertEqual(study.trials[1].params["x"], -2.0)
        self.assertEqual(study_counts(sampler, study)[lib.HPO_COMPLETE], 12)
        sh = sampler._registry.get(study)
        t = ffi.new("hpo_trial **")
        self.assertEqual(lib.hpo_study_trial(sh.hpo._s, 0, t), lib.HPO_OK)
        self.assertEqual(lib.hpo_trial_n_params(t[0]), 2)
        self.assertEqual(lib.hpo_trial_value(t[0], 0), 1.25 ** 2)
        lib.hpo_trial_free(t[0])

    def test_rdb_storage_and_trials_of_another_process(self):
        with tempfile.TemporaryDirectory() as tmp:
            url = "sqlite:///" + os.path.join(tmp, "optuna.db")
            first = optuna.create_study(storage=url, study_name="s",
                                        sampler=optuna.samplers.RandomSampler(0))
            first.optimize(quadratic, n_trials=12)
            # A second worker (a new storage object, as another process has)
            # with hpo's sampler sees the 12 trials it did not run.
            sampler = hpo.optuna.GPSampler(seed=0)
            second = optuna.load_study(storage=url, study_name="s",
                                       sampler=sampler)
            second.optimize(quadratic, n_trials=3)
            first.optimize(quadratic, n_trials=2)
            second.optimize(quadratic, n_trials=2)
            self.assertEqual(len(second.trials), 19)
            self.assertEqual(study_counts(sampler, second)[lib.HPO_COMPLETE],
                             19)

    def test_optuna_ask_and_tell(self):
        sampler = hpo.optuna.TPESampler(seed=0, n_startup_trials=3)
        study = optuna.create_study(sampler=sampler)
        for i in range(8):
            trial = study.ask()
            x = trial.suggest_float("x", -2, 2)
            if i == 4:
                study.tell(trial, state=TrialState.FAIL)
            else:
                study.tell(trial, x * x)
        counts = study_counts(sampler, study)
        self.assertEqual(counts[lib.HPO_COMPLETE], 7)
        self.assertEqual(counts[lib.HPO_FAIL], 1)

    def test_n_jobs_two(self):
        sampler = hpo.optuna.TPESampler(seed=0)
        study = optuna.create_study(sampler=sampler)
        study.optimize(mixed_objective, n_trials=40, n_jobs=2)
        self.assertEqual(len(study.trials), 40)
        self.assertTrue(all(t.state == TrialState.COMPLETE
                            for t in study.trials))
        counts = study_counts(sampler, study)
        self.assertEqual(counts[lib.HPO_COMPLETE], 40)
        self.assertEqual(counts[lib.HPO_RUNNING], 0)


class SamplerQuality(unittest.TestCase):
    def test_gp_beats_random_on_a_quadratic(self):
        def best(sampler):
            study = optuna.create_study(sampler=sampler)
            study.optimize(quadratic, n_trials=25)
            return study.best_value

        seeds = range(3)
        gp = statistics.median(best(hpo.optuna.GPSampler(seed=s))
                               for s in seeds)
        rnd = statistics.median(best(optuna.samplers.RandomSampler(seed=s))
                                for s in seeds)
        self.assertLess(gp, 0.05)
        self.assertLess(gp, rnd / 4)


class Pruners(unittest.TestCase):
    def run_pruned(self, pruner, n_trials=30):
        def objective(trial):
            offset = trial.suggest_float("offset", 0, 10)
            for step in range(10):
                trial.report(offset + 1.0 / (step + 1), step)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return offset

        study = optuna.create_study(
            sampler=optuna.samplers.RandomSampler(seed=0), pruner=pruner)
        study.optimize(objective, n_trials=n_trials)
        return study

    def test_median_pruner_prunes_the_worse_half(self):
        study = self.run_pruned(hpo.optuna.MedianPruner(n_startup_trials=5))
        pruned = [t for t in study.trials if t.state == TrialState.PRUNED]
        done = [t for t in study.trials[5:] if t.state == TrialState.COMPLETE]
        self.assertGreater(len(pruned), 5)
        # A pruned trial was worse than the median of those before it.
        for t in pruned:
            before = [u.value for u in study.trials[:t.number]
                      if u.state == TrialState.COMPLETE]
            self.assertGreater(t.params["offset"], min(before))
        self.assertTrue(done)

    def test_pruner_sees_trials_of_another_process(self):
        def objective(trial):
            offset = trial.suggest_float("offset", 0, 10)
            for step in range(4):
                trial.report(offset, step)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return offset

        with tempfile.TemporaryDirectory() as tmp:
            url = "sqlite:///" + os.path.join(tmp, "optuna.db")
            first = optuna.create_study(storage=url, study_name="p")
            for offset in (1.0, 2.0, 3.0, 4.0, 5.0):
                first.enqueue_trial({"offset": offset})
            first.optimize(objective, n_trials=5)
            # Another process's pruner has judged nothing yet: the five
            # finished trials reach it by the scan, so 9.0 is pruned at
            # once and 0.5 is not.
            second = optuna.load_study(storage=url, study_name="p",
                                       pruner=hpo.optuna.MedianPruner(
                                           n_startup_trials=5))
            second.enqueue_trial({"offset": 9.0})
            second.enqueue_trial({"offset": 0.5})
            second.optimize(objective, n_trials=2)
            states = [t.state for t in second.trials[5:]]
            self.assertEqual(states, [TrialState.PRUNED, TrialState.COMPLETE])
            self.assertEqual(len(second.trials[5].intermediate_values), 1)

    def test_none_never_prunes(self):
        study = self.run_pruned(hpo.optuna.Pruner("none"), n_trials=10)
        self.assertTrue(all(t.state == TrialState.COMPLETE
                            for t in study.trials))

    def test_pruner_and_sampler_together(self):
        study = optuna.create_study(
            sampler=hpo.optuna.TPESampler(seed=0),
            pruner=hpo.optuna.Pruner("percentile", percentile=25.0))

        def objective(trial):
            x = trial.suggest_float("x", -3, 3)
            for step in range(5):
                trial.report(x * x + 1.0 / (step + 1), step)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return x * x

        study.optimize(objective, n_trials=30)
        states = [t.state for t in study.trials]
        self.assertIn(TrialState.PRUNED, states)
        self.assertLess(study.best_value, 0.5)


class Example(unittest.TestCase):
    def test_svm_example_smoke(self):
        sys.path.insert(0, os.path.join(ROOT, "examples", "python"))
        try:
            import svm_optuna_adapter
        finally:
            sys.path.pop(0)
        if not os.path.exists(os.path.join(
                os.environ.get("HPO_DATA_DIR", os.path.join(ROOT, "..",
                                                            "shared", "data")),
                "breast_cancer.csv")):
            self.skipTest("breast_cancer.csv not found (set HPO_DATA_DIR)")
        study = svm_optuna_adapter.main(n_trials=3)
        self.assertEqual(len(study.trials), 3)
        self.assertLess(study.best_value, 0.2)


if __name__ == "__main__":
    unittest.main()
