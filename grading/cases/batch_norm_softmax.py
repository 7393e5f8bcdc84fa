"""Cases of "Batch normalization and softmax".

Public case 1 of each function is the seeded example the notebook prints; the
other public cases teach something else: columns of +-1000 and a wide matrix
for softmax (overflow, wrong axis), C = m for the cost and dZ (where a
transposed one-hot matrix gives numbers instead of an error), a unit of nearly
equal values with a large eps and given running averages for batchnorm_forward
(the place of eps, the momentum weights), test mode. Hidden cases use other
seeds and shapes.

batchnorm_forward updates bn_param in place (its running averages); it is listed
in helpers.case_store.UPDATED_INPUTS, so its stored expected value is the pair
(return value, {"bn_param": bn_param after the call}).
"""

import numpy as np

from grading.expected import Case

NOTEBOOK = "Batch_norm_and_softmax.ipynb"
POSITION = (2, 6)  # (course, place in it): the order of the book and the README's table


# ----------------------------------------------------------------- input makers
def _one_hot(labels, C):
    labels = np.asarray(labels).ravel()
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _probabilities(rng, C, m, scale=1.0):
    Z = scale * rng.randn(C, m)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def _cost_inputs(seed, C, m):
    rng = np.random.RandomState(seed)
    return {"AL": _probabilities(rng, C, m), "Y": _one_hot(rng.randint(0, C, m), C)}


def _bn_inputs(seed, n, m, mode="train", scale=2.0, shift=1.0, bn_extra=None):
    rng = np.random.RandomState(seed)
    Z = scale * rng.randn(n, m) + shift
    gamma = 1 + 0.5 * rng.randn(n, 1)
    beta = 0.5 * rng.randn(n, 1)
    bn_param = {"mode": mode}
    bn_param.update(bn_extra or {})
    return {"Z": Z, "gamma": gamma, "beta": beta, "bn_param": bn_param}


def _bn_backward_inputs(ref, seed, n, m, eps=1e-5):
    rng = np.random.RandomState(seed)
    Z = 1.5 * rng.randn(n, m) - 0.5
    gamma = 1 + 0.5 * rng.randn(n, 1)
    beta = 0.3 * rng.randn(n, 1)
    _, cache = ref["batchnorm_forward"](Z, gamma, beta, {"mode": "train", "eps": eps})
    return {"dout": rng.randn(n, m), "cache": cache}


# ----------------------------------------------------------------- wrong variants
def _mistakes(ref):
    bn_forward = ref["batchnorm_forward"]

    def softmax_rows(Z):
        Z = np.asarray(Z, dtype=np.float64)
        E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
        return E / np.sum(E, axis=1, keepdims=True), Z

    def softmax_unshifted(Z):
        Z = np.asarray(Z, dtype=np.float64)
        with np.errstate(all="ignore"):
            E = np.exp(Z)
            return E / np.sum(E, axis=0, keepdims=True), Z

    # A transposed one-hot matrix only gives numbers (rather than a broadcast error) when C == m;
    # on other shapes these variants return the right answer, so nothing is stored for them.
    def _transposed(Y):
        Y = np.asarray(Y)
        return Y.T if Y.shape[0] == Y.shape[1] else Y

    def cost_transposed(AL, Y):
        return float(-np.sum(_transposed(Y) * np.log(AL)) / np.shape(Y)[1])

    def cost_no_m(AL, Y):
        return float(-np.sum(Y * np.log(AL)))

    def cost_sign(AL, Y):
        return float(np.sum(Y * np.log(AL)) / np.shape(Y)[1])

    def dz_transposed(AL, Y):
        return np.asarray(AL) - _transposed(Y)

    def dz_over_m(AL, Y):
        return (np.asarray(AL) - np.asarray(Y)) / np.shape(Y)[1]

    def dz_sign(AL, Y):
        return np.asarray(Y) - np.asarray(AL)

    def _bn(Z, gamma, beta, bn_param, ddof=0, eps_where="inside", swap=False, test_batch=False):
        mode = bn_param.get("mode", "train")
        eps = bn_param.get("eps", 1e-5)
        momentum = bn_param.get("momentum", 0.9)
        n = Z.shape[0]
        running_mean = bn_param.get("running_mean", np.zeros((n, 1)))
        running_var = bn_param.get("running_var", np.ones((n, 1)))
        if mode == "train" or test_batch:
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True, ddof=ddof)
        else:
            mu, var = running_mean, running_var
        with np.errstate(all="ignore"):
            if eps_where == "inside":
                Z_norm = (Z - mu) / np.sqrt(var + eps)
            elif eps_where == "outside":
                Z_norm = (Z - mu) / (np.sqrt(var) + eps)
            else:
                Z_norm = (Z - mu) / np.sqrt(var)
        out = gamma * Z_norm + beta
        if mode == "train":
            w_old, w_new = (1 - momentum, momentum) if swap else (momentum, 1 - momentum)
            running_mean = w_old * running_mean + w_new * mu
            running_var = w_old * running_var + w_new * var
        bn_param["running_mean"] = running_mean
        bn_param["running_var"] = running_var
        return out, (Z, Z_norm, mu, var, gamma, eps)

    def bn_backward_unsummed(dout, cache):
        Z, Z_norm, mu, var, gamma, eps = cache
        m = dout.shape[1]
        dbeta, dgamma = dout, dout * Z_norm
        dZ = gamma / (m * np.sqrt(var + eps)) * (m * dout - np.sum(dbeta, axis=1, keepdims=True)
                                                 - Z_norm * np.sum(dgamma, axis=1, keepdims=True))
        return dZ, dgamma, dbeta

    def bn_backward_direct(dout, cache):
        Z, Z_norm, mu, var, gamma, eps = cache
        return (gamma * dout / np.sqrt(var + eps), np.sum(dout * Z_norm, axis=1, keepdims=True),
                np.sum(dout, axis=1, keepdims=True))

    assert callable(bn_forward)
    return {
        "softmax": {"softmax_wrong_axis": softmax_rows, "softmax_no_max_shift": softmax_unshifted},
        "compute_cost_softmax": {"one_hot_transposed": cost_transposed, "forgot_one_over_m": cost_no_m,
                                 "sign_flipped": cost_sign},
        "softmax_backward": {"one_hot_transposed": dz_transposed, "dz_divided_by_m": dz_over_m,
                             "sign_flipped": dz_sign},
        "batchnorm_forward": {
            "bn_sample_variance": lambda **kw: _bn(**kw, ddof=1),
            "bn_epsilon_missing": lambda **kw: _bn(**kw, eps_where="missing"),
            "bn_epsilon_outside_sqrt": lambda **kw: _bn(**kw, eps_where="outside"),
            "bn_momentum_swapped": lambda **kw: _bn(**kw, swap=True),
            "bn_test_mode_batch_statistics": lambda **kw: _bn(**kw, test_batch=True),
        },
        "batchnorm_backward": {"bn_gradients_not_summed": bn_backward_unsummed,
                               "bn_backward_ignores_batch_statistics": bn_backward_direct},
    }


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en="", label_zh="", suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function]))

    # softmax
    np.random.seed(1)
    add("softmax", "1_seed_example", {"Z": np.random.randn(3, 4)}, "the example above, Z of shape (3, 4)",
        "上面的例子，Z 的形状为 (3, 4)")
    big = np.array([[1000.0, -1000.0, 500.0, 2.0], [0.0, 0.0, 999.0, 1.0], [-1000.0, 1000.0, 1000.0, 3.0]])
    add("softmax", "2_large_entries", {"Z": big}, "entries of +-1000: no overflow, no nan",
        "取值为 ±1000 的元素：不能溢出，不能出现 nan")
    add("softmax", "3_wide", {"Z": np.random.RandomState(12).randn(4, 9) * 3},
        "a wide matrix (4, 9): the sum runs over each column", "一个很宽的矩阵 (4, 9)：对每一列求和")
    add("softmax", "4_hidden", {"Z": np.random.RandomState(101).randn(10, 7) * 5 + 600}, suite="hidden")
    add("softmax", "5_hidden", {"Z": np.random.RandomState(102).randn(2, 1)}, suite="hidden")
    add("softmax", "6_hidden", {"Z": np.random.RandomState(103).randn(5, 5) * 400}, suite="hidden")

    # compute_cost_softmax
    np.random.seed(2)
    Z = np.random.randn(3, 5)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    add("compute_cost_softmax", "1_seed_example", {"AL": E / E.sum(axis=0, keepdims=True), "Y": _one_hot([0, 2, 1, 2, 0], 3)},
        "the example above, C = 3 classes, m = 5", "上面的例子，C = 3 个类别，m = 5")
    add("compute_cost_softmax", "2_square", _cost_inputs(20, 4, 4),
        "C = m = 4: Y must not be transposed", "C = m = 4：Y 不能转置")
    add("compute_cost_softmax", "3_hidden", _cost_inputs(111, 10, 12), suite="hidden")
    add("compute_cost_softmax", "4_hidden", _cost_inputs(115, 3, 3), suite="hidden")

    # softmax_backward
    add("softmax_backward", "1_seed_example", _cost_inputs(3, 4, 6),
        "4 classes, 6 examples", "4 个类别，6 个样本")
    add("softmax_backward", "2_square", _cost_inputs(21, 3, 3),
        "C = m = 3: Y must not be transposed", "C = m = 3：Y 不能转置")
    add("softmax_backward", "3_hidden", _cost_inputs(121, 10, 8), suite="hidden")
    add("softmax_backward", "4_hidden", _cost_inputs(122, 5, 5), suite="hidden")

    # batchnorm_forward
    np.random.seed(4)
    Z = np.random.randn(3, 5) * 2 + 1
    add("batchnorm_forward", "1_seed_example",
        {"Z": Z, "gamma": np.array([[1.0], [2.0], [0.5]]), "beta": np.array([[0.0], [-1.0], [3.0]]),
         "bn_param": {"mode": "train"}},
        "the example above, train mode, default eps and momentum", "上面的例子，训练模式，eps 和 momentum 取默认值")
    inputs = _bn_inputs(30, 3, 6, bn_extra={"eps": 0.01, "momentum": 0.8,
                                            "running_mean": np.array([[0.5], [-1.0], [0.0]]),
                                            "running_var": np.array([[2.0], [0.5], [1.0]])})
    inputs["Z"][1] = 0.2 + 0.01 * np.random.RandomState(31).randn(6)  # a unit of nearly equal values
    add("batchnorm_forward", "2_eps_and_running", inputs,
        "train mode, eps = 0.01, momentum = 0.8, given running averages, one unit of nearly equal values",
        "训练模式，eps = 0.01，momentum = 0.8，给定滑动平均，其中一个单元的取值几乎相同")
    add("batchnorm_forward", "3_test_mode",
        _bn_inputs(32, 4, 3, mode="test", bn_extra={"running_mean": np.array([[1.0], [0.0], [-2.0], [0.5]]),
                                                     "running_var": np.array([[4.0], [1.0], [0.25], [2.0]])}),
        "test mode: the running averages, which stay unchanged", "测试模式：使用滑动平均，且它们保持不变")
    add("batchnorm_forward", "4_hidden", _bn_inputs(131, 5, 8, bn_extra={"momentum": 0.5, "eps": 0.1}), suite="hidden")
    add("batchnorm_forward", "5_hidden", _bn_inputs(132, 2, 4, mode="test", bn_extra={
        "running_mean": np.array([[0.3], [-0.7]]), "running_var": np.array([[0.5], [3.0]]), "eps": 0.05}), suite="hidden")
    add("batchnorm_forward", "6_hidden", _bn_inputs(133, 3, 10, scale=0.05, bn_extra={
        "eps": 0.001, "running_mean": np.array([[0.1], [0.2], [0.3]]), "running_var": np.array([[1.5], [0.9], [1.1]])}),
        suite="hidden")

    # batchnorm_backward
    np.random.seed(5)
    Z = np.random.randn(3, 4)
    gamma = np.array([[1.5], [0.5], [-1.0]])
    beta = np.array([[0.2], [0.0], [1.0]])
    dout = np.random.randn(3, 4)
    _, cache = ref["batchnorm_forward"](Z, gamma, beta, {"mode": "train"})
    add("batchnorm_backward", "1_seed_example", {"dout": dout, "cache": cache},
        "the example above, 3 units, 4 examples", "上面的例子，3 个单元，4 个样本")
    add("batchnorm_backward", "2_larger_eps", _bn_backward_inputs(ref, 40, 4, 7, eps=0.1),
        "4 units, 7 examples, eps = 0.1", "4 个单元，7 个样本，eps = 0.1")
    add("batchnorm_backward", "3_hidden", _bn_backward_inputs(ref, 141, 6, 5), suite="hidden")
    add("batchnorm_backward", "4_hidden", _bn_backward_inputs(ref, 142, 2, 9, eps=0.01), suite="hidden")
    return out


# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
# The graded functions do not call each other, so each mistake costs one function.
DEMO_MISTAKES = {
    "ivy_softmax_rows": (
        {"softmax": [("np.max(Z, axis=0, keepdims=True)", "np.max(Z, axis=1, keepdims=True)"),
                     ("np.sum(exps, axis=0, keepdims=True)", "np.sum(exps, axis=1, keepdims=True)")]},
        ("softmax over the rows instead of the columns", "softmax 对行而不是对列计算"),
        {"softmax"},
    ),
    "jun_sample_variance": (
        {"batchnorm_forward": [("var = np.var(Z, axis=1, keepdims=True)", "var = np.var(Z, axis=1, keepdims=True, ddof=1)")]},
        ("the sample variance (m - 1) instead of the population one", "用了样本方差（除以 m - 1）而不是总体方差"),
        {"batchnorm_forward"},
    ),
    "kai_momentum_swapped": (
        {"batchnorm_forward": [("momentum * running_mean + (1 - momentum) * mu", "(1 - momentum) * running_mean + momentum * mu"),
                               ("momentum * running_var + (1 - momentum) * var", "(1 - momentum) * running_var + momentum * var")]},
        ("running averages with the momentum weights swapped", "滑动平均中 momentum 的权重写反了"),
        {"batchnorm_forward"},
    ),
    "lea_dgamma_not_summed": (
        {"batchnorm_backward": [("dgamma = np.sum(dout * Z_norm, axis=1, keepdims=True)", "dgamma = dout * Z_norm"),
                                ("- Z_norm * dgamma)", "- Z_norm * np.sum(dgamma, axis=1, keepdims=True))")]},
        ("dgamma without the sum over the examples", "dgamma 没有对样本求和"),
        {"batchnorm_backward"},
    ),
}
