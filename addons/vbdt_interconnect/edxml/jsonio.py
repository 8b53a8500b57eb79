"""Plain JSON-ready form of packages (CLI dump/build, debugging records).

Dates and timestamps use ISO 8601, enums their code, bytes base64.  Reading
accepts the edXML text forms as well (``2026/02/05``), like the parser.
"""

from __future__ import annotations

import base64
import typing
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from .codec import from_text, strip_optional, type_hints
from .errors import InvalidValueError, _
from .model import DocumentPackage, Package, StatusPackage

T = TypeVar("T")
KINDS: dict[str, type[DocumentPackage] | type[StatusPackage]] = {
    "document": DocumentPackage,
    "status": StatusPackage,
}


def package_to_dict(package: Package) -> dict[str, Any]:
    kind = next(name for name, cls in KINDS.items() if isinstance(package, cls))
    return {"kind": kind, **to_dict(package)}


def package_from_dict(data: Mapping[str, Any]) -> Package:
    kind = data.get("kind", "document")
    if kind not in KINDS:
        raise InvalidValueError(
            _("Element %(element)s: unknown package kind %(value)r."),
            element="kind",
            value=kind,
        )
    return from_dict(
        KINDS[kind], {key: value for key, value in data.items() if key != "kind"}
    )


def to_dict(value: Any) -> Any:
    if is_dataclass(value):
        return {
            item.name: to_dict(getattr(value, item.name))
            for item in fields(value)
            if not item.metadata.get("transient")  # an open file is no data
        }
    if isinstance(value, list):
        return [to_dict(entry) for entry in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build ``cls`` from ``data``; absent keys take the field defaults."""
    hints = type_hints(cls)
    values = {
        item.name: _from_json(hints[item.name], data[item.name], item.name)
        for item in fields(cls)
        if item.name in data and not item.metadata.get("transient")
    }
    return cls(**values)


def _from_json(hint: Any, value: Any, name: str) -> Any:
    if value is None:
        return None
    if typing.get_origin(hint) is list:
        (item_type,) = typing.get_args(hint)
        return [_from_json(item_type, entry, name) for entry in value]
    value_type = strip_optional(hint)
    if is_dataclass(value_type):
        return from_dict(value_type, value)
    if value_type is bytes:
        return base64.b64decode(value, validate=True)
    converted = from_text(value_type, str(value).strip())
    if converted is None and str(value).strip():
        raise InvalidValueError(
            _("Element %(element)s: cannot read the value %(value)r."),
            element=name,
            value=value,
        )
    return converted
