"""What the binding's tests share: the source tree's paths, and a scratch
directory per test case.  ctest runs each test_*.py with PYTHONPATH=python
and HPO_LIBRARY=build/libhpo.so (tests/CMakeLists.txt)."""

import os
import shutil
import tempfile
import unittest

SOURCE_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


class ScratchTest(unittest.TestCase):
    """A test case with self.tmp, a directory removed afterwards."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hpo-py-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def sqlite_url(self, name="study.db"):
        return "sqlite:///" + os.path.join(self.tmp, name)


def child_env():
    """The environment for a child interpreter: the same library and path."""
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", os.path.join(SOURCE_DIR, "python"))
    return env
