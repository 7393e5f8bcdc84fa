"""What the generic tests do not cover for the assignment "regularization":
the reference solutions agree with the mathematics (finite differences, keep_prob = 1,
the expected value of inverted dropout), reproduce the classic test cases, reject bad
input with bilingual errors, and the notebook's prose tells what its printouts show."""

import re

import numpy as np
import pytest

from grading import NOTEBOOKS_DIR
from grading import cells as C
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import read_cases
from helpers.checker import PUBLIC_FILE
from helpers.errors import CourseError

ASSIGNMENT = "regularization"
NOTEBOOK = NOTEBOOKS_DIR / ASSIGNMENT / "Regularization.ipynb"


@pytest.fixture(scope="module")
def ref():
    """The imports and reference solutions of the notebook, plus its given `model` cell."""
    namespace = reference_namespace(source_notebook(ASSIGNMENT))
    given = [cell.source for cell in C.read(NOTEBOOK).cells
             if cell.cell_type == "code" and "def model(" in cell.source]
    assert len(given) == 1
    exec(compile(given[0], "model cell", "exec"), namespace)
    return namespace


def random_network(seed, layer_dims=(3, 5, 4, 1), m=6):
    rng = np.random.RandomState(seed)
    X = rng.randn(layer_dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters[f"b{l}"] = 0.1 * rng.randn(layer_dims[l], 1)
    return X, Y, parameters


def classic_inputs():
    """np.random.seed(1); X randn(3, 5); W1 (2, 3), b1, W2 (3, 2), b2, W3 (1, 3), b3."""
    np.random.seed(1)
    X = np.random.randn(3, 5)
    parameters = {}
    for key, shape in (("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 2)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))):
        parameters[key] = np.random.randn(*shape)
    return X, np.array([[1, 1, 0, 1, 0]]), parameters


def stored(function, case_name):
    cases = read_cases(NOTEBOOKS_DIR / ASSIGNMENT / PUBLIC_FILE, function)
    return next(case for case in cases if case["name"] == case_name)


# ----------------------------------------------------------------- mathematics
@pytest.mark.parametrize("lambd", [0.0, 0.7, 3.0])
def test_l2_backward_agrees_with_finite_differences_of_the_l2_cost(ref, lambd):
    X, Y, parameters = random_network(5)
    # No Z may sit at a kink of ReLU, where a finite difference would straddle two slopes.
    _, cache = ref["forward_propagation"](X, parameters)
    assert min(np.abs(cache[0]).min(), np.abs(cache[4]).min()) > 1e-4

    def cost(params):
        A3, _ = ref["forward_propagation"](X, params)
        return ref["compute_cost_with_regularization"](A3, Y, params, lambd)

    grads = ref["backward_propagation_with_regularization"](X, Y, cache, lambd)
    eps = 1e-6
    for key, value in parameters.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += eps
            minus[key][index] -= eps
            numeric[index] = (cost(plus) - cost(minus)) / (2 * eps)
        analytic = grads["d" + key]
        difference = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
        assert difference < 1e-7, (key, difference)


def test_l2_cost_adds_half_lambda_over_m_times_the_squared_weights(ref):
    X, Y, parameters = random_network(6, m=8)
    A3, _ = ref["forward_propagation"](X, parameters)
    plain = ref["compute_cost_with_regularization"](A3, Y, parameters, 0.0)
    assert plain == pytest.approx(ref["compute_loss"](A3, Y), rel=1e-12)
    squares = sum(np.sum(parameters[k] ** 2) for k in ("W1", "W2", "W3"))
    regularized = ref["compute_cost_with_regularization"](A3, Y, parameters, 0.4)
    assert regularized - plain == pytest.approx(0.4 / (2 * 8) * squares, rel=1e-12)
    # the biases are not regularized
    bigger_biases = {k: (v * 10 if k.startswith("b") else v) for k, v in parameters.items()}
    assert ref["compute_cost_with_regularization"](A3, Y, bigger_biases, 0.4) == pytest.approx(regularized, rel=1e-12)


def test_dropout_with_keep_prob_one_is_the_plain_network(ref):
    X, Y, parameters = random_network(7, layer_dims=(2, 20, 3, 1), m=9)
    A3_plain, cache_plain = ref["forward_propagation"](X, parameters)
    A3, cache = ref["forward_propagation_with_dropout"](X, parameters, keep_prob=1.0)
    np.testing.assert_allclose(A3, A3_plain, rtol=1e-12, atol=0)
    assert np.all(cache[1] == 1) and np.all(cache[6] == 1)
    plain_grads = ref["backward_propagation"](X, Y, cache_plain)
    grads = ref["backward_propagation_with_dropout"](X, Y, cache, keep_prob=1.0)
    for key in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        np.testing.assert_allclose(grads[key], plain_grads[key], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("keep_prob", [0.5, 0.86])
def test_inverted_dropout_keeps_the_mean_activation(ref, keep_prob):
    X, _, parameters = random_network(8, layer_dims=(2, 20, 3, 1), m=20000)
    (Z1, D1, A1, *_rest) = ref["forward_propagation_with_dropout"](X, parameters, keep_prob)[1]
    full = np.maximum(0, Z1)
    assert abs(D1.mean() - keep_prob) < 0.01
    assert set(np.unique(D1)) <= {0, 1}
    # Each kept entry is the full activation divided by keep_prob; each dropped entry is 0.
    np.testing.assert_allclose(A1, full * D1 / keep_prob, rtol=1e-12, atol=0)
    assert abs(A1.mean() / full.mean() - 1) < 0.02
    # Without the division the mean would be about keep_prob times too small.
    assert abs((full * D1).mean() / full.mean() - keep_prob) < 0.02


def test_dropout_gradients_agree_with_finite_differences_for_fixed_masks(ref):
    """With its masks fixed (the function reseeds at every call), the dropout network is a
    deterministic function of the parameters, so its gradients can be checked numerically."""
    X, Y, parameters = random_network(9, layer_dims=(3, 6, 4, 1), m=5)
    keep_prob = 0.75

    def cost(params):
        A3, _ = ref["forward_propagation_with_dropout"](X, params, keep_prob)
        return ref["compute_loss"](A3, Y)

    _, cache = ref["forward_propagation_with_dropout"](X, parameters, keep_prob)
    grads = ref["backward_propagation_with_dropout"](X, Y, cache, keep_prob)
    eps = 1e-6
    for key, value in parameters.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += eps
            minus[key][index] -= eps
            numeric[index] = (cost(plus) - cost(minus)) / (2 * eps)
        analytic = grads["d" + key]
        scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
        assert scale == 0 or np.linalg.norm(analytic - numeric) / scale < 1e-7, key


def test_the_masks_are_the_same_at_every_call(ref):
    """The classic seeding the notebook's section 5.4 warns about."""
    X, _, parameters = random_network(10, layer_dims=(2, 20, 3, 1), m=7)
    first = ref["forward_propagation_with_dropout"](X, parameters, 0.86)[1]
    np.random.seed(12345)
    second = ref["forward_propagation_with_dropout"](X, parameters, 0.86)[1]
    assert np.array_equal(first[1], second[1]) and np.array_equal(first[6], second[6])


# ----------------------------------------------------------------- the classic test cases
def test_classic_cost_is_reproduced():
    cost = stored("compute_cost_with_regularization", "1_seed_example")["expected"]
    assert repr(cost) == "1.7864859451590756"
    assert round(cost, 11) == 1.78648594516  # as the classic assignment prints it


def test_classic_l2_gradients_are_reproduced():
    grads = stored("backward_propagation_with_regularization", "1_seed_example")["expected"]
    printed = {
        "dW1": [[-0.25604646, 0.12298827, -0.28297129], [-0.17706303, 0.34536094, -0.4410571]],
        "dW2": [[0.79276486, 0.85133918], [-0.0957219, -0.01720463], [-0.13100772, -0.03750433]],
        "dW3": [[-1.77691347, -0.11832879, -0.09397446]],
    }
    for key, values in printed.items():
        np.testing.assert_allclose(grads[key], values, rtol=0, atol=5e-9)


def test_classic_dropout_forward_is_reproduced():
    A3, cache = stored("forward_propagation_with_dropout", "1_seed_example")["expected"]
    np.testing.assert_allclose(A3, [[0.36974721, 0.00305176, 0.04565099, 0.49683389, 0.36974721]], rtol=0, atol=5e-9)
    assert len(cache) == 14


def test_classic_dropout_backward_is_reproduced(ref):
    """The classic test case typed a cache made with keep_prob = 0.5 (8 decimals) and ran the
    backward pass with keep_prob = 0.8. The notebook's own example uses 0.8 in both passes;
    this checks that the reference also gives the classic printout on the classic inputs."""
    X, Y, parameters = classic_inputs()
    _, cache = ref["forward_propagation_with_dropout"](X, parameters, 0.5)
    typed = tuple(np.round(item, 8) for item in cache)
    grads = ref["backward_propagation_with_dropout"](X, Y, typed, 0.8)
    np.testing.assert_allclose(grads["dA1"], [[0.36544439, 0.0, -0.00188233, 0.0, -0.17408748],
                                              [0.65515713, 0.0, -0.00337459, 0.0, -0.0]], rtol=0, atol=5e-9)
    np.testing.assert_allclose(grads["dA2"], [[0.58180856, 0.0, -0.00299679, 0.0, -0.27715731],
                                              [0.0, 0.53159854, -0.0, 0.53159854, -0.34089673],
                                              [0.0, 0.0, -0.00292733, 0.0, -0.0]], rtol=0, atol=5e-9)


def test_notebook_example_of_the_dropout_backward_uses_one_keep_prob(ref):
    case = stored("backward_propagation_with_dropout", "1_seed_example")
    X, Y, parameters = classic_inputs()
    _, cache = ref["forward_propagation_with_dropout"](X, parameters, 0.8)
    assert case["inputs"]["keep_prob"] == 0.8
    for got, expected in zip(case["inputs"]["cache"], cache, strict=True):
        np.testing.assert_array_equal(got, expected)


# ----------------------------------------------------------------- bad input
def test_bad_input_gets_a_bilingual_error(ref):
    X, Y, parameters = random_network(11, layer_dims=(2, 20, 3, 1), m=4)
    A3, cache = ref["forward_propagation"](X, parameters)
    calls = [
        lambda: ref["forward_propagation_with_dropout"](X, parameters, keep_prob=0),
        lambda: ref["forward_propagation_with_dropout"](X, parameters, keep_prob=1.5),
        lambda: ref["backward_propagation_with_dropout"](X, Y, cache, keep_prob=0.8),  # a 12-tuple cache
        lambda: ref["backward_propagation_with_regularization"](X, Y, cache[:-1], 0.7),
        lambda: ref["compute_cost_with_regularization"](A3, Y.T, parameters, 0.7),
        lambda: ref["model"](X, Y, num_iterations=1, print_cost=False, lambd=0.7, keep_prob=0.8),
        lambda: ref["model"](X, Y, num_iterations=1, print_cost=False, keep_prob=0),
        lambda: ref["model"](X, Y, num_iterations=1, print_cost=False, lambd=-1),
        lambda: ref["model"](X, Y, num_iterations=1, print_cost=False, fresh_masks=True),
        lambda: ref["model"](X.T, Y, num_iterations=1, print_cost=False),
    ]
    for call in calls:
        with pytest.raises(CourseError) as info:
            call()
        assert info.value.en and re.search(r"[\u4e00-\u9fff]", info.value.zh)


# ----------------------------------------------------------------- the given model
def test_model_trains_in_each_mode(ref):
    X, Y, _ = random_network(12, layer_dims=(2, 20, 3, 1), m=30)
    runs = {
        "plain": ref["model"](X, Y, num_iterations=60, print_cost=False),
        "l2": ref["model"](X, Y, num_iterations=60, print_cost=False, lambd=0.7),
        "dropout": ref["model"](X, Y, num_iterations=60, print_cost=False, keep_prob=0.86),
        "fresh": ref["model"](X, Y, num_iterations=60, print_cost=False, keep_prob=0.86, fresh_masks=True),
    }
    for mode, (parameters, costs) in runs.items():
        assert len(costs) == 1 and all(isinstance(float(cost), float) for cost in costs), mode  # iteration 0
        assert [parameters[f"W{l}"].shape for l in (1, 2, 3)] == [(20, 2), (3, 20), (1, 3)]
        assert [parameters[f"b{l}"].shape for l in (1, 2, 3)] == [(20, 1), (3, 1), (1, 1)]
    # every mode really changes the training
    keys = list(runs)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            assert not np.allclose(runs[a][0]["W1"], runs[b][0]["W1"]), (a, b)


# ----------------------------------------------------------------- the prose tells what the printouts show
def quotes():
    nb = C.read(NOTEBOOK)
    found = {}
    for cell in nb.cells:
        meta = cell.metadata.get(C.META_KEY, {})
        if meta.get("expected_output") and meta.get("lang") == "en":
            found[meta["pair"]] = re.search(r"```text\n(.*?)\n```", cell.source, re.S).group(1)
    return found


def run_numbers(text):
    costs = [float(x) for x in re.findall(r"Cost after iteration \d+: ([0-9.]+)", text)]
    accuracies = [float(x) for x in re.findall(r"Accuracy: ([0-9.]+)", text)]
    return costs, accuracies


def test_results_table_supports_the_prose():
    found = quotes()
    rows = {}
    for line in found["results-table"].splitlines()[1:]:
        match = re.match(r"(.+?)\s+([0-9.]+) %\s+([0-9.]+) %", line)
        rows[match.group(1).strip()] = (float(match.group(2)), float(match.group(3)))
    plain = rows["no regularization"]
    l2 = rows["L2, lambd = 0.7"]
    dropout = rows["dropout, keep_prob = 0.86"]
    fresh = rows["dropout, fresh masks"]
    assert plain[0] > plain[1]                          # section 3: overfitting
    assert l2[0] < plain[0] and l2[1] > plain[1] and l2[1] > l2[0]   # section 4.3
    assert dropout[0] < plain[0] and dropout[1] > plain[1]           # section 5.3
    assert fresh[1] <= plain[1]                         # section 5.4
    assert l2[1] == max(row[1] for row in rows.values())  # conclusions
    # the table agrees with the accuracies each run printed
    for pair, row in (("train-plain-output", plain), ("train-l2-output", l2),
                      ("train-dropout-output", dropout), ("train-fresh-output", fresh)):
        _, accuracies = run_numbers(found[pair])
        assert [round(100 * a, 1) for a in accuracies] == list(row), pair


def test_printed_costs_support_the_caution_of_section_5_4():
    found = quotes()
    plain_costs, _ = run_numbers(found["train-plain-output"])
    dropout_costs, _ = run_numbers(found["train-dropout-output"])
    fresh_costs, _ = run_numbers(found["train-fresh-output"])
    assert len(plain_costs) == len(dropout_costs) == len(fresh_costs) == 3
    assert dropout_costs[-1] < plain_costs[-1] / 10     # "fell far below"
    assert fresh_costs[-1] > 10 * dropout_costs[-1]     # "no longer collapses"


def test_story_says_the_data_is_the_courses_own():
    text = "\n".join(cell.source for cell in C.read(NOTEBOOK).cells if cell.cell_type == "markdown")
    assert "datasets/goalkeeper.py" in text and "not real match records" in text and "并不是真实的比赛记录" in text
