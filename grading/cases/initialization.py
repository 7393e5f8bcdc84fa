"""Cases of "Initialization".

The three initializers fix their own seed (np.random.seed(3) for the random
ones), so a case is just a list of layer sizes. Public case 1 of each function
is the example printed in the notebook (the classic assignment's example:
[3, 2, 1] for zeros and random, [2, 4, 1] for He); public case 2 is another
network that teaches something (a deeper one, the network the notebook trains).
Hidden cases use other sizes.

No mistake is stored: the typical slips (a missing or wrong scale, He with
sqrt(1 / n_prev)) multiply the first wrong weight matrix by one constant, and
the checker's generic fingerprint already names the factor. He scaled by the
size of the current layer instead of the previous one has no fitting hint in
helpers.checker.HINTS, so it is not stored either (see tests/test_initialization.py,
which checks what the learner is told in these situations).
"""

from grading.expected import Case

NOTEBOOK = "Initialization.ipynb"
POSITION = (2, 1)  # (course, place in it): the order of the book and the README's table

# function -> [(case name, layers_dims, label_en, label_zh, suite)]
_LAYERS = {
    "initialize_parameters_zeros": [
        ("1_seed_example", [3, 2, 1], "layers_dims=[3, 2, 1], the example above", "layers_dims=[3, 2, 1]，即上面的例子", "public"),
        ("2_three_layers", [4, 3, 2, 1], "layers_dims=[4, 3, 2, 1]: three layers", "layers_dims=[4, 3, 2, 1]：3 层网络", "public"),
        ("3_hidden", [5, 1], "", "", "hidden"),
        ("4_hidden", [2, 10, 5, 1], "", "", "hidden"),
    ],
    "initialize_parameters_random": [
        ("1_seed_example", [3, 2, 1], "layers_dims=[3, 2, 1], the example above", "layers_dims=[3, 2, 1]，即上面的例子", "public"),
        ("2_model_network", [2, 10, 5, 1], "layers_dims=[2, 10, 5, 1], the network this notebook trains",
         "layers_dims=[2, 10, 5, 1]，即本 notebook 训练的网络", "public"),
        ("3_hidden", [4, 6, 3, 2, 1], "", "", "hidden"),
        ("4_hidden", [7, 1], "", "", "hidden"),
    ],
    "initialize_parameters_he": [
        ("1_seed_example", [2, 4, 1], "layers_dims=[2, 4, 1], the example above", "layers_dims=[2, 4, 1]，即上面的例子", "public"),
        ("2_model_network", [2, 10, 5, 1], "layers_dims=[2, 10, 5, 1]: a different factor in every layer",
         "layers_dims=[2, 10, 5, 1]：每一层的因子都不同", "public"),
        ("3_hidden", [3, 2, 1], "", "", "hidden"),
        ("4_hidden", [6, 8, 4, 3, 1], "", "", "hidden"),
    ],
}


def cases(ref):
    """All public and hidden cases; ``ref`` maps names to reference solutions (unused: inputs are sizes)."""
    out = []
    for function, rows in _LAYERS.items():
        for name, layers_dims, label_en, label_zh, suite in rows:
            out.append(Case(function, name, {"layers_dims": list(layers_dims)}, (label_en, label_zh), suite))
    return out


# Typical mistakes of the demo cohort:
# {student: ({grade_id: [(old, new)]}, (story_en, story_zh), exercises that must score 0)}.
DEMO_MISTAKES = {
    "fang_xavier_instead_of_he": (
        {"initialize_parameters_he": [("np.sqrt(2 / layers_dims[l - 1])", "np.sqrt(1 / layers_dims[l - 1])")]},
        ("used sqrt(1 / n_prev) (Xavier) instead of He's sqrt(2 / n_prev)",
         "用了 sqrt(1 / n_prev)（Xavier），而不是 He 的 sqrt(2 / n_prev)"),
        {"initialize_parameters_he"},
    ),
    "gao_small_random": (
        {"initialize_parameters_random": [("layers_dims[l - 1]) * 10", "layers_dims[l - 1]) * 0.01")]},
        ("kept the habit of multiplying by 0.01 instead of 10", "沿用了乘以 0.01 的习惯，没有乘以 10"),
        {"initialize_parameters_random"},
    ),
    "hu_zero_weights_random_biases": (
        {"initialize_parameters_zeros": [("parameters[\"b\" + str(l)] = np.zeros((layers_dims[l], 1))",
                                          "parameters[\"b\" + str(l)] = np.random.randn(layers_dims[l], 1)")]},
        ("random biases in the zero initializer", "在零初始化函数里把偏置设成了随机数"),
        {"initialize_parameters_zeros"},
    ),
}
