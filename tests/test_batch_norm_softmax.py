"""The batch-normalization and softmax assignment beyond the generic tests:
numerical gradients of batchnorm_backward and of the softmax cost against an
oracle, the in-place update of bn_param through the checker, the data helpers,
helpers.minibatch_adam against the optimization assignment's stored cases, the
hints' fingerprints, and the demo cohort's mistakes."""

import copy
import re

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.cases import batch_norm_softmax as recipe
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import UPDATED_INPUTS, call_case, read_cases
from helpers.checker import HINTS, PUBLIC_FILE, check_function, first_difference
from helpers.digits_data import class_indices, load_digits_split, make_spiral, one_hot
from helpers.errors import CourseError
from helpers.minibatch_adam import random_mini_batches, update_parameters_with_adam

ASSIGNMENT = "batch_norm_softmax"
NOTEBOOK = source_notebook(ASSIGNMENT)
PUBLIC = NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE
HIDDEN = HIDDEN_DIR / f"{ASSIGNMENT}.h5"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(NOTEBOOK)


def numerical(f, x, eps=1e-6):
    """Two-sided differences of the scalar f at every entry of x (an oracle written independently)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad


# ----------------------------------------------------------------- gradients against an oracle
@pytest.mark.parametrize("seed, C, m", [(0, 3, 5), (1, 10, 4), (2, 2, 1)])
def test_softmax_cost_gradient_matches_numerical_differences(ref, seed, C, m):
    rng = np.random.RandomState(seed)
    Z = 2 * rng.randn(C, m)
    Y = one_hot(rng.randint(0, C, (1, m)), C)

    def oracle_cost(Z):  # log-sum-exp written out, not the reference softmax
        shifted = Z - Z.max(axis=0)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=0))
        return -np.sum(Y * log_probs) / m

    AL, cache = ref["softmax"](Z)
    assert np.allclose(AL.sum(axis=0), 1) and cache is not None
    assert np.isclose(ref["compute_cost_softmax"](AL, Y), oracle_cost(Z), rtol=1e-10)
    assert np.allclose(ref["softmax_backward"](AL, Y) / m, numerical(oracle_cost, Z), atol=1e-8)


def test_softmax_of_huge_entries_is_finite(ref):
    A, _ = ref["softmax"](np.array([[1000.0, -1000.0], [0.0, 0.0], [-1000.0, 1000.0]]))
    assert np.all(np.isfinite(A)) and np.allclose(A, [[1, 0], [0, 0], [0, 1]])


@pytest.mark.parametrize("seed, n, m, eps", [(0, 3, 4, 1e-5), (1, 5, 7, 0.1), (2, 1, 2, 1e-3)])
def test_batchnorm_backward_matches_numerical_differences(ref, seed, n, m, eps):
    rng = np.random.RandomState(seed)
    Z, gamma, beta, dout = rng.randn(n, m), 1 + rng.randn(n, 1), rng.randn(n, 1), rng.randn(n, m)

    def oracle(Z, gamma, beta):  # batch normalization written out with np.mean / np.var
        mu = Z.mean(axis=1, keepdims=True)
        var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
        return np.sum(dout * (gamma * (Z - mu) / np.sqrt(var + eps) + beta))

    out, cache = ref["batchnorm_forward"](Z, gamma, beta, {"mode": "train", "eps": eps})
    assert np.isclose(np.sum(dout * out), oracle(Z, gamma, beta))
    dZ, dgamma, dbeta = ref["batchnorm_backward"](dout, cache)
    assert dgamma.shape == dbeta.shape == (n, 1)
    assert np.allclose(dZ, numerical(lambda x: oracle(x, gamma, beta), Z), atol=1e-6)
    assert np.allclose(dgamma, numerical(lambda x: oracle(Z, x, beta), gamma), atol=1e-6)
    assert np.allclose(dbeta, numerical(lambda x: oracle(Z, gamma, x), beta), atol=1e-6)


def test_batchnorm_running_averages_and_test_mode(ref):
    rng = np.random.RandomState(5)
    Z, gamma, beta = rng.randn(3, 6), np.ones((3, 1)), np.zeros((3, 1))
    bn_param = {"mode": "train", "momentum": 0.7}
    ref["batchnorm_forward"](Z, gamma, beta, bn_param)
    assert np.allclose(bn_param["running_mean"], 0.3 * Z.mean(axis=1, keepdims=True))
    assert np.allclose(bn_param["running_var"], 0.7 + 0.3 * Z.var(axis=1, keepdims=True))
    before = copy.deepcopy(bn_param)
    bn_param["mode"] = "test"
    out, _ = ref["batchnorm_forward"](Z, gamma, beta, bn_param)
    assert np.allclose(out, (Z - before["running_mean"]) / np.sqrt(before["running_var"] + 1e-5))
    assert np.array_equal(bn_param["running_mean"], before["running_mean"])
    with pytest.raises(CourseError):
        ref["batchnorm_forward"](Z, gamma, beta, {"mode": "eval"})


# ----------------------------------------------------------------- bn_param updated in place
def test_stored_batchnorm_forward_cases_hold_the_updated_bn_param():
    assert UPDATED_INPUTS["batchnorm_forward"] == ("bn_param",)
    for path in (PUBLIC, HIDDEN):
        for case in read_cases(path, "batchnorm_forward"):
            returned, updated = case["expected"]
            assert set(updated) == {"bn_param"}
            assert updated["bn_param"]["running_mean"].shape == (case["inputs"]["Z"].shape[0], 1)


def test_checker_compares_bn_param_after_the_call(ref):
    reference = ref["batchnorm_forward"]

    def forgets_to_update(Z, gamma, beta, bn_param):
        out, cache = reference(Z, gamma, beta, dict(bn_param))  # updates a copy only
        return out, cache

    def also_changes_beta(Z, gamma, beta, bn_param):
        result = reference(Z, gamma, beta, bn_param)
        beta += 1  # beta is not in the cache: only the input changes
        return result

    assert check_function(reference, "batchnorm_forward", path=PUBLIC, verbose=False).passed
    report = check_function(forgets_to_update, "batchnorm_forward", path=PUBLIC, verbose=False)
    assert not report.passed and "the inputs after the call['bn_param']" in report.text()
    report = check_function(also_changes_beta, "batchnorm_forward", path=PUBLIC, verbose=False)
    assert not report.passed and HINTS["mutated_input"][0] in report.text()


def test_call_case_leaves_the_callers_inputs_alone(ref):
    inputs = {"Z": np.ones((2, 3)), "gamma": np.ones((2, 1)), "beta": np.zeros((2, 1)), "bn_param": {"mode": "train"}}
    (returned, updated), given = call_case(ref["batchnorm_forward"], "batchnorm_forward", inputs)
    assert inputs["bn_param"] == {"mode": "train"} and "running_mean" in updated["bn_param"]
    plain, _ = call_case(ref["softmax"], "softmax", {"Z": np.zeros((2, 2))})
    assert isinstance(plain, tuple) and np.allclose(plain[0], 0.5)


# ----------------------------------------------------------------- data helpers
def test_digits_split_is_fixed_and_disjoint():
    train_X, train_y, test_X, test_y = load_digits_split()
    assert train_X.shape == (64, 1438) and test_X.shape == (64, 359)
    assert train_y.shape == (1, 1438) and test_y.shape == (1, 359)
    assert 0 <= train_X.min() and train_X.max() <= 1 and set(np.unique(train_y)) == set(range(10))
    again = load_digits_split()
    assert np.array_equal(again[0], train_X) and np.array_equal(again[3], test_y)
    other = load_digits_split(seed=2)
    assert not np.array_equal(other[0], train_X)
    # no test image is also a training image at the same position of the shuffled data
    assert train_X.shape[1] + test_X.shape[1] == 1797
    with pytest.raises(CourseError):
        load_digits_split(test_fraction=1.5)


def test_one_hot_and_back():
    y = np.array([[2, 0, 1, 2]])
    Y = one_hot(y, 3)
    assert Y.shape == (3, 4) and np.array_equal(Y.sum(axis=0), np.ones(4))
    assert np.array_equal(class_indices(Y), y)
    with pytest.raises(CourseError):
        one_hot(np.array([[0, 3]]), 3)


def test_spiral_is_seeded_and_has_one_arm_per_class():
    X, y = make_spiral(points_per_class=50, num_classes=4, seed=7)
    assert X.shape == (2, 200) and y.shape == (1, 200)
    assert np.array_equal(np.bincount(y.ravel()), [50] * 4)
    assert np.array_equal(make_spiral(points_per_class=50, num_classes=4, seed=7)[0], X)
    assert not np.array_equal(make_spiral(points_per_class=50, num_classes=4, seed=8)[0], X)
    assert np.all(np.hypot(X[0], X[1]) <= 1 + 1e-12)
    with pytest.raises(CourseError):
        make_spiral(points_per_class=1)


# ----------------------------------------------------------------- mini-batches and Adam = the optimization exercises
@pytest.mark.parametrize("suite", ["public", "hidden"])
def test_minibatch_adam_equals_the_optimization_reference(suite):
    path = NOTEBOOKS_DIR / "optimization" / PUBLIC_FILE if suite == "public" else HIDDEN_DIR / "optimization.h5"
    for function, mine in (("random_mini_batches", random_mini_batches), ("update_parameters_with_adam", update_parameters_with_adam)):
        for case in read_cases(path, function):
            assert first_difference(mine(**copy.deepcopy(case["inputs"])), case["expected"]) is None, (function, case["name"])


def test_mini_batches_keep_one_hot_columns_with_their_examples():
    X = np.arange(10, dtype=float).reshape(1, 10)
    Y = one_hot(np.arange(10).reshape(1, 10) % 3, 3)
    batches = random_mini_batches(X, Y, 4, seed=1)
    assert [b[0].shape[1] for b in batches] == [4, 4, 2]
    for batch_X, batch_Y in batches:
        assert np.array_equal(class_indices(batch_Y).ravel(), batch_X.ravel().astype(int) % 3)


# ----------------------------------------------------------------- hints and the demo cohort
def test_mistake_hints_are_bilingual_and_each_variant_is_recognised(ref):
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


@pytest.mark.parametrize("function, hint", [(f, h) for f, found in [
    ("softmax", ["softmax_wrong_axis", "softmax_no_max_shift"]),
    ("compute_cost_softmax", ["one_hot_transposed"]),
    ("softmax_backward", ["one_hot_transposed", "dz_divided_by_m"]),
    ("batchnorm_forward", ["bn_sample_variance", "bn_epsilon_missing", "bn_epsilon_outside_sqrt",
                           "bn_momentum_swapped", "bn_test_mode_batch_statistics"]),
    ("batchnorm_backward", ["bn_gradients_not_summed", "bn_backward_ignores_batch_statistics"])] for h in found])
def test_checker_names_each_mistake_by_its_fingerprint(ref, function, hint):
    variant = recipe._mistakes(ref)[function][hint]
    recognised = False
    for path in (PUBLIC, HIDDEN):
        with np.errstate(all="ignore"):
            report = check_function(lambda **kw: variant(**kw), function, path=path, verbose=False)
        assert not report.passed, path
        recognised = recognised or ("Hint: " + HINTS[hint][0]) in [en for en, _ in report.lines]
    assert recognised, (function, hint)


def test_stored_case_files_stay_small():
    for path in (PUBLIC, HIDDEN):
        assert path.stat().st_size < 700_000, path
