"""A small JSON-over-HTTPS client: timeouts, bounded answers, no secrets in errors."""

from __future__ import annotations

import json
from typing import Any

import requests
import urllib3

from ..errors import RemoteUnavailableError

MAX_RESPONSE = 2 << 20
"""A certificate chain or 50 signatures fit in far less than 2 MiB."""


class JsonHttp:
    """POSTs JSON to one provider; every failure is a :class:`RemoteUnavailableError`
    naming the provider and the HTTP status, never the request (it may carry
    a secret)."""

    def __init__(self, base_url: str, provider: str, timeout: float) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise RemoteUnavailableError(provider=provider, reason="no service URL")
        self.base_url = base_url.rstrip("/")
        self.provider = provider
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = (
            False  # no proxy or netrc from the server's environment
        )

    def post(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        form: dict[str, str] | None = None,
        accept_status: tuple[int, ...] = (),
        allow_list: bool = False,
    ) -> dict[str, Any] | list[Any]:
        """The JSON object answered to ``POST base_url + path``.

        Statuses other than 2xx raise unless listed in ``accept_status`` (for
        providers that put their refusal in a 4xx JSON body)."""
        try:
            response = self.session.post(
                self.base_url + path,
                json=body if form is None else None,
                data=form,
                headers=headers,
                auth=auth,
                timeout=self.timeout,
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise self._error("timeout") from None
        except requests.RequestException as err:
            raise self._error(type(err).__name__) from None
        with response:
            if not (200 <= response.status_code < 300) and (
                response.status_code not in accept_status
            ):
                raise self._error(f"HTTP {response.status_code}")
            try:
                raw = response.raw.read(MAX_RESPONSE + 1, decode_content=True)
            except (urllib3.exceptions.HTTPError, OSError) as err:
                raise self._error(type(err).__name__) from None
        if len(raw) > MAX_RESPONSE:
            raise self._error("response too large")
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise self._error("not JSON") from None
        if not isinstance(data, dict) and not (allow_list and isinstance(data, list)):
            raise self._error("not a JSON object")
        return data

    def _error(self, reason: str) -> RemoteUnavailableError:
        return RemoteUnavailableError(provider=self.provider, reason=reason)
