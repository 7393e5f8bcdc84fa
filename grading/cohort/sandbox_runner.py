"""Runs inside the grading sandbox: executes one prepared notebook and prints one record.

This file is copied into the sandbox and started as a script; it imports
nothing of the course but what the kernel itself uses (the harvest cells import
``helpers.harvest``). It reads ``<task>/notebook.ipynb``, ``<task>/harvest_inputs.h5``
and ``<task>/options.json``, works in ``<scratch>/work``, and writes to stdout
the line ``DLCOURSE-RESULT-1`` followed by one JSON object:

    {"notebook": executed notebook, "harvest": {function: base64 of its outputs file},
     "notes": [[en, zh], ...]}

Nothing here decides a grade: the grader reads this record with size caps and
compares the outputs with expected values the sandbox never holds. Limits:

- ``cell_timeout`` per cell: the cell is interrupted (SIGINT); a kernel that
  does not come back within INTERRUPT_GRACE is killed and the notebook run
  again without that cell. ``notebook_timeout`` for the learner's cells in all
  (a cell run again after a crash is not charged twice): a cell running when
  the time is used up is interrupted, later ones are skipped, and the harvest
  still runs;
- ``output_limit`` characters of output per cell and ``notebook_output_limit``
  in all, counted over every output type (streams, errors, display data and
  display updates);
- a cell that kills the kernel (``os._exit``, memory) is skipped in a rerun;
  ``exit()`` and ``quit()`` raise an error in their own cell instead of stopping
  the kernel.
"""

import argparse
import base64
import json
import os
import shutil
import stat
import sys
import time
from pathlib import Path

# jsonschema, which nbformat imports, builds an IRI grammar at import when rfc3987_syntax is
# installed (0.8 s of every submission); notebooks never validate an "iri" format, so the
# optional module is marked absent and jsonschema leaves that check out.
sys.modules.setdefault("rfc3987_syntax", None)

STARTED = time.monotonic()
MAGIC = "DLCOURSE-RESULT-1"
HARVEST_KEY = "dlcourse_harvest"
HARVEST_FILE_LIMIT = 8 * 1024 * 1024
MAX_RUNS = 6
INTERRUPT_GRACE = 5  # seconds a kernel has to come back after its cell was interrupted

NO_EXIT = '''
class GraderExitRefused(Exception):
    """exit() and quit() would stop the kernel in the middle of grading."""


def _refuse_exit(*args, **kwargs):
    raise GraderExitRefused("exit() / quit() is not allowed while grading; remove it from the notebook. "
                            "评分时不允许调用 exit() / quit()，请把它从 notebook 中删去。")


exit = quit = _refuse_exit
del _refuse_exit
'''


def _note(en, zh):
    return [en, zh]


def _client_class(options, notes):
    from nbclient import NotebookClient
    from nbformat.v4 import new_output

    per_cell = options["output_limit"]
    in_all = options["notebook_output_limit"]

    class GradingClient(NotebookClient):
        """Caps every kind of output, per cell and in all."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.sizes, self.total, self.truncated = {}, 0, set()
            self.timed_out = False

        async def _async_handle_timeout(self, timeout, cell=None):
            self.timed_out = True
            return await super()._async_handle_timeout(timeout, cell)

        def process_message(self, msg, cell, cell_index):
            kind = msg.get("msg_type")
            if kind in ("stream", "display_data", "execute_result", "update_display_data", "error"):
                content = msg.get("content", {})
                if kind == "error":  # keep the error itself, shortened
                    content["evalue"] = str(content.get("evalue", ""))[:2000]
                    content["traceback"] = [str(line)[:2000] for line in content.get("traceback", [])[-20:]]
                size = len(json.dumps(content, default=str))
                used = self.sizes.get(cell_index, 0)
                if kind != "error" and (used + size > per_cell or self.total + size > in_all):
                    if cell_index not in self.truncated:
                        self.truncated.add(cell_index)
                        cell.outputs.append(new_output(
                            "stream", name="stdout",
                            text="\n[output truncated by the grader / 输出过长，已被评分程序截断]\n"))
                    return None
                self.sizes[cell_index] = used + size
                self.total += size
            return super().process_message(msg, cell, cell_index)

    return GradingClient


class Budget:
    """The learner's cells' time: ``seconds`` in all, ``spent`` so far, and the cells that
    completed once (a rerun after a crash runs them again without charging them twice)."""

    def __init__(self, seconds):
        self.seconds, self.spent, self.completed = seconds, 0.0, set()


TIMES = {"kernel_start": 0.0, "cells": 0.0, "harvest": 0.0}  # seconds, summed over runs


def _execute(nb, workdir, options, skip, budget, notes):
    """Run ``nb`` once, skipping cells in ``skip``; return (index of a cell to skip next time, why) or None."""
    import nbformat
    from nbclient.exceptions import DeadKernelError

    client = _client_class(options, notes)(
        nb, timeout=options["cell_timeout"], kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
        record_timing=False, resources={"metadata": {"path": str(workdir)}}, iopub_timeout=2,
        shutdown_kernel="immediate",  # the sandbox is thrown away; a polite shutdown only costs time
        error_on_timeout={"ename": "CellTimeoutError", "evalue": "timeout", "traceback": []},
    )
    current = None
    out_of_time = False
    mark = time.monotonic()
    try:
        with client.setup_kernel(cwd=str(workdir), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")):
            TIMES["kernel_start"] += time.monotonic() - mark
            for index, cell in enumerate(nb.cells):
                if index in skip or cell.cell_type != "code":
                    continue
                harvest = HARVEST_KEY in cell.metadata
                if options.get("skip_test_cells") and cell.metadata.get("nbgrader", {}).get("grade"):
                    continue  # decided by the grader from the harvest; the checks' data is not here
                again = index in budget.completed  # a rerun: finished once already, not charged twice
                left = budget.seconds - budget.spent
                if not harvest and not again and left <= 0:
                    out_of_time = True
                    continue
                current = index
                client.timeout = options["cell_timeout"] if harvest or again else \
                    max(1, min(options["cell_timeout"], int(left + 0.999)))
                client.timed_out = False
                began = time.monotonic()
                client.execute_cell(cell, index)
                TIMES["harvest" if harvest else "cells"] += time.monotonic() - began
                if not harvest and not again:
                    budget.spent += time.monotonic() - began
                if not client.timed_out:
                    budget.completed.add(index)
                if client.timed_out:
                    cell.outputs.append(nbformat.v4.new_output(
                        "error", ename="CellTimeoutError", traceback=[],
                        evalue=f"the cell ran longer than {client.timeout} s and was stopped / 单元格运行超过 {client.timeout} 秒，已被终止"))
                if client.timed_out and not _responsive(client, INTERRUPT_GRACE):
                    # The cell ignored the interrupt: start afresh without it.
                    return index, "timeout"
    except DeadKernelError:
        # Blamed on the cell that was running: exit() and quit(), which stop the kernel only
        # after their cell has replied, are refused by the startup file instead.
        return current, "died"
    except RuntimeError as exc:  # the kernel did not start or stopped answering
        if current is None:
            raise
        return current, "died"
    finally:
        if out_of_time:
            notes.append(_note(f"the notebook used up its {options['notebook_timeout']} s; the cells after that were not run.",
                               f"notebook 用完了 {options['notebook_timeout']} 秒的时间，之后的单元格没有运行。"))
    return None


def _responsive(client, grace):
    """Does the kernel answer within ``grace`` seconds, now that its cell was interrupted?"""
    from queue import Empty

    from nbclient.util import run_sync

    async def probe():
        msg_id = client.kc.kernel_info()
        end = time.monotonic() + grace
        while time.monotonic() < end:
            try:
                msg = await client.kc.shell_channel.get_msg(timeout=max(0.1, end - time.monotonic()))
            except Empty:
                return False
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False

    return run_sync(probe)()


def _read_harvest(folder):
    """{function: base64 text} of the regular, not too large files the harvest wrote."""
    out = {}
    if not folder.is_dir() or folder.is_symlink():
        return out
    for path in sorted(folder.iterdir()):
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > HARVEST_FILE_LIMIT or path.suffix != ".h5":
            continue
        out[path.stem] = base64.b64encode(path.read_bytes()).decode("ascii")
    return out


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", required=True)
    parser.add_argument("--scratch", required=True)
    args = parser.parse_args(argv)
    import nbformat

    task, scratch = Path(args.task), Path(args.scratch)
    options = json.loads((task / "options.json").read_text(encoding="utf-8"))
    for name in ("work", "tmp", ".mpl", ".ipython/profile_default/startup"):
        (scratch / name).mkdir(parents=True, exist_ok=True)
    fonts = Path(__file__).with_name("mpl")
    if fonts.is_dir():
        for cache in fonts.glob("*.json"):
            shutil.copy(cache, scratch / ".mpl" / cache.name)
    (scratch / ".ipython/profile_default/startup/00-grader.py").write_text(NO_EXIT, encoding="utf-8")
    workdir = scratch / "work"
    shutil.copy(task / "harvest_inputs.h5", workdir / "harvest_inputs.h5")
    if (task / "files").is_dir():
        for released in (task / "files").iterdir():
            shutil.copy(released, workdir / released.name)
    prepared = nbformat.read(str(task / "notebook.ipynb"), as_version=4)
    budget = Budget(options["notebook_timeout"])
    notes, skip = [], set()
    run = prepared
    for _ in range(MAX_RUNS):
        run = nbformat.from_dict(json.loads(json.dumps(prepared)))
        shutil.rmtree(workdir / "harvest_outputs", ignore_errors=True)
        stopped = _execute(run, workdir, options, skip, budget, notes)
        if stopped is None:
            break
        index, why = stopped
        skip.add(index)
        if why == "timeout":
            notes.append(_note(f"cell {index} ran out of time; the notebook was run again without it.",
                               f"第 {index} 个单元格超时；已跳过该单元格重新运行。"))
        else:
            notes.append(_note(f"the kernel died in cell {index} (for example os._exit or running out of memory); "
                               f"the notebook was run again without that cell.",
                               f"内核在第 {index} 个单元格中崩溃（例如调用了 os._exit 或内存耗尽）；已跳过该单元格重新运行。"))
    notes = [note for number, note in enumerate(notes) if note not in notes[:number]]
    record = {"notebook": run, "harvest": _read_harvest(workdir / "harvest_outputs"), "notes": notes,
              "skipped": sorted(skip), "times": {**TIMES, "runner": time.monotonic() - STARTED}}
    text = json.dumps(record, default=str)
    sys.stdout.write(MAGIC + "\n" + text)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
