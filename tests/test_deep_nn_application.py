"""deep_nn_application beyond the generic tests: the training conventions of the
two model functions (seeded start, one gradient-descent step per iteration, one
cost per 100 iterations from iteration 0, the printed cost lines), predict's
accuracy line, bilingual errors for bad input, stored cases that can tell right
from wrong, and the picture shipped for "try your own image".

Not tested here: the notebook's claim about the full 2 500-iteration runs (the
deeper network ahead on the test set, neither perfect). Training both networks
that long takes minutes; `python -m datasets.check_cat_difficulty` checks it.
"""

import math
import re

import numpy as np
import pytest

from grading import COURSE_ROOT, HIDDEN_DIR, NOTEBOOKS_DIR
from grading.expected import reference_namespace, source_notebook
from helpers import deep_nn
from helpers.case_store import read_cases
from helpers.cat_data import load_cat_dataset, load_image_for_prediction
from helpers.checker import PUBLIC_FILE
from helpers.errors import CourseError

ASSIGNMENT = "deep_nn_application"
FOLDER = NOTEBOOKS_DIR / ASSIGNMENT
HAN = re.compile(r"[\u4e00-\u9fff]")
MODELS = [("two_layer_model", (5, 3, 1)), ("L_layer_model", [5, 4, 3, 1])]


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(source_notebook(ASSIGNMENT))


def _problem(seed, n_x=5, m=8):
    rng = np.random.RandomState(seed)
    return rng.randn(n_x, m), (rng.rand(1, m) > 0.5).astype(int)


def _seeded_start(name, dims):
    """The parameters each model must start from: np.random.seed(1), then its initializer."""
    np.random.seed(1)
    if name == "two_layer_model":
        return deep_nn.initialize_parameters(*dims)
    return deep_nn.initialize_parameters_deep_scaled(list(dims))


@pytest.mark.parametrize("name, dims", MODELS)
@pytest.mark.parametrize("num_iterations", [1, 99, 100, 101, 250, 300])
def test_one_cost_per_100_iterations_from_iteration_0(ref, name, dims, num_iterations):
    X, Y = _problem(0)
    _, costs = ref[name](X, Y, dims, learning_rate=0.05, num_iterations=num_iterations)
    assert len(costs) == math.ceil(num_iterations / 100)
    assert all(type(cost) is float for cost in costs)


@pytest.mark.parametrize("name, dims", MODELS)
def test_training_starts_from_the_seeded_initialization(ref, name, dims):
    X, Y = _problem(1)
    start = _seeded_start(name, dims)
    np.random.seed(12345)  # the model seeds itself, whatever the global state
    parameters, costs = ref[name](X, Y, dims, learning_rate=0.0, num_iterations=1)
    assert list(parameters) == list(start)
    for key, value in start.items():
        np.testing.assert_array_equal(parameters[key], value)
    AL, _ = deep_nn.L_model_forward(X, start)
    assert costs == [pytest.approx(float(deep_nn.compute_cost(AL, Y)), rel=1e-12)]


@pytest.mark.parametrize("name, dims", MODELS)
def test_one_iteration_is_one_gradient_descent_step(ref, name, dims):
    X, Y = _problem(2)
    start = _seeded_start(name, dims)
    AL, caches = deep_nn.L_model_forward(X, start)
    expected = deep_nn.update_parameters(start, deep_nn.L_model_backward(AL, Y, caches), 0.3)
    parameters, _ = ref[name](X, Y, dims, learning_rate=0.3, num_iterations=1)
    for key, value in expected.items():
        np.testing.assert_allclose(parameters[key], value, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, dims", MODELS)
def test_print_cost_prints_the_recorded_costs(ref, name, dims, capsys):
    X, Y = _problem(3)
    _, quiet = ref[name](X, Y, dims, learning_rate=0.05, num_iterations=250)
    assert capsys.readouterr().out == ""
    _, costs = ref[name](X, Y, dims, learning_rate=0.05, num_iterations=250, print_cost=True)
    printed = capsys.readouterr().out.splitlines()
    assert costs == quiet
    assert printed == [f"Cost after iteration {i}: {cost:.6f}" for i, cost in zip((0, 100, 200), costs, strict=True)]


def test_predict_prints_the_accuracy_and_returns_0_1_labels(ref, capsys):
    rng = np.random.RandomState(4)
    parameters = {"W1": rng.randn(3, 4), "b1": rng.randn(3, 1), "W2": rng.randn(1, 3), "b2": rng.randn(1, 1)}
    X, y = rng.randn(4, 20), (rng.rand(1, 20) > 0.5).astype(int)
    p = ref["predict"](X, y, parameters)
    probas, _ = deep_nn.L_model_forward(X, parameters)
    np.testing.assert_array_equal(p, (probas > 0.5).astype(int))
    assert p.shape == (1, 20) and 0 < p.sum() < 20
    accuracy = float(np.mean(p == y))
    assert 0 < accuracy < 1
    assert capsys.readouterr().out == f"Accuracy: {round(accuracy, 4)}\n"


def test_predict_takes_a_list_as_the_label_of_one_picture(ref, capsys):
    parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.zeros((1, 1)),
                  "W2": np.array([[2.0]]), "b2": np.array([[-1.0]])}
    p = ref["predict"](np.array([[3.0], [1.0]]), [1], parameters)  # sigmoid(2 * 2 - 1) > 0.5
    assert p.tolist() == [[1]]
    assert capsys.readouterr().out == "Accuracy: 1.0\n"


def _bad_calls():
    X, Y = _problem(5)
    params = {"W1": np.ones((3, 5)), "b1": np.zeros((3, 1)), "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
    return [
        ("two_layer_model", (X.T, Y, (5, 3, 1)), "X.T"),
        ("two_layer_model", (X, Y.ravel(), (5, 3, 1)), "(1, 8)"),
        ("two_layer_model", (X, Y, [5, 4, 3, 1]), "(n_x, n_h, n_y)"),
        ("L_layer_model", (X, Y, [4, 3, 1]), "(4, m)"),
        ("predict", (X[:3], Y, params), "5 input features"),
        ("predict", (X, [1, 0], params), "one label per example"),
    ]


@pytest.mark.parametrize("index", range(len(_bad_calls())))
def test_bad_input_is_a_bilingual_course_error(ref, index):
    name, args, fragment = _bad_calls()[index]
    with pytest.raises(CourseError) as error:
        ref[name](*args)
    assert fragment in error.value.en and HAN.search(error.value.zh), (error.value.en, error.value.zh)


@pytest.mark.parametrize("suite", ["public", "hidden"])
def test_stored_cases_are_informative(suite):
    path = FOLDER / PUBLIC_FILE if suite == "public" else HIDDEN_DIR / f"{ASSIGNMENT}.h5"
    for case in read_cases(path, "predict"):
        labels = np.asarray(case["expected"])
        assert 0 < labels.sum() < labels.size, case["name"]  # both labels occur
    for name in ("two_layer_model", "L_layer_model"):
        for case in read_cases(path, name):
            inputs, (parameters, costs) = case["inputs"], case["expected"]
            assert len(costs) == math.ceil(inputs["num_iterations"] / 100), case["name"]
            start = _seeded_start(name, inputs["layers_dims"])
            moved = max(float(np.abs(parameters[key] - start[key]).max()) for key in start)
            assert moved > 1e-3, case["name"]  # training changed the parameters visibly
    if suite == "public":
        first = read_cases(path, "two_layer_model")[0]
        assert set(first["mistakes"]) >= {"wrong_activation"}


def test_my_image_is_the_first_cat_of_the_test_set():
    _, _, test_x_orig, test_y, _ = load_cat_dataset(COURSE_ROOT / "datasets" / "catvnoncat")
    first_cat = int(np.flatnonzero(test_y[0] == 1)[0])
    x, image = load_image_for_prediction(FOLDER / "my_image.png", num_px=64)
    np.testing.assert_array_equal(image, test_x_orig[first_cat])
    assert x.shape == (64 * 64 * 3, 1)
    np.testing.assert_array_equal(x, test_x_orig[first_cat].reshape(-1, 1) / 255.0)
