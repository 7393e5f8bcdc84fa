"""grading.export: the gradebook's grades in the LMS layouts, from a tiny gradebook made here."""

import csv
import io
import os
import sys

import pytest

from grading import export
from grading.__main__ import main

# Two assignments sharing an exercise name (their columns must not be merged), three students,
# one of whom did not submit the second assignment.
LAYOUT = {"first": {"initialize_parameters": 10, "compute_cost": 10},
          "second": {"compute_cost": 10, "predict": 20}}
SCORES = {("amy", "first"): {"initialize_parameters": 10, "compute_cost": 5},
          ("amy", "second"): {"compute_cost": 0, "predict": 20},
          ("bo", "first"): {"initialize_parameters": 0, "compute_cost": 10},
          ("bo", "second"): {"compute_cost": 10, "predict": 7.5},
          ("cy", "first"): {"initialize_parameters": 10, "compute_cost": 10}}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The gradebook's URL; made once (nbgrader's migrations take seconds), never changed by a test."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path_factory.mktemp('gradebook') / 'gradebook.db'}"
    with pytest.MonkeyPatch.context() as patch:
        # nbgrader makes a new gradebook with `alembic`, found on PATH next to this Python.
        patch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
        with Gradebook(url) as gradebook:
            gradebook.add_student("amy", first_name="Amy", last_name="Ang", email="amy@example.org", lms_user_id="1001")
            gradebook.add_student("bo", first_name="Bo", last_name="Berg")
            gradebook.add_student("cy")
            for assignment, exercises in LAYOUT.items():
                gradebook.add_assignment(assignment)
                gradebook.add_notebook("Notebook", assignment)
                for exercise, points in exercises.items():
                    gradebook.add_grade_cell(f"{exercise}_tests", "Notebook", assignment, max_score=points,
                                             cell_type="code")
            for (student, assignment), got in SCORES.items():
                gradebook.add_submission(assignment, student)
                for exercise, points in got.items():
                    grade = gradebook.find_grade(f"{exercise}_tests", "Notebook", assignment, student)
                    grade.auto_score = points
                gradebook.db.commit()
    return url


def _table(grades, layout):
    out = io.StringIO()
    csv.writer(out).writerows(export.rows(grades, layout))
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_reading_keeps_assignments_apart(db):
    grades = export.read(db)
    assert [s.id for s in grades.students] == ["amy", "bo", "cy"]
    assert grades.assignments == {name: {e: float(p) for e, p in ex.items()} for name, ex in LAYOUT.items()}
    assert grades.scores[("bo", "second")] == {"compute_cost": 10.0, "predict": 7.5}
    assert ("cy", "second") not in grades.scores
    assert grades.total("amy", "first") == 15 and grades.total("cy", "second") is None
    assert list(export.read(db, ["second"]).assignments) == ["second"]


def test_canvas_layout(db):
    table = _table(export.read(db), "canvas")
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "first", "second"]
    assert table[1] == ["Points Possible", "", "", "", "", "20", "30"]
    assert table[2] == ["Ang, Amy", "1001", "amy", "", "", "15", "20"]
    assert table[3] == ["Berg, Bo", "", "bo", "", "", "10", "17.5"]
    assert table[4] == ["cy", "", "cy", "", "", "20", ""]  # no name: the id; no submission: empty


def test_moodle_layout(db):
    table = _table(export.read(db), "moodle")
    assert table[0] == ["ID number", "First name", "Last name", "Email address", "first (20 points)",
                        "second (30 points)"]
    assert table[1] == ["amy", "Amy", "Ang", "amy@example.org", "15", "20"]
    assert table[3] == ["cy", "", "", "", "20", ""]


def test_long_layout_has_one_row_per_submitted_exercise(db):
    table = _table(export.read(db), "long")
    assert table[0] == ["student", "assignment", "exercise", "points", "max_points"]
    assert len(table) - 1 == sum(len(got) for got in SCORES.values())
    assert ["bo", "second", "predict", "7.5", "20"] in table
    assert ["amy", "first", "compute_cost", "5", "10"] in table and ["amy", "second", "compute_cost", "0", "10"] in table


def test_wide_layout_qualifies_every_column_by_assignment(db):
    table = _table(export.read(db), "wide")
    assert table[0] == ["student", "first/initialize_parameters", "first/compute_cost", "first/total",
                        "second/compute_cost", "second/predict", "second/total"]
    assert table[3] == ["cy", "10", "10", "20", "", "", ""]


def test_command_line_writes_the_file(db, tmp_path, capsys):
    out = tmp_path / "lms" / "moodle.csv"
    assert main(["export", "--db", db, "--format", "moodle", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("ID number,")
    assert "3 students, 2 assignments" in capsys.readouterr().out
    assert main(["export", "--db", db, "--format", "long", "--out", "-", "--assignment", "first"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "student,assignment,exercise,points,max_points" and len(printed) == 1 + 6


@pytest.mark.parametrize("args, says", [
    (["--format", "xlsx"], "not a format"),
    (["--assignment", "third"], "'third' is not in the gradebook"),
])
def test_command_line_refuses_bad_arguments(db, args, says, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--db", db, *args])
    assert exc.value.code != 0
    message = str(exc.value.code) + capsys.readouterr().err
    assert says in message
    assert "错误" in message or "没有这种格式" in message  # and in Chinese


def test_command_line_refuses_a_folder_and_a_missing_gradebook(db, tmp_path):
    with pytest.raises(SystemExit, match="is a folder"):
        main(["export", "--db", db, "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="no gradebook at"):
        main(["export", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert not (tmp_path / "none.db").exists()
