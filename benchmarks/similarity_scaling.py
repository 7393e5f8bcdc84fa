"""Seconds the cohort summary's similarity report takes as the cohort grows.

    python benchmarks/similarity_scaling.py [--students 50 100 200] [--functions 10]

Each student answers every function with a few random numpy statements, so
nearly all pairs differ; one student hands in student 0's answers with a
variable renamed, and the script stops with an error if that pair is not
reported. The report compares every pair of distinct answers per function, so
its time grows with the square of the cohort: the figures show how much.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grading.cohort.similarity import similar_pairs  # noqa: E402

STARTER = "def task(x, y):\n    raise NotImplementedError()\n"


def random_answer(rng):
    """Source of one made-up answer: 4 to 12 random statements on x and y."""
    lines = ["def task(x, y):", "    total = 0"]
    for step in range(rng.randint(4, 12)):
        op = rng.choice("+-*/")
        call = rng.choice(["np.dot", "np.sum", "np.maximum", "np.exp", "np.log"])
        lines.append(f"    t{step} = {call}(x {op} {rng.randint(0, 9)}, y) {op} total")
        lines.append(f"    total = total {op} t{step}")
    lines.append("    return total")
    return "\n".join(lines)


def measure(students, functions, seed=7):
    """(seconds, pairs reported) for one synthetic cohort with one planted copy."""
    rng = random.Random(seed)
    names = [f"f{i}" for i in range(functions)]
    answers = {f"s{s:04d}": {f: random_answer(rng) for f in names} for s in range(students)}
    copier = f"s{students - 1:04d}"
    answers[copier] = {f: source.replace("total", "acc") for f, source in answers["s0000"].items()}
    start = time.perf_counter()
    pairs = similar_pairs(answers, {f: STARTER for f in names})
    seconds = time.perf_counter() - start
    if ("s0000", copier) not in [(p.student_a, p.student_b) for p in pairs]:
        sys.exit(f"the planted copy s0000 ~ {copier} was not reported")
    return seconds, len(pairs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--functions", type=int, default=10)
    args = parser.parse_args(argv)
    if min(args.students) < 2 or args.functions < 1:
        parser.error("--students needs at least 2 and --functions at least 1")
    print(f"{'students':>9} {'functions':>9} {'seconds':>8} {'pairs':>6}")
    for students in args.students:
        seconds, pairs = measure(students, args.functions)
        print(f"{students:>9} {args.functions:>9} {seconds:>8.2f} {pairs:>6}")


if __name__ == "__main__":
    main()
