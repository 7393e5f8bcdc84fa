"""Source notebooks: stored clean, nbgrader metadata that grades correctly,
a top-to-bottom run with the solutions whose printouts match the quoted
expected outputs, and quotes that can be put in each single language."""

import re

import pytest

from grading import NOTEBOOKS_DIR
from grading import cells as C
from grading import quotes
from grading.bilingual import single_language

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


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_top_to_bottom_and_quotes_what_it_prints(path, executed):
    # Run with the CPU-dependent code paths pinned (see grading.quotes), so that the
    # quoted digits are the same on every x86-64 machine; the run is shared with
    # tests/test_release.py, which checks the single-language quotes against it.
    nb, _ = executed(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not any(out.get("output_type") == "error" for out in cell.outputs)
            assert not any(out.get("name") == "stderr" for out in cell.outputs
                           if "nbgrader" in cell.metadata and cell.metadata["nbgrader"].get("grade")), \
                "a test cell wrote to stderr: nbgrader would give it no points"
    assert quotes.quotes(nb), "no expected-output quote"
    assert quotes.stale(nb) == [], "stale quotes: run python -m grading quotes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_quote_can_be_put_in_each_language(path):
    """The single-language versions (grading.bilingual.single_language) resolve every quote: a quoted
    say() printout becomes its language's half, and any other Chinese in a quote raises. The English
    quotes then hold no Chinese. (The slow tests of tests/test_release.py compare them with what each
    language prints.)"""
    nb = C.read(path)
    for lang in ("en", "zh"):
        version = single_language(nb, lang)  # raises UnresolvedQuote for a quote it cannot resolve
        blocks = [block for cell in version.cells if C.is_expected_output(cell) for block in quotes.QUOTE.findall(cell.source)]
        assert blocks, lang
        if lang == "en":
            assert not [block for block in blocks if re.search(r"[\u4e00-\u9fff]", block)]


def test_pinned_environment_names_the_cpu_dependent_choices():
    env = quotes.reproducible_env({})
    assert env["OPENBLAS_NUM_THREADS"] == "1"
    import platform

    if platform.machine() == "x86_64":
        # numpy 2.4 names the AVX2 group X86_V3; numpy 2.2 (the last for Python 3.10) names AVX2 itself
        disabled = set(env["NPY_DISABLE_CPU_FEATURES"].split())
        assert disabled & {"X86_V3", "AVX2"}, "numpy's AVX2 paths must be off"
