"""Cases of "Optimization Methods".

Public case 1 of each function is the seeded example the notebook prints (the
classic assignment's test case); the other public cases teach something else
(three layers, a step in the middle of training, non-default hyperparameters,
the first Adam step, m a multiple of the batch size). Hidden cases use other
seeds, shapes and values.

``random_mini_batches`` has one exception to "case 1 = the printed example":
the notebook prints the classic X of shape (12288, 148), far too large to store;
case 1 uses the same recipe with 12 rows (the same first row, so the printed
sanity check is the same numbers). In case 2 and in the hidden cases the first
row of X numbers the examples, so a report that points at a wrong entry shows
which example went where; the notebook's test cell adds
``check_mini_batch_partition`` for a plain-words diagnosis.

Mistakes are wrong variants of the reference whose outputs are stored so the
checker can name them (hints in ``helpers.checker.HINTS``).
"""

import numpy as np

from grading.expected import Case
from helpers.optimization_utils import labelled_examples

NOTEBOOK = "Optimization_methods.ipynb"
POSITION = (2, 4)  # (course, place in it): the order of the book and the README's table

# ----------------------------------------------------------------- input makers
def _classic_parameters_and_grads():
    """The classic test case: np.random.seed(1), W1 (2, 3), b1 (2, 1), W2 (3, 3), b2 (3, 1), then the gradients."""
    np.random.seed(1)
    W1 = np.random.randn(2, 3)
    b1 = np.random.randn(2, 1)
    W2 = np.random.randn(3, 3)
    b2 = np.random.randn(3, 1)
    dW1 = np.random.randn(2, 3)
    db1 = np.random.randn(2, 1)
    dW2 = np.random.randn(3, 3)
    db2 = np.random.randn(3, 1)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def _random_parameters(rng, layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = rng.randn(layer_dims[l], 1)
    return parameters


def _like(rng, parameters, scale=1.0):
    """Random arrays keyed "dW1", "db1", ... with the shapes of the parameters."""
    return {"d" + key: scale * rng.randn(*value.shape) for key, value in parameters.items()}


def _zeros(parameters):
    return {"d" + key: np.zeros(value.shape) for key, value in parameters.items()}


def _squares(rng, parameters, scale=1.0):
    """Plausible averages of squared gradients: non-negative."""
    return {"d" + key: scale * rng.randn(*value.shape) ** 2 for key, value in parameters.items()}


def _gd_inputs(rng, layer_dims, learning_rate):
    parameters = _random_parameters(rng, layer_dims)
    return {"parameters": parameters, "grads": _like(rng, parameters), "learning_rate": learning_rate}


def _classic_mini_batches(rows):
    """The classic recipe, np.random.seed(1), X = randn(rows, 148), Y = randn(1, 148) < 0.5."""
    np.random.seed(1)
    X = np.random.randn(rows, 148)
    Y = np.random.randn(1, 148) < 0.5
    return {"X": X, "Y": Y, "mini_batch_size": 64}


def _numbered_mini_batches(m, mini_batch_size, seed):
    X, Y = labelled_examples(m, n_x=3, seed=seed)
    return {"X": X, "Y": Y, "mini_batch_size": mini_batch_size, "seed": seed}


def _momentum_inputs(rng, layer_dims, beta, learning_rate, zero_velocity=False):
    parameters = _random_parameters(rng, layer_dims)
    grads = _like(rng, parameters)
    v = _zeros(parameters) if zero_velocity else _like(rng, parameters, 0.5)
    return {"parameters": parameters, "grads": grads, "v": v, "beta": beta, "learning_rate": learning_rate}


def _rmsprop_inputs(rng, layer_dims, beta2, learning_rate, epsilon=None, zero_gradient=None):
    parameters = _random_parameters(rng, layer_dims)
    grads = _like(rng, parameters, 0.1)
    s = _squares(rng, parameters, 0.1)
    if zero_gradient:
        grads[zero_gradient] = np.zeros_like(grads[zero_gradient])
        s[zero_gradient] = np.zeros_like(s[zero_gradient])
    inputs = {"parameters": parameters, "grads": grads, "s": s, "beta2": beta2, "learning_rate": learning_rate}
    if epsilon is not None:
        inputs["epsilon"] = epsilon
    return inputs


def _adam_inputs(rng, layer_dims, t, hyper=None, fresh=False):
    parameters = _random_parameters(rng, layer_dims)
    grads = _like(rng, parameters, 0.1)
    if fresh:
        v, s = _zeros(parameters), _zeros(parameters)
    else:
        v, s = _like(rng, parameters, 0.05), _squares(rng, parameters, 0.01)
    inputs = {"parameters": parameters, "grads": grads, "v": v, "s": s, "t": t}
    inputs.update(hyper or {})
    return inputs


# ----------------------------------------------------------------- wrong variants
def _mistakes(ref):
    """Every wrong variant: {function: {hint name: variant}}."""
    gd = ref["update_parameters_with_gd"]
    momentum = ref["update_parameters_with_momentum"]
    rmsprop = ref["update_parameters_with_rmsprop"]
    adam = ref["update_parameters_with_adam"]

    def gd_ascent(parameters, grads, learning_rate):
        return gd(parameters, grads, -learning_rate)

    def gd_no_lr(parameters, grads, learning_rate):
        return gd(parameters, grads, 1.0)

    def mini_batches_apart(X, Y, mini_batch_size=64, seed=0):
        np.random.seed(seed)
        m = X.shape[1]
        shuffled_X = X[:, np.random.permutation(m)]
        shuffled_Y = Y[:, np.random.permutation(m)]
        return _cut(shuffled_X, shuffled_Y, mini_batch_size, keep_last=True)

    def mini_batches_no_last(X, Y, mini_batch_size=64, seed=0):
        np.random.seed(seed)
        permutation = np.random.permutation(X.shape[1])
        return _cut(X[:, permutation], Y[:, permutation], mini_batch_size, keep_last=False)

    def momentum_ascent(parameters, grads, v, beta, learning_rate):
        return momentum(parameters, grads, v, beta, -learning_rate)

    def momentum_no_one_minus_beta(parameters, grads, v, beta, learning_rate):
        # v = beta * v + dW is the (1 - beta) form with the gradient scaled by 1 / (1 - beta)
        scaled = {key: value / (1 - beta) for key, value in grads.items()} if beta != 1 else grads
        return momentum(parameters, scaled, v, beta, learning_rate)

    def rmsprop_ascent(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
        return rmsprop(parameters, grads, s, beta2, -learning_rate, epsilon)

    def rmsprop_epsilon_inside(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
        new_s = {key: beta2 * s[key] + (1 - beta2) * np.square(grads[key]) for key in s}
        new_parameters = {key: value - learning_rate * grads["d" + key] / np.sqrt(new_s["d" + key] + epsilon)
                          for key, value in parameters.items()}
        return new_parameters, new_s

    def adam_ascent(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return adam(parameters, grads, v, s, t, -learning_rate, beta1, beta2, epsilon)

    def adam_t_minus_one(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return _adam_with_correction_step(parameters, grads, v, s, t - 1, learning_rate, beta1, beta2, epsilon)

    def adam_uncorrected(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return _adam_with_correction_step(parameters, grads, v, s, None, learning_rate, beta1, beta2, epsilon)

    def schedule_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
        return learning_rate0 / (1 + decay_rate * (epoch_num / time_interval))

    variants = {
        "update_parameters_with_gd": {"gradient_ascent": gd_ascent, "forgot_learning_rate": gd_no_lr},
        "random_mini_batches": {"shuffled_apart": mini_batches_apart, "dropped_last_batch": mini_batches_no_last},
        "initialize_velocity": {},
        "update_parameters_with_momentum": {"gradient_ascent": momentum_ascent,
                                            "momentum_without_one_minus_beta": momentum_no_one_minus_beta},
        "initialize_rmsprop": {},
        "update_parameters_with_rmsprop": {"gradient_ascent": rmsprop_ascent, "epsilon_inside_sqrt": rmsprop_epsilon_inside},
        "initialize_adam": {},
        "update_parameters_with_adam": {"gradient_ascent": adam_ascent,
                                        "bias_correction_t_minus_one": adam_t_minus_one,
                                        "no_bias_correction": adam_uncorrected},
        "update_lr": {},
        "schedule_lr_decay": {"decay_without_floor": schedule_no_floor},
    }
    return variants


def _cut(shuffled_X, shuffled_Y, size, keep_last):
    m = shuffled_X.shape[1]
    batches = [(shuffled_X[:, k * size:(k + 1) * size], shuffled_Y[:, k * size:(k + 1) * size]) for k in range(m // size)]
    if keep_last and m % size:
        batches.append((shuffled_X[:, (m // size) * size:], shuffled_Y[:, (m // size) * size:]))
    return batches


def _adam_with_correction_step(parameters, grads, v, s, step, learning_rate, beta1, beta2, epsilon):
    """Adam whose bias correction uses ``step`` instead of t (None: no correction at all)."""
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for key, value in parameters.items():
        g = grads["d" + key]
        new_v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        new_s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * np.square(g)
        with np.errstate(divide="ignore", invalid="ignore"):
            v_corrected["d" + key] = new_v["d" + key] if step is None else new_v["d" + key] / (1 - beta1 ** step)
            s_corrected["d" + key] = new_s["d" + key] if step is None else new_s["d" + key] / (1 - beta2 ** step)
            new_parameters[key] = value - learning_rate * v_corrected["d" + key] / (np.sqrt(s_corrected["d" + key]) + epsilon)
    return new_parameters, new_v, new_s, v_corrected, s_corrected


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en="", label_zh="", suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function]))

    # update_parameters_with_gd
    parameters, grads = _classic_parameters_and_grads()
    add("update_parameters_with_gd", "1_seed_example", {"parameters": parameters, "grads": grads, "learning_rate": 0.01},
        "the example above, learning rate 0.01", "上面的例子，学习率 0.01")
    add("update_parameters_with_gd", "2_three_layers", _gd_inputs(np.random.RandomState(10), [4, 3, 2, 1], 0.1),
        "three layers 4-3-2-1, learning rate 0.1", "4-3-2-1 的 3 层网络，学习率 0.1")
    add("update_parameters_with_gd", "3_hidden", _gd_inputs(np.random.RandomState(201), [2, 5, 1], 1.0), suite="hidden")
    add("update_parameters_with_gd", "4_hidden", _gd_inputs(np.random.RandomState(202), [3, 4, 4, 2, 1], 0.0007), suite="hidden")

    # random_mini_batches
    add("random_mini_batches", "1_seed_recipe", _classic_mini_batches(12),
        "the recipe of the example above with 12 rows instead of 12288: m = 148, batches of 64",
        "与上面的例子生成方法相同，只是 12 行而不是 12288 行：m = 148，每批 64 个")
    add("random_mini_batches", "2_multiple_of_size", _numbered_mini_batches(128, 32, 3),
        "m = 128, batches of 32: no smaller last batch; X[0] numbers the examples",
        "m = 128，每批 32 个：没有较小的最后一批；X[0] 是样本编号")
    add("random_mini_batches", "3_hidden", _numbered_mini_batches(200, 64, 7), suite="hidden")
    add("random_mini_batches", "4_hidden", _numbered_mini_batches(256, 64, 11), suite="hidden")
    add("random_mini_batches", "5_hidden", _numbered_mini_batches(10, 3, 13), suite="hidden")
    add("random_mini_batches", "6_hidden", _numbered_mini_batches(5, 8, 17), suite="hidden")
    add("random_mini_batches", "7_hidden", _numbered_mini_batches(6, 1, 19), suite="hidden")

    # initializers: the values of the parameters do not matter, their shapes do
    for function in ("initialize_velocity", "initialize_rmsprop", "initialize_adam"):
        parameters, _ = _classic_parameters_and_grads()
        add(function, "1_seed_example", {"parameters": parameters},
            "the parameters of the example above", "上面例子中的参数")
        add(function, "2_three_layers", {"parameters": _random_parameters(np.random.RandomState(20), [4, 3, 2, 1])},
            "three layers 4-3-2-1", "4-3-2-1 的 3 层网络")
        add(function, "3_hidden", {"parameters": _random_parameters(np.random.RandomState(211), [2, 1])}, suite="hidden")
        add(function, "4_hidden", {"parameters": _random_parameters(np.random.RandomState(212), [5, 4, 4, 3, 1])}, suite="hidden")

    # update_parameters_with_momentum
    parameters, grads = _classic_parameters_and_grads()
    add("update_parameters_with_momentum", "1_seed_example",
        {"parameters": parameters, "grads": grads, "v": _zeros(parameters), "beta": 0.9, "learning_rate": 0.01},
        "the example above: zero velocities, beta 0.9, learning rate 0.01", "上面的例子：速度为零，beta 0.9，学习率 0.01")
    add("update_parameters_with_momentum", "2_mid_training", _momentum_inputs(np.random.RandomState(30), [4, 3, 2, 1], 0.8, 0.05),
        "three layers in the middle of training: non-zero velocities, beta 0.8, learning rate 0.05",
        "训练进行到一半的 3 层网络：速度不为零，beta 0.8，学习率 0.05")
    add("update_parameters_with_momentum", "3_hidden", _momentum_inputs(np.random.RandomState(221), [2, 5, 1], 0.0, 0.1), suite="hidden")
    add("update_parameters_with_momentum", "4_hidden", _momentum_inputs(np.random.RandomState(222), [3, 4, 2, 1], 0.99, 0.01), suite="hidden")
    add("update_parameters_with_momentum", "5_hidden",
        _momentum_inputs(np.random.RandomState(223), [2, 3, 1], 0.9, 0.3, zero_velocity=True), suite="hidden")

    # update_parameters_with_rmsprop
    parameters, grads = _classic_parameters_and_grads()
    add("update_parameters_with_rmsprop", "1_seed_example",
        {"parameters": parameters, "grads": grads, "s": _zeros(parameters), "beta2": 0.999, "learning_rate": 0.01},
        "the example above: s = 0, beta2 0.999, learning rate 0.01", "上面的例子：s = 0，beta2 0.999，学习率 0.01")
    add("update_parameters_with_rmsprop", "2_mid_training", _rmsprop_inputs(np.random.RandomState(40), [4, 3, 2, 1], 0.9, 0.02),
        "three layers in the middle of training: non-zero s, beta2 0.9, learning rate 0.02",
        "训练进行到一半的 3 层网络：s 不为零，beta2 0.9，学习率 0.02")
    add("update_parameters_with_rmsprop", "3_hidden",
        _rmsprop_inputs(np.random.RandomState(231), [2, 5, 1], 0.99, 0.001, epsilon=1e-4, zero_gradient="db1"), suite="hidden")
    add("update_parameters_with_rmsprop", "4_hidden", _rmsprop_inputs(np.random.RandomState(232), [3, 4, 2, 1], 0.999, 0.005), suite="hidden")

    # update_parameters_with_adam
    parameters, grads = _classic_parameters_and_grads()
    add("update_parameters_with_adam", "1_seed_example",
        {"parameters": parameters, "grads": grads, "v": _zeros(parameters), "s": _zeros(parameters), "t": 2,
         "learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        "the example above: t = 2, default hyperparameters", "上面的例子：t = 2，超参数取默认值")
    add("update_parameters_with_adam", "2_first_step", _adam_inputs(np.random.RandomState(50), [4, 3, 2, 1], 1, fresh=True),
        "the first step (t = 1, zero averages) of a three-layer network, default hyperparameters",
        "3 层网络的第 1 步（t = 1，平均值为零），超参数取默认值")
    add("update_parameters_with_adam", "3_other_hyperparameters",
        _adam_inputs(np.random.RandomState(51), [3, 2, 1], 5,
                     {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.888, "epsilon": 1e-2}),
        "step t = 5 with non-zero averages and learning_rate 0.02, beta1 0.8, beta2 0.888, epsilon 0.01",
        "第 t = 5 步，平均值不为零，learning_rate 0.02、beta1 0.8、beta2 0.888、epsilon 0.01")
    add("update_parameters_with_adam", "4_hidden", _adam_inputs(np.random.RandomState(241), [2, 5, 1], 10), suite="hidden")
    add("update_parameters_with_adam", "5_hidden",
        _adam_inputs(np.random.RandomState(242), [3, 4, 2, 1], 3, {"learning_rate": 0.001, "beta1": 0.95, "beta2": 0.99}),
        suite="hidden")
    add("update_parameters_with_adam", "6_hidden", _adam_inputs(np.random.RandomState(243), [2, 3, 1], 1, fresh=True), suite="hidden")

    # update_lr
    add("update_lr", "1_seed_example", {"learning_rate0": 0.5, "epoch_num": 2, "decay_rate": 1},
        "the example above: 0.5, epoch 2, decay_rate 1", "上面的例子：0.5，第 2 轮，decay_rate 1")
    add("update_lr", "2_fractional_rate", {"learning_rate0": 0.01, "epoch_num": 30, "decay_rate": 0.5},
        "0.01, epoch 30, decay_rate 0.5", "0.01，第 30 轮，decay_rate 0.5")
    add("update_lr", "3_hidden", {"learning_rate0": 1.0, "epoch_num": 0, "decay_rate": 3}, suite="hidden")
    add("update_lr", "4_hidden", {"learning_rate0": 0.2, "epoch_num": 1000, "decay_rate": 0.01}, suite="hidden")

    # schedule_lr_decay
    add("schedule_lr_decay", "1_seed_epoch_100", {"learning_rate0": 0.5, "epoch_num": 100, "decay_rate": 0.3},
        "the example above: 0.5, epoch 100, decay_rate 0.3, interval 1000 (no decay yet)",
        "上面的例子：0.5，第 100 轮，decay_rate 0.3，间隔 1000（还没有衰减）")
    add("schedule_lr_decay", "2_seed_epoch_10000", {"learning_rate0": 0.5, "epoch_num": 10000, "decay_rate": 0.3},
        "the example above at epoch 10000: ten decays", "上面的例子在第 10000 轮：已经衰减了 10 次")
    add("schedule_lr_decay", "3_interval_100", {"learning_rate0": 0.5, "epoch_num": 100, "decay_rate": 0.3, "time_interval": 100},
        "0.5, epoch 100, decay_rate 0.3, time_interval 100", "0.5，第 100 轮，decay_rate 0.3，time_interval 100")
    add("schedule_lr_decay", "4_hidden", {"learning_rate0": 0.1, "epoch_num": 999, "decay_rate": 1}, suite="hidden")
    add("schedule_lr_decay", "5_hidden", {"learning_rate0": 0.1, "epoch_num": 1000, "decay_rate": 1}, suite="hidden")
    add("schedule_lr_decay", "6_hidden",
        {"learning_rate0": 0.02, "epoch_num": 2500, "decay_rate": 0.5, "time_interval": 400}, suite="hidden")
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
# Each breaks one function only: the graded functions do not call each other.
DEMO_MISTAKES = {
    "fay_adam_t_minus_one": (
        {"update_parameters_with_adam": [
            ('v["dW" + str(l)] / (1 - beta1 ** t)', 'v["dW" + str(l)] / (1 - beta1 ** (t - 1))'),
            ('v["db" + str(l)] / (1 - beta1 ** t)', 'v["db" + str(l)] / (1 - beta1 ** (t - 1))'),
            ('s["dW" + str(l)] / (1 - beta2 ** t)', 's["dW" + str(l)] / (1 - beta2 ** (t - 1))'),
            ('s["db" + str(l)] / (1 - beta2 ** t)', 's["db" + str(l)] / (1 - beta2 ** (t - 1))'),
        ]},
        ("Adam's bias correction with t - 1 instead of t", "Adam 的偏差修正用了 t - 1 而不是 t"),
        {"update_parameters_with_adam"},
    ),
    "gus_momentum_without_one_minus_beta": (
        {"update_parameters_with_momentum": [
            ('(1 - beta) * grads["dW" + str(l)]', 'grads["dW" + str(l)]'),
            ('(1 - beta) * grads["db" + str(l)]', 'grads["db" + str(l)]'),
        ]},
        ("momentum written v = beta * v + dW, without (1 - beta)", "动量写成了 v = beta * v + dW，漏掉了 (1 - beta)"),
        {"update_parameters_with_momentum"},
    ),
    "hana_shuffled_apart": (
        {"random_mini_batches": [
            ("shuffled_Y = Y[:, permutation].reshape((1, m))", "shuffled_Y = Y[:, np.random.permutation(m)].reshape((1, m))"),
        ]},
        ("X and Y shuffled with two different permutations", "X 和 Y 用了 2 个不同的排列来打乱"),
        {"random_mini_batches"},
    ),
}
