"""Screenshots of pages as a user sees them, at the test case's window size,
shared by the addons' tests (phone and desktop alike).

Odoo's ChromeBrowser reads the window size from the test case
(``browser_size``, ``1366x768`` by default on an ``HttpCase``); the PNGs
are the readme pictures (``static/description``) when ``VBDT_SCREENSHOT_DIR``
names a folder, and are checked by the tests either way."""

import base64
import json
import os

from odoo.tests.common import ChromeBrowser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ScreenshotMixin:
    """Mix into an ``HttpCase``: PNGs of pages at the class's ``browser_size``."""

    def screenshot(
        self, url_path, user, ready, filename, click=None, then=None, read=None
    ):
        """A PNG of the page as ``user`` (password = login, as in the test
        data) sees it, once ``ready`` (a CSS selector) shows; with ``click``,
        after clicking that selector and waiting for ``then``.

        Returns ``(png_bytes, value)``: ``value`` is what the JavaScript
        expression ``read`` gives on the page shown (``None`` without it), so
        a test can assert on what the picture shows. Writes the PNG to
        ``filename`` only when ``VBDT_SCREENSHOT_DIR`` names a folder."""
        browser = ChromeBrowser(self)
        value = None
        try:
            self.authenticate(user.login, user.login, browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(self.base_url() + url_path, wait_stop=False)
            self.assertTrue(browser._wait_ready(self._shown(ready)), ready)
            if click:
                tap = f"document.querySelector({json.dumps(click)}).click()"
                browser._websocket_request(
                    "Runtime.evaluate", params={"expression": tap}
                )
                self.assertTrue(browser._wait_ready(self._shown(then)), then)
            if read:
                value = browser._websocket_request(
                    "Runtime.evaluate",
                    params={"expression": read, "returnByValue": True},
                )["result"].get("value")
            shot = browser._websocket_request(
                "Page.captureScreenshot", params={"format": "png"}
            )
            image = base64.b64decode(shot["data"])
        finally:
            browser.stop()
            self._wait_remaining_requests()
        folder = os.environ.get("VBDT_SCREENSHOT_DIR")
        if folder:
            with open(os.path.join(folder, filename), "wb") as out:
                out.write(image)
        return image, value

    def assertScreenPng(self, image):
        """``image`` is a PNG of the whole window (``browser_size``)."""
        self.assertEqual(image[:8], PNG_SIGNATURE)
        size = (
            int.from_bytes(image[16:20], "big"),
            int.from_bytes(image[20:24], "big"),
        )
        expected = self.browser_size.replace(",", "x").split("x")
        self.assertEqual(size, tuple(int(n) for n in expected))

    @staticmethod
    def _shown(selector):
        # shown, and the web client idle (no pending RPC spinner, no animation)
        return (
            f"!!document.querySelector({json.dumps(selector)}) && "
            "!document.querySelector('.o_loading_indicator') && "
            "new Promise((ok) => setTimeout(() => ok(true), 800))"
        )
