"""Check that the course's goalkeeper data tells the regularization story.

Trains the model of the regularization assignment three times on the data file
and prints train/test accuracy:

    (a) no regularization, (b) L2 with lambda = 0.7, (c) dropout, keep_prob = 0.86.

The story holds when (a) clearly overfits (train accuracy above test accuracy)
and both (b) and (c) reach a higher test accuracy than (a).

Run from the repository root (takes a minute or two):

    python -m datasets.check_goalkeeper_story [--data PATH]

This is a slow, instructor-side check; it is deliberately not part of pytest.
"""

import argparse
import sys

import numpy as np

from helpers.goalkeeper_data import load_goalkeeper_dataset

LAYER_DIMS = (2, 20, 3, 1)
LEARNING_RATE = 0.3
NUM_ITERATIONS = 30000
LAMBD = 0.7
KEEP_PROB = 0.86


def init_params(layer_dims=LAYER_DIMS):
    """Scaled Gaussian weights and zero biases, seeded as in the assignment.

    Inputs:  layer_dims -- sequence of layer sizes, input first.
    Returns: params -- dict with "W1".."WL" of shape (n_l, n_{l-1}) and
             "b1".."bL" of shape (n_l, 1).
    """
    np.random.seed(3)
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = (np.random.randn(layer_dims[l], layer_dims[l - 1])
                           / np.sqrt(layer_dims[l - 1]))
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(params, X, keep_prob=1.0):
    """LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID, optionally with dropout.

    Inputs:
        params -- dict from :func:`init_params`.
        X -- array of shape (2, m).
        keep_prob -- probability of keeping a hidden unit; 1.0 means no dropout.
    Returns:
        A3 -- array of shape (1, m), the predicted probabilities.
        cache -- tuple of intermediate values for :func:`backward`.
    """
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = np.maximum(0, Z1)
    D1 = D2 = None
    if keep_prob < 1.0:
        # Same masks every iteration, as in the classic code that seeds here.
        np.random.seed(1)
        D1 = np.random.rand(*A1.shape) < keep_prob
        A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(0, Z2)
    if keep_prob < 1.0:
        D2 = np.random.rand(*A2.shape) < keep_prob
        A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = _sigmoid(Z3)
    return A3, (X, A1, D1, A2, D2, A3)


def backward(params, cache, Y, lambd=0.0, keep_prob=1.0):
    """Gradients of the cross-entropy cost (plus (lambd / 2m) * sum of squared
    weights) with respect to every parameter.

    Inputs:  params -- dict; cache -- from :func:`forward`; Y -- array (1, m);
             lambd -- L2 strength; keep_prob -- the one used in the forward pass.
    Returns: grads -- dict with "dW1".."dW3" and "db1".."db3", same shapes as params.
    """
    X, A1, D1, A2, D2, A3 = cache
    m = X.shape[1]
    W2, W3 = params["W2"], params["W3"]
    grads = {}
    dZ3 = A3 - Y
    grads["dW3"] = dZ3 @ A2.T / m + lambd / m * W3
    grads["db3"] = dZ3.sum(axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    if D2 is not None:
        dA2 = dA2 * D2 / keep_prob
    dZ2 = dA2 * (A2 > 0)
    grads["dW2"] = dZ2 @ A1.T / m + lambd / m * W2
    grads["db2"] = dZ2.sum(axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    if D1 is not None:
        dA1 = dA1 * D1 / keep_prob
    dZ1 = dA1 * (A1 > 0)
    grads["dW1"] = dZ1 @ X.T / m + lambd / m * params["W1"]
    grads["db1"] = dZ1.sum(axis=1, keepdims=True) / m
    return grads


def train(X, Y, lambd=0.0, keep_prob=1.0, learning_rate=LEARNING_RATE,
          num_iterations=NUM_ITERATIONS):
    """Full-batch gradient descent on the three-layer model.

    Inputs:  X -- array (2, m); Y -- array (1, m); lambd, keep_prob -- regularization
             (0.0 and 1.0 switch it off); learning_rate; num_iterations.
    Returns: params -- dict of trained parameters.
    """
    params = init_params()
    for _ in range(num_iterations):
        _, cache = forward(params, X, keep_prob)
        grads = backward(params, cache, Y, lambd, keep_prob)
        for key in params:
            params[key] -= learning_rate * grads["d" + key]
    return params


def accuracy(params, X, Y):
    """Share of examples whose thresholded prediction (no dropout) equals the label.

    Inputs:  params -- dict; X -- array (2, m); Y -- array (1, m).
    Returns: float in [0, 1].
    """
    A3, _ = forward(params, X)
    return float(np.mean((A3 > 0.5) == (Y > 0.5)))


VARIANTS = (
    ("no regularization", {}),
    (f"L2, lambda = {LAMBD}", {"lambd": LAMBD}),
    (f"dropout, keep_prob = {KEEP_PROB}", {"keep_prob": KEEP_PROB}),
)


def run_story(train_X, train_Y, test_X, test_Y, verbose=True):
    """Train the three variants and report their accuracies.

    Inputs:  the four arrays returned by ``load_goalkeeper_dataset``.
    Returns: results -- dict, variant name -> (train_accuracy, test_accuracy);
             holds -- bool, whether the overfitting story is told.
    """
    results = {}
    for name, kwargs in VARIANTS:
        params = train(train_X, train_Y, **kwargs)
        results[name] = (accuracy(params, train_X, train_Y),
                         accuracy(params, test_X, test_Y))
        if verbose:
            tr, te = results[name]
            print(f"{name:28s} train {100 * tr:5.1f} %   test {100 * te:5.1f} %",
                  flush=True)
    (plain_tr, plain_te), l2, drop = (results[name] for name, _ in VARIANTS)
    holds = plain_tr > plain_te and l2[1] > plain_te and drop[1] > plain_te
    return results, holds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None,
                        help="a .mat file with keys X, y, Xval, yval "
                             "(default: the course's datasets/goalkeeper/data.mat)")
    args = parser.parse_args(argv)
    train_X, train_Y, test_X, test_Y = load_goalkeeper_dataset(args.data)
    print(f"train: {train_X.shape[1]} examples, test: {test_X.shape[1]} examples")
    _, holds = run_story(train_X, train_Y, test_X, test_Y)
    if holds:
        print("OK: the unregularized model overfits; L2 and dropout both generalise better.")
        return 0
    print("FAIL: the data does not tell the overfitting story.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
