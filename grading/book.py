"""The course as a static website for self-learners: ``python -m grading book``.

It renders the student versions (grading.release: no solution code, no hidden test) with
nbconvert's ``basic`` template, whose markdown goes through the course's renderer
(grading.math_render: formulas as MathML, so the site works offline with no script at all).
Three editions, one folder each, with the same page names, so a page's twin in another
edition is always ``../../<edition>/<assignment>/``::

    build/book/index.html                      the choice of edition
    build/book/assets/book.css                 one stylesheet for every page
    build/book/<edition>/index.html            table of contents, in course order
    build/book/<edition>/<assignment>/index.html, its figures, and its student notebook

Figures computed by the lesson's code (decision boundaries, cost curves) exist only after a
run with the solutions. **The rule**: the source notebook is executed, and a code cell of the
book keeps the *image* outputs (PNG, JPEG, SVG) of the executed cell with the same id, only
when its source (in the bilingual release, whose English-only and Chinese-only twins change
comments and docstrings alone) is the same as that cell's: the given code that every learner
runs unchanged.
A solution cell, a test cell or anything the release rewrote keeps no output; no text output
is kept anywhere (:func:`computed_figures`).

**Figures in each edition's language.** The run is bilingual, so its figures say "cost / 代价".
Running every lesson three times (once per language) would triple the build, so the run is made
once, with a setup cell the book puts first (:func:`setup_cell`, never part of a release): the
course's ``label()`` notes each bilingual text it returns (helpers.plotting.record_labels), and
an extra IPython display formatter draws each figure twice more, its recorded labels swapped to
English and to Chinese (:func:`figure_in_languages`), into one more entry of the figure's output
(``FIGURE_EDITIONS_MIME``). Only the figures that show a recorded label are drawn again; the
others are the same in every edition. :func:`edition_figures` picks each edition's images, with
the figure's words, in the edition's language, as their alt text. (On a machine without a CJK
font label() stays English and notes nothing: every edition shows the English figures.)
"""

import html
import inspect
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import relative
from .cells import TEST_SUFFIX, read
from .expected import recipe, source_notebook
from .nbgrader_api import build_dir
from .release import assignments, release, release_dir

EDITIONS = ("en", "zh", "bilingual")  # bilingual: the release's own notebook, both languages
EDITION_NAMES = {"en": "English", "zh": "中文", "bilingual": "English + 中文"}
HTML_LANG = {"en": "en", "zh": "zh-Hans", "bilingual": "en"}
FIGURE_MIME_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
# The output entry the book's run adds to a figure: {edition: {"alt": words, mime: image}}; the
# "en" and "zh" images are there only when the figure shows a recorded label (figure_in_languages).
FIGURE_EDITIONS_MIME = "application/vnd.dlcourse.figure-editions+json"
SETUP_CELL_ID = "dlcourse-book-setup"
FIGURE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif")

# Words of the book's own pages: {key: (English, Chinese[, bilingual where "English · Chinese" will not do])}.
WORDS = {
    "contents": ("Contents", "目录"),
    "course": ("Course {n}", "第 {n} 课"),
    "book": ("Deep learning from scratch in numpy", "从零开始用 numpy 学深度学习"),
    "intro": ("The assignments of the course as you would work them, with the exercises left blank and the "
              "figures that the given code draws. To do the exercises, run the notebooks on your machine.",
              "课程的全部作业：练习留空，和你自己做作业时看到的一样，并附有课程给出的代码画出的图。"
              "要动手做练习，请在自己的电脑上运行这些 notebook。"),
    "graded": ("Graded functions", "评分函数"),
    "function": ("function", "函数"),
    "points": ("points", "分值"),
    "total": ("total", "合计"),
    "download": ("Download this notebook (student version)", "下载这个 notebook（学生版）"),
    "run": ("Run it on your machine, in the course's folder (a clone of its repository or the unpacked "
            "download); the first run installs everything, then JupyterLab opens on the student notebooks:",
            "在自己的电脑上运行：进入课程文件夹（克隆的仓库或解压后的下载包），首次运行会安装全部依赖，"
            "随后 JupyterLab 会打开学生版 notebook："),
    "edition": ("Edition", "版本"),
    "previous": ("Previous", "上一篇"),
    "next": ("Next", "下一篇"),
    "commands": ("cd dlcourse          # the course's folder\npython3 run.py lab   # on Windows: py run.py lab",
                 "cd dlcourse          # 课程文件夹\npython3 run.py lab   # Windows 上：py run.py lab",
                 "cd dlcourse          # the course's folder / 课程文件夹\n"
                 "python3 run.py lab   # on Windows / Windows 上：py run.py lab"),
}


def say(key, edition, **values):
    """A phrase of the book's own pages in the edition's language (both, in the bilingual edition)."""
    en, zh, *both = (text.format(**values) for text in WORDS[key])
    return {"en": en, "zh": zh}.get(edition, both[0] if both else f"{en} · {zh}")


def paragraphs(key, edition):
    """A sentence of the book's pages as HTML paragraphs: one per language in the bilingual edition."""
    languages = ("en", "zh") if edition == "bilingual" else (edition,)
    return "".join(f'<p lang="{HTML_LANG[language]}">{html.escape(say(key, language))}</p>' for language in languages)


@dataclass
class Chapter:
    """One assignment as a page of the book.

    position -- (course, place in it), from the recipe; notebook -- file name;
    titles -- {edition: title}; graded -- [(function, points)] in notebook order.
    """

    assignment: str
    position: tuple
    notebook: str
    titles: dict = field(default_factory=dict)
    graded: list = field(default_factory=list)


@dataclass
class Book:
    """What a build made: out -- folder; pages -- [path]; seconds; size -- bytes on disk;
    figures -- {assignment: number of computed images}; figure_font -- the CJK font of the plots;
    missing_glyphs -- {assignment: [warning]} of characters a figure could not draw;
    translated -- {assignment: number of those images drawn again in English and in Chinese}."""

    out: Path
    pages: list
    seconds: float
    size: int
    figures: dict
    figure_font: str = None
    missing_glyphs: dict = field(default_factory=dict)
    translated: dict = field(default_factory=dict)


def graded_functions(nb):
    """[(function, points)] of a notebook: its graded test cells ``<function>_tests``, in order."""
    graded = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and meta.get("grade_id", "").endswith(TEST_SUFFIX):
            graded.append((meta["grade_id"][: -len(TEST_SUFFIX)], float(meta.get("points", 0))))
    return graded


def _title(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            if first.startswith("# "):
                return first[2:].strip()
    return ""


def chapters(assignment_ids=None):
    """The chapters of the book in course order (each recipe's POSITION), read from the release."""
    found = []
    for assignment in assignment_ids or assignments():
        module = recipe(assignment)
        chapter = Chapter(assignment, tuple(module.POSITION), module.NOTEBOOK)
        versions = {edition: read(release_dir(edition) / assignment / module.NOTEBOOK) for edition in EDITIONS}
        chapter.titles = {edition: _title(nb) for edition, nb in versions.items() if edition != "bilingual"}
        chapter.titles["bilingual"] = f"{chapter.titles['en']} · {chapter.titles['zh']}"
        chapter.graded = graded_functions(versions["bilingual"])
        found.append(chapter)
    return sorted(found, key=lambda chapter: chapter.position)


# ---------------------------------------------------------------- figures in each language
# The five functions below run in the kernel of the book's run, where setup_cell defines them from
# their source: importing grading there would cost about 1.5 s per lesson (nbformat's schema
# validator) and put the instructor's package on the lesson's path. So they import what they use
# themselves and call only one another.


def _figure_text_artists(fig):
    """The Text artists of ``fig`` that show words: titles, axis and colorbar labels, legend
    entries, annotations, figure texts. Tick labels are left out: their axis rewrites them from
    its formatter at every draw (figure_in_languages wraps the formatters of hand-set labels).

    Inputs:  fig -- a matplotlib Figure.
    Returns: [matplotlib.text.Text], breadth first from the figure (titles before the legend).
    """
    from matplotlib.axis import Tick
    from matplotlib.text import Text

    found, queue = [], [fig]
    for artist in queue:  # the queue grows while it is walked: breadth first, no recursion
        if isinstance(artist, Text):
            found.append(artist)
        if not isinstance(artist, Tick):
            queue.extend(artist.get_children())
    return found


def _in_language(text, drawn, edition):
    """``text`` with each recorded bilingual label in it put in the language of ``edition``.

    A text may join labels ("prediction: cat / 预测：猫" + "\n" + "class: cat / 类别：猫"), so the
    labels are found inside it, longest first, and swapped in one pass (a swapped half is never
    looked at again).

    Inputs:  text -- what an artist shows (str; anything else is returned as it is);
             drawn -- {"en / zh": (en, zh)}, the labels helpers.plotting.label returned;
             edition -- "en", "zh" or "bilingual".
    Returns: the text to show in that edition (``text`` itself for "bilingual" or with no label).
    """
    import re

    if edition == "bilingual" or not isinstance(text, str) or " / " not in text:
        return text  # every recorded label holds " / "
    half = 0 if edition == "en" else 1
    if text in drawn:
        return drawn[text][half]
    inside = sorted((both for both in drawn if both in text), key=len, reverse=True)
    if not inside:
        return text
    return re.sub("|".join(map(re.escape, inside)), lambda found: drawn[found.group(0)][half], text)


def _alt_text(texts):
    """The words of a figure as one line of alt text: its distinct non-empty texts, joined by "; ".

    Inputs:  texts -- [str], what the figure's Text artists show.
    Returns: str ("" for a figure with no words).
    """
    words = []
    for text in texts:
        line = " ".join(str(text).split())
        if line and line not in words:
            words.append(line)
    return "; ".join(words)


def figure_in_languages(fig, printers, drawn):
    """``fig`` as each edition of the book shows it: drawn again with its recorded labels in
    English, then in Chinese, and given back as it was.

    Inputs:
        fig -- a matplotlib Figure, as the lesson drew it (bilingual labels);
        printers -- {mime: function(fig) -> image}, the kernel's figure formatters (base64 PNG or
                    JPEG, SVG text; IPython's retina printer gives (image, metadata));
        drawn -- {"en / zh": (en, zh)}, the labels helpers.plotting.label returned.
    Returns:
        {edition: {"alt": words, mime: image, ...}} for "en", "zh" and "bilingual": the words of
        the figure in that language; the images of "en" and "zh" only when the figure shows a
        recorded label (the bilingual image is the output's own; a figure with no recorded label
        is the same in every edition and is not drawn again).
    """
    from matplotlib.ticker import FixedFormatter, Formatter, FuncFormatter

    class InLanguage(Formatter):
        """A tick formatter showing the labels of another one in one edition's language."""

        def __init__(self, inner, edition):
            self.inner, self.edition = inner, edition

        def __call__(self, x, pos=None):
            return _in_language(self.inner(x, pos), drawn, self.edition)

        def format_ticks(self, values):
            return [_in_language(tick, drawn, self.edition) for tick in self.inner.format_ticks(values)]

        def get_offset(self):
            return self.inner.get_offset()

    texts = [(artist, artist.get_text()) for artist in _figure_text_artists(fig)]
    # tick labels set by hand (set_xticks(..., labels=...), set_xticklabels) are written by a Fixed- or
    # FuncFormatter at every draw: those formatters are wrapped while a language is drawn
    tickers = [(ticker, ticker.formatter) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
               for ticker in (axis.major, axis.minor) if isinstance(ticker.formatter, (FixedFormatter, FuncFormatter))]
    ticks = [str(tick) for ticker, formatter in tickers for tick in formatter.format_ticks(ticker.locator())]
    shown = {edition: [_in_language(text, drawn, edition) for text in [text for _, text in texts] + ticks]
             for edition in ("en", "zh", "bilingual")}
    editions = {edition: {"alt": _alt_text(words)} for edition, words in shown.items()}
    if shown["en"] == shown["bilingual"]:
        return editions  # no recorded label on it
    try:
        for edition in ("en", "zh"):
            for (artist, _), text in zip(texts, shown[edition], strict=False):  # shown: the ticks follow
                artist.set_text(text)
            for ticker, formatter in tickers:
                ticker.formatter = InLanguage(formatter, edition)
            for mime, printer in printers.items():
                image = printer(fig)
                image = image[0] if isinstance(image, tuple) else image
                if image is not None:
                    editions[edition][mime] = image
    finally:  # the lesson's figure as it was, whatever failed: its own image is drawn from it
        for artist, text in texts:
            artist.set_text(text)
        for ticker, formatter in tickers:
            ticker.formatter = formatter
    return editions


def install_figure_editions(mime, image_mimes):
    """Set up the kernel of the book's run: helpers.plotting.label notes the bilingual labels it
    returns, and every matplotlib figure displayed gets one more output entry, ``mime``, holding
    figure_in_languages of it (printed with the kernel's own image formatters, so with the inline
    backend's size and resolution).

    Inputs:  mime -- str, the MIME type of that entry (FIGURE_EDITIONS_MIME);
             image_mimes -- [str], the image types to draw again (those the kernel prints a figure in).
    Returns: dict -- the labels noted so far, {"en / zh": (en, zh)}, filled as the lesson runs.
    """
    import sys

    from IPython import get_ipython
    from IPython.core.formatters import BaseFormatter
    from traitlets import Unicode

    from helpers import plotting

    drawn = {}
    plotting.record_labels(drawn)
    display = get_ipython().display_formatter

    class FigureEditions(BaseFormatter):
        """A display formatter of one more MIME type, whose data is a JSON object, for figures.

        It knows a figure by its class when called, not by a printer registered for it: the inline
        backend removes every formatter's Figure printer when it sets its own formats. An error
        is not caught (as BaseFormatter would): the book's run fails rather than show a figure
        in the wrong language.
        """

        format_type = Unicode(mime)

        def __call__(self, obj):
            figure = sys.modules.get("matplotlib.figure")  # none before the lesson loads matplotlib
            if not self.enabled or figure is None or not isinstance(obj, figure.Figure):
                return None
            printers = {}
            for image_mime in image_mimes:
                formatter = display.formatters.get(image_mime)
                try:
                    if formatter is not None and formatter.enabled:
                        printers[image_mime] = formatter.lookup(obj)
                except KeyError:
                    pass  # the kernel does not print figures in that type
            return figure_in_languages(obj, printers, drawn)

    display.register_formatter(FigureEditions(parent=display))
    return drawn


_KERNEL_FUNCTIONS = (_figure_text_artists, _in_language, _alt_text, figure_in_languages, install_figure_editions)


def setup_cell():
    """The code cell the book puts first in a lesson for its run (no release holds it).

    It defines the kernel-side functions above from their source in a namespace of their own (the
    lesson's variables stay as they are) and calls install_figure_editions.

    Inputs:  none.
    Returns: nbformat code cell with id SETUP_CELL_ID.
    """
    from nbformat.v4 import new_code_cell

    source = "\n\n".join(inspect.getsource(function) for function in _KERNEL_FUNCTIONS)
    source += f"\n\ninstall_figure_editions({FIGURE_EDITIONS_MIME!r}, {list(FIGURE_MIME_TYPES)!r})\n"
    cell = new_code_cell("# the book's run only (grading.book.setup_cell): each figure drawn in every language\n"
                         f"exec({source!r}, {{'__name__': 'dlcourse_book_figures'}})")
    cell.id = SETUP_CELL_ID
    return cell


def _execute(assignment):
    """Run the source notebook of ``assignment`` (with its solutions) in the pinned environment,
    after :func:`setup_cell`; return (assignment, the executed notebook without that cell)."""
    from .quotes import execute

    path = source_notebook(assignment)
    nb = read(path)
    nb.cells.insert(0, setup_cell())
    # the inline backend whatever MPLBACKEND says here (a test run sets Agg): plt.show() must leave an
    # image; bilingual whatever DLCOURSE_LANGUAGE says: the figures are drawn in one language each from it
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline", DLCOURSE_LANGUAGE="bilingual")
    execute(nb, path.parent, timeout=600, env=env)
    nb.cells = [cell for cell in nb.cells if cell.get("id") != SETUP_CELL_ID]
    return assignment, nb


def computed_figures(executed, student):
    """{cell id: [image outputs]} for the code cells of ``student`` that may show computed figures.

    A cell qualifies when ``executed`` (the source notebook after a run) has a code cell with
    the same id and the same source: the given code, unchanged by the release. Only
    display_data / execute_result outputs are used, and of them only the image types (and the
    figure's images in each language, ``FIGURE_EDITIONS_MIME``, which :func:`edition_figures`
    reads), so no printed number, no error and no text of a solution reaches the book.
    """
    by_id = {cell.get("id"): cell for cell in executed.cells if cell.cell_type == "code"}
    kept = {}
    for cell in student.cells:
        twin = by_id.get(cell.get("id"))
        if cell.cell_type != "code" or twin is None or twin.source != cell.source:
            continue
        images = []
        for output in twin.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = {mime: output["data"][mime] for mime in FIGURE_MIME_TYPES if mime in output.get("data", {})}
            if data:
                if FIGURE_EDITIONS_MIME in output["data"]:
                    data[FIGURE_EDITIONS_MIME] = output["data"][FIGURE_EDITIONS_MIME]
                images.append({"output_type": "display_data", "data": data, "metadata": {}})
        if images:
            kept[cell["id"]] = images
    return kept


def edition_figures(kept, edition):
    """The figures of :func:`computed_figures` as one edition shows them.

    Inputs:  kept -- {cell id: [image outputs]}, from computed_figures;
             edition -- "en", "zh" or "bilingual".
    Returns: {cell id: [display_data outputs]}: each image in the edition's language where the run
             drew it in that language (else the run's own image), with the figure's words in that
             language as alt text; only image types and the alt text, nothing else of the run.
    """
    shown = {}
    for cell_id, outputs in kept.items():
        shown[cell_id] = []
        for output in outputs:
            data = output["data"]
            editions = data.get(FIGURE_EDITIONS_MIME) or {}
            own = editions.get(edition) or {}
            images = {mime: own.get(mime, data[mime]) for mime in FIGURE_MIME_TYPES if mime in data}
            alt = own.get("alt")
            shown[cell_id].append({"output_type": "display_data", "data": images,
                                   "metadata": {"alt": alt} if isinstance(alt, str) and alt else {}})
    return shown


def translated_figures(kept):
    """How many of the figures of :func:`computed_figures` were drawn again in English and in Chinese.

    Inputs:  kept -- {cell id: [image outputs]}.
    Returns: int.
    """
    return sum(1 for outputs in kept.values() for output in outputs
               if any(mime in (output["data"].get(FIGURE_EDITIONS_MIME) or {}).get("en", {})
                      for mime in FIGURE_MIME_TYPES))


def missing_glyphs(executed):
    """Lines of matplotlib's warnings, in an executed notebook's outputs, about characters its
    fonts cannot draw (``Glyph 20013 ... missing from font(s) DejaVu Sans``): a figure whose
    Chinese would show as boxes."""
    found = []
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            found += [line.strip() for line in text.splitlines() if "missing from font" in line]
    return found


def _exporter():
    from nbconvert import HTMLExporter

    from .math_render import markdown_html

    # markdown2html: the course's renderer (MathML formulas, raw HTML escaped) instead of nbconvert's
    return HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True,
                        filters={"markdown2html": markdown_html})


def _stylesheet():
    from pygments.formatters import HtmlFormatter

    return BOOK_CSS + "\n" + HtmlFormatter().get_style_defs(".highlight") + "\n"


BOOK_CSS = """\
:root { --text: #1d1d1f; --muted: #5f6368; --rule: #d9dce1; --accent: #3b5ea8; --code: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); line-height: 1.6; font-size: 16px;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC",
               "PingFang SC", "Microsoft YaHei", sans-serif; }
:lang(zh-Hans) { line-height: 1.75; }
a { color: var(--accent); }
.layout { display: flex; min-height: 100vh; }
nav.toc { flex: 0 0 17rem; padding: 1rem; border-right: 1px solid var(--rule); background: #fafbfc; font-size: 0.92rem; }
nav.toc ol { padding-left: 1.2rem; margin: 0.2rem 0 0.8rem; }
nav.toc .current { font-weight: 600; }
main { flex: 1; min-width: 0; max-width: 54rem; padding: 1rem 2rem 3rem; overflow-wrap: break-word; }
.tools { border: 1px solid var(--rule); border-radius: 6px; padding: 0.6rem 1rem; margin: 0.5rem 0 1.5rem;
  background: #fbfcfe; font-size: 0.95rem; }
.switch a, .switch strong { margin-right: 0.8rem; }
.pager { display: flex; justify-content: space-between; margin-top: 2rem; border-top: 1px solid var(--rule);
  padding-top: 0.8rem; }
table { border-collapse: collapse; margin: 0.6rem 0; }
td, th { border: 1px solid var(--rule); padding: 0.2rem 0.6rem; text-align: left; }
pre, code { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; font-size: 0.9em; }
pre { background: var(--code); padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 4px; }
:not(pre) > code { background: var(--code); padding: 0.05rem 0.25rem; border-radius: 3px; }
.input_area pre, .highlight pre { white-space: pre; }
.output_area img, main img { max-width: 100%; height: auto; }
div.math { overflow-x: auto; margin: 0.6rem 0; }
math[display="block"] { font-size: 1.1em; }
.cell { margin: 0.4rem 0; }
@media (max-width: 52rem) {
  .layout { display: block; }
  nav.toc { border-right: none; border-bottom: 1px solid var(--rule); }
  main { padding: 0.8rem 1rem 2rem; }
}
"""


def _toc(book_chapters, edition, current=None, prefix="../"):
    """The table of contents, grouped by course; links relative to a page ``prefix`` deep."""
    parts = [f"<h2>{html.escape(say('contents', edition))}</h2>"]
    course = None
    for chapter in book_chapters:
        if chapter.position[0] != course:
            if course is not None:
                parts.append("</ol>")
            course = chapter.position[0]
            parts.append(f"<strong>{html.escape(say('course', edition, n=course))}</strong><ol>")
        title = html.escape(chapter.titles[edition])
        css = ' class="current"' if chapter.assignment == current else ""
        parts.append(f'<li{css}><a href="{prefix}{chapter.assignment}/index.html">{title}</a></li>')
    parts.append("</ol>")
    return '<nav class="toc">' + "".join(parts) + "</nav>"


def _switch(edition, target):
    """Links to the same page in the other editions (``target``: the path below an edition)."""
    links = []
    for other in EDITIONS:
        name = html.escape(EDITION_NAMES[other])
        if other == edition:
            links.append(f"<strong>{name}</strong>")
        else:
            depth = "../" * (target.count("/") + 1)
            links.append(f'<a class="edition" data-edition="{other}" hreflang="{HTML_LANG[other]}" '
                         f'href="{depth}{other}/{target}">{name}</a>')
    return f'<p class="switch">{html.escape(say("edition", edition))}: {" ".join(links)}</p>'


def _page(edition, title, toc, body, depth):
    css = "../" * depth + "assets/book.css"
    return (f'<!DOCTYPE html>\n<html lang="{HTML_LANG[edition]}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n</head>\n"
            f'<body>\n<div class="layout">\n{toc}\n<main>\n{body}\n</main>\n</div>\n</body>\n</html>\n')


def _tools(chapter, edition):
    rows = "".join(f"<tr><td><code>{html.escape(function)}</code></td><td>{points:g}</td></tr>"
                   for function, points in chapter.graded)
    total = sum(points for _, points in chapter.graded)
    return (f'<div class="tools">{_switch(edition, f"{chapter.assignment}/index.html")}'
            f'<p><a class="download" href="{html.escape(chapter.notebook)}" download>'
            f'{html.escape(say("download", edition))}</a></p>'
            f"{paragraphs('run', edition)}<pre>{html.escape(say('commands', edition))}</pre>"
            f"<details open><summary>{html.escape(say('graded', edition))}</summary>"
            f"<table><tr><th>{html.escape(say('function', edition))}</th><th>{html.escape(say('points', edition))}</th></tr>"
            f"{rows}<tr><td>{html.escape(say('total', edition))}</td><td>{total:g}</td></tr></table></details></div>")


def _pager(book_chapters, index, edition):
    links = []
    for step, key in ((-1, "previous"), (1, "next")):
        other = index + step
        if 0 <= other < len(book_chapters):
            chapter = book_chapters[other]
            links.append(f'<a rel="{"prev" if step < 0 else "next"}" href="../{chapter.assignment}/index.html">'
                         f"{html.escape(say(key, edition))}: {html.escape(chapter.titles[edition])}</a>")
        else:
            links.append("<span></span>")
    return f'<p class="pager">{"".join(links)}</p>'


def _figure_font():
    from helpers.plotting import find_cjk_font

    return find_cjk_font()


def build(out=None, assignment_ids=None, figures=True, workers=None, log=print):
    """Build the book into ``out`` (default: build/book/) and return a :class:`Book`.

    Inputs: assignment_ids -- default all; figures -- execute the source notebooks for the
    computed figures (about a minute or two on 2 cores) or leave them out; workers -- parallel
    kernels (default: the number of cores).
    """
    started = time.perf_counter()
    out = Path(out or build_dir() / "book")
    release(assignment_ids, log=lambda *_: None)
    book_chapters = chapters(assignment_ids)
    log(f"book: {len(book_chapters)} assignments x {len(EDITIONS)} editions"
        f"{', running the lessons for their figures' if figures else ', without computed figures'} ...")
    executed = {}
    if figures:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            for done, (assignment, nb) in enumerate(pool.map(_execute, [c.assignment for c in book_chapters]), 1):
                executed[assignment] = nb
                log(f"  ran {assignment} ({done}/{len(book_chapters)}, {time.perf_counter() - started:.0f} s)")
    if out.exists():
        shutil.rmtree(out)
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "book.css").write_text(_stylesheet(), encoding="utf-8")
    exporter = _exporter()
    # judged once per chapter on the bilingual release, whose code cells are the source's; the other
    # editions differ from it only in comments and docstrings (grading.code_language) and share its cell ids
    kept_by_chapter = {
        chapter.assignment: computed_figures(executed[chapter.assignment],
                                             read(release_dir("bilingual") / chapter.assignment / chapter.notebook))
        if figures else {} for chapter in book_chapters}
    counts = {assignment: sum(map(len, kept.values())) for assignment, kept in kept_by_chapter.items()}
    translated = {assignment: translated_figures(kept) for assignment, kept in kept_by_chapter.items()}
    pages = []
    for edition in EDITIONS:
        for index, chapter in enumerate(book_chapters):
            folder = release_dir(edition) / chapter.assignment
            student = read(folder / chapter.notebook)
            kept = edition_figures(kept_by_chapter[chapter.assignment], edition)
            for cell in student.cells:
                if cell.cell_type == "code":
                    cell.outputs = kept.get(cell.get("id"), [])
            body, _ = exporter.from_notebook_node(student)
            target = out / edition / chapter.assignment
            target.mkdir(parents=True)
            shutil.copy2(folder / chapter.notebook, target / chapter.notebook)  # the download: no outputs
            for path in folder.iterdir():
                if path.suffix.lower() in FIGURE_SUFFIXES:
                    shutil.copy2(path, target / path.name)
            content = _tools(chapter, edition) + body + _pager(book_chapters, index, edition)
            page = target / "index.html"
            page.write_text(_page(edition, chapter.titles[edition], _toc(book_chapters, edition, chapter.assignment),
                                  content, depth=2), encoding="utf-8")
            pages.append(page)
        intro = (f"<h1>{html.escape(say('book', edition))}</h1>{_switch(edition, 'index.html')}"
                 f"{paragraphs('intro', edition)}{paragraphs('run', edition)}"
                 f"<pre>{html.escape(say('commands', edition))}</pre>")
        page = out / edition / "index.html"
        page.write_text(_page(edition, say("book", edition), _toc(book_chapters, edition, prefix=""), intro, depth=1),
                        encoding="utf-8")
        pages.append(page)
    choices = "".join(f'<li><a hreflang="{HTML_LANG[e]}" href="{e}/index.html">{html.escape(EDITION_NAMES[e])}</a></li>'
                      for e in EDITIONS)
    front = out / "index.html"
    front.write_text(_page("bilingual", say("book", "bilingual"), "",
                           f"<h1>{html.escape(say('book', 'bilingual'))}</h1><ul>{choices}</ul>", depth=0),
                     encoding="utf-8")
    pages.append(front)
    book = Book(out, pages, time.perf_counter() - started, sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
                counts, _figure_font() if figures else None,
                {assignment: found for assignment, nb in executed.items() if (found := missing_glyphs(nb))}, translated)
    (out / "manifest.json").write_text(json.dumps({
        "editions": list(EDITIONS), "chapters": [c.assignment for c in book_chapters],
        "computed_figures": counts, "figures_in_each_language": translated,
        "figure_font": book.figure_font, "missing_glyphs": book.missing_glyphs},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for assignment, warnings in book.missing_glyphs.items():
        log(f"  warning: {assignment}: {len(warnings)} characters its figures could not draw ({warnings[0]})")
    if figures:
        log(f"  {sum(translated.values())} of {sum(counts.values())} figures drawn in each edition's language")
    log(f"book: {len(pages)} pages, {book.size / 1e6:.1f} MB, {book.seconds:.0f} s -> {relative(out / 'index.html')}")
    return book
