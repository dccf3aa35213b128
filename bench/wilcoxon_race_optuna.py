"""wilcoxon_race_optuna.py SEEDS TRIALS INSTANCES: Optuna's side of
bench/wilcoxon_race.sh.
wilcoxon_race_optuna.py --replay DB STUDY INSTANCES: the configurations of an
hpo study (SQLite, Optuna's schema) run again through Optuna with the pruner
below; prints how many trials hpo stopped at another instance than Optuna
(tests/cli/tune_wilcoxon.sh wants 0).  Debian's Optuna 3.1 has no WilcoxonPruner (3.6 has),
so this file gives it one with the rule Optuna 3.6 documents: a one-sided
scipy.stats.wilcoxon(zero_method="zsplit") of the trial's values against the
best trial's on the steps both reported, pruned when p < p_threshold after
max(2, n_startup_steps) pairs, unless the trial's mean is at least as good as
the best trial's.  The target is tests/children/instances2.sh's, in process.
Prints one line per seed: "EVALUATIONS_NONE EVALUATIONS_WILCOXON BEST_NONE
BEST_WILCOXON"."""
import math
import sys
import warnings

import numpy as np
import optuna
import scipy.stats

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")


class Wilcoxon(optuna.pruners.BasePruner):
    def __init__(self, p_threshold=0.1, n_startup_steps=2):
        self.p = p_threshold
        self.n_startup = n_startup_steps

    def prune(self, study, trial):
        mine = trial.intermediate_values
        if not mine:
            return False
        try:
            best = study.best_trial.intermediate_values
        except ValueError:
            return False
        steps = sorted(set(mine) & set(best))
        if len(steps) < max(2, self.n_startup):
            return False
        d = np.array([mine[s] - best[s] for s in steps])
        mean, best_mean = np.mean(list(mine.values())), np.mean(list(best.values()))
        alt = "greater" if study.direction == optuna.study.StudyDirection.MINIMIZE else "less"
        mean_is_best = best_mean >= mean if alt == "greater" else best_mean <= mean
        p = scipy.stats.wilcoxon(d, alternative=alt, zero_method="zsplit").pvalue
        return bool(p < self.p) and not mean_is_best


def score(x, y, i):
    return ((x - 0.3) ** 2 + 0.5 * (y - 0.6) ** 2 + ((i * 7) % 8) * 0.5
            + 0.05 * math.sin(13 * i + 17 * x + 11 * y))


def run(pruner, seed, trials, instances):
    evals = [0]

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        y = trial.suggest_float("y", 0, 1)
        total = 0.0
        for i in range(instances):
            s = score(x, y, i)
            evals[0] += 1
            total += s
            trial.report(s, i)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return total / instances

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed),
                                pruner=pruner)
    study.optimize(objective, n_trials=trials)
    return evals[0], study.best_value


def replay(db, name, instances):
    hpo = optuna.load_study(study_name=name, storage="sqlite:///" + db)
    done = {t.number: len(t.intermediate_values) for t in hpo.trials}
    study = optuna.create_study(pruner=Wilcoxon())
    for t in hpo.trials:
        study.enqueue_trial(t.params)
    used = {}

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        y = trial.suggest_float("y", 0, 1)
        total = 0.0
        for i in range(instances):
            total += score(x, y, i)
            trial.report(score(x, y, i), i)
            if trial.should_prune():
                used[trial.number] = i + 1
                raise optuna.TrialPruned()
        used[trial.number] = instances
        return total / instances

    study.optimize(objective, n_trials=len(done))
    differ = [n for n in done if done[n] != used[n]]
    print("%d trials, %d stopped elsewhere %s" % (len(done), len(differ), differ[:10]))


if sys.argv[1] == "--replay":
    replay(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    sys.exit(0)
seeds, trials, instances = (int(a) for a in sys.argv[1:4])
for seed in range(1, seeds + 1):
    en, bn = run(optuna.pruners.NopPruner(), seed, trials, instances)
    ew, bw = run(Wilcoxon(), seed, trials, instances)
    print(en, ew, "%.6g" % bn, "%.6g" % bw)
