"""Tests of the small 2-D datasets in helpers.planar_data."""

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_moons

from helpers.errors import DatasetError
from helpers.planar_data import (
    EXTRA_DATASET_NAMES,
    load_circles_dataset,
    load_extra_dataset,
    load_extra_datasets,
    load_moons_dataset,
    load_planar_dataset,
)


def test_flower_first_point_matches_the_classic_recipe():
    X, Y = load_planar_dataset()
    np.testing.assert_allclose(X[:, 0], [1.20444229, 3.57611415], atol=1e-8)


def test_flower_shapes_and_balanced_labels():
    X, Y = load_planar_dataset()
    assert X.shape == (2, 400) and X.dtype == np.float64
    assert Y.shape == (1, 400) and Y.dtype == np.uint8
    assert set(np.unique(Y)) == {0, 1}
    assert int(Y.sum()) == 200
    # The first half is class 0 and the second half class 1, as in the recipe.
    assert not Y[0, :200].any() and Y[0, 200:].all()


def test_extra_datasets_layout():
    data = load_extra_datasets()
    assert tuple(data) == EXTRA_DATASET_NAMES
    for name, (X, y) in data.items():
        assert X.shape == (200, 2), name
        assert y.shape == (200,), name
    assert set(np.unique(data["blobs"][1])) == set(range(6))


@pytest.mark.parametrize("name", EXTRA_DATASET_NAMES)
def test_extra_dataset_in_notebook_layout_with_binary_labels(name):
    X, Y = load_extra_dataset(name)
    assert X.shape == (2, 200)
    assert Y.shape == (1, 200)
    assert set(np.unique(Y)) == {0, 1}
    assert np.all(np.isfinite(X))


def test_extra_datasets_are_reproducible():
    first = load_extra_datasets()
    np.random.seed(12345)  # whatever the global state, the result is the same
    np.random.rand(7)
    second = load_extra_datasets()
    for name in EXTRA_DATASET_NAMES:
        np.testing.assert_array_equal(first[name][0], second[name][0])
        np.testing.assert_array_equal(first[name][1], second[name][1])


def test_extra_datasets_are_not_all_the_same():
    data = load_extra_datasets()
    circles, moons = data["noisy_circles"][0], data["noisy_moons"][0]
    assert not np.allclose(circles, moons)


def test_blobs_are_folded_to_two_classes():
    _, y = load_extra_datasets()["blobs"]
    _, Y = load_extra_dataset("blobs")
    np.testing.assert_array_equal(Y[0], y % 2)


@pytest.mark.parametrize("bad", ["flower", "Noisy_Moons", "", None, 3])
def test_unknown_extra_dataset_lists_the_valid_names(bad):
    with pytest.raises(DatasetError) as info:
        load_extra_dataset(bad)
    for name in EXTRA_DATASET_NAMES:
        assert name in info.value.en and name in info.value.zh
    assert "数据集" in info.value.zh


def test_circles_match_sklearn_with_the_classic_seeds():
    train_X, train_Y, test_X, test_Y = load_circles_dataset()
    assert train_X.shape == (2, 300) and train_Y.shape == (1, 300)
    assert test_X.shape == (2, 100) and test_Y.shape == (1, 100)
    np.random.seed(1)
    ref_X, ref_Y = make_circles(n_samples=300, noise=0.05)
    np.random.seed(2)
    ref_test_X, ref_test_Y = make_circles(n_samples=100, noise=0.05)
    np.testing.assert_array_equal(train_X[:, 0], ref_X[0])
    np.testing.assert_array_equal(train_X, ref_X.T)
    np.testing.assert_array_equal(train_Y[0], ref_Y)
    np.testing.assert_array_equal(test_X, ref_test_X.T)
    np.testing.assert_array_equal(test_Y[0], ref_test_Y)
    # Train and test are drawn with different seeds, so they differ.
    assert not np.allclose(train_X[:, :100], test_X)


def test_moons_match_sklearn_with_the_classic_seed():
    train_X, train_Y = load_moons_dataset()
    assert train_X.shape == (2, 300) and train_Y.shape == (1, 300)
    assert set(np.unique(train_Y)) == {0, 1}
    np.random.seed(3)
    ref_X, ref_Y = make_moons(n_samples=300, noise=0.2)
    np.testing.assert_array_equal(train_X[:, 0], ref_X[0])
    np.testing.assert_array_equal(train_X, ref_X.T)
    np.testing.assert_array_equal(train_Y[0], ref_Y)
