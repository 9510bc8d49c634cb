"""The catalogue: both languages have every key with the same placeholders; code keys exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.messages import SECTIONS, catalogue, placeholders, translate

ROOT = Path(__file__).resolve().parent.parent


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = catalogue("zh_CN"), catalogue("en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    mismatched = [k for k in zh if placeholders(zh[k]) != placeholders(en[k])]
    assert mismatched == []


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_defines_both_languages(section: str) -> None:
    module = __import__(f"core.messages.{section}", fromlist=["ZH_CN", "EN"])
    assert module.ZH_CN.keys() == module.EN.keys()


def test_every_literal_key_used_in_code_is_in_the_catalogue() -> None:
    known = set(catalogue("zh_CN"))
    pattern = re.compile(r"""(?:\bt|translate|Error|Denied|Invalid)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
    used: set[str] = set()
    for folder in ("core", "ui", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys at all"
    assert sorted(used - known) == []


def test_unknown_language_falls_back_to_chinese_and_params_fill_in() -> None:
    assert translate("codes.wrong", "fr", left=2) == "验证码错误,还可尝试2次"
    assert translate("codes.wrong", "en", left=2) == "Wrong code; 2 tries left"
