"""Study.trials_dataframe: the trials as a pandas DataFrame, with Optuna's
flattened column names (number, value or values_0.., datetime_start,
datetime_complete, duration, params_<name>, user_attrs_<key>, state)."""

__all__ = ["trials_dataframe", "trials_records"]


def trials_records(study):
    """The trials as a list of dicts, one per trial (no pandas needed)."""
    rows = []
    multi = len(study.directions) > 1
    for t in study.trials:
        row = {"number": t.number}
        if multi:
            for i in range(len(study.directions)):
                row["values_%d" % i] = t.values[i] if t.values else None
        else:
            row["value"] = t.values[0] if t.values else None
        row["datetime_start"] = t.datetime_start
        row["datetime_complete"] = t.datetime_complete
        row["duration"] = t.duration
        for k, v in t.params.items():
            row["params_" + k] = v
        for k, v in t.user_attrs.items():
            row["user_attrs_" + k] = v
        row["state"] = t.state.name
        rows.append(row)
    return rows


def trials_dataframe(study):
    try:
        import pandas
    except ImportError as e:
        raise ImportError("Study.trials_dataframe needs pandas (Debian: "
                          "apt-get install python3-pandas); "
                          "hpo.trials_records(study) gives the same rows as "
                          "dicts") from e
    rows = trials_records(study)
    columns = _column_order(rows)
    return pandas.DataFrame(rows, columns=columns)


def _column_order(rows):
    """Every column any row has, in first-seen order, state last."""
    seen = {}
    for row in rows:
        for k in row:
            if k != "state":
                seen.setdefault(k, None)
    cols = list(seen)
    return cols + ["state"] if rows else ["number", "value", "state"]
