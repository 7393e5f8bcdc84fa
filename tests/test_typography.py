"""Prose renders as it was written, in both languages: no emphasis marker left as literal text
(CommonMark does not close ``**`` between a full-width bracket and a Chinese character, so the
course writes ``**术语**（term）``), and Chinese prose quotes with “…” only."""

import re

import nbformat
import pytest

from grading import NOTEBOOKS_DIR

mistune = pytest.importorskip("mistune")
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))
PARSE = mistune.create_markdown(renderer=None, plugins=["math", "table", "strikethrough"])


def prose_texts(tokens):
    """The plain text runs of a markdown AST: no code span, code block or formula."""
    for token in tokens:
        if token["type"] == "text":
            yield token["raw"]
        yield from prose_texts(token.get("children") or [])


def markdown_cells(path, lang=None):
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "markdown" and lang in (None, cell.metadata.get("dlcourse", {}).get("lang")):
            yield index, cell.source


def emphasis_left_as_text(source):
    return [text for text in prose_texts(PARSE(source)) if re.search(r"\*\*|__|(?<![\w\\])\*\S", text)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_no_emphasis_marker_shows_as_text(path):
    found = {index: left for index, source in markdown_cells(path) if (left := emphasis_left_as_text(source))}
    assert not found, f"{path.name}: literal emphasis markers in cells {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_chinese_prose_quotes_with_chinese_quotation_marks(path):
    for index, source in markdown_cells(path, lang="zh"):
        text = "".join(prose_texts(PARSE(source)))
        assert '"' not in text, f"{path.name} cell {index}: ASCII quotes in Chinese prose; write “…”"
        assert text.count("“") == text.count("”"), f"{path.name} cell {index}: unbalanced “…”"


def test_the_check_sees_the_cases_it_is_for():
    assert emphasis_left_as_text("模块之间通过**缓存（cache）**传递数据。")
    assert not emphasis_left_as_text("模块之间通过**缓存**（cache）传递数据。")
    assert not emphasis_left_as_text("`a ** 2` and $a^{**}$ and **bold**")


GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:[ ,\u2009\u202f]\d{3})+\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_numbers_are_written_one_way_in_both_languages(path):
    """30000, as the code writes it: not "30,000" here and "30 000" there (printouts aside)."""
    for index, source in markdown_cells(path):
        text = "".join(prose_texts(PARSE(source)))
        assert not GROUPED_NUMBER.findall(text), f"{path.name} cell {index}: {GROUPED_NUMBER.findall(text)}"


def test_the_number_check_sees_grouped_numbers():
    assert GROUPED_NUMBER.findall("15 000 iterations, 30,000 steps") == ["15 000", "30,000"]
    assert not GROUPED_NUMBER.findall("30000 iterations, 0.5, (2, 400)")
