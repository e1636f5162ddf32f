#!/usr/bin/env python3
"""`make eval`: accuracy of the task check per class on the evaluation sets (eval_set.py … eval_set_8.py; the newest is the held-apart one, the others have been tuned on), and every miss.

Runs ``evals/taskcheck/run_eval.py`` under pytest on its own test database (``<JIANFU_TEST_DB_NAME>_eval``), so
it never touches the database of a concurrent test run. The report is printed and kept in var/eval-taskcheck.txt.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = dict(os.environ)
    env["JIANFU_TEST_DB_NAME"] = env.get("JIANFU_TEST_DB_NAME", "test_jianfu") + "_eval"
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "evals/taskcheck/run_eval.py",
        "-p",
        "no:randomly",
        "-p",
        "no:xdist",
        "-q",
        "-s",
        "--no-header",
        "--create-db",
    ]
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
