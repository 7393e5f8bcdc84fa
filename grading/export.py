"""Grades out of nbgrader's gradebook, in files a learning management system imports.

``python -m grading export [--format canvas|moodle|long|wide] [--out FILE] [--db URL]``
reads the gradebook (build/gradebook.db, $DLCOURSE_DB_URL, or --db) and writes
one of these CSV layouts (UTF-8, comma-separated, a header row):

canvas  Canvas's gradebook import (Grades > Import): the columns Student, ID,
        SIS User ID, SIS Login ID, Section, then one column per assignment named
        by its id, holding the student's total points. The second row,
        "Points Possible", holds each assignment's maximum. SIS User ID is the
        nbgrader student id and ID its LMS user id (``nbgrader db student add
        ID --lms-user-id=...``), so Canvas matches the students by either; an
        assignment column it does not know becomes a new assignment.
moodle  Moodle's "Import grades from CSV": ID number (the nbgrader student id),
        First name, Last name, Email address, then one column per assignment,
        "<assignment> (<max> points)", with the total points. On import, map
        "ID number" to the users' ID number and each column to a grade item.
long    one row per student, assignment and exercise: student, assignment,
        exercise, points, max_points (for a spreadsheet or a data frame).
wide    one row per student: a column "<assignment>/<exercise>" per exercise and
        "<assignment>/total" after each assignment's exercises.

A student without a submission of an assignment gets an empty cell (an LMS then
leaves that grade alone) and no rows in the long layout. An exercise is a graded
cell; its name is the cell's grade id without the ``_tests`` suffix.
"""

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .cells import TEST_SUFFIX

FORMATS = ("canvas", "moodle", "long", "wide")


class ExportError(Exception):
    """A bilingual message for the command line: the gradebook or the output cannot be used."""


@dataclass
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""


@dataclass
class Grades:
    """What the exports need from a gradebook.

    students -- list of Student, sorted by id;
    assignments -- {assignment: {exercise: max points}}, both in the gradebook's order;
    scores -- {(student id, assignment): {exercise: points}}, only for submitted assignments.
    """

    students: list = field(default_factory=list)
    assignments: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)

    def max_total(self, assignment):
        return sum(self.assignments[assignment].values())

    def total(self, student, assignment):
        """Total points, or None when the student has no submission of ``assignment``."""
        got = self.scores.get((student, assignment))
        return None if got is None else sum(got.values())


def exercise_name(grade_id):
    """``compute_cost_tests`` -> ``compute_cost``: the exercise a grade cell checks."""
    return grade_id[: -len(TEST_SUFFIX)] if grade_id.endswith(TEST_SUFFIX) else grade_id


def read(db_url, assignments=None):
    """Read a gradebook.

    Inputs: db_url -- SQLAlchemy URL of nbgrader's gradebook; assignments -- ids to read
        (None: all, in the gradebook's order).
    Returns: Grades.
    Raises: ExportError -- the SQLite file does not exist, or an assignment is not in it.
    """
    from nbgrader.api import Gradebook, MissingEntry

    # Gradebook() would make an empty SQLite file where none is: say so instead.
    sqlite_file = db_url[len("sqlite:///"):] if db_url.startswith("sqlite:///") else None
    if sqlite_file is not None and not Path(sqlite_file).is_file():
        raise ExportError(f"no gradebook at {sqlite_file}: grade something first "
                          f"(python -m grading demo, or nbgrader autograde)\n"
                          f"错误：{sqlite_file} 处没有成绩库，请先评分（python -m grading demo 或 nbgrader autograde）")
    grades = Grades()
    with Gradebook(db_url) as gradebook:
        grades.students = sorted((Student(s.id, s.first_name or "", s.last_name or "", s.email or "",
                                          s.lms_user_id or "") for s in gradebook.students), key=lambda s: s.id)
        known = [assignment.name for assignment in gradebook.assignments]
        for name in assignments or known:
            if name not in known:
                raise ExportError(f"assignment {name!r} is not in the gradebook; it has: {', '.join(known) or 'none'}\n"
                                  f"错误：成绩库中没有作业 {name!r}；现有作业：{', '.join(known) or '无'}")
            assignment = gradebook.find_assignment(name)
            cells = [(notebook.name, cell) for notebook in assignment.notebooks for cell in notebook.grade_cells]
            grades.assignments[name] = {exercise_name(cell.name): float(cell.max_score) for _, cell in cells}
            for student in grades.students:
                try:
                    gradebook.find_submission(name, student.id)
                except MissingEntry:
                    continue
                grades.scores[(student.id, name)] = {
                    exercise_name(cell.name): float(gradebook.find_grade(cell.name, notebook, name, student.id).score)
                    for notebook, cell in cells}
    return grades


def format_points(value):
    """``12.5`` -> ``"12.5"``, ``10.0`` -> ``"10"``; None (no submission) -> ``""``."""
    return "" if value is None else f"{value:g}"


def rows(grades, layout):
    """The CSV rows (header first) of ``grades`` in ``layout`` (one of FORMATS)."""
    names = list(grades.assignments)
    if layout == "canvas":
        out = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *names],
               ["Points Possible", "", "", "", "", *[format_points(grades.max_total(a)) for a in names]]]
        for s in grades.students:
            display = ", ".join(part for part in (s.last_name, s.first_name) if part) or s.id
            out.append([display, s.lms_user_id, s.id, "", "", *[format_points(grades.total(s.id, a)) for a in names]])
        return out
    if layout == "moodle":
        out = [["ID number", "First name", "Last name", "Email address",
                *[f"{a} ({format_points(grades.max_total(a))} points)" for a in names]]]
        for s in grades.students:
            out.append([s.id, s.first_name, s.last_name, s.email, *[format_points(grades.total(s.id, a)) for a in names]])
        return out
    if layout == "long":
        out = [["student", "assignment", "exercise", "points", "max_points"]]
        for s in grades.students:
            for a in names:
                for exercise, points in grades.scores.get((s.id, a), {}).items():
                    out.append([s.id, a, exercise, format_points(points), format_points(grades.assignments[a][exercise])])
        return out
    if layout == "wide":
        header = ["student"]
        for a in names:
            header += [f"{a}/{exercise}" for exercise in grades.assignments[a]] + [f"{a}/total"]
        out = [header]
        for s in grades.students:
            row = [s.id]
            for a in names:
                got = grades.scores.get((s.id, a))
                row += [format_points(None if got is None else got[e]) for e in grades.assignments[a]]
                row.append(format_points(grades.total(s.id, a)))
            out.append(row)
        return out
    raise ExportError(f"unknown format {layout!r}; choose one of {', '.join(FORMATS)}\n"
                      f"错误：没有 {layout!r} 这种格式，可选：{', '.join(FORMATS)}")


def write(grades, layout, out):
    """Write ``grades`` in ``layout`` to the path ``out`` (parent folders made), or to stdout for "-".

    Returns: the Path written, or None for stdout.
    Raises: ExportError -- ``out`` is a folder.
    """
    table = rows(grades, layout)
    if str(out) == "-":
        csv.writer(sys.stdout).writerows(table)
        return None
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name such as {path / 'grades.csv'}\n"
                          f"错误：{path} 是文件夹，请给出文件名，例如 {path / 'grades.csv'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    return path


def default_out(layout, build):
    """build/grades.csv for the Canvas layout (the demo's), build/grades_<layout>.csv for the others."""
    return Path(build) / ("grades.csv" if layout == "canvas" else f"grades_{layout}.csv")
