"""Grading a whole cohort: parallel, robust to broken submissions, every notebook
in its own operating-system sandbox, and decided outside the student's kernel.

``grade_cohort(...)`` (see :mod:`grading.cohort.coordinator`) is the Python API;
``python -m grading cohort`` is its command line. The pieces, one per concern:

- ``course``: what an assignment expects (graded functions, test cells, cases,
  the helper modules its student version imports);
- ``intake``: finding submissions in nbgrader's tree, a folder or a zip, and
  recording every problem so that none is dropped;
- ``repair``: restoring deleted or edited test cells, tolerating copied cells;
- ``sandbox``: one bubblewrap sandbox per submission (no network, own PID
  namespace, unprivileged, a read-only view of Python and of the assignment's
  own helpers, a size-capped scratch folder);
- ``sandbox_runner``: the script that runs inside it, executes the notebook and
  hands back the harvested outputs (``helpers.harvest`` runs in the kernel);
- ``worker``: grades one submission: sandboxed run, then verdicts in the grader's process;
- ``results``: ``SubmissionResult``, the record the worker, report and gradebook share;
- ``source_scan``: flags cheating visible in the submitted source (a signal, not the defense);
- ``similarity``: pairs of near-identical answer cells (reported, never scored);
- ``gradebook``: writes grades into nbgrader's gradebook (SQLite or PostgreSQL);
- ``report``: grades CSV, summary with pass rates, score histogram, feedback HTML.
"""

__all__ = ["grade_cohort", "CohortResult"]


def __getattr__(name):
    # Imported on first use, so that importing one piece does not load the whole grader.
    if name in __all__:
        from . import coordinator

        return getattr(coordinator, name)
    raise AttributeError(name)
