"""The transport interface and its registry."""

from dataclasses import dataclass

REGISTRY = {}


class TransportError(Exception):
    """Sending or polling failed; ``retryable`` says whether trying later may work.

    ``message`` is already translated for the clerk; secrets never appear in it.
    """

    def __init__(self, message, retryable=True):
        super().__init__(message)
        self.retryable = retryable


@dataclass
class IncomingPackage:
    """A package waiting at the transport: its id there and who sent it."""

    remote_id: str
    sender_code: str
    message_type: str
    raw: bytes


class Transport:
    """One way of moving packages; bound to an environment and, for remote
    transports, to a ``vbdt.exchange.transport`` configuration record."""

    code = None
    #: True when the transport needs polling to receive (the axis), False when
    #: packages are pushed to us in-process (local delivery).
    polls = False

    def __init__(self, env, config=None):
        self.env = env
        self.config = config

    def __init_subclass__(cls, **kwargs):
        result = super().__init_subclass__(**kwargs)
        if cls.code:
            REGISTRY[cls.code] = cls
        return result

    def send(self, record, raw, recipient_codes, message_type):
        """Deliver ``raw`` to the agencies; return the transport's id for it."""
        raise NotImplementedError

    def fetch(self, message_type):
        """Yield :class:`IncomingPackage` waiting for us (polling transports)."""
        return iter(())

    def acknowledge(self, remote_id, ok=True):
        """Tell the transport a fetched package is safely stored (or failed)."""
        return None

    def sent_status(self, remote_id, message_type="edoc"):
        """Per-recipient delivery tracking: list of dicts, when supported."""
        return []


def get_transport(env, code, config=None):
    try:
        cls = REGISTRY[code]
    except KeyError:
        raise TransportError(
            env._("Unknown transport %(code)s.", code=code), retryable=False
        ) from None
    return cls(env, config)
