"""``vxp``: the national axis protocol (docs/DOMAIN.md §B6), through
``vxp.VxpClient``."""

import logging

from ..vxp import VxpClient, VxpError, VxpTransportError
from .base import IncomingPackage, Transport, TransportError

_logger = logging.getLogger(__name__)


class VxpTransport(Transport):
    code = "vxp"
    polls = True

    def __init__(self, env, config=None):
        super().__init__(env, config)
        if not config:
            raise TransportError(
                env._("No axis connection is configured for this agency."),
                retryable=True,
            )
        self._client = None

    @property
    def client(self):
        if self._client is None:
            # sudo: the connection's endpoint and secret, used by the server only
            config = self.config.sudo()
            self._client = VxpClient(
                config.endpoint,
                config.system_id,
                config._vbdt_open_secret(),
                timeout=float(config.timeout or 60),
                retries=1,
                backoff=0.5,
            )
        return self._client

    def _error(self, error):
        message = self.env._(error.template, **error.params)
        retryable = getattr(error, "retryable", True)
        return TransportError(message, retryable=retryable)

    def send(self, record, raw, recipient_codes, message_type):
        try:
            return self.client.send_edoc(
                list(recipient_codes),
                raw,
                messagetype=message_type,
                idempotency_key=record._vbdt_idempotency_key(),
            )
        except VxpTransportError as error:
            raise self._error(error) from error
        except VxpError as error:
            raise self._error(error) from error

    def fetch(self, message_type):
        try:
            waiting = self.client.get_received_edoc_list(message_type)
        except VxpError as error:
            raise self._error(error) from error
        for item in waiting:
            doc_id = str(item.get("docId") or "")
            if not doc_id:
                continue
            try:
                raw = self.client.get_edoc(doc_id)
            except VxpError as error:
                _logger.warning("getEdoc %s failed: %s", doc_id, error)
                continue
            yield IncomingPackage(
                doc_id, str(item.get("from") or ""), message_type, raw
            )

    def acknowledge(self, remote_id, ok=True):
        try:
            self.client.update_status(remote_id, "done" if ok else "fail")
        except VxpError as error:
            raise self._error(error) from error

    def sent_status(self, remote_id, message_type="edoc"):
        try:
            return self.client.get_sent_edoc_list(remote_id, message_type)
        except VxpError as error:
            raise self._error(error) from error

    def agencies(self):
        try:
            return self.client.get_agencies_list()
        except VxpError as error:
            raise self._error(error) from error
