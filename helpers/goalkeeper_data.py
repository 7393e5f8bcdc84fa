"""Loader of the "goalkeeper" dataset of the regularization assignment.

The story: the French goalkeeper kicks the ball; each point is where on the
field it landed, and the label says who headed it: a French player (blue, 1)
or an opponent (red, 0). The course draws its own version of this data (see
``datasets/goalkeeper.py``) and stores it as a MATLAB ``.mat`` file with four
arrays:

    X    -- (m_train, 2) positions of the training examples,
    y    -- (m_train, 1) their labels, 0 or 1,
    Xval -- (m_test, 2)  positions of the test examples,
    yval -- (m_test, 1)  their labels, 0 or 1.
"""

from pathlib import Path

import numpy as np
import scipy.io

from helpers.data_files import dataset_dir
from helpers.errors import DatasetError

DATASET = "goalkeeper"
FILE_NAME = "data.mat"


def default_path():
    """Where the course keeps the goalkeeper file.

    Inputs: none.
    Returns: Path -- ``<data root>/goalkeeper/data.mat``, where the data root is
        ``$DLCOURSE_DATA_DIR`` if set, else the copy installed with the package,
        else the repository's ``datasets`` folder (helpers.data_files).
    """
    return dataset_dir(DATASET) / FILE_NAME


def _fail(path, en, zh):
    """Raise a DatasetError that names the file in both languages."""
    raise DatasetError(f"Goalkeeper dataset {path}: {en}",
                       f"守门员数据集 {path}：{zh}")


def _read_mat(path):
    """Read a .mat file, turning every reading problem into a DatasetError."""
    if not path.exists():
        _fail(path, "the file does not exist.",
              "文件不存在。")
    if not path.is_file():
        _fail(path, "this is a folder, not a file.",
              "这是一个文件夹，不是文件。")
    try:
        return scipy.io.loadmat(str(path))
    except NotImplementedError:
        # scipy cannot read MATLAB v7.3 files (they are HDF5 inside).
        _fail(path, "this .mat file uses the MATLAB v7.3 format, which cannot be read here; "
                    "save it again with scipy.io.savemat.",
              "该 .mat 文件是 MATLAB v7.3 格式，这里无法读取；请用 scipy.io.savemat 重新保存。")
    except Exception as err:  # scipy raises many types for a corrupt file
        _fail(path, f"not a readable .mat file ({type(err).__name__}: {err}).",
              f"无法作为 .mat 文件读取（{type(err).__name__}：{err}）。")


def _checked_pair(path, data, x_key, y_key):
    """Validate one (features, labels) pair and return it in the notebook layout.

    Inputs:
        path -- Path, only used in messages; data -- dict from loadmat;
        x_key, y_key -- the two keys, e.g. "X" and "y".
    Returns:
        X -- float64 array of shape (2, m); Y -- float64 array of shape (1, m).
    """
    for key in (x_key, y_key):
        if key not in data:
            found = sorted(k for k in data if not k.startswith("__"))
            _fail(path, f'the key "{key}" is missing (found: {found}). '
                        'Expected keys: X, y, Xval, yval.',
                  f'缺少键 "{key}"（文件中有：{found}）。应有的键为：X、y、Xval、yval。')
    X, y = data[x_key], data[y_key]
    for key, arr in ((x_key, X), (y_key, y)):
        if not (isinstance(arr, np.ndarray) and arr.dtype.kind in "biuf"):
            _fail(path, f'"{key}" must be an array of numbers.',
                  f'"{key}" 必须是数值数组。')
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        _fail(path, f'"{x_key}" must have shape (m, 2), one row per example, '
                    f'but has shape {X.shape}.',
              f'"{x_key}" 的形状应为 (m, 2)，每行一个样本，实际形状为 {X.shape}。')
    if y.ndim != 2 or y.shape[1] != 1:
        _fail(path, f'"{y_key}" must have shape (m, 1), one label per row, '
                    f'but has shape {y.shape}.',
              f'"{y_key}" 的形状应为 (m, 1)，每行一个标签，实际形状为 {y.shape}。')
    if X.shape[0] != y.shape[0]:
        _fail(path, f'"{x_key}" has {X.shape[0]} examples but "{y_key}" has '
                    f'{y.shape[0]} labels; they must match.',
              f'"{x_key}" 有 {X.shape[0]} 个样本，而 "{y_key}" 有 {y.shape[0]} 个标签，'
              '两者数量必须相同。')
    X = X.astype(np.float64)
    y = y.astype(np.float64)
    if not np.all(np.isfinite(X)):
        _fail(path, f'"{x_key}" contains NaN or infinite values.',
              f'"{x_key}" 中含有 NaN 或无穷大的值。')
    if not np.all((y == 0) | (y == 1)):
        bad = np.unique(y[(y != 0) & (y != 1)])[:5]
        _fail(path, f'the labels "{y_key}" must be 0 or 1; found also {bad.tolist()}.',
              f'标签 "{y_key}" 只能是 0 或 1，但还出现了 {bad.tolist()}。')
    return X.T, y.T


def load_goalkeeper_dataset(path=None):
    """Load the goalkeeper training and test sets.

    Inputs:
        path -- str or Path of a .mat file with keys X, y, Xval, yval
                (see the module docstring), or None for :func:`default_path`.
    Returns:
        train_X -- float64 array of shape (2, m_train), positions on the field.
        train_Y -- float64 array of shape (1, m_train), labels 0 (red) / 1 (blue).
        test_X  -- float64 array of shape (2, m_test).
        test_Y  -- float64 array of shape (1, m_test).
    Raises:
        DatasetError -- if the file is missing, is not a readable .mat file, or
            does not follow the schema; the message names the file and the problem.
    """
    path = default_path() if path is None else Path(path)
    data = _read_mat(path)
    train_X, train_Y = _checked_pair(path, data, "X", "y")
    test_X, test_Y = _checked_pair(path, data, "Xval", "yval")
    return train_X, train_Y, test_X, test_Y
