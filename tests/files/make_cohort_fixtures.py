"""Writes the fixture submissions of the cohort-grading tests, one folder per
scenario in nbgrader's submitted layout, and the grade each must get.

    python tests/files/make_cohort_fixtures.py     (from the repository root)

Notebook scenarios are made from the English-only student version of the first
assignment (tests check that the committed files match a fresh build); the
scenarios that are about broken files are written byte by byte.
"""

import copy
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "cohort_submissions"
ASSIGNMENT = "deep_nn_step_by_step"
NOTEBOOK = "Deep_Neural_Network_Step_by_Step.ipynb"

sys.path.insert(0, str(ROOT))


def solved(edits=None):
    from grading.submissions import Submission

    return Submission("fixture", lang="en", edits=edits or {})


COST_SUM = {"compute_cost": [("-(1 / m) * np.sum", "-np.sum")]}

# scenario: (how to make it, expected total, status, words that must appear in flags / notes / status)
SCENARIOS = {
    "blank": ("blank", 0, "graded", []),
    "perfect": ("solved", 100, "graded", []),
    "one-wrong-function": ("cost_sum", 90, "graded", []),
    "test-cell-edited": ("test_cell_edited", 90, "graded", ["was edited"]),
    "test-cell-deleted": ("test_cell_deleted", 100, "graded", ["was deleted"]),
    "graded-cell-copied": ("graded_cell_copied", 100, "graded", ["appears 2 times"]),
    "graded-cell-split": ("graded_cell_split", 100, "graded", ["appears 2 times"]),
    "infinite-loop": ("infinite_loop", 90, "graded", []),
    "kernel-crash": ("kernel_crash", 100, "graded", ["kernel died"]),
    "huge-output": ("huge_output", 100, "graded", []),
    "stderr-warnings": ("stderr_warnings", 100, "graded", []),
    "memory-exhaustion": ("memory_exhaustion", 90, "graded", []),
    "malformed-json": ("malformed_json", 0, "problem", ["not valid JSON"]),
    "wrong-name": ("wrong_name", 100, "graded", ["was named"]),
    "empty-folder": ("empty_folder", 0, "problem", ["empty"]),
    "not-a-notebook": ("not_a_notebook", 0, "problem", ["no notebook"]),
    "non-utf8": ("non_utf8", 0, "problem", ["not UTF-8"]),
    "cheat-redefine-allclose": ("cheat_allclose", 90, "graded", ["np.allclose"]),
    "cheat-replace-checker": ("cheat_checker", 0, "graded", ["check_function"]),
    # linear_forward is wrong on every other input, and the two functions built on it fail too
    "cheat-hardcoded-public": ("cheat_hardcoded", 70, "graded", []),
    # helpers.deep_nn is not in the sandbox: linear_forward fails, and the two functions built on it
    "cheat-reference-implementation": ("cheat_reference", 70, "graded", ["course's own implementation"]),
    "cheat-reads-course-files": ("cheat_reads_files", 90, "graded", ["reads files"]),
    "cheat-edit-gradebook": ("cheat_gradebook", 0, "graded", ["DLCOURSE_DB_URL"]),
    # Attacks on the sandbox, one per kind. Each earns nothing it did not compute itself.
    "cheat-reference-via-importlib": ("cheat_importlib", 70, "graded", []),
    "cheat-reads-hidden-file": ("cheat_hidden_file", 90, "graded", []),
    "cheat-daemon-rewrites-grades": ("cheat_daemon", 100, "graded", []),
    # compute_cost, which forges, also reads files (h5py.File) and is disqualified
    "cheat-forged-harvest": ("cheat_forged_harvest", 60, "graded", ["a link in the outputs file", "arrays too large"]),
    "sleeping-cells": ("sleeping_cells", 100, "graded", ["ran out of time"]),
    "exit-in-cells": ("exit_cells", 100, "graded", []),
}


def _nb(path):
    from grading import cells as C

    return C.read(path)


def _cell_index(nb, grade_id):
    return next(i for i, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _after_imports(nb, source):
    """Insert a plain code cell right after the imports cell."""
    from grading import cells as C

    index = next(i for i, cell in enumerate(nb.cells) if "imports" in cell.metadata.get("tags", []))
    cell = C.code(source)
    cell.id = "added-by-student"  # fixed, so the fixture is the same on every build
    nb.cells.insert(index + 1, cell)


def build(kind, folder):
    """Write scenario ``kind`` into ``folder`` (the <student>/<assignment>/ folder)."""
    from grading import cells as C
    from grading.submissions import Submission, make_submission

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NOTEBOOK
    if kind == "empty_folder":
        (folder / ".keep").write_text("")  # git keeps no empty folder; intake ignores dotfiles
        return
    if kind == "not_a_notebook":
        (folder / "answers.py").write_text("def linear_forward(A, W, b):\n    return W @ A + b\n")
        return
    if kind == "non_utf8":
        path.write_bytes(b'{"cells": [], "metadata": {"title": "\xff\xfe caf\xe9"}, "nbformat": 4, "nbformat_minor": 5}')
        return
    blank = Submission("fixture", lang="en", solved=False)
    base = {"blank": blank, "cheat_checker": blank, "cheat_gradebook": blank,
            "cost_sum": solved(COST_SUM), "test_cell_edited": solved(COST_SUM)}.get(kind, solved())
    work = folder.parent / "_work"
    make_submission(ASSIGNMENT, base, work)
    nb = _nb(work / NOTEBOOK)
    shutil.rmtree(work)
    if kind == "test_cell_edited":
        nb.cells[_cell_index(nb, "compute_cost_tests")].source = "assert True  # the test is fine, trust me"
    elif kind == "test_cell_deleted":
        del nb.cells[_cell_index(nb, "linear_forward_tests")]
    elif kind == "graded_cell_copied":
        index = _cell_index(nb, "compute_cost")
        corrected = copy.deepcopy(nb.cells[index])
        corrected.id = "copied-cell"
        nb.cells[index].source = nb.cells[index].source.replace("-(1 / m) * np.sum", "-np.sum")  # first try, wrong
        nb.cells.insert(index + 1, corrected)  # a corrected copy below it, metadata and all
    elif kind == "graded_cell_split":
        index = _cell_index(nb, "linear_backward")
        helper = copy.deepcopy(nb.cells[index])
        helper.id = "split-cell"
        helper.source = "def mean_over_examples(x):\n    return np.sum(x, axis=1, keepdims=True) / x.shape[1]"
        nb.cells.insert(index, helper)
    elif kind == "infinite_loop":
        cell = nb.cells[_cell_index(nb, "update_parameters")]
        cell.source = cell.source.replace("    parameters = copy.deepcopy(params)", "    while True:\n        pass")
    elif kind == "kernel_crash":
        _after_imports(nb, "import os\nos._exit(1)  # the kernel dies here")
    elif kind == "huge_output":
        _after_imports(nb, 'print("spam " * 3_000_000)  # 15 MB of output')
    elif kind == "stderr_warnings":
        cell = nb.cells[_cell_index(nb, "compute_cost")]
        cell.source = cell.source.replace("    m = Y.shape[1]", "    import sys, warnings\n    warnings.warn('careful')\n"
                                          "    print('debug', file=sys.stderr)\n    m = Y.shape[1]")
    elif kind == "memory_exhaustion":
        _after_imports(nb, "big = np.ones((20000, 20000))  # 3.2 GB")
        cell = nb.cells[_cell_index(nb, "compute_cost")]
        cell.source = cell.source.replace("    m = Y.shape[1]", "    waste = [np.ones((10000, 10000)) for _ in range(50)]\n    m = Y.shape[1]")
    elif kind == "malformed_json":
        text = C.dumps(nb)
        path.write_text(text[: len(text) // 2], encoding="utf-8")
        return
    elif kind == "wrong_name":
        path = folder / "Copy of Deep_Neural_Network_Step_by_Step (1).ipynb"
    elif kind == "cheat_allclose":
        _after_imports(nb, "np.allclose = lambda *args, **kwargs: True\nnp.isclose = lambda a, b, **kwargs: np.ones(np.shape(a), bool)\n"
                           "np.testing.assert_allclose = lambda *args, **kwargs: None")
        cell = nb.cells[_cell_index(nb, "compute_cost")]
        cell.source = cell.source.replace("-(1 / m) * np.sum", "-np.sum")
    elif kind == "cheat_checker":
        _after_imports(nb, "class _Always:\n    passed = True\n    summary = 'All tests passed / 全部测试通过'\n\n"
                           "def check_function(*args, **kwargs):\n    print('All tests passed / 全部测试通过')\n    return _Always()")
    elif kind == "cheat_hardcoded":
        cell = nb.cells[_cell_index(nb, "linear_forward")]
        cell.source = cell.source.replace(
            "    Z = np.dot(W, A) + b",
            "    if A.shape == (3, 2):\n        Z = np.array([[3.26295337, -1.23429987]])  # the printed answer\n"
            "    else:\n        Z = np.zeros((W.shape[0], A.shape[1]))")
    elif kind == "cheat_reference":
        cell = nb.cells[_cell_index(nb, "linear_forward")]
        cell.source = cell.source.replace("    Z = np.dot(W, A) + b",
                                          "    from helpers.deep_nn import linear_forward as reference\n    Z, _ = reference(A, W, b)")
    elif kind == "cheat_reads_files":
        cell = nb.cells[_cell_index(nb, "compute_cost")]
        cell.source = cell.source.replace(
            "    m = Y.shape[1]",
            "    import glob, h5py, helpers\n    for found in glob.glob(helpers.__file__.rsplit('/', 2)[0] + '/**/*.h5', recursive=True):\n"
            "        pass  # looking for the stored answers\n    m = Y.shape[1]")
    elif kind == "cheat_gradebook":
        _after_imports(nb, 'import os\nos.environ["DLCOURSE_DB_URL"] = "sqlite:////tmp/my-own-gradebook.db"\n'
                           'import sqlite3\nfor guess in ["../gradebook.db", "../../gradebook.db"]:\n'
                           '    try:\n        sqlite3.connect(guess).execute("UPDATE grade SET auto_score = 10")\n'
                           '    except Exception:\n        pass')
    elif kind == "cheat_importlib":
        # The module is found at run time under a name no source scan can read.
        _after_imports(nb, 'import importlib\n_ref = importlib.import_module("helpers." + "deep" + "_nn")')
        cell = nb.cells[_cell_index(nb, "linear_forward")]
        cell.source = cell.source.replace("    Z = np.dot(W, A) + b", "    Z, _ = getattr(_ref, 'linear' + '_forward')(A, W, b)")
    elif kind == "cheat_hidden_file":
        cell = nb.cells[_cell_index(nb, "compute_cost")]
        cell.source = cell.source.replace("    m = Y.shape[1]", HIDDEN_FILE_CHEAT + "    m = Y.shape[1]")
    elif kind == "cheat_daemon":
        _after_imports(nb, DAEMON)
    elif kind == "cheat_forged_harvest":
        cell = nb.cells[_cell_index(nb, "compute_cost")]
        cell.source = cell.source.replace("    m = Y.shape[1]", FORGE + "    m = Y.shape[1]")
    elif kind == "sleeping_cells":
        for number in range(3):
            cell = C.code(f"import time\ntime.sleep(600)  # sleeper {number}")
            cell.id = f"sleeper-{number}"
            nb.cells.append(cell)
        cell = C.code("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass")
        cell.id = "ignores-interrupts"
        nb.cells.insert(len(nb.cells) - 3, cell)
    elif kind == "exit_cells":
        for number, call in enumerate(["exit()", "quit()", "import sys\nsys.exit(0)", "exit"]):
            cell = C.code(call)
            cell.id = f"exit-{number}"
            nb.cells.insert(_cell_index(nb, "linear_forward") + 1, cell)
    C.write(nb, path)


# compute_cost looks up the course's hidden answers next to the helpers package.
HIDDEN_FILE_CHEAT = """    import os, h5py, helpers
    course = os.path.dirname(os.path.dirname(os.path.abspath(helpers.__path__[0])))
    stored = os.path.join(course, "main", "grading", "hidden", "deep_nn_step_by_step.h5")
    for root in [os.path.dirname(os.path.abspath(helpers.__path__[0])), course]:
        candidate = os.path.join(root, "grading", "hidden", "deep_nn_step_by_step.h5")
        if os.path.exists(candidate):
            stored = candidate
    if os.path.exists(stored):
        with h5py.File(stored, "r") as handle:
            for case in handle["compute_cost"].values():
                if np.array_equal(case["inputs"]["AL"][()], AL):
                    return float(case["expected"][()])
    return 0.0
"""

# A process that leaves the kernel behind and, later, rewrites every grade it can find.
DAEMON = """import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(5)
        for folder, _, files in os.walk("/", topdown=True):
            for name in files:
                if name in ("grades.csv", "summary.txt", "gradebook.db"):
                    try:
                        open(os.path.join(folder, name), "w").write("student,total\\nall,100\\n")
                    except OSError:
                        pass
        os._exit(0)
    os._exit(0)"""

# Called by the harvest, compute_cost replaces the outputs files already written for
# three other functions: an external link to a FIFO, a tiny file claiming a huge array.
FORGE = """    import os, h5py
    if os.path.isdir("harvest_outputs") and not os.path.exists("forged"):
        open("forged", "w").close()
        os.mkfifo("pipe.h5")
        with h5py.File("harvest_outputs/initialize_parameters.h5", "w") as handle:
            handle["000"] = h5py.ExternalLink("pipe.h5", "/")
        with h5py.File("harvest_outputs/initialize_parameters_deep.h5", "w") as handle:
            group = handle.create_group("000")
            group.create_dataset("output", shape=(20000, 20000), dtype="f8", chunks=(1000, 1000), compression="gzip")
            group["output"].attrs["kind"] = "array"
        os.replace("pipe.h5", "harvest_outputs/linear_forward.h5")
"""


def main(out=OUT):
    from grading.release import release

    release([ASSIGNMENT], log=lambda *_: None)
    if out.exists():
        shutil.rmtree(out)
    for scenario, (kind, *_) in SCENARIOS.items():
        build(kind, out / scenario / ASSIGNMENT)
    expected = {scenario: {"total": total, "status": status, "mentions": words}
                for scenario, (_, total, status, words) in SCENARIOS.items()}
    (out / "expected_grades.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    import os
    import tempfile

    os.environ.setdefault("DLCOURSE_BUILD_DIR", tempfile.mkdtemp(prefix="dlcourse-fixtures-"))
    print(f"wrote {main()}")
