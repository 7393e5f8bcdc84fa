"""Formulas become MathML when a page is built (grading/math_render.py): every formula of the
lessons converts, a formula cannot carry HTML into a page, and what cannot be converted shows as
its escaped source rather than breaking the page."""

import functools
import re

import nbformat
import pytest

from grading.math_render import Unrenderable, formula_html, mathml
from grading import COURSE_ROOT

pytest.importorskip("latex2mathml")
mistune = pytest.importorskip("mistune")


def _formulas_in(tokens):
    for token in tokens:
        if token["type"] in ("block_math", "inline_math"):
            yield token["raw"], token["type"] == "block_math"
        yield from _formulas_in(token.get("children") or [])


@functools.lru_cache(maxsize=1)
def lesson_formulas():
    """Every distinct (formula, display) pair of the lessons' markdown cells, as mistune finds them."""
    parse = mistune.create_markdown(renderer=None, plugins=["math"])
    found = set()
    for path in sorted((COURSE_ROOT / "notebooks").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                found.update(_formulas_in(parse(cell.source)))
    return sorted(found)


def test_the_lessons_have_formulas_to_check():
    assert len(lesson_formulas()) > 300  # the walk over the notebooks found them


def test_every_lesson_formula_converts_without_falling_back():
    failures = []
    for latex, display in lesson_formulas():
        try:
            mathml(latex, display)
        except Unrenderable as error:
            failures.append(f"{latex!r}: {error}")
    assert not failures, "\n".join(failures)


def test_a_block_formula_is_a_display_math_element():
    page = formula_html(r"J = -\frac{1}{m}\sum_{i=1}^{m} y^{(i)}\log a^{[L](i)}", display=True)
    assert page.startswith('<div class="math"><math') and 'display="block"' in page
    assert "<mfrac>" in page and "\\frac" not in page and "$" not in page


def test_norms_and_underscores_in_text_use_spellings_the_converter_knows():
    assert "\u2016" in mathml(r"\| d\theta \|_2") or "\u2225" in mathml(r"\| d\theta \|_2")
    assert "W_grad" in mathml(r"\text{W\_grad}")
    assert "\\" not in mathml(r"\big\| x \big\|")


@pytest.mark.parametrize("latex", [
    r"\text{<script>alert(1)</script>}",
    r"\text{</math><img src=x onerror=alert(2)>}",
    r"\mathrm{&lt;b&gt;}",
])
def test_text_in_a_formula_cannot_become_html(latex):
    page = formula_html(latex)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert re.fullmatch(r'<span class="math">.*</span>', page, flags=re.S)


def test_a_link_in_a_formula_loses_its_address():
    page = formula_html(r"\href{javascript:alert(1)}{x}")
    assert "<math" in page and "href" not in page and "javascript" not in page


@pytest.mark.parametrize("latex", [r"\foo{x}", r"\frac{1}{", r"x^{"])
def test_what_cannot_be_converted_shows_as_escaped_source(latex):
    with pytest.raises(Unrenderable):
        mathml(latex)
    page = formula_html(latex)
    assert '<code class="tex">' in page and "<math" not in page


def test_a_cohort_feedback_page_needs_no_script_and_no_cdn():
    from types import SimpleNamespace

    from grading.cohort.report import feedback_html
    from grading.cohort.results import SubmissionResult

    spec = SimpleNamespace(assignment="demo", max_score=1, exercises=[SimpleNamespace(function="f", points=1)])
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Inline $a^{[l]} = g(z^{[l]})$ and\n\n$$\\frac{1}{m}$$\n")]
    page = feedback_html(SubmissionResult("s1", "demo", scores={"f": 1.0}), spec, nb)
    assert "<script" not in page.lower() and "cdn" not in page.lower() and "mathjax" not in page.lower()
    assert page.count("<math") == 2 and "$" not in page
