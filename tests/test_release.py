"""The student versions carry no solution and no hidden test, and the three
language versions differ only in their prose."""

import re

import h5py
import pytest

from grading import NOTEBOOKS_DIR
from grading import cells as C
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
            # A quoted printout is what the code prints, the same in both languages: not prose.
            prose = [re.sub(r"```text\n.*?\n```", "", c.source, flags=re.S) if C.META_KEY in c.metadata
                     and c.metadata[C.META_KEY].get("expected_output") else c.source
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
