"""Make what a provider sends safe to parse and to store, whatever it contains.

- ``nesting_depth`` measures how deep a JSON body nests *before* it is parsed:
  ``json.loads`` recurses, so 100,000 ``[`` would exhaust the stack.
- ``clean_text`` removes NUL bytes (PostgreSQL refuses them in text and JSON)
  and replaces lone surrogates (``"\\ud800"``, which no database encoding
  can store) with U+FFFD; ``clean_json`` does the same to every string of a
  parsed payload, keys included.
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON document, brackets inside strings not counted."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def clean_text(text: str) -> str:
    """``"a\\x00b\\ud800"`` → ``"ab\\ufffd"``: text every database stores as it is."""
    return _SURROGATE.sub(REPLACEMENT, text.replace("\x00", ""))


def clean_json(value: Any) -> Any:
    """A parsed JSON value with every string (and object key) cleaned by ``clean_text``."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    return value
