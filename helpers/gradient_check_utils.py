"""Parameter dictionaries as one long column vector, and back, for gradient checking.

Gradient checking nudges one parameter at a time, so it is easiest to see all
the parameters of a network as a single column vector theta. These functions
flatten a dictionary such as {"W1": ..., "b1": ..., "W2": ...} into that
vector and rebuild the dictionary from it.

Conventions:

- Parameter names are "W<l>" and "b<l>" (l = 1, 2, ...). The vector lists them
  layer by layer, weights before biases: W1, b1, W2, b2, W3, b3, ... whatever
  order the dictionary was built in.
- Each array is flattened row by row (numpy's default "C" order), so entry
  W1[i, j] of a W1 with n columns sits at position i * n + j of its block.
- Gradients are named "dW<l>" and "db<l>"; ``gradients_to_vector`` stacks them
  in the same order, so entry k of the gradient vector belongs to entry k of
  the parameter vector. Other entries of a gradients dictionary (dZ1, dA1, ...)
  are ignored.
- Nothing is hard-coded: the sizes of the blocks come from the shapes of the
  arrays, so the functions work for any number of layers and any layer sizes.
"""

import re

import numpy as np

from .errors import CourseError

_NAME = re.compile(r"^([Wb])([1-9][0-9]*)$")


def _layer_order(name, prefix=""):
    """Sort key of a parameter name: (layer, 0 for W / 1 for b).

    Inputs:  name -- str such as "W2" (or "dW2" with prefix "d").
    Returns: tuple (int, int).
    Raises:  CourseError if the name is not W<l> or b<l> (after the prefix).
    """
    match = _NAME.match(name[len(prefix):]) if isinstance(name, str) and name.startswith(prefix) else None
    if match is None:
        raise CourseError(
            f"Names must look like {prefix}W1, {prefix}b1, {prefix}W2, ... (layer numbers from 1); got {name!r}.",
            f"名称应当形如 {prefix}W1、{prefix}b1、{prefix}W2……（层号从 1 开始），实际是 {name!r}。",
        )
    return int(match.group(2)), 0 if match.group(1) == "W" else 1


def parameter_names(parameters):
    """The names of a parameter dictionary in vector order: W1, b1, W2, b2, ...

    Inputs:  parameters -- dict whose keys are "W<l>" / "b<l>".
    Returns: list of str, sorted by layer, W before b.
    Raises:  CourseError if parameters is not a non-empty dict or a key has another form.
    """
    if not isinstance(parameters, dict) or not parameters:
        raise CourseError(
            f"Expected a non-empty dictionary of parameters such as {{'W1': ..., 'b1': ...}}, got {type(parameters).__name__}.",
            f"这里需要一个非空的参数字典，例如 {{'W1': ..., 'b1': ...}}，实际传入的是 {type(parameters).__name__}。",
        )
    return sorted(parameters, key=_layer_order)


def _as_array(value, name):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise CourseError(f"{name} must be an array of numbers.",
                          f"{name} 必须是数值数组。") from None
    return array


def dictionary_to_vector(parameters):
    """Stack every parameter into one column vector.

    Inputs:
        parameters -- dict "W1", "b1", ..., "WL", "bL" of numpy arrays,
                      e.g. W1 (5, 4), b1 (5, 1), W2 (3, 5), b2 (3, 1), W3 (1, 3), b3 (1, 1).
    Returns:
        theta -- float64 array of shape (n, 1), n = total number of entries
                 (47 in the example), blocks in the order W1, b1, W2, b2, ...
        keys -- list of n str: keys[k] is the name of the parameter that entry k
                of theta comes from (20 times "W1", then 5 times "b1", ...).
    Raises:
        CourseError -- if parameters is not a dict of W<l> / b<l> arrays.
    """
    blocks, keys = [], []
    for name in parameter_names(parameters):
        block = _as_array(parameters[name], name).reshape(-1, 1)
        blocks.append(block)
        keys += [name] * block.shape[0]
    theta = np.concatenate(blocks, axis=0)
    return theta, keys


def _layout(shapes):
    """[(name, shape)] from a dict of arrays / shapes or from a list of (name, shape) pairs."""
    if isinstance(shapes, dict):
        pairs = [(name, shapes[name]) for name in parameter_names(shapes)]
    elif isinstance(shapes, (list, tuple)) and shapes and all(
            isinstance(item, (list, tuple)) and len(item) == 2 for item in shapes):
        pairs = list(shapes)
    else:
        raise CourseError(
            "shapes must be the parameters dictionary (or any dict name -> array or shape), "
            "or a list of (name, shape) pairs such as [('W1', (5, 4)), ('b1', (5, 1))].",
            "shapes 应当是参数字典（或任何“名称 -> 数组或形状”的字典），"
            "或者由 (名称, 形状) 组成的列表，例如 [('W1', (5, 4)), ('b1', (5, 1))]。",
        )
    layout = []
    for name, shape in pairs:
        if isinstance(shape, (int, np.integer)):
            shape = (int(shape),)
        elif isinstance(shape, (tuple, list)) and all(isinstance(n, (int, np.integer)) for n in shape):
            shape = tuple(int(n) for n in shape)  # a shape such as (5, 4)
        elif isinstance(shape, tuple):
            shape = None
        else:
            shape = np.shape(shape)  # an array (or nested list): its own shape
        if shape is None or any(n < 0 for n in shape):
            raise CourseError(f"The shape of {name!r} is not a valid shape.",
                              f"{name!r} 的形状不是合法的形状。")
        layout.append((name, shape))
    return layout


def vector_to_dictionary(theta, shapes):
    """Rebuild a parameter dictionary from a column vector: the inverse of dictionary_to_vector.

    Inputs:
        theta -- array of shape (n, 1) (or (n,)), e.g. the output of dictionary_to_vector.
        shapes -- how to cut theta, either
                  * a dict name -> array (such as the original parameters; only the
                    shapes are used) or name -> shape; its blocks are read in the order
                    W1, b1, W2, b2, ..., the order of dictionary_to_vector; or
                  * a list of (name, shape) pairs, read in the list's order.
                  A shape is a tuple (or list) of ints such as (5, 4), or a single int.
    Returns:
        parameters -- dict name -> float64 array of the given shape (new arrays:
                      changing them does not change theta).
    Raises:
        CourseError -- if theta is not a column vector, if shapes is not one of the forms
                       above, or if theta does not have exactly as many entries as the
                       shapes need (the message lists the shapes and both counts).
    """
    layout = _layout(shapes)
    values = _as_array(theta, "theta")
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise CourseError(
            f"theta must be a column vector of shape (n, 1), got shape {values.shape}.",
            f"theta 应当是形状为 (n, 1) 的列向量，实际形状是 {values.shape}。",
        )
    sizes = [int(np.prod(shape)) for _, shape in layout]
    needed = sum(sizes)
    if values.shape[0] != needed:
        detail = ", ".join(f"{name} {shape}" for name, shape in layout)
        raise CourseError(
            f"theta has {values.shape[0]} entries, but the shapes ({detail}) need {needed}.",
            f"theta 有 {values.shape[0]} 个元素，而这些形状（{detail}）一共需要 {needed} 个。",
        )
    parameters, start = {}, 0
    for (name, shape), size in zip(layout, sizes, strict=True):
        parameters[name] = values[start:start + size].reshape(shape).copy()
        start += size
    return parameters


def gradients_to_vector(gradients, shapes=None):
    """Stack the gradients dW1, db1, dW2, db2, ... into one column vector.

    Inputs:
        gradients -- dict with "dW<l>" and "db<l>" (other keys such as "dZ1" or
                     "dA2" are ignored), e.g. the output of a backward pass.
        shapes -- optional: the parameters dictionary (or any input accepted by
                  vector_to_dictionary). When given, exactly the gradients of those
                  parameters are stacked, and each must have its parameter's shape.
    Returns:
        grad -- float64 array of shape (n, 1), in the order of dictionary_to_vector,
                so grad[k] is the derivative with respect to theta[k].
    Raises:
        CourseError -- if a gradient is missing or has the wrong shape.
    """
    if not isinstance(gradients, dict):
        raise CourseError(f"gradients must be a dictionary such as {{'dW1': ..., 'db1': ...}}, got {type(gradients).__name__}.",
                          f"gradients 应当是字典，例如 {{'dW1': ..., 'db1': ...}}，实际是 {type(gradients).__name__}。")
    if shapes is None:
        names = [key for key in gradients if isinstance(key, str) and _NAME.match(key[1:]) and key.startswith("d")]
        if not names:
            raise CourseError("gradients holds no dW<l> or db<l> entry.",
                              "gradients 中没有 dW<l> 或 db<l> 这样的项。")
        layout = [(name, None) for name in sorted(names, key=lambda key: _layer_order(key, "d"))]
    else:
        layout = [("d" + name, shape) for name, shape in _layout(shapes)]
    blocks = []
    for name, shape in layout:
        if name not in gradients:
            raise CourseError(f"gradients lacks {name!r}.", f"gradients 中缺少 {name!r}。")
        block = _as_array(gradients[name], name)
        if shape is not None and block.shape != shape:
            raise CourseError(
                f"{name} has shape {block.shape}, but its parameter has shape {shape}.",
                f"{name} 的形状是 {block.shape}，而对应参数的形状是 {shape}。",
            )
        blocks.append(block.reshape(-1, 1))
    return np.concatenate(blocks, axis=0)
