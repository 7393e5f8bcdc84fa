"""The three-layer network LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID
shared by the second course's assignments (initialization, regularization,
optimization), which study how it is trained rather than how it is built.

Conventions:
- X has shape (n_x, m), Y has shape (1, m) with labels 0/1;
- parameters are "W1", "b1", "W2", "b2", "W3", "b3";
- ``forward_propagation`` returns ``a3`` and the cache tuple
  (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3);
- the gradients are those of the *mean* cross-entropy over the m examples,
  so 1/m appears in every dW and db.
"""

import numpy as np

from .deep_nn import update_parameters  # noqa: F401 -- the same gradient-descent step, re-exported
from .errors import CourseError


def sigmoid(x):
    """1 / (1 + exp(-x)), element-wise; same shape as x."""
    return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    """max(0, x), element-wise; same shape as x."""
    return np.maximum(0, x)


def _check_parameters(parameters):
    missing = [key for key in ("W1", "b1", "W2", "b2", "W3", "b3") if key not in parameters]
    if missing:
        raise CourseError(f"parameters lacks {missing}: a three-layer network needs W1, b1, W2, b2, W3, b3.",
                          f"parameters 中缺少 {missing}：3 层网络需要 W1、b1、W2、b2、W3、b3。")


def forward_propagation(X, parameters):
    """Forward pass of LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    Inputs:  X (n_x, m); parameters -- W1 (n1, n_x), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1), W3 (1, n2), b3 (1, 1).
    Returns: a3 (1, m), the predicted probabilities;
             cache -- (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3).
    """
    _check_parameters(parameters)
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    if W1.shape[1] != X.shape[0]:
        raise CourseError(f"W1 has {W1.shape[1]} columns but X has {X.shape[0]} rows (features).",
                          f"W1 有 {W1.shape[1]} 列，而 X 有 {X.shape[0]} 行（特征数），二者应当相等。")
    z1 = np.dot(W1, X) + b1
    a1 = relu(z1)
    z2 = np.dot(W2, a1) + b2
    a2 = relu(z2)
    z3 = np.dot(W3, a2) + b3
    a3 = sigmoid(z3)
    return a3, (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)


def backward_propagation(X, Y, cache):
    """Gradients of the mean cross-entropy with respect to every parameter.

    dz3 = a3 - Y (sigmoid and cross-entropy together), dW = (1/m) dz a_prev^T,
    db = (1/m) sum over examples, and the ReLU passes gradient only where a > 0.

    Inputs:  X (n_x, m); Y (1, m); cache -- from forward_propagation.
    Returns: gradients -- dict dz3, dW3, db3, da2, dz2, dW2, db2, da1, dz1, dW1, db1.
    """
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    dz3 = a3 - Y
    dW3 = (1.0 / m) * np.dot(dz3, a2.T)
    db3 = (1.0 / m) * np.sum(dz3, axis=1, keepdims=True)
    da2 = np.dot(W3.T, dz3)
    dz2 = da2 * (a2 > 0)
    dW2 = (1.0 / m) * np.dot(dz2, a1.T)
    db2 = (1.0 / m) * np.sum(dz2, axis=1, keepdims=True)
    da1 = np.dot(W2.T, dz2)
    dz1 = da1 * (a1 > 0)
    dW1 = (1.0 / m) * np.dot(dz1, X.T)
    db1 = (1.0 / m) * np.sum(dz1, axis=1, keepdims=True)
    return {"dz3": dz3, "dW3": dW3, "db3": db3, "da2": da2, "dz2": dz2, "dW2": dW2, "db2": db2,
            "da1": da1, "dz1": dz1, "dW1": dW1, "db1": db1}


def cross_entropy_sum(a3, Y):
    """Sum over the examples of -(y log a + (1 - y) log(1 - a)).

    The optimization assignment adds these sums over the mini-batches of an
    epoch and divides by m once at the end.

    Inputs:  a3 (1, m); Y (1, m).
    Returns: a float.
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) only for a saturated unit
        losses = -(Y * np.log(a3) + (1 - Y) * np.log(1 - a3))
    return float(np.nansum(losses))


def compute_loss(a3, Y):
    """Mean cross-entropy over the m examples: cross_entropy_sum(a3, Y) / m.

    Inputs:  a3 (1, m); Y (1, m).
    Returns: a float.
    """
    return cross_entropy_sum(a3, Y) / Y.shape[1]


def predict_labels(X, parameters):
    """Labels 1 where the predicted probability exceeds 0.5, else 0.

    Inputs:  X (n_x, m); parameters -- W1 ... b3.
    Returns: (1, m) array of 0/1 integers.
    """
    a3, _ = forward_propagation(X, parameters)
    return (a3 > 0.5).astype(int)


def predict(X, y, parameters):
    """Predict labels, print the accuracy, return the predictions.

    Inputs:  X (n_x, m); y (1, m) true labels; parameters -- W1 ... b3.
    Returns: p (1, m) predicted labels. Prints "Accuracy: <fraction>".
    """
    p = predict_labels(X, parameters)
    print("Accuracy: " + str(np.mean(p[0, :] == y[0, :])))
    return p


def predict_dec(parameters, X):
    """Predictions for decision-boundary plots: X (2, k) grid points -> (1, k) booleans."""
    a3, _ = forward_propagation(X, parameters)
    return a3 > 0.5
