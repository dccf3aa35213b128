"""soak_check.py — the invariants of the soak campaign (soak.py), checked
on snapshots read straight from the database (soak_db.py) and against the
children's ledger (soak_child.sh).

During the run, at every snapshot of a study:
  1. trial numbers are unique and gapless (0 .. n-1);
  2. every COMPLETE trial has all its values (one per objective, none
     NULL) and all its parameters, and its value is the one its
     parameters give (the child's formula, recomputed here);
  3. a trial once seen COMPLETE is still COMPLETE with the same
     parameters and values (nothing lost or changed);
  4. never more COMPLETE trials than the study's target (hpo:cli
     target_complete, read in the same transaction), but for late results
     (docs/distributed.md: a result kept after a heartbeat check failed
     its trial may end one past the target).
At the end, with every worker gone:
  5. no trial RUNNING or WAITING;
  6. COMPLETE trials = the study's target;
  7. every COMPLETE trial has its ledger line (a child printed that very
     result and exited 0): same trial, parameters and value;
  8. every ledger line (a result printed by a child that ended well) is
     stored as a COMPLETE trial, unless its worker or the child itself
     was SIGKILLed by the campaign before the worker could store it, or
     --trial-timeout stopped the child between its ledger line and its
     exit (a machine loaded enough to stretch a 2 s child past 8 s: the
     trial is FAIL "timed out", rightly, since the child had not ended).
     A result whose worker was killed is legitimately missing; any other
     missing one is a lost trial.
"""
import math

SPACE = ("x", "y", "k")
CHOICE_INDEX = {"a": 0, "b": 1, "c": 2}


def expected_value(params):
    """soak_child.sh's formula, in the same double arithmetic as awk."""
    x, y = params["x"], params["y"]
    return (x - 1) * (x - 1) + (y + 2) * (y + 2) + CHOICE_INDEX[params["k"]]


def result_key(t):
    """The trial number whose child printed t's result: a late result
    (kept by a worker whose trial was failed under it) names it."""
    late = t.sys_attrs.get("late_result_of")
    return int(late) if late is not None else t.number


class StudyChecker:
    def __init__(self, label):
        self.label = label
        self.seen = {}          # number -> result() of every COMPLETE seen
        self.violations = []
        self.n_snapshots = 0

    def _bad(self, text):
        msg = "%s: %s" % (self.label, text)
        if msg not in self.violations:
            self.violations.append(msg)

    def snapshot(self, snap):
        """Invariants 1-4 on one snapshot."""
        if snap is None:
            return
        self.n_snapshots += 1
        numbers = [t.number for t in snap.trials]
        if numbers != list(range(len(numbers))):
            dup = sorted({n for n in numbers if numbers.count(n) > 1})
            gaps = sorted(set(range(len(numbers))) - set(numbers))
            self._bad("trial numbers not unique and gapless "
                      "(duplicates %s, missing %s)" % (dup[:10], gaps[:10]))
        by_number = {t.number: t for t in snap.trials}
        for t in snap.trials:
            if t.state == "COMPLETE":
                self._complete_whole(t, snap.n_objectives)
        for number, result in self.seen.items():
            t = by_number.get(number)
            if t is None or t.state != "COMPLETE":
                self._bad("trial %d was COMPLETE and is now %s" %
                          (number, "gone" if t is None else t.state))
            elif t.result() != result:
                self._bad("trial %d changed: %s -> %s" %
                          (number, result, t.result()))
        for t in snap.trials:
            if t.state == "COMPLETE" and t.number not in self.seen:
                self.seen[t.number] = t.result()
        complete = snap.count("COMPLETE")
        late = sum(1 for t in snap.trials if "late_result_of" in t.sys_attrs)
        if snap.target is not None and complete > snap.target + late:
            self._bad("%d COMPLETE trials, past the target %d (late results: "
                      "%d)" % (complete, snap.target, late))

    def _complete_whole(self, t, n_objectives):
        if sorted(t.values) != list(range(n_objectives)) or any(
                v is None or (isinstance(v, float) and math.isnan(v))
                for v in t.values.values()):
            self._bad("COMPLETE trial %d without all its values: %s" %
                      (t.number, t.values))
            return
        if sorted(t.params) != sorted(SPACE):
            self._bad("COMPLETE trial %d without all its parameters: %s" %
                      (t.number, t.params))
            return
        if t.values[0] != expected_value(t.params):
            self._bad("COMPLETE trial %d: value %r is not its parameters' "
                      "%r" % (t.number, t.values[0], expected_value(t.params)))

    def final(self, snap, ledger, killed_workers, killed_children):
        """Invariants 5-8; returns the study's figures (a dict)."""
        self.snapshot(snap)
        fig = {"trials": len(snap.trials), "target": snap.target}
        for state in ("COMPLETE", "FAIL", "PRUNED", "RUNNING", "WAITING"):
            fig[state] = snap.count(state)
        fig["late"] = sum(1 for t in snap.trials
                          if "late_result_of" in t.sys_attrs)
        fig["retries"] = sum(1 for t in snap.trials
                             if "failed_trial" in t.sys_attrs)
        fig["skipped"] = sum(1 for t in snap.trials
                             if "skipped_reason" in t.user_attrs)
        if fig["RUNNING"] or fig["WAITING"]:
            left = [(t.number, t.state, t.heartbeat) for t in snap.trials
                    if t.state in ("RUNNING", "WAITING")]
            self._bad("%d RUNNING and %d WAITING at the end: %s" %
                      (fig["RUNNING"], fig["WAITING"], left[:10]))
        if fig["COMPLETE"] != snap.target:
            self._bad("%d COMPLETE trials, target %s (late results: %d)" %
                      (fig["COMPLETE"], snap.target, fig["late"]))
        fig.update(self._ledger(snap, ledger, killed_workers, killed_children))
        return fig

    def _ledger(self, snap, ledger, killed_workers, killed_children):
        by_key = {}
        for t in snap.trials:
            if t.state == "COMPLETE":
                by_key.setdefault(result_key(t), []).append(t)
        printed = {}
        for e in ledger:
            if e["number"] in printed:
                self._bad("trial %d has two ledger lines" % e["number"])
            printed[e["number"]] = e
        for key, trials in by_key.items():
            if len(trials) > 1:
                self._bad("the result of trial %d is stored %d times: %s" %
                          (key, len(trials), [t.number for t in trials]))
            e = printed.get(key)
            t = trials[0]
            if e is None:
                self._bad("COMPLETE trial %d has no ledger line (no child "
                          "printed it and ended well)" % t.number)
            elif (t.params != e["params"] or t.values.get(0) != e["value"]):
                self._bad("COMPLETE trial %d differs from what its child "
                          "printed: %s %s, ledger %s %r" %
                          (t.number, t.params, t.values, e["params"],
                           e["value"]))
        fig = {"printed": len(printed), "lost_worker_killed": 0,
               "lost_child_killed": 0, "lost": 0}
        by_number = {t.number: t for t in snap.trials}
        for number, e in sorted(printed.items()):
            if number in by_key:
                continue
            if e["worker_pid"] in killed_workers:
                fig["lost_worker_killed"] += 1
            elif e["child_pid"] in killed_children or timed_out(
                    by_number.get(number)):
                fig["lost_child_killed"] += 1
            else:
                fig["lost"] += 1
                t = by_number.get(number)
                self._bad("trial %d lost: its child printed %r and ended "
                          "well, worker %d was not killed, and the trial is "
                          "%s (%s)" %
                          (number, e["value"], e["worker_pid"],
                           t.state if t else "not in the database",
                           fail_reason(t)))
        return fig


def timed_out(t):
    """Did hpo's --trial-timeout stop this trial's child?"""
    return (t is not None and t.state == "FAIL" and
            fail_reason(t).startswith("timed out"))


def fail_reason(t):
    """A trial's fail_reason: a user attribute when its child failed, a
    system attribute when a heartbeat check failed it."""
    if t is None:
        return ""
    return t.user_attrs.get("fail_reason", t.sys_attrs.get("fail_reason", ""))


def read_ledger(path, study_name):
    """The ledger lines of one study (soak_child.sh's format), and the
    lines of any study that are not in that format (each line is one
    O_APPEND write: a torn line is a defect of the campaign itself)."""
    entries, malformed = [], []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return entries, malformed
    for line in lines:
        f = line.split("\t")
        if len(f) != 8:
            malformed.append(line)
            continue
        if f[0] != study_name:
            continue
        entries.append({
            "number": int(f[1]),
            "params": {"x": float(f[2]), "y": float(f[3]), "k": f[4]},
            "value": float(f[5]),
            "child_pid": int(f[6]),
            "worker_pid": int(f[7]),
        })
    return entries, malformed
