"""hpo's samplers as Optuna samplers (Optuna 3.1's BaseSampler).

Each Optuna study the sampler serves gets a private in-memory hpo study
(_hpo_study.py) with the sampler's spec and seed.  A trial of the Optuna
study is one trial of the hpo study:

* its first suggest asks the hpo study for a trial, so hpo's sampler picks
  the joint (relative) parameters at ask time as it does natively (hpo
  infers Optuna's intersection space itself); every suggest of the Optuna
  trial is a define-by-run suggest on that hpo trial, with the same
  distribution (float/int with log and step; categorical choices as their
  JSON text, returned as Optuna's own objects);
* after_trial tells the hpo trial Optuna's state and values (a pruned
  trial with its last intermediate value, which is its value).

So Optuna's infer_relative_search_space / sample_relative are empty: the
joint model lives in C, and Optuna calls sample_independent for each
parameter.  Trials hpo did not sample (enqueued with fixed parameters, run
by other processes on a shared storage, run before the sampler was
attached) are mirrored into the hpo study with their parameters fixed
(hpo_study_ask_fixed), without asking hpo's sampler.  Parameters of an
enqueued trial that are not fixed, and a parameter whose distribution kind
changed under the same name (hpo refuses that), are drawn by Optuna's
RandomSampler, as Optuna's own samplers fall back.
"""

import optuna
from optuna.samplers import BaseSampler, RandomSampler
from optuna.trial import TrialState

from ._hpo_study import HpoStudy, check_spec
from ._shadow import ShadowRegistry
from ._spec import make_spec


class Sampler(BaseSampler):
    """Any hpo sampler by its spec: Sampler("tpe:multivariate=true"),
    Sampler("cmaes", seed=3, popsize=8).  See docs/plugin-options.md for
    the names and options."""

    def __init__(self, spec="auto", seed=None, **options):
        self._spec = make_spec(spec, options)
        check_spec("sampler", self._spec)
        if seed is not None and (not isinstance(seed, int) or seed < 0):
            raise ValueError("hpo: seed must be a non-negative int, not %r"
                             % (seed,))
        self._seed = seed
        self._fallback = RandomSampler(seed=seed)
        self._registry = ShadowRegistry(self._new_hpo_study)

    def __repr__(self):
        return "hpo.optuna.%s(%r, seed=%r)" % (type(self).__name__,
                                              self._spec, self._seed)

    @property
    def spec(self):
        """The hpo sampler spec, as hpo_study_set_sampler takes it."""
        return self._spec

    def _new_hpo_study(self, study):
        return HpoStudy(study.directions, sampler=self._spec,
                        seed=self._seed)

    # ---- Optuna's interface ------------------------------------------------

    def infer_relative_search_space(self, study, trial):
        return {}  # hpo infers and samples the joint space itself, in C

    def sample_relative(self, study, trial, search_space):
        return {}

    def sample_independent(self, study, trial, param_name,
                           param_distribution):
        with self._registry.lock:
            sh = self._registry.get(study)
            t = sh.live.get(trial.number)
            if t is None and "fixed_params" not in trial.system_attrs:
                t = self._start(sh, trial.number)
            if t is not None:
                try:
                    return sh.hpo.suggest(t, param_name, param_distribution)
                except KeyError:
                    pass  # a kind hpo refuses under this name: fall back
        return self._fallback.sample_independent(
            study, trial, param_name, param_distribution)

    def after_trial(self, study, trial, state, values):
        with self._registry.lock:
            sh = self._registry.get(study)
            t = sh.live.pop(trial.number, None)
            if t is None:
                sh.hpo.mirror(trial, state, values, "last")
            else:
                if state == TrialState.PRUNED:
                    sh.hpo.report_intermediate(t, trial.intermediate_values,
                                               "last")
                sh.hpo.tell(t, state, values)
            sh.mark(trial.number)

    def reseed_rng(self):
        # Optuna calls this in each n_jobs thread.  hpo draws each trial's
        # randomness from the seed and the trial's number, so there is
        # nothing per thread to reseed.
        self._fallback.reseed_rng()

    # ---- helpers -------------------------------------------------------------

    def _start(self, sh, number):
        """Ask hpo for the trial `number`, after mirroring the trials others
        finished that hpo has not seen."""
        if sh.needs_scan(number):
            sh.scan(lambda ft: sh.hpo.mirror(ft, ft.state, ft.values, "last"))
        t = sh.hpo.ask()
        sh.live[number] = t
        sh.mark(number)
        return t


def _named(name, spec, doc):
    def __init__(self, seed=None, **options):
        Sampler.__init__(self, spec, seed=seed, **options)
    __init__.__doc__ = "%s  Options as hpo's `%s` sampler's (docs/plugin-" \
        "options.md), e.g. n_startup_trials=10." % (doc, spec)
    return type(name, (Sampler,), {"__init__": __init__, "__doc__": doc,
                                   "__module__": __name__})


GPSampler = _named("GPSampler", "gp", "hpo's Gaussian-process BO (log-EI, "
                   "EHVI for two objectives).")
TPESampler = _named("TPESampler", "tpe", "hpo's tree-structured Parzen "
                    "estimator (Optuna's TPE and MOTPE, in C).")
RFSampler = _named("RFSampler", "rf", "hpo's random-forest BO (SMAC).")
AutoSampler = _named("AutoSampler", "auto", "hpo's automatic choice by the "
                     "space (TPE, GP, RBF, CMA-ES, NSGA-II).")
CmaEsSampler = _named("CmaEsSampler", "cmaes", "hpo's CMA-ES.")
NSGAIISampler = _named("NSGAIISampler", "nsga2", "hpo's NSGA-II.")
NSGAIIISampler = _named("NSGAIIISampler", "nsga3", "hpo's NSGA-III.")
RandomHpoSampler = _named("RandomHpoSampler", "random",
                          "hpo's uniform random sampler.")

_ = optuna  # the subpackage needs Optuna; imported here for a clear error
