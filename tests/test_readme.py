"""The README tells what the code does: its table of assignments and its commands."""

import re
from collections import Counter
from pathlib import Path

import run
from grading.book import EDITIONS, chapters

README = Path(__file__).resolve().parent.parent / "README.md"


def _assignment_rows():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Assignments"):text.index("### Data")]
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in table.splitlines() if line.startswith("| ") and "`notebooks/" in line]


def test_the_table_of_assignments_follows_the_recipes(released):
    rows = _assignment_rows()
    expected = []
    for chapter in chapters():
        points = Counter(points for _, points in chapter.graded)
        expected.append([str(chapter.position[0]), f"`notebooks/{chapter.assignment}/`",
                         f"{chapter.titles['en']} · {chapter.titles['zh']}",
                         " + ".join(f"{count} × {value:g}" for value, count in points.items())])
    assert rows == expected


def test_every_job_of_run_py_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for job in run.JOBS:
        assert re.search(rf"python3 run\.py {job}\b", text), job
    for edition in EDITIONS:
        assert f"`{edition}/`" in text or f"build/book/{edition}/" in text, edition
