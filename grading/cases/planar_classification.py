"""Cases of "Planar data classification with one hidden layer".

Public case 1 of each function is the seeded example printed in the notebook
(the classic assignment's test case, rebuilt from its seeds); public case 2
teaches something else (another shape, larger weights, uint8 labels, another
learning rate or hidden size). Hidden cases use other seeds and shapes.
``initialize_parameters`` and ``nn_model`` draw their starting weights and do not
seed themselves: the caller does (the newest classic convention), so their cases
carry the seed set right before the call (Case.seed): 2 in the notebook's example.
Mistakes are small wrong variants of the reference; their outputs are stored
so the checker can recognise them.
"""

import numpy as np

from grading.expected import Case

NOTEBOOK = "Planar_data_classification_with_one_hidden_layer.ipynb"
POSITION = (1, 1)  # (course, place in it): the order of the book and the README's table


# ----------------------------------------------------------------- input makers
def _classic_weights():
    """W1 (4, 2) and W2 (1, 4) of initialize_parameters(2, 4, 1): seed 2, randn * 0.01."""
    np.random.seed(2)
    W1 = np.random.randn(4, 2) * 0.01
    W2 = np.random.randn(1, 4) * 0.01
    return W1, W2


def _random_parameters(rng, n_x, n_h, n_y, scale=1.0):
    return {"W1": rng.randn(n_h, n_x) * scale, "b1": rng.randn(n_h, 1) * scale,
            "W2": rng.randn(n_y, n_h) * scale, "b2": rng.randn(n_y, 1) * scale}


def _labels(rng, m, dtype=int):
    return (rng.rand(1, m) > 0.5).astype(dtype)


def _seeded_layer_sizes():
    np.random.seed(1)
    X = np.random.randn(5, 3)
    Y = np.random.randn(2, 3)
    return {"X": X, "Y": Y}


def _seeded_forward():
    W1, W2 = _classic_weights()
    np.random.seed(1)
    X = np.random.randn(2, 3)
    b1 = np.random.randn(4, 1)
    b2 = np.array([[-1.3]])
    return {"X": X, "parameters": {"W1": W1, "b1": b1, "W2": W2, "b2": b2}}


def _seeded_cost():
    np.random.seed(1)
    Y = (np.random.randn(1, 3) > 0).astype(int)
    return {"A2": np.array([[0.5002307, 0.49985831, 0.50023963]]), "Y": Y}


def _backward_inputs(ref, X, Y, parameters):
    """Inputs of backward_propagation from a real forward pass of the reference."""
    _, cache = ref["forward_propagation"](X, parameters)
    return {"parameters": parameters, "cache": cache, "X": X, "Y": Y}


def _seeded_backward(ref):
    W1, W2 = _classic_weights()
    parameters = {"W1": W1, "b1": np.zeros((4, 1)), "W2": W2, "b2": np.zeros((1, 1))}
    np.random.seed(1)
    X = np.random.randn(2, 3)
    Y = (np.random.randn(1, 3) > 0).astype(int)
    return _backward_inputs(ref, X, Y, parameters)


def _random_backward(ref, seed, n_x, n_h, m, scale):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    parameters = _random_parameters(rng, n_x, n_h, 1, scale)
    return _backward_inputs(ref, X, _labels(rng, m), parameters)


def _seeded_update():
    np.random.seed(2)
    parameters = {"W1": np.random.randn(4, 2), "b1": np.random.randn(4, 1),
                  "W2": np.random.randn(1, 4), "b2": np.random.randn(1, 1)}
    np.random.seed(3)
    grads = {"dW1": np.random.randn(4, 2), "db1": np.random.randn(4, 1),
             "dW2": np.random.randn(1, 4), "db2": np.random.randn(1, 1)}
    return {"parameters": parameters, "grads": grads}  # default learning rate


def _random_update(seed, n_x, n_h, learning_rate=None):
    rng = np.random.RandomState(seed)
    parameters = _random_parameters(rng, n_x, n_h, 1)
    grads = {"d" + key: rng.randn(*value.shape) for key, value in parameters.items()}
    inputs = {"parameters": parameters, "grads": grads}
    if learning_rate is not None:
        inputs["learning_rate"] = learning_rate
    return inputs


def _seeded_nn_model():
    np.random.seed(1)
    X = np.random.randn(2, 3)
    Y = (np.random.randn(1, 3) > 0).astype(int)
    return {"X": X, "Y": Y, "n_h": 4, "num_iterations": 2000, "print_cost": False}


def _random_nn_model(seed, n_x, m, n_h, num_iterations):
    rng = np.random.RandomState(seed)
    return {"X": rng.randn(n_x, m), "Y": _labels(rng, m), "n_h": n_h, "num_iterations": num_iterations}


def _seeded_predict():
    np.random.seed(1)
    X = np.random.randn(2, 5)
    parameters = {"W1": np.random.randn(4, 2), "b1": np.random.randn(4, 1),
                  "W2": np.random.randn(1, 4), "b2": np.random.randn(1, 1)}
    return {"parameters": parameters, "X": X}


def _random_predict(seed, n_x, n_h, m):
    rng = np.random.RandomState(seed)
    return {"parameters": _random_parameters(rng, n_x, n_h, 1), "X": rng.randn(n_x, m)}


# ----------------------------------------------------------------- wrong variants
def _mistakes(ref):
    def init_unscaled(n_x, n_h, n_y):
        W1 = np.random.randn(n_h, n_x)
        W2 = np.random.randn(n_y, n_h)
        return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}

    def init_reseeded(n_x, n_h, n_y):  # the old habit: the function seeds itself with the example's seed
        np.random.seed(2)
        return ref["initialize_parameters"](n_x, n_h, n_y)

    def forward_no_bias(X, parameters):
        no_bias = dict(parameters, b1=np.zeros_like(parameters["b1"]), b2=np.zeros_like(parameters["b2"]))
        return ref["forward_propagation"](X, no_bias)

    def forward_sigmoid_hidden(X, parameters):
        Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
        A1 = 1 / (1 + np.exp(-Z1))
        Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
        A2 = 1 / (1 + np.exp(-Z2))
        return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}

    def cost_sum(A2, Y):
        return Y.shape[1] * ref["compute_cost"](A2, Y)

    def cost_no_minus(A2, Y):
        return -ref["compute_cost"](A2, Y)

    def backward_no_mean(parameters, cache, X, Y):
        grads = ref["backward_propagation"](parameters, cache, X, Y)
        return {key: X.shape[1] * value for key, value in grads.items()}

    def backward_no_keepdims(parameters, cache, X, Y):
        grads = ref["backward_propagation"](parameters, cache, X, Y)
        return dict(grads, db1=grads["db1"].reshape(-1), db2=grads["db2"].reshape(-1))

    def backward_sign(parameters, cache, X, Y):
        grads = ref["backward_propagation"](parameters, cache, X, Y)
        return {key: -value for key, value in grads.items()}

    def backward_sigmoid_derivative(parameters, cache, X, Y):
        m = X.shape[1]
        A1, A2 = cache["A1"], cache["A2"]
        dZ2 = A2 - Y
        dZ1 = np.dot(parameters["W2"].T, dZ2) * A1 * (1 - A1)
        return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
                "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}

    def update_ascent(parameters, grads, learning_rate=1.2):
        return ref["update_parameters"](parameters, grads, -learning_rate)

    def update_whole_gradient(parameters, grads, learning_rate=1.2):
        return ref["update_parameters"](parameters, grads, 1.0)

    def nn_model_fixed_hidden_size(X, Y, n_h, num_iterations=10000, print_cost=False, costs=None):
        return ref["nn_model"](X, Y, ref["layer_sizes"](X, Y)[1], num_iterations, print_cost, costs)

    def nn_model_reseeded(X, Y, n_h, num_iterations=10000, print_cost=False, costs=None):
        np.random.seed(3)  # the classic assignment's seed, kept inside the function
        return ref["nn_model"](X, Y, n_h, num_iterations, print_cost, costs)

    return {
        "layer_sizes": {},
        "initialize_parameters": {"forgot_scale": init_unscaled, "reseeded_inside": init_reseeded},
        "forward_propagation": {"forgot_bias": forward_no_bias,
                                "hidden_activation_not_tanh": forward_sigmoid_hidden},
        "compute_cost": {"forgot_one_over_m": cost_sum, "sign_flipped": cost_no_minus},
        "backward_propagation": {"forgot_one_over_m": backward_no_mean, "forgot_keepdims": backward_no_keepdims,
                                 "sign_flipped": backward_sign,
                                 "wrong_tanh_derivative": backward_sigmoid_derivative},
        "update_parameters": {"gradient_ascent": update_ascent, "forgot_learning_rate": update_whole_gradient},
        "nn_model": {"ignored_n_h": nn_model_fixed_hidden_size, "reseeded_inside": nn_model_reseeded},
        "predict": {},
    }


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en="", label_zh="", suite="public", seed=None):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function], seed))

    def hidden(function, name, inputs, seed=None):
        add(function, name, inputs, suite="hidden", seed=seed)

    add("layer_sizes", "1_seed_example", _seeded_layer_sizes(),
        "X of shape (5, 3) and Y of shape (2, 3), the example above", "X 形状为 (5, 3)、Y 形状为 (2, 3)，即上面的例子")
    rng = np.random.RandomState(12)
    add("layer_sizes", "2_flower_layout", {"X": rng.randn(2, 6), "Y": _labels(rng, 6, np.uint8)},
        "the layout of the flower data: X (2, 6), Y (1, 6)", "“花朵”数据的布局：X 为 (2, 6)，Y 为 (1, 6)")
    rng = np.random.RandomState(112)
    hidden("layer_sizes", "3_hidden", {"X": rng.randn(4, 2), "Y": _labels(rng, 2)})
    hidden("layer_sizes", "4_hidden", {"X": rng.randn(7, 9), "Y": rng.randn(3, 9)})

    add("initialize_parameters", "1_seed_example", {"n_x": 2, "n_h": 4, "n_y": 1},
        "n_x=2, n_h=4, n_y=1 after np.random.seed(2), the example above",
        "先调用 np.random.seed(2)，再取 n_x=2, n_h=4, n_y=1，即上面的例子", seed=2)
    add("initialize_parameters", "2_other_sizes", {"n_x": 3, "n_h": 5, "n_y": 2},
        "n_x=3, n_h=5, n_y=2 after np.random.seed(3): every shape differs, and so does the seed",
        "先调用 np.random.seed(3)，再取 n_x=3, n_h=5, n_y=2：形状都不一样，种子也不一样", seed=3)
    hidden("initialize_parameters", "3_hidden", {"n_x": 4, "n_h": 1, "n_y": 1}, seed=131)
    hidden("initialize_parameters", "4_hidden", {"n_x": 2, "n_h": 7, "n_y": 3}, seed=132)

    add("forward_propagation", "1_seed_example", _seeded_forward(),
        "the example above (2 inputs, 4 hidden units, 3 examples)", "上面的例子（2 个输入、4 个隐藏单元、3 个样本）")
    rng = np.random.RandomState(21)
    add("forward_propagation", "2_large_weights", {"X": rng.randn(3, 4), "parameters": _random_parameters(rng, 3, 5, 1)},
        "3 inputs, 5 hidden units, 4 examples, weights of order 1", "3 个输入、5 个隐藏单元、4 个样本，权重约为 1 的量级")
    rng = np.random.RandomState(121)
    hidden("forward_propagation", "3_hidden", {"X": rng.randn(2, 7), "parameters": _random_parameters(rng, 2, 3, 1)})
    rng = np.random.RandomState(122)
    hidden("forward_propagation", "4_hidden", {"X": rng.randn(4, 2), "parameters": _random_parameters(rng, 4, 6, 1, 0.5)})

    add("compute_cost", "1_seed_example", _seeded_cost(),
        "the example above (3 examples)", "上面的例子（3 个样本）")
    add("compute_cost", "2_uint8_labels",
        {"A2": np.array([[0.9, 0.2, 0.7, 0.35, 0.6]]), "Y": np.array([[1, 0, 1, 0, 0]], dtype=np.uint8)},
        "5 examples whose labels are uint8, like the flower's Y", "5 个样本，标签为 uint8 类型，和“花朵”数据的 Y 一样")
    rng = np.random.RandomState(141)
    hidden("compute_cost", "3_hidden", {"A2": rng.uniform(0.05, 0.95, (1, 8)), "Y": _labels(rng, 8)})
    hidden("compute_cost", "4_hidden", {"A2": np.array([[0.25, 0.8, 0.55, 0.1]]), "Y": np.array([[False, True, True, False]])})

    add("backward_propagation", "1_seed_example", _seeded_backward(ref),
        "the example above (a real forward pass, 3 examples)", "上面的例子（真实的前向传播，3 个样本）")
    add("backward_propagation", "2_large_weights", _random_backward(ref, 31, 3, 5, 6, 0.8),
        "3 inputs, 5 hidden units, 6 examples, larger weights", "3 个输入、5 个隐藏单元、6 个样本，权重较大")
    hidden("backward_propagation", "3_hidden", _random_backward(ref, 151, 2, 3, 7, 1.0))
    hidden("backward_propagation", "4_hidden", _random_backward(ref, 152, 4, 6, 5, 0.5))

    add("update_parameters", "1_seed_example", _seeded_update(),
        "the example above, default learning rate 1.2", "上面的例子，默认学习率 1.2")
    add("update_parameters", "2_learning_rate", _random_update(41, 3, 5, 0.5),
        "3 inputs, 5 hidden units, learning_rate=0.5", "3 个输入、5 个隐藏单元，learning_rate=0.5")
    hidden("update_parameters", "3_hidden", _random_update(161, 2, 2))
    hidden("update_parameters", "4_hidden", _random_update(162, 4, 3, 0.01))

    add("nn_model", "1_seed_example", _seeded_nn_model(),
        "the example above: 3 examples, 4 hidden units, 2000 iterations after np.random.seed(2), no printing",
        "上面的例子：先调用 np.random.seed(2)，3 个样本、4 个隐藏单元、2000 次迭代，不打印", seed=2)
    add("nn_model", "2_three_hidden_units", _random_nn_model(51, 2, 20, 3, 50),
        "20 points, 3 hidden units, 50 iterations after np.random.seed(5)",
        "先调用 np.random.seed(5)，20 个点、3 个隐藏单元、50 次迭代", seed=5)
    hidden("nn_model", "3_hidden", _random_nn_model(171, 2, 15, 2, 100), seed=173)
    hidden("nn_model", "4_hidden", _random_nn_model(172, 3, 12, 5, 60), seed=174)

    add("predict", "1_seed_example", _seeded_predict(),
        "the example above (5 points)", "上面的例子（5 个点）")
    add("predict", "2_three_inputs", _random_predict(64, 3, 5, 8),
        "3 inputs, 5 hidden units, 8 points", "3 个输入、5 个隐藏单元、8 个点")
    hidden("predict", "3_hidden", _random_predict(181, 2, 4, 10))
    hidden("predict", "4_hidden", _random_predict(182, 4, 2, 6))
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
DEMO_MISTAKES = {
    "chen_cost_without_mean": (
        {"compute_cost": [("cost = -(1 / m) * np.sum(logprobs)", "cost = -np.sum(logprobs)")]},
        ("summed the losses instead of averaging them", "把损失求和了，没有取平均"),
        {"compute_cost"},
    ),
    "dana_sigmoid_derivative": (
        {"backward_propagation": [("(1 - np.power(A1, 2))", "A1 * (1 - A1)")]},
        ("used the sigmoid's derivative for the tanh layer: the training goes wrong too",
         "tanh 层用了 sigmoid 的导数：训练结果也跟着出错"),
        {"backward_propagation", "nn_model"},
    ),
    "omar_fixed_hidden_size": (
        {"nn_model": [("parameters = initialize_parameters(n_x, n_h, n_y)",
                       "parameters = initialize_parameters(n_x, layer_sizes(X, Y)[1], n_y)")]},
        ("took the hidden size from layer_sizes (always 4) instead of n_h",
         "隐藏层大小取自 layer_sizes（总是 4），而不是参数 n_h"),
        {"nn_model"},
    ),
}
