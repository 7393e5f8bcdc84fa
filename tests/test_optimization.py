"""The optimization assignment beyond the generic tests: the seed's printed
numbers, the partition of random_mini_batches (reference and checker), the
model's conventions (seeds, Adam's t, cost, decay), helpers.optimization_utils,
and the recipe's mistakes."""

import copy
import re

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading import cells as C
from grading.cases import optimization as recipe
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import read_cases
from helpers.checker import HINTS, PUBLIC_FILE, first_difference
from helpers.errors import CourseError
from helpers.optimization_utils import (
    check_mini_batch_partition,
    expected_batch_sizes,
    initialize_parameters_he,
    labelled_examples,
    partition_problems,
)
from helpers.planar_data import load_moons_dataset
from helpers.three_layer_net import backward_propagation, cross_entropy_sum, forward_propagation

ASSIGNMENT = "optimization"
NOTEBOOK = source_notebook(ASSIGNMENT)
HAN = re.compile(r"[\u4e00-\u9fff]")
# (m, mini_batch_size): multiples and non-multiples, a batch larger than m, and batches of one.
SIZES = [(148, 64), (128, 32), (256, 64), (300, 64), (200, 64), (10, 3), (9, 3), (5, 8), (6, 1), (1, 4)]


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(NOTEBOOK)


@pytest.fixture(scope="module")
def model(ref):
    """The notebook's given model(), defined in a namespace holding the reference solutions."""
    namespace = dict(ref)
    namespace["train_X"], namespace["train_Y"] = load_moons_dataset()
    source = next(cell.source for cell in C.read(NOTEBOOK).cells
                  if cell.cell_type == "code" and "def model(" in cell.source)
    exec(compile(source, "model cell", "exec"), namespace)
    return namespace["model"]


def stored(function, case, suite="public"):
    path = NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE if suite == "public" else HIDDEN_DIR / f"{ASSIGNMENT}.h5"
    return next(c for c in read_cases(path, function) if c["name"] == case)


# ----------------------------------------------------------------- the seed's numbers
def test_seed_learning_rates_are_reproduced_to_every_digit():
    assert repr(stored("update_lr", "1_seed_example")["expected"]) == "0.16666666666666666"
    assert stored("schedule_lr_decay", "1_seed_epoch_100")["expected"] == 0.5
    assert stored("schedule_lr_decay", "2_seed_epoch_10000")["expected"] == 0.125


def test_classic_mini_batch_shapes_and_the_smaller_stored_recipe(ref):
    np.random.seed(1)
    X = np.random.randn(12288, 148)
    Y = np.random.randn(1, 148) < 0.5
    batches = ref["random_mini_batches"](X, Y, 64)
    assert [(bx.shape, by.shape) for bx, by in batches] == [((12288, 64), (1, 64)), ((12288, 64), (1, 64)),
                                                            ((12288, 20), (1, 20))]
    # The stored case uses 12 rows of the same recipe: the same first row, so the same printed sanity check.
    small = stored("random_mini_batches", "1_seed_recipe")
    np.testing.assert_array_equal(small["inputs"]["X"][0], X[0])
    np.testing.assert_array_equal(small["expected"][0][0][0], batches[0][0][0])


# ----------------------------------------------------------------- the partition of the examples
@pytest.mark.parametrize("m, size", SIZES)
def test_reference_keeps_every_example_once_with_its_label(ref, m, size):
    X, Y = labelled_examples(m, seed=m)
    batches = ref["random_mini_batches"](X, Y, size, seed=m)
    assert [bx.shape[1] for bx, _ in batches] == expected_batch_sizes(m, size)
    ids = np.concatenate([bx[0] for bx, _ in batches]).astype(int)
    assert sorted(ids) == list(range(m))  # every example exactly once
    for bx, by in batches:
        np.testing.assert_array_equal(bx, X[:, bx[0].astype(int)])  # whole columns
        np.testing.assert_array_equal(by, Y[:, bx[0].astype(int)])  # each label with its example
    assert partition_problems(batches, X, Y, size) == []


def test_partition_check_passes_the_reference_on_the_sizes_of_the_test_cell(ref):
    source = next(cell.source for cell in C.read(NOTEBOOK).cells
                  if cell.metadata.get("nbgrader", {}).get("grade_id") == "random_mini_batches_tests")
    calls = re.findall(r"check_mini_batch_partition\(random_mini_batches, sizes=(\[.*?\])(?:, seed=(\d+))?\)", source)
    assert len(calls) == 2, "public and hidden partition checks"
    sizes_seen = []
    for sizes, seed in calls:
        sizes = eval(sizes)  # a literal list written in the notebook
        sizes_seen += sizes
        report = check_mini_batch_partition(ref["random_mini_batches"], sizes=sizes, seed=int(seed or 0), verbose=False)
        assert report.passed, report.text()
    assert any(m % size == 0 for m, size in sizes_seen) and any(m % size for m, size in sizes_seen)


def test_stored_mini_batch_cases_cover_multiples_and_non_multiples():
    sizes = []
    for suite in ("public", "hidden"):
        path = NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE if suite == "public" else HIDDEN_DIR / f"{ASSIGNMENT}.h5"
        for case in read_cases(path, "random_mini_batches"):
            m, size = case["inputs"]["X"].shape[1], case["inputs"]["mini_batch_size"]
            sizes.append((suite, m % size == 0))
            assert [bx.shape[1] for bx, _ in case["expected"]] == expected_batch_sizes(m, size)
    assert ("hidden", True) in sizes and ("hidden", False) in sizes and ("public", True) in sizes


def _shuffle(X, Y, seed):
    np.random.seed(seed)
    permutation = np.random.permutation(X.shape[1])
    return X[:, permutation], Y[:, permutation]


def _cut(X, Y, size, last=True):
    m = X.shape[1]
    batches = [(X[:, k * size:(k + 1) * size], Y[:, k * size:(k + 1) * size]) for k in range(m // size)]
    if last and m % size:
        batches.append((X[:, (m // size) * size:], Y[:, (m // size) * size:]))
    return batches


def apart(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    return _cut(X[:, np.random.permutation(X.shape[1])], Y[:, np.random.permutation(X.shape[1])], mini_batch_size)


def no_last(X, Y, mini_batch_size=64, seed=0):
    return _cut(*_shuffle(X, Y, seed), mini_batch_size, last=False)


def not_shuffled(X, Y, mini_batch_size=64, seed=0):
    return _cut(X, Y, mini_batch_size)


def overlapping(X, Y, mini_batch_size=64, seed=0):
    sx, sy = _shuffle(X, Y, seed)
    m = X.shape[1]
    return [(sx[:, max(0, k * mini_batch_size - 1):(k + 1) * mini_batch_size],
             sy[:, max(0, k * mini_batch_size - 1):(k + 1) * mini_batch_size]) for k in range(-(-m // mini_batch_size))]


def rows_shuffled(X, Y, mini_batch_size=64, seed=0):
    sx, sy = _shuffle(X, Y, seed)
    sx = sx.copy()
    sx[1:] = sx[1:, np.random.permutation(X.shape[1])]  # the other features moved to other columns
    return _cut(sx, sy, mini_batch_size)


def rows_reversed(X, Y, mini_batch_size=64, seed=0):
    sx, sy = _shuffle(X, Y, seed)
    return _cut(sx[::-1], sy, mini_batch_size)


def flat_labels(X, Y, mini_batch_size=64, seed=0):
    return [(bx, by.ravel()) for bx, by in _cut(*_shuffle(X, Y, seed), mini_batch_size)]


def empty_last(X, Y, mini_batch_size=64, seed=0):
    sx, sy = _shuffle(X, Y, seed)
    m = X.shape[1]
    return _cut(sx, sy, mini_batch_size, last=False) + [(sx[:, m:], sy[:, m:])]


def blank(X, Y, mini_batch_size=64, seed=0):
    raise NotImplementedError()


def strings(X, Y, mini_batch_size=64, seed=0):
    return [(np.array([["a"] * 4] * 3), np.zeros((1, 4)))]


def crashes(X, Y, mini_batch_size=64, seed=0):
    return X[:, :, :]


@pytest.mark.parametrize("variant, words, sizes", [
    (apart, "Shuffle X and Y with the same permutation", [(148, 64)]),
    (no_last, "in no mini-batch", [(148, 64)]),
    (not_shuffled, "kept their original order", [(148, 64)]),
    (overlapping, "more than one mini-batch", [(148, 64)]),
    (rows_shuffled, "rows of an X column were separated", [(148, 64)]),
    (rows_reversed, "not columns of X", [(148, 64)]),
    (flat_labels, "mini_batch_Y should have shape (1, 64)", [(148, 64)]),
    (empty_last, "the sizes should be [64, 64]", [(128, 64)]),
    (blank, "not implemented yet", [(148, 64)]),
    (crashes, "IndexError", [(148, 64)]),
    (strings, "could not be read as arrays of numbers", [(148, 64)]),
])
def test_partition_check_names_each_wrong_partition(variant, words, sizes, capsys):
    report = check_mini_batch_partition(variant, sizes=sizes)
    printed = capsys.readouterr()
    assert not report.passed
    assert words in printed.out and printed.err == ""
    assert HAN.search(report.text()) and "见上方报告" in report.summary


def test_partition_check_reports_warnings_on_stdout(ref, capsys):
    def noisy(X, Y, mini_batch_size=64, seed=0):
        import sys
        import warnings
        warnings.warn("checking my batches", stacklevel=2)
        print("debug", file=sys.stderr)
        return ref["random_mini_batches"](X, Y, mini_batch_size, seed)

    report = check_mini_batch_partition(noisy, sizes=[(20, 6)])
    printed = capsys.readouterr()
    assert report.passed and printed.err == ""
    assert "checking my batches" in printed.out and "debug" in printed.out


def test_partition_check_refuses_a_non_function():
    with pytest.raises(CourseError) as error:
        check_mini_batch_partition(None)
    assert HAN.search(error.value.zh)


# ----------------------------------------------------------------- He initialization
def test_he_initialization_classic_seed_shapes_and_scale():
    parameters = initialize_parameters_he([2, 5, 2, 1])
    assert [(k, v.shape) for k, v in parameters.items()] == [
        ("W1", (5, 2)), ("b1", (5, 1)), ("W2", (2, 5)), ("b2", (2, 1)), ("W3", (1, 2)), ("b3", (1, 1))]
    np.random.seed(3)
    np.testing.assert_array_equal(parameters["W1"], np.random.randn(5, 2) * np.sqrt(2 / 2))
    np.testing.assert_array_equal(parameters["W2"], np.random.randn(2, 5) * np.sqrt(2 / 5))
    assert parameters["W1"][0, 0] == pytest.approx(1.78862847, abs=1e-8)  # the first draw after np.random.seed(3)
    assert not any(parameters[f"b{l}"].any() for l in (1, 2, 3))
    wide = initialize_parameters_he([400, 300])
    assert wide["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


@pytest.mark.parametrize("bad", [[3], 5, [2, 0, 1], [2, 2.5, 1], "21", [2, True]])
def test_he_initialization_rejects_bad_layer_sizes(bad):
    with pytest.raises(CourseError) as error:
        initialize_parameters_he(bad)
    assert "layers_dims" in error.value.en and HAN.search(error.value.zh)


# ----------------------------------------------------------------- the given model
def test_model_follows_the_documented_conventions_for_adam(ref, model):
    X, Y = load_moons_dataset()
    parameters, costs = model(X, Y, [2, 5, 2, 1], "adam", learning_rate=0.01, num_epochs=2, print_cost=False)
    # By hand: He initialization, seed 11 then 12, t = 1, 2, ... per mini-batch, cost = sum / m.
    expected = initialize_parameters_he([2, 5, 2, 1])
    v, s = ref["initialize_adam"](expected)
    t, total = 0, 0.0
    for epoch, seed in enumerate((11, 12)):
        for bx, by in ref["random_mini_batches"](X, Y, 64, seed):
            a3, cache = forward_propagation(bx, expected)
            if epoch == 0:
                total += cross_entropy_sum(a3, by)
            grads = backward_propagation(bx, by, cache)
            t += 1
            expected, v, s, _, _ = ref["update_parameters_with_adam"](expected, grads, v, s, t, 0.01, 0.9, 0.999, 1e-8)
    assert t == 10
    assert first_difference(parameters, expected) is None
    assert costs == [pytest.approx(total / X.shape[1], rel=1e-12)]


def test_model_applies_the_decayed_rate_from_the_next_epoch(model):
    X, Y = load_moons_dataset()
    calls = []

    def frozen(learning_rate0, epoch_num, decay_rate):
        calls.append((learning_rate0, epoch_num, decay_rate))
        return 0.0

    one, _ = model(X, Y, [2, 5, 2, 1], "gd", learning_rate=0.1, num_epochs=1, print_cost=False)
    three, _ = model(X, Y, [2, 5, 2, 1], "gd", learning_rate=0.1, num_epochs=3, print_cost=False,
                     decay=frozen, decay_rate=7)
    assert calls == [(0.1, 0, 7), (0.1, 1, 7), (0.1, 2, 7)]
    assert first_difference(three, one) is None  # epochs 1 and 2 ran with learning rate 0


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_model_lowers_the_cost_with_every_optimizer(model, optimizer, capsys):
    X, Y = load_moons_dataset()
    _, costs = model(X, Y, [2, 5, 2, 1], optimizer, learning_rate=0.05 if optimizer in ("gd", "momentum") else 0.01,
                     num_epochs=201)
    assert len(costs) == 3 and costs[-1] < costs[0]
    assert capsys.readouterr().out.startswith("Cost after epoch 0: ")


def test_model_rejects_an_unknown_optimizer_and_a_bad_decay(model):
    X, Y = load_moons_dataset()
    with pytest.raises(CourseError) as error:
        model(X, Y, [2, 5, 2, 1], "sgd", num_epochs=1)
    assert "optimizer" in error.value.en and HAN.search(error.value.zh)
    with pytest.raises(CourseError):
        model(X, Y, [2, 5, 2, 1], "gd", num_epochs=1, decay=0.5)


# ----------------------------------------------------------------- graded functions: edges
def test_adam_refuses_t_below_one(ref):
    parameters, grads = recipe._classic_parameters_and_grads()
    v, s = ref["initialize_adam"](parameters)
    with pytest.raises(CourseError) as error:
        ref["update_parameters_with_adam"](parameters, grads, v, s, 0)
    assert "starts at 1" in error.value.en and HAN.search(error.value.zh)


def test_adam_first_step_moves_every_coordinate_by_the_learning_rate(ref):
    parameters, grads = recipe._classic_parameters_and_grads()
    v, s = ref["initialize_adam"](parameters)
    new = ref["update_parameters_with_adam"](parameters, grads, v, s, 1, learning_rate=0.01)[0]
    for key in parameters:
        np.testing.assert_allclose(np.abs(new[key] - parameters[key]), 0.01, rtol=1e-5)


def test_update_functions_leave_their_inputs_alone(ref):
    parameters, grads = recipe._classic_parameters_and_grads()
    zeros = recipe._zeros(parameters)
    pristine = copy.deepcopy((parameters, grads))
    ref["update_parameters_with_gd"](parameters, grads, 0.1)
    ref["update_parameters_with_momentum"](parameters, grads, zeros, 0.9, 0.1)
    ref["update_parameters_with_rmsprop"](parameters, grads, zeros, 0.9, 0.1)
    ref["update_parameters_with_adam"](parameters, grads, zeros, zeros, 3)
    assert first_difference((parameters, grads), pristine) is None and not any(z.any() for z in zeros.values())


@pytest.mark.parametrize("size, Y", [(0, None), (2.5, None), (4, np.zeros((1, 7)))])
def test_random_mini_batches_rejects_bad_input_clearly(ref, size, Y):
    X = np.zeros((2, 8))
    with pytest.raises(CourseError) as error:
        ref["random_mini_batches"](X, np.zeros((1, 8)) if Y is None else Y, size)
    assert HAN.search(error.value.zh)


def test_schedule_decays_only_at_multiples_of_the_interval(ref):
    rates = [ref["schedule_lr_decay"](0.1, epoch, 1, time_interval=1000) for epoch in (0, 999, 1000, 1999, 2000)]
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.1 / 3])


# ----------------------------------------------------------------- the recipe's mistakes and demo cohort
def test_mistake_hints_are_bilingual_and_each_variant_is_recognisable(ref):
    variants = recipe._mistakes(ref)
    named = {name for found in variants.values() for name in found}
    assert named <= set(HINTS)
    for name in named:
        en, zh = HINTS[name]
        assert en.isascii() and HAN.search(zh), name
    # Every variant gives a wrong answer on at least one case, so its stored output can identify it.
    cases = recipe.cases(ref)
    for function, found in variants.items():
        for name, variant in found.items():
            with np.errstate(all="ignore"):
                assert any(first_difference(variant(**copy.deepcopy(c.inputs)), ref[function](**copy.deepcopy(c.inputs)))
                           for c in cases if c.function == function), (function, name)


def test_stored_case_files_stay_small():
    for path in (NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE, HIDDEN_DIR / f"{ASSIGNMENT}.h5"):
        assert path.stat().st_size < 700_000, path
