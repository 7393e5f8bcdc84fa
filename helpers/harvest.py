"""Runs inside the student's kernel at the end of a graded run: calls each
graded function on the stored inputs and writes what it returns.

The kernel receives inputs only (``harvest_inputs.h5`` in its working folder, with
the seed a case's caller sets, where it has one),
never an expected value; the grader compares outputs in its own process, so
nothing done inside the kernel can change a verdict. Each function's outputs go
to their own file, so a crash in one function does not lose the others.
"""

import contextlib
import io
import warnings
from pathlib import Path

import h5py

from .case_store import call_case, read_seed, read_value, write_value

INPUTS = "harvest_inputs.h5"
OUTPUTS = "harvest_outputs"


def harvest(function_name, namespace):
    """Call ``namespace[function_name]`` on every stored input; write outputs to harvest_outputs/<name>.h5."""
    out_dir = Path(OUTPUTS)
    out_dir.mkdir(exist_ok=True)
    with h5py.File(INPUTS, "r") as handle:
        cases = [(name, read_value(handle[function_name][name]), read_seed(handle[function_name][name]))
                 for name in sorted(handle[function_name])]
    function = namespace.get(function_name)
    with h5py.File(out_dir / f"{function_name}.h5", "w") as out:
        if not callable(function):
            out.attrs["missing"] = f"{function_name} is not defined"
            return
        for name, inputs, seed in cases:
            group = out.create_group(name)
            sink = io.StringIO()
            try:
                with warnings.catch_warnings(), contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
                    warnings.simplefilter("ignore")
                    result, _ = call_case(function, function_name, inputs, seed)
                write_value(group, "output", result)
            except BaseException as exc:  # whatever the learner's code raises is a wrong answer, not a crash
                if "output" in group:
                    del group["output"]
                if isinstance(exc, Exception):
                    group.attrs["error"] = f"{type(exc).__name__}: {exc}"[:500]
                    continue
                # an interrupt (the grader's time limit) or an exit ends the harvest; the cases
                # not reached have no group, which the grader reads as "no output"
                group.attrs["error"] = f"{type(exc).__name__}: stopped before it returned (the time limit, or an exit)"
                raise
