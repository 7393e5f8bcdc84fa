"""The main job: release the course, grade the bundled demo cohort, report.

``python -m grading demo`` builds the student versions of every assignment,
writes the demo submissions (perfect, blank, English-only, Chinese-only and
typical mistakes) into build/submitted/, auto-grades them with nbgrader into
the SQLite gradebook, writes HTML feedback and build/grades.csv, and prints a
table of points per student and per exercise.
"""

import time

from . import relative
from .autograde import feedback_files, format_table, grade, write_csv
from .expected import recipe
from .nbgrader_api import build_dir, db_url, directory
from .release import assignments, release
from .submissions import make_submission, standard_submissions



def grades_csv():
    return build_dir() / "grades.csv"


def run_demo(assignment_ids=None, log=print):
    """Run the whole demo; returns the list of grading results."""
    started = time.perf_counter()
    assignment_ids = assignment_ids or assignments()
    release(assignment_ids, log=log)
    results = []
    for assignment in assignment_ids:
        cohort = standard_submissions(assignment, recipe(assignment))
        for submission in cohort:
            make_submission(assignment, submission, directory("submitted") / submission.student / assignment)
        log(f"{assignment}: {len(cohort)} demo submissions: " + "; ".join(
            f"{s.student} ({s.story[0]})" for s in cohort))
        results += grade(assignment, [s.student for s in cohort], log=log)
    write_csv(results, grades_csv())
    log("")
    log(format_table(results))
    log("")
    log(f"grades CSV: {relative(grades_csv())}")
    log(f"feedback (HTML): {len(feedback_files(results))} files under {relative(directory('feedback'))}/")
    log(f"gradebook: {db_url()}")
    log(f"done in {time.perf_counter() - started:.1f} s")
    return results
