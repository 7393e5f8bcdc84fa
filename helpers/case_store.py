"""Reading and writing nested values (arrays, numbers, strings, dicts, lists,
tuples) in HDF5, so stored test cases keep their exact structure.

Layout of a case file::

    /<function_name>/<case_name>/inputs     keyword arguments of the call (a dict)
    /<function_name>/<case_name>/expected   what the reference solution returned
    /<function_name>/<case_name>/mistakes/<mistake>   what a known wrong variant returns

Every node carries an attribute ``kind`` telling how to rebuild it. Case groups
carry ``label_en`` / ``label_zh`` (a short description shown in reports) and, for a
function that draws random numbers without seeding itself, ``seed``: the caller
seeds, so every reader of the case calls ``np.random.seed(seed)`` right before the
call (:func:`call_case`), as the notebook's example cell does before its call.

A function passed as an input (the training function of a search) is stored by
name, kind ``callable``: the string ``"helpers.<module>:<name>"``, and rebuilt by
importing that module. Only module-level functions of the ``helpers`` package
can be stored or rebuilt, so a case file never makes its reader import anything
else, and a graded kernel, which has the helpers modules its notebook imports,
can rebuild it.
"""

import copy
import importlib
import json
import re

import h5py
import numpy as np

from .errors import CheckSetupError

KIND = "kind"

# Graded functions whose job includes updating one of their inputs in place, as a
# batch-normalization layer updates its running averages in ``bn_param``:
# {function name: names of the inputs it updates}. For these functions, what a call
# produced is the pair (return value, {name: that input after the call}); the stored
# expected values, the checker, the grader's harvest and every other input are
# compared as usual (any other changed input is still a mistake).
UPDATED_INPUTS = {
    "batchnorm_forward": ("bn_param",),
}


def call_case(function, function_name, inputs, seed=None):
    """Call ``function`` on a fresh copy of the keyword arguments ``inputs``.

    seed -- optional int: ``np.random.seed(seed)`` just before the call (see :func:`seed_before_call`).
    Returns: (outcome, given) -- outcome is the return value, or for a function of
             UPDATED_INPUTS the pair (return value, {name: input after the call});
             given is the copy of the inputs as the call left it.
    """
    given = copy.deepcopy(inputs)
    seed_before_call(seed)
    result = function(**given)
    return outcome(function_name, result, given), given


def seed_before_call(seed):
    """Seed numpy's global generator for a case whose function the caller seeds (no-op for None).

    The course follows the newest classic convention: a function that draws its random
    numbers does not reseed itself; whoever calls it sets the seed first. A stored case
    therefore carries the seed its caller sets, and every place that calls a learner's
    function on it (the public check, the hidden check, the grader's harvest) sets it.
    """
    if seed is not None:
        np.random.seed(int(seed))


def outcome(function_name, result, given):
    """What a call of ``function_name`` produced: ``result``, or for a function of
    UPDATED_INPUTS the pair (result, {name: given[name]}) with ``given`` the inputs after the call."""
    names = UPDATED_INPUTS.get(function_name)
    if not names:
        return result
    return result, {name: given.get(name) for name in names}


CALLABLE_PACKAGE = "helpers"
_CALLABLE_REFERENCE = re.compile(r"helpers\.([a-z_][a-z0-9_]*):([A-Za-z_][A-Za-z0-9_]*)")


def callable_reference(function):
    """The stored name ``"helpers.<module>:<name>"`` of a module-level function of the helpers package.

    Raises:  TypeError for any other callable (a lambda, a closure, a method, a function of
             another package), which has no name that a reader could import.
    """
    module = getattr(function, "__module__", None) or ""
    name = getattr(function, "__qualname__", "")
    reference = f"{module}:{name}"
    if not _CALLABLE_REFERENCE.fullmatch(reference) or _imported(module, name) is not function:
        raise TypeError(f"cannot store the callable {function!r}: only module-level functions of the "
                        f"{CALLABLE_PACKAGE} package can be stored, by name")
    return reference


def resolve_callable(reference):
    """The function named by ``"helpers.<module>:<name>"`` (see :func:`callable_reference`).

    Raises:  CheckSetupError when the name is malformed, outside the helpers package,
             or names nothing callable.
    """
    match = _CALLABLE_REFERENCE.fullmatch(str(reference))
    function = None
    if match:
        try:
            function = _imported(f"{CALLABLE_PACKAGE}.{match.group(1)}", match.group(2))
        except ImportError:
            function = None
    if not callable(function) or getattr(function, "__module__", None) != f"{CALLABLE_PACKAGE}.{match.group(1)}":
        raise CheckSetupError(
            f"The stored function {reference!r} cannot be found: a stored case may only name a function "
            f"of the {CALLABLE_PACKAGE} package.",
            f"找不到存储的函数 {reference!r}：存储的测试用例只能引用 {CALLABLE_PACKAGE} 包中的函数。",
        )
    return function


def _imported(module, name):
    return getattr(importlib.import_module(module), name, None)


def write_value(parent, name, value):
    """Store ``value`` under ``parent[name]``.

    Inputs:  parent -- h5py Group; name -- str; value -- nested value.
    Raises:  TypeError for a type that has no stored form.
    """
    if isinstance(value, dict):
        group = parent.create_group(name)
        group.attrs[KIND] = "dict"
        keys = list(value)
        if not all(isinstance(key, str) for key in keys):
            raise TypeError(f"dict keys must be str, got {keys!r}")
        group.attrs["order"] = json.dumps(keys)
        for key in keys:
            write_value(group, key, value[key])
    elif isinstance(value, (list, tuple)):
        group = parent.create_group(name)
        group.attrs[KIND] = "tuple" if isinstance(value, tuple) else "list"
        group.attrs["length"] = len(value)
        for index, item in enumerate(value):
            write_value(group, str(index), item)
    elif value is None:
        group = parent.create_group(name)
        group.attrs[KIND] = "none"
    elif isinstance(value, str):
        data = parent.create_dataset(name, data=value, dtype=h5py.string_dtype("utf-8"))
        data.attrs[KIND] = "str"
    elif isinstance(value, (bool, np.bool_)):
        data = parent.create_dataset(name, data=bool(value))
        data.attrs[KIND] = "bool"
    elif isinstance(value, (int, np.integer)):
        data = parent.create_dataset(name, data=int(value))
        data.attrs[KIND] = "int"
    elif isinstance(value, (float, np.floating)):
        data = parent.create_dataset(name, data=float(value))
        data.attrs[KIND] = "float"
    elif isinstance(value, np.ndarray):
        data = parent.create_dataset(name, data=value)
        data.attrs[KIND] = "array"
    elif callable(value):
        data = parent.create_dataset(name, data=callable_reference(value), dtype=h5py.string_dtype("utf-8"))
        data.attrs[KIND] = "callable"
    else:
        raise TypeError(f"cannot store a value of type {type(value).__name__}")


def read_value(node):
    """Rebuild the value stored at ``node`` (an h5py Group or Dataset)."""
    kind = node.attrs.get(KIND)
    if kind == "dict":
        return {key: read_value(node[key]) for key in json.loads(node.attrs["order"])}
    if kind in ("list", "tuple"):
        items = [read_value(node[str(index)]) for index in range(int(node.attrs["length"]))]
        return tuple(items) if kind == "tuple" else items
    if kind == "none":
        return None
    if kind == "str":
        return node.asstr()[()]
    if kind == "bool":
        return bool(node[()])
    if kind == "int":
        return int(node[()])
    if kind == "float":
        return float(node[()])
    if kind == "array":
        return np.array(node[()])
    if kind == "callable":
        return resolve_callable(node.asstr()[()])
    raise CheckSetupError(
        f"Unknown stored value kind {kind!r} at {node.name} in {node.file.filename}.",
        f"文件 {node.file.filename} 中 {node.name} 处的存储类型 {kind!r} 无法识别。",
    )


def write_case(parent, case_name, inputs, expected, mistakes=None, label_en="", label_zh="", seed=None):
    """Store one case: its inputs, its expected value, known-mistake outputs and the caller's seed."""
    group = parent.require_group(case_name)
    group.attrs["label_en"] = label_en
    group.attrs["label_zh"] = label_zh
    write_seed(group, seed)
    write_value(group, "inputs", inputs)
    write_value(group, "expected", expected)
    mistakes_group = group.create_group("mistakes")
    for mistake, value in (mistakes or {}).items():
        write_value(mistakes_group, mistake, value)
    return group


def write_seed(node, seed):
    """Record on ``node`` the seed set before the call (nothing for None)."""
    if seed is not None:
        node.attrs["seed"] = int(seed)


def read_seed(node):
    """The seed recorded on ``node`` by :func:`write_seed`, or None."""
    seed = node.attrs.get("seed")
    return None if seed is None else int(seed)


def read_cases(path, function_name):
    """All cases stored for ``function_name`` in the file at ``path``.

    Returns: list of dicts with keys name, label_en, label_zh, seed (int or None), inputs,
             expected, mistakes.
    Raises:  CheckSetupError if the file cannot be read or has no such function.
    """
    try:
        with h5py.File(path, "r") as handle:
            if function_name not in handle:
                raise CheckSetupError(
                    f"No stored cases for {function_name!r} in {path}.",
                    f"{path} 中没有 {function_name!r} 的测试用例。",
                )
            cases = []
            for case_name in sorted(handle[function_name]):
                group = handle[function_name][case_name]
                cases.append(
                    {
                        "name": case_name,
                        "label_en": str(group.attrs.get("label_en", case_name)),
                        "label_zh": str(group.attrs.get("label_zh", case_name)),
                        "seed": read_seed(group),
                        "inputs": read_value(group["inputs"]),
                        "expected": read_value(group["expected"]),
                        "mistakes": {key: read_value(group["mistakes"][key]) for key in group["mistakes"]},
                    }
                )
            return cases
    except OSError as exc:
        raise CheckSetupError(
            f"Cannot read the stored test cases {path}: {exc}.",
            f"无法读取存储的测试用例文件 {path}：{exc}。",
        ) from None


def read_attrs(path):
    """File-level attributes of a case file (e.g. ``assignment``)."""
    try:
        with h5py.File(path, "r") as handle:
            return {key: handle.attrs[key] for key in handle.attrs}
    except OSError as exc:
        raise CheckSetupError(
            f"Cannot read the stored test cases {path}: {exc}.",
            f"无法读取存储的测试用例文件 {path}：{exc}。",
        ) from None
