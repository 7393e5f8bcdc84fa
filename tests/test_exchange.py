"""The JupyterHub cycle of the README through nbgrader's exchange, in temporary folders.

The instructor (the course's nbgrader_config.py, DLCOURSE_EXCHANGE pointing at a temporary
exchange) releases an assignment; a learner, in a home folder of their own with no course
config, fetches it with nbgrader, answers it and submits it; the instructor collects it,
grades it with the course's command, generates and releases the feedback; the learner fetches
the feedback; the grades are exported for an LMS. nbgrader names the learner after the
operating-system user running the tests.
"""

import csv
import os
import subprocess
import sys

import pytest

from grading import COURSE_ROOT
from grading.nbgrader_api import directory
from grading.submissions import Submission, make_submission

pytestmark = pytest.mark.slow  # a dozen nbgrader commands and one autograde (about a minute)

ASSIGNMENT = "initialization"


def _run(args, cwd, env):
    result = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_release_fetch_submit_collect_grade_feedback_export(released, tmp_path):
    from nbgrader.utils import get_username

    exchange, home = tmp_path / "exchange", tmp_path / "home"
    exchange.mkdir()
    home.mkdir()
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    instructor = {**os.environ, "DLCOURSE_EXCHANGE": str(exchange), "PATH": path}
    # The learner's side sees none of the course's variables and only the exchange's settings.
    learner = {key: value for key, value in os.environ.items() if not key.startswith("DLCOURSE_")}
    learner.update(HOME=str(home), JUPYTER_DATA_DIR=str(tmp_path / "learner-data"), PATH=path)
    learner_flags = ["--course=dlcourse", f"--Exchange.root={exchange}"]
    student = get_username()

    _run(["nbgrader", "release_assignment", ASSIGNMENT, "--force"], COURSE_ROOT, instructor)
    assert (exchange / "dlcourse" / "outbound" / ASSIGNMENT).is_dir()

    _run(["nbgrader", "fetch_assignment", ASSIGNMENT, *learner_flags], home, learner)
    fetched = home / ASSIGNMENT
    assert sorted(p.name for p in fetched.iterdir()) == sorted(p.name for p in released[ASSIGNMENT]["bilingual"].iterdir())
    notebooks = sorted(fetched.glob("*.ipynb"))
    assert notebooks and "YOUR CODE HERE" in notebooks[0].read_text(encoding="utf-8")
    make_submission(ASSIGNMENT, Submission(student), fetched)  # the learner answers every exercise

    _run(["nbgrader", "submit", ASSIGNMENT, *learner_flags], home, learner)
    assert list((exchange / "dlcourse" / "inbound").glob(f"{student}+{ASSIGNMENT}+*"))

    _run(["nbgrader", "collect", ASSIGNMENT], COURSE_ROOT, instructor)
    collected = directory("submitted") / student / ASSIGNMENT
    assert sorted(p.name for p in collected.glob("*.ipynb")) == [p.name for p in notebooks]

    printed = _run(["grading", "grade", ASSIGNMENT, "--plain-nbgrader", "--students", student], COURSE_ROOT,
                   instructor)
    assert "30/30" in printed
    # nbgrader's own command makes the same feedback, without the hidden tests (nbgrader_config.py).
    _run(["nbgrader", "generate_feedback", ASSIGNMENT, f"--student={student}", "--force"], COURSE_ROOT, instructor)
    _run(["nbgrader", "release_feedback", ASSIGNMENT, f"--student={student}"], COURSE_ROOT, instructor)
    _run(["nbgrader", "fetch_feedback", ASSIGNMENT, *learner_flags], home, learner)
    pages = list((fetched / "feedback").glob("*/*.html"))
    page = pages[0].read_text(encoding="utf-8") if len(pages) == 1 else ""
    assert "All tests passed" in page and "HIDDEN TESTS" not in page
    assert "<math" in page and "<script" not in page  # formulas built in: the page works offline

    out = tmp_path / "long.csv"
    _run(["grading", "export", "--format", "long", "--assignment", ASSIGNMENT, "--out", str(out)], COURSE_ROOT,
         instructor)
    rows = [row for row in csv.DictReader(out.open(encoding="utf-8")) if row["student"] == student]
    assert len(rows) == 3 and all(row["points"] == row["max_points"] == "10" for row in rows)
