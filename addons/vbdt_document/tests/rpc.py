import json


class JsonRpcMixin:
    """Calls through the real HTTP JSON-RPC API of the web client, for attack
    tests in an ``HttpCase``: ``/web/dataset/call_kw`` as a logged-in user
    (password = login, as ``new_test_user`` makes it)."""

    def _rpc(self, login, model, method, *args, lang=None, **kwargs):
        """``(result, error)`` of ``model.method(*args, **kwargs)`` as ``login``."""
        self.authenticate(login, login)
        if lang:
            kwargs["context"] = {**kwargs.get("context", {}), "lang": lang}
        response = self.url_open("/web/dataset/call_kw", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }), headers={"Content-Type": "application/json"})
        body = response.json()
        return body.get("result"), body.get("error")

    def _refused(self, login, model, method, *args, **kwargs):
        """The error data of a call that must be refused."""
        result, error = self._rpc(login, model, method, *args, **kwargs)
        self.assertIsNone(result)
        self.assertTrue(error, f"{model}.{method} was not refused")
        return error["data"]
