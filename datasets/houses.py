"""The houses of the hyperparameter-tuning assignment: two features on very different scales.

The houses are drawn by ``helpers.tuning_data.make_houses`` (seeded, so always
the same); it lives in ``helpers`` because a graded notebook runs with the
helpers modules and the data files only. This script re-exports it and prints
what the lesson uses.

Usage (from the repository root):

    python -m datasets.houses
"""


from helpers.tuning_data import HOUSES_SEED, make_houses

__all__ = ["make_houses", "HOUSES_SEED"]


def main():
    X, Y = make_houses()
    print(f"houses (seed {HOUSES_SEED}): X {X.shape}, Y {Y.shape}, sold within a month {int(Y.sum())} of {Y.shape[1]}")
    for name, row in (("floor area (square feet)", X[0]), ("garden share of the plot", X[1])):
        print(f"  {name}: from {row.min():.3g} to {row.max():.3g}, mean {row.mean():.3g}, standard deviation {row.std():.3g}")


if __name__ == "__main__":
    main()
