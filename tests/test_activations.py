"""The given activations and the reference network agree with finite differences."""

import numpy as np
import pytest

from grading.expected import reference_namespace, source_notebook
from helpers.activations import relu, relu_backward, sigmoid, sigmoid_backward

EPS = 1e-6


def numeric_derivative(f, Z):
    """Element-wise two-sided difference of an element-wise function."""
    return (f(Z + EPS)[0] - f(Z - EPS)[0]) / (2 * EPS)


@pytest.mark.parametrize("forward, backward", [(sigmoid, sigmoid_backward), (relu, relu_backward)])
def test_backward_matches_finite_differences(forward, backward):
    rng = np.random.RandomState(0)
    Z = rng.randn(4, 5)
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from ReLU's kink
    dA = rng.randn(4, 5)
    _, cache = forward(Z)
    assert np.allclose(backward(dA, cache), dA * numeric_derivative(forward, Z), rtol=1e-6, atol=1e-8)


def test_forward_values_and_caches():
    Z = np.array([[-2.0, 0.0, 3.0]])
    A, cache = sigmoid(Z)
    assert np.allclose(A, [[1 / (1 + np.exp(2)), 0.5, 1 / (1 + np.exp(-3))]])
    assert cache is Z
    A, cache = relu(Z)
    assert np.array_equal(A, [[0.0, 0.0, 3.0]]) and cache is Z


def test_relu_backward_leaves_dA_alone_and_zeroes_at_the_kink():
    dA = np.ones((1, 3))
    dZ = relu_backward(dA, np.array([[-1.0, 0.0, 1.0]]))
    assert np.array_equal(dZ, [[0.0, 0.0, 1.0]])
    assert np.array_equal(dA, np.ones((1, 3)))


def test_reference_network_gradients_match_finite_differences():
    """The notebook's reference L_model_backward is the derivative of compute_cost(L_model_forward)."""
    ref = reference_namespace(source_notebook("deep_nn_step_by_step"))
    rng = np.random.RandomState(3)
    layer_dims, m = [4, 3, 2, 1], 5
    X = rng.randn(layer_dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.8
        params[f"b{l}"] = rng.randn(layer_dims[l], 1) * 0.1

    def cost(p):
        AL, _ = ref["L_model_forward"](X, p)
        return float(ref["compute_cost"](AL, Y))

    AL, caches = ref["L_model_forward"](X, params)
    grads = ref["L_model_backward"](AL, Y, caches)
    for key, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[key][index] += EPS
            minus[key][index] -= EPS
            numeric[index] = (cost(plus) - cost(minus)) / (2 * EPS)
        analytic = grads["d" + key]
        relative = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
        assert relative < 1e-7, f"{key}: relative difference {relative:.2e}"
