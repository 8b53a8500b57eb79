"""Odoo gives a new headless Chromium 10 s to publish its devtools port and
then *skips* the browser test; a cold start on a busy 2-core CI machine can
take longer, and scripts/test rightly counts a skip as a failure. Wait up to
60 s instead (read at call time by ChromeBrowser._spawn_chrome). Every vbdt
addon's tests import this package first, as they all depend on it, and the
package imports this module first."""

from odoo.tests import common as odoo_test_common

odoo_test_common.CHECK_BROWSER_ITERATIONS = max(
    odoo_test_common.CHECK_BROWSER_ITERATIONS, 600
)
