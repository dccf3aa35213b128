"""soak_db.py — read one study straight from its database (SQLite or
PostgreSQL, Optuna's schema), independently of hpo, for the soak
campaign's checks (soak_check.py).

read_study(url, name) returns a Snapshot taken in one read transaction
(one consistent view), or raises DbUnavailable when the database cannot
be reached right now (a PostgreSQL restart): the caller tries again later.
"""
import json
import sqlite3

try:
    import psycopg2
except ImportError:  # the SQLite side needs no psycopg2
    psycopg2 = None


class DbUnavailable(Exception):
    pass


class Trial:
    __slots__ = ("trial_id", "number", "state", "params", "values",
                 "sys_attrs", "user_attrs", "heartbeat")

    def __init__(self, trial_id, number, state):
        self.trial_id = trial_id
        self.number = number
        self.state = state
        self.params = {}       # name -> float (numbers) or str (choices)
        self.values = {}       # objective -> float, or None when NULL
        self.sys_attrs = {}    # key -> decoded JSON
        self.user_attrs = {}
        self.heartbeat = None

    def result(self):
        """What must never change once COMPLETE: params and values."""
        return (tuple(sorted(self.params.items())),
                tuple(sorted(self.values.items())))


class Snapshot:
    def __init__(self, n_objectives, config, trials):
        self.n_objectives = n_objectives
        self.config = config   # hpo:cli, decoded (None if not stored yet)
        self.trials = trials   # list of Trial, by number

    @property
    def target(self):
        return (self.config or {}).get("target_complete")

    def count(self, state):
        return sum(1 for t in self.trials if t.state == state)


def _json(text):
    try:
        v = json.loads(text)
    except (TypeError, ValueError):
        return text
    return v


def _param_value(value, dist_json):
    d = _json(dist_json)
    if isinstance(d, dict) and d.get("name") == "CategoricalDistribution":
        choices = d["attributes"]["choices"]
        return choices[int(value)]
    return value


QUERIES = {
    "study": "SELECT study_id FROM studies WHERE study_name = {p}",
    "directions": "SELECT COUNT(*) FROM study_directions WHERE study_id = {p}",
    "config": "SELECT value_json FROM study_system_attributes "
              "WHERE study_id = {p} AND key = 'hpo:cli'",
    "trials": "SELECT trial_id, number, state FROM trials "
              "WHERE study_id = {p} ORDER BY number, trial_id",
    "params": "SELECT p.trial_id, p.param_name, p.param_value, "
              "p.distribution_json FROM trial_params p "
              "JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = {p}",
    "values": "SELECT v.trial_id, v.objective, v.value, v.value_type "
              "FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id "
              "WHERE t.study_id = {p}",
    "sys_attrs": "SELECT a.trial_id, a.key, a.value_json "
                 "FROM trial_system_attributes a "
                 "JOIN trials t ON t.trial_id = a.trial_id "
                 "WHERE t.study_id = {p}",
    "user_attrs": "SELECT a.trial_id, a.key, a.value_json "
                  "FROM trial_user_attributes a "
                  "JOIN trials t ON t.trial_id = a.trial_id "
                  "WHERE t.study_id = {p}",
    "heartbeats": "SELECT h.trial_id, h.heartbeat FROM trial_heartbeats h "
                  "JOIN trials t ON t.trial_id = h.trial_id "
                  "WHERE t.study_id = {p}",
}


def _value(value, value_type):
    kind = str(value_type)
    if kind == "INF_POS":
        return float("inf")
    if kind == "INF_NEG":
        return float("-inf")
    return value


def _read(cur, placeholder, name):
    def q(key, arg):
        cur.execute(QUERIES[key].format(p=placeholder), (arg,))
        return cur.fetchall()

    rows = q("study", name)
    if not rows:
        return None
    sid = rows[0][0]
    n_obj = q("directions", sid)[0][0]
    cfg = q("config", sid)
    config = _json(cfg[0][0]) if cfg else None
    if isinstance(config, str):
        config = _json(config)
    trials, by_id = [], {}
    for trial_id, number, state in q("trials", sid):
        t = Trial(trial_id, number, str(state))
        trials.append(t)
        by_id[trial_id] = t
    for trial_id, pname, pvalue, dist in q("params", sid):
        if trial_id in by_id:
            by_id[trial_id].params[pname] = _param_value(pvalue, dist)
    for trial_id, objective, value, vtype in q("values", sid):
        if trial_id in by_id:
            by_id[trial_id].values[objective] = _value(value, vtype)
    for key, field in (("sys_attrs", "sys_attrs"), ("user_attrs", "user_attrs")):
        for trial_id, akey, vjson in q(key, sid):
            if trial_id in by_id:
                getattr(by_id[trial_id], field)[akey] = _json(vjson)
    for trial_id, beat in q("heartbeats", sid):
        if trial_id in by_id:
            by_id[trial_id].heartbeat = beat
    return Snapshot(n_obj, config, trials)


def _read_sqlite(path, name):
    try:
        con = sqlite3.connect(path, timeout=60, isolation_level=None)
        try:
            cur = con.cursor()
            cur.execute("BEGIN")  # one read transaction: one view
            snap = _read(cur, "?", name)
            cur.execute("COMMIT")
            return snap
        finally:
            con.close()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return None  # hpo tune has not created the tables yet
        raise DbUnavailable(str(e)) from e


def _read_pg(url, name):
    if psycopg2 is None:
        raise DbUnavailable("no psycopg2")
    try:
        con = psycopg2.connect(url, connect_timeout=5)
    except psycopg2.OperationalError as e:
        raise DbUnavailable(str(e).strip()) from e
    try:
        con.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with con.cursor() as cur:
            snap = _read(cur, "%s", name)
        con.rollback()
        return snap
    except psycopg2.errors.UndefinedTable:
        return None  # hpo tune has not created the tables yet
    except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
        raise DbUnavailable(str(e).strip()) from e
    finally:
        con.close()


def read_study(url, name):
    """The study as a Snapshot; None when it does not exist (yet)."""
    if url.startswith("sqlite:///"):
        return _read_sqlite(url[len("sqlite:///"):], name)
    if url.startswith(("postgresql://", "postgres://")):
        return _read_pg(url, name)
    raise ValueError("soak_db: unsupported URL " + url)
