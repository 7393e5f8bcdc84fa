"""Instructor tooling of the course: building releases, stored expected values,
bilingual checks and auto-grading with nbgrader.

This package lives only in the course repository; it is not part of what
students install (see ``[tool.setuptools.packages.find]`` in pyproject.toml).
"""

import os
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = COURSE_ROOT / "notebooks"
HIDDEN_DIR = COURSE_ROOT / "grading" / "hidden"

# The helpers find the hidden cases only through this variable (they never search for the
# course repository); every kernel the instructor's tools start inherits it.
os.environ.setdefault("DLCOURSE_HIDDEN_DIR", str(HIDDEN_DIR))


def relative(path):
    """``path`` relative to the course root when it lies inside it (for messages)."""
    try:
        return path.relative_to(COURSE_ROOT)
    except ValueError:
        return path
