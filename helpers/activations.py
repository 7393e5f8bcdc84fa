"""Activation functions and their backward steps, given to learners.

Each forward function returns ``(A, cache)`` where ``cache`` is ``Z``: the
backward step needs Z to evaluate the derivative g'(Z). Backward functions take
``dA`` (gradient of the cost with respect to the activation) and that cache and
return ``dZ = dA * g'(Z)``; all arrays keep the shape of Z.
"""

import numpy as np


def sigmoid(Z):
    """Sigmoid, 1 / (1 + exp(-Z)), element-wise.

    Inputs:  Z -- numpy array of any shape.
    Returns: A -- same shape as Z, values in (0, 1);
             cache -- Z itself, for sigmoid_backward.
    """
    A = 1.0 / (1.0 + np.exp(-Z))
    return A, Z


def relu(Z):
    """ReLU, max(0, Z), element-wise.

    Inputs:  Z -- numpy array of any shape.
    Returns: A -- same shape as Z; cache -- Z itself, for relu_backward.
    """
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_backward(dA, cache):
    """Backward step through a sigmoid unit: dZ = dA * s * (1 - s), s = sigmoid(Z).

    Inputs:  dA -- gradient with respect to the activation, same shape as Z;
             cache -- Z from the forward step.
    Returns: dZ -- gradient with respect to Z, same shape as Z.
    """
    Z = cache
    s = 1.0 / (1.0 + np.exp(-Z))
    return dA * s * (1.0 - s)


def relu_backward(dA, cache):
    """Backward step through a ReLU unit: dZ = dA where Z > 0, else 0.

    The derivative at Z = 0 is taken as 0 (a convention; ReLU has no derivative there).

    Inputs:  dA -- gradient with respect to the activation, same shape as Z;
             cache -- Z from the forward step.
    Returns: dZ -- gradient with respect to Z, same shape as Z.
    """
    Z = cache
    # A copy, so the caller's dA is never changed in place.
    dZ = np.array(dA, dtype=float, copy=True)
    dZ[Z <= 0] = 0
    return dZ
