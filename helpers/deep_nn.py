"""Building blocks of an L-layer network, as learners write them in
"Building your Deep Neural Network: Step by Step".

Later assignments import them from here instead of repeating the exercise.
tests/test_deep_nn.py checks every function against the stored expected values
of that assignment (public and hidden cases), so this module and the
notebook's reference solutions cannot drift apart.

Conventions: examples are columns (X has shape (n_x, m)); caches are plain
tuples, ``linear_cache = (A_prev, W, b)`` and ``cache = (linear_cache, Z)``;
the cost is the mean cross-entropy over the m examples, so the 1/m factor
appears in dW and db (``linear_backward``) and nowhere else.
"""

import numpy as np

from .activations import relu, relu_backward, sigmoid, sigmoid_backward
from .errors import CourseError

ACTIVATIONS = {"sigmoid": (sigmoid, sigmoid_backward), "relu": (relu, relu_backward)}


def _activation(name):
    if name not in ACTIVATIONS:
        raise CourseError(f'activation must be "sigmoid" or "relu", got {name!r}.',
                          f'activation 只能是 "sigmoid" 或 "relu"，实际是 {name!r}。')
    return ACTIVATIONS[name]


def initialize_parameters(n_x, n_h, n_y):
    """Two-layer parameters, W = randn * 0.01 after np.random.seed(1), b = 0.

    Returns: dict W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).
    """
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


def initialize_parameters_deep(layer_dims):
    """L-layer parameters, W = randn * 0.01 after np.random.seed(3), b = 0.

    Inputs:  layer_dims -- list of layer sizes, input layer first.
    Returns: dict Wl (layer_dims[l], layer_dims[l-1]) and bl (layer_dims[l], 1), l = 1 .. L.
    """
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def initialize_parameters_deep_scaled(layer_dims):
    """L-layer parameters, W = randn / sqrt(n_prev), b = 0, drawing from numpy's global RNG.

    Dividing by sqrt(n_prev) keeps Z = W A of order one however wide the previous
    layer is, which a deep network needs to start learning; the caller seeds
    (the classic cat / non-cat run calls np.random.seed(1) first).

    Inputs:  layer_dims -- list of layer sizes, input layer first.
    Returns: dict Wl (layer_dims[l], layer_dims[l-1]) and bl (layer_dims[l], 1).
    """
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b.

    Inputs:  A (n_prev, m), W (n, n_prev), b (n, 1).
    Returns: Z (n, m); cache -- (A, W, b).
    """
    return np.dot(W, A) + b, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) with g = sigmoid or relu.

    Returns: A (n, m); cache -- ((A_prev, W, b), Z).
    """
    forward, _ = _activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = forward(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    Inputs:  X (n_x, m); parameters -- dict W1, b1, ..., WL, bL.
    Returns: AL (1, m); caches -- list of L caches, caches[l-1] for layer l.
    """
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Mean cross-entropy, -(1/m) sum(Y log AL + (1-Y) log(1-AL)).

    Inputs:  AL (1, m) probabilities; Y (1, m) labels 0/1.
    Returns: cost -- a number.
    """
    m = Y.shape[1]
    cost = -(1 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return np.squeeze(cost)


def linear_backward(dZ, cache, input_gradient=True):
    """dW = (1/m) dZ A_prev^T, db = (1/m) sum_i dZ, dA_prev = W^T dZ.

    Inputs:  dZ (n, m); cache -- (A_prev, W, b);
             input_gradient -- False skips dA_prev (returned as None), for the
             first layer of a training loop, where A_prev is the data X and
             its gradient is never used.
    Returns: dA_prev (n_prev, m) or None, dW (n, n_prev), db (n, 1).
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ) if input_gradient else None
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, input_gradient=True):
    """Backward step of a LINEAR -> ACTIVATION layer.

    Inputs:  dA (n, m); cache -- ((A_prev, W, b), Z); activation -- "sigmoid" or "relu";
             input_gradient -- False skips dA_prev (see linear_backward).
    Returns: dA_prev (n_prev, m) or None, dW (n, n_prev), db (n, 1).
    """
    _, backward = _activation(activation)
    linear_cache, activation_cache = cache
    return linear_backward(backward(dA, activation_cache), linear_cache, input_gradient)


def L_model_backward(AL, Y, caches, input_gradient=True):
    """Gradients of the mean cross-entropy for [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    dAL = -(Y / AL - (1 - Y) / (1 - AL)) starts the backward pass.

    Inputs:  AL (1, m); Y (1, m); caches -- from L_model_forward;
             input_gradient -- False leaves out dA0 = W1^T dZ1, the gradient with
             respect to the data, which gradient descent never uses. For wide
             inputs it is the largest product of the backward pass (12288 x m for
             64 x 64 pictures), so a training loop passes False.
    Returns: grads -- dict dA0 .. dA(L-1) (dA0 only if input_gradient), dW1 .. dWL, db1 .. dbL.
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        dA = dAL if l == L else grads["dA" + str(l)]
        keep_dA_prev = input_gradient or l > 1
        dA_prev, dW, db = linear_activation_backward(dA, caches[l - 1], "sigmoid" if l == L else "relu", keep_dA_prev)
        if keep_dA_prev:
            grads["dA" + str(l - 1)] = dA_prev
        grads["dW" + str(l)], grads["db" + str(l)] = dW, db
    return grads


def update_parameters(params, grads, learning_rate):
    """One gradient-descent step, W = W - learning_rate dW (and b); ``params`` is left unchanged.

    Returns: a new dict with the same keys and shapes as params.
    """
    parameters = dict(params)  # every W and b below is a new array, so copying the old ones would be wasted work
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def predict_labels(X, parameters):
    """Labels 1 where L_model_forward's probability exceeds 0.5, else 0.

    Inputs:  X (n_x, m); parameters -- dict W1, b1, ..., WL, bL.
    Returns: predictions (1, m) of 0/1 integers.
    """
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(int)
