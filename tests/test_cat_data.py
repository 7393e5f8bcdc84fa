"""Tests of the cat / non-cat data set, its loader and the photo importer."""

import re
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

from datasets import photos_to_h5
from datasets.cat_images import CLASSES, make_cat_dataset, write_split
from helpers.cat_data import flatten_images, load_cat_dataset, load_image_for_prediction
from helpers.errors import DatasetError

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "datasets" / "catvnoncat"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _read(path):
    with h5py.File(path, "r") as f:
        return {key: f[key][()] for key in f.keys()}


def _assert_bilingual(err, *fragments):
    """err is a DatasetError whose English text names every fragment and whose Chinese text is Chinese."""
    assert err.en and HAN.search(err.zh), (err.en, err.zh)
    for fragment in fragments:
        assert fragment in err.en and fragment in err.zh, (fragment, err.en, err.zh)


def _write_small(folder, n_train=6, n_test=4, num_px=8):
    """Small valid files in the classic layout; returns the arrays written."""
    rng = np.random.RandomState(0)
    train_x = rng.randint(0, 256, (n_train, num_px, num_px, 3)).astype(np.uint8)
    test_x = rng.randint(0, 256, (n_test, num_px, num_px, 3)).astype(np.uint8)
    train_y = np.arange(n_train, dtype=np.int64) % 2
    test_y = (np.arange(n_test, dtype=np.int64) + 1) % 2
    folder.mkdir(parents=True, exist_ok=True)
    write_split(folder / "train_catvnoncat.h5", "train", train_x, train_y)
    write_split(folder / "test_catvnoncat.h5", "test", test_x, test_y)
    return train_x, train_y, test_x, test_y


# ---------------------------------------------------------------- committed files


@pytest.mark.parametrize("prefix, m, cats", [("train", 209, 72), ("test", 50, 33)])
def test_committed_file_schema(prefix, m, cats):
    data = _read(COMMITTED / f"{prefix}_catvnoncat.h5")
    assert set(data) == {f"{prefix}_set_x", f"{prefix}_set_y", "list_classes"}
    x, y = data[f"{prefix}_set_x"], data[f"{prefix}_set_y"]
    assert x.dtype == np.uint8 and x.shape == (m, 64, 64, 3)
    assert y.dtype == np.int64 and y.shape == (m,)
    assert set(np.unique(y).tolist()) == {0, 1}
    assert int(y.sum()) == cats and int((y == 0).sum()) == m - cats
    assert data["list_classes"].tolist() == [b"non-cat", b"cat"]
    # Real pictures, not blank or constant arrays.
    assert x.std() > 20 and len(np.unique(x.reshape(m, -1), axis=0)) == m


def test_committed_files_are_small():
    total = sum((COMMITTED / name).stat().st_size for name in ("train_catvnoncat.h5", "test_catvnoncat.h5"))
    assert total < 5_000_000


def test_regenerating_gives_the_committed_arrays(tmp_path):
    train_path, test_path = make_cat_dataset(tmp_path / "fresh")
    for new_path in (train_path, test_path):
        new, old = _read(new_path), _read(COMMITTED / new_path.name)
        assert set(new) == set(old)
        for key in old:
            assert new[key].dtype == old[key].dtype, key
            np.testing.assert_array_equal(new[key], old[key], err_msg=key)


def test_train_and_test_pictures_differ():
    data_train = _read(COMMITTED / "train_catvnoncat.h5")["train_set_x"].reshape(209, -1)
    data_test = _read(COMMITTED / "test_catvnoncat.h5")["test_set_x"].reshape(50, -1)
    both = np.concatenate([data_train, data_test])
    assert len(np.unique(both, axis=0)) == 259


def test_cat_images_command_rejects_bad_arguments(capsys):
    from datasets import cat_images

    with pytest.raises(SystemExit) as exc:
        cat_images.main(["--no-such-option"])
    assert exc.value.code == 2
    assert "--no-such-option" in capsys.readouterr().err


# ---------------------------------------------------------------- loader


def test_loader_default_folder_is_the_repository(monkeypatch):
    monkeypatch.delenv("DLCOURSE_DATA_DIR", raising=False)
    train_x, train_y, test_x, test_y, classes = load_cat_dataset()
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert train_y.shape == (1, 209) and test_y.shape == (1, 50)
    assert test_x.shape == (50, 64, 64, 3)
    assert classes.tolist() == [b"non-cat", b"cat"]
    assert int(train_y.sum()) == 72 and int(test_y.sum()) == 33


def test_loader_reads_the_argument_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DLCOURSE_DATA_DIR", raising=False)
    train_x, train_y, test_x, test_y = _write_small(tmp_path / "mine")
    got = load_cat_dataset(tmp_path / "mine")
    np.testing.assert_array_equal(got[0], train_x)
    np.testing.assert_array_equal(got[1], train_y.reshape(1, -1))
    np.testing.assert_array_equal(got[2], test_x)
    np.testing.assert_array_equal(got[3], test_y.reshape(1, -1))
    assert got[4].tolist() == CLASSES.tolist()


def test_loader_reads_the_environment_folder(tmp_path, monkeypatch):
    # DLCOURSE_DATA_DIR names the folder that holds the dataset folders (helpers.data_files).
    train_x, _, _, _ = _write_small(tmp_path / "env" / "catvnoncat", n_train=5)
    monkeypatch.setenv("DLCOURSE_DATA_DIR", str(tmp_path / "env"))
    got = load_cat_dataset()
    assert got[0].shape == (5, 8, 8, 3)
    np.testing.assert_array_equal(got[0], train_x)
    # An explicit folder wins over the environment variable.
    assert load_cat_dataset(COMMITTED)[0].shape == (209, 64, 64, 3)


def test_loader_missing_file(tmp_path):
    _write_small(tmp_path)
    (tmp_path / "test_catvnoncat.h5").unlink()
    with pytest.raises(DatasetError) as exc:
        load_cat_dataset(tmp_path)
    _assert_bilingual(exc.value, "test_catvnoncat.h5")


def test_loader_file_that_is_not_hdf5(tmp_path):
    _write_small(tmp_path)
    (tmp_path / "train_catvnoncat.h5").write_bytes(b"this is not an HDF5 file at all\n" * 10)
    with pytest.raises(DatasetError) as exc:
        load_cat_dataset(tmp_path)
    _assert_bilingual(exc.value, "train_catvnoncat.h5", "HDF5")


def _rewrite(path, key, value):
    with h5py.File(path, "a") as f:
        del f[key]
        if value is not None:
            f[key] = value


@pytest.mark.parametrize("file, key, value, fragment", [
    ("train", "train_set_y", None, "train_set_y"),                                  # missing key
    ("test", "list_classes", None, "list_classes"),                                 # missing key
    ("train", "train_set_x", np.zeros((6, 8, 8), np.uint8), "(6, 8, 8)"),           # no colour axis
    ("test", "test_set_x", np.zeros((4, 8, 8, 3), np.float64), "float64"),          # wrong dtype
    ("train", "train_set_y", np.zeros(5, np.int64), "(5,)"),                        # one label short
    ("test", "test_set_y", np.array([0, 1, 2, 1]), "[2]"),                          # label 2
    ("train", "train_set_y", np.array([0.0, 1, 0, 1, 0, 1]), "float64"),            # float labels
    ("test", "list_classes", np.array([b"cat"]), "list_classes"),                   # one class name
])
def test_loader_bad_layout(tmp_path, file, key, value, fragment):
    _write_small(tmp_path)
    _rewrite(tmp_path / f"{file}_catvnoncat.h5", key, value)
    with pytest.raises(DatasetError) as exc:
        load_cat_dataset(tmp_path)
    _assert_bilingual(exc.value, f"{file}_catvnoncat.h5", fragment)


def test_loader_train_and_test_sizes_must_match(tmp_path):
    _write_small(tmp_path / "a", num_px=8)
    _write_small(tmp_path / "b", num_px=6)
    (tmp_path / "b" / "test_catvnoncat.h5").replace(tmp_path / "a" / "test_catvnoncat.h5")
    with pytest.raises(DatasetError) as exc:
        load_cat_dataset(tmp_path / "a")
    _assert_bilingual(exc.value, "(8, 8, 3)", "(6, 6, 3)")


def test_flatten_images():
    x = np.arange(2 * 4 * 4 * 3).reshape(2, 4, 4, 3).astype(np.uint8)
    flat = flatten_images(x)
    assert flat.shape == (48, 2) and flat.dtype == np.float64
    np.testing.assert_array_equal(flat[:, 1], x[1].reshape(-1) / 255.0)
    with pytest.raises(DatasetError) as exc:
        flatten_images(x[0])
    _assert_bilingual(exc.value, "(4, 4, 3)")


# ---------------------------------------------------------------- prediction images


def test_load_image_for_prediction(tmp_path):
    arr = np.zeros((90, 120, 4), np.uint8)
    arr[..., 0] = 200
    arr[..., 3] = 255
    Image.fromarray(arr, "RGBA").save(tmp_path / "red.png")
    x, image = load_image_for_prediction(tmp_path / "red.png")
    assert x.shape == (12288, 1) and x.dtype == np.float64
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    np.testing.assert_allclose(x, image.reshape(-1, 1) / 255.0)
    assert np.all(image[..., 0] == 200) and np.all(image[..., 1:] == 0)
    x_small, image_small = load_image_for_prediction(tmp_path / "red.png", num_px=16)
    assert x_small.shape == (768, 1) and image_small.shape == (16, 16, 3)


def test_load_image_for_prediction_missing_or_bad(tmp_path):
    with pytest.raises(DatasetError) as exc:
        load_image_for_prediction(tmp_path / "no_such_cat.jpg")
    _assert_bilingual(exc.value, "no_such_cat.jpg")
    (tmp_path / "notes.jpg").write_text("not a picture")
    with pytest.raises(DatasetError) as exc:
        load_image_for_prediction(tmp_path / "notes.jpg")
    _assert_bilingual(exc.value, "notes.jpg")


# ---------------------------------------------------------------- photo importer


def _photo_folders(root):
    """Cats and non-cats in several modes and sizes, plus two files that are not pictures."""
    cats, others = root / "cats", root / "others"
    cats.mkdir()
    others.mkdir()
    rng = np.random.RandomState(3)
    for i in range(6):
        Image.fromarray(rng.randint(0, 256, (50 + 10 * i, 80, 3)).astype(np.uint8), "RGB").save(cats / f"c{i}.jpg")
    Image.fromarray(rng.randint(0, 256, (40, 30, 4)).astype(np.uint8), "RGBA").save(cats / "c_rgba.png")
    Image.fromarray(rng.randint(0, 256, (33, 33)).astype(np.uint8), "L").save(cats / "c_grey.png")
    for i in range(7):
        Image.fromarray(rng.randint(0, 256, (100, 64 + i, 3)).astype(np.uint8), "RGB").save(others / f"o{i}.png")
    Image.fromarray(rng.randint(0, 256, (20, 70, 3)).astype(np.uint8), "RGB").convert("P").save(others / "o_palette.gif")
    (others / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated nonsense")
    (others / "readme.txt").write_text("not a picture")
    return cats, others


def test_photos_to_h5_end_to_end(tmp_path, capsys):
    cats, others = _photo_folders(tmp_path)
    code = photos_to_h5.main(["--cats", str(cats), "--non-cats", str(others), "--out", str(tmp_path / "out"),
                              "--test-fraction", "0.25", "--seed", "1"])
    captured = capsys.readouterr()
    assert code == 0
    skipped = [line for line in captured.err.splitlines() if line.strip()]
    assert len(skipped) == 2
    assert any("broken.jpg" in line for line in skipped) and any("readme.txt" in line for line in skipped)
    train_x, train_y, test_x, test_y, classes = load_cat_dataset(tmp_path / "out")
    assert train_x.shape[1:] == (64, 64, 3) and train_x.dtype == np.uint8
    # 8 cats and 8 non-cats; a quarter of each (2) goes to the test set.
    assert train_y.shape == (1, 12) and test_y.shape == (1, 4)
    assert int(train_y.sum()) == 6 and int(test_y.sum()) == 2
    assert classes.tolist() == [b"non-cat", b"cat"]
    with h5py.File(tmp_path / "out" / "train_catvnoncat.h5", "r") as f:
        assert f["train_set_y"].dtype == np.int64 and f["train_set_y"].shape == (12,)


def test_photos_to_h5_crops_the_centre(tmp_path):
    wide = np.zeros((40, 120, 3), np.uint8)
    wide[:, :40] = (0, 0, 255)     # blue left third
    wide[:, 40:80] = (255, 0, 0)   # red centre square
    wide[:, 80:] = (0, 255, 0)     # green right third
    thumb = photos_to_h5.square_thumbnail(Image.fromarray(wide, "RGB"))
    assert thumb.shape == (64, 64, 3)
    assert np.all(thumb[:, 4:60, 0] > 240) and np.all(thumb[:, 4:60, 1:] < 15)


def test_photos_to_h5_is_reproducible(tmp_path, capsys):
    cats, others = _photo_folders(tmp_path)
    args = ["--cats", str(cats), "--non-cats", str(others), "--seed", "5"]
    assert photos_to_h5.main(args + ["--out", str(tmp_path / "a")]) == 0
    assert photos_to_h5.main(args + ["--out", str(tmp_path / "b")]) == 0
    for got_a, got_b in zip(load_cat_dataset(tmp_path / "a"), load_cat_dataset(tmp_path / "b"), strict=True):
        np.testing.assert_array_equal(got_a, got_b)


def test_photos_to_h5_missing_folder_exits_2(tmp_path):
    cats, _ = _photo_folders(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "datasets.photos_to_h5", "--cats", str(cats),
         "--non-cats", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")],
        cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 2
    assert "nowhere" in result.stderr and HAN.search(result.stderr)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_photos_to_h5_empty_folder_exits_2(tmp_path, capsys):
    cats, _ = _photo_folders(tmp_path)
    (tmp_path / "empty").mkdir()
    code = photos_to_h5.main(["--cats", str(cats), "--non-cats", str(tmp_path / "empty"),
                              "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "empty" in err and HAN.search(err)


def test_photos_to_h5_bad_test_fraction(tmp_path, capsys):
    cats, others = _photo_folders(tmp_path)
    with pytest.raises(SystemExit) as exc:
        photos_to_h5.main(["--cats", str(cats), "--non-cats", str(others), "--out", str(tmp_path / "o"),
                           "--test-fraction", "1.5"])
    assert exc.value.code == 2
    assert "--test-fraction" in capsys.readouterr().err
