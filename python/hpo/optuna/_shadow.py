"""Which of an Optuna study's trials a shadow hpo study has seen.

The adapters learn of most trials as they happen (the sampler's
after_trial); trials finished by other processes sharing the storage, or
run before the adapter was attached, are found by a scan of the storage.
Scans are incremental and rare: `low` is the smallest trial number not yet
seen, so a single-process run whose trials all pass through the adapter
never scans at all, and a scan starts at `low`.
"""

import threading


def study_key(study):
    """One shadow per Optuna study: the storage object (kept alive by the
    shadow, so its id is not reused) and the study's id in it."""
    return (id(study._storage), study._study_id)


class Shadow:
    def __init__(self, hpo_study, study):
        self.hpo = hpo_study
        self.storage = study._storage
        self.study_id = study._study_id
        self.seen = set()    # trial numbers recorded in the hpo study
        self.low = 0         # every number below it is in seen
        self.pending = set()  # unfinished trials of others, to look at again
        self.live = {}       # trial number -> this process's hpo trial

    def mark(self, number):
        self.seen.add(number)
        self.pending.discard(number)
        while self.low in self.seen:
            self.low += 1

    def needs_scan(self, number):
        """A gap below `number`, or others' trials still unfinished."""
        return self.low < number or bool(self.pending)

    def scan(self, on_finished):
        """Call on_finished(frozen_trial) for each finished trial not seen
        yet, and mark it; remember the unfinished ones of others."""
        trials = self.storage.get_all_trials(self.study_id, deepcopy=False)
        start = self.low
        if not (start < len(trials) and trials[start].number == start):
            start = 0  # a storage that does not list trials by number
        self.pending.clear()
        for t in trials[start:]:
            n = t.number
            if n in self.seen:
                continue
            if t.state.is_finished():
                on_finished(t)
                self.mark(n)
            elif n not in self.live:
                self.pending.add(n)


class ShadowRegistry:
    """The shadows of every study an adapter instance serves, under a lock
    (Optuna's n_jobs threads share the adapter)."""

    def __init__(self, make_hpo_study):
        self._make = make_hpo_study
        self._shadows = {}
        self.lock = threading.RLock()

    def get(self, study):
        key = study_key(study)
        sh = self._shadows.get(key)
        if sh is None:
            sh = Shadow(self._make(study), study)
            self._shadows[key] = sh
        return sh
