"""The hyperparameter-tuning assignment beyond the generic tests: the reference
functions against properties and oracles written independently (a split is a
partition that keeps labels with their examples, normalization uses the training
statistics, the log-uniform draw is the seed's r = -4 * np.random.rand(), beta is
sampled on 1 - beta, early stopping returns the best epoch and not the last),
the data helpers and models, the stored training function, and the hints'
fingerprints."""

import re

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.cases import hyperparameter_tuning as recipe
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import call_case, read_cases
from helpers.checker import HINTS, PUBLIC_FILE, check_function, first_difference
from helpers.errors import CourseError
from helpers.tuning_data import (accuracy, gradient_step, initialize_logistic, logistic_cost, logistic_forward,
                                 make_houses, make_sparse_signal, predict_network, sigmoid, toy_dev_accuracy,
                                 train_logistic, train_network)

ASSIGNMENT = "hyperparameter_tuning"
NOTEBOOK = source_notebook(ASSIGNMENT)
PUBLIC = NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE
HIDDEN = HIDDEN_DIR / f"{ASSIGNMENT}.h5"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(NOTEBOOK)


# ----------------------------------------------------------------- split_dataset
@pytest.mark.parametrize("m, fractions, seed", [(10, (0.6, 0.2, 0.2), 1), (7, (0.6, 0.2, 0.2), 4),
                                                (300, (0.98, 0.01, 0.01), 5), (12, (0.75, 0.25, 0.0), 0),
                                                (3, (0.5, 0.5, 0.0), 2), (1, (0.0, 0.0, 1.0), 3)])
def test_split_is_a_partition_that_keeps_labels_with_their_examples(ref, m, fractions, seed):
    X = np.vstack([np.arange(m), -np.arange(m)]).astype(float)
    Y = np.vstack([np.arange(m) * 10, np.arange(m) % 3])
    parts = ref["split_dataset"](X, Y, fractions, seed)
    columns = np.concatenate([part[0] for part in parts[::2]]).astype(int)
    assert sorted(columns) == list(range(m))  # every example exactly once
    for X_part, Y_part in zip(parts[::2], parts[1::2], strict=True):
        assert X_part.shape[0] == 2 and Y_part.shape == (2, X_part.shape[1])
        assert np.array_equal(Y_part[0], X_part[0] * 10) and np.array_equal(Y_part[1], X_part[0] % 3)
        assert np.array_equal(X_part[1], -X_part[0])
    m_train = int(round(fractions[0] * m))
    assert parts[0].shape[1] == m_train
    assert parts[2].shape[1] == min(int(round(fractions[1] * m)), m - m_train)
    # the order is the one of np.random.permutation after np.random.seed(seed)
    np.random.seed(seed)
    assert np.array_equal(columns, np.random.permutation(m))


def test_split_refuses_bad_fractions_in_both_languages(ref):
    X, Y = np.zeros((1, 5)), np.zeros((1, 5))
    for fractions in [(0.5, 0.2, 0.2), (1.2, -0.1, -0.1), (0.5, 0.5), (0.7, 0.4, -0.1)]:
        with pytest.raises(CourseError) as error:
            ref["split_dataset"](X, Y, fractions, 0)
        assert "sum to 1" in error.value.en and HAN.search(error.value.zh)
    with pytest.raises(CourseError):
        ref["split_dataset"](np.zeros((1, 5)), np.zeros((1, 4)), (0.6, 0.2, 0.2), 0)


# ----------------------------------------------------------------- diagnose
@pytest.mark.parametrize("train, dev, base, tolerance, verdict", [
    (0.01, 0.11, 0.0, 0.05, "high variance"), (0.15, 0.16, 0.0, 0.05, "high bias"),
    (0.15, 0.30, 0.0, 0.05, "high bias and high variance"), (0.005, 0.01, 0.0, 0.05, "good fit"),
    (0.15, 0.16, 0.14, 0.05, "good fit"), (0.15, 0.30, 0.14, 0.05, "high variance"),
    (0.08, 0.16, 0.0, 0.1, "good fit"), (0.3, 0.34, 0.02, 0.1, "high bias")])
def test_diagnose_follows_the_stated_rule(ref, train, dev, base, tolerance, verdict):
    assert ref["diagnose"](train, dev, base, tolerance) == verdict


def test_diagnose_refuses_percentages(ref):
    with pytest.raises(CourseError):
        ref["diagnose"](1.0, 11.0)


# ----------------------------------------------------------------- normalize_inputs
def test_normalization_uses_the_training_statistics(ref):
    rng = np.random.RandomState(0)
    X_train = np.array([[1000.0], [0.1]]) + np.array([[300.0], [0.05]]) * rng.randn(2, 50)
    X_test = 5 + 7 * rng.randn(2, 9)  # statistics of its own, quite unlike the training set's
    X_train_norm, X_test_norm, mu, sigma2 = ref["normalize_inputs"](X_train, X_test)
    assert mu.shape == sigma2.shape == (2, 1)
    np.testing.assert_allclose(mu[:, 0], [np.mean(row) for row in X_train])
    np.testing.assert_allclose(sigma2[:, 0], [np.mean((row - np.mean(row)) ** 2) for row in X_train])
    np.testing.assert_allclose(X_train_norm.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(X_train_norm.var(axis=1), 1)
    np.testing.assert_allclose(X_test_norm, (X_test - mu) / np.sqrt(sigma2))
    assert not np.allclose(X_test_norm.mean(axis=1), 0)  # the test set is not centred on its own


def test_a_constant_feature_becomes_zero_without_a_warning(ref, recwarn):
    X_train = np.array([[1.0, 2.0, 3.0, 4.0], [2.5, 2.5, 2.5, 2.5]])
    X_train_norm, X_test_norm, _, sigma2 = ref["normalize_inputs"](X_train, np.array([[0.0], [3.5]]))
    assert sigma2[1, 0] == 0 and np.all(X_train_norm[1] == 0) and X_test_norm[1, 0] == 1.0
    assert np.all(np.isfinite(X_test_norm)) and len(recwarn) == 0


# ----------------------------------------------------------------- samplers
@pytest.mark.parametrize("seed", [0, 1, 7, 42])
def test_log_uniform_on_1e_4_to_1_is_the_seeds_recipe(ref, seed):
    np.random.seed(seed)
    mine = ref["sample_log_uniform"](1e-4, 1.0, 6)
    np.random.seed(seed)
    seeds = [np.power(10, -4 * np.random.rand()) for _ in range(6)]
    assert np.array_equal(mine, seeds)  # the same numbers, not only close ones
    np.random.seed(seed)
    r = -4 * np.random.rand(6)
    assert np.array_equal(np.log10(mine), np.log10(np.power(10, r)))


def test_log_uniform_range_and_spread(ref):
    values = ref["sample_log_uniform"](1e-3, 10.0, 20000, seed=3)
    assert values.shape == (20000,) and values.min() >= 1e-3 and values.max() <= 10.0
    shares = np.histogram(np.log10(values), bins=[-3, -2, -1, 0, 1])[0] / values.size
    np.testing.assert_allclose(shares, 0.25, atol=0.015)  # each decade gets a quarter
    assert np.array_equal(values, ref["sample_log_uniform"](1e-3, 10.0, 20000, seed=3))
    state = np.random.get_state()[1].copy()
    ref["sample_log_uniform"](1e-3, 10.0, 5, seed=3)
    assert np.array_equal(np.random.get_state()[1], state)  # an own seed leaves the global generator alone
    for low, high in [(0.0, 1.0), (1.0, 0.5), (-1.0, 1.0)]:
        with pytest.raises(CourseError):
            ref["sample_log_uniform"](low, high, 3)


def test_beta_is_one_minus_a_log_uniform_draw(ref):
    beta = ref["sample_beta"](0.9, 0.999, 20000, seed=5)
    assert beta.shape == (20000,) and beta.min() >= 0.9 and beta.max() <= 0.999
    np.testing.assert_allclose(1 - beta, ref["sample_log_uniform"](0.001, 0.1, 20000, seed=5), rtol=1e-9)
    # half of 1 - beta lies in [1e-3, 1e-2]: beta above 0.99 for half of the draws, not for 1 in 11
    assert abs(np.mean(beta > 0.99) - 0.5) < 0.02
    for low, high in [(0.9, 1.0), (0.99, 0.9), (0.0, 0.5)]:
        with pytest.raises(CourseError):
            ref["sample_beta"](low, high, 3)


# ----------------------------------------------------------------- random_search
def test_random_search_draws_in_the_order_of_the_space_and_sorts_best_first(ref):
    calls = []

    def train_fn(**hyperparameters):
        calls.append(hyperparameters)
        return toy_dev_accuracy(**hyperparameters)

    space = {"learning_rate": ("log", 1e-4, 1.0), "beta": ("beta", 0.9, 0.999)}
    trials = ref["random_search"](train_fn, space, 6, seed=9)
    np.random.seed(9)
    expected = []
    for _ in range(6):  # the oracle: one uniform number per hyperparameter, in the order of space
        rate = 10 ** (-4 * np.random.rand())
        beta = 1 - 10 ** (-1 - 2 * np.random.rand())
        expected.append({"learning_rate": rate, "beta": beta, "dev_accuracy": toy_dev_accuracy(rate, beta)})
    assert [sorted(call) for call in calls] == [["beta", "learning_rate"]] * 6
    assert first_difference(calls, [{k: t[k] for k in space} for t in expected]) is None
    expected.sort(key=lambda trial: -trial["dev_accuracy"])
    assert first_difference(trials, expected) is None
    assert all(isinstance(value, float) for trial in trials for value in trial.values())


def test_random_search_keeps_equal_accuracies_in_trial_order(ref):
    trials = ref["random_search"](lambda learning_rate: 0.5, {"learning_rate": ("linear", 0.0, 1.0)}, 5, seed=2)
    np.random.seed(2)
    assert [trial["learning_rate"] for trial in trials] == list(np.random.rand(5))
    with pytest.raises(CourseError):
        ref["random_search"](toy_dev_accuracy, {"learning_rate": ("exp", 0.1, 1.0)}, 3)


def test_random_search_cases_store_the_training_function_by_name():
    for path in (PUBLIC, HIDDEN):
        for case in read_cases(path, "random_search"):
            assert case["inputs"]["train_fn"] is toy_dev_accuracy


# ----------------------------------------------------------------- early stopping
def _oracle_dev_costs(X_train, Y_train, X_dev, Y_dev, learning_rate, epochs):
    parameters, costs = initialize_logistic(X_train.shape[0]), []
    for _ in range(epochs + 1):
        costs.append(logistic_cost(parameters, X_dev, Y_dev))
        parameters = gradient_step(parameters, X_train, Y_train, learning_rate)
    return np.array(costs)


@pytest.mark.parametrize("patience", [1, 5, 20, 1000])
def test_early_stopping_returns_the_best_epoch_not_the_last(ref, patience):
    X, Y, _ = make_sparse_signal()
    X_train, Y_train, X_dev, Y_dev = X[:, :60], Y[:, :60], X[:, 60:90], Y[:, 60:90]
    best_parameters, best_epoch, dev_costs = ref["train_with_early_stopping"](
        X_train, Y_train, X_dev, Y_dev, learning_rate=0.1, num_epochs=200, patience=patience)
    full = _oracle_dev_costs(X_train, Y_train, X_dev, Y_dev, 0.1, 200)
    run = len(dev_costs) - 1
    np.testing.assert_allclose(dev_costs, full[:run + 1])
    assert best_epoch == int(np.argmin(full[:run + 1])) and best_epoch < run
    # the stop: patience epochs after the best one, or the end of the run
    assert run == min(best_epoch + patience, 200)
    assert np.isclose(logistic_cost(best_parameters, X_dev, Y_dev), full[best_epoch])


def test_early_stopping_refuses_a_patience_of_zero(ref):
    with pytest.raises(CourseError):
        ref["train_with_early_stopping"](np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((2, 3)), np.zeros((1, 3)), patience=0)


# ----------------------------------------------------------------- data and models
def test_houses_are_seeded_and_on_very_different_scales():
    X, Y = make_houses()
    assert X.shape == (2, 600) and Y.shape == (1, 600) and Y.dtype == np.int64
    assert 500 <= X[0].min() and X[0].max() <= 3000 and 0 <= X[1].min() and X[1].max() <= 0.4
    assert X[0].std() / X[1].std() > 1000
    assert 0.3 < Y.mean() < 0.7
    assert np.array_equal(make_houses()[0], X) and not np.array_equal(make_houses(seed=1)[0], X)
    with pytest.raises(CourseError):
        make_houses(m=1)


def test_raw_houses_train_slowly_and_normalized_ones_fast():
    X, Y = make_houses()
    X_norm = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    raw, _ = train_logistic(X, Y, 1e-6, 300)
    normalized, _ = train_logistic(X_norm, Y, 1.0, 300)
    assert accuracy(logistic_forward(X, raw) > 0.5, Y) < 0.6
    assert accuracy(logistic_forward(X_norm, normalized) > 0.5, Y) > 0.8


def test_sparse_signal_and_l1_sparsity():
    X, Y, w_true = make_sparse_signal()
    assert X.shape == (40, 120) and Y.shape == (1, 120) and np.count_nonzero(w_true) == 4
    assert np.all(w_true[0, 4:] == 0)
    l1, _ = train_logistic(X[:, :60], Y[:, :60], 0.5, 1000, 5.0, "l1")
    l2, _ = train_logistic(X[:, :60], Y[:, :60], 0.5, 1000, 5.0, "l2")
    assert np.sum(l1["W"] == 0) > 20 and np.sum(l2["W"] == 0) == 0
    with pytest.raises(CourseError):
        make_sparse_signal(n_informative=0)


def test_gradient_step_matches_numerical_differences():
    rng = np.random.RandomState(3)
    X, Y = rng.randn(3, 8), rng.randint(0, 2, (1, 8))
    parameters = {"W": rng.randn(1, 3), "b": rng.randn(1, 1)}
    lambd, eps = 0.7, 1e-6

    def cost(W, b):  # the L2-penalized cost written out
        A = 1 / (1 + np.exp(-(W @ X + b)))
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)) + lambd / (2 * 8) * np.sum(W ** 2))

    step = gradient_step(parameters, X, Y, 1.0, lambd)
    dW = parameters["W"] - step["W"]
    for j in range(3):
        plus, minus = parameters["W"].copy(), parameters["W"].copy()
        plus[0, j] += eps
        minus[0, j] -= eps
        assert np.isclose(dW[0, j], (cost(plus, parameters["b"]) - cost(minus, parameters["b"])) / (2 * eps), atol=1e-7)
    assert np.isclose(logistic_cost(parameters, X, Y), cost(parameters["W"], parameters["b"])
                      - lambd / 16 * np.sum(parameters["W"] ** 2))
    assert np.allclose(sigmoid(np.array([-800.0, 0.0, 800.0])), [0.0, 0.5, 1.0])


def test_network_and_toy_accuracy():
    X, Y = make_houses()
    X_norm = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    parameters = train_network(X_norm, Y, 1.0, 0.9, num_iterations=200)
    assert accuracy(predict_network(X_norm, parameters), Y) > 0.88
    exploded = train_network(X_norm, Y, 1e6, 0.0, num_iterations=20)  # a result, not a crash
    assert predict_network(X_norm, exploded).shape == (1, 600)
    rates = np.logspace(-4, 0, 81)
    scores = [toy_dev_accuracy(rate) for rate in rates]
    assert 1e-3 < rates[int(np.argmax(scores))] < 1e-2 and min(scores) >= 0.5 and max(scores) < 1
    assert toy_dev_accuracy(3e-3, 0.99) == toy_dev_accuracy(3e-3, 0.99)
    with pytest.raises(CourseError):
        toy_dev_accuracy(0.0)


# ----------------------------------------------------------------- hints
def test_mistake_hints_are_bilingual_and_each_variant_differs_somewhere(ref):
    variants = recipe._mistakes(ref)
    cases = recipe.cases(ref)
    for function, found in variants.items():
        for name, variant in found.items():
            en, zh = HINTS[name]
            assert en.isascii() and HAN.search(zh), name
            with np.errstate(all="ignore"):
                assert any(first_difference(call_case(variant, function, c.inputs)[0],
                                            call_case(ref[function], function, c.inputs)[0])
                           for c in cases if c.function == function), (function, name)


FINGERPRINTS = [(function, hint) for function, hints in [
    ("split_dataset", ["shuffled_apart", "split_not_shuffled", "split_lost_example", "split_duplicated_example"]),
    ("diagnose", ["variance_from_base_error", "ignored_base_error"]),
    ("normalize_inputs", ["test_own_statistics", "divided_by_variance", "normalized_per_example",
                          "sample_variance_inputs", "constant_feature_nan"]),
    ("sample_log_uniform", ["uniform_not_log", "log_uniform_from_low"]),
    ("sample_beta", ["beta_sampled_directly", "uniform_not_log", "beta_one_minus_returned"]),
    ("random_search", ["search_not_sorted", "search_sorted_ascending", "search_same_draw_each_trial", "uniform_not_log"]),
    ("train_with_early_stopping", ["early_stopping_last_epoch", "early_stopping_ignores_patience",
                                   "early_stopping_patience_not_reset"])] for hint in hints]


@pytest.mark.parametrize("function, hint", FINGERPRINTS, ids=[f"{f}-{h}" for f, h in FINGERPRINTS])
def test_checker_names_each_mistake_by_its_fingerprint(ref, function, hint):
    variant = recipe._mistakes(ref)[function][hint]
    recognised = False
    for path in (PUBLIC, HIDDEN):
        with np.errstate(all="ignore"):
            report = check_function(lambda **kw: variant(**kw), function, path=path, verbose=False)
        assert not report.passed, path
        recognised = recognised or ("Hint: " + HINTS[hint][0]) in [en for en, _ in report.lines]
    assert recognised, (function, hint)


@pytest.mark.parametrize("function", sorted({function for function, _ in FINGERPRINTS}))
def test_the_right_answer_gets_no_hint(ref, function):
    for path in (PUBLIC, HIDDEN):
        report = check_function(ref[function], function, path=path, verbose=False)
        assert report.passed and not any(en.startswith("Hint: ") for en, _ in report.lines)


def test_the_new_hints_sit_in_one_block_at_the_end():
    new = sorted({hint for _, hint in FINGERPRINTS} - {"shuffled_apart"})  # shuffled_apart is optimization's
    assert sorted(list(HINTS)[-len(new):]) == new


def test_stored_case_files_stay_small():
    for path in (PUBLIC, HIDDEN):
        assert path.stat().st_size < 700_000, path
