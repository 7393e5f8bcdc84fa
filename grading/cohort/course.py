"""What an assignment expects: its source notebook, graded functions, public
test cells, the course files released with it, and its test cases.

Hidden cases come from ``grading/hidden/<assignment>.h5``, or, when the
instructor sets a secret for the course offering, are made afresh by the
assignment's recipe with every random seed it uses mixed with the secret, so a
public copy of the course does not reveal them.
"""

import contextlib
import functools
import hashlib
import importlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from helpers.case_store import call_case, read_cases
from helpers.checker import PUBLIC_FILE
from helpers.errors import CourseError

from ..cells import TEST_SUFFIX

HIDDEN_BLOCK = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)


def course_root(start=None):
    """The course repository: $DLCOURSE_ROOT, else the folder holding nbgrader_config.py
    above ``start`` (default: this package's own checkout)."""
    import os

    if os.environ.get("DLCOURSE_ROOT"):
        return Path(os.environ["DLCOURSE_ROOT"]).resolve()
    here = Path(start or Path(__file__).resolve()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "nbgrader_config.py").is_file() and (folder / "notebooks").is_dir():
            return folder
    raise CourseError("The course repository (with nbgrader_config.py and notebooks/) was not found; set DLCOURSE_ROOT.",
                      "找不到课程仓库（应包含 nbgrader_config.py 和 notebooks/）；请设置 DLCOURSE_ROOT。")


def public_test_source(source):
    """A test cell's source without its hidden block, as students see it."""
    return HIDDEN_BLOCK.sub("", source)


@dataclass
class Exercise:
    """One graded function: its solution grade_id, its test cell and its points."""

    function: str
    test_id: str
    points: float
    test_source: str


@dataclass
class AssignmentSpec:
    """Everything a worker needs to grade submissions of one assignment.

    cases -- {function: [{"name", "suite", "inputs", "expected"}, ...]} (public first);
    course_files -- {file name: bytes} released next to the notebook (stored checks, figures);
    helper_modules -- the helpers modules the student version imports, the only ones its sandbox holds;
    inputs_file -- the bytes of the harvest's inputs file (every case's inputs, no expected value).
    """

    assignment: str
    notebook_name: str
    exercises: list
    source_cells: list
    cases: dict
    course_files: dict = field(default_factory=dict)
    helper_modules: list = field(default_factory=list)
    inputs_file: bytes = b""

    @functools.cached_property
    def given_code(self):
        """The stripped sources of every code cell of the course's notebook."""
        return frozenset(cell.source.strip() for cell in self.source_cells if cell.cell_type == "code")

    @functools.cached_property
    def lesson_code(self):
        """The stripped sources of the given code cells that are neither answers nor tests."""
        return frozenset(cell.source.strip() for cell in self.source_cells if cell.cell_type == "code"
                         and not cell.metadata.get("nbgrader", {}).get("solution")
                         and not cell.metadata.get("nbgrader", {}).get("grade"))

    @property
    def functions(self):
        return [exercise.function for exercise in self.exercises]

    @property
    def max_score(self):
        return sum(exercise.points for exercise in self.exercises)


def load_spec(assignment, root=None, secret=None):
    """Read the source notebook and cases of ``assignment``.

    Inputs:  assignment -- id (folder of notebooks/); root -- course repository;
             secret -- optional str: remake hidden cases with salted seeds.
    Returns: AssignmentSpec.
    """
    root = Path(root or course_root())
    folder = root / "notebooks" / assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    if len(notebooks) != 1:
        raise CourseError(f"{folder} should hold exactly one notebook, found {len(notebooks)}.",
                          f"{folder} 中应当恰好有一个 notebook，实际有 {len(notebooks)} 个。")
    source = nbformat.read(str(notebooks[0]), as_version=4)
    exercises, tests = [], {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            tests[meta["grade_id"]] = (float(meta["points"]), public_test_source(cell.source))
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta["grade_id"] + TEST_SUFFIX in tests:
            points, test_source = tests[meta["grade_id"] + TEST_SUFFIX]
            exercises.append(Exercise(meta["grade_id"], meta["grade_id"] + TEST_SUFFIX, points, test_source))
    files = {path.name: path.read_bytes() for path in folder.iterdir()
             if path.is_file() and path.suffix != ".ipynb" and not path.name.startswith(".")}
    cases = {}
    hidden_file = root / "grading" / "hidden" / f"{assignment}.h5"
    salted = _salted_hidden_cases(assignment, root, secret) if secret else None
    for exercise in exercises:
        public = [dict(case, suite="public") for case in read_cases(folder / PUBLIC_FILE, exercise.function)]
        if salted is not None:
            hidden = salted[exercise.function]
        else:
            hidden = [dict(case, suite="hidden") for case in read_cases(hidden_file, exercise.function)]
        cases[exercise.function] = [
            {key: case.get(key) for key in ("name", "suite", "seed", "inputs", "expected")} for case in public + hidden]
    from .sandbox import helper_closure, student_code

    return AssignmentSpec(assignment, notebooks[0].name, exercises, list(source.cells), cases, files,
                          helper_closure(student_code(source.cells)), inputs_file(cases))


def inputs_file(cases):
    """The harvest's inputs file as bytes: {function}/{number:03d} holds a case's keyword arguments
    (and, as an attribute, the seed its caller sets)."""
    import io

    import h5py

    from helpers.case_store import write_seed, write_value

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        for function, function_cases in cases.items():
            group = handle.create_group(function)
            for number, case in enumerate(function_cases):
                write_value(group, f"{number:03d}", case["inputs"])
                write_seed(group[f"{number:03d}"], case.get("seed"))
    return buffer.getvalue()


def _salted_seed(secret, seed):
    digest = hashlib.sha256(f"{secret}:{seed}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


@contextlib.contextmanager
def _salted_numpy(secret):
    """Within the block, every seed given to np.random.seed / RandomState is mixed with ``secret``."""
    original_seed, original_state = np.random.seed, np.random.RandomState

    def seed(value=None):
        return original_seed(None if value is None else _salted_seed(secret, value))

    class SaltedRandomState(original_state):
        def __init__(self, value=None):
            super().__init__(None if value is None else _salted_seed(secret, value))

    np.random.seed, np.random.RandomState = seed, SaltedRandomState
    try:
        yield
    finally:
        np.random.seed, np.random.RandomState = original_seed, original_state


def _salted_hidden_cases(assignment, root, secret):
    """Hidden cases remade by the recipe under salted seeds; expected values from the reference."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    expected_module = importlib.import_module("grading.expected")
    notebook = expected_module.source_notebook(assignment)
    recipe = expected_module.recipe(assignment)
    with _salted_numpy(secret):
        made = [case for case in recipe.cases(expected_module.reference_namespace(notebook)) if case.suite == "hidden"]
    reference = expected_module.reference_namespace(notebook)  # unsalted: seeds inside graded functions stay fixed
    out = {}
    for number, case in enumerate(made, start=1):
        # a caller's seed is a literal of the recipe, not a np.random.seed call: salt it here
        seed = None if case.seed is None else _salted_seed(secret, case.seed)
        expected, _ = call_case(reference[case.function], case.function, case.inputs, seed)
        out.setdefault(case.function, []).append(
            {"name": f"salted_{number}", "suite": "hidden", "seed": seed, "inputs": case.inputs, "expected": expected})
    return out
