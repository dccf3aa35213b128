"""The Optuna 3.1 side of `hpo-bench pruner-overhead` (pruner_overhead.c).

Builds the same history as the C side (N COMPLETE trials, `steps` values
each, from curve(); under successive halving the completed_rung_k system
attributes that pruner would have written), then times trial.should_prune()
for `probe` new trials at each of their steps, in process CPU time.
Writes {"us": {pruner: {size: us per call}}} as JSON to --out.
"""
import argparse
import json
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

MIN_RESOURCE, ETA = 1, 4


def curve(k, s):
    level = 0.1 + ((k * 7919) % 1000) / 1000.0
    return level * (1.0 + 1.0 / s)


def rung_attrs(k, steps, pruner):
    if pruner != "successive_halving":
        return {}
    attrs, rung = {}, 0
    while MIN_RESOURCE * ETA**rung <= steps:
        step = MIN_RESOURCE * ETA**rung
        attrs["completed_rung_%d" % rung] = curve(k, step)
        rung += 1
    return attrs


def make_pruner(name):
    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0)
    if name == "successive_halving":
        return optuna.pruners.SuccessiveHalvingPruner(
            min_resource=MIN_RESOURCE, reduction_factor=ETA)
    raise SystemExit("unknown pruner " + name)


def measure(pruner, n, steps, probe):
    study = optuna.create_study(direction="minimize", pruner=make_pruner(pruner),
                                sampler=optuna.samplers.RandomSampler(seed=0))
    study.add_trials([
        optuna.trial.create_trial(
            value=curve(k, steps),
            intermediate_values={s: curve(k, s) for s in range(1, steps + 1)},
            system_attrs=rung_attrs(k, steps, pruner))
        for k in range(n)])
    cost = 0.0
    for k in range(n, n + probe):
        trial = study.ask()
        for s in range(1, steps + 1):
            trial.report(curve(k, s), s)
            t0 = time.process_time()
            trial.should_prune()
            cost += time.process_time() - t0
        study.tell(trial, curve(k, steps))
    return 1e6 * cost / (probe * steps)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--probe", type=int, default=20)
    ap.add_argument("--pruners", default="median,successive_halving")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    us = {}
    for pruner in a.pruners.split(","):
        us[pruner] = {}
        for n in (int(x) for x in a.sizes.split(",")):
            us[pruner][str(n)] = measure(pruner, n, a.steps, a.probe)
            print("optuna %s at %d trials: %.1f us" % (pruner, n, us[pruner][str(n)]),
                  flush=True)
    with open(a.out, "w") as f:
        json.dump({"us": us}, f)


if __name__ == "__main__":
    main()
