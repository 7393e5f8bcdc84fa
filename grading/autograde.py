"""Auto-grading with nbgrader, feedback, and the score table (the CSV files: grading.export).

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

import shutil
import textwrap
from dataclasses import dataclass, field

from nbgrader.preprocessors import ClearHiddenTests

from .export import format_points, read
from .nbgrader_api import api, db_url, directory
from .release import release_dir


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
    """The config of nbgrader's GenerateFeedback: no hidden test, and formulas that show offline.

    - :class:`HideHiddenTests` runs between nbgrader's two preprocessors;
    - the page is nbgrader's feedback template seen through ``grading/templates/course_feedback``,
      which only replaces the macro that loads MathJax from a CDN by one that loads nothing;
    - markdown cells go through the course's renderer (grading.math_render.markdown_html), which
      writes their formulas as MathML.
    """
    from pathlib import Path

    import nbgrader
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades
    from traitlets.config import Config

    from .math_render import markdown_html

    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    config = Config()
    # nbgrader's default list is [GetGrades, CSSHTMLHeaderPreprocessor]; ours goes between.
    config.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
    # Scoped to GenerateFeedback's own exporter: the formgrader's exporter keeps its template.
    exporter = config.GenerateFeedback.HTMLExporter
    exporter.template_name = "course_feedback"
    exporter.extra_template_basedirs = [str(Path(__file__).parent / "templates"), str(nbgrader_templates)]
    exporter.filters = {"markdown2html": markdown_html}
    return config


def grade(assignment, students=None, feedback=True, log=print):
    """Autograde (and write feedback for) each submission of ``assignment``.

    The feedback HTML shows the test cells without their hidden tests (HideHiddenTests).
    Returns: list of Result, one per student folder found.
    """
    nbgrader = api()
    nbgrader.update_config(feedback_config())
    results = []
    students = students or submitted_students(assignment)
    for number, student in enumerate(students, 1):
        restore_course_files(assignment, student)
        outcome = nbgrader.autograde(assignment, student, force=True, create=True)
        if not outcome.get("success"):
            # A failed autograde (not a low score) is nbgrader's or the kernel's trouble, such as a kernel
            # losing a race for its TCP ports to another process: try once more before reporting it.
            log(f"  autograde of {student} failed; trying once more")
            outcome = nbgrader.autograde(assignment, student, force=True, create=True)
        error = "" if outcome.get("success") else _last_lines(outcome.get("error") or outcome.get("log"))
        if not error and feedback:
            made = nbgrader.generate_feedback(assignment, student, force=True)
            if not made.get("success"):
                log(f"warning: no feedback for {student}/{assignment}: {_last_lines(made.get('error') or made.get('log'))}")
        results.append(Result(student, assignment, error=error))
        log(f"  graded {number}/{len(students)}: {student}" + (f" -- FAILED: {error}" if error else ""))
    fill_scores(results)
    return results


def _last_lines(text, count=5):
    lines = [line for line in str(text or "unknown error").splitlines() if line.strip()]
    return " | ".join(lines[-count:])


def fill_scores(results):
    """Read each result's per-exercise scores from the gradebook (grading.export.read)."""
    if not results:  # nothing to fill: no reason to read the whole gradebook
        return results
    grades = read(db_url(), list(dict.fromkeys(result.assignment for result in results)))
    for result in results:
        got = grades.scores.get((result.student, result.assignment))
        if got is None:
            result.error = result.error or "no submission in the gradebook"
            continue
        maxima = grades.assignments[result.assignment]
        result.scores = {exercise: (points, maxima[exercise]) for exercise, points in got.items()}
    return results


WIDTH = 100  # the widest line format_table prints


def format_table(results, width=WIDTH):
    """Plain-text tables of points per student and exercise, one per assignment, at most ``width`` wide.

    The exercises are numbered columns (1, 2, ...) with a legend under the table, so
    that ten exercises with long names still fit a terminal.
    """
    blocks = []
    for assignment in dict.fromkeys(result.assignment for result in results):
        rows = [result for result in results if result.assignment == assignment]
        exercises = list(dict.fromkeys(name for result in rows for name in result.scores))
        maxima = {name: max(r.scores[name][1] for r in rows if name in r.scores) for name in exercises}
        numbers = [str(i) for i in range(1, len(exercises) + 1)]
        cell = max([3, *(len(format_points(m)) for m in maxima.values())])
        total_width = max(len("total"), *(len(f"{format_points(r.max_total)}/{format_points(r.max_total)}") for r in rows))
        name_width = min(max(len("student"), *(len(r.student) for r in rows)),
                         width - 2 - (cell + 1) * len(exercises) - total_width)
        header = "student".ljust(name_width) + " " + " ".join(n.rjust(cell) for n in numbers) + "  " + "total"
        lines = [f"== {assignment} ==", header, "-" * min(width, len(header) + total_width)]
        for result in rows:
            name = result.student if len(result.student) <= name_width else result.student[: name_width - 1] + "~"
            if result.error:
                lines.append(f"{name.ljust(name_width)} ERROR: {result.error}"[:width])
                continue
            points = [(format_points(result.scores[n][0]) if n in result.scores else "-").rjust(cell) for n in exercises]
            lines.append(f"{name.ljust(name_width)} {' '.join(points)}  "
                         f"{format_points(result.total)}/{format_points(result.max_total)}".rstrip())
        lines.append("max".ljust(name_width) + " " + " ".join(format_points(maxima[n]).rjust(cell) for n in exercises))
        legend = textwrap.fill("  ".join(f"{number}={name}" for number, name in zip(numbers, exercises, strict=True)),
                               width=width, break_on_hyphens=False)
        blocks.append("\n".join(lines) + "\n" + legend)
    return "\n\n".join(blocks)


def feedback_files(results):
    """Paths of the HTML feedback written for ``results``."""
    root = directory("feedback")
    return sorted(path for result in results for path in (root / result.student / result.assignment).glob("*.html"))
