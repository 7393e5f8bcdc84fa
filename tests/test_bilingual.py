"""Every prose cell has an up-to-date partner in the other language, and the
single-language versions keep every code cell."""

import pytest
from nbformat.v4 import new_markdown_cell

from grading import NOTEBOOKS_DIR
from grading import cells as C
from grading.bilingual import accept, pairing_problems, single_language

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_course_notebooks_are_paired(path):
    assert pairing_problems(C.read(path), path.name) == []


def small_notebook():
    return C.notebook([
        *C.prose("intro", "Gradient descent takes small steps.", "梯度下降每次走一小步。"),
        C.code("x = 1"),
        *C.prose("end", "That is all.", "就这些。"),
    ])


def test_a_sound_fixture_passes():
    assert pairing_problems(small_notebook()) == []


def test_stale_translation_is_caught_and_can_be_accepted(tmp_path):
    nb = small_notebook()
    nb.cells[0].source = "Gradient descent takes many small steps."
    problems = pairing_problems(nb)
    assert len(problems) == 1 and "stale" in problems[0] and "'intro'" in problems[0]
    path = C.write(nb, tmp_path / "nb.ipynb")
    accept(path, "intro")
    assert pairing_problems(C.read(path)) == []


def test_missing_partner_is_caught():
    nb = small_notebook()
    del nb.cells[1]
    assert any("no Chinese cell" in problem for problem in pairing_problems(nb))


def test_untagged_markdown_and_duplicate_ids_are_caught():
    nb = small_notebook()
    nb.cells += C.prose("intro", "Again.", "再说一遍。")
    nb.cells.insert(2, new_markdown_cell("A note without a partner."))
    problems = "\n".join(pairing_problems(nb))
    assert "without an English partner" in problems and "used twice" in problems


def test_chinese_cell_must_contain_chinese():
    nb = C.notebook(C.prose("p", "Hello.", "Hello."))
    assert any("no Chinese text" in problem for problem in pairing_problems(nb))


@pytest.mark.parametrize("lang, kept, dropped", [("en", "Gradient", "梯度"), ("zh", "梯度", "Gradient")])
def test_single_language_versions(lang, kept, dropped):
    nb = small_notebook()
    version = single_language(nb, lang)
    prose = "\n".join(cell.source for cell in version.cells if cell.cell_type == "markdown")
    assert kept in prose and dropped not in prose
    assert [c.source for c in version.cells if c.cell_type == "code"] == ["x = 1"]
    assert len(nb.cells) == 5  # the original is untouched


def _words_of_svg(path):
    import re

    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_each_language_shows_a_diagram_in_its_own_language(path):
    """An English cell's SVG has no Chinese; a Chinese cell's SVG has no English word
    (code and layer names such as LINEAR, A_prev or J(AL, Y) are neither)."""
    import re

    for cell in C.read(path).cells:
        lang = cell.metadata.get(C.META_KEY, {}).get("lang")
        if cell.cell_type != "markdown" or lang is None:
            continue
        for name in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.svg)\)", cell.source):
            words = _words_of_svg(path.parent / name)
            if lang == "en":
                assert not re.search(r"[\u4e00-\u9fff]", words), f"{name}: Chinese in an English cell's diagram"
            else:
                english = [w for w in re.findall(r"\b[a-z]{3,}\b", words) if w not in ("tanh", "sigmoid", "relu", "softmax")]
                assert not english, f"{name}: English words {english} in a Chinese cell's diagram"
