"""Data of the batch-normalization and softmax assignment.

- :func:`load_digits_split` -- scikit-learn's bundled handwritten digits
  (``sklearn.datasets.load_digits``: 1797 images of 8 x 8 pixels, classes 0-9,
  shipped inside the package, so nothing is downloaded), pixels scaled to
  [0, 1], examples in columns, split into a training and a test set with a
  fixed seed;
- :func:`one_hot` -- labels (1, m) to a one-hot matrix (C, m), and
  :func:`class_indices` back;
- :func:`make_spiral` -- a seeded spiral with several arms, one class per arm,
  for decision-region plots.

The spiral is drawn by code, not read from a file: the grader runs a notebook
with the ``helpers`` modules and the data files of ``datasets/`` only, so the
generator lives here; ``datasets/spiral.py`` re-exports it and prints a summary
for whoever looks for the course's datasets in ``datasets/``.
"""

import numpy as np

from .errors import CourseError

DIGITS_SEED = 1
TEST_FRACTION = 0.2
SPIRAL_SEED = 0


def load_digits_split(test_fraction=TEST_FRACTION, seed=DIGITS_SEED):
    """The handwritten digits, shuffled with ``np.random.RandomState(seed)`` and split.

    Inputs:
        test_fraction -- float in (0, 1): the share of the 1797 examples kept for the test set
                         (rounded to a whole number of examples).
        seed -- int, seed of the shuffle; the same seed always gives the same split.
    Returns:
        train_X -- float64 (64, m_train), pixel intensities in [0, 1], one image per column
                   (row 8 * i + j is the pixel of row i, column j);
        train_y -- int64 (1, m_train), the digit of each column, 0 .. 9;
        test_X, test_y -- the same for the m_test = round(1797 * test_fraction) test examples.
    Raises:
        CourseError -- if test_fraction is not strictly between 0 and 1.
    """
    if not 0 < float(test_fraction) < 1:
        raise CourseError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction!r}.",
                          f"test_fraction 必须严格介于 0 和 1 之间，实际是 {test_fraction!r}。")
    from sklearn.datasets import load_digits  # imported here: only this loader needs scikit-learn

    digits = load_digits()
    X = digits.data.T.astype(np.float64) / 16.0  # pixels are 0 .. 16 in the file
    y = digits.target.astype(np.int64).reshape(1, -1)
    m = X.shape[1]
    order = np.random.RandomState(seed).permutation(m)
    m_test = int(round(m * float(test_fraction)))
    test, train = order[:m_test], order[m_test:]
    return X[:, train], y[:, train], X[:, test], y[:, test]


def one_hot(y, num_classes):
    """One-hot matrix of integer labels.

    Inputs:
        y -- int array of shape (1, m) (or (m,)) with values in 0 .. num_classes - 1.
        num_classes -- int C >= 1.
    Returns:
        Y -- float64 array (C, m), Y[k, i] = 1 where y[i] == k and 0 elsewhere.
    Raises:
        CourseError -- for labels that are not whole numbers in 0 .. C - 1.
    """
    labels = np.asarray(y).reshape(-1)
    if labels.size and (not np.all(np.equal(np.mod(labels, 1), 0)) or labels.min() < 0 or labels.max() >= num_classes):
        raise CourseError(f"labels must be whole numbers from 0 to {num_classes - 1}, got values from {labels.min()} to {labels.max()}.",
                          f"标签必须是 0 到 {num_classes - 1} 之间的整数，实际取值范围是 {labels.min()} 到 {labels.max()}。")
    Y = np.zeros((int(num_classes), labels.size))
    Y[labels.astype(np.int64), np.arange(labels.size)] = 1.0
    return Y


def class_indices(Y):
    """The class of each column of a one-hot (or probability) matrix: int64 (1, m), the row of its largest entry."""
    return np.argmax(np.asarray(Y), axis=0).reshape(1, -1)


def make_spiral(points_per_class=100, num_classes=3, noise=0.2, turns=1.0, seed=SPIRAL_SEED):
    """A spiral with one arm per class, drawn with ``np.random.RandomState(seed)``.

    Arm k starts at the centre and winds ``turns`` times around it; along the arm the
    radius grows from 0 to 1 and the angle from 2 pi k / C to 2 pi k / C + 2 pi turns,
    plus Gaussian noise of standard deviation ``noise`` (radians) on the angle.

    Inputs:
        points_per_class -- int >= 2; num_classes -- int C >= 2;
        noise -- float >= 0; turns -- float > 0; seed -- int.
    Returns:
        X -- float64 (2, C * points_per_class), the points in columns (class 0 first);
        y -- int64 (1, C * points_per_class), the arm of each point, 0 .. C - 1.
    Raises:
        CourseError -- for sizes that are not whole numbers of the allowed range or a negative noise.
    """
    if int(points_per_class) != points_per_class or points_per_class < 2 or \
            int(num_classes) != num_classes or num_classes < 2:
        raise CourseError(f"points_per_class and num_classes must be whole numbers >= 2, got {points_per_class!r} and {num_classes!r}.",
                          f"points_per_class 和 num_classes 必须是不小于 2 的整数，实际是 {points_per_class!r} 和 {num_classes!r}。")
    if noise < 0 or turns <= 0:
        raise CourseError(f"noise must be >= 0 and turns > 0, got noise = {noise!r}, turns = {turns!r}.",
                          f"noise 必须不小于 0，turns 必须大于 0，实际 noise = {noise!r}，turns = {turns!r}。")
    rng = np.random.RandomState(seed)
    n, C = int(points_per_class), int(num_classes)
    X = np.zeros((2, n * C))
    y = np.zeros((1, n * C), dtype=np.int64)
    for k in range(C):
        radius = np.linspace(0.0, 1.0, n)
        angle = 2 * np.pi * (k / C + turns * radius) + noise * rng.randn(n)
        X[:, k * n:(k + 1) * n] = np.vstack([radius * np.cos(angle), radius * np.sin(angle)])
        y[0, k * n:(k + 1) * n] = k
    return X, y
