"""Ctrl-C stops optimize cleanly: SIGINT to a child running optimize on
SQLite; the child ends with KeyboardInterrupt, the trial it ran is FAIL
(not RUNNING) and every trial told before stays stored."""

import signal
import subprocess
import sys
import textwrap
import unittest

import hpo
from support import ScratchTest, child_env

CHILD = textwrap.dedent("""
    import sys, time, hpo
    study = hpo.create_study(study_name="cc", storage=sys.argv[1],
                             sampler="random", seed=1)
    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        for step in range(1000):
            trial.report(x, step)
            time.sleep(0.01)
            if step == 2 and trial.number == 3:
                print("in trial 3", flush=True)
            if step == 5 and trial.number != 3:  # trial 3 runs until Ctrl-C
                return x
    study.optimize(objective, n_trials=1000, n_jobs=int(sys.argv[2]))
""")


class CtrlC(ScratchTest):
    def run_child(self, n_jobs):
        url = self.sqlite_url("cc%d.db" % n_jobs)
        child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(n_jobs)],
                                 env=child_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            line = child.stdout.readline()
            self.assertEqual(line.strip(), "in trial 3")
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        self.assertNotEqual(child.returncode, 0)
        self.assertIn("KeyboardInterrupt", err)
        self.assertNotIn("Segmentation", err)
        study = hpo.load_study("cc", url)
        return study.trials

    def test_sigint_single_thread(self):
        trials = self.run_child(1)
        states = [t.state for t in trials]
        self.assertNotIn(hpo.TrialState.RUNNING, states)
        self.assertEqual(states[:3], [hpo.TrialState.COMPLETE] * 3)
        self.assertEqual(trials[3].state, hpo.TrialState.FAIL)
        self.assertIn("KeyboardInterrupt", trials[3].user_attrs["fail_reason"])
        self.assertEqual(len(trials), 4)  # nothing started after the Ctrl-C

    def test_sigint_with_threads(self):
        trials = self.run_child(3)
        states = [t.state for t in trials]
        self.assertNotIn(hpo.TrialState.RUNNING, states)
        self.assertGreaterEqual(states.count(hpo.TrialState.COMPLETE), 3)


if __name__ == "__main__":
    unittest.main()
