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


@pytest.mark.slow  # a fresh interpreter imports the cohort grader
def test_cohort_with_a_missing_roster_file_says_so(tmp_path):
    result = run("-m", "grading", "cohort", str(tmp_path), "--assignment", "initialization",
                 "--roster", str(tmp_path / "nobody.csv"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said = result.stdout + result.stderr
    assert "cannot read the roster" in said and "无法读取名单文件" in said


@pytest.mark.slow  # a fresh interpreter imports the cohort grader
def test_cohort_of_a_folder_that_does_not_exist(tmp_path):
    result = run("-m", "grading", "cohort", str(tmp_path / "missing"), "--assignment", "initialization")
    assert result.returncode != 0 and "does not exist" in result.stderr and "不存在" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--timeout=0", "--notebook-timeout=-3", "--workers=two", "--memory-mb=0"])
def test_cohort_limits_must_be_positive(tmp_path, flag):
    result = run("-m", "grading", "cohort", str(tmp_path), "--assignment", "initialization", flag)
    assert result.returncode == 2 and "Traceback" not in result.stderr and flag.split("=")[0] in result.stderr


@pytest.mark.slow  # a fresh interpreter imports the cohort grader
def test_grade_of_an_unknown_assignment_is_refused():
    result = run("-m", "grading", "grade", "no_such_assignment")
    assert result.returncode != 0 and "no_such_assignment" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
