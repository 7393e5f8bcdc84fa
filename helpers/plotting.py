"""The one place where the course configures matplotlib.

Importing this module is cheap: matplotlib is only loaded when a function
needs it. Labels are bilingual ("iterations / 迭代次数") only when a font that
can draw Chinese is installed; otherwise they stay English, so a plot never
shows empty boxes instead of characters.

The module never chooses a backend: notebooks use the inline one, and tests set
``MPLBACKEND=Agg``.

One hook serves the course's book (grading/book.py): :func:`record_labels` makes
:func:`label` note the bilingual texts it returns, so that the book, from a single run
of a lesson, can draw each figure again with English-only and Chinese-only labels.
A learner never turns it on.
"""

import numpy as np

from helpers.errors import CourseError, DatasetError
from helpers.language import language, say

# Fonts able to draw simplified Chinese, most common first
# (Linux, then Windows, then macOS names).
CJK_FONT_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)

_UNCHECKED = object()
_cjk_font = _UNCHECKED   # name of the CJK font in use, None if there is none
GRID_MAX_POINTS = 250_000
GRID_STEP = 0.01


FALLBACK_NOTE = (
    "Note: no font that can draw Chinese is installed, so plot labels are in English only "
    "(on Debian or Ubuntu: apt install fonts-noto-cjk, then restart the kernel).",
    "提示：没有安装能显示中文的字体，所以图中的标签只用英文"
    "（Debian 或 Ubuntu 上可运行 apt install fonts-noto-cjk，然后重启内核）。",
)
_fallback_said = False


def _known_cjk_font(font_manager):
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONT_CANDIDATES if name in installed), None)


def find_cjk_font():
    """Name of an installed font that can draw Chinese.

    matplotlib lists the system's fonts once and keeps the list in its cache; a font
    installed after that is missing from the list. So when the list has no CJK font,
    the font files the system has (fontconfig's list) that matplotlib does not know
    yet are added to it, and the list is searched again.

    Inputs: none.
    Returns: str, the first of ``CJK_FONT_CANDIDATES`` known to matplotlib,
             or None if none is installed.
    """
    from matplotlib import font_manager

    found = _known_cjk_font(font_manager)
    if found is None:
        known = {entry.fname for entry in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    pass  # a file matplotlib cannot read is no font for it
        found = _known_cjk_font(font_manager)
    return found


def setup_fonts(refresh=False):
    """Let matplotlib draw Chinese if the machine has a suitable font.

    Safe to call many times: the font list is scanned once, and the font is
    put first in ``font.sans-serif`` only if it is not there already.

    Inputs:
        refresh -- bool, scan the installed fonts again (e.g. after installing one).
    Returns:
        bool -- True if Chinese text can be drawn. When it cannot, the first call says
        so in one line, in both languages.
    """
    global _cjk_font, _fallback_said
    import matplotlib as mpl

    if refresh or _cjk_font is _UNCHECKED:
        _cjk_font = find_cjk_font()
    if _cjk_font is None:
        if not _fallback_said and language() != "en":  # once, on stdout (nbgrader fails a cell writing to stderr)
            print(say(*FALLBACK_NOTE))
            _fallback_said = True
        return False
    families = list(mpl.rcParams["font.sans-serif"])
    if not families or families[0] != _cjk_font:
        mpl.rcParams["font.sans-serif"] = [_cjk_font] + [f for f in families if f != _cjk_font]
    # Many CJK fonts lack the Unicode minus sign; use the ASCII hyphen instead.
    mpl.rcParams["axes.unicode_minus"] = False
    return True


# The book's hook (grading/book.py sets it in the kernel of its own run, never in a learner's
# session): while it is a dict, label() notes there each bilingual text it returns with its two
# halves, {"en / zh": (en, zh)}, so that one run of a lesson can draw each figure again in English
# and in Chinese. None (always, for a learner): nothing is noted and nothing else changes.
_labels_drawn = None


def record_labels(store):
    """Start or stop noting the bilingual labels that :func:`label` returns (the book's hook).

    Inputs:  store -- dict to fill with {bilingual text: (en, zh)}, or None to stop noting.
    Returns: dict or None -- the store in use before the call.
    """
    global _labels_drawn
    previous, _labels_drawn = _labels_drawn, store
    return previous


def label(en, zh):
    """A plot label in the course's language (helpers.language), Chinese only where it can be drawn.

    Inputs:  en, zh -- str, the same text in English and in Chinese.
    Returns: str -- "en / zh" (bilingual), en or zh; en whenever no CJK font is installed.
    """
    chosen = language()
    if chosen == "en" or not setup_fonts():
        return en
    if chosen == "zh":
        return zh
    both = f"{en} / {zh}"
    if _labels_drawn is not None:
        _labels_drawn[both] = (en, zh)
    return both


def _check_points(X, Y):
    """Validate a (2, m) / (1, m) pair and return flat coordinates and labels.

    Inputs:  X -- array-like of shape (2, m); Y -- array-like with m labels,
             shape (1, m) or (m,).
    Returns: x0, x1, y -- three float arrays of shape (m,).
    """
    try:
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.float64)
    except (TypeError, ValueError):
        raise DatasetError(
            "X and Y must be arrays of numbers.",
            "X 和 Y 必须是数值数组。") from None
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] == 0:
        raise DatasetError(
            f"X must have shape (2, m): one column per example; got shape {X.shape}. "
            "If your points are rows, pass X.T.",
            f"X 的形状应为 (2, m)，每列一个样本，实际形状为 {X.shape}。"
            "如果每行是一个样本，请传入 X.T。")
    if Y.size != X.shape[1]:
        raise DatasetError(
            f"Y must hold one label per example: X has {X.shape[1]} examples, "
            f"Y has shape {Y.shape}.",
            f"每个样本应有一个标签：X 有 {X.shape[1]} 个样本，Y 的形状却是 {Y.shape}。")
    if not np.all(np.isfinite(X)):
        raise DatasetError("X contains NaN or infinite values.",
                           "X 中含有 NaN 或无穷大的值。")
    return X[0], X[1], Y.ravel()


def _get_ax(ax):
    """The given Axes, or the current one (so plt.title() before a call still works)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.gca()


def plot_dataset(X, Y, ax=None, title=None):
    """Scatter plot of a two-dimensional dataset, coloured by label.

    Inputs:
        X -- array of shape (2, m), one column per example.
        Y -- array of shape (1, m) (or (m,)), labels; 0 is drawn red, 1 blue.
        ax -- matplotlib Axes to draw on, or None for the current Axes.
        title -- str or None.
    Returns:
        ax -- the matplotlib Axes drawn on.
    """
    import matplotlib.pyplot as plt

    x0, x1, y = _check_points(X, Y)
    ax = _get_ax(ax)
    ax.scatter(x0, x1, c=y, s=40, cmap=plt.cm.Spectral, edgecolors="k", linewidths=0.3)
    if title is not None:
        ax.set_title(title)
    return ax


def _grid_step(x_span, y_span):
    """Grid step: GRID_STEP unless that would exceed GRID_MAX_POINTS points."""
    step = GRID_STEP
    if (x_span / step + 1) * (y_span / step + 1) > GRID_MAX_POINTS:
        # Slightly larger than the exact solution, so arange's rounding stays under the cap.
        step = 1.01 * np.sqrt(x_span * y_span / GRID_MAX_POINTS) + 1e-12
        while (x_span / step + 2) * (y_span / step + 2) > GRID_MAX_POINTS:
            step *= 1.05
    return step


def plot_decision_boundary(model, X, y, ax=None, title=None):
    """Colour the plane by a model's predictions and draw the data on top.

    Inputs:
        model -- callable taking an array of shape (k, 2), one grid point per
                 row, and returning k labels (any shape with k entries), e.g.
                 ``lambda x: predict(parameters, x.T)``.
        X -- array of shape (2, m), the examples, one per column.
        y -- array of shape (1, m) (or (m,)), their labels.
        ax -- matplotlib Axes to draw on, or None for the current Axes.
        title -- str or None.
    Returns:
        ax -- the matplotlib Axes drawn on.
    Raises:
        DatasetError -- if X or y have the wrong shape.
        CourseError -- if model is not callable, fails, or returns the wrong
            number of predictions.
    """
    import matplotlib.pyplot as plt

    x0, x1, labels = _check_points(X, y)
    if not callable(model):
        raise CourseError(
            "model must be a function of the grid points, "
            "e.g. lambda x: predict(parameters, x.T).",
            "model 必须是一个以网格点为输入的函数，"
            "例如 lambda x: predict(parameters, x.T)。")
    # One unit of margin around the data, as in the classic helper.
    x_min, x_max = x0.min() - 1, x0.max() + 1
    y_min, y_max = x1.min() - 1, x1.max() + 1
    step = _grid_step(x_max - x_min, y_max - y_min)
    xx, yy = np.meshgrid(np.arange(x_min, x_max, step), np.arange(y_min, y_max, step))
    grid = np.c_[xx.ravel(), yy.ravel()]
    try:
        Z = model(grid)
    except Exception as err:
        raise CourseError(
            f"Your model function failed on the grid points (shape {grid.shape}, one point "
            f"per row): {type(err).__name__}: {err}. Did you transpose them, e.g. "
            "lambda x: predict(parameters, x.T)?",
            f"你的 model 函数在网格点上运行出错（网格点形状为 {grid.shape}，每行一个点）："
            f"{type(err).__name__}：{err}。是否忘了转置？例如 "
            "lambda x: predict(parameters, x.T)。") from err
    try:
        Z = np.asarray(Z, dtype=np.float64)
    except (TypeError, ValueError):
        raise CourseError(
            "Your model function must return numbers (labels 0/1 or probabilities).",
            "你的 model 函数必须返回数值（0/1 标签或概率）。") from None
    if Z.size != grid.shape[0]:
        raise CourseError(
            f"Your model function returned {Z.size} predictions for {grid.shape[0]} "
            "grid points; it must return one per point.",
            f"你的 model 函数对 {grid.shape[0]} 个网格点返回了 {Z.size} 个预测值，"
            "应当每个点一个。")
    Z = Z.reshape(xx.shape)

    ax = _get_ax(ax)
    ax.contourf(xx, yy, Z, cmap=plt.cm.Spectral)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.scatter(x0, x1, c=labels, cmap=plt.cm.Spectral, edgecolors="k", linewidths=0.3)
    if title is not None:
        ax.set_title(title)
    return ax


def _as_curve(values, name):
    """A cost history as a 1-D float array.

    Inputs:  values -- list, tuple or array of costs; the entries may mix floats,
             numpy scalars and (1, 1) arrays, as training loops often append them.
             name -- str, how to call this curve in messages ("" for a single curve).
    Returns: float64 array of shape (n,).
    """
    where = f" {name}" if name else ""
    zh_where = f" {name} " if name else ""
    try:
        if isinstance(values, (list, tuple)):
            parts = [np.asarray(v, dtype=np.float64).ravel() for v in values]
            curve = np.concatenate(parts) if parts else np.empty(0)
        else:
            curve = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise CourseError(
            f"The costs{where} must be a list of numbers.",
            f"代价{zh_where}必须是由数值组成的列表。") from None
    if curve.size == 0:
        raise CourseError(f"The costs{where} are empty: nothing to plot.",
                          f"代价{zh_where}为空，没有可画的内容。")
    return curve


def plot_costs(costs, every=100, learning_rate=None, ax=None, labels=None):
    """Learning curve(s): the cost recorded during training.

    Inputs:
        costs -- one curve (a list or 1-D array of costs, one per ``every``
                 iterations), a list of such curves, or a dict name -> curve.
        every -- int, number of iterations between two recorded costs.
        learning_rate -- float or None; if given, shown in the title.
        ax -- matplotlib Axes to draw on, or None for the current Axes.
        labels -- legend names: a str for one curve, or a list with one name per
                  curve when costs is a list of curves. Ignored for a dict,
                  whose keys are the names.
    Returns:
        ax -- the matplotlib Axes drawn on.
    Raises:
        CourseError -- if a curve is empty or not numeric, or if labels do not
            match the curves.
    """
    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every <= 0:
        raise CourseError(f"every must be a positive whole number, got {every!r}.",
                          f"every 必须是正整数，实际为 {every!r}。")
    if isinstance(costs, dict):
        curves = [(str(k), _as_curve(v, repr(k))) for k, v in costs.items()]
    elif (isinstance(costs, (list, tuple)) and costs
          and all(isinstance(c, (list, tuple, np.ndarray)) and np.size(c) > 1 for c in costs)):
        names = [None] * len(costs) if labels is None else list(labels)
        if isinstance(labels, str) or len(names) != len(costs):
            raise CourseError(
                f"labels must give one name per curve ({len(costs)} curves).",
                f"labels 应为每条曲线各给一个名称（共 {len(costs)} 条曲线）。")
        curves = [(n, _as_curve(c, f"#{i}")) for i, (n, c) in enumerate(zip(names, costs, strict=True))]
    else:
        curves = [(labels, _as_curve(costs, ""))]
    if not curves:
        raise CourseError("There are no costs to plot.", "没有可画的代价。")

    ax = _get_ax(ax)
    for name, curve in curves:
        ax.plot(np.arange(curve.size), curve, label=name)
    if every == 100:
        ax.set_xlabel(label("iterations (per hundreds)", "迭代次数（每百次）"))
    else:
        ax.set_xlabel(label(f"iterations (per {every})", f"迭代次数（每 {every} 次）"))
    ax.set_ylabel(label("cost", "代价"))
    if learning_rate is not None:
        ax.set_title(label(f"Learning rate = {learning_rate}", f"学习率 = {learning_rate}"))
    if any(name is not None for name, _ in curves):
        ax.legend()
    return ax
