"""Per-thread C buffers for the calls made on every trial (ask's out
pointer, suggest's out value, tell's values), allocated once per thread
instead of once per call: a trial's cost is a few microseconds, and
ffi.new is a good part of it.  A buffer is used only between a C call and
the read of its result, on one thread, so nothing else can reach it."""

import threading

from ._native import ffi

__all__ = ["scratch"]

_MAX_OBJECTIVES = 16  # HPO_MAX_OBJECTIVES


class _Buffers:
    __slots__ = ("trial", "f", "i", "values")

    def __init__(self):
        self.trial = ffi.new("hpo_trial **")
        self.f = ffi.new("double *")
        self.i = ffi.new("int64_t *")
        self.values = ffi.new("double[]", _MAX_OBJECTIVES)


_local = threading.local()


def scratch():
    """This thread's buffers."""
    try:
        return _local.buffers
    except AttributeError:
        _local.buffers = _Buffers()
        return _local.buffers
