"""The course's checker: runs a learner's function on stored cases and explains
in English and Chinese what is wrong.

Usage in a notebook test cell::

    report = check_function(linear_forward, "linear_forward")
    assert report.passed, report.summary

Conventions:

- Cases and expected values are read from HDF5 files written from the reference
  solutions (``python -m grading expected``); nothing here is typed by hand.
  Public cases sit next to the notebook in ``public_checks.h5``; hidden cases
  live in the course repository (``grading/hidden/<assignment>.h5``), reach the
  checker only through $DLCOURSE_HIDDEN_DIR, which the grading tools set, and never
  reach students.
- Numbers are compared with ``np.isclose(got, expected, rtol=RTOL, atol=ATOL)``:
  relative tolerance 1e-6 and absolute tolerance 1e-8, loose enough for another
  order of summation, tight enough to catch any real mistake.
- Noise-level values: the tolerance follows the magnitude of the expected value.
  When the largest ``|expected|`` entry of a value (a number, or a whole array)
  is above 0 and below ATOL, the absolute tolerance alone would accept 0 or any
  tiny number, so instead each entry that is not negligible (``|expected| >
  NEGLIGIBLE * largest``) must have the same sign as expected and lie within a
  factor NOISE_FACTOR (10) of it, and each negligible entry must stay below
  ``NOISE_FACTOR * largest``. Such values are rounding noise (the relative
  difference of a gradient check of a correct gradient is about 1e-10) and
  legitimately differ by a few per cent, even by a factor of a few, between
  CPUs and orders of summation; a factor of 10 still catches a check that
  returns 0, a sign flip, or a result of the wrong order of magnitude. Arrays of
  normal magnitude with a few near-zero entries keep the plain absolute
  tolerance, and an exact zero expected is matched by ``|got| <= ATOL``.
- In hidden cases (``suite="hidden"``) the report never shows the inputs or the
  expected and obtained numbers: only which hidden case failed and how (type,
  shape, keys, the count of wrong entries, the first wrong index, a hint).
  :func:`redacted` gives that explanation of any :class:`Difference`.
- Lists and tuples are interchangeable; a Python float, a numpy float and a 0-d
  array all count as a number.
- Every input is passed as a fresh copy; a function that changes its inputs
  (for example, updates the caller's ``parameters`` dict) fails with a hint.
  The exception: a function listed in ``case_store.UPDATED_INPUTS`` is meant to
  update the inputs named there (a batch-norm layer's running averages), so their
  state after the call is compared with the stored one instead.
- Warnings and anything written to stderr during the call are reported on
  stdout, because nbgrader gives no credit to a test cell with stderr output.
"""

import contextlib
import copy
import io
import os
import re
import warnings
from pathlib import Path

import numpy as np

from . import diagnosis
from .case_store import UPDATED_INPUTS, outcome, read_attrs, read_cases, seed_before_call
from .errors import CheckSetupError
from .language import language, say

RTOL = 1e-6
ATOL = 1e-8
# Noise-level values (largest |expected| in (0, ATOL)): agreement within this factor, same sign.
NOISE_FACTOR = 10.0
# Entries this much smaller than the largest one of a noise-level value are noise of the noise.
NEGLIGIBLE = 1e-3
PUBLIC_FILE = "public_checks.h5"
HIDDEN_ENV = "DLCOURSE_HIDDEN_DIR"
PUBLIC_ENV = "DLCOURSE_PUBLIC_CHECKS"

# Hints for known mistakes. A stored case may carry the output of a mistaken
# variant of the reference under one of these names; generic fingerprints below
# use some of the same names.
HINTS = {
    "forgot_one_over_m": (
        "The 1/m factor seems to be missing: your values are m times too large. Average over the m examples.",
        "看起来漏掉了 1/m：你的结果是预期值的 m 倍。记得对 m 个样本取平均。",
    ),
    "forgot_keepdims": (
        "A 1-D array of shape (n,) where a column (n, 1) is expected: np.sum(..., axis=1) drops the summed axis "
        "unless you pass keepdims=True, and np.zeros(n) is 1-D where np.zeros((n, 1)) is a column.",
        "得到的是形状为 (n,) 的一维数组，而这里需要 (n, 1) 的列向量：np.sum(..., axis=1) 如果不写 keepdims=True，"
        "求和的那个维度会被去掉；np.zeros(n) 也是一维的，np.zeros((n, 1)) 才是列向量。",
    ),
    "transposed_product": (
        "Rows and columns are swapped: check the order of the factors of the matrix product and where a transpose (.T) belongs.",
        "行和列颠倒了：检查矩阵乘法中因子的顺序，以及转置（.T）该加在哪里。",
    ),
    "elementwise_product": (
        "`*` multiplies element by element; a layer needs the matrix product np.dot(W, A) (or W @ A).",
        "`*` 是逐元素相乘；这里需要的是矩阵乘法 np.dot(W, A)（或 W @ A）。",
    ),
    "wrong_activation": (
        "Your result matches the other activation function: check that sigmoid and ReLU are used where the `activation` argument says.",
        "你的结果与另一种激活函数的结果一致：检查 sigmoid 和 ReLU 是否按 `activation` 参数用对了地方。",
    ),
    "relu_on_output": (
        "The output layer must use sigmoid (its output is a probability); only the L-1 hidden layers use ReLU.",
        "输出层要用 sigmoid（它的输出是一个概率），只有前 L-1 个隐藏层用 ReLU。",
    ),
    "forgot_scale": (
        "The weights look like plain np.random.randn(...) values: multiply them by 0.01 to keep them small.",
        "权重看起来是直接用 np.random.randn(...) 得到的：记得乘以 0.01，让初始值足够小。",
    ),
    "reseeded_inside": (
        "Your function sets a seed of its own: it gives the same weights whatever seed its caller set. "
        "Leave the seeding to the caller (the check seeds right before it calls you) and just draw.",
        "你的函数自己设置了种子：不管调用者设置了什么种子，它给出的权重都一样。"
        "种子应该由调用者设置（测试会在调用前设置好种子），函数里直接抽取随机数即可。",
    ),
    "forgot_bias": (
        "The bias b seems to be missing from Z = WA + b.",
        "Z = WA + b 中似乎漏掉了偏置 b。",
    ),
    "sign_flipped": (
        "Your values have the opposite sign: check the minus sign in front of the cost or of the derivative.",
        "你的结果符号反了：检查代价或导数前面的负号。",
    ),
    "gradient_ascent": (
        "The parameters moved uphill: gradient descent subtracts learning_rate * gradient.",
        "参数朝着代价增大的方向走了：梯度下降应当减去 learning_rate 乘以梯度。",
    ),
    "forgot_learning_rate": (
        "The whole gradient was subtracted: multiply it by learning_rate first.",
        "你减去的是完整的梯度：应该先乘以学习率 learning_rate。",
    ),
    "mutated_input": (
        "Work on a copy (for example copy.deepcopy) or build new arrays, instead of changing what the caller passed in.",
        "请在副本上操作（例如 copy.deepcopy），或者创建新的数组，不要修改调用者传进来的对象。",
    ),
    "wrong_tanh_derivative": (
        "The derivative of tanh is 1 - tanh(z)**2, that is 1 - np.power(A1, 2) with A1 from the cache; A1 * (1 - A1) is the sigmoid's derivative.",
        "tanh 的导数是 1 - tanh(z)**2，也就是 1 - np.power(A1, 2)（A1 取自缓存）；A1 * (1 - A1) 是 sigmoid 的导数。",
    ),
    "hidden_activation_not_tanh": (
        "The hidden layer must use tanh, A1 = np.tanh(Z1); the sigmoid belongs to the output layer only.",
        "隐藏层要用 tanh，即 A1 = np.tanh(Z1)；sigmoid 只用于输出层。",
    ),
    "ignored_n_h": (
        "The hidden layer has the wrong size: initialise with the n_h passed to nn_model; layer_sizes() fixes n_h = 4 and is used here only for n_x and n_y.",
        "隐藏层的大小不对：初始化时要用传给 nn_model 的 n_h；layer_sizes() 把 n_h 固定为 4，这里只用它得到 n_x 和 n_y。",
    ),
    "shuffled_apart": (
        "X and Y were not shuffled with the same permutation: draw one permutation and index the columns of both with it.",
        "X 和 Y 没有用同一个排列打乱：只生成一个排列，并用它同时索引两者的列。",
    ),
    "dropped_last_batch": (
        "The last, smaller mini-batch is missing: when m is not a multiple of mini_batch_size, the remaining examples form one more mini-batch.",
        "缺少最后那个较小的 mini-batch：当 m 不是 mini_batch_size 的整数倍时，剩下的样本要再组成一个 mini-batch。",
    ),
    "momentum_without_one_minus_beta": (
        "The velocity looks like beta * v + dW: this course's momentum is v = beta * v + (1 - beta) * dW.",
        "速度看起来是按 beta * v + dW 算的：本课程的动量公式是 v = beta * v + (1 - beta) * dW。",
    ),
    "epsilon_inside_sqrt": (
        "epsilon seems to be inside the square root: divide by (np.sqrt(s) + epsilon).",
        "epsilon 似乎放在了平方根里面：应当除以 (np.sqrt(s) + epsilon)。",
    ),
    "bias_correction_t_minus_one": (
        "The bias correction seems to use t - 1 (or t + 1): t already counts this step, so divide by (1 - beta ** t).",
        "偏差修正似乎用了 t - 1（或 t + 1）：t 已经把这一步算在内，应当除以 (1 - beta ** t)。",
    ),
    "no_bias_correction": (
        "The update seems to use v and s without bias correction: divide them by (1 - beta1 ** t) and (1 - beta2 ** t) first.",
        "更新时似乎直接用了未做偏差修正的 v 和 s：要先分别除以 (1 - beta1 ** t) 和 (1 - beta2 ** t)。",
    ),
    "decay_without_floor": (
        "The learning rate changes between two decay times: round epoch_num / time_interval down with np.floor.",
        "学习率在两次衰减之间也在变化：要用 np.floor 对 epoch_num / time_interval 向下取整。",
    ),
    "l2_factor_two": (
        "The L2 part is twice too large: the cost term is (λ / (2m)) Σ‖W‖², with the 1/2, and its gradient is (λ / m) W (the 2 of the square cancels the 1/2).",
        "L2 部分大了一倍：代价中的这一项是 (λ / (2m)) Σ‖W‖²（有 1/2），它的梯度是 (λ / m) W（平方求导得到的 2 与 1/2 抵消）。",
    ),
    "l2_forgot_one_over_m": (
        "The L2 part is m times too large: divide it by the number of examples m, as in (λ / (2m)) Σ‖W‖² and (λ / m) W.",
        "L2 部分是应有值的 m 倍：要除以样本数 m，即 (λ / (2m)) Σ‖W‖² 和 (λ / m) W。",
    ),
    "l2_on_bias": (
        "Only the weight matrices W are regularized; leave the biases b out of the L2 term.",
        "只对权重矩阵 W 做正则化；L2 项中不要包含偏置 b。",
    ),
    "dropout_forgot_scale": (
        "Divide the kept values by keep_prob (inverted dropout), in the forward pass and again in the backward pass, so the expected values do not change.",
        "保留下来的值要除以 keep_prob（反向随机失活），前向传播和反向传播都要除，这样期望值才保持不变。",
    ),
    "dropout_mask_inverted": (
        "Your mask keeps the units it should shut down: a unit is kept (1) where np.random.rand(...) < keep_prob.",
        "你的掩码保留了本该关掉的单元：np.random.rand(...) < keep_prob 的位置才保留（为 1）。",
    ),
    "dropout_randn_mask": (
        "Draw the mask with np.random.rand (uniform on [0, 1)), not np.random.randn (normal).",
        "掩码要用 np.random.rand（[0, 1) 上的均匀分布）生成，而不是 np.random.randn（正态分布）。",
    ),
    "dropout_mask_not_applied": (
        "Apply the same mask D in the backward pass: a unit shut down in the forward pass gets no gradient.",
        "反向传播中也要乘上同一个掩码 D：前向传播时被关掉的单元没有梯度。",
    ),
    "costs_every_100": (
        "costs should hold the cost of iterations 0, 100, 200, ... (ceil(num_iterations / 100) numbers), recorded whether or not print_cost is True.",
        "costs 应当记录第 0、100、200……次迭代的代价（共 ceil(num_iterations / 100) 个），不论 print_cost 是否为 True 都要记录。",
    ),
    "ignored_learning_rate": (
        "Your parameters match a run with the default learning rate 0.0075: pass the function's learning_rate argument to update_parameters instead of a fixed number.",
        "你的参数与使用默认学习率 0.0075 的结果一致：请把函数的参数 learning_rate 传给 update_parameters，不要写死一个数。",
    ),
    "init_not_scaled": (
        "Your parameters match a start from randn * 0.01 weights: the L-layer model starts from initialize_parameters_deep_scaled(layers_dims), W = randn / sqrt(n_prev).",
        "你的参数与用 randn * 0.01 初始化权重的结果一致：L 层模型应当用 initialize_parameters_deep_scaled(layers_dims) 初始化，即 W = randn / sqrt(n_prev)。",
    ),
    "returned_probabilities": (
        "predict should return labels 0 or 1 (1 where the probability is above 0.5), not the probabilities themselves.",
        "predict 应当返回 0 或 1 的标签（概率大于 0.5 时为 1），而不是概率本身。",
    ),
    "softmax_wrong_axis": (
        "Softmax works column by column (one column per example): take the maximum and the sum over axis 0, with keepdims=True; each column of A must sum to 1.",
        "softmax 要逐列计算（每列一个样本）：最大值和求和都沿 axis 0 进行，并加上 keepdims=True；A 的每一列之和必须为 1。",
    ),
    "softmax_no_max_shift": (
        "Large entries overflow: np.exp(1000) is inf and inf / inf is nan. Subtract each column's maximum from Z before np.exp; the result does not change.",
        "大的元素会溢出：np.exp(1000) 是 inf，而 inf / inf 是 nan。在 np.exp 之前先让 Z 的每一列减去该列的最大值，结果不会改变。",
    ),
    "one_hot_transposed": (
        "Y seems to be used transposed: in this course a one-hot matrix has shape (C, m), one column per example, like AL; do not transpose it.",
        "Y 似乎被转置后使用了：本课程中独热矩阵的形状是 (C, m)，每列一个样本，和 AL 一样；不要再转置它。",
    ),
    "dz_divided_by_m": (
        "dZ is m times smaller than expected: for the output layer dZ = AL - Y; the 1/m of the cost is applied later, in dW and db.",
        "dZ 比预期小了 m 倍：输出层的 dZ = AL - Y；代价中的 1/m 要到后面的 dW 和 db 中再除。",
    ),
    "bn_sample_variance": (
        "The variance seems to be divided by m - 1: batch normalization uses the population variance, np.var(Z, axis=1, keepdims=True) (divided by m).",
        "方差似乎除以了 m - 1：批量归一化用的是总体方差，即 np.var(Z, axis=1, keepdims=True)（除以 m）。",
    ),
    "bn_epsilon_missing": (
        "eps seems to be missing: divide by np.sqrt(var + eps), so that a unit whose values are all equal is not divided by 0.",
        "似乎漏掉了 eps：应当除以 np.sqrt(var + eps)，这样取值全都相同的单元就不会被除以 0。",
    ),
    "bn_epsilon_outside_sqrt": (
        "eps seems to be outside the square root: batch normalization divides by np.sqrt(var + eps), not np.sqrt(var) + eps.",
        "eps 似乎放在了平方根外面：批量归一化除以的是 np.sqrt(var + eps)，而不是 np.sqrt(var) + eps。",
    ),
    "bn_momentum_swapped": (
        "The running averages have the weights swapped: running = momentum * running + (1 - momentum) * batch statistic.",
        "滑动平均的权重写反了：应为 running = momentum * running + (1 - momentum) * 这一批的统计量。",
    ),
    "bn_test_mode_batch_statistics": (
        "In test mode, normalize with bn_param's running_mean and running_var, not with the mean and variance of the batch, and leave them unchanged.",
        "测试模式下要用 bn_param 中的 running_mean 和 running_var 做归一化，而不是用这一批的均值和方差，并且不要改变它们。",
    ),
    "bn_gradients_not_summed": (
        "dgamma and dbeta must have shape (n, 1): gamma and beta are shared by all examples, so sum over them, np.sum(..., axis=1, keepdims=True).",
        "dgamma 和 dbeta 的形状应为 (n, 1)：所有样本共用 gamma 和 beta，所以要对样本求和，即 np.sum(..., axis=1, keepdims=True)。",
    ),
    "bn_backward_ignores_batch_statistics": (
        "dZ looks like gamma * dout / sqrt(var + eps): the mean and the variance also depend on Z; use dZ = gamma / (m * sqrt(var + eps)) * (m * dout - dbeta - Z_norm * dgamma).",
        "dZ 看起来是 gamma * dout / sqrt(var + eps)：均值和方差也依赖于 Z；应当用 dZ = gamma / (m * sqrt(var + eps)) * (m * dout - dbeta - Z_norm * dgamma)。",
    ),
    "constant_factor": (
        "Every value is off by the same factor {factor:g}: look for a missing or extra constant such as 1/m, 2 or learning_rate.",
        "所有数值都差了同一个倍数 {factor:g}：检查是否漏掉或多乘了某个常数，例如 1/m、2 或 learning_rate。",
    ),
    "transposed_shape": (
        "Rows and columns are swapped: an array of shape ({rows}, {columns}) is made with the sizes in that order, "
        "for example np.random.randn({rows}, {columns}) or np.zeros(({rows}, {columns})).",
        "行和列颠倒了：形状为 ({rows}, {columns}) 的数组要按这个顺序给出大小，"
        "例如 np.random.randn({rows}, {columns}) 或 np.zeros(({rows}, {columns}))。",
    ),
    "wrong_sum_axis": (
        "A row where a column (n, 1) is expected: the sum over the examples runs along axis=1 (one column per example), "
        "with keepdims=True; axis=0 sums over the units instead.",
        "这里需要 (n, 1) 的列向量，得到的却是一行：对样本求和要沿 axis=1（每列一个样本），并加上 keepdims=True；"
        "axis=0 求和的是各个单元。",
    ),
    "float32": (
        "Your values are float32 numbers, which keep about 7 significant digits. The course computes in float64 "
        "(numpy's default) and checks with a relative tolerance of 1e-6, finer than float32 can hold: keep the "
        "default dtype (no astype(np.float32), no dtype=np.float32).",
        "你的数值是 float32 类型，只保留约 7 位有效数字。本课程用 float64（numpy 的默认类型）计算，"
        "检查的相对容差是 1e-6，比 float32 的精度还要细：请保留默认的数据类型（不要用 astype(np.float32) 或 dtype=np.float32）。",
    ),
    "missing_return": (
        "Your function returned None: a function without a `return` statement gives None. End it with "
        "`return` and the result.",
        "你的函数返回了 None：没有 `return` 语句的函数会返回 None。请在函数末尾用 `return` 返回结果。",
    ),
    "fixed_learning_rate": (
        "Your update used a learning rate of {used:g}, not the learning_rate argument ({given:g}): use the argument, "
        "not a fixed number.",
        "你的更新用的学习率是 {used:g}，而不是参数 learning_rate（{given:g}）：请使用这个参数，不要写死一个数。",
    ),
    "skipped_layer": (
        "The parameters of layer {layers} came back unchanged: the layers are numbered 1 to L, so a loop over "
        "range(1, L) stops one layer short; loop over range(1, L + 1), or over range(L) with l + 1.",
        "第 {layers} 层的参数没有被更新：层的编号是 1 到 L，循环 range(1, L) 会少走最后一层；"
        "应当循环 range(1, L + 1)，或者循环 range(L) 并使用 l + 1。",
    ),
    "wrong_layer_index": (
        "Check the layer index on this line: the arrays it passes or looks up belong to another layer. The output "
        "layer is layer L (W{{L}}, b{{L}}), the loop's l counts the hidden layers, and caches[l] holds the cache of "
        "layer l + 1.",
        "检查这一行中的层编号：它传递或取出的数组属于另一层。输出层是第 L 层（W{{L}}、b{{L}}），"
        "循环变量 l 数的是隐藏层，caches[l] 存的是第 l + 1 层的缓存。",
    ),
    "cost_not_summed": (
        "If this value is the cost: it is one number, the sum over all the examples divided by m; np.sum(..., axis=0) "
        "of a (1, m) row still leaves one number per example.",
        "如果这个值是代价：它应当是一个数，即对所有样本求和再除以 m；对 (1, m) 的行向量用 np.sum(..., axis=0)，"
        "得到的仍然是每个样本一个数。",
    ),
    # ---------------------------------------------------------------- hyperparameter_tuning (issue 12)
    "split_not_shuffled": (
        "The parts hold the examples in their original order: shuffle first, with np.random.permutation(m) after the given seed, then cut.",
        "各部分中的样本还是原来的顺序：要先在给定的种子之后用 np.random.permutation(m) 打乱，再切分。",
    ),
    "split_lost_example": (
        "Some examples are in no part: take round(fraction * m) for the training and dev sets and give the test set all the columns that are left, not int(fraction * m) of them.",
        "有些样本不在任何一个部分里：训练集和开发集取 round(fraction * m) 个，测试集取剩下的全部列，而不是 int(fraction * m) 个。",
    ),
    "split_duplicated_example": (
        "Some examples appear in two parts: draw one permutation and cut it into three consecutive pieces, instead of drawing each part on its own.",
        "有些样本同时出现在 2 个部分中：只生成一个排列，把它切成连续的 3 段，而不是每个部分各自抽取。",
    ),
    "variance_from_base_error": (
        "The variance is the gap between the dev and the training error (dev_error - train_error), not between the dev error and the base error.",
        "方差是开发误差与训练误差之差（dev_error - train_error），而不是开发误差与基准误差之差。",
    ),
    "ignored_base_error": (
        "The base error was ignored: the avoidable bias is train_error - base_error; a training error close to the base error is no bias problem.",
        "你忽略了基准误差：可避免偏差是 train_error - base_error；训练误差接近基准误差时，并不存在偏差问题。",
    ),
    "test_own_statistics": (
        "The test set seems normalized with its own mean and variance: use the mu and sigma2 of the training set for both sets.",
        "测试集似乎是用它自己的均值和方差归一化的：两个集合都要用训练集的 mu 和 sigma2。",
    ),
    "divided_by_variance": (
        "The inputs seem divided by the variance sigma2: divide by the standard deviation, np.sqrt(sigma2).",
        "输入似乎除以了方差 sigma2：应当除以标准差 np.sqrt(sigma2)。",
    ),
    "normalized_per_example": (
        "The statistics seem computed per example (over the rows, axis 0): each feature is a row, so average over the columns, axis=1 with keepdims=True.",
        "统计量似乎是按样本计算的（对各行，axis 0）：每个特征是一行，所以要对各列求平均，即 axis=1 并加上 keepdims=True。",
    ),
    "sample_variance_inputs": (
        "The variance seems divided by m - 1: use the mean of the squared deviations over the m training examples (np.var's default, divided by m).",
        "方差似乎除以了 m - 1：要用 m 个训练样本上偏差平方的平均值（即 np.var 的默认做法，除以 m）。",
    ),
    "constant_feature_nan": (
        "A constant feature (sigma2 = 0) became nan: divide by 1 where sigma2 is 0, for example with np.where(sigma2 > 0, np.sqrt(sigma2), 1.0).",
        "常数特征（sigma2 = 0）变成了 nan：在 sigma2 为 0 的地方除以 1，例如用 np.where(sigma2 > 0, np.sqrt(sigma2), 1.0)。",
    ),
    "uniform_not_log": (
        "Your values are spread uniformly between their bounds: on a log scale the exponent is uniform, r = b - (b - a) * rng.rand(size) with a = log10(low), b = log10(high), and the value is 10 ** r (for beta: applied to 1 - beta).",
        "你的值是在上下界之间均匀分布的：对数尺度上均匀分布的是指数，r = b - (b - a) * rng.rand(size)，其中 a = log10(low)，b = log10(high)，取值为 10 ** r（对 beta 则作用于 1 - beta）。",
    ),
    "log_uniform_from_low": (
        "Right distribution, other values: you drew r = a + (b - a) * u. The exercise follows the seed's r = -4 * np.random.rand(), that is r = b - (b - a) * u.",
        "分布是对的，但取值不同：你用的是 r = a + (b - a) * u。本练习沿用种子文档中的 r = -4 * np.random.rand()，也就是 r = b - (b - a) * u。",
    ),
    "beta_sampled_directly": (
        "beta itself was sampled: sample 1 - beta on a log scale, between 1 - high and 1 - low, and return 1 minus those values.",
        "你直接对 beta 抽样了：应当在对数尺度上、在 1 - high 和 1 - low 之间抽取 1 - beta，再返回 1 减去这些值。",
    ),
    "beta_one_minus_returned": (
        "These are the values of 1 - beta: return beta = 1 - (the sampled values).",
        "这些是 1 - beta 的值：要返回 beta = 1 - （抽到的值）。",
    ),
    "search_not_sorted": (
        "The trials are in the order they were run: return them sorted by dev_accuracy, best first, sorted(trials, key=..., reverse=True).",
        "试验是按运行的顺序排列的：要按 dev_accuracy 从好到差排序后返回，即 sorted(trials, key=..., reverse=True)。",
    ),
    "search_sorted_ascending": (
        "The trials are sorted worst first: the best trial (highest dev_accuracy) comes first, reverse=True.",
        "试验是从差到好排序的：最好的试验（dev_accuracy 最高）应当排在最前面，即 reverse=True。",
    ),
    "search_same_draw_each_trial": (
        "Every trial drew the same hyperparameters: set the seed once, before the loop, and let the draws follow one another (no seed argument to the samplers).",
        "每次试验抽到的超参数都一样：种子只在循环之前设置一次，让各次抽取前后相接（调用抽样函数时不传 seed）。",
    ),
    "early_stopping_last_epoch": (
        "You returned the last epoch's parameters: early stopping keeps the parameters and the epoch with the lowest dev cost, remembered when it was reached.",
        "你返回的是最后一轮的参数：早停要保留开发集代价最低的那一轮的参数和轮数，在达到最低时就记下来。",
    ),
    "early_stopping_ignores_patience": (
        "The run went on after patience epochs without improvement: stop as soon as patience epochs in a row brought no strictly lower dev cost.",
        "连续 patience 轮没有改进之后训练仍在继续：一旦连续 patience 轮开发集代价都没有严格下降，就要立即停止。",
    ),
    "early_stopping_patience_not_reset": (
        "The run stopped too early: the count of epochs without improvement starts again at 0 after each improvement.",
        "训练停得太早了：每次有改进之后，\"没有改进的轮数\"要重新从 0 开始计数。",
    ),
    # ---------------------------------------------------------------- end of hyperparameter_tuning
}

# What an exception of numpy or Python means in the course's terms; said before its own message.
MEANINGS = {
    "shapes_do_not_broadcast": (
        "Two arrays whose shapes do not fit were combined element by element (+, -, * or /): numpy stretches an "
        "axis of length 1, no other. Compare the shapes of the arrays on that line with the ones the exercise gives.",
        "2 个形状不匹配的数组做了逐元素运算（+、-、* 或 /）：numpy 只会扩展长度为 1 的维度。"
        "请把这一行中各数组的形状与练习给出的形状对照一下。",
    ),
    "product_shapes": (
        "A matrix product of two arrays whose inner sizes differ: np.dot(A, B) needs as many columns in A as "
        "rows in B.",
        "2 个数组做矩阵乘法时内侧的维度不一致：np.dot(A, B) 要求 A 的列数等于 B 的行数。",
    ),
    "mask_shape": (
        "An array was indexed by a mask of another shape: the two arrays of that step must have the same shape, "
        "so one of them probably belongs to another layer.",
        "用一个形状不同的掩码去索引数组：这一步的 2 个数组形状必须相同，其中一个很可能属于另一层。",
    ),
    "index_past_end": (
        "A list or tuple was indexed past its end: a list of n items has the indices 0 to n - 1.",
        "列表或元组的下标超出了范围：有 n 项的列表，下标是 0 到 n - 1。",
    ),
    "missing_key": (
        "A dictionary has no such key: check the name (such as \"W\" + str(l)) and that this layer exists.",
        "字典中没有这个键：检查键名（例如 \"W\" + str(l)），以及这一层是否存在。",
    ),
    "not_a_single_number": (
        "A value that should be one number is an array with several entries: float(...) and np.squeeze(...) "
        "make a number only of an array with a single entry.",
        "本该是一个数的值却是含有多个元素的数组：float(...) 和 np.squeeze(...) 只能把只有一个元素的数组变成一个数。",
    ),
    "none_value": (
        "A value is None, most likely what a function without `return` gave back.",
        "某个值是 None，很可能来自一个没有 `return` 的函数。",
    ),
}


def _fmt(value):
    """Short, readable text of a number."""
    return f"{float(value):.10g}"


def _plural(count, word, words=None):
    """``1 item``, ``2 items``: English numbers with their noun."""
    return f"{count} {word if count == 1 else words or word + 's'}"


_ZH_TYPES = {"list": "列表（list）", "tuple": "元组（tuple）", "dict": "字典（dict）", "str": "字符串（str）",
             "int": "整数（int）", "float": "浮点数（float）", "bool": "布尔值（bool）",
             "NoneType": "空值 None（没有返回值）"}


def _describe(value):
    """A short description of a value's type and shape, for messages: (English, Chinese)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}", f"形状为 {value.shape} 的数组"
    if isinstance(value, (list, tuple)):
        name = type(value).__name__
        return f"a {name} of {_plural(len(value), 'item')}", f"包含 {len(value)} 项的{_ZH_TYPES[name]}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value, key=str)}", f"键为 {sorted(value, key=str)} 的字典"
    if value is None:
        return "None", _ZH_TYPES["NoneType"]
    name = type(value).__name__
    return name, _ZH_TYPES.get(name, f"类型为 {name} 的值")


def _zh_place(where):
    """A place name before a Chinese verb: a space only after code (返回值['W1'] 应该是, 返回值应该是)."""
    return where + (" " if where[-1:].isascii() else "")


def _is_number(value):
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.shape == () and np.issubdtype(value.dtype, np.number)


def _close(got, expected):
    """Entry by entry, whether ``got`` agrees with ``expected`` (float arrays or numbers of one shape).

    The rule of the module docstring: plain ``np.isclose`` unless the largest finite
    |expected| entry lies in (0, ATOL); then sign and a factor NOISE_FACTOR for the
    entries that are not negligible, and ``|got| <= NOISE_FACTOR * largest`` for the rest.
    """
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    plain = np.isclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
    largest = _noise_scale(expected)
    if largest is None:
        return plain
    significant = np.abs(expected) > NEGLIGIBLE * largest
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = got / expected
    # A positive ratio means the same sign; 0, NaN and the wrong sign all fail.
    within = (ratio >= 1 / NOISE_FACTOR) & (ratio <= NOISE_FACTOR)
    small = np.abs(got) <= NOISE_FACTOR * largest
    noise_rule = np.where(significant, within, small)
    # NaN or infinite expected entries keep isclose's treatment (NaN matches NaN).
    return np.where(np.isfinite(expected), noise_rule, plain)


def _noise_scale(expected):
    """The largest finite |entry| of ``expected`` when it is noise-level (in (0, ATOL)), else None."""
    magnitude = np.abs(np.asarray(expected, dtype=float))
    magnitude = magnitude[np.isfinite(magnitude)]
    if magnitude.size == 0:
        return None
    largest = float(magnitude.max())
    return largest if 0 < largest < ATOL else None


NOISE_NOTE = (
    " For a value this small (rounding noise, below {atol:g}) the check asks for the same sign and "
    "agreement within a factor of {factor:g}, not for 0 or any tiny number.",
    "对于这么小的数值（舍入噪声量级，小于 {atol:g}），检查要求符号相同、相差不超过 {factor:g} 倍，"
    "而不是 0 或任意一个很小的数。",
)


def _noise_note(expected):
    """The explanation of the noise-level rule, when it applies to ``expected``; else ("", "")."""
    if _noise_scale(expected) is None:
        return "", ""
    return tuple(text.format(atol=ATOL, factor=NOISE_FACTOR) for text in NOISE_NOTE)


class Difference:
    """The first place where a learner's value differs from the expected one.

    ``where`` names the place ("the return value[1]", "grads['dW1']");
    ``en`` / ``zh`` explain it; ``got`` / ``expected`` are the two values there.
    ``safe_en`` / ``safe_zh`` explain it without any expected or obtained number
    (what :func:`redacted` returns, for hidden cases); they default to ``en`` /
    ``zh`` for kinds whose message holds no value (type, keys, length, shape).
    """

    def __init__(self, kind, where, en, zh, got=None, expected=None, safe=None):
        self.kind, self.where, self.en, self.zh = kind, where, en, zh
        self.got, self.expected = got, expected
        self.safe_en, self.safe_zh = safe if safe is not None else (en, zh)

    def redacted(self):
        """(English, Chinese) explanation that quotes no expected or obtained value."""
        return self.safe_en, self.safe_zh

    def __repr__(self):
        return f"<Difference {self.kind} at {self.where}>"


def redacted(diff):
    """Explain a :class:`Difference` without revealing values, for a failed hidden case.

    Input:   diff -- a Difference, as returned by :func:`first_difference`.
    Returns: (en, zh) -- two str. They may name the place (keys, indices), the type,
             the expected shape or length, the count of wrong entries and the index of
             the first one; never an expected or obtained number or string.
    """
    return diff.redacted()


RETURN_VALUE = ("the return value", "返回值")
INPUT = ("the input", "输入")
AFTER_CALL = ("the inputs after the call", "调用之后的输入")


def first_difference(got, expected, root=RETURN_VALUE, path=""):
    """Compare nested values; return a :class:`Difference` or None when they agree.

    Inputs:  got, expected -- nested values; root -- (English, Chinese) name of the
             outermost value; path -- index suffix such as "[1]['W1']" (internal).

    Numbers and numeric arrays agree entry by entry under ``np.isclose(got,
    expected, rtol=RTOL, atol=ATOL)``, except for noise-level values: when the
    largest |expected| entry of a number or of a whole array is above 0 and below
    ATOL, every entry with |expected| > NEGLIGIBLE * largest must have the same
    sign and lie within a factor NOISE_FACTOR (10) of its expected value, and the
    other entries must satisfy |got| <= NOISE_FACTOR * largest. So 0 or an
    arbitrary tiny number does not match an expected 1e-10, while a value a few
    per cent (or a factor of a few) off does; an exact zero expected is matched
    by |got| <= ATOL.
    """
    where = root[0] + path
    wzh = _zh_place(root[1] + path)  # Chinese messages: f"{wzh}应该是" reads 返回值应该是, 返回值[0] 应该是
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Difference("type", where, f"{where} should be a dict, got {_describe(got)[0]}.",
                              f"{wzh}应该是字典（dict），实际是{_describe(got)[1]}。", got, expected)
        missing = [key for key in expected if key not in got]
        if missing:
            return Difference("keys", where, f"{where} is missing the keys {missing}.",
                              f"{wzh}缺少这些键：{missing}。", got, expected)
        extra = sorted(key for key in got if key not in expected)
        if extra:
            return Difference("keys", where, f"{where} has unexpected keys {extra}.",
                              f"{wzh}多出了这些键：{extra}。", got, expected)
        for key in expected:
            found = first_difference(got[key], expected[key], root, f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(expected, (list, tuple)):
        kind = type(expected).__name__
        if not isinstance(got, (list, tuple)):
            return Difference("type", where, f"{where} should be a {kind} of {_plural(len(expected), 'item')}, got {_describe(got)[0]}.",
                              f"{wzh}应该是包含 {len(expected)} 项的{_ZH_TYPES[kind]}，实际是{_describe(got)[1]}。", got, expected)
        if len(got) != len(expected):
            return Difference("length", where, f"{where} should have {_plural(len(expected), 'item')}, got {len(got)}.",
                              f"{wzh}应该有 {len(expected)} 项，实际有 {len(got)} 项。", got, expected)
        for index, (got_item, expected_item) in enumerate(zip(got, expected, strict=True)):
            found = first_difference(got_item, expected_item, root, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(expected, str):
        if got != expected:
            return Difference("value", where, f"{where} should be {expected!r}, got {got!r}.",
                              f"{wzh}应该是 {expected!r}，实际是 {got!r}。", got, expected,
                              safe=(f"{where} is not the expected string.", f"{wzh}不是预期的字符串。"))
        return None
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        if not _is_number(got):
            return Difference("type", where, f"{where} should be a number, got {_describe(got)[0]}.",
                              f"{wzh}应该是一个数，实际是{_describe(got)[1]}。", got, expected)
        if not bool(_close(float(got), expected)):
            note_en, note_zh = _noise_note(expected)
            return Difference("value", where, f"{where} should be {_fmt(expected)}, got {_fmt(got)}.{note_en}",
                              f"{wzh}应该是 {_fmt(expected)}，实际是 {_fmt(got)}。{note_zh}", got, expected,
                              safe=(f"{where} is not the expected number.", f"{wzh}不是预期的数值。"))
        return None
    if isinstance(expected, np.ndarray):
        return _array_difference(got, expected, where, wzh)
    if expected is None:
        if got is not None:
            return Difference("type", where, f"{where} should be None, got {_describe(got)[0]}.",
                              f"{wzh}应该是 None，实际是{_describe(got)[1]}。", got, expected)
        return None
    if got != expected:
        return Difference("value", where, f"{where} should be {expected!r}, got {got!r}.",
                          f"{wzh}应该是 {expected!r}，实际是 {got!r}。", got, expected,
                          safe=(f"{where} is not the expected value.", f"{wzh}不是预期的值。"))
    return None


def _array_difference(got, expected, where, wzh):
    if not isinstance(got, np.ndarray):
        return Difference("type", where, f"{where} should be a numpy array of shape {expected.shape}, got {_describe(got)[0]}.",
                          f"{wzh}应该是形状为 {expected.shape} 的 numpy 数组，实际是{_describe(got)[1]}。", got, expected)
    if got.shape != expected.shape:
        return Difference("shape", where, f"{where} has the wrong shape: expected {expected.shape}, got {got.shape}.",
                          f"{wzh}的形状不对：应为 {expected.shape}，实际为 {got.shape}。", got, expected)
    if not np.issubdtype(got.dtype, np.number) and not np.issubdtype(got.dtype, np.bool_):
        return Difference("type", where, f"{where} should hold numbers, got dtype {got.dtype}.",
                          f"{wzh}应该是数值数组，实际的 dtype 是 {got.dtype}。", got, expected)
    got_f, expected_f = got.astype(float), expected.astype(float)
    if np.isnan(got_f).any() and not np.isnan(expected_f).any():
        index = tuple(int(i) for i in np.argwhere(np.isnan(got_f))[0])
        return Difference("value", where, f"{where} contains NaN, first at index {index}.",
                          f"{wzh}中出现了 NaN，第 1 个位于下标 {index}。", got, expected)
    close = _close(got_f, expected_f)
    if close.all():
        return None
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    largest = float(np.nanmax(np.abs(got_f - expected_f)))
    wrong = int((~close).sum())
    note_en, note_zh = _noise_note(expected_f)
    return Difference(
        "value", where,
        f"{where} has {_plural(wrong, 'wrong entry', 'wrong entries')} of {close.size}. First at index {index}: expected "
        f"{_fmt(expected_f[index])}, got {_fmt(got_f[index])}. Largest error: {largest:.3g}.{note_en}",
        f"{wzh}中有 {wrong}/{close.size} 个元素不对。第 1 个位于下标 {index}：应为 "
        f"{_fmt(expected_f[index])}，实际为 {_fmt(got_f[index])}。最大误差：{largest:.3g}。{note_zh}",
        got, expected,
        safe=(f"{where} has {_plural(wrong, 'wrong entry', 'wrong entries')} of {close.size}; the first is at index {index}.",
              f"{wzh}中有 {wrong}/{close.size} 个元素不对，第 1 个位于下标 {index}。"),
    )


class Report:
    """What one check found. ``passed`` is True when every case agreed; ``lines`` holds the
    (English, Chinese) lines of the report and ``hints`` the names (keys of HINTS) of the hints
    among them, in the order given, so that a test can tell which hints fired without reading text."""

    def __init__(self, function_name, suite):
        self.function_name = function_name
        self.suite = suite
        self.passed = True
        self.cases_run = 0
        self.lines = []
        self.hints = []

    def add(self, en, zh):
        self.lines.append((en, zh))

    def fail(self, en, zh):
        self.passed = False
        self.add(en, zh)

    @property
    def summary(self):
        if self.passed:
            return say("All tests passed", "全部测试通过", " / ")
        return say(f"{self.function_name}: {self.suite} tests failed, see the report above",
                   f"{self.function_name}：{'公开' if self.suite == 'public' else '隐藏'}测试未通过，见上方报告", " / ")

    def text(self):
        """The report in the course's language (helpers.language): both by default, a line each."""
        chosen = language()
        parts = [say(en, zh, chosen=chosen) for en, zh in self.lines]
        parts.append(self.summary)
        return "\n".join(parts)

    def __str__(self):
        return self.text()

    def __repr__(self):
        return f"<Report {self.function_name} {self.suite}: {'passed' if self.passed else 'failed'}>"


def find_public_file(start=None):
    """Path of ``public_checks.h5``: $DLCOURSE_PUBLIC_CHECKS, else the working folder."""
    if os.environ.get(PUBLIC_ENV):
        return Path(os.environ[PUBLIC_ENV])
    path = Path(start or os.getcwd()) / PUBLIC_FILE
    if not path.is_file():
        raise CheckSetupError(
            f"{PUBLIC_FILE} was not found in {path.parent}. Open the notebook from its own folder so the checks can find their data.",
            f"在 {path.parent} 中找不到 {PUBLIC_FILE}。请从 notebook 所在的文件夹打开它，这样测试才能找到数据。",
        )
    return path


def find_hidden_file(assignment):
    """Path of the hidden cases of ``assignment``, in the folder $DLCOURSE_HIDDEN_DIR names.

    Only the instructor's grading tools set that variable; the helpers never look for the
    course repository themselves, so a learner's copy has no way to the hidden cases.
    """
    folder = os.environ.get(HIDDEN_ENV)
    if folder and (Path(folder) / f"{assignment}.h5").is_file():
        return Path(folder) / f"{assignment}.h5"
    raise CheckSetupError(
        f"The hidden checks of {assignment!r} are not available here: they run only when the instructor grades.",
        f"这里没有 {assignment!r} 的隐藏测试：它们只在教师评分时运行。",
    )


def call_capturing(function, *args, **kwargs):
    """Call a learner's function; return (result, exception or None, notes [(en, zh)]).

    Warnings and text written to stderr become bilingual notes, to be printed on
    stdout: nbgrader gives no credit to a test cell that writes to stderr.
    """
    result, error, caught, text = _call(function, args, kwargs)
    notes = [(f"Note: your code raised a warning ({w.category.__name__}: {w.message}).",
              f"提示：你的代码发出了警告（{w.category.__name__}：{w.message}）。") for w in caught]
    if text:
        notes.append((f"Note: your code wrote to stderr: {text}", f"提示：你的代码向 stderr 输出了：{text}"))
    return result, error, notes


def _call(function, args, kwargs, quiet=False):
    """Call ``function``; return (result, exception or None, caught warnings, stderr text).

    quiet -- also swallow stdout: in a hidden case, whatever the learner's code
    prints (its inputs, intermediate values) would reach the feedback.
    """
    stderr = io.StringIO()
    result, error = None, None
    with contextlib.ExitStack() as stack:
        caught = stack.enter_context(warnings.catch_warnings(record=True))
        stack.enter_context(contextlib.redirect_stderr(stderr))
        if quiet:
            stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        warnings.simplefilter("always")
        try:
            result = function(*args, **kwargs)
        except Exception as exc:  # the learner's code may raise anything; report it, do not crash
            error = exc
    return result, error, list(caught), stderr.getvalue().strip()[:300]


def _hidden_notes(caught, text):
    """Notes on warnings and stderr output of a hidden case, without their text (it may quote values)."""
    notes = [(f"Note: your code raised a warning ({name}) in a hidden case; its text is not shown.",
              f"提示：你的代码在隐藏用例中发出了警告（{name}），其内容不予显示。")
             for name in dict.fromkeys(w.category.__name__ for w in caught)]
    if text:
        notes.append(("Note: your code wrote to stderr in a hidden case; the text is not shown.",
                      "提示：你的代码在隐藏用例中向 stderr 输出了内容，其内容不予显示。"))
    return notes


# {function name: passed} of the public checks run in this session, so that a failure can be
# traced to a function it calls that failed its own check ("fix compute_cost first").
CHECK_RESULTS = {}


def _blame_failed_callees(report, function):
    """Say which of the learner's functions called by ``function`` failed their own check."""
    failed = [name for name in diagnosis.called_names(function)
              if name != report.function_name and CHECK_RESULTS.get(name) is False]
    for name in failed:
        report.add(f"`{report.function_name}` calls your `{name}`, which fails its own check: fix `{name}` first; "
                   f"this check may then pass as it is.",
                   f"`{report.function_name}` 调用了你的 `{name}`，而 `{name}` 没有通过它自己的测试：请先改好 `{name}`，"
                   f"这里的测试之后可能就会通过。")


def check_function(function, function_name, suite="public", path=None, verbose=True):
    """Run ``function`` on the stored cases of ``function_name`` and compare.

    Inputs:
        function -- the learner's callable.
        function_name -- str, the name the cases are stored under.
        suite -- "public" (cases next to the notebook) or "hidden" (grading only).
        path -- optional path of the case file, overriding the search.
        verbose -- print the report (to stdout).
    Returns: Report, with ``passed`` and a bilingual ``text()``.
    """
    if not callable(function):
        raise CheckSetupError(
            f"{function_name} is not a function (got {type(function).__name__}). Run the cell that defines it first.",
            f"{function_name} 不是函数（实际是 {type(function).__name__}）。请先运行定义它的单元格。",
        )
    if path is None:
        public = find_public_file()
        if suite == "public":
            path = public
        else:
            assignment = str(read_attrs(public)["assignment"])
            path = find_hidden_file(assignment)
    cases = read_cases(path, function_name)
    report = Report(function_name, suite)
    for number, case in enumerate(cases, start=1):
        report.cases_run += 1
        if not _check_case(function, case, number, suite, report):
            break  # one clear failure is more useful than a cascade
    if report.passed:
        agree = "agrees" if report.cases_run == 1 else "agree"
        report.add(f"{function_name}: {_plural(report.cases_run, suite + ' case')} {agree} with the expected values.",
                   f"{function_name}：{report.cases_run} 个{'公开' if suite == 'public' else '隐藏'}测试用例与预期输出一致。")
    else:
        _blame_failed_callees(report, function)
    if suite == "public":
        CHECK_RESULTS[function_name] = report.passed
    if verbose:
        print(report.text())
    return report


def _check_case(function, case, number, suite, report):
    hidden = suite != "public"  # a hidden case's report quotes no inputs and no values
    label_en = case["label_en"] if not hidden else f"hidden case {number}"
    label_zh = case["label_zh"] if not hidden else f"隐藏用例 {number}"
    pristine = case["inputs"]
    given = copy.deepcopy(pristine)
    seed_before_call(case.get("seed"))  # the caller seeds a function that draws random numbers
    result, error, caught, text = _call(function, (), given, quiet=hidden)
    if hidden:
        notes = _hidden_notes(caught, text)
    else:
        notes = [(f"Note: your code raised a warning ({w.category.__name__}: {w.message}).",
                  f"提示：你的代码发出了警告（{w.category.__name__}：{w.message}）。") for w in caught]
        if text:
            notes.append((f"Note: your code wrote to stderr: {text}", f"提示：你的代码向 stderr 输出了：{text}"))
    for note in notes:
        if note not in report.lines:  # the same warning from every case would drown the report
            report.add(*note)
    header_en = f"Case {number} ({unnested(label_en, 'en')})"
    header_zh = f"用例 {number}（{unnested(label_zh)}）"
    if isinstance(error, NotImplementedError):
        report.fail(f"{header_en}: the function is not implemented yet; replace `raise NotImplementedError()` with your code.",
                    f"{header_zh}：函数还没有实现；请把 `raise NotImplementedError()` 换成你的代码。")
        return False
    if error is not None:
        _report_exception(report, error, header_en, header_zh, hidden)
        return False
    updates = UPDATED_INPUTS.get(report.function_name, ())
    produced = outcome(report.function_name, result, given)
    if updates:  # a function whose job is to update these inputs: they are part of its result
        diff = first_difference(result, case["expected"][0]) or first_difference(produced[1], case["expected"][1], AFTER_CALL)
    else:
        diff = first_difference(result, case["expected"])
    if diff is not None:
        en, zh = redacted(diff) if hidden else (diff.en, diff.zh)
        report.fail(f"{header_en}: {en}", f"{header_zh}：{zh}")
        _explain(report, produced, case, diff, hidden, function, result)
        return False
    changed = first_difference({key: value for key, value in given.items() if key not in updates},
                               {key: value for key, value in pristine.items() if key not in updates}, INPUT)
    if changed is not None:
        report.fail(f"{header_en}: the result is right, but your function changed its input ({changed.where}).",
                    f"{header_zh}：结果正确，但你的函数修改了传入的参数（{changed.where.replace(INPUT[0], INPUT[1])}）。")
        _add_hint(report, "mutated_input", {})
        return False
    return True


def unnested(text, language="zh"):
    """Text to be put in brackets, with its own brackets undone, so that brackets never nest.

    Chinese: an English gloss （accuracy） is dropped (the first-use rule gives way), other
    brackets become a comma clause: 用例 1（上面的例子（3 个样本））reads 用例 1（上面的例子，3 个样本）.
    English: "Case 1 (the example above (3 examples))" reads "Case 1 (the example above, 3 examples)".
    """
    if language == "zh":
        text = re.sub(r"（[\x00-\x7f]+）", "", text)
        return re.sub(r"（([^（）]*)）", r"，\1", text)
    return re.sub(r"\s*\(([^()]*)\)", r", \1", text)


def _report_exception(report, error, header_en, header_zh, hidden):
    """An exception of the learner's call: what it means, where it happened, the raw message, a hint."""
    name = type(error).__name__
    meaning = diagnosis.exception_meaning(error)
    said_en, said_zh = MEANINGS.get(meaning, ("", ""))
    if hidden:
        # The message of an exception may quote the hidden inputs (a shape, a value).
        report.fail(f"{header_en}: your function raised {name}. {said_en} Its message is not shown for a hidden case: "
                    f"try your function on other inputs of your own to see it.".replace("  ", " "),
                    f"{header_zh}：你的函数抛出了 {name}。{said_zh}隐藏用例不显示报错信息："
                    f"请用你自己构造的其他输入运行函数来查看。")
    else:
        report.fail(f"{header_en}: your function raised {name}. {said_en} The message: {error}".replace("  ", " "),
                    f"{header_zh}：你的函数抛出了 {name}。{said_zh}报错信息：{error}")
    place = diagnosis.locate(error, report.function_name)
    # The hint reads the learner's own line, which a hidden case may use though it does not quote it.
    hint = diagnosis.exception_hint(error, place, report.function_name)
    if place is not None and hidden:  # line numbers only: a quoted line could spell out what the message would
        place = diagnosis.Place(place.function, place.line, "", place.callee,
                                place.caller and (place.caller[0], ""))
    if place is not None:
        quoted_en = f": `{place.text}`" if place.text else ""
        quoted_zh = f"：`{place.text}`" if place.text else ""
        inside_en = f", in its call to `{place.callee}`" if place.callee else ""
        inside_zh = f"，出错发生在它调用的 `{place.callee}` 内部" if place.callee else ""
        report.add(f"Where: line {place.line} of your `{place.function}`{inside_en}{quoted_en}",
                   f"出错位置：你的 `{place.function}` 第 {place.line} 行{inside_zh}{quoted_zh}")
        if place.caller is not None:
            line, text = place.caller
            report.add(f"That call started at line {line} of `{report.function_name}`" + (f": `{text}`" if text else ""),
                       f"这次调用从 `{report.function_name}` 的第 {line} 行开始" + (f"：`{text}`" if text else ""))
    if hint:
        _add_hint(report, hint, {})


def _explain(report, result, case, diff, hidden=False, function=None, returned=None):
    """Add the hint of a recognised mistake, if any (without its numbers in a hidden case).

    A stored mistake (the output of a mistaken variant of the reference) wins; otherwise the
    fingerprints of helpers.diagnosis read the difference, the inputs and the learner's source.
    """
    for mistake, output in case["mistakes"].items():
        if first_difference(result, output) is None:
            _add_hint(report, mistake, {}, hidden)
            return
    expected = case["expected"][0] if UPDATED_INPUTS.get(report.function_name) else case["expected"]
    mistake = _mistake_at_first_wrong_part(result, case, report.function_name)
    if mistake:
        _add_hint(report, mistake, {}, hidden)
        return
    found = diagnosis.value_hint(diff, function, case["inputs"], returned, expected)
    if found:
        _add_hint(report, *found, hidden)


def _mistake_at_first_wrong_part(result, case, function_name):
    """The stored mistake whose output agrees with the learner's at the first wrong part of a
    tuple or dict result, where that mistake is wrong too, or None.

    A learner often makes one of the mistakes a variant makes, not all of them: dgamma left
    unsummed but dbeta summed. The first wrong part is the one the report names, so a stored
    mistake that is wrong there in the same way names its cause."""
    expected = case["expected"]
    if UPDATED_INPUTS.get(function_name) or not isinstance(expected, (tuple, list, dict)):
        return None  # (a function that updates its inputs has a result of another shape: left out)
    if type(result) is not type(expected) or len(result) != len(expected):
        return None
    keys = list(expected) if isinstance(expected, dict) else range(len(expected))
    if isinstance(expected, dict) and set(result) != set(expected):
        return None
    first = next((key for key in keys if first_difference(result[key], expected[key]) is not None), None)
    if first is None:
        return None
    for mistake, output in case["mistakes"].items():
        if isinstance(output, type(expected)) and len(output) == len(expected) \
                and (not isinstance(output, dict) or set(output) == set(expected)) \
                and first_difference(output[first], expected[first]) is not None \
                and first_difference(result[first], output[first]) is None:
            return mistake
    return None


# Hints whose text quotes a number computed from the values; hidden cases use these instead.
REDACTED_HINTS = {
    "fixed_learning_rate": (
        "Your update used another learning rate than the learning_rate argument: use the argument, not a fixed number.",
        "你的更新用的学习率不是参数 learning_rate：请使用这个参数，不要写死一个数。",
    ),
    "constant_factor": (
        "Every value is off by the same factor: look for a missing or extra constant such as 1/m, 2 or learning_rate.",
        "所有数值都差了同一个倍数：检查是否漏掉或多乘了某个常数，例如 1/m、2 或 learning_rate。",
    ),
}


def _add_hint(report, name, args, hidden=False):
    if hidden and name in REDACTED_HINTS:
        en, zh = REDACTED_HINTS[name]
    else:
        en, zh = HINTS[name]
    report.hints.append(name)
    report.add("Hint: " + en.format(**args), "提示：" + zh.format(**args))
