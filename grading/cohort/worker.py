"""Grading one submission: run it in a sandboxed kernel, then decide its grade
in this (the grader's) process.

``grade_submission(task)`` is self-contained and picklable, so it runs the same
way in a local process pool and on a Dask worker on another machine. It never
raises for anything a submission does: every outcome is a result dict.
"""

import asyncio
import copy
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import h5py
import nbformat

from helpers.case_store import read_value, write_value
from helpers.checker import first_difference
from . import repair, report, sandbox_kernel, source_scan
from helpers.harvest import INPUTS, OUTPUTS

OUTPUT_LIMIT = 200_000  # characters of output kept per cell: a flood of prints must not exhaust the grader
MAX_RESTARTS = 3
# Variables a kernel must not see: where grades go, and the course offering's secret.
PRIVATE_ENV = ("DLCOURSE_DB_URL", "DLCOURSE_SECRET", "DLCOURSE_HIDDEN_DIR", "DLCOURSE_BUILD_DIR")


def _client_class():
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """Keeps at most OUTPUT_LIMIT characters of output per cell, then one note."""

        def output(self, outs, msg, display_id, cell_index):
            sizes = self.__dict__.setdefault("_dlcourse_sizes", {})
            content = msg.get("content", {})
            sizes[cell_index] = sizes.get(cell_index, 0) + len(str(content.get("text", ""))) + len(str(content.get("data", "")))
            if sizes[cell_index] <= OUTPUT_LIMIT:
                return super().output(outs, msg, display_id, cell_index)
            if sizes.setdefault(("noted", cell_index), False) is False:
                sizes[("noted", cell_index)] = True
                outs.append(nbformat.v4.new_output(
                    "stream", name="stdout", text="\n[output truncated by the grader / 输出过长，已被评分程序截断]\n"))
            return None

    return CappedClient


def _execute(nb, workdir, cell_timeout, kernel_dir, skip):
    """Run ``nb`` once, skipping cells in ``skip``; return the index of a cell that killed the kernel, or None."""
    from nbclient.exceptions import DeadKernelError

    client = _client_class()(
        nb, timeout=cell_timeout, kernel_name=sandbox_kernel.KERNEL_NAME, allow_errors=True,
        interrupt_on_timeout=True, record_timing=False,
        error_on_timeout={"ename": "CellTimeoutError",
                          "evalue": f"the cell ran longer than {cell_timeout} s and was stopped / 单元格运行超过 {cell_timeout} 秒，已被终止",
                          "traceback": []},
        resources={"metadata": {"path": str(workdir)}},
    )
    # The kernel spec is looked up in this process's JUPYTER_PATH.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(kernel_dir), os.environ.get("JUPYTER_PATH")]))
    env = {key: value for key, value in os.environ.items() if key not in PRIVATE_ENV}
    env.update(sandbox_kernel.BLAS_THREADS)
    current = None
    try:
        # The kernel process's own stdout/stderr carry only its start-up chatter; what the
        # student's code prints arrives through Jupyter messages.
        with client.setup_kernel(env=env, cwd=str(workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                if index in skip or cell.cell_type != "code":
                    continue
                current = index
                client.execute_cell(cell, index)
    except DeadKernelError:
        return current
    except (RuntimeError, asyncio.TimeoutError) as exc:  # kernel failed to start or to answer
        if current is None:
            raise RuntimeError(f"the grading kernel did not start: {exc}") from exc
        return current
    return None


def _write_inputs(path, spec):
    with h5py.File(path, "w") as handle:
        for function, cases in spec.cases.items():
            group = handle.create_group(function)
            for number, case in enumerate(cases):
                write_value(group, f"{number:03d}", case["inputs"])


def _read_outputs(folder, function, count):
    """[(output or None, error or None)] per case, or a single reason when nothing was written."""
    path = folder / OUTPUTS / f"{function}.h5"
    if not path.is_file():
        return None
    try:
        with h5py.File(path, "r") as handle:
            if "missing" in handle.attrs:
                return [(None, str(handle.attrs["missing"]))] * count
            results = []
            for number in range(count):
                group = handle.get(f"{number:03d}")
                if group is None:
                    results.append((None, "no output"))
                elif "error" in group.attrs:
                    results.append((None, str(group.attrs["error"])))
                else:
                    results.append((read_value(group["output"]), None))
            return results
    except Exception as exc:  # a damaged or forged file is a wrong answer
        return [(None, f"unreadable output: {exc}")] * count


def _in_kernel_verdicts(nb, spec):
    """{function: True/False/None}: did the public test cell run without error in the kernel?"""
    verdict = {}
    ids = {exercise.test_id: exercise.function for exercise in spec.exercises}
    for cell in nb.cells:
        function = ids.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if function and cell.cell_type == "code":
            ran = bool(cell.get("outputs")) or cell.get("execution_count") is not None
            failed = any(out.get("output_type") == "error" for out in cell.get("outputs", []))
            verdict[function] = (not failed) if ran else None
    return verdict


def grade_submission(task):
    """Grade one submission.

    Inputs (task dict): student, assignment, notebook (nbformat JSON dict), notes, spec
    (AssignmentSpec), cell_timeout (s), memory_mb, feedback (bool).
    Returns: dict with scores {function: points}, reasons {function: (en, zh)},
    findings [(kind, function, en, zh, disqualifying)], in_kernel {function: bool},
    disagreements [function], notes [(en, zh)], error (None or (en, zh)), seconds,
    feedback_html (str).
    """
    started = time.perf_counter()
    spec = task["spec"]
    result = {"student": task["student"], "assignment": task["assignment"], "scores": {}, "reasons": {},
              "findings": [], "in_kernel": {}, "disagreements": [], "notes": list(task.get("notes", [])),
              "error": None, "executed": None}
    workdir = Path(tempfile.mkdtemp(prefix="dlcourse-grade-"))
    kernel_dir = sandbox_kernel.register(task["memory_mb"])
    try:
        nb = nbformat.from_dict(copy.deepcopy(task["notebook"]))
        prepared, notes = repair.prepare(nb, spec)
        result["notes"] += notes
        result["findings"] = _scan(nb, spec)
        for name, data in spec.course_files.items():
            (workdir / name).write_bytes(data)
        _write_inputs(workdir / INPUTS, spec)
        skip = set()
        for _ in range(MAX_RESTARTS + 1):
            run = copy.deepcopy(prepared)
            shutil.rmtree(workdir / OUTPUTS, ignore_errors=True)
            crashed = _execute(run, workdir, task["cell_timeout"], kernel_dir, skip)
            if crashed is None:
                break
            skip.add(crashed)
            result["notes"].append((f"the kernel died in cell {crashed} (for example os._exit or running out of memory); "
                                    f"the notebook was run again without that cell.",
                                    f"内核在第 {crashed} 个单元格中崩溃（例如调用了 os._exit 或内存耗尽）；"
                                    f"已跳过该单元格重新运行。"))
        result["in_kernel"] = _in_kernel_verdicts(run, spec)
        _decide(result, spec, workdir)
        run.cells = [cell for cell in run.cells if not repair.is_harvest_cell(cell)]
        result["executed"] = run
    except Exception as exc:  # the grader's own failure: recorded, never lost
        result["error"] = (f"grading failed: {type(exc).__name__}: {exc}", f"评分失败：{type(exc).__name__}：{exc}")
        for exercise in spec.exercises:
            result["scores"].setdefault(exercise.function, 0.0)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(kernel_dir, ignore_errors=True)
    if task.get("feedback", True):
        try:
            result["feedback_html"] = report.feedback_html(result, spec)
        except Exception as exc:  # feedback is a courtesy; its failure must not lose the grade
            result["notes"].append((f"no feedback page: {exc}", f"未能生成反馈页面：{exc}"))
    result["executed"] = None  # large; the feedback page carries what the student needs
    result["findings"] = [(f.kind, f.function, f.en, f.zh, f.disqualifying) for f in result["findings"]]
    result["seconds"] = time.perf_counter() - started
    return result


def _scan(nb, spec):
    source_given = {cell.source.strip() for cell in spec.source_cells if cell.cell_type == "code"}
    tests = {exercise.test_id for exercise in spec.exercises}
    cells, editable = [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            continue
        if grade_id in spec.functions or cell.source.strip() not in source_given:
            editable.append(len(cells))
        cells.append((grade_id, cell.source))
    return source_scan.scan(cells, set(spec.functions), editable)


def _decide(result, spec, workdir):
    """Compare harvested outputs with the expected values; apply disqualifying findings."""
    disqualified = {}
    for finding in result["findings"]:
        if finding.disqualifying:
            disqualified.setdefault(finding.function, (finding.en, finding.zh))
    for exercise in spec.exercises:
        cases = spec.cases[exercise.function]
        outputs = _read_outputs(workdir, exercise.function, len(cases))
        reason = None
        public_ok = True
        if outputs is None:
            reason = ("the function could not be run to the end (see the notebook's errors).",
                      "函数没能运行完成（见 notebook 中的报错）。")
            public_ok = False
        else:
            for case, (output, error) in zip(cases, outputs):
                label = "public" if case["suite"] == "public" else "hidden"
                label_zh = "公开" if case["suite"] == "public" else "隐藏"
                if error is not None:
                    wrong = (f"{label} case {case['name']}: {error}", f"{label_zh}用例 {case['name']}：{error}")
                else:
                    diff = first_difference(output, case["expected"])
                    wrong = None if diff is None else (f"{label} case {case['name']}: {diff.en}",
                                                       f"{label_zh}用例 {case['name']}：{diff.zh}")
                if wrong:
                    public_ok = public_ok and case["suite"] != "public"
                    reason = reason or wrong
        in_kernel = result["in_kernel"].get(exercise.function)
        if in_kernel is not None and in_kernel != public_ok:
            result["disagreements"].append(exercise.function)
        if reason is None and in_kernel is False:
            # A test cell may assert more than the stored cases (gradient_check's does); a
            # failing test cell can only cost the student points, never earn them.
            reason = ("the test cell failed when the notebook ran (see its error).",
                      "运行 notebook 时该练习的测试单元格没有通过（见其报错）。")
        if exercise.function in disqualified:
            reason = disqualified[exercise.function]
        result["scores"][exercise.function] = 0.0 if reason else exercise.points
        if reason:
            result["reasons"][exercise.function] = reason
