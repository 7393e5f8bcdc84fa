"""Shared fixtures. Everything the tests generate goes to a temporary build
folder, never to the developer's build/."""

import os
import tempfile
from pathlib import Path

import pytest

# Set before grading.nbgrader_api loads nbgrader_config.py (it is read once).
BUILD = Path(tempfile.mkdtemp(prefix="dlcourse-test-build-"))
os.environ["DLCOURSE_BUILD_DIR"] = str(BUILD)
os.environ.pop("DLCOURSE_DB_URL", None)
os.environ.setdefault("MPLBACKEND", "Agg")

COURSE_ROOT = Path(__file__).resolve().parent.parent
# As the instructor's tools do (grading/__init__.py): the checker finds hidden cases only here.
os.environ.setdefault("DLCOURSE_HIDDEN_DIR", str(COURSE_ROOT / "grading" / "hidden"))
FILES = Path(__file__).resolve().parent / "files"

# Fixtures that release the course, run whole notebooks or grade with nbgrader or the cohort grader: every test
# using one is marked slow here (the others carry @pytest.mark.slow themselves), so that
# `python3 run.py test -m "not slow"` is the authors' fast loop.
SLOW_FIXTURES = {"released", "graded", "probed", "browser", "built_book", "executed"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def released():
    """Student versions of every assignment, built once per test session."""
    from grading.release import release

    return release(log=lambda *_: None)


@pytest.fixture(scope="session")
def executed():
    """``executed(path)``: the source notebook at ``path`` run top to bottom with the solutions, bilingually
    and with the CPU-dependent numerics pinned, and the (en, zh, between) of every say() call of the run
    (grading.printouts.run_recording_say); each notebook runs once per test session."""
    from grading.printouts import run_recording_say

    runs = {}

    def run(path):
        if path not in runs:
            runs[path] = run_recording_say(path)
        return runs[path]

    return run


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (tests/browser_support.py); skipped where there is none."""
    from browser_support import Browser

    opened = Browser()
    yield opened
    opened.close()


@pytest.fixture
def in_dir(monkeypatch):
    """Change the working folder for one test: ``in_dir(path)``."""
    return monkeypatch.chdir
