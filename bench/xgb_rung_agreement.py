#!/usr/bin/python3
"""xgb_rung_agreement.py — do low rungs rank xgb_spam's configurations as
the full budget does?  The evidence behind the `auto` pruner's rank check
(docs/pruners.md, "auto").

N random configurations of xgb_spam's space (BENCHMARKS.md: eta log
[1e-3, 1], max_depth [1, 12], subsample [0.5, 1], colsample_bytree [0.3, 1],
min_child_weight log [0.1, 100], lambda log [1e-3, 100], alpha log
[1e-3, 10]; nthread=1) are trained for 243 rounds on a stratified 80/20
split of spam.csv; for each rung r in 1, 3, 9, 27, 81 it prints Spearman's
correlation between the validation log-loss after r rounds and after 243,
over all configurations and over the better half (by the final value),
and the rank at rung r of the configuration that ends best.  Then it plays
the `auto` pruner's rank check (src/pruners/rank_gate.c) on 2,000 random
subsets of 10, 20, 30 and 60 of the configurations: how often each rung is
the first one trusted.

    /usr/bin/python3 bench/xgb_rung_agreement.py [SEED [N]]

Needs Debian's python3-xgboost, python3-sklearn, python3-scipy; data from
$HPO_DATA_DIR or ../shared/data.  About 2 s per configuration.
"""
import os
import sys

import numpy as np
import xgboost as xgb
from scipy.stats import spearmanr
from sklearn.model_selection import train_test_split

RUNGS = [1, 3, 9, 27, 81, 243]


def log_uniform(rng, low, high):
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def curves(seed, n):
    data_dir = os.environ.get("HPO_DATA_DIR", "../shared/data")
    d = np.genfromtxt(os.path.join(data_dir, "spam.csv"), delimiter=",",
                      skip_header=1)
    xt, xv, yt, yv = train_test_split(d[:, :-1], d[:, -1], test_size=0.2,
                                      stratify=d[:, -1], random_state=0)
    dt, dv = xgb.DMatrix(xt, label=yt), xgb.DMatrix(xv, label=yv)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        params = dict(objective="binary:logistic", eval_metric="logloss",
                      nthread=1, tree_method="hist",
                      eta=log_uniform(rng, 1e-3, 1),
                      max_depth=int(rng.integers(1, 13)),
                      subsample=rng.uniform(0.5, 1),
                      colsample_bytree=rng.uniform(0.3, 1),
                      min_child_weight=log_uniform(rng, 0.1, 100),
                      reg_lambda=log_uniform(rng, 1e-3, 100),
                      alpha=log_uniform(rng, 1e-3, 10))
        result = {}
        xgb.train(params, dt, RUNGS[-1], evals=[(dv, "v")],
                  evals_result=result, verbose_eval=False)
        loss = result["v"]["logloss"]
        out.append([loss[r - 1] for r in RUNGS])
    return np.array(out)


def lower_bound(rho, m):
    """rank_gate.c's one-sided 95% lower bound of a Spearman correlation."""
    if m <= 3 or np.isnan(rho):
        return np.nan
    return np.tanh(np.arctanh(min(rho, 1 - 1e-12))
                   - 1.6448536269514722 * np.sqrt(1.06 / (m - 3)))


def first_trusted(c):
    """The lowest rung (index) such that it and every higher one below the
    full budget pass the check on c's configurations; len(RUNGS) - 1 when
    none does."""
    final = c[:, -1]
    half = np.argsort(final)[: (len(c) + 1) // 2]
    first = len(RUNGS) - 1
    for k in range(len(RUNGS) - 2, -1, -1):
        rho = spearmanr(c[half, k], final[half]).correlation
        if not lower_bound(rho, len(half)) > 0:
            break
        first = k
    return first


def simulate(c, rng):
    print("first rung trusted by the rank check, 2,000 random subsets:")
    for size in (10, 20, 30, 60):
        if size > len(c):
            continue
        firsts = np.array([first_trusted(c[rng.choice(len(c), size,
                                                      replace=False)])
                           for _ in range(2000)])
        shares = ["%s %.3f" % (RUNGS[k] if k < len(RUNGS) - 1 else "none",
                               (firsts == k).mean())
                  for k in range(len(RUNGS))]
        print("  %2d complete trials: %s" % (size, ", ".join(shares)))


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    c = curves(seed, n)
    final = c[:, -1]
    better = final <= np.median(final)
    best = int(np.argmin(final))
    print("seed %d, %d configurations, best final log-loss %.5f"
          % (seed, n, final[best]))
    print("rung  spearman(all)  spearman(better half)  rank of the final best")
    for k, r in enumerate(RUNGS[:-1]):
        rho_all = spearmanr(c[:, k], final).correlation
        rho_half = spearmanr(c[better, k], final[better]).correlation
        rank = int((c[:, k] < c[best, k]).sum()) + 1
        print("%4d  %13.3f  %21.3f  %10d of %d" % (r, rho_all, rho_half,
                                                    rank, n))
    simulate(c, np.random.default_rng(0))


if __name__ == "__main__":
    main()
