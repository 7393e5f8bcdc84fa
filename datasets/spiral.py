"""The multi-arm spiral of the batch-normalization and softmax assignment.

The points are drawn by ``helpers.digits_data.make_spiral`` (seeded, so always
the same); it lives in ``helpers`` because a graded notebook runs with the
helpers modules and the data files only. This script re-exports it and prints
what the lesson uses.

Usage (from the repository root):

    python -m datasets.spiral
"""

import numpy as np

from helpers.digits_data import SPIRAL_SEED, make_spiral

__all__ = ["make_spiral", "SPIRAL_SEED"]


def main():
    X, y = make_spiral()
    counts = np.bincount(y.ravel())
    print(f"spiral (seed {SPIRAL_SEED}): X {X.shape}, y {y.shape}, points per class {counts.tolist()}, "
          f"x1 in [{X[0].min():.2f}, {X[0].max():.2f}], x2 in [{X[1].min():.2f}, {X[1].max():.2f}]")


if __name__ == "__main__":
    main()
