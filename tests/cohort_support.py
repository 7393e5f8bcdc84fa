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
    """Samples the memory of this process and all its descendants (the workers, the sandboxes
    and their kernels) every ``interval`` seconds. Each process counts its proportional set
    size (PSS): pages a fork server shares with the tasks it forked are counted once in all,
    not once per process as the resident sizes would (RSS where PSS is unreadable).

    peak -- bytes: the most the tree held at once, this process counted above what it held on
            entry and the children it had on entry left out (a test runner's earlier tests
            and its browser are not the grader's memory);
    worker_peak -- bytes: the most one direct child (a worker with its sandbox, fork server
            and tasks) held at once; largest -- [(MB, command)] of the biggest processes at ``peak``.

        with PeakMemory() as memory:
            grade_cohort(...)
        memory.peak
    """

    def __init__(self, interval=0.1):
        import threading

        self.interval, self._stop = interval, threading.Event()
        self.peak, self.worker_peak, self.largest, self._baseline = 0, 0, [], 0
        self._earlier = set()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _size(process):
        import psutil

        try:
            return process.memory_full_info().pss
        except (AttributeError, psutil.AccessDenied):
            return process.memory_info().rss

    def _sample(self):
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total, sizes = 0, []
            for child in me.children():
                if child.pid in self._earlier:
                    continue  # started before the grader (a test session's browser), not its memory
                tree = 0
                for process in [child, *self._descendants(child)]:
                    try:
                        size = self._size(process)
                        sizes.append((size, process))
                        tree += size
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass  # ended between the listing and the reading
                self.worker_peak = max(self.worker_peak, tree)
                total += tree
            total += max(0, self._size(me) - self._baseline)
            if total > self.peak:
                self.peak = total
                self.largest = [(size >> 20, " ".join(_cmdline(process))[-60:])
                                for size, process in sorted(sizes, key=lambda pair: -pair[0])[:5]]
            self._stop.wait(self.interval)

    @staticmethod
    def _descendants(process):
        import psutil

        try:
            return process.children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def __enter__(self):
        import psutil

        me = psutil.Process()
        self._baseline = self._size(me)
        self._earlier = {child.pid for child in me.children()}
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False


def _cmdline(process):
    try:
        return process.cmdline()
    except Exception:  # the process ended
        return ["?"]
