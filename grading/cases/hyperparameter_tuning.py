"""Cases of "Setting up, normalizing and tuning a network".

Public case 1 of each function is the seeded example the notebook prints; the
other public cases teach something else: sizes that do not divide evenly and a
98 / 1 / 1 split (split_dataset), a base error above 0 and the case of both
problems (diagnose), a constant feature and a test set with statistics of its
own (normalize_inputs), other ranges and a generator of their own (the
samplers), a linear hyperparameter (random_search), a run that reaches
num_epochs (train_with_early_stopping). Hidden cases use other seeds and shapes.

random_search takes a function: its cases pass ``helpers.tuning_data.toy_dev_accuracy``,
which the case file stores by name (kind "callable" of helpers.case_store).
"""

import numpy as np

from grading.expected import Case
from helpers.tuning_data import gradient_step, initialize_logistic, logistic_cost, make_sparse_signal, toy_dev_accuracy

NOTEBOOK = "Hyperparameter_tuning.ipynb"
POSITION = (2, 5)  # (course, place in it): the order of the book and the README's table


# ----------------------------------------------------------------- input makers
def _split_inputs(seed, n_x, n_y, m, fractions, split_seed):
    rng = np.random.RandomState(seed)
    X = np.vstack([np.arange(m, dtype=np.float64), rng.randn(n_x - 1, m)]) if n_x > 1 else np.arange(m, dtype=np.float64)[None]
    Y = rng.randint(0, 3, (n_y, m))
    return {"X": X, "Y": Y, "fractions": tuple(fractions), "seed": split_seed}


def _normalize_inputs(seed, n_x, m_train, m_test, constant_rows=(), test_shift=0.0):
    rng = np.random.RandomState(seed)
    scales = 10.0 ** rng.uniform(-2, 3, (n_x, 1))
    offsets = rng.uniform(-5, 5, (n_x, 1)) * scales
    X_train = offsets + scales * rng.randn(n_x, m_train)
    X_test = offsets + scales * (test_shift + 3 * rng.randn(n_x, m_test))
    for row in constant_rows:  # exactly representable values: the mean is exact and sigma2 exactly 0
        X_train[row] = 2.5
        X_test[row] = 2.5 + np.arange(m_test)
    return {"X_train": X_train, "X_test": X_test}


def _early_inputs(split, seed=None, m=None, n_x=None, **options):
    """Training and dev sets: the notebook's split of the sparse signal, or another draw of it."""
    if seed is None:
        X, Y, _ = make_sparse_signal()
    else:
        X, Y, _ = make_sparse_signal(m=m, n_x=n_x, n_informative=3, seed=seed)
    X_train, Y_train, X_dev, Y_dev, _, _ = split(X, Y, (0.5, 0.25, 0.25), 2 if seed is None else seed)
    return dict({"X_train": X_train, "Y_train": Y_train, "X_dev": X_dev, "Y_dev": Y_dev}, **options)


def _noisy_early_inputs(seed, learning_rate, patience, num_epochs=40):
    """A few features with random labels and a large step: a dev cost that goes up and down."""
    rng = np.random.RandomState(seed)
    n_x, m = rng.randint(2, 6), rng.randint(10, 30)
    X_train, X_dev = 2 * rng.randn(n_x, m), 2 * rng.randn(n_x, m)
    Y_train, Y_dev = rng.randint(0, 2, (1, m)), rng.randint(0, 2, (1, m))
    return {"X_train": X_train, "Y_train": Y_train, "X_dev": X_dev, "Y_dev": Y_dev,
            "learning_rate": learning_rate, "num_epochs": num_epochs, "patience": patience}


# ----------------------------------------------------------------- wrong variants
def _cut(X, Y, order_X, order_Y, sizes):
    m_train, m_dev, m_test = sizes
    pieces = []
    for start, stop in ((0, m_train), (m_train, m_train + m_dev), (m_train + m_dev, m_train + m_dev + m_test)):
        pieces += [X[:, order_X[start:stop]], Y[:, order_Y[start:stop]]]
    return tuple(pieces)


def _sizes(fractions, m):
    m_train = int(round(fractions[0] * m))
    m_dev = min(int(round(fractions[1] * m)), m - m_train)
    return m_train, m_dev, m - m_train - m_dev


def _mistakes(ref):
    sample_log_uniform = ref["sample_log_uniform"]

    def split_apart(X, Y, fractions, seed=0):
        m = X.shape[1]
        np.random.seed(seed)
        order_X = np.random.permutation(m)
        return _cut(X, Y, order_X, np.random.permutation(m), _sizes(fractions, m))

    def split_unshuffled(X, Y, fractions, seed=0):
        m = X.shape[1]
        return _cut(X, Y, np.arange(m), np.arange(m), _sizes(fractions, m))

    def split_truncated(X, Y, fractions, seed=0):  # int() of every size: the remainder is lost
        m = X.shape[1]
        np.random.seed(seed)
        order = np.random.permutation(m)
        return _cut(X, Y, order, order, [int(f * m) for f in fractions])

    def split_three_permutations(X, Y, fractions, seed=0):  # each part drawn on its own: examples repeat
        m = X.shape[1]
        np.random.seed(seed)
        pieces = []
        for size in _sizes(fractions, m):
            order = np.random.permutation(m)[:size]
            pieces += [X[:, order], Y[:, order]]
        return tuple(pieces)

    def _diagnose(bias, variance, tolerance):
        if bias > tolerance and variance > tolerance:
            return "high bias and high variance"
        if bias > tolerance:
            return "high bias"
        return "high variance" if variance > tolerance else "good fit"

    def diagnose_variance_from_base(train_error, dev_error, base_error=0.0, tolerance=0.05):
        return _diagnose(train_error - base_error, dev_error - base_error, tolerance)

    def diagnose_ignores_base(train_error, dev_error, base_error=0.0, tolerance=0.05):
        return _diagnose(train_error, dev_error - train_error, tolerance)

    def _normalize(X_train, X_test, own_test=False, divide_by=np.sqrt, axis=1, ddof=0, guard=True):
        def stats(X):
            mu = np.mean(X, axis=axis, keepdims=True)
            return mu, np.var(X, axis=axis, keepdims=True, ddof=ddof)

        def apply(X, mu, sigma2, guarded=guard):
            with np.errstate(all="ignore"):
                scale = np.where(sigma2 > 0, divide_by(sigma2), 1.0) if guarded else divide_by(sigma2)
                return (X - mu) / scale

        mu, sigma2 = stats(X_train)
        test_stats = stats(X_test) if own_test or axis == 0 else (mu, sigma2)
        # Own test statistics come without the answer's guard (the demo cohort's mistake): a feature
        # constant in the test set becomes NaN.
        return apply(X_train, mu, sigma2), apply(X_test, *test_stats, guarded=guard and not own_test), mu, sigma2

    def _log_uniform(low, high, size, seed, upward=False, uniform=False):
        rng = np.random if seed is None else np.random.RandomState(seed)
        u = rng.rand(int(size))
        if uniform:
            return low + (high - low) * u
        a, b = np.log10(low), np.log10(high)
        return np.power(10, a + (b - a) * u if upward else b - (b - a) * u)

    def _trials(train_fn, space, n_trials, seed, order="best", reseed=False, uniform=False, beta_directly=False):
        np.random.seed(seed)
        trials = []
        for _ in range(n_trials):
            if reseed:
                np.random.seed(seed)
            trial = {}
            for name, (scale, low, high) in space.items():
                if scale == "log":
                    trial[name] = float(_log_uniform(low, high, 1, None, uniform=uniform)[0])
                elif scale == "beta" and beta_directly:  # beta itself on a log scale, not 1 - beta
                    trial[name] = float(_log_uniform(low, high, 1, None, uniform=uniform)[0])
                elif scale == "beta":
                    trial[name] = float(1 - _log_uniform(1 - high, 1 - low, 1, None, uniform=uniform)[0])
                else:
                    trial[name] = float(low + (high - low) * np.random.rand())
            trial["dev_accuracy"] = float(train_fn(**trial))
            trials.append(trial)
        if order == "trial":
            return trials
        return sorted(trials, key=lambda trial: trial["dev_accuracy"], reverse=(order == "best"))

    def _early(X_train, Y_train, X_dev, Y_dev, learning_rate=0.1, num_epochs=500, patience=10,
               last=False, no_patience=False, no_reset=False):
        parameters = initialize_logistic(X_train.shape[0])
        dev_costs = [logistic_cost(parameters, X_dev, Y_dev)]
        best_parameters, best_epoch, waited = parameters, 0, 0
        for epoch in range(1, num_epochs + 1):
            parameters = gradient_step(parameters, X_train, Y_train, learning_rate)
            dev_costs.append(logistic_cost(parameters, X_dev, Y_dev))
            if dev_costs[epoch] < dev_costs[best_epoch]:
                best_parameters, best_epoch = parameters, epoch
                if not no_reset:
                    waited = 0
            else:
                waited += 1
            if waited >= patience and not no_patience:
                break
        if last:
            return parameters, len(dev_costs) - 1, np.array(dev_costs)
        return best_parameters, best_epoch, np.array(dev_costs)

    return {
        "split_dataset": {"shuffled_apart": split_apart, "split_not_shuffled": split_unshuffled,
                          "split_lost_example": split_truncated, "split_duplicated_example": split_three_permutations},
        "diagnose": {"variance_from_base_error": diagnose_variance_from_base, "ignored_base_error": diagnose_ignores_base},
        "normalize_inputs": {
            "test_own_statistics": lambda X_train, X_test: _normalize(X_train, X_test, own_test=True),
            "divided_by_variance": lambda X_train, X_test: _normalize(X_train, X_test, divide_by=lambda v: v),
            "normalized_per_example": lambda X_train, X_test: _normalize(X_train, X_test, axis=0),
            "sample_variance_inputs": lambda X_train, X_test: _normalize(X_train, X_test, ddof=1),
            "constant_feature_nan": lambda X_train, X_test: _normalize(X_train, X_test, guard=False),
        },
        "sample_log_uniform": {
            "uniform_not_log": lambda low, high, size, seed=None: _log_uniform(low, high, size, seed, uniform=True),
            "log_uniform_from_low": lambda low, high, size, seed=None: _log_uniform(low, high, size, seed, upward=True),
        },
        "sample_beta": {
            "beta_sampled_directly": lambda low, high, size, seed=None: sample_log_uniform(low, high, size, seed),
            # uniform 1 - beta, as a uniform sample_log_uniform gives it (random_search's variant does the same)
            "uniform_not_log": lambda low, high, size, seed=None: 1 - _log_uniform(1 - high, 1 - low, size, seed,
                                                                                    uniform=True),
            "beta_one_minus_returned": lambda low, high, size, seed=None: sample_log_uniform(1 - high, 1 - low, size, seed),
        },
        "random_search": {
            "search_not_sorted": lambda **kw: _trials(**kw, order="trial"),
            "search_sorted_ascending": lambda **kw: _trials(**kw, order="worst"),
            "search_same_draw_each_trial": lambda **kw: _trials(**kw, reseed=True),
            "uniform_not_log": lambda **kw: _trials(**kw, uniform=True),
            "beta_sampled_directly": lambda **kw: _trials(**kw, beta_directly=True),
        },
        "train_with_early_stopping": {
            "early_stopping_last_epoch": lambda **kw: _early(**kw, last=True),
            "early_stopping_ignores_patience": lambda **kw: _early(**kw, no_patience=True),
            "early_stopping_patience_not_reset": lambda **kw: _early(**kw, no_reset=True),
        },
    }


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en="", label_zh="", suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function]))

    # split_dataset
    add("split_dataset", "1_seed_example",
        {"X": np.vstack([np.arange(10), 100 + np.arange(10)]), "Y": (np.arange(10) % 2).reshape(1, 10),
         "fractions": (0.6, 0.2, 0.2), "seed": 1},
        "the example above, 10 examples split 60 / 20 / 20", "上面的例子，10 个样本按 60 / 20 / 20 划分")
    add("split_dataset", "2_uneven", _split_inputs(1, 3, 1, 7, (0.6, 0.2, 0.2), 4),
        "7 examples: 4.2 and 1.4 are rounded, the test set takes the rest", "7 个样本：4.2 和 1.4 四舍五入，测试集取剩下的")
    add("split_dataset", "3_large", _split_inputs(2, 2, 2, 300, (0.98, 0.01, 0.01), 5),
        "300 examples split 98 / 1 / 1, labels of two rows", "300 个样本按 98 / 1 / 1 划分，标签有 2 行")
    add("split_dataset", "4_hidden", _split_inputs(11, 4, 1, 23, (0.7, 0.15, 0.15), 11), suite="hidden")
    add("split_dataset", "5_hidden", _split_inputs(12, 1, 3, 12, (0.75, 0.25, 0.0), 12), suite="hidden")
    add("split_dataset", "6_hidden", _split_inputs(13, 2, 1, 9, (0.5, 0.3, 0.2), 0), suite="hidden")

    # diagnose
    add("diagnose", "1_seed_example", {"train_error": 0.01, "dev_error": 0.11},
        "the seed's first example: 1 % / 11 %", "种子文档的第 1 个例子：1 % / 11 %")
    add("diagnose", "2_seed_high_bias", {"train_error": 0.15, "dev_error": 0.16},
        "the seed's second example: 15 % / 16 %", "种子文档的第 2 个例子：15 % / 16 %")
    add("diagnose", "3_base_error", {"train_error": 0.15, "dev_error": 0.16, "base_error": 0.14},
        "the same errors with a base error of 14 %", "同样的误差，基准误差为 14 %")
    add("diagnose", "4_both", {"train_error": 0.15, "dev_error": 0.30},
        "15 % / 30 %: both problems", "15 % / 30 %：两种问题都有")
    add("diagnose", "5_hidden", {"train_error": 0.005, "dev_error": 0.01}, suite="hidden")
    add("diagnose", "6_hidden", {"train_error": 0.22, "dev_error": 0.24, "base_error": 0.2}, suite="hidden")
    add("diagnose", "7_hidden", {"train_error": 0.12, "dev_error": 0.3, "base_error": 0.1}, suite="hidden")
    add("diagnose", "8_hidden", {"train_error": 0.3, "dev_error": 0.34, "base_error": 0.02, "tolerance": 0.1}, suite="hidden")
    add("diagnose", "9_hidden", {"train_error": 0.08, "dev_error": 0.16, "tolerance": 0.1}, suite="hidden")

    # normalize_inputs
    np.random.seed(4)
    X_train = np.vstack([np.random.uniform(500, 3000, 5), np.random.uniform(0, 0.4, 5), np.full(5, 2.0)])
    add("normalize_inputs", "1_seed_example",
        {"X_train": X_train, "X_test": np.vstack([[1000.0, 2500.0], [0.05, 0.35], [2.0, 2.0]])},
        "the example above, a constant third feature", "上面的例子，第 3 个特征是常数")
    add("normalize_inputs", "2_shifted_test", _normalize_inputs(21, 4, 8, 6, constant_rows=(2,), test_shift=2.0),
        "a test set with a mean and a spread of its own, one constant feature",
        "测试集有自己的均值和离散程度，其中一个特征是常数")
    add("normalize_inputs", "3_hidden", _normalize_inputs(121, 3, 10, 4, test_shift=-1.0), suite="hidden")
    add("normalize_inputs", "4_hidden", _normalize_inputs(122, 5, 6, 7, constant_rows=(0, 3), test_shift=0.5), suite="hidden")
    add("normalize_inputs", "5_hidden", _normalize_inputs(123, 2, 3, 2, test_shift=4.0), suite="hidden")

    # sample_log_uniform: the seed's recipe reads the global generator, after np.random.seed
    add("sample_log_uniform", "1_seed_example", {"low": 1e-4, "high": 1.0, "size": 5, "seed": 1},
        "the range [1e-4, 1] of the example, seed 1", "例子中的范围 [1e-4, 1]，种子为 1")
    add("sample_log_uniform", "2_other_range", {"low": 0.5, "high": 200.0, "size": 8, "seed": 3},
        "values between 0.5 and 200", "0.5 到 200 之间的值")
    add("sample_log_uniform", "3_hidden", {"low": 1e-6, "high": 1e-2, "size": 6, "seed": 31}, suite="hidden")
    add("sample_log_uniform", "4_hidden", {"low": 2.0, "high": 3.0, "size": 4, "seed": 32}, suite="hidden")
    add("sample_log_uniform", "5_hidden", {"low": 1e-3, "high": 10.0, "size": 1, "seed": 33}, suite="hidden")

    # sample_beta
    add("sample_beta", "1_seed_example", {"low": 0.9, "high": 0.999, "size": 5, "seed": 2},
        "beta between 0.9 and 0.999, seed 2", "beta 在 0.9 到 0.999 之间，种子为 2")
    add("sample_beta", "2_close_to_one", {"low": 0.99, "high": 0.99999, "size": 6, "seed": 4},
        "beta between 0.99 and 0.99999", "beta 在 0.99 到 0.99999 之间")
    add("sample_beta", "3_hidden", {"low": 0.5, "high": 0.95, "size": 7, "seed": 41}, suite="hidden")
    add("sample_beta", "4_hidden", {"low": 0.8, "high": 0.9999, "size": 3, "seed": 42}, suite="hidden")

    # random_search
    space = {"learning_rate": ("log", 1e-4, 1.0), "beta": ("beta", 0.9, 0.999)}
    add("random_search", "1_seed_example", {"train_fn": toy_dev_accuracy, "space": space, "n_trials": 5, "seed": 1},
        "the search above: 5 trials, learning rate and beta", "上面的搜索：5 次试验，学习率和 beta")
    add("random_search", "2_beta_first_linear_rate",
        {"train_fn": toy_dev_accuracy, "n_trials": 8, "seed": 3,
         "space": {"beta": ("beta", 0.8, 0.999), "learning_rate": ("linear", 0.001, 0.01)}},
        "8 trials, beta drawn before a learning rate on a linear scale", "8 次试验，先抽 beta，再在线性尺度上抽学习率")
    add("random_search", "3_hidden", {"train_fn": toy_dev_accuracy, "n_trials": 6, "seed": 51,
                                      "space": {"learning_rate": ("log", 1e-5, 10.0)}}, suite="hidden")
    add("random_search", "4_hidden", {"train_fn": toy_dev_accuracy, "n_trials": 10, "seed": 52,
                                      "space": {"learning_rate": ("log", 1e-4, 1e-1), "beta": ("beta", 0.9, 0.9999)}},
        suite="hidden")
    add("random_search", "5_hidden", {"train_fn": toy_dev_accuracy, "n_trials": 4, "seed": 53,
                                      "space": {"learning_rate": ("linear", 0.001, 0.01), "beta": ("linear", 0.9, 0.95)}},
        suite="hidden")

    # train_with_early_stopping
    split = ref["split_dataset"]
    add("train_with_early_stopping", "1_seed_example",
        _early_inputs(split, learning_rate=0.1, num_epochs=500, patience=20),
        "the example above, patience 20", "上面的例子，patience 为 20")
    add("train_with_early_stopping", "2_runs_to_the_end",
        _early_inputs(split, seed=62, m=60, n_x=15, learning_rate=3.0, num_epochs=60, patience=1000),
        "a patience larger than num_epochs: the run reaches its end, the best epoch is earlier",
        "patience 大于 num_epochs：一直训练到最后，最好的一轮在更早的时候")
    add("train_with_early_stopping", "3_ups_and_downs", _noisy_early_inputs(128, 2.0, 3),
        "a dev cost that goes up and down, patience 3: the count restarts after each improvement",
        "开发集代价忽升忽降，patience 为 3：每次有改进之后重新计数")
    add("train_with_early_stopping", "4_hidden",
        _early_inputs(split, seed=61, m=48, n_x=30, learning_rate=0.2, num_epochs=300, patience=5), suite="hidden")
    add("train_with_early_stopping", "5_hidden",
        _early_inputs(split, seed=62, m=36, n_x=25, learning_rate=0.5, num_epochs=80, patience=200), suite="hidden")
    add("train_with_early_stopping", "6_hidden", _noisy_early_inputs(100, 5.0, 3), suite="hidden")
    add("train_with_early_stopping", "7_hidden",
        _early_inputs(split, seed=63, m=60, n_x=15, learning_rate=0.05, num_epochs=400, patience=15), suite="hidden")
    return out


# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
# random_search and sample_beta call the samplers, so a mistake in sample_log_uniform costs all three.
DEMO_MISTAKES = {
    "mei_test_own_statistics": (
        {"normalize_inputs": [("X_test_norm = (X_test - mu) / sigma",
                               "X_test_norm = (X_test - np.mean(X_test, axis=1, keepdims=True)) / np.sqrt(np.var(X_test, axis=1, keepdims=True))")]},
        ("the test set normalized with its own mean and variance", "测试集用它自己的均值和方差做了归一化"),
        {"normalize_inputs"},
    ),
    "nils_shuffled_apart": (
        {"split_dataset": [("X[:, permutation], Y[:, permutation]", "X[:, permutation], Y[:, np.random.permutation(m)]")]},
        ("X and Y shuffled with two different permutations", "X 和 Y 用 2 个不同的排列打乱"),
        {"split_dataset"},
    ),
    "omar_last_epoch": (
        {"train_with_early_stopping": [("return best_parameters, best_epoch, np.array(dev_costs)",
                                        "return parameters, len(dev_costs) - 1, np.array(dev_costs)")]},
        ("early stopping that returns the last epoch instead of the best", "早停返回了最后一轮而不是最好的一轮"),
        {"train_with_early_stopping"},
    ),
    "pia_uniform_sampling": (
        {"sample_log_uniform": [("r = b - (b - a) * rng.rand(int(size))\n    values = np.power(10, r)",
                                "values = low + (high - low) * rng.rand(int(size))")]},
        ("uniform instead of log-uniform sampling (sample_beta and random_search use it too)",
         "用均匀抽样代替了对数尺度上的抽样（sample_beta 和 random_search 也调用了它）"),
        {"sample_log_uniform", "sample_beta", "random_search"},
    ),
    "quinn_beta_directly": (
        {"sample_beta": [("one_minus_beta = sample_log_uniform(1 - high, 1 - low, size, seed)\n    beta = 1 - one_minus_beta",
                          "beta = sample_log_uniform(low, high, size, seed)")]},
        ("beta sampled directly instead of 1 - beta", "直接对 beta 抽样，而不是对 1 - beta"),
        {"sample_beta", "random_search"},
    ),
}
