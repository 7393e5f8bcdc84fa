"""nbgrader configuration of the course (the instructor's; see README, "On a JupyterHub").

Source notebooks live in notebooks/<assignment>/; everything nbgrader makes
(student versions, submissions, grades, feedback, the gradebook, the exchange,
`nbgrader export`'s CSV) goes under build/, which git ignores and which this file
creates, so that every nbgrader command works on a fresh clone. Paths are absolute
so nbgrader works from any folder.

Environment variables:
  DLCOURSE_BUILD_DIR  another folder instead of build/ (the tests use a temporary one);
  DLCOURSE_DB_URL     another gradebook than build/gradebook.db (for example PostgreSQL);
  DLCOURSE_EXCHANGE   the exchange folder of nbgrader's release/fetch/submit/collect. The
                      default, build/exchange, serves one machine (an instructor trying the
                      cycle out); on a JupyterHub it is the folder every user can reach,
                      usually /srv/nbgrader/exchange, created by the administrator.
"""

import os
import sys

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

ROOT = os.path.dirname(os.path.abspath(__file__))
# Everything generated goes to one folder; tests point DLCOURSE_BUILD_DIR at a temporary one.
BUILD = os.path.abspath(os.environ.get("DLCOURSE_BUILD_DIR") or os.path.join(ROOT, "build"))
# nbgrader opens the SQLite gradebook before it makes any folder of its own.
os.makedirs(BUILD, exist_ok=True)

c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.release_directory = os.path.join(BUILD, "release")
c.CourseDirectory.submitted_directory = os.path.join(BUILD, "submitted")
c.CourseDirectory.autograded_directory = os.path.join(BUILD, "autograded")
c.CourseDirectory.feedback_directory = os.path.join(BUILD, "feedback")
# SQLite by default; set DLCOURSE_DB_URL for another database (for example PostgreSQL).
c.CourseDirectory.db_url = os.environ.get("DLCOURSE_DB_URL") or "sqlite:///" + os.path.join(BUILD, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# nbgrader's exchange must exist before release_assignment; the course-local one is made here,
# a shared one (DLCOURSE_EXCHANGE) by the administrator, writable by every user.
SHARED_EXCHANGE = os.environ.get("DLCOURSE_EXCHANGE")
EXCHANGE = os.path.abspath(SHARED_EXCHANGE or os.path.join(BUILD, "exchange"))
if not SHARED_EXCHANGE:
    os.makedirs(EXCHANGE, exist_ok=True)
c.Exchange.root = EXCHANGE
# `nbgrader export` writes here instead of the working folder. The course's own exports
# (LMS gradebooks, a long table) are `python -m grading export`.
c.ExportPlugin.to = os.path.join(BUILD, "nbgrader_grades.csv")

# The stub a student sees in place of a solution: bilingual, like every learner-facing line.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE / 在这里写你的代码\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True

# A per-cell time limit, so an endless loop cannot stall grading.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
# Encrypted kernel channels (CurveZMQ) when the kernel supports them: ipykernel then does not
# warn, once per graded notebook, that it runs "over TCP without encryption".
c.KernelManager.transport_encryption = "auto"

# Feedback shows no hidden test and renders its formulas offline, also from `nbgrader
# generate_feedback` and the formgrader (grading.autograde.feedback_config says how).
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
from grading.autograde import feedback_config  # noqa: E402

c.merge(feedback_config())
