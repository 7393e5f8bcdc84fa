"""What went wrong in a learner's call, found from the evidence alone: the traceback of an
exception, or the shape of the difference between a result and the expected one.

The checker (helpers.checker) asks two questions here:

- :func:`locate` -- where an exception happened: the frames of the traceback that belong to
  the learner's code (every file outside the Python installation, its packages and this
  package: the notebook's cells), the line there, and the library function it called;
- :func:`exception_meaning` / :func:`exception_hint` and :func:`value_hint` -- which known
  mistake fits. Each fingerprint is tied to where its cause is possible: a hint about the
  factors of a matrix product only where the learner's line (or function) has a product,
  the ``*`` hint only on a line with ``*`` and no product, a layer-index hint only when the
  failing call passes indexed parameters or caches, the costs hint only for a list that should
  hold one cost per 100 of the case's ``num_iterations``.

All of it reads, nothing here calls the learner's code again.
"""

import inspect
import os
import re
import sysconfig
import traceback
from dataclasses import dataclass

import numpy as np

_PRODUCT = re.compile(r"np\.dot\b|\.dot\(|np\.matmul\b|@")
# an index that depends on a variable: parameters["W" + str(l)], caches[l - 1], grads["dA" + str(L)]
_LAYER_INDEX = re.compile(r"str\(\s*[A-Za-z_]\w*\s*(?:[+-]\s*\d+\s*)?\)|\[\s*[A-Za-z_]\w*\s*(?:[+-]\s*\d+\s*)?\]")


def _library_dirs():
    paths = sysconfig.get_paths()
    found = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib") if paths.get(key)}
    found.add(os.path.realpath(os.path.dirname(__file__)))
    return tuple(sorted(found))


LIBRARY_DIRS = _library_dirs()


def is_learner_file(filename):
    """Whether code of ``filename`` is the learner's: a notebook cell, not Python, numpy or the course."""
    if filename.startswith(("<frozen", "<__array_function__", "<string>")):
        return False
    if filename.startswith("<"):
        return True  # code compiled from text: a cell (IPython's older "<ipython-input-...>")
    return not os.path.realpath(filename).startswith(LIBRARY_DIRS)


@dataclass
class Place:
    """Where an exception happened in the learner's code.

    function -- name of the learner's function whose line raised (or called what raised);
    line -- its line number in the cell; text -- that line, stripped ("" if unknown);
    callee -- the library function that line called when the error came from inside it
    (``relu_backward``, ``dot``), else None; caller -- the same for the checked function, when
    the error happened in another function of the learner: (line, text) of its call.
    """

    function: str
    line: int
    text: str
    callee: str = None
    caller: tuple = None


def code_of(line):
    """A source line without its trailing comment (tokenized, so a "#" inside a string stays)."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return line.strip()
    comments = [token for token in tokens if token.type == tokenize.COMMENT]
    return (line[: comments[0].start[1]] if comments else line).strip()


def locate(error, checked):
    """The :class:`Place` of ``error`` in the learner's code, or None when no frame is the learner's.

    Inputs: error -- the exception; checked -- name of the function under check.
    """
    frames = traceback.extract_tb(error.__traceback__)
    mine = [index for index, frame in enumerate(frames) if is_learner_file(frame.filename)]
    if not mine:
        return None
    last = frames[mine[-1]]
    callee = frames[mine[-1] + 1].name if mine[-1] + 1 < len(frames) else None
    place = Place(last.name, last.lineno, code_of(last.line or ""), callee)
    if last.name != checked:
        calls = [frames[index] for index in mine if frames[index].name == checked]
        if calls:
            place.caller = (calls[-1].lineno, code_of(calls[-1].line or ""))
    return place


def called_names(function):
    """Global names the code of ``function`` refers to (its nested functions included)."""
    code = getattr(function, "__code__", None)
    names, stack = [], [code] if code is not None else []
    while stack:
        current = stack.pop()
        names += current.co_names
        stack += [const for const in current.co_consts if inspect.iscode(const)]
    return list(dict.fromkeys(names))


def has_product(function):
    """True / False: whether the source of ``function`` has a matrix product; None if unknown."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    return bool(_PRODUCT.search(source))


# ---------------------------------------------------------------- exceptions


def exception_meaning(error):
    """The name of what ``error`` means in the course's terms (a key of checker.MEANINGS), or None."""
    text = str(error)
    if isinstance(error, ValueError) and "could not be broadcast" in text:
        return "shapes_do_not_broadcast"
    if isinstance(error, ValueError) and ("not aligned" in text or "matmul" in text
                                          or "mismatch in its core dimension" in text):
        return "product_shapes"
    if isinstance(error, IndexError) and "boolean index did not match" in text:
        return "mask_shape"
    if isinstance(error, IndexError) and "index out of range" in text:
        return "index_past_end"
    if isinstance(error, KeyError):
        return "missing_key"
    if isinstance(error, TypeError) and re.search(r"only (0-dimensional|size-1|length-1) arrays", text):
        return "not_a_single_number"
    if isinstance(error, TypeError) and "NoneType" in text:
        return "none_value"
    return None


def exception_hint(error, place, checked):
    """The hint name for ``error`` raised at ``place`` (a :class:`Place` or None), or None."""
    meaning = exception_meaning(error)
    line = place.text if place else ""
    in_a_call = place is not None and place.function != checked
    calling_line = place.caller[1] if place and place.caller else line
    if meaning in ("index_past_end", "missing_key") and _LAYER_INDEX.search(line):
        return "wrong_layer_index"  # a layer that does not exist: the index is off
    unbound = re.search(r"local variable '(\w+)'", str(error)) if isinstance(error, UnboundLocalError) else None
    if unbound and any(re.search(rf"\b{unbound[1]}\b", index[0]) for index in _LAYER_INDEX.finditer(line)):
        return "wrong_layer_index"  # a loop's layer variable used after a loop that never ran (one layer)
    if meaning in ("product_shapes", "mask_shape", "shapes_do_not_broadcast") \
            and (in_a_call or place is not None and place.callee not in (None, "dot", "matmul")) \
            and _LAYER_INDEX.search(calling_line):
        return "wrong_layer_index"  # the arrays did not fit the function called: the call passed the wrong ones
    if meaning == "product_shapes" and place is not None and not in_a_call and _PRODUCT.search(line):
        return "transposed_product"
    if meaning == "shapes_do_not_broadcast" and "*" in line and not _PRODUCT.search(line):
        return "elementwise_product"
    if meaning == "not_a_single_number":
        return "cost_not_summed"
    return None


# ---------------------------------------------------------------- wrong values


def _as_arrays(value):
    return value if isinstance(value, np.ndarray) else None


def value_hint(diff, function=None, inputs=None, result=None, expected=None):
    """(hint name, format values) for a wrong result, from its :class:`checker.Difference`; or None.

    Inputs: diff -- the first difference; function -- the learner's callable (its source
    tells whether a product is possible); inputs -- the case's inputs; result / expected --
    the whole result and the whole expected value (for dict results: a layer left out).
    """
    got, wanted = diff.got, diff.expected
    if diff.kind == "type" and got is None and wanted is not None:
        return "missing_return", {}
    if _costs_miscounted(diff, inputs):
        return "costs_every_100", {}
    skipped = _skipped_layers(inputs, result, expected)
    if skipped:
        return "skipped_layer", {"layers": ", ".join(map(str, skipped))}
    got, wanted = _as_arrays(got), _as_arrays(wanted)
    if got is None or wanted is None:
        return None
    if diff.kind == "shape":
        return _shape_hint(got, wanted, function)
    if diff.kind != "value":
        return None
    if got.dtype == np.float32 and np.allclose(got, wanted, rtol=1e-5, atol=1e-7):
        return "float32", {}
    if _probabilities_for_labels(got, wanted):
        return "returned_probabilities", {}
    fixed = _fixed_learning_rate(inputs, result, expected)
    if fixed:
        return "fixed_learning_rate", fixed
    got_f, wanted_f = got.astype(float), wanted.astype(float)
    mask = np.abs(wanted_f) > 1e-12
    if mask.sum() == 0:
        return None
    ratios = got_f[mask] / wanted_f[mask]
    factor = float(np.median(ratios))
    if np.allclose(ratios, factor, rtol=1e-6) and not np.isclose(factor, 1.0):
        if np.isclose(factor, -1.0):
            return "sign_flipped", {}
        return "constant_factor", {"factor": factor}
    return None


def _costs_miscounted(diff, inputs):
    """A list of costs of the wrong length where the inputs give num_iterations and the expected
    list holds ceil(num_iterations / 100) numbers: the costs of iterations 0, 100, 200, ...

    A training function's stored mistakes can hold one way of miscounting per case (recording
    only when printing, skipping iteration 0, every iteration), and a check stops at its first
    failing case; this fingerprint names the others."""
    expected = diff.expected
    if diff.kind != "length" or not isinstance(inputs, dict) or not isinstance(expected, (list, tuple)):
        return False
    iterations = inputs.get("num_iterations")
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations <= 0:
        return False
    numbers = all(isinstance(x, (int, float, np.number)) and not isinstance(x, bool) for x in expected)
    return numbers and len(expected) == -(-int(iterations) // 100)


def _shape_hint(got, wanted, function):
    if wanted.ndim == 2 and wanted.shape[1] == 1:
        n = wanted.shape[0]
        if got.shape == (n,):
            return "forgot_keepdims", {}
        if got.ndim == 1 or (got.ndim == 2 and got.shape[0] == 1 and got.shape != (1, 1)):
            return "wrong_sum_axis", {}  # summed over the units (axis 0) instead of the examples
    if wanted.ndim == 2 and got.shape == wanted.shape[::-1] and wanted.shape[0] != wanted.shape[1]:
        product = has_product(function) if function is not None else None
        if product is False:
            return "transposed_shape", {"rows": wanted.shape[0], "columns": wanted.shape[1]}
        return "transposed_product", {}
    return None


def _probabilities_for_labels(got, wanted):
    """Labels (0 and 1 only) expected, probabilities (in [0, 1], not all whole) returned."""
    if not np.issubdtype(got.dtype, np.floating):
        return False
    labels = np.isin(wanted.astype(float), (0.0, 1.0)).all()
    return bool(labels and np.all((got >= 0) & (got <= 1)) and not np.isin(got, (0.0, 1.0)).all())


def _parameter_dicts(inputs):
    """(parameters, grads, learning_rate) of an update function's inputs, or None."""
    if not isinstance(inputs, dict):
        return None
    dicts = [value for value in inputs.values() if isinstance(value, dict)]
    parameters = next((d for d in dicts if any(re.fullmatch(r"[Wb]\d+", str(k)) for k in d)), None)
    grads = next((d for d in dicts if any(re.fullmatch(r"d[Wb]\d+", str(k)) for k in d)), None)
    rate = inputs.get("learning_rate")
    return parameters, grads, rate


def _skipped_layers(inputs, result, expected):
    """Layer numbers whose parameters came back unchanged while every other entry is right."""
    found = _parameter_dicts(inputs)
    if not found or found[0] is None or not isinstance(result, dict) or not isinstance(expected, dict):
        return []
    parameters = found[0]
    from .checker import first_difference  # the checker's rule of agreement

    wrong = [key for key in expected if key in result and first_difference(result[key], expected[key]) is not None]
    if not wrong or any(key not in parameters or not np.array_equal(np.asarray(result[key]), parameters[key])
                        for key in wrong):
        return []
    if any(key not in result for key in expected):
        return []
    return sorted({int(re.sub(r"\D", "", str(key))) for key in wrong})


def _fixed_learning_rate(inputs, result, expected):
    """{"used", "given"}: the one rate the learner's update applied, when it is not the argument."""
    found = _parameter_dicts(inputs)
    if not found or None in found[:2] or not isinstance(found[2], (int, float)) or not isinstance(result, dict):
        return None
    parameters, grads, given = found
    rates = []
    for key, value in parameters.items():
        gradient = grads.get("d" + str(key))
        if gradient is None or key not in result:
            continue
        gradient = np.asarray(gradient, dtype=float)
        step = np.asarray(value, dtype=float) - np.asarray(result[key], dtype=float)
        if step.shape != gradient.shape:
            return None
        usable = np.abs(gradient) > 1e-12
        rates += list((step[usable] / gradient[usable]).ravel())
    if not rates:
        return None
    used = float(np.median(rates))
    if np.allclose(rates, used, rtol=1e-6) and used > 0 and not np.isclose(used, given, rtol=1e-6):
        return {"used": used, "given": float(given)}
    return None
