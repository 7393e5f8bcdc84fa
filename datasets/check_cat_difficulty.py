"""Check that the cat / non-cat data set is a real learning problem.

Trains the two networks of the classic assignment exactly as learners will,
with a small private numpy implementation, and prints costs and accuracies:

    python -m datasets.check_cat_difficulty [--data-dir DIR] [--iterations 2500]

- two-layer net 12288 -> 7 -> 1, weights randn * 0.01 after np.random.seed(1);
- four-layer net 12288 -> 20 -> 7 -> 5 -> 1, weights randn / sqrt(n_prev) after
  np.random.seed(1);
- ReLU hidden layers, sigmoid output, cross-entropy cost, plain batch gradient
  descent with learning rate 0.0075.

The data set is right when neither model reaches 100 % on the test set and the
deeper one is strictly better there. It takes a minute or two, which is why it
is a separate command and not part of the pytest suite.
"""

import argparse
import sys
import time

import numpy as np

from helpers.cat_data import flatten_images, load_cat_dataset
from helpers.errors import DatasetError

TWO_LAYER = (12288, 7, 1)
FOUR_LAYER = (12288, 20, 7, 5, 1)
LEARNING_RATE = 0.0075


def init_params(layer_dims, deep):
    """Initial weights as the assignment sets them.

    Inputs:
        layer_dims -- tuple of ints (n_x, n_1, ..., n_L).
        deep -- bool; True: randn / sqrt(n_prev), False: randn * 0.01.
    Returns:
        dict with W1..WL (n_l, n_{l-1}) and b1..bL (n_l, 1), float64.
    """
    np.random.seed(1)
    params = {}
    for l in range(1, len(layer_dims)):
        scale = 1.0 / np.sqrt(layer_dims[l - 1]) if deep else 0.01
        params[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def forward(x, params):
    """Forward pass: ReLU hidden layers, sigmoid output.

    Inputs:
        x -- float64 (n_x, m); params -- dict from init_params.
    Returns:
        al -- (1, m) output probabilities; caches -- list of (a_prev, z) per layer.
    """
    n_layers = len(params) // 2
    a, caches = x, []
    for l in range(1, n_layers + 1):
        z = params[f"W{l}"] @ a + params[f"b{l}"]
        caches.append((a, z))
        a = 1.0 / (1.0 + np.exp(-z)) if l == n_layers else np.maximum(0.0, z)
    return a, caches


def cost(al, y):
    """Cross-entropy cost: float, mean over the m columns of al (1, m) and y (1, m)."""
    m = y.shape[1]
    return float(-(y @ np.log(al).T + (1 - y) @ np.log(1 - al).T).item() / m)


def backward_and_update(al, y, caches, params, learning_rate):
    """One gradient descent step, in place.

    Inputs:
        al -- (1, m) output; y -- (1, m) labels; caches -- from forward;
        params -- dict, updated in place; learning_rate -- float.
    Returns:
        None.
    """
    m = y.shape[1]
    n_layers = len(caches)
    # For a sigmoid output with cross-entropy, dL/dz simplifies to al - y.
    dz = al - y
    for l in range(n_layers, 0, -1):
        a_prev, _ = caches[l - 1]
        dw = dz @ a_prev.T / m
        db = dz.sum(axis=1, keepdims=True) / m
        if l > 1:
            da_prev = params[f"W{l}"].T @ dz
            dz = da_prev * (caches[l - 2][1] > 0)
        params[f"W{l}"] -= learning_rate * dw
        params[f"b{l}"] -= learning_rate * db


def train(x, y, layer_dims, deep, iterations=2500, learning_rate=LEARNING_RATE, report_every=0):
    """Batch gradient descent.

    Inputs:
        x -- float64 (n_x, m); y -- (1, m) of 0/1; layer_dims -- tuple of ints;
        deep -- bool (choice of initialisation); iterations -- int;
        learning_rate -- float; report_every -- int, print the cost this often (0: never).
    Returns:
        params -- trained dict; costs -- list of floats, the cost before each step
        (costs[0] at iteration 0) followed by the cost after the last step.
    """
    params = init_params(layer_dims, deep)
    costs = []
    for i in range(iterations):
        al, caches = forward(x, params)
        costs.append(cost(al, y))
        if report_every and i % report_every == 0:
            print(f"    cost after iteration {i}: {costs[-1]:.6f}")
        backward_and_update(al, y, caches, params, learning_rate)
    costs.append(cost(forward(x, params)[0], y))
    return params, costs


def accuracy(x, y, params):
    """Share of correct predictions (threshold 0.5): float in [0, 1]; x (n_x, m), y (1, m)."""
    return float(np.mean((forward(x, params)[0] > 0.5) == (y == 1)))


def evaluate(train_x, train_y, test_x, test_y, iterations=2500, verbose=True):
    """Train both models and collect their numbers.

    Inputs:
        train_x, test_x -- float64 (12288, m); train_y, test_y -- (1, m);
        iterations -- int; verbose -- bool, print progress.
    Returns:
        dict name -> dict(cost0, cost_final, train_acc, test_acc, seconds).
    """
    results = {}
    for name, dims, deep in (("two-layer 12288-7-1", TWO_LAYER, False),
                             ("four-layer 12288-20-7-5-1", FOUR_LAYER, True)):
        if verbose:
            print(f"{name}:")
        start = time.perf_counter()
        params, costs = train(train_x, train_y, dims, deep, iterations, report_every=500 if verbose else 0)
        results[name] = dict(cost0=costs[0], cost_final=costs[-1],
                             train_acc=accuracy(train_x, train_y, params),
                             test_acc=accuracy(test_x, test_y, params),
                             seconds=time.perf_counter() - start)
    return results


def main(argv=None):
    """Command line entry point. Returns int exit code (0 ok, 1 outcome not as wanted, 2 bad data)."""
    parser = argparse.ArgumentParser(prog="python -m datasets.check_cat_difficulty",
                                     description="Train the course's two networks on the cat data set. "
                                                 "用课程中的两个网络在猫数据集上训练一遍，检查难度。")
    parser.add_argument("--data-dir", default=None, help="folder with the two .h5 files / 数据文件所在文件夹")
    parser.add_argument("--iterations", type=int, default=2500, help="gradient steps / 迭代次数 (default 2500)")
    args = parser.parse_args(argv)
    if args.iterations < 1:
        parser.error("--iterations must be at least 1 / 迭代次数至少为 1")
    try:
        train_x_orig, train_y, test_x_orig, test_y, classes = load_cat_dataset(args.data_dir)
    except DatasetError as exc:
        print(f"error: {exc.en}\n错误：{exc.zh}", file=sys.stderr)
        return 2
    train_x, test_x = flatten_images(train_x_orig), flatten_images(test_x_orig)
    print(f"train {train_x.shape}, {int(train_y.sum())} cats; test {test_x.shape}, {int(test_y.sum())} cats")
    results = evaluate(train_x, train_y, test_x, test_y, args.iterations)
    print()
    for name, r in results.items():
        print(f"{name:27s} cost@0 {r['cost0']:.6f}  final cost {r['cost_final']:.6f}  "
              f"train {100 * r['train_acc']:.1f} %  test {100 * r['test_acc']:.1f} %  ({r['seconds']:.0f} s)")
    shallow, deep = results.values()
    ok = deep["test_acc"] > shallow["test_acc"] and max(shallow["test_acc"], deep["test_acc"]) < 1.0
    print("outcome: OK (deeper model strictly better on test, neither perfect)" if ok
          else "outcome: NOT as intended")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
