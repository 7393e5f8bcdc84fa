"""Submissions graded per minute: sequential `nbgrader autograde` against the
course's parallel grading (grading.cohort), on the same synthetic cohort, in
one run; where the parallel grading's time goes, phase by phase; then how its
wall time grows with the cohort.

    python benchmarks/cohort_throughput.py [--students 50] [--growth 10 50 200] [--workers N] [--only-parallel]

The synthetic cohort cycles through the demo submissions of each assignment
(perfect, blank, English-only, Chinese-only, typical mistakes). The phase table
sums, per assignment, the seconds the workers spent in: prepare (repair, source
scan, task), sandbox_start (bubblewrap, interpreter, teardown), kernel_start
(the runner's imports and the kernel), cells, harvest, comparison and feedback;
then the coordinator's register (nbgrader release into the gradebook), intake,
gradebook writes and reports, and the workers' idle time.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUILD = Path(os.environ.setdefault("DLCOURSE_BUILD_DIR", tempfile.mkdtemp(prefix="dlcourse-bench-")))


def make_cohort(assignments, students, target):
    """``students`` synthetic students per assignment, written in nbgrader's submitted layout."""
    from grading.expected import recipe
    from grading.submissions import make_submission, standard_submissions

    for assignment in assignments:
        templates = standard_submissions(assignment, recipe(assignment))
        made = {}
        for number in range(students):
            template = templates[number % len(templates)]
            student = f"s{number:04d}"
            folder = target / student / assignment
            if template.student in made:
                shutil.copytree(made[template.student], folder)
            else:
                make_submission(assignment, template, folder)
                made[template.student] = folder
    return target


def sequential_nbgrader(assignments, submitted):
    """Plain nbgrader: `nbgrader autograde ASSIGNMENT` over the whole submitted folder."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    target = BUILD / "submitted"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(submitted, target)
    started = time.perf_counter()
    for assignment in assignments:
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--create", "--force",
                        "--log-level=ERROR"], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def parallel(submitted, workers, out):
    from grading.cohort import grade_cohort

    started = time.perf_counter()
    result = grade_cohort(submitted, out_dir=out, workers=workers, progress=False, log=lambda *_: None)
    seconds = time.perf_counter() - started
    not_graded = [row for row in result.rows if row["status"] != "graded"]
    if not_graded:
        raise SystemExit(f"{len(not_graded)} submissions were not graded: {not_graded[:2]}")
    return seconds, len(result.rows), result


def phase_table(result):
    """Seconds per phase: per assignment, the workers' phases summed over its submissions;
    then the coordinator's own phases and the workers' idle time (their wall time not spent grading)."""
    from grading.cohort.worker import PHASES as WORKER_PHASES

    lines = [f"{'assignment':24s} {'n':>4s} " + " ".join(f"{name:>13s}" for name in WORKER_PHASES) + f" {'sum':>8s}"]
    by_assignment = {}
    for submission in result.results:
        by_assignment.setdefault(submission.assignment, []).append(submission)
    busy = 0.0
    for assignment, submissions in by_assignment.items():
        sums = [sum(s.phases.get(name, 0.0) for s in submissions) for name in WORKER_PHASES]
        busy += sum(s.seconds for s in submissions)
        lines.append(f"{assignment:24s} {len(submissions):4d} " + " ".join(f"{value:13.1f}" for value in sums)
                     + f" {sum(sums):8.1f}")
    own = result.phases
    idle = max(0.0, own.get("grading", 0.0) * result.workers - busy)
    lines.append("coordinator: " + ", ".join(f"{name} {own.get(name, 0.0):.1f} s" for name in
                                               ("register", "intake", "gradebook", "reports"))
                 + f"; workers' idle time {idle:.1f} s ({result.workers} workers x {own.get('grading', 0.0):.1f} s"
                   f" grading, {busy:.1f} s busy)")
    return "\n".join(lines)


def main(argv=None):
    from grading.release import assignments, release

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--growth", type=int, nargs="*", default=[10, 50, 200])
    parser.add_argument("--growth-assignment", default="deep_nn_step_by_step")
    parser.add_argument("--workers", type=int, help="parallel workers (default: the course's default, cores + 1)")
    parser.add_argument("--only-parallel", action="store_true", help="skip sequential nbgrader (profiling)")
    args = parser.parse_args(argv)
    from grading.cohort.coordinator import default_workers

    args.workers = args.workers or default_workers()
    chosen = assignments()
    release(chosen, log=lambda *_: None)
    work = Path(tempfile.mkdtemp(prefix="dlcourse-cohort-"))
    cohort = make_cohort(chosen, args.students, work / "cohort")
    count = args.students * len(chosen)
    print(f"cohort: {args.students} students x {len(chosen)} assignments = {count} submissions; "
          f"{os.cpu_count()} cores; {args.workers} workers", flush=True)
    sequential = None if args.only_parallel else sequential_nbgrader(chosen, cohort)
    if sequential:
        print(f"sequential nbgrader autograde: {sequential:7.1f} s  {count / sequential * 60:6.1f} submissions/min", flush=True)
    fast, graded, result = parallel(cohort, args.workers, work / "out")
    print(f"course parallel grading:       {fast:7.1f} s  {graded / fast * 60:6.1f} submissions/min", flush=True)
    print(phase_table(result), flush=True)
    if sequential:
        print(f"throughput ratio (parallel / sequential): {(graded / fast) / (count / sequential):.2f}x", flush=True)
    for students in args.growth:
        folder = make_cohort([args.growth_assignment], students, work / f"growth{students}")
        seconds, graded, _ = parallel(folder, args.workers, work / f"growth-out{students}")
        print(f"growth, {args.growth_assignment}, {students:4d} students: {seconds:7.1f} s "
              f"({seconds / graded:.2f} s per submission)", flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
