"""Storages: where studies live, named by URL (memory:, sqlite:///path,
postgresql://...).  A Storage owns one hpo_storage handle, closed by
close(), by `with`, or when the last study using it is gone."""

import weakref

from ._errors import MisuseError
from ._native import check, ffi, lib, text

__all__ = ["Storage", "as_storage"]


class Storage:
    """An open hpo_storage.  Several studies may share one (thread-safe)."""

    def __init__(self, url):
        if not isinstance(url, str):
            raise TypeError("a storage URL must be a str, not %s"
                            % type(url).__name__)
        self.url = url
        out = ffi.new("hpo_storage **")
        rc = lib.hpo_storage_open(out, url.encode("utf-8"))
        if rc < 0:
            try:
                check(rc, out[0], lib.hpo_storage_errmsg)
            finally:
                lib.hpo_storage_close(out[0])
        self._h = out[0]
        self._finalizer = weakref.finalize(self, lib.hpo_storage_close, self._h)
        self._studies = weakref.WeakSet()  # open studies borrowing the handle

    def _handle(self):
        if not self._finalizer.alive:
            raise ValueError("the storage %s is closed" % self.redacted_url)
        return self._h

    @property
    def redacted_url(self):
        """The URL with every password replaced by ***."""
        raw = self.url.encode("utf-8")
        size = lib.hpo_url_redact(raw, ffi.NULL, 0) + 1
        buf = ffi.new("char[]", size)
        lib.hpo_url_redact(raw, buf, size)
        return text(buf)

    def close(self):
        """Close the handle (its studies must be closed first: they borrow
        it, so closing under them would leave them pointing at freed memory)."""
        if any(not s.closed for s in self._studies):
            raise MisuseError("close the studies on %s before the storage"
                              % self.redacted_url)
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def study_names(self):
        """The names of the stored studies, in order of creation."""
        out, n = ffi.new("hpo_study_summary **"), ffi.new("int *")
        check(lib.hpo_storage_studies(self._handle(), out, n), self._h,
              lib.hpo_storage_errmsg)
        try:
            return [text(out[0][i].name) for i in range(n[0])]
        finally:
            lib.hpo_study_summaries_free(out[0], n[0])

    def delete_study(self, name):
        check(lib.hpo_storage_delete_study(self._handle(), name.encode("utf-8")),
              self._h, lib.hpo_storage_errmsg)

    def __repr__(self):
        return "Storage(%r)" % self.redacted_url


def as_storage(storage):
    """None (a private in-memory storage), a URL or a Storage."""
    if storage is None or isinstance(storage, Storage):
        return storage
    return Storage(storage)
