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


def test_every_audit_action_has_a_label() -> None:
    known = set(catalogue("zh_CN"))
    call = re.compile(r"audit\.record\(\s*\w+,\s*(.+?),\s*actor_id", re.S)
    literal = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
    actions: set[str] = set()
    for path in (ROOT / "core").rglob("*.py"):
        for expression in call.findall(path.read_text(encoding="utf-8")):
            actions |= set(literal.findall(expression))
    assert len(actions) > 10
    assert sorted(a for a in actions if f"audit.action.{a}" not in known) == []


def test_every_option_reason_notice_and_field_has_words() -> None:
    from core import certification, filing, notices, review

    keys = [f"cert.field.{n}" for n in certification.person_fields() + certification.person_fields("admin_")
            + certification.institution_fields()]
    keys += [f"cert.gender.{v}" for v in certification.GENDERS]
    keys += [f"cert.id_type.{v}" for v in certification.ID_TYPES]
    keys += [f"cert.org_type.{v}" for v in certification.ORG_TYPES]
    keys += [f"cert.cert_type.{v}" for v in certification.CERT_TYPES]
    keys += [f"cert.nationality.{v}" for v in certification.NATIONALITIES]
    keys += [f"cert.slot.{s}" for slots in certification.SLOTS.values() for s in slots]
    keys += [f"reason.{r}" for r in review.REASONS] + [f"reason.{r}.help" for r in review.REASONS]
    keys += [f"notice.{k}.{part}" for k in notices.KINDS for part in ("title", "body")]
    keys += [f"filing.business.{b}" for b in filing.BUSINESSES]
    known = set(catalogue("zh_CN"))
    assert [k for k in keys if k not in known] == []
