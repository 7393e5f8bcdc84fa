"""The checker passes the reference, fails each typical mistake with the right
hint in both languages, and never lets a learner's error escape as a traceback."""

import sys
import warnings

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import read_cases
from helpers.checker import HINTS, check_function, first_difference, redacted
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
    assert "should be a tuple of 2 items" in report.text() and "应该是包含 2 项的元组（tuple）" in report.text()

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
        warnings.warn("a learner's warning", stacklevel=2)
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


# ------------------------------------------------------------ noise-level tolerance
GRADIENT_FOLDER = NOTEBOOKS_DIR / "gradient_checking"


@pytest.mark.parametrize("function", ["gradient_check", "gradient_check_n"])
@pytest.mark.parametrize("suite", ["public", "hidden"])
def test_returning_zero_fails_the_stored_gradient_checks(function, suite, monkeypatch):
    """The stored differences are about 1e-10: below ATOL, yet 0 must not match them."""
    monkeypatch.chdir(GRADIENT_FOLDER)

    def returns_zero(**_):
        return 0.0

    report = check_function(returns_zero, function, suite=suite, verbose=False)
    assert not report.passed, report.text()


def test_a_tiny_value_a_few_per_cent_off_passes_and_a_sign_flip_fails():
    assert first_difference(1.03e-9, 1e-9) is None
    assert first_difference(np.float64(2.4821e-9), 2.4225838559476016e-9) is None  # two CPUs
    assert first_difference(2.29e-10, 2.172605749931809e-10) is None
    assert first_difference(3e-10, 1e-10) is None  # a factor of a few is still noise
    for wrong in (-1e-9, 0.0, 0, 1e-20, 2e-8, 1.0):
        diff = first_difference(wrong, 1e-9)
        assert diff is not None and diff.kind == "value", wrong
    assert "factor of 10" in diff.en and "10 倍" in diff.zh
    assert first_difference(-1e-9, -1.2e-9) is None and first_difference(1e-9, -1e-9) is not None


def test_tiny_arrays_follow_the_noise_rule_entrywise():
    expected = np.array([[2e-10, -1e-9, 1e-15]])
    assert first_difference(np.array([[2.2e-10, -0.9e-9, 0.0]]), expected) is None  # 1e-15: negligible
    assert first_difference(np.zeros((1, 3)), expected) is not None
    assert first_difference(np.array([[2e-10, 1e-9, 1e-15]]), expected).kind == "value"  # one sign flipped
    assert first_difference(np.array([[2e-10, -1e-9, 5e-8]]), expected) is not None  # noise must stay noise


def test_ordinary_arrays_keep_the_plain_tolerance():
    expected = np.array([[1.0, 0.0, 2e-12], [-3.0, 0.5, 1e-10]])  # near-zero entries: cancellation noise
    for got in (expected + 5e-9, np.array([[1.0, 0.0, 0.0], [-3.0, 0.5, 0.0]]), expected * (1 + 5e-7)):
        assert first_difference(got, expected) is None
    assert first_difference(expected + np.array([[0, 0, 0], [0, 0, 2e-8]]), expected) is not None
    assert first_difference(expected * (1 + 3e-6), expected) is not None
    assert first_difference(np.zeros(3) + 5e-9, np.zeros(3)) is None  # exact zeros: |got| <= ATOL
    assert first_difference(np.zeros(3) + 2e-8, np.zeros(3)) is not None
    assert first_difference(5e-9, 0.0) is None and first_difference(2e-8, 0.0) is not None
    assert first_difference(0.41493159 * (1 + 2e-6), 0.41493159) is not None


# ------------------------------------------------------------ hidden cases reveal no values
def hidden_cases(name):
    return read_cases(HIDDEN_DIR / f"{ASSIGNMENT}.h5", name)


def numbers_of(value):
    """The 10-digit texts of every float in a nested value, as the report would write them."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in numbers_of(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in numbers_of(item)]
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
        return [f"{x:.10g}" for x in value.ravel() if x not in (0.0, 1.0)]
    if isinstance(value, float) and value not in (0.0, 1.0):
        return [f"{value:.10g}"]
    return []


def test_a_hidden_failure_quotes_no_expected_value_but_keeps_the_hint(ref, capsys):
    def compute_cost(AL, Y):
        return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))

    report = check_function(compute_cost, "compute_cost", suite="hidden")
    printed = capsys.readouterr().out
    assert not report.passed
    assert "hidden case 1" in printed and "隐藏用例 1" in printed
    assert "is not the expected number" in printed and "不是预期的数值" in printed
    assert_hint(report, "forgot_one_over_m")
    case = hidden_cases("compute_cost")[0]
    for text in numbers_of(case["expected"]) + numbers_of(case["inputs"]) + [f"{compute_cost(**case['inputs']):.10g}"]:
        assert text not in printed, text


def test_a_hidden_array_failure_gives_count_and_index_only(ref):
    def off_by_a_bit(A, W, b):
        Z = np.dot(W, A) + b
        Z.flat[1] += 0.5
        return Z, (A, W, b)

    text = check_function(off_by_a_bit, "linear_forward", suite="hidden", verbose=False).text()
    assert "wrong entr" in text and "the first is at index" in text and "个元素不对" in text
    assert "Largest error" not in text and "expected" not in text.split("wrong entr")[1]
    case = hidden_cases("linear_forward")[0]
    for text_of_number in numbers_of(case["expected"]) + numbers_of(case["inputs"]):
        assert text_of_number not in text


def test_hidden_cases_hide_the_learners_prints_exceptions_and_factors(ref, capsys):
    def linear_forward(A, W, b):
        print("A is", A)
        print("W is", W, file=sys.stderr)
        raise ValueError(f"I do not like {A[0, 0]!r}")

    report = check_function(linear_forward, "linear_forward", suite="hidden")
    printed = capsys.readouterr()
    assert "ValueError" in printed.out and "not shown" in printed.out and "不显示" in printed.out
    assert "A is" not in printed.out and "W is" not in printed.out and printed.err == ""
    assert "I do not like" not in printed.out
    assert not report.passed

    def twice(AL, Y):
        return 2 * ref["compute_cost"](AL, Y)

    text = check_function(twice, "compute_cost", suite="hidden", verbose=False).text()
    public = check_function(twice, "compute_cost", verbose=False).text()
    assert "factor 2" not in text and "倍数 2" not in text
    assert "is not the expected number" in text and "0.41493159" in public  # public messages stay informative


def test_redacted_explains_any_difference_without_values():
    cases = [
        (0.25, 0.5, "is not the expected number"),
        ("relu", "sigmoid", "is not the expected string"),
        (np.array([[1.5, 2.0]]), np.array([[1.25, 2.0]]), "1 wrong entry of 2; the first is at index (0, 0)"),
        (np.ones((2, 1)), np.ones((1, 2)), "expected (1, 2), got (2, 1)"),  # the expected shape may show
        ({"W1": np.array([0.75])}, {"W1": np.array([0.5])}, "the return value['W1']"),
    ]
    for got, expected, fragment in cases:
        diff = first_difference(got, expected)
        en, zh = redacted(diff)
        assert (en, zh) == diff.redacted()
        assert fragment in en and zh and zh != en, en
        for value in ("0.25", "0.5", "1.25", "1.5", "0.75", "relu", "sigmoid"):
            assert value not in en and value not in zh, (value, en, zh)
    assert redacted(first_difference((1.0,), (1.0, 2.0)))[0] == first_difference((1.0,), (1.0, 2.0)).en


def test_a_stored_mistake_names_the_first_wrong_part_of_a_tuple_when_only_that_part_matches():
    """A learner who makes one of a variant's two mistakes (dgamma unsummed, dbeta right) gets the
    variant's hint; a learner wrong where the variant is right gets none from it."""
    from helpers.checker import Report, _explain

    right = (np.ones((2, 3)), np.ones((2, 1)), np.ones((2, 1)))
    variant = (np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)))  # both gradients unsummed
    case = {"expected": right, "mistakes": {"bn_gradients_not_summed": variant}, "inputs": {}}
    one_of_the_two = (right[0], variant[1], right[2])
    report = Report("batchnorm_backward", "public")
    _explain(report, one_of_the_two, case, first_difference(one_of_the_two, right))
    assert report.hints == ["bn_gradients_not_summed"]

    wrong_elsewhere = (2 * right[0], right[1], right[2])
    report = Report("batchnorm_backward", "public")
    _explain(report, wrong_elsewhere, case, first_difference(wrong_elsewhere, right))
    assert "bn_gradients_not_summed" not in report.hints
