"""hpo's pruners as Optuna pruners (Optuna 3.1's BasePruner).

Each Optuna study the pruner serves gets a private in-memory hpo study with
the pruner's spec.  The trial being judged is an hpo trial fed its new
intermediate values at each prune() call; hpo's verdict decides.  Optuna
gives pruners no after_trial, so finished trials (this process's and
others') are found by an incremental scan of the storage (_shadow.py) when
a new trial is first judged, or while others' trials are unfinished, and
told to the hpo study with all their intermediate values.  A trial that
finished while another was being judged therefore counts from the next
trial on.

hpo's "stop" verdict (2: the trial had all the resource a pruner gives,
hyperband/successive halving) is not pruning: prune() returns False and
the objective ends the trial normally.
"""

from optuna.pruners import BasePruner

from ._hpo_study import HpoStudy, check_spec
from ._shadow import ShadowRegistry
from ._spec import make_spec


class Pruner(BasePruner):
    """Any hpo pruner by its spec: Pruner("median"),
    Pruner("percentile", percentile=25).  See docs/plugin-options.md."""

    def __init__(self, spec="median", **options):
        self._spec = make_spec(spec, options)
        check_spec("pruner", self._spec)
        self._registry = ShadowRegistry(
            lambda study: HpoStudy(study.directions, pruner=self._spec))

    def __repr__(self):
        return "hpo.optuna.%s(%r)" % (type(self).__name__, self._spec)

    @property
    def spec(self):
        return self._spec

    def prune(self, study, trial):
        with self._registry.lock:
            sh = self._registry.get(study)
            n = trial.number
            if n not in sh.live or sh.pending:
                sh.scan(lambda ft: self._finish(sh, ft))
            live = sh.live.get(n)
            if live is None:
                live = sh.live[n] = [sh.hpo.ask_fixed("{}"), -1]
            live[1] = sh.hpo.report_from(live[0], trial.intermediate_values,
                                         live[1])
            return sh.hpo.should_prune(live[0]) == 1

    def _finish(self, sh, ft):
        live = sh.live.pop(ft.number, None)
        if live is None:
            sh.hpo.mirror(ft, ft.state, ft.values, "all")
            return
        sh.hpo.report_from(live[0], ft.intermediate_values, live[1])
        sh.hpo.tell(live[0], ft.state, ft.values)


def _named(name, spec, doc):
    def __init__(self, **options):
        Pruner.__init__(self, spec, **options)
    return type(name, (Pruner,), {"__init__": __init__, "__doc__": doc,
                                  "__module__": __name__})


MedianPruner = _named("MedianPruner", "median", "hpo's median stopping rule.")
PercentilePruner = _named("PercentilePruner", "percentile",
                          "hpo's percentile rule (percentile= required).")
SuccessiveHalvingPruner = _named("SuccessiveHalvingPruner",
                                 "successive_halving",
                                 "hpo's asynchronous successive halving.")
HyperbandPruner = _named("HyperbandPruner", "hyperband", "hpo's Hyperband.")
WilcoxonPruner = _named("WilcoxonPruner", "wilcoxon",
                        "hpo's Wilcoxon signed-rank pruner.")
