"""Browser tours on a phone, shared by the addons' tests.

Odoo's ChromeBrowser reads the window size and touch emulation from the test
case (``browser_size``, ``touch_enabled``): with 390x844 the web client runs in
its small-screen mode (``env.isSmall``: kanban first, header buttons folded
into the gear menu, breadcrumbs as a back arrow), as on a common phone."""

from odoo.addons.vbdt_document.tests.browser import ScreenshotMixin

PHONE_SIZE = "390x844"


class PhoneTourMixin(ScreenshotMixin):
    """Mix into an ``HttpCase``: every tour and screenshot (``screenshot``,
    ``assertScreenPng``) of the class runs at a phone's viewport with touch
    events."""

    browser_size = PHONE_SIZE
    touch_enabled = True

    def phone_tour(self, url_path, tour, user, **kwargs):
        """Run ``tour`` from ``url_path`` as ``user`` (their password is their
        login, as in the test data)."""
        self.start_tour(url_path, tour, login=user.login, **kwargs)
