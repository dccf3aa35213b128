"""The compiled-in samplers and pruners, from libhpo's registry."""

from ._native import ffi, lib, text

__all__ = ["samplers", "pruners"]


def _listing(name_fn):
    out, summary = {}, ffi.new("const char **")
    i = 0
    while True:
        name = name_fn(i, summary)
        if name == ffi.NULL:
            return out
        out[text(name)] = text(summary[0])
        i += 1


def samplers():
    """{name: one-line summary} of every sampler a spec string may name."""
    return _listing(lib.hpo_sampler_name)


def pruners():
    """{name: one-line summary} of every pruner a spec string may name."""
    return _listing(lib.hpo_pruner_name)
