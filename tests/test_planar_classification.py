"""What the generic tests do not cover for "Planar data classification with one
hidden layer": the reference backward propagation against finite differences,
the ``costs`` argument of nn_model, update_parameters leaving its input alone,
bad input, the stored mistakes, and the classic numbers the notebook reproduces."""

import copy
import re

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading import cells as C
from grading.cases import planar_classification as recipe
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import read_cases
from helpers.checker import HINTS, PUBLIC_FILE, check_function
from helpers.errors import CourseError

ASSIGNMENT = "planar_classification"
PUBLIC = NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE
HIDDEN = HIDDEN_DIR / f"{ASSIGNMENT}.h5"


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(source_notebook(ASSIGNMENT))


def _network(seed, n_x, n_h, m, scale=1.0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    parameters = {"W1": rng.randn(n_h, n_x) * scale, "b1": rng.randn(n_h, 1) * scale,
                  "W2": rng.randn(1, n_h) * scale, "b2": rng.randn(1, 1) * scale}
    return X, Y, parameters


def _cost(ref, X, Y, parameters):
    A2, _ = ref["forward_propagation"](X, parameters)
    return ref["compute_cost"](A2, Y)


@pytest.mark.parametrize("seed, n_x, n_h, m, scale", [(0, 2, 4, 5, 1.0), (1, 3, 6, 7, 0.5), (2, 2, 1, 3, 2.0)])
def test_backward_propagation_agrees_with_finite_differences(ref, seed, n_x, n_h, m, scale):
    X, Y, parameters = _network(seed, n_x, n_h, m, scale)
    _, cache = ref["forward_propagation"](X, parameters)
    grads = ref["backward_propagation"](parameters, cache, X, Y)
    eps = 1e-6
    for name, value in parameters.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = copy.deepcopy(parameters), copy.deepcopy(parameters)
            plus[name][index] += eps
            minus[name][index] -= eps
            numeric[index] = (_cost(ref, X, Y, plus) - _cost(ref, X, Y, minus)) / (2 * eps)
        analytic = grads["d" + name]
        assert analytic.shape == value.shape, name
        difference = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
        assert difference < 1e-7, (name, difference)


def test_a_wrong_tanh_derivative_fails_the_finite_differences(ref):
    """The check above can fail: the sigmoid's derivative in the hidden layer is caught."""
    X, Y, parameters = _network(3, 2, 4, 5)
    _, cache = ref["forward_propagation"](X, parameters)
    A1 = cache["A1"]
    dZ1 = np.dot(parameters["W2"].T, cache["A2"] - Y) * A1 * (1 - A1)
    wrong_dW1 = np.dot(dZ1, X.T) / X.shape[1]
    eps = 1e-6
    plus, minus = copy.deepcopy(parameters), copy.deepcopy(parameters)
    plus["W1"][0, 0] += eps
    minus["W1"][0, 0] -= eps
    numeric = (_cost(ref, X, Y, plus) - _cost(ref, X, Y, minus)) / (2 * eps)
    assert not np.isclose(wrong_dW1[0, 0], numeric, rtol=1e-4)


def test_nn_model_with_costs_returns_the_same_parameters(ref):
    X, Y, _ = _network(4, 2, 3, 20)
    np.random.seed(2)  # the caller seeds (see test_the_caller_seeds_the_starting_weights)
    without = ref["nn_model"](X, Y, 3, num_iterations=2500)
    costs = []
    np.random.seed(2)
    with_costs = ref["nn_model"](X, Y, 3, num_iterations=2500, costs=costs)
    assert list(with_costs) == ["W1", "b1", "W2", "b2"]
    for key in without:
        np.testing.assert_array_equal(with_costs[key], without[key])
    # iterations 0, 1000 and 2000; the first is the cost of the initial parameters
    assert len(costs) == 3 and all(type(cost) is float for cost in costs)
    np.random.seed(2)
    initial = ref["initialize_parameters"](2, 3, 1)
    assert costs[0] == pytest.approx(_cost(ref, X, Y, initial), rel=1e-12)
    assert costs[-1] < costs[0]


def test_the_caller_seeds_the_starting_weights(ref):
    """initialize_parameters and nn_model set no seed of their own (the newest classic
    convention): the same caller's seed gives the same weights, another seed other weights,
    and the stored cases carry the seed their caller sets."""
    X, Y, _ = _network(4, 2, 3, 20)
    for call in (lambda: ref["initialize_parameters"](2, 3, 1), lambda: ref["nn_model"](X, Y, 3, num_iterations=10)):
        np.random.seed(2)
        first = call()
        np.random.seed(2)
        again = call()
        np.random.seed(3)
        other = call()
        assert all(np.array_equal(first[key], again[key]) for key in first)
        assert not np.allclose(first["W1"], other["W1"])
    for function in ("initialize_parameters", "nn_model"):
        seeds = [case["seed"] for case in read_cases(PUBLIC, function) + read_cases(HIDDEN, function)]
        assert seeds[0] == 2 and None not in seeds and len(set(seeds)) == len(seeds)
    assert all(case["seed"] is None for case in read_cases(PUBLIC, "forward_propagation"))


def test_a_function_that_reseeds_itself_is_told_to_leave_the_seed_to_its_caller(ref):
    def reseeding(n_x, n_h, n_y):
        np.random.seed(2)
        return ref["initialize_parameters"](n_x, n_h, n_y)

    report = check_function(reseeding, "initialize_parameters", path=PUBLIC, verbose=False)
    assert not report.passed
    assert "Leave the seeding to the caller" in report.text() and "种子应该由调用者设置" in report.text()


def test_nn_model_prints_the_costs_it_records(ref, capsys):
    X, Y, _ = _network(5, 2, 4, 10)
    costs = []
    ref["nn_model"](X, Y, 4, num_iterations=1001, print_cost=True, costs=costs)
    printed = re.findall(r"Cost after iteration (\d+): ([0-9.]+)", capsys.readouterr().out)
    assert [int(i) for i, _ in printed] == [0, 1000]
    assert [float(value) for _, value in printed] == pytest.approx(costs, abs=1e-6)


def test_update_parameters_does_not_mutate_its_input(ref):
    _, _, parameters = _network(6, 3, 4, 1)
    grads = {"d" + key: np.ones_like(value) for key, value in parameters.items()}
    before = copy.deepcopy(parameters)
    identities = {key: id(value) for key, value in parameters.items()}
    updated = ref["update_parameters"](parameters, grads, learning_rate=0.5)
    assert updated is not parameters
    for key in before:
        assert id(parameters[key]) == identities[key]
        np.testing.assert_array_equal(parameters[key], before[key])
        np.testing.assert_allclose(updated[key], before[key] - 0.5)


def test_the_check_catches_an_in_place_update():
    def update_in_place(parameters, grads, learning_rate=1.2):
        for key in ("W1", "b1", "W2", "b2"):
            parameters[key] -= learning_rate * grads["d" + key]
        return parameters

    report = check_function(update_in_place, "update_parameters", path=PUBLIC, verbose=False)
    assert not report.passed
    assert HINTS["mutated_input"][0] in report.text()


def test_the_check_names_a_forgotten_keepdims(ref):
    def backward_without_keepdims(parameters, cache, X, Y):
        grads = ref["backward_propagation"](parameters, cache, X, Y)
        return dict(grads, db1=grads["db1"].ravel(), db2=grads["db2"].ravel())

    report = check_function(backward_without_keepdims, "backward_propagation", path=PUBLIC, verbose=False)
    assert not report.passed
    assert HINTS["forgot_keepdims"][0] in report.text()


def test_every_listed_mistake_differs_from_the_reference_on_a_public_case(ref):
    """A mistake equal to the right answer is silently dropped when the files are built."""
    listed = recipe._mistakes(ref)
    for function, variants in listed.items():
        stored = set()
        for case in read_cases(PUBLIC, function):
            stored |= set(case["mistakes"])
        assert stored == set(variants), function


@pytest.mark.parametrize("X_shape, Y_shape", [((400, 2), (1, 400)), ((2, 400), (400,)), ((2, 300), (1, 400))])
def test_nn_model_rejects_data_in_the_wrong_layout(ref, X_shape, Y_shape):
    with pytest.raises(CourseError) as error:
        ref["nn_model"](np.zeros(X_shape), np.zeros(Y_shape), 4, num_iterations=1)
    assert "(n_x, m)" in error.value.en and "每列一个样本" in error.value.zh


def _stored(function, case_name="1_seed_example"):
    return next(case["expected"] for case in read_cases(PUBLIC, function) if case["name"] == case_name)


# Numbers of the classic assignment's test cases (8 decimals), reproduced by the seeded cases.
CLASSIC = [
    ("initialize_parameters", lambda out: out["W1"],
     [[-0.00416758, -0.00056267], [-0.02136196, 0.01640271], [-0.01793436, -0.00841747], [0.00502881, -0.01245288]]),
    ("initialize_parameters", lambda out: out["W2"], [[-0.01057952, -0.00909008, 0.00551454, 0.02292208]]),
    ("backward_propagation", lambda out: out["dW1"],
     [[0.00301023, -0.00747267], [0.00257968, -0.00641288], [-0.00156892, 0.003893], [-0.00652037, 0.01618243]]),
    ("backward_propagation", lambda out: out["db1"], [[0.00176201], [0.00150995], [-0.00091736], [-0.00381422]]),
    ("backward_propagation", lambda out: out["dW2"], [[0.00078841, 0.01765429, -0.00084166, -0.01022527]]),
    ("backward_propagation", lambda out: out["db2"], [[-0.16655712]]),
]


@pytest.mark.parametrize("function, pick, printed", CLASSIC, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(CLASSIC)])
def test_seeded_cases_reproduce_the_classic_numbers(function, pick, printed):
    np.testing.assert_allclose(pick(_stored(function)), printed, rtol=0, atol=5e-9)


def test_seeded_cost_is_the_classic_one():
    assert repr(_stored("compute_cost")) == "0.6930587610394646"


def test_the_notebook_quotes_the_classic_accuracies():
    """The quotes are checked against a fresh run by test_notebooks; here: they are the classic numbers."""
    nb = C.read(source_notebook(ASSIGNMENT))
    quotes = {cell.metadata[C.META_KEY]["pair"]: cell.source for cell in nb.cells
              if C.is_expected_output(cell)}
    assert "47.00 %" in quotes["logistic-regression-expected"]
    assert "Accuracy: 90.50 %" in quotes["train-flower-accuracy"]
    for row in ("1 | 67.50 %", "3 | 90.75 %", "4 | 90.50 %", "5 | 91.25 %", "20 | 90.00 %", "50 | 90.75 %"):
        assert row in quotes["hidden-sizes-expected"]
