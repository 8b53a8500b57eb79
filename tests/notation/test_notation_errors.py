"""NotationError and the translation marker, plus source-level rules of the
package: no Odoo import, relative imports, every message a literal ``_()``
whose placeholders match the parameters passed."""

import ast
import pickle
import re
from pathlib import Path

import notation
import pytest
from notation.errors import NotationError, _

PACKAGE = Path(notation.__file__).parent
SOURCES = sorted(PACKAGE.glob("*.py"))


def test_marker_returns_message_unchanged():
    assert _("Hello %(name)s") == "Hello %(name)s"


def test_error_keeps_template_and_params():
    error = NotationError("Number %(number)s is bad.", number=0)
    assert isinstance(error, ValueError)
    assert error.template == "Number %(number)s is bad."
    assert error.params == {"number": 0}
    assert str(error) == "Number 0 is bad."


def test_error_without_params():
    error = NotationError("The notation is empty.")
    assert error.params == {}
    assert str(error) == "The notation is empty."


def test_error_survives_pickling_with_its_message():
    error = pickle.loads(pickle.dumps(NotationError("Code %(code)s.", code="X")))
    assert str(error) == "Code X."


def test_package_has_modules():
    assert {path.name for path in SOURCES} >= {"__init__.py", "errors.py"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_module_never_imports_odoo_and_imports_relatively(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            assert not any(name.split(".")[0] in ("odoo", "notation") for name in names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            assert node.module.split(".")[0] not in ("odoo", "notation")


def _error_calls():
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "NotationError"
            ):
                yield pytest.param(node, id=f"{path.name}:{node.lineno}")


@pytest.mark.parametrize("call", list(_error_calls()))
def test_every_message_is_a_literal_marked_string_with_matching_params(call):
    (message,) = call.args
    assert isinstance(message, ast.Call) and message.func.id == "_"
    (literal,) = message.args
    assert isinstance(literal, ast.Constant) and isinstance(literal.value, str)
    placeholders = set(re.findall(r"%\((\w+)\)s", literal.value))
    assert placeholders == {keyword.arg for keyword in call.keywords}


def test_public_api_is_exported():
    for name in notation.__all__:
        assert hasattr(notation, name), name
