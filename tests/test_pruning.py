"""Which lesson cells the cohort grader may leave out (grading.cohort.pruning)."""

from nbformat.v4 import new_code_cell, new_notebook

from grading.cohort.pruning import unneeded_cells
from grading.cohort.repair import HARVEST_KEY


def notebook(*sources, answer=None, harvest="f"):
    """Code cells from ``sources``; the cell at index ``answer`` is an answer cell; a harvest cell of ``harvest`` last."""
    cells = [new_code_cell(source) for source in sources]
    if answer is not None:
        cells[answer].metadata["nbgrader"] = {"solution": True, "grade_id": "f"}
    last = new_code_cell(f"__dlcourse_harvest({harvest!r}, globals())")
    last.metadata[HARVEST_KEY] = harvest
    nb = new_notebook()
    nb.cells = cells + [last]
    return nb


def lesson(nb, answer=None):
    return {cell.source.strip() for number, cell in enumerate(nb.cells[:-1]) if number != answer}


def test_a_training_cell_that_only_prints_is_left_out_and_what_the_answer_uses_is_kept():
    nb = notebook("import numpy as np", "def helper(x):\n    return 2 * x",
                  "def f(x):\n    return helper(np.asarray(x))", "cost = f(3)\nprint(cost)", answer=2)
    assert unneeded_cells(nb, lesson(nb, 2)) == [3]


def test_a_cell_the_student_edited_always_runs():
    nb = notebook("import numpy as np", "def f(x):\n    return x", "print('training')", answer=1)
    assert 2 not in unneeded_cells(nb, lesson(nb, 1) - {"print('training')"})


def test_a_cell_changing_what_the_answer_reads_is_kept():
    nb = notebook("table = {}", "table['a'] = 1", "def f():\n    return table['a']", "print(f())", answer=2)
    assert unneeded_cells(nb, lesson(nb, 2)) == [3]


def test_globals_or_exec_anywhere_means_nothing_is_left_out():
    for dynamic in ("globals()['helper'] = abs", "exec('x = 1')"):
        nb = notebook("def f():\n    return 1", dynamic, "print(f())", answer=0)
        assert unneeded_cells(nb, lesson(nb, 0)) == [], dynamic


def test_an_unknown_magic_keeps_its_cell_and_matplotlib_inline_does_not():
    nb = notebook("%matplotlib inline", "%time y = 1", "def f():\n    return 1", answer=2)
    assert unneeded_cells(nb, lesson(nb, 2)) == [0]
