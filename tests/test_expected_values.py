"""The stored expected values are what the reference solutions produce today,
and the seeded cases reproduce the numbers printed in the course's seed document."""

import numpy as np
import pytest

from grading import HIDDEN_DIR, NOTEBOOKS_DIR
from grading import cells as C
from grading.expected import assignments, graded_functions, recipe, source_notebook, stale_files
from grading.submissions import apply_edits, reference_answers
from helpers.case_store import read_cases
from helpers.checker import PUBLIC_FILE, check_function


@pytest.mark.parametrize("assignment", assignments())
def test_stored_values_equal_a_fresh_regeneration(assignment):
    assert stale_files(assignment) == [], "run: python -m grading expected " + assignment


@pytest.mark.parametrize("assignment", assignments())
def test_every_graded_function_has_public_and_hidden_cases(assignment):
    for function in graded_functions(source_notebook(assignment)):
        public = read_cases(NOTEBOOKS_DIR / assignment / PUBLIC_FILE, function)
        hidden = read_cases(HIDDEN_DIR / f"{assignment}.h5", function)
        assert len(public) >= 2 and len(hidden) >= 2, function
        assert all(case["label_en"] and case["label_zh"] for case in public), function


DEMO_STUDENTS = [(assignment, student) for assignment in assignments()
                 for student in sorted(getattr(recipe(assignment), "DEMO_MISTAKES", {}))]


@pytest.mark.parametrize("assignment, student", DEMO_STUDENTS, ids=[f"{a}-{s}" for a, s in DEMO_STUDENTS])
def test_each_demo_mistake_fails_exactly_its_functions(assignment, student):
    # The recipe's story of each typical mistake, checked against the stored cases
    # (the demo autograde then checks that it costs exactly those points).
    edits, _, lost = recipe(assignment).DEMO_MISTAKES[student]
    notebook = source_notebook(assignment)
    namespace = {"__name__": "submission"}
    for cell in C.read(notebook).cells:
        if "imports" in cell.metadata.get("tags", []):
            exec(cell.source, namespace)
    for grade_id, source in reference_answers(assignment).items():
        exec(apply_edits(source, edits.get(grade_id, []), grade_id), namespace)
    failed = set()
    for function in graded_functions(notebook):
        for path in (NOTEBOOKS_DIR / assignment / PUBLIC_FILE, HIDDEN_DIR / f"{assignment}.h5"):
            with np.errstate(all="ignore"):
                if not check_function(namespace[function], function, path=path, verbose=False).passed:
                    failed.add(function)
    assert failed == set(lost)


def expected(function, case_name):
    cases = read_cases(NOTEBOOKS_DIR / "deep_nn_step_by_step" / PUBLIC_FILE, function)
    return next(case["expected"] for case in cases if case["name"] == case_name)


# Numbers printed in seed 000 (8 decimals), checked against the stored seeded cases.
SEED_OUTPUTS = [
    ("initialize_parameters", "1_seed_example", lambda out: out["W1"],
     [[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]]),
    ("initialize_parameters_deep", "1_seed_example", lambda out: out["W2"],
     [[-0.01185047, -0.0020565, 0.01486148, 0.00236716], [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
      [-0.00768836, -0.00230031, 0.00745056, 0.01976111]]),
    ("linear_forward", "1_seed_example", lambda out: out[0], [[3.26295337, -1.23429987]]),
    ("linear_activation_forward", "1_seed_sigmoid", lambda out: out[0], [[0.96890023, 0.11013289]]),
    ("linear_activation_forward", "2_seed_relu", lambda out: out[0], [[3.43896131, 0.0]]),
    ("L_model_forward", "1_seed_example", lambda out: out[0], [[0.17007265, 0.2524272]]),
    ("linear_backward", "1_seed_example", lambda out: out[0],
     [[0.51822968, -0.19517421], [-0.40506361, 0.15255393], [2.37496825, -0.89445391]]),
    ("linear_backward", "1_seed_example", lambda out: out[1], [[-0.10076895, 1.40685096, 1.64992505]]),
    ("linear_activation_backward", "1_seed_sigmoid", lambda out: out[1], [[0.10266786, 0.09778551, -0.01968084]]),
    ("linear_activation_backward", "2_seed_relu", lambda out: out[0],
     [[0.44090989, 0.0], [0.37883606, 0.0], [-0.2298228, 0.0]]),
    ("L_model_backward", "1_seed_example", lambda out: out["dW1"],
     [[0.41010002, 0.07807203, 0.13798444, 0.10502167], [0.0, 0.0, 0.0, 0.0],
      [0.05283652, 0.01005865, 0.01777766, 0.0135308]]),
    ("L_model_backward", "1_seed_example", lambda out: out["db1"], [[-0.22007063], [0.0], [-0.02835349]]),
    ("L_model_backward", "1_seed_example", lambda out: out["dA1"],
     [[0.12913162, -0.44014127], [-0.14175655, 0.48317296], [0.01663708, -0.05670698]]),
    ("update_parameters", "1_seed_example", lambda out: out["W1"],
     [[-0.59562069, -0.09991781, -2.14584584, 1.82662008], [-1.76569676, -0.80627147, 0.51115557, -1.18258802],
      [-1.0535704, -0.86128581, 0.68284052, 2.20374577]]),
    ("update_parameters", "1_seed_example", lambda out: out["b2"], [[-0.84610769]]),
]


@pytest.mark.parametrize("function, case, pick, printed", SEED_OUTPUTS, ids=[f"{f}-{c}" for f, c, _, _ in SEED_OUTPUTS])
def test_seeded_cases_reproduce_the_seed(function, case, pick, printed):
    np.testing.assert_allclose(pick(expected(function, case)), printed, rtol=0, atol=5e-9)


def test_seed_cost_is_reproduced_to_every_digit():
    assert repr(expected("compute_cost", "1_seed_example")) == "0.41493159961539694"
