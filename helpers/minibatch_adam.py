"""Mini-batches and Adam, as learners write them in "Optimization methods",
for networks whose parameters are not only W and b.

Later assignments import them from here instead of repeating the exercise (the
batch-normalization assignment trains W, gamma and beta with them). Two
differences from the exercise, neither of which changes a number:

- the labels Y may have any number of rows (a one-hot matrix of shape (C, m),
  not only a row of 0/1 labels), and whole columns are shuffled;
- Adam walks over the names of ``parameters`` ("W1", "gamma1", "beta1", ...,
  "W3", "b3") instead of over layers, so every parameter ``p`` has its gradient
  ``grads["d" + p]`` and its averages ``v["d" + p]``, ``s["d" + p]``.

On the W/b dictionaries of the optimization assignment they return exactly what
its reference solutions return: tests/test_batch_norm_softmax.py checks them
against that assignment's stored public and hidden cases.

The optimization release does not import this module, so the cohort grader's
sandbox never offers it to a learner of that assignment.
"""

import numpy as np

from .errors import CourseError


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the columns of (X, Y) with one permutation, then cut them into mini-batches.

    Inputs:
        X -- array (n_x, m), examples in columns.
        Y -- array (k, m): labels in columns (k = 1 for 0/1 labels, k = C for one-hot).
        mini_batch_size -- positive int; seed -- int given to np.random.seed first.
    Returns:
        list of (mini_batch_X, mini_batch_Y): m // mini_batch_size pairs of shapes
        (n_x, mini_batch_size) and (k, mini_batch_size), then one pair with the
        m % mini_batch_size remaining examples when that is not 0.
    Raises:
        CourseError -- for a mini_batch_size that is not a positive whole number, or
        X and Y with different numbers of columns.
    """
    if int(mini_batch_size) != mini_batch_size or mini_batch_size < 1:
        raise CourseError(f"mini_batch_size must be a positive whole number, got {mini_batch_size!r}.",
                          f"mini_batch_size 必须是正整数，实际是 {mini_batch_size!r}。")
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise CourseError(f"X and Y must be 2-D with one column per example; got shapes {X.shape} and {Y.shape}.",
                          f"X 和 Y 都应是二维数组、每列一个样本；实际形状为 {X.shape} 和 {Y.shape}。")
    mini_batch_size = int(mini_batch_size)
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    batches = []
    for start in range(0, m, mini_batch_size):
        batches.append((shuffled_X[:, start:start + mini_batch_size], shuffled_Y[:, start:start + mini_batch_size]))
    return batches


def initialize_adam(parameters):
    """Adam's two averages, all zero at the start.

    Inputs:  parameters -- dict name -> array ("W1", "gamma1", ..., any names).
    Returns: v, s -- dicts "d" + name -> zeros of that parameter's shape.
    """
    v = {"d" + key: np.zeros(np.shape(value)) for key, value in parameters.items()}
    s = {"d" + key: np.zeros(np.shape(value)) for key, value in parameters.items()}
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam on every parameter, element by element:

        v = beta1 * v + (1 - beta1) * dp          v_corrected = v / (1 - beta1 ** t)
        s = beta2 * s + (1 - beta2) * dp ** 2     s_corrected = s / (1 - beta2 ** t)
        p = p - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)

    Inputs:
        parameters -- dict name -> array; grads, v, s -- dicts "d" + name -> array of that shape;
        t -- int >= 1, the Adam steps taken, this one included;
        learning_rate, beta1, beta2, epsilon -- numbers.
    Returns:
        parameters, v, s, v_corrected, s_corrected -- new dicts (the ones passed in are unchanged).
    Raises:
        CourseError -- if t < 1 or a gradient is missing.
    """
    if t < 1:
        raise CourseError(f"t counts the Adam steps taken, this one included, so it starts at 1; got t = {t}.",
                          f"t 是已经执行的 Adam 更新步数（包括这一步），所以从 1 开始；实际 t = {t}。")
    missing = [key for key in parameters if "d" + key not in grads]
    if missing:
        raise CourseError(f"grads lacks the gradients of {missing}.", f"grads 中缺少 {missing} 的梯度。")
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for key, value in parameters.items():
        name = "d" + key
        gradient = grads[name]
        new_v[name] = beta1 * v[name] + (1 - beta1) * gradient
        new_s[name] = beta2 * s[name] + (1 - beta2) * np.square(gradient)
        v_corrected[name] = new_v[name] / (1 - beta1 ** t)
        s_corrected[name] = new_s[name] / (1 - beta2 ** t)
        new_parameters[key] = value - learning_rate * v_corrected[name] / (np.sqrt(s_corrected[name]) + epsilon)
    return new_parameters, new_v, new_s, v_corrected, s_corrected
