"""The command lines answer bad arguments with a clear message, not a traceback."""

import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("notebook, pair, says", [
    ("no_such.ipynb", "intro", "no notebook no_such.ipynb"),
    ("deep_nn_application/Deep_Neural_Network_Application.ipynb", "no-such-pair", "no English cell with pair"),
])
def test_accepting_a_translation_of_something_missing_says_what(notebook, pair, says):
    result = run("-m", "grading", "bilingual", "--accept", notebook, pair)
    assert result.returncode == 1 and says in result.stderr and "错误" in result.stderr
    assert "Traceback" not in result.stderr
