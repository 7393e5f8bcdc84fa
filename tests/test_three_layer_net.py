"""helpers.three_layer_net: gradients agree with finite differences; errors are clear."""

import numpy as np
import pytest

from helpers import three_layer_net as net
from helpers.errors import CourseError


def random_problem(seed=0, dims=(2, 5, 3, 1), m=7):
    rng = np.random.RandomState(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        params[f"b{l}"] = rng.randn(dims[l], 1) * 0.1
    X = rng.randn(dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    return X, Y, params


def test_gradients_match_finite_differences():
    X, Y, params = random_problem()
    a3, cache = net.forward_propagation(X, params)
    grads = net.backward_propagation(X, Y, cache)
    eps = 1e-6
    for key, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
            plus[key][index] += eps
            minus[key][index] -= eps
            numeric[index] = (net.compute_loss(net.forward_propagation(X, plus)[0], Y)
                              - net.compute_loss(net.forward_propagation(X, minus)[0], Y)) / (2 * eps)
        analytic = grads["d" + key]
        assert np.linalg.norm(analytic - numeric) <= 1e-7 * (np.linalg.norm(analytic) + np.linalg.norm(numeric) + 1e-12)


def test_loss_is_mean_of_sum_and_update_copies():
    X, Y, params = random_problem(1)
    a3, cache = net.forward_propagation(X, params)
    assert net.compute_loss(a3, Y) == pytest.approx(net.cross_entropy_sum(a3, Y) / X.shape[1])
    grads = net.backward_propagation(X, Y, cache)
    before = {k: v.copy() for k, v in params.items()}
    new = net.update_parameters(params, grads, 0.1)
    assert all(np.array_equal(params[k], before[k]) for k in params)
    assert np.allclose(new["W1"], before["W1"] - 0.1 * grads["dW1"])


def test_predict_prints_accuracy(capsys):
    X, Y, params = random_problem(2)
    p = net.predict(X, Y, params)
    assert p.shape == Y.shape and set(np.unique(p)) <= {0, 1}
    assert capsys.readouterr().out.startswith("Accuracy: ")
    assert np.array_equal(net.predict_dec(params, X), p.astype(bool))


def test_bad_inputs_are_explained():
    X, Y, params = random_problem(3)
    with pytest.raises(CourseError) as error:
        net.forward_propagation(X[:1], params)
    assert "W1" in error.value.en and "特征" in error.value.zh
    del params["b3"]
    with pytest.raises(CourseError):
        net.forward_propagation(X, params)
