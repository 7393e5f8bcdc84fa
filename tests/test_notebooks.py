"""Source notebooks: stored clean, nbgrader metadata that grades correctly, and
a top-to-bottom run with the solutions whose printouts match the quoted
expected outputs."""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from grading import NOTEBOOKS_DIR
from grading import cells as C

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))
IDS = [path.parent.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_without_outputs_and_with_readable_chinese(path):
    text = path.read_text(encoding="utf-8")
    nb = C.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "\\u4e" not in text and re.search(r"[\u4e00-\u9fff]", text), "write JSON with ensure_ascii=False"
    assert text == C.dumps(nb), "store notebooks through grading.cells.write"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nbgrader_metadata(path):
    nb = C.read(path)
    solutions, tests = [], {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        assert meta["grade_id"].isascii() and re.fullmatch(r"[A-Za-z0-9_]+", meta["grade_id"])
        if meta.get("solution"):
            solutions.append(meta["grade_id"])
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        if meta.get("grade"):
            tests[meta["grade_id"]] = meta["points"]
            assert meta.get("locked") and cell.cell_type == "code"
            statements = [line for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
            # nbgrader reads a bare value on the last line as partial credit
            assert statements[-1].startswith("assert "), meta["grade_id"]
    assert solutions, "no graded function"
    assert sorted(tests) == sorted(f"{name}_tests" for name in solutions)
    assert set(tests.values()) == {10}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_top_to_bottom_and_quotes_what_it_prints(path):
    nb = nbformat.read(str(path), as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    last_stdout = None
    quotes = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not any(out.get("output_type") == "error" for out in cell.outputs)
            assert not any(out.get("name") == "stderr" for out in cell.outputs
                           if "nbgrader" in cell.metadata and cell.metadata["nbgrader"].get("grade")), \
                "a test cell wrote to stderr: nbgrader would give it no points"
            last_stdout = "".join(out.get("text", "") for out in cell.outputs if out.get("name") == "stdout")
        elif cell.metadata.get(C.META_KEY, {}).get("expected_output"):
            quoted = re.search(r"```text\n(.*?)\n```", cell.source, re.S).group(1)
            assert _normal(quoted) == _normal(last_stdout), f"stale quote in {cell.metadata[C.META_KEY]['pair']}"
            quotes += 1
    assert quotes > 0


def _normal(text):
    return "\n".join(line.rstrip() for line in text.strip().splitlines())
