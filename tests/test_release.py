"""The student versions carry no solution and no hidden test, the three
language versions differ only in their prose, and a single-language version
quotes what its code prints in its language."""

import os
import re

import h5py
import pytest

from grading import NOTEBOOKS_DIR
from grading import cells as C
from grading import quotes
from grading.code_language import code_without_docstrings, localizable
from grading.release import LANGUAGE_DIRS, assignments, release_dir
from grading.submissions import MARKERS

HAN = re.compile(r"[\u4e00-\u9fff]")
STUB = "# YOUR CODE HERE / 在这里写你的代码"


def solution_lines(source_path):
    """Lines found only inside BEGIN/END SOLUTION regions of the source notebook
    (a line that also stands in given code, such as a call in an example cell, is public)."""
    inside_lines, outside_lines = set(), set()
    for cell in C.read(source_path).cells:
        if cell.cell_type != "code":
            continue
        inside = False
        for line in cell.source.splitlines():
            if line.strip() == MARKERS[0]:
                inside = True
            elif line.strip() == MARKERS[1]:
                inside = False
            elif line.strip():
                (inside_lines if inside else outside_lines).add(line.strip())
    return sorted(inside_lines - outside_lines)


@pytest.mark.parametrize("lang", list(LANGUAGE_DIRS))
@pytest.mark.parametrize("assignment", assignments())
def test_release_has_no_solutions_and_no_hidden_tests(released, assignment, lang):
    folder = release_dir(lang) / assignment
    for source in (NOTEBOOKS_DIR / assignment).glob("*.ipynb"):
        text = (folder / source.name).read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden_report", 'suite="hidden"'):
            assert marker not in text
        code = "\n".join(cell.source for cell in C.read(folder / source.name).cells if cell.cell_type == "code")
        leaked = [line for line in solution_lines(source) if line in code]
        assert leaked == [], f"solution lines in the student version: {leaked[:3]}"
        stub = {"bilingual": STUB, "en": "# YOUR CODE HERE", "zh": "# 在这里写你的代码"}[lang]
        assert code.count(stub) == sum(1 for cell in C.read(source).cells
                                       if cell.metadata.get("nbgrader", {}).get("solution")
                                       for line in cell.source.splitlines() if line.strip() == MARKERS[0])


@pytest.mark.parametrize("assignment", assignments())
def test_release_carries_only_public_checks(released, assignment):
    for lang in LANGUAGE_DIRS:
        folder = release_dir(lang) / assignment
        stored = sorted(path.name for path in folder.glob("*.h5"))
        assert stored == ["public_checks.h5"]
        with h5py.File(folder / "public_checks.h5", "r") as handle:
            assert handle.attrs["suite"] == "public"
            assert (folder / "public_checks.h5").read_bytes() == (NOTEBOOKS_DIR / assignment / "public_checks.h5").read_bytes()


@pytest.mark.parametrize("assignment", assignments())
def test_language_versions_share_code_and_keep_their_own_prose(released, assignment):
    versions = {lang: {path.name: C.read(path) for path in (release_dir(lang) / assignment).glob("*.ipynb")}
                for lang in LANGUAGE_DIRS}
    for name, bilingual in versions["bilingual"].items():
        # the same code (syntax trees without docstrings) and metadata; locked and test cells byte for byte
        code = [(code_without_docstrings(c.source), c.metadata.get("nbgrader"), c.source if not localizable(c) else "")
                for c in bilingual.cells if c.cell_type == "code"]
        for lang in ("en", "zh"):
            nb = versions[lang][name]
            assert [(code_without_docstrings(c.source), c.metadata.get("nbgrader"), c.source if not localizable(c) else "")
                    for c in nb.cells if c.cell_type == "code"] == code
            comments = [line for c in nb.cells if c.cell_type == "code" and localizable(c)
                        for line in c.source.splitlines() if "#" in line]
            other = {"en": HAN, "zh": re.compile(r"#.* / .*[\u4e00-\u9fff]")}[lang]
            assert not [line for line in comments if other.search(line.split("#", 1)[1])], lang
            # A quoted printout is what the code prints, not prose (its say() messages are in the
            # release's language: test_single_language_quotes_show_what_that_language_prints).
            prose = [re.sub(r"```text\n.*?\n```", "", c.source, flags=re.S) if C.is_expected_output(c)
                     else c.source
                     for c in nb.cells if c.cell_type == "markdown"]
            assert prose, lang
            has_chinese = [bool(HAN.search(text)) for text in prose]
            assert all(has_chinese) if lang == "zh" else not any(has_chinese)


def test_students_install_only_the_helpers_package():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from grading import COURSE_ROOT

    config = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # helpers and its subpackages only (tests/test_package.py checks the wheel itself)
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["helpers", "helpers.*"]
    assert not list((COURSE_ROOT / "helpers").rglob("*.h5")), "hidden or public cases inside the installed package"


def test_single_language_releases_set_the_language_of_their_messages(released, monkeypatch):
    from helpers import language

    monkeypatch.setattr(language, "_chosen", None)
    monkeypatch.delenv(language.ENV, raising=False)
    for lang in ("en", "zh"):
        for assignment in assignments():
            monkeypatch.chdir(release_dir(lang) / assignment)  # where the notebook's kernel starts
            assert language.language() == lang
    monkeypatch.chdir(release_dir() / assignments()[0])
    assert language.language() == "bilingual"


def in_language(printout, said, lang):
    """What the bilingual ``printout`` reads where the course speaks ``lang``: each recorded say() output,
    ``en + between + zh``, replaced by its ``lang`` half (longest first, so that a message inside a longer
    one does not split it). Made from the run's own record, not from grading.printouts' reading of the code.

    Inputs:  printout -- str; said -- (en, zh, between) of the run's say() calls; lang -- "en" or "zh".
    Returns: (str, list of the (en, zh, between) whose output the printout holds).
    """
    shown = []
    for en, zh, between in sorted(set(said), key=lambda call: -len(call[0] + call[2] + call[1])):
        if en + between + zh in printout:
            shown.append((en, zh, between))
            printout = printout.replace(en + between + zh, en if lang == "en" else zh)
    return printout, shown


def release_quotes(lang, assignment, name):
    """{pair: quoted text} of the expected-output cells of a release's notebook."""
    nb = C.read(release_dir(lang) / assignment / name)
    return {cell.metadata[C.META_KEY]["pair"]: quotes.QUOTE.search(cell.source).group(1)
            for cell in nb.cells if C.is_expected_output(cell)}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("assignment", assignments())
def test_single_language_quotes_show_what_that_language_prints(released, executed, assignment, lang):
    """Each quote of release-en and release-zh is the printout of the bilingual run with every say()
    output in the release's language: exactly what the release's code prints there (helpers.language
    changes nothing else). An English quote holds no Chinese, and a Chinese one keeps no English half
    of a say() printout."""
    path = quotes.notebook_path(assignment)
    nb, said = executed(path)
    printed = {nb.cells[index].metadata[C.META_KEY]["pair"]: printout for index, _, printout in quotes.quotes(nb)}
    quoted = release_quotes(lang, assignment, path.name)
    assert sorted(quoted) == sorted(printed)
    for pair, text in quoted.items():
        expected, shown = in_language(printed[pair], said, lang)
        assert quotes.normal(text) == quotes.normal(expected), pair
        if lang == "en":
            assert not HAN.search(text), pair
        else:
            assert not [en for en, zh, _ in shown if en not in zh and en in text], pair


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_single_language_kernel_prints_what_its_release_quotes(released, lang):
    """End to end, on the lesson whose printouts say() the most (gradient checking, 5 s a run): the source
    notebook, run in the release's folder, whose course_language.txt sets the language, prints every quote
    of that release. (Running deep_nn_application so would take minutes; the recorded run covers it.)"""
    from helpers.language import ENV

    assignment = "gradient_checking"
    path = quotes.notebook_path(assignment)
    env = {key: value for key, value in os.environ.items() if key != ENV}
    nb = quotes.run(path, env=env, cwd=release_dir(lang) / assignment)
    printed = {nb.cells[index].metadata[C.META_KEY]["pair"]: printout for index, _, printout in quotes.quotes(nb)}
    quoted = release_quotes(lang, assignment, path.name)
    assert sorted(quoted) == sorted(printed)
    assert {pair: quotes.normal(text) for pair, text in quoted.items()} == \
        {pair: quotes.normal(text) for pair, text in printed.items()}
    # and the kernel did speak the release's language (the folder's course_language.txt was read)
    verdicts = [line for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
                if out.get("name") == "stdout" for line in out["text"].splitlines()
                if "The gradient is correct!" in line or "梯度正确！" in line]
    assert verdicts and set(verdicts) == {{"en": "The gradient is correct!", "zh": "梯度正确！"}[lang]}
