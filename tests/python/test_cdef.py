"""python/hpo/_cdef.h is what scripts/gen-python-cdef.sh makes of
include/hpo.h now, and the #define constants repeated in _native.py are
the header's."""

import os
import re
import subprocess
import tempfile
import unittest

from hpo import _native
from support import SOURCE_DIR


class Declarations(unittest.TestCase):
    def test_cdef_is_current(self):
        with tempfile.NamedTemporaryFile(suffix=".h") as out:
            subprocess.run(["bash", os.path.join(SOURCE_DIR, "scripts",
                                                 "gen-python-cdef.sh"), out.name],
                           check=True)
            with open(out.name, encoding="utf-8") as f:
                fresh = f.read()
        with open(os.path.join(SOURCE_DIR, "python", "hpo", "_cdef.h"),
                  encoding="utf-8") as f:
            kept = f.read()
        self.assertEqual(kept, fresh, "python/hpo/_cdef.h is stale: run "
                         "scripts/gen-python-cdef.sh")

    def test_constants_match_the_header(self):
        with open(os.path.join(SOURCE_DIR, "include", "hpo.h"), encoding="utf-8") as f:
            header = f.read()
        for name in ("HPO_LOG", "HPO_OPEN_CREATE", "HPO_OPEN_LOAD"):
            m = re.search(r"#define %s (\d+)" % name, header)
            self.assertIsNotNone(m, name)
            self.assertEqual(getattr(_native, name), int(m.group(1)), name)
        m = re.search(r'#define HPO_VERSION_STRING "([^"]+)"', header)
        self.assertEqual(_native.PACKAGE_VERSION, m.group(1))


if __name__ == "__main__":
    unittest.main()
