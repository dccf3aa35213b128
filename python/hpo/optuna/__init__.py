"""hpo's samplers and pruners inside Optuna (3.1's BaseSampler/BasePruner),
run by libhpo's C code:

    import optuna, hpo.optuna
    study = optuna.create_study(sampler=hpo.optuna.GPSampler(seed=0))

Every hpo sampler is reachable as Sampler("spec"), every pruner as
Pruner("spec"); the named classes are shorthands.  docs/python-optuna.md
says what is mirrored and the limits.
"""

from ._hpo_study import HpoOptunaError
from ._pruner import (HyperbandPruner, MedianPruner, PercentilePruner, Pruner,
                      SuccessiveHalvingPruner, WilcoxonPruner)
from ._sampler import (AutoSampler, CmaEsSampler, GPSampler, NSGAIISampler,
                       NSGAIIISampler, RandomHpoSampler, RFSampler, Sampler,
                       TPESampler)

__all__ = ["Sampler", "GPSampler", "TPESampler", "RFSampler", "AutoSampler",
           "CmaEsSampler", "NSGAIISampler", "NSGAIIISampler",
           "RandomHpoSampler", "Pruner", "MedianPruner", "PercentilePruner",
           "SuccessiveHalvingPruner", "HyperbandPruner", "WilcoxonPruner",
           "HpoOptunaError"]
