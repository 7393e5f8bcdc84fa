"""Shared by the cohort-grading tests: the fixture submissions and what each must get."""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "files" / "cohort_submissions"
ASSIGNMENT = "deep_nn_step_by_step"


def expected_grades():
    return json.loads((FIXTURES / "expected_grades.json").read_text(encoding="utf-8"))


def mismatches(result):
    """Human-readable list of fixtures whose grade, status or messages are not as specified."""
    expected = expected_grades()
    by_student = {row["student"]: row for row in result.rows}
    notes = {r.student: " ".join([en for en, _ in r.notes] + [en for en, _ in r.reasons.values()]) for r in result.results}
    problems = []
    if set(by_student) != set(expected):
        problems.append(f"submissions graded {sorted(by_student)} != fixtures {sorted(expected)}")
    for student, want in expected.items():
        row = by_student.get(student)
        if row is None:
            continue
        graded = row["status"] == "graded"
        text = " ".join([row["status"], row["flags"], notes.get(student, "")])
        if row["total"] != want["total"] or graded != (want["status"] == "graded"):
            problems.append(f"{student}: got {row['total']:g} ({row['status']}), expected {want['total']} ({want['status']})")
        problems += [f"{student}: no mention of {word!r} in {text[:200]!r}" for word in want["mentions"] if word not in text]
    return problems


def subset(target, names):
    """Copy some fixture submissions into ``target`` (an nbgrader submitted tree)."""
    import shutil

    for name in names:
        shutil.copytree(FIXTURES / name, target / name)
    return target


class PeakMemory:
    """Samples the resident memory of this process and all its descendants (the workers,
    the sandboxes and their kernels) every ``interval`` seconds; ``peak`` in bytes.

        with PeakMemory() as memory:
            grade_cohort(...)
        memory.peak
    """

    def __init__(self, interval=0.1):
        import threading

        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass  # ended between the listing and the reading
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False
