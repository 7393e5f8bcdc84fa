"""Intake of a cohort's submissions under attack: unsafe zip members, zip bombs,
names crafted to take another student's place, unknown ids and symbolic links.
Each is refused on its own and reported; the other submissions are still read."""

import io
import json
import os
import re
import stat
import struct
import tempfile
import warnings
import zipfile
from pathlib import Path

import nbformat
import pytest

from grading.cohort import intake
from grading.cohort.intake import DEFAULT_NAMING, collect, from_named_files, read_notebook, read_roster
from helpers.errors import CourseError

ASSIGNMENT = "ps1"
EXPECTED = "notebook.ipynb"
T1, T2 = "2026-01-01-10-00-00", "2026-01-02-10-00-00"


def notebook_bytes(marker):
    """A valid notebook whose only cell says ``marker``, to tell whose file was read."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(f"# {marker}"))
    return json.dumps(nb).encode()


def marker_of(submission):
    return submission.notebook.cells[0].source if submission.notebook is not None else None


def named(student, stamp=T1, file_id="notebook", prefix="ps1_"):
    return f"{prefix}{student}_attempt_{stamp}_{file_id}.ipynb"


def make_zip(path, members):
    """Build a zip at ``path``; members: [(name, data)] or [(name, data, unix_mode)].

    unix_mode (e.g. stat.S_IFLNK | 0o777) goes into the member's external attributes,
    as a Unix zip tool writes it. Duplicate names are allowed.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which are wanted here
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as handle:
            for name, data, *mode in members:
                info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                if mode:
                    info.external_attr = mode[0] << 16
                    info.create_system = 3
                handle.writestr(info, data)
    return path


def lie_about_size(path, name, size):
    """Rewrite the declared uncompressed size of member ``name`` in both of its headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            (length,) = struct.unpack_from("<H", data, start + name_len_at)
            if bytes(data[start + name_at:start + name_at + length]) == encoded:
                struct.pack_into("<I", data, start + size_at, size)
            start += 4
    path.write_bytes(bytes(data))


@pytest.fixture
def own_tempdir(tmp_path, monkeypatch):
    """Unpacked zips go to a folder of the test's own, so leftovers can be counted."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def by_student(found):
    students = [s.student for s in found]
    assert len(students) == len(set(students)), f"two rows for one id: {students}"
    return {s.student: s for s in found}


def bilingual(pair):
    en, zh = pair
    return bool(en) and any("\u4e00" <= ch <= "\u9fff" for ch in zh)


# ---- unsafe zip members -------------------------------------------------------------------


def test_unsafe_members_are_refused_one_by_one_and_the_rest_is_read(tmp_path, own_tempdir):
    archive = make_zip(tmp_path / "cohort.zip", [
        (named("alice"), notebook_bytes("alice")),
        ("../" + named("bob"), notebook_bytes("bob escapes")),            # traversal, bob has nothing else
        ("../../" + named("alice", T2), notebook_bytes("alice escapes")),  # traversal, alice has a good file
        ("/etc/evil.sh", b"echo pwned"),                                   # absolute
        ("C:/Windows/evil.dll", b"MZ"),                                    # drive letter
        ("C:\\evil2.ipynb", b"{}"),
        ("sub\\..\\..\\evil3.ipynb", b"{}"),                               # traversal with backslashes
        (named("carol"), b"/etc/passwd", stat.S_IFLNK | 0o777),           # symlink member
        (named("dave"), b"", stat.S_IFIFO | 0o644),                         # FIFO
        ("tty.ipynb", b"", stat.S_IFCHR | 0o644),                           # device
        (named("erin"), notebook_bytes("erin first")),
        (named("erin"), notebook_bytes("erin second")),                    # duplicate name
    ])
    found, cleanup = collect(archive, ASSIGNMENT, EXPECTED)
    try:
        rows = by_student(found)
        assert marker_of(rows["alice"]) == "# alice" and rows["alice"].problem is None
        assert any("out of the folder" in en for en, _ in rows["alice"].notes)
        assert "out of the folder" in rows["bob"].problem[0] and rows["bob"].notebook is None
        assert "symbolic link" in rows["carol"].problem[0]
        assert "FIFO" in rows["dave"].problem[0]
        assert marker_of(rows["erin"]) == "# erin first"
        assert any("same name" in en for en, _ in rows["erin"].notes)
        orphans = {s.student: s.problem[0] for s in found if s.student not in {"alice", "bob", "carol", "dave", "erin"}}
        reasons = " | ".join(orphans.values())
        assert "absolute" in reasons and "drive letter" in reasons and "device" in reasons
        assert sum("out of the folder" in r for r in orphans.values()) == 1  # evil3
        assert all(s.problem is None or bilingual(s.problem) for s in found)
        assert all(set(sid) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
                   for sid in orphans)
        assert not any(tmp_path.rglob("evil*")) and not (tmp_path.parent / named("bob")).exists()
        assert not any(p.is_symlink() for p in own_tempdir.rglob("*"))
    finally:
        cleanup()
    assert not any(own_tempdir.iterdir()), "cleanup left the unpacked zip behind"


def test_the_temp_folder_is_removed_when_reading_fails_midway(tmp_path, own_tempdir, monkeypatch):
    archive = make_zip(tmp_path / "cohort.zip", [(named("alice"), notebook_bytes("alice"))])

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(intake, "from_named_files", broken)
    with pytest.raises(RuntimeError):
        collect(archive, ASSIGNMENT, EXPECTED)
    assert not any(own_tempdir.iterdir())


@pytest.mark.parametrize("content", [b"this is not a zip", b"PK\x03\x04 truncated"])
def test_a_file_that_is_not_a_zip_gets_a_bilingual_error(tmp_path, own_tempdir, content):
    archive = tmp_path / "cohort.zip"
    archive.write_bytes(content)
    with pytest.raises(CourseError) as caught:
        collect(archive, ASSIGNMENT, EXPECTED)
    assert "not a readable zip" in caught.value.en and bilingual((caught.value.en, caught.value.zh))
    assert not any(own_tempdir.iterdir())


def test_a_damaged_member_is_refused_and_the_others_are_read(tmp_path, own_tempdir):
    archive = make_zip(tmp_path / "cohort.zip", [(named("alice"), notebook_bytes("alice")),
                                                 (named("bob"), notebook_bytes("bob" * 200))])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as handle:
        info = handle.getinfo(named("bob"))
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 2, start + info.compress_size - 2):  # scramble bob's deflated data
        data[i] ^= 0x5A
    archive.write_bytes(bytes(data))
    found, cleanup = collect(archive, ASSIGNMENT, EXPECTED)
    try:
        rows = by_student(found)
        assert marker_of(rows["alice"]) == "# alice"
        assert "damaged" in rows["bob"].problem[0]
        assert not (Path(rows["alice"].origin).parent / named("bob")).exists()
    finally:
        cleanup()


# ---- size limits --------------------------------------------------------------------------


def test_a_member_declared_over_the_limit_is_refused(tmp_path, own_tempdir):
    archive = make_zip(tmp_path / "cohort.zip", [(named("alice"), notebook_bytes("alice")),
                                                 (named("bob"), b" " * 5000 + notebook_bytes("bob"))])
    found, cleanup = collect(archive, ASSIGNMENT, EXPECTED, max_member_bytes=2000)
    try:
        rows = by_student(found)
        assert marker_of(rows["alice"]) == "# alice"
        assert "more than the limit of 2 KB per file" in rows["bob"].problem[0]
    finally:
        cleanup()


def test_a_member_lying_about_its_size_is_refused_and_its_partial_file_deleted(tmp_path, own_tempdir):
    big = named("bob")
    archive = make_zip(tmp_path / "cohort.zip", [(named("alice"), notebook_bytes("alice")), (big, b"x" * 200_000)])
    lie_about_size(archive, big, 100)  # declared 100 B, really 200 KB: passes the declared-size check
    found, cleanup = collect(archive, ASSIGNMENT, EXPECTED, max_member_bytes=1000)
    try:
        rows = by_student(found)
        assert marker_of(rows["alice"]) == "# alice"
        assert rows["bob"].problem and "was not extracted" in rows["bob"].problem[0]
        assert not (Path(rows["alice"].origin).parent / big).exists()
    finally:
        cleanup()


def test_bytes_written_are_counted_even_if_the_zip_reader_trusts_the_header(tmp_path, own_tempdir, monkeypatch):
    # zipfile itself stops at the declared size; a reader that did not must still be stopped by the count.
    big = named("bob")
    archive = make_zip(tmp_path / "cohort.zip", [(named("alice"), notebook_bytes("alice")), (big, b"x" * 10)])
    real_open = zipfile.ZipFile.open

    def open_unbounded(self, member, *args, **kwargs):
        if getattr(member, "filename", member) == big:
            return io.BytesIO(b"x" * 300_000)
        return real_open(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_unbounded)
    found, cleanup = collect(archive, ASSIGNMENT, EXPECTED, max_member_bytes=100_000)
    try:
        rows = by_student(found)
        assert "unpacks to more than 97.7 KB although it declares 10 B" in rows["bob"].problem[0]
        assert "partial file was deleted" in rows["bob"].problem[0]
        assert [p.name for p in Path(rows["alice"].origin).parent.iterdir()] == [named("alice")]
    finally:
        cleanup()


def test_the_total_and_the_member_count_are_limited(tmp_path, own_tempdir):
    members = [(named(name), notebook_bytes(name) + b" " * 600) for name in ("alice", "bob", "carol", "dave")]
    archive = make_zip(tmp_path / "cohort.zip", members)
    room = len(members[0][1]) + len(members[1][1])  # alice and bob fit exactly, carol does not
    found, cleanup = collect(archive, ASSIGNMENT, EXPECTED, max_total_bytes=room, max_members=3)
    try:
        rows = by_student(found)
        assert rows["alice"].problem is None and rows["bob"].problem is None
        assert "would unpack to more than the limit" in rows["carol"].problem[0]
        assert "dave" not in rows  # beyond the member count: summarised in one row
        assert "holds 4 entries, more than the limit of 3" in rows["cohort"].problem[0]
        assert "dave" in rows["cohort"].problem[0] and bilingual(rows["cohort"].problem)
    finally:
        cleanup()


def test_files_in_a_folder_get_the_per_file_cap(tmp_path):
    folder = tmp_path / "named"
    folder.mkdir()
    (folder / named("alice")).write_bytes(notebook_bytes("alice"))
    (folder / named("bob")).write_bytes(b" " * 5000 + notebook_bytes("bob"))
    found, _ = collect(folder, ASSIGNMENT, EXPECTED, max_member_bytes=2000)
    rows = by_student(found)
    assert marker_of(rows["alice"]) == "# alice"
    assert "larger than the limit of 2 KB" in rows["bob"].problem[0]


def test_read_notebook_does_not_load_a_huge_file(tmp_path):
    huge = tmp_path / "huge.ipynb"
    with open(huge, "wb") as handle:
        handle.truncate(2 * 2**30)  # sparse: 2 GB declared, nothing on disk
    notebook, problem = read_notebook(huge)
    assert notebook is None and "larger than the limit of 50 MB" in problem[0] and bilingual(problem)


# ---- naming -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "hw1_", "ps_1_"])
def test_a_crafted_file_name_cannot_take_another_students_place(tmp_path, prefix):
    folder = tmp_path / "named"
    folder.mkdir()
    crafted = f"{prefix}alice_attempt_2024-01-01-10-00-00_x_bob_attempt_2099-12-31_Notebook.ipynb"
    (folder / crafted).write_bytes(notebook_bytes("alice"))
    (folder / f"{prefix}bob_attempt_2024-01-01-09-00-00_Notebook.ipynb").write_bytes(notebook_bytes("bob"))
    rows = by_student(from_named_files(folder, ASSIGNMENT))
    assert set(rows) == {"alice", "bob"}
    assert marker_of(rows["alice"]) == "# alice" and marker_of(rows["bob"]) == "# bob"


@pytest.mark.parametrize("name, student, stamp", [
    ("hw1_bitdiddle_attempt_2016-01-30-15-30-10_problem1.ipynb", "bitdiddle", "2016-01-30-15-30-10"),
    ("ps1_hacker_attempt_2016-01-30-20-30-10_problem1.ipynb", "hacker", "2016-01-30-20-30-10"),
    ("bitdiddle_attempt_2016-01-30-15-30-10_problem1.ipynb", "bitdiddle", "2016-01-30-15-30-10"),
    ("course_hw_1_lin_attempt_2016-01-30-15-30-10_my_attempt_2.ipynb", "lin", "2016-01-30-15-30-10"),
    ("readme.txt", None, None),
])
def test_the_default_naming_reads_nbgraders_examples(name, student, stamp):
    match = re.compile(DEFAULT_NAMING).match(Path(name).stem)
    if student is None:
        assert match is None
    else:
        assert (match["student_id"], match["timestamp"]) == (student, stamp)


def test_roster_reports_unknown_ids_and_same_time_conflicts(tmp_path):
    folder = tmp_path / "named"
    folder.mkdir()
    (folder / named("alice")).write_bytes(notebook_bytes("alice"))
    (folder / named("mallory")).write_bytes(notebook_bytes("mallory"))
    (folder / named("bob", file_id="a")).write_bytes(notebook_bytes("bob a"))
    (folder / named("bob", file_id="b")).write_bytes(notebook_bytes("bob b"))
    found, _ = collect(folder, ASSIGNMENT, EXPECTED, roster={"alice", "bob"})
    rows = by_student(found)
    assert marker_of(rows["alice"]) == "# alice"
    assert rows["mallory"].notebook is None and "not on the roster" in rows["mallory"].problem[0]
    assert bilingual(rows["mallory"].problem)
    assert marker_of(rows["bob"]) == "# bob b"
    conflict = [note for note in rows["bob"].notes if "conflict" in note[0]]
    assert conflict and named("bob", file_id="a") in conflict[0][0] and bilingual(conflict[0])


def test_without_roster_any_id_is_accepted_and_the_latest_attempt_wins(tmp_path):
    folder = tmp_path / "named"
    folder.mkdir()
    (folder / named("alice", T1)).write_bytes(notebook_bytes("old"))
    (folder / named("alice", T2)).write_bytes(notebook_bytes("new"))
    rows = by_student(from_named_files(folder, ASSIGNMENT))
    assert marker_of(rows["alice"]) == "# new" and not rows["alice"].notes


def test_a_roster_applies_to_a_submitted_tree(tmp_path):
    for student in ("alice", "mallory"):
        (tmp_path / student / ASSIGNMENT).mkdir(parents=True)
        (tmp_path / student / ASSIGNMENT / EXPECTED).write_bytes(notebook_bytes(student))
    rows = by_student(collect(tmp_path, ASSIGNMENT, EXPECTED, roster=["alice"])[0])
    assert marker_of(rows["alice"]) == "# alice" and "not on the roster" in rows["mallory"].problem[0]


def test_a_custom_pattern_cannot_make_an_id_that_is_a_path(tmp_path):
    # Feedback pages are written under the student id: ".." must not be one.
    folder = tmp_path / "named"
    folder.mkdir()
    (folder / "...ipynb").write_bytes(notebook_bytes("dots"))  # its stem is ".."
    (folder / "amy.ipynb").write_bytes(notebook_bytes("amy"))
    rows = by_student(from_named_files(folder, ASSIGNMENT, naming=r"(?P<student_id>[^_]*)"))
    assert set(rows) == {"unnamed", "amy"} and marker_of(rows["unnamed"]) == "# dots"


# ---- symbolic links -----------------------------------------------------------------------


def test_symlinks_in_a_named_folder_are_not_followed(tmp_path):
    folder = tmp_path / "named"
    folder.mkdir()
    (folder / named("alice")).write_bytes(notebook_bytes("alice"))
    (folder / named("bob")).symlink_to(folder / named("alice"))
    (folder / named("alice", T2)).symlink_to(folder / named("alice"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / named("carol")).write_bytes(notebook_bytes("carol from outside"))
    (folder / "linked_dir").symlink_to(outside, target_is_directory=True)
    rows = by_student(from_named_files(folder, ASSIGNMENT))
    assert marker_of(rows["alice"]) == "# alice"
    assert any("symbolic link" in en for en, _ in rows["alice"].notes)
    assert rows["bob"].notebook is None and "symbolic link" in rows["bob"].problem[0]
    assert "carol" not in rows
    assert "symbolic link" in rows["linked_dir"].problem[0] and bilingual(rows["linked_dir"].problem)


def test_symlinks_in_a_submitted_tree_are_not_followed(tmp_path):
    root = tmp_path / "submitted"
    dave = root / "dave" / ASSIGNMENT
    dave.mkdir(parents=True)
    (dave / EXPECTED).write_bytes(notebook_bytes("dave"))
    carol = root / "carol" / ASSIGNMENT
    carol.mkdir(parents=True)
    (carol / EXPECTED).symlink_to(dave / EXPECTED)                 # a linked notebook
    (carol / "more").symlink_to(dave, target_is_directory=True)    # a linked folder inside
    (root / "eve").symlink_to(root / "dave", target_is_directory=True)  # a linked student folder
    (root / "frank").mkdir()
    (root / "frank" / ASSIGNMENT).symlink_to(dave, target_is_directory=True)  # a linked assignment folder
    (root / "README").symlink_to(dave / EXPECTED)                   # a stray linked file: not a student
    found, _ = collect(root, ASSIGNMENT, EXPECTED)
    rows = by_student(found)
    assert set(rows) == {"carol", "dave", "eve", "frank"}
    assert marker_of(rows["dave"]) == "# dave"
    assert rows["carol"].notebook is None and "only links" in rows["carol"].problem[0]
    assert sum("symbolic link" in en for en, _ in rows["carol"].notes) == 2
    assert "student folder eve" in rows["eve"].problem[0] and rows["eve"].notebook is None
    assert "assignment folder frank/ps1" in rows["frank"].problem[0] and rows["frank"].notebook is None


def test_a_fifo_named_like_a_notebook_does_not_hang_the_intake(tmp_path):
    folder = tmp_path / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    os.mkfifo(folder / "other.ipynb")
    rows = by_student(collect(tmp_path, ASSIGNMENT, EXPECTED)[0])
    assert rows["alice"].notebook is None and any("FIFO" in en for en, _ in rows["alice"].notes)
    notebook, problem = read_notebook(folder / "other.ipynb")
    assert notebook is None and "not a regular file" in problem[0]


def test_a_roster_file_reads_lines_or_a_csv_column(tmp_path):
    plain = tmp_path / "roster.txt"
    plain.write_text("# week 1\nalice\n\nbob \n", encoding="utf-8")
    assert read_roster(plain) == {"alice", "bob"}
    table = tmp_path / "roster.csv"
    table.write_text("\ufeffid,first_name,last_name\nalice,Alice,A\ncarol,卡,罗\n", encoding="utf-8")
    assert read_roster(table) == {"alice", "carol"}
    for bad, says in [(tmp_path / "missing.txt", "cannot read"), (tmp_path / "empty.txt", "no student id")]:
        if bad.name == "empty.txt":
            bad.write_text("# nobody yet\n", encoding="utf-8")
        with pytest.raises(CourseError) as error:
            read_roster(bad)
        assert says in error.value.en and error.value.zh
