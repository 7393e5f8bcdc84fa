"""Tests of the goalkeeper dataset: the committed file, its generator and the loader."""

import numpy as np
import pytest
import scipy.io

from datasets.goalkeeper import M_TEST, M_TRAIN, main, make_goalkeeper_dataset
from helpers.errors import DatasetError
from helpers.data_files import ENV_VAR
from helpers.goalkeeper_data import default_path, load_goalkeeper_dataset


@pytest.fixture
def good_arrays():
    """A tiny valid dataset in the file schema (rows are examples)."""
    rng = np.random.RandomState(0)
    return {
        "X": rng.uniform(-0.7, 0.4, (10, 2)),
        "y": (rng.rand(10, 1) > 0.5).astype(np.float64),
        "Xval": rng.uniform(-0.7, 0.4, (6, 2)),
        "yval": (rng.rand(6, 1) > 0.5).astype(np.float64),
    }


def test_committed_file_follows_the_schema(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert default_path().is_file()
    raw = scipy.io.loadmat(str(default_path()))
    assert raw["X"].shape == (M_TRAIN, 2) and raw["y"].shape == (M_TRAIN, 1)
    assert raw["Xval"].shape == (M_TEST, 2) and raw["yval"].shape == (M_TEST, 1)

    train_X, train_Y, test_X, test_Y = load_goalkeeper_dataset()
    assert train_X.shape == (2, M_TRAIN) and train_Y.shape == (1, M_TRAIN)
    assert test_X.shape == (2, M_TEST) and test_Y.shape == (1, M_TEST)
    for arr in (train_X, train_Y, test_X, test_Y):
        assert arr.dtype == np.float64
    for Y in (train_Y, test_Y):
        assert set(np.unique(Y)) == {0.0, 1.0}
        assert 0.2 < Y.mean() < 0.8  # both teams are well represented
    # Positions stay on the field of the classic plot.
    for X in (train_X, test_X):
        assert X[0].min() >= -0.75 and X[0].max() <= 0.45
        assert X[1].min() >= -0.75 and X[1].max() <= 0.65


def test_regenerating_gives_the_committed_arrays(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    out = tmp_path / "nested" / "data.mat"
    make_goalkeeper_dataset(out)
    fresh = load_goalkeeper_dataset(out)
    committed = load_goalkeeper_dataset()
    for new, old in zip(fresh, committed, strict=True):
        np.testing.assert_array_equal(new, old)


def test_command_line_writes_the_file(tmp_path):
    out = tmp_path / "cli.mat"
    main(["--out", str(out)])
    train_X, _, _, _ = load_goalkeeper_dataset(out)
    assert train_X.shape == (2, M_TRAIN)


def test_other_seed_gives_other_data(tmp_path):
    default = make_goalkeeper_dataset(tmp_path / "a.mat")
    other = make_goalkeeper_dataset(tmp_path / "b.mat", seed=1234)
    assert not np.allclose(default["X"], other["X"])


def test_loader_returns_the_notebook_layout(tmp_path, good_arrays):
    path = tmp_path / "ok.mat"
    scipy.io.savemat(str(path), good_arrays)
    train_X, train_Y, test_X, test_Y = load_goalkeeper_dataset(str(path))
    np.testing.assert_array_equal(train_X, good_arrays["X"].T)
    np.testing.assert_array_equal(train_Y, good_arrays["y"].T)
    np.testing.assert_array_equal(test_X, good_arrays["Xval"].T)
    np.testing.assert_array_equal(test_Y, good_arrays["yval"].T)


def test_integer_labels_are_accepted(tmp_path, good_arrays):
    good_arrays["y"] = good_arrays["y"].astype(np.uint8)
    path = tmp_path / "uint8.mat"
    scipy.io.savemat(str(path), good_arrays)
    _, train_Y, _, _ = load_goalkeeper_dataset(path)
    assert train_Y.dtype == np.float64


def test_env_var_overrides_the_data_folder(tmp_path, monkeypatch, good_arrays):
    (tmp_path / "goalkeeper").mkdir()
    scipy.io.savemat(str(tmp_path / "goalkeeper" / "data.mat"), good_arrays)
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert default_path() == tmp_path / "goalkeeper" / "data.mat"
    train_X, _, _, _ = load_goalkeeper_dataset()
    assert train_X.shape == (2, 10)


def _assert_bilingual(info, path, *words):
    err = info.value
    assert str(path) in err.en and str(path) in err.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh)  # really Chinese
    for word in words:
        assert word in err.en


def _broken(good, key, value):
    data = dict(good)
    if value is None:
        del data[key]
    else:
        data[key] = value
    return data


@pytest.mark.parametrize(
    "key, value, word",
    [
        ("X", None, '"X" is missing'),
        ("yval", None, '"yval" is missing'),
        ("X", np.zeros((10, 3)), "shape (m, 2)"),
        ("Xval", np.zeros((2, 6)), "shape (m, 2)"),
        ("y", np.zeros((10, 2)), "shape (m, 1)"),
        ("y", np.zeros((1, 10)), "shape (m, 1)"),
        ("yval", np.zeros((5, 1)), "must match"),
        ("y", np.full((10, 1), 2.0), "must be 0 or 1"),
        ("yval", np.full((6, 1), -1.0), "must be 0 or 1"),
        ("X", np.full((10, 2), np.nan), "NaN"),
        ("X", np.array(["ab"] * 10), "array of numbers"),
    ],
)
def test_bad_schema_raises_a_bilingual_error(tmp_path, good_arrays, key, value, word):
    path = tmp_path / "bad.mat"
    scipy.io.savemat(str(path), _broken(good_arrays, key, value))
    with pytest.raises(DatasetError) as info:
        load_goalkeeper_dataset(path)
    _assert_bilingual(info, path, word)


def test_missing_file_raises_a_bilingual_error(tmp_path):
    path = tmp_path / "nowhere.mat"
    with pytest.raises(DatasetError) as info:
        load_goalkeeper_dataset(path)
    _assert_bilingual(info, path, "does not exist")
    assert "不存在" in info.value.zh


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(DatasetError) as info:
        load_goalkeeper_dataset(tmp_path)
    _assert_bilingual(info, tmp_path, "folder")


@pytest.mark.parametrize("content", [b"X,y\n0.1,1\n", b"", b"\x00\x01\x02" * 50])
def test_file_that_is_not_a_mat_file(tmp_path, content):
    path = tmp_path / "notes.mat"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as info:
        load_goalkeeper_dataset(path)
    _assert_bilingual(info, path, "not a readable .mat file")
