"""Exceptions of the edXML core, with messages the Odoo layer can translate.

The core never imports Odoo, so it cannot translate anything itself.  Each
message is therefore written as a literal ``_("...")`` call: ``_`` is a no-op
here, but Odoo's translation extractor collects those literals into the .pot
file.  The Odoo layer then translates ``err.template`` and interpolates
``err.params`` itself (``env._(err.template) % err.params``), so a clerk sees
the message in Vietnamese while logs keep the English text.
"""

from __future__ import annotations

from typing import Any


def _(message: str) -> str:
    """Mark ``message`` for translation extraction; returns it unchanged."""
    return message


class EdxmlError(Exception):
    """Base class: an English ``template`` with ``%(name)s`` placeholders.

    ``element`` names the XML element at fault (``""`` when none applies) and
    is also available to the template as ``%(element)s``.
    """

    def __init__(self, template: str, **params: Any) -> None:
        params.setdefault("element", "")
        self.template = template
        self.params = params
        self.element: str = params["element"]
        super().__init__(template % params)


class UnsafeXmlError(EdxmlError):
    """The input uses XML features refused for safety (DOCTYPE, entities)."""


class MalformedXmlError(EdxmlError):
    """The input is not well-formed XML."""


class LimitExceededError(EdxmlError):
    """The package, an attachment or the attachment count is over a limit."""


class MissingElementError(EdxmlError):
    """A required element is absent or empty."""


class InvalidValueError(EdxmlError):
    """An element holds a value that cannot be read (date, code, ...)."""


class AttachmentError(EdxmlError):
    """An attachment cannot be decoded or does not match the manifest."""


class NotAddressedError(EdxmlError):
    """The package does not list the expected recipient."""


class ValidationError(EdxmlError):
    """A package fails the project's XSD; ``issues`` lists every finding."""

    def __init__(self, template: str, *, issues: list[Any], **params: Any) -> None:
        self.issues = issues
        super().__init__(template, **params)


class SignatureError(EdxmlError):
    """An XML signature cannot be created or does not verify."""
