"""Grading one submission: run it in a sandboxed kernel, then decide its grade
in this (the grader's) process.

``grade_submission(task)`` is self-contained and picklable, so it runs the same
way in a local process pool and on a Dask worker on another machine. It never
raises for anything a submission does: every outcome is a SubmissionResult.
The notebook runs in its own sandbox (:mod:`grading.cohort.sandbox`), which holds
the inputs but no expected value; the verdicts are decided here.
"""

import atexit
import base64
import copy
import functools
import io
import shutil
import tempfile
import time
from pathlib import Path

import h5py
import nbformat

from helpers.case_store import read_value
from helpers.checker import PUBLIC_FILE, first_difference
from helpers.harvest import INPUTS

from . import forkserver, pruning, repair, report, sandbox, source_scan
from .results import SubmissionResult

OUTPUT_LIMIT = 200_000  # characters of output kept per cell: a flood of prints must not exhaust the grader
NOTEBOOK_OUTPUT_LIMIT = 2_000_000  # and in all, over every output type
HARVEST_BYTES = 8 * 1024 * 1024  # one function's outputs file, as sent
HARVEST_ARRAY_BYTES = 64 * 1024 * 1024  # what its arrays may unpack to
PHASES = ("prepare", "sandbox_start", "kernel_start", "cells", "harvest", "comparison", "feedback")  # SubmissionResult.phases
START_SECONDS = 60  # on top of the notebook's limit: sandbox and kernel start, harvest


class GradingIncomplete(Exception):
    """The sandbox gave back no result: args are (en, zh)."""


@functools.lru_cache(maxsize=None)
def _staged(assignment, modules):
    """The read-only course view of one assignment, made once per worker process."""
    folder = Path(tempfile.mkdtemp(prefix=f"dlcourse-course-{assignment}-"))
    atexit.register(shutil.rmtree, folder, True)
    return sandbox.stage(modules, folder)


def _wall_seconds(task, spec):
    """The whole sandbox's limit, after which it is killed: the learner's cells' time, that again for
    reruns after a crash (cells that completed are run again), the harvest cells, and the start."""
    from .sandbox_runner import MAX_RUNS

    return (2 * task["notebook_timeout"] + START_SECONDS
            + task["cell_timeout"] * (len(spec.exercises) + MAX_RUNS))


def _check_h5(handle):
    """Refuse what a forged outputs file could do to the grader: links out of the file,
    external or virtual storage, and arrays that unpack to more than HARVEST_ARRAY_BYTES."""
    budget = [HARVEST_ARRAY_BYTES]

    def visit(group):
        if len(group.attrs) > 64:
            raise ValueError("too many attributes")
        for name in group.attrs:
            if h5py.h5a.open(group.id, name.encode()).get_storage_size() > 1_000_000:
                raise ValueError("attribute too large")
        if isinstance(group, h5py.Dataset):
            if group.is_virtual or group.external:
                raise ValueError("external or virtual dataset")
            budget[0] -= group.size * group.dtype.itemsize
            if budget[0] < 0:
                raise ValueError("arrays too large")
            return
        for name in group:
            if not isinstance(group.get(name, getlink=True), h5py.HardLink):
                raise ValueError("a link in the outputs file")
            visit(group[name])

    visit(handle)


def _read_outputs(encoded, function, count):
    """[(output or None, error or None)] per case from the harvest record, or None when nothing was written."""
    text = encoded.get(function)
    if text is None:
        return None
    try:
        if not isinstance(text, str) or len(text) > HARVEST_BYTES * 4 // 3 + 4:
            raise ValueError("outputs file too large")
        with h5py.File(io.BytesIO(base64.b64decode(text, validate=True)), "r") as handle:
            _check_h5(handle)
            if "missing" in handle.attrs:
                return [(None, str(handle.attrs["missing"])[:500])] * count
            results = []
            for number in range(count):
                group = handle.get(f"{number:03d}")
                if group is None:
                    results.append((None, "no output"))
                elif "error" in group.attrs:
                    results.append((None, str(group.attrs["error"])[:500]))
                else:
                    results.append((read_value(group["output"]), None))
            return results
    except Exception as exc:  # a damaged or forged file is a wrong answer
        return [(None, f"unreadable output: {type(exc).__name__}: {str(exc)[:200]}")] * count


@functools.lru_cache(maxsize=None)
def _helper_sources(modules):
    return {name: (sandbox.HELPERS / f"{name}.py").read_text(encoding="utf-8") for name in modules}


def _payload(prepared, spec, options):
    """What the sandbox gets for one submission: the prepared notebook, the inputs (never an
    expected value), the released files a notebook may open (not the stored checks), the helpers."""
    return {"notebook": prepared, "options": options,
            "inputs": base64.b64encode(spec.inputs_file).decode("ascii"),
            "files": {name: base64.b64encode(data).decode("ascii")
                      for name, data in spec.course_files.items() if name != PUBLIC_FILE},
            "helpers": _helper_sources(tuple(spec.helper_modules))}


def _task_folder(payload):
    """The payload as files, for a sandbox of its own: notebook.ipynb, the inputs, files/."""
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-task-"))
    nbformat.write(nbformat.from_dict(payload["notebook"]), str(folder / "notebook.ipynb"))
    (folder / INPUTS).write_bytes(base64.b64decode(payload["inputs"]))
    for name, data in payload["files"].items():
        (folder / "files").mkdir(exist_ok=True)
        (folder / "files" / name).write_bytes(base64.b64decode(data))
    return folder


def _run_in_sandbox(payload, spec, task):
    """The notebook's run: in this worker's fork server, else in a sandbox of its own."""
    wall = _wall_seconds(task, spec)
    if not task.get("unsandboxed"):
        ran = forkserver.run(payload, task["memory_mb"], wall)
        if ran is not None:
            return ran
    task_dir = _task_folder(payload)
    try:
        staged = _staged(spec.assignment, tuple(spec.helper_modules))
        return sandbox.run(staged, task_dir, payload["options"], task["memory_mb"], wall,
                           unsandboxed=bool(task.get("unsandboxed")))
    finally:
        shutil.rmtree(task_dir, ignore_errors=True)


def grade_submission(task):
    """Grade one submission.

    Inputs (task dict): student, assignment, notebook (nbformat JSON dict), notes, spec
    (AssignmentSpec), cell_timeout (s), notebook_timeout (s), memory_mb, feedback (bool),
    unsandboxed (bool).
    Returns: SubmissionResult. It never raises for anything a submission does.
    """
    started = time.perf_counter()
    spec = task["spec"]
    unsandboxed = bool(task.get("unsandboxed"))
    result = SubmissionResult(task["student"], task["assignment"], notes=list(task.get("notes", [])),
                              sandboxed=not unsandboxed)
    executed = None
    try:
        nb = nbformat.from_dict(copy.deepcopy(task["notebook"]))
        prepared, notes = repair.prepare(nb, spec)
        result.notes += notes
        result.findings = _scan(nb, spec)
        result.answers = repair.answer_sources(nb, spec)
        options = {"cell_timeout": task["cell_timeout"], "notebook_timeout": task["notebook_timeout"],
                   "skip_test_cells": True, "prune": pruning.unneeded_cells(prepared, spec.lesson_code),
                   "output_limit": OUTPUT_LIMIT, "notebook_output_limit": NOTEBOOK_OUTPUT_LIMIT}
        payload = _payload(prepared, spec, options)
        result.phases["prepare"] = time.perf_counter() - started
        ran = _run_in_sandbox(payload, spec, task)
        record = ran.record or {}
        _sandbox_phases(result.phases, ran, record)
        harvest = record.get("harvest", {}) if isinstance(record.get("harvest"), dict) else {}
        for note in record.get("notes", [])[:20]:
            if isinstance(note, list) and len(note) == 2:
                result.notes.append((str(note[0])[:500], str(note[1])[:500]))
        if ran.problem and ran.record is None and not ran.timed_out:
            # No record at all: the sandbox failed, or the notebook broke its runner. A person must look.
            raise GradingIncomplete(*ran.problem)
        if ran.problem:
            result.notes.append(ran.problem)
        mark = time.perf_counter()
        _decide(result, spec, harvest, fallback=ran.problem)
        result.phases["comparison"] = time.perf_counter() - mark
        if record.get("notebook"):
            try:
                executed = nbformat.from_dict(record["notebook"])
                executed.cells = [cell for cell in executed.cells if not repair.is_harvest_cell(cell)]
            except Exception:  # a forged notebook: the feedback page goes without it
                executed = None
    except GradingIncomplete as exc:
        result.error = exc.args
        for exercise in spec.exercises:
            result.scores.setdefault(exercise.function, 0.0)
    except Exception as exc:  # the grader's own failure: recorded, never lost
        result.error = (f"grading failed: {type(exc).__name__}: {exc}", f"评分失败：{type(exc).__name__}：{exc}")
        for exercise in spec.exercises:
            result.scores.setdefault(exercise.function, 0.0)
    if task.get("feedback", True):
        mark = time.perf_counter()
        try:
            result.feedback_html = report.feedback_html(result, spec, executed)
        except Exception as exc:  # feedback is a courtesy; its failure must not lose the grade
            result.notes.append((f"no feedback page: {exc}", f"未能生成反馈页面：{exc}"))
        result.phases["feedback"] = time.perf_counter() - mark
    result.findings = [(f.kind, f.function, f.en, f.zh, f.disqualifying) for f in result.findings]
    result.seconds = time.perf_counter() - started
    return result


def _sandbox_phases(phases, ran, record):
    """Split the sandbox's wall time into start (bubblewrap, interpreter, teardown), kernel start
    (the runner's imports and the kernel), cells and harvest, from the runner's own clock."""
    times = record.get("times") if isinstance(record.get("times"), dict) else {}
    try:
        inside = {key: max(0.0, float(times.get(key, 0.0))) for key in ("runner", "cells", "harvest")}
    except (TypeError, ValueError):  # the record is the sandbox's word, not the grader's
        inside = {"runner": 0.0, "cells": 0.0, "harvest": 0.0}
    runner = min(inside["runner"], ran.seconds)
    phases["sandbox_start"] = ran.seconds - runner
    phases["cells"] = min(inside["cells"], runner)
    phases["harvest"] = min(inside["harvest"], runner - phases["cells"])
    phases["kernel_start"] = runner - phases["cells"] - phases["harvest"]


def _scan(nb, spec):
    tests = {exercise.test_id for exercise in spec.exercises}
    cells, editable = [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            continue
        if grade_id in spec.functions or cell.source.strip() not in spec.given_code:
            editable.append(len(cells))
        cells.append((grade_id, cell.source))
    return source_scan.scan(cells, set(spec.functions), editable)


def _decide(result, spec, harvest, fallback=None):
    """Compare harvested outputs with the expected values; apply disqualifying findings.

    A failed hidden case is explained without its inputs or expected numbers.
    """
    disqualified = {}
    for finding in result.findings:
        if finding.disqualifying:
            disqualified.setdefault(finding.function, (finding.en, finding.zh))
    for exercise in spec.exercises:
        cases = spec.cases[exercise.function]
        outputs = _read_outputs(harvest, exercise.function, len(cases))
        reason = None
        if outputs is None:
            reason = fallback or ("the function could not be run to the end (see the notebook's errors).",
                                  "函数没能运行完成（见 notebook 中的报错）。")
        else:
            for number, (case, (output, error)) in enumerate(zip(cases, outputs, strict=True), start=1):
                public = case["suite"] == "public"
                label = f"public case {case['name']}" if public else f"hidden case {number - _public_count(cases)}"
                label_zh = f"公开用例 {case['name']}" if public else f"隐藏用例 {number - _public_count(cases)}"
                if error is not None:
                    # A hidden case's error text could carry its inputs (the learner's code can
                    # put them in a message): only the exception's type is shown.
                    kind = error.split(":")[0][:80]
                    wrong = (f"{label}: {error}", f"{label_zh}：{error}") if public else \
                        (f"{label}: your function failed ({kind}).", f"{label_zh}：你的函数运行出错（{kind}）。")
                else:
                    diff = first_difference(output, case["expected"])
                    if diff is None:
                        wrong = None
                    elif public:
                        wrong = (f"{label}: {diff.en}", f"{label_zh}：{diff.zh}")
                    else:
                        en, zh = _redacted(diff)
                        wrong = (f"{label}: {en}", f"{label_zh}：{zh}")
                if wrong:
                    reason = wrong
                    break
        if exercise.function in disqualified:
            reason = disqualified[exercise.function]
        result.scores[exercise.function] = 0.0 if reason else exercise.points
        if reason:
            result.reasons[exercise.function] = reason


def _public_count(cases):
    return sum(1 for case in cases if case["suite"] == "public")


def _redacted(diff):
    """(en, zh) explanation of a hidden case's difference without its numbers (the checker's own wording)."""
    from helpers import checker

    if hasattr(checker, "redacted"):
        return checker.redacted(diff)
    where = diff.where
    return (f"{where} is wrong ({diff.kind}).", f"{where} 不对（{diff.kind}）。")
