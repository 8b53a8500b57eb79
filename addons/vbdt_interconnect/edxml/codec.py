"""Generic mapping between model dataclasses and XML elements.

Element names and order are declared once, on the model fields (see
:func:`.model.xml`); value conversions follow the fields' type hints.  The
builder and the parser both go through here, so what is written is exactly
what is read back.

Writing omits ``None``, ``""`` and empty lists.  Reading is tolerant: any
namespace, any order, unreadable optional values become ``None``, and an
object whose required field is absent or unreadable is dropped (``None``);
the parser checks the fields that must not be dropped before decoding.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Sequence
from dataclasses import MISSING, Field, fields, is_dataclass
from datetime import date, datetime
from enum import Enum, IntEnum
from typing import Any, TypeVar

from lxml import etree

from ._xml import Element, children, first_child, qname
from .errors import InvalidValueError, _
from .formats import format_date, format_timestamp, parse_date, parse_timestamp
from .model import XML_ITEM, XML_NAME

T = TypeVar("T")


# ----------------------------------------------------------------- writing


def encode_fields(parent: Element, obj: Any) -> None:
    """Append one element per non-empty ``xml`` field of ``obj`` to ``parent``."""
    for model_field in _xml_fields(type(obj)):
        value = getattr(obj, model_field.name)
        if _is_empty(value):
            continue
        name, item = model_field.metadata[XML_NAME], model_field.metadata[XML_ITEM]
        if isinstance(value, list):
            container = etree.SubElement(parent, qname(name)) if item else parent
            for entry in value:
                encode_value(container, item or name, entry)
        else:
            encode_value(parent, name, value)


def encode_value(parent: Element, name: str, value: Any) -> Element:
    element = etree.SubElement(parent, qname(name))
    if is_dataclass(value):
        encode_fields(element, value)
        return element
    text = to_text(value)
    try:
        element.text = text
    except ValueError:  # control characters (e.g. pasted from a word processor)
        raise InvalidValueError(
            _("Element %(element)s: %(value)r contains characters XML cannot carry."),
            element=name,
            value=text,
        ) from None
    return element


def to_text(value: Any) -> str:
    if isinstance(value, datetime):  # before date: datetime is a date
        return format_timestamp(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and not value)


# ----------------------------------------------------------------- reading


def decode(cls: type[T], sources: Sequence[Element | None], **extra: Any) -> T | None:
    """Build ``cls`` from the children of ``sources`` (searched in order).

    ``extra`` supplies fields that do not map to children of ``sources``.
    Returns ``None`` when a required field is absent or unreadable.
    """
    hints = type_hints(cls)
    values = dict(extra)
    for model_field in _xml_fields(cls):
        value = _decode_field(
            hints[model_field.name],
            model_field.metadata[XML_NAME],
            model_field.metadata[XML_ITEM],
            sources,
        )
        if value is not None:
            values[model_field.name] = value
        elif _is_required(model_field):
            return None
    return cls(**values)


def _decode_field(
    hint: Any, name: str, item: str | None, sources: Sequence[Element | None]
) -> Any:
    if typing.get_origin(hint) is list:
        (item_type,) = typing.get_args(hint)
        elements = (
            children(first_child(sources, name), item)
            if item
            else _first_all(sources, name)
        )
        decoded = (_decode_element(item_type, element) for element in elements)
        return [value for value in decoded if value not in (None, "")]
    element = first_child(sources, name)
    return None if element is None else _decode_element(strip_optional(hint), element)


def _decode_element(value_type: Any, element: Element) -> Any:
    if is_dataclass(value_type):
        return decode(value_type, [element])
    return from_text(value_type, (element.text or "").strip())


def from_text(value_type: Any, text: str) -> Any:
    """Convert element text to ``value_type``; ``None`` when unreadable."""
    if value_type is str:
        return text
    if not text:
        return None
    if value_type is datetime:
        return parse_timestamp(text)
    if value_type is date:
        return parse_date(text)
    if value_type is int or issubclass(value_type, IntEnum):
        return _to_int(value_type, text)
    return value_type.from_code(text)  # StatusCode: raises on unknown codes


def _to_int(value_type: Any, text: str) -> int | None:
    try:
        number = int(text)
    except ValueError:
        return None
    if value_type is int:
        return number
    return value_type(number) if number in value_type._value2member_map_ else None


def _first_all(sources: Sequence[Element | None], name: str) -> list[Element]:
    """Repeated elements from the first source that has any."""
    return next((found for found in (children(s, name) for s in sources) if found), [])


def strip_optional(hint: Any) -> Any:
    """``X | None`` -> ``X``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        return inner
    return hint


def _is_required(model_field: Field[Any]) -> bool:
    return model_field.default is MISSING and model_field.default_factory is MISSING


@functools.cache
def _xml_fields(cls: type) -> tuple[Field[Any], ...]:
    return tuple(f for f in fields(cls) if f.metadata.get(XML_NAME))


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
