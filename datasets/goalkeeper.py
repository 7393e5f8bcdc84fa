"""Draw the course's own "goalkeeper" dataset for the regularization assignment.

The story: the French goalkeeper kicks the ball from his goal. Each example is
the position on the field where the ball came down, and its label tells who
headed it: a French player (blue, 1) or an opponent (red, 0).

How the points are drawn (with ``np.random.RandomState(seed)``):

- positions are uniform on the rectangle [-0.75, 0.45] x [-0.75, 0.65];
- the true rule is a gently curved line: French players win the ball above
  ``x2 = boundary(x1)``, opponents below it;
- near that line the duel is uncertain, so labels are flipped with a
  probability that is highest (FLIP_PEAK) on the line and fades within about
  FLIP_WIDTH of it. These noisy points are what an unregularized network
  learns by heart, while L2 or dropout ignore them.

The seed was chosen with ``python -m datasets.check_goalkeeper_story`` so that
the data tells the story of the assignment: without regularization the
network [2, 20, 3, 1] overfits, and both L2 (lambda = 0.7) and dropout
(keep_prob = 0.86) reach a higher test accuracy.

Usage (from the repository root):

    python -m datasets.goalkeeper [--out PATH]
"""

import argparse
from pathlib import Path

import numpy as np
import scipy.io

SEED = 11
M_TRAIN = 200
M_TEST = 200
X1_RANGE = (-0.75, 0.45)
X2_RANGE = (-0.75, 0.65)
FLIP_PEAK = 0.5
FLIP_WIDTH = 0.1
DEFAULT_OUT = Path(__file__).resolve().parent / "goalkeeper" / "data.mat"


def boundary(x1):
    """The true frontier between the two teams.

    Inputs:  x1 -- array of any shape, the first coordinate.
    Returns: array of the same shape, the second coordinate of the frontier.
    """
    return 0.05 + 0.05 * np.sin(3.0 * x1 + 0.6) - 0.25 * x1


def draw_examples(rng, m):
    """Draw m labelled positions.

    Inputs:
        rng -- np.random.RandomState, the source of randomness.
        m -- int, number of examples.
    Returns:
        X -- float64 array of shape (m, 2), positions on the field.
        y -- float64 array of shape (m, 1), labels 0 (red) or 1 (blue).
    """
    x1 = rng.uniform(*X1_RANGE, size=m)
    x2 = rng.uniform(*X2_RANGE, size=m)
    distance = x2 - boundary(x1)
    y = (distance > 0).astype(np.float64)
    flip = rng.rand(m) < FLIP_PEAK * np.exp(-(distance / FLIP_WIDTH) ** 2)
    y[flip] = 1.0 - y[flip]
    return np.column_stack([x1, x2]), y.reshape(m, 1)


def draw_goalkeeper(seed=SEED, m_train=M_TRAIN, m_test=M_TEST):
    """Draw the training set, then the test set, from one random stream.

    Inputs:  seed -- int; m_train, m_test -- int, sizes of the two sets.
    Returns: dict with "X" (m_train, 2), "y" (m_train, 1), "Xval" (m_test, 2)
             and "yval" (m_test, 1), all float64.
    """
    rng = np.random.RandomState(seed)
    X, y = draw_examples(rng, m_train)
    Xval, yval = draw_examples(rng, m_test)
    return {"X": X, "y": y, "Xval": Xval, "yval": yval}


def make_goalkeeper_dataset(path=DEFAULT_OUT, seed=SEED):
    """Draw the dataset and save it as a .mat file.

    Inputs:
        path -- str or Path of the file to write; missing folders are created.
        seed -- int, the seed of the RandomState.
    Returns:
        data -- dict of the four saved arrays (see :func:`draw_goalkeeper`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = draw_goalkeeper(seed)
    scipy.io.savemat(str(path), data, do_compression=True)
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Write the goalkeeper dataset (keys X, y, Xval, yval) to a .mat file.")
    parser.add_argument("--out", default=str(DEFAULT_OUT),
                        help="file to write (default: %(default)s)")
    args = parser.parse_args(argv)
    data = make_goalkeeper_dataset(args.out)
    print(f"wrote {args.out}: {len(data['X'])} training and "
          f"{len(data['Xval'])} test examples")


if __name__ == "__main__":
    main()
