"""Stored expected values, generated from the reference solutions.

Each assignment has a recipe module ``grading/cases/<assignment>.py`` that
defines ``NOTEBOOK`` (the source notebook's file name) and ``cases(ref)``, a
function returning :class:`Case` objects; ``ref`` maps each graded function's
name to the reference solution, taken from the source notebook itself (its
cells tagged ``imports`` and its nbgrader solution cells), so the notebook stays
the single source of truth.

``python -m grading expected [ASSIGNMENT ...]`` writes, for each assignment:

- ``notebooks/<assignment>/public_checks.h5``: public cases, released to students;
- ``grading/hidden/<assignment>.h5``: hidden cases, used only when grading.
"""

import importlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from helpers.case_store import call_case, read_value, write_case
from helpers.checker import ATOL, HINTS, PUBLIC_FILE, first_difference

from . import HIDDEN_DIR, NOTEBOOKS_DIR
from .cells import read

SUITES = ("public", "hidden")


@dataclass
class Case:
    """One call of a graded function.

    function -- name of the graded function; name -- ASCII id, sorted within a function;
    inputs -- keyword arguments; label -- (English, Chinese) description for reports;
    suite -- "public" or "hidden"; mistakes -- {hint name: wrong variant with the same signature};
    seed -- for a function that draws random numbers and leaves the seeding to its caller:
    the seed set right before every call of the case (helpers.case_store.seed_before_call).
    """

    function: str
    name: str
    inputs: dict
    label: tuple = ("", "")
    suite: str = "public"
    mistakes: dict = field(default_factory=dict)
    seed: int = None


def assignments():
    """Assignments that have a recipe module, in name order."""
    folder = Path(__file__).resolve().parent / "cases"
    return sorted(path.stem for path in folder.glob("*.py") if not path.stem.startswith("_"))


def recipe(assignment):
    return importlib.import_module(f"grading.cases.{assignment}")


def source_notebook(assignment):
    return NOTEBOOKS_DIR / assignment / recipe(assignment).NOTEBOOK


def reference_namespace(notebook_path):
    """Execute the notebook's ``imports`` cells and solution cells; return the namespace."""
    nb = read(notebook_path)
    namespace = {"__name__": "reference"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        is_imports = "imports" in cell.metadata.get("tags", [])
        is_solution = cell.metadata.get("nbgrader", {}).get("solution", False)
        if is_imports or is_solution:
            exec(compile(cell.source, f"{notebook_path.name}:cell", "exec"), namespace)
    return namespace


def graded_functions(notebook_path):
    """Names of the graded functions: the grade_ids of the notebook's solution cells."""
    nb = read(notebook_path)
    return [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")]


def build(assignment, out_dir=None):
    """Run the recipe of ``assignment`` and write both case files.

    Inputs:  assignment -- str; out_dir -- optional folder for both files (tests
             regenerate into a temporary folder); default: the committed places.
    Returns: dict suite -> path written.
    """
    notebook = source_notebook(assignment)
    namespace = reference_namespace(notebook)
    cases = recipe(assignment).cases(namespace)
    _validate(assignment, notebook, cases)
    np.random.seed(0)  # inputs are made with their own seeds; this only keeps stray draws repeatable
    paths = {
        "public": Path(out_dir) / PUBLIC_FILE if out_dir else NOTEBOOKS_DIR / assignment / PUBLIC_FILE,
        "hidden": Path(out_dir) / f"{assignment}.h5" if out_dir else HIDDEN_DIR / f"{assignment}.h5",
    }
    for suite, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with h5py.File(path, "w") as handle:
            handle.attrs["assignment"] = assignment
            handle.attrs["suite"] = suite
            handle.attrs["generated_by"] = "python -m grading expected " + assignment
            for case in (c for c in cases if c.suite == suite):
                reference = namespace[case.function]
                expected, _ = call_case(reference, case.function, case.inputs, case.seed)
                mistakes = {}
                for mistake, variant in case.mistakes.items():
                    wrong, _ = call_case(variant, case.function, case.inputs, case.seed)
                    # A mistake that gives the right answer on this case tells nothing.
                    if first_difference(wrong, expected) is not None:
                        mistakes[mistake] = wrong
                write_case(handle.require_group(case.function), case.name, case.inputs, expected,
                           mistakes, *case.label, seed=case.seed)
    return paths


def _validate(assignment, notebook, cases):
    functions = set(graded_functions(notebook))
    for case in cases:
        if case.function not in functions:
            raise ValueError(f"{assignment}: case {case.name} names {case.function}, not a graded function")
        if case.suite not in SUITES or not case.name.isascii():
            raise ValueError(f"{assignment}: bad suite or non-ASCII name in case {case.name}")
        unknown = set(case.mistakes) - set(HINTS)
        if unknown:
            raise ValueError(f"{assignment}: mistakes without a hint: {sorted(unknown)}")
    for function in functions:
        for suite in SUITES:
            if not any(c.function == function and c.suite == suite for c in cases):
                raise ValueError(f"{assignment}: {function} has no {suite} case")


def _load_all(path):
    def walk(group):
        out = {}
        for key in group:
            node = group[key]
            if "kind" in node.attrs:
                out[key] = read_value(node)
            else:
                out[key] = walk(node)
        if "seed" in group.attrs:  # a case's caller seed is part of it: a changed seed is a stale file
            out["@seed"] = int(group.attrs["seed"])
        return out

    with h5py.File(path, "r") as handle:
        return walk(handle)


def stale_files(assignment):
    """Compare the committed case files with a fresh regeneration.

    Returns: list of str, one per file that differs (empty when all agree).
    """
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(assignment, tmp)
        committed = {"public": NOTEBOOKS_DIR / assignment / PUBLIC_FILE, "hidden": HIDDEN_DIR / f"{assignment}.h5"}
        for suite, path in committed.items():
            if not path.is_file():
                problems.append(f"{path} is missing")
                continue
            old, new = _load_all(path), _load_all(fresh[suite])
            if old.keys() != new.keys():
                problems.append(f"{path}: functions {sorted(old)} != {sorted(new)}")
                continue
            diff = first_difference(old, new, (str(path), str(path)))
            if diff is not None or not _nearly_identical(old, new):
                problems.append(f"{path} differs from a fresh regeneration" + (f": {diff.en}" if diff else ""))
    return problems


def _nearly_identical(a, b):
    """Equal structure, dtypes and values to 1e-12 relative: far tighter than the checker's
    tolerance, loose enough for another BLAS summing in another order.

    Entries below the checker's absolute tolerance ATOL on both sides are rounding noise of
    the computation that made them (the relative difference of a gradient check of a correct
    gradient is about 1e-9, and varies by a few per cent between CPUs and BLAS builds); they
    are compared as the checker compares them, to ATOL."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_nearly_identical(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_nearly_identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                and bool(np.all(_close_or_noise(a, b))))
    if isinstance(a, float):
        return isinstance(b, float) and bool(_close_or_noise(a, b))
    return type(a) is type(b) and a == b


def _close_or_noise(a, b):
    """Entry by entry: equal to 1e-12 relative, or both below ATOL (rounding noise)."""
    close = np.isclose(a, b, rtol=1e-12, atol=1e-15, equal_nan=True)
    if not np.issubdtype(np.asarray(a).dtype, np.number):  # bool is not a number dtype
        return close
    return close | ((np.abs(a) < ATOL) & (np.abs(b) < ATOL))
