"""nbgrader configuration of the course.

Source notebooks live in notebooks/<assignment>/; everything nbgrader makes
(student versions, submissions, grades, feedback, the gradebook) goes under
build/, which git ignores. Paths are absolute so nbgrader works from any folder.
"""

import os

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

ROOT = os.path.dirname(os.path.abspath(__file__))
# Everything generated goes to one folder; tests point DLCOURSE_BUILD_DIR at a temporary one.
BUILD = os.path.abspath(os.environ.get("DLCOURSE_BUILD_DIR") or os.path.join(ROOT, "build"))

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

# The stub a student sees in place of a solution: bilingual, like every learner-facing line.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE / 在这里写你的代码\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True

# A per-cell time limit, so an endless loop cannot stall grading.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
