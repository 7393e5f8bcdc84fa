"""Auto-grading with nbgrader, feedback, the grades CSV and the score table.

Every submission found ends in the results with a score or with the reason it
could not be graded; none is dropped.

The feedback goes to students, so it shows no hidden test: autograding puts the
instructor's test cells back into each submission, hidden blocks included, and
nbgrader's feedback would print them as they are. :class:`HideHiddenTests`
removes the ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` block from
the source of every test cell before the HTML export, and cuts the traceback of
such a cell down to its last line (a traceback quotes the code around the
failing line). What the hidden checks print names the failed hidden case
without its inputs or expected values (helpers.checker).
"""

import csv
import shutil
from dataclasses import dataclass, field

from nbgrader.preprocessors import ClearHiddenTests

from .nbgrader_api import api, db_url, directory
from .release import release_dir

TEST_SUFFIX = "_tests"


@dataclass
class Result:
    """The outcome of grading one submission.

    scores -- {exercise: (points, max points)} in notebook order; error -- why
    grading failed, or "" when it succeeded.
    """

    student: str
    assignment: str
    scores: dict = field(default_factory=dict)
    error: str = ""

    @property
    def total(self):
        return sum(points for points, _ in self.scores.values())

    @property
    def max_total(self):
        return sum(maximum for _, maximum in self.scores.values())


def submitted_students(assignment):
    """Students with a folder for ``assignment`` under build/submitted/, sorted."""
    root = directory("submitted")
    if not root.is_dir():
        return []
    return sorted(path.name for path in root.iterdir() if (path / assignment).is_dir())


def restore_course_files(assignment, student):
    """Put the released non-notebook files (stored checks, figures) into the submission.

    Students often hand in the notebook alone, and a copy they send may have
    been altered: grading always uses the course's own files.
    """
    released = release_dir() / assignment
    target = directory("submitted") / student / assignment
    for path in released.iterdir():
        if path.is_file() and path.suffix != ".ipynb":
            shutil.copy2(path, target / path.name)


class HideHiddenTests(ClearHiddenTests):
    """Feedback preprocessor: test cells without their hidden block, tracebacks without code.

    nbgrader's own ClearHiddenTests (same delimiters, same configuration) strips the
    block from the source; a cell that had one keeps, of each error output, only
    "ExceptionName: message": the message of a failed check is its bilingual summary.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        if self._remove_hidden_test_region(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


def feedback_config():
    """The config that makes nbgrader's GenerateFeedback run :class:`HideHiddenTests`."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades
    from traitlets.config import Config

    config = Config()
    # nbgrader's default list is [GetGrades, CSSHTMLHeaderPreprocessor]; ours goes between.
    config.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
    return config


def grade(assignment, students=None, feedback=True, log=print):
    """Autograde (and write feedback for) each submission of ``assignment``.

    The feedback HTML shows the test cells without their hidden tests (HideHiddenTests).
    Returns: list of Result, one per student folder found.
    """
    nbgrader = api()
    nbgrader.update_config(feedback_config())
    results = []
    for student in students or submitted_students(assignment):
        restore_course_files(assignment, student)
        outcome = nbgrader.autograde(assignment, student, force=True, create=True)
        error = "" if outcome.get("success") else _last_lines(outcome.get("error") or outcome.get("log"))
        if not error and feedback:
            made = nbgrader.generate_feedback(assignment, student, force=True)
            if not made.get("success"):
                log(f"warning: no feedback for {student}/{assignment}: {_last_lines(made.get('error') or made.get('log'))}")
        results.append(Result(student, assignment, error=error))
        log(f"graded {student}/{assignment}" + (f" -- FAILED: {error}" if error else ""))
    fill_scores(results)
    return results


def _last_lines(text, count=5):
    lines = [line for line in str(text or "unknown error").splitlines() if line.strip()]
    return " | ".join(lines[-count:])


def fill_scores(results):
    """Read each result's per-exercise scores from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url()) as gradebook:
        for result in results:
            try:
                assignment = gradebook.find_assignment(result.assignment)
                submission = gradebook.find_submission(result.assignment, result.student)
            except MissingEntry:
                result.error = result.error or "not in the gradebook"
                continue
            scores = {}
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    grade = gradebook.find_grade(cell.name, notebook.name, result.assignment, result.student)
                    scores[_exercise(cell.name)] = (float(grade.score), float(grade.max_score))
            result.scores = scores
            if submission is None:
                result.error = result.error or "no submission"
    return results


def _exercise(grade_id):
    return grade_id[: -len(TEST_SUFFIX)] if grade_id.endswith(TEST_SUFFIX) else grade_id


def write_csv(results, path):
    """One row per (student, assignment), a column per exercise, then total, max and status."""
    path.parent.mkdir(parents=True, exist_ok=True)
    exercises = []
    for result in results:
        exercises += [name for name in result.scores if name not in exercises]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", *exercises, "total", "max", "status"])
        for result in results:
            row = [result.student, result.assignment]
            row += [_points(result.scores[name][0]) if name in result.scores else "" for name in exercises]
            row += [_points(result.total), _points(result.max_total), result.error or "graded"]
            writer.writerow(row)
    return path


def _points(value):
    return f"{value:g}"


def format_table(results):
    """A plain-text table of points per student and per exercise (one block per assignment)."""
    blocks = []
    for assignment in dict.fromkeys(result.assignment for result in results):
        rows = [result for result in results if result.assignment == assignment]
        exercises = list(dict.fromkeys(name for result in rows for name in result.scores))
        header = ["student", *exercises, "total"]
        body = []
        for result in rows:
            cells = [result.student]
            cells += [_points(result.scores[name][0]) if name in result.scores else "-" for name in exercises]
            cells.append(f"{_points(result.total)}/{_points(result.max_total)}" if not result.error else f"ERROR: {result.error[:60]}")
            body.append(cells)
        maxima = ["max", *[_points(max((r.scores[name][1] for r in rows if name in r.scores), default=0)) for name in exercises], ""]
        widths = [max(len(row[i]) for row in [header, *body, maxima]) for i in range(len(header))]
        fmt = lambda row: "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        lines = [f"== {assignment} ==", fmt(header), fmt(["-" * w for w in widths]), *map(fmt, body), fmt(maxima)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def feedback_files(results):
    """Paths of the HTML feedback written for ``results``."""
    root = directory("feedback")
    return sorted(path for result in results for path in (root / result.student / result.assignment).glob("*.html"))
