"""Finding submissions, and recording every problem so that none is dropped.

Accepted layouts:

- nbgrader's ``submitted/`` tree: ``<root>/<student>/<assignment>/<files>``;
- a folder (or a .zip of one) of notebooks named by student, as nbgrader's
  zip-collect names them; the default pattern reads nbgrader's documented
  example ``<prefix>_<student>_attempt_<timestamp>_<file>.ipynb`` (the prefix
  is optional), and any regular expression with a ``student_id`` group can
  replace it. The latest attempt of a student is graded.

Every folder or file found becomes a :class:`Submission`; one that cannot be
graded carries a ``problem`` in both languages and still reaches the gradebook.
So does every zip member that was refused (unsafe path, link, device, duplicate,
too large) and every symbolic link, which is never followed.
"""

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.errors import CourseError

# The FIRST "_attempt_<timestamp>_" decides the student: the LMS writes everything up to
# it, while the student chooses the file name after it (which may itself contain
# "_attempt_"). The student id is the last "_"-free word before it, as nbgrader's
# greedy example pattern read it.
DEFAULT_NAMING = (r"^(?:(?:(?!_attempt_[0-9\-]+_).)*_)?(?P<student_id>[^\W_]+)"
                  r"_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+)")

MAX_MEMBER_BYTES = 50 * 2**20   # a course notebook with outputs is a few MB
MAX_TOTAL_BYTES = 2**30          # a whole cohort's zip, unpacked
MAX_MEMBERS = 10_000             # files in one zip

_SKIPPED_DIRS = {".ipynb_checkpoints", "__MACOSX"}


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


def _size(n):
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"


def _shown(name):
    # Member and file names come from the submitters: no control characters in the reports.
    return re.sub(r"[\x00-\x1f\x7f]", "?", str(name))[:200]


def _link_ignored(name):
    return (f"{_shown(name)} is a symbolic link; it was ignored (links are never followed, "
            f"so that a submission cannot point at another student's file).",
            f"{_shown(name)} 是符号链接，已忽略（从不跟随链接，以免提交指向其他学生的文件）。")


def _special_ignored(name):
    return (f"{_shown(name)} is not a regular file (a device, FIFO or socket); it was ignored.",
            f"{_shown(name)} 不是普通文件（而是设备、FIFO 或套接字），已忽略。")


def read_notebook(path, max_bytes=MAX_MEMBER_BYTES):
    """Parse a notebook file without following a symbolic link or reading more than ``max_bytes``.

    Inputs: path -- the file; max_bytes -- the largest file accepted.
    Returns: (notebook, None) or (None, (en, zh) problem).
    """
    path = Path(path)
    # O_NONBLOCK: opening a FIFO must not hang; O_NOFOLLOW: a link swapped in after the walk is refused.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if path.is_symlink():
            return None, _link_ignored(path.name)
        return None, (f"{_shown(path.name)} cannot be opened: {exc.strerror}.",
                      f"无法打开 {_shown(path.name)}：{exc.strerror}。")
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None, _special_ignored(path.name)
        data = handle.read(max_bytes + 1)  # the size on disk may lie (or grow): read at most one byte too many
    if len(data) > max_bytes:
        return None, (f"{_shown(path.name)} is larger than the limit of {_size(max_bytes)}; it was not read.",
                      f"{_shown(path.name)} 超过了 {_size(max_bytes)} 的大小上限，未读取。")
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
    except RecursionError:
        return None, (f"{path.name} is nested too deeply to be a notebook.", f"{path.name} 嵌套过深，不可能是 notebook。")
    if not isinstance(raw, dict) or "cells" not in raw:
        return None, (f"{path.name} is JSON but not a notebook (no cells).",
                      f"{path.name} 是 JSON 文件，但不是 notebook（没有单元格）。")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed notebooks
        return None, (f"{path.name} is not a valid notebook: {exc}", f"{path.name} 不是有效的 notebook：{exc}")
    return nb, None


def _walk(folder):
    """The regular files under ``folder``, never following a symbolic link.

    Inputs: folder -- a Path.
    Returns: (sorted [Path] of regular files, sorted [(Path, (en, zh) reason)] of entries skipped:
    symbolic links, devices, FIFOs, unreadable folders). Checkpoint and __MACOSX folders are left out.
    """
    files, skipped, stack = [], [], [Path(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            skipped.append((current, (f"the folder {_shown(current.name)} cannot be read: {exc.strerror}.",
                                      f"无法读取文件夹 {_shown(current.name)}：{exc.strerror}。")))
            continue
        for entry in entries:
            path = current / entry.name
            if entry.is_symlink():
                skipped.append((path, _link_ignored(entry.name)))
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in _SKIPPED_DIRS:
                    stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            else:
                skipped.append((path, _special_ignored(entry.name)))
    return sorted(files), sorted(skipped, key=lambda item: item[0])


def _pick_notebook(folder, expected_name):
    """The notebook of a submission folder: the expected name, else the only notebook.

    Returns: (path or None, [(en, zh)] notes, (en, zh) problem or None).
    """
    files, skipped = _walk(folder)
    notes = [reason for _, reason in skipped]
    notebooks = [p for p in files if p.suffix == ".ipynb"]
    others = sorted(p.name for p in files if p.suffix != ".ipynb" and not p.name.startswith("."))
    if folder / expected_name in files:
        return folder / expected_name, notes, None
    if not notebooks:
        if others:
            listing = ", ".join(_shown(name) for name in others[:5])
            return None, notes, (f"no notebook in the submission, only: {listing}.",
                                 f"提交中没有 notebook，只有：{listing}。")
        if skipped:
            return None, notes, ("the submission holds no notebook of its own, only links or special files, "
                                 "which were ignored.", "提交中没有自己的 notebook，只有链接或特殊文件，已忽略。")
        return None, notes, ("the submission folder is empty.", "提交的文件夹是空的。")
    chosen = notebooks[0]
    note = (f"the notebook was named {_shown(chosen.name)} instead of {expected_name}; graded it anyway.",
            f"notebook 的文件名是 {_shown(chosen.name)}，而不是 {expected_name}；仍然照常评分。")
    if len(notebooks) > 1:
        note = (note[0] + f" ({len(notebooks)} notebooks found, the first in name order was taken)",
                note[1] + f"（找到 {len(notebooks)} 个 notebook，取了按名称排序的第 1 个）")
    return chosen, notes + [note], None


def _not_on_roster(student, name):
    return (f"the student id {_shown(student)} is not on the roster, so {_shown(name)} was not graded "
            f"(check the id, or add the student to the roster).",
            f"学生编号 {_shown(student)} 不在名单上，因此 {_shown(name)} 未评分（请核对编号，或将该学生加入名单）。")


def from_submitted_tree(root, assignment, expected_name, *, roster=None, max_bytes=MAX_MEMBER_BYTES):
    """Submissions of ``assignment`` in nbgrader's ``<root>/<student>/<assignment>/`` layout.

    Inputs: root -- the tree; assignment -- its folder name; expected_name -- the notebook's file name;
    roster -- set of known student ids, or None to accept any; max_bytes -- the largest notebook read.
    Returns: [Submission], one per student folder holding the assignment (or being a symbolic link).
    """
    out = []
    with os.scandir(root) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        folder = Path(entry.path) / assignment
        if entry.is_symlink():
            if entry.is_dir():  # only looked at to tell a linked student folder from a stray linked file
                out.append(Submission(entry.name, assignment, entry.path,
                                      problem=_link_ignored(f"the student folder {entry.name}")))
            continue
        if not entry.is_dir(follow_symlinks=False):
            continue
        if folder.is_symlink():
            out.append(Submission(entry.name, assignment, str(folder),
                                  problem=_link_ignored(f"the assignment folder {entry.name}/{assignment}")))
        elif folder.is_dir():
            if roster is not None and entry.name not in roster:
                out.append(Submission(entry.name, assignment, str(folder), problem=_not_on_roster(entry.name, entry.name)))
            else:
                out.append(_from_folder(entry.name, assignment, folder, expected_name, max_bytes))
    return out


def _from_folder(student, assignment, folder, expected_name, max_bytes=MAX_MEMBER_BYTES):
    submission = Submission(student, assignment, str(folder))
    path, submission.notes, submission.problem = _pick_notebook(folder, expected_name)
    if path is not None:
        submission.notebook, submission.problem = read_notebook(path, max_bytes)
    return submission


def _claim(pattern, name):
    """(student id, timestamp) that a file or member name claims, or (None, None)."""
    base = re.split(r"[\\/]", name)[-1]
    match = pattern.match(Path(base).stem) or pattern.match(base)
    if not match or not match.group("student_id"):
        return None, None
    return match.group("student_id"), match.groupdict().get("timestamp") or ""


def _student_id(raw):
    """A student id safe as a folder name (feedback pages are written under it); a custom pattern may yield '../x'."""
    if raw in (".", "..") or re.search(r"[\\/\x00-\x1f]", raw):
        return _safe_id(raw)
    return raw


def _unique(candidate, taken):
    # Two rows with one id would overwrite each other in the gradebook.
    name, n = candidate, 1
    while name in taken:
        n += 1
        name = f"{candidate}-{n}"
    taken.add(name)
    return name


def from_named_files(folder, assignment, naming=DEFAULT_NAMING, *, roster=None, rejected=(),
                     max_bytes=MAX_MEMBER_BYTES):
    """Submissions in a folder of files named by student (nbgrader's zip-collect naming).

    Inputs: folder -- the folder (walked without following links); assignment -- its name;
    naming -- a regular expression with a ``student_id`` group (and optionally ``timestamp``);
    roster -- set of known student ids, or None to accept any; rejected -- [(name, (en, zh) reason)]
    of files refused before (zip members not extracted); max_bytes -- the largest notebook read.
    Returns: [Submission]: the latest attempt of each student, then one per file whose student is
    unknown; a refused file or ignored link becomes a note of its student's submission, or a
    submission with that problem when the student has nothing else.
    """
    pattern = re.compile(naming)
    if "student_id" not in pattern.groupindex:
        raise ValueError("the naming pattern needs a (?P<student_id>...) group / 命名规则中需要 (?P<student_id>...) 分组")
    folder = Path(folder)
    files, skipped = _walk(folder)
    claims, unmatched = {}, []
    for path in files:
        student, stamp = _claim(pattern, path.name)
        if student is None:
            unmatched.append(path)
        else:
            claims.setdefault(_student_id(student), []).append((stamp, path, student))
    by_student = {}
    for student, attempts in claims.items():
        # Latest attempt; for equal times a notebook before another file, then the last name.
        attempts.sort(key=lambda a: (a[0], a[1].suffix == ".ipynb", str(a[1])))
        stamp, path, raw = attempts[-1]
        submission = Submission(student, assignment, str(path))
        ties = [a[1].name for a in attempts if a[0] == stamp]
        if len(ties) > 1:
            listing = ", ".join(_shown(name) for name in ties)
            submission.notes.append((f"conflict: {len(ties)} files claim {_shown(student)} with the same attempt "
                                     f"time {stamp or '(none)'} ({listing}); only {_shown(path.name)} was graded.",
                                     f"冲突：{len(ties)} 个文件都标为 {_shown(student)} 在同一时间 {stamp or '（无）'} 的提交"
                                     f"（{listing}）；只评了 {_shown(path.name)}。"))
        if roster is not None and raw not in roster:
            submission.problem = _not_on_roster(raw, path.name)
        elif path.suffix != ".ipynb":
            submission.problem = (f"{_shown(path.name)} is not a notebook (.ipynb).",
                                  f"{_shown(path.name)} 不是 notebook（.ipynb）文件。")
        else:
            submission.notebook, submission.problem = read_notebook(path, max_bytes)
        by_student[student] = submission
    taken = set(by_student)
    orphans = []
    refused = list(rejected) + [(str(path.relative_to(folder)), reason) for path, reason in skipped]
    for name, reason in refused:
        student, _ = _claim(pattern, name)
        if student is not None:
            student = _student_id(student)
            if student in by_student:  # the student has a file that was read: the refusal is a side note
                by_student[student].notes.append(reason)
            else:
                by_student[student] = Submission(student, assignment, name, problem=reason)
                taken.add(student)
        else:
            orphans.append((name, reason))
    out = [by_student[student] for student in sorted(by_student)]
    for path in unmatched:
        # Kept, under its file name, so the instructor sees it in the gradebook and can rename it.
        submission = Submission(_unique(_safe_id(path.stem), taken), assignment, str(path))
        submission.problem = (f"the file name {_shown(path.name)} does not match the naming pattern, so its student is unknown.",
                              f"文件名 {_shown(path.name)} 不符合命名规则，无法确定是哪位学生的提交。")
        out.append(submission)
    for name, reason in orphans:
        stem = Path(re.split(r"[\\/]", name)[-1]).stem
        out.append(Submission(_unique(_safe_id(stem), taken), assignment, name, problem=reason))
    return out


def read_roster(path, max_bytes=10 * 2**20):
    """The student ids in a roster file: one per line, or the first column of a CSV with a header.

    Blank lines and lines starting with ``#`` are skipped. Raises CourseError (bilingual) when
    the file is missing, unreadable, too large or holds no id.
    """
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes:
            raise CourseError(f"the roster {path} is larger than {_size(max_bytes)}.",
                              f"名单文件 {path} 超过了 {_size(max_bytes)}。")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"cannot read the roster {path}: {exc}", f"无法读取名单文件 {path}：{exc}") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if lines and "," in lines[0]:
        import csv

        lines = [row[0].strip() for row in csv.reader(lines[1:]) if row and row[0].strip()]
    if not lines:
        raise CourseError(f"the roster {path} holds no student id.", f"名单文件 {path} 中没有学生编号。")
    return set(lines)


def _safe_id(text):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text).strip(".")[:60] or "unnamed"


def collect(source, assignment, expected_name, naming=DEFAULT_NAMING, *, roster=None,
            max_member_bytes=MAX_MEMBER_BYTES, max_total_bytes=MAX_TOTAL_BYTES, max_members=MAX_MEMBERS):
    """All submissions of ``assignment`` in ``source`` (a submitted tree, a folder or a .zip).

    Inputs: source -- path of the tree, folder or zip; assignment -- its name; expected_name -- the
    notebook's file name; naming -- the file-name pattern of a folder or zip; roster -- set of known
    student ids, or None to accept any; max_member_bytes, max_total_bytes, max_members -- limits on
    one file, on a whole unpacked zip and on the number of entries in a zip.
    Returns: (list of Submission, cleanup) -- call ``cleanup()`` when done (removes an unpacked zip).
    Raises: FileNotFoundError for a missing source; CourseError for a file that is not a readable zip.
    """
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist / {source} 不存在")
    roster = None if roster is None else set(roster)
    if source.is_file():
        unpacked = Path(tempfile.mkdtemp(prefix="dlcourse-zip-"))
        try:
            rejected = _extract(source, unpacked, max_member_bytes, max_total_bytes, max_members)
            found = from_named_files(unpacked, assignment, naming, roster=roster, rejected=rejected,
                                     max_bytes=max_member_bytes)
        except BaseException:
            shutil.rmtree(unpacked, ignore_errors=True)
            raise
        return found, lambda: shutil.rmtree(unpacked, ignore_errors=True)
    if any((child / assignment).is_dir() for child in source.iterdir() if child.is_dir()):
        return from_submitted_tree(source, assignment, expected_name, roster=roster,
                                   max_bytes=max_member_bytes), lambda: None
    return from_named_files(source, assignment, naming, roster=roster, max_bytes=max_member_bytes), lambda: None


class _Oversize(Exception):
    """A member wrote more bytes than it was allowed."""


def _refused(name, en, zh):
    return (f"the zip member {_shown(name)} was not extracted: {en}.", f"zip 中的文件 {_shown(name)} 未解压：{zh}。")


def _unsafe(member, max_member_bytes):
    """Why ``member`` must not be extracted, judged from its header alone: (en, zh) or None."""
    name = member.filename
    kind = stat.S_IFMT(member.external_attr >> 16)  # Unix mode in the high 16 bits; 0 from other systems
    parts = re.split(r"[\\/]", name)  # a Windows tool may write backslashes
    if kind == stat.S_IFLNK:
        return _refused(name, "it is a symbolic link, which could point at another file", "它是符号链接，可能指向其他文件")
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return _refused(name, "it is a device or FIFO entry, not a regular file", "它是设备或 FIFO 条目，不是普通文件")
    if name.startswith(("/", "\\")):
        return _refused(name, "its path is absolute", "其路径是绝对路径")
    if re.match(r"[A-Za-z]:", name):
        return _refused(name, "its path starts with a drive letter", "其路径以盘符开头")
    if ".." in parts:
        return _refused(name, "its path leads out of the folder (..)", "其路径指向文件夹之外（..）")
    if not [part for part in parts if part not in ("", ".")]:
        return _refused(name, "it has no file name", "它没有文件名")
    if member.flag_bits & 0x1:
        return _refused(name, "it is encrypted (password-protected)", "它已加密（有密码保护）")
    if member.file_size > max_member_bytes:
        return _refused(name, f"it declares {_size(member.file_size)}, more than the limit of "
                              f"{_size(max_member_bytes)} per file",
                        f"它声明的大小为 {_size(member.file_size)}，超过了每个文件 {_size(max_member_bytes)} 的上限")
    return None


def _extract(archive, target, max_member_bytes=MAX_MEMBER_BYTES, max_total_bytes=MAX_TOTAL_BYTES,
             max_members=MAX_MEMBERS):
    """Unpack the safe members of ``archive`` into ``target`` one by one, refusing the others.

    Inputs: archive -- the zip; target -- an empty folder; the limits as in :func:`collect`.
    Returns: [(member name, (en, zh) reason)] of every member not extracted.
    Raises: CourseError when ``archive`` is not a zip or its directory cannot be read.
    """
    archive, target = Path(archive), Path(target)
    try:
        handle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise CourseError(f"{archive.name} is not a readable zip file ({exc}); give a zip, a folder of "
                          f"notebooks or nbgrader's submitted/ folder.",
                          f"{archive.name} 不是可读取的 zip 文件（{exc}）；请提供 zip、notebook 文件夹"
                          f"或 nbgrader 的 submitted/ 文件夹。") from exc
    rejected, seen, total = [], set(), 0
    with handle:
        members = handle.infolist()
        if len(members) > max_members:
            left = members[max_members:]
            listing = ", ".join(_shown(m.filename) for m in left[:5])
            rejected.append((archive.name, (
                f"{archive.name} holds {len(members)} entries, more than the limit of {max_members}; "
                f"the last {len(left)} were not read (the first of them: {listing}).",
                f"{archive.name} 含有 {len(members)} 个条目，超过了 {max_members} 个的上限；"
                f"最后 {len(left)} 个未读取（其中前几个：{listing}）。")))
            members = members[:max_members]
        for member in members:
            name = member.filename
            reason = _unsafe(member, max_member_bytes)
            parts = [part for part in re.split(r"[\\/]", name) if part not in ("", ".")]
            if reason is None and member.is_dir():
                continue  # folders are made as their files need them
            key = "/".join(parts).casefold()  # a case-insensitive disk would merge these too
            if reason is None and key in seen:
                reason = _refused(name, "an earlier member has the same name; only the first was extracted",
                                  "zip 中已有同名文件，只解压了第 1 个")
            if reason is None and total + member.file_size > max_total_bytes:
                reason = _refused(name, f"the zip would unpack to more than the limit of {_size(max_total_bytes)}",
                                  f"解压后的总大小会超过 {_size(max_total_bytes)} 的上限")
            if reason is None:
                seen.add(key)
                reason, written = _write_member(handle, member, target, parts,
                                                max_member_bytes, max_total_bytes - total)
                total += written
            if reason is not None:
                rejected.append((name, reason))
    return rejected


def _write_member(handle, member, target, parts, max_member_bytes, room):
    """Copy one member to ``target/parts``, counting the bytes really written (the header may lie).

    Returns: (None, bytes written) or ((en, zh) reason, 0) after deleting any partial file.
    """
    name, limit = member.filename, min(max_member_bytes, room)
    destination = target.joinpath(*parts)
    created = False
    try:
        if not destination.resolve().is_relative_to(target.resolve()):  # a last guard; the name was checked
            return _refused(name, "its path leads out of the folder", "其路径指向文件夹之外"), 0
        destination.parent.mkdir(parents=True, exist_ok=True)
        with handle.open(member) as source, open(destination, "xb") as out:  # "x": never over a file or link
            created, written = True, 0
            while chunk := source.read(1 << 16):
                written += len(chunk)
                if written > limit:
                    raise _Oversize
                out.write(chunk)
        return None, written
    except _Oversize:
        reason = (_refused(name, f"it unpacks to more than {_size(limit)} although it declares "
                                 f"{_size(member.file_size)}; the partial file was deleted",
                           f"它解压后超过 {_size(limit)}，而声明的大小只有 {_size(member.file_size)}；已删除未写完的文件")
                  if limit == max_member_bytes else
                  _refused(name, f"the zip would unpack to more than the limit of {_size(room)} left; "
                                 f"the partial file was deleted",
                           f"解压后会超出总大小上限（只剩 {_size(room)}）；已删除未写完的文件"))
    except Exception as exc:  # damaged data (CRC, zlib, truncation), unsupported compression, disk errors
        reason = _refused(name, f"it is damaged or cannot be written ({type(exc).__name__}: {_shown(exc)})",
                          f"它已损坏或无法写入（{type(exc).__name__}：{_shown(exc)}）")
    if created:
        destination.unlink(missing_ok=True)
    return reason, 0
