"""Support code of the optimization assignment ("Optimization methods").

- :func:`initialize_parameters_he` -- He initialization for any list of layer
  sizes, with the seed the classic assignment used, so that every optimizer of
  the lesson starts from the same weights;
- :func:`check_mini_batch_partition` -- a property check of a learner's
  ``random_mini_batches``: whatever the shuffle, every example must appear in
  exactly one mini-batch, its X column and its Y column must stay together, and
  the batches must have the sizes the exercise asks for. It explains a wrong
  partition in plain words, which a comparison of numbers alone cannot do.
"""


import numpy as np

from .checker import Report, call_capturing
from .errors import CourseError
from .language import say

HE_SEED = 3


def _check_layers_dims(layers_dims):
    ok = isinstance(layers_dims, (list, tuple)) and len(layers_dims) >= 2 and all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0 for n in layers_dims)
    if not ok:
        raise CourseError(
            f"layers_dims must be a list of at least two positive whole numbers (input size first), got {layers_dims!r}.",
            f"layers_dims 应当是至少包含 2 个正整数的列表（第 1 个是输入层的大小），实际是 {layers_dims!r}。")


def initialize_parameters_he(layers_dims):
    """He initialization: W = randn * sqrt(2 / n_prev), b = 0, after np.random.seed(3).

    The weights of layer l are drawn in the order W1, W2, ..., WL from numpy's
    global legacy generator, which is seeded first: the same layer sizes always
    give the same parameters (those of the classic assignment).

    Inputs:
        layers_dims -- list of ints [n_x, n_1, ..., n_L], the size of every layer, input first.
    Returns:
        parameters -- dict with, for l = 1 .. L,
            "Wl" -- float64 array of shape (layers_dims[l], layers_dims[l-1]);
            "bl" -- float64 array of zeros of shape (layers_dims[l], 1).
    Raises:
        CourseError -- if layers_dims is not a list of at least two positive ints.
    """
    _check_layers_dims(layers_dims)
    np.random.seed(HE_SEED)
    parameters = {}
    for l in range(1, len(layers_dims)):
        scale = np.sqrt(2 / layers_dims[l - 1])
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def labelled_examples(m, n_x=3, seed=0):
    """A small dataset whose first feature numbers the examples.

    Inputs:
        m -- int, number of examples; n_x -- int >= 1, number of features; seed -- int.
    Returns:
        X -- float64 array (n_x, m); X[0, j] == j, the other rows are random;
        Y -- int array (1, m) of random 0/1 labels.
    """
    rng = np.random.RandomState(seed)
    X = np.vstack([np.arange(m, dtype=np.float64)[None, :], rng.randn(n_x - 1, m)])
    Y = (rng.rand(1, m) > 0.5).astype(np.int64)
    return X, Y


def expected_batch_sizes(m, mini_batch_size):
    """Sizes of the mini-batches of m examples: full ones first, then the rest (if any).

    Inputs:  m, mini_batch_size -- positive ints.
    Returns: list of ints, e.g. (148, 64) -> [64, 64, 20] and (128, 64) -> [64, 64].
    """
    sizes = [mini_batch_size] * (m // mini_batch_size)
    if m % mini_batch_size:
        sizes.append(m % mini_batch_size)
    return sizes


def partition_problems(mini_batches, X, Y, mini_batch_size):
    """What is wrong with a partition of (X, Y) into mini-batches.

    Inputs:
        mini_batches -- what random_mini_batches returned: a list of pairs (mini_batch_X, mini_batch_Y).
        X -- (n_x, m) array whose first row numbers the examples 0 .. m-1 (see :func:`labelled_examples`).
        Y -- (1, m) array of labels.
        mini_batch_size -- int, the requested size.
    Returns:
        list of (English, Chinese) sentences; empty when the partition is right.
    """
    m = X.shape[1]
    if not isinstance(mini_batches, (list, tuple)):
        return [(f"random_mini_batches should return a list of (mini_batch_X, mini_batch_Y) pairs, got {type(mini_batches).__name__}.",
                 f"random_mini_batches 应当返回由 (mini_batch_X, mini_batch_Y) 二元组组成的列表，实际返回的是 {type(mini_batches).__name__}。")]
    seen = []
    for k, pair in enumerate(mini_batches):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return [(f"Mini-batch {k} is not a pair (mini_batch_X, mini_batch_Y).",
                     f"第 {k} 个 mini-batch 不是 (mini_batch_X, mini_batch_Y) 这样的二元组。")]
        batch_X, batch_Y = (np.asarray(part) for part in pair)
        if batch_X.ndim != 2 or batch_X.shape[0] != X.shape[0]:
            return [(f"Mini-batch {k}: mini_batch_X should have shape ({X.shape[0]}, size of the batch), got {batch_X.shape}.",
                     f"第 {k} 个 mini-batch：mini_batch_X 的形状应为 ({X.shape[0]}, 这一批的样本数)，实际为 {batch_X.shape}。")]
        if batch_Y.shape != (1, batch_X.shape[1]):
            return [(f"Mini-batch {k}: mini_batch_Y should have shape (1, {batch_X.shape[1]}), like its {batch_X.shape[1]} X columns; got {batch_Y.shape}.",
                     f"第 {k} 个 mini-batch：mini_batch_Y 的形状应为 (1, {batch_X.shape[1]})，与 X 的 {batch_X.shape[1]} 列对应，实际为 {batch_Y.shape}。")]
        ids = np.rint(batch_X[0]).astype(np.int64)
        if np.any(ids < 0) or np.any(ids >= m) or not np.allclose(batch_X[0], ids):
            return [(f"Mini-batch {k} holds columns that are not columns of X.",
                     f"第 {k} 个 mini-batch 中有些列并不是 X 的列。")]
        if not np.allclose(batch_X, X[:, ids]):
            return [(f"Mini-batch {k}: the rows of an X column were separated (shuffle whole columns, X[:, permutation]).",
                     f"第 {k} 个 mini-batch：X 某一列中的各行被拆散了（应当整列打乱，即 X[:, permutation]）。")]
        if not np.array_equal(batch_Y, Y[:, ids]):
            j = int(np.argmax(np.any(batch_Y != Y[:, ids], axis=0)))
            return [(f"Mini-batch {k}: the label of example {ids[j]} is not the one that belongs to its X column. "
                     "Shuffle X and Y with the same permutation.",
                     f"第 {k} 个 mini-batch：样本 {ids[j]} 的标签与它的 X 列对不上。"
                     "X 和 Y 必须用同一个排列（permutation）来打乱。")]
        seen.append(ids)
    problems = []
    all_ids = np.concatenate(seen) if seen else np.empty(0, dtype=np.int64)
    counts = np.bincount(all_ids, minlength=m)
    missing = np.flatnonzero(counts == 0)
    repeated = np.flatnonzero(counts > 1)
    if missing.size:
        problems.append((f"{missing.size} of the {m} examples are in no mini-batch (example {missing[0]}, for instance). "
                         "Every example must be used once per epoch, the last, smaller batch included.",
                         f"{m} 个样本中有 {missing.size} 个没有出现在任何 mini-batch 中（例如样本 {missing[0]}）。"
                         "每一轮（epoch）都要用到每个样本一次，最后那个较小的 mini-batch 也不能漏掉。"))
    if repeated.size:
        problems.append((f"{repeated.size} examples appear in more than one mini-batch (example {repeated[0]}, for instance). "
                         "Check where each slice starts and ends.",
                         f"有 {repeated.size} 个样本出现在不止一个 mini-batch 中（例如样本 {repeated[0]}）。"
                         "检查每个切片的起点和终点。"))
    sizes = [len(ids) for ids in seen]
    wanted = expected_batch_sizes(m, mini_batch_size)
    if not problems and sizes != wanted:
        problems.append((f"With m = {m} and mini_batch_size = {mini_batch_size} the sizes should be {wanted}, got {sizes}.",
                         f"当 m = {m}、mini_batch_size = {mini_batch_size} 时，各 mini-batch 的大小应为 {wanted}，实际为 {sizes}。"))
    if not problems and m >= 5 and np.array_equal(all_ids, np.arange(m)):
        problems.append(("The examples kept their original order: shuffle them first with np.random.permutation(m).",
                         "样本仍是原来的顺序：要先用 np.random.permutation(m) 把它们打乱。"))
    return problems


class PartitionReport(Report):
    """What :func:`check_mini_batch_partition` found; ``passed`` is True when all checks agreed."""

    def __init__(self):
        super().__init__("random_mini_batches", "partition")

    @property
    def summary(self):
        if self.passed:
            return say("All partition checks passed", "全部划分检查通过", " / ")
        return say("random_mini_batches: the mini-batches do not partition the examples, see the report above",
                   "random_mini_batches：mini-batch 没有正确划分样本，见上方报告", " / ")


def check_mini_batch_partition(random_mini_batches, sizes=((148, 64),), seed=0, verbose=True):
    """Check that a ``random_mini_batches`` partitions the examples correctly.

    For each (m, mini_batch_size) it builds a dataset whose first feature numbers
    the examples (:func:`labelled_examples`), calls
    ``random_mini_batches(X, Y, mini_batch_size, seed)`` and checks, whatever
    the order of the shuffle: every example appears in exactly one mini-batch,
    whole X columns are kept, each Y column stays with its X column, the sizes
    are [mini_batch_size, ..., mini_batch_size, m % mini_batch_size (if not 0)],
    and the order is not the original one.

    Inputs:
        random_mini_batches -- callable (X, Y, mini_batch_size, seed) -> list of (mini_batch_X, mini_batch_Y).
        sizes -- iterable of (m, mini_batch_size) pairs of positive ints.
        seed -- int passed to random_mini_batches.
        verbose -- print the bilingual report.
    Returns:
        PartitionReport -- ``passed`` is True when every size passed; ``text()`` is bilingual.
    """
    if not callable(random_mini_batches):
        raise CourseError("random_mini_batches is not a function: run the cell that defines it first.",
                          "random_mini_batches 不是函数：请先运行定义它的单元格。")
    sizes = list(sizes)
    report = PartitionReport()
    for number, (m, mini_batch_size) in enumerate(sizes, start=1):
        X, Y = labelled_examples(m, seed=1000 + m)
        header = (f"Partition check {number} (m = {m}, mini_batch_size = {mini_batch_size})",
                  f"划分检查 {number}（m = {m}，mini_batch_size = {mini_batch_size}）")
        batches, error, notes = call_capturing(random_mini_batches, X.copy(), Y.copy(), mini_batch_size, seed)
        for en, zh in notes:
            if (en, zh) not in report.lines:
                report.add(en, zh)
        if isinstance(error, NotImplementedError):
            report.fail(f"{header[0]}: the function is not implemented yet.", f"{header[1]}：函数还没有实现。")
            break
        if error is not None:
            report.fail(f"{header[0]}: your function raised {type(error).__name__}: {error}",
                        f"{header[1]}：你的函数抛出了 {type(error).__name__}：{error}")
            break
        try:
            problems = partition_problems(batches, X, Y, mini_batch_size)
        except (TypeError, ValueError) as exc:  # e.g. mini-batches that hold no numbers
            problems = [(f"The mini-batches could not be read as arrays of numbers ({type(exc).__name__}: {exc}).",
                         f"无法把返回的 mini-batch 当作数值数组来读取（{type(exc).__name__}：{exc}）。")]
        if problems:
            for en, zh in problems:
                report.fail(f"{header[0]}: {en}", f"{header[1]}：{zh}")
            break
    if report.passed:
        report.add(f"random_mini_batches: every example is used exactly once, with its label, in {len(sizes)} partition {'check' if len(sizes) == 1 else 'checks'}.",
                   f"random_mini_batches：在 {len(sizes)} 项划分检查中，每个样本都恰好用了一次，并且与自己的标签在一起。")
    if verbose:
        print(report.text())
    return report
