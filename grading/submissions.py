"""Making submissions from a student version: used by the demo and by the tests.

A submission is a student version with some solution cells filled in. The
reference answer of a cell is the source notebook's solution cell without its
BEGIN/END SOLUTION marker lines; a "mistake" is a text edit of that answer
(old -> new), which must match exactly once so a stale recipe fails loudly.
"""

import shutil
from dataclasses import dataclass, field

from . import NOTEBOOKS_DIR
from .cells import read, write
from .release import release_dir

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass
class Submission:
    """What one (made-up) student hands in.

    student -- nbgrader student id; lang -- "bilingual", "en" or "zh";
    solved -- True: every exercise filled with the reference answer, False: left blank;
    edits -- {grade_id: [(old, new), ...]} applied to the reference answers;
    story -- (English, Chinese) one line on what this submission shows;
    lost -- exercises that must score 0 (all of them when not solved).
    """

    student: str
    lang: str = "bilingual"
    solved: bool = True
    edits: dict = field(default_factory=dict)
    story: tuple = ("", "")
    lost: set = field(default_factory=set)


def reference_answers(assignment):
    """{grade_id: source} of the solution cells of the source notebook, markers removed."""
    answers = {}
    for path in sorted((NOTEBOOKS_DIR / assignment).glob("*.ipynb")):
        for cell in read(path).cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("solution"):
                lines = [line for line in cell.source.splitlines() if line.strip() not in MARKERS]
                answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def apply_edits(source, edits, where):
    for old, new in edits:
        count = source.count(old)
        if count != 1:
            raise ValueError(f"{where}: the edit {old!r} -> {new!r} matches {count} times, expected once")
        source = source.replace(old, new)
    return source


def make_submission(assignment, submission, target_dir):
    """Write ``submission`` of ``assignment`` into ``target_dir`` (notebooks and course files).

    Returns: list of notebook paths written.
    """
    source_dir = release_dir(submission.lang) / assignment
    if not source_dir.is_dir():
        raise FileNotFoundError(f"{source_dir} does not exist: release the assignment first")
    answers = reference_answers(assignment) if submission.solved else {}
    unknown = set(submission.edits) - set(answers)
    if unknown:
        raise ValueError(f"{submission.student}: edits name unknown or unsolved cells {sorted(unknown)}")
    if target_dir.exists():
        shutil.rmtree(target_dir)
    shutil.copytree(source_dir, target_dir)
    written = []
    for path in sorted(target_dir.glob("*.ipynb")):
        nb = read(path)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
                cell.source = apply_edits(answers[grade_id], submission.edits.get(grade_id, []),
                                          f"{submission.student}/{grade_id}")
        write(nb, path)
        written.append(path)
    return written


def standard_submissions(assignment, recipe_module):
    """The demo cohort of an assignment: perfect, blank, English-only, Chinese-only,
    plus the typical mistakes the assignment's recipe lists in ``DEMO_MISTAKES``."""
    cohort = [
        Submission("ada_perfect", story=("every exercise right", "所有练习都做对了")),
        Submission("ben_blank", solved=False, story=("nothing filled in", "什么都没有填写")),
        Submission("emma_english_only", lang="en", story=("every exercise right, English version", "所有练习都做对了，英文版")),
        Submission("li_chinese_only", lang="zh", story=("every exercise right, Chinese version", "所有练习都做对了，中文版")),
    ]
    for student, (edits, story, lost) in getattr(recipe_module, "DEMO_MISTAKES", {}).items():
        cohort.append(Submission(student, edits=edits, story=story, lost=set(lost)))
    return cohort
