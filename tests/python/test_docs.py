"""docs/python.md's quick start runs as printed."""

import contextlib
import io
import os
import re
import unittest

from support import SOURCE_DIR


class QuickStart(unittest.TestCase):
    def test_quick_start_runs(self):
        with open(os.path.join(SOURCE_DIR, "docs", "python.md"), encoding="utf-8") as f:
            text = f.read()
        section = text.split("## Quick start", 1)[1]
        code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "docs/python.md", "exec"), {})
        value, params = out.getvalue().split(" ", 1)
        self.assertLess(float(value), 3.0)  # optimum 1 at x=2, depth=1
        self.assertIn("'depth'", params)


if __name__ == "__main__":
    unittest.main()
