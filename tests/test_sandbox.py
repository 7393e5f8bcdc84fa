"""The grading sandbox, tried from inside a graded kernel: a probe cell attempts
each thing a kernel must not do and prints what happened; the attempts must all
fail, the classmate graded beside it must keep its grade and its file, and no
process may outlive the grading."""

import subprocess
import time

import pytest

from cohort_support import ASSIGNMENT, FIXTURES, subset
from conftest import COURSE_ROOT
from grading import cells as C
from grading.cohort import grade_cohort, sandbox
from grading.cohort.course import load_spec
from helpers.errors import CourseError

NOTEBOOK = "Deep_Neural_Network_Step_by_Step.ipynb"
MARKER = "313.25"  # the probe's leftover process sleeps this long: its command line names it


def probe_cell(victim_notebook, grader_pid):
    """A code cell whose every attempt prints 'PROBE <name> result=blocked' or '... result=open'."""
    attempts = {
        "read-course-file": f"open({str(COURSE_ROOT / 'grading' / 'expected.py')!r}).read()",
        "read-hidden-cases": f"open({str(COURSE_ROOT / 'grading' / 'hidden' / (ASSIGNMENT + '.h5'))!r}, 'rb').read()",
        "read-classmate": f"open({str(victim_notebook)!r}).read()",
        "write-classmate": f"open({str(victim_notebook)!r}, 'a').write('x')",
        "read-grader-environ": f"open('/proc/{grader_pid}/environ', 'rb').read() or 1/0",
        "socket-out": "__import__('socket').create_connection(('1.1.1.1', 53), timeout=3)",
        "socket-grader-host": "__import__('socket').create_connection(('127.0.0.1', 22), timeout=3)",
        "write-outside-scratch": "open('/opt/dlcourse/helpers/evil.py', 'w').write('x')",
        "write-task": "open('/task/notebook.ipynb', 'a').write('x')",
        "import-reference": "__import__('helpers.deep_nn')",
        "import-grading": "__import__('grading.expected')",
    }
    lines = ["import os, sys, time"]
    for name, attempt in attempts.items():
        # Printed through %, so the page's copy of this source never reads as a result.
        lines += ["try:", f"    {attempt}", f"    print('PROBE {name} result=%s' % 'open')",
                  "except BaseException:", f"    print('PROBE {name} result=%s' % 'blocked')"]
    # A process that double-forks and leaves its session: it must die with the sandbox.
    lines += ["if os.fork() == 0:", "    os.setsid()", "    if os.fork() == 0:",
              f"        os.execv('/bin/sleep', ['sleep', '{MARKER}'])", "    os._exit(0)", "time.sleep(0.5)",
              "print('PROBE uid=%d' % os.getuid())"]
    cell = C.code("\n".join(lines))
    cell.id = "sandbox-probe"
    return cell, len(attempts)


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    if sandbox.bwrap_path() is None:
        pytest.fail("bubblewrap is not installed: .ci/run installs it (apt-get install bubblewrap)")
    root = tmp_path_factory.mktemp("sandbox")
    submitted = subset(root / "submitted", ["perfect"])
    victim = submitted / "perfect" / ASSIGNMENT / NOTEBOOK
    before = victim.read_bytes()
    nb = C.read(victim)
    cell, attempts = probe_cell(victim, __import__("os").getpid())
    nb.cells.insert(3, cell)
    (submitted / "prober" / ASSIGNMENT).mkdir(parents=True)
    C.write(nb, submitted / "prober" / ASSIGNMENT / NOTEBOOK)
    result = grade_cohort(submitted, out_dir=root / "out", workers=2, cell_timeout=20, progress=False,
                          log=lambda *_: None)
    page = (root / "out" / "feedback" / "prober" / ASSIGNMENT / "feedback.html").read_text(encoding="utf-8")
    return result, page, attempts, victim, before


def test_every_attempt_from_inside_the_kernel_fails(probed):
    _, page, attempts, _, _ = probed
    assert "result=open" not in page
    assert page.count("result=blocked") == attempts


def test_the_kernel_runs_unprivileged(probed):
    import os

    _, page, _, _, _ = probed
    if os.geteuid() == 0:
        assert "PROBE uid=65534" in page


def test_the_classmate_keeps_grade_and_file(probed):
    result, _, _, victim, before = probed
    totals = {row["student"]: row["total"] for row in result.rows}
    assert totals == {"perfect": 100, "prober": 100}
    assert victim.read_bytes() == before
    assert all(row["sandboxed"] for row in result.rows)


def test_no_process_outlives_the_grading(probed):
    time.sleep(1)
    left = subprocess.run(["pgrep", "-f", f"sleep {MARKER}"], capture_output=True, text=True)
    assert left.stdout.strip() == "", f"processes left behind: {left.stdout}"


def test_the_sandbox_holds_only_the_helpers_the_student_version_imports():
    modules = load_spec(ASSIGNMENT).helper_modules
    assert "deep_nn" not in modules and "checker" in modules and "harvest" in modules
    assert "optimization_utils" not in load_spec("initialization").helper_modules  # its He initializer is graded


def test_without_bubblewrap_grading_refuses_in_both_languages(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    with pytest.raises(CourseError) as caught:
        grade_cohort(FIXTURES, out_dir=tmp_path, progress=False, log=lambda *_: None)
    assert "bubblewrap" in caught.value.en and "bubblewrap" in caught.value.zh and "--unsandboxed" in caught.value.en


@pytest.mark.slow
def test_an_explicit_opt_out_marks_every_grade(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    subset(tmp_path / "submitted", ["perfect", "malformed-json"])
    result = grade_cohort(tmp_path / "submitted", out_dir=tmp_path / "out", workers=1, unsandboxed=True,
                          progress=False, log=lambda *_: None)
    assert {row["student"]: row["total"] for row in result.rows} == {"perfect": 100, "malformed-json": 0}
    assert not any(row["sandboxed"] for row in result.rows)
    assert "UNSANDBOXED" in result.summary and "未沙箱化" in result.summary
    assert ",no," in result.paths["csv"].read_text(encoding="utf-8")
