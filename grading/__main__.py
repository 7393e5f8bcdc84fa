"""Command line of the course's instructor tooling: ``python -m grading COMMAND``.

Commands:
  demo        release every assignment and grade the bundled demo submissions
  release     build the student versions (bilingual, English-only, Chinese-only)
  grade       auto-grade the submissions in build/submitted/ of one assignment
  expected    regenerate the stored expected values from the reference solutions
  bilingual   check the English/Chinese pairing of the notebooks (or accept a revised translation)
"""

import argparse
import sys

from . import NOTEBOOKS_DIR


def _assignment_list(values):
    from .release import assignments

    known = assignments()
    for value in values:
        if value not in known:
            raise SystemExit(f"error: unknown assignment {value!r}; known: {', '.join(known)}\n"
                             f"错误：没有名为 {value!r} 的作业；现有作业：{', '.join(known)}")
    return values or known


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("demo", "release", "expected"):
        p = sub.add_parser(name)
        p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p = sub.add_parser("grade")
    p.add_argument("assignment")
    p.add_argument("--students", nargs="*", help="student ids (default: every folder in build/submitted/)")
    p.add_argument("--csv", help="where to write the grades CSV (default: build/grades.csv)")
    p = sub.add_parser("bilingual")
    p.add_argument("--accept", nargs=2, metavar=("NOTEBOOK", "PAIR"),
                   help="record that the Chinese cell of PAIR was revised to match the English one")
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
    if args.command == "grade":
        from pathlib import Path

        from .autograde import format_table, grade, write_csv
        from .demo import grades_csv

        assignment = _assignment_list([args.assignment])[0]
        results = grade(assignment, args.students)
        write_csv(results, Path(args.csv) if args.csv else grades_csv())
        print(format_table(results))
        return 1 if any(result.error for result in results) else 0
    if args.command == "bilingual":
        from .bilingual import accept, pairing_problems
        from .cells import read

        if args.accept:
            accept(args.accept[0], args.accept[1])
            print(f"accepted the translation of {args.accept[1]} in {args.accept[0]}")
            return 0
        problems = []
        for path in sorted(NOTEBOOKS_DIR.glob("*/*.ipynb")):
            problems += pairing_problems(read(path), str(path.relative_to(NOTEBOOKS_DIR)))
        print("\n".join(problems) if problems else "every prose cell has an up-to-date translation")
        return 1 if problems else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
