"""Opening the course's pages in a real browser: Debian's Chromium, driven by Playwright's
Python package (no browser download: Playwright is told where the system's Chromium is).

``.ci/run`` installs the ``chromium`` package; on a machine without it, or without Playwright,
the browser tests are skipped, except under CI, where a missing browser is a failure.
"""

import os
import shutil
from dataclasses import dataclass, field

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path():
    """The system browser's executable, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser():
    """Playwright's sync API and the browser's path; skips (or fails under CI) when either is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    path = chromium_path()
    if sync_playwright is None or path is None:
        missing = "Playwright (the [test] extra)" if sync_playwright is None else "Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests need {missing}; .ci/run installs it")
        pytest.skip(f"no browser: {missing} is not installed")
    return sync_playwright, path


@dataclass
class PageVisit:
    """What a page did when it loaded: its console errors, failed requests and visible text."""

    url: str
    console_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    text: str = ""
    math_elements: int = 0


class Browser:
    """One headless Chromium for a test module: ``visit(path)`` loads a file and reports on it."""

    def __init__(self):
        sync_playwright, executable = require_browser()
        self._playwright = sync_playwright().start()
        # --no-sandbox: CI runs as root, where Chromium's own sandbox refuses to start
        self._browser = self._playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])

    def visit(self, path, screenshot=None):
        """Load ``path`` (a local file); ``screenshot`` -- where to write a PNG of the first screen
        (1280 x 720)."""
        page = self._browser.new_page()
        visit = PageVisit(url=path.resolve().as_uri())
        page.on("console", lambda message: visit.console_errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
        page.on("requestfailed", lambda request: visit.failed_requests.append(request.url))
        try:
            page.goto(visit.url, wait_until="load")
            visit.text = page.inner_text("body")
            visit.math_elements = page.evaluate("document.querySelectorAll('math').length")
            if screenshot is not None:
                page.screenshot(path=str(screenshot))
        finally:
            page.close()
        return visit

    def follow(self, path, selector):
        """Load ``path``, click the link that ``selector`` (CSS) finds, and return the URL it led to."""
        page = self._browser.new_page()
        try:
            page.goto(path.resolve().as_uri(), wait_until="load")
            with page.expect_navigation(wait_until="load"):
                page.click(selector)
            return page.url
        finally:
            page.close()

    def close(self):
        self._browser.close()
        self._playwright.stop()


def assert_page_renders(visit, formulas=True):
    """A page that loaded cleanly and shows no TeX source; ``formulas``: it must show some math."""
    assert not visit.console_errors, f"{visit.url}: console errors {visit.console_errors}"
    assert not visit.failed_requests, f"{visit.url}: failed requests {visit.failed_requests}"
    assert visit.math_elements > 0 or not formulas, f"{visit.url}: no formula was rendered"
    for raw in ("$$", "\\frac", "\\sum", "^{["):
        assert raw not in visit.text, f"{visit.url}: raw TeX {raw!r} shows in the page"
