"""Small two-dimensional datasets used by the notebooks.

Each loader rebuilds its data from a fixed recipe and a fixed seed, so every
learner sees the same points as the classic assignments. All of them return the
course layout: features ``X`` of shape (2, m), one column per example, and
labels ``Y`` of shape (1, m).

Note: like the classic code, the loaders seed numpy's *global* legacy random
generator (``np.random.seed``). The notebooks rely on that, because some of
their expected outputs were computed right after loading the data.
"""

import numpy as np

from helpers.errors import DatasetError


def _sklearn_datasets():
    # Imported on first use: scikit-learn takes seconds to import, and most notebooks
    # that import this module never call its generators while being graded.
    from sklearn import datasets

    return datasets

# Order matters: it is the order in which the classic recipe draws the data
# from the global random generator.
EXTRA_DATASET_NAMES = (
    "noisy_circles",
    "noisy_moons",
    "blobs",
    "gaussian_quantiles",
    "no_structure",
)


def load_planar_dataset():
    """The "flower": two classes of points lying on the petals of a rose curve.

    Inputs: none.
    Returns:
        X -- float64 array of shape (2, 400), the coordinates of each point.
        Y -- uint8 array of shape (1, 400), the label (0 = red, 1 = blue);
             200 points of each class.
    """
    np.random.seed(1)
    m = 400           # number of examples
    n_per_class = m // 2
    dims = 2
    max_ray = 4       # the longest petal
    X = np.zeros((m, dims))
    Y = np.zeros((m, 1), dtype="uint8")
    for j in range(2):
        ix = range(n_per_class * j, n_per_class * (j + 1))
        theta = (np.linspace(j * 3.12, (j + 1) * 3.12, n_per_class)
                 + np.random.randn(n_per_class) * 0.2)
        radius = max_ray * np.sin(4 * theta) + np.random.randn(n_per_class) * 0.2
        X[ix] = np.c_[radius * np.sin(theta), radius * np.cos(theta)]
        Y[ix] = j
    return X.T, Y.T


def load_extra_datasets():
    """The five extra datasets of the classic "planar data" assignment.

    Calling it twice gives the same points: the global random generator is
    seeded first, because several scikit-learn generators below draw from it.

    Inputs: none.
    Returns:
        datasets -- dict, name -> (X, y) in scikit-learn's layout:
            X -- float64 array of shape (200, 2);
            y -- int array of shape (200,). Labels are 0/1 except for "blobs",
                 which keeps its six classes (0..5);
                 see :func:`load_extra_dataset` for the notebook layout.
        The names are those of ``EXTRA_DATASET_NAMES``.
    """
    np.random.seed(1)
    n = 200
    noisy_circles = _sklearn_datasets().make_circles(n_samples=n, factor=0.5, noise=0.3)
    noisy_moons = _sklearn_datasets().make_moons(n_samples=n, noise=0.2)
    blobs = _sklearn_datasets().make_blobs(n_samples=n, random_state=5, n_features=2, centers=6)
    gaussian_quantiles = _sklearn_datasets().make_gaussian_quantiles(
        mean=None, cov=0.5, n_samples=n, n_features=2, n_classes=2,
        shuffle=True, random_state=None)
    # The classic recipe draws two uniform (200, 2) arrays and never gives them
    # usable labels. We keep both draws (so the random stream matches) and
    # threshold one column of the second: labels that are pure noise, which
    # is exactly the point of a dataset "with no structure".
    points = np.random.rand(n, 2)
    noise = np.random.rand(n, 2)
    no_structure = (points, (noise[:, 0] > 0.5).astype(np.int64))
    return {
        "noisy_circles": noisy_circles,
        "noisy_moons": noisy_moons,
        "blobs": blobs,
        "gaussian_quantiles": gaussian_quantiles,
        "no_structure": no_structure,
    }


def load_extra_dataset(name):
    """One extra dataset in the notebook layout, with binary labels.

    Inputs:
        name -- str, one of ``EXTRA_DATASET_NAMES``.
    Returns:
        X -- float64 array of shape (2, 200).
        Y -- int array of shape (1, 200) holding 0 or 1 (the six blob classes
             are folded into two with ``label % 2``, as the classic notebook did).
    Raises:
        DatasetError -- if the name is unknown.
    """
    if not isinstance(name, str) or name not in EXTRA_DATASET_NAMES:
        valid = ", ".join(f'"{n}"' for n in EXTRA_DATASET_NAMES)
        raise DatasetError(
            f"Unknown dataset {name!r}. Choose one of: {valid}.",
            f"没有名为 {name!r} 的数据集。请从以下名称中选择：{valid}。",
        )
    X, y = load_extra_datasets()[name]
    if name == "blobs":
        y = y % 2
    return X.T, y.reshape(1, -1)


def load_circles_dataset():
    """Two noisy concentric circles, for the initialization assignment.

    Inputs: none.
    Returns:
        train_X -- float64 array of shape (2, 300); train_Y -- int array (1, 300);
        test_X -- float64 array of shape (2, 100);  test_Y -- int array (1, 100).
        Labels: 0 = outer circle, 1 = inner circle.
    """
    np.random.seed(1)
    train_X, train_Y = _sklearn_datasets().make_circles(n_samples=300, noise=0.05)
    np.random.seed(2)
    test_X, test_Y = _sklearn_datasets().make_circles(n_samples=100, noise=0.05)
    return train_X.T, train_Y.reshape(1, -1), test_X.T, test_Y.reshape(1, -1)


def load_moons_dataset():
    """Two interleaving noisy half-moons, for the optimization assignment.

    Inputs: none.
    Returns:
        train_X -- float64 array of shape (2, 300).
        train_Y -- int array of shape (1, 300) holding 0 or 1.
    """
    np.random.seed(3)
    train_X, train_Y = _sklearn_datasets().make_moons(n_samples=300, noise=0.2)
    return train_X.T, train_Y.reshape(1, -1)
