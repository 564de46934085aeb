"""The rule book (ladder/rules.py): one message per error code, used by every write path."""

from __future__ import annotations

import ast
import string
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps

from ladder import rules

LADDER = Path(rules.__file__).parent


def _doc(title, code=None, aliases=(), **extra):
    level = {"title": title, "code": code, "external_id": None, "is_active": True, "scale_from": None}
    level |= {"scale_to": None, "reference_level": None}
    level |= extra
    alias_rows = [SimpleNamespace(title=a, valid_from=None, valid_to=None) for a in aliases]
    return SimpleNamespace(aliases=alias_rows, **level)


def test_every_code_has_one_template_that_renders_and_a_constraint_form():
    formatter = string.Formatter()
    for code, template in rules.MESSAGES.items():
        names = {name for _, name, _, _ in formatter.parse(template) if name}
        assert names == rules.placeholders(code), code
        rendered = rules.message(code, **{name: f"<{name}>" for name in names})
        assert "{" not in rendered and all(f"<{name}>" in rendered for name in names), code
        assert "{" not in rules.constraint_message(code), code


def test_every_constraint_speaks_with_the_rule_books_code_and_message():
    coded = 0
    for model in apps.get_app_config("ladder").get_models():
        for constraint in model._meta.constraints:
            code = constraint.violation_error_code
            if code is None:
                continue
            coded += 1
            assert code in rules.MESSAGES, (model.__name__, constraint.name)
            assert constraint.violation_error_message == rules.constraint_message(code), constraint.name
    assert coded >= 12


def _literal_codes(tree: ast.AST):
    """Places that spell out an error code themselves: ``{"code": "x", ...}`` or ``code="x"``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                    yield node.lineno, value.value
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("code", "violation_error_code") and isinstance(keyword.value, ast.Constant):
                    yield node.lineno, keyword.value.value


def test_no_module_writes_a_rule_book_code_with_a_message_of_its_own():
    """A rule-book code reaches a client only through ``rules.error``/``rules.message``, so each code
    has exactly one message everywhere (API, admin, MCP, spreadsheets)."""
    offenders = []
    for path in LADDER.rglob("*.py"):
        if path.name == "rules.py" or "migrations" in path.parts:
            continue
        for line, code in _literal_codes(ast.parse(path.read_text())):
            if code in rules.MESSAGES:
                offenders.append(f"{path.relative_to(LADDER)}:{line} {code}")
    assert offenders == []


def test_the_document_rules_name_each_place():
    errors = rules.document_errors(
        [
            _doc("Senior Product Manager", "L5", aliases=["Senior Product Lead"]),
            _doc("Principal PM", code="l5"),
            _doc("Group PM", aliases=["Senior Product Manager", "Sr Product Lead"]),
            _doc("Lead", scale_from=4.0, scale_to=3.0),
        ],
        framework_id=1,
    )
    assert [(e["field"], e["code"]) for e in errors] == [
        ("levels[0].code", "duplicate_code"),
        ("levels[1].code", "duplicate_code"),
        ("levels[2].aliases[0].title", "alias_names_other_level"),
        ("levels[2].aliases[1].title", "duplicate_alias"),
        ("levels[3].scale_to", "invalid_span"),
    ]


def test_the_alias_collision_message_names_the_title_and_explains_normalisation():
    errors = rules.document_errors(
        [_doc("Staff Product Manager", "L5", aliases=["Sr. PM"]), _doc("Lead", "L6", aliases=["Senior PM"])],
        framework_id=1,
    )
    (error,) = errors
    assert error["code"] == "duplicate_alias"
    assert '"Senior PM"' in error["message"] and '"Sr. PM"' in error["message"]
    assert '"Staff Product Manager"' in error["message"] and "normalised form" in error["message"]


def _row(pk, title, level_id=None, **extra):
    from ladder.engine.normalize import normalize_code, normalize_title

    code = extra.pop("code", None)
    values = {"pk": pk, "title": title, "title_normalized": normalize_title(title), "code": code}
    values |= {"code_canonical": normalize_code(code) if code else None, "external_id": None, "is_active": True}
    values |= {"level_id": level_id, "valid_to": None}
    return SimpleNamespace(**(values | extra))


def test_one_level_among_stored_rows():
    siblings = [_row(1, "Product Manager", code="IC4"), _row(2, "Staff PM")]
    aliases = [_row(10, "Principal PM", level_id=2)]
    cases = {
        "duplicate_code": _row(None, "Another", code="ic-4"),
        "duplicate_title": _row(None, "Staff Product Manager"),
        "alias_in_use": _row(None, "Principal Product Manager", code="X1"),
    }
    for code, level in cases.items():
        assert [e["code"] for e in rules.level_errors(level, siblings, aliases)] == [code]
    assert rules.level_errors(_row(None, "Product Manager", code="IC5"), siblings, aliases) == []


def test_one_alias_among_stored_rows():
    levels = [_row(1, "Senior Product Manager"), _row(2, "Group Product Manager")]
    others = [_row(10, "Sr. Product Lead", level_id=1)]
    taken = rules.alias_errors(_row(None, "Senior Product Lead", level_id=2), levels, others)
    assert [e["code"] for e in taken] == ["duplicate_alias"]
    assert '"Sr. Product Lead"' in taken[0]["message"] and '"Senior Product Manager"' in taken[0]["message"]
    names = rules.alias_errors(_row(None, "Sr. PM", level_id=2), levels, [])
    assert [(e["field"], e["code"]) for e in names] == [("title", "alias_names_other_level")]
    past = _row(None, "Sr. PM", level_id=2, valid_to=date(2020, 1, 1))
    assert rules.alias_errors(past, levels, []) == []


@pytest.mark.parametrize(
    ("scale_from", "scale_to", "code"), [(3.0, None, "incomplete_span"), (4.0, 4.0, "invalid_span"), (3, 4, None)]
)
def test_span_rule(scale_from, scale_to, code):
    assert [e["code"] for e in rules.span_errors(scale_from, scale_to)] == ([code] if code else [])
