"""Seconds for the cat / non-cat lesson's two trainings (2 500 iterations each),
straightforward against the course's training path, in one run.

    python benchmarks/training_speed.py [--iterations 2500] [--repeats 1]

Both run the reference solutions of notebooks/deep_nn_application, the same
loops. "Course" runs them as they are: input_gradient=False leaves out
dA0 = W1^T dZ1, the gradient with respect to the pictures, and
helpers.deep_nn.update_parameters makes a shallow copy. "Straightforward"
runs them with the building blocks of the classic assignment swapped in: every
backward step computes dA_prev, dA0 included, and the update deep-copies the
parameters before replacing every array. Both must train exactly the same
parameters and record exactly the same costs; the script stops with an error if
they differ. Target: the course path at least 1.7 times faster.
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
    return deep_nn.update_parameters(copy.deepcopy(params), grads, learning_rate)


def straightforward(namespace):
    """The notebook's functions, with building blocks that do the classic's extra work."""
    namespace["linear_activation_backward"] = \
        lambda dA, cache, activation, input_gradient=True: deep_nn.linear_activation_backward(dA, cache, activation)
    namespace["L_model_backward"] = \
        lambda AL, Y, caches, input_gradient=True: deep_nn.L_model_backward(AL, Y, caches)
    namespace["update_parameters"] = update_with_deepcopy
    return namespace


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
    notebook = source_notebook("deep_nn_application")
    course, classic = reference_namespace(notebook), straightforward(reference_namespace(notebook))
    models = [("two-layer (12288, 7, 1)", "two_layer_model", (X.shape[0], 7, 1)),
              ("four-layer [12288, 20, 7, 5, 1]", "L_layer_model", [X.shape[0], 20, 7, 5, 1])]
    print(f"{args.iterations} iterations, {X.shape[1]} pictures, numpy {np.__version__}, {os.cpu_count()} cores")
    print(f"{'model':34}{'straightforward (s)':>21}{'course (s)':>12}{'ratio':>8}")
    totals = [0.0, 0.0]
    for name, function, dims in models:
        slow, fast = (
            min((timed(lambda: namespace[function](X, train_y, dims, learning_rate=LEARNING_RATE,  # noqa: B023 -- called at once
                                                   num_iterations=args.iterations)) for _ in range(args.repeats)),
                key=lambda run: run[0])
            for namespace in (classic, course))
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
