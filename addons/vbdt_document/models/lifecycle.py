"""Server-held permission to write lifecycle fields.

Odoo passes any context a JSON-RPC caller sends, so a context key can never
switch a guard off. Instead the action methods run their own writes inside
:func:`unlocked`, which records *which records* may be written in a context
variable of the running thread: it lives for the duration of the ``with``
block only, no client value reaches it, and each request thread starts with
it empty."""

import contextlib
import contextvars

_UNLOCKED = contextvars.ContextVar("vbdt_lifecycle_unlocked", default=frozenset())

CREATE = "create"
"""Key that lets server code create records of a model with lifecycle values."""


@contextlib.contextmanager
def unlocked(*recordsets, create=False):
    """Let the server write the guarded fields of ``recordsets`` (and create
    records of their models when ``create``) inside the ``with`` block."""
    keys = {
        (records._name, record_id)
        for records in recordsets
        for record_id in records._ids
    }
    if create:
        keys |= {(records._name, CREATE) for records in recordsets}
    token = _UNLOCKED.set(_UNLOCKED.get() | frozenset(keys))
    try:
        yield
    finally:
        _UNLOCKED.reset(token)


def is_unlocked(records):
    """Whether every record of ``records`` is unlocked by the running server code."""
    keys = _UNLOCKED.get()
    return all((records._name, record_id) in keys for record_id in records._ids)


def may_create(model):
    """Whether server code unlocked creating ``model`` records with lifecycle values."""
    return (model._name, CREATE) in _UNLOCKED.get()
