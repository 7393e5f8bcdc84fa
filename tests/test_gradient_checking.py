"""Gradient checking: what the generic tests do not cover.

- helpers.gradient_check_utils: round trips for several shapes, the order of the
  blocks, bilingual errors for a vector of the wrong length and other bad input;
- the reference gradient checks: the classic numbers, the given backward pass is
  caught and the corrected one accepted, on the classic network and on others;
- the corrected backward pass agrees with the course's shared three-layer network;
- grading: a valid but different implementation passes the stored cases, and the
  test cell of gradient_check catches a check that the stored cases alone cannot.
"""

import copy

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.cases import gradient_checking as recipe
from grading.cells import read
from grading.expected import reference_namespace, source_notebook
from helpers import three_layer_net
from helpers.checker import PUBLIC_FILE, check_function
from helpers.errors import CourseError
from helpers.gradient_check_utils import (dictionary_to_vector, gradients_to_vector, parameter_names,
                                          vector_to_dictionary)

FOLDER = NOTEBOOKS_DIR / "gradient_checking"
PUBLIC = FOLDER / PUBLIC_FILE
HIDDEN = HIDDEN_DIR / "gradient_checking.h5"


def random_parameters(sizes, seed=0):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(sizes)):
        parameters["W" + str(l)] = rng.randn(sizes[l], sizes[l - 1])
        parameters["b" + str(l)] = rng.randn(sizes[l], 1)
    return parameters


# ------------------------------------------------------------------ the vector helpers
@pytest.mark.parametrize("sizes", [[4, 5, 3, 1], [2, 1], [3, 7, 2, 4, 1], [1, 1, 1]])
def test_round_trip_for_several_shapes(sizes):
    parameters = random_parameters(sizes)
    theta, keys = dictionary_to_vector(parameters)
    n = sum(value.size for value in parameters.values())
    assert theta.shape == (n, 1) and theta.dtype == np.float64 and len(keys) == n
    for name, value in parameters.items():
        assert keys.count(name) == value.size
    layout = [(name, parameters[name].shape) for name in parameter_names(parameters)]
    for shapes in (parameters, layout, {name: shape for name, shape in layout}):
        back = vector_to_dictionary(theta, shapes)
        assert list(back) == parameter_names(parameters)
        for name, value in parameters.items():
            np.testing.assert_array_equal(back[name], value)
    back = vector_to_dictionary(theta.ravel(), parameters)  # a flat vector works too
    np.testing.assert_array_equal(back["W1"], parameters["W1"])


def test_blocks_are_by_layer_then_w_before_b_row_by_row():
    parameters = random_parameters([2] * 12)  # 11 layers: W10 must come after b9, not after W1
    shuffled = {name: parameters[name] for name in reversed(list(parameters))}
    theta, keys = dictionary_to_vector(shuffled)
    expected_order = [f"{kind}{l}" for l in range(1, 12) for kind in ("W", "b")]
    assert list(dict.fromkeys(keys)) == expected_order == parameter_names(shuffled)
    start = 0
    for name in expected_order:
        size = parameters[name].size
        np.testing.assert_array_equal(theta[start:start + size, 0], parameters[name].ravel())
        start += size


def test_the_classic_layout():
    _, _, parameters = recipe.seeded_network()
    theta, keys = dictionary_to_vector(parameters)
    assert theta.shape == (47, 1)
    assert [keys.index(name) for name in ("W1", "b1", "W2", "b2", "W3", "b3")] == [0, 20, 25, 40, 43, 46]


def test_rebuilt_arrays_do_not_share_memory_with_theta():
    parameters = random_parameters([3, 2, 1])
    theta, _ = dictionary_to_vector(parameters)
    back = vector_to_dictionary(theta, parameters)
    back["W1"][0, 0] += 100.0
    assert theta[0, 0] == parameters["W1"][0, 0]


@pytest.mark.parametrize("delta", [-1, 1, 5])
def test_a_vector_of_the_wrong_length_is_a_bilingual_error(delta):
    parameters = random_parameters([4, 5, 3, 1])
    theta, _ = dictionary_to_vector(parameters)
    wrong = np.zeros((theta.shape[0] + delta, 1))
    with pytest.raises(CourseError) as info:
        vector_to_dictionary(wrong, parameters)
    assert f"{theta.shape[0] + delta} entries" in info.value.en and f"need {theta.shape[0]}" in info.value.en
    assert "一共需要" in info.value.zh and str(theta.shape[0]) in info.value.zh


@pytest.mark.parametrize("call", [
    lambda p, t: vector_to_dictionary(t.T, p),                 # a row, not a column
    lambda p, t: vector_to_dictionary(t, "W1"),                # not a description of shapes
    lambda p, t: vector_to_dictionary(t, [("W1", (2, -1))]),   # not a shape
    lambda p, t: dictionary_to_vector({}),                     # nothing to stack
    lambda p, t: dictionary_to_vector({"gamma1": p["W1"]}),    # not a W<l> / b<l> name
    lambda p, t: dictionary_to_vector({"W0": p["W1"]}),        # layers start at 1
    lambda p, t: gradients_to_vector({"dZ1": 0.0}),            # no dW / db at all
    lambda p, t: gradients_to_vector({"dW1": p["W1"]}, p),     # db1, dW2, ... missing
    lambda p, t: gradients_to_vector({("d" + k): v.T for k, v in p.items()}, p),  # wrong shapes
])
def test_bad_input_is_a_bilingual_error(call):
    parameters = random_parameters([3, 2, 1])
    theta, _ = dictionary_to_vector(parameters)
    with pytest.raises(CourseError) as info:
        call(parameters, theta)
    assert info.value.en and any("\u4e00" <= char <= "\u9fff" for char in info.value.zh)


def test_gradients_follow_the_parameter_order_and_ignore_other_entries():
    parameters = random_parameters([4, 5, 3, 1])
    theta, _ = dictionary_to_vector(parameters)
    gradients = {"d" + name: 3.0 * value for name, value in reversed(list(parameters.items()))}
    gradients.update({"dZ1": np.ones((5, 2)), "dA2": np.ones((3, 2))})
    np.testing.assert_array_equal(gradients_to_vector(gradients), 3.0 * theta)
    np.testing.assert_array_equal(gradients_to_vector(gradients, parameters), 3.0 * theta)


# ------------------------------------------------------------------ the reference checks
@pytest.fixture(scope="module")
def ref():
    return recipe.given_code(reference_namespace(source_notebook("gradient_checking")))


def test_one_dimensional_check_reproduces_the_classic_difference(ref, capsys):
    assert repr(float(ref["gradient_check"](2, 4))) == "2.919335883291695e-10"
    assert "The gradient is correct!" in capsys.readouterr().out


def test_the_given_backward_is_caught_and_the_fixed_one_accepted(ref, capsys):
    X, Y, parameters = recipe.seeded_network()
    _, cache = ref["forward_propagation_n"](X, Y, parameters)
    buggy = ref["gradient_check_n"](parameters, ref["backward_propagation_n"](X, Y, cache), X, Y)
    assert "mistake" in capsys.readouterr().out
    fixed = ref["gradient_check_n"](parameters, ref["backward_propagation_n_fixed"](X, Y, cache), X, Y)
    assert "looks right" in capsys.readouterr().out
    # the classic numbers (the classic assignment prints 0.2850931567761623 and 1.1890913024229996e-07)
    assert np.isclose(buggy, 0.2850931567761623, rtol=1e-9, atol=0)
    assert np.isclose(fixed, 1.1890913024229996e-07, rtol=1e-4, atol=0)


@pytest.mark.parametrize("seed, sizes, m", [(3, (3, 4, 2), 6), (4, (6, 2, 5), 2), (5, (2, 6, 4), 10)])
def test_the_reference_separates_buggy_and_fixed_on_other_networks(ref, seed, sizes, m):
    X, Y, parameters = recipe.random_network(seed, *sizes, m)
    _, cache = ref["forward_propagation_n"](X, Y, parameters)
    assert ref["gradient_check_n"](parameters, ref["backward_propagation_n"](X, Y, cache), X, Y) > 1e-3
    assert ref["gradient_check_n"](parameters, ref["backward_propagation_n_fixed"](X, Y, cache), X, Y) < 2e-7


def test_the_fixed_backward_agrees_with_the_shared_three_layer_net(ref):
    X, Y, parameters = recipe.random_network(11, 4, 5, 3, 7)
    cost, cache = ref["forward_propagation_n"](X, Y, parameters)
    a3, shared_cache = three_layer_net.forward_propagation(X, parameters)
    assert np.isclose(cost, three_layer_net.compute_loss(a3, Y), rtol=1e-12)
    mine = ref["backward_propagation_n_fixed"](X, Y, cache)
    shared = three_layer_net.backward_propagation(X, Y, shared_cache)
    for key in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        np.testing.assert_allclose(mine[key], shared[key], rtol=1e-12, atol=1e-15)
    buggy = ref["backward_propagation_n"](X, Y, cache)
    np.testing.assert_allclose(buggy["dW2"], 2 * shared["dW2"], rtol=1e-12)
    np.testing.assert_allclose(buggy["db1"], 4 * shared["db1"], rtol=1e-12)


# ------------------------------------------------------------------ grading
VARIANT = '''
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    """A valid implementation written differently: it divides by the actual step theta+ - theta-."""
    values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    approx = []
    for i in range(len(values)):
        up, down = values.copy(), values.copy()
        up[i, 0] += epsilon
        down[i, 0] -= epsilon
        J_up = forward_propagation_n(X, Y, vector_to_dictionary(up, parameters))[0]
        J_down = forward_propagation_n(X, Y, vector_to_dictionary(down, parameters))[0]
        approx.append((J_up - J_down) / (up[i, 0] - down[i, 0]))
    approx = np.array(approx).reshape(-1, 1)
    return np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))


def gradient_check(x, theta, epsilon=1e-7):
    grad = backward_propagation(x, theta)
    approx = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / epsilon / 2
    return abs(grad - approx) / (abs(grad) + abs(approx))
'''


@pytest.mark.parametrize("function", ["gradient_check_n", "gradient_check"])
def test_a_valid_variant_passes_the_stored_cases(ref, function):
    namespace = copy.copy(ref)
    exec(VARIANT, namespace)
    for path in (PUBLIC, HIDDEN):
        report = check_function(namespace[function], function, path=path, verbose=False)
        assert report.passed, report.text()


WRONG_CHECKS = {
    "no_denominator": "    return np.linalg.norm(grad - gradapprox)\n",
    "grad_is_gradapprox": "    grad = gradapprox\n    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))\n",
}


def _test_cell_source(grade_id):
    cell = next(c for c in read(source_notebook("gradient_checking")).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return cell.source


@pytest.mark.parametrize("mistake", sorted(WRONG_CHECKS))
def test_the_test_cell_catches_what_the_stored_cases_cannot(ref, mistake, monkeypatch, capsys):
    """A zero difference no longer agrees with the tiny stored values (the checker's noise rule);
    an unscaled one is within the rule's factor, so the test cell also swaps in a wrong derivative.
    The cell accepts the reference."""
    monkeypatch.chdir(FOLDER)
    source = ("def gradient_check(x, theta, epsilon=1e-7):\n"
              "    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)\n"
              "    grad = backward_propagation(x, theta)\n" + WRONG_CHECKS[mistake])
    namespace = copy.copy(ref)
    exec(source, namespace)
    passed = check_function(namespace["gradient_check"], "gradient_check", path=PUBLIC, verbose=False).passed
    assert passed == (mistake == "no_denominator")
    with pytest.raises(AssertionError):
        exec(_test_cell_source("gradient_check_tests"), namespace)
    assert namespace["backward_propagation"] is ref["backward_propagation"]  # restored after the swap

    # The reference passes the cell (in a namespace of its own, since the cell rebinds a global).
    exec(_test_cell_source("gradient_check_tests"), reference_namespace(source_notebook("gradient_checking")))


def test_reference_namespace_defines_the_forward_pass_without_the_recipe():
    """grading.cohort remakes salted hidden cases and computes their expected values from a plain
    reference namespace, so forward_propagation_n must come from the notebook's imports cells."""
    namespace = reference_namespace(source_notebook("gradient_checking"))
    assert callable(namespace["forward_propagation_n"])
    assert "backward_propagation_n" not in namespace  # the given, buggy one is not part of the reference


@pytest.mark.parametrize("secret", ["offering-2025", "another secret"])
def test_salted_hidden_cases_are_well_conditioned(ref, secret):
    """Under salted seeds, the hidden cases of gradient_check_n still separate the given and the
    corrected backward passes, and an implementation written differently still agrees."""
    from helpers.checker import first_difference
    from grading.cohort.course import load_spec

    spec = load_spec("gradient_checking", secret=secret)
    hidden = [case for case in spec.cases["gradient_check_n"] if case["suite"] == "hidden"]
    assert [case["expected"] > 1e-3 for case in hidden] == [True, False, False]  # 4_hidden is the buggy one
    assert all(case["expected"] < 2e-7 for case in hidden[1:])
    namespace = copy.copy(ref)
    exec(VARIANT, namespace)
    for case in hidden:
        assert first_difference(namespace["gradient_check_n"](**copy.deepcopy(case["inputs"])), case["expected"]) is None
