"""Command line of the course's instructor tooling: ``python -m grading COMMAND``.

Commands:
  demo        release every assignment and grade the bundled demo submissions
  release     build the student versions (bilingual, English-only, Chinese-only)
  grade       auto-grade the submissions in build/submitted/ of one assignment, each in its sandbox
  expected    regenerate the stored expected values from the reference solutions
  quotes      rewrite the notebooks' stale "expected output" quotes from a pinned-CPU run
  bilingual   check the English/Chinese pairing of the notebooks (or accept a revised translation)
  cohort      grade a whole cohort in parallel, decided outside the students' kernels
  export      write the gradebook's grades as CSV for an LMS (Canvas, Moodle) or as a long table
  book        the course as a static website for self-learners (English, Chinese, bilingual) in build/book/
"""

import argparse
import sys
from pathlib import Path

from . import NOTEBOOKS_DIR


def _assignment_list(values):
    from .release import assignments

    known = assignments()
    for value in values:
        if value not in known:
            raise SystemExit(f"error: unknown assignment {value!r}; known: {', '.join(known)}\n"
                             f"错误：没有名为 {value!r} 的作业；现有作业：{', '.join(known)}")
    return values or known


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number / 不是整数") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} must be positive / 必须是正数")
    return value


def _export_format(text):
    from .export import FORMATS

    if text not in FORMATS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a format; choose one of {', '.join(FORMATS)} / "
                                         f"没有这种格式，可选：{', '.join(FORMATS)}")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("demo", "release", "expected", "quotes"):
        p = sub.add_parser(name)
        p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p = sub.add_parser("grade")
    p.add_argument("assignment")
    p.add_argument("--students", nargs="*", help="student ids (default: every folder in build/submitted/)")
    p.add_argument("--csv", help="where to write the grades CSV (default: build/grades.csv)")
    p.add_argument("--unsandboxed", action="store_true",
                   help="grade without the bubblewrap sandbox (where it cannot be installed); every grade is marked")
    p.add_argument("--plain-nbgrader", action="store_true",
                   help="nbgrader's own autograde instead (NOT tamper-proof: the checks run in the student's kernel)")
    p = sub.add_parser("bilingual")
    p.add_argument("--accept", nargs=2, metavar=("NOTEBOOK", "PAIR"),
                   help="record that the Chinese cell of PAIR (or, for PAIR docstring:<function>, the Chinese "
                        "docstring of that function) was revised to match the English one")
    p = sub.add_parser("cohort", help="grade a cohort in parallel (see grading.cohort)")
    p.add_argument("submissions", help="nbgrader submitted/ tree, or a folder or .zip of notebooks named by student")
    p.add_argument("--assignment", action="append", dest="cohort_assignments",
                   help="assignment id (repeat for several; required for a folder or zip of named files)")
    p.add_argument("--out", default="build/cohort", help="folder for feedback, CSV, summary (default: build/cohort)")
    p.add_argument("--db", help="gradebook URL, e.g. postgresql+psycopg://user@127.0.0.1:5432/grades "
                                "(default: SQLite in the --out folder)")
    p.add_argument("--workers", type=_positive, help="parallel worker processes (default: cores + 1)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (instead of local workers)")
    p.add_argument("--timeout", type=_positive, default=60, help="seconds allowed per notebook cell (default: 60)")
    p.add_argument("--notebook-timeout", type=_positive, default=600,
                   help="seconds allowed for all cells of a notebook (default: 600)")
    p.add_argument("--unsandboxed", action="store_true",
                   help="grade without the bubblewrap sandbox (where it cannot be installed); every grade is marked")
    p.add_argument("--memory-mb", type=_positive, default=2048, help="memory limit of each kernel in MB (default: 2048)")
    p.add_argument("--naming", help="regular expression naming files by student (needs a student_id group)")
    p.add_argument("--roster", help="file of known student ids (one per line, or the first column of a CSV "
                                    "with a header), or 'gradebook' for the students already in the gradebook; "
                                    "other ids are reported, not graded")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p = sub.add_parser("export", help="grades as CSV for an LMS (see grading.export for the layouts)")
    p.add_argument("--format", type=_export_format, default="canvas", dest="layout", metavar="FORMAT",
                   help="canvas (default), moodle, long (one row per exercise) or wide (a column per exercise)")
    p.add_argument("--out", help="file to write, '-' for the terminal (default: build/grades.csv for canvas, "
                                 "build/grades_<format>.csv otherwise)")
    p.add_argument("--db", help="gradebook URL (default: the course's, build/gradebook.db or $DLCOURSE_DB_URL)")
    p.add_argument("--assignment", action="append", dest="export_assignments", metavar="ASSIGNMENT",
                   help="only this assignment (repeat for several; default: all in the gradebook)")
    p = sub.add_parser("book", help="the student versions as a website that works offline (see grading.book)")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--out", help="folder of the site (default: build/book)")
    p.add_argument("--no-figures", action="store_true",
                   help="do not run the lessons: no computed figures, but seconds instead of minutes")
    p.add_argument("--workers", type=_positive, help="lessons run at once for their figures (default: cores)")
    args = parser.parse_args(argv)

    if args.command == "demo":
        from .demo import run_demo

        results = run_demo(_assignment_list(args.assignments))
        return 1 if any(result.error for result in results) else 0
    if args.command == "release":
        from .release import release

        release(_assignment_list(args.assignments))
        return 0
    if args.command == "expected":
        from .expected import build

        for assignment in _assignment_list(args.assignments):
            for suite, path in build(assignment).items():
                print(f"wrote {suite} cases of {assignment}: {path}")
        return 0
    if args.command == "quotes":
        from .quotes import notebook_path, refresh

        for assignment in _assignment_list(args.assignments):
            fixed = refresh(notebook_path(assignment))
            print(f"{assignment}: {', '.join(fixed) if fixed else 'every quote up to date'}")
        return 0
    if args.command == "grade":
        from .demo import grades_csv

        assignment = _assignment_list([args.assignment])[0]
        if args.plain_nbgrader:
            from .autograde import format_table, grade
            from .export import read, write
            from .nbgrader_api import db_url

            results = grade(assignment, args.students)
            written = write(read(db_url(), [assignment]), "canvas", Path(args.csv) if args.csv else grades_csv())
            print(format_table(results))
            print(f"grades (Canvas gradebook layout): {written}")
            return 1 if any(result.error for result in results) else 0
        return _grade_sandboxed(assignment, args.students, Path(args.csv) if args.csv else grades_csv(),
                                args.unsandboxed)
    if args.command == "cohort":
        import os

        from grading.cohort import grade_cohort
        from grading.cohort.intake import DEFAULT_NAMING, read_roster

        if not os.path.exists(args.submissions):
            raise SystemExit(f"error: {args.submissions} does not exist\n错误：{args.submissions} 不存在")
        roster = args.roster if args.roster in (None, "gradebook") else read_roster(args.roster)
        # The offering's secret comes from the environment, never from the command line (it would show in `ps`).
        result = grade_cohort(args.submissions, args.cohort_assignments, out_dir=args.out, db_url=args.db,
                              workers=args.workers, scheduler=args.scheduler, cell_timeout=args.timeout,
                              memory_mb=args.memory_mb, secret=os.environ.get("DLCOURSE_SECRET") or None,
                              naming=args.naming or DEFAULT_NAMING, progress=not args.no_progress,
                              notebook_timeout=args.notebook_timeout, unsandboxed=args.unsandboxed, roster=roster)
        print(result.summary)
        print(f"grades: {result.paths['csv']}\nsummary: {result.paths['summary']}\n"
              f"feedback: {result.paths['feedback']}\nhistograms: {', '.join(map(str, result.paths['histograms']))}\n"
              f"{len(result.rows)} submissions in {result.seconds:.1f} s")
        return 0
    if args.command == "export":
        from .export import ExportError, default_out, read, write
        from .nbgrader_api import build_dir, db_url

        try:
            grades = read(args.db or db_url(), args.export_assignments)
            written = write(grades, args.layout, args.out or default_out(args.layout, build_dir()))
        except ExportError as exc:
            raise SystemExit(f"error: {exc}") from None
        if written:
            print(f"wrote {args.layout} grades of {len(grades.students)} students, "
                  f"{len(grades.assignments)} assignments: {written}")
        return 0
    if args.command == "book":
        from .book import build

        build(args.out, _assignment_list(args.assignments), figures=not args.no_figures, workers=args.workers)
        return 0
    if args.command == "bilingual":
        from .bilingual import accept, pairing_problems
        from .cells import read

        if args.accept:
            notebook, pair = args.accept
            # The pairing report names notebooks relative to notebooks/, so accept those names too.
            path = next((p for p in (Path(notebook), NOTEBOOKS_DIR / notebook) if p.is_file()), None)
            if path is None:
                raise SystemExit(f"error: no notebook {notebook} (give a path, or a name under notebooks/)\n"
                                 f"错误：找不到笔记本 {notebook}（请给出路径，或 notebooks/ 下的名称）")
            try:
                accept(path, pair)
            except KeyError:
                raise SystemExit(f"error: {notebook} has no English cell with pair {pair!r} (nor a translated docstring)\n"
                                 f"错误：{notebook} 中没有 {pair!r} 对应的英文单元格（或已翻译的文档字符串）") from None
            print(f"accepted the translation of {pair} in {notebook}")
            return 0
        problems = []
        for path in sorted(NOTEBOOKS_DIR.glob("*/*.ipynb")):
            problems += pairing_problems(read(path), str(path.relative_to(NOTEBOOKS_DIR)))
        print("\n".join(problems) if problems else "every prose cell has an up-to-date translation")
        return 1 if problems else 0
    return 2


def _grade_sandboxed(assignment, students, csv_path, unsandboxed):
    """``grade``: build/submitted/ (or some of its students) through the sandboxed cohort grader."""
    import os
    import shutil
    import tempfile

    from grading.cohort import grade_cohort

    from .nbgrader_api import build_dir, directory

    submitted = directory("submitted")
    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as chosen:
        if students:
            for student in students:
                folder = submitted / student / assignment
                if not folder.is_dir():
                    raise SystemExit(f"error: no submission {folder}\n错误：找不到提交 {folder}")
                shutil.copytree(folder, Path(chosen) / student / assignment, symlinks=True)
            submitted = Path(chosen)
        result = grade_cohort(submitted, [assignment], out_dir=build_dir() / "cohort", unsandboxed=unsandboxed,
                              secret=os.environ.get("DLCOURSE_SECRET") or None, progress=False, log=lambda *_: None)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(result.paths["csv"], csv_path)
    print(result.summary)
    print(f"grades: {csv_path}\nfeedback: {result.paths['feedback']}")
    return 1 if any(row["status"] != "graded" for row in result.rows) else 0


def run(argv=None):
    """main(), with the course's bilingual errors printed as such instead of a traceback."""
    from helpers.errors import CourseError

    try:
        return main(argv)
    except CourseError as exc:
        print(f"error / 错误: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())
