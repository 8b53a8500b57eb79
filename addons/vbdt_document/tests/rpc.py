"""Attack tests through the web client's own API: JSON-RPC over real HTTP.

Every access rule is proven the way an attacker inside an agency would try
it: logged in as a user of some role, calling ``/web/dataset/call_kw`` with
any arguments and any context, and ``/web/content`` / ``/web/image`` for
files. One session per user is opened once and reused by switching the
session cookie, so that a large matrix of calls stays fast."""

import json

from odoo import http
from odoo.tests import HttpCase
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, JsonRpcException, Opener
from odoo.tools import mute_logger

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


class RpcError(JsonRpcException):
    """The error a JSON-RPC call answered: ``name`` is the exception's class
    path (also ``args[0]``, as for Odoo's ``JsonRpcException``), ``message``
    its text as the user reads it, ``data`` the whole error data."""

    def __init__(self, error):
        self.data = error.get("data") or {}
        self.name = self.data.get("name", "")
        self.message = self.data.get("message", "")
        super().__init__(code=error.get("code"), message=self.name)


class JsonRpcMixin:
    """Calls through the web client's own API for an ``HttpCase``: the one
    way the vbdt tests act as a user over ``/web/dataset/call_kw`` (with any
    context an attacker injects) and assert a refusal. Users are records or
    logins; a user's password is its login, as ``new_test_user`` makes it."""

    def setUp(self):
        super().setUp()
        self._vbdt_sessions = {}
        self._vbdt_sid = None

    def rpc_context(self):
        """Context keys sent with every call (a test case may add some, e.g.
        ``allowed_company_ids``); a call's own context comes on top."""
        return {}

    def _vbdt_sync(self):
        """The server sees what the test wrote, and the test re-reads what
        the server wrote (one database transaction, two ORM caches)."""
        self.env.flush_all()
        self.env.invalidate_all()

    def rpc_login(self, user):
        """Open (once) a web session for ``user`` (a record or a login) and
        make it the current one."""
        login = user if isinstance(user, str) else user.login
        sid = self._vbdt_sessions.get(login)
        if sid and not http.root.session_store.get(sid).get("uid"):
            sid = None  # the test's own authenticate() logged it out
        if sid is None:
            self.session = None  # keep the other users' sessions alive
            self.authenticate(login, login)
            sid = self._vbdt_sessions[login] = self.session.sid
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
        result or raises :class:`RpcError`."""
        self.rpc_login(user)
        self._vbdt_sync()
        kwargs = dict(kwargs or {})
        context = {**self.rpc_context(), **(context or {})}
        if context:
            kwargs["context"] = context
        return self.json_rpc(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def json_rpc(self, path, params):
        """POST a JSON-RPC call to ``path`` in the current session: its
        result, or :class:`RpcError`. The test re-reads what the server
        wrote, whatever the answer."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        try:
            response = self.url_open(
                path,
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
            response.raise_for_status()
            body = response.json()
        finally:
            self.env.invalidate_all()
        if "error" in body:
            raise RpcError(body["error"])
        return body.get("result")

    def attempt(self, user, model, method, args=(), kwargs=None, context=None):
        """``(ALLOWED, result)`` or ``(DENIED, error name)``; an error that is
        not a refusal fails the test (a crash is not a guard)."""
        try:
            return ALLOWED, self.call_kw(user, model, method, args, kwargs, context)
        except RpcError as error:
            self.assertIn(
                error.name, REFUSALS, f"{model}.{method} as {user} crashed: {error}"
            )
            return DENIED, error.name

    def assertRefused(
        self,
        user,
        model,
        method,
        args=(),
        kwargs=None,
        context=None,
        *,
        contexts=None,
        error=REFUSALS,
        message=None,
        unchanged=None,
    ):
        """The call is refused with an Odoo error (``error``: a class path or
        a tuple of them) whose message contains ``message``, and
        ``unchanged()`` (a snapshot re-read as superuser) is the same after.
        With ``contexts``, the call is tried with each of them in turn.
        Returns the last :class:`RpcError`."""
        expected = (error,) if isinstance(error, str) else tuple(error)
        before = unchanged() if unchanged else None
        refusal = None
        for each in [context] if contexts is None else contexts:
            with (
                self.subTest(user=str(user), method=method, context=each),
                mute_logger("odoo.http", "odoo.sql_db"),
            ):
                with self.assertRaises(
                    RpcError, msg=f"{model}.{method} as {user} was allowed"
                ) as caught:
                    self.call_kw(user, model, method, args, kwargs, each)
                refusal = caught.exception
                # An Odoo refusal with its message, never a raw database error.
                self.assertIn(refusal.name, expected, refusal.message)
                if message is not None:
                    self.assertIn(message, refusal.message)
        if unchanged:
            self._vbdt_sync()
            self.assertEqual(unchanged(), before)
        return refusal

    def fetch(self, user, url):
        """GET ``url`` as ``user``: ``(status, body bytes)``."""
        self.rpc_login(user)
        self._vbdt_sync()
        response = self.url_open(url, allow_redirects=False)
        self.env.invalidate_all()
        return response.status_code, response.content


class JsonRpcCase(JsonRpcMixin, HttpCase):
    """An ``HttpCase`` with :class:`JsonRpcMixin`."""
