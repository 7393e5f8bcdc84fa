"""Seconds to build the book (grading/book.py) with and without its computed figures, the
size of the site, and a screenshot of one page per edition.

    python benchmarks/book_build.py [--out build/book] [--workers 2]

Targets: under 3 minutes with the figures (each lesson runs once; its labelled figures are drawn
again in English and in Chinese), under 30 s without, on 2 cores. The screenshots
(1280 x 720, Debian's Chromium through Playwright, as in tests/browser_support.py) go to
build/book-screenshots/<edition>.png.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCOURSE_HIDDEN_DIR", str(ROOT / "grading" / "hidden"))


def screenshots(book, page="planar_classification/index.html"):
    """[(path, bytes)] of a first-screen PNG of ``page`` in every edition of ``book``."""
    from playwright.sync_api import sync_playwright

    from grading.book import EDITIONS

    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        print("no chromium on this machine: no screenshots")
        return []
    folder = book.out.parent / "book-screenshots"
    folder.mkdir(exist_ok=True)
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
        for edition in EDITIONS:
            tab = browser.new_page(viewport={"width": 1280, "height": 720})
            tab.goto((book.out / edition / page).as_uri(), wait_until="load")
            shot = folder / f"{edition}.png"
            tab.screenshot(path=str(shot))
            shots.append((shot, shot.stat().st_size))
        browser.close()
    return shots


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="folder of the site (default: build/book)")
    parser.add_argument("--workers", type=int, help="lessons run at once (default: the number of cores)")
    args = parser.parse_args(argv)

    from grading.book import build

    quiet = lambda *_: None  # noqa: E731
    bare = build(args.out, figures=False, log=quiet)
    print(f"without figures: {bare.seconds:6.1f} s, {len(bare.pages)} pages, {bare.size / 1e6:.1f} MB")
    full = build(args.out, figures=True, workers=args.workers, log=quiet)
    print(f"with figures:    {full.seconds:6.1f} s, {len(full.pages)} pages, {full.size / 1e6:.1f} MB, "
          f"{sum(full.figures.values())} computed figures ({sum(full.translated.values())} drawn in each edition's "
          f"language), CJK font {full.figure_font!r} "
          f"({os.cpu_count()} cores, {args.workers or os.cpu_count()} workers)")
    for shot, size in screenshots(full):
        print(f"screenshot: {shot} ({size / 1024:.0f} KB)")
    print(f"site: {full.out / 'index.html'}")


if __name__ == "__main__":
    main()
