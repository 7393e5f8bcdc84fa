"""Markdown with LaTeX formulas turned into HTML and MathML when a page is built, so pages show math offline.

Browsers draw MathML themselves (Chromium since 109, Firefox, Safari): a page needs no script
and no CDN. The conversion is latex2mathml's; this module only

- rewrites the few spellings it does not know (``\\|``, ``\\_`` inside ``\\text``) into ones it does;
- rebuilds its output element by element, keeping MathML tags and presentation attributes only,
  with every text escaped: a formula in a learner's markdown cell cannot put HTML into a page
  (latex2mathml copies ``\\text{...}`` verbatim and ``\\href`` into an attribute);
- falls back to the formula's source, escaped, in ``<code class="tex">`` when the conversion fails
  or leaves a command it did not understand. ``tests/test_math_render.py`` checks that no formula
  of the lessons falls back.

:func:`markdown_html` is the one markdown renderer of the course's pages: the cohort's feedback
pages (grading/cohort/report.py) and nbgrader's feedback (grading/autograde.py puts it in place of
nbconvert's ``markdown2html`` filter, whose formulas wait for MathJax from a CDN).
"""

import functools
import html
import re
import xml.etree.ElementTree as ET

MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mstyle", "mtable", "mtr", "mtd", "munder", "mover", "munderover", "mpadded",
    "mphantom", "menclose", "merror", "semantics", "annotation",
}
ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "form", "separator", "minsize", "maxsize", "symmetric",
    "largeop", "movablelimits", "accent", "accentunder", "lspace", "rspace", "width", "height", "depth",
    "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines",
    "frame", "displaystyle", "scriptlevel", "notation",
}
ENTITY = re.compile(r"&#x([0-9a-fA-F]+);")  # latex2mathml writes some symbols as entity text
LEFTOVER_COMMAND = re.compile(r"\\[A-Za-z]+|\\[|{}]")
TEXT_ARGUMENT = re.compile(r"\\(text|textrm|textit|textbf|texttt|mathrm)\{([^{}]*)\}")
SIZED_NORM = re.compile(r"\\(big|Big|bigg|Bigg)[lr]?\s*(\\\||\\[lr]?Vert(?![A-Za-z]))")  # \big\| and kin
NORM = re.compile(r"\\\||\\Vert(?![A-Za-z])")


class Unrenderable(ValueError):
    """A formula that latex2mathml could not turn into MathML faithfully."""


def normalise(latex):
    """Spell a formula the way latex2mathml understands it (same meaning, same look)."""
    latex = TEXT_ARGUMENT.sub(lambda m: f"\\{m.group(1)}{{{m.group(2).replace(chr(92) + '_', '_')}}}", latex)
    latex = SIZED_NORM.sub(lambda m: f"\\{m.group(1)}\u2016", latex)  # latex2mathml sizes only a literal bar
    return NORM.sub(lambda m: "\\lVert ", latex)


def _rebuild(source, target_parent=None):
    if source.tag.split("}")[-1] not in MATHML_TAGS:
        raise Unrenderable(f"unexpected element {source.tag!r}")
    tag = source.tag.split("}")[-1]
    element = ET.Element(tag) if target_parent is None else ET.SubElement(target_parent, tag)
    for name, value in source.attrib.items():
        if name in ATTRIBUTES:
            element.set(name, value)
    for attribute in ("text", "tail"):
        value = getattr(source, attribute)
        if value:
            value = ENTITY.sub(lambda m: chr(int(m.group(1), 16)), value)
            if attribute == "text" and LEFTOVER_COMMAND.search(value):
                raise Unrenderable(f"command left untranslated: {value!r}")
            setattr(element, attribute, value)
    for child in source:
        _rebuild(child, element)
    return element


def mathml(latex, display=False):
    """One formula as a MathML string; raises Unrenderable when it cannot be converted faithfully.

    Inputs: latex -- the formula without its ``$`` delimiters; display -- True for a block formula.
    """
    from latex2mathml.converter import convert_to_element

    try:
        converted = convert_to_element(normalise(latex), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises its own errors and plain IndexErrors alike
        raise Unrenderable(f"{type(error).__name__}: {error}") from error
    element = _rebuild(converted)
    element.set("xmlns", "http://www.w3.org/1998/Math/MathML")
    return ET.tostring(element, encoding="unicode", short_empty_elements=False)


@functools.lru_cache(maxsize=8192)
def formula_html(latex, display=False):
    """A formula for an HTML page: MathML, or its escaped source in ``<code class="tex">``."""
    try:
        rendered = mathml(latex, display)
    except Unrenderable:
        rendered = f'<code class="tex">{html.escape(latex)}</code>'
    return f'<div class="math">{rendered}</div>\n' if display else f'<span class="math">{rendered}</span>'


@functools.lru_cache(maxsize=1)
def _markdown_renderer():
    import mistune

    # escape=True: a learner's own markdown cell cannot put HTML into the page (the lessons use none)
    render = mistune.create_markdown(escape=True, plugins=["math", "table", "strikethrough"])
    render.renderer.register("block_math", lambda _renderer, text: formula_html(text, display=True))
    render.renderer.register("inline_math", lambda _renderer, text: formula_html(text))
    return render


@functools.lru_cache(maxsize=4096)
def markdown_html(source):
    """A markdown cell's source (str) as HTML, its formulas as MathML and any raw HTML escaped."""
    return _markdown_renderer()(str(source))
