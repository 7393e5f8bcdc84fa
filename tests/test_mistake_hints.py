"""Typical mistakes, written as edits of the reference answers, checked as a learner's cell
would be: each must bring its own hint and no other (helpers.diagnosis ties every fingerprint
to where its cause is possible), exceptions must name the learner's function and line, and a
failure caused by another failing function of the learner must say so.

The learner's code is compiled under a file name outside Python and the course, with its
lines in ``linecache``, as IPython does for a notebook cell.
"""

import linecache
import re
from pathlib import Path

import pytest

from grading.expected import reference_namespace, source_notebook
from grading.submissions import apply_edits, reference_answers
from helpers import checker, diagnosis
from helpers.checker import HINTS, check_function

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PLANAR, DEEP = "planar_classification", "deep_nn_step_by_step"

# (id, assignment, graded function, edits of its reference answer, the one hint expected or None)
MISTAKES = [
    ("init-sizes-swapped", DEEP, "initialize_parameters_deep",
     [("np.random.randn(layer_dims[l], layer_dims[l - 1])", "np.random.randn(layer_dims[l - 1], layer_dims[l])")],
     "transposed_shape"),
    ("product-factors-swapped", DEEP, "linear_forward", [("np.dot(W, A)", "np.dot(A, W)")], "transposed_product"),
    ("star-for-product", DEEP, "linear_forward", [("np.dot(W, A)", "W * A")], "elementwise_product"),
    ("output-layer-uses-l", DEEP, "L_model_forward",
     [('parameters["W" + str(L)], parameters["b" + str(L)], activation="sigmoid"',
       'parameters["W" + str(l)], parameters["b" + str(l)], activation="sigmoid"')], "wrong_layer_index"),
    ("cache-of-another-layer", DEEP, "L_model_backward",
     [("current_cache = caches[l - 1]", "current_cache = caches[l]")], "wrong_layer_index"),
    ("db-summed-over-units", DEEP, "linear_backward",
     [("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=0, keepdims=True)")], "wrong_sum_axis"),
    ("float32-arithmetic", DEEP, "linear_backward",
     [("A_prev, W, b = cache", "A_prev, W, b = (x.astype(np.float32) for x in cache)\n    dZ = dZ.astype(np.float32)")],
     "float32"),
    ("no-return", DEEP, "linear_forward", [("    return Z, cache", "    result = (Z, cache)")], "missing_return"),
    ("last-layer-skipped", DEEP, "update_parameters", [("range(1, L + 1)", "range(1, L)")], "skipped_layer"),
    ("tanh-derivative-transposed", PLANAR, "backward_propagation",
     [("(1 - np.power(A1, 2))", "(1 - np.power(A1, 2)).T")], None),  # a broadcasting error where `*` is right
    ("cost-summed-over-axis-0", PLANAR, "compute_cost",
     [("np.sum(logprobs)", "np.sum(logprobs, axis=0)")], "cost_not_summed"),
    ("hard-coded-learning-rate", PLANAR, "update_parameters",
     [(f"{name} = {name} - learning_rate * d{name}", f"{name} = {name} - 1.2 * d{name}") for name in
      ("W1", "b1", "W2", "b2")], "fixed_learning_rate"),
    ("probabilities-for-labels", PLANAR, "predict", [("predictions = (A2 > 0.5).astype(int)", "predictions = A2")],
     "returned_probabilities"),
    ("db-without-keepdims", PLANAR, "backward_propagation",
     [("db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)", "db2 = (1 / m) * np.sum(dZ2, axis=1)")],
     "forgot_keepdims"),
]


@pytest.fixture(autouse=True)
def fresh_results(monkeypatch):
    """Each test starts a session of its own: no check has run yet."""
    monkeypatch.setattr(checker, "CHECK_RESULTS", {})


def learner_namespace(assignment, broken=()):
    """The reference functions of ``assignment`` with ``broken`` [(grade_id, edits)] compiled
    as a learner's cells would be, in one namespace (a fresh one: the functions look each
    other up in it, as in a kernel)."""
    namespace = reference_namespace(source_notebook(assignment))
    for grade_id, edits in broken:
        source = apply_edits(reference_answers(assignment)[grade_id], edits, grade_id)
        filename = f"/tmp/ipykernel_0/{assignment}-{grade_id}.py"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return namespace


def run_check(assignment, grade_id, namespace):
    return check_function(namespace[grade_id], grade_id, path=NOTEBOOKS / assignment / "public_checks.h5",
                          verbose=False)


def hints_of(report):
    """Names of the hints a report gives (each hint recognised by its text up to its first field)."""
    lines = [en.removeprefix("Hint: ") for en, _ in report.lines if en.startswith("Hint: ")]
    return {name for name, (en, _) in HINTS.items() for line in lines if line.startswith(en.split("{")[0])}


def test_hint_texts_are_told_apart_by_their_beginnings():
    beginnings = [en.split("{")[0] for en, _ in HINTS.values()]
    for index, start in enumerate(beginnings):
        assert not [other for j, other in enumerate(beginnings) if j != index and other.startswith(start)], start


@pytest.mark.parametrize("assignment, grade_id, edits, hint", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_each_mistake_gets_its_own_hint_and_no_other(assignment, grade_id, edits, hint):
    report = run_check(assignment, grade_id, learner_namespace(assignment, [(grade_id, edits)]))
    assert not report.passed
    assert hints_of(report) == ({hint} if hint else set()), report.text()


def test_every_fingerprint_of_the_diagnosis_has_a_recorded_mistake():
    returned = set(re.findall(r'return "(\w+)"', Path(diagnosis.__file__).read_text(encoding="utf-8")))
    returned |= set(re.findall(r'^\s+return "(\w+)", ', Path(diagnosis.__file__).read_text(encoding="utf-8"), re.M))
    meanings = set(checker.MEANINGS)
    fingerprints = returned - meanings
    assert fingerprints <= set(HINTS)
    untested = fingerprints - {mistake[-1] for mistake in MISTAKES} - {"sign_flipped", "constant_factor"}
    assert not untested, f"fingerprints without a recorded mistake: {sorted(untested)}"


def test_an_exception_names_the_learners_function_and_line_and_explains_the_message():
    edits = [("(1 - np.power(A1, 2))", "(1 - np.power(A1, 2)).T")]
    report = run_check(PLANAR, "backward_propagation", learner_namespace(PLANAR, [("backward_propagation", edits)]))
    text = report.text()
    assert "Where: line" in text and "of your `backward_propagation`" in text
    assert "`dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2)).T`" in text
    assert "出错位置：你的 `backward_propagation` 第" in text
    en, zh = checker.MEANINGS["shapes_do_not_broadcast"]
    # the course's sentence first, numpy's own words after it
    assert text.index(en) < text.index("could not be broadcast") and zh in text


def test_an_error_inside_another_function_names_the_call_it_came_from():
    edits = [('parameters["W" + str(L)], parameters["b" + str(L)], activation="sigmoid"',
              'parameters["W" + str(l)], parameters["b" + str(l)], activation="sigmoid"')]
    report = run_check(DEEP, "L_model_forward", learner_namespace(DEEP, [("L_model_forward", edits)]))
    text = report.text()
    assert "of your `linear_forward`" in text
    assert "That call started at line" in text and "这次调用从 `L_model_forward` 的第" in text
    assert 'parameters["W" + str(l)], parameters["b" + str(l)], activation="sigmoid"' in text


def test_a_failure_caused_by_a_failing_function_it_calls_says_fix_that_first():
    broken = [("compute_cost", [("np.sum(logprobs)", "np.sum(logprobs, axis=0)")])]
    namespace = learner_namespace(PLANAR, broken)
    assert not run_check(PLANAR, "compute_cost", namespace).passed
    report = run_check(PLANAR, "nn_model", namespace)  # the reference nn_model, calling the broken cost
    assert not report.passed
    assert "`nn_model` calls your `compute_cost`, which fails its own check: fix `compute_cost` first" in report.text()
    assert "`nn_model` 调用了你的 `compute_cost`" in report.text()


def test_a_wrong_value_caused_by_a_failing_callee_says_so_too():
    broken = [("linear_backward", [("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1)")])]
    namespace = learner_namespace(DEEP, broken)
    assert not run_check(DEEP, "linear_backward", namespace).passed
    report = run_check(DEEP, "linear_activation_backward", namespace)
    assert "calls your `linear_backward`, which fails its own check" in report.text()


def test_no_callee_is_blamed_before_its_check_has_run_or_once_it_passes():
    broken = [("compute_cost", [("np.sum(logprobs)", "np.sum(logprobs, axis=0)")])]
    namespace = learner_namespace(PLANAR, broken)
    assert "fails its own check" not in run_check(PLANAR, "nn_model", namespace).text()
    checker.CHECK_RESULTS["compute_cost"] = True
    assert "fails its own check" not in run_check(PLANAR, "nn_model", namespace).text()


def test_a_quoted_line_drops_its_comment_but_keeps_a_hash_inside_a_string():
    assert diagnosis.code_of("    cost = float(np.squeeze(cost))  # e.g. [[0.69]]") == "cost = float(np.squeeze(cost))"
    assert diagnosis.code_of('key = "#W" + str(l)  # the key') == 'key = "#W" + str(l)'
    assert diagnosis.code_of("x = (1 +") == "x = (1 +"  # an unfinished line is quoted as it is


def test_hidden_cases_give_the_line_number_but_quote_no_line(monkeypatch):
    edits = [("(1 - np.power(A1, 2))", "(1 - np.power(A1, 2)).T")]
    namespace = learner_namespace(PLANAR, [("backward_propagation", edits)])
    hidden = Path(__file__).resolve().parent.parent / "grading" / "hidden" / f"{PLANAR}.h5"
    report = check_function(namespace["backward_propagation"], "backward_propagation", suite="hidden", path=hidden,
                            verbose=False)
    text = report.text()
    assert "Where: line" in text and "np.power" not in text and "could not be broadcast" not in text


@pytest.mark.parametrize("label, en, zh", [
    ("上面的例子（3 个样本）", "the example above (3 examples)", "上面的例子，3 个样本"),
    ("`predict`（会打印准确率（accuracy））", "", "`predict`，会打印准确率"),
])
def test_case_labels_never_nest_brackets(label, en, zh):
    assert checker.unnested(label) == zh
    if en:
        assert checker.unnested(en, "en") == "the example above, 3 examples"


def test_chinese_messages_describe_types_in_chinese_and_english_counts_agree():
    import numpy as np

    diff = checker.first_difference(np.zeros((1, 1)), (np.zeros((2, 1)), np.zeros(1)))
    assert diff.en == "the return value should be a tuple of 2 items, got an array of shape (1, 1)."
    assert diff.zh == "返回值应该是包含 2 项的元组（tuple），实际是形状为 (1, 1) 的数组。"
    diff = checker.first_difference({"A": [np.zeros(1)]}, {"A": 1.0})
    assert diff.en == "the return value['A'] should be a number, got a list of 1 item."
    assert diff.zh == "返回值['A'] 应该是一个数，实际是包含 1 项的列表（list）。"
    diff = checker.first_difference(np.zeros((1, 1)), 0.5)
    assert "list" not in diff.zh and "ndarray" not in diff.zh and "形状为 (1, 1) 的数组" in diff.zh
    assert checker.first_difference(None, np.zeros(2)).zh.endswith("实际是空值 None（没有返回值）。")
