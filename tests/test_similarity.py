"""The similarity report: copies survive renaming and reformatting, independent work,
blank cells and short canonical answers are not reported, broken code does not crash it."""

import random

from grading.cohort.similarity import SimilarPair, format_report, normalise, similar_pairs

STARTER = {
    "initialize_parameters": '''# GRADED FUNCTION: initialize_parameters
def initialize_parameters(n_x, n_h, n_y):
    """
    Arguments / 参数:
    n_x -- size of the input layer
    """
    np.random.seed(1)
    raise NotImplementedError()
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters
''',
    "linear_backward": '''def linear_backward(dZ, cache):
    """Backward step of one linear layer."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    raise NotImplementedError()
    return dA_prev, dW, db
''',
    "sigmoid": '''def sigmoid(z):
    raise NotImplementedError()
''',
}

ALICE = {
    "initialize_parameters": '''# GRADED FUNCTION: initialize_parameters
def initialize_parameters(n_x, n_h, n_y):
    """
    Arguments / 参数:
    n_x -- size of the input layer
    """
    np.random.seed(1)
    # small random weights, zero biases
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    assert W1.shape == (n_h, n_x)
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters
''',
    "linear_backward": '''def linear_backward(dZ, cache):
    """Backward step of one linear layer."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1 / m * np.dot(dZ, A_prev.T)
    db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    assert dA_prev.shape == A_prev.shape
    return dA_prev, dW, db
''',
    "sigmoid": "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
}

# Alice's work with every name changed, other comments, other quotes and other layout.
BOB = {
    "initialize_parameters": '''def initialize_parameters(nx, nh, ny):
    np.random.seed(1)
    ### my own work!!  我自己写的
    Wa = np.random.randn(nh, nx)*0.01

    ba = np.zeros( (nh,1) )
    Wb = np.random.randn(ny,
                         nh) * 0.01
    bb = np.zeros((ny, 1))
    assert Wa.shape == (nh, nx)   # check
    params = {'W1': Wa, 'b1': ba, 'W2': Wb, 'b2': bb}
    return params
''',
    "linear_backward": '''def linear_backward(grad, store):
    \'\'\'different docstring\'\'\'
    prev, weights, bias = store
    count = prev.shape[1]
    gradw = 1/count*np.dot(grad, prev.T)
    gradb = 1/count*np.sum(grad, axis = 1, keepdims = True)
    gradprev = np.dot(weights.T, grad)
    assert gradprev.shape == prev.shape
    return gradprev, gradw, gradb
''',
    "sigmoid": "def sigmoid(x):\n    return 1/(1+np.exp(-x))\n",
}

# An independent, different implementation of the same functions.
CAROL = {
    "initialize_parameters": '''def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    sizes = [n_x, n_h, n_y]
    parameters = {}
    for layer in range(1, len(sizes)):
        parameters["W%d" % layer] = 0.01 * np.random.randn(sizes[layer], sizes[layer - 1])
        parameters["b%d" % layer] = np.zeros(shape=(sizes[layer], 1), dtype=float)
    return parameters
''',
    "linear_backward": '''def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dA_prev = W.T @ dZ
    dW = (dZ @ A_prev.T) / m
    db = dZ.mean(axis=1).reshape(-1, 1)
    if db.shape != b.shape:
        raise ValueError("bad shape")
    return dA_prev, dW, db
''',
    "sigmoid": "def sigmoid(z):\n    s = 1.0 / (1.0 + np.exp(-z))\n    return s\n",
}


def test_normalise_drops_comments_docstrings_layout_and_renames_bound_names():
    one = normalise('import numpy as np\ndef f(x, axis=1):\n    """doc"""\n    # why\n\n'
                    '    y = np.sum(x, axis=axis, keepdims=True)\n    return y.T\n')
    two = normalise("import numpy as np\ndef g(a, axis = 1):\n  b = np.sum(a,axis=axis,keepdims=True) # c\n"
                    "  return b.T")
    assert one == two
    assert "np" in one and "sum" in one and "T" in one and "keepdims" in one  # aliases, attributes, keywords
    assert "x" not in one and "y" not in one and "v0" in one
    assert "doc" not in " ".join(one) and "why" not in " ".join(one)
    # quotes and number spellings do not matter either
    assert normalise("d = {'W1': .01}") == normalise('d = {"W1": 0.01}')


def test_normalise_does_not_crash_on_code_that_does_not_parse():
    for source in ["def f(x:\n    return x +", 'x = """never closed\n', "  if x\n y = = 2", "%matplotlib inline\nz = 1",
                   "\x00", "", "))))", "def f(:\n\tpass\n  x"]:
        tokens = normalise(source)
        assert isinstance(tokens, tuple) and all(isinstance(t, str) for t in tokens)
    assert normalise("%matplotlib inline\nz = 1") == normalise("z = 1")
    # a broken copy is still normalised consistently: renamed names alike, comments gone
    assert normalise("y = np.dot(w, x  # c\n") == normalise("b = np.dot(a,x # other\n")


def test_renamed_and_reformatted_copy_is_reported():
    pairs = similar_pairs({"alice": ALICE, "bob": BOB, "carol": CAROL}, STARTER)
    assert [(p.student_a, p.student_b) for p in pairs] == [("alice", "bob")]
    pair = pairs[0]
    assert isinstance(pair, SimilarPair)
    assert pair.functions == ("initialize_parameters", "linear_backward")  # sigmoid is too short to count
    assert 0.9 <= pair.score <= 1.0


def test_independent_implementations_are_not_reported():
    assert similar_pairs({"alice": ALICE, "carol": CAROL}, STARTER) == []


def test_blank_starter_cells_are_not_reported():
    blank = dict(STARTER)
    nearly_blank = {f: s.replace("raise NotImplementedError()", "pass  # TODO") for f, s in STARTER.items()}
    answers = {"dave": blank, "erin": dict(blank), "fay": nearly_blank, "alice": ALICE}
    assert similar_pairs(answers, STARTER) == []


def test_short_canonical_one_liners_alone_are_not_reported():
    answers = {name: {"sigmoid": f"def sigmoid(z):\n    return 1 / (1 + np.exp(-z))  # {name}\n"}
               for name in ("gus", "hal", "ivy")}
    assert similar_pairs(answers, STARTER) == []
    assert similar_pairs(answers, STARTER, min_tokens=1) == []  # one short function is not enough either
    # one short match is not enough, but a single long identical function is (long_tokens)
    long_answer = {"linear_backward": ALICE["linear_backward"]}
    assert similar_pairs({"a": long_answer, "b": dict(long_answer)}, STARTER) == []
    assert len(similar_pairs({"a": long_answer, "b": dict(long_answer)}, STARTER, long_tokens=20)) == 1


def test_answer_shared_by_many_is_canonical_not_evidence():
    # 30 students handing in the same two answers: the canonical answer, not 435 copies
    same = {f: ALICE[f] for f in ("initialize_parameters", "linear_backward")}
    answers = {f"s{i:02d}": dict(same) for i in range(30)}
    assert similar_pairs(answers, STARTER) == []
    assert len(similar_pairs(answers, STARTER, common_share=None)) == 30 * 29 // 2


def test_unparsable_submissions_do_not_crash_and_still_compare():
    broken = {f: s + "\n    x = (((\n" for f, s in ALICE.items()}
    answers = {"alice": ALICE, "bob": BOB, "zed": broken, "nil": {"sigmoid": None, "linear_backward": ""}, "empty": {}}
    pairs = similar_pairs(answers, STARTER)
    assert ("alice", "bob") in [(p.student_a, p.student_b) for p in pairs]
    assert all(p.student_a < p.student_b for p in pairs)


def test_output_is_sorted_and_deterministic():
    answers = {"bob": BOB, "alice": ALICE, "carol": CAROL, "dan": ALICE, "eve": {**CAROL, **{"linear_backward":
               ALICE["linear_backward"], "initialize_parameters": ALICE["initialize_parameters"]}}}
    pairs = similar_pairs(answers, STARTER)
    assert len(pairs) >= 3
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    assert all(p.student_a < p.student_b for p in pairs)
    shuffled = dict(reversed(list(answers.items())))
    assert similar_pairs(shuffled, STARTER) == pairs
    scores = {(p.student_a, p.student_b): p.score for p in pairs}
    assert scores[("alice", "dan")] == 1.0 == pairs[0].score  # identical everywhere scores 1.0


def test_format_report_none_and_some():
    none = format_report([])
    assert none.splitlines()[0] == "similar answer cells (reported, not scored) / 答题单元格高度相似（仅供参考，不计分）:"
    assert "none found / 未发现" in none
    pairs = [SimilarPair("alice", "bob", 0.97, ("initialize_parameters", "linear_forward")),
             SimilarPair("carol", "dan", 0.91, ("sigmoid",))]
    some = format_report(pairs)
    assert some.splitlines()[1:] == ["  alice ~ bob: 0.97 (initialize_parameters, linear_forward)",
                                     "  carol ~ dan: 0.91 (sigmoid)"]
    limited = format_report(pairs, limit=1).splitlines()
    assert len(limited) == 3 and "1" in limited[2] and "未列出" in limited[2]


def _variant(rng):
    """One student's answer to a made-up function: a few random statements, so most pairs differ."""
    lines = ["def task(x, y):", "    total = 0"]
    for step in range(rng.randint(4, 12)):
        op = rng.choice(["+", "-", "*", "/"])
        call = rng.choice(["np.dot", "np.sum", "np.maximum", "np.exp", "np.log"])
        lines.append(f"    t{step} = {call}(x {op} {rng.randint(0, 9)}, y) {op} total")
        lines.append(f"    total = total {op} t{step}")
    lines.append("    return total")
    return "\n".join(lines)


def test_a_planted_copy_is_found_among_random_answers():
    # 40 students x 5 functions of random statements (the timing at 200 students: benchmarks/similarity_scaling.py)
    rng = random.Random(7)
    functions = [f"f{i}" for i in range(5)]
    answers = {f"student{s:03d}": {f: _variant(rng) for f in functions} for s in range(40)}
    answers["student039"] = {f: src.replace("total", "acc") for f, src in answers["student000"].items()}
    pairs = similar_pairs(answers, {f: "def task(x, y):\n    raise NotImplementedError()\n" for f in functions})
    assert ("student000", "student039") in [(p.student_a, p.student_b) for p in pairs]
    assert "student000 ~ student039" in format_report(pairs)
