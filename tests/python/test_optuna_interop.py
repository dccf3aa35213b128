"""A SQLite study written from Python through hpo, opened by Python Optuna
(optuna.load_study): the same trials, states, values, params with their
types, intermediate values and attributes."""

import unittest

import hpo
from support import ScratchTest

try:
    import optuna
except ImportError:  # pragma: no cover - Debian's python3-optuna is set up
    optuna = None


def objective(trial):
    x = trial.suggest_float("x", -3, 3)
    lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
    q = trial.suggest_float("q", 0, 1, step=0.5)
    n = trial.suggest_int("n", 1, 9, step=2)
    k = trial.suggest_int("k", 1, 64, log=True)
    c = trial.suggest_categorical("c", ["rbf", 3, 0.5, False, None])
    trial.set_user_attr("tag", {"n": n})
    for step in range(3):
        trial.report(x * x + step, step)
    if trial.number == 2:
        raise hpo.TrialPruned()
    if trial.number == 3:
        raise ValueError("a failing trial")
    return x * x + lr + q + n + k + (1 if c else 0)


@unittest.skipIf(optuna is None, "python3-optuna is not installed")
class OptunaReadsHpo(ScratchTest):
    def test_optuna_sees_what_hpo_wrote(self):
        url = self.sqlite_url()
        study = hpo.create_study(study_name="interop", storage=url,
                                 sampler="random", seed=11)
        study.set_user_attr("owner", "hpo")
        study.optimize(objective, n_trials=12, catch=(ValueError,))
        mine = study.trials

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        theirs = optuna.load_study(study_name="interop", storage=url).trials
        self.assertEqual(len(theirs), len(mine))
        for a, b in zip(mine, theirs):
            self.assertEqual(a.number, b.number)
            self.assertEqual(a.state.name, b.state.name)
            self.assertEqual(a.values, b.values)
            self.assertEqual(a.params, b.params)
            for name, value in a.params.items():
                self.assertIs(type(value), type(b.params[name]), name)
            self.assertEqual(a.intermediate_values, b.intermediate_values)
            self.assertEqual(a.user_attrs, b.user_attrs)
        self.assertEqual(theirs[2].state, optuna.trial.TrialState.PRUNED)
        self.assertEqual(theirs[3].state, optuna.trial.TrialState.FAIL)
        dist = theirs[0].distributions
        self.assertEqual(dist["c"].choices, ("rbf", 3, 0.5, False, None))
        self.assertTrue(dist["lr"].log)
        self.assertEqual(dist["n"].step, 2)
        ostudy = optuna.load_study(study_name="interop", storage=url)
        self.assertEqual(ostudy.user_attrs, {"owner": "hpo"})
        self.assertEqual(ostudy.best_trial.number, study.best_trial.number)

    def test_hpo_continues_what_optuna_wrote(self):
        url = self.sqlite_url("optuna.db")
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        ostudy = optuna.create_study(study_name="py", storage=url,
                                     sampler=optuna.samplers.RandomSampler(seed=1))
        ostudy.optimize(lambda t: t.suggest_categorical("c", [1, "two", None]) is None
                        and 0.0 or t.suggest_float("x", 0, 1), n_trials=8)
        study = hpo.load_study("py", url, sampler="random", seed=2)
        self.assertEqual([t.params for t in study.trials],
                         [t.params for t in ostudy.trials])
        study.optimize(lambda t: t.suggest_categorical("c", [1, "two", None]) is None
                       and 0.0 or t.suggest_float("x", 0, 1), n_trials=4)
        self.assertEqual(len(optuna.load_study(study_name="py", storage=url).trials), 12)


if __name__ == "__main__":
    unittest.main()
