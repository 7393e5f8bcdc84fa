"""Seconds for the cat / non-cat lesson's two trainings (2 500 iterations each),
straightforward against the course's training path, in one run.

    python benchmarks/training_speed.py [--iterations 2500] [--repeats 1]

"Straightforward" is the classic loop: every backward step also computes
dA_prev, including dA0 = W1^T dZ1, the gradient with respect to the pictures,
and update_parameters deep-copies the parameters before replacing every array.
"Course" is the reference solution of notebooks/deep_nn_application, which
passes input_gradient=False and uses helpers.deep_nn.update_parameters (a
shallow copy). Both must record exactly the same costs; the script stops with
an error if they differ. Target: the course path at least 1.7 times faster.
"""

import argparse
import copy
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

from helpers import deep_nn  # noqa: E402

LEARNING_RATE = 0.0075


def update_with_deepcopy(params, grads, learning_rate):
    """The classic update: copy everything, then replace every array anyway."""
    parameters = copy.deepcopy(params)
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def straightforward_two_layer(X, Y, dims, num_iterations):
    np.random.seed(1)
    parameters = deep_nn.initialize_parameters(*dims)
    costs = []
    for i in range(num_iterations):
        A1, cache1 = deep_nn.linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = deep_nn.linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = deep_nn.compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = deep_nn.linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = deep_nn.linear_activation_backward(dA1, cache1, "relu")
        parameters = update_with_deepcopy(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2},
                                          LEARNING_RATE)
        if i % 100 == 0:
            costs.append(float(cost))
    return parameters, costs


def straightforward_L_layer(X, Y, dims, num_iterations):
    np.random.seed(1)
    parameters = deep_nn.initialize_parameters_deep_scaled(dims)
    costs = []
    for i in range(num_iterations):
        AL, caches = deep_nn.L_model_forward(X, parameters)
        cost = deep_nn.compute_cost(AL, Y)
        grads = deep_nn.L_model_backward(AL, Y, caches)
        parameters = update_with_deepcopy(parameters, grads, LEARNING_RATE)
        if i % 100 == 0:
            costs.append(float(cost))
    return parameters, costs


def timed(train):
    started = time.perf_counter()
    parameters, costs = train()
    return time.perf_counter() - started, parameters, costs


def main(argv=None):
    from grading.expected import reference_namespace, source_notebook
    from helpers.cat_data import flatten_images, load_cat_dataset

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--repeats", type=int, default=1, help="runs of each training; the fastest counts")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.repeats < 1:
        parser.error("--iterations and --repeats must be positive")

    train_x_orig, train_y, _, _, _ = load_cat_dataset()
    X = flatten_images(train_x_orig)
    course = reference_namespace(source_notebook("deep_nn_application"))
    models = [
        ("two-layer (12288, 7, 1)", (X.shape[0], 7, 1), straightforward_two_layer, course["two_layer_model"]),
        ("four-layer [12288, 20, 7, 5, 1]", [X.shape[0], 20, 7, 5, 1], straightforward_L_layer,
         course["L_layer_model"]),
    ]
    print(f"{args.iterations} iterations, {X.shape[1]} pictures, numpy {np.__version__}, {os.cpu_count()} cores")
    print(f"{'model':34}{'straightforward (s)':>21}{'course (s)':>12}{'ratio':>8}")
    totals = [0.0, 0.0]
    for name, dims, baseline, lesson in models:
        slow = min((timed(lambda: baseline(X, train_y, dims, args.iterations)) for _ in range(args.repeats)),
                   key=lambda run: run[0])
        fast = min((timed(lambda: lesson(X, train_y, dims, learning_rate=LEARNING_RATE,
                                         num_iterations=args.iterations)) for _ in range(args.repeats)),
                   key=lambda run: run[0])
        if slow[2] != fast[2]:
            raise SystemExit(f"{name}: the two paths recorded different costs:\n{slow[2]}\n{fast[2]}")
        for key in slow[1]:
            if not np.array_equal(slow[1][key], fast[1][key]):
                raise SystemExit(f"{name}: the two paths trained different {key}")
        totals[0] += slow[0]
        totals[1] += fast[0]
        print(f"{name:34}{slow[0]:21.1f}{fast[0]:12.1f}{slow[0] / fast[0]:7.2f}x   "
              f"cost at 0: {fast[2][0]:.6f}, last recorded: {fast[2][-1]:.6f} (identical)")
    print(f"{'both trainings':34}{totals[0]:21.1f}{totals[1]:12.1f}{totals[0] / totals[1]:7.2f}x")


if __name__ == "__main__":
    main()
