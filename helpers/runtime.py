"""Where a notebook is running, so long cells can shorten themselves when graded."""

import os


def under_nbgrader():
    """True while nbgrader executes the notebook (autograde or validate).

    nbgrader sets NBGRADER_EXECUTION in the kernel's environment. Notebooks use
    this to shorten or skip long training cells that no test cell depends on,
    so grading one submission stays within seconds.
    """
    return bool(os.environ.get("NBGRADER_EXECUTION"))
