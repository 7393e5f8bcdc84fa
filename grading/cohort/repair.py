"""Making a submitted notebook gradable without trusting its test cells.

- Every test cell is replaced by the course's public version (an edited one
  included); a deleted one is put back after the last cell that defines its
  function. The hidden checks never run in the student's kernel: they are
  decided by the grader from the harvested outputs.
- Copied or split solution cells (several cells with one grade_id) are kept
  and run in order, as the student ran them; the note says so. nbgrader itself
  refuses such a notebook as a whole.
- Outputs are cleared; the harvest cells are appended at the end.
"""

import copy

from nbformat.v4 import new_code_cell

HARVEST_SETUP = (
    "# Grader: collect this notebook's functions' outputs (not part of the assignment)\n"
    "from helpers.harvest import harvest as __dlcourse_harvest\n"
)


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _defines(cell, function):
    return cell.cell_type == "code" and f"def {function}(" in cell.source


def prepare(nb, spec):
    """Return (notebook to execute, notes [(en, zh)], test cell index by exercise test id)."""
    nb = copy.deepcopy(nb)
    notes = []
    tests_by_id = {exercise.test_id: exercise for exercise in spec.exercises}
    seen_tests = set()
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        grade_id = _grade_id(cell)
        if grade_id in tests_by_id:
            if grade_id in seen_tests:
                notes.append((f"the test cell {grade_id} appeared twice; the copy was removed.",
                              f"测试单元格 {grade_id} 出现了 2 次，已删除多余的副本。"))
                continue
            seen_tests.add(grade_id)
            exercise = tests_by_id[grade_id]
            if cell.source.strip() != exercise.test_source.strip():
                notes.append((f"the test cell of {exercise.function} was edited; the course's version was restored.",
                              f"{exercise.function} 的测试单元格被修改过，已恢复为课程提供的版本。"))
            cell.cell_type = "code"
            cell.source = exercise.test_source
        cells.append(cell)
    for exercise in spec.exercises:
        copies = [c for c in cells if _grade_id(c) == exercise.function]
        if len(copies) > 1:
            notes.append((f"the answer cell of {exercise.function} appears {len(copies)} times (copied or split); "
                          f"the cells were run in order and the last definition was graded.",
                          f"{exercise.function} 的答题单元格出现了 {len(copies)} 次（被复制或拆分）；"
                          f"这些单元格按顺序运行，以最后一次定义为准评分。"))
        if exercise.test_id not in seen_tests:
            position = _restore_position(cells, exercise)
            restored = new_code_cell(exercise.test_source)
            restored.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                             "grade_id": exercise.test_id, "points": exercise.points,
                                             "schema_version": 3}
            cells.insert(position, restored)
            notes.append((f"the test cell of {exercise.function} was deleted; it was restored and graded.",
                          f"{exercise.function} 的测试单元格被删除了，已恢复并照常评分。"))
    nb.cells = cells
    nb.cells.append(_harvest_cell(HARVEST_SETUP, "harvest-setup"))
    for exercise in spec.exercises:
        nb.cells.append(_harvest_cell(f"__dlcourse_harvest({exercise.function!r}, globals())", f"harvest-{exercise.function}"))
    return nb, notes


def _restore_position(cells, exercise):
    """Right after the last cell defining the function, else at the end."""
    for index in range(len(cells) - 1, -1, -1):
        if _grade_id(cells[index]) == exercise.function or _defines(cells[index], exercise.function):
            return index + 1
    return len(cells)


HARVEST_KEY = "dlcourse_harvest"  # the metadata key of the harvest cells (sandbox_runner keeps a copy)


def _harvest_cell(source, tag):
    cell = new_code_cell(source)
    cell.metadata[HARVEST_KEY] = tag
    return cell


def is_harvest_cell(cell):
    """Inputs: cell -- an nbformat cell or a plain dict."""
    return HARVEST_KEY in cell.get("metadata", {})


def answer_sources(nb, spec):
    """{function: the source of its answer cells, joined}: what the similarity report compares."""
    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and _grade_id(cell) in spec.functions:
            out[_grade_id(cell)] = (out.get(_grade_id(cell), "") + "\n" + cell.source).strip()
    return out
