"""Grading a whole cohort: parallel, robust to broken submissions, and decided
outside the student's kernel.

``grade_cohort(...)`` (see :mod:`grading.cohort.coordinator`) is the Python API;
``python -m grading cohort`` is its command line. The pieces, one per concern:

- ``course``: what an assignment expects (graded functions, test cells, cases);
- ``intake``: finding submissions in nbgrader's tree, a folder or a zip, and
  recording every problem so that none is dropped;
- ``repair``: restoring deleted or edited test cells, tolerating copied cells;
- ``sandbox_kernel``: a Jupyter kernel with a memory limit and one BLAS thread;
- ``harvest``: code that runs inside the kernel and stores the learner's
  outputs for the stored inputs (it never sees an expected value);
- ``worker``: executes one submission and decides its grade in the grader's own process;
- ``source_scan``: flags cheating visible in the submitted source;
- ``gradebook``: writes grades into nbgrader's gradebook (SQLite or PostgreSQL);
- ``report``: grades CSV, summary with pass rates, score histogram, feedback HTML.
"""

__all__ = ["grade_cohort", "CohortResult"]


def __getattr__(name):
    # Imported on first use: the kernel launcher (python -m grading.cohort.sandbox_kernel)
    # must not drag the whole grader into every grading kernel.
    if name in __all__:
        from . import coordinator

        return getattr(coordinator, name)
    raise AttributeError(name)
