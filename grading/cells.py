"""Small factories that build notebook cells the way the course stores them.

Authors use them to write notebooks, and tests use them to build fixture
notebooks. Cell metadata conventions live here and nowhere else:

- prose is a pair of markdown cells, English first, Chinese right after it;
  both carry ``metadata["dlcourse"] = {"lang": ..., "pair": ...}`` and the
  Chinese one also records ``translates``: the hash of the English text it was
  written from (see :func:`english_hash`);
- graded code uses nbgrader's metadata (schema 3): a solution cell per graded
  function and a locked test cell worth ``points``.
"""

import hashlib
import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

META_KEY = "dlcourse"
TEST_SUFFIX = "_tests"  # the grade_id of a function's test cell is "<function>_tests"
NBGRADER_SCHEMA = 3


def english_hash(text):
    """Hash of an English prose cell, insensitive to trailing blanks.

    Inputs:  text -- str, the markdown source.
    Returns: str, 16 hex digits.
    """
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def prose(pair, en, zh):
    """An English/Chinese pair of markdown cells.

    Inputs:
        pair -- str, an ASCII id unique in the notebook (e.g. "linear-forward-task").
        en, zh -- str, the markdown of each language.
    Returns: list of two markdown cells.
    """
    en_cell = new_markdown_cell(en.strip(), metadata={META_KEY: {"lang": "en", "pair": pair}})
    zh_cell = new_markdown_cell(
        zh.strip(),
        metadata={META_KEY: {"lang": "zh", "pair": pair, "translates": english_hash(en)}},
    )
    return [en_cell, zh_cell]


def is_expected_output(cell):
    """Whether ``cell`` is a quote of a printout, made by :func:`expected_output`."""
    return cell.cell_type == "markdown" and bool(cell.metadata.get(META_KEY, {}).get("expected_output"))


def expected_output(pair, text, en_intro="Expected output:", zh_intro="预期输出："):
    """A prose pair quoting what the code cell just above prints.

    The quoted block is produced by running the reference solution, and a test
    re-runs the notebook to check that the quote still matches the printout.
    """
    block = "```text\n" + text.strip("\n") + "\n```"
    cells = prose(pair, f"**{en_intro}**\n\n{block}", f"**{zh_intro}**\n\n{block}")
    for cell in cells:
        cell.metadata[META_KEY]["expected_output"] = True
    return cells


def code(source, tags=()):
    """A plain code cell shared by both languages (comments may be bilingual)."""
    cell = new_code_cell(source.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _nbgrader(grade_id, *, grade, solution, locked, points=None):
    meta = {
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "grade_id": grade_id,
        "schema_version": NBGRADER_SCHEMA,
    }
    if points is not None:
        meta["points"] = points
    return meta


def solution(grade_id, source):
    """A graded function's cell; the answer sits between BEGIN/END SOLUTION markers."""
    if not grade_id.isascii():
        raise ValueError(f"grade_id must be ASCII: {grade_id!r}")
    cell = new_code_cell(source.strip())
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=False, solution=True, locked=False)
    return cell


def tests(grade_id, source, points):
    """A locked test cell worth ``points``; its last statement must be an assert."""
    if not grade_id.isascii():
        raise ValueError(f"grade_id must be ASCII: {grade_id!r}")
    body = source.strip()
    last = [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")][-1]
    if not last.lstrip().startswith("assert "):
        # nbgrader reads a bare value on the last line as partial credit.
        raise ValueError(f"test cell {grade_id} must end with an assert, not {last!r}")
    cell = new_code_cell(body)
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, solution=False, locked=True, points=points)
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def check_cell(function_name, points=10, extra=""):
    """The standard test cell of a graded function: public cases, then hidden ones.

    The public checks print a bilingual report; the hidden block is removed from
    the student version by nbgrader and restored when grading.
    """
    source = f"""
# Public checks: stored cases with their expected values. / 公开测试：存储的测试用例及其预期输出。
{extra.strip()}
public_report = check_function({function_name}, "{function_name}")
### BEGIN HIDDEN TESTS
hidden_report = check_function({function_name}, "{function_name}", suite="hidden")
assert hidden_report.passed, hidden_report.summary
### END HIDDEN TESTS
assert public_report.passed, public_report.summary
"""
    lines = [line for line in source.strip().splitlines() if line.strip()]
    return tests(function_name + TEST_SUFFIX, "\n".join(lines), points)


def notebook(cells, language="python"):
    """A notebook with the course's kernel and language metadata."""
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": language}
    return nb


def strip_outputs(nb):
    """Remove outputs and execution counts in place; returns the notebook."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def dumps(nb):
    """Serialise as the course stores notebooks: no outputs, readable Chinese, stable order."""
    nbformat.validate(nb)
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write(nb, path):
    """Write ``nb`` to ``path`` without outputs, with ``ensure_ascii=False``."""
    strip_outputs(nb)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(nb), encoding="utf-8")
    return path


def read(path):
    """Read a notebook (nbformat 4)."""
    return nbformat.read(str(path), as_version=4)
