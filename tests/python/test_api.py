"""The binding's API round trip: every suggest type, ask/tell, states,
attributes, enqueue, best trial, the trials as records and as a DataFrame,
and the registry listings."""

import unittest

import hpo
from support import ScratchTest


def mixed_objective(trial):
    x = trial.suggest_float("x", -5.0, 5.0)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    q = trial.suggest_float("q", 0.0, 1.0, step=0.25)
    n = trial.suggest_int("n", 1, 10)
    units = trial.suggest_int("units", 8, 512, log=True)
    even = trial.suggest_int("even", 0, 20, step=2)
    c = trial.suggest_categorical("c", ["a", 1, 2.5, True, None])
    return x * x + lr + q + n + units * 1e-3 + even + (0 if c is None else 1)


class SuggestRoundTrip(ScratchTest):
    def test_every_kind_lies_in_its_domain_with_its_type(self):
        study = hpo.create_study(sampler="random", seed=3)
        study.optimize(mixed_objective, n_trials=60)
        seen_choices = set()
        for t in study.trials:
            self.assertEqual(t.state, hpo.TrialState.COMPLETE)
            p = t.params
            self.assertIsInstance(p["x"], float)
            self.assertTrue(-5 <= p["x"] <= 5)
            self.assertTrue(1e-5 <= p["lr"] <= 1e-1)
            self.assertIn(p["q"], (0.0, 0.25, 0.5, 0.75, 1.0))
            for name, lo, hi in (("n", 1, 10), ("units", 8, 512), ("even", 0, 20)):
                self.assertIs(type(p[name]), int)
                self.assertTrue(lo <= p[name] <= hi)
            self.assertEqual(p["even"] % 2, 0)
            seen_choices.add((type(p["c"]).__name__, p["c"]))
            self.assertAlmostEqual(t.value, mixed_objective(_Fixed(p)))
        # 60 draws of 5 choices: each type comes back as itself.
        self.assertEqual(seen_choices, {("str", "a"), ("int", 1), ("float", 2.5),
                                        ("bool", True), ("NoneType", None)})

    def test_log_draws_spread_over_decades(self):
        study = hpo.create_study(sampler="random", seed=0)
        study.optimize(lambda t: t.suggest_float("lr", 1e-6, 1.0, log=True),
                       n_trials=200)
        small = sum(t.params["lr"] < 1e-3 for t in study.trials)
        self.assertGreater(small, 60)  # uniform in value would give ~0

    def test_the_live_trial_returns_the_given_objects(self):
        study = hpo.create_study(sampler="random", seed=1)
        marker = "kept"
        trial = study.ask()
        got = trial.suggest_categorical("c", [marker])
        self.assertIs(got, marker)
        self.assertEqual(trial.params, {"c": "kept"})
        self.assertEqual(trial.suggest_categorical("c", [marker]), "kept")
        study.tell(trial, 1.0)

    def test_same_name_same_value(self):
        study = hpo.create_study(sampler="random", seed=1)
        trial = study.ask()
        a = trial.suggest_float("x", 0, 1)
        self.assertEqual(trial.suggest_float("x", 0, 1), a)
        study.tell(trial, a)


class _Fixed:
    """Replays stored params through the objective."""

    def __init__(self, params):
        self.p = params

    def __getattr__(self, name):
        return lambda key, *a, **k: self.p[key]


class AskTell(ScratchTest):
    def test_states_and_values(self):
        study = hpo.create_study(sampler="random", seed=2)
        t0 = study.ask()
        t0.suggest_float("x", 0, 1)
        frozen = study.tell(t0, 0.5)
        self.assertEqual((frozen.number, frozen.state, frozen.value),
                         (0, hpo.TrialState.COMPLETE, 0.5))
        t1 = study.ask()
        t1.report(0.9, 1)
        self.assertEqual(study.tell(t1, state=hpo.TrialState.PRUNED).value, 0.9)
        t2 = study.ask()
        self.assertEqual(study.tell(t2, state=hpo.TrialState.FAIL).state,
                         hpo.TrialState.FAIL)
        t3 = study.ask()
        self.assertEqual(study.tell(t3, float("nan")).state, hpo.TrialState.FAIL)
        t4 = study.ask()
        self.assertEqual(study.tell(t4.number, 2.0).value, 2.0)  # by number
        states = [t.state for t in study.trials]
        self.assertEqual(states, [hpo.TrialState.COMPLETE, hpo.TrialState.PRUNED,
                                  hpo.TrialState.FAIL, hpo.TrialState.FAIL,
                                  hpo.TrialState.COMPLETE])
        self.assertEqual([t.number for t in
                          study.get_trials(states=[hpo.TrialState.FAIL])], [2, 3])
        self.assertEqual(study.best_trial.number, 0)
        self.assertEqual(study.best_value, 0.5)

    def test_maximize_and_multi_objective(self):
        study = hpo.create_study(direction="maximize", sampler="random", seed=4)
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=20)
        self.assertEqual(study.best_value, max(t.value for t in study.trials))
        mo = hpo.create_study(directions=["minimize", "maximize"],
                              sampler="random", seed=4)
        mo.optimize(lambda t: (t.suggest_float("x", 0, 1),
                               t.suggest_float("y", 0, 1)), n_trials=20)
        self.assertEqual(len(mo.trials[0].values), 2)
        front = mo.best_trials
        self.assertTrue(front)
        for a in front:  # no trial of the front dominates another
            for b in front:
                self.assertFalse(b.values[0] < a.values[0] and b.values[1] > a.values[1])
        with self.assertRaises(RuntimeError):
            mo.trials[0].value

    def test_no_best_trial_is_a_value_error(self):
        study = hpo.create_study()
        with self.assertRaisesRegex(ValueError, "no COMPLETE trial"):
            study.best_trial

    def test_enqueue(self):
        study = hpo.create_study(sampler="random", seed=5)
        study.enqueue_trial({"x": 0.25, "c": "b", "n": 7})
        seen = []

        def obj(t):
            seen.append((t.suggest_float("x", 0, 1),
                         t.suggest_categorical("c", ["a", "b"]),
                         t.suggest_int("n", 0, 10)))
            return 0.0
        study.optimize(obj, n_trials=2)
        self.assertEqual(seen[0], (0.25, "b", 7))


class Attributes(ScratchTest):
    def test_trial_and_study_attributes(self):
        study = hpo.create_study(storage=self.sqlite_url(), study_name="attrs")
        study.set_user_attr("dataset", "breast_cancer")
        study.set_user_attr("folds", [1, 2, 3])
        self.assertEqual(study.user_attrs, {"dataset": "breast_cancer",
                                            "folds": [1, 2, 3]})

        def obj(t):
            t.set_user_attr("note", {"k": 1.5})
            self.assertEqual(t.user_attrs, {"note": {"k": 1.5}})
            return 1.0
        study.optimize(obj, n_trials=1)
        self.assertEqual(study.trials[0].user_attrs, {"note": {"k": 1.5}})
        again = hpo.load_study("attrs", self.sqlite_url())
        self.assertEqual(again.user_attrs["folds"], [1, 2, 3])
        self.assertEqual(again.trials[0].user_attrs, {"note": {"k": 1.5}})


class Pruning(ScratchTest):
    def test_median_pruner_prunes_the_bad_curves(self):
        study = hpo.create_study(sampler="random", seed=6,
                                 pruner="median:n_startup_trials=3")

        def obj(trial):
            x = trial.suggest_float("x", 0, 1)
            for step in range(10):
                trial.report(x + 1.0 / (step + 1), step)
                if trial.should_prune():
                    raise hpo.TrialPruned()
            return x
        study.optimize(obj, n_trials=40)
        pruned = study.get_trials(states=[hpo.TrialState.PRUNED])
        self.assertTrue(pruned)
        complete = study.get_trials(states=[hpo.TrialState.COMPLETE])
        # the pruner keeps good curves: the best x survives to COMPLETE
        best_x = min(t.params["x"] for t in study.trials)
        self.assertIn(best_x, [t.params["x"] for t in complete])
        for t in pruned:
            last = max(t.intermediate_values)
            self.assertEqual(t.value, t.intermediate_values[last])
            self.assertLess(last, 9)


class Listing(ScratchTest):
    def test_registry(self):
        samplers, pruners = hpo.samplers(), hpo.pruners()
        for name in ("auto", "random", "tpe", "gp", "cmaes"):
            self.assertIn(name, samplers)
        for name in ("none", "median", "hyperband"):
            self.assertIn(name, pruners)
        self.assertTrue(all(samplers.values()))

    def test_each_sampler_runs_from_python(self):
        for name in hpo.samplers():
            with self.subTest(sampler=name):
                study = hpo.create_study(sampler=name, seed=1, search_space={
                    "x": "float:-1:1", "k": {"type": "int", "low": 0, "high": 3}})
                study.optimize(lambda t: (t.suggest_float("x", -1, 1) ** 2 +
                                          t.suggest_int("k", 0, 3)),
                               n_trials=6)
                self.assertEqual(len(study.trials), 6)

    def test_each_pruner_runs_from_python(self):
        # the pruners with a required option get it; hpo names it otherwise
        options = {"percentile": "percentile:percentile=25",
                   "threshold": "threshold:upper=1.5",
                   "patient": "patient:patience=2"}

        def obj(trial):
            x = trial.suggest_float("x", 0, 1)
            for step in range(1, 6):
                trial.report(x + 1.0 / step, step)
                if trial.should_prune():
                    raise hpo.TrialPruned()
            return x
        for name in hpo.pruners():
            with self.subTest(pruner=name):
                study = hpo.create_study(pruner=options.get(name, name),
                                         sampler="random", seed=1)
                study.optimize(obj, n_trials=12)
                self.assertEqual(len(study.trials), 12)
        for name, option in (("percentile", "percentile"), ("patient", "patience")):
            with self.assertRaisesRegex(ValueError, option):
                hpo.create_study(pruner=name)

    def test_grid_covers_its_declared_space(self):
        study = hpo.create_study(sampler="grid", search_space={
            "k": "int:0:3", "c": "cat:a,b"})
        study.optimize(lambda t: t.suggest_int("k", 0, 3) +
                       (t.suggest_categorical("c", ["a", "b"]) == "a"), n_trials=20)
        self.assertEqual(sorted((t.params["k"], t.params["c"]) for t in study.trials),
                         sorted((k, c) for k in range(4) for c in "ab"))
        with self.assertRaises(hpo.SearchSpaceExhausted):
            study.ask()

    def test_records_and_dataframe(self):
        study = hpo.create_study(sampler="random", seed=7)
        study.optimize(mixed_objective, n_trials=5)
        rows = hpo.trials_records(study)
        self.assertEqual(len(rows), 5)
        self.assertIn("params_lr", rows[0])
        df = study.trials_dataframe()
        self.assertEqual(list(df["number"]), [0, 1, 2, 3, 4])
        self.assertEqual(list(df.columns)[-1], "state")
        for t in study.trials:
            self.assertLessEqual(t.datetime_start, t.datetime_complete)
            self.assertGreaterEqual(t.duration.total_seconds(), 0)
        self.assertTrue(all(df["state"] == "COMPLETE"))
        self.assertAlmostEqual(df["value"].min(), study.best_value)

    def test_dataframe_without_pandas_says_so(self):
        import sys
        study = hpo.create_study()
        saved = sys.modules.get("pandas")
        sys.modules["pandas"] = None  # import pandas now raises ImportError
        try:
            with self.assertRaisesRegex(ImportError, "needs pandas"):
                study.trials_dataframe()
        finally:
            if saved is None:
                del sys.modules["pandas"]
            else:
                sys.modules["pandas"] = saved

    def test_storage_listing_and_delete(self):
        url = self.sqlite_url()
        with hpo.Storage(url) as st:
            a = hpo.create_study("a", st)
            b = hpo.create_study("b", st)
            self.assertEqual(st.study_names(), ["a", "b"])
            a.close()
            b.close()
            hpo.delete_study("a", st)
            self.assertEqual(st.study_names(), ["b"])


if __name__ == "__main__":
    unittest.main()
