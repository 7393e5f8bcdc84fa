"""Submissions graded per minute: sequential `nbgrader autograde` against the
course's parallel grading (grading.cohort), on the same synthetic cohort, in
one run; where the parallel grading's time goes, phase by phase; the peak
memory; then how its wall time grows with the cohort.

    python benchmarks/cohort_throughput.py [--students 10 50] [--growth 10 50 200] [--workers N] [--only-parallel]

The synthetic cohort cycles through the demo submissions of each assignment
(perfect, blank, English-only, Chinese-only, typical mistakes); none cheats, so
both paths must give every submission the same total: the benchmark compares
them and stops at the first difference. The phase table sums, per assignment,
the seconds the workers spent in: prepare (repair, source scan, pruning, task),
sandbox_start (the fork server's fork and the namespaces, or a whole sandbox),
kernel_start (the task's shell), cells, harvest, comparison and feedback; then
the coordinator's register (nbgrader's release into the gradebook), intake,
gradebook writes and reports, and the workers' idle time. Memory is the
proportional set size of the grader's process tree (tests/cohort_support.py).
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
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
    """Plain nbgrader: `nbgrader autograde ASSIGNMENT` over the whole submitted folder.
    Returns: (seconds, {(student, assignment): total score} from nbgrader's gradebook)."""
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
    seconds = time.perf_counter() - started
    from grading.cohort.gradebook import total_scores
    from grading.nbgrader_api import db_url

    return seconds, {(student, assignment): total for assignment in assignments
                     for student, total in total_scores(db_url(), assignment).items()}


def parallel(submitted, workers, out):
    """The course's grading. Returns: (seconds, submissions, CohortResult, PeakMemory)."""
    from cohort_support import PeakMemory
    from grading.cohort import grade_cohort

    started = time.perf_counter()
    with PeakMemory() as memory:
        result = grade_cohort(submitted, out_dir=out, workers=workers, progress=False, log=lambda *_: None)
    seconds = time.perf_counter() - started
    not_graded = [row for row in result.rows if row["status"] != "graded"]
    if not_graded:
        raise SystemExit(f"{len(not_graded)} submissions were not graded: {not_graded[:2]}")
    return seconds, len(result.rows), result, memory


def same_grades(nbgrader_totals, result):
    """Stop unless nbgrader and the course gave every submission the same total."""
    ours = {(row["student"], row["assignment"]): row["total"] for row in result.rows}
    differ = [(key, nbgrader_totals.get(key), ours[key]) for key in sorted(ours)
              if nbgrader_totals.get(key) is None or abs(nbgrader_totals[key] - ours[key]) > 1e-9]
    if differ or len(nbgrader_totals) != len(ours):
        raise SystemExit(f"the two paths disagree on {len(differ)} of {len(ours)} submissions "
                         f"((student, assignment), nbgrader, course): {differ[:5]}")
    return len(ours)


def memory_line(memory, workers):
    return (f"peak memory (PSS): grader's process tree {memory.peak / 2**20:.0f} MB; one worker with its "
            f"sandbox and tasks {memory.worker_peak / 2**20:.0f} MB ({workers} workers)")


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
    parser.add_argument("--students", type=int, nargs="+", default=[10, 50], help="students per assignment")
    parser.add_argument("--growth", type=int, nargs="*", default=[10, 50, 200])
    parser.add_argument("--growth-assignment", default="deep_nn_step_by_step")
    parser.add_argument("--workers", type=int, help="parallel workers (default: the course's default, cores + 1)")
    parser.add_argument("--only-parallel", action="store_true", help="skip sequential nbgrader (profiling)")
    args = parser.parse_args(argv)
    if min(args.students + args.growth, default=1) < 1:
        parser.error("--students and --growth take positive numbers")
    from grading.cohort.coordinator import default_workers

    args.workers = args.workers or default_workers()
    chosen = assignments()
    release(chosen, log=lambda *_: None)
    work = Path(tempfile.mkdtemp(prefix="dlcourse-cohort-"))
    ratios = []
    for students in args.students:
        cohort = make_cohort(chosen, students, work / f"cohort{students}")
        count = students * len(chosen)
        print(f"\ncohort: {students} students x {len(chosen)} assignments = {count} submissions; "
              f"{os.cpu_count()} cores; {args.workers} workers", flush=True)
        if not args.only_parallel:
            sequential, nbgrader_totals = sequential_nbgrader(chosen, cohort)
            print(f"sequential nbgrader autograde: {sequential:7.1f} s  {count / sequential * 60:6.1f} submissions/min",
                  flush=True)
        fast, graded, result, memory = parallel(cohort, args.workers, work / f"out{students}")
        print(f"course parallel grading:       {fast:7.1f} s  {graded / fast * 60:6.1f} submissions/min", flush=True)
        print(phase_table(result), flush=True)
        print(memory_line(memory, result.workers), flush=True)
        if not args.only_parallel:
            print(f"identical totals from both paths: {same_grades(nbgrader_totals, result)} submissions", flush=True)
            ratios.append((students, (graded / fast) / (count / sequential)))
            print(f"throughput ratio (parallel / sequential), {students} students: {ratios[-1][1]:.2f}x", flush=True)
    per_submission = []
    for students in args.growth:
        folder = make_cohort([args.growth_assignment], students, work / f"growth{students}")
        seconds, graded, _, memory = parallel(folder, args.workers, work / f"growth-out{students}")
        per_submission.append(seconds / graded)
        print(f"growth, {args.growth_assignment}, {students:4d} students: {seconds:7.1f} s "
              f"({seconds / graded:.2f} s per submission); {memory_line(memory, args.workers)}", flush=True)
    if len(per_submission) > 1:
        print(f"seconds per submission, largest cohort / smallest: {per_submission[-1] / per_submission[0]:.2f} "
              "(1.00 is linear growth; below 1, fixed costs spread out)")
    if ratios:
        print("summary: " + "; ".join(f"{ratio:.2f}x at {students} students" for students, ratio in ratios))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
