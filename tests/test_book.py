"""The book for self-learners (grading/book.py): the rule for computed figures on small
factory notebooks, then the whole book, built once and opened page by page in Chromium."""

import html
import json
import os
import re
from pathlib import Path

import pytest
from browser_support import assert_page_renders
from nbformat.v4 import new_output

from grading import book as book_module
from grading.book import (EDITIONS, FIGURE_EDITIONS_MIME, computed_figures, edition_figures, figure_in_languages,
                          graded_functions, missing_glyphs, say, setup_cell)
from grading.cells import check_cell, code, notebook, prose, read, solution
from grading.expected import recipe, source_notebook
from grading.nbgrader_api import build_dir
from grading.release import assignments, release_dir

PNG = "iVBORw0KGgo="  # any base64 stands for an image here


def _image(mime="image/png"):
    return new_output("display_data", data={mime: PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"})


def _executed_and_student(student_source="plot(X)"):
    """A source notebook after a run and a student version of it, with matching cell ids."""
    given = code("plot(X)")
    given.id = "given-plot"
    given.outputs = [new_output("stream", name="stdout", text="cost after 100 iterations: 0.25\n"), _image()]
    answer = solution("predict", "def predict(X):\n    ### BEGIN SOLUTION\n    return X > 0.5\n    ### END SOLUTION")
    answer.id = "answer"
    answer.outputs = [_image()]
    executed = notebook([given, answer])
    twin = code(student_source)
    twin.id = "given-plot"
    blank = solution("predict", "def predict(X):\n    raise NotImplementedError()")
    blank.id = "answer"
    return executed, notebook([twin, blank])


def test_a_given_cell_keeps_only_the_images_of_its_run():
    executed, student = _executed_and_student()
    kept = computed_figures(executed, student)
    assert list(kept) == ["given-plot"]
    assert [list(output["data"]) for output in kept["given-plot"]] == [["image/png"]]  # no text/plain, no stream


def test_a_cell_the_release_changed_keeps_nothing():
    # the solution cell differs in the student version; a given cell edited since the run as well
    executed, student = _executed_and_student(student_source="plot(X)  # edited")
    assert computed_figures(executed, student) == {}


def test_errors_and_printed_values_never_reach_the_book():
    executed, student = _executed_and_student()
    executed.cells[0].outputs = [new_output("error", ename="ValueError", evalue="shapes", traceback=[]),
                                 new_output("execute_result", data={"text/plain": "0.6931"}, execution_count=1)]
    assert computed_figures(executed, student) == {}


def test_svg_and_jpeg_figures_are_kept_too():
    executed, student = _executed_and_student()
    executed.cells[0].outputs = [_image("image/svg+xml"), _image("image/jpeg")]
    assert [list(o["data"]) for o in computed_figures(executed, student)["given-plot"]] == [["image/svg+xml"],
                                                                                            ["image/jpeg"]]


# ------------------------------------------------------ figures in each edition's language

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def bilingual_labels(monkeypatch):
    """label() in bilingual mode, noting what it returns (as in the book's run): yields the store."""
    from helpers import language, plotting

    monkeypatch.setattr(language, "_chosen", "bilingual")
    if not plotting.setup_fonts():  # no CJK font here: the Chinese halves are drawn as boxes, still different
        monkeypatch.setattr(plotting, "setup_fonts", lambda refresh=False: True)
    drawn = {}
    previous = plotting.record_labels(drawn)
    yield drawn
    plotting.record_labels(previous)


def _png_printer(seen):
    """A figure printer like the inline backend's (base64 PNG) that also notes the words the
    figure holds at the moment it is drawn: [texts of its Text artists] + [hand-set tick labels]."""
    import base64
    import io

    from grading.book import _figure_text_artists

    def printer(fig):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=40)
        # after the draw: the tick labels are those the axes wrote for this image
        ticks = [tick.get_text() for ax in fig.axes for tick in ax.get_xticklabels()]
        seen.append([artist.get_text() for artist in _figure_text_artists(fig)] + ticks)
        return base64.b64encode(buffer.getvalue()).decode("ascii")

    return printer


def test_a_figure_is_drawn_with_each_languages_labels_and_given_back_as_it_was(bilingual_labels):
    import matplotlib.pyplot as plt

    from helpers.plotting import label, plot_costs

    fig, (ax, other) = plt.subplots(1, 2)
    plot_costs({label("plain", "普通网络"): [0.7, 0.5], "adam": [0.6, 0.2]}, learning_rate=0.01, ax=ax)
    ax.set_title(label("prediction: cat", "预测：猫") + "\n" + label("class: cat", "类别：猫"))  # labels joined
    other.plot([0, 1], [0, 1])
    other.set_xticks([0, 1], labels=[label("before", "之前"), label("after", "之后")])
    other.set_ylabel("||W||")  # no label(): the same in every language
    seen = []
    printer = _png_printer(seen)
    bilingual_before = printer(fig)
    editions = figure_in_languages(fig, {"image/png": printer}, bilingual_labels)
    bilingual_after = printer(fig)
    plt.close(fig)

    english, chinese = seen[1], seen[2]
    assert {"plain", "adam", "cost", "prediction: cat\nclass: cat", "before", "||W||"} <= set(english)
    assert not [text for text in english if CJK.search(text)], english
    assert {"普通网络", "adam", "代价", "预测：猫\n类别：猫", "之后", "||W||"} <= set(chinese)
    assert not [text for text in chinese if " / " in text], chinese
    assert "cost / 代价" in seen[0] and seen[3] == seen[0]  # the lesson's figure is given back unchanged
    assert bilingual_after == bilingual_before
    assert len({editions["en"]["image/png"], editions["zh"]["image/png"], bilingual_before}) == 3
    assert "image/png" not in editions["bilingual"]  # the output's own image is the bilingual one
    assert "cost" in editions["en"]["alt"] and not CJK.search(editions["en"]["alt"])
    assert "代价" in editions["zh"]["alt"] and "cost" not in editions["zh"]["alt"]
    assert "cost / 代价" in editions["bilingual"]["alt"]


def test_a_figure_without_a_recorded_label_is_not_drawn_again(bilingual_labels):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    ax.set_title("gd / momentum")  # looks bilingual, but no label() said it
    seen = []
    editions = figure_in_languages(fig, {"image/png": _png_printer(seen)}, bilingual_labels)
    plt.close(fig)
    assert seen == []
    assert editions == {edition: {"alt": "gd / momentum"} for edition in ("en", "zh", "bilingual")}


def test_each_edition_gets_its_languages_image_and_alt_text():
    executed, student = _executed_and_student()
    executed.cells[0].outputs[1]["data"][FIGURE_EDITIONS_MIME] = {
        "en": {"alt": "cost", "image/png": "RU4="}, "zh": {"alt": "代价", "image/png": "Wkg="},
        "bilingual": {"alt": "cost / 代价"}}
    executed.cells[0].outputs.append(_image())  # a figure with no words: the same in every edition
    kept = computed_figures(executed, student)
    assert book_module.translated_figures(kept) == 1
    shown = {edition: edition_figures(kept, edition)["given-plot"] for edition in EDITIONS}
    assert [output["data"] for output in shown["en"]] == [{"image/png": "RU4="}, {"image/png": PNG}]
    assert [output["data"] for output in shown["zh"]] == [{"image/png": "Wkg="}, {"image/png": PNG}]
    assert [output["data"] for output in shown["bilingual"]] == [{"image/png": PNG}, {"image/png": PNG}]
    assert [output["metadata"] for output in shown["zh"]] == [{"alt": "代价"}, {}]
    student.cells[0].outputs = shown["zh"]
    body, _ = book_module._exporter().from_notebook_node(student)
    assert 'src="data:image/png;base64,Wkg="' in body and 'alt="代价"' in body


def test_the_setup_cell_gives_each_figure_of_a_kernel_its_languages():
    """The book's setup cell in a real IPython shell (a subprocess, as a kernel is): a figure
    displayed there carries its English and Chinese images beside the bilingual one."""
    import subprocess
    import sys

    from helpers.plotting import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("no CJK font on this machine: label() stays English, there is nothing to swap")
    script = "\n".join([
        "import json, sys",
        "from IPython.core.interactiveshell import InteractiveShell",
        "from IPython.core.pylabtools import select_figure_formats",
        "shell = InteractiveShell.instance()",
        "assert shell.run_cell(sys.stdin.read()).success",
        "select_figure_formats(shell, {'png'})",
        "import matplotlib.pyplot as plt",
        "from helpers.plotting import label",
        "fig, ax = plt.subplots()",
        "ax.set_title(label('cost', '代价'))",
        "data, _ = shell.display_formatter.format(fig)",
        f"editions = data[{FIGURE_EDITIONS_MIME!r}]",
        "print(json.dumps({'names': sorted(shell.user_ns), 'grading': 'grading' in sys.modules,"
        " 'editions': {e: sorted(v) for e, v in editions.items()},"
        " 'alt': {e: v['alt'] for e, v in editions.items()},"
        " 'differ': len({editions['en']['image/png'], editions['zh']['image/png'], data['image/png']})}))",
    ])
    # no PYTHONPATH to the repository: the kernel of the book's run has the helpers only, not grading
    env = {**os.environ, "MPLBACKEND": "Agg", "DLCOURSE_LANGUAGE": "bilingual"}
    env.pop("PYTHONPATH", None)
    run = subprocess.run([sys.executable, "-c", script], input=setup_cell().source, capture_output=True, text=True,
                         env=env, cwd="/", timeout=120)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found["editions"] == {"en": ["alt", "image/png"], "zh": ["alt", "image/png"], "bilingual": ["alt"]}
    assert found["alt"] == {"en": "cost", "zh": "代价", "bilingual": "cost / 代价"}
    assert found["differ"] == 3 and not found["grading"]
    assert not [name for name in found["names"] if "figure" in name or "edition" in name]  # the lesson's names only


def test_graded_functions_are_the_test_cells_with_their_points():
    nb = notebook([*prose("intro", "Hello", "你好"), solution("forward", "def forward(): pass"),
                   check_cell("forward", points=15), solution("backward", "def backward(): pass"),
                   check_cell("backward")])
    assert graded_functions(nb) == [("forward", 15.0), ("backward", 10.0)]


def test_glyph_warnings_of_a_run_are_found():
    nb = notebook([code("plt.title('代价')")])
    nb.cells[0].outputs = [new_output("stream", name="stderr",
                                      text="UserWarning: Glyph 20195 (\\N{CJK UNIFIED IDEOGRAPH-4EE3}) missing from "
                                           "font(s) DejaVu Sans.\n  fig.canvas.print_figure(bytes_io)\n")]
    assert len(missing_glyphs(nb)) == 1


def test_the_page_words_exist_in_both_languages_and_the_bilingual_edition_shows_both():
    for key, words in book_module.WORDS.items():
        assert len(words) in (2, 3) and all(words), key
        assert re.search(r"[\u4e00-\u9fff]", words[1]), f"{key}: the Chinese words hold no Chinese"
    assert say("contents", "bilingual") == "Contents · 目录"
    assert say("course", "zh", n=2) == "第 2 课"


def test_every_assignment_has_its_own_place_in_the_course():
    positions = [tuple(recipe(assignment).POSITION) for assignment in assignments()]
    assert len(set(positions)) == len(positions), positions
    assert all(course >= 1 and place >= 1 for course, place in positions)


# ------------------------------------------------------------------ the whole book


@pytest.fixture(scope="module")
def built_book():
    """The book with its figures, built once into the tests' build folder."""
    return book_module.build(build_dir() / "book", log=lambda *_: None)


def _chapter_pages(built):
    return [page for page in built.pages if page.parent.parent.parent == built.out]


def _visible_text(page):
    """The text of a page as a reader sees it: tags dropped (code is split into highlighted spans)."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", "", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def test_every_page_loads_without_an_error_and_shows_math_not_tex(built_book, browser):
    assert len(built_book.pages) == len(EDITIONS) * (len(assignments()) + 1) + 1
    for page in built_book.pages:
        visit = browser.visit(page)
        assert_page_renders(visit, formulas=page in _chapter_pages(built_book))


def test_the_language_switch_goes_to_the_same_page_and_back(built_book, browser):
    english = built_book.out / "en" / "optimization" / "index.html"
    chinese = browser.follow(english, 'a[data-edition="zh"]')
    assert chinese == (built_book.out / "zh" / "optimization" / "index.html").as_uri()
    assert browser.follow(Path(chinese.removeprefix("file://")), 'a[data-edition="en"]') == english.as_uri()
    bilingual = browser.follow(english, 'a[data-edition="bilingual"]')
    assert bilingual == (built_book.out / "bilingual" / "optimization" / "index.html").as_uri()


def test_every_link_of_the_book_leads_to_a_file_of_the_book(built_book):
    for page in built_book.pages:
        for target in re.findall(r'(?:href|src)="([^"#:]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / target).resolve().is_file(), f"{page}: {target} does not exist"


def _solution_and_hidden_lines(nb):
    """The lines of the solution regions and hidden-test blocks of a source notebook."""
    lines, inside = [], False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
                inside = True
            elif marker in ("### END SOLUTION", "### END HIDDEN TESTS"):
                inside = False
            elif inside and len(marker) >= 8:
                lines.append(marker)
    return lines


def test_no_page_holds_a_line_of_a_solution_or_of_a_hidden_test(built_book):
    for assignment in assignments():
        notebook_name = recipe(assignment).NOTEBOOK
        # a line the students also see (a shared comment, "return cost") is no leak
        student_text = "\n".join(cell.source for edition in EDITIONS
                                 for cell in read(release_dir(edition) / assignment / notebook_name).cells)
        secret = [line for line in _solution_and_hidden_lines(read(source_notebook(assignment)))
                  if line not in student_text]
        assert secret, f"{assignment}: no solution line to look for"
        for edition in EDITIONS:
            text = _visible_text(built_book.out / edition / assignment / "index.html")
            leaked = [line for line in secret if line in text]
            assert not leaked, f"{edition}/{assignment} shows solution or hidden-test lines: {leaked[:3]}"
            download = (built_book.out / edition / assignment / notebook_name).read_text(encoding="utf-8")
            assert "BEGIN SOLUTION" not in download and "BEGIN HIDDEN TESTS" not in download


def test_pages_show_computed_figures_and_no_printed_output(built_book):
    assert built_book.figures["planar_classification"] > 0 and built_book.figures["optimization"] > 0
    for edition in EDITIONS:
        for assignment in ("planar_classification", "optimization"):
            page = (built_book.out / edition / assignment / "index.html").read_text(encoding="utf-8")
            assert page.count('src="data:image/png;base64,') >= built_book.figures[assignment]
    for page in _chapter_pages(built_book):
        assert "jp-RenderedText" not in page.read_text(encoding="utf-8"), f"{page}: a printed output"


def _figures(page):
    """[(base64 PNG, alt text)] of the images a page shows from data URIs: the computed figures."""
    found = []
    for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
        image = re.search(r'src="data:image/png;base64,([^"]+)"', tag)
        alt = re.search(r'alt="([^"]*)"', tag)
        if image:
            found.append((image.group(1), html.unescape(alt.group(1)) if alt else ""))
    return found


def test_each_edition_shows_the_figures_drawn_in_its_language(built_book):
    assert 0 < built_book.translated["planar_classification"] <= built_book.figures["planar_classification"]
    for assignment in assignments():
        shown = {edition: _figures(built_book.out / edition / assignment / "index.html") for edition in EDITIONS}
        assert len({len(figures) for figures in shown.values()}) == 1, f"{assignment}: editions differ in figures"
        for (en, en_alt), (zh, zh_alt), (both, both_alt) in zip(*(shown[edition] for edition in EDITIONS),
                                                                 strict=True):
            # the alt text is what the image was drawn with: an English figure never shows a Chinese
            # (or a bilingual) label, and a figure whose words differ by language is drawn in each
            assert not CJK.search(en_alt), f"en/{assignment}: a figure drawn with {en_alt!r}"
            if en_alt != both_alt:
                assert CJK.search(zh_alt) and zh_alt != both_alt, f"zh/{assignment}: {zh_alt!r}"
                assert len({en, zh, both}) == 3, f"{assignment}: {en_alt!r} has no image of its own per edition"
            else:
                assert en == zh == both, f"{assignment}: a figure without labels differs between editions"
    planar = {edition: [image for image, _ in _figures(built_book.out / edition / "planar_classification"
                                                        / "index.html")] for edition in EDITIONS}
    assert set(planar["en"]) != set(planar["zh"])
    assert sum(en != zh for en, zh in zip(planar["en"], planar["zh"], strict=True)) \
        == built_book.translated["planar_classification"]


def test_chinese_in_the_figures_is_drawn_with_a_cjk_font(built_book):
    from helpers.plotting import CJK_FONT_CANDIDATES

    assert built_book.figure_font in CJK_FONT_CANDIDATES
    assert built_book.missing_glyphs == {}
    manifest = json.loads((built_book.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["figure_font"] == built_book.figure_font


def test_each_page_offers_its_notebook_the_commands_and_the_graded_functions(built_book):
    for assignment in assignments():
        notebook_name = recipe(assignment).NOTEBOOK
        graded = graded_functions(read(release_dir("bilingual") / assignment / notebook_name))
        assert graded
        for edition in EDITIONS:
            page = (built_book.out / edition / assignment / "index.html").read_text(encoding="utf-8")
            assert f'href="{notebook_name}" download' in page
            assert "python3 run.py lab" in page
            for function, points in graded:
                assert f"<td><code>{function}</code></td><td>{points:g}</td>" in page


def test_the_contents_follow_the_course_order(built_book):
    order = sorted(assignments(), key=lambda assignment: tuple(recipe(assignment).POSITION))
    for edition in EDITIONS:
        contents = (built_book.out / edition / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'href="(\w+)/index\.html"', contents) == order


def test_chinese_pages_are_chinese_and_typeset(built_book):
    for assignment in assignments():
        page = (built_book.out / "zh" / assignment / "index.html").read_text(encoding="utf-8")
        assert '<html lang="zh-Hans">' in page
        prose_only = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<(pre|code|math)\b.*?</\1>", "", page, flags=re.S)))
        assert "**" not in prose_only, f"zh/{assignment}: a literal emphasis marker"
        assert '"' not in prose_only, f"zh/{assignment}: an ASCII quote in Chinese prose"
        assert len(re.findall(r"[\u4e00-\u9fff]", prose_only)) > 1000


def test_a_screenshot_of_one_page_per_edition_is_not_blank(built_book, browser):
    from PIL import Image

    folder = build_dir() / "book-screenshots"
    folder.mkdir(exist_ok=True)
    for edition in EDITIONS:
        shot = folder / f"{edition}.png"
        browser.visit(built_book.out / edition / "planar_classification" / "index.html", screenshot=shot)
        assert shot.stat().st_size > 20_000, f"{shot}: {shot.stat().st_size} bytes"
        with Image.open(shot) as image:
            assert image.size == (1280, 720)
            assert len(image.convert("L").getcolors(maxcolors=4096) or range(4096)) > 16, f"{shot} is blank"
