"""Cases of "Building your Deep Neural Network: Step by Step".

Public case 1 of each function is the seeded example printed in the notebook
(the classic assignment's test case); public case 2 teaches something else
(another shape, a deeper network). Hidden cases use other seeds and shapes.
Mistakes are small wrong variants of the reference; their outputs are stored
so the checker can recognise them.
"""

import numpy as np

from grading.expected import Case

NOTEBOOK = "Deep_Neural_Network_Step_by_Step.ipynb"
POSITION = (1, 2)  # (course, place in it): the order of the book and the README's table


# ----------------------------------------------------------------- input makers
def _linear_inputs(rng, n_prev, n, m):
    return {"A": rng.randn(n_prev, m), "W": rng.randn(n, n_prev), "b": rng.randn(n, 1)}


def _seeded_linear_forward():
    np.random.seed(1)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return {"A": A, "W": W, "b": b}


def _seeded_linear_activation_forward(activation):
    np.random.seed(2)
    A_prev = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return {"A_prev": A_prev, "W": W, "b": b, "activation": activation}


def _random_parameters(rng, layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = rng.randn(layer_dims[l], 1)
    return parameters


def _seeded_l_model_forward():
    np.random.seed(1)
    X = np.random.randn(4, 2)
    W1 = np.random.randn(3, 4)
    b1 = np.random.randn(3, 1)
    W2 = np.random.randn(1, 3)
    b2 = np.random.randn(1, 1)
    return {"X": X, "parameters": {"W1": W1, "b1": b1, "W2": W2, "b2": b2}}


def _seeded_linear_backward():
    np.random.seed(1)
    dZ = np.random.randn(1, 2)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return {"dZ": dZ, "cache": (A, W, b)}


def _seeded_linear_activation_backward(activation):
    np.random.seed(2)
    dA = np.random.randn(1, 2)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    Z = np.random.randn(1, 2)
    return {"dA": dA, "cache": ((A, W, b), Z), "activation": activation}


def _seeded_l_model_backward():
    np.random.seed(3)
    AL = np.random.randn(1, 2)
    Y = np.array([[1, 0]])
    A1 = np.random.randn(4, 2)
    W1 = np.random.randn(3, 4)
    b1 = np.random.randn(3, 1)
    Z1 = np.random.randn(3, 2)
    A2 = np.random.randn(3, 2)
    W2 = np.random.randn(1, 3)
    b2 = np.random.randn(1, 1)
    Z2 = np.random.randn(1, 2)
    return {"AL": AL, "Y": Y, "caches": (((A1, W1, b1), Z1), ((A2, W2, b2), Z2))}


def _seeded_update_parameters():
    np.random.seed(2)
    params = {"W1": np.random.randn(3, 4), "b1": np.random.randn(3, 1),
              "W2": np.random.randn(1, 3), "b2": np.random.randn(1, 1)}
    np.random.seed(3)
    grads = {"dW1": np.random.randn(3, 4), "db1": np.random.randn(3, 1),
             "dW2": np.random.randn(1, 3), "db2": np.random.randn(1, 1)}
    return {"params": params, "grads": grads, "learning_rate": 0.1}


def _update_inputs(rng, layer_dims, learning_rate):
    params = _random_parameters(rng, layer_dims)
    grads = {"d" + key: rng.randn(*value.shape) for key, value in params.items()}
    return {"params": params, "grads": grads, "learning_rate": learning_rate}


def _real_backward_inputs(ref, rng, layer_dims, m):
    """Caches from a real forward pass of the reference, with random labels."""
    X = rng.randn(layer_dims[0], m)
    parameters = _random_parameters(rng, layer_dims)
    for key in parameters:
        parameters[key] *= 0.5  # keep the sigmoid away from saturation
    AL, caches = ref["L_model_forward"](X, parameters)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    return {"AL": AL, "Y": Y, "caches": caches}


# ----------------------------------------------------------------- wrong variants
def _mistakes(ref):
    np_sum = np.sum

    def init_unscaled(n_x, n_h, n_y):
        np.random.seed(1)
        W1 = np.random.randn(n_h, n_x)
        W2 = np.random.randn(n_y, n_h)
        return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}

    def init_deep_unscaled(layer_dims):
        np.random.seed(3)
        parameters = {}
        for l in range(1, len(layer_dims)):
            parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1])
            parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
        return parameters

    def linear_forward_no_bias(A, W, b):
        return np.dot(W, A), (A, W, b)

    def other_activation(activation):
        return "relu" if activation == "sigmoid" else "sigmoid"

    def linear_activation_forward_swapped(A_prev, W, b, activation):
        return ref["linear_activation_forward"](A_prev, W, b, other_activation(activation))

    def l_model_forward_relu_out(X, parameters):
        L = len(parameters) // 2
        caches, A = [], X
        for l in range(1, L + 1):
            A, cache = ref["linear_activation_forward"](A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
            caches.append(cache)
        return A, caches

    def cost_sum(AL, Y):
        return np.squeeze(-np_sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))

    def cost_no_minus(AL, Y):
        return -ref["compute_cost"](AL, Y)

    def linear_backward_no_mean(dZ, cache):
        A_prev, W, b = cache
        return np.dot(W.T, dZ), np.dot(dZ, A_prev.T), np_sum(dZ, axis=1, keepdims=True)

    def linear_backward_no_keepdims(dZ, cache):
        dA_prev, dW, db = ref["linear_backward"](dZ, cache)
        return dA_prev, dW, db.reshape(-1)

    def linear_activation_backward_swapped(dA, cache, activation):
        return ref["linear_activation_backward"](dA, cache, other_activation(activation))

    def l_model_backward_sign(AL, Y, caches):
        grads = ref["L_model_backward"](AL, Y, caches)
        return {key: -value for key, value in grads.items()}

    def l_model_backward_relu_out(AL, Y, caches):
        Y = Y.reshape(AL.shape)
        dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        grads, dA, L = {}, dAL, len(caches)
        for l in reversed(range(1, L + 1)):
            dA, grads["dW" + str(l)], grads["db" + str(l)] = ref["linear_activation_backward"](dA, caches[l - 1], "relu")
            grads["dA" + str(l - 1)] = dA
        return grads

    def update_ascent(params, grads, learning_rate):
        return ref["update_parameters"](params, grads, -learning_rate)

    def update_no_lr(params, grads, learning_rate):
        return ref["update_parameters"](params, grads, 1.0)

    return {
        "initialize_parameters": {"forgot_scale": init_unscaled},
        "initialize_parameters_deep": {"forgot_scale": init_deep_unscaled},
        "linear_forward": {"forgot_bias": linear_forward_no_bias},
        "linear_activation_forward": {"wrong_activation": linear_activation_forward_swapped},
        "L_model_forward": {"relu_on_output": l_model_forward_relu_out},
        "compute_cost": {"forgot_one_over_m": cost_sum, "sign_flipped": cost_no_minus},
        "linear_backward": {"forgot_one_over_m": linear_backward_no_mean, "forgot_keepdims": linear_backward_no_keepdims},
        "linear_activation_backward": {"wrong_activation": linear_activation_backward_swapped},
        "L_model_backward": {"sign_flipped": l_model_backward_sign, "relu_on_output": l_model_backward_relu_out},
        "update_parameters": {"gradient_ascent": update_ascent, "forgot_learning_rate": update_no_lr},
    }


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en, label_zh, suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function]))

    # initialize_parameters: the seed is fixed inside the function, so only sizes vary.
    add("initialize_parameters", "1_seed_example", {"n_x": 3, "n_h": 2, "n_y": 1},
        "n_x=3, n_h=2, n_y=1, the example above", "n_x=3, n_h=2, n_y=1，即上面的例子")
    add("initialize_parameters", "2_wider", {"n_x": 4, "n_h": 5, "n_y": 2},
        "n_x=4, n_h=5, n_y=2: every shape differs", "n_x=4, n_h=5, n_y=2：每个形状都不一样")
    add("initialize_parameters", "3_hidden", {"n_x": 7, "n_h": 3, "n_y": 1}, "", "", "hidden")
    add("initialize_parameters", "4_hidden", {"n_x": 2, "n_h": 6, "n_y": 3}, "", "", "hidden")

    add("initialize_parameters_deep", "1_seed_example", {"layer_dims": [5, 4, 3]},
        "layer_dims=[5, 4, 3], the example above", "layer_dims=[5, 4, 3]，即上面的例子")
    add("initialize_parameters_deep", "2_four_layers", {"layer_dims": [6, 5, 4, 3, 1]},
        "layer_dims=[6, 5, 4, 3, 1]: four layers", "layer_dims=[6, 5, 4, 3, 1]：4 层网络")
    add("initialize_parameters_deep", "3_hidden", {"layer_dims": [3, 1]}, "", "", "hidden")
    add("initialize_parameters_deep", "4_hidden", {"layer_dims": [8, 6, 2, 1]}, "", "", "hidden")

    add("linear_forward", "1_seed_example", _seeded_linear_forward(),
        "the example above (3 inputs, 1 unit, 2 examples)", "上面的例子（3 个输入、1 个单元、2 个样本）")
    add("linear_forward", "2_non_square", _linear_inputs(np.random.RandomState(11), 5, 4, 3),
        "5 inputs, 4 units, 3 examples", "5 个输入、4 个单元、3 个样本")
    add("linear_forward", "3_hidden", _linear_inputs(np.random.RandomState(101), 2, 6, 7), "", "", "hidden")
    add("linear_forward", "4_hidden", _linear_inputs(np.random.RandomState(102), 9, 3, 1), "", "", "hidden")

    for activation, tag in (("sigmoid", "1"), ("relu", "2")):
        add("linear_activation_forward", f"{tag}_seed_{activation}", _seeded_linear_activation_forward(activation),
            f"the example above with {activation}", f"上面的例子，激活函数为 {activation}")
    for activation, tag in (("relu", "3"), ("sigmoid", "4")):
        rng = np.random.RandomState(21 + int(tag))
        inputs = {"A_prev": rng.randn(4, 5), "W": rng.randn(3, 4), "b": rng.randn(3, 1), "activation": activation}
        add("linear_activation_forward", f"{tag}_wider_{activation}", inputs,
            f"4 inputs, 3 units, 5 examples, {activation}", f"4 个输入、3 个单元、5 个样本，{activation}")
    for activation, tag in (("relu", "5"), ("sigmoid", "6")):
        rng = np.random.RandomState(120 + int(tag))
        inputs = {"A_prev": rng.randn(6, 3), "W": rng.randn(2, 6), "b": rng.randn(2, 1), "activation": activation}
        add("linear_activation_forward", f"{tag}_hidden_{activation}", inputs, "", "", "hidden")

    add("L_model_forward", "1_seed_example", _seeded_l_model_forward(),
        "the two-layer example above", "上面的 2 层网络例子")
    rng = np.random.RandomState(6)
    add("L_model_forward", "2_three_layers", {"X": rng.randn(5, 4), "parameters": _random_parameters(rng, [5, 4, 3, 1])},
        "a three-layer network 5-4-3-1 with 4 examples", "5-4-3-1 的 3 层网络，4 个样本")
    rng = np.random.RandomState(131)
    add("L_model_forward", "3_hidden", {"X": rng.randn(3, 6), "parameters": _random_parameters(rng, [3, 1])}, "", "", "hidden")
    rng = np.random.RandomState(132)
    add("L_model_forward", "4_hidden", {"X": rng.randn(4, 3), "parameters": _random_parameters(rng, [4, 5, 4, 2, 1])}, "", "", "hidden")

    add("compute_cost", "1_seed_example", {"AL": np.array([[0.8, 0.9, 0.4]]), "Y": np.asarray([[1, 1, 1]])},
        "the example above (3 examples, all labels 1)", "上面的例子（3 个样本，标签都是 1）")
    add("compute_cost", "2_mixed_labels", {"AL": np.array([[0.9, 0.2, 0.6, 0.35]]), "Y": np.array([[1, 0, 1, 0]])},
        "4 examples with labels 1 and 0", "4 个样本，标签有 1 也有 0")
    rng = np.random.RandomState(141)
    add("compute_cost", "3_hidden", {"AL": rng.uniform(0.05, 0.95, (1, 7)), "Y": (rng.rand(1, 7) > 0.5).astype(int)}, "", "", "hidden")
    add("compute_cost", "4_hidden", {"AL": np.array([[0.3]]), "Y": np.array([[0]])}, "", "", "hidden")

    add("linear_backward", "1_seed_example", _seeded_linear_backward(),
        "the example above (1 unit, 3 inputs, 2 examples)", "上面的例子（1 个单元、3 个输入、2 个样本）")
    rng = np.random.RandomState(7)
    add("linear_backward", "2_more_examples", {"dZ": rng.randn(3, 5), "cache": (rng.randn(4, 5), rng.randn(3, 4), rng.randn(3, 1))},
        "3 units, 4 inputs, 5 examples", "3 个单元、4 个输入、5 个样本")
    rng = np.random.RandomState(151)
    add("linear_backward", "3_hidden", {"dZ": rng.randn(2, 8), "cache": (rng.randn(6, 8), rng.randn(2, 6), rng.randn(2, 1))}, "", "", "hidden")
    rng = np.random.RandomState(152)
    add("linear_backward", "4_hidden", {"dZ": rng.randn(5, 3), "cache": (rng.randn(2, 3), rng.randn(5, 2), rng.randn(5, 1))}, "", "", "hidden")

    for activation, tag in (("sigmoid", "1"), ("relu", "2")):
        add("linear_activation_backward", f"{tag}_seed_{activation}", _seeded_linear_activation_backward(activation),
            f"the example above with {activation}", f"上面的例子，激活函数为 {activation}")
    rng = np.random.RandomState(8)
    inputs = {"dA": rng.randn(3, 4), "cache": ((rng.randn(5, 4), rng.randn(3, 5), rng.randn(3, 1)), rng.randn(3, 4)), "activation": "relu"}
    add("linear_activation_backward", "3_wider_relu", inputs, "3 units, 5 inputs, 4 examples, relu", "3 个单元、5 个输入、4 个样本，relu")
    for activation, tag in (("sigmoid", "4"), ("relu", "5")):
        rng = np.random.RandomState(160 + int(tag))
        inputs = {"dA": rng.randn(2, 6), "cache": ((rng.randn(3, 6), rng.randn(2, 3), rng.randn(2, 1)), rng.randn(2, 6)), "activation": activation}
        add("linear_activation_backward", f"{tag}_hidden_{activation}", inputs, "", "", "hidden")

    add("L_model_backward", "1_seed_example", _seeded_l_model_backward(),
        "the example above (made-up caches of two layers)", "上面的例子（2 层网络的虚构缓存）")
    add("L_model_backward", "2_real_three_layers", _real_backward_inputs(ref, np.random.RandomState(9), [5, 4, 3, 1], 6),
        "a real forward pass of a 5-4-3-1 network, 6 examples", "5-4-3-1 网络真实前向传播得到的缓存，6 个样本")
    add("L_model_backward", "3_hidden", _real_backward_inputs(ref, np.random.RandomState(171), [3, 1], 4), "", "", "hidden")
    add("L_model_backward", "4_hidden", _real_backward_inputs(ref, np.random.RandomState(172), [4, 6, 5, 3, 1], 5), "", "", "hidden")

    add("update_parameters", "1_seed_example", _seeded_update_parameters(),
        "the example above, learning rate 0.1", "上面的例子，学习率 0.1")
    add("update_parameters", "2_three_layers", _update_inputs(np.random.RandomState(10), [4, 3, 2, 1], 0.05),
        "three layers, learning rate 0.05", "3 层网络，学习率 0.05")
    add("update_parameters", "3_hidden", _update_inputs(np.random.RandomState(181), [2, 1], 1.2), "", "", "hidden")
    add("update_parameters", "4_hidden", _update_inputs(np.random.RandomState(182), [5, 6, 4, 1], 0.0075), "", "", "hidden")
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
DEMO_MISTAKES = {
    "chen_cost_without_mean": (
        {"compute_cost": [("-(1 / m) * np.sum", "-np.sum")]},
        ("summed the losses instead of averaging them", "把损失求和了，没有取平均"),
        {"compute_cost"},
    ),
    "dana_no_keepdims": (
        {"linear_backward": [("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1)")]},
        ("db without keepdims: breaks every backward step", "计算 db 时没写 keepdims：所有反向计算都受影响"),
        {"linear_backward", "linear_activation_backward", "L_model_backward"},
    ),
}
