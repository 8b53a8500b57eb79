"""Browser tours on a phone, shared by the addons' tests.

Odoo's ChromeBrowser reads the window size and touch emulation from the test
case (``browser_size``, ``touch_enabled``): with 390x844 the web client runs in
its small-screen mode (``env.isSmall``: kanban first, header buttons folded
into the gear menu, breadcrumbs as a back arrow), as on a common phone."""

import base64
import json
import os

from odoo.tests.common import ChromeBrowser

PHONE_SIZE = "390x844"


class PhoneTourMixin:
    """Mix into an ``HttpCase``: every tour and screenshot of the class runs at
    a phone's viewport with touch events."""

    browser_size = PHONE_SIZE
    touch_enabled = True

    def phone_tour(self, url_path, tour, user, **kwargs):
        """Run ``tour`` from ``url_path`` as ``user`` (their password is their
        login, as in the test data)."""
        self.start_tour(url_path, tour, login=user.login, **kwargs)

    def phone_screenshot(self, url_path, user, ready, filename, click=None, then=None):
        """A PNG of the page as ``user`` sees it at the phone's size, once
        ``ready`` (a CSS selector) shows; with ``click``, after tapping that
        selector and waiting for ``then``. Returns the PNG's bytes; writes
        them to ``filename`` only when the environment names a folder
        (``VBDT_SCREENSHOT_DIR``: the readme pictures are made so)."""
        browser = ChromeBrowser(self)
        try:
            self.authenticate(user.login, user.login, browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(self.base_url() + url_path, wait_stop=False)
            self.assertTrue(browser._wait_ready(self._phone_shown(ready)), ready)
            if click:
                tap = f"document.querySelector({json.dumps(click)}).click()"
                browser._websocket_request(
                    "Runtime.evaluate", params={"expression": tap}
                )
                self.assertTrue(browser._wait_ready(self._phone_shown(then)), then)
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
        return image

    def assertPhonePng(self, image):
        """``image`` is a PNG of the whole phone screen (390x844)."""
        self.assertEqual(image[:8], b"\x89PNG\r\n\x1a\n")
        size = (
            int.from_bytes(image[16:20], "big"),
            int.from_bytes(image[20:24], "big"),
        )
        self.assertEqual(size, tuple(int(n) for n in PHONE_SIZE.split("x")))

    @staticmethod
    def _phone_shown(selector):
        # shown, and the web client idle (no pending RPC spinner, no animation)
        return (
            f"!!document.querySelector({json.dumps(selector)}) && "
            "!document.querySelector('.o_loading_indicator') && "
            "new Promise((ok) => setTimeout(() => ok(true), 800))"
        )
