"""Seconds to run each source notebook top to bottom, and median seconds for
nbgrader to auto-grade one submission of each assignment.

    python benchmarks/notebook_times.py [--runs 3] [ASSIGNMENT ...]

Targets: a notebook runs in at most 60 s and a submission grades in at most
10 s (5 s for the first assignment) on a 2-core machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCOURSE_BUILD_DIR", tempfile.mkdtemp(prefix="dlcourse-bench-"))
os.environ.setdefault("MPLBACKEND", "Agg")


def notebook_seconds(assignment):
    import nbformat
    from nbclient import NotebookClient

    path = next((ROOT / "notebooks" / assignment).glob("*.ipynb"))
    nb = nbformat.read(str(path), as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - started


def grading_seconds(assignment, runs):
    from grading.autograde import grade
    from grading.nbgrader_api import directory
    from grading.submissions import Submission, make_submission

    times = []
    for run in range(runs):
        student = f"bench{run}"
        make_submission(assignment, Submission(student), directory("submitted") / student / assignment)
        started = time.perf_counter()
        result = grade(assignment, [student], feedback=False, log=lambda *_: None)[0]
        times.append(time.perf_counter() - started)
        if result.total != result.max_total:
            raise SystemExit(f"{assignment}: the perfect submission got {result.total}/{result.max_total}")
    return statistics.median(times)


def main(argv=None):
    from grading.release import assignments, release

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    chosen = args.assignments or assignments()
    release(chosen, log=lambda *_: None)
    print(f"{'assignment':28s} {'notebook run (s)':>17s} {'grade one (median s)':>21s}")
    for assignment in chosen:
        print(f"{assignment:28s} {notebook_seconds(assignment):17.1f} {grading_seconds(assignment, args.runs):21.2f}",
              flush=True)


if __name__ == "__main__":
    main()
