"""Writing grades into nbgrader's gradebook (SQLite by default, PostgreSQL by URL).

Each submission gets one row per graded cell. A submission that could not be
graded gets zeros and its reason in the comment of its first answer cell, so
the gradebook holds one row per submission, always.
"""

import contextlib
import warnings

from nbgrader.api import Gradebook, MissingEntry


def record(db_url, assignment, notebook, spec, results):
    """Store ``results`` (SubmissionResult) of ``assignment``; returns the number stored.

    All of them go in one transaction; if the database refuses it, each submission is
    stored in a transaction of its own, so that one bad row costs no other grade."""
    notebook_id = notebook.rsplit(".", 1)[0]
    with Gradebook(db_url) as gradebook, warnings.catch_warnings():
        # nbgrader's add_submission builds rows that SQLAlchemy's autoflush warns about
        # ("... not in session"), once per submission; the rows are stored all the same.
        warnings.filterwarnings("ignore", message=".*not in session.*")
        try:
            with _one_transaction(gradebook):
                for result in results:
                    _store(gradebook, assignment, notebook_id, spec, result)
        except Exception:
            for result in results:
                _store(gradebook, assignment, notebook_id, spec, result)
                gradebook.db.commit()
    return len(results)


@contextlib.contextmanager
def _one_transaction(gradebook):
    """nbgrader's Gradebook commits inside nearly every call (a disk sync each on SQLite);
    within this block those commits only flush, and the block commits once at its end or
    rolls everything back."""
    session = gradebook.db
    commit = session.commit
    session.commit = session.flush
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    finally:
        del session.commit
    commit()


def _store(gradebook, assignment, notebook_id, spec, result):
    """One submission's rows: a fresh submission (an earlier one of the same student is
    replaced), its auto scores, and the reasons in the first answer cell's comment."""
    gradebook.update_or_create_student(result.student)
    try:
        gradebook.remove_submission(assignment, result.student)
    except MissingEntry:
        pass
    gradebook.add_submission(assignment, result.student)
    for exercise in spec.exercises:
        grade = gradebook.find_grade(exercise.test_id, notebook_id, assignment, result.student)
        grade.auto_score = float(result.scores.get(exercise.function, 0.0))
        grade.needs_manual_grade = False
    comment_text = _comment(result)
    if comment_text and spec.exercises:
        comment = gradebook.find_comment(spec.exercises[0].function, notebook_id, assignment, result.student)
        comment.auto_comment = comment_text


def _comment(result):
    lines = []
    if result.error:
        lines.append(" / ".join(result.error))
    for function, reason in result.reasons.items():
        lines.append(f"{function}: {reason[0]} / {reason[1]}")
    return "\n".join(lines)


def count_submissions(db_url, assignment):
    """Number of submissions of ``assignment`` in the gradebook."""
    with Gradebook(db_url) as gradebook:
        return len(gradebook.find_assignment(assignment).submissions)


def total_scores(db_url, assignment):
    """{student: total auto score} of ``assignment`` read back from the gradebook."""
    with Gradebook(db_url) as gradebook:
        return {submission.student.id: submission.score for submission in gradebook.find_assignment(assignment).submissions}


def roster(db_url):
    """The student ids the gradebook already knows (as imported with ``nbgrader db student import``)."""
    with Gradebook(db_url) as gradebook:
        return {student.id for student in gradebook.students}
