"""Cases of "Regularization" (L2 regularization and dropout on the three-layer network).

Public case 1 of each function is the seeded example the notebook prints (the
classic test case: np.random.seed(1), then X randn(3, 5) where the function
takes X, then W1 randn(2, 3), b1 randn(2, 1), W2 randn(3, 2), b2 randn(3, 1),
W3 randn(1, 3), b3 randn(1, 1)). Public case 2 uses another network and another
lambda or keep_prob. Hidden cases use other seeds and shapes, the model's own
layers [2, 20, 3, 1] among them. Caches are made by real forward passes of the
reference (``forward_propagation`` of helpers.three_layer_net, or the notebook's
``forward_propagation_with_dropout``), so masks and activations are consistent.

Known mistakes are stored under the hint names of helpers.checker.HINTS.
"""

import numpy as np

from grading.expected import Case

NOTEBOOK = "Regularization.ipynb"
POSITION = (2, 2)  # (course, place in it): the order of the book and the README's table


# ----------------------------------------------------------------- input makers
def _classic_parameters():
    """W1 (2, 3), b1 (2, 1), W2 (3, 2), b2 (3, 1), W3 (1, 3), b3 (1, 1), drawn in this
    order from the global generator (the caller seeds it)."""
    W1 = np.random.randn(2, 3)
    b1 = np.random.randn(2, 1)
    W2 = np.random.randn(3, 2)
    b2 = np.random.randn(3, 1)
    W3 = np.random.randn(1, 3)
    b3 = np.random.randn(1, 1)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


def _seeded_cost():
    np.random.seed(1)
    Y = np.array([[1, 1, 0, 1, 0]])
    parameters = _classic_parameters()
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    return {"A3": A3, "Y": Y, "parameters": parameters, "lambd": 0.1}


def _seeded_X_and_parameters():
    np.random.seed(1)
    X = np.random.randn(3, 5)
    return X, _classic_parameters()


def _random_network(rng, layer_dims, m):
    """X (n_x, m), 0/1 labels Y (1, m) and parameters scaled by 1/sqrt(n_prev), small biases."""
    X = rng.randn(layer_dims[0], m)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = 0.1 * rng.randn(layer_dims[l], 1)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    return X, Y, parameters


def _cost_inputs(ref, seed, layer_dims, m, lambd):
    X, Y, parameters = _random_network(np.random.RandomState(seed), layer_dims, m)
    A3, _ = ref["forward_propagation"](X, parameters)
    return {"A3": A3, "Y": Y, "parameters": parameters, "lambd": lambd}


def _l2_backward_inputs(ref, X, Y, parameters, lambd):
    _, cache = ref["forward_propagation"](X, parameters)
    return {"X": X, "Y": Y, "cache": cache, "lambd": lambd}


def _random_l2_backward(ref, seed, layer_dims, m, lambd):
    X, Y, parameters = _random_network(np.random.RandomState(seed), layer_dims, m)
    return _l2_backward_inputs(ref, X, Y, parameters, lambd)


def _random_dropout_forward(seed, layer_dims, m, keep_prob):
    X, _, parameters = _random_network(np.random.RandomState(seed), layer_dims, m)
    return {"X": X, "parameters": parameters, "keep_prob": keep_prob}


def _dropout_backward_inputs(ref, X, Y, parameters, keep_prob):
    """The cache of the reference forward pass with the same keep_prob as the backward pass."""
    _, cache = ref["forward_propagation_with_dropout"](X, parameters, keep_prob)
    return {"X": X, "Y": Y, "cache": cache, "keep_prob": keep_prob}


def _random_dropout_backward(ref, seed, layer_dims, m, keep_prob):
    X, Y, parameters = _random_network(np.random.RandomState(seed), layer_dims, m)
    return _dropout_backward_inputs(ref, X, Y, parameters, keep_prob)


# ----------------------------------------------------------------- wrong variants
def _squares(parameters):
    return sum(np.sum(np.square(parameters[key])) for key in ("W1", "W2", "W3"))


def _mistakes(ref):
    compute_loss = ref["compute_loss"]
    relu, sigmoid = ref["relu"], ref["sigmoid"]
    backward_l2 = ref["backward_propagation_with_regularization"]

    def cost_without_half(A3, Y, parameters, lambd):
        return compute_loss(A3, Y) + (lambd / Y.shape[1]) * _squares(parameters)

    def cost_without_mean(A3, Y, parameters, lambd):
        return compute_loss(A3, Y) + (lambd / 2) * _squares(parameters)

    def cost_with_biases(A3, Y, parameters, lambd):
        biases = sum(np.sum(np.square(parameters[key])) for key in ("b1", "b2", "b3"))
        return compute_loss(A3, Y) + (lambd / (2 * Y.shape[1])) * (_squares(parameters) + biases)

    def backward_l2_with(coefficient):
        """dW = cross-entropy gradient + coefficient(lambd, m) * W instead of + (lambd / m) * W."""
        def variant(X, Y, cache, lambd):
            grads = backward_l2(X, Y, cache, 0)
            m = X.shape[1]
            for l, W in ((1, cache[2]), (2, cache[6]), (3, cache[10])):
                grads["dW" + str(l)] = grads["dW" + str(l)] + coefficient(lambd, m) * W
            return grads
        return variant

    def forward_dropout(scale, inverted=False, draw=None):
        """Forward pass with dropout done wrongly: without the division (scale=False),
        keeping the units it should drop (inverted=True) or with another random draw."""
        def variant(X, parameters, keep_prob=0.5):
            np.random.seed(1)
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = np.dot(W1, X) + b1
            A1 = relu(Z1)
            D1 = (draw or np.random.rand)(A1.shape[0], A1.shape[1])
            D1 = ((D1 > keep_prob) if inverted else (D1 < keep_prob)).astype(int)
            A1 = A1 * D1 / (keep_prob if scale else 1)
            Z2 = np.dot(W2, A1) + b2
            A2 = relu(Z2)
            D2 = (draw or np.random.rand)(A2.shape[0], A2.shape[1])
            D2 = ((D2 > keep_prob) if inverted else (D2 < keep_prob)).astype(int)
            A2 = A2 * D2 / (keep_prob if scale else 1)
            Z3 = np.dot(W3, A2) + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        return variant

    def backward_dropout(use_mask, scale):
        def variant(X, Y, cache, keep_prob):
            (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
            m = X.shape[1]
            divide = keep_prob if scale else 1
            dZ3 = A3 - Y
            dW3 = (1 / m) * np.dot(dZ3, A2.T)
            db3 = (1 / m) * np.sum(dZ3, axis=1, keepdims=True)
            dA2 = np.dot(W3.T, dZ3) * (D2 if use_mask else 1) / divide
            dZ2 = dA2 * (A2 > 0)
            dW2 = (1 / m) * np.dot(dZ2, A1.T)
            db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
            dA1 = np.dot(W2.T, dZ2) * (D1 if use_mask else 1) / divide
            dZ1 = dA1 * (A1 > 0)
            dW1 = (1 / m) * np.dot(dZ1, X.T)
            db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
            return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
                    "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
        return variant

    return {
        "compute_cost_with_regularization": {
            "l2_factor_two": cost_without_half,
            "l2_forgot_one_over_m": cost_without_mean,
            "l2_on_bias": cost_with_biases,
        },
        "backward_propagation_with_regularization": {
            "l2_factor_two": backward_l2_with(lambda lambd, m: 2 * lambd / m),
            "l2_forgot_one_over_m": backward_l2_with(lambda lambd, m: lambd),
        },
        "forward_propagation_with_dropout": {
            "dropout_forgot_scale": forward_dropout(scale=False),
            "dropout_mask_inverted": forward_dropout(scale=True, inverted=True),
            "dropout_randn_mask": forward_dropout(scale=True, draw=np.random.randn),
        },
        "backward_propagation_with_dropout": {
            "dropout_forgot_scale": backward_dropout(use_mask=True, scale=False),
            "dropout_mask_not_applied": backward_dropout(use_mask=False, scale=True),
        },
    }


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en, label_zh, suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function]))

    # compute_cost_with_regularization
    add("compute_cost_with_regularization", "1_seed_example", _seeded_cost(),
        "the example above (5 examples, lambd = 0.1)", "上面的例子（5 个样本，lambd = 0.1）")
    add("compute_cost_with_regularization", "2_larger_lambda", _cost_inputs(ref, 12, [3, 4, 2, 1], 10, 0.7),
        "layers [3, 4, 2, 1], 10 examples, lambd = 0.7", "层结构 [3, 4, 2, 1]，10 个样本，lambd = 0.7")
    add("compute_cost_with_regularization", "3_hidden", _cost_inputs(ref, 201, [2, 20, 3, 1], 7, 1.5), "", "", "hidden")
    add("compute_cost_with_regularization", "4_hidden", _cost_inputs(ref, 202, [5, 3, 2, 1], 4, 0.05), "", "", "hidden")

    # backward_propagation_with_regularization
    X, parameters = _seeded_X_and_parameters()
    add("backward_propagation_with_regularization", "1_seed_example",
        _l2_backward_inputs(ref, X, np.array([[1, 1, 0, 1, 0]]), parameters, 0.7),
        "the example above (5 examples, lambd = 0.7)", "上面的例子（5 个样本，lambd = 0.7）")
    add("backward_propagation_with_regularization", "2_other_network", _random_l2_backward(ref, 13, [4, 5, 3, 1], 6, 0.3),
        "layers [4, 5, 3, 1], 6 examples, lambd = 0.3", "层结构 [4, 5, 3, 1]，6 个样本，lambd = 0.3")
    add("backward_propagation_with_regularization", "3_hidden", _random_l2_backward(ref, 211, [2, 20, 3, 1], 9, 0.7), "", "", "hidden")
    add("backward_propagation_with_regularization", "4_hidden", _random_l2_backward(ref, 212, [3, 6, 2, 1], 4, 2.0), "", "", "hidden")

    # forward_propagation_with_dropout
    X, parameters = _seeded_X_and_parameters()
    add("forward_propagation_with_dropout", "1_seed_example", {"X": X, "parameters": parameters, "keep_prob": 0.7},
        "the example above (keep_prob = 0.7)", "上面的例子（keep_prob = 0.7）")
    add("forward_propagation_with_dropout", "2_other_network", _random_dropout_forward(14, [4, 6, 3, 1], 5, 0.5),
        "layers [4, 6, 3, 1], 5 examples, keep_prob = 0.5", "层结构 [4, 6, 3, 1]，5 个样本，keep_prob = 0.5")
    add("forward_propagation_with_dropout", "3_hidden", _random_dropout_forward(221, [2, 20, 3, 1], 6, 0.86), "", "", "hidden")
    add("forward_propagation_with_dropout", "4_hidden", _random_dropout_forward(222, [3, 2, 4, 1], 3, 0.9), "", "", "hidden")
    add("forward_propagation_with_dropout", "5_hidden", _random_dropout_forward(223, [2, 5, 3, 1], 4, 1.0), "", "", "hidden")

    # backward_propagation_with_dropout
    X, parameters = _seeded_X_and_parameters()
    add("backward_propagation_with_dropout", "1_seed_example",
        _dropout_backward_inputs(ref, X, np.array([[1, 1, 0, 1, 0]]), parameters, 0.8),
        "the example above (keep_prob = 0.8 in both passes)", "上面的例子（前向和反向传播都用 keep_prob = 0.8）")
    add("backward_propagation_with_dropout", "2_other_network", _random_dropout_backward(ref, 15, [4, 6, 3, 1], 5, 0.5),
        "layers [4, 6, 3, 1], 5 examples, keep_prob = 0.5", "层结构 [4, 6, 3, 1]，5 个样本，keep_prob = 0.5")
    add("backward_propagation_with_dropout", "3_hidden", _random_dropout_backward(ref, 231, [2, 20, 3, 1], 6, 0.86), "", "", "hidden")
    add("backward_propagation_with_dropout", "4_hidden", _random_dropout_backward(ref, 232, [3, 5, 2, 1], 4, 0.6), "", "", "hidden")
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
DEMO_MISTAKES = {
    "farid_no_rescale_in_backward": (
        {"backward_propagation_with_dropout": [("dA2 = dA2 / keep_prob", "dA2 = dA2"),
                                               ("dA1 = dA1 / keep_prob", "dA1 = dA1")]},
        ("forgot to divide the gradients by keep_prob in the backward pass",
         "反向传播中忘了把梯度除以 keep_prob"),
        {"backward_propagation_with_dropout"},
    ),
    "greta_l2_without_half": (
        {"compute_cost_with_regularization": [("(lambd / (2 * m))", "(lambd / m)")]},
        ("wrote the L2 cost as (lambd / m) * sum of squares, without the 1/2",
         "把 L2 代价写成了 (lambd / m) 乘平方和，漏掉了 1/2"),
        {"compute_cost_with_regularization"},
    ),
    "hugo_keeps_the_dropped_units": (
        {"forward_propagation_with_dropout": [("D1 = (D1 < keep_prob)", "D1 = (D1 > keep_prob)"),
                                              ("D2 = (D2 < keep_prob)", "D2 = (D2 > keep_prob)")]},
        ("kept the units where rand > keep_prob, so the mask is the wrong way round",
         "保留了 rand > keep_prob 的单元，掩码正好反了"),
        {"forward_propagation_with_dropout"},
    ),
}
