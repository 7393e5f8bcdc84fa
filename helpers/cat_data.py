"""Load the cat / non-cat image data set and prepare pictures for prediction.

The files follow the classic layout of the "Deep Neural Network for image
classification" assignment, so the course's own procedural images and the
original files (if an instructor has them) load the same way:

    train_catvnoncat.h5: train_set_x uint8 (m_train, n, n, 3),
                         train_set_y integers (m_train,), list_classes bytes (2,)
    test_catvnoncat.h5:  test_set_x  uint8 (m_test, n, n, 3),
                         test_set_y  integers (m_test,),  list_classes bytes (2,)

Every problem with the files becomes a :class:`helpers.errors.DatasetError`
with one English and one Chinese sentence.
"""

from pathlib import Path

import numpy as np

from helpers.data_files import ENV_VAR, dataset_dir
from helpers.errors import DatasetError

TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"
DATASET = "catvnoncat"


def default_data_dir():
    """Where the data lives when no folder is given.

    Returns:
        Path -- the ``catvnoncat/`` folder of the data root (helpers.data_files):
        ``$DLCOURSE_DATA_DIR/catvnoncat`` if the variable is set, else the copy
        installed with the package, else the repository's ``datasets/catvnoncat/``.
    """
    return dataset_dir(DATASET)


def _read_split(path, prefix):
    """Read and check one file of the data set.

    Inputs:
        path -- Path of the HDF5 file; prefix -- "train" or "test".
    Returns:
        x -- uint8 array (m, n, n, 3);
        y -- integer array (m,) holding only 0 and 1;
        classes -- bytes array (k,), k >= 2.
    Raises:
        DatasetError -- the file is missing, not HDF5, or has a wrong key, dtype, shape or label.
    """
    import h5py  # imported here so that helpers without h5py still load

    if not path.is_file():
        raise DatasetError(
            f"Data file not found: {path}. Pass the folder that holds the files "
            f"(load_cat_dataset(data_dir=...)), or set {ENV_VAR} to a folder that holds a "
            f"{DATASET}/ folder with them (in the course repository, `python -m datasets.cat_images` "
            "draws them again).",
            f"找不到数据文件：{path}。请把存放这些文件的文件夹传给读取函数（load_cat_dataset(data_dir=...)），"
            f"或者把环境变量 {ENV_VAR} 设为一个文件夹，其中的 {DATASET}/ 子文件夹存放这些文件"
            "（在课程仓库中，可以运行 `python -m datasets.cat_images` 重新生成它们）。")
    x_key, y_key = f"{prefix}_set_x", f"{prefix}_set_y"
    try:
        f = h5py.File(path, "r")
    except OSError:
        raise DatasetError(
            f"{path} is not a readable HDF5 file (it may be damaged or only partly downloaded).",
            f"{path} 不是可以读取的 HDF5 文件，可能已经损坏或者没有下载完整。") from None
    with f:
        for key in (x_key, y_key, "list_classes"):
            if key not in f or not isinstance(f[key], h5py.Dataset):
                raise DatasetError(
                    f"{path} has no data set named '{key}'; expected keys {x_key}, {y_key}, list_classes.",
                    f"{path} 里缺少名为 '{key}' 的数据，应当包含 {x_key}、{y_key} 和 list_classes。")
        try:
            x = np.array(f[x_key][()])
            y = np.array(f[y_key][()])
            classes = np.array(f["list_classes"][()])
        except (OSError, TypeError, ValueError):
            raise DatasetError(
                f"{path}: the stored arrays cannot be read (the file may be damaged).",
                f"{path}：其中的数组无法读取，文件可能已经损坏。") from None

    if x.dtype != np.uint8 or x.ndim != 4 or x.shape[3] != 3 or x.shape[1] != x.shape[2] or x.shape[0] == 0:
        raise DatasetError(
            f"{path}: '{x_key}' must be uint8 images of shape (m, n, n, 3) with m > 0, "
            f"but it is {x.dtype} with shape {x.shape}.",
            f"{path}：'{x_key}' 应当是形状为 (m, n, n, 3)、类型为 uint8 的图像（m > 0），"
            f"实际类型是 {x.dtype}，形状是 {x.shape}。")
    if y.dtype.kind not in "iu" or y.size != x.shape[0] or y.ndim not in (1, 2) or (y.ndim == 2 and 1 not in y.shape):
        raise DatasetError(
            f"{path}: '{y_key}' must hold one integer label per image, shape ({x.shape[0]},), "
            f"but it is {y.dtype} with shape {y.shape}.",
            f"{path}：'{y_key}' 应当为每张图像给出一个整数标签，形状为 ({x.shape[0]},)，"
            f"实际类型是 {y.dtype}，形状是 {y.shape}。")
    bad = np.setdiff1d(np.unique(y), [0, 1])
    if bad.size:
        raise DatasetError(
            f"{path}: labels in '{y_key}' must be 0 (non-cat) or 1 (cat), found {bad[:5].tolist()}.",
            f"{path}：'{y_key}' 中的标签只能是 0（非猫）或 1（猫），却出现了 {bad[:5].tolist()}。")
    if classes.dtype.kind != "S" or classes.ndim != 1 or classes.size < 2:
        raise DatasetError(
            f"{path}: 'list_classes' must be a 1-D array of at least two byte strings "
            f"such as [b'non-cat', b'cat'], but it is {classes.dtype} with shape {classes.shape}.",
            f"{path}：'list_classes' 应当是至少含 2 个字节串的一维数组，例如 [b'non-cat', b'cat']，"
            f"实际类型是 {classes.dtype}，形状是 {classes.shape}。")
    return x, y.reshape(-1), classes


def load_cat_dataset(data_dir=None):
    """Load the cat / non-cat data set, as the classic ``load_data()`` did.

    Inputs:
        data_dir -- str, Path or None; folder holding train_catvnoncat.h5 and
            test_catvnoncat.h5. None means :func:`default_data_dir`
            ($DLCOURSE_DATA_DIR/catvnoncat, else the installed or repository copy).
    Returns:
        train_x_orig -- uint8 array (m_train, num_px, num_px, 3);
        train_y -- integer array (1, m_train), 1 = cat, 0 = non-cat;
        test_x_orig -- uint8 array (m_test, num_px, num_px, 3);
        test_y -- integer array (1, m_test);
        classes -- bytes array (2,), e.g. [b'non-cat', b'cat'].
    Raises:
        DatasetError -- a file is missing or does not have the expected layout.
    """
    folder = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    train_x_orig, train_y, _ = _read_split(folder / TRAIN_FILE, "train")
    test_x_orig, test_y, classes = _read_split(folder / TEST_FILE, "test")
    if train_x_orig.shape[1:] != test_x_orig.shape[1:]:
        raise DatasetError(
            f"Training images are {train_x_orig.shape[1:]} but test images are "
            f"{test_x_orig.shape[1:]} in {folder}; both must have the same size.",
            f"{folder} 中训练集图像的形状是 {train_x_orig.shape[1:]}，测试集图像却是 "
            f"{test_x_orig.shape[1:]}，两者的尺寸必须一致。")
    return (train_x_orig, train_y.reshape(1, -1), test_x_orig, test_y.reshape(1, -1), classes)


def flatten_images(x_orig):
    """Turn a stack of images into the columns a network takes.

    Inputs:
        x_orig -- uint8 array (m, num_px, num_px, 3).
    Returns:
        float64 array (num_px * num_px * 3, m), values in [0, 1]; column i is
        image i read row by row, pixel by pixel, channel by channel.
    Raises:
        DatasetError -- x_orig is not a 4-D stack of images.
    """
    x = np.asarray(x_orig)
    if x.ndim != 4:
        raise DatasetError(
            f"flatten_images expects images of shape (m, num_px, num_px, 3), got shape {x.shape}.",
            f"flatten_images 需要形状为 (m, num_px, num_px, 3) 的图像，实际得到的形状是 {x.shape}。")
    return x.reshape(x.shape[0], -1).T.astype(np.float64) / 255.0


def to_rgb(image):
    """Convert any pillow image to RGB, putting transparent parts on white.

    Inputs:
        image -- PIL.Image of any mode (RGB, RGBA, L, LA, P, CMYK, I;16, ...).
    Returns:
        PIL.Image of mode RGB, same size.
    """
    from PIL import Image

    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(canvas, rgba).convert("RGB")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit and float greyscale: stretch to 0..255 before dropping to 8 bits.
        arr = np.asarray(image, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        arr = (arr - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(arr)
        return Image.fromarray(arr.round().astype(np.uint8), "L").convert("RGB")
    return image.convert("RGB")


def load_image_for_prediction(path, num_px=64):
    """Open one of your own pictures so a trained network can classify it.

    Inputs:
        path -- str or Path of an image file pillow can read (jpg, png, ...).
        num_px -- int, side of the square the network was trained on (64).
    Returns:
        x -- float64 array (num_px * num_px * 3, 1), values in [0, 1], flattened
             like the data set (``image.reshape(-1, 1) / 255``);
        image -- uint8 array (num_px, num_px, 3), the resized picture for plt.imshow.
    Raises:
        DatasetError -- the file is missing or is not a readable image.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(num_px, bool) or not isinstance(num_px, (int, np.integer)) or num_px < 1:
        raise DatasetError(
            f"num_px must be a positive whole number such as 64, got {num_px!r}.",
            f"num_px 必须是正整数（例如 64），实际得到的是 {num_px!r}。")
    p = Path(path).expanduser()
    if not p.is_file():
        raise DatasetError(
            f"Image file not found: {p}. Check the name and the folder.",
            f"找不到图像文件：{p}。请检查文件名和所在的文件夹。")
    try:
        with Image.open(p) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # phone photos store their rotation separately
            rgb = to_rgb(img).resize((int(num_px), int(num_px)), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise DatasetError(
            f"{p} cannot be read as an image. Use a JPEG or PNG file.",
            f"无法把 {p} 当作图像读取，请换成 JPEG 或 PNG 格式的图片。") from None
    image = np.asarray(rgb, dtype=np.uint8).copy()
    return image.reshape(-1, 1).astype(np.float64) / 255.0, image
