"""The command lines answer bad arguments with a clear message, not a traceback."""

import subprocess
import sys

from grading import COURSE_ROOT
from grading.__main__ import main


def run(*args):
    return subprocess.run([sys.executable, *args], cwd=COURSE_ROOT, capture_output=True, text=True, timeout=120)


def test_unknown_assignment(capsys):
    try:
        main(["release", "no_such_assignment"])
    except SystemExit as exit:
        message = str(exit.code)
    assert "unknown assignment 'no_such_assignment'" in message and "没有名为" in message


def test_unknown_command_exits_2():
    result = run("-m", "grading", "frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_bilingual_check_passes_on_the_course():
    result = run("-m", "grading", "bilingual")
    assert result.returncode == 0, result.stdout


def test_run_py_without_a_job_explains_itself():
    result = run("run.py")
    assert result.returncode == 2 and "demo" in result.stdout and "请指定" in result.stdout
