"""The UI text catalogue: zh_CN (default) and en.

The catalogue is one lookup, split into sections by domain so each domain's words sit
together. Every section module defines ``ZH_CN`` and ``EN`` dicts with the same keys;
tests/test_messages.py checks that the two languages match key for key and placeholder
for placeholder.
"""

from __future__ import annotations

import importlib
import string
from functools import lru_cache

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
SECTIONS = ("common", "accounts", "photos", "certification", "review")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, merged across sections."""
    attr = "ZH_CN" if lang == "zh_CN" else "EN"
    merged: dict[str, str] = {}
    for name in SECTIONS:
        module = importlib.import_module(f"core.messages.{name}")
        section = getattr(module, attr)
        overlap = merged.keys() & section.keys()
        if overlap:
            raise RuntimeError(f"message keys defined twice: {sorted(overlap)}")
        merged.update(section)
    return merged


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for ``key`` in ``lang`` (falling back to zh_CN), with ``{params}`` filled in."""
    text = catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
