"""pruned_trials.py DB STUDY N_PRUNED N_REPORTS: Optuna 3.1 reads a study
hpo stored with a pruner (tests/test_contract.c): N_PRUNED trials PRUNED,
each with its last intermediate value as its value, and N_REPORTS
intermediate values in all.  Exit 0 when everything matches."""
import sys

import optuna

db, name, n_pruned, n_reports = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
study = optuna.load_study(study_name=name, storage="sqlite:///" + db)
pruned = [t for t in study.trials if t.state == optuna.trial.TrialState.PRUNED]
reports = sum(len(t.intermediate_values) for t in study.trials)
bad = [t.number for t in pruned
       if not t.intermediate_values
       or t.value != t.intermediate_values[max(t.intermediate_values)]]
if len(pruned) != n_pruned or reports != n_reports or bad:
    print(f"{name}: Optuna reads {len(pruned)} PRUNED (hpo {n_pruned}), "
          f"{reports} reports (hpo {n_reports}); value != last report: {bad}",
          file=sys.stderr)
    sys.exit(1)
