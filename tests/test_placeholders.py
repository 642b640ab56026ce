"""The placeholder grammar (`initnotes.placeholders`): one definition for every kind."""

from __future__ import annotations

import pytest

from initnotes import placeholders


@pytest.mark.parametrize("text, found", [
    ("{{ figure:he-signal }}", [("figure", "he-signal")]),
    ("{{figure:a}} and {{  value :  b  }}", [("figure", "a"), ("value", "b")]),
    ("{{ cite:site }}", [("cite", "site")]),
    ("{{ figure: }}", [("figure", "")]),                      # no name: found, reported as unknown
    ("{{ table:x }} {{ figure:a b }} { figure:x }", []),      # unknown kind, space in name, one brace
    ("{{ value:a}}}", [("value", "a")]),
])
def test_find(text, found):
    assert [(p.kind, p.name) for p in placeholders.find(text)] == found


def test_find_one_kind_and_names_in_order_of_first_use():
    text = "{{ figure:b }} {{ value:v }} {{ figure:a }} {{figure:b}}"
    assert [p.text for p in placeholders.find(text, "figure")] == [
        "{{ figure:b }}", "{{ figure:a }}", "{{figure:b}}"]
    assert placeholders.names(text, "figure") == ["b", "a"]
    assert placeholders.names(text, "cite") == []


def test_replace_fills_only_the_kinds_asked_for_in_one_pass():
    text = "x {{ value:a }} y {{ figure:f }} z"
    filled = placeholders.replace(text, lambda p: f"<{p.name}>{{{{ figure:g }}}}", "value")
    assert filled == "x <a>{{ figure:g }} y {{ figure:f }} z"  # the filling is not searched again
    assert placeholders.remove(text, "figure", "value") == "x  y  z"


def test_unknown_kind_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"kinds must be among .*got \['figures'\]"):
        placeholders.pattern("figures")
