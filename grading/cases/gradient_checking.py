"""Cases of "Gradient Checking".

Public case 1 of each function is the example printed in the notebook (the
classic assignment's: x = 2, theta = 4 in one dimension; the seeded network
gradient_check_n_test_case in N dimensions, with Y as a (1, 3) row).

``gradient_check_n`` is checked on stored gradients, never on a backward pass
run while grading, so its grade does not depend on anything the learner may
have changed elsewhere: public cases hold the gradients of the notebook's
given ``backward_propagation_n`` (with its two deliberate mistakes), those of
the corrected ``backward_propagation_n_fixed``, and a network of other layer
sizes; hidden cases use other seeds and sizes. The returned relative
difference must match the stored one.

``gradient_check_n`` calls ``forward_propagation_n``, given code of the
notebook; its cell is tagged ``imports`` so that every reference namespace
(grading.expected, and grading.cohort when it remakes salted hidden cases)
defines it. The two backward passes are needed only to make the inputs, so
:func:`given_code` runs the notebook's given cells that define
``backward_propagation_n`` and ``backward_propagation_n_fixed`` in the
namespace the recipe receives: the notebook stays the single source of truth
for them too.

Stored mistakes: the sign of the two-sided difference flipped (``sign_flipped``).
"""

import re

import numpy as np

from grading import NOTEBOOKS_DIR
from grading.cells import read
from grading.expected import Case

NOTEBOOK = "Gradient_Checking.ipynb"
POSITION = (2, 3)  # (course, place in it): the order of the book and the README's table
GIVEN = ("backward_propagation_n", "backward_propagation_n_fixed")


def given_code(namespace):
    """Run the notebook's given cells that define the functions of ``GIVEN`` in ``namespace``.

    Inputs:  namespace -- dict, e.g. the reference namespace of grading.expected
             (it must already hold numpy as np).
    Returns: namespace, with the two backward passes defined.
    Raises:  LookupError if a function of GIVEN has no given cell.
    """
    path = NOTEBOOKS_DIR / "gradient_checking" / NOTEBOOK
    found = set()
    for cell in read(path).cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader") or "imports" in cell.metadata.get("tags", []):
            continue
        defined = set(re.findall(r"^def (\w+)\(", cell.source, re.M)) & set(GIVEN)
        if defined:
            exec(compile(cell.source, f"{path.name}:given", "exec"), namespace)
            found |= defined
    missing = set(GIVEN) - found
    if missing:
        raise LookupError(f"{path.name} has no given cell defining {sorted(missing)}")
    return namespace


# ----------------------------------------------------------------- input makers
def seeded_network():
    """The classic gradient_check_n_test_case: X (4, 3), Y (1, 3), W1 (5, 4), W2 (3, 5), W3 (1, 3)."""
    np.random.seed(1)
    X = np.random.randn(4, 3)
    Y = np.array([[1, 1, 0]])
    W1 = np.random.randn(5, 4)
    b1 = np.random.randn(5, 1)
    W2 = np.random.randn(3, 5)
    b2 = np.random.randn(3, 1)
    W3 = np.random.randn(1, 3)
    b3 = np.random.randn(1, 1)
    return X, Y, {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


def random_network(seed, n_x, n1, n2, m):
    """X (n_x, m), labels Y (1, m) with both classes, and parameters of an n_x-n1-n2-1 network.

    The weights and biases are halved standard normals: large enough for a real test, small enough
    to keep the sigmoid away from 0 and 1, where rounding would swamp the finite differences.
    """
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (np.arange(m) % 2).reshape(1, m)[:, rng.permutation(m)]
    sizes = [n_x, n1, n2, 1]
    parameters = {}
    for l in range(1, 4):
        parameters["W" + str(l)] = 0.5 * rng.randn(sizes[l], sizes[l - 1])
        parameters["b" + str(l)] = 0.5 * rng.randn(sizes[l], 1)
    return X, Y, parameters


def check_n_inputs(ref, network, backward, epsilon=None):
    """Inputs of gradient_check_n: a network and the gradients of ``backward`` (a name in ref)."""
    X, Y, parameters = network
    _, cache = ref["forward_propagation_n"](X, Y, parameters)
    gradients = ref[backward](X, Y, cache)
    inputs = {"parameters": parameters, "gradients": gradients, "X": X, "Y": Y}
    if epsilon is not None:
        inputs["epsilon"] = epsilon
    return inputs


# ----------------------------------------------------------------- wrong variants
def _mistakes(ref):
    def backward_sign(x, theta):
        return -x

    def gradient_check_n_sign(parameters, gradients, X, Y, epsilon=1e-7):
        theta, _ = ref["dictionary_to_vector"](parameters)
        grad = ref["gradients_to_vector"](gradients, parameters)
        gradapprox = np.zeros_like(theta)
        for i in range(theta.shape[0]):
            plus, minus = np.copy(theta), np.copy(theta)
            plus[i] += epsilon
            minus[i] -= epsilon
            J_plus, _ = ref["forward_propagation_n"](X, Y, ref["vector_to_dictionary"](plus, parameters))
            J_minus, _ = ref["forward_propagation_n"](X, Y, ref["vector_to_dictionary"](minus, parameters))
            gradapprox[i] = (J_minus - J_plus) / (2 * epsilon)
        return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))

    return {
        "forward_propagation": {},
        "backward_propagation": {"sign_flipped": backward_sign},
        # A one-number check with a flipped sign returns exactly 1, as does every wrong derivative of
        # the other sign (dtheta = theta for a negative theta): stored, it would name the sign for both.
        "gradient_check": {},
        "gradient_check_n": {"sign_flipped": gradient_check_n_sign},
    }


# ----------------------------------------------------------------- the cases
def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions."""
    given_code(ref)
    mistakes = _mistakes(ref)
    out = []

    def add(function, name, inputs, label_en, label_zh, suite="public"):
        out.append(Case(function, name, inputs, (label_en, label_zh), suite, mistakes[function]))

    for function in ("forward_propagation", "backward_propagation", "gradient_check"):
        add(function, "1_seed_example", {"x": 2, "theta": 4}, "x=2, theta=4, the example above", "x=2，theta=4，即上面的例子")
        add(function, "2_negative_input", {"x": -3.5, "theta": 0.5},
            "x=-3.5, theta=0.5: a negative input", "x=-3.5，theta=0.5：输入为负数")
        add(function, "3_hidden", {"x": 1.25, "theta": -2.0}, "", "", "hidden")
        add(function, "4_hidden", {"x": 7.0, "theta": 3.0}, "", "", "hidden")
    # One more hidden case of gradient_check with another epsilon.
    add("gradient_check", "5_hidden", {"x": -0.4, "theta": 12.0, "epsilon": 1e-4}, "", "", "hidden")

    add("gradient_check_n", "1_seed_given_backward", check_n_inputs(ref, seeded_network(), "backward_propagation_n"),
        "the example above: gradients of the given backward_propagation_n",
        "上面的例子：给出的 backward_propagation_n 算出的梯度")
    add("gradient_check_n", "2_seed_fixed_backward", check_n_inputs(ref, seeded_network(), "backward_propagation_n_fixed"),
        "the same network, gradients of the corrected backward_propagation_n_fixed",
        "同一个网络，修正后的 backward_propagation_n_fixed 算出的梯度")
    add("gradient_check_n", "3_other_sizes", check_n_inputs(ref, random_network(7, 3, 4, 2, 6), "backward_propagation_n_fixed"),
        "a 3-4-2-1 network with 6 examples, correct gradients", "3-4-2-1 的网络，6 个样本，梯度正确")
    add("gradient_check_n", "4_hidden", check_n_inputs(ref, random_network(41, 2, 6, 3, 5), "backward_propagation_n"), "", "", "hidden")
    add("gradient_check_n", "5_hidden", check_n_inputs(ref, random_network(42, 5, 3, 4, 4), "backward_propagation_n_fixed"), "", "", "hidden")
    add("gradient_check_n", "6_hidden", check_n_inputs(ref, random_network(43, 4, 5, 3, 3), "backward_propagation_n_fixed", 1e-6),
        "", "", "hidden")
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
DEMO_MISTAKES = {
    "kai_forgot_two_epsilon": (
        {"gradient_check_n": [("gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)",
                               "gradapprox[i] = (J_plus[i] - J_minus[i]) / epsilon")]},
        ("divided the two-sided difference by epsilon instead of 2 * epsilon",
         "双边差分除以了 epsilon，而不是 2 * epsilon"),
        {"gradient_check_n"},
    ),
    "lin_derivative_is_theta": (
        {"backward_propagation": [("dtheta = x", "dtheta = theta")]},
        ("took the derivative of theta * x to be theta; the 1-D gradient check catches it too",
         "把 theta * x 的导数写成了 theta；一维梯度检验也因此不通过"),
        {"backward_propagation", "gradient_check"},
    ),
    "mei_no_denominator": (
        {"gradient_check": [("    difference = numerator / denominator", "    difference = numerator")]},
        ("returned the numerator without dividing: the public cases cannot tell, the wrong-derivative check of the test cell can",
         "只返回了分子，没有做除法：公开用例分辨不出来，但测试单元格中的“错误导数”检查可以"),
        {"gradient_check"},
    ),
}
