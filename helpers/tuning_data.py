"""Data and small models of the hyperparameter-tuning assignment.

Data, drawn by code with a fixed seed (so always the same):

- :func:`make_houses` -- houses described by two features on very different
  scales, the floor area in square feet (about 500 to 3000) and the share of the
  plot that is garden (0 to 0.4), labelled 1 when the house sold within a month;
- :func:`make_sparse_signal` -- many noisy features of which only a few decide
  the label: with few examples a logistic regression overfits it, which is what
  the L1 / L2 and early-stopping comparisons need.

Models, given to learners (not graded):

- a logistic regression, parameters ``{"W": (1, n_x), "b": (1, 1)}``:
  :func:`initialize_logistic`, :func:`logistic_forward`, :func:`logistic_cost`,
  :func:`gradient_step` (one batch gradient-descent step, with an optional L2 or
  L1 penalty), :func:`train_logistic`;
- a network with one tanh hidden layer trained with momentum,
  :func:`train_network` and :func:`predict_network`, for the searches;
- :func:`toy_dev_accuracy`, a cheap deterministic stand-in for "train a model
  with these hyperparameters and return its dev accuracy", so that random and
  grid search can be compared on hundreds of trials in a second, and so that
  stored test cases can pass a training function by name.

The generators live here rather than in ``datasets/``: a graded notebook runs
with the ``helpers`` modules and the data files only. ``datasets/houses.py``
re-exports :func:`make_houses` and prints a summary.
"""

import numpy as np

from .errors import CourseError

HOUSES_SEED = 12
SPARSE_SEED = 7
NETWORK_SEED = 1


# ----------------------------------------------------------------- data
def make_houses(m=600, seed=HOUSES_SEED):
    """Houses that sold within a month (1) or not (0), from two features of very different scales.

    The label follows a curved rule of the two features (a large house sells fast
    unless it has hardly any garden), with label noise: a house near the rule's
    boundary may go either way.

    Inputs:
        m -- int >= 2, number of houses; seed -- int, seed of np.random.RandomState.
    Returns:
        X -- float64 (2, m): row 0 the floor area in square feet (about 500 to 3000),
             row 1 the garden share of the plot (0 to 0.4); one house per column.
        Y -- int64 (1, m), the labels 0 / 1.
    Raises:
        CourseError -- if m is not a whole number >= 2.
    """
    if int(m) != m or m < 2:
        raise CourseError(f"m must be a whole number >= 2, got {m!r}.", f"m 必须是不小于 2 的整数，实际是 {m!r}。")
    rng = np.random.RandomState(seed)
    m = int(m)
    area = rng.uniform(500.0, 3000.0, m)
    garden = rng.uniform(0.0, 0.4, m)
    # The rule on centred, scaled features: bigger sells faster, a bare plot slower.
    a, g = (area - 1750.0) / 720.0, (garden - 0.2) / 0.115
    score = 1.6 * a + 1.2 * g - 0.9 * g ** 2 + 0.6 + 0.5 * rng.randn(m)
    Y = (score > 0).astype(np.int64).reshape(1, m)
    return np.vstack([area, garden]), Y


def make_sparse_signal(m=120, n_x=40, n_informative=4, noise=1.0, seed=SPARSE_SEED):
    """Examples with ``n_x`` standard-normal features of which the first ``n_informative`` decide the label.

    Inputs:
        m -- int >= 2; n_x -- int >= 1; n_informative -- int in 1 .. n_x;
        noise -- float >= 0, standard deviation of the noise added to the score;
        seed -- int, seed of np.random.RandomState.
    Returns:
        X -- float64 (n_x, m), one example per column;
        Y -- int64 (1, m), labels 0 / 1;
        w_true -- float64 (1, n_x), the weights of the rule (zero beyond n_informative).
    Raises:
        CourseError -- for sizes out of range or a negative noise.
    """
    if int(m) != m or m < 2 or int(n_x) != n_x or n_x < 1 or not 1 <= n_informative <= n_x or noise < 0:
        raise CourseError(
            f"need whole numbers m >= 2, n_x >= 1, 1 <= n_informative <= n_x and noise >= 0; "
            f"got m = {m!r}, n_x = {n_x!r}, n_informative = {n_informative!r}, noise = {noise!r}.",
            f"要求 m >= 2、n_x >= 1 为整数，1 <= n_informative <= n_x，noise >= 0；"
            f"实际 m = {m!r}，n_x = {n_x!r}，n_informative = {n_informative!r}，noise = {noise!r}。")
    rng = np.random.RandomState(seed)
    w_true = np.zeros((1, int(n_x)))
    w_true[0, :int(n_informative)] = rng.choice([-1.0, 1.0], int(n_informative)) * rng.uniform(1.0, 2.0, int(n_informative))
    X = rng.randn(int(n_x), int(m))
    Y = (np.dot(w_true, X) + noise * rng.randn(1, int(m)) > 0).astype(np.int64)
    return X, Y, w_true


# ----------------------------------------------------------------- logistic regression
def sigmoid(Z):
    """1 / (1 + exp(-Z)) without overflow warnings for large |Z|; same shape as Z."""
    Z = np.asarray(Z, dtype=np.float64)
    out = np.empty_like(Z)
    positive = Z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-Z[positive]))
    E = np.exp(Z[~positive])
    out[~positive] = E / (1.0 + E)
    return out


def initialize_logistic(n_x):
    """Zero parameters of a logistic regression: {"W": (1, n_x), "b": (1, 1)} (zeros are fine: no hidden layer)."""
    return {"W": np.zeros((1, int(n_x))), "b": np.zeros((1, 1))}


def logistic_forward(X, parameters):
    """Probabilities sigmoid(W X + b), shape (1, m), for X of shape (n_x, m)."""
    return sigmoid(np.dot(parameters["W"], X) + parameters["b"])


def logistic_cost(parameters, X, Y):
    """Mean cross-entropy of the logistic regression on (X, Y), a Python float, without any penalty.

    Computed from Z as log(1 + exp(-Z)) or log(1 + exp(Z)) (np.logaddexp), so a
    confident wrong answer costs a large finite number instead of inf.
    """
    Z = np.dot(parameters["W"], X) + parameters["b"]
    Y = np.asarray(Y, dtype=np.float64)
    losses = Y * np.logaddexp(0.0, -Z) + (1 - Y) * np.logaddexp(0.0, Z)
    return float(np.mean(losses))


def gradient_step(parameters, X, Y, learning_rate, lambd=0.0, penalty="l2"):
    """One batch gradient-descent step of the logistic regression; returns new parameters (the input is not changed).

    Inputs:
        parameters -- {"W": (1, n_x), "b": (1, 1)}; X -- (n_x, m); Y -- (1, m) labels 0 / 1;
        learning_rate -- float; lambd -- float >= 0, strength of the penalty on W (never on b);
        penalty -- "l2": cost + (lambd / 2m) ||W||^2, gradient + (lambd / m) W;
                   "l1": cost + (lambd / m) sum |W|, applied as a soft threshold after the
                   plain step (each weight moves towards 0 by learning_rate * lambd / m and
                   stops at 0), so that weights the data do not need become exactly 0.
    Returns:
        dict with new "W" and "b".
    """
    if penalty not in ("l2", "l1"):
        raise CourseError(f'penalty must be "l2" or "l1", got {penalty!r}.', f'penalty 只能是 "l2" 或 "l1"，实际是 {penalty!r}。')
    m = X.shape[1]
    dZ = logistic_forward(X, parameters) - Y
    dW = np.dot(dZ, X.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    W = parameters["W"]
    if penalty == "l2":
        W = W - learning_rate * (dW + lambd / m * W)
    else:
        W = W - learning_rate * dW
        W = np.sign(W) * np.maximum(np.abs(W) - learning_rate * lambd / m, 0.0)
    return {"W": W, "b": parameters["b"] - learning_rate * db}


def train_logistic(X, Y, learning_rate, num_iterations, lambd=0.0, penalty="l2", parameters=None):
    """Batch gradient descent on a logistic regression.

    Inputs: as gradient_step, plus num_iterations -- int; parameters -- a start (zeros by default).
    Returns:
        parameters -- the trained {"W", "b"};
        path -- float64 (num_iterations + 1, n_x + 1): row k holds W then b after k steps.
    """
    parameters = initialize_logistic(X.shape[0]) if parameters is None else parameters
    path = [np.append(parameters["W"], parameters["b"])]
    for _ in range(int(num_iterations)):
        parameters = gradient_step(parameters, X, Y, learning_rate, lambd, penalty)
        path.append(np.append(parameters["W"], parameters["b"]))
    return parameters, np.array(path)


def accuracy(predictions, Y):
    """Share of columns where predictions (1, m) equal the labels Y (1, m), a Python float."""
    return float(np.mean(np.asarray(predictions) == np.asarray(Y)))


# ----------------------------------------------------------------- one-hidden-layer network
def train_network(X, Y, learning_rate, beta=0.9, n_h=8, num_iterations=300, seed=NETWORK_SEED):
    """A LINEAR -> TANH -> LINEAR -> SIGMOID network trained by batch gradient descent with momentum.

    Inputs:
        X -- (n_x, m), preferably normalized; Y -- (1, m) labels 0 / 1;
        learning_rate -- float; beta -- momentum, v = beta v + (1 - beta) dW;
        n_h -- int, hidden units; num_iterations -- int; seed -- seed of the initialization.
    Returns:
        parameters -- {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (1, n_h), "b2": (1, 1)}.
        A network whose numbers overflowed is returned as it is: its predictions are then
        constant, and its dev accuracy tells the search that this learning rate is too large.
    """
    rng = np.random.RandomState(seed)
    n_x, m = X.shape
    parameters = {"W1": rng.randn(n_h, n_x) * np.sqrt(1.0 / n_x), "b1": np.zeros((n_h, 1)),
                  "W2": rng.randn(1, n_h) * np.sqrt(1.0 / n_h), "b2": np.zeros((1, 1))}
    velocity = {key: np.zeros_like(value) for key, value in parameters.items()}
    with np.errstate(all="ignore"):  # a too-large learning rate may overflow; that is a result, not a crash
        for _ in range(int(num_iterations)):
            A1 = np.tanh(np.dot(parameters["W1"], X) + parameters["b1"])
            A2 = sigmoid(np.dot(parameters["W2"], A1) + parameters["b2"])
            dZ2 = A2 - Y
            dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
            grads = {"W2": np.dot(dZ2, A1.T) / m, "b2": np.sum(dZ2, axis=1, keepdims=True) / m,
                     "W1": np.dot(dZ1, X.T) / m, "b1": np.sum(dZ1, axis=1, keepdims=True) / m}
            for key in parameters:
                velocity[key] = beta * velocity[key] + (1 - beta) * grads[key]
                parameters[key] = parameters[key] - learning_rate * velocity[key]
    return parameters


def predict_network(X, parameters):
    """Labels 0 / 1 of shape (1, m) from train_network's parameters (1 where the probability is above 0.5)."""
    with np.errstate(all="ignore"):
        A1 = np.tanh(np.dot(parameters["W1"], X) + parameters["b1"])
        A2 = sigmoid(np.nan_to_num(np.dot(parameters["W2"], A1) + parameters["b2"]))
    return (A2 > 0.5).astype(np.int64)


# ----------------------------------------------------------------- a cheap training function
def toy_dev_accuracy(learning_rate, beta=0.9):
    """Dev accuracy of an imaginary model trained with these hyperparameters, a Python float in [0.5, 1).

    Deterministic and cheap: a smooth hill in log10(learning_rate) (best near 10**-2.5),
    a much flatter one in log10(1 - beta) (best near beta = 0.99), and a small ripple
    standing for the luck of one training run. The learning rate matters far more than
    beta, as in most real networks.

    Inputs:  learning_rate -- float > 0; beta -- float in (0, 1).
    Raises:  CourseError for values outside these ranges.
    """
    if not (np.isfinite(learning_rate) and learning_rate > 0 and 0 < beta < 1):
        raise CourseError(f"need learning_rate > 0 and 0 < beta < 1, got {learning_rate!r} and {beta!r}.",
                          f"要求 learning_rate > 0 且 0 < beta < 1，实际是 {learning_rate!r} 和 {beta!r}。")
    r = np.log10(learning_rate)
    s = np.log10(1.0 - beta)
    hill = 0.45 * np.exp(-0.5 * ((r + 2.5) / 0.55) ** 2) * (1.0 - 0.08 * (s + 2.0) ** 2 / (1.0 + (s + 2.0) ** 2))
    ripple = 0.01 * np.sin(23.0 * r + 7.0 * s)
    return float(np.clip(0.5 + hill + ripple, 0.5, 0.999))
