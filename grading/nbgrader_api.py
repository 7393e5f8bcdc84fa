"""One place that loads the course's nbgrader configuration and API."""

import os
import sys
import warnings

from . import COURSE_ROOT


def _ensure_tools_on_path():
    # nbgrader runs `alembic` as a subprocess; it lives next to this Python.
    bin_dir = os.path.dirname(sys.executable)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def load_config():
    """The traitlets Config of nbgrader_config.py at the course root.

    Read afresh on every call (it is small): DLCOURSE_BUILD_DIR and DLCOURSE_DB_URL
    may change between calls, for example when a cohort is graded into another database.
    """
    from traitlets.config.loader import PyFileConfigLoader

    _ensure_tools_on_path()
    # nbgrader's own SQLAlchemy use triggers this harmless warning on every submission.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    return PyFileConfigLoader("nbgrader_config.py", path=str(COURSE_ROOT)).load_config()


def api():
    """A fresh NbGraderAPI bound to the course directory."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config()
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def db_url():
    return load_config().CourseDirectory.db_url


def directory(kind):
    """Absolute path of an nbgrader folder: "release", "submitted", "autograded", "feedback"."""
    config = load_config().CourseDirectory
    return COURSE_ROOT / getattr(config, f"{kind}_directory")


def build_dir():
    """The folder everything generated goes to (build/, or $DLCOURSE_BUILD_DIR)."""
    return directory("release").parent
