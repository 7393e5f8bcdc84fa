"""The checker passes the reference, fails each typical mistake with the right
hint in both languages, and never lets a learner's error escape as a traceback."""

import sys
import warnings

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.expected import reference_namespace, source_notebook
from helpers.checker import HINTS, check_function, first_difference
from helpers.errors import CheckSetupError

ASSIGNMENT = "deep_nn_step_by_step"


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(source_notebook(ASSIGNMENT))


@pytest.fixture(autouse=True)
def notebook_folder(monkeypatch):
    monkeypatch.chdir(NOTEBOOKS_DIR / ASSIGNMENT)


def hint_of(name):
    return HINTS[name][0].split(":")[0], HINTS[name][1].split("：")[0]


def assert_hint(report, name):
    text = report.text()
    en, zh = hint_of(name)
    assert en in text and zh in text, text


GRADED = ["initialize_parameters", "initialize_parameters_deep", "linear_forward", "linear_activation_forward",
          "L_model_forward", "compute_cost", "linear_backward", "linear_activation_backward",
          "L_model_backward", "update_parameters"]


@pytest.mark.parametrize("name", GRADED)
@pytest.mark.parametrize("suite", ["public", "hidden"])
def test_reference_passes(ref, name, suite, capsys):
    report = check_function(ref[name], name, suite=suite)
    assert report.passed, report.text()
    assert report.cases_run >= 2
    assert "All tests passed / 全部测试通过" in capsys.readouterr().out


def test_forgot_one_over_m(ref):
    def compute_cost(AL, Y):
        return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))

    report = check_function(compute_cost, "compute_cost", verbose=False)
    assert not report.passed
    assert_hint(report, "forgot_one_over_m")
    assert "0.41493159" in report.text()  # the expected value is quoted


def test_forgot_keepdims(ref):
    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        m = A_prev.shape[1]
        return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m

    report = check_function(linear_backward, "linear_backward", verbose=False)
    assert not report.passed
    assert "expected (1, 1), got (1,)" in report.text()
    assert_hint(report, "forgot_keepdims")


def test_transposed_product(ref):
    def linear_forward(A, W, b):
        return (A.T @ W.T), (A, W, b)

    report = check_function(linear_forward, "linear_forward", verbose=False)
    assert_hint(report, "transposed_product")


def test_elementwise_product_is_reported_not_raised(ref):
    def linear_forward(A, W, b):
        return W * A + b, (A, W, b)

    report = check_function(linear_forward, "linear_forward", verbose=False)
    assert not report.passed
    assert "ValueError" in report.text()
    assert_hint(report, "elementwise_product")


def test_wrong_activation(ref):
    def linear_activation_forward(A_prev, W, b, activation):
        swapped = "relu" if activation == "sigmoid" else "sigmoid"
        return ref["linear_activation_forward"](A_prev, W, b, swapped)

    report = check_function(linear_activation_forward, "linear_activation_forward", verbose=False)
    assert_hint(report, "wrong_activation")


def test_mutated_caller_dict(ref):
    def update_parameters(params, grads, learning_rate):
        for key in list(params):
            params[key] = params[key] - learning_rate * grads["d" + key]
        return params

    report = check_function(update_parameters, "update_parameters", verbose=False)
    assert not report.passed
    assert "changed its input" in report.text() and "修改了传入的参数" in report.text()
    assert_hint(report, "mutated_input")


def test_in_place_array_update_is_caught(ref):
    def update_parameters(params, grads, learning_rate):
        for key in list(params):
            params[key] -= learning_rate * grads["d" + key]
        return dict(params)

    assert not check_function(update_parameters, "update_parameters", verbose=False).passed


def test_wrong_type_and_first_wrong_entry(ref):
    report = check_function(lambda A, W, b: np.dot(W, A) + b, "linear_forward", verbose=False)
    assert "should be a tuple of 2 items" in report.text() and "应该是包含 2 项的 tuple" in report.text()

    def off_by_a_bit(A, W, b):
        Z = np.dot(W, A) + b
        Z[0, 1] += 0.5
        return Z, (A, W, b)

    text = check_function(off_by_a_bit, "linear_forward", verbose=False).text()
    assert "First at index (0, 1)" in text and "expected -1.234299869" in text and "Largest error: 0.5" in text


def test_not_implemented_gets_a_friendly_message():
    def linear_forward(A, W, b):
        raise NotImplementedError()

    text = check_function(linear_forward, "linear_forward", verbose=False).text()
    assert "not implemented yet" in text and "还没有实现" in text


def test_warnings_and_stderr_go_to_stdout(ref, capsys):
    """nbgrader gives 0 points to a test cell with stderr output, so nothing may reach stderr."""

    def compute_cost(AL, Y):
        warnings.warn("a learner's warning")
        print("debug output", file=sys.stderr)
        return ref["compute_cost"](AL, Y)

    report = check_function(compute_cost, "compute_cost")
    captured = capsys.readouterr()
    assert report.passed
    assert captured.err == ""
    assert "a learner's warning" in captured.out and "debug output" in captured.out


def test_missing_public_file_is_a_clear_error(tmp_path, monkeypatch, ref):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CheckSetupError) as error:
        check_function(ref["linear_forward"], "linear_forward")
    assert "public_checks.h5" in error.value.en and "public_checks.h5" in error.value.zh


def test_hidden_checks_missing_outside_the_course(tmp_path, monkeypatch, ref):
    (tmp_path / "public_checks.h5").write_bytes((NOTEBOOKS_DIR / ASSIGNMENT / "public_checks.h5").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DLCOURSE_HIDDEN_DIR", raising=False)
    with pytest.raises(CheckSetupError) as error:
        check_function(ref["linear_forward"], "linear_forward", suite="hidden")
    assert "only when the instructor grades" in error.value.en


def test_hidden_checks_found_through_the_environment(tmp_path, monkeypatch, ref):
    (tmp_path / "public_checks.h5").write_bytes((NOTEBOOKS_DIR / ASSIGNMENT / "public_checks.h5").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DLCOURSE_HIDDEN_DIR", str(HIDDEN_DIR))
    assert check_function(ref["linear_forward"], "linear_forward", suite="hidden", verbose=False).passed


def test_corrupt_case_file_is_a_clear_error(tmp_path, monkeypatch, ref):
    (tmp_path / "public_checks.h5").write_bytes(b"not an HDF5 file")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CheckSetupError) as error:
        check_function(ref["linear_forward"], "linear_forward")
    assert "Cannot read" in error.value.en and "无法读取" in error.value.zh


def test_not_a_function():
    with pytest.raises(CheckSetupError) as error:
        check_function(None, "linear_forward")
    assert "is not a function" in error.value.en


def test_first_difference_lists_and_tuples_are_interchangeable():
    assert first_difference([np.ones(2), 1.0], (np.ones(2), 1.0)) is None
    assert first_difference({"a": 1.0}, {"a": 1.0, "b": 2.0}).kind == "keys"
    assert first_difference(np.float64(0.5), 0.5) is None
    assert first_difference(np.array(0.5), 0.5) is None
    assert first_difference(np.ones((2, 1)), 0.5).kind == "type"
