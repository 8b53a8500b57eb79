"""Attack tests through the web client's own API: JSON-RPC over real HTTP.

Every access rule is proven the way an attacker inside an agency would try
it: logged in as a user of some role, calling ``/web/dataset/call_kw`` with
any arguments and any context, and ``/web/content`` / ``/web/image`` for
files. One session per user is opened once and reused by switching the
session cookie, so that a large matrix of calls stays fast."""

import json

from odoo.tests import HttpCase
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, JsonRpcException, Opener

DENIED = "denied"
ALLOWED = "allowed"
# Errors that mean "refused": anything else (a crash) fails the tests.
REFUSALS = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
)
# Context keys an attacker may inject: none of them may switch a check off.
INJECTED_CONTEXT = {
    "vbdt_unlock": True,
    "vbdt_review_transition": True,
    "active_test": False,
    "sudo": True,
    "su": True,
    "install_mode": True,
    "tracking_disable": True,
    "mail_notrack": True,
    "bin_size": False,
}


class JsonRpcCase(HttpCase):
    """HttpCase with per-user JSON-RPC sessions."""

    def setUp(self):
        super().setUp()
        self._vbdt_sessions = {}
        self._vbdt_sid = None

    def _vbdt_sync(self):
        """The server sees what the test wrote, and the test re-reads what
        the server wrote (one database transaction, two ORM caches)."""
        self.env.flush_all()
        self.env.invalidate_all()

    def rpc_login(self, user):
        """Open (once) a web session for ``user``, whose password is its login
        (``new_test_user``), and make it the current one."""
        sid = self._vbdt_sessions.get(user.id)
        if sid is None:
            self.session = None  # keep the other users' sessions alive
            self.authenticate(user.login, user.login)
            sid = self._vbdt_sessions[user.id] = self.session.sid
        if self._vbdt_sid != sid:
            self._vbdt_sid = sid
            # A fresh opener, as authenticate() does: a cookie the server set
            # for "localhost" would otherwise shadow the one switched here.
            self.opener = Opener(self.cr)
            self.opener.cookies["session_id"] = sid
            self.opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.http_request_key
        return sid

    def call_kw(self, user, model, method, args=(), kwargs=None, context=None):
        """Call ``model.method(*args, **kwargs)`` as ``user``; returns the
        result or raises :class:`JsonRpcException` (its message is the
        exception's class path)."""
        self.rpc_login(user)
        self._vbdt_sync()
        kwargs = dict(kwargs or {})
        if context is not None:
            kwargs["context"] = context
        try:
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            )
        finally:
            self.env.invalidate_all()

    def attempt(self, user, model, method, args=(), kwargs=None, context=None):
        """``(ALLOWED, result)`` or ``(DENIED, error name)``; an error that is
        not a refusal fails the test (a crash is not a guard)."""
        try:
            return ALLOWED, self.call_kw(user, model, method, args, kwargs, context)
        except JsonRpcException as error:
            name = error.args[0] if error.args else ""
            self.assertIn(
                name, REFUSALS, f"{model}.{method} as {user.login} crashed: {error}"
            )
            return DENIED, name

    def assertRefused(self, user, model, method, args=(), kwargs=None, context=None):
        outcome, result = self.attempt(user, model, method, args, kwargs, context)
        self.assertEqual(
            outcome, DENIED, f"{model}.{method} as {user.login} was allowed: {result!r}"
        )
        return result

    def fetch(self, user, url):
        """GET ``url`` as ``user``: ``(status, body bytes)``."""
        self.rpc_login(user)
        self._vbdt_sync()
        response = self.url_open(url, allow_redirects=False)
        self.env.invalidate_all()
        return response.status_code, response.content


class JsonRpcMixin:
    """Calls through the real HTTP JSON-RPC API of the web client, for attack
    tests in an ``HttpCase``: ``/web/dataset/call_kw`` as a logged-in user
    (password = login, as ``new_test_user`` makes it)."""

    def _rpc(self, login, model, method, *args, lang=None, **kwargs):
        """``(result, error)`` of ``model.method(*args, **kwargs)`` as ``login``."""
        self.authenticate(login, login)
        if lang:
            kwargs["context"] = {**kwargs.get("context", {}), "lang": lang}
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        return body.get("result"), body.get("error")

    def _refused(self, login, model, method, *args, **kwargs):
        """The error data of a call that must be refused."""
        result, error = self._rpc(login, model, method, *args, **kwargs)
        self.assertIsNone(result)
        self.assertTrue(error, f"{model}.{method} was not refused")
        return error["data"]
