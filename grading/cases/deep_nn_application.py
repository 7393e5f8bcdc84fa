"""Cases of "Deep Neural Network for Image Classification: Application".

The graded functions train whole networks, so every case is a small made-up
problem (a few features, a handful of examples, at most a few hundred
iterations) rather than the 12288 x 209 pictures: the stored files stay small
and a check runs in a fraction of a second. Public case 1 of each function is
the example the notebook prints, with the same inputs.

Mistakes are wrong variants of the reference, stored under the hint names of
helpers.checker.HINTS.
"""

import numpy as np

from grading.expected import Case
from helpers import deep_nn

NOTEBOOK = "Deep_Neural_Network_Application.ipynb"
POSITION = (1, 3)  # (course, place in it): the order of the book and the README's table



# ----------------------------------------------------------------- input makers
def _seeded_small_problem():
    """The notebook's small problem: np.random.seed(2), X (6, 10), labels 0/1."""
    np.random.seed(2)
    X = np.random.randn(6, 10)
    Y = (np.random.rand(1, 10) > 0.5).astype(int)
    return X, Y


def _small_problem(seed, n_x, m):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    return X, Y


def _model_inputs(X, Y, layers_dims, learning_rate, num_iterations, print_cost=False):
    return {"X": X, "Y": Y, "layers_dims": layers_dims, "learning_rate": learning_rate,
            "num_iterations": num_iterations, "print_cost": print_cost}


def _seeded_predict():
    """The notebook's predict example: np.random.seed(3), X (4, 6), a 4-3-1 network."""
    np.random.seed(3)
    X = np.random.randn(4, 6)
    parameters = {"W1": np.random.randn(3, 4), "b1": np.random.randn(3, 1),
                  "W2": np.random.randn(1, 3), "b2": np.random.randn(1, 1)}
    return {"X": X, "y": np.array([[0, 1, 1, 0, 0, 1]]), "parameters": parameters}


def _predict_inputs(seed, layer_dims, m, scale=1.0):
    rng = np.random.RandomState(seed)
    X = rng.randn(layer_dims[0], m)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = scale * rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = scale * rng.randn(layer_dims[l], 1)
    y = (rng.rand(1, m) > 0.5).astype(int)
    return {"X": X, "y": y, "parameters": parameters}


# ----------------------------------------------------------------- wrong variants
def _two_layer_variant(hidden="relu", costs_rule="every_100", fixed_learning_rate=None):
    """A two-layer training loop with one deliberate change.

    hidden -- activation of the hidden layer; costs_rule -- when the cost is recorded:
    "every_100" (right), "skip_first" (iterations 100, 200, ...), "only_when_printing";
    fixed_learning_rate -- a number used instead of the learning_rate argument.
    """

    def variant(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        np.random.seed(1)
        n_x, n_h, n_y = layers_dims
        parameters = deep_nn.initialize_parameters(n_x, n_h, n_y)
        rate = learning_rate if fixed_learning_rate is None else fixed_learning_rate
        costs = []
        for i in range(num_iterations):
            A1, cache1 = deep_nn.linear_activation_forward(X, parameters["W1"], parameters["b1"], hidden)
            A2, cache2 = deep_nn.linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
            cost = deep_nn.compute_cost(A2, Y)
            dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
            dA1, dW2, db2 = deep_nn.linear_activation_backward(dA2, cache2, "sigmoid")
            _, dW1, db1 = deep_nn.linear_activation_backward(dA1, cache1, hidden)
            grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
            parameters = deep_nn.update_parameters(parameters, grads, rate)
            if _records(costs_rule, i, print_cost):
                costs.append(float(cost))
        return parameters, costs

    return variant


def _deep_variant(init="scaled", costs_rule="every_100", fixed_learning_rate=None):
    """An L-layer training loop with one deliberate change.

    init -- "scaled" (randn / sqrt(n_prev), right) or "small" (randn * 0.01);
    costs_rule, fixed_learning_rate -- as in _two_layer_variant.
    """

    def variant(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        np.random.seed(1)
        if init == "scaled":
            parameters = deep_nn.initialize_parameters_deep_scaled(layers_dims)
        else:
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01
                parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
        rate = learning_rate if fixed_learning_rate is None else fixed_learning_rate
        costs = []
        for i in range(num_iterations):
            AL, caches = deep_nn.L_model_forward(X, parameters)
            cost = deep_nn.compute_cost(AL, Y)
            grads = deep_nn.L_model_backward(AL, Y, caches)
            parameters = deep_nn.update_parameters(parameters, grads, rate)
            if _records(costs_rule, i, print_cost):
                costs.append(float(cost))
        return parameters, costs

    return variant


def _records(costs_rule, i, print_cost):
    if costs_rule == "skip_first":
        return i % 100 == 0 and i > 0
    if costs_rule == "only_when_printing":
        return print_cost and i % 100 == 0
    if costs_rule == "every_iteration":
        return True
    return i % 100 == 0


def _predict_probabilities(X, y, parameters):
    probas, _ = deep_nn.L_model_forward(np.asarray(X), parameters)
    return probas


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    out = []

    def add(function, name, inputs, mistakes, label_en="", label_zh="", suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes))

    # two_layer_model
    X, Y = _seeded_small_problem()
    add("two_layer_model", "1_seed_example", _model_inputs(X, Y, (6, 3, 1), 0.1, 300), {
        "wrong_activation": _two_layer_variant(hidden="sigmoid"),
        "costs_every_100": _two_layer_variant(costs_rule="skip_first"),
        "ignored_learning_rate": _two_layer_variant(fixed_learning_rate=0.0075),
    }, "the example above: X (6, 10), layers (6, 3, 1), learning rate 0.1, 300 iterations",
        "上面的例子：X (6, 10)，各层 (6, 3, 1)，学习率 0.1，300 次迭代")
    X, Y = _small_problem(12, 5, 8)
    add("two_layer_model", "2_no_printing_250", _model_inputs(X, Y, (5, 4, 1), 0.05, 250), {
        "costs_every_100": _two_layer_variant(costs_rule="only_when_printing"),
        "wrong_activation": _two_layer_variant(hidden="sigmoid"),
        "ignored_learning_rate": _two_layer_variant(fixed_learning_rate=0.0075),
    }, "layers (5, 4, 1), 250 iterations with print_cost=False: the costs of iterations 0, 100 and 200",
        "各层 (5, 4, 1)，250 次迭代，print_cost=False：要记录第 0、100、200 次迭代的代价")
    X, Y = _small_problem(201, 4, 12)
    add("two_layer_model", "3_hidden", _model_inputs(X, Y, (4, 2, 1), 0.2, 150), {
        "costs_every_100": _two_layer_variant(costs_rule="every_iteration"),
        "wrong_activation": _two_layer_variant(hidden="sigmoid"),
        "ignored_learning_rate": _two_layer_variant(fixed_learning_rate=0.0075),
    }, suite="hidden")
    X, Y = _small_problem(202, 7, 6)
    add("two_layer_model", "4_hidden", _model_inputs(X, Y, (7, 5, 1), 0.01, 20), {
        "ignored_learning_rate": _two_layer_variant(fixed_learning_rate=0.0075),
    }, suite="hidden")

    # L_layer_model
    X, Y = _seeded_small_problem()
    add("L_layer_model", "1_seed_example", _model_inputs(X, Y, [6, 4, 3, 1], 0.1, 300), {
        "init_not_scaled": _deep_variant(init="small"),
        "costs_every_100": _deep_variant(costs_rule="skip_first"),
        "ignored_learning_rate": _deep_variant(fixed_learning_rate=0.0075),
    }, "the example above: X (6, 10), layers [6, 4, 3, 1], learning rate 0.1, 300 iterations",
        "上面的例子：X (6, 10)，各层 [6, 4, 3, 1]，学习率 0.1，300 次迭代")
    X, Y = _small_problem(13, 5, 8)
    add("L_layer_model", "2_two_layers_250", _model_inputs(X, Y, [5, 3, 1], 0.05, 250), {
        "costs_every_100": _deep_variant(costs_rule="only_when_printing"),
        "init_not_scaled": _deep_variant(init="small"),
        "ignored_learning_rate": _deep_variant(fixed_learning_rate=0.0075),
    }, "layers [5, 3, 1] (L = 2), 250 iterations with print_cost=False",
        "各层 [5, 3, 1]（L = 2），250 次迭代，print_cost=False")
    X, Y = _small_problem(211, 4, 9)
    add("L_layer_model", "3_hidden", _model_inputs(X, Y, [4, 5, 4, 2, 1], 0.1, 120), {
        "init_not_scaled": _deep_variant(init="small"),
        "costs_every_100": _deep_variant(costs_rule="every_iteration"),
        "ignored_learning_rate": _deep_variant(fixed_learning_rate=0.0075),
    }, suite="hidden")
    X, Y = _small_problem(212, 3, 7)
    add("L_layer_model", "4_hidden", _model_inputs(X, Y, [3, 1], 0.5, 20), {
        "ignored_learning_rate": _deep_variant(fixed_learning_rate=0.0075),
    }, suite="hidden")

    # predict
    add("predict", "1_seed_example", _seeded_predict(), {"returned_probabilities": _predict_probabilities},
        "the example above: a 4-3-1 network, 6 examples", "上面的例子：4-3-1 网络，6 个样本")
    add("predict", "2_four_layers", _predict_inputs(14, [5, 4, 3, 1], 7, scale=0.8),
        {"returned_probabilities": _predict_probabilities},
        "a three-layer network 5-4-3-1, 7 examples", "5-4-3-1 的 3 层网络，7 个样本")
    add("predict", "3_hidden", _predict_inputs(221, [3, 1], 9), {"returned_probabilities": _predict_probabilities},
        suite="hidden")
    add("predict", "4_hidden", _predict_inputs(229, [6, 5, 2, 1], 6, scale=0.7),
        {"returned_probabilities": _predict_probabilities}, suite="hidden")
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
DEMO_MISTAKES = {
    "chen_costs_only_when_printing": (
        {"two_layer_model": [("        if i % 100 == 0:", "        if print_cost and i % 100 == 0:")]},
        ("recorded the costs only when printing them", "只在打印时才记录代价"),
        {"two_layer_model"},
    ),
    "dana_fixed_learning_rate": (
        {"L_layer_model": [("update_parameters(parameters, grads, learning_rate)",
                            "update_parameters(parameters, grads, 0.0075)")]},
        ("used 0.0075 instead of the learning_rate argument", "没有用参数 learning_rate，而是写死了 0.0075"),
        {"L_layer_model"},
    ),
    "omar_probabilities": (
        {"predict": [("p = (probas > 0.5).astype(int)", "p = probas")]},
        ("returned the probabilities instead of 0/1 labels", "返回的是概率而不是 0/1 标签"),
        {"predict"},
    ),
}
