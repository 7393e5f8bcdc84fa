"""Typical mistakes, written as edits of the reference answers, checked as a learner's cell
would be: each must bring its own hint and no other (helpers.diagnosis ties every fingerprint
to where its cause is possible), exceptions must name the learner's function and line, and a
failure caused by another failing function of the learner must say so.

One matrix holds every recorded mistake (the recipes' stored variants, the mistakes below and
the demo cohort's) against every hint: see test_each_recorded_mistake_gets_its_own_hint_and_no_other.

The learner's code is compiled under a file name outside Python and the course, with its
lines in ``linecache``, as IPython does for a notebook cell.
"""

import copy
import linecache
import re
from pathlib import Path

import pytest

from grading.expected import assignments, recipe, reference_namespace, source_notebook
from grading.submissions import apply_edits, reference_answers
from helpers import checker, diagnosis
from helpers.checker import HINTS, check_function

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PLANAR, DEEP, APP = "planar_classification", "deep_nn_step_by_step", "deep_nn_application"

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
    ("costs-of-every-iteration", APP, "L_layer_model",  # stored on a hidden case only: the fingerprint names it
     [("        if i % 100 == 0:\n            costs.append(float(cost))",
       "        costs.append(float(cost))\n        if i % 100 == 0:")], "costs_every_100"),
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


# ---------------------------------------------------------------- the matrix: every recorded mistake, every hint

SUITES = {"public": lambda assignment: NOTEBOOKS / assignment / "public_checks.h5",
          "hidden": lambda assignment: ROOT / "grading" / "hidden" / f"{assignment}.h5"}

# The hint that each function a demo mistake breaks must get, or None where no hint may be given.
# {(assignment, student): {graded function: hint}}, every function of the mistake's edits and `lost` set.
DEMO_HINTS = {
    ("batch_norm_softmax", "ivy_softmax_rows"): {"softmax": "softmax_wrong_axis"},
    ("batch_norm_softmax", "jun_sample_variance"): {"batchnorm_forward": "bn_sample_variance"},
    ("batch_norm_softmax", "kai_momentum_swapped"): {"batchnorm_forward": "bn_momentum_swapped"},
    # Only dgamma is left unsummed; the stored bn_gradients_not_summed leaves dbeta unsummed too, and is
    # recognised at the first wrong part of the result (helpers.checker._mistake_at_first_wrong_part).
    ("batch_norm_softmax", "lea_dgamma_not_summed"): {"batchnorm_backward": "bn_gradients_not_summed"},
    ("deep_nn_application", "chen_costs_only_when_printing"): {"two_layer_model": "costs_every_100"},
    ("deep_nn_application", "dana_fixed_learning_rate"): {"L_layer_model": "ignored_learning_rate"},
    ("deep_nn_application", "omar_probabilities"): {"predict": "returned_probabilities"},
    ("deep_nn_step_by_step", "chen_cost_without_mean"): {"compute_cost": "forgot_one_over_m"},
    # The callers return the callee's 1-D db: the shape fingerprint names the same slip there.
    ("deep_nn_step_by_step", "dana_no_keepdims"): {"linear_backward": "forgot_keepdims",
                                                    "linear_activation_backward": "forgot_keepdims",
                                                    "L_model_backward": "forgot_keepdims"},
    # No hint describes these formulas; a function that fails through a failing callee (gradient_check,
    # and below random_search and nn_model) gets the callee blamed in words, not a hint of its own.
    ("gradient_checking", "kai_forgot_two_epsilon"): {"gradient_check_n": None},
    ("gradient_checking", "lin_derivative_is_theta"): {"backward_propagation": None, "gradient_check": None},
    ("gradient_checking", "mei_no_denominator"): {"gradient_check": None},
    ("hyperparameter_tuning", "mei_test_own_statistics"): {"normalize_inputs": "test_own_statistics"},
    ("hyperparameter_tuning", "nils_shuffled_apart"): {"split_dataset": "shuffled_apart"},
    ("hyperparameter_tuning", "omar_last_epoch"): {"train_with_early_stopping": "early_stopping_last_epoch"},
    # random_search stores the uniform sampler's trials as a mistake of its own
    ("hyperparameter_tuning", "pia_uniform_sampling"): {"sample_log_uniform": "uniform_not_log",
                                                         "sample_beta": "uniform_not_log",
                                                         "random_search": "uniform_not_log"},
    ("hyperparameter_tuning", "quinn_beta_directly"): {"sample_beta": "beta_sampled_directly",
                                                       "random_search": "beta_sampled_directly"},
    ("initialization", "fang_xavier_instead_of_he"): {"initialize_parameters_he": "constant_factor"},
    ("initialization", "gao_small_random"): {"initialize_parameters_random": "constant_factor"},
    ("initialization", "hu_zero_weights_random_biases"): {"initialize_parameters_zeros": None},
    ("optimization", "fay_adam_t_minus_one"): {"update_parameters_with_adam": "bias_correction_t_minus_one"},
    ("optimization", "gus_momentum_without_one_minus_beta"): {
        "update_parameters_with_momentum": "momentum_without_one_minus_beta"},
    ("optimization", "hana_shuffled_apart"): {"random_mini_batches": "shuffled_apart"},
    ("planar_classification", "chen_cost_without_mean"): {"compute_cost": "forgot_one_over_m"},
    ("planar_classification", "dana_sigmoid_derivative"): {"backward_propagation": "wrong_tanh_derivative",
                                                            "nn_model": None},
    ("planar_classification", "omar_fixed_hidden_size"): {"nn_model": "ignored_n_h"},
    ("regularization", "farid_no_rescale_in_backward"): {"backward_propagation_with_dropout": "dropout_forgot_scale"},
    ("regularization", "greta_l2_without_half"): {"compute_cost_with_regularization": "l2_factor_two"},
    ("regularization", "hugo_keeps_the_dropped_units"): {"forward_propagation_with_dropout": "dropout_mask_inverted"},
}
UNRECORDED = "a demo mistake missing from DEMO_HINTS"


def variant_key(variant):
    """What tells two stored variants apart: their code and the plain values they close over
    (deep_nn_application's recipe makes a new closure per case for one and the same mistake)."""
    cells = [cell.cell_contents for cell in variant.__closure__ or ()]
    return variant.__code__, tuple(c if isinstance(c, (str, int, float, type(None))) else id(c) for c in cells)


def recipe_variants(assignment):
    """[(graded function, hint, variant, name of the first case storing it)] of the recipe's wrong variants.

    Read from the recipe's cases, not from ``_mistakes(ref)`` alone: the cases are what is stored,
    and a recipe may give a case variants of its own (deep_nn_application has no ``_mistakes``)."""
    ref = reference_namespace(source_notebook(assignment))
    found = {}
    for case in recipe(assignment).cases(ref):
        for hint, variant in case.mistakes.items():
            found.setdefault((case.function, hint, variant_key(variant)), (case.function, hint, variant, case.name))
    return list(found.values())


def demo_mistakes():
    """[(assignment, student, edits, functions the mistake breaks)] of every recipe's demo cohort."""
    return [(assignment, student, edits, sorted(set(edits) | set(lost))) for assignment in assignments()
            for student, (edits, _, lost) in getattr(recipe(assignment), "DEMO_MISTAKES", {}).items()]


def matrix_rows():
    """pytest params (assignment, graded function, maker of the function to check, its own hint)."""
    rows = []
    for assignment in assignments():
        variants = recipe_variants(assignment)
        for function, hint, variant, case_name in variants:
            # a hint with several variants of one function: name each by the case that stores it first
            shared = sum(1 for other in variants if other[:2] == (function, hint)) > 1
            rows.append(pytest.param(assignment, function, lambda variant=variant: variant, hint,
                                     id=f"recipe-{assignment}-{function}-{hint}" + (f"@{case_name}" if shared else "")))
    for name, assignment, function, edits, hint in MISTAKES:
        rows.append(pytest.param(assignment, function,
                                 lambda a=assignment, f=function, e=edits: learner_namespace(a, [(f, e)])[f],
                                 hint, id=f"diagnosis-{name}"))
    for assignment, student, edits, functions in demo_mistakes():
        for function in functions:
            rows.append(pytest.param(assignment, function,
                                     lambda a=assignment, e=edits, f=function: learner_namespace(a, list(e.items()))[f],
                                     DEMO_HINTS.get((assignment, student), {}).get(function, UNRECORDED),
                                     id=f"demo-{assignment}-{student}-{function}"))
    return rows


_READ = {}


@pytest.fixture
def cases_read_once(monkeypatch):
    """Each case file is read once for the whole matrix (reading is most of a check's time); every
    check still gets a copy of its own."""
    read_cases = checker.read_cases

    def read_once(path, function_name):
        key = (str(path), Path(path).stat().st_mtime_ns, function_name)
        if key not in _READ:
            _READ[key] = read_cases(path, function_name)
        return copy.deepcopy(_READ[key])

    monkeypatch.setattr(checker, "read_cases", read_once)


@pytest.mark.parametrize("assignment, grade_id, make, own", matrix_rows())
def test_each_recorded_mistake_gets_its_own_hint_and_no_other(assignment, grade_id, make, own, cases_read_once):
    """One row per recorded mistake, checked against every hint of HINTS, stored or fingerprinted.

    The rows: every wrong variant a recipe stores, under its hint; the diagnosis mistakes of
    MISTAKES, under theirs; every function a demo-cohort mistake breaks, under DEMO_HINTS's hint.
    "Its own hint" is that hint, or no hint at all where it is None.

    Both suites are checked, each as a learner or the grader sees it: a suite stops at its first
    failing case, and wherever the mistake fails, the report must name its own hint and nothing
    else, neither another stored mistake nor a fingerprint. A stored variant is dropped from each
    case where it gives the right answer, so it may legitimately pass the public suite (or the
    hidden one); it must still fail one of them, or it is a variant no stored case tells from the
    answer, which the recipe must give a case where it differs, or drop. A variant that fails a
    suite first on a case that stores another variant under its hint (a recipe may vary them per
    case) must be named there by a fingerprint, or it fails here.
    """
    assert own is not UNRECORDED, "record the hint of this demo mistake (or None) in DEMO_HINTS"
    function = make()
    caught = []
    for suite, path in SUITES.items():
        report = check_function(function, grade_id, suite=suite, path=path(assignment), verbose=False)
        if report.passed:
            continue
        caught.append(suite)
        english = "\n".join(en for en, _ in report.lines)
        assert len([en for en, _ in report.lines if en.startswith("Hint: ")]) == len(report.hints), english
        unexpected = sorted(set(report.hints) - {own})
        assert not unexpected, f"{suite} suite: unexpected hint {unexpected}, its own is {own}\n{english}"
        assert report.hints == ([own] if own else []), f"{suite} suite: its own hint {own} is missing\n{english}"
    assert caught, "no suite catches this mistake: give the recipe a case where it differs, or drop it"


def test_demo_hints_cover_exactly_the_functions_the_demo_mistakes_break():
    broken = {(assignment, student): set(functions) for assignment, student, _, functions in demo_mistakes()}
    assert {key: set(hints) for key, hints in DEMO_HINTS.items()} == broken
    assert {hint for hints in DEMO_HINTS.values() for hint in hints.values()} - {None} <= set(HINTS)


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
