"""The main job: release the course, grade the bundled demo cohort, report.

``python -m grading demo`` builds the student versions of every assignment,
writes the demo submissions (perfect, blank, English-only, Chinese-only and
typical mistakes) into build/submitted/, auto-grades them with nbgrader into
the SQLite gradebook, writes HTML feedback, build/grades.csv (Canvas's
gradebook layout, one column per assignment) and build/grades_long.csv (one row
per exercise), and prints a table of points per student and exercise per assignment.
"""

import time

from . import relative
from .autograde import feedback_files, format_table, grade
from .expected import recipe
from .export import default_out, read, write
from .nbgrader_api import build_dir, db_url, directory
from .release import assignments, release
from .submissions import make_submission, standard_submissions


def grades_csv():
    return default_out("canvas", build_dir())


def write_exports(assignment_ids):
    """build/grades.csv (Canvas layout) and build/grades_long.csv of ``assignment_ids``; returns both paths."""
    grades = read(db_url(), assignment_ids)
    return [write(grades, layout, default_out(layout, build_dir())) for layout in ("canvas", "long")]


def run_demo(assignment_ids=None, log=print):
    """Run the whole demo; returns the list of grading results."""
    started = time.perf_counter()
    assignment_ids = assignment_ids or assignments()
    release(assignment_ids, log=log)
    results = []
    for number, assignment in enumerate(assignment_ids, 1):
        cohort = standard_submissions(assignment, recipe(assignment))
        for submission in cohort:
            make_submission(assignment, submission, directory("submitted") / submission.student / assignment)
        elapsed = time.perf_counter() - started
        # Time left: the assignments graded so far, on average, times those still to grade.
        left = "" if number == 1 else \
            f" ({elapsed:.0f} s so far, about {elapsed / (number - 1) * (len(assignment_ids) - number + 1):.0f} s left)"
        log(f"[{number}/{len(assignment_ids)}] {assignment}: grading {len(cohort)} demo submissions{left}")
        results += grade(assignment, [s.student for s in cohort], log=log)
    paths = write_exports(assignment_ids)
    log("")
    log(format_table(results))
    log("")
    failed = [result for result in results if result.error]
    log(f"{len(results)} submissions of {len(assignment_ids)} assignments graded"
        + (f", {len(failed)} FAILED" if failed else "") + f" in {time.perf_counter() - started:.0f} s")
    log(f"  grades (Canvas gradebook layout): {relative(paths[0])}")
    log(f"  grades (one row per exercise):    {relative(paths[1])}")
    log(f"  feedback (HTML): {len(feedback_files(results))} files under {relative(directory('feedback'))}/")
    log(f"  gradebook: {db_url()}")
    log("  other layouts: python -m grading export --format moodle|long|wide")
    return results
