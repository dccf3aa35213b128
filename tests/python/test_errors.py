"""Bad input from Python: a Python exception with hpo's message, never a
crash of the interpreter."""

import unittest

import hpo
from hpo import _native
from support import ScratchTest


class StatusesBecomeExceptions(ScratchTest):
    def test_bad_bounds_are_value_errors_with_hpos_message(self):
        study = hpo.create_study()
        trial = study.ask()
        with self.assertRaises(hpo.InvalidArgumentError) as cm:
            trial.suggest_float("x", 1.0, 0.0)
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIn("'x'", str(cm.exception))
        self.assertEqual(cm.exception.code, -1)
        with self.assertRaisesRegex(ValueError, "log"):
            trial.suggest_float("y", 0.0, 1.0, log=True)
        with self.assertRaises(ValueError):
            trial.suggest_int("big", 0, 2 ** 70)

    def test_incompatible_redefinition(self):
        study = hpo.create_study()
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        with self.assertRaises(hpo.HpoError) as cm:
            trial.suggest_int("x", 0, 1)
        self.assertIn("x", str(cm.exception))

    def test_unknown_sampler_and_pruner(self):
        with self.assertRaisesRegex(ValueError, "nosuch"):
            hpo.create_study(sampler="nosuch")
        with self.assertRaisesRegex(ValueError, "bogus"):
            hpo.create_study(pruner="median:bogus=1")
        with self.assertRaises(TypeError):
            hpo.create_study(sampler=object())

    def test_storage_and_study_errors(self):
        with self.assertRaisesRegex(ValueError, "nosuch"):
            hpo.create_study(storage="nosuch://x")
        url = self.sqlite_url()
        hpo.create_study("s", url).close()
        with self.assertRaises(hpo.DuplicatedStudyError):
            hpo.create_study("s", url)
        self.assertEqual(hpo.create_study("s", url, load_if_exists=True).study_name, "s")
        with self.assertRaises(hpo.NotFoundError) as cm:
            hpo.load_study("missing", url)
        self.assertIn("missing", str(cm.exception))
        with self.assertRaisesRegex(ValueError, "direction"):
            hpo.create_study(direction="sideways")

    def test_attributes_must_be_json(self):
        study = hpo.create_study()
        with self.assertRaises(TypeError):
            study.set_user_attr("k", object())
        with self.assertRaises(TypeError):
            study.set_user_attr(3, "v")


class WrongTypes(ScratchTest):
    def test_suggest_refuses_wrong_types(self):
        study = hpo.create_study()
        trial = study.ask()
        for call in (lambda: trial.suggest_float("x", "0", 1),
                     lambda: trial.suggest_float(1, 0, 1),
                     lambda: trial.suggest_float("x", None, 1),
                     lambda: trial.suggest_int("n", 0.5, 3),
                     lambda: trial.suggest_int("n", 0, 3, step="1"),
                     lambda: trial.suggest_categorical("c", "abc"),
                     lambda: trial.suggest_categorical("c", [[1], [2]]),
                     lambda: trial.suggest_categorical("c", [object()]),
                     lambda: trial.report("high", 1),
                     lambda: trial.report(0.5, 1.5)):
            with self.assertRaises(TypeError):
                call()
        with self.assertRaises(ValueError):
            trial.suggest_categorical("c", [float("nan")])
        with self.assertRaises(ValueError):  # hpo: at least one choice
            trial.suggest_categorical("c", [])
        study.tell(trial, 1.0)  # the trial is still usable after all that

    def test_tell_refuses_wrong_values(self):
        study = hpo.create_study()
        trial = study.ask()
        with self.assertRaises(TypeError):
            study.tell(trial, "low")
        with self.assertRaises(ValueError):
            study.tell(trial)  # COMPLETE needs a value
        with self.assertRaises(ValueError):
            study.tell(trial, 1.0, state=hpo.TrialState.PRUNED)
        with self.assertRaises(hpo.InvalidArgumentError):
            study.tell(trial, [1.0, 2.0])  # one objective
        study.tell(trial, 1.0)


class AfterTell(ScratchTest):
    def test_a_told_trial_is_closed(self):
        study = hpo.create_study()
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        study.tell(trial, 0.3)
        for call in (lambda: trial.suggest_float("y", 0, 1),
                     lambda: trial.report(0.1, 1),
                     lambda: trial.should_prune(),
                     lambda: trial.set_user_attr("k", 1),
                     lambda: study.tell(trial, 0.1)):
            with self.assertRaisesRegex(hpo.TrialFinishedError, "finished"):
                call()
        self.assertEqual(study.tell(trial, 0.1, skip_if_finished=True).value, 0.3)
        # told through a second handle (by number), then through the first:
        # libhpo keeps the second result as a new trial (a late result)
        t2 = study.ask()
        study.tell(t2.number, 0.5)
        late = study.tell(t2, 0.6)
        self.assertEqual((late.value, late.system_attrs["late_result_of"]),
                         (0.6, t2.number))
        self.assertEqual(study.trials[t2.number].value, 0.5)

    def test_a_closed_study(self):
        study = hpo.create_study()
        study.close()
        with self.assertRaisesRegex(hpo.MisuseError, "closed"):
            study.ask()
        with self.assertRaises(hpo.MisuseError):
            study.trials

    def test_storage_closed_under_its_study(self):
        st = hpo.Storage(self.sqlite_url())
        study = hpo.create_study("s", st)
        with self.assertRaisesRegex(hpo.MisuseError, "close the studies"):
            st.close()
        study.close()
        st.close()


class ObjectiveErrors(ScratchTest):
    def test_exception_fails_the_trial_and_propagates(self):
        study = hpo.create_study()

        def obj(t):
            t.suggest_float("x", 0, 1)
            raise ZeroDivisionError("boom")
        with self.assertRaisesRegex(ZeroDivisionError, "boom"):
            study.optimize(obj, n_trials=5)
        self.assertEqual([t.state for t in study.trials], [hpo.TrialState.FAIL])
        self.assertIn("boom", study.trials[0].user_attrs["fail_reason"])

    def test_catch_goes_on(self):
        study = hpo.create_study()
        calls = []

        def obj(t):
            calls.append(1)
            if len(calls) % 2:
                raise KeyError("odd")
            return 1.0
        study.optimize(obj, n_trials=6, catch=(KeyError,))
        states = [t.state for t in study.trials]
        self.assertEqual(states.count(hpo.TrialState.FAIL), 3)
        self.assertEqual(states.count(hpo.TrialState.COMPLETE), 3)

    def test_results_that_are_not_numbers_fail(self):
        study = hpo.create_study()
        results = iter([float("nan"), None, "x", (1.0, 2.0), 3])
        with self.assertWarns(RuntimeWarning):
            study.optimize(lambda t: next(results), n_trials=5)
        self.assertEqual([t.state.name for t in study.trials],
                         ["FAIL"] * 4 + ["COMPLETE"])

    def test_bad_optimize_arguments(self):
        study = hpo.create_study()
        with self.assertRaises(ValueError):
            study.optimize(lambda t: 0, n_trials=-1)
        with self.assertRaises(ValueError):
            study.optimize(lambda t: 0, n_jobs=0)
        with self.assertRaises(TypeError):
            study.optimize(lambda t: 0, n_trials=1, catch=(int,))
        with self.assertRaises(TypeError):
            study.optimize("not callable", n_trials=1)

    def test_callbacks_see_frozen_trials_and_may_stop(self):
        study = hpo.create_study(sampler="random", seed=1)
        seen = []

        def cb(st, frozen):
            seen.append(frozen.number)
            if frozen.number == 4:
                st.stop()
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=50,
                       callbacks=[cb])
        self.assertEqual(seen, [0, 1, 2, 3, 4])
        self.assertEqual(len(study.trials), 5)


class Version(unittest.TestCase):
    def test_a_library_of_another_version_is_refused(self):
        with self.assertRaisesRegex(hpo.HpoVersionError, "9.4.0.*does not match"):
            _native._check_version("9.4.0", "/fake/libhpo.so")
        self.assertTrue(issubclass(hpo.HpoVersionError, ImportError))
        _native._check_version(_native.PACKAGE_VERSION)  # the real one passes

    def test_a_library_without_the_new_functions_is_refused(self):
        class Old:
            hpo_study_user_attr_at = None
        with self.assertRaisesRegex(hpo.HpoVersionError,
                                    "hpo_trial_suggest_categorical_json"):
            _native._check_symbols(Old(), "/fake/libhpo.so")

    def test_a_wrong_path_is_a_clear_import_error(self):
        import subprocess
        import sys
        from support import child_env
        env = child_env()
        env["HPO_LIBRARY"] = "/nonexistent/libhpo.so"
        r = subprocess.run([sys.executable, "-c", "import hpo"], env=env,
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot load libhpo", r.stderr)
        self.assertIn("HPO_LIBRARY", r.stderr)


if __name__ == "__main__":
    unittest.main()
