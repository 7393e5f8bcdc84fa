"""Initialization: what the generic tests do not cover.

- the seeded public cases reproduce the classic assignment's printed initial weights;
- the reference He initializer draws exactly randn * sqrt(2 / n_prev), layer by layer;
- the typical scale mistakes get a useful hint from the checker (no stored mistake is needed);
- the results table quoted in the notebook is what the given ``model`` gives.
"""

import re

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading.cells import read
from grading.expected import reference_namespace, source_notebook
from helpers.case_store import read_cases
from helpers.checker import PUBLIC_FILE, check_function

FOLDER = NOTEBOOKS_DIR / "initialization"
PUBLIC = FOLDER / PUBLIC_FILE
HIDDEN = HIDDEN_DIR / "initialization.h5"


@pytest.fixture(scope="module")
def ref():
    return reference_namespace(source_notebook("initialization"))


def stored(function, case_name="1_seed_example"):
    return next(case["expected"] for case in read_cases(PUBLIC, function) if case["name"] == case_name)


# The classic assignment's printed outputs (8 decimals): random with [3, 2, 1], He with [2, 4, 1].
CLASSIC = [
    ("initialize_parameters_random", "W1", [[17.88628473, 4.36509851, 0.96497468], [-18.63492703, -2.77388203, -3.54758979]]),
    ("initialize_parameters_random", "W2", [[-0.82741481, -6.27000677]]),
    ("initialize_parameters_he", "W1", [[1.78862847, 0.43650985], [0.09649747, -1.8634927],
                                        [-0.2773882, -0.35475898], [-0.08274148, -0.62700068]]),
    ("initialize_parameters_he", "W2", [[-0.03098412, -0.33744411, -0.92904268, 0.62552248]]),
]


@pytest.mark.parametrize("function, key, printed", CLASSIC, ids=[f"{f}-{k}" for f, k, _ in CLASSIC])
def test_seeded_cases_reproduce_the_classic_printout(function, key, printed):
    np.testing.assert_allclose(stored(function)[key], printed, rtol=0, atol=5e-9)


def test_zero_case_and_biases():
    zeros = stored("initialize_parameters_zeros")
    assert sorted(zeros) == ["W1", "W2", "b1", "b2"]
    assert zeros["W1"].shape == (2, 3) and not zeros["W1"].any() and not zeros["W2"].any()
    for function in ("initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he"):
        for case in read_cases(PUBLIC, function) + read_cases(HIDDEN, function):
            sizes = case["inputs"]["layers_dims"]
            for l in range(1, len(sizes)):
                assert case["expected"]["W" + str(l)].shape == (sizes[l], sizes[l - 1])
                b = case["expected"]["b" + str(l)]
                assert b.shape == (sizes[l], 1) and not b.any()


@pytest.mark.parametrize("layers_dims", [[2, 10, 5, 1], [6, 8, 4, 3, 1], [1, 3]])
def test_he_is_randn_times_sqrt_two_over_the_previous_layer(ref, layers_dims):
    parameters = ref["initialize_parameters_he"](layers_dims)
    rng = np.random.RandomState(3)  # the same stream as np.random.seed(3)
    for l in range(1, len(layers_dims)):
        draws = rng.randn(layers_dims[l], layers_dims[l - 1])
        np.testing.assert_allclose(parameters["W" + str(l)], draws * np.sqrt(2.0 / layers_dims[l - 1]), rtol=1e-15)


def _hint_of(function_name, wrong):
    report = check_function(wrong, function_name, path=PUBLIC, verbose=False)
    assert not report.passed
    return report.text()


def test_scale_mistakes_get_a_constant_factor_hint():
    def he_xavier(layers_dims):
        np.random.seed(3)
        parameters = {}
        for l in range(1, len(layers_dims)):
            parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
            parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
        return parameters

    def he_current_layer(layers_dims):
        np.random.seed(3)
        parameters = {}
        for l in range(1, len(layers_dims)):
            parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l])
            parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
        return parameters

    def random_small(layers_dims):
        np.random.seed(3)
        parameters = {}
        for l in range(1, len(layers_dims)):
            parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01
            parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
        return parameters

    assert "same factor 0.707107" in _hint_of("initialize_parameters_he", he_xavier)
    assert "same factor 0.707107" in _hint_of("initialize_parameters_he", he_current_layer)  # W1: sqrt(2/4) / sqrt(2/2)
    assert "same factor 0.001" in _hint_of("initialize_parameters_random", random_small)


def _quoted_table():
    """{initialization name: (train %, test %)} as quoted in the notebook's results pair."""
    nb = read(source_notebook("initialization"))
    cell = next(c for c in nb.cells if c.metadata.get("dlcourse", {}).get("pair") == "results-expected"
                and c.metadata["dlcourse"]["lang"] == "en")
    block = re.search(r"```text\n(.*?)\n```", cell.source, re.S).group(1)
    rows = {}
    for line in block.splitlines()[1:]:
        match = re.match(r"(.+?)\s+([\d.]+) %\s+([\d.]+) %$", line)
        rows[match.group(1).strip()] = (match.group(2), match.group(3))
    return rows


@pytest.mark.slow  # trains three models
def test_the_quoted_results_table_is_what_model_gives(ref):
    nb = read(source_notebook("initialization"))
    namespace = dict(ref)
    model_cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("def model("))
    exec(model_cell.source, namespace)
    train_X, train_Y, test_X, test_Y = namespace["load_circles_dataset"]()
    predict_dec = namespace["predict_dec"]
    quoted = _quoted_table()
    names = {"zeros": "zeros", "random": "large random (x 10)", "he": "He"}
    assert sorted(quoted) == sorted(names.values())
    for initialization, name in names.items():
        parameters, costs = namespace["model"](train_X, train_Y, print_cost=False, initialization=initialization)
        assert len(costs) == 15  # iterations 0, 1000, ..., 14000
        got = tuple(f"{100 * float(np.mean(predict_dec(parameters, X) == Y)):.2f}"
                    for X, Y in ((train_X, train_Y), (test_X, test_Y)))
        assert got == quoted[name], initialization
    # The classic assignment's accuracies (train / test): 50 / 50, 83 / 86, 99.33 / 96 %.
    assert quoted == {"zeros": ("50.00", "50.00"), "large random (x 10)": ("83.00", "86.00"), "He": ("99.33", "96.00")}
