"""Tests of helpers.plotting (run with MPLBACKEND=Agg)."""

import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.errors import CourseError, DatasetError  # noqa: E402
from helpers.planar_data import load_planar_dataset  # noqa: E402


@pytest.fixture(autouse=True)
def clean_state(monkeypatch):
    """Fresh font scan and untouched rcParams and figures for every test."""
    monkeypatch.setattr(plotting, "_cjk_font", plotting._UNCHECKED)
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def no_cjk(monkeypatch):
    monkeypatch.setattr(plotting, "find_cjk_font", lambda: None)


@pytest.fixture
def fake_cjk(monkeypatch):
    monkeypatch.setattr(plotting, "find_cjk_font", lambda: "Noto Sans CJK SC")


def test_backend_is_not_interactive():
    assert matplotlib.get_backend().lower() == "agg"


def test_import_is_light_and_leaves_matplotlib_alone():
    # In a fresh interpreter: importing the module must not even load matplotlib,
    # so it can neither pick a backend nor touch rcParams.
    code = "import sys, helpers.plotting; print('matplotlib' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=str(Path(plotting.__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout.strip() == "False"


def test_setup_fonts_on_this_machine_returns_a_bool():
    result = plotting.setup_fonts()
    assert isinstance(result, bool)
    assert plotting.setup_fonts() is result  # idempotent


def test_setup_fonts_without_cjk_font(no_cjk):
    before = list(matplotlib.rcParams["font.sans-serif"])
    assert plotting.setup_fonts() is False
    assert list(matplotlib.rcParams["font.sans-serif"]) == before


def test_setup_fonts_with_cjk_font_is_idempotent(fake_cjk):
    assert plotting.setup_fonts() is True
    assert plotting.setup_fonts() is True
    families = list(matplotlib.rcParams["font.sans-serif"])
    assert families[0] == "Noto Sans CJK SC"
    assert families.count("Noto Sans CJK SC") == 1
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_find_cjk_font_picks_a_candidate_or_none():
    name = plotting.find_cjk_font()
    assert name is None or name in plotting.CJK_FONT_CANDIDATES


def test_label_without_cjk_font_is_english(no_cjk):
    assert plotting.label("cost", "代价") == "cost"


def test_label_with_cjk_font_is_bilingual(fake_cjk):
    assert plotting.label("cost", "代价") == "cost / 代价"


def test_label_notes_its_bilingual_texts_only_while_the_books_hook_is_on(fake_cjk, monkeypatch):
    from helpers import language

    assert plotting._labels_drawn is None  # a learner's session: nothing is noted
    assert plotting.label("cost", "代价") == "cost / 代价"
    drawn = {}
    assert plotting.record_labels(drawn) is None
    try:
        assert plotting.label("cost", "代价") == "cost / 代价"  # what is drawn does not change
        monkeypatch.setattr(language, "_chosen", "zh")
        assert plotting.label("epochs", "轮数") == "轮数"  # a one-language text needs no swapping
    finally:
        assert plotting.record_labels(None) is drawn
    assert plotting.label("day", "天") == "天"
    assert drawn == {"cost / 代价": ("cost", "代价")}


def test_plot_costs_labels_are_noted_for_the_book(fake_cjk):
    drawn = {}
    plotting.record_labels(drawn)
    try:
        ax = plotting.plot_costs([0.7, 0.5], every=10, learning_rate=0.5)
    finally:
        plotting.record_labels(None)
    assert drawn[ax.get_xlabel()] == ("iterations (per 10)", "迭代次数（每 10 次）")
    assert drawn[ax.get_ylabel()] == ("cost", "代价")
    assert drawn[ax.get_title()] == ("Learning rate = 0.5", "学习率 = 0.5")


@pytest.fixture
def flower():
    return load_planar_dataset()


def test_plot_dataset_returns_axes(flower):
    X, Y = flower
    ax = plotting.plot_dataset(X, Y, title="flower")
    assert isinstance(ax, Axes)
    assert ax.get_title() == "flower"
    assert len(ax.collections) == 1
    assert ax.collections[0].get_offsets().shape == (400, 2)


def test_plot_decision_boundary_draws_on_given_axes(flower):
    X, Y = flower
    fig, ax = plt.subplots()
    seen = {}

    def model(points):
        seen["shape"] = points.shape
        return (points[:, 0] > 0).astype(int)

    out = plotting.plot_decision_boundary(model, X, Y, ax=ax, title="x > 0")
    assert out is ax
    assert seen["shape"][1] == 2
    assert seen["shape"][0] <= plotting.GRID_MAX_POINTS
    assert ax.get_title() == "x > 0"
    fig.canvas.draw()


def test_plot_decision_boundary_classic_call_uses_current_axes(flower):
    X, Y = flower
    plt.figure()
    plt.title("classic")
    ax = plotting.plot_decision_boundary(lambda x: (x.T[1:2] > 0), X, Y)
    assert ax is plt.gca()
    assert ax.get_title() == "classic"


def test_grid_step_is_001_for_small_data_and_grows_for_wide_data():
    seen = []

    def model(points):
        seen.append(points)
        return np.zeros(len(points))

    X = np.array([[0.0, 1.0], [0.0, 1.0]])
    plotting.plot_decision_boundary(model, X, np.array([[0, 1]]))
    xs = np.unique(seen[-1][:, 0])
    np.testing.assert_allclose(np.diff(xs)[:5], 0.01)

    wide = np.array([[-50.0, 50.0], [-30.0, 30.0]])
    plotting.plot_decision_boundary(model, wide, np.array([[0, 1]]))
    assert 0.5 * plotting.GRID_MAX_POINTS < len(seen[-1]) <= plotting.GRID_MAX_POINTS


@pytest.mark.parametrize(
    "X, y",
    [
        (np.zeros((400, 2)), np.zeros((1, 400))),   # points as rows
        (np.zeros((2, 10)), np.zeros((1, 9))),      # one label missing
        (np.zeros((3, 10)), np.zeros((1, 10))),
        (np.full((2, 3), np.nan), np.zeros((1, 3))),
    ],
)
def test_plot_decision_boundary_rejects_bad_data(X, y):
    with pytest.raises(DatasetError) as info:
        plotting.plot_decision_boundary(lambda p: np.zeros(len(p)), X, y)
    assert info.value.zh


def test_plot_decision_boundary_explains_a_failing_model(flower):
    X, Y = flower
    W = np.ones((1, 2))

    with pytest.raises(CourseError) as info:
        # Forgetting the transpose: (1, 2) @ (k, 2) fails.
        plotting.plot_decision_boundary(lambda x: W @ x > 0, X, Y)
    assert "x.T" in info.value.en and "x.T" in info.value.zh
    assert "转置" in info.value.zh


def test_plot_decision_boundary_wrong_number_of_predictions(flower):
    X, Y = flower
    with pytest.raises(CourseError):
        plotting.plot_decision_boundary(lambda x: np.zeros(3), X, Y)
    with pytest.raises(CourseError):
        plotting.plot_decision_boundary("not a function", X, Y)


def test_plot_costs_one_curve_english(no_cjk):
    costs = [np.array([[0.7]]), 0.5, np.float64(0.3)]  # classic mixed types
    ax = plotting.plot_costs(costs, learning_rate=0.0075)
    assert isinstance(ax, Axes)
    assert len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.7, 0.5, 0.3])
    assert ax.get_xlabel() == "iterations (per hundreds)"
    assert ax.get_ylabel() == "cost"
    assert "0.0075" in ax.get_title()
    assert ax.get_legend() is None


def test_plot_costs_labels_are_bilingual_with_a_cjk_font(fake_cjk):
    fig, ax = plt.subplots()
    plotting.plot_costs([0.7, 0.5], ax=ax)
    assert ax.get_xlabel() == "iterations (per hundreds) / 迭代次数（每百次）"
    assert ax.get_ylabel() == "cost / 代价"


def test_plot_costs_dict_of_curves_with_legend(no_cjk):
    fig, ax = plt.subplots()
    out = plotting.plot_costs({"lr = 0.01": [0.7, 0.6, 0.5], "lr = 0.1": [0.7, 0.3]},
                              every=10, ax=ax)
    assert out is ax
    assert len(ax.lines) == 2
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == ["lr = 0.01", "lr = 0.1"]
    assert ax.get_xlabel() == "iterations (per 10)"
    fig.canvas.draw()


def test_plot_costs_list_of_curves_with_labels(no_cjk):
    ax = plotting.plot_costs([[0.7, 0.6], [0.9, 0.2, 0.1]], labels=["a", "b"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(CourseError):
        plotting.plot_costs([[0.7, 0.6], [0.9, 0.2]], labels=["only one"])


@pytest.mark.parametrize("costs, every", [([], 100), ({"a": []}, 100), (["x", "y"], 100),
                                          ([0.5, 0.4], 0), ([0.5, 0.4], 2.5)])
def test_plot_costs_rejects_bad_input(costs, every):
    with pytest.raises(CourseError):
        plotting.plot_costs(costs, every=every)


def test_setup_fonts_says_once_in_both_languages_when_it_falls_back(no_cjk, monkeypatch, capsys):
    monkeypatch.setattr(plotting, "_fallback_said", False)
    assert plotting.setup_fonts() is False and plotting.setup_fonts(refresh=True) is False
    out = capsys.readouterr().out.splitlines()
    assert out == list(plotting.FALLBACK_NOTE)
    assert "English" in out[0] and "英文" in out[1]


def _system_cjk_font_files():
    from matplotlib import font_manager

    return [path for path in font_manager.findSystemFonts() if "CJK" in Path(path).name]


def test_a_cjk_font_missing_from_matplotlibs_cache_is_found_on_the_system(monkeypatch):
    """As when the font is installed after matplotlib built its font list (fonts-noto-cjk in .ci/run)."""
    from matplotlib import font_manager

    if not _system_cjk_font_files():
        pytest.skip("no CJK font file on this machine")
    stale = [entry for entry in font_manager.fontManager.ttflist if "CJK" not in Path(entry.fname).name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert plotting.setup_fonts(refresh=True) is True
    assert plotting.find_cjk_font() in plotting.CJK_FONT_CANDIDATES


def test_a_chinese_label_is_drawn_with_a_cjk_font_without_missing_glyphs():
    import io
    import warnings

    from matplotlib import font_manager

    if not plotting.setup_fonts():
        if os.environ.get("CI"):
            pytest.fail("CI installs fonts-noto-cjk (.ci/run): a CJK font must be found")
        pytest.skip("no CJK font on this machine")
    fig, ax = plt.subplots()
    title = ax.set_title(plotting.label("cost", "代价"))
    used = font_manager.findfont(title.get_fontproperties())
    assert "CJK" in Path(used).name or plotting.find_cjk_font() in font_manager.get_font(used).family_name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "missing from font" in str(w.message)]
