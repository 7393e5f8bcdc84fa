"""helpers.deep_nn is an oracle-tested copy of the first assignment's reference:
it must pass that assignment's public and hidden checks."""

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.expected import graded_functions, source_notebook
from helpers import deep_nn
from helpers.checker import PUBLIC_FILE, check_function
from helpers.errors import CourseError

ASSIGNMENT = "deep_nn_step_by_step"
FUNCTIONS = graded_functions(source_notebook(ASSIGNMENT))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_passes_the_assignment_checks(name):
    for path in (NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE, HIDDEN_DIR / f"{ASSIGNMENT}.h5"):
        report = check_function(getattr(deep_nn, name), name, path=path, verbose=False)
        assert report.passed, report.text()


def test_scaled_initialisation_keeps_pre_activations_of_order_one():
    np.random.seed(1)
    params = deep_nn.initialize_parameters_deep_scaled([12288, 20, 7, 5, 1])
    assert params["W1"].shape == (20, 12288) and params["b4"].shape == (1, 1)
    x = np.random.rand(12288, 50)
    z = params["W1"] @ x
    assert 0.1 < z.std() < 10


def test_unknown_activation_is_a_bilingual_error():
    with pytest.raises(CourseError) as error:
        deep_nn.linear_activation_forward(np.ones((2, 1)), np.ones((1, 2)), np.zeros((1, 1)), "tanh")
    assert "sigmoid" in error.value.en and "只能是" in error.value.zh


def test_predict_labels():
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.zeros((1, 1))}
    assert np.array_equal(deep_nn.predict_labels(np.array([[2.0, 0.0], [0.0, 3.0]]), params), [[1, 0]])


@pytest.mark.parametrize("dims", [[6, 4, 1], [7, 5, 4, 3, 1]])
def test_skipping_the_input_gradient_changes_nothing_else(dims):
    """Training passes input_gradient=False: the same dW and db to the last bit, no dA0."""
    rng = np.random.RandomState(5)
    np.random.seed(2)
    params = deep_nn.initialize_parameters_deep_scaled(dims)
    X, Y = rng.randn(dims[0], 9), (rng.rand(1, 9) > 0.5).astype(float)
    AL, caches = deep_nn.L_model_forward(X, params)
    full = deep_nn.L_model_backward(AL, Y, caches)
    lean = deep_nn.L_model_backward(AL, Y, caches, input_gradient=False)
    assert "dA0" in full and "dA0" not in lean
    assert list(lean) == [key for key in full if key != "dA0"]
    for key, value in lean.items():
        assert np.array_equal(value, full[key]), key
    dA_prev, dW, db = deep_nn.linear_activation_backward(full["dA1"], caches[0], "relu", input_gradient=False)
    assert dA_prev is None and np.array_equal(dW, full["dW1"]) and np.array_equal(db, full["db1"])


def test_update_parameters_leaves_the_callers_arrays_alone():
    params = {"W1": np.ones((2, 3)), "b1": np.zeros((2, 1))}
    grads = {"dW1": np.ones((2, 3)), "db1": np.ones((2, 1))}
    new = deep_nn.update_parameters(params, grads, 0.5)
    assert np.array_equal(params["W1"], np.ones((2, 3))) and np.array_equal(params["b1"], np.zeros((2, 1)))
    assert np.array_equal(new["W1"], np.full((2, 3), 0.5)) and new["W1"] is not params["W1"]
