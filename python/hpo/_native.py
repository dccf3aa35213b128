"""The one place the binding meets libhpo: cffi in ABI mode over the shared
library, so nothing is compiled at install time.

The declarations come from _cdef.h, generated from include/hpo.h by
scripts/gen-python-cdef.sh.  The library is found in this order:

1. $HPO_LIBRARY, a path to libhpo.so (tests and uninstalled builds use it);
2. the build tree next to this source tree (../../build/libhpo.so), so a
   checkout works after the README's build without installing;
3. the dynamic loader's search path ("libhpo.so.0", as installed).

Everything else in the package reaches C through `ffi` and `lib` below.
"""

import os

import cffi

__all__ = ["ffi", "lib", "library_path", "library_version", "HpoVersionError"]

# The libhpo version this package was written against: major.minor must match.
PACKAGE_VERSION = "0.1.0"


class HpoVersionError(ImportError):
    """libhpo was found but its version does not match this package."""


def _declarations():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "_cdef.h"), encoding="utf-8") as f:
        return f.read()


def _candidates():
    env = os.environ.get("HPO_LIBRARY")
    if env:
        return [env]  # an explicit choice is never second-guessed
    here = os.path.dirname(os.path.abspath(__file__))
    in_tree = os.path.join(here, "..", "..", "build", "libhpo.so")
    return [os.path.normpath(in_tree), "libhpo.so.0"]


def _open(ffi):
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append("%s: no such file" % path)
            continue
        try:
            return ffi.dlopen(path), path
        except OSError as e:
            errors.append("%s: %s" % (path, e))
    raise ImportError("hpo: cannot load libhpo (set HPO_LIBRARY to its path, "
                      "or build it with cmake): " + "; ".join(errors))


def _check_version(version):
    want = PACKAGE_VERSION.split(".")[:2]
    have = version.split(".")[:2]
    if want != have:
        raise HpoVersionError(
            "hpo: libhpo %s at %s does not match this package (written for %s); "
            "install matching versions" % (version, library_path, PACKAGE_VERSION))


ffi = cffi.FFI()
ffi.cdef(_declarations())
lib, library_path = _open(ffi)
library_version = ffi.string(lib.hpo_version()).decode()
_check_version(library_version)
