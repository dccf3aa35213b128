"""No leak over 100,000 trials: 100 studies of 1,000 trivial trials each,
each read back (trials, best trial) and closed; the resident set after the
first 10 studies (warm-up) must stay flat to the end.  Closing a study
frees its in-memory storage, so what remains can only be leaked handles."""

import os
import unittest

import hpo


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def one_study(seed):
    with hpo.create_study(sampler="random", seed=seed) as study:
        def obj(trial):
            trial.set_user_attr("k", 1)
            trial.report(0.5, 1)
            return trial.suggest_float("x", 0, 1) + trial.suggest_categorical("c", [0, 1])
        study.optimize(obj, n_trials=1000)
        assert len(study.trials) == 1000
        study.best_trial
        ask = study.ask()  # one trial never told: the finalizer frees it
        del ask


class NoLeak(unittest.TestCase):
    def test_rss_flat_over_100000_trials(self):
        for seed in range(10):
            one_study(seed)
        warm = rss_bytes()
        for seed in range(10, 100):
            one_study(seed)
        grown = rss_bytes() - warm
        # a leak of one 100-byte object per trial would be 9 MB here
        self.assertLess(grown, 4 << 20, "RSS grew %d KiB" % (grown >> 10))


if __name__ == "__main__":
    unittest.main()
