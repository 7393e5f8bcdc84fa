"""Build cat / non-cat HDF5 files from two folders of your own photos.

    python -m datasets.photos_to_h5 --cats DIR --non-cats DIR --out DIR \
        [--test-fraction 0.2] [--seed 0]

Every readable picture (any size; RGB, RGBA, greyscale or palette) is
cropped to a centred square, shrunk to 64x64 RGB, and written to
``train_catvnoncat.h5`` / ``test_catvnoncat.h5`` in the classic layout, so
``helpers.cat_data.load_cat_dataset(DIR)`` reads them like the course files.
Files that are not pictures are named on stderr and skipped. The split into
training and test pictures is drawn per class with np.random.RandomState(seed).
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from datasets.cat_images import CLASSES, NUM_PX, TEST_FILE, TRAIN_FILE, write_split
from helpers.cat_data import to_rgb


class _UsageProblem(Exception):
    """A problem with the folders given on the command line (exit code 2)."""

    def __init__(self, en, zh):
        super().__init__(en)
        self.en, self.zh = en, zh


def square_thumbnail(image, num_px=NUM_PX):
    """Centre-crop a picture to a square and shrink it.

    Inputs:
        image -- PIL.Image of any mode and size; num_px -- int, side of the result.
    Returns:
        uint8 array (num_px, num_px, 3).
    """
    rgb = to_rgb(image)
    w, h = rgb.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    square = rgb.crop((left, top, left + side, top + side))
    return np.asarray(square.resize((num_px, num_px), Image.Resampling.LANCZOS), dtype=np.uint8).copy()


def read_folder(folder, label_en, label_zh, num_px=NUM_PX, err=None):
    """Load every readable picture in one folder (not its sub-folders), in name order.

    Inputs:
        folder -- str or Path; label_en, label_zh -- names of the folder's
        role for messages ("cats" / "猫"); num_px -- int; err -- stream for
        skip notes (None: sys.stderr).
    Returns:
        uint8 array (k, num_px, num_px, 3), k >= 1.
    Raises:
        _UsageProblem -- the folder is missing, not a folder, or holds no readable picture.
    """
    err = sys.stderr if err is None else err
    path = Path(folder).expanduser()
    if not path.exists():
        raise _UsageProblem(f"the {label_en} folder {path} does not exist.",
                            f"{label_zh}图像文件夹 {path} 不存在。")
    if not path.is_dir():
        raise _UsageProblem(f"{path} (given for {label_en}) is not a folder.",
                            f"{path}（{label_zh}图像）不是文件夹。")
    images = []
    for file in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            with Image.open(file) as img:
                img.load()
                # Phone photos keep their rotation in EXIF; apply it before cropping.
                images.append(square_thumbnail(ImageOps.exif_transpose(img), num_px))
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            print(f"skipped (not a readable image / 无法读取的图像，已跳过): {file}", file=err)
    if not images:
        raise _UsageProblem(f"the {label_en} folder {path} holds no readable image.",
                            f"{label_zh}图像文件夹 {path} 里没有可以读取的图像。")
    return np.stack(images)


def split_train_test(x_cat, x_non_cat, test_fraction, seed):
    """Shuffle each class and set aside a share of it for testing.

    Inputs:
        x_cat, x_non_cat -- uint8 arrays (k, n, n, 3);
        test_fraction -- float in (0, 1); seed -- int.
    Returns:
        (train_x, train_y, test_x, test_y) -- uint8 (m, n, n, 3) and int64 (m,)
        arrays, classes mixed in random order.
    Raises:
        _UsageProblem -- too few pictures to fill both sets.
    """
    rng = np.random.RandomState(seed)
    parts = {"train": ([], []), "test": ([], [])}
    for x, label in ((x_non_cat, 0), (x_cat, 1)):
        order = rng.permutation(len(x))
        # Keep the test share per class, so both sets see both classes when possible.
        n_test = int(round(len(x) * test_fraction))
        n_test = min(max(n_test, 1 if len(x) > 1 else 0), len(x) - 1)
        for name, idx in (("test", order[:n_test]), ("train", order[n_test:])):
            parts[name][0].append(x[idx])
            parts[name][1].append(np.full(len(idx), label, dtype=np.int64))
    out = []
    for name in ("train", "test"):
        x = np.concatenate(parts[name][0])
        y = np.concatenate(parts[name][1])
        if len(x) == 0:
            raise _UsageProblem(
                f"too few images to make a {name} set; add more pictures or change --test-fraction.",
                f"图像太少，凑不出{'训练集' if name == 'train' else '测试集'}；请多放一些图片，或调整 --test-fraction。")
        mix = rng.permutation(len(x))
        out += [x[mix], y[mix]]
    return tuple(out)


def main(argv=None, out=None, err=None):
    """Command line entry point.

    Inputs:
        argv -- list of str or None (sys.argv[1:]); out, err -- text streams
        (None: sys.stdout, sys.stderr).
    Returns:
        int exit code: 0 written, 2 bad arguments, folders or output location.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = argparse.ArgumentParser(
        prog="python -m datasets.photos_to_h5",
        description="Turn two folders of photos into cat / non-cat HDF5 files (64x64 RGB). "
                    "把两个文件夹里的照片做成猫 / 非猫数据集（HDF5，64x64 彩色图像）。")
    parser.add_argument("--cats", required=True, help="folder of cat photos / 猫的照片所在文件夹")
    parser.add_argument("--non-cats", required=True, help="folder of other photos / 非猫照片所在文件夹")
    parser.add_argument("--out", required=True, help="output folder / 输出文件夹")
    parser.add_argument("--test-fraction", type=float, default=0.2,
                        help="share of each class kept for the test set / 每类留作测试集的比例 (default 0.2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffle / 打乱顺序用的随机种子 (default 0)")
    args = parser.parse_args(argv)
    if not 0.0 < args.test_fraction < 1.0:
        parser.error("--test-fraction must be between 0 and 1 (exclusive) / --test-fraction 必须大于 0 且小于 1")
    try:
        x_cat = read_folder(args.cats, "cats", "猫", err=err)
        x_non_cat = read_folder(args.non_cats, "non-cats", "非猫", err=err)
        train_x, train_y, test_x, test_y = split_train_test(x_cat, x_non_cat, args.test_fraction, args.seed)
        out_dir = Path(args.out).expanduser()
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            write_split(out_dir / TRAIN_FILE, "train", train_x, train_y, CLASSES)
            write_split(out_dir / TEST_FILE, "test", test_x, test_y, CLASSES)
        except OSError as exc:
            raise _UsageProblem(f"cannot write to {out_dir}: {exc.strerror or exc}.",
                                f"无法写入 {out_dir}，请检查路径和权限。") from None
    except _UsageProblem as exc:
        print(f"error: {exc.en}\n错误：{exc.zh}", file=err)
        return 2
    print(f"train: {len(train_y)} images ({int(train_y.sum())} cats), "
          f"test: {len(test_y)} images ({int(test_y.sum())} cats) -> {out_dir}", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
