#!/usr/bin/python3
"""soak.py — the soak campaign: many hpo workers on one PostgreSQL study and
one SQLite study at once, under random SIGKILLs of workers and children and
two PostgreSQL restarts, then the invariants of soak_check.py.

    /usr/bin/python3 tests/soak/soak.py --hpo build/cli/hpo [options]
    (tests/soak/soak.sh HPO [options] runs it; see --help)

The run:

    start   hpo tune -n K --more on each study (it stores the study's command and
            target), then hpo worker processes up to --pg-workers and
            --sqlite-workers
    chaos   for --duration seconds: every ~--kill-every seconds a SIGKILL,
            of a random hpo process (replaced 0-1.5 s later by a new
            hpo worker) or of a random running child; PostgreSQL restarted
            `fast` at 1/3 and `immediate` at 2/3 of the time; when a study
            nears its target, hpo tune -n K --more is run again on it (the target
            grows by K: the study never runs out of work while the chaos
            lasts); a snapshot of each study every --snapshot-every s,
            checked against the previous ones
    drain   no more kills, restarts or new targets: the workers (replaced
            while work is left) finish the study to its target and exit
    final   after the heartbeat grace, one more hpo worker per study (it
            must find nothing to do and leave nothing RUNNING), the final
            snapshot, the ledger check, the figures, the goal

The children (soak_child.sh) sleep random times, crash, hang past
--trial-timeout, print garbage or binary junk; those that end well write
their result to a ledger (fsync'd) that the database is checked against.

Exit status: 0 every invariant held (and, with --require-goal, the goal
was met); 1 a violation (each printed); 2 bad usage or no hpo binary.
"""
import argparse
import ctypes
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import soak_check  # noqa: E402
import soak_db  # noqa: E402

CHILD = os.path.join(HERE, "soak_child.sh")
PG_SERVER = os.path.join(HERE, "..", "pg", "pg_server.sh")
SPACE = ["-p", "x=float:-5:5", "-p", "y=float:-5:5", "-p", "k=cat:a,b,c"]
GOAL_SIGKILLS = 50
GOAL_RESTARTS = 2

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_campaign():
    """In each hpo process: SIGKILL when the campaign dies (PR_SET_PDEATHSIG),
    so a campaign killed by a test timeout leaves no workers behind."""
    _libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def now():
    return time.monotonic()


def log(text):
    print(text, flush=True)


class Proc:
    """One hpo process of the campaign."""

    def __init__(self, popen, kind, err_path, started):
        self.popen = popen
        self.pid = popen.pid
        self.kind = kind            # tune | worker | final
        self.err_path = err_path
        self.started = started
        self.killed = False

    def err_tail(self, n=3):
        try:
            with open(self.err_path, errors="replace") as f:
                lines = [l.rstrip() for l in f if l.strip()]
        except OSError:
            return ""
        return " | ".join(lines[-n:])


class Study:
    def __init__(self, backend, url, name, n_workers):
        self.backend = backend
        self.url = url
        self.name = name
        self.n_workers = n_workers
        self.procs = []
        self.respawn_at = []        # times at which to start a replacement
        self.checker = soak_check.StudyChecker("%s (%s)" % (name, backend))
        self.last = None            # the latest snapshot
        self.last_at = 0.0
        self.unavailable = 0        # snapshots the database refused
        self.raises = 0
        self.raising = None         # (tune Proc, the target it raises)
        self.spawned = {"tune": 0, "worker": 0}

    def complete(self):
        return self.last.count("COMPLETE") if self.last else 0

    def needs_work(self):
        s = self.last
        return (s is None or s.target is None or
                s.count("COMPLETE") < s.target)


class Campaign:
    def __init__(self, args, workdir, studies, pg_dir):
        self.a = args
        self.workdir = workdir
        self.studies = studies
        self.pg_dir = pg_dir
        self.rng = random.Random(args.seed)
        self.env = dict(os.environ, SOAK_DIR=workdir,
                        SOAK_CHILD_MAX_S=str(args.child_max_s),
                        SOAK_SLOW_S=str(args.grace + 1))
        self.seq = 0
        self.killed_workers = set()
        self.killed_children = set()
        self.worker_kills = 0
        self.child_kills = 0
        self.watchdog_kills = 0
        self.fleet_kills = 0
        self.restarts = []          # (mode, seconds)
        self.outages = []           # (start, end) of each restart
        self.exits = []             # (study, Proc, rc, what)
        self.violations = []
        self.t0 = now()
        self.events = open(os.path.join(workdir, "events.log"), "w")

    # -- processes ---------------------------------------------------------

    def _cmd(self, study, kind, n=None):
        a = self.a
        command = "tune" if kind == "tune" else "worker"
        base = [a.hpo, command, "--storage", study.url, "--study", study.name,
                "-q", "-j", str(self.rng.randint(1, a.jobs))]
        if kind == "final":  # it must fail what is stale: heartbeats on
            return base + ["--heartbeat", str(a.heartbeat),
                           "--grace", str(a.grace)]
        if kind != "tune":
            return base
        return base + [
            "-n", str(n), "--more", "--sampler", a.sampler,
            "--heartbeat", str(a.heartbeat), "--grace", str(a.grace),
            "--retry-failed", str(a.retry_failed),
            "--trial-timeout", str(a.trial_timeout)] + SPACE + [
            "--", "bash", CHILD, "{x}", "{y}", "{k}"]

    def event(self, text):
        """One line of events.log (in the work directory): what the
        campaign did when, for reading a violation back."""
        self.events.write("%9.3f %s\n" % (now() - self.t0, text))
        self.events.flush()

    def spawn(self, study, kind, n=None):
        self.seq += 1
        err_path = os.path.join(self.workdir, "logs", "%s.%04d.%s.err" %
                                (study.name, self.seq, kind))
        with open(err_path, "w") as err:
            p = subprocess.Popen(self._cmd(study, kind, n), env=self.env,
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=err,
                                 preexec_fn=_die_with_campaign)
        proc = Proc(p, kind, err_path, now())
        self.event("spawn %s %s %d" % (study.name, kind, p.pid))
        if kind != "final":
            study.procs.append(proc)
            study.spawned[kind] += 1
        return proc

    def _benign_exit(self, proc, rc):
        """Why a process the campaign did not kill may end with rc != 0."""
        err = proc.err_tail(20)
        if rc == 1 and re.search(r"all \d+ trials? failed", err):
            return "all its trials failed"
        if rc == 1 and "cannot connect" in err and any(
                s - 5 <= proc.started <= e for s, e in self.outages):
            return "started during a server restart"
        return None

    def reap(self):
        for study in self.studies:
            for proc in list(study.procs):
                rc = proc.popen.poll()
                if rc is None:
                    continue
                study.procs.remove(proc)
                self.event("exit %s %s %d rc %d" % (study.name, proc.kind,
                                                   proc.pid, rc))
                if proc.killed and rc == -signal.SIGKILL:
                    self.exits.append((study, proc, rc, "killed"))
                    continue
                if proc.killed:  # it had ended before the kill landed
                    self.killed_workers.discard(proc.pid)
                what = "ok" if rc == 0 else self._benign_exit(proc, rc)
                self.exits.append((study, proc, rc, what or "unexpected"))
                if what is None:
                    self.violations.append(
                        "%s: %s %d exited with %d: %s" %
                        (study.checker.label, proc.kind, proc.pid, rc,
                         proc.err_tail()))
                if len(study.procs) + len(study.respawn_at) < study.n_workers:
                    study.respawn_at.append(now())

    def respawn(self):
        t = now()
        for study in self.studies:
            due = [r for r in study.respawn_at if r <= t]
            if not due:
                continue
            study.respawn_at = [r for r in study.respawn_at if r > t]
            if study.needs_work():
                for _ in due:
                    self.spawn(study, "worker")
            else:  # the target is reached: until it is raised (or not)
                study.respawn_at += [t + 0.5 for _ in due]

    def live(self):
        return [(s, p) for s in self.studies for p in s.procs]

    # -- chaos ---------------------------------------------------------------

    def kill_worker(self):
        live = self.live()
        if not live:
            return False
        study, proc = self.rng.choice(live)
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        proc.killed = True
        self.killed_workers.add(proc.pid)
        self.worker_kills += 1
        self.event("kill %s %s %d" % (study.name, proc.kind, proc.pid))
        study.respawn_at.append(now() + self.rng.uniform(0, 1.5))
        return True

    def _is_running_child(self, pid):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                if b"soak_child.sh" not in f.read():
                    return False
            with open("/proc/%d/stat" % pid) as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    def kill_child(self):
        run_dir = os.path.join(self.workdir, "run")
        pids = [int(n) for n in os.listdir(run_dir) if n.isdigit()]
        self.rng.shuffle(pids)
        for pid in pids:
            if not self._is_running_child(pid):
                try:
                    os.unlink(os.path.join(run_dir, str(pid)))
                except OSError:
                    pass
                continue
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
            self.killed_children.add(pid)
            self.child_kills += 1
            self.event("kill child %d" % pid)
            return True
        return False

    def kill_watchdog(self):
        """SIGKILL the watchdog of a random hpo process (watchdog.c: a fork
        of hpo that kills its children if hpo dies): hpo must carry on."""
        parents = {p.pid for _, p in self.live()}
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % name) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if ppid in parents and os.readlink(
                        "/proc/%s/exe" % name) == self.a.hpo:
                    found.append(int(name))
            except (OSError, ValueError, IndexError):
                continue
        if not found:
            return False
        pid = self.rng.choice(found)
        os.kill(pid, signal.SIGKILL)
        self.watchdog_kills += 1
        self.event("kill watchdog %d" % pid)
        return True

    def kill_something(self):
        r = self.rng.random()
        if r < self.a.watchdog_kill_share and self.kill_watchdog():
            return True
        if r < self.a.worker_kill_share:
            return self.kill_worker() or self.kill_child()
        return self.kill_child() or self.kill_worker()

    def kill_fleet(self):
        """The end of the chaos: every hpo process SIGKILLed at once (a
        power cut of the whole cluster), then as many fresh workers."""
        for study, proc in self.live():
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
            proc.killed = True
            self.killed_workers.add(proc.pid)
            self.worker_kills += 1
            self.fleet_kills += 1
            self.event("kill %s %s %d (all at once)" % (study.name, proc.kind,
                                                      proc.pid))
        for study in self.studies:
            study.respawn_at = [now() + self.rng.uniform(0, 1.5)
                                for _ in range(study.n_workers)]

    def restart_pg(self, mode):
        t = now()
        r = subprocess.run(["bash", PG_SERVER, "restart", self.pg_dir, mode,
                            str(self.a.outage)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, timeout=180)
        self.outages.append((t, now()))
        self.event("restart %s: %.1f s, rc %d" % (mode, now() - t,
                                                  r.returncode))
        took = now() - t
        if r.returncode != 0:
            self.violations.append("PostgreSQL restart %s failed: %s" %
                                   (mode, r.stderr.strip()[-500:]))
        else:
            self.restarts.append((mode, took))
        log("soak: PostgreSQL restarted (%s) in %.1f s" % (mode, took))

    # -- snapshots and targets ---------------------------------------------

    def snapshot(self, study):
        try:
            snap = soak_db.read_study(study.url, study.name)
        except soak_db.DbUnavailable:
            study.unavailable += 1
            return
        study.checker.snapshot(snap)
        if snap is not None:
            study.last, study.last_at = snap, now()

    def raise_target(self, study):
        """Near its target, hpo tune -n K --more again: the target grows
        by K."""
        s = study.last
        if s is None or s.target is None:
            return
        if s.target - s.count("COMPLETE") > 2 * study.n_workers:
            return
        # One raise at a time: the previous one counts once its tune has
        # stored the new target (it then runs trials like any worker) or
        # has died trying.
        pending = study.raising
        if pending and pending[0].popen.poll() is None and \
                s.target == pending[1]:
            return
        study.raising = (self.spawn(study, "tune", self.chunk(study)),
                         s.target)
        study.raises += 1

    def chunk(self, study):
        return max(20, 4 * study.n_workers)

    # -- phases ----------------------------------------------------------------

    def start(self):
        for study in self.studies:
            self.spawn(study, "tune", self.chunk(study))
        deadline = now() + 60
        for study in self.studies:
            while now() < deadline:
                self.snapshot(study)
                if study.last is not None and study.last.target:
                    break
                time.sleep(0.2)
            else:
                self.violations.append("%s: hpo tune stored no target within "
                                       "60 s" % study.checker.label)
            for _ in range(study.n_workers - 1):
                study.respawn_at.append(now() + self.rng.uniform(0, 1))

    def chaos(self):
        a = self.a
        t0 = now()
        end = t0 + a.duration
        restarts = []
        if self.pg_dir:
            restarts = [(t0 + a.duration / 3, "fast"),
                        (t0 + 2 * a.duration / 3, "immediate")]
        next_kill = t0 + self.rng.uniform(0, 2 * a.kill_every)
        next_snap = next_report = t0
        while now() < end:
            self.reap()
            if restarts and now() >= restarts[0][0]:
                self.restart_pg(restarts.pop(0)[1])
            if now() >= next_kill:
                self.kill_something()
                next_kill = now() + self.rng.uniform(0, 2 * a.kill_every)
            self.respawn()
            if now() >= next_snap:
                for study in self.studies:
                    self.snapshot(study)
                    self.raise_target(study)
                next_snap = now() + a.snapshot_every
            if now() >= next_report:
                self.report("chaos", t0)
                next_report = now() + 10
            time.sleep(0.05)
        self.kill_fleet()

    def drain(self):
        t0 = now()
        deadline = t0 + self.a.drain_timeout
        next_snap = next_report = t0
        while now() < deadline:
            self.reap()
            self.respawn()
            if now() >= next_snap:
                for study in self.studies:
                    self.snapshot(study)
                next_snap = now() + self.a.snapshot_every
            if now() >= next_report:
                self.report("drain", t0)
                next_report = now() + 10
            if not self.live() and all(
                    not s.needs_work() and s.last_at > t0 for s in self.studies):
                return now() - t0
            # A study with work left and nobody on it gets a worker.
            for s in self.studies:
                if not s.procs and not s.respawn_at and s.needs_work():
                    s.respawn_at.append(now())
            time.sleep(0.05)
        self.violations.append("the studies did not reach their targets "
                               "within the drain timeout (%d s): %s" % (
                                   self.a.drain_timeout,
                                   ", ".join("%s %d/%s" % (
                                       s.name, s.complete(),
                                       s.last.target if s.last else "?")
                                       for s in self.studies)))
        for _, p in self.live():
            p.killed = True
            self.killed_workers.add(p.pid)
            p.popen.kill()
        time.sleep(1)
        self.reap()
        return now() - t0

    def final(self):
        time.sleep(self.a.grace + 1)
        figures = {}
        for study in self.studies:
            proc = self.spawn(study, "final")
            try:
                rc = proc.popen.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.popen.kill()
                rc = proc.popen.wait()
            if rc != 0:
                self.violations.append("%s: the final hpo worker exited %d: %s"
                                       % (study.checker.label, rc,
                                          proc.err_tail()))
            snap = None
            for _ in range(30):
                try:
                    snap = soak_db.read_study(study.url, study.name)
                    break
                except soak_db.DbUnavailable:
                    time.sleep(1)
            if snap is None:
                self.violations.append("%s: no final snapshot" %
                                       study.checker.label)
                continue
            ledger, malformed = soak_check.read_ledger(
                os.path.join(self.workdir, "ledger"), study.name)
            for line in malformed[:5]:
                self.violations.append("a torn ledger line: %r" % line)
            figures[study.name] = study.checker.final(
                snap, ledger, self.killed_workers, self.killed_children)
        self.check_orphans()
        return figures

    def check_orphans(self):
        """No child of this campaign may outlive its worker."""
        mine = ("SOAK_DIR=%s" % self.workdir).encode()
        left = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open("/proc/%s/environ" % name, "rb") as f:
                    if mine not in f.read().split(b"\0"):
                        continue
                with open("/proc/%s/cmdline" % name, "rb") as f:
                    left.append("%s %s" % (name, f.read().replace(
                        b"\0", b" ").decode(errors="replace")[:80]))
            except OSError:
                continue
        if left:
            self.violations.append("%d processes of the campaign outlived "
                                   "their workers: %s" % (len(left), left[:5]))

    def report(self, phase, t0):
        parts = []
        for s in self.studies:
            if s.last:
                parts.append("%s %d/%s complete, %d running, %d procs" % (
                    s.backend, s.complete(), s.last.target,
                    s.last.count("RUNNING"), len(s.procs)))
        log("soak: [%s %3.0fs] %s; SIGKILLs %d workers + %d children + %d "
            "watchdogs; restarts %d" % (
                phase, now() - t0, "; ".join(parts), self.worker_kills,
                self.child_kills, self.watchdog_kills, len(self.restarts)))

    def run(self):
        t0 = now()
        try:
            self.start()
            self.chaos()
            drain_s = self.drain()
            figures = self.final()
        finally:
            for _, p in self.live():
                p.popen.kill()
        return figures, drain_s, now() - t0


def print_figures(c, figures, drain_s, total_s):
    a = c.a
    log("")
    log("soak figures (seed %d; %d s of chaos, drain %.0f s, total %.0f s; "
        "jobs %d, --heartbeat %g --grace %g --trial-timeout %g "
        "--retry-failed %d, sampler %s)" %
        (a.seed, a.duration, drain_s, total_s, a.jobs, a.heartbeat, a.grace,
         a.trial_timeout, a.retry_failed, a.sampler))
    hdr = ("study", "backend", "procs", "target", "complete", "fail",
           "pruned", "trials", "retries", "late", "printed", "lost:worker",
           "lost:child", "lost", "raises", "spawned")
    log("  " + "  ".join("%-11s" % h if i < 2 else "%8s" % h
                         for i, h in enumerate(hdr)))
    for s in c.studies:
        f = figures.get(s.name)
        if not f:
            continue
        row = (s.name, s.backend, s.n_workers, f["target"], f["COMPLETE"],
               f["FAIL"], f["PRUNED"], f["trials"], f["retries"], f["late"],
               f["printed"], f["lost_worker_killed"], f["lost_child_killed"],
               f["lost"], s.raises, s.spawned["tune"] + s.spawned["worker"])
        log("  " + "  ".join("%-11s" % v if i < 2 else "%8s" % v
                             for i, v in enumerate(row)))
    kills = c.worker_kills + c.child_kills + c.watchdog_kills
    log("  SIGKILLs: %d (%d hpo processes, %d at once at the end of the "
        "chaos; %d children; %d watchdogs)" %
        (kills, c.worker_kills, c.fleet_kills, c.child_kills,
         c.watchdog_kills))
    log("  PostgreSQL restarts: %d (%s)" % (len(c.restarts), ", ".join(
        "%s %.1f s" % r for r in c.restarts) or "none"))
    unavailable = sum(s.unavailable for s in c.studies)
    log("  snapshots: %d checked, %d refused while the server was away" %
        (sum(s.checker.n_snapshots for s in c.studies), unavailable))
    benign = {}
    for _, _, _, what in c.exits:
        benign[what] = benign.get(what, 0) + 1
    log("  process ends: %s" % ", ".join(
        "%s %d" % kv for kv in sorted(benign.items())))
    lost = sum(f["lost"] for f in figures.values())
    exact = all(f["COMPLETE"] == f["target"] for f in figures.values())
    log("  trials lost: %d; count exact: %s; numbers gapless: %s" % (
        lost, "yes" if exact and len(figures) == len(c.studies) else "NO",
        "NO" if any("gapless" in v for s in c.studies
                    for v in s.checker.violations) else "yes"))
    violations = c.violations + [v for s in c.studies
                                 for v in s.checker.violations]
    for v in violations:
        log("  VIOLATION: " + v)
    want_restarts = GOAL_RESTARTS if c.pg_dir else 0
    goal = (not violations and lost == 0 and exact and
            kills >= GOAL_SIGKILLS and len(c.restarts) >= want_restarts)
    log("soak goal (0 trials lost, exact count, gapless numbers, >= %d "
        "SIGKILLs, %d server restarts): %s" %
        (GOAL_SIGKILLS, want_restarts, "MET" if goal else "NOT MET"))
    return violations, goal


def has_storage(hpo, url):
    """Whether this build of hpo has the storage of url."""
    r = subprocess.run([hpo, "studies", "--storage", url],
                       capture_output=True, text=True)
    return not ("not supported" in r.stderr or "not compiled" in r.stderr)


def start_pg(workdir):
    env = dict(os.environ, PG_SERVER_WATCH=str(os.getpid()))
    r = subprocess.run(["bash", PG_SERVER, "start"], env=env, cwd="/",
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("soak: pg_server.sh start failed: " + r.stderr)
    url, pg_dir = r.stdout.split("\n")[:2]
    return url, pg_dir


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--hpo", required=True, help="the hpo binary")
    p.add_argument("--duration", type=int, default=120,
                   help="seconds of chaos (default 120)")
    p.add_argument("--pg-workers", type=int, default=16)
    p.add_argument("--sqlite-workers", type=int, default=8)
    p.add_argument("--jobs", type=int, default=2,
                   help="each hpo process runs 1 to N children at once "
                        "(-j, drawn at random; default 2)")
    p.add_argument("--kill-every", type=float, default=1.0,
                   help="mean seconds between SIGKILLs (default 1)")
    p.add_argument("--worker-kill-share", type=float, default=0.6,
                   help="share of SIGKILLs aimed at hpo processes rather "
                        "than children (default 0.6)")
    p.add_argument("--outage", type=float, default=0,
                   help="seconds PostgreSQL stays down at each restart "
                        "(default 0)")
    p.add_argument("--watchdog-kill-share", type=float, default=0,
                   help="share of SIGKILLs aimed at the watchdog process of "
                        "an hpo process (default 0: a watchdog killed before "
                        "its hpo leaves grandchildren behind, docs/cli.md)")
    p.add_argument("--heartbeat", type=float, default=1)
    p.add_argument("--grace", type=float, default=5)
    p.add_argument("--trial-timeout", type=float, default=8)
    p.add_argument("--retry-failed", type=int, default=2)
    p.add_argument("--child-max-s", type=float, default=2,
                   help="longest sleep of a child that ends well (default 2)")
    p.add_argument("--sampler", default="random")
    p.add_argument("--snapshot-every", type=float, default=2)
    p.add_argument("--drain-timeout", type=int, default=180)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--keep", action="store_true",
                   help="keep the work directory (logs, ledger, database)")
    p.add_argument("--require-goal", action="store_true",
                   help="exit 1 unless the goal is met too")
    a = p.parse_args(argv)
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(4), "little")
    a.hpo = os.path.abspath(a.hpo)
    if not os.access(a.hpo, os.X_OK):
        p.error("not an executable: " + a.hpo)
    return a


def main(argv):
    a = parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="hpo-soak.")
    os.makedirs(os.path.join(workdir, "logs"))
    os.makedirs(os.path.join(workdir, "run"))
    pg_dir = None
    studies = []
    try:
        if a.pg_workers > 0:
            if has_storage(a.hpo, "postgresql://u@127.0.0.1:1/db"):
                url, pg_dir = start_pg(workdir)
                studies.append(Study("postgresql", url, "soak_pg",
                                     a.pg_workers))
            else:
                log("soak: no PostgreSQL storage in this build; SQLite only")
        probe = os.path.join(workdir, "probe.db")
        open(probe, "w").close()
        if a.sqlite_workers > 0 and not has_storage(a.hpo, "sqlite:///" + probe):
            log("soak: no SQLite storage in this build; PostgreSQL only")
        elif a.sqlite_workers > 0:
            studies.append(Study("sqlite", "sqlite:///%s/soak.db" % workdir,
                                 "soak_sqlite", a.sqlite_workers))
        log("soak: seed %d, %d s of chaos, %s, in %s" % (
            a.seed, a.duration, ", ".join("%d workers on %s" % (
                s.n_workers, s.backend) for s in studies), workdir))
        c = Campaign(a, workdir, studies, pg_dir)
        figures, drain_s, total_s = c.run()
        violations, goal = print_figures(c, figures, drain_s, total_s)
        failed = bool(violations) or (a.require_goal and not goal)
    finally:
        if pg_dir:
            subprocess.run(["bash", PG_SERVER, "stop", pg_dir], cwd="/",
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if failed or a.keep:
        log("soak: logs, ledger and database kept in " + workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
