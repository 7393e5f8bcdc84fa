"""Peak memory of the cohort grader on the adversarial fixtures, and their wall time.

    python benchmarks/adversarial_memory.py [--workers 2]

Grades tests/files/cohort_submissions (cheating, broken and control submissions,
among them a forged 1 GB array, output floods and sleeping cells) as the test
suite does, sampling the resident memory of the grader and every process under
it (workers, sandboxes, kernels) every 0.1 s. Stops with an error if a fixture
does not get its grade. Target: the whole tree under 1.5 GB.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("DLCOURSE_BUILD_DIR", tempfile.mkdtemp(prefix="dlcourse-bench-"))

from cohort_support import FIXTURES, PeakMemory, mismatches  # noqa: E402
from grading.cohort import grade_cohort  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with PeakMemory() as memory:
        result = grade_cohort(FIXTURES, out_dir=tempfile.mkdtemp(prefix="dlcourse-adversarial-"), workers=args.workers,
                              cell_timeout=10, notebook_timeout=20, memory_mb=1500, progress=False, log=lambda *_: None)
    seconds = time.perf_counter() - started
    wrong = mismatches(result)
    if wrong:
        sys.exit("fixtures without their grade:\n" + "\n".join(wrong))
    print(f"{len(result.rows)} adversarial fixtures, {args.workers} workers: {seconds:.1f} s, "
          f"peak memory of the grader's process tree {memory.peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
