"""The demo seed fills an empty database once and never touches a used one."""

from __future__ import annotations

import pytest

from core import accounts, demo


def test_given_empty_database_then_seeded_and_hint_shown(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(["--if-empty"]) == 0
    assert "shenhe01" in capsys.readouterr().out
    assert accounts.count_accounts(role="reviewer") == 2
    hint = demo.login_hint()
    assert hint is not None and hint.reviewer == "shenhe01"
    accounts.login_with_password("shenhe01", demo.DEMO_PASSWORD, portal="staff")


def test_given_used_database_then_seed_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    demo.main(["--if-empty"])
    before = accounts.count_accounts()
    assert demo.main(["--if-empty"]) == 0
    assert accounts.count_accounts() == before


def test_given_demo_mode_off_then_no_credentials_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    demo.main(["--if-empty"])
    monkeypatch.setenv("CERTDESK_DEMO", "0")
    assert demo.login_hint() is None
