"""Finding submissions, and recording every problem so that none is dropped.

Accepted layouts:

- nbgrader's ``submitted/`` tree: ``<root>/<student>/<assignment>/<files>``;
- a folder (or a .zip of one) of notebooks named by student, as nbgrader's
  zip-collect names them; the default pattern is nbgrader's documented example
  ``<anything>_<student>_attempt_<timestamp>_<file>.ipynb``, and any regular
  expression with a ``student_id`` group can replace it. The latest attempt of
  a student is graded.

Every folder or file found becomes a :class:`Submission`; one that cannot be
graded carries a ``problem`` in both languages and still reaches the gradebook.
"""

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

DEFAULT_NAMING = r".*_(?P<student_id>\w+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+)"


@dataclass
class Submission:
    """One student's hand-in for one assignment.

    notebook -- the parsed notebook (None when it could not be read);
    problem -- (en, zh) why it cannot be graded, or None; notes -- [(en, zh)] about repairs.
    """

    student: str
    assignment: str
    origin: str
    notebook: object = None
    problem: tuple = None
    notes: list = field(default_factory=list)


def read_notebook(path):
    """Parse a notebook file; returns (notebook, None) or (None, (en, zh) problem)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, (f"{path.name} is not UTF-8 text (byte {exc.start}); it cannot be a notebook.",
                      f"{path.name} 不是 UTF-8 文本（第 {exc.start} 个字节出错），不可能是 notebook。")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, (f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                      f"the file was probably damaged: ask the student to download it again from Jupyter.",
                      f"{path.name} 不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），"
                      f"文件可能已损坏：请学生从 Jupyter 重新下载。")
    if not isinstance(raw, dict) or "cells" not in raw:
        return None, (f"{path.name} is JSON but not a notebook (no cells).",
                      f"{path.name} 是 JSON 文件，但不是 notebook（没有单元格）。")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed notebooks
        return None, (f"{path.name} is not a valid notebook: {exc}", f"{path.name} 不是有效的 notebook：{exc}")
    return nb, None


def _pick_notebook(folder, expected_name):
    """The notebook of a submission folder: the expected name, else the only notebook."""
    notebooks = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    others = sorted(p.name for p in folder.rglob("*")
                    if p.is_file() and p.suffix != ".ipynb" and not p.name.startswith("."))
    if (folder / expected_name).is_file():
        return folder / expected_name, []
    if not notebooks:
        if others:
            listing = ", ".join(others[:5])
            return None, (f"no notebook in the submission, only: {listing}.",
                          f"提交中没有 notebook，只有：{listing}。")
        return None, ("the submission folder is empty.", "提交的文件夹是空的。")
    chosen = notebooks[0]
    note = (f"the notebook was named {chosen.name} instead of {expected_name}; graded it anyway.",
            f"notebook 的文件名是 {chosen.name}，而不是 {expected_name}；仍然照常评分。")
    if len(notebooks) > 1:
        note = (note[0] + f" ({len(notebooks)} notebooks found, the first in name order was taken)",
                note[1] + f"（找到 {len(notebooks)} 个 notebook，取了按名称排序的第一个）")
    return chosen, [note]


def from_submitted_tree(root, assignment, expected_name):
    """Submissions of ``assignment`` in nbgrader's ``<root>/<student>/<assignment>/`` layout."""
    out = []
    for student_dir in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        folder = student_dir / assignment
        if not folder.is_dir():
            continue
        out.append(_from_folder(student_dir.name, assignment, folder, expected_name))
    return out


def _from_folder(student, assignment, folder, expected_name):
    submission = Submission(student, assignment, str(folder))
    path, found = _pick_notebook(folder, expected_name)
    if path is None:
        submission.problem = found
        return submission
    submission.notes += found
    submission.notebook, submission.problem = read_notebook(path)
    return submission


def from_named_files(folder, assignment, naming=DEFAULT_NAMING):
    """Submissions in a folder of files named by student (nbgrader's zip-collect naming)."""
    pattern = re.compile(naming)
    if "student_id" not in pattern.groupindex:
        raise ValueError("the naming pattern needs a (?P<student_id>...) group / 命名规则中需要 (?P<student_id>...) 分组")
    latest = {}
    unmatched = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__MACOSX" not in p.parts):
        match = pattern.match(path.stem) or pattern.match(path.name)
        if not match:
            unmatched.append(path)
            continue
        student = match.group("student_id")
        stamp = match.groupdict().get("timestamp") or ""
        if student not in latest or stamp >= latest[student][0]:
            latest[student] = (stamp, path)
    out = []
    for student, (_, path) in sorted(latest.items()):
        submission = Submission(student, assignment, str(path))
        if path.suffix != ".ipynb":
            submission.problem = (f"{path.name} is not a notebook (.ipynb).", f"{path.name} 不是 notebook（.ipynb）文件。")
        else:
            submission.notebook, submission.problem = read_notebook(path)
        out.append(submission)
    for path in unmatched:
        # Kept, under its file name, so the instructor sees it in the gradebook and can rename it.
        submission = Submission(_safe_id(path.stem), assignment, str(path))
        submission.problem = (f"the file name {path.name} does not match the naming pattern, so its student is unknown.",
                              f"文件名 {path.name} 不符合命名规则，无法确定是哪位学生的提交。")
        out.append(submission)
    return out


def _safe_id(text):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:60] or "unnamed"


def collect(source, assignment, expected_name, naming=DEFAULT_NAMING):
    """All submissions of ``assignment`` in ``source`` (a submitted tree, a folder or a .zip).

    Returns: (list of Submission, cleanup) -- call ``cleanup()`` when done (removes an unpacked zip).
    """
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist / {source} 不存在")
    if source.is_file() and source.suffix == ".zip":
        unpacked = Path(tempfile.mkdtemp(prefix="dlcourse-zip-"))
        _safe_extract(source, unpacked)
        return from_named_files(unpacked, assignment, naming), lambda: shutil.rmtree(unpacked, ignore_errors=True)
    if any((child / assignment).is_dir() for child in source.iterdir() if child.is_dir()):
        return from_submitted_tree(source, assignment, expected_name), lambda: None
    return from_named_files(source, assignment, naming), lambda: None


def _safe_extract(archive, target):
    """Unzip, refusing members that would land outside ``target``."""
    with zipfile.ZipFile(archive) as handle:
        for member in handle.infolist():
            destination = (target / member.filename).resolve()
            if not str(destination).startswith(str(target.resolve())):
                raise ValueError(f"unsafe path in {archive.name}: {member.filename}")
        handle.extractall(target)
