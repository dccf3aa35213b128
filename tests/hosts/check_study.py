"""check_study.py URL STUDY --complete N --killed T --killed-at EPOCH
                [--grace S] [--kept T1,T2,...]
The end state of the cross-host test, read by Python Optuna (a reader
independent of hpo's own):

- exactly N trials are COMPLETE, and none is RUNNING or WAITING;
- trial numbers are 0..n-1 without a gap;
- trial T (the one running on the worker killed at EPOCH, seconds since
  1970) is FAIL, with the system attribute fail_reason naming heartbeats,
  and was failed once the grace period S had passed: its last heartbeat
  came at most one interval (S / 2) before the kill, so no sooner than
  S / 2 after it, and no later than S + 10 s after it;
- the trials KEPT (finished by the killed worker before it died) are
  COMPLETE;
- every FAIL trial has exactly one retry (system attribute failed_trial =
  its number) that is COMPLETE with the same parameters.

Prints one "ok:" or "FAIL:" line per check; exits 1 if any failed.
Run with Debian's interpreter (/usr/bin/python3, which has optuna 3.1 and
psycopg2).
"""
import argparse
import sys
import warnings

warnings.filterwarnings("ignore")  # system_attrs is "experimental" in 3.1
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
State = optuna.trial.TrialState


def main(url, study_name, n_complete, killed, killed_at, grace, kept):
    study = optuna.load_study(study_name=study_name, storage=url)
    trials = study.get_trials(deepcopy=False)
    failures = []

    def check(what, cond, detail=""):
        print(("ok: " if cond else "FAIL: ") + what + ("" if cond else " " + detail))
        if not cond:
            failures.append(what)

    states = {}
    for t in trials:
        states[t.state.name] = states.get(t.state.name, 0) + 1
    print("trials by state:", states)
    check(f"{n_complete} COMPLETE trials", states.get("COMPLETE", 0) == n_complete,
          f"got {states}")
    check("no trial RUNNING or WAITING",
          not any(t.state in (State.RUNNING, State.WAITING) for t in trials),
          f"got {states}")
    numbers = sorted(t.number for t in trials)
    check("trial numbers 0..n-1 without a gap", numbers == list(range(len(trials))),
          f"got {numbers}")

    by_number = {t.number: t for t in trials}
    dead = by_number.get(killed)
    check(f"the killed worker's trial {killed} is FAIL",
          dead is not None and dead.state == State.FAIL,
          f"got {dead.state.name if dead else 'no such trial'}")
    if dead is not None:
        reason = str(dead.system_attrs.get("fail_reason", ""))
        check(f"trial {killed}'s fail_reason names heartbeats", "heartbeat" in reason,
              f"got {reason!r}")
        # hpo writes naive local times, as Optuna does; timestamp() reads
        # them in the same zone.
        after = (dead.datetime_complete.timestamp() - killed_at
                 if dead.datetime_complete else float("nan"))
        print(f"trial {killed} was failed {after:.2f} s after its worker died")
        check(f"trial {killed} was failed after the grace period",
              grace / 2 <= after <= grace + 10, f"({after:.2f} s)")

    for number in kept:
        t = by_number.get(number)
        check(f"trial {number}, finished before its worker died, is COMPLETE",
              t is not None and t.state == State.COMPLETE,
              f"got {t.state.name if t else 'no such trial'}")

    for f in (t for t in trials if t.state == State.FAIL):
        retries = [t for t in trials if t.system_attrs.get("failed_trial") == f.number]
        check(f"FAIL trial {f.number} has one retry", len(retries) == 1,
              f"got {[t.number for t in retries]}")
        for r in retries:
            check(f"retry {r.number} of trial {f.number} is COMPLETE",
                  r.state == State.COMPLETE, f"got {r.state.name}")
            check(f"retry {r.number} has trial {f.number}'s parameters",
                  r.params == f.params, f"got {r.params} and {f.params}")
    return 1 if failures else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="the end state of the cross-host test")
    ap.add_argument("url")
    ap.add_argument("study")
    ap.add_argument("--complete", type=int, required=True)
    ap.add_argument("--killed", type=int, required=True)
    ap.add_argument("--killed-at", type=float, required=True)
    ap.add_argument("--grace", type=float, default=2.0)
    ap.add_argument("--kept", default="")
    a = ap.parse_args()
    kept = [int(n) for n in a.kept.split(",") if n]
    sys.exit(main(a.url, a.study, a.complete, a.killed, a.killed_at, a.grace, kept))
