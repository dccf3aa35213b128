"""Threads: n_jobs > 1, the GIL released while libhpo works, one study and
one trial used from several threads."""

import threading
import time
import unittest

import hpo
from hpo._native import ffi, lib
from support import ScratchTest


class NJobs(ScratchTest):
    def test_n_jobs_runs_exactly_n_trials_on_several_threads(self):
        study = hpo.create_study(storage=self.sqlite_url(), study_name="jobs",
                                 sampler="random", seed=1)
        threads = set()

        def obj(t):
            threads.add(threading.get_ident())
            time.sleep(0.002)  # let the other workers in
            return t.suggest_float("x", 0, 1)
        study.optimize(obj, n_trials=40, n_jobs=4)
        trials = study.trials
        self.assertEqual(len(trials), 40)
        self.assertEqual(sorted(t.number for t in trials), list(range(40)))
        self.assertTrue(all(t.state == hpo.TrialState.COMPLETE for t in trials))
        self.assertGreater(len(threads), 1)

    def test_an_exception_in_a_worker_stops_all_and_propagates(self):
        study = hpo.create_study()
        count = [0]
        lock = threading.Lock()

        def obj(t):
            with lock:
                count[0] += 1
                n = count[0]
            if n == 5:
                raise RuntimeError("worker failed")
            return 0.0
        with self.assertRaisesRegex(RuntimeError, "worker failed"):
            study.optimize(obj, n_trials=1000, n_jobs=3)
        states = [t.state for t in study.trials]
        self.assertLess(len(states), 1000)
        self.assertNotIn(hpo.TrialState.RUNNING, states)
        self.assertEqual(states.count(hpo.TrialState.FAIL), 1)


class GilReleased(unittest.TestCase):
    def test_python_runs_while_a_long_c_call_works(self):
        # fANOVA on 3,000 rows x 6 features: a pure C call of a few tenths of
        # a second.  If the GIL were held through it, the main thread could
        # not count while it runs.
        import random
        rng = random.Random(0)
        n, dim = 3000, 6
        x = ffi.new("double[]", [rng.random() for _ in range(n * dim)])
        y = ffi.new("double[]", [rng.random() for _ in range(n)])
        imp = ffi.new("double[]", dim)
        opts = ffi.new("hpo_importance_options *")
        lib.hpo_importance_options_default(opts)
        opts.n_trees = 32
        entered, finished = threading.Event(), threading.Event()
        result = []

        def work():
            entered.set()
            result.append(lib.hpo_importance_of(x, y, n, dim, ffi.NULL, opts, imp))
            finished.set()
        t = threading.Thread(target=work)
        t.start()
        entered.wait()
        counted = 0
        while not finished.is_set():
            counted += 1
        t.join()
        self.assertEqual(result, [0])
        self.assertGreater(counted, 10000)


class SharedStudy(ScratchTest):
    def test_ask_tell_from_many_threads(self):
        study = hpo.create_study(storage=self.sqlite_url(), study_name="shared",
                                 sampler="tpe", seed=2)
        errors = []

        def loop():
            try:
                for _ in range(15):
                    trial = study.ask()
                    study.tell(trial, trial.suggest_float("x", -1, 1) ** 2)
                    study.set_user_attr("last", trial.number)
                    study.best_trial
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)
        threads = [threading.Thread(target=loop) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(study.trials), 60)
        self.assertEqual(len({t.number for t in study.trials}), 60)

    def test_one_trial_from_two_threads(self):
        study = hpo.create_study(sampler="random", seed=3)
        trial = study.ask()
        errors = []

        def suggest(prefix):
            try:
                for i in range(200):
                    trial.suggest_float("%s%d" % (prefix, i), 0, 1)
                    trial.set_user_attr(prefix, i)
            except Exception as e:  # pragma: no cover
                errors.append(e)
        threads = [threading.Thread(target=suggest, args=(p,)) for p in "ab"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        study.tell(trial, 0.0)
        self.assertEqual(len(study.trials[0].params), 400)


if __name__ == "__main__":
    unittest.main()
