"""The one place the binding meets libhpo: cffi in ABI mode over the shared
library, so nothing is compiled at install time.

The declarations come from _cdef.h, generated from include/hpo.h by
scripts/gen-python-cdef.sh.  The library is found in this order:

1. $HPO_LIBRARY, a path to libhpo.so (tests and uninstalled builds use it);
2. the build tree next to this source tree (../../build/libhpo.so), so a
   checkout works after the README's build without installing;
3. the library installed with this copy of the package (_install_path.py,
   written by `cmake --install`; absent in the source tree);
4. the dynamic loader's search path ("libhpo.so.0").

Everything else in the package reaches C through `ffi` and `lib` below, and
turns a failed status into an exception with check().
"""

import os

import cffi

from ._errors import HpoVersionError, error_for

__all__ = ["ffi", "lib", "library_path", "library_version", "HpoVersionError",
           "check", "text", "HPO_LOG", "HPO_OPEN_CREATE", "HPO_OPEN_LOAD"]

# hpo.h's #define constants: the preprocessor drops them from _cdef.h, so
# they are repeated here (a test compares them with the header).
HPO_LOG = 1
HPO_OPEN_CREATE = 1
HPO_OPEN_LOAD = 2

# The libhpo version this package was written against: major.minor must match.
PACKAGE_VERSION = "0.1.0"


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
    found = [os.path.normpath(in_tree)]
    try:
        from ._install_path import LIBRARY
        found.append(LIBRARY)
    except ImportError:
        pass  # the source tree: no installed copy
    return found + ["libhpo.so.0"]


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


def _check_version(version, path=None):
    want = PACKAGE_VERSION.split(".")[:2]
    have = version.split(".")[:2]
    if want != have:
        raise HpoVersionError(
            "hpo: libhpo %s at %s does not match this package (written for %s); "
            "install matching versions" % (version, path or library_path,
                                           PACKAGE_VERSION))


# Functions newer than the first 0.1.0 libraries: a library without them
# is an older build of the same version, refused at import rather than at
# the first call that needs one.
_REQUIRED = ("hpo_trial_suggest_categorical_json", "hpo_study_user_attr_at")


def _check_symbols(lib, path):
    missing = [name for name in _REQUIRED if not hasattr(lib, name)]
    if missing:
        raise HpoVersionError(
            "hpo: libhpo at %s lacks %s: it is older than this package; "
            "rebuild it (cmake --build build)" % (path, ", ".join(missing)))


def text(ptr):
    """A borrowed C string as str (None for NULL)."""
    return None if ptr == ffi.NULL else ffi.string(ptr).decode("utf-8", "replace")


def check(rc, handle=None, errmsg=None):
    """Raise the HpoError subclass for a negative status, with the message
    errmsg(handle) gives (hpo_errstr's text when the handle has none)."""
    if rc >= 0:
        return rc
    message = text(errmsg(handle)) if errmsg is not None and handle is not None else ""
    if not message:
        message = text(lib.hpo_errstr(rc))
    raise error_for(rc, message)


ffi = cffi.FFI()
ffi.cdef(_declarations())
lib, library_path = _open(ffi)
library_version = ffi.string(lib.hpo_version()).decode()
_check_version(library_version)
_check_symbols(lib, library_path)
